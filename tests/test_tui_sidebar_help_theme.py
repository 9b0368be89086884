"""The sidebar's lists by keyboard, help built from the live bindings, and theme switching."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console
from rich.table import Table
from textual.widgets import Static

from reader.tui.app import MaliReaderApp
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_card import hanging
from reader.tui.widgets.sidebar import Sidebar
from tests.tui_helpers import screen_text, wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


async def open_reader(pilot, app, article_id: str) -> ReaderScreen:
    await wait_until(pilot, lambda: app.session.entities_or_none() is not None, what="the gazetteer")
    app.open_article(article_id)
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.mentions)
    return app.screen


async def test_tab_cycles_every_sidebar_list_and_jk_move_in_them(fixture_store):
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    app.session.notes.add("gao-convoy", "a note", start=0, end=8)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_reader(pilot, app, "gao-convoy")
        await wait_until(pilot, lambda: app.session.entities.also_in("gao", exclude="gao-convoy"))
        view = screen.query_one(ArticleView)
        while screen.current_mention() is None or screen.current_mention().entry_id != "ansar-dine":
            await pilot.press("e")
        sidebar = screen.query_one(Sidebar)
        await wait_until(pilot, lambda: sidebar.query_one("#links").option_count)
        visited = []
        for _ in range(6):
            await pilot.press("tab")
            visited.append(screen.focused.id)
            if screen.focused is view:
                break
        assert visited[-1] == "article" and {"links", "notes", "in-article"} <= set(visited)
        await pilot.press("shift+tab")
        assert screen.focused.id == visited[-2]  # backwards from the article: the last list
        in_article = sidebar.query_one("#in-article")
        in_article.focus()
        await pilot.press("g")
        first = in_article.highlighted
        await pilot.press("j")
        assert in_article.highlighted > first
        await pilot.press("k")
        assert in_article.highlighted == first
        await pilot.press("G")
        last = in_article.highlighted
        assert last == in_article.option_count - 1
        entity = in_article.get_option_at_index(last).id.split(":", 1)[1]
        await pilot.press("enter")  # the caret goes to that entity's first mention
        assert screen.current_mention().entry_id == entity


def test_hanging_indent_keeps_the_count_on_the_name_line():
    label = hanging("Islamic State in the Greater Sahara and its many allied groups", " ×12")
    lines = label.plain.split("\n")
    assert len(lines) > 1 and all(ln.startswith("    ") for ln in lines[1:])
    assert lines[-1].endswith(" ×12") and lines[-1].strip() != "×12"


def help_rows(help_screen) -> list[tuple[str, str]]:
    """The help's key table as it reads, every row (scrolled into view or not): (keys,
    description), a wrapped description joined back onto its row."""
    [table] = [s.content for s in help_screen.query(Static) if isinstance(s.content, Table)]
    console = Console(width=70, file=io.StringIO(), record=True)
    console.print(table)
    rows: list[tuple[str, str]] = []
    for line in console.export_text().splitlines():
        if not line.strip():
            continue
        if line.startswith(" ") and rows:  # the description of the row above, wrapped
            rows[-1] = (rows[-1][0], rows[-1][1] + " " + line.strip())
        else:
            keys, description = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            rows.append((keys, description))
    return rows


async def test_help_lists_each_key_once_from_the_live_bindings_and_follows_a_keymap(fixture_store):
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 50)) as pilot:
        await open_reader(pilot, app, "gao-convoy")
        app.set_keymap({"reader.next_mention": "ctrl+n"})
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = help_rows(help_screen)
        keys = [k for ks, _d in rows for k in ks.split(" ")]
        assert len(keys) == len(set(keys))  # no key twice ("↑ Up", "↑ Scroll Up")
        described = dict((d, ks) for ks, d in rows)
        assert described["Next entity"] == "ctrl+n"  # remapped, not "e"
        assert "Line down" in described and described["Line down"] == "j ↓"
        assert await wait_until(pilot, lambda: "Previousentity" in "".join(screen_text(app).split()))


async def test_switching_theme_restyles_the_article_at_once(fixture_store):
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app, "gao-convoy")
        view = screen.query_one(ArticleView)
        body = screen.article.body
        mnla = body.index("MNLA")
        y = view.line_of(mnla)

        def colour_of_mnla():
            start = view.line_span(y)[0]
            x, cells = 2 + mnla - start, 0
            for seg in view.render_line(y - int(view.scroll_offset.y)):
                if cells + len(seg.text) > x:
                    return seg.style.color
                cells += len(seg.text)

        legend = lambda: screen.query_one("#legend").content.spans[0].style  # noqa: E731 - "Armed groups"
        dark, dark_legend = colour_of_mnla(), legend()
        app.theme = "textual-light"
        await wait_until(pilot, lambda: colour_of_mnla() != dark, what="the light colours")
        await wait_until(pilot, lambda: legend() != dark_legend, what="the legend in light colours")
        light = colour_of_mnla()
        app.theme = "textual-dark"
        await wait_until(pilot, lambda: colour_of_mnla() == dark)
        assert light != dark


async def test_in_this_article_follows_the_screens_mentions(fixture_store):
    """The sidebar's "In this article" is bound to the screen's `mentions` (data_bind): the
    screen changes its state and the list follows, with no call into the sidebar."""
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_reader(pilot, app, "gao-convoy")
        box = screen.query_one(Sidebar).query_one("#in-article")

        def listed() -> list[str]:
            return [o.id for o in box.options if o.id]

        await wait_until(pilot, lambda: len(listed()) > 1, what="the article's entities")
        assert "No known entities found." not in screen_text(app)
        keep = screen.mentions[0].entry_id
        screen.mentions = [m for m in screen.mentions if m.entry_id == keep]
        await wait_until(pilot, lambda: listed() == [f"ent:{keep}"], what="the list to follow")
        screen.mentions = []
        await wait_until(pilot, lambda: "No known entities found." in screen_text(app), what="the empty list")
