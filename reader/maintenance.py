"""Keeping a large library fast and small, on a schedule that never blocks the UI.

Three levels, cheapest first:

- `on_close(store)`: ``PRAGMA optimize`` with a bounded analysis (milliseconds), when a
  connection that wrote is closed: SQLite re-plans only what changed a lot.
- `tidy(store)`: a bounded step of FTS5 segment merging (``'merge'`` with a page budget),
  for a background worker when the user is idle. Each step is one short write transaction,
  so the UI's own writes wait at most one step; call it again until it returns False.
- `maintain(store)`: the full treatment, only from ``mali-reader maintain`` (it rewrites the
  whole file and holds the write lock throughout): merge each FTS index into one segment,
  ``ANALYZE``, and ``VACUUM`` to give freed pages back to the file system.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

FTS_TABLES = ("notes_fts", "notes_words", "articles_fts", "library_fts")
ANALYSIS_LIMIT = 400  # rows sampled per index by PRAGMA optimize: bounded even at a million notes
MERGE_PAGES = 200  # leaf pages one tidy step may write (a few milliseconds)


def on_close(store) -> None:
    """Let SQLite refresh the statistics it plans with; cheap, never raises."""
    if getattr(store, "read_only", ""):
        return
    try:
        store.conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        store.conn.execute("PRAGMA optimize")
    except Exception:  # noqa: BLE001 - a busy or read-only database must not stop a clean exit
        pass


def tidy(store, *, pages: int = MERGE_PAGES) -> bool:
    """One bounded FTS merge step on each index; True when a step did work (call again later).

    A positive 'merge' only merges a level holding `usermerge` (4) segments or more: the
    incremental merging FTS5's automerge would have done while writing (``articles_fts`` and
    ``library_fts`` have it off, see schema v11), here done while the user is idle. A negative
    one would first move every segment onto one level and rewrite them all into one, the
    large merged segment included: after each note added to a library of a million, it would
    have rewritten the whole index again, a few hundred pages a step."""
    did = False
    for table in FTS_TABLES:
        with store.transaction(wait_ms=100) as c:
            before = c.total_changes
            c.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)", (int(pages),))
            did = did or c.total_changes - before > 1
    return did


@dataclass(frozen=True)
class Report:
    bytes_before: int
    bytes_after: int
    notes: int
    seconds: float
    structure_checked: int = 0  # articles stored without structure whose source file was read
    structure_filled: int = 0  # ... and gave exactly the stored body, so got its spans

    def lines(self) -> list[str]:
        per = f", {self.bytes_after / self.notes:,.0f} bytes a note" if self.notes else ""
        out = [f"database: {self.bytes_before / 1e6:,.1f} MB -> {self.bytes_after / 1e6:,.1f} MB{per}"
               f" ({self.seconds:.1f} s)"]
        if self.structure_checked:
            out.append(f"structure: {self.structure_filled:,} of {self.structure_checked:,} older articles"
                       " given headings and emphasis from their unchanged source files")
        return out


def file_bytes(store) -> int:
    """The database's size as stored: its pages (the WAL file is transient)."""
    c = store.conn
    return c.execute("PRAGMA page_count").fetchone()[0] * c.execute("PRAGMA page_size").fetchone()[0]


def maintain(store) -> Report:
    """Merge FTS segments, refresh statistics and VACUUM. Blocks other writers while it runs."""
    t0 = time.perf_counter()
    before = file_bytes(store)
    with store.transaction() as c:
        for table in FTS_TABLES:
            c.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        c.execute("ANALYZE")
    c = store.conn
    c.execute("VACUUM")  # outside any transaction, as SQLite requires
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    notes = c.execute("SELECT count(*) FROM notes").fetchone()[0]
    return Report(before, file_bytes(store), notes, time.perf_counter() - t0)
