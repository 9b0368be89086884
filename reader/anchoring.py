"""Anchoring notes to passages so they survive edits of the article text, or say honestly that they did not.

A passage is remembered twice, as the W3C Web Annotation model does: a TextQuoteSelector
(the exact text plus some context either side) and a TextPositionSelector (start/end
offsets, Python ``str`` indices, end exclusive). Positions alone break on the first edit;
quotes alone are ambiguous when a phrase repeats. `locate` therefore tries, in this order,
and stops at the first step that gives an answer it can defend:

1. the stored position, when the text is the version the anchor was made on;
2. the exact quote: in one place, or in several told apart by the stored prefix/suffix;
3. the quote after normalising whitespace, quote marks, dashes, zero-width characters and
   Unicode forms (an editor's typographic clean-up must not orphan notes);
4. a fuzzy candidate, only above a minimum score and with a clear margin over the
   runner-up elsewhere, snapped to whole words (to whole sentences when the old quote was
   whole sentences). Such a placement is marked ``needs_review``: the caller keeps the old
   quote beside the new passage until the reader accepts it;
5. otherwise nothing: the note is orphaned and keeps its original quote.

Every placement starts and ends on a word boundary when the original passage did, and never
starts or ends with whitespace. A wrong anchor is worse than none: web annotation tools
without such floors re-attach notes to look-alike text, and a note that silently lies about
its passage destroys the reader's trust in every other note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from reader.textnav import sentence_bounds

CONTEXT_CHARS = 32
# A fuzzy candidate needs its text at least MIN_QUOTE similar to the old quote, an overall
# score (quote, context, distance) of MIN_SCORE, and MARGIN over the best candidate in
# another part of the text; the weights favour the quote itself.
MIN_SCORE = 0.72
MIN_QUOTE = 0.75
MARGIN = 0.05
WEIGHTS = {"quote": 0.5, "prefix": 0.2, "suffix": 0.2, "distance": 0.1}
# An exact quote this long is distinctive enough to be trusted without matching context;
# a shorter one ("Gao") needs its context too, or it would jump to another "Gao".
LONG_QUOTE = 32
# Context that still agrees this well tells one exact occurrence apart from the others.
CONTEXT_AGREES = 0.6


@dataclass(frozen=True)
class Anchor:
    """A TextQuoteSelector (exact, prefix, suffix) together with a TextPositionSelector."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    @property
    def starts_word(self) -> bool:
        """The passage began on a word boundary in the text it was made on."""
        return not (self.prefix and _wordish(self.prefix[-1]) and self.exact and _wordish(self.exact[0]))

    @property
    def ends_word(self) -> bool:
        return not (self.suffix and _wordish(self.suffix[0]) and self.exact and _wordish(self.exact[-1]))

    @property
    def whole_sentences(self) -> bool:
        """The quote was one or more whole sentences (so a fuzzy move snaps to sentences)."""
        q = self.exact.rstrip()
        if not q or not _SENTENCE_END_RE.search(q):
            return False
        before = self.prefix.rstrip(" \t")
        starts = not before or before.endswith("\n") or bool(_SENTENCE_END_RE.search(before))
        ends = not self.suffix or self.suffix[0].isspace()
        return starts and ends and (q[0].isupper() or not q[0].isalpha())


@dataclass(frozen=True)
class Placement:
    """Where an anchor landed in a text.

    `method` is "position", "exact", "normalised" or "fuzzy"; `needs_review` is set when the
    passage was not found as it was (a fuzzy move, or an exact quote that now occurs in places
    its context cannot tell apart) and `reason` says why, for the reader.
    """

    start: int
    end: int
    method: str
    score: float
    needs_review: bool = False
    reason: str = ""


_SENTENCE_END_RE = re.compile(r"[.!?…][\"'’”»)\]]*\s*$")


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def inside_word(text: str, i: int) -> bool:
    """True when offset `i` falls between two word characters (a cut through a word)."""
    return 0 < i < len(text) and _wordish(text[i - 1]) and _wordish(text[i])


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    """The selectors for ``text[start:end]``; raises ValueError for an empty or out-of-range span."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"passage {start}-{end} is not inside the article (0-{len(text)})")
    return Anchor(exact=text[start:end], prefix=text[max(0, start - context):start],
                  suffix=text[end:end + context], start=start, end=end)


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where `quote` occurs exactly (overlaps included)."""
    out, i = [], text.find(quote) if quote else -1
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


# --- normalised text -----------------------------------------------------------------------

_NORM_CHARS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
}
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space, plain quotes and dashes, no zero-width
    characters, NFKC forms; and for each output character the index of its source.

    The map has a final entry ``len(text)`` so an end offset maps too.
    """
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        rep = _NORM_CHARS.get(ch)
        if rep is None:
            rep = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in rep:
            out.append(c)
            where.append(i)
    where.append(len(text))
    return "".join(out), where


def normalise(text: str) -> str:
    """`normalise_with_map` without the map, trimmed (plain ASCII takes a C-speed path)."""
    if text.isascii():
        return " ".join(text.replace("`", "'").split())
    return normalise_with_map(text)[0].strip()


# --- scoring ---------------------------------------------------------------------------


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return fuzz.ratio(a, b) / 100.0


def _context(text: str, anchor: Anchor, start: int, end: int) -> tuple[float, float]:
    """How well the text around ``[start, end)`` agrees with the stored prefix and suffix."""
    if anchor.prefix:
        p = _similarity(normalise(anchor.prefix), normalise(text[max(0, start - len(anchor.prefix)):start]))
    elif start <= CONTEXT_CHARS:  # the passage opened the article: it should still be near the start
        p = 1.0
    else:  # ... or open a paragraph (a title or an editor's note was put before it)
        p = 0.7 if text[:start].endswith("\n") else 0.0
    if anchor.suffix:
        s = _similarity(normalise(anchor.suffix), normalise(text[end:end + len(anchor.suffix)]))
    else:
        s = 1.0 if len(text) - end <= CONTEXT_CHARS else 0.0
    return p, s


def score_candidate(text: str, anchor: Anchor, start: int, end: int, *, quote: str | None = None) -> tuple[float, float]:
    """(overall score, quote similarity) of placing `anchor` at ``text[start:end]``;
    `quote` is ``normalise(anchor.exact)`` when the caller has it already."""
    q = _similarity(normalise(anchor.exact) if quote is None else quote, normalise(text[start:end]))
    p, s = _context(text, anchor, start, end)
    d = 1.0 - min(abs(start - anchor.start) / max(len(text), 1), 1.0)
    w = WEIGHTS
    return w["quote"] * q + w["prefix"] * p + w["suffix"] * s + w["distance"] * d, q


def _fits(text: str, anchor: Anchor, start: int, end: int) -> bool:
    """The span keeps the passage's word-boundary shape and has no whitespace at its ends."""
    if start >= end:
        return False
    if (text[start].isspace() and not anchor.exact[:1].isspace()) or \
            (text[end - 1].isspace() and not anchor.exact[-1:].isspace()):
        return False  # a passage never gains whitespace at its ends
    if _wordish(anchor.exact[0]) and not _wordish(text[start]):
        return False  # a passage that began with a word does not now begin with punctuation
    if anchor.starts_word and inside_word(text, start):
        return False
    return not (anchor.ends_word and inside_word(text, end))


# --- steps 2 and 3: exact and normalised -------------------------------------------------


def _pick_exact(text: str, anchor: Anchor, spans: list[tuple[int, int]], method: str) -> Placement | None:
    spans = [(s, e) for s, e in spans if _fits(text, anchor, s, e)]
    if not spans:
        return None
    ranked = []
    for s, e in spans:
        p, x = _context(text, anchor, s, e)
        ranked.append(((p + x) / 2, -abs(s - anchor.start), s, e))
    ranked.sort(reverse=True)
    ctx, _, s, e = ranked[0]
    distinctive = len(anchor.exact) >= LONG_QUOTE or ctx >= CONTEXT_AGREES
    if not distinctive:
        return None
    score = score_candidate(text, anchor, s, e)[0]
    if len(ranked) == 1 or ctx - ranked[1][0] >= 0.1:
        return Placement(s, e, method, score)
    # the same quote in several places whose context cannot tell them apart (a duplicated
    # paragraph): keep the one nearest the old position, and ask
    ties = [r for r in ranked if ctx - r[0] < 0.1]
    near = min(ties, key=lambda r: abs(r[2] - anchor.start))
    return Placement(near[2], near[3], method, score_candidate(text, anchor, near[2], near[3])[0],
                     needs_review=True,
                     reason=f"the passage now appears {len(ties)} times; kept the one nearest its old place")


@lru_cache(maxsize=2)
def _normalised_text(text: str) -> tuple[str, list[int]]:
    """One normalisation per article text, however many of its notes need it."""
    return normalise_with_map(text)


def _normalised_spans(text: str, anchor: Anchor) -> list[tuple[int, int]]:
    ntext, where = _normalised_text(text)
    nquote = normalise(anchor.exact)
    out = []
    for s, e in find_quote(ntext, nquote):
        start, end = where[s], where[e - 1] + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _ZERO_WIDTH):
            end -= 1
        out.append((start, end))
    return out


# --- step 4: fuzzy ---------------------------------------------------------------------------

_WORD_EDGE_RE = re.compile(r"\b")


def _word_starts(text: str, lo: int, hi: int) -> list[int]:
    lo, hi = max(0, lo), min(len(text), hi)
    return sorted({m.start() for m in _WORD_EDGE_RE.finditer(text, lo, hi)
                   if m.start() < len(text) and not text[m.start()].isspace()} | ({0} if lo == 0 else set()))


def _word_ends(text: str, lo: int, hi: int) -> list[int]:
    lo, hi = max(0, lo), min(len(text), hi)
    ends = {m.start() for m in _WORD_EDGE_RE.finditer(text, lo, hi)
            if m.start() > 0 and not text[m.start() - 1].isspace()}
    # punctuation closing the passage ("month." or "killed,") belongs to it
    more = set()
    for e in ends:
        j = e
        while j < len(text) and j < hi and not text[j].isspace() and not _wordish(text[j]):
            j += 1
            more.add(j)
    return sorted(ends | more | ({len(text)} if hi >= len(text) else set()))


def _sentence_edges(text: str, lo: int, hi: int) -> tuple[list[int], list[int]]:
    starts, ends = set(), set()
    i = max(0, lo)
    hi = min(len(text), hi)
    while i <= hi and i < len(text):
        s, e = sentence_bounds(text, i)
        if s < e:
            starts.add(s)
            ends.add(e)
        nxt = max(e, i + 1)
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt <= i:
            break
        i = nxt
    return sorted(starts), sorted(ends)


def _refine(text: str, anchor: Anchor, start: int, end: int) -> tuple[float, float, int, int] | None:
    """The best placement near a rough match: (score, quote similarity, start, end)."""
    n = len(anchor.exact)
    slack = max(8, n // 3)
    if anchor.whole_sentences:
        starts, ends = _sentence_edges(text, start - slack, end + slack)
        starts = [s for s in starts if start - slack <= s <= start + slack] or starts
        ends = [e for e in ends if end - slack <= e <= end + slack] or ends
    else:
        starts = _word_starts(text, start - slack, start + slack + 1)
        ends = _word_ends(text, end - slack, end + slack + 1)
    best = None
    quote = normalise(anchor.exact)
    for s in starts:
        for e in ends:
            if e - s < max(1, n // 2) or e - s > 2 * n + 16 or not _fits(text, anchor, s, e):
                continue
            if text.count("\n\n", s, e) > anchor.exact.count("\n\n") + 1:
                continue
            score, q = score_candidate(text, anchor, s, e, quote=quote)
            if best is None or score > best[0]:
                best = (score, q, s, e)
    return best


def _rough_candidates(text: str, anchor: Anchor, limit: int = 6) -> list[tuple[int, int]]:
    """Rough spans whose text resembles the quote: windows of its length, best first."""
    n = len(anchor.exact)
    if n == 0 or not text:
        return []
    step = max(1, n // 4)
    starts = list(range(0, max(1, len(text) - n + 1), step))
    if starts[-1] != max(0, len(text) - n):
        starts.append(max(0, len(text) - n))
    windows = [text[s:s + n] for s in starts]
    cutoff = MIN_QUOTE * 100 * 0.7  # coarse windows are misaligned: be lenient here
    found = process.extract(anchor.exact, windows, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=cutoff)
    spans: list[tuple[int, int]] = []
    for _, _, idx in found:
        s = starts[idx]
        if all(abs(s - t) >= n // 2 for t, _ in spans):
            spans.append((s, s + n))
        if len(spans) >= limit:
            break
    old = min(max(0, anchor.start), max(0, len(text) - n))
    if all(abs(old - t) >= n // 2 for t, _ in spans):
        spans.append((old, old + n))
    return spans


def _fuzzy(text: str, anchor: Anchor) -> Placement | None:
    found = []
    for s0, e0 in _rough_candidates(text, anchor):
        best = _refine(text, anchor, s0, e0)
        if best is not None:
            found.append(best)
    found.sort(reverse=True)
    if not found:
        return None
    score, q, s, e = found[0]
    if q < MIN_QUOTE or score < MIN_SCORE:
        return None
    rivals = [f for f in found[1:] if f[3] <= s or f[2] >= e]  # elsewhere, not the same region
    if rivals and score - rivals[0][0] < MARGIN:
        return None  # two places fit about as well: do not guess
    return Placement(s, e, "fuzzy", score, needs_review=True,
                     reason="the passage was edited; check that the note still fits it")


def locate(text: str, anchor: Anchor, *, same_hash: bool = False) -> Placement | None:
    """Where `anchor` belongs in `text` now, or None when it cannot be placed honestly.

    `same_hash` says the text is the one the anchor was made against (hash unchanged), so
    the stored position is tried first; it is still checked against the quote.
    """
    if not anchor.exact:
        return None
    if same_hash and text[anchor.start:anchor.end] == anchor.exact:
        return Placement(anchor.start, anchor.end, "position", 1.0)
    placed = _pick_exact(text, anchor, find_quote(text, anchor.exact), "exact")
    if placed is None and normalise(anchor.exact):
        spans = _normalised_spans(text, anchor)
        placed = _pick_exact(text, anchor, spans, "normalised") if spans else None
    if placed is None:
        placed = _fuzzy(text, anchor)
    return placed
