"""Search results go into the list a page per frame (issue 14): the first page shows at once,
the rest follows, and a newer query stops the older one's pages."""

from __future__ import annotations

from pathlib import Path

from reader.articles import Article
from reader.notes import NoteStore
from reader.tui.app import MaliReaderApp
from reader.tui.screens import search as search_screen
from reader.tui.screens.search import SearchScreen
from tests.tui_helpers import wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def notes_library(store, n: int) -> None:
    store.upsert_article(Article(id="a1", title="Convoy news", body="The convoy left Gao at dawn."))
    ns = NoteStore(store)
    for i in range(n):
        ns.add("a1", f"fuel shortage report number {i}")
    ns.add("a1", "water trucks only")


def note_rows(screen) -> list[str]:
    box = screen.query_one("#results")
    ids = [box.get_option_at_index(i).id for i in range(box.option_count)]
    return [i for i in ids if i and i.startswith("note:")]


async def test_long_results_arrive_page_by_page_and_all_get_there(store):
    notes_library(store, search_screen.PAGE * 3 + 5)
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test() as pilot:
        await app.push_screen(SearchScreen())
        screen = app.screen
        first_frame = []  # what the list holds when the answer is first shown (before any refresh)
        show = screen._show

        def spy(seq, result):
            show(seq, result)
            first_frame.append(len(note_rows(screen)))

        screen._show = spy
        screen.query_one("#query").value = "fuel"
        await wait_until(pilot, lambda: screen.last_result is not None and screen.last_result.query.text == "fuel")
        assert first_frame and 0 < first_frame[-1] <= search_screen.PAGE  # a page, not all 41
        await wait_until(pilot, lambda: len(note_rows(screen)) == search_screen.PAGE * 3 + 5)
        assert "Notes (41)" in str(screen.query_one("#results").get_option_at_index(0).prompt)


async def test_a_new_query_replaces_the_pages_of_the_old_one(store):
    notes_library(store, search_screen.PAGE * 3)
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test() as pilot:
        await app.push_screen(SearchScreen())
        screen = app.screen
        box = screen.query_one("#query")
        box.value = "fuel"
        await wait_until(pilot, lambda: screen.last_result is not None and screen.last_result.query.text == "fuel")
        box.value = "water"
        await wait_until(pilot, lambda: screen.last_result.query.text == "water")
        for _ in range(10):  # frames in which stale pages of "fuel" would have been appended
            await pilot.pause()
        assert len(note_rows(screen)) == 1


async def test_a_key_after_a_pause_searches_at_once_and_a_burst_searches_once(store, monkeypatch):
    """The debounce only holds back keys typed in a burst: the first key after a pause is
    answered at once, and a burst of keys runs one search, for its last text."""
    notes_library(store, 3)
    import reader.search

    searched: list[str] = []
    real = reader.search.search

    def counting(st, query, **kw):
        searched.append(query)
        return real(st, query, **kw)

    monkeypatch.setattr(reader.search, "search", counting)
    monkeypatch.setattr(search_screen, "DEBOUNCE_S", 2.0)
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test() as pilot:
        await app.push_screen(SearchScreen())
        screen = app.screen
        box = screen.query_one("#query")
        await wait_until(pilot, lambda: screen.last_result is not None)  # the empty query, at once
        # a pause: nothing typed for the debounce's length
        await wait_until(pilot, lambda: search_screen.time.perf_counter() - screen._last_key >= 2.0, timeout=10)
        typed = search_screen.time.perf_counter()
        box.value = "fuel"
        await wait_until(pilot, lambda: screen.last_result.query.text == "fuel")
        assert search_screen.time.perf_counter() - typed < 1.5  # did not wait out the 2 s debounce
        searched.clear()
        for text in ("w", "wa", "wat", "water"):  # one burst
            box.value = text
            await pilot.pause()
        await wait_until(pilot, lambda: screen.last_result.query.text == "water")
        assert searched == ["water"]
        assert len(note_rows(screen)) == 1
