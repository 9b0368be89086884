"""Library-scale figures (issue 14, part A): import, the library list, background indexing, cold open.

Every figure comes from a library generated here, reproducibly (seeded), and imported through
the `mali-reader import DIR` verb (`reader.cli.main`), never SQL shortcuts. Each `measure_*`
function returns a dict of figures so `bench/scale.py` can put them in its table; run this file
for a table of its own:

    uv run python bench/scale_library.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT), str(ROOT / "bench")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from bench.synth import FILLER, MENTION_TEMPLATES  # noqa: E402

SOURCES = ("Studio Tamani", "Le Républicain", "Jeune Afrique", "RFI", "Sahel Watch", "L'Essor", "Maliweb")
TAGS = ("security", "humanitarian", "politics", "économie", "displacement", "elections", "jnim", "wagner",
        "minusma", "talks", "drought", "markets")
HEADLINES = ("Attack near {p} leaves several dead", "Talks resume in {p} after weeks of tension",
             "Displaced families reach {p}", "Market in {p} reopens under guard", "Convoy ambushed on the road to {p}",
             "Drought hits herders around {p}", "New administrator named for {p}", "Schools closed again in {p}",
             "Curfew lifted in {p}", "Fuel shortage grips {p}")


def _pools():
    """(place names, [(type, surface)]) from the bundled gazetteer, for titles and mentions."""
    from reader.gazetteer import load_gazetteer

    places, names = [], []
    for e in load_gazetteer(overlay=False):
        if e.type in MENTION_TEMPLATES and "(" not in e.name:
            names.append((e.type, e.name))
            if e.type == "place":
                places.append(e.name)
    return sorted(places), sorted(names)


def article_text(rng: random.Random, index: int, places, names, words: int | None = None) -> str:
    """One Markdown article with front matter: a headline naming a place, 300-900 words of
    filler sentences and mentions of gazetteer names, in paragraphs."""
    place = rng.choice(places)
    title = rng.choice(HEADLINES).format(p=place) + f" ({index})"
    date = f"{rng.randint(2012, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    tags = rng.sample(TAGS, rng.randint(1, 3))
    target = words or rng.randint(300, 900)
    paras, para, n = [], [], 0
    while n < target:
        if rng.random() < 0.55:
            kind, name = rng.choice(names)
            sent = rng.choice(MENTION_TEMPLATES[kind]).replace("{}", name)
        else:
            sent = rng.choice(FILLER)
        para.append(sent)
        n += len(sent.split())
        if len(para) >= rng.randint(3, 6):
            paras.append(" ".join(para))
            para = []
    if para:
        paras.append(" ".join(para))
    head = (f"---\ntitle: {title}\ndate: {date}\nplace: {place}\nsource: {rng.choice(SOURCES)}\n"
            f"tags: [{', '.join(tags)}]\n---\n\n")
    return head + "\n\n".join(paras) + "\n"


def generate(folder: Path, n: int, *, seed: int = 14, start: int = 0) -> list[Path]:
    """Write articles `start`..`start+n-1` of the seeded series into `folder` (one file each).
    Article i is the same text whatever n is, so libraries of different sizes share a prefix."""
    places, names = _pools()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + i)
        path = folder / f"a{i:06d}.md"
        path.write_text(article_text(rng, i, places, names), encoding="utf-8")
        paths.append(path)
    return paths


def import_dir(db: Path, folder: Path) -> float:
    """Seconds taken by `mali-reader import FOLDER --db DB` (in-process, output discarded)."""
    import contextlib
    import io

    from reader.cli import main

    out = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stdout(out):
        rc = main(["import", str(folder), "--db", str(db)])
    elapsed = time.perf_counter() - t
    if rc != 0:
        raise RuntimeError(f"import of {folder} failed: {out.getvalue()[-400:]}")
    return elapsed


# -- libraries, built once per size and reused -----------------------------------------------

WORK = Path(tempfile.gettempdir()) / "mali-scale-library"
EXTRA = 500  # files imported into a library of each size, for the per-article cost at that size


def files(n: int, *, start: int = 0) -> Path:
    """A folder with articles start..start+n-1 of the series (written once)."""
    folder = WORK / f"files-{start}-{n}"
    done = folder / ".complete"
    if not done.exists():
        generate(folder, n, start=start)
        done.write_text("ok")
    return folder


def library(n: int) -> Path:
    """A database of the first n articles, the bundled samples and EXTRA more, imported with the
    verb (built once; see measure_import)."""
    db = WORK / f"library-{n}.db"
    if not (WORK / f"library-{n}.complete").exists():
        measure_import(n)
    return db


def measure_import(n: int) -> dict:
    """`mali-reader import DIR` of n files into an empty library, then of EXTRA more files into
    that library: articles/s for the whole import and at size n (the growth target compares
    the latter across sizes)."""
    folder, extra = files(n), files(EXTRA, start=10_000_000)
    db = WORK / f"library-{n}.db"
    for p in WORK.glob(f"library-{n}.db*"):
        p.unlink()
    (WORK / f"library-{n}.complete").unlink(missing_ok=True)
    whole = import_dir(db, folder)
    at_size = import_dir(db, extra)
    _checkpoint(db)
    (WORK / f"library-{n}.complete").write_text("ok")
    return {"articles": n, "import_per_s": n / whole, "import_at_size_per_s": EXTRA / at_size,
            "import_s": whole}


def _checkpoint(db: Path) -> None:
    from reader.store import Store

    store = Store.open(db)
    try:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


# -- the library list in the app ---------------------------------------------------------------

def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p95(values: list[float]) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, round(0.95 * (len(v) - 1)))] if v else float("nan")


# Both scripts stamp the same moment: Textual handing a frame to the (headless) driver
# (`App._display`), for the library the first frame in which the list drew a row. An earlier
# version stamped a `call_after_refresh` callback queued once rows were counted; it ran after
# every callback queued before it (the footer's key recompose, the start of the gazetteer
# worker), so it timed those too, after the rows were already on screen.
FIRST_ROWS = r"""
import time
t0 = time.perf_counter()
import asyncio, sys
from textual.app import App
from reader.store import Store
from reader.tui.app import MaliReaderApp
from reader.tui.widgets.article_list import ArticleList

drawn, frames = [], []
_render_line = ArticleList.render_line

def render_line(self, y):
    if int(self.scroll_offset.y) + y < 2 * self.option_count:  # a line of a row, not blank space
        drawn.append(y)
    return _render_line(self, y)

ArticleList.render_line = render_line
_display = App._display

def display(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and drawn and not frames:
        frames.append(time.perf_counter())

App._display = display

async def main():
    app = MaliReaderApp(Store.open(sys.argv[1]))
    async with app.run_test(size=(100, 30)):
        while not frames:
            await asyncio.sleep(0.001)
    print((frames[0] - t0) * 1000)
asyncio.run(main())
"""

EMPTY_APP = r"""
import time
t0 = time.perf_counter()
import asyncio
from textual.app import App

frames = []
_display = App._display

def display(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not frames:
        frames.append(time.perf_counter())

App._display = display

async def main():
    app = App()
    async with app.run_test(size=(100, 30)):
        while not frames:
            await asyncio.sleep(0.001)
    print((frames[0] - t0) * 1000)
asyncio.run(main())
"""

def _launch_ms(script: str, db: Path | None = None) -> float:
    """Fresh interpreter start → the first frame (of rows, for the library), as bench/startup.py.

    An installed program runs from compiled bytecode; this workplace sets
    PYTHONDONTWRITEBYTECODE, which made every launch compile each module from source (about
    0.7 s here, most of it Textual's). The children write and reuse bytecode under
    WORK/pycache instead (PYTHONPYCACHEPREFIX: nothing lands in the source tree); call
    `_warm_bytecode` once before timing. The app is launched as first installed, with
    nothing configured: a config file this machine's user happens to have is not read."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env["MALI_READER_CONFIG"] = str(WORK / "no-config.toml")  # never written
    r = subprocess.run([sys.executable, "-c", script, *([str(db)] if db else [])], capture_output=True,
                       text=True, cwd=ROOT, check=True, env=env)
    return float(r.stdout.strip().splitlines()[-1])


def _warm_bytecode(db: Path) -> None:
    """One untimed launch of each script, so that both are timed from bytecode."""
    _launch_ms(EMPTY_APP)
    _launch_ms(FIRST_ROWS, db)


async def _first_rows(db: Path, keys=None) -> tuple[float, dict]:
    """In-process: ms from creating the app to the first frame showing rows; then `keys(...)`."""
    from reader.store import Store
    from reader.tui.app import MaliReaderApp
    from ui_probe import frame_after, reset, until

    store = Store.open(db)
    reset()
    t0 = time.perf_counter()
    app = MaliReaderApp(store)
    extra: dict = {}
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            options = lambda: app.screen.query_one("#articles")  # noqa: E731
            await until(lambda: _count(app) > 0, 60)
            t_rows = time.perf_counter()
            await until(lambda: frame_after(t_rows) is not None, 20)
            first = (frame_after(t_rows) - t0) * 1000
            if keys is not None:
                extra = await keys(app, pilot, options)
    finally:
        store.close()
    return first, extra


def _count(app) -> int:
    try:
        return app.screen.query_one("#articles").option_count
    except Exception:  # noqa: BLE001 - not mounted yet
        return 0


async def _filter_keys(app, pilot, options) -> dict:
    """Per keystroke of a filter typed letter by letter: key → the frame after the list changed."""
    from reader.tui.screens.library import LibraryScreen
    from ui_probe import EVENTS, frame_after, send_key, until

    times: list[float] = []
    handler: list[float] = []
    await until(lambda: app.session.entities_ready.is_set(), 60)  # the steady state, not the launch
    await pilot.press("slash")
    for word in ("menaka", "gao talks", "securite", "kidal"):
        for ch in word:
            EVENTS.pop("refilter", None)
            EVENTS.pop("refilter:start", None)
            t = send_key(app, ch)
            await until(lambda: EVENTS.get("refilter"), 20)
            done = EVENTS["refilter"][-1]
            await until(lambda: frame_after(done) is not None, 20)
            times.append((frame_after(done) - t) * 1000)
            handler.append((done - EVENTS["refilter:start"][-1]) * 1000)
        app.screen.query_one("#filter").value = ""
        await pilot.pause()
    assert isinstance(app.screen, LibraryScreen)
    return {"filter_key_ms": times, "filter_handler_ms": handler}


async def _input_baseline() -> list[float]:
    """The same keystrokes typed into a bare Textual Input (key → the frame after its Changed
    handler): what any filter box costs here, before the library does anything."""
    from textual.app import App
    from textual.widgets import Input
    from ui_probe import EVENTS, frame_after, send_key, stamp, until

    class Bare(App):
        def compose(self):
            yield Input()

        def on_input_changed(self) -> None:
            stamp("changed")

    times: list[float] = []
    app = Bare()
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one(Input).focus()
        await pilot.pause()
        for word in ("menaka", "gao talks", "securite", "kidal"):
            for ch in word:
                EVENTS.pop("changed", None)
                t = send_key(app, ch)
                await until(lambda: EVENTS.get("changed"), 20)
                done = EVENTS["changed"][-1]
                await until(lambda: frame_after(done) is not None, 20)
                times.append((frame_after(done) - t) * 1000)
            app.query_one(Input).value = ""
            await pilot.pause()
    return times


def measure_library(n: int, runs: int = 9) -> dict:
    """At n articles: launch → first rows on screen against launch → first frame of an empty
    Textual app (fresh interpreters, measured alternately; medians), and the filter keystroke
    (key → the frame after the list changed) typed letter by letter in a running app."""
    import asyncio

    from reader.tui.screens.library import LibraryScreen
    from ui_probe import _wrap, install

    db = library(n)
    empty, rows = [], []
    _warm_bytecode(db)
    for _ in range(runs):
        empty.append(_launch_ms(EMPTY_APP))
        rows.append(_launch_ms(FIRST_ROWS, db))
    install()
    _wrap(LibraryScreen, "_refilter", "refilter")
    import reader.indexing

    original = reader.indexing.index_library
    reader.indexing.index_library = lambda entities, **kw: 0  # the filter alone (measure_indexing has the rest)
    try:
        _, extra = asyncio.run(_first_rows(db, _filter_keys))
    finally:
        reader.indexing.index_library = original
    keys = extra.get("filter_key_ms", [])
    bare = asyncio.run(_input_baseline())
    return {"articles": n, "empty_app_ms": _median(empty), "first_rows_ms": _median(rows),
            "first_rows_ratio": _median(rows) / _median(empty),
            "filter_key_median_ms": _median(keys), "filter_key_p95_ms": _p95(keys),
            "filter_key_max_ms": max(keys) if keys else float("nan"),
            "bare_input_key_median_ms": _median(bare), "bare_input_key_p95_ms": _p95(bare),
            "filter_handler_median_ms": _median(extra.get("filter_handler_ms", [])),
            "filter_handler_p95_ms": _p95(extra.get("filter_handler_ms", []))}


# -- background indexing ------------------------------------------------------------------------

def _clear_mentions(db: Path) -> None:
    from reader.store import Store

    store = Store.open(db)
    try:
        with store.transaction() as c:
            c.execute("DELETE FROM article_entities")
            c.execute("DELETE FROM mention_cache")
    finally:
        store.close()


async def _keys_while(db: Path, seconds: float, *, indexing: bool) -> dict:
    """`j` presses in the library list (key → the frame showing the moved cursor), every 50 ms,
    while the app indexes the library in the background (or, for the baseline, with indexing
    switched off); plus how many articles were indexed per second meanwhile."""
    import reader.indexing
    from reader.store import Store
    from reader.tui.app import MaliReaderApp
    from reader.tui.widgets.article_list import ArticleList
    from ui_probe import EVENTS, _wrap, frame_after, reset, send_key, until

    if not getattr(ArticleList, "_bench_wrapped", False):
        _wrap(ArticleList, "_move", "move")
        ArticleList._bench_wrapped = True
    original = reader.indexing.index_library
    if not indexing:
        reader.indexing.index_library = lambda entities, **kw: 0
    store = Store.open(db)
    cached = lambda: store.conn.execute("SELECT count(*) FROM mention_cache").fetchone()[0]  # noqa: E731
    total = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    latencies: list[float] = []
    try:
        app = MaliReaderApp(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(lambda: _count(app) > 0 and app.session.entities_ready.is_set(), 60)
            options = app.screen.query_one("#articles")
            before, t_start = cached(), time.perf_counter()
            while time.perf_counter() - t_start < seconds:
                reset()
                t = send_key(app, "j" if (len(latencies) // 40) % 2 == 0 else "k")
                if await until(lambda: EVENTS.get("move"), 10):
                    moved = EVENTS["move"][0]  # stamped when the key's action ran, before its frame
                    if await until(lambda: frame_after(moved) is not None, 10):
                        latencies.append((frame_after(moved) - t) * 1000)
                await asyncio.sleep(0.05)
                if indexing and cached() >= total:
                    break
            elapsed = time.perf_counter() - t_start
            done = cached() - before
            await pilot.press("q")
    finally:
        reader.indexing.index_library = original
        store.close()
    return {"keys": latencies, "indexed": done, "seconds": elapsed, "total": total}


def measure_indexing(n: int, seconds: float = 60.0) -> dict:
    """Background mention indexing at n articles, as the app runs it: articles/s (over at most
    `seconds`, from the moment the gazetteer is loaded) and `j` key latency meanwhile, against
    the same keys with indexing off."""
    import asyncio

    from ui_probe import install

    db = library(n)
    install()
    base = asyncio.run(_keys_while(db, 8, indexing=False))
    _clear_mentions(db)
    busy = asyncio.run(_keys_while(db, seconds, indexing=True))
    return {"articles": busy["total"], "index_per_s": busy["indexed"] / busy["seconds"],
            "indexed": busy["indexed"], "index_window_s": busy["seconds"],
            "key_idle_median_ms": _median(base["keys"]), "key_idle_p95_ms": _p95(base["keys"]),
            "key_indexing_median_ms": _median(busy["keys"]), "key_indexing_p95_ms": _p95(busy["keys"]),
            "key_indexing_max_ms": max(busy["keys"]) if busy["keys"] else float("nan")}


# -- cold open of a long article ----------------------------------------------------------------

def measure_cold_open(runs: int = 5) -> dict:
    """Open a 20,000-word article whose mentions were never computed (its cache row deleted
    before each run): open → the first frame with highlights (bench/reader_bench.py's probe)."""
    import asyncio

    from reader_bench import time_open
    from reader.tui.app import MaliReaderApp
    from ui_probe import install, samples_article

    from reader.importers.save import import_samples
    from reader.store import Store

    install()
    db = WORK / "cold-open.db"
    for p in WORK.glob("cold-open.db*"):
        p.unlink()
    WORK.mkdir(parents=True, exist_ok=True)
    store = Store.open(db)
    import_samples(store)
    article = samples_article()
    store.upsert_article(article)

    async def run() -> dict:
        app = MaliReaderApp(store)
        async with app.run_test(size=(140, 40)) as pilot:
            await time_open(app, pilot, article.id, cold=False, layer="mentions")  # imports, CSS
            cold = [r for r in [await time_open(app, pilot, article.id, cold=True, layer="mentions")
                                for _ in range(runs)] if r]
            warm = [r for r in [await time_open(app, pilot, article.id, cold=False, layer="mentions")
                                for _ in range(runs)] if r]
        return {"words": article.words, "cold_open_ms": _median([r["full"] for r in cold]),
                "cold_open_max_ms": max((r["full"] for r in cold), default=float("nan")),
                "cold_text_frame_ms": _median([r["first"] for r in cold]),
                "warm_open_ms": _median([r["full"] for r in warm])}

    try:
        return asyncio.run(run())
    finally:
        store.close()


# -- the table ------------------------------------------------------------------------------------

ROWS = [
    ("import, whole folder (articles/s)", "import_per_s", "≥ 300"),
    ("import into a library of this size (articles/s)", "import_at_size_per_s", "≥ 300, ≤ 1.3× slower than 1k"),
    ("empty Textual app: launch → first frame (ms)", "empty_app_ms", "–"),
    ("library: launch → first rows (ms)", "first_rows_ms", "–"),
    ("  first rows / empty app", "first_rows_ratio", "≤ 1.3"),
    ("filter keystroke → frame, median (ms)", "filter_key_median_ms", "≤ 50"),
    ("filter keystroke → frame, p95 (ms)", "filter_key_p95_ms", "–"),
    ("  the same keys in a bare Textual Input, median (ms)", "bare_input_key_median_ms", "–"),
    ("  the same keys in a bare Textual Input, p95 (ms)", "bare_input_key_p95_ms", "–"),
    ("  filter handler itself, median (ms)", "filter_handler_median_ms", "–"),
    ("  filter handler itself, p95 (ms)", "filter_handler_p95_ms", "–"),
    ("background indexing (articles/s)", "index_per_s", "≥ 200"),
    ("j → frame, nothing in the background, median (ms)", "key_idle_median_ms", "–"),
    ("j → frame while indexing, median (ms)", "key_indexing_median_ms", "no worse than idle"),
    ("j → frame while indexing, p95 (ms)", "key_indexing_p95_ms", "–"),
    ("j → frame while indexing, max (ms)", "key_indexing_max_ms", "–"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="library sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="launches per first-rows figure")
    parser.add_argument("--index-seconds", type=float, default=60, help="at most this long per indexing figure")
    parser.add_argument("--skip", default="", help="comma-separated: import,library,indexing,cold")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, dict] = {}
    for n in sizes:
        figures: dict = {}
        if "import" not in skip or not (WORK / f"library-{n}.complete").exists():
            figures.update(measure_import(n))
        if "library" not in skip:
            figures.update(measure_library(n, runs=args.runs))
        if "indexing" not in skip:
            figures.update(measure_indexing(n, seconds=args.index_seconds))
        results[n] = figures
        print(f"# {n:,} articles done: {figures}", file=sys.stderr, flush=True)
    print("| figure | " + " | ".join(f"{n:,} articles" for n in sizes) + " | target |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for label, key, target in ROWS:
        cells = [results[n].get(key) for n in sizes]
        if all(c is None for c in cells):
            continue
        print(f"| {label} | " + " | ".join("–" if c is None else f"{c:,.1f}" for c in cells) + f" | {target} |")
    if "cold" not in skip:
        cold = measure_cold_open()
        print(f"| cold open, {cold['words']:,}-word article never matched: open → highlighted first frame (ms) | "
              f"{cold['cold_open_ms']:.1f} (warm {cold['warm_open_ms']:.1f}) | ≤ 150 |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
