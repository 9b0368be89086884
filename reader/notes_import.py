"""Reading notes back: our JSON and JSON-lines exports, W3C Web Annotations and Hypothesis exports.

`import_notes` recognises the format from the content (not the file name), checks every
entry before writing anything, and then hands the notes to `NoteStore.import_notes`, which
keys on the note id: importing the same file twice adds nothing, and a note edited since
the export is not overwritten by its older copy. A bad file is refused with one line naming
the file and the entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from reader.notes import Note, NoteStore
from reader.store import Store
from reader.hypothesis import as_w3c as hypothesis_annotation
from reader.w3c import annotations_in, from_annotation

JSON_FORMAT = "mali-reader-notes"
JSON_VERSION = 1


class NotesImportError(ValueError):
    """A notes file that cannot be imported; the message is one line naming the file."""


def import_notes(store: Store, path: Path | str | None = None, *, data: bytes | str | None = None,
                 name: str | None = None, notes: NoteStore | None = None) -> dict:
    """Import a notes file (or `data`, e.g. standard input, shown as `name`).

    Returns counts of "new", "updated", "unchanged", how the notes were placed ("kept",
    "moved", "review", "orphaned") and "format" (json, jsonl, w3c or hypothesis). Raises
    NotesImportError before writing anything when the file cannot be imported.
    """
    label = name or (str(path) if path is not None else "<stdin>")
    if data is None:
        if path is None:
            raise ValueError("give a path or data")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise NotesImportError(f"{label}: cannot read ({exc.strerror or exc})") from None
    if isinstance(data, bytes):
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotesImportError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    else:
        raw = data
    fmt, parsed = parse_notes(store, raw, label)
    ns = notes or NoteStore(store)
    counts = ns.import_notes(parsed)
    counts.pop("results", None)
    counts["format"] = fmt
    return counts


def parse_notes(store: Store, raw: str, label: str) -> tuple[str, list[Note]]:
    """(format, notes) from the text of a notes file; NotesImportError naming `label`."""
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise NotesImportError(f"{label}: JSON nested too deeply to be a notes export; refused") from None
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and raw.lstrip().startswith("{"):
            return "jsonl", _json_lines(raw, label)
        raise NotesImportError(f"{label}: not JSON ({exc}); export with 'mali-reader export --format json'") from None
    if isinstance(doc, dict) and doc.get("format") == JSON_FORMAT:
        return "json", _ours(doc, label)
    if isinstance(doc, dict) and isinstance(doc.get("annotations"), list) and "export_userid" in doc:
        return "hypothesis", _hypothesis(store, doc["annotations"], label)
    if isinstance(doc, dict) and {"id", "article_id"} <= doc.keys():  # a JSON-lines file of one note
        return "jsonl", _json_lines(raw, label)
    annos = annotations_in(doc)
    if annos is not None:
        return "w3c", _w3c(store, annos, label)
    raise NotesImportError(f"{label}: not a notes export (expected mali-reader JSON or JSON lines, "
                           "W3C Web Annotations or a Hypothesis export)")


def _ours(data: dict, label: str) -> list[Note]:
    if not isinstance(data.get("notes"), list):
        raise NotesImportError(f"{label}: not a mali-reader notes export (no \"notes\" list)")
    if not isinstance(data.get("version"), int) or data["version"] > JSON_VERSION:
        raise NotesImportError(f"{label}: written by a newer mali-reader (version {data.get('version')!r}); upgrade")
    parsed = []
    for i, d in enumerate(data["notes"]):
        try:
            parsed.append(Note.from_dict(d))
        except (TypeError, ValueError) as exc:
            raise NotesImportError(f"{label}: note {i + 1}: {exc}") from None
    return parsed


def _json_lines(raw: str, label: str) -> list[Note]:
    parsed = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            parsed.append(Note.from_dict(json.loads(line)))
        except RecursionError:
            raise NotesImportError(f"{label}: line {lineno}: nested too deeply; refused") from None
        except json.JSONDecodeError as exc:
            raise NotesImportError(f"{label}: line {lineno}: not JSON ({exc.msg})") from None
        except (TypeError, ValueError) as exc:
            raise NotesImportError(f"{label}: line {lineno}: {exc}") from None
    return parsed


class _Library:
    """Lookups a foreign annotation needs: the article behind a URL, a quote's position."""

    def __init__(self, store: Store):
        self.store = store
        self._texts: dict[str, str | None] = {}

    def article_for_url(self, url: str) -> str | None:
        from reader.importers.fetch import canonical_url

        for candidate in dict.fromkeys((url, canonical_url(url))):
            if candidate:
                r = self.store.conn.execute("SELECT id FROM articles WHERE url = ? LIMIT 1", (candidate,)).fetchone()
                if r:
                    return r[0]
        return None

    def find_quote(self, article_id: str, quote: str) -> tuple[int, int] | None:
        if article_id not in self._texts:
            a = self.store.article(article_id)
            self._texts[article_id] = a.body if a else None
        text = self._texts[article_id]
        i = text.find(quote) if text else -1
        return (i, i + len(quote)) if i >= 0 else None


def _w3c(store: Store, annos: Iterable[dict], label: str) -> list[Note]:
    lib = _Library(store)
    parsed = []
    for i, d in enumerate(annos):
        try:
            parsed.append(from_annotation(d, resolve_url=lib.article_for_url, locate_quote=lib.find_quote))
        except (TypeError, ValueError, AttributeError) as exc:
            where = d.get("id") if isinstance(d, dict) and isinstance(d.get("id"), str) else ""
            raise NotesImportError(f"{label}: annotation {i + 1}{f' ({where[:80]})' if where else ''}: {exc}") from None
    return parsed


def _hypothesis(store: Store, annos: list, label: str) -> list[Note]:
    """Hypothesis' export: the same selectors in its API shape (see reader/hypothesis.py)."""
    as_w3c = []
    for i, a in enumerate(annos):
        try:
            as_w3c.append(hypothesis_annotation(a))
        except ValueError as exc:
            raise NotesImportError(f"{label}: annotation {i + 1}: {exc}") from None
    return _w3c(store, as_w3c, label)
