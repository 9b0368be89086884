"""Taking notes elsewhere: Markdown, CSV, our JSON and JSON lines, W3C Web Annotation, Hypothesis.

Months of notes must not be locked in this app. JSON, JSON lines and W3C are read back by
`import-notes` (reader/notes_import.py): ids are kept, so importing the same file twice adds
nothing. The W3C output is an AnnotationCollection (JSON-LD; see reader/w3c.py for what
goes where); the Hypothesis output has the shape of Hypothesis' client export.

Every format streams: rows come from the database one article at a time and are written
as they come, so memory stays flat whether there are a thousand notes or a million.
"""

from __future__ import annotations

import csv
import getpass
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from reader import __version__
from reader.notes import SELECT_COLUMNS, Note
from reader.store import Store, now_iso
from reader.notes_import import JSON_FORMAT, JSON_VERSION, NotesImportError, import_notes
from reader.w3c import CONTEXT, TAG, Placement, creator, to_annotation

FORMATS = ("markdown", "csv", "json", "jsonl", "w3c", "hypothesis")
W3C_CONTEXT = CONTEXT
CSV_COLUMNS = ("id", "article_id", "article_title", "article_date", "status", "created", "updated",
               "quote", "prefix", "suffix", "start", "end", "body", "tags", "entity_id", "entities",
               "article_hash")


@dataclass(frozen=True)
class ExportRow:
    note: Note
    title: str
    date: str
    url: str
    version_date: str = ""  # when the version the note's selectors point into was stored ('' unknown)


@dataclass(frozen=True)
class ExportArticle:
    id: str
    title: str
    date: str
    url: str
    notes: int


@dataclass
class WriteOptions:
    """What some formats add: a CSV byte-order mark, the user named as creator (W3C and
    Hypothesis), and the kind of an entity id (W3C ``classifying`` bodies; None: none)."""

    bom: bool = False
    user: str = ""
    entity_type: Callable[[str], str | None] | None = None


def default_user() -> str:
    """The OS user name, as the creator of exported annotations."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "mali-reader user"


_ARTICLES_SQL = (
    "SELECT g.article_id,"
    " coalesce(a.title, (SELECT m.article_title FROM notes m WHERE m.article_id = g.article_id LIMIT 1), '') AS t,"
    " coalesce(a.date, '') AS d, coalesce(a.url, ''), g.n"
    " FROM (SELECT article_id, count(*) AS n FROM notes GROUP BY article_id) g"
    " LEFT JOIN articles a ON a.id = g.article_id"
    " ORDER BY d = '', d DESC, t, g.article_id")
# one article's notes in reading order (article-level first, orphans last), with the date of
# the version their selectors point into
_NOTES_SQL = (
    f"SELECT {SELECT_COLUMNS}, coalesce(v.created, '') FROM notes n"
    " LEFT JOIN article_versions v ON v.article_id = n.article_id AND v.hash = n.article_hash"
    " WHERE n.article_id = ?"
    " ORDER BY n.status = 'orphaned', n.start IS NOT NULL, n.start, n.created")
_NCOLS = len(SELECT_COLUMNS.split(", "))


class Export:
    """The notes to export, read from the database while they are written out.

    A whole-library export holds one article's notes at a time (articles newest first,
    undated last; each article's notes in reading order), so memory stays flat at any size.
    A query export holds the matching notes (what the search returned), in the same order.
    Iterating yields `ExportRow`s; `articles()` the articles in the same order; `total` is
    the number of notes.
    """

    def __init__(self, store: Store, *, rows: list[ExportRow] | None = None, hints: list[str] | None = None):
        self.store = store
        self._rows = rows
        self.hints = hints or []
        if rows is not None:
            self.total = len(rows)
        else:
            self.total = store.conn.execute("SELECT count(*) FROM notes").fetchone()[0]

    def __len__(self) -> int:
        return self.total

    def articles(self) -> Iterator[ExportArticle]:
        if self._rows is not None:
            yield from _articles_of(self._rows)
            return
        for r in self.store.conn.execute(_ARTICLES_SQL):
            yield ExportArticle(*r)

    def __iter__(self) -> Iterator[ExportRow]:
        if self._rows is not None:
            yield from self._rows
            return
        conn = self.store.conn
        from_row = Note.from_row
        for a in self.articles():
            for r in conn.execute(_NOTES_SQL, (a.id,)):
                yield ExportRow(from_row(r[:_NCOLS]), a.title, a.date, a.url, r[_NCOLS])


def export_rows(store: Store, query: str | None = None, *, gazetteer=None) -> tuple[Export, list[str]]:
    """The notes to export (all, or those matching `query`), plus query hints."""
    if not (query and query.strip()):
        return Export(store), []
    from reader.search import parse_query, search_notes

    conn = store.conn
    q = parse_query(query)
    hints = list(q.hints)
    hits = search_notes(conn, q, limit=-1, sort="article", gazetteer=gazetteer, hints=hints, spans=False)
    if not hits:
        return Export(store, rows=[], hints=hints), hints
    ids = json.dumps(sorted({h.note.article_id for h in hits}))
    urls = dict(conn.execute("SELECT id, url FROM articles WHERE id IN (SELECT value FROM json_each(?))", (ids,)))
    dates = {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT article_id, hash, created FROM article_versions"
        " WHERE article_id IN (SELECT value FROM json_each(?))", (ids,))}
    rows = [ExportRow(h.note, h.article_title, h.article_date, urls.get(h.note.article_id, ""),
                      dates.get((h.note.article_id, h.note.article_hash), "")) for h in hits]
    _sort(rows)
    return Export(store, rows=rows, hints=hints), hints


def _sort(rows: list[ExportRow]) -> None:
    """Articles newest first (undated last), each article's notes in reading order, in place.

    Three stable sorts are much cheaper than one composite key with a reversed date.
    """
    rows.sort(key=lambda r: (r.title, r.note.article_id, r.note.status == "orphaned", r.note.start is not None,
                             r.note.start or 0, r.note.created))
    rows.sort(key=lambda r: r.date, reverse=True)
    rows.sort(key=lambda r: r.date == "")


def write_export(rows: Export | list[ExportRow], fmt: str, out: TextIO, *, bom: bool = False,
                 options: WriteOptions | None = None) -> int:
    """Write the notes in `fmt` to `out`, streaming; returns the number of notes written.
    `bom` starts a CSV export with a byte-order mark for spreadsheet programs."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    opts = options or WriteOptions()
    if bom:
        opts = replace(opts, bom=True)
    if isinstance(rows, list):
        rows = _Listed(rows)
    writer = {"markdown": _markdown, "csv": _csv, "json": _json, "jsonl": _jsonl, "w3c": _w3c,
              "hypothesis": _hypothesis}[fmt]
    return writer(rows, out, opts)


class _Listed:
    """A plain list of rows seen as an Export (for callers that built rows themselves)."""

    def __init__(self, rows: list[ExportRow]):
        self.rows, self.total = rows, len(rows)

    def __iter__(self):
        return iter(self.rows)

    def articles(self) -> Iterator[ExportArticle]:
        return _articles_of(self.rows)


def _articles_of(rows: list[ExportRow]) -> Iterator[ExportArticle]:
    seen: dict[str, list] = {}
    for r in rows:
        seen.setdefault(r.note.article_id, [r.title, r.date, r.url, 0])[3] += 1
    for aid, (title, date, url, n) in seen.items():
        yield ExportArticle(aid, title, date, url, n)


# --- Markdown ---------------------------------------------------------------------------


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def _markdown(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    out.write(f"# Notes\n\nExported from mali-reader on {now_iso()[:10]}: {rows.total} notes.\n")
    current = None
    written = 0
    for r in rows:
        n = r.note
        written += 1
        if n.article_id != current:
            current = n.article_id
            meta = " · ".join(p for p in (r.date, f"`{n.article_id}`", r.url) if p)
            out.write(f"\n## {r.title or n.article_id}\n\n{meta}\n")
        out.write("\n")
        if n.quote:
            out.write(_md_quote(n.quote) + "\n\n")
        else:
            out.write("*(note on the whole article)*\n\n")
        if n.body:
            out.write(n.body.rstrip() + "\n\n")
        extras = [n.created[:10]]
        if n.tags:
            extras.append(" ".join("#" + t for t in n.tags))
        if n.entity_id:
            extras.append(f"entity: {n.entity_id}")
        if n.orphaned:
            extras.append("ORPHANED: passage not found in the current text")
        out.write("— " + " · ".join(extras) + "\n")
    return written


# --- CSV --------------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula (=, +, -, @, tab,
    CR) gets a leading apostrophe, as OWASP's CSV-injection advice says. Numbers stay numbers."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    if opts.bom:
        out.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    written = 0
    for r in rows:
        n = r.note
        written += 1
        w.writerow([inert_cell(v) for v in (
            n.id, n.article_id, r.title, r.date, n.status, n.created, n.updated, n.quote, n.prefix,
            n.suffix, "" if n.start is None else n.start, "" if n.end is None else n.end, n.body,
            ", ".join(n.tags), n.entity_id or "", ", ".join(n.entities), n.article_hash)])
    return written


# --- JSON and JSON lines (ours, re-importable) ---------------------------------------------


def _json(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    articles = {a.id: {"title": a.title, "date": a.date, "url": a.url} for a in rows.articles()}
    out.write('{"format": %s, "version": %d, "exported": %s,\n "articles": %s,\n "notes": [' % (
        json.dumps(JSON_FORMAT), JSON_VERSION, json.dumps(now_iso()), json.dumps(articles, ensure_ascii=False)))
    del articles
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    for r in rows:
        out.write(("\n  " if written == 0 else ",\n  ") + dumps(r.note.to_dict()))
        written += 1
    out.write("\n]}\n")
    return written


def _jsonl(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    """One note per line: the full note (as in the JSON export) plus its article's title,
    date and URL; `import-notes` reads it back."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    for r in rows:
        d = r.note.to_dict()
        d["article_title"], d["article_date"], d["article_url"] = r.title, r.date, r.url
        out.write(dumps(d) + "\n")
        written += 1
    return written


# --- W3C Web Annotation -----------------------------------------------------------------


def _w3c(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    user = creator(opts.user or default_user())
    stamp = now_iso()
    head = {"@context": W3C_CONTEXT, "id": f"{TAG}export/{stamp}", "type": "AnnotationCollection",
            "label": "mali-reader notes", "total": rows.total, "generated": stamp}
    text = json.dumps(head, ensure_ascii=False)[:-1]
    out.write(text + ',\n "first": {"type": "AnnotationPage", "startIndex": 0, "items": [')
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    for r in rows:
        anno = to_annotation(r.note, Placement(r.url, r.version_date), made_by=user, entity_type=opts.entity_type)
        out.write(("\n  " if written == 0 else ",\n  ") + dumps(anno))
        written += 1
    out.write("\n]}}\n")
    return written


# --- Hypothesis ---------------------------------------------------------------------------


def hypothesis_user(name: str) -> str:
    """A Hypothesis-style user id (``acct:NAME@AUTHORITY``) for a local user."""
    clean = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name) or "user"
    return f"acct:{clean}@mali-reader.local"


def to_hypothesis(r: ExportRow, user: str, display_name: str) -> dict:
    """One note in the shape of an annotation in Hypothesis' client export (its API shape)."""
    n = r.note
    uri = r.url or f"{TAG}article/{n.article_id}"
    target: dict = {"source": uri}
    if n.quote:
        target["selector"] = [
            {"type": "TextQuoteSelector", "exact": n.quote, "prefix": n.prefix, "suffix": n.suffix},
            {"type": "TextPositionSelector", "start": n.start, "end": n.end},
        ]
    return {"id": n.id, "created": n.created, "updated": n.updated, "user": user, "uri": uri,
            "text": n.body, "tags": n.tags, "group": "__world__",
            "permissions": {"read": [user], "update": [user], "delete": [user], "admin": [user]},
            "target": [target], "document": {"title": [r.title or n.article_id]},
            "links": {}, "hidden": False, "flagged": False, "user_info": {"display_name": display_name}}


def _hypothesis(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    name = opts.user or default_user()
    user = hypothesis_user(name)
    head = {"export_date": now_iso(), "export_userid": user, "client_version": f"mali-reader {__version__}"}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',\n "annotations": [')
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    for r in rows:
        out.write(("\n  " if written == 0 else ",\n  ") + dumps(to_hypothesis(r, user, name)))
        written += 1
    out.write("\n]}\n")
    return written
