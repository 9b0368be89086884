"""The database as Datasette shows it: metadata from `datasette-metadata`, `_search` on notes, the
note ↔ article join view, internal tables hidden (Datasette's Python API, in process)."""

from __future__ import annotations

import json

import pytest

from reader.articles import Article
from reader.cli import main
from reader.datasette_metadata import database_name
from reader.importers.save import store_article
from reader.notes import NoteStore
from reader.store import Store

datasette_app = pytest.importorskip("datasette.app")

GAO = "The convoy left Gao at dawn. Fuel trucks followed the road to Ansongo under escort."
MENAKA = "Menaka was quiet on Sunday. Traders reopened the market after the curfew ended."


@pytest.fixture
def library(tmp_path):
    path = tmp_path / "library.db"
    store = Store.open(path)
    store_article(store, Article(id="gao-convoy", title="Convoy to Ansongo", body=GAO, date="2025-01-02",
                                 url="https://example.org/gao", source="Test wire"))
    store_article(store, Article(id="menaka-market", title="Menaka market", body=MENAKA, date="2025-01-05",
                                 source="Other wire"))
    ns = NoteStore(store)
    notes = {"fuel": ns.add("gao-convoy", "escorted fuel trucks", quote="Fuel trucks", tags=["fuel"]),
             "curfew": ns.add("menaka-market", "curfew lifted, market open", quote="Traders reopened the market",
                              tags=["markets"])}
    store.close()
    out = tmp_path / "metadata.json"
    assert main(["--db", str(path), "datasette-metadata", "--out", str(out)]) == 0
    return path, json.loads(out.read_text("utf-8")), notes


async def _get_json(ds, url: str):
    response = await ds.client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    return response.json()


async def test_search_notes_and_query_the_join_view(library):
    path, metadata, notes = library
    name = database_name(path)
    ds = datasette_app.Datasette(files=[str(path)], metadata=metadata)
    await ds.invoke_startup()
    found = await _get_json(ds, f"/{name}/notes.json?_search=curfew&_shape=array")
    assert [row["id"] for row in found] == [notes["curfew"].id]
    # raw search mode, as the metadata asks: a prefix query works (escaped mode would quote it away)
    found = await _get_json(ds, f"/{name}/notes.json?_search=escor*&_shape=array")
    assert [row["id"] for row in found] == [notes["fuel"].id]
    # (the CLI loaded the sample articles too: a phrase only ours contains)
    found = await _get_json(ds, f'/{name}/articles.json?_search="trucks followed the road"&_shape=array&_col=title')
    assert [row["title"] for row in found] == ["Convoy to Ansongo"]
    rows = await _get_json(ds, f"/{name}/notes_with_articles.json?_shape=array&_sort=article_date")
    assert [(r["note_id"], r["note"], r["article_title"], r["article_date"], r["article_url"], r["article_source"])
            for r in rows] == [
        (notes["fuel"].id, "escorted fuel trucks", "Convoy to Ansongo", "2025-01-02", "https://example.org/gao",
         "Test wire"),
        (notes["curfew"].id, "curfew lifted, market open", "Menaka market", "2025-01-05", "", "Other wire")]
    sql = ("select n.note, a.title from notes_with_articles n join articles a on a.id = n.article_id"
           " where n.tags like '%markets%'")
    rows = await _get_json(ds, f"/{name}.json?sql={sql}&_shape=array")
    assert rows == [{"note": "curfew lifted, market open", "title": "Menaka market"}]


async def test_notes_link_to_articles_and_internal_tables_are_hidden(library):
    path, metadata, notes = library
    name = database_name(path)
    ds = datasette_app.Datasette(files=[str(path)], metadata=metadata)
    await ds.invoke_startup()
    listing = await _get_json(ds, f"/{name}.json")
    visible = {t["name"] for t in listing["tables"] if not t["hidden"]}
    hidden = {t["name"] for t in listing["tables"] if t["hidden"]}
    assert {"articles", "notes", "article_versions", "feeds", "article_entities"} <= visible
    assert {"mention_cache", "learned", "settings", "ner_cache", "notes_fts", "notes_fts_data"} <= hidden
    assert {v["name"] for v in listing["views"]} >= {"notes_with_articles", "mentions_per_entity"}
    notes_table = next(t for t in listing["tables"] if t["name"] == "notes")
    assert {"column": "article", "other_table": "articles", "other_column": "id"} in [
        {k: fk[k] for k in ("column", "other_table", "other_column")} for fk in notes_table["foreign_keys"]["outgoing"]]
    # the link is expanded to the article's title (label_column from the metadata)
    row = await _get_json(ds, f"/{name}/notes.json?id={notes['fuel'].id}&_labels=on&_shape=array")
    assert row[0]["article"] == {"value": "gao-convoy", "label": "Convoy to Ansongo"}
    page = await ds.client.get(f"/{name}/notes")
    assert page.status_code == 200
    assert metadata["databases"][name]["tables"]["notes"]["description"].split(".")[0] in page.text


def test_metadata_to_an_unwritable_place_is_a_one_line_error(tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "metadata.json"
    assert main(["--db", str(tmp_path / "x.db"), "datasette-metadata", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"mali-reader: {out}: cannot write the metadata") and "\n" not in err
