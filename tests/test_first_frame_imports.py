"""sqlite-utils stays out of the app's first frame: opening (or creating) a database and painting
the library must not import it (with numpy installed it costs 0.3-1 s here); `Store.db`, which
the data tools use, loads it on first use."""

from __future__ import annotations

import subprocess
import sys

from reader.store import Store

FIRST_FRAME = r"""
import asyncio, sys
from reader.store import Store
from reader.tui.app import MaliReaderApp

async def main():
    store = Store.open(sys.argv[1])
    app = MaliReaderApp(store)
    seen = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.call_after_refresh(lambda: seen.append(sorted(m for m in sys.modules if m.split(".")[0] == "sqlite_utils")))
        for _ in range(500):
            if seen:
                break
            await pilot.pause()
    assert seen, "no frame was painted"
    print(seen[0])

asyncio.run(main())
"""


def test_first_frame_does_not_import_sqlite_utils(tmp_path):
    path = tmp_path / "current.db"
    Store.open(path).close()  # created and migrated here, so the app only opens it
    r = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "[]"


def test_a_new_database_does_not_need_it_but_store_db_loads_it(tmp_path):
    path = tmp_path / "new.db"
    code = ("import sys\nfrom reader.store import Store\ns = Store.open(sys.argv[1])\n"
            "before = 'sqlite_utils' in sys.modules\ntables = s.db.table_names()\n"
            "print(before, 'sqlite_utils' in sys.modules, 'notes' in tables)")
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "False True True"
