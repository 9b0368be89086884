"""Launch-to-first-paint and 20k-word article open time, headless.

    uv run python bench/startup.py

First paint is measured in a fresh interpreter (so imports count) from process start to the
first frame of the library screen; the article open is measured inside a running app from
the key press to the frame that shows the article. Prints a table; asserts nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST_PAINT = r"""
import time, sys, os
t0 = time.perf_counter()
import asyncio
from reader.store import Store
from reader.tui.app import MaliReaderApp
async def main():
    store = Store.open(sys.argv[1])
    app = MaliReaderApp(store)
    painted = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.call_after_refresh(lambda: painted.append(time.perf_counter()))
        while not painted:
            await asyncio.sleep(0.001)
    print((painted[0] - t0) * 1000)
asyncio.run(main())
"""


EMPTY_APP = FIRST_PAINT.replace("from reader.store import Store\nfrom reader.tui.app import MaliReaderApp\n", "from textual.app import App\n").replace(
    "    store = Store.open(sys.argv[1])\n    app = MaliReaderApp(store)\n", "    app = App()\n")


def first_paint_ms(db: Path, runs: int = 7, script: str = FIRST_PAINT) -> list[float]:
    out = []
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True,
                           text=True, cwd=ROOT, check=True)
        out.append(float(r.stdout.strip().splitlines()[-1]))
    return out


def long_article(words: int = 20_000):
    from reader.articles import Article

    vocab = ("the convoy road to Gao and Kidal was attacked by JNIM fighters near Ansongo while "
             "MINUSMA escorts waited in Timbuktu and the army of Mali said Ansar Dine had mined it").split()
    paras = []
    n = 0
    i = 0
    while n < words:
        p = " ".join(vocab[(i + k) % len(vocab)] for k in range(60)) + "."
        paras.append(p)
        n += 60
        i += 7
    return Article(id="bench-long", title="Bench long article", body="\n\n".join(paras), date="2000-01-01")


async def article_open_ms(db: Path, runs: int = 7) -> list[float]:
    from reader.store import Store
    from reader.tui.app import MaliReaderApp
    from reader.tui.screens.reader import ReaderScreen

    store = Store.open(db)
    store.upsert_article(long_article())
    times = []
    app = MaliReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        for _ in range(runs):
            painted = []
            t0 = time.perf_counter()
            app.open_article("bench-long")
            app.call_after_refresh(lambda: painted.append(time.perf_counter()))
            while not painted or not isinstance(app.screen, ReaderScreen):
                await asyncio.sleep(0.001)
            await pilot.pause()
            times.append((painted[0] - t0) * 1000)
            app.pop_screen()
            await pilot.pause(0.1)
    store.close()
    return times


def tty_first_paint_ms(db: Path, mode: str, runs: int = 5) -> list[float]:
    """First paint in a real terminal: bench/first_paint_tty.py run inside a tmux session."""
    import shutil

    if not shutil.which("tmux"):
        return []
    out_file = Path(tempfile.mkdtemp()) / "fp.txt"
    times = []
    for i in range(runs):
        out_file.unlink(missing_ok=True)
        cmd = f"{sys.executable} {ROOT / 'bench' / 'first_paint_tty.py'} {out_file} {mode}"
        session = f"mali-fp-{os.getpid()}-{i}"
        subprocess.run(["tmux", "new", "-d", "-s", session, "-x", "120", "-y", "40", cmd], check=True)
        for _ in range(100):
            if out_file.exists() and out_file.read_text():
                break
            time.sleep(0.05)
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        if out_file.exists() and out_file.read_text():
            times.append(float(out_file.read_text()))
    return times


def row(name, values, target):
    if not values:
        return f"| {name} | not measured (tmux missing) | | | ≤ {target} | |"
    med = statistics.median(values)
    return f"| {name} | {med:.0f} | {min(values):.0f} | {max(values):.0f} | ≤ {target} | {'met' if med <= target else 'NOT met'} |"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        from reader.store import Store

        s = Store.open(db)
        from reader.importers.save import import_samples

        import_samples(s)
        s.close()
        fp = first_paint_ms(db)
        empty = first_paint_ms(db, script=EMPTY_APP)
        tty = tty_first_paint_ms(db, str(db))
        tty_empty = tty_first_paint_ms(db, "--empty")
        ao = asyncio.run(article_open_ms(db))
    print("| measure (ms) | median | min | max | target | |")
    print("|---|---|---|---|---|---|")
    print(row("launch → first paint (library)", fp, 300))
    print(row("  baseline: empty Textual App, same harness", empty, 300))
    print(row("launch → first paint, real terminal (tmux)", tty, 300))
    print(row("  baseline: empty Textual App, real terminal", tty_empty, 300))
    print(row("open 20,000-word article", ao, 150))
    print(json.dumps({"first_paint_ms": fp, "empty_app_ms": empty, "tty_first_paint_ms": tty,
                      "tty_empty_app_ms": tty_empty, "article_open_ms": ao}))


if __name__ == "__main__":
    main()
