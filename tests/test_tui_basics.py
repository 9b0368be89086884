"""The front door, driven with keys like a user."""

from __future__ import annotations

from reader.importers import import_file
from reader.articles import article_from_markdown
from reader.store import Store
from reader.tui.app import MaliReaderApp
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from reader.importers.save import store_article
from tests.tui_helpers import run_from_palette, screen_text, wait_for, wait_until


def option_ids(app) -> list[str]:
    options = app.screen.query_one("#articles")
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_launch_open_scroll_back_help_quit(fixture_store):
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen) and option_ids(app))
        assert option_ids(app) == ["kidal-notes", "gao-convoy", "zz-long-report"]
        assert "Kidal after the return of the army" in screen_text(app)
        await pilot.press("j", "j", "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article.id == "zz-long-report"
        view = app.screen.query_one(ArticleView)
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_offset.y == view.max_scroll_y > 100
        assert "Paragraph 400." in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_offset.y == 0
        await pilot.press("j", "j", "space")
        await pilot.pause()
        assert view.scroll_offset.y > 2
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Filter" in text and "Quit" in text and "Open" in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_filter_as_you_type_is_accent_insensitive(fixture_store):
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        await pilot.press("slash")
        await pilot.press(*"KIDAL")
        assert option_ids(app) == ["kidal-notes"]
        app.screen.query_one("#filter").value = "mali conv"
        await pilot.pause()
        assert option_ids(app) == ["gao-convoy"]
        await pilot.press("escape")
        assert len(option_ids(app)) == 3
        store_article(fixture_store, article_from_markdown(
            "---\ntitle: Retour à Ménaka\nplace: Ménaka\n---\nTexte.", "m.md", article_id="menaka"))
        app.screen.reload()
        await pilot.press("slash", *"menaka")
        assert option_ids(app) == ["menaka"]
        await pilot.press("enter")  # one match: one enter opens it
        assert isinstance(app.screen, ReaderScreen) and app.screen.article.id == "menaka"


async def test_reading_position_is_remembered_across_launches(fixture_store, db_path):
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        await pilot.press("G", "enter")  # last article: the long report
        view = app.screen.query_one(ArticleView)
        for _ in range(3):
            await pilot.press("space")
        await pilot.pause()
        top = view.top_offset()
        assert top > 0
        await pilot.press("q", "q")
    store = Store.open(db_path)
    app = MaliReaderApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        await pilot.press("G", "enter")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert view.top_offset() == top
    store.close()


async def test_palette_opens_articles_accent_insensitively(fixture_store):
    store_article(fixture_store, article_from_markdown(
        "---\ntitle: Nouvelles de Tombouctou\n---\nTexte.", "t.md", article_id="tbk"))
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        await run_from_palette(pilot, "tombouctóu", "Nouvelles de Tombouctou")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.article.id == "tbk"


HOSTILE_TITLE = "[bold]Evil[/bold] [@click=app.quit]x[/] [/i] \x1b[31mred\x1b[0m"
HOSTILE_BODY = ("Click [@click=app.quit]here[/] or [/i] or [link=http://x]y[/link].\x1b]0;pwned\x07\n\n"
                "\x1b[2JCleared? \x00 \u202eevil\u202c {markup} $var")


async def test_hostile_text_is_shown_literally_everywhere(fixture_store):
    a = article_from_markdown(f"---\ntitle: {HOSTILE_TITLE}\nplace: [red]P[/red]\n---\n{HOSTILE_BODY}",
                              "h.md", article_id="hostile")
    a.date = "2030-01-01"
    store_article(fixture_store, a)
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(120, 30)) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        text = screen_text(app)
        assert "[bold]Evil[/bold]" in text and "[@click=app.quit]x[/]" in text and "[red]P[/red]" in text
        assert "\x1b" not in app.export_screenshot()
        await pilot.click("#articles", offset=(5, 0))  # clicking the title must not run app.quit
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        text = screen_text(app)
        assert "Click [@click=app.quit]here[/] or [/i] or [link=http://x]y[/link]." in text
        assert "{markup} $var" in text and "pwned" not in text
        await pilot.click(ArticleView, offset=(10, 0))
        assert app.is_running
        await pilot.press("q", "ctrl+p", *"evil")
        assert await wait_until(pilot, lambda: "[bold]Evil[/bold]" in screen_text(app))
        await pilot.press("escape")
    assert app.return_code in (0, None)


async def test_tiny_and_huge_terminals(fixture_store):
    for size in ((60, 15), (40, 10), (300, 80)):
        app = MaliReaderApp(fixture_store)
        async with app.run_test(size=size) as pilot:
            assert await wait_for(pilot, lambda: option_ids(app))
            await pilot.press("G", "enter", "G", "g", "question_mark", "escape", "q")
            assert isinstance(app.screen, LibraryScreen)


async def test_a_file_from_the_command_line_opens_in_the_reader(fixture_store, tmp_path):
    path = tmp_path / "my-report.md"
    path.write_text("---\ntitle: My own report\n---\nNotes from Gao.\n\nSecond paragraph.", "utf-8")
    article_id = import_file(fixture_store, path)
    assert import_file(fixture_store, path) == article_id  # the same file is not added twice
    app = MaliReaderApp(fixture_store, open_article=article_id)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert "My own report" in screen_text(app)
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        assert await wait_for(pilot, lambda: article_id in option_ids(app))


async def test_unread_marker_clears_after_reading(fixture_store):
    from reader.articles import Article

    store_article(fixture_store, Article(id="fresh", title="Fresh from a feed", body="New text.",
                                         date="2030-01-01"), produced_by="import")
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        assert option_ids(app)[0] == "fresh"
        first = lambda: str(app.screen.query_one("#articles").get_option_at_index(0).prompt)  # noqa: E731
        assert first().startswith("● Fresh from a feed")
        await pilot.press("enter", "q")
        assert isinstance(app.screen, LibraryScreen)
        assert await wait_for(pilot, lambda: first().startswith("Fresh from a feed"))
        assert option_ids(app)[0] == "fresh"


async def test_newsboat_habits_in_the_library(fixture_store, monkeypatch):
    from reader.articles import Article

    for i in range(3):
        fixture_store.upsert_article(Article(id=f"new{i}", title=f"New item {i}", body="Text.", date=f"2030-01-0{i + 1}",
                                             url=f"https://example.org/{i}" if i else ""), origin="import")
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or False)
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        assert await wait_for(pilot, lambda: option_ids(app))
        options = app.screen.query_one("#articles")
        first = lambda: str(options.get_option_at_index(0).prompt)  # noqa: E731
        assert option_ids(app)[:3] == ["new2", "new1", "new0"]
        assert "unread (●)" in str(app.screen.query_one("#library-status").content)
        await pilot.press("G", "n")  # from the bottom, n wraps to the first unread
        assert options.highlighted == 0
        await pilot.press("n")
        assert options.highlighted == 1
        await pilot.press("N")  # toggle read on "New item 1"
        assert not fixture_store.article("new1") is None
        assert not any(a.unread for a in fixture_store.articles() if a.id == "new1")
        await pilot.press("N")
        assert any(a.unread for a in fixture_store.articles() if a.id == "new1")
        await pilot.press("u")  # unread only
        assert option_ids(app) == ["new2", "new1", "new0"]
        await pilot.press("u")
        assert len(option_ids(app)) == 6
        await pilot.press("o")  # new1 has a URL; with no browser the address is shown
        assert opened == ["https://example.org/1"]
        assert await wait_until(pilot, lambda: "https://example.org/1" in screen_text(app))
        await pilot.press("A")  # mark all read
        assert not any(a.unread for a in fixture_store.articles())
        assert await wait_until(pilot, lambda: not first().startswith("● "))
        assert not app.screen.query_one("#articles").show_horizontal_scrollbar
