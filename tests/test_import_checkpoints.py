"""A bulk import checkpoints the WAL on a thread of its own (reader.checkpoints) and leaves the
connection as it found it, with every article in the database file itself."""

from __future__ import annotations

import sqlite3

from reader.checkpoints import BackgroundCheckpoints
from reader.cli import main
from reader.store import Store

TEXT = "---\ntitle: Report {i}\n---\n\nThe convoy left Gao at dawn on day {i}. Fuel prices rose in Kidal.\n"


def test_an_import_leaves_nothing_in_the_wal_and_the_setting_restored(tmp_path, capsys):
    folder = tmp_path / "files"
    folder.mkdir()
    for i in range(300):
        (folder / f"r{i:03d}.md").write_text(TEXT.format(i=i), encoding="utf-8")
    db = tmp_path / "lib.db"
    watcher = sqlite3.connect(db)  # keeps the WAL from being removed when the import closes
    assert main(["import", str(folder), "--db", str(db)]) == 0
    busy, frames, copied = watcher.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == copied  # everything committed is in the file itself
    titles = {r[0] for r in watcher.execute("SELECT title FROM articles")}
    assert {f"Report {i}" for i in range(300)} <= titles
    watcher.close()
    store = Store.open(db)
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
    store.close()


def test_the_checkpoint_thread_stops_and_restores_the_writer(tmp_path):
    store = Store.open(tmp_path / "lib.db")
    with BackgroundCheckpoints(store) as checkpoints:
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] > 1000
        assert checkpoints._thread is not None and checkpoints._thread.is_alive()
    assert not checkpoints._thread.is_alive() and checkpoints.error is None
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone() == (1000,)
    store.close()


def test_no_thread_without_a_writable_wal_database():
    from types import SimpleNamespace

    for reason in ("read-only file system", ""):  # in memory: no WAL, nothing to checkpoint
        store = SimpleNamespace(read_only=reason, conn=sqlite3.connect(":memory:"))
        with BackgroundCheckpoints(store) as checkpoints:
            assert checkpoints._thread is None
        store.conn.close()
