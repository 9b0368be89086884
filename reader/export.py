"""Taking notes elsewhere: Markdown, CSV, our JSON and JSON lines, W3C Web Annotation, Hypothesis.

Months of notes must not be locked in this app. JSON, JSON lines and W3C are read back by
`import-notes` (reader/notes_import.py): ids are kept, so importing the same file twice adds
nothing. The W3C output is an AnnotationCollection (JSON-LD; see reader/w3c.py for what
goes where); the Hypothesis output has the shape of Hypothesis' client export.

Every format streams: rows come from the database one article (W3C: a run of articles of
about a thousand notes) at a time and are written as they come, so memory stays flat whether
there are a thousand notes or a million.
"""

from __future__ import annotations

import csv
import getpass
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import TextIO

from reader import __version__
from reader.hypothesis import FIELDS_SQL as HYPOTHESIS_FIELDS_SQL
from reader.hypothesis import hypothesis_json, hypothesis_user
from reader.notes import NOTE_COLUMNS, ORPHANED, SELECT_COLUMNS, UPDATED_SQL, Note, column_sql
from reader.notes_import import JSON_FORMAT, JSON_VERSION
from reader.notes_import import NotesImportError, import_notes  # noqa: F401 - the export module's import side
from reader.store import Store, now_iso
from reader.w3c import CONTEXT, NOTE_FIELDS_SQL, TAG, article_annotations, creator, entity_bodies, json_list

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
# one article's notes in reading order: article-level first, orphans last
_READING_KEYS = "n.status = 'orphaned', n.start IS NOT NULL, n.start, n.created"
_READING_ORDER = " ORDER BY " + _READING_KEYS
_VERSIONS_SQL = "SELECT hash, created FROM article_versions WHERE article_id = ?"
# the notes of a run of articles (:ids, a JSON list in export order), each article's in reading order
_RUN_SQL = ("SELECT j.key, {columns} FROM json_each(:ids) j JOIN notes n ON n.article_id = j.value"
            " ORDER BY j.key, " + _READING_KEYS)
_RUN_VERSIONS_SQL = ("SELECT article_id, hash, created FROM article_versions"
                     " WHERE article_id IN (SELECT value FROM json_each(?))")
# notes read per query by `Export.runs`: few queries, and a sort that stays in SQLite's memory
_RUN_NOTES = 1000
# the columns of an ExportRow: the note, then its article's title, date and URL
ROW_COLUMNS = SELECT_COLUMNS + ", :title, :date, :url"
_NCOLS = len(NOTE_COLUMNS)
_HASH = NOTE_COLUMNS.index("article_hash")
_BATCH = 500


class Export:
    """The notes to export, read from the database while they are written out.

    A whole-library export reads one article's notes at a time (articles newest first,
    undated last; each article's notes in reading order), so memory stays flat at any size.
    A query export keeps only the ids of the matching notes, grouped by article in the same
    order, and reads them back in batches. `groups(columns)` yields, per article, the rows a
    format needs (SQL does the work it does fastest, such as building JSON) and when each
    version of the article was stored; `runs(columns)` the same with one query per run of
    articles rather than per article; `select(columns)` the rows alone; iterating yields
    `ExportRow`s; `articles()` the articles in order; `total` is the number of notes.
    """

    def __init__(self, store: Store, *, groups: list[tuple[ExportArticle, list[str]]] | None = None,
                 hints: list[str] | None = None):
        self.store = store
        self._groups = groups
        self.hints = hints or []
        if groups is not None:
            self.total = sum(len(ids) for _, ids in groups)
        else:
            self.total = store.conn.execute("SELECT count(*) FROM notes").fetchone()[0]

    def __len__(self) -> int:
        return self.total

    def has_entities(self) -> bool:
        """Whether any note names an entity (only then is the gazetteer worth loading)."""
        if self._groups is not None:
            return any(e or n != "[]" for e, n in self.select("n.entity_id, n.entities"))
        return self.store.conn.execute("SELECT 1 FROM note_entities LIMIT 1").fetchone() is not None

    def articles(self) -> Iterator[ExportArticle]:
        if self._groups is not None:
            yield from (a for a, _ in self._groups)
            return
        for r in self.store.conn.execute(_ARTICLES_SQL):
            yield ExportArticle(*r)

    def groups(self, columns: str, *, versions: bool = True
               ) -> Iterator[tuple[ExportArticle, dict[str, str], Iterator[tuple]]]:
        """Per article, in export order: the article, {version hash: when it was stored} (left
        empty when `versions` is False: a query less per article for the formats that do not
        name versions) and the rows of `columns` for its notes in reading order. `columns` is
        SQL over the note `n`, with the article's :article_id, :title, :date and :url as
        parameters (constant per article: cheaper than a join per note)."""
        conn = self.store.conn
        stored = (lambda a: dict(conn.execute(_VERSIONS_SQL, (a.id,)))) if versions else (lambda a: {})
        if self._groups is None:
            sql = f"SELECT {columns} FROM notes n WHERE n.article_id = :article_id{_READING_ORDER}"
            for a in self.articles():
                args = {"article_id": a.id, "title": a.title, "date": a.date, "url": a.url}
                yield a, stored(a), conn.execute(sql, args)
            return
        sql = f"SELECT n.id, {columns} FROM notes n WHERE n.id IN (SELECT value FROM json_each(:ids))"
        for a, ids in self._groups:
            args = {"article_id": a.id, "title": a.title, "date": a.date, "url": a.url}
            yield a, stored(a), self._by_ids(sql, args, ids)

    def runs(self, columns: str) -> Iterator[tuple[ExportArticle, dict[str, str], Iterator[tuple]]]:
        """As `groups`, for `columns` that need no parameters, with the notes of many articles
        read by one query (up to about `_RUN_NOTES` notes each): a library of many small
        articles costs a few hundred queries rather than one per article. The versions come
        with every article. Read each article's rows before asking for the next article."""
        if self._groups is not None:
            yield from self.groups(columns)
            return
        sql = _RUN_SQL.format(columns=columns)
        run: list[ExportArticle] = []
        size = 0
        for a in self.articles():
            run.append(a)
            size += a.notes
            if size >= _RUN_NOTES:
                yield from self._run(sql, run)
                run, size = [], 0
        if run:
            yield from self._run(sql, run)

    def _run(self, sql: str, run: list[ExportArticle]
             ) -> Iterator[tuple[ExportArticle, dict[str, str], Iterator[tuple]]]:
        conn = self.store.conn
        ids = json.dumps([a.id for a in run])
        versions: dict[str, dict[str, str]] = {}
        for article_id, digest, created in conn.execute(_RUN_VERSIONS_SQL, (ids,)):
            versions.setdefault(article_id, {})[digest] = created
        rest = itemgetter(slice(1, None))
        # an article whose notes were all deleted since it was listed has no rows: skipped
        for key, rows in groupby(conn.execute(sql, {"ids": ids}), itemgetter(0)):
            a = run[key]
            yield a, versions.get(a.id, {}), map(rest, rows)

    def _by_ids(self, sql: str, args: dict, ids: list[str]) -> Iterator[tuple]:
        conn = self.store.conn
        for i in range(0, len(ids), _BATCH):
            part = ids[i:i + _BATCH]
            found = {r[0]: r[1:] for r in conn.execute(sql, {**args, "ids": json.dumps(part)})}
            for note_id in part:
                if note_id in found:  # deleted since the search: skipped
                    yield found[note_id]

    def select(self, columns: str) -> Iterator[tuple]:
        """The rows of `columns` (see `groups`), one per note, in export order."""
        for _, _, rows in self.groups(columns, versions=False):
            yield from rows

    def __iter__(self) -> Iterator[ExportRow]:
        from_row = Note.from_row
        for _, versions, rows in self.groups(ROW_COLUMNS):
            for r in rows:
                yield ExportRow(from_row(r[:_NCOLS]), *r[_NCOLS:], versions.get(r[_HASH], ""))


def export_rows(store: Store, query: str | None = None, *, gazetteer=None) -> tuple[Export, list[str]]:
    """The notes to export (all, or those matching `query`), plus query hints."""
    if not (query and query.strip()):
        return Export(store), []
    from reader.search import parse_query, search_notes

    conn = store.conn
    q = parse_query(query)
    hints = list(q.hints)
    hits = search_notes(conn, q, limit=-1, sort="article", gazetteer=gazetteer, hints=hints, spans=False)
    aids = json.dumps(sorted({h.note.article_id for h in hits}))
    urls = dict(conn.execute("SELECT id, url FROM articles WHERE id IN (SELECT value FROM json_each(?))", (aids,)))
    rows = [ExportRow(h.note, h.article_title, h.article_date, urls.get(h.note.article_id, "")) for h in hits]
    del hits
    _sort(rows)
    groups: dict[str, tuple[list, list[str]]] = {}
    for r in rows:
        groups.setdefault(r.note.article_id, ([r.title, r.date, r.url], []))[1].append(r.note.id)
    export = Export(store, hints=hints, groups=[(ExportArticle(aid, *info, len(ids)), ids)
                                                for aid, (info, ids) in groups.items()])
    return export, hints


def _sort(rows: list[ExportRow]) -> None:
    """Articles newest first (undated last), each article's notes in reading order, in place.

    Three stable sorts are much cheaper than one composite key with a reversed date.
    """
    rows.sort(key=lambda r: (r.title, r.note.article_id, r.note.status == "orphaned", r.note.start is not None,
                             r.note.start or 0, r.note.created))
    rows.sort(key=lambda r: r.date, reverse=True)
    rows.sort(key=lambda r: r.date == "")


def write_export(rows: Export, fmt: str, out: TextIO, *, bom: bool = False,
                 options: WriteOptions | None = None) -> int:
    """Write the notes in `fmt` to `out`, streaming; returns the number of notes written.
    `bom` starts a CSV export with a byte-order mark for spreadsheet programs."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    opts = options or WriteOptions()
    if bom:
        opts = replace(opts, bom=True)
    writer = {"markdown": _markdown, "csv": _csv, "json": _json, "jsonl": _jsonl, "w3c": _w3c,
              "hypothesis": _hypothesis}[fmt]
    return writer(rows, out, opts)


# --- Markdown ---------------------------------------------------------------------------


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


_MD_SQL = "n.quote, n.body, n.created, n.tags, n.entity_id, n.status"


@lru_cache(maxsize=4096)
def _md_tags(tags: str) -> str:
    """'#a #b' for a note's tags (JSON text as stored); '' for none."""
    return " ".join("#" + str(t) for t in json_list(tags)) if tags and tags != "[]" else ""


def _markdown(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    out.write(f"# Notes\n\nExported from mali-reader on {now_iso()[:10]}: {rows.total} notes.\n")
    written = 0
    for article, _, group in rows.groups(_MD_SQL, versions=False):
        parts = None
        for quote, body, created, tags, entity_id, status in group:
            if parts is None:  # an article of a query export may have lost all its notes since
                meta = " · ".join(p for p in (article.date, f"`{article.id}`", article.url) if p)
                parts = [f"\n## {article.title or article.id}\n\n{meta}\n"]
            written += 1
            parts.append("\n")
            if quote:
                parts.append(_md_quote(quote) + "\n\n")
            else:
                parts.append("*(note on the whole article)*\n\n")
            if body:
                parts.append(body.rstrip() + "\n\n")
            extras = [created[:10]]
            tag_text = _md_tags(tags)
            if tag_text:
                extras.append(tag_text)
            if entity_id:
                extras.append(f"entity: {entity_id}")
            if status == ORPHANED:
                extras.append("ORPHANED: passage not found in the current text")
            parts.append("— " + " · ".join(extras) + "\n")
        if parts:
            out.write("".join(parts))
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


def _csv_list_cell(values: str) -> str:
    """A list cell's text from a JSON list as stored: its items joined by ', ', inert."""
    return inert_cell(", ".join(str(v) for v in json_list(values)) if values and values != "[]" else "")


_csv_list = lru_cache(maxsize=4096)(_csv_list_cell)
_CSV_SQL = (f'n.id, n.article_id, :title, :date, n.status, n.created, {UPDATED_SQL}, n.quote, n.prefix, n.suffix,'
            ' n.start, n."end", n.body, n.tags, coalesce(n.entity_id, \'\'), n.entities, n.article_hash')


def _csv_lines(group, formula=frozenset(_FORMULA_START)) -> list[str]:
    """One CSV line per note: every text cell quoted (quotes doubled) and inert (as
    `inert_cell`), offsets bare. Written out by hand: the csv module copies every character
    one at a time, and notes carry long passages."""
    cell = _csv_list
    lines = []
    for (note_id, article_id, title, date, status, created, updated, quote, prefix, suffix, start, end, body, tags,
         entity_id, entities, digest) in group:
        head = [note_id, article_id, title, date, status, created, updated, quote, prefix, suffix]
        tail = [body, cell(tags), entity_id, cell(entities), digest]
        head = [("'" + v if v[:1] in formula else v).replace('"', '""') for v in head]
        tail = [("'" + v if v[:1] in formula else v).replace('"', '""') for v in tail]
        lines.append('"' + '","'.join(head) + '",' + ("" if start is None else str(start)) + ","
                     + ("" if end is None else str(end)) + ',"' + '","'.join(tail) + '"\r\n')
    return lines


def _csv(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    """RFC 4180 CSV (CRLF lines, as the csv module writes), one row per note: every text cell
    quoted and inert, offsets bare."""
    if opts.bom:
        out.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    csv.writer(out).writerow(CSV_COLUMNS)
    written = 0
    for _, _, group in rows.groups(_CSV_SQL, versions=False):
        lines = _csv_lines(group)
        out.write("".join(lines))
        written += len(lines)
    return written


# --- JSON and JSON lines (ours, re-importable) ---------------------------------------------

# a note as JSON, built by SQLite (the same keys in the same order as Note.to_dict)
_NOTE_JSON_SQL = "json_object(" + ", ".join(
    f"'{f.name}', " + (f'json(n."{f.name}")' if f.name in ("tags", "entities") else column_sql(f.name))
    for f in fields(Note)) + ")"


def _json(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    articles = {a.id: {"title": a.title, "date": a.date, "url": a.url} for a in rows.articles()}
    out.write('{"format": %s, "version": %d, "exported": %s,\n "articles": %s,\n "notes": [' % (
        json.dumps(JSON_FORMAT), JSON_VERSION, json.dumps(now_iso()), json.dumps(articles, ensure_ascii=False)))
    del articles
    written = 0
    for _, _, group in rows.groups(_NOTE_JSON_SQL, versions=False):
        texts = [text for (text,) in group]
        if texts:
            out.write(("\n  " if written == 0 else ",\n  ") + ",\n  ".join(texts))
            written += len(texts)
    out.write("\n]}\n")
    return written


def _jsonl(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    """One note per line: the full note (as in the JSON export) plus its article's title,
    date and URL; `import-notes` reads it back."""
    sql = _NOTE_JSON_SQL[:-1] + ", 'article_title', :title, 'article_date', :date, 'article_url', :url)"
    written = 0
    for _, _, group in rows.groups(sql, versions=False):
        texts = [text for (text,) in group]
        if texts:
            out.write("\n".join(texts) + "\n")
            written += len(texts)
    return written


# --- W3C Web Annotation -----------------------------------------------------------------


def _w3c(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    made_by = json.dumps(creator(opts.user or default_user()), ensure_ascii=False)
    stamp = now_iso()
    head = {"@context": W3C_CONTEXT, "id": f"{TAG}export/{stamp}", "type": "AnnotationCollection",
            "label": "mali-reader notes", "total": rows.total, "generated": stamp}
    text = json.dumps(head, ensure_ascii=False)[:-1]
    out.write(text + ',\n "first": {"type": "AnnotationPage", "startIndex": 0, "items": [')
    written = 0
    kind = opts.entity_type
    entity_bodies.cache_clear()  # its keys hold the entity_type function (and so a gazetteer)
    for article, versions, group in rows.runs(NOTE_FIELDS_SQL):
        texts = article_annotations(article.id, article.url, versions, group, made_by=made_by, entity_type=kind)
        if texts:
            out.write("\n  " if written == 0 else ",\n  ")  # apart: joining would copy the article's text again
            out.write(",\n  ".join(texts))
            written += len(texts)
    out.write("\n]}}\n")
    entity_bodies.cache_clear()
    return written


# --- Hypothesis ---------------------------------------------------------------------------


def _hypothesis(rows: Export, out: TextIO, opts: WriteOptions) -> int:
    name = opts.user or default_user()
    user = hypothesis_user(name)
    head = {"export_date": now_iso(), "export_userid": user, "client_version": f"mali-reader {__version__}"}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',\n "annotations": [')
    written = 0
    for _, _, group in rows.groups(HYPOTHESIS_FIELDS_SQL, versions=False):
        texts = [hypothesis_json(row, user, name) for row in group]
        if texts:
            out.write(("\n  " if written == 0 else ",\n  ") + ",\n  ".join(texts))
            written += len(texts)
    out.write("\n]}\n")
    return written
