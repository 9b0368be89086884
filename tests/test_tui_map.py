"""The map screens and the entry timeline, driven by keys."""

from __future__ import annotations

import html
import re
from pathlib import Path

from rich.text import Text
from textual.widgets import Input, OptionList

from reader.geo import Place, draw_map
from reader.tui.app import MaliReaderApp
from reader.tui.screens.entry import EntryScreen
from reader.tui.screens.map import LibraryMapScreen, MapScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.map_view import MapView, styled_lines
from reader.tui.widgets.timeline_view import TimelineView
from tests.tui_helpers import run_from_palette, screen_text, wait_for

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def make_app(store) -> MaliReaderApp:
    return MaliReaderApp(store, gazetteer_path=GAZ)


async def open_map(pilot, app, article_id: str = "gao-convoy", *, drawn: bool = True) -> MapScreen:
    assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
    app.open_article(article_id)
    assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.mentions)
    await pilot.press("M")
    assert await wait_for(pilot, lambda: isinstance(app.screen, MapScreen))
    screen = app.screen
    if drawn:
        assert await wait_for(pilot, lambda: screen.query_one(MapView).picture is not None)
    return screen


def screen_rows(app) -> list[str]:
    """The screen as rows of text, from the SVG screenshot (one <text> per run, y per row)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for attrs, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg, flags=re.S):
        x, y = re.search(r'\bx="([\d.]+)"', attrs), re.search(r'\by="([\d.]+)"', attrs)
        if x and y:
            rows.setdefault(float(y.group(1)), []).append(
                (float(x.group(1)), html.unescape(re.sub(r"<[^>]+>", "", body)).replace("\xa0", " ")))
    return ["".join(t for _, t in sorted(runs)) for _, runs in sorted(rows.items())]


def row_col(lines: list[str], word: str, width: int = 120 - 34) -> tuple[int, int]:
    """Where `word` is on the map (left of the place list)."""
    for row, line in enumerate(line[:width] for line in lines):
        if word in line:
            return row, line.index(word)
    raise AssertionError(f"{word!r} not on the map:\n" + "\n".join(lines))


async def test_M_shows_the_map_and_enter_moves_the_cursor_to_the_first_mention(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_map(pilot, app)
        text = screen_text(app)
        lines = screen_rows(app)
        # the map is drawn in braille, with the article's places labelled
        assert sum(ch in "⠁⠂⠄⡀⠈⠐⠠⢀⣀⠉⠒⠤" for ch in text) > 50
        timbuktu, menaka, gao = row_col(lines, "Timbuktu"), row_col(lines, "Ménaka"), row_col(lines, "◉")  # Gao: the most mentioned is selected
        assert menaka[1] > timbuktu[1] and menaka[0] > timbuktu[0]  # Ménaka lies south-east of Timbuktu
        assert timbuktu[1] < gao[1] < menaka[1]
        assert "Ansongo" in "".join(lines[:38])
        # the list drives the map: move to Ménaka, enter goes back to its first mention
        places = screen.query_one("#places", OptionList)
        for _ in range(10):
            if places.highlighted is not None and places.get_option_at_index(places.highlighted).id == "menaka":
                break
            await pilot.press("down")
        assert screen.query_one(MapView).selected == "menaka"
        picture = screen.query_one(MapView).picture
        col, row = picture.cell_of("menaka")
        assert picture.chars[row][col] == "◉"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert await wait_for(pilot, lambda: reader.current_mention() is not None)
        m = reader.current_mention()
        assert m.entry_id == "menaka"
        assert m.start == min(x.start for x in reader.mentions if x.entry_id == "menaka")


async def test_the_place_under_the_cursor_is_selected_and_M_closes(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
        app.open_article("gao-convoy")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.mentions)
        reader = app.screen
        for _ in range(30):
            m = reader.current_mention()
            if m is not None and m.entry_id == "timbuktu":
                break
            await pilot.press("e")
        await pilot.press("M")
        assert await wait_for(pilot, lambda: isinstance(app.screen, MapScreen))
        assert app.screen.query_one(MapView).selected == "timbuktu"
        await pilot.press("M")
        assert await wait_for(pilot, lambda: app.screen is reader)
        assert reader.current_mention().entry_id == "timbuktu"  # closing moved nothing


async def test_a_click_on_a_label_chooses_the_place(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_map(pilot, app)
        picture = screen.query_one(MapView).picture
        label = next(lab for lab in picture.labels if lab.key == "ansongo")
        await pilot.click(MapView, offset=(label.col + 2, label.row))
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert await wait_for(pilot, lambda: app.screen.current_mention() is not None)
        assert app.screen.current_mention().entry_id == "ansongo"


async def test_small_terminal_gets_the_list_instead_of_the_map(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await open_map(pilot, app, drawn=False)
        assert await wait_for(pilot, lambda: "Enlarge" in screen_text(app))
        assert not screen.query_one(MapView).display
        text = screen_text(app)
        assert "Gao ×2" in text and "Timbuktu" in text
        assert not any("⠁" <= ch <= "⣿" for ch in text)
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))


async def test_library_map_from_the_palette_filters_by_date_and_entity(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
        await app.workers.wait_for_complete()
        await run_from_palette(pilot, "library map", "Library map", timeout=30)
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryMapScreen))
        screen = app.screen
        places = screen.query_one("#places", OptionList)
        assert await wait_for(pilot, lambda: places.option_count > 0)
        ids = lambda: [places.get_option_at_index(i).id for i in range(places.option_count)]  # noqa: E731
        assert {"gao", "kidal", "menaka", "ansongo"} <= set(ids())
        assert "in 3" in screen_text(app)  # Gao is named in all three articles
        # only 2024: the Kidal notes (no Ménaka there)
        since = screen.query_one("#since", Input)
        since.focus()
        since.value = "2024"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "menaka" not in ids() and "kidal" in ids())
        since.value = ""
        entity = screen.query_one("#entity", Input)
        entity.focus()
        entity.value = "Ansar Dine"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "mention Ansar Dine" in screen_text(app))
        assert "menaka" in ids()
        # enter on a place opens its entry
        places.focus()
        places.highlighted = ids().index("gao")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))


async def test_entry_screen_shows_the_timeline_and_opens_an_article(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
        await app.workers.wait_for_complete()
        app.open_entry("kidal")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert await wait_for(pilot, lambda: "January 2024" in screen_text(app))
        text = screen_text(app)
        assert "Kidal after the return of the army" in text and "January 2010" in text
        assert "mentions per month" in text and "█" in text
        items = app.screen.query_one(TimelineView).query_one(OptionList)
        items.focus()
        index = next(i for i in range(items.option_count)
                     if "Kidal after the return" in str(items.get_option_at_index(i).prompt))
        items.highlighted = index
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        assert app.screen.article.id == "kidal-notes"


def test_place_names_are_shown_literally_never_as_markup():
    hostile = Place("x", "[bold]Gao[/bold]", -0.04, 16.27, 3, 0)
    picture = draw_map([hostile], 100, 30)
    lines = styled_lines(picture, dark=True)
    assert any("[bold]Gao[/bold]" in line.plain for line in lines)
    assert all(isinstance(line, Text) for line in lines)
