"""The matcher's index over a gazetteer: exact keys, space-free keys and fuzzy anchors.

Built once per `Gazetteer` object (gazetteers are immutable; user additions make a new
one) and kept in a weak cache, so every `Matcher` over the same gazetteer shares it.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reader.gazetteer.keys import words
from reader.gazetteer.model import Gazetteer

COMMON_WORDS_FILE = Path(__file__).resolve().parents[1] / "gazetteer" / "common_words.txt"
PARTICLES = frozenset({"al", "el", "ag", "ould", "ben", "bin", "ibn", "abu", "wal", "ul",
                       "of", "the", "in", "de", "du", "des", "la", "le", "les", "et", "and",
                       "for", "d", "l", "n", "ad", "as", "an", "ash", "at", "az", "ar"})
POSSESSIVE_RE = re.compile(r"\w['\u2019\u02bc][sS]\b")
MAX_WORDS = 10  # longest name considered, in words
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
    capitalised: frozenset[str]  # words written with a capital in the gazetteer
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
    def __init__(self, gaz: Gazetteer):
        common = common_words()
        self.names: list[Name] = []
        by_surface: dict[tuple[str, str], Name] = {}
        for entry in gaz:
            seen: set[str] = set()
            for n_surface, s in enumerate([entry.name, *entry.aliases]):
                parts = words(s)
                ws = tuple(k for _, _, k in parts if k)
                key = " ".join(ws)
                if not key or key in seen:
                    continue
                seen.add(key)
                acro = acronym(s)
                slot = (key, acro)
                name = by_surface.get(slot)
                if name is None:
                    caps = frozenset(k for a, _, k in parts if s[a].isupper())
                    name = Name(key, "".join(ws), ws, s, [], acro, len(ws) == 1 and key in common, caps,
                                 possessive=bool(POSSESSIVE_RE.search(s)))
                    by_surface[slot] = name
                    self.names.append(name)
                if n_surface == 0:
                    # an entry named by this surface outranks those having it as an alias
                    name.entries.insert(name.named, entry.id)
                    name.named += 1
                else:
                    name.entries.append(entry.id)
        self.exact: dict[str, list[Name]] = {}
        self.compact: dict[str, list[Name]] = {}
        self.prefixes: set[str] = set()
        word_freq: dict[str, int] = {}
        for n in self.names:
            self.exact.setdefault(n.key, []).append(n)
            self.compact.setdefault(n.compact, []).append(n)
            for i in range(1, len(n.words)):
                self.prefixes.add(" ".join(n.words[:i]))
            for w in set(n.words):
                word_freq[w] = word_freq.get(w, 0) + 1
        # first parts of one-word names, for text that splits them ("Al Qaida" = "Alqaida")
        self.split_prefixes: set[str] = {n.compact[:p] for n in self.names if len(n.words) == 1
                                         for p in range(1, len(n.compact) - 1)}
        # words a name can start with, in any of the forms above: most words are not
        self.starts: set[str] = {n.words[0] for n in self.names} | set(self.compact) | self.split_prefixes
        self.max_words = min(MAX_WORDS, max((len(n.words) for n in self.names), default=1))
        # Fuzzy index: each non-acronym name under its two rarest words.
        self.anchors: dict[str, list[tuple[int, int]]] = {}
        self.deletes: dict[str, str | tuple[str, ...]] = {}
        for idx, n in enumerate(self.names):
            if n.acronym or edit_budget(len(n.compact)) == 0:
                continue
            caps = n.capitalised
            ranked = sorted(range(len(n.words)), key=lambda i: (
                not (i == 0 or n.words[i] in caps), n.words[i] in PARTICLES or len(n.words[i]) < 4,
                word_freq[n.words[i]], -len(n.words[i])))
            # The rarest word finds the name even when misspelt (via deletions); a second
            # one helps when that word is badly mangled, but only if it is rare as well,
            # or common words ("Mohamed", "Katiba") would drag hundreds of candidates along.
            chosen = ranked[:1] + [i for i in ranked[1:2] if word_freq[n.words[i]] <= ANCHOR_MAX_FREQ]
            for pos in chosen:
                w = n.words[pos]
                if w not in self.anchors:
                    self.anchors[w] = []
                    self._add_deletes(w)
                self.anchors[w].append((idx, pos))
        self.fuzzy_cache: dict[str, tuple[tuple[int, int], ...]] = {}
        self.surfaces: list[str] | None = None  # for resolve_entities, built on demand
        self.surface_entries: list[list[str]] = []

    def _add_deletes(self, w: str) -> None:
        # values are a word, or a tuple of words when several share a deletion (saves memory)
        d = self.deletes
        for v in (w, *(w[:i] + w[i + 1:] for i in range(len(w)) if len(w) >= 5)):
            old = d.get(v)
            if old is None:
                d[v] = w
            elif isinstance(old, str):
                if old != w:
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
