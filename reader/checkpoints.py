"""WAL checkpoints on a thread of their own while a bulk import writes.

A checkpoint copies the pages written since the last one from the WAL back into the database
file and syncs it. In a large library every imported article dirties pages spread over the
whole file (one leaf of each index keyed by id, hash, date, sort order and of the version
table), and syncing those scattered pages was what made importing 500 files into 100,000
articles slower than into 1,000: with SQLite's automatic checkpoints (every 1,000 pages, run
by the writer inside its commit) the import waited for the disk; the SQL work itself took the
same time at both sizes (1.13 s against 1.18 s with checkpoints held back).

Here the writer's automatic checkpoints are pushed far out (`WRITER_PAGES`, a backstop) and
a thread with its own connection runs a PASSIVE checkpoint every `EVERY_S` while the import
goes on: it never takes the write lock and never waits for readers, and the sync it waits for
overlaps the parsing of the next files. What is left when the import ends is checkpointed
then. Durability is unchanged: every commit is in the WAL, as before.
"""

from __future__ import annotations

import sqlite3
import threading

WRITER_PAGES = 32_768  # 128 MB of WAL: the writer checkpoints itself only if the thread falls behind
EVERY_S = 0.5


class BackgroundCheckpoints:
    """Context manager around a bulk write on `store` (a no-op for read-only or non-WAL stores)."""

    def __init__(self, store) -> None:
        self.store = store
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._writer_pages: int | None = None
        self.error: Exception | None = None  # the thread's failure, if any (the import goes on)

    def __enter__(self) -> "BackgroundCheckpoints":
        store = self.store
        conn = store.conn
        if store.read_only or conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            return self
        path = conn.execute("PRAGMA database_list").fetchone()[2]
        if not path:  # an in-memory database has no WAL
            return self
        self._writer_pages = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        conn.execute(f"PRAGMA wal_autocheckpoint = {max(self._writer_pages, WRITER_PAGES)}")
        self._thread = threading.Thread(target=self._run, args=(path,), name="wal-checkpoints", daemon=True)
        self._thread.start()
        return self

    def _run(self, path: str) -> None:
        try:
            checkpointer = sqlite3.connect(path, timeout=1.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            self.error = exc
            return
        try:
            while not self._stop.wait(EVERY_S):
                try:
                    checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.OperationalError as exc:  # another checkpoint is running: next time
                    self.error = exc
        except sqlite3.Error as exc:  # the file is gone or broken: the writer's own checkpoints take over
            self.error = exc
        finally:
            checkpointer.close()

    def __exit__(self, *exc) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        conn = self.store.conn
        conn.execute(f"PRAGMA wal_autocheckpoint = {self._writer_pages}")
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:
            pass  # another writer holds the file: its commits checkpoint as usual
