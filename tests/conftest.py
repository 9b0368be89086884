"""Shared fixtures: every test gets its own database and overlay (never the user's)."""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path

import pytest

from reader.articles import Article, article_from_markdown
from reader.store import Store
from reader.importers.save import store_article

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("MALI_READER_DB", str(tmp_path / "reader.db"))
    monkeypatch.setenv("MALI_READER_OVERLAY", str(tmp_path / "overlay.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("MALI_READER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setattr("reader.config._current", None)  # read afresh, from this test's paths


@pytest.fixture(autouse=True)
def ner_only_where_tested(request, monkeypatch):
    """The reader runs spaCy in the background whenever the `ner` extra is installed (as in
    the dev group); tests about something else would each pay for it. The NER tests (files
    named *ner*) get the real thing; test_tui_ner.py also checks the app without the extra."""
    if "ner" not in Path(str(request.node.fspath)).name:
        monkeypatch.setattr("reader.tui.ner_worker.NerRunner.enabled", staticmethod(lambda: False))


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """Blinking cursors make screenshots depend on timing."""
    monkeypatch.setattr("textual.widgets._input.Input.cursor_blink", False)
    try:
        monkeypatch.setattr("textual.widgets._text_area.TextArea.cursor_blink", False)
    except AttributeError:
        pass


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "reader.db"


@pytest.fixture
def store(db_path):
    s = Store.open(db_path)
    yield s
    s.close()


@functools.cache
def _parsed_fixture_articles() -> tuple[Article, ...]:
    return tuple(article_from_markdown(path.read_text("utf-8"), str(path), article_id=path.stem, path=str(path))
                 for path in sorted((FIXTURES / "articles").glob("*.md")))


def fixture_articles() -> list[Article]:
    """The fixture articles, parsed once per session; each caller gets its own copies (saving
    an article may change its id and tags)."""
    return copy.deepcopy(list(_parsed_fixture_articles()))


@pytest.fixture
def fixture_store(db_path):
    """A store holding only tests/fixtures/articles (the bundled samples are not imported)."""
    s = Store.open(db_path)
    s.set_setting("samples_imported", "test")
    for a in fixture_articles():
        store_article(s, a, produced_by="sample")
    yield s
    s.close()


# Property tests: a quick run by default, the full count in CI (CI=1 or HYPOTHESIS_PROFILE=ci).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("dev", max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
