"""Rules that read the whole article: acronyms it defines and short second mentions
(classes 2 and 1 of issue 16).

Both work on hits ``(first word, end word exclusive, Mention)`` after the names are
chosen, and only add or relabel mentions *after* the place that licenses them, as a reader
does: an acronym means its long form from its definition on, a surname means the person
from the moment the article has named them in full.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.gazetteer.keys import words
from reader.gazetteer.model import Gazetteer
from reader.matching.index import PARTICLES, common_words
from reader.matching.spans import at_sentence_start
from reader.matching.types import Mention
from reader.text import fold

# A parenthesised short form: letters, digits, hyphens, dots, ampersands; no spaces.
_PAREN_RE = re.compile(r"\(([^\W\d_][\w.&\-\u2010\u2011]{1,14})\)")
_BEFORE_PAREN_RE = re.compile(r"([^\W\d_][\w.&\-\u2010\u2011]{1,14})\s?\($")
# Ordinary words that start sentences, capitalised: "Yesterday Goita said".
OPENERS = frozenset({
    "the", "a", "an", "but", "and", "then", "later", "yesterday", "today", "tonight", "on", "in",
    "at", "when", "after", "before", "since", "while", "as", "so", "yet", "meanwhile", "however",
    "still", "now", "there", "here", "for", "with", "by", "from", "if", "only", "also", "le", "la",
    "les", "mais", "puis", "selon", "hier", "alors", "ensuite", "pour", "depuis", "quand", "et",
})
# Words that may stand before a surname without making it part of another name.
TITLES = frozenset({
    "president", "minister", "general", "gen", "colonel", "col", "captain", "capt", "commander",
    "lieutenant", "lt", "major", "sergeant", "marshal", "mr", "mrs", "ms", "dr", "sheikh", "cheikh",
    "imam", "emir", "prime", "premier", "leader", "chief", "governor", "mayor", "ambassador",
    "envoy", "spokesman", "senator", "ministre", "capitaine", "commandant", "chef", "m", "mme",
    "monsieur", "madame",
})


def _short_form_shape(s: str) -> bool:
    """Looks like an acronym: two or more capitals ("CMA", "IS-Sahel") or title case of 3+
    letters ("Jnim"), and not a number."""
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 2:
        return False
    caps = sum(c.isupper() for c in letters)
    return caps >= 2 or (caps == 1 and s[0].isupper() and len(letters) >= 3)


def schwartz_hearst(short: str, long: str) -> bool:
    """The Schwartz–Hearst test: the short form's letters appear, right to left, in the long
    form, the first one at the start of a word. Accepts too a translated acronym whose
    letters are, to three quarters, the initials of the long form's words (the French
    "CNSP" for "National Council for the Safeguard of the Homeland")."""
    s = [c for c in fold(short) if c.isalnum()]
    lf = fold(long)
    si, li = len(s) - 1, len(lf) - 1
    ok = True
    while si >= 0:
        c = s[si]
        while li >= 0 and (lf[li] != c or (si == 0 and li > 0 and lf[li - 1].isalnum())):
            li -= 1
        if li < 0:
            ok = False
            break
        li -= 1
        si -= 1
    if ok:
        return True
    initials = [k[0] for _, _, k in words(long) if k and k not in PARTICLES]
    if len(s) < 3 or len(initials) < 3:
        return False
    pool = list(initials)
    hits = 0
    for c in s:
        if c in pool:
            pool.remove(c)
            hits += 1
    return hits * 4 >= len(s) * 3 and s[0] in initials


def defined_acronyms(gaz: Gazetteer, text: str, toks, hits: list) -> list:
    """Class 2: "the Coordination of Movements of Azawad (CMA)" and the reverse "CNSP
    (National Council for the Safeguard of the Homeland)".

    When a parenthesised acronym follows a mention (or a mention fills the parentheses after
    an acronym) and passes `schwartz_hearst`, the acronym links to that mention's entry there
    and wherever the article writes it afterwards with the same letters and capitals, even
    when the gazetteer spells the acronym otherwise or gives it to another entry: the
    article's own definition is the better witness.
    """
    if "(" not in text:
        return hits
    ends = {m.end: h for h, (_i, _j, m) in enumerate(hits)}
    defs: list[tuple[int, str, str]] = []  # (offset where it starts to apply, short form, entry)
    for pm in _PAREN_RE.finditer(text):
        short = pm.group(1).rstrip(".-")
        if not _short_form_shape(short):
            continue
        h = ends.get(pm.start() - 1 if text[pm.start() - 1:pm.start()] == " " else pm.start())
        if h is None:
            continue
        m = hits[h][2]
        if schwartz_hearst(short, m.text):
            defs.append((pm.start() + 1, short, m.entry_id))
    for m in (hit[2] for hit in hits):
        # reverse: ACR (long form), the mention filling the parentheses
        if text[m.start - 1:m.start] != "(" or text[m.end:m.end + 1] != ")":
            continue
        bm = _BEFORE_PAREN_RE.search(text, max(0, m.start - 20), m.start)
        if bm is None:
            continue
        short = bm.group(1)
        if bm.start() > 0 and text[bm.start() - 1].isalnum():
            continue
        if _short_form_shape(short) and schwartz_hearst(short, m.text):
            defs.append((bm.start(), short, m.entry_id))
    if not defs:
        return hits
    tok_at = {t[0]: k for k, t in enumerate(toks)}
    out = list(hits)
    for at, short, eid in defs:
        sk = [k for _, _, k in words(short)]
        letters = "".join(c for c in short if c.isalnum())
        entry = gaz.entries[eid]
        first = tok_at.get(at)
        if first is None:
            continue
        for k in range(first, len(toks) - len(sk) + 1):
            if toks[k][2] != sk[0] or [t[2] for t in toks[k:k + len(sk)]] != sk:
                continue
            s, e = toks[k][0], toks[k + len(sk) - 1][1]
            if "".join(c for c in text[s:e] if c.isalnum()) != letters:
                continue
            inside = [x for x in out if x[2].start < e and s < x[2].end]
            if any(x[2].start < s or x[2].end > e for x in inside):
                continue  # part of a longer name
            if any(x[2].entry_id == eid and (x[2].start, x[2].end) == (s, e) for x in inside):
                continue
            out = [x for x in out if x not in inside]
            out.append((k, k + len(sk), Mention(s, e, text[s:e], eid, entry.name, 97.0)))
    out.sort(key=lambda x: x[0])
    return out


@lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(k for _, _, k in words(name))



def short_mentions(gaz: Gazetteer, text: str, toks, runs, hits: list) -> list:
    """Class 1: "Assimi Goïta … Goïta said", "Bilal Ag Acherif … Ag Acherif".

    Once a person is named in full (a mention of two or more words), the last words of
    their name ("Goïta", "Ag Acherif") written later with a capital link to them, unless
    two people the article names share those words, the words are already another
    mention, or they sit next to another capitalised word (then they belong to a name we
    do not know: "Moussa Goïta"). A one-word short form that is an ordinary word must not
    start a sentence ("Said" after "Ahmed Said").
    """
    persons = [(i, j, m) for i, j, m in hits if j - i > 1 and gaz.entries[m.entry_id].type == "person"]
    if not persons:
        return hits
    owners: dict[tuple[str, ...], set[str]] = {}
    named_at: dict[str, int] = {}
    for i, j, m in persons:
        named_at.setdefault(m.entry_id, j)
        entry = gaz.entries[m.entry_id]
        forms = {tuple(t[2] for t in toks[i:j]), _name_words(entry.name)}
        for ws in forms:
            for cut in range(1, len(ws)):
                suffix = ws[cut:]
                if all(w in PARTICLES for w in suffix):
                    continue  # never a bare particle
                owners.setdefault(suffix, set()).add(m.entry_id)
    firsts: dict[str, int] = {}  # first word of a short form → its longest length
    for suf in owners:
        if len(suf) > firsts.get(suf[0], 0):
            firsts[suf[0]] = len(suf)
    covered = bytearray(len(toks))
    for i, j, _m in hits:
        covered[i:j] = b"\x01" * (j - i)
    common = common_words()
    n = len(toks)
    out = list(hits)
    k = 0
    while k < n:
        key = toks[k][2]
        if key not in firsts or covered[k]:
            k += 1
            continue
        found = None
        for length in range(min(firsts[key], n - k), 0, -1):
            suffix = tuple(t[2] for t in toks[k:k + length])
            ids = owners.get(suffix)
            if not ids or len(ids) > 1 or any(covered[k:k + length]) or runs[k] != runs[k + length - 1]:
                continue
            (eid,) = ids
            if named_at[eid] > k:
                continue
            found = (length, eid)
            break
        if found is None:
            k += 1
            continue
        length, eid = found
        s, e = toks[k][0], toks[k + length - 1][1]
        sig = [t for t in toks[k:k + length] if t[2] not in PARTICLES]
        ok = all(text[t[0]].isupper() for t in sig)
        if ok and length == 1 and key in common and at_sentence_start(text, s):
            ok = False
        for other in (k - 1, k + length):
            if ok and 0 <= other < n and not covered[other] and runs[other] == runs[k]:
                a, b, okey = toks[other]
                gap = text[b:s] if other < k else text[e:a]
                if gap != " " or not text[a].isupper() or okey in PARTICLES:
                    continue
                if other < k and okey not in TITLES and not (okey in OPENERS and at_sentence_start(text, a)):
                    ok = False  # "Moussa Goita" is someone else
                if other > k and okey not in common:
                    ok = False  # nor is "Goita Koulibaly"
        if ok:
            entry = gaz.entries[eid]
            out.append((k, k + length, Mention(s, e, text[s:e], eid, entry.name, 96.0)))
            covered[k:k + length] = b"\x01" * length
        k += length
    out.sort(key=lambda x: x[0])
    return out

