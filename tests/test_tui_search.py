"""Find in the article (`/`, `n`, `N`) and the note search screen (`s`), driven by keys."""

from __future__ import annotations

from pathlib import Path

from reader import textnav
from reader.articles import article_from_markdown
from reader.tui.app import MaliReaderApp
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.find_bar import FindBar
from reader.importers.save import store_article
from tests.tui_helpers import screen_text, wait_for, wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def make_app(store) -> MaliReaderApp:
    return MaliReaderApp(store, gazetteer_path=GAZ)


def long_menaka_article(store) -> str:
    """Forty paragraphs; the town is spelled three ways, far apart (so finding must scroll)."""
    paras = [f"Paragraph {i}. Nothing about the town here, only filler about the weather." for i in range(40)]
    paras[3] = "Paragraph 3. Traders reached Ménaka before the rains."
    paras[20] = "Paragraph 20. In MENAKA the market reopened."
    paras[37] = "Paragraph 37. The road from menaka to Anderamboukane was closed."
    body = "\n\n".join(paras)
    store_article(store, article_from_markdown(
        f"---\ntitle: Ménaka diary\ndate: 2021-05-05\n---\n{body}", "menaka.md", article_id="menaka-diary"))
    return store.article("menaka-diary").body


async def test_find_in_article_is_accent_insensitive_and_steps_through_matches(fixture_store):
    body = long_menaka_article(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 24)) as pilot:
        app.open_article("menaka-diary")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.query_one(ArticleView)
        bar = screen.query_one(FindBar)
        count = lambda: str(screen.query_one("#find-count").content)  # noqa: E731
        assert not bar.display
        await pilot.press("slash")
        assert bar.display and screen.focused is screen.query_one("#find-input")
        await pilot.press(*"menaka")
        expected = [(body.index(w), body.index(w) + 6) for w in ("Ménaka", "MENAKA", "menaka")]
        assert [(d.start, d.end) for d in view.decorations("find")] == expected
        assert count() == "1/3"
        assert view.caret == 0  # typing only scrolls; the caret moves on enter
        await pilot.press("enter")
        assert screen.focused is view and bar.display
        assert view.caret == expected[0][0]
        top0 = view.scroll_offset.y
        await pilot.press("n")
        assert view.caret == expected[1][0] and count() == "2/3"
        await pilot.pause()
        assert view.scroll_offset.y > top0
        start, end = view.visible_range()
        assert start <= expected[1][0] < end
        assert [(d.start, d.end) for d in view.decorations("find-current")] == [expected[1]]
        await pilot.press("n")
        assert view.caret == expected[2][0]
        await pilot.pause()
        top2 = view.scroll_offset.y
        await pilot.press("n")  # wraps around to the first match
        assert view.caret == expected[0][0] and count() == "1/3"
        await pilot.press("N")
        assert view.caret == expected[2][0]
        await pilot.press("N")
        assert view.caret == expected[1][0]
        await pilot.pause()
        assert view.scroll_offset.y < top2
        assert count() == "2/3"
        await pilot.press("escape")  # closes the bar and clears its highlights; the caret stays
        assert not bar.display and isinstance(app.screen, ReaderScreen)
        assert view.decorations("find") == [] and view.decorations("find-current") == []
        assert view.caret == expected[1][0]
        await pilot.press("n")  # n still finds the next match after the bar is closed
        assert view.caret == expected[2][0]
        # escape straight from the input closes the bar too, without leaving the article
        await pilot.press("slash", *"no such words")
        assert count() == "no match"
        await pilot.press("escape")
        assert not bar.display and app.screen is screen
        assert view.decorations("find") == []


async def test_find_bar_shows_the_query_and_count_at_sixty_columns(fixture_store):
    long_menaka_article(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(60, 15)) as pilot:
        app.open_article("menaka-diary")
        await pilot.pause()
        await pilot.press("slash", *"menaka")

        def bar_line() -> str:  # screen_text drops the spaces between words of a row
            return next((line for line in screen_text(app).splitlines() if line.startswith("/")), "")

        assert await wait_until(pilot, lambda: bar_line() == "/menaka1/3", what="the query and its count")
        await pilot.press("backspace", *"zz")
        assert await wait_until(pilot, lambda: bar_line() == "/menakzzno match")


async def test_find_highlights_are_unlike_note_highlights(fixture_store):
    body = long_menaka_article(fixture_store)
    start = body.index("Ménaka")
    app = make_app(fixture_store)
    app.session.notes.add("menaka-diary", "a note", start=start, end=start + 6)
    async with app.run_test(size=(100, 24)) as pilot:
        app.open_article("menaka-diary")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("slash", *"menaka")
        styles = {view.get_component_rich_style(c) for c in ("article--find", "article--find-current")}
        notes = {view.get_component_rich_style(c) for c in ("article--note", "article--note-alt",
                                                           "article--note-current")}
        assert not styles & notes
        assert all(s.bold for s in styles) and not any(s.bold for s in notes)  # told apart without colour too


async def test_search_is_opened_by_s_and_escape_returns(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        library = app.screen
        await pilot.press("s")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.focused is app.screen.query_one("#query")
        await pilot.press("escape")
        assert app.screen is library
        app.open_article("kidal-notes")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("s")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert app.screen is reader


async def results_for(pilot, screen, query: str):
    """Wait until the worker has answered the query currently in the box."""
    assert await wait_for(pilot, lambda: screen.last_result is not None
                          and screen.last_result.query.text == query
                          and screen.query_one("#query").value == query), query
    return screen.last_result


def option_ids(screen) -> list[str | None]:
    box = screen.query_one("#results")
    return [box.get_option_at_index(i).id for i in range(box.option_count)]


def option_texts(screen) -> list[str]:
    box = screen.query_one("#results")
    return [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]


async def test_search_as_you_type_lands_on_the_passage(fixture_store):
    body = long_menaka_article(fixture_store)
    app = make_app(fixture_store)
    notes = app.session.notes
    s, e = textnav.sentence_bounds(body, body.index("MENAKA"))
    target = notes.add("menaka-diary", "Escorted fuel convoys reopened the market", start=s, end=e,
                       tags=["fuel"])
    g = fixture_store.article("gao-convoy").body
    gs, ge = textnav.sentence_bounds(g, g.index("doubled"))
    notes.add("gao-convoy", "Prices of convoy fuel doubled", start=gs, end=ge, tags=["prices"])
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("s")
        search = app.screen
        await pilot.press(*"escor")  # part of a word of the note
        result = await results_for(pilot, search, "escor")
        assert [h.note.id for h in result.notes] == [target.id]
        assert f"note:{target.id}" in option_ids(search)
        text = screen_text(app)
        assert "Escorted fuel convoys reopened the market" in text and "#fuel" in text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert reader.article.id == "menaka-diary"
        assert [type(x) for x in app.screen_stack[-3:]] == [LibraryScreen, SearchScreen, ReaderScreen]
        assert len(app.screen_stack) == 4  # _default, library, search, one reader: enter opened it once
        view = reader.query_one(ArticleView)
        assert await wait_for(pilot, lambda: view.decorations("flash"))
        assert [(d.start, d.end) for d in view.decorations("flash")] == [(s, e)]
        start, end = view.visible_range()
        assert start <= s < end and view.scroll_offset.y > 0
        await pilot.press("escape")  # back to the search, as it was
        assert app.screen is search and search.query_one("#query").value == "escor"
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)

        # notes and articles in separate sections
        await pilot.press("s")
        search = app.screen
        await pilot.press(*"convoy")
        await results_for(pilot, search, "convoy")
        ids = option_ids(search)
        texts = option_texts(search)
        notes_header = next(i for i, t in enumerate(texts) if t.startswith("Notes ("))
        articles_header = next(i for i, t in enumerate(texts) if t.startswith("Articles ("))
        assert notes_header < articles_header
        note_rows = [i for i, x in enumerate(ids) if x and x.startswith("note:")]
        article_rows = [i for i, x in enumerate(ids) if x and x.startswith("article:")]
        assert len(note_rows) == 2 and article_rows
        assert max(note_rows) < articles_header < min(article_rows)
        assert "article:gao-convoy" in ids
        # the arrow moves to the results; enter on an article opens it
        await pilot.press("down")
        box = search.query_one("#results")
        assert search.focused is box
        box.highlighted = ids.index("article:gao-convoy")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.article.id == "gao-convoy"


ODD_QUERIES = ['"unbalanced', "AND OR (", "tag:", "*", "'; DROP TABLE notes; --", 'NEAR(a b', "entity:",
               "-", "before:yesterday", "type:banana", ":::", "a:b", '""', "fuel OR", "é*"]


async def test_odd_queries_show_hints_never_errors_and_ctrl_o_sorts(fixture_store):
    app = make_app(fixture_store)
    g = fixture_store.article("gao-convoy").body
    gs, ge = textnav.sentence_bounds(g, g.index("doubled"))
    app.session.notes.add("gao-convoy", "Fuel prices doubled; notes about AND and OR", start=gs, end=ge, tags=["fuel"])
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.press("s")
        search = app.screen
        box = search.query_one("#query")
        for query in ODD_QUERIES:
            box.value = query
            result = await results_for(pilot, search, query)
            assert result.error is None, query
            status = str(search.query_one("#search-status").content)
            assert "fts5" not in status.lower() and "syntax" not in status.lower(), (query, status)
            assert "Traceback" not in screen_text(app)
        for query in ('"unbalanced', "tag:", "*", "type:banana", "before:yesterday"):
            box.value = query
            result = await results_for(pilot, search, query)
            assert result.hints, query
            assert result.hints[0] in str(search.query_one("#search-status").content)
        box.value = "'; DROP TABLE notes; --"
        await results_for(pilot, search, box.value)
        assert app.session.notes.count() == 1  # searched literally, nothing dropped
        box.value = "AND OR"
        result = await results_for(pilot, search, "AND OR")
        assert len(result.notes) == 1  # the operators are searched as words
        assert app.is_running and app.screen is search

        box.value = "fuel"
        await results_for(pilot, search, "fuel")
        assert "sorted by relevance" in str(search.query_one("#search-status").content)
        for order in ("date", "article", "relevance"):  # ctrl+o cycles the orders, then back
            await pilot.press("ctrl+o")
            assert await wait_for(pilot, lambda: f"sortedby{order}(ctrl+o)" in "".join(screen_text(app).split()))
