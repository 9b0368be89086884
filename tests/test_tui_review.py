"""Moved notes waiting for review, article versions, and UI writes against a locked database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.importers.save import store_article
from reader.articles import Article
from reader.tui.app import MaliReaderApp
from reader.tui.screens.lists import OrphansScreen
from reader.tui.screens.reader import ReaderScreen
from reader.tui.screens.versions import VersionsScreen
from tests.tui_helpers import screen_text, wait_for

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def seen(app, phrase: str) -> bool:
    """`phrase` is on screen, even wrapped across lines (toasts and lists wrap)."""
    text = screen_text(app)
    for bar in "▏▎▌▊":  # borders and toast edges between wrapped lines
        text = text.replace(bar, "")
    return "".join(phrase.split()) in "".join(text.split())
BODY = ("Traders said fuel prices in Gao had doubled since the start of the month.\n\n"
        "On the road to Ansongo, twelve soldiers were killed when their convoy struck a mine.\n\n"
        "A local official asked for escorts.")


def setup(store) -> str:
    store_article(store, Article(id="fuel", title="Fuel and fighting", body=BODY, date="2024-05-10"))
    from reader.notes import NoteStore

    note = NoteStore(store).add("fuel", "casualty figure to check", quote="twelve soldiers were killed")
    store_article(store, Article(id="fuel", title="Fuel and fighting", body=BODY.replace("twelve", "fourteen"),
                                 date="2024-05-10"), produced_by="file")
    return note.id


async def test_a_moved_note_shows_as_needing_review_and_y_accepts_it(fixture_store):
    note_id = setup(fixture_store)
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40), notifications=True) as pilot:
        app.open_article("fuel")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = app.screen
        assert await wait_for(pilot, lambda: seen(app, "needs review casualty figure"))
        assert seen(app, "was “twelve soldiers were killed”")
        await pilot.press("right_square_bracket")
        assert await wait_for(pilot, lambda: seen(app, "Moved — needs review. Was: “twelve soldiers were killed”"))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: seen(app, "Accepted: the note stays on this passage"))
        assert await wait_for(pilot, lambda: not seen(app, "needs review casualty figure"))
        note = app.session.notes.get(note_id)
        assert not note.needs_review and note.quote == "fourteen soldiers were killed"


async def test_the_list_of_notes_to_check_shows_both_quotes_and_accepts(fixture_store):
    note_id = setup(fixture_store)
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40), notifications=True) as pilot:
        app.action_orphans()
        assert await wait_for(pilot, lambda: seen(app, "Moved — needs review (1)"))
        assert seen(app, "was “twelve soldiers were killed”") and seen(app, "now “fourteen soldiers were killed”")
        await pilot.press("y")
        assert await wait_for(pilot, lambda: seen(app, "Nothing to check"))
        assert not app.session.notes.get(note_id).needs_review


async def test_versions_screen_shows_what_changed(fixture_store):
    setup(fixture_store)
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40), notifications=True) as pilot:
        app.open_article("fuel")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("V")
        assert await wait_for(pilot, lambda: isinstance(app.screen, VersionsScreen))
        assert await wait_for(pilot, lambda: seen(app, "+1 / -1 words"))
        assert seen(app, "current") and seen(app, "file") and seen(app, "twelvefourteen soldiers")
        await pilot.press("q")
        assert isinstance(app.screen, ReaderScreen)


async def test_an_orphan_opens_in_the_version_it_was_written_on(fixture_store):
    store_article(fixture_store, Article(id="fuel", title="Fuel and fighting", body=BODY))
    from reader.notes import NoteStore

    note = NoteStore(fixture_store).add("fuel", "escorts", quote="A local official asked for escorts.")
    store_article(fixture_store, Article(id="fuel", title="Fuel and fighting", body=BODY.rsplit("\n\n", 1)[0]))
    assert NoteStore(fixture_store).get(note.id).orphaned
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(130, 40), notifications=True) as pilot:
        app.action_orphans()
        assert await wait_for(pilot, lambda: isinstance(app.screen, OrphansScreen) and seen(app, "escorts"))
        await pilot.press("V")
        assert await wait_for(pilot, lambda: isinstance(app.screen, VersionsScreen))
        assert await wait_for(pilot, lambda: seen(app, "Where the note was written"))
        assert seen(app, "A local official asked for escorts.")


async def test_opening_an_article_while_another_program_writes_does_not_crash(fixture_store, db_path, monkeypatch):
    store_article(fixture_store, Article(id="fuel", title="Fuel and fighting", body=BODY))
    # every write waits out the lock and fails; a short busy timeout shows the same failures
    # without waiting 10 s for each of them
    monkeypatch.setattr("reader.store.BUSY_TIMEOUT_MS", 300)
    fixture_store.conn.execute("PRAGMA busy_timeout = 300")
    other = sqlite3.connect(db_path, timeout=0.1, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
        async with app.run_test(size=(130, 40), notifications=True) as pilot:
            app.open_article("fuel")
            assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
            assert await wait_for(pilot, lambda: seen(app, "Fuel and fighting"))  # the article, the app alive
            await pilot.press("q")  # saving the reading position fails softly too
            assert await wait_for(pilot, lambda: not isinstance(app.screen, ReaderScreen))
        assert app.return_code in (None, 0)
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_one_line_megabyte_article_is_laid_out_in_blocks_and_reaches_its_end(fixture_store):
    from reader.tui.widgets.article_view import BLOCK_CHARS, ArticleView

    words = "Fighters near Gao attacked a convoy while traders waited for fuel".split()
    body = " ".join(words[i % len(words)] for i in range(170_000)) + " THE-LAST-WORDS."
    store_article(fixture_store, Article(id="line", title="One line", body=body))
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.open_article("line")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen)
                              and app.screen.query(ArticleView), timeout=30)
        view = app.screen.query_one(ArticleView)
        blocks = view.blocks  # the layout unit is the point of this test
        assert len(blocks) > 100 and max(len(t) for _, t in blocks) <= BLOCK_CHARS
        assert "".join(t for _, t in blocks) == body  # blocks cover the text exactly, in order
        await pilot.press("G")
        assert await wait_for(pilot, lambda: seen(app, "THE-LAST-WORDS."), timeout=30)
        assert view.line_count > 1_000  # wrapped into many lines, not one

