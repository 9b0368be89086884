"""Pictures of the main screens (pytest-textual-snapshot). Regenerate on purpose only:
`uv run pytest tests/test_snapshots.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import Store
from reader.tui.app import MaliReaderApp
from reader.importers.save import store_article
from tests.conftest import fixture_articles

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
    for _ in range(100):
        options = pilot.app.screen.query("#articles")
        if options and options.first().option_count and pilot.app.entities is not None:
            break
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def _reader_on_first_mention(pilot) -> None:
    app = pilot.app
    for _ in range(100):
        if app.entities is not None:
            break
        await pilot.pause(0.05)
    await _library_loaded(pilot)
    await pilot.press("j", "enter")  # the Gao convoy report
    for _ in range(100):
        if getattr(app.screen, "mentions", None):
            break
        await pilot.pause(0.05)
    await pilot.press("e", "e")
    await pilot.pause(0.2)


def test_library_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=(100, 24), run_before=_library_loaded)


def test_reader_dark_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=(130, 36), run_before=_reader_on_first_mention)


def test_reader_light_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory("textual-light"), terminal_size=(130, 36), run_before=_reader_on_first_mention)


def test_help_snapshot(snap_compare, app_factory):
    async def help_on_reader(pilot):
        await _reader_on_first_mention(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)

    assert snap_compare(app_factory(), terminal_size=(100, 40), run_before=help_on_reader)
