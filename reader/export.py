"""Taking notes elsewhere: Markdown, CSV, our JSON (re-importable) and W3C Web Annotation.

Months of notes must not be locked in this app. The JSON format is the full model and is
what `import_notes` reads back: ids are kept, so importing the same file twice adds nothing,
and a note edited since the export is not overwritten by its older copy. The W3C output is
an AnnotationCollection (Web Annotation Data Model, JSON-LD) that other annotation tools
understand: TextQuoteSelector + TextPositionSelector targets, TextualBody comments, and tags
as bodies with the "tagging" purpose. Exports stream row by row so 100,000 notes stay fast.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from reader.notes import SELECT_COLUMNS, Note, NoteStore
from reader.store import Store, now_iso

FORMATS = ("markdown", "csv", "json", "w3c")
JSON_FORMAT = "mali-reader-notes"
JSON_VERSION = 1
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CSV_COLUMNS = ("id", "article_id", "article_title", "article_date", "status", "created", "updated",
               "quote", "prefix", "suffix", "start", "end", "body", "tags", "entity_id", "entities",
               "article_hash")


class NotesImportError(ValueError):
    """A notes file that cannot be imported; the message is one line naming the file."""


@dataclass(frozen=True)
class ExportRow:
    note: Note
    title: str
    date: str
    url: str


def export_rows(store: Store, query: str | None = None, *, gazetteer=None) -> tuple[list[ExportRow], list[str]]:
    """The notes to export (all, or those matching `query`) grouped by article, plus query hints."""
    conn = store.conn
    if query and query.strip():
        from reader.search import parse_query, search_notes

        q = parse_query(query)
        hints = list(q.hints)
        hits = search_notes(conn, q, limit=-1, sort="article", gazetteer=gazetteer, hints=hints, spans=False)
        wanted = [h.note.id for h in hits]
        if not wanted:
            return [], hints
        urls = dict(conn.execute(
            "SELECT id, url FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted({h.note.article_id for h in hits})),)).fetchall())
        rows = [ExportRow(h.note, h.article_title, h.article_date, urls.get(h.note.article_id, "")) for h in hits]
        _sort(rows)
        return rows, hints
    cur = conn.execute(
        f"SELECT {SELECT_COLUMNS}, coalesce(a.title, n.article_title), coalesce(a.date, ''), coalesce(a.url, '')"
        " FROM notes n LEFT JOIN articles a ON a.id = n.article_id")
    rows = [ExportRow(Note.from_row(r[:-3]), r[-3], r[-2], r[-1]) for r in cur]
    _sort(rows)
    return rows, []


def _sort(rows: list[ExportRow]) -> None:
    """Articles newest first (undated last), each article's notes in reading order, in place.

    Three stable sorts are much cheaper than one composite key with a reversed date.
    """
    rows.sort(key=lambda r: (r.title, r.note.article_id, r.note.status == "orphaned", r.note.start is not None,
                             r.note.start or 0, r.note.created))
    rows.sort(key=lambda r: r.date, reverse=True)
    rows.sort(key=lambda r: r.date == "")


def write_export(rows: list[ExportRow], fmt: str, out: TextIO, *, bom: bool = False) -> None:
    """`bom` starts a CSV export with a byte-order mark for spreadsheet programs."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        _csv(rows, out, bom=bom)
        return
    {"markdown": _markdown, "json": _json, "w3c": _w3c}[fmt](rows, out)


# --- Markdown ---------------------------------------------------------------------------


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def _markdown(rows: list[ExportRow], out: TextIO) -> None:
    out.write(f"# Notes\n\nExported from mali-reader on {now_iso()[:10]}: {len(rows)} notes.\n")
    current = None
    for r in rows:
        n = r.note
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


# --- CSV --------------------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula (=, +, -, @, tab,
    CR) gets a leading apostrophe, as OWASP's CSV-injection advice says. Numbers stay numbers."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(rows: list[ExportRow], out: TextIO, *, bom: bool = False) -> None:
    if bom:
        out.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        n = r.note
        w.writerow([inert_cell(v) for v in (
            n.id, n.article_id, r.title, r.date, n.status, n.created, n.updated, n.quote, n.prefix,
            n.suffix, "" if n.start is None else n.start, "" if n.end is None else n.end, n.body,
            ", ".join(n.tags), n.entity_id or "", ", ".join(n.entities), n.article_hash)])


# --- JSON (ours) --------------------------------------------------------------------------


def _json(rows: list[ExportRow], out: TextIO) -> None:
    articles = {}
    for r in rows:
        articles.setdefault(r.note.article_id, {"title": r.title, "date": r.date, "url": r.url})
    out.write('{"format": %s, "version": %d, "exported": %s,\n "articles": %s,\n "notes": [' % (
        json.dumps(JSON_FORMAT), JSON_VERSION, json.dumps(now_iso()), json.dumps(articles, ensure_ascii=False)))
    for i, r in enumerate(rows):
        out.write(("\n  " if i == 0 else ",\n  ") + json.dumps(r.note.to_dict(), ensure_ascii=False))
    out.write("\n]}\n")


def import_notes(store: Store, path: Path | str, *, notes: NoteStore | None = None) -> dict[str, int]:
    """Import our JSON export; returns counts of "new", "updated", "unchanged" and how the notes
    were placed ("kept", "moved", "review", "orphaned"). Idempotent.

    Raises NotesImportError (one line naming the file) before writing anything when the file
    is not a valid export; the import commits in batches (`NoteStore.import_notes`).
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotesImportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise NotesImportError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = json.loads(raw)
    except RecursionError:
        raise NotesImportError(f"{path}: JSON nested too deeply to be a notes export; refused") from None
    except json.JSONDecodeError as exc:
        raise NotesImportError(f"{path}: not JSON ({exc}); export with 'mali-reader export --format json'") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        raise NotesImportError(f"{path}: W3C annotation files are not importable; use a --format json export")
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT or not isinstance(data.get("notes"), list):
        raise NotesImportError(f"{path}: not a mali-reader notes export (expected \"format\": \"{JSON_FORMAT}\")")
    if not isinstance(data.get("version"), int) or data["version"] > JSON_VERSION:
        raise NotesImportError(f"{path}: written by a newer mali-reader (version {data.get('version')!r}); upgrade")
    parsed = []
    for i, d in enumerate(data["notes"]):
        try:
            parsed.append(Note.from_dict(d))
        except (TypeError, ValueError) as exc:
            raise NotesImportError(f"{path}: note {i + 1}: {exc}") from None
    ns = notes or NoteStore(store)
    counts = ns.import_notes(parsed)
    counts.pop("results", None)
    return counts


# --- W3C Web Annotation -----------------------------------------------------------------


def article_iri(article_id: str, url: str = "") -> str:
    return url or f"urn:mali-reader:article:{article_id}"


def to_annotation(r: ExportRow) -> dict:
    """One note as a Web Annotation (https://www.w3.org/TR/annotation-model/)."""
    n = r.note
    bodies: list[dict] = []
    if n.body:
        bodies.append({"type": "TextualBody", "value": n.body, "format": "text/plain", "purpose": "commenting"})
    bodies.extend({"type": "TextualBody", "value": t, "purpose": "tagging"} for t in n.tags)
    if n.entity_id:
        bodies.append({"type": "SpecificResource", "source": f"urn:mali-reader:entity:{n.entity_id}",
                       "purpose": "identifying"})
    target: dict = {"source": article_iri(n.article_id, r.url)}
    if n.quote:
        target["selector"] = [
            {"type": "TextQuoteSelector", "exact": n.quote, "prefix": n.prefix, "suffix": n.suffix},
            {"type": "TextPositionSelector", "start": n.start, "end": n.end},
        ]
    anno: dict = {"id": f"urn:uuid:{n.id}", "type": "Annotation",
                  "motivation": "commenting" if n.body else ("tagging" if n.tags else "highlighting"),
                  "created": n.created, "modified": n.updated, "target": target}
    if bodies:
        anno["body"] = bodies
    return anno


def _w3c(rows: list[ExportRow], out: TextIO) -> None:
    head = {"@context": W3C_CONTEXT, "id": "urn:mali-reader:export:" + now_iso(), "type": "AnnotationCollection",
            "label": "mali-reader notes", "total": len(rows)}
    text = json.dumps(head, ensure_ascii=False)[:-1]
    out.write(text + ',\n "first": {"type": "AnnotationPage", "startIndex": 0, "items": [')
    for i, r in enumerate(rows):
        out.write(("\n  " if i == 0 else ",\n  ") + json.dumps(to_annotation(r), ensure_ascii=False))
    out.write("\n]}}\n")
