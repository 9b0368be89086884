"""Unknown names (class 8 of issue 16): capitalised multi-word names that look like a group
or a person but are in no entry ("Katiba Ansar al-Sunna", "the Mujahideen of Liptako").

A candidate is a run of capitalised words in one sentence, joined only by spaces, hyphens
or apostrophes and by the small words names contain ("of", "al", "ag", "de"…), with at
least two capitalised words, and a cue:
- a group word anywhere in it ("Katiba", "Brigade", "Mujahideen", "Front", "Ansar"…);
- or, for a person, a name particle between capitalised words ("Ag", "Ould", "ibn",
  "Abu … al-"), or a title just before it ("Colonel", "Imam", "President").
It must not be a known mention, nor lie inside one; it may contain one ("Liptako" in "the
Mujahideen of Liptako"). A sentence's first word is dropped when it is an ordinary word.
"""

from __future__ import annotations

from reader.matching.index import common_words
from reader.matching.spans import at_sentence_start
from reader.matching.types import Candidate

GROUP_WORDS = frozenset({
    "katiba", "katibat", "brigade", "brigades", "battalion", "mujahideen", "mujahidin", "front",
    "movement", "movements", "mouvement", "coordination", "group", "groupe", "ansar", "ansaru",
    "jamaat", "jamaa", "militia", "militias", "milice", "alliance", "coalition", "army", "armee",
    "forces", "council", "conseil", "committee", "comite", "platform", "plateforme", "union",
    "rassemblement", "association", "brotherhood", "jihad", "wilayat", "sariya", "markaz",
    "self", "defence", "defense", "dozo", "dozos", "hunters", "guard", "garde", "legion",
    "rally", "league", "ligue", "organisation", "organization", "party", "parti",
})
PERSON_PARTICLES = frozenset({"ag", "ould", "ibn", "bin", "ben", "abu", "oult", "walet"})
TITLES = frozenset({
    "colonel", "col", "general", "gen", "captain", "capt", "commander", "lieutenant", "lt",
    "major", "sergeant", "imam", "sheikh", "cheikh", "emir", "president", "minister", "mr",
    "mrs", "ms", "dr", "chief", "governor", "mayor", "marabout", "capitaine", "commandant",
    "ministre", "monsieur", "madame", "m", "mme", "amir",
})
JOINERS = frozenset({"of", "the", "al", "el", "ed", "ad", "ag", "ould", "ibn", "bin", "ben",
                     "abu", "de", "du", "des", "la", "le", "d", "l", "wal", "fi", "for", "in",
                     "an", "ash", "as", "ar", "at", "az", "ul", "oult", "walet"})
_GAPS = frozenset({" ", "-", "'", "\u2019", "\u2010", "\u2011", " -", "- "})
# Capitalised words that are never part of a name: months, days, articles.
NOT_NAMES = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "a", "an", "un", "une", "i",
})


def unknown_names(text: str, toks, runs, hits: list) -> list[Candidate]:
    """Candidates in `text` (see the module docstring); `hits` are the known mentions."""
    n = len(toks)
    covered = bytearray(n)
    spans = set()
    for i, j, _m in hits:
        covered[i:j] = b"\x01" * (j - i)
        spans.add((i, j))
    common = common_words()
    out: list[Candidate] = []
    k = 0
    while k < n:
        s, _e, key = toks[k]
        if not text[s].isupper():
            k += 1
            continue
        # grow a run of capitalised words and joiners
        j = k + 1
        last_cap = k
        if key in NOT_NAMES:
            k += 1
            continue
        while j < n and runs[j] == runs[k] and text[toks[j - 1][1]:toks[j][0]] in _GAPS:
            word = toks[j]
            if word[2] in NOT_NAMES:
                break
            if text[word[0]].isupper() and word[2] not in JOINERS:
                last_cap = j
            elif word[2] not in JOINERS:
                break
            j += 1
        end = last_cap + 1
        start = k
        # a sentence-initial ordinary word ("The", "Yesterday") is not part of the name
        while start < end and (toks[start][2] in common and toks[start][2] not in GROUP_WORDS
                               and toks[start][2] not in PERSON_PARTICLES
                               and (start == 0 or at_sentence_start(text, toks[start][0])
                                    or toks[start][2] in ("the", "la", "le", "les"))):
            start += 1
        while start < end and toks[start][2] in JOINERS and toks[start][2] not in PERSON_PARTICLES:
            start += 1
        title = ""
        if start > 0 and toks[start - 1][2] in TITLES and text[toks[start - 1][1]:toks[start][0]] in (" ", ". "):
            title = toks[start - 1][2]
        while end - start >= 3 and toks[start][2] in TITLES:
            title = toks[start][2]  # "Colonel Moussa Diarra": the titles are not the name
            start += 1
        cand = _judge(text, toks, start, end, covered, spans, title, common)
        if cand is not None:
            out.append(cand)
        k = max(j, k + 1)
    return out



def _judge(text, toks, start, end, covered, spans, title, common) -> Candidate | None:
    # a name of its own before a known one ends there: "Sidi Ould Sidati of the Arab
    # Movement of Azawad" is a person of a known group
    first_known = next((k for k in range(start, end) if covered[k]), end)
    if first_known < end and sum(text[t[0]].isupper() for t in toks[start:first_known]) >= 2:
        end = first_known
        while end > start and toks[end - 1][2] in JOINERS:
            end -= 1
    caps = [t for t in toks[start:end] if text[t[0]].isupper()]
    if len(caps) < 2 or (start, end) in spans:
        return None
    if all(covered[start:end]) or covered[start]:
        return None  # a known name, inside one, or one with a qualifier ("Goïta of Mali")
    # what is left around known names must look like a name itself: "the Mujahideen of
    # Liptako" does, "Fighters of the MNLA" does not
    free = [t for k, t in enumerate(toks[start:end], start) if not covered[k] and text[t[0]].isupper()]
    if any(covered[start:end]) and not any(t[2] in GROUP_WORDS or t[2] not in common for t in free):
        return None
    if all(text[t[0]:t[1]].isupper() and t[1] - t[0] > 1 for t in caps):
        return None  # a heading or a run of acronyms
    keys = [t[2] for t in toks[start:end]]
    s, e = toks[start][0], toks[end - 1][1]
    for w in keys:
        if w in GROUP_WORDS:
            return Candidate(s, e, text[s:e], "group", w)
    inner = keys[1:-1]
    for w in inner:
        if w in PERSON_PARTICLES:
            return Candidate(s, e, text[s:e], "person", w)
    if keys[0] in ("abu",) and len(keys) >= 2:
        return Candidate(s, e, text[s:e], "person", "abu")
    if title and all(text[t[0]].isupper() or t[2] in JOINERS for t in toks[start:end]):
        return Candidate(s, e, text[s:e], "person", title)
    return None
