"""Pictures of the article map (pytest-textual-snapshot), dark and light, and the list that
replaces it on a small terminal. Regenerate on purpose only:
`uv run pytest tests/test_map_snapshots.py --snapshot-update`, then look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.store import Store
from reader.tui.app import MaliReaderApp
from reader.tui.screens.map import MapScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.map_view import MapView
from reader.importers.save import store_article
from tests.tui_helpers import wait_until
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


async def _until(pilot, condition, what: str) -> None:
    await wait_until(pilot, condition, timeout=10.0, what=what)


async def _map_of_convoy_report(pilot) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.session.entities_or_none() is not None, "the gazetteer")
    await app.workers.wait_for_complete()
    app.open_article("gao-convoy")
    await _until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.mentions, "the mentions")
    await pilot.press("M")
    await _until(pilot, lambda: isinstance(app.screen, MapScreen), "the map")
    await pilot.press("down")  # Timbuktu selected
    await pilot.pause()


async def _drawn(pilot) -> None:
    await _map_of_convoy_report(pilot)
    await _until(pilot, lambda: pilot.app.screen.query_one(MapView).picture is not None, "the picture")


def test_map_dark_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=(120, 40), run_before=_drawn)


def test_map_light_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory("textual-light"), terminal_size=(120, 40), run_before=_drawn)


def test_map_small_terminal_snapshot(snap_compare, app_factory):
    assert snap_compare(app_factory(), terminal_size=(60, 15), run_before=_map_of_convoy_report)
