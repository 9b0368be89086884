"""NER spans against the gazetteer: gazetteer mentions win, the rest are linked or candidates.

Rules (issue 17), in order, for each span the statistical model proposes (plus words in
capitals nobody marked, see `acronym_spans`):

0. labels: PERSON/PER, ORG, GPE/LOC/FAC are kept; MISC and NORP only when the span is
   several capitalised words shaped like a name (`_name_like`); the rest are dropped;
1. a span overlapping a gazetteer mention is dropped (the gazetteer always wins), unless
   the mention sits at its edge joined by a possessive or a slash: then the part beside it
   is taken on its own (`beside_known`);
2. its edges are trimmed of what is not the name: a leading article ("the", "l'"), a title
   ("President", "le colonel"), a common noun and particle ("caserne de"), a possessive,
   quotes and punctuation;
3. classes that are not names are dropped (see `reject_reason`): lower-case phrases (not a
   French body's lower-case head), demonyms, dates and numbers, one ordinary word (a
   sentence's first word, a generic noun);
4. a span that matches a gazetteer name or alias under the matcher's own keys (exactly,
   space-free, or within the matcher's edit budget) is **linked** to that entry;
5. the rest become **candidates**, typed from the model's label (person, org, place) or
   "group" when the name carries a group word (katiba, brigade, front, mouvement…).

Candidates of one article that share a key are one candidate (one type, by vote); its other
occurrences in the article (the same words capitalised, or a person's surname alone) are
marked too, as the matcher does for known names.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from reader.gazetteer.keys import words
from reader.gazetteer.model import Gazetteer
from reader.matcher import Mention
from reader.matching.index import PARTICLES, common_words, edit_budget, index_for
from reader.ner.lang import STOP_WORDS, detect_language
from reader.ner.pipeline import NerSpan
from reader.ner.types import Candidate

LABEL_TYPES = {"PERSON": "person", "PER": "person", "ORG": "org", "GPE": "place", "LOC": "place",
               "FAC": "place"}
# Words that make a name a group's (folded). "front" and "movement" name political fronts too,
# but in this field they are mostly armed ones; the reader can retype a candidate.
GROUP_WORDS = frozenset({
    "katiba", "katibat", "brigade", "brigades", "battalion", "front", "mouvement", "movement",
    "groupe", "group", "ansar", "ansaru", "jamaat", "jama", "jamaa", "mujahideen", "mujahidin",
    "moudjahidine", "milice", "militia", "wilayat", "wilaya", "sariya", "coordination",
    "alliance", "coalition", "rassemblement", "jihad", "daech", "daesh", "etat islamique",
    "islamic state", "dozo", "dan na ambassagou",
})
_GROUP_SINGLE = frozenset(w for w in GROUP_WORDS if " " not in w)
_GROUP_MULTI = tuple(w for w in GROUP_WORDS if " " in w)
# Words that stand before a name without being part of it (folded).
TITLES = frozenset("""
president presidente general gen colonel col captain capt capitaine commandant commander
lieutenant lt major sergeant sergent adjudant marechal imam sheikh cheikh emir amir minister
ministre premier prime mr mrs ms dr mme m monsieur madame professor professeur chief chef
governor gouverneur mayor maire prefet prefect junta leader spokesman porte parole
""".split())
ARTICLES = frozenset({"the", "le", "la", "les", "l", "un", "une", "a", "an"})
MONTHS_DAYS = frozenset("""
january february march april may june july august september october november december
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
monday tuesday wednesday thursday friday saturday sunday
lundi mardi mercredi jeudi vendredi samedi dimanche
""".split())
# Endings that turn a place name into its people or adjective: Mali → Malian, Maliens;
# Niger → Nigerien; Burkina → Burkinabe; Sénégal → Sénégalais; Tchad → Tchadien.
DEMONYM_ENDINGS = ("an", "ian", "ians", "ans", "ien", "iens", "ienne", "iennes", "en", "ens",
                   "ese", "ais", "aise", "aises", "ois", "oise", "be", "bes", "i", "is", "ite",
                   "ites", "ic", "e", "es", "n", "ns")
# French bodies are written with a lower-case head noun ("ministère de la Sécurité",
# "direction générale de la Police"): with a capitalised word after it, such a span is a name.
INSTITUTION_HEADS = frozenset("""
ministere ministeres direction commission conseil cour tribunal agence assemblee office
gouvernement haut haute garde gendarmerie police armee forces etat major comite ecole
universite parti banque mission union prefecture gouvernorat mairie
""".split())
# Labels other than LABEL_TYPES kept when the span looks like a proper name of several words
# (every word capitalised): the French pipeline puts people and bodies under MISC, the
# English one some organisations under NORP ("Sahel Media Initiative").
NAME_LIKE_LABELS = {"MISC": "org", "NORP": "org"}
# Words after a name that say nothing about it being a modifier ("Omar said", "Africa since").
FUNCTION_WORDS = STOP_WORDS["en"] | STOP_WORDS["fr"] | frozenset("""
in on at as since until during before because or nor so yet if then says told added
de en à a y ou où mais donc depuis pendant avant après a dit déclaré selon
""".split())
_ACRONYM_RE = re.compile(r"(?<![\w'’-])[A-Z]{3,6}(?![\w'’-])")
_NEXT_WORD_RE = re.compile(r" (\w[\w'’-]*)")
# How adjectives of peoples and places end ("West African", "Sahelian", "Congolese",
# "Nigérians", "Sénégalais"): such a last word makes a NORP/MISC span a description.
_ADJECTIVE_ENDINGS = ("an", "ans", "ian", "ians", "ese", "ais", "aise", "aises", "ois", "oise",
                      "ien", "iens", "ienne", "iennes", "ic", "ist", "ists")
_ROMAN = frozenset("ii iii iv vi vii viii ix xi xii xiii xiv xv xx".split())
_EDGE_PUNCT = "\"'«»“”‘’()[]{},.;:!?-–—/ \t\n\u00a0"


@dataclass(frozen=True)
class NerResult:
    """What NER adds to an article: spans linked to entries, and candidates (in order)."""

    links: list[Mention] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def merge(text: str, mentions: list[Mention], spans: list[NerSpan], gazetteer: Gazetteer,
          *, taken: list[tuple[int, int]] = (), lang: str | None = None) -> NerResult:
    """Apply the module's rules to the NER `spans` of `text`; `mentions` are the gazetteer's;
    `lang` is the text's language ('en', 'fr'; detected when None).

    `taken` are other spans already claimed (e.g. the matcher's own candidates): NER spans
    overlapping them are dropped too, so one name is never offered twice."""
    occupied = _SpanSet([(m.start, m.end) for m in mentions] + list(taken))
    linker = _linker_for(gazetteer)
    links: list[Mention] = []
    found: list[tuple[int, int, str, str]] = []  # start, end, type, cue
    spans = list(spans) + acronym_spans(text, spans, occupied)
    for span in spans:
        typ = LABEL_TYPES.get(span.label)
        if typ is None:
            typ = NAME_LIKE_LABELS.get(span.label)
            if typ is None or not _name_like(text, span.start, span.end, gazetteer):
                continue  # demonyms and communities (NORP), DATE, CARDINAL, MISC that is not a name…
        start, end = span.start, span.end
        if _overlaps_any(start, end, occupied):
            rest = beside_known(text, start, end, occupied)
            if rest is None:
                continue
            start, end = rest
        trimmed = trim(text, start, end)
        if trimmed is None:
            continue
        s, e = trimmed
        if lang is None:
            lang = detect_language(text)
        if _overlaps_any(s, e, occupied) or reject_reason(text, s, e, gazetteer, lang=lang) is not None:
            continue
        link = linker.link(text, s, e, typ)
        if link is not None:
            links.append(link)
            continue
        found.append((s, e, group_type(text[s:e]) or typ, span.label))
    links.sort(key=lambda m: m.start)
    blocked = sorted([*occupied, *((m.start, m.end) for m in links)])
    return NerResult(links, _unify(text, found, blocked))


def beside_known(text: str, start: int, end: int, occupied: _SpanSet) -> tuple[int, int] | None:
    """The part of a span beside a gazetteer mention at one of its edges, when the two are
    joined by a possessive or a slash ("Mali’s Sahel Reconciliation Office", a photo credit
    "Hamidou Sarr/Niger"): that part is a name of its own. None otherwise (a known name
    inside a longer one, "Gao Region Council", stays the gazetteer's)."""
    inside = occupied.overlapping(start, end)
    if len(inside) != 1:
        return None
    ms, me = inside[0]
    ms, me = max(ms, start), min(me, end)
    if not text[start:ms].strip(_EDGE_PUNCT) and text[me:end].strip(_EDGE_PUNCT):  # "Mali’s …"
        gap = text[me:end]
        for joint in ("'s ", "’s ", "ʼs ", "/", " / "):
            if gap.startswith(joint):
                return me + len(joint), end
        return None
    if not text[me:end].strip(_EDGE_PUNCT) and text[start:ms].strip(_EDGE_PUNCT):  # "… /Reuters"
        gap = text[start:ms]
        if gap.endswith("/") or gap.endswith(" / "):
            return start, ms - (3 if gap.endswith(" / ") else 1)
    return None


def acronym_spans(text: str, spans: list[NerSpan], occupied: _SpanSet) -> list[NerSpan]:
    """Words written in capitals (3–6 letters, "OIC", "BAF") that neither the model nor the
    gazetteer marked, outside headings set in capitals: bodies and units, as ORG spans.
    Roman numerals and ordinary words that happen to be capitalised are left out."""
    taken = _SpanSet([*occupied, *((s.start, s.end) for s in spans)])
    common = common_words()
    out = []
    for m in _ACRONYM_RE.finditer(text):
        s, e = m.span()
        key = m.group().lower()
        if key in _ROMAN or key in common or _overlaps_any(s, e, taken) or _caps_line(text, s):
            continue
        out.append(NerSpan(s, e, "ORG"))
    return out


def _caps_line(text: str, pos: int) -> bool:
    """The line around `pos` is mostly capitals (a heading, a shouted slogan)."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    line = text[a:len(text) if b < 0 else b]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _name_like(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Two or more words, each capitalised (particles aside), the last not a demonym: a
    proper name whatever label the model gave it ("Idrissa Sangaré", "Sahel Media Initiative")."""
    surface = text[start:end]
    toks = [(a, k) for a, _, k in words(surface) if k]
    named = [(a, k) for a, k in toks if k not in PARTICLES]
    if len(named) < 2 or len(toks) > 6:
        return False
    if not all(surface[a].isupper() for a, _ in named):
        return False
    last = named[-1][1]
    return not _is_demonym(last, gazetteer) and not last.endswith(_ADJECTIVE_ENDINGS)


# -- trimming ---------------------------------------------------------------------------------
def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without leading articles and titles, possessives and edge punctuation; None
    when nothing (or a line break inside it) is left of a name."""
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    if end - start >= 2 and text[end - 2] in "'’ʼ" and text[end - 1] in "sS":
        end -= 2
    if "\n" in text[start:end]:
        start_line = text.rfind("\n", start, end)
        first = text.find("\n", start, end)
        # keep the longer piece (a heading run into a sentence is never one name)
        if first - start >= end - start_line - 1:
            end = first
        else:
            start = start_line + 1
    toks = [t for t in words(text[start:end]) if t[2]]
    k = 0
    while k < len(toks) - 1 and (toks[k][2] in ARTICLES or toks[k][2] in TITLES):
        k += 1
    if k:
        start += toks[k][0]
        toks = [(a - toks[k][0], b - toks[k][0], key) for a, b, key in toks[k:]]
    if toks and text[start].islower() and toks[0][2] not in INSTITUTION_HEADS:
        # "caserne de Molodo", "camp of Tessit": a common noun and a particle before the name
        for i in range(1, len(toks)):
            if text[start + toks[i][0]].isupper() and toks[i - 1][2] in PARTICLES:
                start += toks[i][0]
                break
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    if end - start < 2:
        return None
    return start, end


# -- classes that are not names ---------------------------------------------------------------
def reject_reason(text: str, start: int, end: int, gazetteer: Gazetteer, *, lang: str | None = None) -> str | None:
    """Why the span is not a name to propose, or None. Classes, never instances:

    - "lower-case": the span does not start with a capital (a description, not a name);
    - "date": it contains a number, a month or a weekday;
    - "demonym": one word that is a known place's name plus a people/adjective ending
      (Malian, Nigériens, Burkinabè, Sénégalais);
    - "ordinary word": one word that is an ordinary English/French word ("Mission",
      "Junta", a sentence's first word), unless written as an acronym or, in English, used
      as a name (see `_used_as_word`). French capitalises institutions and peoples inside a
      sentence ("l'État", "la Transition", "les Occidentaux"), so there a capital on a
      common word is no sign of a name;
    - "title": it is only a title ("President", "Colonel").
    """
    surface = text[start:end]
    toks = [t for t in words(surface) if t[2]]
    if not toks:
        return "lower-case"
    if not surface[:1].isupper() and not (
            toks[0][2] in INSTITUTION_HEADS and any(surface[a].isupper() for a, _, _ in toks[1:])):
        return "lower-case"
    keys = [k for _, _, k in toks]
    if any(k.isdigit() or k in MONTHS_DAYS for k in keys) or any(c.isdigit() for c in surface):
        return "date"
    if all(k in TITLES or k in ARTICLES for k in keys):
        return "title"
    if len(keys) >= 2 and _is_demonym(keys[-1], gazetteer):
        return "description"  # "État malien", "Northern Malian": a noun qualified, not a name
    if _in_headline(text, start) and all(k in common_words() or k in PARTICLES for k in keys):
        return "headline words"
    if len(keys) == 1:
        key = keys[0]
        word = surface[toks[0][0]:toks[0][1]]
        if _is_demonym(key, gazetteer):
            return "demonym"
        if key in common_words() and not (word.isupper() and len(word) >= 2):
            if lang is None:
                lang = detect_language(text)
            if lang != "en" or _used_as_word(text, word):
                return "ordinary word"
    return None


def _used_as_word(text: str, word: str) -> bool:
    """A capitalised common word is an ordinary word when the text also writes it in lower
    case ("Mission" / "mission"), only ever at the start of a sentence, or only ever as a
    modifier of the lower-case word after it ("Tuareg rebels", "Transition malienne"); a
    frequency list alone would reject "Africa", "Telegram" or "Omar"."""
    lower = word.lower()
    if re.search(r"(?<!\w)" + re.escape(lower) + r"(?!\w)", text):
        return True
    inside = modifier = 0
    for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text):
        before = text[max(0, m.start() - 3):m.start()].rstrip(" \"'«“‘(")
        if not before or before[-1] in ".!?:\n":
            continue  # a sentence's first word tells nothing
        inside += 1
        after = _NEXT_WORD_RE.match(text, m.end())
        if after and after.group(1)[0].islower() and after.group(1).lower() not in FUNCTION_WORDS:
            modifier += 1
    return inside == 0 or modifier == inside


def _in_headline(text: str, pos: int) -> bool:
    """The line around `pos` is set in title case (a headline: "Africa Corps Will Stay"),
    where a statistical model takes ordinary capitalised words for a name."""
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    b = len(text) if b < 0 else b
    if b - a > 200:
        return False  # a paragraph, not a headline
    line = text[a:b]
    toks = [(s, k) for s, _, k in words(line) if k and k not in PARTICLES and k not in ARTICLES]
    if len(toks) < 4:
        return False
    caps = sum(1 for s, _ in toks if line[s].isupper())
    return caps >= 0.75 * len(toks)


def _is_demonym(key: str, gazetteer: Gazetteer) -> bool:
    """A known place's name (or it less a final vowel: Kenya → Kenyan, Guinée → Guinéen)
    plus a people/adjective ending."""
    places = _linker_for(gazetteer).places
    if key in places:
        return False
    for ending in DEMONYM_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 3:
            stem = key[:-len(ending)]
            if stem in places or any(stem + v in places for v in "aeiy"):
                return True
    return False


def group_type(surface: str) -> str | None:
    """'group' when the name carries a group word ("Katiba Macina", "Front de libération")."""
    keys = [k for _, _, k in words(surface) if k]
    if any(k in _GROUP_SINGLE for k in keys):
        return "group"
    joined = " " + " ".join(keys) + " "
    if any(f" {w} " in joined for w in _GROUP_MULTI):
        return "group"
    return None


# -- linking ----------------------------------------------------------------------------------
_LINKERS: "weakref.WeakKeyDictionary[Gazetteer, _Linker]" = weakref.WeakKeyDictionary()


def _linker_for(gazetteer: Gazetteer) -> "_Linker":
    got = _LINKERS.get(gazetteer)
    if got is None:
        got = _LINKERS[gazetteer] = _Linker(gazetteer)
    return got


class _Linker:
    """A span → entry under the matcher's keys: exact, space-free, or within its edit budget."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.index = index_for(gazetteer)
        # fuzzy candidates by first letter and word count (names a span may be a misspelling of)
        self.by_start: dict[tuple[str, int], list] = {}
        for nm in self.index.names:
            if not nm.acronym and nm.compact and edit_budget(len(nm.compact)) > 0:
                self.by_start.setdefault((nm.compact[0], len(nm.words)), []).append(nm)
        # one-word place names, for demonyms (Mali → Malian)
        places = set()
        for entry in gazetteer:
            if entry.type == "place":
                for name in (entry.name, *entry.aliases):
                    ws = [k for _, _, k in words(name) if k]
                    if len(ws) == 1 and len(ws[0]) >= 4:
                        places.add(ws[0])
        self.places = frozenset(places)

    def link(self, text: str, start: int, end: int, typ: str) -> Mention | None:
        surface = text[start:end]
        toks = [t for t in words(surface) if t[2]]
        key = " ".join(k for _, _, k in toks)
        if not key:
            return None
        ix = self.index
        letters = "".join(c for c in surface if c.isalnum())
        for names, score in ((ix.exact.get(key, ()), 1.0), (ix.compact.get(key.replace(" ", ""), ()), 0.99)):
            for nm in names:
                if nm.acronym and letters != nm.acronym:
                    continue  # acronyms only with the same capitals, as in the matcher
                return Mention(start, end, surface, nm.entries[0], nm.alias, score, tuple(nm.entries[1:]))
        compact = key.replace(" ", "")
        budget = edit_budget(len(compact))
        if budget == 0 or (len(toks) == 1 and key in common_words()):
            return None
        best = None
        for nm in self.by_start.get((compact[0], len(toks)), ()):
            if abs(len(nm.compact) - len(compact)) > budget:
                continue
            d = OSA.distance(compact, nm.compact, score_cutoff=budget)
            if d <= budget and (best is None or d < best[0]):
                best = (d, nm)
        if best is None:
            return None
        d, nm = best
        return Mention(start, end, surface, nm.entries[0], nm.alias, round(1 - d / max(len(compact), 1), 3),
                       tuple(nm.entries[1:]))


# -- one candidate per key ----------------------------------------------------------------------
def _unify(text: str, found: list[tuple[int, int, str, str]], blocked: list[tuple[int, int]]) -> list[Candidate]:
    """Occurrences sharing a key become one candidate (type by vote, a group word wins), and
    the candidate's other occurrences in the text are marked."""
    by_key: dict[str, list[tuple[int, int, str, str]]] = {}
    for s, e, typ, cue in found:
        by_key.setdefault(_key(text[s:e]), []).append((s, e, typ, cue))
    kinds: dict[str, str] = {}
    for key, occ in by_key.items():
        types = Counter(t for _, _, t, _ in occ)
        kinds[key] = "group" if "group" in types else types.most_common(1)[0][0]
    taken = _SpanSet(blocked + [(s, e) for s, e, _, _ in found])
    out = [Candidate(s, e, text[s:e], kinds[_key(text[s:e])], cue, "ner", _key(text[s:e]))
           for s, e, _, cue in found]
    # other occurrences: the same words (capitalised), or a person's surname alone
    wanted: dict[str, str] = {k: k for k in by_key}
    common = common_words()
    for key in by_key:
        if kinds[key] != "person":
            continue
        last = key.split()[-1]
        if len(key.split()) >= 2 and len(last) >= 4 and last not in common and last not in PARTICLES:
            wanted.setdefault(last, key)
    if wanted:
        toks = words(text)
        longest = max(len(k.split()) for k in wanted)
        i = 0
        while i < len(toks):
            hit = None
            for n in range(min(longest, len(toks) - i), 0, -1):
                seg = toks[i:i + n]
                key = " ".join(t[2] for t in seg)
                if key in wanted and text[seg[0][0]].isupper() and _joined(text, seg):
                    hit = (seg[0][0], seg[-1][1], wanted[key])
                    break
            if hit is None:
                i += 1
                continue
            s, e, owner = hit
            if not _overlaps_any(s, e, taken):
                out.append(Candidate(s, e, text[s:e], kinds[owner], "repeat", "ner", owner))
                taken.add(s, e)
            i += n
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _joined(text: str, seg) -> bool:
    """The words of a multi-word hit are separated by spaces or hyphens only (one line)."""
    return all(text[a[1]:b[0]] in (" ", "-", "'", "’") for a, b in zip(seg, seg[1:]))


def _key(surface: str) -> str:
    return " ".join(k for _, _, k in words(surface) if k)


class _SpanSet:
    """Spans (start, end) kept sorted, for "which of them overlap this one" in logarithmic
    time: a long article has thousands of mentions and thousands of model spans, and testing
    every pair took minutes (a 170,000-word article held its NER worker for over ten)."""

    def __init__(self, spans=()) -> None:
        self._spans = sorted(spans)
        self._starts = [s for s, _ in self._spans]
        self._longest = max((e - s for s, e in self._spans), default=0)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._spans, (start, end))
        self._spans.insert(i, (start, end))
        self._starts.insert(i, start)
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self._starts, end)  # spans from i on start at or after `end`
        out = []
        while i > 0 and self._starts[i - 1] > start - self._longest - 1:
            i -= 1
            s, e = self._spans[i]
            if s < end and start < e:
                out.append((s, e))
        out.reverse()
        return out

    def __iter__(self):
        return iter(self._spans)


def _overlaps_any(start: int, end: int, spans: _SpanSet) -> bool:
    return bool(spans.overlapping(start, end))



def propose(text: str, mentions: list[Mention], gazetteer: Gazetteer, lang: str | None = None,
            *, taken: list[tuple[int, int]] = ()) -> NerResult:
    """Run the model on `text` (language detected unless given) and merge: what `annotate
    --candidates` prints. Raises `reader.ner.pipeline.NerUnavailable` without the extra;
    a text in a language with no pipeline gets nothing."""
    from reader.ner import available, pipeline_module, unavailable_reason
    from reader.ner.lang import detect_language
    from reader.ner.pipeline import NerUnavailable, entities

    if not available():
        raise NerUnavailable(unavailable_reason())
    lang = detect_language(text) if lang is None else lang
    if not lang or pipeline_module(lang) is None:
        return NerResult()
    return merge(text, mentions, entities(text, lang), gazetteer, taken=taken, lang=lang)
