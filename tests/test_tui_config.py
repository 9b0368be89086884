"""The config file in the app: a user keymap, remembered theme and sidebar, the README's ids."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from textual.command import CommandPalette

from reader.config import key_problem, load_config, normalize_key
from reader.tui.app import MaliReaderApp
from reader.tui.bindings import (
    README_END,
    README_START,
    binding_catalogue,
    default_config_text,
    readme_table,
)
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.sidebar import Sidebar
from tests.tui_helpers import screen_text, wait_for

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"
README = Path(__file__).parents[1] / "README.md"


def make_app(store, config_path: Path) -> MaliReaderApp:
    return MaliReaderApp(store, gazetteer_path=GAZ, config=load_config(config_path))


async def open_article(pilot, app, article_id: str) -> ReaderScreen:
    assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
    app.open_article(article_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    assert await wait_for(pilot, lambda: screen.mentions)
    return screen


async def test_a_remapped_key_moves_and_shows_in_the_footer_and_help(fixture_store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\nreader.next_mention = "n"\nreader.find_next = "ctrl+n"\n', "utf-8")
    app = make_app(fixture_store, path)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        assert screen.current_mention() is None
        await pilot.press("e")  # no longer bound
        assert screen.current_mention() is None
        await pilot.press("n")
        first = screen.current_mention()
        assert first is not None
        await pilot.press("n")
        assert screen.current_mention() is not None and screen.current_mention() != first
        text = screen_text(app)
        assert re.search(r"\bn Next entity", text) and not re.search(r"\be Next entity", text)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = ""
        for _ in range(12):  # the reader's help is long: page through it as a reader would
            text += screen_text(app)
            await pilot.press("pagedown")
            await pilot.pause()
        assert re.search(r"(?<![\w+])n\s+Next entity", text), text
        assert re.search(r"ctrl\+n\s+Next match", text), text
        assert not re.search(r"(?<![\w+])e\s+Next entity", text)
    assert app.config.issues == []


async def test_a_bad_keymap_line_is_one_line_and_the_app_starts(fixture_store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\n[keymap]\n"reader.next_mention" = "n"\n"reader.nxt" = "z"\n', "utf-8")
    app = make_app(fixture_store, path)
    async with app.run_test(size=(130, 40), notifications=True) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        messages = [n.message for n in app._notifications]
        assert f"{path}:3: keymap.reader.next_mention: key 'n' is already used by 'reader.find_next'" in messages[0]
        assert messages[1] == (f"{path}:4: keymap.reader.nxt: unknown binding id; "
                               "'mali-reader config init' lists every id")
        assert all("\n" not in m for m in messages)
        assert await wait_for(pilot, lambda: "keymap.reader.nxt" in screen_text(app))  # the toast
        screen = await open_article(pilot, app, "gao-convoy")
        await pilot.press("e")  # the default is kept
        assert screen.current_mention() is not None


async def test_the_theme_chosen_in_the_palette_survives_a_restart(fixture_store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# my settings\n\n[keymap]\n# nothing yet\n", "utf-8")
    app = make_app(fixture_store, path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert app.theme != "gruvbox"
        await pilot.press("ctrl+p")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"theme")
        assert await wait_for(pilot, lambda: "Change the current theme" in screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "Search for themes" in screen_text(app))
        await pilot.press(*"gruvbox")
        assert await wait_for(pilot, lambda: "gruvbox" in screen_text(app))
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: app.theme == "gruvbox")
    text = path.read_text("utf-8")
    assert text.startswith("# my settings\n") and "# nothing yet" in text
    assert tomllib.loads(text) == {"theme": "gruvbox", "keymap": {}}
    again = make_app(fixture_store, path)
    async with again.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(again.screen, LibraryScreen))
        assert again.theme == "gruvbox" and again.current_theme.name == "gruvbox"
    assert path.read_text("utf-8") == text  # starting with it does not rewrite it


async def test_an_unknown_theme_is_reported_and_the_default_used(fixture_store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "no-such-theme"\n', "utf-8")
    app = make_app(fixture_store, path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert app.theme == "textual-dark"
        assert [n.message for n in app._notifications][0].startswith(
            f"{path}:1: theme: unknown theme 'no-such-theme'")
    assert path.read_text("utf-8") == 'theme = "no-such-theme"\n'


async def test_sidebar_choice_is_remembered(fixture_store, tmp_path):
    path = tmp_path / "config.toml"
    app = make_app(fixture_store, path)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        assert screen.query_one(Sidebar).display  # auto: wide enough
        await pilot.press("B")
        assert not screen.query_one(Sidebar).display
    assert tomllib.loads(path.read_text("utf-8")) == {"sidebar": "hidden"}
    again = make_app(fixture_store, path)
    async with again.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, again, "gao-convoy")
        assert not screen.query_one(Sidebar).display


async def test_reading_width_sets_the_measure(fixture_store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("reading_width = 40\n", "utf-8")
    app = make_app(fixture_store, path)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        view = screen.query_one(ArticleView)
        assert view.text_width == 40


def test_every_default_key_passes_the_check_and_the_init_file_is_clean(tmp_path):
    catalogue = binding_catalogue()
    ids = [b.id for b in catalogue]
    assert len(ids) == len(set(ids)) and "reader.next_mention" in ids and "app.help" in ids
    for b in catalogue:
        for key in b.keys.split(","):
            assert key_problem(normalize_key(key)) is None, (b.id, key)
    # uncommenting every keymap line of `config init` (all defaults) gives no problem at all
    lines = default_config_text().splitlines()
    start = lines.index("[keymap]")
    body = lines[:start + 1] + [ln[2:] for ln in lines[start + 1:] if ln.startswith('# "')]
    path = tmp_path / "all.toml"
    path.write_text("\n".join(body) + "\n", "utf-8")
    config = load_config(path)
    assert config.issues == [] and len(config.keymap) == len(ids)
    assert config.check_keymap(catalogue) == []


def test_readme_lists_every_binding_id():
    text = README.read_text("utf-8")
    section = text[text.index(README_START) + len(README_START):text.index(README_END)].strip()
    assert section == readme_table(), "README is stale: run `uv run python -m reader.tui.bindings --update-readme`"
