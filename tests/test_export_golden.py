"""Every export format, byte for byte, against files written by the export before it was
made faster (tests/fixtures/export_golden/): the speed work must not change a single byte.

The library is built with fixed ids and clocks: two versions of one article (notes kept,
moved and orphaned by the change), a note whose article was deleted, whole-article notes,
ties in reading order, undated articles, hostile text (quotes, formula starts, newlines,
markup, control characters), tags with commas and entity lists. Regenerate the files only
on purpose: MALI_REGEN_GOLDEN=1 uv run pytest tests/test_export_golden.py.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from reader.articles import Article
from reader.export import FORMATS, WriteOptions, export_rows, write_export
from reader.importers.save import store_article
from reader.notes import Note, NoteStore

GOLDEN = Path(__file__).parent / "fixtures" / "export_golden"
STAMP = "2026-01-02T03:04:05.000+00:00"
GAO = ("Fuel convoys heading to Gao were attacked near the river crossing.\n\n"
       "Traders in Tombouctou said \"the blockade\" had emptied the market, =SUM(A1) and all.\n\n"
       "[bold]Markup[/bold] and a tab\there, then Ménaka, Kidal and Ansongo.")
GAO_2 = GAO.replace("Fuel convoys heading to Gao", "Convoys of fuel heading to Gao").replace("Ansongo", "Bourem")


def _note(i: int, article: str, body: str = "", *, quote: str = "", text: str = "", tags=(), entity=None,
          entities=(), created: str = "", start: int | None = None) -> Note:
    stamp = created or f"2025-0{1 + i % 9}-1{i % 10}T0{i % 10}:00:00.000+00:00"
    note = Note(id=f"n{i:03d}-{article}", article_id=article, body=body, tags=list(tags), entity_id=entity,
                entities=list(entities), created=stamp, updated=stamp)
    if quote:
        at = text.index(quote) if start is None else start
        note.quote, note.start, note.end = quote, at, at + len(quote)
        note.prefix, note.suffix = text[max(0, at - 12):at], text[at + len(quote):at + len(quote) + 12]
    return note


@pytest.fixture
def library(store, monkeypatch):
    import reader.export
    import reader.notes
    import reader.store

    for module in (reader.store, reader.notes, reader.export):
        monkeypatch.setattr(module, "now_iso", lambda: STAMP)
    store_article(store, Article(id="gao", title="Fuel on the \"Gao\" road", body=GAO, date="2024-05-01",
                                 url="https://example.org/gao?a=1&b=2", tags=["fuel"]))
    store_article(store, Article(id="undated", title="=cmd|' /C calc'!A0", body="Nothing much happened in Niamey."))
    store_article(store, Article(id="older", title="Older, with a comma", body="Talks in Bamako, again.", date="2019"))
    store_article(store, Article(id="gone", title="Deleted later", body="A passage about Mopti.", date="2020-02-02"))
    ns = NoteStore(store)
    tie = "2025-03-03T03:03:03.000+00:00"
    ns.import_notes([
        _note(1, "gao", 'Escorts; "compare" with Kidal,\nsecond line.', quote="Fuel convoys heading to Gao", text=GAO,
              tags=["fuel", "convoys, roads"], entity="gao", entities=["gao", "kidal"]),
        _note(2, "gao", "Whole article note"),
        _note(3, "gao", "=1+2", quote="Ansongo", text=GAO, tags=["+x", "-y", "@z"]),
        _note(4, "gao", "tie a", quote="Ménaka", text=GAO, created=tie),
        _note(5, "gao", "tie b", quote="Ménaka", text=GAO, created=tie),
        _note(6, "gao", "", quote="[bold]Markup[/bold]", text=GAO, tags=["markup"], entities=["menaka"]),
        _note(7, "undated", "", quote="Niamey", text="Nothing much happened in Niamey.", tags=["highlight"]),
        _note(8, "older", "Tab\tand\r\nCRLF", quote="Bamako", text="Talks in Bamako, again.", entity="bamako"),
        _note(9, "gone", "About Mopti", quote="Mopti", text="A passage about Mopti."),
        _note(10, "gao", "Kidal too", quote="Kidal", text=GAO, tags=["a"] * 1 + ["b"]),
    ])
    # a second version: note 3's passage disappears (orphaned), note 1's moves
    store_article(store, Article(id="gao", title="Fuel on the \"Gao\" road", body=GAO_2, date="2024-05-01",
                                 url="https://example.org/gao?a=1&b=2", tags=["fuel"]))
    store.delete_article("gone")
    return store


def _export(store, fmt: str, query: str | None = None, *, bom: bool = False) -> str:
    rows, _ = export_rows(store, query)
    out = io.StringIO()
    kinds = {"gao": "place", "kidal": "place", "menaka": "place"}
    write_export(rows, fmt, out, bom=bom, options=WriteOptions(user="Analyst \"A\"", entity_type=kinds.get))
    return out.getvalue()


CASES = [(fmt, None, False) for fmt in FORMATS] + [("csv", None, True)] + [
    (fmt, "kidal", False) for fmt in FORMATS]


@pytest.mark.parametrize("fmt,query,bom", CASES)
def test_export_is_byte_identical_to_the_reference(library, fmt, query, bom):
    name = f"{fmt}{'-bom' if bom else ''}{'-query' if query else ''}.txt"
    got = _export(library, fmt, query, bom=bom)
    assert "n001-gao" in got or fmt == "markdown"  # the query export is not empty
    path = GOLDEN / name
    if os.environ.get("MALI_REGEN_GOLDEN"):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(got)
    with open(path, encoding="utf-8", newline="") as f:
        expected = f.read()
    assert got == expected


@pytest.mark.parametrize("run_notes", [1, 2, 5])
def test_w3c_reads_runs_of_articles_and_gives_the_same_bytes_at_any_run_size(library, monkeypatch, run_notes):
    """The W3C export reads the notes of several articles per query (up to about
    `_RUN_NOTES`); where the runs split must not show in the file."""
    import reader.export

    monkeypatch.setattr(reader.export, "_RUN_NOTES", run_notes)
    queries = []
    library.conn.set_trace_callback(lambda sql: queries.append(sql) if "json_each(" in sql else None)
    got = _export(library, "w3c")
    library.conn.set_trace_callback(None)
    with open(GOLDEN / "w3c.txt", encoding="utf-8", newline="") as f:
        assert got == f.read()
    runs = sum("JOIN notes n ON n.article_id = j.value" in q for q in queries)
    assert runs == {1: 4, 2: 3, 5: 2}[run_notes]  # 4 articles with notes: 7, 1, 1 and 1 of them
