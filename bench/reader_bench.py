"""Reader UI latency, headless (Textual's App.run_test): highlights, the mention cursor,
scrolling while the sidebar updates, 500 notes, note save, search as you type.
Prints tables; asserts nothing.

    uv run python bench/reader_bench.py [--search-db /tmp/mali-uibench/search-10k.db] [--quick]

How (see bench/ui_probe.py): keys are queued through the headless driver like a terminal's,
and a frame is the moment Textual hands a compositor update to the driver. Textual paints
at most every 1/60 s (TEXTUAL_FPS), so every key → frame figure carries 0–16.7 ms of frame
pacing; the `e` target is therefore checked on the handler cost timed directly
(`action_next_mention()` + `ArticleView.render_line` for every visible line, i.e. what the
compositor asks of the view), with the end-to-end figure beside it.

The 10,000-article / 100,000-note database comes from bench/search_bench.py's generator
(syllable vocabulary), built once under /tmp and reused; the bundled samples and the two
20,000-word bench articles are added and the library is indexed before timing, as a
running app would have done.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from pathlib import Path

from ui_probe import (
    EVENTS,
    WATCH,
    frame_after,
    install,
    prepare,
    print_rows,
    reset,
    row,
    send_key,
    until,
)

from reader.articles import Article
from reader.store import Store
from reader.text import word_count
from reader.tui.app import MaliReaderApp
from reader.tui.screens.reader import ReaderScreen
from reader.tui.screens.search import DEBOUNCE_S, SearchScreen
from reader.tui.widgets.article_view import ArticleView

SIZE = (140, 40)


# -- 1 & 4: opening ------------------------------------------------------------------------

async def time_open(app, pilot, article_id: str, *, cold: bool, layer: str, prof=None) -> dict | None:
    """open_article → first frame after `layer` ("mentions" or "notes") is applied, and parts.
    `prof` (a cProfile.Profile) is enabled over exactly that window."""
    if cold:
        with app.session.store.transaction() as c:
            c.execute("DELETE FROM mention_cache WHERE article_id = ?", (article_id,))
    reset()
    if prof:
        prof.enable()
    t0 = time.perf_counter()
    app.open_article(article_id)
    ok = await until(lambda: EVENTS.get(layer) and isinstance(app.screen, ReaderScreen)
                     and frame_after(EVENTS[layer][0], app.screen) is not None)
    if prof:
        prof.disable()
    screen = app.screen
    out = None
    if ok:
        ms = lambda t: (t - t0) * 1000
        out = {"full": ms(frame_after(EVENTS[layer][0], screen)), "first": ms(frame_after(t0, screen)),
               "apply_start": ms(EVENTS[layer + ":start"][0]),
               "apply": (EVENTS[layer][0] - EVENTS[layer + ":start"][0]) * 1000}
        out["render"] = out["full"] - ms(EVENTS[layer][0])
    await until(lambda: EVENTS.get("mentions"), 20)  # leave no worker behind
    await pilot.pause(0.1)
    app.pop_screen()
    await pilot.pause(0.1)
    return out


def open_rows(label: str, results: list[dict], target: float, layer: str = "mentions") -> None:
    row(f"open → first frame WITH {label}", [r["full"] for r in results], target)
    row("  open → first frame of the screen (text)", [r["first"] for r in results])
    row("  open → MentionNavigator._apply starts" if layer == "mentions"
        else "  open → NoteDesk.load starts (on_mount)", [r["apply_start"] for r in results])
    row(f"  {'MentionNavigator._apply' if layer == 'mentions' else 'NoteDesk.load'} itself (main thread)",
        [r["apply"] for r in results])
    row("  its end → next frame (compositor render)", [r["render"] for r in results])


async def bench_open(app, pilot, longs, runs_cold: int, runs_warm: int) -> None:
    for a in longs:
        await time_open(app, pilot, a.id, cold=False, layer="mentions")  # warm-up (imports, CSS)
        for cold, runs in ((True, runs_cold), (False, runs_warm)):
            res = [r for r in [await time_open(app, pilot, a.id, cold=cold, layer="mentions")
                               for _ in range(runs)] if r]
            open_rows(f"highlights — {a.id}, {'COLD (matcher runs)' if cold else 'WARM (SQLite cache)'}", res, 150)


# -- 2: next mention -------------------------------------------------------------------------

async def open_ready(app, pilot, article_id: str) -> ReaderScreen:
    reset()
    app.open_article(article_id)
    await until(lambda: isinstance(app.screen, ReaderScreen) and EVENTS.get("mentions"))
    await pilot.pause(0.2)
    screen = app.screen
    screen.query_one(ArticleView).move_caret(0)  # no mention under the caret
    screen.query_one(ArticleView).scroll_to(y=0, animate=False, immediate=True)
    await pilot.pause(0.1)
    return screen


async def bench_next_mention(app, pilot, article: Article, presses: int) -> None:
    screen = await open_ready(app, pilot, article.id)
    view = screen.query_one(ArticleView)
    height = view.scrollable_content_region.height
    handler, render, total = [], [], []
    for _ in range(presses):
        t0 = time.perf_counter()
        screen.action_next_mention()
        t1 = time.perf_counter()
        for y in range(height):
            view.render_line(y)
        t2 = time.perf_counter()
        handler.append((t1 - t0) * 1000)
        render.append((t2 - t1) * 1000)
        total.append((t2 - t0) * 1000)
        await asyncio.sleep(0.004)  # frames and the deferred sidebar card run between keys
    tag = f"{article.id} ({len(screen.mentions):,} mentions)"
    row(f"`e` direct: action_next_mention() + render_line × {height} visible lines — {tag}", total, 16)
    row("  of which action_next_mention()", handler)
    row("  of which render_line × visible lines", render)

    await pilot.pause(0.2)
    screen.query_one(ArticleView).move_caret(0)  # no mention under the caret
    view.scroll_to(y=0, animate=False, immediate=True)
    await pilot.pause(0.1)
    e2e, cards = [], []
    for _ in range(presses):
        reset()
        t0 = send_key(app, "e")
        await until(lambda: EVENTS.get("e") and frame_after(EVENTS["e"][0], screen), 2)
        f = frame_after(EVENTS["e"][0], screen) if EVENTS.get("e") else None
        if f:
            e2e.append((f - t0) * 1000)
        await until(lambda: EVENTS.get("card"), 1)
        if EVENTS.get("card"):
            cards.append((EVENTS["card"][-1] - EVENTS["card:start"][-1]) * 1000)
        await asyncio.sleep(0.01)
    row("  `e` end to end: key sent → first frame after the handler (frame pacing included)", e2e)
    row("  deferred sidebar card (Sidebar._show_card, runs 30 ms after the key)", cards)
    app.pop_screen()
    await pilot.pause(0.1)


# -- 3: j while the sidebar card updates ----------------------------------------------------

async def bench_j_during_card(app, pilot, article: Article, cycles: int, label: str) -> None:
    """Alternate e and j. Swept: j sent 0–60 ms after e (the card is built 30 ms after e).
    Forced: j queued from inside Sidebar._show_card, so it always waits for the card."""
    screen = await open_ready(app, pilot, article.id)
    view = screen.query_one(ArticleView)
    WATCH["view"] = view
    delays = [0, 0.010, 0.020, 0.028, 0.031, 0.034, 0.045, 0.060]
    for forced in (False, True):
        to_handler, to_frame, cards = [], [], []
        for i in range(cycles):
            reset()
            if forced:
                WATCH["j_on_card"] = app
                send_key(app, "e")
                await until(lambda: EVENTS.get("j:sent"), 2)
                WATCH.pop("j_on_card", None)
                tj = EVENTS["j:sent"][0] if EVENTS.get("j:sent") else None
            else:
                send_key(app, "e")
                await asyncio.sleep(delays[i % len(delays)])
                tj = send_key(app, "j")
            if tj is None or not await until(lambda: EVENTS.get("j"), 3):
                continue
            start, y_at_j = EVENTS["j:start"][0], EVENTS["j:y"][0]
            if not await until(lambda: EVENTS.get("card"), 2):
                continue  # j moved the caret first: the card was not rebuilt this cycle
            await asyncio.sleep(0.06)
            to_handler.append((start - tj) * 1000)
            f = frame_after(start, screen, moved_from=y_at_j)  # first frame showing j's scroll
            if f is not None:
                to_frame.append((f - tj) * 1000)
            cards.append((EVENTS["card"][-1] - EVENTS["card:start"][-1]) * 1000)
        how = "j queued while the card is built" if forced else "j sent 0–60 ms after e"
        row(f"`j` between `e` presses, {label}, {how}: key → j handler starts", to_handler)
        row("  key → first frame showing the scroll", to_frame)
        row("  sidebar card build (Sidebar._show_card) in these cycles", cards)
    WATCH.pop("view", None)
    app.pop_screen()
    await pilot.pause(0.1)


async def bench_heavy_card(app, pilot, article: Article, cycles: int) -> None:
    """The card of the mentioned entity with the longest "Also in" list, with a j queued
    while it is built; and returning to the library (its reload) in the same library."""
    screen = await open_ready(app, pilot, article.id)
    ents = app.session.entities
    counts = {m.entry_id: len(ents.also_in(m.entry_id, exclude=article.id)) for m in screen.mentions}
    eid = max(counts, key=counts.get)
    idx = next(i for i, m in enumerate(screen.mentions) if m.entry_id == eid and i > 0)
    waits, cards = [], []
    for _ in range(cycles):
        reset()
        screen.query_one(ArticleView).move_caret(screen.mentions[idx - 1].start)
        WATCH["j_on_card"] = app
        send_key(app, "e")  # → the heavy mention; its card is built 30 ms later, j queued inside
        await until(lambda: EVENTS.get("j"), 5)
        WATCH.pop("j_on_card", None)
        if EVENTS.get("j") and EVENTS.get("j:sent"):
            waits.append((EVENTS["j:start"][0] - EVENTS["j:sent"][0]) * 1000)
            cards.append((EVENTS["card"][-1] - EVENTS["card:start"][-1]) * 1000)
        await asyncio.sleep(0.05)
    row(f"card for {eid} (\"Also in\" lists {counts[eid]:,} articles): Sidebar._show_card", cards)
    row("  j queued while that card is built: key → j handler starts", waits)
    app.pop_screen()
    await pilot.pause(0.3)
    lib = app.screen
    reloads = []
    for _ in range(cycles // 2):
        t0 = time.perf_counter()
        lib.reload()  # what on_screen_resume does when any screen is popped back to the library
        reloads.append((time.perf_counter() - t0) * 1000)
        await pilot.pause(0.1)
    row(f"back to the library: LibraryScreen.reload() ({type(lib).__name__})", reloads)


# -- 4 & 5: notes ---------------------------------------------------------------------------

async def bench_notes(app, pilot, article: Article, n_notes: int, runs: int) -> None:
    from reader.notes import NoteStore

    plain = NoteStore(app.session.store)
    rng = random.Random(5)
    body = article.body
    plain_ms, ui_ms = [], []
    for i in range(n_notes):
        length = rng.randint(20, 240)
        start = rng.randrange(0, len(body) - length)
        ns = plain if i % 2 else app.session.notes  # app.session.notes also finds the entities in the passage
        t0 = time.perf_counter()
        ns.add(article.id, f"bench note {i} on this passage", start=start, end=start + length,
               tags=[rng.choice(["fuel", "gao", "jnim", "claims", "convoys"])])
        (plain_ms if i % 2 else ui_ms).append((time.perf_counter() - t0) * 1000)
    row("note save: app.session.notes.add (with the entity finder, as the note editor saves)", ui_ms, 10)
    row("note save: NoteStore(store).add (no entity finder)", plain_ms, 10)
    for layer, label in (("notes", f"{n_notes} notes — notes layer"),
                         ("mentions", f"{n_notes} notes — notes + highlights (warm)")):
        await time_open(app, pilot, article.id, cold=False, layer=layer)
        res = [r for r in [await time_open(app, pilot, article.id, cold=False, layer=layer)
                           for _ in range(runs)] if r]
        open_rows(label, res, 150, layer)


# -- 6: search ------------------------------------------------------------------------------

def search_queries(n: int) -> list[str]:
    from search_bench import DOMAIN, TAGS, Words

    vocab = Words(random.Random(1), "syllables").vocab  # the generator's vocabulary
    rng = random.Random(3)
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            out.append(rng.choice(vocab[:30])[:4])
        elif kind == 1:
            out.append(rng.choice(vocab[100:1000]) + " " + rng.choice(vocab[:200])[:3])
        elif kind == 2:
            out.append(f"tag:{rng.choice(TAGS)} {rng.choice(vocab[100:1000])[:4]}")
        else:
            out.append(rng.choice(DOMAIN))
    return out


async def bench_search(app, pilot, queries: list[str], gap_s: float) -> None:
    app.action_search()
    await until(lambda: isinstance(app.screen, SearchScreen))
    screen = app.screen
    await pilot.pause(0.5)
    with_db, without, query_ms, show_ms, frame_ms, hits = [], [], [], [], [], []
    for q in queries:
        for _ in range(len(screen.query_one("#query").value)):
            send_key(app, "backspace")
        await asyncio.sleep(0.3)
        for ch in q:
            reset()
            send_key(app, ch)
            ok = await until(lambda: EVENTS.get("show") and frame_after(EVENTS["show"][-1], screen), 5)
            if ok and EVENTS.get("search"):
                typed = screen._typed_at
                debounce = (EVENTS["search:start"][-1] - typed) * 1000
                with_db.append(screen.last_latency_ms)
                without.append(screen.last_latency_ms - debounce)
                query_ms.append((EVENTS["search"][-1] - EVENTS["search:start"][-1]) * 1000)
                show_ms.append((EVENTS["show"][-1] - EVENTS["show:start"][-1]) * 1000)
                frame_ms.append((frame_after(EVENTS["show"][-1], screen) - typed) * 1000)
                hits.append(len(screen.last_result.notes) + len(screen.last_result.articles))
            await asyncio.sleep(gap_s)
        if screen.query_one("#query").value != q:
            print(f"# warning: typed {q!r} but the search box holds {screen.query_one('#query').value!r}")
    note = f"({len(queries)} queries typed a key at a time; results per key: median {sorted(hits)[len(hits) // 2]})"
    row(f"search: keystroke → results shown (last_latency_ms, incl. {DEBOUNCE_S * 1000:.0f} ms debounce)",
        with_db, 100, note)
    row("search: the same minus the debounce (keystroke → search() starts)", without, 100)
    row("  of which search() in the worker thread", query_ms)
    row("  of which _show (clear + rebuild the OptionList, main thread)", show_ms)
    row("search: keystroke → first frame with the results (incl. debounce)", frame_ms)
    app.pop_screen()
    await pilot.pause(0.2)


# -- main -----------------------------------------------------------------------------------

async def with_app(store: Store, body) -> None:
    app = MaliReaderApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: app.session.entities_or_none() is not None, 60)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await body(app, pilot)


def main() -> int:
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--search-db", default="/tmp/mali-uibench/search-10k.db")
    ap.add_argument("--quick", action="store_true", help="few runs: a smoke test, not for the README")
    args = ap.parse_args()
    q = args.quick
    install()
    t_start = time.perf_counter()
    print(f"terminal {SIZE[0]}×{SIZE[1]}, bundled gazetteer, frame cap {os.environ.get('TEXTUAL_FPS', '60')} fps, "
          f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        store, longs = prepare(Path(tmp) / "reader.db")
        for a in longs:
            print(f"# {a.id}: {word_count(a.body):,} words, {len(a.body):,} characters")

        async def small(app, pilot):
            await bench_open(app, pilot, longs, 2 if q else 5, 2 if q else 7)
            print_rows("1. Open a 20,000-word article with its entity highlights (library: 19 samples + 2)")
            for a in longs:
                await bench_next_mention(app, pilot, a, 20 if q else 200)
            print_rows("2. Next mention (`e`)")
            await bench_j_during_card(app, pilot, longs[0], 16 if q else 64, "small library")
            print_rows("3. `j` while the sidebar card updates")
            await bench_notes(app, pilot, longs[0], 500, 2 if q else 7)
            print_rows("4–5. An article with 500 notes; note save")

        asyncio.run(with_app(store, small))
        store.close()

    path = Path(args.search_db)
    if not path.exists():
        from search_bench import build

        build(path, 10_000, 100_000, "syllables")
    big, longs = prepare(path)
    n_notes = big.conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    n_art = big.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    async def large(app, pilot):
        await bench_search(app, pilot, search_queries(6 if q else 24), 0.2)
        await bench_j_during_card(app, pilot, longs[0], 16 if q else 64, "10k-article library")
        await bench_heavy_card(app, pilot, longs[0], 4 if q else 10)
        print_rows(f"6. Search as you type ({n_notes:,} notes / {n_art:,} articles, {path}); "
                   "`j` during card updates in that library")

    asyncio.run(with_app(big, large))
    big.close()
    print(f"\n# total {time.perf_counter() - t_start:.0f} s; load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
