"""Articles stored without structure get it from their source file, once, and only when the
file still gives exactly the stored body: the text, its versions and its notes never change."""

from __future__ import annotations

import sqlite3

from reader import versions
from reader.importers import import_sources
from reader.importers.files import text_article
from reader.importers.restructure import fill_pending, fill_structure, source_structure
from reader.notes import NoteStore
from reader.schema import MIGRATIONS
from reader.store import Store
from reader.text import content_hash

NOW = "2025-01-01T00:00:00.000+00:00"
MD = """# Convoy to Ansongo

The convoy left *Gao* at dawn with **forty trucks**.

## On the road

- fuel trucks first
- then the buses
"""
FILLER = "Officials said more than twenty families had left the villages along the river road that week."
HTML = (f"<html><head><title>Market in Menaka</title></head><body><article><h1>Market in Menaka</h1>"
        f"<p>Traders <b>reopened</b> the market on Sunday.</p><h2>Prices</h2><p>{FILLER}</p></article></body></html>")


def _v4_database(path, rows) -> None:
    """A library written at schema 4, before spans existed (raw SQL, as the code of that time)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for m in MIGRATIONS[:4]:
        m(db)
    db.execute("PRAGMA user_version = 4")
    for aid, title, body, source in rows:
        db.execute("INSERT INTO articles (id, title, body, path, hash, added_at, updated_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", (aid, title, body, source, content_hash(body), NOW, NOW))
    db.execute("COMMIT")
    db.close()


def test_an_old_article_whose_file_is_unchanged_gets_its_spans_once(tmp_path):
    md, page, gone = tmp_path / "convoy.md", tmp_path / "menaka.html", tmp_path / "gone.md"
    md.write_text(MD, encoding="utf-8")
    page.write_text(HTML, encoding="utf-8")
    convoy = text_article(MD, str(md), path=str(md), stem="convoy")
    from reader.importers.html import extract_page

    menaka = extract_page(HTML, name=str(page))
    _v4_database(tmp_path / "old.db", [("convoy", convoy.title, convoy.body, str(md)),
                                       ("menaka", menaka.title, menaka.body, str(page)),
                                       ("gone", "Gone", "A file that is no longer there.", str(gone)),
                                       ("web", "Web", "A page read from a URL, no file.", "")])
    store = Store.open(tmp_path / "old.db")
    try:
        assert sorted(store.pending_structure_ids()) == ["convoy", "gone", "menaka"]
        old = store.article("convoy")
        assert old.spans == []
        filled = fill_structure(store, old)
        assert [(s.kind, filled.body[s.start:s.end]) for s in filled.spans] == [
            ("em", "Gao"), ("strong", "forty trucks"), ("heading", "On the road"),
            ("item", "- fuel trucks first"), ("marker", "-"), ("item", "- then the buses"), ("marker", "-")]
        again = store.article("convoy")
        assert again.body == old.body and again.spans == filled.spans  # stored, text untouched
        assert not store.structure_pending("convoy")
        assert fill_pending(store) == (2, 1)  # the page gets its spans; the missing file none
        page_spans = [(s.kind, menaka.body[s.start:s.end]) for s in store.article("menaka").spans]
        assert ("strong", "reopened") in page_spans and ("heading", "Prices") in page_spans
        assert store.article("gone").spans == [] and store.pending_structure_ids() == []
        assert fill_pending(store) == (0, 0)  # remembered: no file is read again
    finally:
        store.close()


def test_a_changed_source_gives_no_spans_and_the_stored_text_stays(tmp_path, store):
    md = tmp_path / "convoy.md"
    md.write_text(MD, encoding="utf-8")
    import_sources(store, [md])
    (aid,) = store.article_ids()
    body = store.article(aid).body
    start = body.index("forty trucks")
    note = NoteStore(store).add(aid, "how many", start=start, end=start + 12)
    # stored before spans existed, and the file edited since (a word added before the emphasis)
    store.conn.execute("UPDATE articles SET spans = '[]' WHERE id = ?", (aid,))
    store.mark_structure_pending(aid)
    md.write_text(MD.replace("left *Gao*", "left *Gao* quietly"), encoding="utf-8")
    article = store.article(aid)
    assert source_structure(article) is None
    filled = fill_structure(store, article)
    assert filled.spans == [] and store.article(aid).spans == [] and not store.structure_pending(aid)
    assert store.article(aid).body == body and len(versions.versions(store.conn, aid)) == 1
    kept = NoteStore(store).get(note.id)
    assert (kept.start, kept.quote) == (start, "forty trucks")


def test_an_article_that_already_has_spans_or_is_not_pending_is_not_read_again(tmp_path, store):
    md = tmp_path / "convoy.md"
    md.write_text(MD, encoding="utf-8")
    import_sources(store, [md])
    (aid,) = store.article_ids()
    assert not store.structure_pending(aid)  # an import computes the spans itself
    store.mark_structure_pending(aid)
    import_sources(store, [md])  # and so does a re-import, unchanged or not
    assert not store.structure_pending(aid)
    store.mark_structure_pending(aid)  # as after the upgrade, for an article imported after v5
    md.unlink()  # would give no spans if it were read
    article = store.article(aid)
    assert fill_structure(store, article).spans == article.spans != []
    assert store.article(aid).spans == article.spans and not store.structure_pending(aid)


def test_a_large_source_is_left_for_maintain_which_fills_it(tmp_path, capsys):
    """The reader opens an article on the UI thread, so it leaves a large source file pending;
    `mali-reader maintain` fills it and says so."""
    import json

    from reader.cli import main

    md = tmp_path / "convoy.md"
    md.write_text(MD, encoding="utf-8")
    convoy = text_article(MD, str(md), path=str(md), stem="convoy")
    _v4_database(tmp_path / "old.db", [("convoy", convoy.title, convoy.body, str(md))])
    store = Store.open(tmp_path / "old.db")
    try:
        article = store.article("convoy")
        assert fill_structure(store, article, max_file_bytes=len(MD) - 1).spans == []
        assert store.structure_pending("convoy")  # not read, not forgotten
    finally:
        store.close()
    assert main(["maintain", "--db", str(tmp_path / "old.db"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["structure_checked"], report["structure_filled"]) == (1, 1)
    store = Store.open(tmp_path / "old.db")
    try:
        assert ("em", "Gao") in [(s.kind, convoy.body[s.start:s.end]) for s in store.article("convoy").spans]
        assert not store.structure_pending("convoy") and store.article("convoy").body == convoy.body
    finally:
        store.close()
    assert main(["maintain", "--db", str(tmp_path / "old.db")]) == 0
    assert "structure:" not in capsys.readouterr().out  # nothing left to fill
