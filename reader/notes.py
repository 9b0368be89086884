"""Notes on passages (or whole articles), kept in the app database and re-anchored on edits.

`NoteStore` is the one way the app, the CLI and importers read and write notes, so that
every write is a single transaction and every note keeps both selectors, the article hash
it was anchored against and its status. Entity lookups are injected (`EntityFinder`,
`EntityNames`) rather than built here: the matcher is heavy and optional, and tests can
pass small fakes; `NoteStore.with_gazetteer` wires the real ones.

Nothing here deletes a note implicitly: when its passage is gone the note becomes
"orphaned" and keeps its old quote and context so the user can re-attach it.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from reader.anchoring import Anchor, Placement, locate, make_anchor
from reader.store import Store, StoreError, describe_sqlite_error, now_iso
from reader.text import content_hash, sanitize, sanitize_line

# (article body, start, end) -> ids of entities mentioned in that passage
EntityFinder = Callable[[str, int, int], Iterable[str]]
# entity id -> its name and aliases (indexed so searching "Tombouctou" finds a Timbuktu note)
EntityNames = Callable[[str], Iterable[str]]

ANCHORED, ORPHANED = "anchored", "orphaned"

_COLUMNS = ("id", "article_id", "body", "tags", "quote", "prefix", "suffix", "start", "end",
            "article_hash", "entity_id", "entities", "status", "created", "updated",
            "origin_hash", "origin_quote", "origin_start", "origin_end", "review_quote")
# The origin is stored only where it differs from the current passage ('' = the same; see
# schema._v4_compact_notes): every read goes through these expressions, which put it back.
_READ_AS = {
    "origin_quote": "CASE WHEN n.origin_quote = '' AND n.origin_start IS NOT NULL THEN n.quote"
                    " ELSE n.origin_quote END",
    "origin_hash": "coalesce(nullif(n.origin_hash, ''), n.article_hash)",
    # '' while the note was never edited (schema._v12_note_updated_once)
    "updated": "coalesce(nullif(n.updated, ''), n.created)",
}
UPDATED_SQL = _READ_AS["updated"]  # for readers that list their own columns (the exports)


def column_sql(name: str) -> str:
    """SQL over the note `n` giving the value of note field `name` as a reader sees it."""
    return _READ_AS.get(name, f'n."{name}"')


SELECT_COLUMNS = ", ".join(column_sql(c) for c in _COLUMNS)
NOTE_COLUMNS = _COLUMNS  # the fields SELECT_COLUMNS yields, in order (its expressions contain commas)
# what `_insert_many` writes: the note, the denormalised search fields, the article link
_INSERT_COLUMNS = (*_COLUMNS, "article_title", "entity_names", "article")
_ARTICLE_ID = _COLUMNS.index("article_id")


@dataclass
class Note:
    """One note. A passage note has quote/start/end; an article-level note has neither."""

    id: str
    article_id: str
    body: str = ""
    tags: list[str] = field(default_factory=list)
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    article_hash: str = ""
    entity_id: str | None = None
    entities: list[str] = field(default_factory=list)
    status: str = ANCHORED
    created: str = ""
    updated: str = ""
    # the version and passage the note was written on (never changed afterwards)
    origin_hash: str = ""
    origin_quote: str = ""
    origin_start: int | None = None
    origin_end: int | None = None
    # the quote before an uncertain move; '' when there is nothing to review
    review_quote: str = ""

    @property
    def is_article_level(self) -> bool:
        return not self.quote

    @property
    def needs_review(self) -> bool:
        """Moved to a passage that differs from its old quote: the reader should confirm it."""
        return bool(self.review_quote) and self.status == ANCHORED

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED

    @property
    def anchor(self) -> Anchor | None:
        if self.is_article_level or self.start is None or self.end is None:
            return None
        return Anchor(self.quote, self.prefix, self.suffix, self.start, self.end)

    def to_dict(self) -> dict:
        return {c: getattr(self, c) for c in _COLUMNS}

    @classmethod
    def from_row(cls, row: tuple) -> "Note":
        d = dict(zip(_COLUMNS, row))
        d["tags"] = _json_list(d["tags"])
        d["entities"] = _json_list(d["entities"])
        return cls(**d)

    @classmethod
    def from_dict(cls, d: dict) -> "Note":
        """From exported JSON; raises ValueError naming the missing/bad field."""
        if not isinstance(d, dict):
            raise ValueError("a note must be a JSON object")
        for key in ("id", "article_id"):
            if not isinstance(d.get(key), str) or not d[key]:
                raise ValueError(f"note is missing {key!r}")
        kw = {c: d[c] for c in _COLUMNS if c in d}
        for key in ("tags", "entities"):
            if not isinstance(kw.get(key, []), list) or not all(isinstance(v, str) for v in kw.get(key, [])):
                raise ValueError(f"note {d['id']}: {key!r} must be a list of strings")
        for key in ("body", "quote", "prefix", "suffix", "article_hash", "created", "updated", "origin_hash",
                    "origin_quote", "review_quote"):
            if key in kw and not isinstance(kw[key], str):
                raise ValueError(f"note {d['id']}: {key!r} must be a string")
        if kw.get("entity_id") is not None and not isinstance(kw["entity_id"], str):
            raise ValueError(f"note {d['id']}: 'entity_id' must be a string or null")
        for key in ("start", "end", "origin_start", "origin_end"):
            if kw.get(key) is not None and (not isinstance(kw[key], int) or isinstance(kw[key], bool)):
                raise ValueError(f"note {d['id']}: {key!r} must be an integer or null")
        if kw.get("status", ANCHORED) not in (ANCHORED, ORPHANED):
            raise ValueError(f"note {d['id']}: status must be 'anchored' or 'orphaned'")
        return cls(**kw)


def _json_list(value: str | None) -> list:
    return [] if not value or value == "[]" else json.loads(value)  # most notes: no entities


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Lower-case, single-spaced, no '#', no duplicates, order kept."""
    out: list[str] = []
    for t in tags:
        t = sanitize_line(str(t)).lstrip("#").strip().lower().replace(" ", "-")
        if t and t not in out:
            out.append(t)
    return out


def new_note_id() -> str:
    return str(uuid.uuid4())


class NoteStore:
    """Notes over an open `Store`. Methods raise StoreError (one line) when the DB refuses a write."""

    def __init__(self, store: Store, *, entity_finder: EntityFinder | None = None,
                 entity_names: EntityNames | None = None):
        self.store = store
        self.entity_finder = entity_finder
        self.entity_names = entity_names
        self.entity_error: str | None = None  # last failure of an entity lookup (note still saved)

    @classmethod
    def with_gazetteer(cls, store: Store, gazetteer) -> "NoteStore":
        """Wire entity detection and names to a `reader.gazetteer.Gazetteer` (matcher built lazily)."""
        cache: dict[str, list] = {}

        def finder(body: str, start: int, end: int) -> list[str]:
            key = content_hash(body)
            if key not in cache:
                from reader.matcher import Matcher

                cache.clear()
                cache[key] = Matcher(gazetteer).find(body)
            seen: list[str] = []
            for m in cache[key]:
                if m.start < end and m.end > start and m.entry_id not in seen:
                    seen.append(m.entry_id)
            return seen

        def names(entity_id: str) -> list[str]:
            e = gazetteer.get(entity_id)
            return e.surface_forms() if e is not None else []

        return cls(store, entity_finder=finder, entity_names=names)

    # -- reading ---------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    def get(self, note_id: str) -> Note | None:
        r = self.conn.execute(f"SELECT {SELECT_COLUMNS} FROM notes n WHERE n.id = ?", (note_id,)).fetchone()
        return Note.from_row(r) if r else None

    def for_article(self, article_id: str) -> list[Note]:
        """This article's notes in reading order: article-level notes first, orphans last."""
        rows = self.conn.execute(
            f"SELECT {SELECT_COLUMNS} FROM notes n WHERE n.article_id = ?"
            " ORDER BY n.status = 'orphaned', n.start IS NOT NULL, n.start, n.\"end\", n.created",
            (article_id,))
        return [Note.from_row(r) for r in rows]

    def all(self, article_id: str | None = None) -> list[Note]:
        """Every note (or one article's), grouped by article, in reading order."""
        if article_id is not None:
            return self.for_article(article_id)
        rows = self.conn.execute(
            f"SELECT {SELECT_COLUMNS} FROM notes n"
            " ORDER BY n.article_id, n.status = 'orphaned', n.start IS NOT NULL, n.start, n.created")
        return [Note.from_row(r) for r in rows]

    def placements(self, article_id: str, text: str | None = None) -> list[tuple[Note, Placement | None]]:
        """This article's notes with where each sits in `text` now (None: orphaned/article-level).

        Read-only and cheap when nothing changed (the stored position is verified against the
        quote); this is what the reader calls to mark noted passages.
        """
        if text is None:
            article = self.store.article(article_id)
            text = article.body if article else ""
        h = content_hash(text)
        out = []
        for note in self.for_article(article_id):
            a = note.anchor
            placed = None
            if a is not None and not note.orphaned:
                placed = locate(text, a, same_hash=note.article_hash == h)
            out.append((note, placed))
        return out

    def mentioning(self, entity_id: str, limit: int = 10) -> list[Note]:
        """Notes whose passage mentions the entity (or that are linked to it), newest first."""
        rows = self.conn.execute(
            f"SELECT {SELECT_COLUMNS} FROM notes n JOIN note_entities e ON e.note_seq = n.seq"
            " WHERE e.entity_id = ? ORDER BY n.created DESC LIMIT ?", (entity_id, limit))
        return [Note.from_row(r) for r in rows]

    def orphans(self) -> list[Note]:
        rows = self.conn.execute(
            f"SELECT {SELECT_COLUMNS} FROM notes n WHERE n.status = 'orphaned' ORDER BY n.article_id, n.created")
        return [Note.from_row(r) for r in rows]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM notes").fetchone()[0]

    def tags(self, prefix: str = "") -> list[tuple[str, int]]:
        """Distinct tags with their use counts, most used first (for tag completion)."""
        rows = self.conn.execute(
            "SELECT tag, count(*) FROM note_tags WHERE tag >= ? AND tag < ? || char(1114111)"
            " GROUP BY tag ORDER BY count(*) DESC, tag", (prefix.lower(), prefix.lower()))
        return [(r[0], r[1]) for r in rows]

    # -- writing ---------------------------------------------------------------------

    def add(self, article_id: str, body: str = "", *, start: int | None = None, end: int | None = None,
            quote: str | None = None, tags: Iterable[str] = (), entity_id: str | None = None,
            note_id: str | None = None) -> Note:
        """Save a new note on ``body[start:end]`` of the article (or on the article if no span).

        `quote` may be given instead of offsets: its first occurrence is used. Raises
        ValueError for an unknown article or a span/quote not in the text, StoreError when the
        database refuses the write (the caller still has `body` to keep in the editor).
        """
        with self._writing():
            article = self.store.article(article_id)
            if article is None:
                raise ValueError(f"no article with id {article_id!r}")
            text = article.body
            if quote is not None and start is None:
                quote = sanitize(quote)
                i = text.find(quote) if quote else -1
                if i < 0:
                    raise ValueError(f"{article_id}: the quote is not in the article text: {quote[:50]!r}")
                start, end = i, i + len(quote)
            now = now_iso()
            note = Note(id=note_id or new_note_id(), article_id=article_id, body=sanitize(body),
                        tags=normalise_tags(tags), entity_id=entity_id or None,
                        article_hash=content_hash(text), created=now, updated=now)
            if start is not None or end is not None:
                if start is None or end is None:
                    raise ValueError("a passage needs both start and end")
                a = make_anchor(text, start, end)
                note = replace(note, quote=a.exact, prefix=a.prefix, suffix=a.suffix, start=a.start, end=a.end,
                               origin_quote=a.exact, origin_start=a.start, origin_end=a.end)
                note.entities = self._entities(text, start, end)
            note.origin_hash = note.article_hash
            self._insert(note, article.title)
            return note

    def update(self, note_id: str, *, body: str | None = None, tags: Iterable[str] | None = None,
               entity_id: str | None | type(...) = ...) -> Note:
        """Change a note's body, tags or linked entity (pass None to unlink). KeyError if gone."""
        with self._writing():
            note = self.get(note_id)
            if note is None:
                raise KeyError(note_id)
            if body is not None:
                note.body = sanitize(body)
            if tags is not None:
                note.tags = normalise_tags(tags)
            if entity_id is not ...:
                note.entity_id = entity_id or None
            note.updated = now_iso()
            self._write_fields(note, ("body", "tags", "entity_id", "updated"))
            return note

    def reattach(self, note_id: str, start: int, end: int) -> Note:
        """Anchor an (orphaned) note to a newly selected passage of its article's current text."""
        with self._writing():
            note = self.get(note_id)
            if note is None:
                raise KeyError(note_id)
            article = self.store.article(note.article_id)
            if article is None:
                raise ValueError(f"the article {note.article_id!r} of this note is no longer in the library")
            self._rebaseline(note, article.body, start, end)
            note.review_quote = ""  # the reader chose the passage: nothing left to review
            note.updated = now_iso()
            self._write_fields(note, _ANCHOR_FIELDS + ("updated",))
            return note

    def accept_review(self, note_id: str) -> Note:
        """The reader confirms a moved note's new passage (the old quote is still in `origin_quote`)."""
        with self._writing():
            note = self.get(note_id)
            if note is None:
                raise KeyError(note_id)
            if note.review_quote:
                note.review_quote = ""
                self._write_fields(note, ("review_quote",))
            return note

    def needing_review(self, article_id: str | None = None) -> list[Note]:
        sql = f"SELECT {SELECT_COLUMNS} FROM notes n WHERE n.review_quote != '' AND n.status = 'anchored'"
        args: tuple = ()
        if article_id is not None:
            sql, args = sql + " AND n.article_id = ?", (article_id,)
        return [Note.from_row(r) for r in self.conn.execute(sql + " ORDER BY n.article_id, n.start", args)]

    def delete(self, note_id: str) -> Note | None:
        """Delete and return the note (keep it to `undelete` it: the `u` key)."""
        with self._writing():
            note = self.get(note_id)
            if note is not None:
                self.conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
            return note

    def undelete(self, note: Note) -> Note:
        """Put a deleted note back exactly as it was (same id and times), re-anchoring if needed."""
        with self._writing():
            if self.get(note.id) is None:
                self._insert(note, self._title(note.article_id))
                self.reanchor_article(note.article_id, only=[note.id])
            return self.get(note.id) or note

    def upsert(self, note: Note) -> str:
        """Insert, or replace by id when `note.updated` is newer (import); "new"/"updated"/"unchanged"."""
        return self.import_notes([note])["results"][0]

    def import_notes(self, notes: Iterable[Note], *, batch: int = 500) -> dict:
        """Insert or replace notes by id (when the incoming `updated` is newer), then place each
        on its article's current text. Linear in the number of notes, one transaction per
        batch (so other writers get a turn). Comparing `updated` makes re-importing the same
        file a no-op and keeps an edit made since the export from being overwritten.
        Returns counts of "new", "updated", "unchanged" and the re-anchoring outcomes.
        """
        counts = {"new": 0, "updated": 0, "unchanged": 0, "kept": 0, "moved": 0, "review": 0, "orphaned": 0}
        results: list[str] = []
        pending = list(notes)
        for i in range(0, len(pending), batch):
            chunk = pending[i:i + batch]
            with self._writing():
                ids = [n.id for n in chunk]
                old = {}
                for j in range(0, len(ids), 500):
                    part = ids[j:j + 500]
                    old.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                        f"SELECT id, {UPDATED_SQL}, entity_names FROM notes n WHERE id IN ({', '.join('?' * len(part))})",
                        part))
                titles: dict[str, str] = {}
                texts: dict[str, tuple[str, str] | None] = {}
                rows: list[list] = []
                for note in chunk:
                    prev = old.get(note.id)
                    if prev is not None and prev[0] >= note.updated:
                        results.append("unchanged")
                        continue
                    if prev is not None:
                        if rows:  # keep the order of deletes and inserts for repeated ids
                            self._insert_many(rows)
                            rows = []
                        self.conn.execute("DELETE FROM notes WHERE id = ?", (note.id,))
                    note = replace(note, body=sanitize(note.body), tags=normalise_tags(note.tags),
                                   quote=sanitize(note.quote), prefix=sanitize(note.prefix),
                                   suffix=sanitize(note.suffix), origin_quote=sanitize(note.origin_quote),
                                   review_quote=sanitize(note.review_quote),
                                   created=note.created or now_iso(), updated=note.updated or now_iso())
                    if not note.origin_hash:  # from an older export: where it was made is where it is
                        note.origin_hash, note.origin_quote = note.article_hash, note.quote
                        note.origin_start, note.origin_end = note.start, note.end
                    if note.article_id not in titles:
                        titles[note.article_id] = self._title(note.article_id)
                    if note.article_id not in texts:
                        art = self.store.article(note.article_id)
                        texts[note.article_id] = (art.body, content_hash(art.body)) if art else None
                    current = texts[note.article_id]
                    outcome = self._place(note, *(current or ("", "")), gone=current is None)
                    counts[outcome] += 1
                    rows.append(self._insert_row(note, titles[note.article_id], names=prev[1] if prev else None))
                    results.append("new" if prev is None else "updated")
                if rows:
                    self._insert_many(rows)
                # a note imported for an article imported later is placed by the save layer then
        for r in results:
            counts[r] += 1
        counts["results"] = results
        return counts

    # -- re-anchoring ----------------------------------------------------------------

    def reanchor_article(self, article_id: str, *, only: Iterable[str] | None = None) -> dict[str, int]:
        """Move this article's notes onto its current text; returns exact counts per outcome:
        "kept" (unchanged), "moved" (found exactly, or after normalising), "review" (placed
        by a fuzzy match: the old quote is kept beside it until accepted) and "orphaned".

        Called by the save layer (`reader.importers.save`) whenever an article is stored
        new or with a changed text, inside the same transaction.
        """
        counts = {"kept": 0, "moved": 0, "review": 0, "orphaned": 0}
        with self._writing():
            article = self.store.article(article_id)
            notes = self.for_article(article_id)
            if only is not None:
                wanted = set(only)
                notes = [n for n in notes if n.id in wanted]
            text = article.body if article else ""
            new_hash = content_hash(text) if article else ""
            for note in notes:
                before = note.to_dict()
                outcome = self._place(note, text, new_hash, gone=article is None)
                counts[outcome] += 1
                changed = tuple(f for f in _ANCHOR_FIELDS if getattr(note, f) != before[f])
                if changed:
                    self._write_fields(note, changed)
        return counts

    def _place(self, note: Note, text: str, new_hash: str, *, gone: bool = False) -> str:
        """Put `note` on `text` (in memory); returns the outcome. The original quote is never lost:
        an orphan keeps its selectors into the version it was anchored to."""
        anchor = note.anchor
        if gone:
            note.status = ORPHANED
            return "orphaned"
        if anchor is None:  # article-level
            outcome = "kept" if note.status == ANCHORED and note.article_hash == new_hash else "moved"
            note.article_hash, note.status = new_hash, ANCHORED
            return outcome
        placed = locate(text, anchor, same_hash=note.article_hash == new_hash)
        if placed is None:
            note.status = ORPHANED
            return "orphaned"
        if placed.method == "position" and note.status == ANCHORED:
            return "review" if note.review_quote else "kept"
        old_quote = note.quote
        self._rebaseline(note, text, placed.start, placed.end, new_hash)
        if placed.needs_review and not note.review_quote:
            note.review_quote = old_quote
        return "review" if note.review_quote else "moved"

    # -- internals -------------------------------------------------------------------

    def _writing(self):
        return _WriteGuard(self.store)

    def _title(self, article_id: str) -> str:
        r = self.conn.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()
        return r[0] if r else ""

    # Entity lookups are a bonus: if the matcher or gazetteer fails, the note is still saved
    # (without entities) and the reason is kept in `entity_error` for the UI to mention.

    def _entities(self, text: str, start: int, end: int) -> list[str]:
        if self.entity_finder is None:
            return []
        try:
            return list(dict.fromkeys(self.entity_finder(text, start, end)))
        except Exception as exc:  # noqa: BLE001
            self.entity_error = f"entities not detected: {exc}"
            return []

    def _names_text(self, note: Note) -> str:
        if self.entity_names is None:
            return ""
        ids = list(dict.fromkeys(([note.entity_id] if note.entity_id else []) + note.entities))
        names: list[str] = []
        try:
            for eid in ids:
                for n in self.entity_names(eid):
                    if n not in names:
                        names.append(n)
        except Exception as exc:  # noqa: BLE001
            self.entity_error = f"entity names not indexed: {exc}"
        return " | ".join(names)

    def _rebaseline(self, note: Note, text: str, start: int, end: int, text_hash: str | None = None) -> None:
        a = make_anchor(text, start, end)
        note.quote, note.prefix, note.suffix, note.start, note.end = a.exact, a.prefix, a.suffix, a.start, a.end
        note.article_hash, note.status = text_hash or content_hash(text), ANCHORED
        if self.entity_finder is not None:
            note.entities = self._entities(text, start, end)

    def _insert(self, note: Note, title: str, names: str | None = None) -> None:
        self._insert_many([self._insert_row(note, title, names)])

    def _insert_row(self, note: Note, title: str, names: str | None = None) -> list:
        row = self._row(note)
        if note.origin_start is not None and note.quote and row["origin_quote"] == note.quote:
            row["origin_quote"] = ""  # stored once: see _READ_AS
        if row["origin_hash"] == note.article_hash:
            row["origin_hash"] = ""
        if row["updated"] == note.created:
            row["updated"] = ""  # never edited: stored once, see _READ_AS
        row["article_title"] = title
        row["entity_names"] = names if names is not None and self.entity_names is None else self._names_text(note)
        return list(row.values())

    def _insert_many(self, rows: list[list]) -> None:
        """Insert note rows (inside the caller's transaction).

        Many rows at once skip the per-row triggers that fill the full-text index, the
        tag/entity tables and the word list, and fill them with one statement each afterwards: the same rows
        in the index, five times faster (FTS5 pays a large cost per trigger call). The
        triggers are re-created from their own stored SQL, so the schema stays exactly as it was.
        The rows go in with `executemany`, not sqlite-utils' `insert_all`, which builds
        dicts and multi-row statements and took 3-4 times as long (bench/bulk_insert_bench.py).
        """
        c = self.conn
        rows = self._with_article_links(rows)
        cols = ", ".join(f'"{c}"' for c in _INSERT_COLUMNS)
        insert = f"INSERT INTO notes ({cols}) VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
        if len(rows) < BULK_ROWS:
            c.executemany(insert, rows)
            return
        triggers = dict(c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                  " AND name IN ('notes_ai', 'notes_words_ai', 'notes_tags_ai', 'notes_vocab_ai')").fetchall())
        after = c.execute("SELECT coalesce(max(seq), 0) FROM notes").fetchone()[0]
        for name in triggers:
            c.execute(f"DROP TRIGGER [{name}]")
        c.executemany(insert, rows)
        if "notes_ai" in triggers:
            c.execute("INSERT INTO notes_fts (rowid, body, quote, tags, article_title, entity_names)"
                      " SELECT seq, body, quote, tags, article_title, entity_names FROM notes WHERE seq > ?", (after,))
        if "notes_words_ai" in triggers:  # words and prefixes (schema._v13_notes_words)
            c.execute("INSERT INTO notes_words (rowid, body, quote, tags, article_title, entity_names)"
                      " SELECT seq, body, quote, tags, article_title, entity_names FROM notes WHERE seq > ?", (after,))
        if "notes_tags_ai" in triggers:
            c.execute("INSERT OR IGNORE INTO note_tags (note_seq, tag)"
                      " SELECT n.seq, j.value FROM notes n, json_each(n.tags) j WHERE n.seq > ?", (after,))
            c.execute("INSERT OR IGNORE INTO note_entities (note_seq, entity_id)"
                      " SELECT n.seq, j.value FROM notes n, json_each(n.entities) j WHERE n.seq > ?"
                      " UNION SELECT seq, entity_id FROM notes WHERE seq > ? AND coalesce(entity_id, '') != ''",
                      (after, after))
        if "notes_vocab_ai" in triggers:  # the words of the new notes (schema._v10_note_vocabulary)
            c.execute("INSERT INTO notes_tok (rowid, body, quote, tags, article_title, entity_names)"
                      " SELECT seq, body, quote, tags, article_title, entity_names FROM notes WHERE seq > ?", (after,))
            c.execute("INSERT OR IGNORE INTO notes_vocab (term) SELECT term FROM notes_tok_vocab")
            c.execute("INSERT INTO notes_tok (notes_tok) VALUES ('delete-all')")
        for sql in triggers.values():
            c.execute(sql)

    def _with_article_links(self, rows: list[list]) -> list[list]:
        """`rows` with the ``article`` foreign key: the article id if it is in the library, else
        NULL (a note imported before its article; the article's arrival links it)."""
        ids = list({r[_ARTICLE_ID] for r in rows})
        present: set[str] = set()
        for j in range(0, len(ids), 500):
            part = ids[j:j + 500]
            present.update(r[0] for r in self.conn.execute(
                f"SELECT id FROM articles WHERE id IN ({', '.join('?' * len(part))})", part))
        return [[*r, r[_ARTICLE_ID] if r[_ARTICLE_ID] in present else None] for r in rows]

    def _write_fields(self, note: Note, fields: tuple[str, ...]) -> None:
        row = self._row(note)
        fields = tuple(f for f in fields if f != "entity_names")
        if self.entity_names is not None and ("entities" in fields or "entity_id" in fields):
            row["entity_names"] = self._names_text(note)  # without a gazetteer, keep the old names
            fields += ("entity_names",)
        sets = ", ".join(f'"{f}" = ?' for f in fields)
        self.conn.execute(f"UPDATE notes SET {sets} WHERE id = ?", [row[f] for f in fields] + [note.id])

    @staticmethod
    def _row(note: Note) -> dict:
        d = note.to_dict()
        d["tags"] = json.dumps(note.tags, ensure_ascii=False)
        d["entities"] = json.dumps(note.entities, ensure_ascii=False)
        return d


class _WriteGuard:
    """`store.transaction()` that also turns raw SQLite errors into a one-line StoreError."""

    def __init__(self, store: Store):
        self.store = store
        self._cm = None

    def __enter__(self):
        self._cm = self.store.transaction()
        return self._cm.__enter__()

    def __exit__(self, exc_type, exc, tb):
        try:
            handled = self._cm.__exit__(exc_type, exc, tb)
        except sqlite3.Error as err:
            raise StoreError(describe_sqlite_error(self.store.path, err)) from None
        if isinstance(exc, sqlite3.Error):
            raise StoreError(describe_sqlite_error(self.store.path, exc)) from None
        return handled


# From this many rows, `_insert_many` fills the indexes in bulk instead of row by row.
BULK_ROWS = 50

_ANCHOR_FIELDS = ("quote", "prefix", "suffix", "start", "end", "article_hash", "entities", "status",
                  "review_quote")
