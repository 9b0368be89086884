"""Timing probes for the headless reader benches: frame and method timestamps, keys sent the
way a terminal sends them, the 20,000-word bench articles, and the table printer.

Pilot waits for idle after every key, so timing `pilot.press` measures its own pauses. Here
keys go through the headless driver (`driver.send_message`) and a *frame* is the moment
Textual hands a non-empty compositor update to the driver (`App._display`). The wrappers
only record `perf_counter()` around the app's own methods; no app code is changed.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
# a reader's own overlay must not change what is measured
os.environ.setdefault("MALI_READER_OVERLAY", "/nonexistent/mali-reader-bench-overlay.toml")

from textual import events
from textual.app import App
from textual.keys import _character_to_key

import reader.search
from reader.articles import Article, load_samples
from reader.store import Store
from reader.text import word_count
from reader.tui.screens.reader_mentions import MentionNavigator
from reader.tui.screens.reader_notes import NoteDesk
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.sidebar import Sidebar

FRAMES: list[tuple[float, object, float | None]] = []  # (time, screen, watched view's scroll_y)
EVENTS: dict[str, list[float]] = {}  # name → return times; name + ":start" → call times
WATCH: dict[str, object] = {}  # "view": ArticleView whose scroll_y frames record; "j_on_card": app


def stamp(name: str, value: float | None = None) -> None:
    EVENTS.setdefault(name, []).append(time.perf_counter() if value is None else value)


def _wrap(cls, attr: str, name: str, before=None) -> None:
    orig = getattr(cls, attr)

    def wrapper(self, *a, **kw):
        stamp(name + ":start")
        if before is not None:
            before(self)
        try:
            return orig(self, *a, **kw)
        finally:
            stamp(name)

    setattr(cls, attr, wrapper)


def _j_during_card(_screen) -> None:
    app = WATCH.get("j_on_card")
    if app is not None:  # the key arrives while the card is being built: the worst moment
        stamp("j:sent", send_key(app, "j"))


def install() -> None:
    orig_display = App._display

    def display(self, screen, renderable):
        orig_display(self, screen, renderable)
        if renderable is not None and screen is self.screen:
            view = WATCH.get("view")
            FRAMES.append((time.perf_counter(), screen, view.scroll_y if view is not None else None))

    App._display = display
    _wrap(MentionNavigator, "_apply", "mentions")
    _wrap(Sidebar, "_show_card", "card", before=_j_during_card)
    _wrap(MentionNavigator, "next", "e")
    _wrap(NoteDesk, "load", "notes")
    _wrap(ArticleView, "action_lines", "j", before=lambda view: stamp("j:y", view.scroll_y))
    _wrap(SearchScreen, "_show", "show")
    orig_search = reader.search.search

    def search(*a, **kw):  # called in the worker thread; list.append is atomic
        stamp("search:start")
        try:
            return orig_search(*a, **kw)
        finally:
            stamp("search")

    reader.search.search = search  # SearchScreen imports it at call time


def reset() -> None:
    FRAMES.clear()
    EVENTS.clear()


def frame_after(t: float, screen=None, moved_from: float | None = None) -> float | None:
    """Time of the first frame at/after t (of `screen`; showing a scroll_y other than moved_from)."""
    for ft, fs, y in FRAMES:
        if ft >= t and (screen is None or fs is screen) and (
                moved_from is None or (y is not None and y != moved_from)):
            return ft
    return None


async def until(pred, timeout: float = 15.0) -> bool:
    end = time.perf_counter() + timeout
    while not pred():
        if time.perf_counter() > end:
            return False
        await asyncio.sleep(0.001)
    return True


def send_key(app, char: str) -> float:
    """Queue a key as the terminal driver does (no waiting); returns the send time."""
    key = char if char.isalnum() or len(char) > 1 else _character_to_key(char)
    event = events.Key(key, char if len(char) == 1 else None)
    event.set_sender(app)
    t = time.perf_counter()
    app._driver.send_message(event)
    return t


# -- data ----------------------------------------------------------------------------------

def samples_article(words: int = 20_000) -> Article:
    """~20,000 words of the bundled samples: real prose, realistic mention density."""
    articles, _ = load_samples()
    paras: list[str] = []
    n = 0
    for a in sorted(articles, key=lambda a: (a.date or "", a.id)):
        for p in a.body.split("\n\n"):
            if n >= words:
                break
            paras.append(p)
            n += word_count(p)
    return Article(id="bench-long-samples", title="Bench: 20,000 words of the bundled samples",
                   body="\n\n".join(paras), date="2000-01-02")


def dense_article() -> Article:
    from startup import (
        long_article,  # bench/startup.py: synthetic, a name every few words
    )

    a = long_article()
    a.id, a.title = "bench-long-dense", "Bench: 20,000 synthetic words, dense with names"
    return a


def prepare(db: Path) -> tuple[Store, list[Article]]:
    """Samples + the two long articles in `db`, every article's mentions cached (as after a run)."""
    from reader.entities import Entities

    store = Store.open(db)
    from reader.importers.save import import_samples

    import_samples(store)
    longs = [samples_article(), dense_article()]
    for a in longs:
        if store.article(a.id) is None:
            store.upsert_article(a)
    t0 = time.perf_counter()
    n = Entities(store).index_library()
    if n:
        print(f"# indexed {n:,} article(s) of {db.name} in {time.perf_counter() - t0:.1f} s (one-off)")
    return store, longs


# -- tables --------------------------------------------------------------------------------

def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, round(p / 100 * (len(v) - 1)))]


ROWS: list[str] = []


def row(name: str, values: list[float], target: float | None = None, note: str = "") -> None:
    tgt = f"≤ {target:g}" if target is not None else "–"
    if not values:
        ROWS.append(f"| {name} | – | – | – | – | – | {tgt} | no data{(' ' + note) if note else ''} |")
        return
    med = statistics.median(values)
    verdict = "" if target is None else (" met" if med <= target else " **NOT met**")
    ROWS.append(f"| {name} | {med:.1f} | {statistics.fmean(values):.1f} | {min(values):.1f} | "
                f"{pct(values, 95):.1f} | {max(values):.1f} | {tgt}{verdict} | "
                f"{len(values)}{(' ' + note) if note else ''} |")


def print_rows(title: str) -> None:
    print(f"\n{title}\n")
    print("| measure (ms) | median | mean | min | p95 | max | target (on the median) | n, notes |")
    print("|---|---|---|---|---|---|---|---|")
    for r in ROWS:
        print(r)
    ROWS.clear()
    sys.stdout.flush()
