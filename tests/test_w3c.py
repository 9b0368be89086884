"""W3C Web Annotation and Hypothesis exchange: export, import back (same notes, idempotent),
JSON-LD validity, versions in `state`, and the import-notes / export CLI around them."""

import io
import json
from pathlib import Path

import pytest

from reader.articles import Article
from reader.cli import main
from reader.export import export_rows, import_notes, write_export, WriteOptions
from reader.importers.save import store_article
from reader.notes import NoteStore
from reader.store import Store
from reader.versions import version_text

FIXTURES = Path(__file__).parent / "fixtures" / "w3c"
BODY = ("Fuel convoys heading to Gao were attacked near the river crossing.\n\n"
        "Traders in Tombouctou said the blockade had emptied the market.")
FIELDS = ("article_id", "quote", "prefix", "suffix", "start", "end", "body", "tags", "created", "updated",
          "entity_id", "entities", "article_hash")


def finder(text, start, end):
    """Entities "detected" in a passage: the place names it contains (a stand-in matcher)."""
    return [name.lower() for name in ("Gao", "Tombouctou") if name in text[start:end]]


@pytest.fixture
def library(store):
    store_article(store, Article(id="gao", title="Fuel on the Gao road", body=BODY, date="2024-05-01",
                                 url="https://example.org/gao"))
    store_article(store, Article(id="niamey", title="Niamey", body="Nothing much happened in Niamey today."))
    ns = NoteStore(store, entity_finder=finder)
    notes = [
        ns.add("gao", 'Escorts; "compare" with Kidal,\nsecond line.', quote="Fuel convoys heading to Gao",
               tags=["fuel", "convoys"], entity_id="gao"),
        ns.add("gao", "Whole article note", tags=["todo"]),
        ns.add("gao", "", quote="Traders in Tombouctou", tags=["[bold]markup[/bold]"]),
        ns.add("niamey", "will be orphaned", quote="happened in Niamey"),
    ]
    # the Niamey article is rewritten: its note is orphaned, its selectors stay on the old text
    store_article(store, Article(id="niamey", title="Niamey", body="A different report altogether."))
    notes[3] = ns.get(notes[3].id)
    assert notes[3].orphaned
    return store, ns, notes


def export_text(store, fmt, **opts) -> str:
    rows, _ = export_rows(store)
    out = io.StringIO()
    write_export(rows, fmt, out, options=WriteOptions(**opts))
    return out.getvalue()


def same(a, b):
    return {f: getattr(a, f) for f in FIELDS} == {f: getattr(b, f) for f in FIELDS}


@pytest.mark.parametrize("fmt", ["w3c", "hypothesis", "jsonl", "json"])
def test_export_then_import_into_an_empty_db_gives_the_same_notes(library, tmp_path, fmt):
    store, _, notes = library
    path = tmp_path / f"notes.{fmt}"
    path.write_text(export_text(store, fmt, user="amina"), "utf-8")
    empty = Store.open(tmp_path / "empty.db")
    if fmt == "hypothesis":  # its annotations name the page by URL only: that article must be known
        store_article(empty, Article(id="gao", title="Fuel on the Gao road", body=BODY, url="https://example.org/gao"))
    counts = import_notes(empty, path)
    assert (counts["new"], counts["updated"], counts["unchanged"], counts["format"]) == (4, 0, 0, fmt)
    theirs = NoteStore(empty)
    for n in notes:
        got = theirs.get(n.id)
        assert got is not None, n.id
        if fmt == "hypothesis":  # Hypothesis has no place for entities or the version hash
            assert (got.article_id, got.quote, got.prefix, got.suffix, got.start, got.end, got.body, got.tags,
                    got.created, got.updated) == (n.article_id, n.quote, n.prefix, n.suffix, n.start, n.end,
                                                  n.body, n.tags, n.created, n.updated)
        else:
            assert same(got, n), (got, n)
        assert got.orphaned == (fmt != "hypothesis" or n.article_id == "niamey")  # not in the library
    again = import_notes(empty, path)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert theirs.count() == 4


def test_w3c_import_into_the_same_library_changes_nothing(library, tmp_path):
    store, ns, notes = library
    path = tmp_path / "notes.jsonld"
    path.write_text(export_text(store, "w3c"), "utf-8")
    before = [ns.get(n.id).to_dict() for n in notes]
    counts = import_notes(store, path)
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (0, 0, 4)
    assert [ns.get(n.id).to_dict() for n in notes] == before


def test_w3c_import_places_notes_on_the_article_when_it_is_there(library, tmp_path):
    store, _, notes = library
    path = tmp_path / "notes.jsonld"
    path.write_text(export_text(store, "w3c"), "utf-8")
    other = Store.open(tmp_path / "other.db")
    store_article(other, Article(id="gao", title="T", body="A new lead paragraph.\n\n" + BODY))
    import_notes(other, path)
    got = NoteStore(other).get(notes[0].id)
    assert got.status == "anchored" and other.article("gao").body[got.start:got.end] == notes[0].quote


def test_state_names_the_version_the_selectors_point_into(library):
    store, _, notes = library
    items = json.loads(export_text(store, "w3c"))["first"]["items"]
    by_id = {a["id"].rsplit("/", 1)[1]: a for a in items}
    orphan = notes[3]
    target = by_id[orphan.id]["target"]
    state = target["state"]
    assert state["type"] == "TimeState" and state["sourceDate"]
    article, _, version = state["cached"].removeprefix("tag:mali-reader,2026:article/").partition("/version/")
    assert article == "niamey" and version == orphan.article_hash
    old_text = version_text(store.conn, article, version)
    assert old_text != store.article("niamey").body  # the selectors point into the old text...
    pos = target["selector"][1]
    assert old_text[pos["start"]:pos["end"]] == target["selector"][0]["exact"] == "happened in Niamey"
    current = by_id[notes[0].id]["target"]["state"]
    assert current["cached"].endswith("/version/" + store.article("gao").hash)  # ...the others into the current one


def test_entities_become_identifying_and_classifying_bodies(library):
    store, _, notes = library
    kinds = {"gao": "place", "tombouctou": "place"}
    items = json.loads(export_text(store, "w3c", entity_type=kinds.get))["first"]["items"]
    anno = next(a for a in items if a["id"].endswith(notes[2].id))
    assert notes[2].entities == ["tombouctou"]
    assert {"type": "SpecificResource", "source": "tag:mali-reader,2026:entity/tombouctou",
            "purpose": "identifying"} in anno["body"]
    assert {"type": "SpecificResource", "source": "tag:mali-reader,2026:type/place",
            "purpose": "classifying"} in anno["body"]
    linked = next(a for a in items if a["id"].endswith(notes[0].id))
    purposes = [(b["purpose"], b.get("source", b.get("value"))) for b in linked["body"]]
    assert ("linking", "tag:mali-reader,2026:entity/gao") in purposes
    assert ("identifying", "tag:mali-reader,2026:entity/gao") in purposes


def test_w3c_export_is_valid_json_ld(library):
    jsonld = pytest.importorskip("pyld.jsonld")
    store, _, notes = library
    context = json.loads((FIXTURES / "anno.jsonld").read_text("utf-8"))

    def loader(url, options=None):
        assert url.rstrip("/").endswith("www.w3.org/ns/anno.jsonld"), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    doc = json.loads(export_text(store, "w3c", user="amina"))
    expanded = jsonld.expand(doc, {"documentLoader": loader})
    oa, dct, as_ = "http://www.w3.org/ns/oa#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/activitystreams#"
    items = expanded[0][as_ + "first"][0][as_ + "items"][0]["@list"]
    assert len(items) == 4
    for anno in items:
        assert anno["@type"] == [oa + "Annotation"] and anno["@id"].startswith("tag:mali-reader,2026:note/")
        assert anno[dct + "creator"][0]["http://xmlns.com/foaf/0.1/name"][0]["@value"] == "amina"
        assert anno[as_ + "generator"][0]["@type"] == [as_ + "Application"]
        target = anno[oa + "hasTarget"][0]
        state = target[oa + "hasState"][0]
        assert state["@type"] == [oa + "TimeState"] and state[oa + "cachedSource"][0]["@id"].startswith("tag:")
        assert state[oa + "sourceDate"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    linked = next(a for a in items if a["@id"].endswith(notes[0].id))
    purposes = {b[oa + "hasPurpose"][0]["@id"] for b in linked[oa + "hasBody"]}
    assert {oa + "commenting", oa + "tagging", oa + "linking", oa + "identifying"} <= purposes
    selectors = {s["@type"][0] for s in linked[oa + "hasTarget"][0][oa + "hasSelector"]}
    assert selectors == {oa + "TextQuoteSelector", oa + "TextPositionSelector"}


def test_older_exports_with_urn_ids_import_to_the_same_notes(library, tmp_path):
    store, ns, notes = library
    doc = json.loads(export_text(store, "w3c"))
    for anno in doc["first"]["items"]:  # what an export made before tag: IRIs looked like
        anno["id"] = anno["id"].replace("tag:mali-reader,2026:note/", "urn:uuid:")
    path = tmp_path / "old.jsonld"
    path.write_text(json.dumps(doc), "utf-8")
    counts = import_notes(store, path)
    assert (counts["new"], counts["unchanged"]) == (0, 4)


def test_annotation_from_another_tool_is_placed_by_url_and_quote(library, tmp_path):
    store, ns, _ = library
    foreign = [{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://annotations.example/a/17",
                "type": "Annotation", "bodyValue": "Seen elsewhere too",
                "created": "2024-06-01T10:00:00Z",
                "target": {"source": "https://example.org/gao",
                           "selector": {"type": "TextQuoteSelector", "exact": "the blockade had emptied"}}}]
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(foreign), "utf-8")
    first = import_notes(store, path)
    assert first["new"] == 1 and first["format"] == "w3c"
    assert import_notes(store, path)["unchanged"] == 1
    got = [n for n in ns.for_article("gao") if n.body == "Seen elsewhere too"]
    assert len(got) == 1 and not got[0].orphaned
    assert store.article("gao").body[got[0].start:got[0].end] == "the blockade had emptied"


def test_hypothesis_export_shape(library):
    store, _, notes = library
    doc = json.loads(export_text(store, "hypothesis", user="amina"))
    assert set(doc) == {"export_date", "export_userid", "client_version", "annotations"}
    assert doc["export_userid"] == "acct:amina@mali-reader.local"
    anno = next(a for a in doc["annotations"] if a["id"] == notes[0].id)
    assert anno["uri"] == "https://example.org/gao" and anno["text"] == notes[0].body
    assert anno["tags"] == ["fuel", "convoys"] and anno["user"] == doc["export_userid"]
    assert anno["document"] == {"title": ["Fuel on the Gao road"]}
    (target,) = anno["target"]
    assert target["source"] == anno["uri"]
    assert target["selector"] == [
        {"type": "TextQuoteSelector", "exact": notes[0].quote, "prefix": notes[0].prefix, "suffix": notes[0].suffix},
        {"type": "TextPositionSelector", "start": notes[0].start, "end": notes[0].end}]
    page_note = next(a for a in doc["annotations"] if a["id"] == notes[1].id)
    assert page_note["target"] == [{"source": "https://example.org/gao"}]  # a page note: no selector


# --- CLI -----------------------------------------------------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_notes_reads_stdin_and_reports_json(library, tmp_path, capsys, monkeypatch):
    store, _, notes = library
    db = ["--db", str(tmp_path / "fresh.db")]
    text = export_text(store, "w3c")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, out, err = run(capsys, "import-notes", "-", "--json", *db)
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["new"], summary["unchanged"], summary["format"], summary["file"]) == (4, 0, "w3c", "-")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, out, _ = run(capsys, "import-notes", "-", *db)
    assert code == 0 and "0 new, 0 updated, 4 unchanged (w3c)" in out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"[not json")))
    code, out, err = run(capsys, "import-notes", "-", *db)
    assert code == 1 and "<stdin>: not JSON" in err and len(err.strip().splitlines()) == 1


def test_cli_export_json_summary_and_creator(library, db_path, tmp_path, capsys):
    out_file = tmp_path / "notes.jsonld"
    code, out, err = run(capsys, "export", "-f", "w3c", "--creator", "Amina", "--out", str(out_file), "--json",
                         "--db", str(db_path))
    assert code == 0, err
    assert json.loads(out) == {"format": "w3c", "notes": 4, "file": str(out_file), "query": ""}
    doc = json.loads(out_file.read_text("utf-8"))
    assert {a["creator"]["name"] for a in doc["first"]["items"]} == {"Amina"}
    code, out, err = run(capsys, "export", "-f", "hypothesis", "tag:fuel", "--json", "--db", str(db_path))
    assert code == 0 and len(json.loads(out)["annotations"]) == 1
    assert json.loads(err.strip().splitlines()[-1])["notes"] == 1  # the summary goes to stderr here


def test_hostile_text_in_an_annotation_is_stored_inert(store, tmp_path):
    esc = "\x1b[31m"
    anno = {"type": "Annotation", "id": "tag:mali-reader,2026:note/n-1", "created": "2024-01-01T00:00:00Z",
            "body": [{"type": "TextualBody", "value": f"{esc}red[/] and [bold]markup[/bold]", "purpose": "commenting"},
                     {"type": "TextualBody", "value": f"{esc}tag", "purpose": "tagging"}],
            "target": {"source": "tag:mali-reader,2026:article/gone",
                       "selector": [{"type": "TextQuoteSelector", "exact": f"a {esc}quote\u202e", "prefix": "\x07p",
                                     "suffix": "s"},
                                    {"type": "TextPositionSelector", "start": 3, "end": 10}]}}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(anno), "utf-8")
    assert import_notes(store, path)["new"] == 1
    got = NoteStore(store).get("n-1")
    assert got.body == "red[/] and [bold]markup[/bold]"  # markup kept literally, the escape gone
    assert got.quote == "a quote" and got.prefix == "p" and got.tags == ["tag"]
    assert "\x1b" not in json.dumps(got.to_dict())
