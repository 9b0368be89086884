"""Migrations 12 and 13 (issue 14): a note never edited stores its ``updated`` time once ('' =
the same as ``created``), and words are matched in ``notes_words`` (no positions) while phrases
stay in ``notes_fts`` (no prefix indexes).

The upgrade is tested on a database written at schema 11 (raw SQL, as the code of that time
wrote it) holding edited and unedited notes, an article-level note and an orphan: every note
must come through with every field a reader sees unchanged, and search must find the same
notes as the v11 index did (rebuilt beside it for the comparison).
"""

from __future__ import annotations

import io
import json
import sqlite3

from reader.articles import Article
from reader.export import export_rows, write_export
from reader.importers.save import store_article
from reader.notes import NoteStore
from reader.schema import MIGRATIONS, SCHEMA_VERSION
from reader.search import _full_expression, parse_query, search
from reader.store import Store

T0 = "2025-01-01T00:00:00.000+00:00"
T1 = "2025-03-04T05:06:07.000+00:00"
GAO = "The convoy left Gao at dawn. Fuel trucks followed the road to Ansongo."
MENAKA = "Menaka was quiet on Sunday. Traders reopened the market."
# id, article, body, tags, quote, start, end, created, updated
NOTES = [("n-fuel", "gao", "fuel convoy seen", '["fuel"]', "Fuel trucks", 29, 40, T0, T0),
         ("n-edited", "gao", "convoy escort edited later", '[]', "convoy", 4, 10, T0, T1),
         ("n-whole", "gao", "whole article note on the convoy", '[]', "", None, None, T1, T1),
         ("n-market", "menaka", "market reopened after the curfew", '["markets"]', "Traders reopened", 28, 44, T0, T0)]
QUERIES = ["convoy", "fuel", "con", "co", "conv", "convo", '"convoy seen"', 'convoy "fuel convoy"', "tag:fuel",
           "market", "convoy -edited", "-edited", "orphaned:yes", "after:2025-02 convoy", "ansongo", "tag:fuel co"]
# the v11 notes index, to compare what each text query finds
V11_FTS = ("CREATE VIRTUAL TABLE v11_fts USING FTS5 (body, quote, tags, article_title, entity_names,"
           " tokenize='unicode61 remove_diacritics 2', prefix='2 3 4', content=[notes])")


def _v11_database(path) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("BEGIN")
    for m in MIGRATIONS[:11]:
        m(db)
    db.execute("PRAGMA user_version = 11")
    for aid, title, body in (("gao", "Convoy to Ansongo", GAO), ("menaka", "Menaka market", MENAKA)):
        db.execute("INSERT INTO articles (id, title, date, body, hash, added_at, updated_at)"
                   " VALUES (?, ?, '2025-01-02', ?, ?, ?, ?)", (aid, title, body, f"h-{aid}", T0, T0))
    for nid, aid, body, tags, quote, start, end, created, updated in NOTES:
        db.execute('INSERT INTO notes (id, article_id, article, body, tags, quote, start, "end", article_hash,'
                   " created, updated, article_title, origin_start, origin_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                   " ?, ?, (SELECT title FROM articles WHERE id = ?), ?, ?)",
                   (nid, aid, aid, body, tags, quote, start, end, f"h-{aid}", created, updated, aid, start, end))
    db.execute("DELETE FROM articles WHERE id = 'menaka'")  # its note becomes an orphan
    db.execute("COMMIT")
    db.close()


def _everything(store: Store) -> tuple[dict, dict, str]:
    notes = NoteStore(store)
    seen = {n.id: notes.get(n.id).to_dict() for n in notes.all()}
    found = {q: sorted(h.note.id for h in search(store, q, limit=-1).notes) for q in QUERIES}
    out = io.StringIO()
    write_export(export_rows(store)[0], "json", out)
    return seen, found, json.dumps(json.loads(out.getvalue())["notes"], sort_keys=True)


def test_v11_database_upgrades_keeping_every_note_and_what_search_finds(tmp_path):
    path = tmp_path / "v11.db"
    _v11_database(path)
    # what the v11 code saw: the stored columns are the values (no '' yet)
    with sqlite3.connect(path) as c:
        stored = {r[0]: r[1:] for r in c.execute("SELECT id, created, updated FROM notes")}
    assert {k: v for k, v in stored.items()} == {n[0]: (n[7], n[8]) for n in NOTES}
    s = Store.open(path)
    try:
        c = s.conn
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 12
        seen, found, exported = _everything(s)
        assert {i: (d["created"], d["updated"]) for i, d in seen.items()} == stored  # every note, every time
        assert set(seen) == {n[0] for n in NOTES}
        assert seen["n-market"]["status"] == "orphaned"
        # stored once where it repeated created; kept where the note was edited
        assert dict(c.execute("SELECT id, updated FROM notes").fetchall()) == {
            "n-fuel": "", "n-edited": T1, "n-whole": "", "n-market": ""}
        assert found["convoy"] == ["n-edited", "n-fuel", "n-whole"]
        assert found["tag:fuel"] == ["n-fuel"] and found["orphaned:yes"] == ["n-market"]
        assert found["after:2025-02 convoy"] == ["n-whole"]
        assert c.execute("SELECT updated FROM notes_with_articles WHERE note_id = 'n-fuel'").fetchone() == (T0,)
        for table in ("notes_fts", "notes_words"):
            c.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        c.execute(V11_FTS)
        c.execute("INSERT INTO v11_fts (v11_fts) VALUES ('rebuild')")
        for text in QUERIES:
            q = parse_query(text)
            if q.has_text and not q.has_note_filters:
                v11 = {r[0] for r in c.execute(
                    "SELECT n.id FROM v11_fts JOIN notes n ON n.seq = v11_fts.rowid WHERE v11_fts MATCH ?",
                    [_full_expression(q)])}
                assert set(found[text]) == v11, text
        assert found["conv"] == found["convoy"] and found["co"] == found["convoy"]
        assert found['convoy "fuel convoy"'] == ["n-fuel"] and found["-edited"] == ["n-fuel", "n-market", "n-whole"]
    finally:
        s.close()
    # the same library built by the current code gives the same notes, results and export
    fresh = Store.open(tmp_path / "fresh.db")
    try:
        store_article(fresh, Article(id="gao", title="Convoy to Ansongo", body=GAO, date="2025-01-02"))
        rows = [{**dict(zip(("id", "article_id", "body", "tags", "quote", "start", "end", "created", "updated"),
                             (nid, aid, body, json.loads(tags), quote, start, end, created, updated))),
                 "article_hash": f"h-{aid}", "origin_start": start, "origin_end": end}
                for nid, aid, body, tags, quote, start, end, created, updated in NOTES]
        from reader.notes import Note
        NoteStore(fresh).import_notes([Note.from_dict(r) for r in rows])
        f_seen, f_found, _ = _everything(fresh)
        assert f_found == found
        assert {i: (d["created"], d["updated"]) for i, d in f_seen.items()} == stored
        assert dict(fresh.conn.execute("SELECT id, updated FROM notes").fetchall())["n-fuel"] == ""
    finally:
        fresh.close()
    assert '"updated": "' + T0 in exported and '"updated": ""' not in exported


def test_changing_created_by_hand_keeps_the_updated_time_a_reader_sees(store):
    """Datasette or sqlite-utils may edit ``created``; the unedited note's ``updated`` must not follow it."""
    store_article(store, Article(id="gao", title="Convoy to Ansongo", body=GAO))
    notes = NoteStore(store)
    n = notes.add("gao", "fuel convoy seen", quote="Fuel trucks")
    assert store.conn.execute("SELECT updated FROM notes WHERE id = ?", (n.id,)).fetchone() == ("",)
    with store.transaction() as c:
        c.execute("UPDATE notes SET created = ? WHERE id = ?", (T0, n.id))
    got = notes.get(n.id)
    assert (got.created, got.updated) == (T0, n.created)
    edited = notes.update(n.id, body="edited")
    assert notes.get(n.id).updated == edited.updated != T0
