"""Compact note storage (schema v4, issue 14): upgrading keeps every note as it was."""

from __future__ import annotations

import sqlite3

from reader.anchoring import make_anchor
from reader.articles import Article
from reader.notes import NoteStore
from reader.schema import MIGRATIONS
from reader.search import search
from reader.store import Store

BODY = "The convoy left Gao at dawn. Fuel prices rose in Kidal after the blockade began."


def _v3_database(path) -> None:
    """A database as mali-reader wrote it before v4: origin columns filled for every note."""
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("BEGIN")
    for migration in MIGRATIONS[:3]:
        migration(c)
    c.execute("PRAGMA user_version = 3")
    c.execute("INSERT INTO articles (id, title, body, hash, added_at, updated_at) VALUES"
              " ('a1', 'Convoy news', ?, 'h-now', 't', 't')", (BODY,))
    cols = ("id, article_id, body, tags, quote, prefix, suffix, start, \"end\", article_hash, status, created,"
            " updated, article_title, origin_hash, origin_quote, origin_start, origin_end")
    a = make_anchor(BODY, 29, 40)
    c.execute(f"INSERT INTO notes ({cols}) VALUES ('n-same', 'a1', 'about fuel', '[\"fuel\"]', 'Fuel prices', ?,"
              " ?, 29, 40, 'h-now', 'anchored', 't1', 't1', 'Convoy news', 'h-now', 'Fuel prices', 29, 40)",
              (a.prefix, a.suffix))
    c.execute(f"INSERT INTO notes ({cols}) VALUES ('n-moved', 'a1', 'moved once', '[]', 'convoy left', '', '',"
              " 4, 15, 'h-now', 'anchored', 't2', 't2', 'Convoy news', 'h-old', 'the convoy left', 0, 15)")
    c.execute(f"INSERT INTO notes ({cols}) VALUES ('n-article', 'a1', 'whole article', '[]', '', '', '',"
              " NULL, NULL, 'h-now', 'anchored', 't3', 't3', 'Convoy news', 'h-now', '', NULL, NULL)")
    c.execute("COMMIT")
    c.close()


def test_upgrade_keeps_every_origin_and_stores_it_once(tmp_path):
    path = tmp_path / "lib.db"
    _v3_database(path)
    store = Store.open(path)
    notes = NoteStore(store)
    same, moved, whole = notes.get("n-same"), notes.get("n-moved"), notes.get("n-article")
    assert (same.origin_quote, same.origin_hash, same.origin_start) == ("Fuel prices", "h-now", 29)
    assert (moved.origin_quote, moved.origin_hash, moved.origin_start) == ("the convoy left", "h-old", 0)
    assert (whole.origin_quote, whole.origin_hash, whole.origin_start) == ("", "h-now", None)
    raw = dict((r[0], r[1:]) for r in store.conn.execute("SELECT id, origin_quote, origin_hash FROM notes"))
    assert raw["n-same"] == ("", "")  # the duplicate is gone from the row
    assert raw["n-moved"] == ("the convoy left", "h-old")  # a real origin is kept as written
    assert [h.note.id for h in search(store, "fuel").notes] == ["n-same"]  # the index still answers
    assert "notes_updated" not in {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    store.close()


def test_moving_a_note_after_the_upgrade_keeps_where_it_was_made(tmp_path):
    path = tmp_path / "lib.db"
    _v3_database(path)
    store = Store.open(path)
    notes = NoteStore(store)
    with store.transaction():
        store.upsert_article(Article(id="a1", title="Convoy news", body="Update. " + BODY))
        notes.reanchor_article("a1")
    note = notes.get("n-same")
    assert (note.start, note.status) == (29 + len("Update. "), "anchored")  # moved onto the new text
    assert note.article_hash not in ("h-now", "")
    assert (note.origin_quote, note.origin_hash, note.origin_start) == ("Fuel prices", "h-now", 29)
    notes.reattach("n-same", 0, 6)  # a different passage: the origin still says where it was made
    note = notes.get("n-same")
    assert note.quote == "Update"
    assert (note.origin_quote, note.origin_hash, note.origin_start) == ("Fuel prices", "h-now", 29)
    store.close()


def test_new_notes_read_back_their_origin(tmp_path):
    store = Store.open(tmp_path / "new.db")
    store.upsert_article(Article(id="a1", title="Convoy news", body=BODY))
    notes = NoteStore(store)
    made = notes.add("a1", "note", start=29, end=40)
    back = notes.get(made.id)
    assert (back.origin_quote, back.origin_hash, back.origin_start) == ("Fuel prices", made.article_hash, 29)
    notes.reattach(made.id, 4, 15)
    back = notes.get(made.id)
    assert back.quote == "convoy left"
    assert (back.origin_quote, back.origin_start) == ("Fuel prices", 29)
    store.close()
