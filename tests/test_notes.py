"""Notes: storage, reading order, undo, tags, entity links and re-anchoring through re-import."""

import sqlite3

import pytest

from reader.articles import Article
from reader.notes import NoteStore, normalise_tags
from reader.store import StoreError
from reader.importers.save import store_article

P1 = ("In early May, fighters of JNIM claimed an attack on an army post near Ségou, "
      "the first such claim in that district according to local officials.")
P2 = ("Fuel convoys travelling from the Senegalese border were escorted by the army, "
      "but several trucks were burned on the road to Kayes during the week.")
P3 = ("Residents of Gao described long queues at the few stations that still had petrol, "
      "and prices doubled within days.")
BODY = "\n\n".join([P1, P2, P3])


def put(store, body=BODY, id="a1", title="Fuel and fighting"):
    return store_article(store, Article(id=id, title=title, body=body, date="2024-05-10"))[0]


@pytest.fixture
def notes(store):
    put(store)
    return NoteStore(store)


def test_add_passage_note_stores_both_selectors(notes, store):
    n = notes.add("a1", "first claim there", quote="several trucks were burned", tags=["Fuel", "#Kayes", "fuel"])
    got = notes.get(n.id)
    assert got.quote == "several trucks were burned"
    assert BODY[got.start:got.end] == got.quote
    assert got.prefix == BODY[got.start - 32:got.start] and got.suffix == BODY[got.end:got.end + 32]
    assert got.tags == ["fuel", "kayes"]
    assert got.article_hash == store.article("a1").hash
    assert got.status == "anchored" and got.created == got.updated
    assert len(got.id) == 36


def test_article_level_note(notes):
    n = notes.add("a1", "whole piece is about fuel")
    assert n.is_article_level and notes.get(n.id).start is None


def test_add_rejects_unknown_article_and_missing_quote(notes):
    with pytest.raises(ValueError):
        notes.add("nope", "x")
    with pytest.raises(ValueError):
        notes.add("a1", "x", quote="not in the text at all")
    with pytest.raises(ValueError):
        notes.add("a1", "x", start=5)


def test_reading_order(notes):
    c = notes.add("a1", "c", quote="Residents of Gao")
    a = notes.add("a1", "a", quote="fighters of JNIM")
    whole = notes.add("a1", "whole")
    b = notes.add("a1", "b", quote="Fuel convoys")
    assert [n.id for n in notes.for_article("a1")] == [whole.id, a.id, b.id, c.id]


def test_update_delete_undelete(notes):
    n = notes.add("a1", "draft", quote="Fuel convoys", tags=["x"])
    u = notes.update(n.id, body="final", tags=["fuel"], entity_id="gao")
    assert (u.body, u.tags, u.entity_id) == ("final", ["fuel"], "gao")
    assert notes.get(n.id).updated >= n.updated
    gone = notes.delete(n.id)
    assert notes.get(n.id) is None and notes.count() == 0
    assert notes.tags() == []
    back = notes.undelete(gone)
    assert back.id == n.id and back.body == "final" and back.created == n.created
    assert notes.tags() == [("fuel", 1)]
    assert notes.delete("missing") is None


def test_tags_distinct_with_counts_and_prefix(notes):
    notes.add("a1", "1", tags=["fuel", "gao"])
    notes.add("a1", "2", tags=["fuel"])
    notes.add("a1", "3", tags=["fighting"])
    assert notes.tags() == [("fuel", 2), ("fighting", 1), ("gao", 1)]
    assert notes.tags("f") == [("fuel", 2), ("fighting", 1)]
    assert normalise_tags([" Fuel Supply ", "#x", "", "x"]) == ["fuel-supply", "x"]


def test_entities_from_injected_finder(store):
    put(store)
    calls = []

    def finder(body, start, end):
        calls.append((start, end))
        return ["jnim", "segou"] if "JNIM" in body[start:end] else []

    names = {"jnim": ["JNIM", "Jama'at Nusrat al-Islam wal-Muslimin"], "segou": ["Ségou", "Segou"]}
    ns = NoteStore(store, entity_finder=finder, entity_names=lambda i: names.get(i, []))
    n = ns.add("a1", "claim", quote="JNIM claimed an attack on an army post near Ségou", entity_id="jnim")
    assert n.entities == ["jnim", "segou"] and calls
    row = store.conn.execute("SELECT entity_names FROM notes WHERE id = ?", (n.id,)).fetchone()[0]
    assert "Nusrat" in row and "Ségou" in row
    ids = {r[0] for r in store.conn.execute(
        "SELECT e.entity_id FROM note_entities e JOIN notes n ON n.seq = e.note_seq WHERE n.id = ?", (n.id,))}
    assert ids == {"jnim", "segou"}


def test_article_counts_include_notes(notes, store):
    notes.add("a1", "x")
    assert store.articles()[0].notes == 1


# --- re-anchoring through the store hook ----------------------------------------------------


def test_reimport_same_text_keeps_notes(notes, store):
    n = notes.add("a1", "x", quote="several trucks were burned")
    assert put(store) == "unchanged"
    assert notes.get(n.id) == n


def test_reimport_moved_passage_follows(notes, store):
    n = notes.add("a1", "x", quote="several trucks were burned on the road to Kayes")
    new_body = "An editor's introduction was added.\n\n" + "\n\n".join([P3, P1, P2])
    assert put(store, new_body) == "updated"
    got = notes.get(n.id)
    assert got.status == "anchored" and new_body[got.start:got.end] == n.quote
    assert got.article_hash == store.article("a1").hash
    assert got.prefix == new_body[got.start - 32:got.start]


def test_reimport_fuzzy_edit_rebaselines(notes, store):
    n = notes.add("a1", "x", quote="fighters of JNIM claimed an attack on an army post near Ségou")
    new_body = BODY.replace("claimed an attack on an army post", "claimed a deadly attack on an army post")
    put(store, new_body)
    got = notes.get(n.id)
    assert got.status == "anchored"
    assert got.quote == new_body[got.start:got.end] and "deadly attack" in got.quote


def test_reimport_deleted_passage_orphans_and_keeps_quote(notes, store):
    n = notes.add("a1", "x", quote="several trucks were burned on the road to Kayes")
    put(store, P1 + "\n\n" + P3)
    got = notes.get(n.id)
    assert got.status == "orphaned"
    assert (got.quote, got.prefix, got.suffix) == (n.quote, n.prefix, n.suffix)
    assert [o.id for o in notes.orphans()] == [n.id]
    # the passage comes back in a later version: the note re-attaches by itself
    put(store, BODY)
    assert notes.get(n.id).status == "anchored"


def test_reimport_look_alike_is_orphaned_not_misanchored(notes, store):
    n = notes.add("a1", "x", quote="fighters of JNIM claimed an attack on an army post near Ségou")
    other = ("Two weeks later, fighters of JNIM claimed an attack on a police post near Mopti, "
             "which the governor denied in a short statement on the radio.")
    put(store, "\n\n".join([P2, P3, other]))
    assert notes.get(n.id).status == "orphaned"


def test_reattach_orphan(notes, store):
    n = notes.add("a1", "x", quote="several trucks were burned")
    new_body = P1 + "\n\nTrucks were set alight near Kayes."
    put(store, new_body)
    assert notes.get(n.id).status == "orphaned"
    i = new_body.index("Trucks were set alight")
    got = notes.reattach(n.id, i, i + len("Trucks were set alight"))
    assert got.status == "anchored" and got.quote == "Trucks were set alight"
    assert notes.get(n.id).quote == "Trucks were set alight" and notes.orphans() == []


def test_deleting_article_orphans_notes_instead_of_losing_them(notes, store):
    n = notes.add("a1", "keep me", quote="Fuel convoys")
    store.delete_article("a1")
    got = notes.get(n.id)
    assert got is not None and got.status == "orphaned"


def test_title_change_reaches_index(notes, store):
    n = notes.add("a1", "x")
    put(store, title="A renamed article")
    assert store.conn.execute("SELECT article_title FROM notes WHERE id = ?", (n.id,)).fetchone()[0] == \
        "A renamed article"


# --- failures are clear and change nothing ---------------------------------------------------


def test_read_only_database_gives_clear_error_and_no_change(notes, store, db_path):
    n = notes.add("a1", "before")
    store.conn.execute("PRAGMA query_only = ON")  # what a read-only file gives, also as root
    with pytest.raises(StoreError) as err:
        notes.add("a1", "typed text")
    assert "read-only" in str(err.value) and str(db_path) in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(StoreError):
        notes.update(n.id, body="changed")
    store.conn.execute("PRAGMA query_only = OFF")
    assert [x.body for x in notes.all()] == ["before"]
    assert not store.conn.in_transaction


def test_sqlite_errors_inside_writes_roll_back(notes, store, monkeypatch):
    n = notes.add("a1", "x", quote="Fuel convoys", tags=["a"])

    def boom(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(NoteStore, "_write_fields", boom)
    with pytest.raises(StoreError, match="disk"):
        notes.update(n.id, body="new", tags=["b"])
    monkeypatch.undo()
    assert notes.get(n.id).body == "x" and notes.tags() == [("a", 1)]


def test_placements_for_display(notes, store):
    a = notes.add("a1", "x", quote="several trucks were burned")
    b = notes.add("a1", "whole")
    placed = dict((n.id, p) for n, p in notes.placements("a1"))
    assert placed[b.id] is None
    assert BODY[placed[a.id].start:placed[a.id].end] == a.quote and placed[a.id].method == "position"


def test_broken_entity_lookup_does_not_lose_the_note(store):
    put(store)

    def broken(*_):
        raise RuntimeError("matcher exploded")

    ns = NoteStore(store, entity_finder=broken, entity_names=broken)
    n = ns.add("a1", "still saved", quote="Fuel convoys", entity_id="gao")
    assert ns.get(n.id).body == "still saved" and n.entities == []
    assert "matcher exploded" in ns.entity_error
