"""Word-level helpers of the matcher: runs of words a name may span, the choice between
overlapping candidates, and the edit budget inside one word."""

from __future__ import annotations

from reader.matching.index import PARTICLES

APOSTROPHES = frozenset("'\u2019\u02bc")  # before a possessive s; the matcher checks it too
_GAP_CHARS = frozenset(", \t\n\u00a0\u202f\u2009-\u2010\u2011\u2012\u2013\u2014'\u2019\u02bc./&")
_SENTENCE_END = frozenset(".!?:;\"\u00ab\u00bb\u201c\u201d\n")


def at_sentence_start(text: str, s: int) -> bool:
    k = s - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] in _SENTENCE_END


def word_budget(w: str) -> int:
    """Edits allowed inside one word of a multi-word name (looser than for a whole name)."""
    return 0 if len(w) <= 3 else 1 if len(w) <= 5 else 2


def runs_of(text: str, toks) -> list[int]:
    """Run number of each word; a name may only span words of one run (no sentence breaks)."""
    runs = [0] * len(toks)
    run = 0
    gap_chars = _GAP_CHARS
    for i in range(1, len(toks)):
        gap = text[toks[i - 1][1]:toks[i][0]]
        if gap != " " and len(gap) > 2 and gap[0] in APOSTROPHES and gap[1] in "sS":
            gap = gap[2:]  # "People's Democratic ...": the possessive was cut from the word
        if gap != " " and not (0 < len(gap) <= 3 and gap.count("\n") <= 1
                               and all(c in gap_chars for c in gap)):
            run += 1
        runs[i] = run
    return runs


def select(cands: list[tuple], toks) -> list[tuple]:
    """Names with most words first, then best score, then earliest; no shared words.

    Words are counted on the gazetteer name, without particles ("in", "al", "the"), so a
    fuzzy "In Mopti" (≈ In-Moti) or "Africa Corps, a" does not beat the exact "Mopti" or
    "Africa Corps", while "Islamic State in the Grater Sahara" does beat "Islamic State".
    """
    # words of the text that are not particles, counted from the start (one pass)
    cum = [0]
    total = 0
    for t in toks:
        total += t[2] not in PARTICLES
        cum.append(total)
    name_weight: dict[int, int] = {}

    def key(c):
        # capped by the name, so a fuzzy match cannot win by swallowing a word
        nm = c[2]
        w = name_weight.get(id(nm))
        if w is None:
            w = name_weight[id(nm)] = sum(1 for x in nm.words if x not in PARTICLES)
        return (-min(cum[c[1]] - cum[c[0]], w), -c[3], -(c[1] - c[0]), -len(nm.compact), c[0])

    cands.sort(key=key)
    taken = bytearray(len(toks))
    chosen = []
    for c in cands:
        i, j = c[0], c[1]
        if any(taken[i:j]):
            continue
        taken[i:j] = b"\x01" * (j - i)
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen
