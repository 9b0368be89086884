"""Where the reader's slow paths spend their time: cProfile over the same headless scenarios
as bench/reader_bench.py, printing the top functions (self time and cumulative) with their
share of the profiled wall time.

    uv run python bench/reader_profile.py [open-warm|open-cold|notes-open|card|search ...]

cProfile sees only the thread it runs in, so the worker-thread half of an open (reading or
computing the mentions) is profiled by calling the same core function directly.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import reader_bench as rb
from ui_probe import EVENTS, install, prepare, send_key, until

PHASES = ("open-warm", "open-cold", "notes-open", "card", "search")


def report(title: str, prof: cProfile.Profile, wall_ms: float, top: int = 14, everything: bool = False) -> None:
    stats = pstats.Stats(prof)
    total = stats.total_tt
    print(f"\n## {title}: {wall_ms:.0f} ms wall over the profiled window, {total * 1000:.0f} ms CPU in this thread "
          "(times are inflated by cProfile; compare shares)")
    rows = []
    for (file, line, fn), (_cc, nc, tt, ct, _callers) in stats.stats.items():
        short = file.split("site-packages/")[-1].replace(str(rb.Path(__file__).resolve().parent.parent) + "/", "")
        rows.append((short, line, fn, nc, tt, ct))
    print("\nself time (tottime):\n")
    print("| function | file:line | calls | self ms | share |")
    print("|---|---|---|---|---|")
    for short, line, fn, nc, tt, _ct in sorted(rows, key=lambda r: -r[4])[:top]:
        print(f"| {fn} | {short}:{line} | {nc} | {tt * 1000:.1f} | {tt / total:.0%} |")
    print(f"\ncumulative, {'all code' if everything else 'project code (reader/)'}:\n")
    print("| function | file:line | calls | cumulative ms | share |")
    print("|---|---|---|---|---|")
    mine = [r for r in rows if everything or r[0].startswith("reader/")]
    for short, line, fn, nc, _tt, ct in sorted(mine, key=lambda r: -r[5])[:top]:
        print(f"| {fn} | {short}:{line} | {nc} | {ct * 1000:.1f} | {ct / total:.0%} |")
    if everything:
        print("\ncumulative, project code (reader/):\n")
        print("| function | file:line | calls | cumulative ms | share |")
        print("|---|---|---|---|---|")
        for short, line, fn, nc, _tt, ct in sorted([r for r in rows if r[0].startswith("reader/")],
                                                   key=lambda r: -r[5])[:8]:
            print(f"| {fn} | {short}:{line} | {nc} | {ct * 1000:.1f} | {ct / total:.0%} |")
    sys.stdout.flush()


async def profiled_opens(app, pilot, article_id: str, layer: str, title: str, runs: int = 3) -> None:
    """Profile only open_article → the first frame with `layer` (no pauses, no pop)."""
    await rb.time_open(app, pilot, article_id, cold=False, layer=layer)  # warm-up
    prof = cProfile.Profile()
    wall = []
    for _ in range(runs):
        r = await rb.time_open(app, pilot, article_id, cold=False, layer=layer, prof=prof)
        if r:
            wall.append(r["full"])
    report(f"{title} — {runs} opens, profiled window = open → first frame with {layer} only "
           f"(walls under cProfile: {', '.join(f'{w:.0f}' for w in wall)} ms)",
           prof, sum(wall))


async def profiled(coro_fn, title: str) -> None:
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    await coro_fn()
    prof.disable()
    report(title, prof, (time.perf_counter() - t0) * 1000)


async def profile_card_then_j(app, pilot, article, cycles: int = 30) -> None:
    """Profile from the start of the sidebar card build to the start of a `j` queued during it:
    everything the j key waits for."""
    from ui_probe import WATCH

    from reader.tui.widgets.sidebar import Sidebar
    from reader.tui.widgets.article_view import ArticleView

    screen = await rb.open_ready(app, pilot, article.id)
    prof, waits = cProfile.Profile(), []
    orig_card, orig_j = Sidebar._show_card, ArticleView.action_lines

    def card(self):
        WATCH["t_card"] = time.perf_counter()
        prof.enable()
        return orig_card(self)  # the probe's wrapper queues the j key first

    def scroll_down(self, count: int):
        if "t_card" in WATCH:
            prof.disable()
            waits.append((time.perf_counter() - WATCH.pop("t_card")) * 1000)
        return orig_j(self, count)

    Sidebar._show_card, ArticleView.action_lines = card, scroll_down
    WATCH["j_on_card"] = app
    try:
        for _ in range(cycles):
            EVENTS.clear()
            send_key(app, "e")
            await until(lambda: EVENTS.get("j"), 2)
            await asyncio.sleep(0.06)
    finally:
        WATCH.pop("j_on_card", None)
        Sidebar._show_card, ArticleView.action_lines = orig_card, orig_j
    report(f"main thread: sidebar card build start → the queued j's handler, {len(waits)} cycles "
           f"(median {sorted(waits)[len(waits) // 2]:.0f} ms under cProfile)", prof, sum(waits), top=16,
           everything=True)
    del screen
    app.pop_screen()
    await pilot.pause(0.1)


def core_mentions(store, article, cold: bool, runs: int = 3) -> None:
    from reader.entities import Entities

    ents = Entities(store)
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    for _ in range(runs):
        if cold:
            with store.transaction() as c:
                c.execute("DELETE FROM mention_cache WHERE article_id = ?", (article.id,))
        prof.enable()
        ents.mentions(article)
        prof.disable()
    report(f"worker thread: Entities.mentions({article.id}) {'cold' if cold else 'warm'} × {runs}", prof,
           (time.perf_counter() - t0) * 1000)


def main() -> int:
    phases = sys.argv[1:] or list(PHASES)
    install()
    with tempfile.TemporaryDirectory() as tmp:
        store, longs = prepare(Path(tmp) / "reader.db")
        article = longs[0]
        if "open-cold" in phases:
            core_mentions(store, article, cold=True)
        if "open-warm" in phases:
            core_mentions(store, article, cold=False)

        async def body(app, pilot):
            if "open-warm" in phases:
                await profiled_opens(app, pilot, article.id, "mentions", f"main thread: warm open of {article.id}")
            if "card" in phases:
                await profile_card_then_j(app, pilot, article)
            if "notes-open" in phases:
                from reader.notes import NoteStore

                ns = NoteStore(app.session.store)
                for i in range(500):
                    s = (i * 211) % (len(article.body) - 200)
                    ns.add(article.id, f"note {i}", start=s, end=s + 120)

                await profiled_opens(app, pilot, article.id, "notes", "main thread: open of the 500-note article")

        if {"open-warm", "card", "notes-open"} & set(phases):
            asyncio.run(rb.with_app(store, body))
        store.close()

    if "search" in phases:
        big, _ = prepare(Path("/tmp/mali-uibench/search-10k.db"))

        async def search_body(app, pilot):
            from ui_probe import ROWS

            from reader.tui.screens.search import SearchScreen

            prof, spent = cProfile.Profile(), []
            orig = SearchScreen._show

            def show(self, *a, **kw):  # profile only the main-thread half: building the results
                t0 = time.perf_counter()
                prof.enable()
                try:
                    return orig(self, *a, **kw)
                finally:
                    prof.disable()
                    spent.append((time.perf_counter() - t0) * 1000)

            SearchScreen._show = show
            await rb.bench_search(app, pilot, rb.search_queries(8), 0.2)
            SearchScreen._show = orig
            ROWS.clear()
            report(f"main thread: SearchScreen._show only, {len(spent)} calls while typing 8 queries "
                   f"(median {sorted(spent)[len(spent) // 2]:.0f} ms per call under cProfile)", prof, sum(spent),
                   top=18, everything=True)

        asyncio.run(rb.with_app(big, search_body))
        big.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
