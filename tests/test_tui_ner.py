"""Issue 17 in the reader: names the gazetteer does not know, proposed by the real spaCy
pipeline, drawn faint, listed under "Not in the gazetteer", made an entry with `A`.

The pipeline loads once per session (seconds on this machine); the texts are invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, TextArea

from reader.articles import Article
from reader.importers.save import store_article
from reader.ner import available, unavailable_reason
from reader.tui.app import MaliReaderApp
from reader.tui.screens.pickers import NewEntryForm
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.sidebar import Sidebar
from tests.tui_helpers import screen_text, wait_for_workers, wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"
NAME = "Dialakoro"  # a village name the test gazetteer does not list
FIRST = ("Gunmen attacked the market in Dialakoro on Tuesday, and residents of Dialakoro said the "
         "army had left the town of Gao two days earlier.")
SECOND = ("Aid workers who reached Dialakoro this week said that the road from Gao was open again, "
          "according to officials in the region.")
MODEL_WAIT = 90.0  # the first use loads the pipeline: seconds on a loaded two-core machine


@pytest.fixture(scope="session")
def english_pipeline():
    if not available("en"):
        pytest.skip(f"the `ner` extra is not installed: {unavailable_reason('en')}")
    from reader.ner import pipeline

    pipeline.load("en")  # once for the session: every later test finds it loaded


def library(store) -> None:
    store_article(store, Article(id="a1", title="Market attack", body=FIRST))
    store_article(store, Article(id="a2", title="Road open", body=SECOND))


async def open_article(pilot, app, article_id: str) -> ReaderScreen:
    await wait_until(pilot, lambda: app.session.entities_or_none() is not None, what="the gazetteer")
    app.open_article(article_id)
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.mentions,
                     what=f"the mentions of {article_id}")
    return app.screen


def notified(app, text: str) -> bool:
    """A notification saying `text` was posted (toasts wrap, so the screen text would split it)."""
    return any(text in n.message for n in app._notifications)


def known(screen, surface: str) -> list[str]:
    """Styles of the known-entity highlights on `surface` in the screen's article."""
    view = screen.query_one(ArticleView)
    body = screen.article.body
    return [d.style for d in view.decorations("entities") if body[d.start:d.end] == surface]


def faint(screen, surface: str) -> list:
    view = screen.query_one(ArticleView)
    body = screen.article.body
    return [d for d in view.decorations("candidates") if body[d.start:d.end] == surface]


async def test_a_candidate_is_shown_faint_and_made_an_entry_with_A(store, english_pipeline):
    library(store)
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "a1")
        view = screen.query_one(ArticleView)
        assert known(screen, "Gao") and not known(screen, NAME)
        await wait_until(pilot, lambda: len(faint(screen, NAME)) == 2, MODEL_WAIT, what="the NER candidate")

        # faint, and told apart from every known type without colour: dim plus a double underline
        cand = view.get_component_rich_style("article--candidate")
        assert cand.dim and cand.underline2
        for style in {d.style for d in view.decorations("entities")}:
            assert not view.get_component_rich_style(style).dim
        sidebar = screen.query_one(Sidebar)
        box = sidebar.query_one("#candidates", OptionList)
        assert sidebar.query_one("#candidates-title").display and box.display
        assert "Not in the gazetteer (1)" in screen_text(app)
        assert f"{NAME} ×2 · place?" in str(box.get_option_at_index(0).prompt)

        # e skips candidates unless C turns them on
        await pilot.press("e")
        assert screen.current_mention().text == "Gao"
        await pilot.press("g", "C", "e")
        assert view.caret == FIRST.index(NAME) and screen.mention_nav.current_candidate().text == NAME
        await wait_until(pilot, lambda: "Press A to make it an entry" in str(sidebar.query_one("#card").content))

        # tab reaches the list, j/k move in it, A opens the form filled from the candidate
        for _ in range(4):
            if screen.focused is box:
                break
            await pilot.press("tab")
        assert screen.focused is box
        await pilot.press("k", "j", "A")
        await wait_until(pilot, lambda: isinstance(app.screen, NewEntryForm), what="the new-entry form")
        form = app.screen
        assert form.query_one("#name", Input).value == NAME
        assert form.query_one("#type", Select).value == "place"
        coords = form.query_one("#coords", Input)
        assert coords.display
        coords.value = "12.5, -7.25"
        form.query_one("#summary", TextArea).text = "A village in a test article."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")

        # known now: highlighted as a place here, no longer a candidate, in "In this article"
        await wait_until(pilot, lambda: known(screen, NAME) == ["article--place"] * 2, what="the new entry's highlight")
        await wait_until(pilot, lambda: not faint(screen, NAME) and not box.display, MODEL_WAIT,
                         what="the candidate to go")
        entry = next(app.session.entities.gazetteer.get(m.entry_id) for m in screen.mentions if m.text == NAME)
        assert (entry.name, entry.type, entry.lat, entry.lon, entry.origin) == (NAME, "place", 12.5, -7.25, "user")
        assert NAME in screen_text(app) and "Not in the gazetteer" not in screen_text(app)

        # and in another article that names it
        await pilot.press("q")
        other = await open_article(pilot, app, "a2")
        assert known(other, NAME) == ["article--place"]
        await wait_for_workers(pilot, MODEL_WAIT)
        assert not faint(other, NAME)


async def test_without_the_extra_no_candidates_section_and_the_reader_as_before(store, monkeypatch):
    monkeypatch.setattr("reader.ner.available", lambda lang=None: False)
    library(store)
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "a1")
        await wait_for_workers(pilot)
        sidebar = screen.query_one(Sidebar)
        assert not sidebar.query_one("#candidates-title").display and not sidebar.query_one("#candidates").display
        assert not [w for w in app.workers if w.group == "ner"] and screen.candidates == []
        assert "Not in the gazetteer" not in screen_text(app)
        assert not screen.query_one(ArticleView).decorations("candidates")
        await pilot.press("C")  # the toggle says why there is nothing
        await wait_until(pilot, lambda: notified(app, "No names outside the gazetteer: no spaCy pipeline"))
        await pilot.press("e")  # e still goes to the known mentions
        assert screen.current_mention().text == "Gao"
        await pilot.press("A")  # A without a selection or a candidate: the usual hint, no form
        await wait_until(pilot, lambda: notified(app, "Select the new spelling first"))
        assert isinstance(app.screen, ReaderScreen)
