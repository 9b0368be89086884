"""Exports: Markdown, CSV, JSON (re-importable, idempotent) and W3C Web Annotation; CLI verbs."""

import csv
import io
import json

import pytest

from reader.cli import main
from reader.export import NotesImportError, export_rows, import_notes, write_export
from reader.articles import Article
from reader.notes import NoteStore
from reader.store import Store
from reader.importers.save import store_article

BODY = ("Fuel convoys heading to Gao were attacked near the river crossing.\n\n"
        "Traders in Tombouctou said the blockade had emptied the market, with \"quotes\", commas, "
        "and a newline-free sentence.")


@pytest.fixture
def filled(store):
    store_article(store, Article(id="gao", title="Fuel on the Gao road", body=BODY, date="2024-05-01",
                                 url="https://example.org/gao"))
    store_article(store, Article(id="other", title="Other", body="Nothing much happened in Niamey."))
    ns = NoteStore(store)
    a = ns.add("gao", 'Escorts needed; "compare" with Kidal,\nsecond line.', quote="Fuel convoys heading to Gao",
               tags=["fuel", "convoys"], entity_id="gao")
    b = ns.add("gao", "Whole article note")
    c = ns.add("other", "", quote="Niamey", tags=["highlight"])
    return store, ns, [a, b, c]


def render(store, fmt, query=None):
    rows, hints = export_rows(store, query)
    out = io.StringIO()
    write_export(rows, fmt, out)
    return out.getvalue()


def test_markdown_grouped_by_article(filled):
    store, _, (a, b, c) = filled
    md = render(store, "markdown")
    assert md.index("## Fuel on the Gao road") < md.index("## Other")
    gao = md[md.index("## Fuel on the Gao road"):md.index("## Other")]
    assert "> Fuel convoys heading to Gao" in gao and "#fuel #convoys" in gao and "whole article" in gao
    assert "https://example.org/gao" in gao


def test_csv_one_row_per_note(filled):
    store, _, notes = filled
    rows = list(csv.DictReader(io.StringIO(render(store, "csv"))))
    assert len(rows) == 3
    first = next(r for r in rows if r["id"] == notes[0].id)
    assert first["body"] == notes[0].body and first["tags"] == "fuel, convoys"
    assert int(first["start"]) == notes[0].start and first["article_title"] == "Fuel on the Gao road"


def test_json_roundtrip_is_idempotent(filled, tmp_path):
    store, ns, notes = filled
    path = tmp_path / "notes.json"
    path.write_text(render(store, "json"), "utf-8")
    other = Store.open(tmp_path / "other.db")
    store_article(other, Article(id="gao", title="Fuel on the Gao road", body=BODY))
    first = import_notes(other, path)
    assert (first["new"], first["updated"], first["unchanged"]) == (3, 0, 0)
    assert first["kept"] + first["orphaned"] == 3  # placed on the same text: nothing moved
    again = import_notes(other, path)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 3)
    theirs = NoteStore(other)
    assert theirs.count() == 3
    for n in notes:
        got = theirs.get(n.id)
        want = n if n.article_id == "gao" else None
        if want:  # every field survives
            assert got.to_dict() == want.to_dict()
    # the "other" article is not in this library: the note is kept, as an orphan
    assert theirs.get(notes[2].id).status == "orphaned"
    # a later edit is not overwritten by re-importing the older export
    theirs.update(notes[0].id, body="edited after export")
    assert import_notes(other, path)["unchanged"] == 3
    assert theirs.get(notes[0].id).body == "edited after export"
    # and importing into the original database changes nothing
    c = import_notes(store, path)
    assert (c["new"], c["updated"], c["unchanged"]) == (0, 0, 3)



def test_json_and_jsonl_give_every_field_as_the_note_has_it(filled):
    """Fields stored once (the origin, '' while it is the current passage) are written out
    whole: a JSON export is read by other programs, not only by `import-notes`."""
    store, ns, notes = filled
    in_json = {d["id"]: d for d in json.loads(render(store, "json"))["notes"]}
    in_jsonl = {d["id"]: d for d in map(json.loads, render(store, "jsonl").splitlines())}
    for n in notes:
        want = ns.get(n.id).to_dict()
        assert want["origin_hash"] and want["updated"]
        for got in (in_json[n.id], in_jsonl[n.id]):
            assert {k: got[k] for k in want} == want

def test_json_import_reanchors_against_current_text(filled, tmp_path):
    store, _, notes = filled
    path = tmp_path / "notes.json"
    path.write_text(render(store, "json"), "utf-8")
    other = Store.open(tmp_path / "other.db")
    store_article(other, Article(id="gao", title="T", body="A new lead paragraph.\n\n" + BODY))
    import_notes(other, path)
    got = NoteStore(other).get(notes[0].id)
    assert got.status == "anchored" and other.article("gao").body[got.start:got.end] == got.quote


def test_notes_imported_before_their_article_attach_when_it_arrives(filled, tmp_path):
    store, _, notes = filled
    path = tmp_path / "notes.json"
    path.write_text(render(store, "json"), "utf-8")
    other = Store.open(tmp_path / "other.db")
    import_notes(other, path)
    assert NoteStore(other).get(notes[0].id).status == "orphaned"
    store_article(other, Article(id="gao", title="Fuel on the Gao road", body=BODY))
    assert NoteStore(other).get(notes[0].id).status == "anchored"


@pytest.mark.parametrize("content, match", [
    ("not json", "not JSON"),
    ('{"format": "something-else", "notes": []}', "not a notes export"),
    ('{"format": "mali-reader-notes", "version": 99, "notes": []}', "newer"),
    ('{"format": "mali-reader-notes", "version": 1, "notes": [{"id": "x"}]}', "note 1"),
    ('{"type": "Annotation", "id": "x", "target": "https://nowhere.example/x"}', "annotation 1.*not an article"),
    ('{"id": "n1", "article_id": "a"}\n{"id": "n2"}\n', "line 2: note is missing 'article_id'"),
    ('{"export_userid": "acct:x@h", "annotations": [{"id": "a1", "uri": "https://nowhere.example/"}]}',
     "annotation 1.*not an article"),
])
def test_bad_import_files_are_refused_in_one_line(store, tmp_path, content, match):
    path = tmp_path / "bad.json"
    path.write_text(content, "utf-8")
    with pytest.raises(NotesImportError, match=match) as err:
        import_notes(store, path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert NoteStore(store).count() == 0


def test_w3c_annotation_collection(filled):
    store, _, (a, b, c) = filled
    doc = json.loads(render(store, "w3c"))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 3
    items = doc["first"]["items"]
    assert doc["first"]["type"] == "AnnotationPage" and len(items) == 3
    for anno in items:
        assert anno["type"] == "Annotation" and anno["id"].startswith("tag:mali-reader,2026:note/")
        assert anno["target"]["source"] and anno["created"] and anno["motivation"]
        assert anno["creator"]["type"] == "Person" and anno["creator"]["name"]
        assert anno["generator"]["type"] == "Software" and "mali-reader" in anno["generator"]["name"]
        assert anno["target"]["state"]["type"] == "TimeState"
    first = next(x for x in items if x["id"] == f"tag:mali-reader,2026:note/{a.id}")
    assert first["target"]["source"] == "https://example.org/gao"
    quote, pos = first["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix}
    assert pos == {"type": "TextPositionSelector", "start": a.start, "end": a.end}
    assert BODY[pos["start"]:pos["end"]] == quote["exact"]
    state = first["target"]["state"]
    assert state["cached"] == f"tag:mali-reader,2026:article/gao/version/{a.article_hash}"
    version_date = store.conn.execute("SELECT created FROM article_versions WHERE article_id = 'gao'").fetchone()[0]
    assert state["sourceDate"] == version_date
    bodies = first["body"]
    assert {"type": "TextualBody", "value": a.body, "format": "text/plain", "purpose": "commenting"} in bodies
    assert [x["value"] for x in bodies if x.get("purpose") == "tagging"] == ["fuel", "convoys"]
    assert {"type": "SpecificResource", "source": "tag:mali-reader,2026:entity/gao", "purpose": "linking"} in bodies
    whole = next(x for x in items if x["id"] == f"tag:mali-reader,2026:note/{b.id}")
    assert "selector" not in whole["target"] and whole["target"]["state"]["cached"].endswith(b.article_hash)
    hl = next(x for x in items if x["id"] == f"tag:mali-reader,2026:note/{c.id}")
    assert hl["motivation"] == "tagging"
    assert hl["target"]["source"] == "tag:mali-reader,2026:article/other"  # no URL: the article's own IRI


def test_export_with_query(filled):
    store, _, (a, b, c) = filled
    rows, _ = export_rows(store, "tag:fuel")
    assert [r.note.id for r in rows] == [a.id]
    assert json.loads(render(store, "json", "article:other"))["notes"][0]["id"] == c.id


# --- CLI -----------------------------------------------------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_note_add_notes_search_export_import(filled, db_path, tmp_path, capsys):
    store, _, (a, b, c) = filled
    db = ["--db", str(db_path)]
    code, out, err = run(capsys, "note", "add", "gao", "--quote", "the blockade had emptied the market",
                         "-m", "market empty", "-t", "prices,market", *db)
    assert code == 0, err
    new_id = out.strip()
    assert NoteStore(store).get(new_id).tags == ["prices", "market"]
    code, out, err = run(capsys, "note", "add", "gao", "--quote", "absent words", *db)
    assert code == 1 and "not in the article" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "notes", "--article", "gao", "--json", *db)
    listed = [json.loads(line)["id"] for line in out.splitlines()]
    assert listed == [b.id, a.id, new_id]  # reading order, article-level first
    code, out, _ = run(capsys, "search", "tag:fuel escorts", "--json", *db)
    hit = json.loads(out.splitlines()[0])
    assert hit["id"] == a.id and hit["article"] == "gao" and hit["quote"] == a.quote
    assert set(hit) >= {"id", "article", "quote", "body", "tags", "created", "score"}
    code, out, err = run(capsys, "search", 'AND "oops', *db)
    assert code == 0 and "quote" in err
    out_file = tmp_path / "export.json"
    code, _, err = run(capsys, "export", "--format", "json", "--out", str(out_file), *db)
    assert code == 0 and "exported 4 notes" in err
    code, out, _ = run(capsys, "import-notes", str(out_file), *db)
    assert code == 0 and "0 new, 0 updated, 4 unchanged" in out
    code, _, err = run(capsys, "import-notes", str(tmp_path / "missing.json"), *db)
    assert code == 1 and "missing.json" in err
    for fmt in ("markdown", "csv", "w3c"):
        code, out, _ = run(capsys, "export", "-f", fmt, *db)
        assert code == 0 and out
    code, _, _ = run(capsys, "note", "delete", new_id, *db)
    assert code == 0 and NoteStore(store).get(new_id) is None


def test_cli_orphans(filled, db_path, capsys):
    store, _, (a, b, c) = filled
    store_article(store, Article(id="gao", title="Fuel on the Gao road", body="Entirely new text."))
    code, out, _ = run(capsys, "orphans", "--db", str(db_path))
    assert code == 0 and a.id in out and "Fuel convoys heading to Gao" in out
    assert b.id not in out  # article-level notes have no passage to lose


def test_csv_cells_are_inert_in_spreadsheets(store, tmp_path):
    import csv as csvmod
    import io

    from reader.export import export_rows, inert_cell, write_export

    store_article(store, Article(id="evil", title="=HYPERLINK(\"http://x\",\"y\")", body="A plain passage here."))
    NoteStore(store).add("evil", "=1+2", quote="plain passage", tags=["+x", "-y", "@z"])
    out = io.StringIO()
    write_export(export_rows(store)[0], "csv", out, bom=True)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csvmod.reader(io.StringIO(text[1:])))
    header, row = rows[0], rows[1]
    cells = dict(zip(header, row))
    assert cells["article_title"].startswith("'=HYPERLINK")
    assert cells["body"] == "'=1+2"
    assert cells["tags"] == "'+x, -y, @z"
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)
    assert inert_cell(12) == "12" and inert_cell("\tcmd") == "'\tcmd" and inert_cell("Gao") == "Gao"


def test_csv_cells_from_an_imported_file_are_inert_too(store, tmp_path):
    """Fields a notes file sets (ids, dates, entities) reach the CSV as well: none may run."""
    hostile = {"format": "mali-reader-notes", "version": 1, "notes": [
        {"id": "-id", "article_id": "+art", "body": "@SUM(A1)", "tags": ["=t"], "created": "=1+1",
         "updated": "\t2024", "entity_id": "@x", "entities": ["-e", "ok"], "article_hash": "=h"}]}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile), "utf-8")
    import_notes(store, path)
    out = io.StringIO()
    write_export(export_rows(store)[0], "csv", out)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    cells = dict(zip(header, row))
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row), cells
    assert (cells["id"], cells["created"], cells["entity_id"], cells["entities"]) == ("'-id", "'=1+1", "'@x", "'-e, ok")


@pytest.mark.parametrize("run_notes", [1, 7, 1000])
def test_runs_of_articles_keep_each_articles_reading_order_ties_included(store, monkeypatch, run_notes):
    """`Export.runs` (several articles per query) gives every article's notes in the order of
    `Export.groups` (one query per article): articles newest first, whole-article notes first,
    orphans last, and notes tied on position and time in the same order too."""
    import reader.export
    from reader.notes import Note

    text = "Convoys reached Gao. Prices rose in Kidal. Talks resumed in Bamako."
    for i, date in enumerate(("2024-05-01", "", "2019", "2024-05-01", "2021-03-03")):
        store_article(store, Article(id=f"a{i}", title=f"Article {4 - i}", body=text, date=date))
    stamp, other = "2025-03-03T03:03:03.000+00:00", "2025-01-01T00:00:00.000+00:00"
    notes = []
    for k in range(40):  # ids run against insertion order, so neither id nor insertion can hide a swap
        aid = f"a{k % 5}"
        quote = ("Gao", "Kidal", "Bamako")[k % 3] if k % 4 else ""
        start = text.index(quote) if quote else None
        notes.append(Note(id=f"n{99 - k:02d}", article_id=aid, body=f"note {k}", quote=quote, start=start,
                          end=start + len(quote) if quote else None, created=stamp if k % 2 else other,
                          updated=stamp))
    NoteStore(store).import_notes(notes)
    store_article(store, Article(id="a2", title="Article 2", body="Rewritten: nothing about those towns.",
                                 date="2019"))  # its notes with a passage are orphaned
    assert store.conn.execute("SELECT count(*) FROM notes WHERE status = 'orphaned'").fetchone()[0] > 0
    monkeypatch.setattr(reader.export, "_RUN_NOTES", run_notes)
    export, _ = export_rows(store)
    one_by_one = [(a.id, [r[0] for r in rows]) for a, _, rows in export.groups("n.id", versions=False)]
    in_runs = [(a.id, [r[0] for r in rows]) for a, _, rows in export.runs("n.id")]
    assert in_runs == one_by_one
    assert [aid for aid, _ in in_runs] == ["a3", "a0", "a4", "a2", "a1"]  # same date: by title
    assert sum(len(ids) for _, ids in in_runs) == 40
