"""`maintain`: compact the database and refresh its statistics (the one place VACUUM runs)."""

from __future__ import annotations

import sys

from reader.commands.common import CliError


def register(sub, common) -> None:
    p = sub.add_parser("maintain", parents=[common], help="compact the database (VACUUM) and its search indexes; structure for older articles",
                       description="Merge the full-text indexes, refresh the query planner's statistics and "
                                   "VACUUM the database file. Takes the write lock for as long as it runs "
                                   "(seconds at 100,000 notes): close the app first. The app does the cheap "
                                   "parts by itself (statistics on exit, index merging when idle).")
    p.add_argument("--json", action="store_true",
                   help='print {"bytes_before","bytes_after","notes","seconds","structure_checked","structure_filled"}')
    p.set_defaults(handler=cmd_maintain)


def cmd_maintain(args) -> int:
    from pathlib import Path

    import dataclasses

    from reader.importers.restructure import fill_pending
    from reader.maintenance import maintain
    from reader.store import Store, StoreError

    try:  # not open_store: maintenance must neither create a database nor add the samples to it
        store = Store.open(Path(args.db) if getattr(args, "db", None) else None, create=False)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if store.read_only:
        raise CliError(f"{store.path}: opened read-only ({store.read_only}); nothing to maintain")
    try:
        # first, while nobody else writes: the older articles the reader left plain on open
        # (source file too large to re-read on the UI thread; see reader.importers.restructure)
        checked, filled = fill_pending(store)
        report = dataclasses.replace(maintain(store), structure_checked=checked, structure_filled=filled)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # sqlite3.OperationalError: locked by the app, disk full
        raise CliError(f"{store.path}: maintenance stopped, database unchanged: {exc}"
                       " (close the app and try again)") from None
    if getattr(args, "json", False):
        import json

        print(json.dumps(dataclasses.asdict(report)))
        return 0
    for line in report.lines():
        print(line, file=sys.stdout)
    return 0
