"""The matcher's index over a gazetteer: exact keys, space-free keys and fuzzy anchors.

Built once per `Gazetteer` object (gazetteers are immutable; user additions make a new
one) and kept in a weak cache, so every `Matcher` over the same gazetteer shares it.
"""

from __future__ import annotations

import gc
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reader.gazetteer.keys import words
from reader.gazetteer.model import Gazetteer
from reader.matching.translit import translit_word

COMMON_WORDS_FILE = Path(__file__).resolve().parents[1] / "gazetteer" / "common_words.txt"
PARTICLES = frozenset({"al", "el", "ag", "ould", "ben", "bin", "ibn", "abu", "wal", "ul",
                       "of", "the", "in", "de", "du", "des", "la", "le", "les", "et", "and",
                       "for", "d", "l", "n", "ad", "as", "an", "ash", "at", "az", "ar"})
POSSESSIVE_RE = re.compile(r"\w['\u2019\u02bc][sS]\b")
MAX_WORDS = 10  # longest name considered, in words
# Names that `words` would cut at spaces and hyphens only (see the fast path in Index):
# no word ending in "s" after a capital or digit, which could be an acronym plural.
_PLAIN_RE = re.compile(r"(?:[A-Za-z0-9]+(?<![A-Z0-9]s)[ -])*[A-Za-z0-9]+(?<![A-Z0-9]s)")
ANCHOR_MAX_FREQ = 20  # a second fuzzy anchor only for words in at most this many names


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    try:
        lines = COMMON_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w and not w.startswith("#"))


def edit_budget(length: int) -> int:
    """Edits allowed for a name of `length` letters (space-free folded form)."""
    return 0 if length <= 4 else 1 if length <= 8 else 2


@dataclass(slots=True)
class Name:
    """One surface form: the entries it names, in priority order."""

    key: str
    compact: str
    words: tuple[str, ...]
    alias: str
    entries: list[str]
    acronym: str  # letters/digits as written, for exact-capitals matching; "" if not an acronym
    needs_capital: bool
    capitalised: int  # bit i set: word i is written with a capital in the gazetteer
    named: int = 0  # how many of `entries` have this surface as their canonical name
    possessive: bool = False  # the name itself contains "'s" ("People's ...")


def acronym(alias: str) -> str:
    if not alias.isupper() or " " in alias.strip():
        return ""
    letters = [c for c in alias if c.isalnum()]
    if sum(c.isalpha() for c in letters) >= 2 and not any(c.islower() for c in letters) \
            and not any(c.isspace() for c in alias.strip()):
        return "".join(letters)
    return ""


class Index:
    """Built in one pass over the entries, then one over the names; written for speed (a
    20,000-entry gazetteer must build in well under half a second), so loops are flat and
    the dictionaries are filled as the names are created."""

    def __init__(self, gaz: Gazetteer):
        # The build makes a few hundred thousand small objects and no reference cycles: the
        # cyclic collector would rescan the growing heap many times over for nothing.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(gaz)
        finally:
            if was_enabled:
                gc.enable()

    def _build(self, gaz: Gazetteer) -> None:
        common = common_words()
        names: list[Name] = []
        self.names = names
        by_surface: dict[tuple[str, str], Name] = {}
        exact: dict[str, list[Name]] = {}
        compact: dict[str, list[Name]] = {}
        prefixes: set[str] = set()
        word_freq: dict[str, int] = {}
        translit: dict[str, list[Name]] = {}
        tprefixes: set[str] = set()
        tstarts: set[str] = set()
        tstarts_lower: set[str] = set()
        split_prefixes: set[str] = set()
        starts: set[str] = set()
        tword = translit_word
        max_words = 1
        for entry in gaz:
            seen: set[str] = set()
            for n_surface, s in enumerate([entry.name, *entry.aliases]):
                if s.isascii() and _PLAIN_RE.fullmatch(s):
                    # fast path, same words as `words(s)`: ASCII words between single
                    # spaces or hyphens, no apostrophe, no acronym plural ("VDPs")
                    raw = s.replace("-", " ").split(" ")
                    ws = tuple([w.lower() for w in raw])
                    parts = None
                else:
                    parts = words(s)
                    ws = tuple([k for _, _, k in parts if k])
                key = " ".join(ws)
                if not key or key in seen:
                    continue
                seen.add(key)
                acro = acronym(s) if s.isupper() else ""
                slot = (key, acro)
                name = by_surface.get(slot)
                if name is None:
                    if parts is None:
                        caps = (1 if s[0].isupper() else 0) if len(raw) == 1 else \
                            sum([1 << i for i, w in enumerate(raw) if w[0].isupper()])
                    else:
                        caps = sum(1 << i for i, (a, _, _k) in enumerate([p for p in parts if p[2]])
                                   if s[a].isupper())
                    flat = "".join(ws)
                    possessive = ("'" in s or "\u2019" in s or "\u02bc" in s) and bool(POSSESSIVE_RE.search(s))
                    name = Name(key, flat, ws, s, [], acro, len(ws) == 1 and key in common, caps, 0, possessive)
                    by_surface[slot] = name
                    names.append(name)
                    # exact and space-free keys, and the word prefixes that lead to them
                    if key in exact:
                        exact[key].append(name)
                    else:
                        exact[key] = [name]
                    if flat in compact:
                        compact[flat].append(name)
                    else:
                        compact[flat] = [name]
                    nw = len(ws)
                    starts.add(ws[0])
                    if nw > 1:
                        if nw > max_words:
                            max_words = nw
                        for i in range(1, nw):
                            prefixes.add(" ".join(ws[:i]))
                        for w in set(ws):
                            word_freq[w] = word_freq.get(w, 0) + 1
                    else:
                        word_freq[key] = word_freq.get(key, 0) + 1
                        # first parts of one-word names, for text that splits them ("Al Qaida")
                        split_prefixes.update([flat[:p] for p in range(1, len(flat) - 1)])
                    # Transliteration-folded keys (class 5: "Kulikoro", "Wahiguya", "Ansar
                    # ed-Dine"): names of 4+ letters that are not acronyms.
                    if not acro and len(flat) >= 4:
                        tk = " ".join([tword(w) for w in ws])
                        if tk in translit:
                            translit[tk].append(name)
                        else:
                            translit[tk] = [name]
                        tw = tk.split(" ")  # (a glued article makes two words: "Eddine")
                        tstarts.add(tw[0])
                        if not caps & 1 or ws[0][0].isdigit():  # "lac Tchad", "2021 Malian coup"
                            tstarts_lower.add(ws[0])  # as written: such words are not respelled
                        for i in range(1, len(tw)):
                            tprefixes.add(" ".join(tw[:i]))
                if n_surface == 0:
                    # an entry named by this surface outranks those having it as an alias
                    name.entries.insert(name.named, entry.id)
                    name.named += 1
                else:
                    name.entries.append(entry.id)
        self.exact, self.compact, self.prefixes = exact, compact, prefixes
        self.split_prefixes = split_prefixes
        # words a name can start with, in any of the forms above: most words are not
        starts |= compact.keys()
        starts |= split_prefixes
        self.starts = starts
        self.max_words = min(MAX_WORDS, max_words)
        self.translit, self.tprefixes, self.tstarts = translit, tprefixes, tstarts
        self.tstarts_lower = tstarts_lower
        # Fuzzy index: each non-acronym name under its two rarest words.
        self.anchors: dict[str, list[tuple[int, int]]] = {}
        anchors = self.anchors
        self.deletes: dict[str, str | tuple[str, ...]] = {}
        add_deletes = self._add_deletes
        for idx, n in enumerate(names):
            if n.acronym or len(n.compact) <= 4:  # edit_budget(...) == 0
                continue
            nws = n.words
            if len(nws) == 1:
                chosen = (0,)
            else:
                caps = n.capitalised
                ranked = sorted(range(len(nws)), key=lambda i: (
                    not (i == 0 or caps >> i & 1), nws[i] in PARTICLES or len(nws[i]) < 4,
                    word_freq[nws[i]], -len(nws[i])))
                # The rarest word finds the name even when misspelt (via deletions); a second
                # one helps when that word is badly mangled, but only if it is rare as well,
                # or common words ("Mohamed", "Katiba") would drag hundreds of candidates along.
                chosen = ranked[:1] + [i for i in ranked[1:2] if word_freq[nws[i]] <= ANCHOR_MAX_FREQ]
            for pos in chosen:
                w = nws[pos]
                a = anchors.get(w)
                if a is None:
                    anchors[w] = [(idx, pos)]
                    add_deletes(w)
                else:
                    a.append((idx, pos))
        self.fuzzy_cache: dict[str, tuple[tuple[int, int], ...]] = {}
        self.surfaces: list[str] | None = None  # for resolve_entities, built on demand
        self.surface_entries: list[list[str]] = []
        self.admin: dict[tuple[tuple[str, ...], str], str] | None = None  # see reader.matching.forms

    def _add_deletes(self, w: str) -> None:
        # values are a word, or a tuple of words when several share a deletion (saves memory)
        d = self.deletes
        setdefault = d.setdefault
        for v in ([w, *[w[:i] + w[i + 1:] for i in range(len(w))]] if len(w) >= 5 else (w,)):
            old = setdefault(v, w)
            if old is w or old == w:
                continue
            if isinstance(old, str):
                d[v] = (old, w)
            elif w not in old:
                d[v] = (*old, w)


CACHE: weakref.WeakKeyDictionary[Gazetteer, Index] = weakref.WeakKeyDictionary()


def index_for(gaz: Gazetteer) -> Index:
    """The index of `gaz`, built on first use and kept as long as `gaz` lives."""
    idx = CACHE.get(gaz)
    if idx is None:
        idx = CACHE[gaz] = Index(gaz)
    return idx
