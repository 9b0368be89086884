"""Pictures of the main screens (pytest-textual-snapshot). Regenerate on purpose only:
`uv run pytest tests/test_snapshots.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import Store
from reader.tui.app import MaliReaderApp
from reader.importers.save import store_article
from reader.tui.screens.help import HelpScreen
from tests.conftest import fixture_articles
from tests.tui_helpers import wait_for_workers, wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


@pytest.fixture
def app_factory(tmp_path):
    def make(theme: str | None = None) -> MaliReaderApp:
        store = Store.open(tmp_path / "snap.db")
        store.set_setting("samples_imported", "test")
        for a in fixture_articles():
            store_article(store, a, produced_by="sample")
        app = MaliReaderApp(store, gazetteer_path=GAZ)
        if theme:
            app.theme = theme
        return app
    return make


async def _library_loaded(pilot) -> None:
    """The list is filled and background indexing (entity counts) has finished."""
    app = pilot.app
    await wait_until(pilot, lambda: app.session.entities_or_none() is not None and app.screen.query("#articles")
                     and app.screen.query_one("#articles").option_count, what="the library and gazetteer")
    await wait_for_workers(pilot)


async def _reader_on_first_mention(pilot) -> None:
    app = pilot.app
    await _library_loaded(pilot)
    await pilot.press("j", "enter")  # the Gao convoy report
    await wait_until(pilot, lambda: getattr(app.screen, "mentions", None), what="the mentions")
    await pilot.press("e", "e")
    await wait_for_workers(pilot)
    await wait_until(pilot, lambda: "Move to a mention" not in str(app.screen.query_one("#card").content),
                     what="the entry card")


def test_library_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=(100, 24), run_before=_library_loaded)


async def _reader_with_caret_selection_notes_and_find(pilot) -> None:
    """A note on the first sentence, find "fuel" (enter moves the caret there), then select
    two words from the caret: caret, selection, note tint + margin and find bar at once."""
    app = pilot.app
    await _library_loaded(pilot)
    body = app.session.store.article("gao-convoy").body
    end = body.index("officials.") + len("officials.")
    app.session.notes.add("gao-convoy", "Convoys attacked near Ansongo\nsecond line of the note", start=0, end=end,
                  tags=["convoy"])
    await pilot.press("j", "enter")  # the Gao convoy report
    await wait_until(pilot, lambda: getattr(app.screen, "mentions", None), what="the mentions")
    await pilot.press("slash", *"fuel", "enter", "v", "w", "w")
    await wait_for_workers(pilot)
    await wait_until(pilot, lambda: app.screen.query_one("ArticleView").selection is not None,
                     what="the selection")


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_reader_snapshot(snap_compare, app_factory, theme, size):
    assert snap_compare(app_factory(theme), terminal_size=size,
                        run_before=_reader_with_caret_selection_notes_and_find)


def test_help_snapshot(snap_compare, app_factory):
    async def help_on_reader(pilot):
        await _reader_on_first_mention(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), what="the help screen")

    assert snap_compare(app_factory(), terminal_size=(100, 40), run_before=help_on_reader)
