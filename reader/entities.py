"""Entities in the library: cached mentions per article, "also in", and what the reader taught.

The matcher is pure and stateless; this module adds the reader's memory around it:
- mentions are computed once per (article text, gazetteer) and cached in SQLite, so
  reopening an article is instant and "Also in" can list every article naming an entity;
- corrections the reader makes are stored as `learned` rows and applied on every later
  match: "not this entity" rejections (matched by surface + surrounding words, so the same
  sentence elsewhere is fixed too), added aliases, new user entries, and the chosen meaning
  of an ambiguous mention. Each can be listed and undone, and exported to the overlay TOML.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from reader.gazetteer import DATA_DIR, Entry, Gazetteer, fold_key, load_gazetteer
from reader.gazetteer.overlay import default_overlay_path, with_additions
from reader.gazetteer.tables import MAX_NAME_CHARS
from reader.articles import Article
from reader.matcher import MATCHER_VERSION, Matcher, Mention
from reader.notes import NoteStore
from reader.store import Store, StoreError, now_iso
from reader.text import fold, sanitize, sanitize_line, slugify

CONTEXT_WORDS = 3
BATCH_SECONDS = 0.1
_WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class LearnedChange:
    id: int
    kind: str  # reject | alias | entry | choice
    entity_id: str
    surface: str
    article_id: str
    created: str
    data: dict
    context: str = ""

    def describe(self, gazetteer: Gazetteer | None = None) -> str:
        name = self.entity_id
        if gazetteer and gazetteer.get(self.entity_id):
            name = gazetteer.get(self.entity_id).name
        if self.kind == "reject":
            return f"“{self.surface}” is not {name} (in this context)"
        if self.kind == "alias":
            return f"“{self.surface}” is an alias of {name}"
        if self.kind == "entry":
            return f"new entry {name} ({self.data.get('type', '?')})"
        return f"“{self.surface}” at {self.article_id}:{self.data.get('start')} means {name}"


def mention_context(text: str, start: int, end: int) -> str:
    """The folded words around a mention: what "identical context" compares."""
    before = _WORD_RE.findall(fold(text[max(0, start - 80):start]))[-CONTEXT_WORDS:]
    after = _WORD_RE.findall(fold(text[end:end + 80]))[:CONTEXT_WORDS]
    return " ".join(before) + " | " + fold_key(text[start:end]) + " | " + " ".join(after)


def _mention_to_row(m: Mention) -> list:
    return [m.start, m.end, m.entry_id, m.alias, round(m.score, 3), list(m.alternatives)]


def _row_to_mention(row: list, body: str) -> Mention:
    start, end, eid, alias, score, alts = row
    return Mention(start, end, body[start:end], eid, alias, score, tuple(alts))


class Entities:
    """The gazetteer + matcher + the reader's corrections, over one store."""

    def __init__(self, store: Store, gazetteer_path: Path | None = None):
        self.store = store
        self.gazetteer_path = gazetteer_path
        self.cache_error = ""  # why the last mention cache write failed ('' if it did not)
        self.base: Gazetteer = load_gazetteer(gazetteer_path)
        self._rebuild()

    # -- building ----------------------------------------------------------------------

    def _rebuild(self) -> None:
        aliases, entries = [], []
        changes = self.changes()
        for change in changes:
            if change.kind == "alias" and len(change.surface) <= MAX_NAME_CHARS:
                aliases.append((change.entity_id, change.surface))
            elif change.kind == "entry":
                entries.append(_entry_from_data(change))
        self.gazetteer = with_additions(self.base, aliases=aliases, entries=entries) if (aliases or entries) else self.base
        self.matcher = Matcher(self.gazetteer)
        digest = hashlib.sha256()
        for path in sorted(Path(self.gazetteer_path or DATA_DIR).glob("*.toml")) if (
                self.gazetteer_path is None or Path(self.gazetteer_path).is_dir()) else [Path(self.gazetteer_path)]:
            digest.update(path.name.encode() + path.read_bytes())
        overlay = default_overlay_path()
        if overlay and overlay.is_file():
            digest.update(overlay.read_bytes())
        digest.update(json.dumps([aliases, [e.id for e in entries]]).encode())
        digest.update(MATCHER_VERSION.encode())  # new matching rules: cached mentions are stale
        self.key = digest.hexdigest()[:16]
        changes = self.changes()
        self._rejections = {(c.context, c.entity_id) for c in changes if c.kind == "reject"}
        self._choices = {(c.article_id, c.data.get("start")): c.entity_id for c in changes if c.kind == "choice"}

    # -- mentions ----------------------------------------------------------------------

    def _cached(self, article: Article) -> list[Mention] | None:
        row = self.store.conn.execute(
            "SELECT article_hash, gazetteer_key, mentions FROM mention_cache WHERE article_id = ?",
            (article.id,)).fetchone()
        if row and row[0] == article.hash and row[1] == self.key:
            return [_row_to_mention(r, article.body) for r in json.loads(row[2])]
        return None

    def is_cached(self, article: Article) -> bool:
        return self._cached(article) is not None

    def cached_mentions(self, article: Article) -> list[Mention] | None:
        """The mentions as seen, if the cache is current (a few ms even for 5,000), else None."""
        cached = self._cached(article)
        return None if cached is None else self._as_seen(article, cached)

    def raw_mentions(self, article: Article) -> list[Mention]:
        """Matcher output for the article, from the cache when text and gazetteer are unchanged."""
        cached = self._cached(article)
        if cached is not None:
            return cached
        mentions = self.matcher.find(article.body)
        self._store_mentions([(article, mentions)])
        return mentions

    def _store_mentions(self, found: list[tuple[Article, list[Mention]]]) -> None:
        """Write computed mentions to the cache and the entity index, in one transaction.

        The cache is an optimisation: a database that is busy in another program or read-only
        must not cost the reader its highlights (`cache_error` says why nothing was stored)."""
        try:
            with self.store.transaction() as c:
                for article, mentions in found:
                    counts: dict[str, list[int]] = {}
                    for m in mentions:
                        counts.setdefault(m.entry_id, [0, m.start])[0] += 1
                    c.execute("INSERT OR REPLACE INTO mention_cache VALUES (?, ?, ?, ?, ?)",
                              (article.id, article.hash, self.key,
                               json.dumps([_mention_to_row(m) for m in mentions]), now_iso()))
                    c.execute("DELETE FROM article_entities WHERE article_id = ?", (article.id,))
                    c.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?)",
                                  [(eid, article.id, n, first) for eid, (n, first) in counts.items()])
            self.cache_error = ""
        except StoreError as exc:
            self.cache_error = str(exc)

    def preview_mentions(self, article: Article, start: int, length: int = 8000) -> list[Mention]:
        """Mentions in the paragraphs around `start` only (not cached): what is on screen first,
        so a long article that was never matched shows highlights before the whole text is done.
        The window ends at a paragraph break, so no mention is cut in two."""
        body = article.body
        lo = body.rfind("\n\n", 0, max(0, start))
        lo = 0 if lo < 0 else lo + 2
        hi = body.find("\n\n", min(len(body), lo + length))
        hi = len(body) if hi < 0 else hi
        found = [replace(m, start=m.start + lo, end=m.end + lo) for m in self.matcher.find(body[lo:hi])]
        return self._as_seen(article, found)

    def mentions(self, article: Article) -> list[Mention]:
        """Mentions as the reader should see them: rejections removed, choices applied."""
        return self._as_seen(article, self.raw_mentions(article))

    def as_seen(self, article: Article, raw: list[Mention]) -> list[Mention]:
        """`raw` mentions (from any recogniser) with the reader's rejections and choices applied."""
        return self._as_seen(article, raw)

    def _as_seen(self, article: Article, raw: list[Mention]) -> list[Mention]:
        out = []
        for m in raw:
            chosen = self._choices.get((article.id, m.start))
            if chosen and chosen != m.entry_id and chosen in (m.alternatives + (m.entry_id,)):
                alts = tuple(a for a in (m.entry_id,) + m.alternatives if a != chosen)
                m = replace(m, entry_id=chosen, alternatives=alts)
            if self._rejections and (mention_context(article.body, m.start, m.end), m.entry_id) in self._rejections:
                continue
            out.append(m)
        return out

    def stale_ids(self, part: tuple[int, int] = (0, 1)) -> list[str]:
        """Articles whose cached mentions are missing or out of date; `part` (i, n) keeps those
        whose rowid is i modulo n, so n processes can share the work."""
        i, n = part
        return [r[0] for r in self.store.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN mention_cache m ON m.article_id = a.id"
            " WHERE (m.article_id IS NULL OR m.article_hash != a.hash OR m.gazetteer_key != ?)"
            " AND a.rowid % ? = ? ORDER BY a.rowid", (self.key, n, i))]

    def index_library(self, progress=None, *, part: tuple[int, int] = (0, 1), stop=None) -> int:
        """Make sure every article's mentions are cached (for "Also in"); returns how many were computed.

        Resumable: what is cached survives an interruption, and the next call does the rest.
        Mentions are computed outside any transaction and written a batch at a time (every
        100 ms), so other writers (the app, other indexing processes) never wait for the
        matcher; `stop()` returning true ends it early.
        """
        stale = self.stale_ids(part)
        i = 0
        while i < len(stale):
            if stop is not None and stop():
                return i
            began, found = time.monotonic(), []
            while i < len(stale) and time.monotonic() - began < BATCH_SECONDS:
                article = self.store.article(stale[i])
                i += 1
                if article is not None:
                    found.append((article, self.matcher.find(article.body)))
            self._store_mentions(found)
            if progress:
                progress(i, len(stale))
            if self.cache_error:  # the database refuses writes now: resume on the next run
                return i - len(found)
        return len(stale)

    def also_in(self, entity_id: str, exclude: str | None = None, limit: int = 30) -> list[tuple[str, str, int, int]]:
        """(article id, title, mention count, first offset) of the articles naming the entity most.

        Limited: a sidebar listing thousands of articles would stall scrolling while it lays out.
        """
        rows = self.store.conn.execute(
            "SELECT a.id, a.title, e.mentions, e.first_offset FROM article_entities e"
            " JOIN articles a ON a.id = e.article_id WHERE e.entity_id = ? AND a.id != ?"
            " ORDER BY e.mentions DESC, a.date DESC, a.title LIMIT ?", (entity_id, exclude or "", limit)).fetchall()
        return [tuple(r) for r in rows]

    def notes_mentioning(self, entity_id: str, limit: int = 10):
        """Notes whose passage mentions the entity (or that are linked to it), newest first
        (`NoteStore.mentioning`: the notes module owns the notes table)."""
        return NoteStore(self.store).mentioning(entity_id, limit)

    # -- what the reader teaches ---------------------------------------------------------

    def changes(self) -> list[LearnedChange]:
        rows = self.store.conn.execute(
            "SELECT id, kind, entity_id, surface, article_id, created, data, context FROM learned ORDER BY id").fetchall()
        return [LearnedChange(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7]) for r in rows]

    def _learn(self, kind: str, entity_id: str, surface: str = "", context: str = "", article_id: str = "",
               start: int | None = None, data: dict | None = None) -> int:
        with self.store.transaction() as c:
            cur = c.execute(
                "INSERT INTO learned (kind, entity_id, surface, context, article_id, start, data, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, entity_id, surface, context, article_id, start,
                 json.dumps(data or {}, ensure_ascii=False), now_iso()))
            return cur.lastrowid

    def reject(self, article: Article, mention: Mention) -> int:
        """`x`: this mention is not that entity, here and wherever the same words surround it."""
        change = self._learn("reject", mention.entry_id, mention.text,
                             mention_context(article.body, mention.start, mention.end), article.id, mention.start)
        self._rebuild()
        return change

    def choose(self, article: Article, mention: Mention, entity_id: str) -> int:
        """Remember which meaning an ambiguous mention has."""
        with self.store.transaction() as c:
            c.execute("DELETE FROM learned WHERE kind = 'choice' AND article_id = ? AND start = ?",
                      (article.id, mention.start))
            change = self._learn("choice", entity_id, mention.text, "", article.id, mention.start,
                                 {"start": mention.start})
        self._rebuild()
        return change

    def add_alias(self, entity_id: str, alias: str) -> int:
        """`A`: a new spelling of an existing entry, highlighted everywhere from now on."""
        alias = sanitize_line(alias)
        if not alias:
            raise ValueError("the alias is empty")
        if len(alias) > MAX_NAME_CHARS:
            raise ValueError(f"the alias is {len(alias):,} characters long (at most {MAX_NAME_CHARS})")
        if self.gazetteer.get(entity_id) is None:
            raise ValueError(f"no entry {entity_id!r}")
        change = self._learn("alias", entity_id, alias)
        self._rebuild()
        return change

    def add_entry(self, name: str, type: str, summary: str = "", aliases: list[str] | None = None,
                  lat: float | None = None, lon: float | None = None) -> str:
        """A new user entry (its id is a fresh slug); returns the id. `lat`/`lon` (degrees,
        both or neither) place it on the map."""
        from reader.gazetteer import TYPES

        name = sanitize_line(name)
        if not name:
            raise ValueError("the name is empty")
        if len(name) > MAX_NAME_CHARS:
            raise ValueError(f"the name is {len(name):,} characters long (at most {MAX_NAME_CHARS})")
        if type not in TYPES:
            raise ValueError(f"unknown type {type!r} (one of: {', '.join(sorted(TYPES))})")
        if (lat is None) != (lon is None):
            raise ValueError("give both latitude and longitude, or neither")
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"coordinates {lat}, {lon} are out of range (latitude -90..90, longitude -180..180)")
        base = "user-" + slugify(name)
        entity_id, n = base, 1
        while self.gazetteer.get(entity_id) is not None:
            n += 1
            entity_id = f"{base}-{n}"
        data = {"name": name, "type": type, "summary": sanitize(summary).strip(),
                "aliases": [sanitize_line(a) for a in (aliases or []) if sanitize_line(a)]}
        if lat is not None:
            data.update(lat=float(lat), lon=float(lon))
        self._learn("entry", entity_id, name, data=data)
        self._rebuild()
        return entity_id

    def undo(self, change_id: int) -> LearnedChange | None:
        change = next((c for c in self.changes() if c.id == change_id), None)
        if change is None:
            return None
        with self.store.transaction() as c:
            c.execute("DELETE FROM learned WHERE id = ?", (change_id,))
            if change.kind == "entry":  # aliases and choices that hang on the removed entry go too
                c.execute("DELETE FROM learned WHERE entity_id = ?", (change.entity_id,))
        self._rebuild()
        return change

    def export_overlay(self, path: Path | None = None) -> tuple[Path, int]:
        """Merge learned aliases and entries into the user overlay TOML; returns (path, count).

        The existing overlay is parsed and rewritten with the additions merged in (a TOML
        table may not be defined twice, so appending would break the file). A broken overlay
        is not overwritten: ValueError says why.
        """
        import tomllib

        path = Path(path) if path else default_overlay_path()
        doc: dict = {}
        if path.exists():
            try:
                doc = tomllib.loads(path.read_text("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise ValueError(f"{path}: the overlay cannot be read ({exc}); fix or move it first") from None
        count = 0
        for change in self.changes():
            if change.kind == "alias":
                table = doc.setdefault(change.entity_id, {})
                aliases = table.setdefault("aliases", [])
                if change.surface not in aliases:
                    aliases.append(change.surface)
                    count += 1
            elif change.kind == "entry" and change.entity_id not in doc:
                d = change.data
                doc[change.entity_id] = {"name": d["name"], "type": d["type"], "aliases": d.get("aliases", []),
                                         "summary": d.get("summary") or "Added by the reader."}
                if d.get("lat") is not None and d.get("lon") is not None:
                    doc[change.entity_id].update(lat=d["lat"], lon=d["lon"])
                count += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# mali-reader user overlay: entries and aliases merged over the bundled gazetteer.",
                 f"# last exported from the app {now_iso()}", ""]
        for key, table in doc.items():
            lines.append(f"[{_toml_key(key)}]")
            lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())
            lines.append("")
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text("\n".join(lines), "utf-8")
        tmp.replace(path)
        return path, count


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(str(v), ensure_ascii=False)


def _entry_from_data(change: LearnedChange) -> Entry:
    d = change.data
    return Entry(id=change.entity_id, name=d.get("name", change.surface), type=d.get("type", "org"),
                 aliases=list(d.get("aliases", [])), summary=d.get("summary") or "Added by the reader.",
                 lat=d.get("lat"), lon=d.get("lon"), origin="user")
