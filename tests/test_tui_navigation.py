"""H/L history across articles, one key home, search results for articles open at the match."""

from __future__ import annotations

from pathlib import Path

from reader.tui.app import MaliReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.article_view import ArticleView
from tests.tui_helpers import wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def reader_of(app, article_id: str) -> bool:
    return isinstance(app.screen, ReaderScreen) and app.screen.article.id == article_id \
        and bool(app.screen.query(ArticleView))


async def test_history_back_and_forward_and_home(fixture_store):
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        app.open_article("gao-convoy")
        await wait_until(pilot, lambda: reader_of(app, "gao-convoy"))
        await pilot.press("w", "w")  # the caret somewhere in the text
        caret = app.screen.query_one(ArticleView).caret
        app.open_article("kidal-notes")  # e.g. from "Also in"
        await wait_until(pilot, lambda: reader_of(app, "kidal-notes"))
        await pilot.press("H")
        await wait_until(pilot, lambda: reader_of(app, "gao-convoy"))
        await pilot.press("H")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("L")
        await wait_until(pilot, lambda: reader_of(app, "gao-convoy"))
        await wait_until(pilot, lambda: app.screen.query_one(ArticleView).caret == caret)  # where it was
        await pilot.press("L")
        await wait_until(pilot, lambda: reader_of(app, "kidal-notes"))
        await pilot.press("s")  # the search screen, then home in one key
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert len(app.screen_stack) == 2


async def test_search_result_for_an_article_opens_at_the_match(fixture_store):
    body = fixture_store.article("gao-convoy").body
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("s")
        search = app.screen
        search.query_one("#query").value = "blockades"
        results = search.query_one("#results")
        await wait_until(pilot, lambda: any(
            (results.get_option_at_index(i).id or "") == "article:gao-convoy" for i in range(results.option_count)))
        results.highlighted = next(i for i in range(results.option_count)
                                   if results.get_option_at_index(i).id == "article:gao-convoy")
        results.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: reader_of(app, "gao-convoy"))
        view = app.screen.query_one(ArticleView)
        await wait_until(pilot, lambda: view.caret == body.index("blockades"))
        top, bottom = view.visible_range()
        assert top <= view.caret <= bottom
