"""Migration 4: foreign keys from notes and versions to their article, and the Datasette views.

The upgrade is tested on a database written at schema 3 (raw SQL, as the code of that time
wrote it) holding anchored notes, an orphan whose article was deleted, and versions.
"""

from __future__ import annotations

import sqlite3

from reader.articles import Article
from reader.importers.save import store_article
from reader.notes import NoteStore
from reader.schema import MIGRATIONS, SCHEMA_VERSION
from reader.store import Store

NOW = "2025-01-01T00:00:00.000+00:00"
GAO = "The convoy left Gao at dawn. Fuel trucks followed the road to Ansongo."
MENAKA = "Menaka was quiet on Sunday. Traders reopened the market."


def _v3_database(path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("BEGIN")
    for m in MIGRATIONS[:3]:
        m(db)
    db.execute("PRAGMA user_version = 3")
    for aid, title, body in (("gao", "Convoy to Ansongo", GAO), ("menaka", "Menaka market", MENAKA)):
        db.execute("INSERT INTO articles (id, title, date, url, source, body, hash, added_at, updated_at)"
                   " VALUES (?, ?, '2025-01-02', ?, 'Test wire', ?, ?, ?, ?)",
                   (aid, title, f"https://example.org/{aid}", body, f"h-{aid}", NOW, NOW))
        db.execute("INSERT INTO article_versions (article_id, hash, body, title, words, produced_by, source,"
                   " created) VALUES (?, ?, NULL, ?, 10, 'file', '', ?)", (aid, f"h-{aid}", title, NOW))
    notes = [("n-gao-1", "gao", "fuel convoy seen", '["fuel"]', "Fuel trucks", 28, 39),
             ("n-gao-2", "gao", "whole article note", '[]', "", None, None),
             ("n-menaka", "menaka", "market reopened after the curfew", '["markets"]', "Traders reopened", 28, 44)]
    for nid, aid, body, tags, quote, start, end in notes:
        db.execute('INSERT INTO notes (id, article_id, body, tags, quote, start, "end", article_hash, created,'
                   " updated, article_title, origin_hash, origin_quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                   " (SELECT title FROM articles WHERE id = ?), ?, ?)",
                   (nid, aid, body, tags, quote, start, end, f"h-{aid}", NOW, NOW, aid, f"h-{aid}", quote))
    db.execute("DELETE FROM articles WHERE id = 'menaka'")  # its note becomes an orphan
    db.execute("COMMIT")
    db.close()


def test_v3_database_upgrades_keeping_every_note_orphan_and_version(tmp_path):
    path = tmp_path / "v3.db"
    _v3_database(path)
    s = Store.open(path)
    try:
        c = s.conn
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        rows = c.execute("SELECT id, article_id, article, status FROM notes ORDER BY id").fetchall()
        assert rows == [("n-gao-1", "gao", "gao", "anchored"), ("n-gao-2", "gao", "gao", "anchored"),
                        ("n-menaka", "menaka", None, "orphaned")]
        versions = c.execute("SELECT article_id, article, body IS NULL FROM article_versions ORDER BY article_id")
        assert versions.fetchall() == [("gao", "gao", 1), ("menaka", None, 0)]  # the orphan's text is kept
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        # the full-text index still finds the notes (the backfill did not detach it)
        c.execute("INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')")
        hits = c.execute("SELECT n.id FROM notes_fts JOIN notes n ON n.seq = notes_fts.rowid"
                         " WHERE notes_fts MATCH 'curfew'").fetchall()
        assert hits == [("n-menaka",)]
        fks = {(fk.table, fk.column, fk.other_table, fk.other_column, fk.on_delete)
               for t in ("notes", "article_versions") for fk in s.db[t].foreign_keys}
        assert fks == {("notes", "article", "articles", "id", "SET NULL"),
                       ("article_versions", "article", "articles", "id", "SET NULL")}
        orphan = NoteStore(s).get("n-menaka")
        assert orphan.orphaned and orphan.quote == "Traders reopened" and orphan.article_id == "menaka"
    finally:
        s.close()


def test_deleting_an_article_unlinks_its_notes_and_reimporting_relinks_them(store):
    article = Article(id="gao", title="Convoy to Ansongo", body=GAO)
    store_article(store, article)
    ns = NoteStore(store)
    note = ns.add("gao", "fuel", quote="Fuel trucks")
    link = "SELECT article FROM notes WHERE id = ?"
    assert store.conn.execute(link, (note.id,)).fetchone() == ("gao",)
    assert store.delete_article("gao")
    assert store.conn.execute(link, (note.id,)).fetchone() == (None,)
    assert ns.get(note.id).orphaned and ns.get(note.id).article_id == "gao"
    assert store.conn.execute("SELECT article FROM article_versions WHERE article_id = 'gao'").fetchall() == [(None,)]
    store_article(store, article)
    assert store.conn.execute(link, (note.id,)).fetchone() == ("gao",)
    assert not ns.get(note.id).orphaned
    assert store.conn.execute("SELECT article FROM article_versions WHERE article_id = 'gao'").fetchall() == [("gao",)]


def test_notes_imported_before_their_article_are_linked_when_it_arrives(store):
    from reader.notes import Note

    ns = NoteStore(store)
    notes = [Note(id=f"early-{i}", article_id="gao", body=f"note {i}", quote="Fuel trucks", start=28, end=39,
                  created=NOW, updated=NOW) for i in range(60)]  # over BULK_ROWS: the bulk path
    ns.import_notes(notes)
    link = "SELECT count(*) FROM notes WHERE article = 'gao'"
    assert store.conn.execute(link).fetchone() == (0,)
    store_article(store, Article(id="gao", title="Convoy to Ansongo", body=GAO))
    assert store.conn.execute(link).fetchone() == (60,)
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_views_join_notes_to_articles_and_count_mentions_per_entity(store):
    store_article(store, Article(id="gao", title="Convoy to Ansongo", body=GAO, date="2025-01-02",
                                 url="https://example.org/gao", source="Test wire"))
    store_article(store, Article(id="menaka", title="Menaka market", body=MENAKA))
    ns = NoteStore(store)
    kept = ns.add("gao", "fuel convoy seen", quote="Fuel trucks", tags=["fuel"])
    gone = ns.add("menaka", "market note", quote="Traders reopened")
    store.delete_article("menaka")
    rows = store.conn.execute(
        "SELECT note_id, note, quote, tags, article_title, article_date, article_url, article_source, in_library"
        " FROM notes_with_articles ORDER BY note_id = ?", (gone.id,)).fetchall()
    assert rows == [(kept.id, "fuel convoy seen", "Fuel trucks", '["fuel"]', "Convoy to Ansongo", "2025-01-02",
                     "https://example.org/gao", "Test wire", 1),
                    (gone.id, "market note", "Traders reopened", "[]", "Menaka market", None, None, None, 0)]
    c = store.conn
    with store.transaction():
        c.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?)",
                      [("gao-city", "gao", 3, 10), ("user-convoy-watch", "gao", 2, 0)])
        c.execute("INSERT INTO learned (kind, entity_id, surface, data, created) VALUES ('entry',"
                  " 'user-convoy-watch', 'Convoy Watch', '{\"name\": \"Convoy Watch\", \"type\": \"org\"}', ?)", (NOW,))
        c.execute("INSERT INTO note_entities VALUES ((SELECT seq FROM notes WHERE id = ?), 'gao-city')", (kept.id,))
    store_article(store, Article(id="tessit", title="Tessit", body="Gao again."))
    c.execute("INSERT INTO article_entities VALUES ('gao-city', 'tessit', 1, 0)")
    assert c.execute("SELECT entity_id, name, type, articles, mentions, notes FROM mentions_per_entity"
                     " ORDER BY entity_id").fetchall() == [
        ("gao-city", None, None, 2, 4, 1), ("user-convoy-watch", "Convoy Watch", "org", 1, 2, 0)]


def _normalised(sql: str) -> str:
    return " ".join(sql.replace("[", "").replace("]", "").replace('"', "").split())


def test_full_text_indexes_are_the_ones_sqlite_utils_enable_fts_makes(store):
    """Migration 1 writes the FTS tables and triggers by hand (enable_fts would COMMIT inside the
    migration); they must stay what `enable_fts(..., create_triggers=True)` makes, so that
    sqlite-utils and Datasette detect and search them."""
    import sqlite_utils

    db = store.db
    assert db["notes"].detect_fts() == "notes_fts"
    assert db["articles"].detect_fts() == "articles_fts"
    columns = ["body", "quote", "tags", "article_title", "entity_names"]
    scratch = sqlite_utils.Database(memory=True)
    scratch.execute(db["notes"].schema)
    scratch["notes"].enable_fts(columns, create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    ours = {t.name: _normalised(t.sql) for t in db["notes"].triggers if t.name in ("notes_ai", "notes_ad", "notes_au")}
    theirs = {t.name: _normalised(t.sql) for t in scratch["notes"].triggers}
    # one deliberate difference (schema migration 8): the update trigger fires only when an
    # indexed column changes, so a status or review change does not rewrite the index entry
    theirs["notes_au"] = theirs["notes_au"].replace(
        "AFTER UPDATE ON notes", "AFTER UPDATE OF " + ", ".join(columns) + " ON notes")
    assert ours == theirs
    store_article(store, Article(id="gao", title="Convoy to Ansongo", body=GAO))
    NoteStore(store).add("gao", "Ségou curfew", quote="Fuel trucks")
    assert [r["body"] for r in db["notes"].search("segou")] == ["Ségou curfew"]


def test_entities_ask_the_notes_module_for_notes_mentioning_an_entity(store):
    from reader.entities import Entities

    store_article(store, Article(id="gao", title="Convoy to Ansongo", body=GAO))
    ns = NoteStore(store, entity_finder=lambda body, s, e: ["gao-city"] if "Gao" in body[s:e] else [])
    first = ns.add("gao", "left at dawn", quote="The convoy left Gao")
    ns.add("gao", "not about the city", quote="Fuel trucks")
    linked = ns.add("gao", "linked by hand", entity_id="gao-city")
    store.conn.execute("UPDATE notes SET created = '2020-01-01' WHERE id = ?", (first.id,))
    assert [n.id for n in ns.mentioning("gao-city")] == [linked.id, first.id]
    assert [n.id for n in Entities(store).notes_mentioning("gao-city", limit=1)] == [linked.id]


def test_a_failing_upgrade_leaves_the_v3_database_as_it_was(tmp_path):
    """Every step of the upgrade runs in one transaction: when a late step fails, nothing of it
    stays (no half-added columns, no view, version still 3)."""
    import pytest

    from reader.store import StoreError

    path = tmp_path / "v3.db"
    _v3_database(path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE mentions_per_entity (x)")  # the second view cannot be created
    db.commit()
    db.close()
    with pytest.raises(StoreError):
        Store.open(path)
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        assert "article" not in [r[1] for r in db.execute("PRAGMA table_info(notes)")]
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'notes_with_articles'").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM notes").fetchone() == (3,)
    finally:
        db.close()


def test_store_db_writes_join_the_store_transaction(store):
    """Store.db is the same connection: a write through sqlite-utils inside `transaction()` is
    rolled back with it, and wrapping the connection does not switch on recursive triggers."""
    import pytest

    with pytest.raises(RuntimeError):
        with store.transaction():
            store.db["settings"].insert({"key": "probe", "value": "1"})
            assert store.setting("probe") == "1"
            raise RuntimeError("abandon")
    assert store.setting("probe") is None
    with store.transaction():
        store.db["settings"].insert({"key": "probe", "value": "2"})
    assert store.setting("probe") == "2"
    assert store.conn.execute("PRAGMA recursive_triggers").fetchone() == (0,)
