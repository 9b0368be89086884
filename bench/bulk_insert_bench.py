"""Inserting 10,000 note rows in bulk: `executemany` (what NoteStore uses) against
sqlite-utils' `insert_all` on the same connection, full-text triggers off as in the bulk path.

    uv run python bench/bulk_insert_bench.py [--rows 10000] [--repeat 5]

Each run is rolled back, so every repetition inserts into the same table. Prints a table;
asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.articles import Article  # noqa: E402
from reader.importers.save import store_article  # noqa: E402
from reader.notes import _INSERT_COLUMNS, Note, NoteStore  # noqa: E402
from reader.store import Store  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bulk.db")
        store_article(store, Article(id="a", title="An article", body="The convoy left Gao at dawn. " * 40))
        ns = NoteStore(store)
        rows = ns._with_article_links([  # noqa: SLF001 - the rows the bulk path writes
            ns._insert_row(Note(id=f"n{i}", article_id="a", body=f"imported note {i} about fuel",  # noqa: SLF001
                                tags=["bench"], quote="convoy", start=4, end=10, created="2024-01-01",
                                updated="2024-01-01"), "An article") for i in range(args.rows)])
        c = store.conn
        columns = ", ".join(f'"{name}"' for name in _INSERT_COLUMNS)
        insert = f"INSERT INTO notes ({columns}) VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
        times: dict[str, list[float]] = {"executemany": [], "sqlite-utils insert_all": []}
        for _ in range(args.repeat):
            for how in times:
                c.execute("BEGIN IMMEDIATE")
                for trigger in ("notes_ai", "notes_tags_ai"):
                    c.execute(f"DROP TRIGGER {trigger}")
                t0 = time.perf_counter()
                if how == "executemany":
                    c.executemany(insert, rows)
                else:
                    store.db["notes"].insert_all((dict(zip(_INSERT_COLUMNS, r)) for r in rows), batch_size=200)
                times[how].append((time.perf_counter() - t0) * 1000)
                c.execute("ROLLBACK")
        store.close()
    print(f"{args.rows:,} note rows, {args.repeat} runs each")
    print(f"{'method':<28}{'median ms':>11}{'min ms':>9}{'max ms':>9}")
    for how, values in times.items():
        print(f"{how:<28}{statistics.median(values):>11.0f}{min(values):>9.0f}{max(values):>9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
