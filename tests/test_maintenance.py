"""Database upkeep (issue 14): FTS merging when idle, VACUUM only from `mali-reader maintain`."""

from __future__ import annotations

from pathlib import Path

from reader import maintenance
from reader.articles import Article
from reader.cli import main
from reader.listing import LibraryQuery, count
from reader.notes import NoteStore
from reader.search import search
from reader.store import Store
from reader.tui import tidy
from tests.tui_helpers import wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"
BODY = "The convoy left Gao at dawn. Fuel prices rose in Kidal after the blockade began."


def segments(store, table: str = "notes_fts") -> int:
    return store.conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0]


def articles(path: Path, n: int = 12) -> Store:
    """n articles, one transaction each: n segments in the article and filter-key indexes,
    which merge nothing while writing (schema v11)."""
    store = Store.open(path)
    for i in range(n):
        store.upsert_article(Article(id=f"a{i}", title=f"Convoy report {i}", body=f"{BODY} Report {i}."))
    return store


def library(path: Path, notes: int = 3) -> Store:
    store = Store.open(path)
    store.upsert_article(Article(id="a1", title="Convoy news", body=BODY))
    ns = NoteStore(store)
    for i in range(notes):  # one transaction each: one small FTS segment each
        ns.add("a1", f"fuel note {i}", start=29, end=40)
    return store


def test_tidy_merges_the_index_in_bounded_steps(tmp_path):
    store = articles(tmp_path / "lib.db")
    assert segments(store, "articles_fts") == 12
    steps = 0
    while maintenance.tidy(store, pages=1):
        steps += 1
        assert steps < 500, "tidy never reports that it is done"
    assert segments(store, "articles_fts") == 1 and segments(store, "library_fts") == 1
    assert store.conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'blockade'").fetchone() == (12,)
    assert count(store, LibraryQuery.parse("convoy rep"), limit=100) == 12  # the filter still finds them all
    store.close()


def test_tidy_leaves_a_merged_index_alone_when_a_note_is_added(tmp_path):
    """One new note beside a large merged segment is no reason to rewrite that segment."""
    store = library(tmp_path / "lib.db", notes=300)
    maintenance.maintain(store)
    big = store.conn.execute("SELECT DISTINCT segid FROM notes_fts_idx").fetchall()
    NoteStore(store).add("a1", "one more fuel note", start=29, end=40)
    assert segments(store) == 2
    assert not maintenance.tidy(store)
    assert set(big) <= set(store.conn.execute("SELECT DISTINCT segid FROM notes_fts_idx").fetchall())
    assert len(search(store, "fuel", limit=-1).notes) == 301
    store.close()


def test_maintain_shrinks_the_file_and_keeps_every_note(tmp_path):
    store = library(tmp_path / "lib.db", notes=400)
    ns = NoteStore(store)
    keep = {n.id for n in ns.all()[:20]}
    with store.transaction() as c:
        c.execute(f"DELETE FROM notes WHERE id NOT IN ({', '.join('?' * len(keep))})", list(keep))
    report = maintenance.maintain(store)
    assert report.bytes_after < report.bytes_before
    assert {n.id for n in ns.all()} == keep
    assert len(search(store, "fuel", limit=-1).notes) == 20
    assert segments(store) == 1
    store.close()


def test_maintain_verb_reports_the_sizes(tmp_path, capsys):
    path = tmp_path / "lib.db"
    library(path).close()
    assert main(["maintain", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("database: ") and "bytes a note" in out


async def test_the_app_merges_the_index_only_when_the_user_is_idle(tmp_path, monkeypatch):
    from reader.tui.app import MaliReaderApp

    store = articles(tmp_path / "lib.db")
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test() as pilot:
        await pilot.press("j")  # the user is active: nothing starts
        assert not tidy.maybe_tidy(app)
        monkeypatch.setattr(tidy, "IDLE_S", 0.0)
        assert tidy.maybe_tidy(app)
        await wait_until(pilot, lambda: segments(store, "articles_fts") == 1
                         and not any(w.group == "tidy" and w.is_running for w in app.workers))
    store.close()


def test_maintain_refuses_a_missing_database_without_creating_it(tmp_path, capsys):
    path = tmp_path / "nope.db"
    assert main(["maintain", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no such database" in err
    assert not path.exists()


def test_maintain_leaves_the_library_as_it_was(tmp_path):
    path = tmp_path / "lib.db"
    store = library(path)
    before = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    store.close()
    assert main(["maintain", "--db", str(path)]) == 0
    store = Store.open(path)
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == before  # no samples added
    store.close()

