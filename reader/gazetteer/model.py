"""The gazetteer's data model: entries, links, validation issues and the lookup object.

Kept free of file formats (see `loader`) and of matching (see `reader.matcher`) so that the
UI, search and the matcher share one plain in-memory structure. A `Gazetteer` is treated
as immutable once built: user-learned aliases produce a *new* one (`overlay.with_additions`), which
keeps caches keyed on the object (the matcher's index) trivially correct.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from reader.gazetteer.keys import key_of

TYPES = ("group", "place", "person", "org", "event")
ORIGINS = ("bundled", "overlay", "user")
RELATIONS = frozenset({
    "allied with", "rival of", "fought", "split from", "merged into", "part of", "member of",
    "led by", "leader of", "founded by", "founder of", "located in", "operates in",
    "successor of", "predecessor of", "signatory of", "party to", "took part in",
    "deployed in", "spokesman of", "related to",
    # inverses derived on load (see MIRRORS); data may also write them directly
    "gave rise to", "absorbed", "has part", "has member", "signed by",
})
# Each relation and the one it implies on the other end: "A leader of B" means "B led by A",
# so the data states one side and `Gazetteer` adds the other (marked `derived`). Symmetric
# relations map to themselves. Relations without an entry here ("operates in", "located in")
# are shown from the other end as backlinks only.
_INVERSE_PAIRS = (
    ("led by", "leader of"), ("founded by", "founder of"), ("split from", "gave rise to"),
    ("merged into", "absorbed"), ("part of", "has part"), ("member of", "has member"),
    ("predecessor of", "successor of"), ("signatory of", "signed by"),
)
MIRRORS: dict[str, str] = {
    **{a: b for a, b in _INVERSE_PAIRS}, **{b: a for a, b in _INVERSE_PAIRS},
    **{r: r for r in ("allied with", "rival of", "fought", "related to")},
}
PLACE_KINDS = frozenset({
    "country", "region", "province", "cercle", "department", "district", "commune", "town",
    "village", "camp", "mine", "river", "lake", "forest", "mountains", "area", "base",
})

class GazetteerError(ValueError):
    """Unusable gazetteer input; the message is one line naming the file and a fix."""


def fold_key(s: str) -> str:
    """The form under which names are compared: folded words joined by single spaces.

    'Ansar al-Dīn’s' → "ansar al din"; see `keys` for how words are cut. (The matcher
    also compares space-free forms, so "Bokoharam" meets "Boko Haram".)
    """
    return key_of(s)


@dataclass(frozen=True)
class Link:
    rel: str
    to: str
    # True when added on load as the mirror of a link stated on the other entry
    derived: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class DatedAlias:
    """A name an entry bore only for a time: `since`/`until` are YYYY[-MM[-DD]] or "".

    "Soum Province" until 2025-07, "Djelgodji Province" since 2025-07. Written in TOML as
    ``aliases_dated = [{ name = "...", from = "2025-07" }]`` (or ``until = ...``); the
    loader also puts each name in `Entry.aliases`, since old texts keep the old name.
    """

    name: str
    since: str = ""
    until: str = ""

    def label(self) -> str:
        if self.since and self.until:
            return f"{self.name} ({self.since} to {self.until})"
        if self.since:
            return f"{self.name} (since {self.since})"
        return f"{self.name} (until {self.until})" if self.until else self.name


@dataclass
class Entry:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    links: list[Link] = field(default_factory=list)
    kind: str = ""
    lat: float | None = None
    lon: float | None = None
    parent: str = ""
    founded: str = ""
    dissolved: str = ""
    born: str = ""
    died: str = ""
    date: str = ""
    end: str = ""
    sources: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    aliases_dated: list[DatedAlias] = field(default_factory=list)
    origin: str = "bundled"
    file: str = ""

    def surface_forms(self) -> list[str]:
        """Name then aliases, without repeats (compared after folding)."""
        seen: set[str] = set()
        out: list[str] = []
        for s in [self.name, *self.aliases]:
            k = fold_key(s)
            if k and k not in seen:
                seen.add(k)
                out.append(s)
        return out


@dataclass(frozen=True)
class GazetteerIssue:
    file: str
    entry: str
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"[{self.entry}] " if self.entry else ""
        return f"{self.file or '<gazetteer>'}: {where}{self.message}"


class Gazetteer:
    """Entries by id, with their validation issues and link navigation."""

    def __init__(self, entries: Iterable[Entry] | dict[str, Entry] = (),
                 issues: Iterable[GazetteerIssue] = (), *, load_issues: Iterable[GazetteerIssue] = ()):
        if isinstance(entries, dict):
            entries = entries.values()
        self.entries: dict[str, Entry] = {}
        for e in entries:
            self.entries.setdefault(e.id, e)
        _add_mirrored_links(self.entries)
        # Problems found while reading files (kept across `overlay.with_additions`); `issues` adds
        # the problems found by validating the entries themselves.
        self._load_issues = list(load_issues)
        self.issues: list[GazetteerIssue] = self._load_issues + list(issues)
        self._backlinks: dict[str, list[tuple[str, str]]] | None = None
        self._children: dict[str, list[Entry]] | None = None

    @property
    def load_issues(self) -> list[GazetteerIssue]:
        """The problems found while reading files (a copy), to carry into a derived gazetteer."""
        return list(self._load_issues)

    # -- mapping-like access ---------------------------------------------------------------
    def get(self, id: str) -> Entry | None:  # noqa: A002 - mirrors dict.get
        return self.entries.get(id)

    def __getitem__(self, id: str) -> Entry:  # noqa: A002
        return self.entries[id]

    def __contains__(self, id: object) -> bool:  # noqa: A002
        return id in self.entries

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self)} entries, {len(self.errors)} errors>"

    @property
    def errors(self) -> list[GazetteerIssue]:
        return [i for i in self.issues if i.severity == "error"]

    # -- navigation ------------------------------------------------------------------------
    def backlinks(self, id: str) -> list[tuple[str, str]]:  # noqa: A002
        """(rel, from_id) for every link pointing at `id` (parents are not links; see children)."""
        if self._backlinks is None:
            index: dict[str, list[tuple[str, str]]] = {}
            for e in self.entries.values():
                for link in e.links:
                    index.setdefault(link.to, []).append((link.rel, e.id))
            self._backlinks = index
        return list(self._backlinks.get(id, ()))

    def children(self, id: str) -> list[Entry]:  # noqa: A002
        if self._children is None:
            index: dict[str, list[Entry]] = {}
            for e in self.entries.values():
                if e.parent:
                    index.setdefault(e.parent, []).append(e)
            self._children = index
        return list(self._children.get(id, ()))

    def parent_chain(self, id: str) -> list[Entry]:  # noqa: A002
        """Ancestors of `id`, nearest first (town → region → country); stops on cycles."""
        out: list[Entry] = []
        seen = {id}
        entry = self.entries.get(id)
        while entry is not None and entry.parent and entry.parent not in seen:
            seen.add(entry.parent)
            entry = self.entries.get(entry.parent)
            if entry is not None:
                out.append(entry)
        return out

    def related(self, id: str) -> set[str]:  # noqa: A002
        """Ids one step away: links both ways, parent chain and children."""
        entry = self.entries.get(id)
        if entry is None:
            return set()
        out = {link.to for link in entry.links}
        out.update(frm for _, frm in self.backlinks(id))
        out.update(e.id for e in self.parent_chain(id))
        out.update(e.id for e in self.children(id))
        out.discard(id)
        return out


def _add_mirrored_links(entries: dict[str, Entry]) -> None:
    """Give each link's target the inverse link (see MIRRORS) unless it already states it.

    Entries that gain links are replaced by copies, so entries shared with another
    gazetteer (`overlay.with_additions` reuses them) are never changed in place.
    """
    extra: dict[str, list[Link]] = {}
    for e in entries.values():
        for link in e.links:
            inverse = MIRRORS.get(link.rel)
            target = entries.get(link.to)
            if inverse is None or target is None or target.id == e.id:
                continue
            mirror = Link(inverse, e.id, derived=True)
            if mirror in target.links or mirror in extra.get(target.id, ()):
                continue
            extra.setdefault(target.id, []).append(mirror)
    for eid, links in extra.items():
        entries[eid] = dataclasses.replace(entries[eid], links=[*entries[eid].links, *links])
