"""Selecting passages and writing, editing, deleting and re-attaching notes, driven like a user."""

from __future__ import annotations

from pathlib import Path

from reader import textnav
from reader.articles import article_from_markdown
from reader.store import Store, StoreError
from reader.tui.app import MaliReaderApp
from reader.tui.screens.note_editor import ConfirmScreen, NoteEditor
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import GUTTER, ArticleView
from reader.importers.save import store_article
from tests.tui_helpers import run_from_palette, screen_text, wait_for, wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"

# Markup-like text must reach the editor and the sidebar literally.
MARKUP_BODY = (
    "Officials in Kidal spoke of [bold]calm[/bold] streets and [@click=app.quit]open[/] markets. "
    "Traders came back from Gao.\n\n"
    "A second paragraph about the road to Tessalit. It has two sentences.\n\n"
    "The third paragraph closes the report."
)


def make_app(store) -> MaliReaderApp:
    return MaliReaderApp(store, gazetteer_path=GAZ)


def add_markup_article(store) -> None:
    store_article(store, article_from_markdown(
        f"---\ntitle: Markup report\ndate: 2022-02-02\n---\n{MARKUP_BODY}", "m.md", article_id="markup"))


async def open_article(pilot, app, article_id: str, *, mentions: bool = False) -> ReaderScreen:
    if mentions:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
    app.open_article(article_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReaderScreen) and screen.article.id == article_id
    if mentions:
        assert await wait_for(pilot, lambda: screen.mentions)
    return screen


def selection_layer(screen) -> list[tuple[int, int]]:
    return [(d.start, d.end) for d in screen.query_one(ArticleView).decorations("selection")]


def sidebar_notes(screen) -> list[str]:
    box = screen.query_one("#notes")
    return [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]


async def test_selection_keys_extend_shrink_and_cancel(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        view = screen.query_one(ArticleView)
        body = screen.article.body
        first_sentence = textnav.sentence_bounds(body, 0)
        # without `v` the motions move the caret and select nothing
        await pilot.press("w", "right_parenthesis")
        assert view.caret == first_sentence[1] and screen.selected_range() is None
        assert selection_layer(screen) == []
        await pilot.press("g", "v")  # the anchor drops at the caret: nothing selected yet
        assert view.selecting and screen.selected_range() is None
        await pilot.press("l", "l")
        assert screen.selected_range() == (0, 2)
        await pilot.press("h")
        assert screen.selected_range() == (0, 1) and body[0:1] == "A"
        assert selection_layer(screen) == [(0, 1)]
        await pilot.press("w")
        assert body[slice(*screen.selected_range())] == "A convoy"
        await pilot.press("w")
        assert body[slice(*screen.selected_range())] == "A convoy of"
        await pilot.press("b")
        assert body[slice(*screen.selected_range())] == "A convoy "
        await pilot.press("right_parenthesis")
        assert screen.selected_range() == (0, first_sentence[1])
        assert body[first_sentence[1] - 10:first_sentence[1]] == "officials."
        assert selection_layer(screen) == [(0, first_sentence[1])]
        await pilot.press("right_parenthesis")
        second_end = textnav.sentence_bounds(body, first_sentence[1] + 2)[1]
        assert screen.selected_range() == (0, second_end)
        await pilot.press("left_parenthesis")
        assert screen.selected_range() == (0, textnav.sentence_bounds(body, first_sentence[1] + 2)[0])
        await pilot.press("right_curly_bracket")
        para_end = body.index("\n\n")
        assert screen.selected_range() == (0, para_end)
        await pilot.press("right_curly_bracket")
        assert screen.selected_range() == (0, body.index("\n\n", para_end + 2))
        await pilot.press("left_curly_bracket")
        assert screen.selected_range() == (0, para_end + 2)
        await pilot.press("escape")
        assert not view.selecting and screen.selected_range() is None and selection_layer(screen) == []
        assert isinstance(app.screen, ReaderScreen)  # escape cancelled, it did not leave the article

        # backwards from the middle of a sentence, then `o` swaps the ends and extends the other way
        mnla = body.index("denied")
        view.move_caret(mnla)
        await pilot.press("v", "left_parenthesis")
        start = textnav.sentence_bounds(body, mnla)[0]
        assert screen.selected_range() == (start, mnla) and body[start:mnla] == "The MNLA "
        await pilot.press("o", "right_parenthesis")
        end = textnav.sentence_bounds(body, mnla)[1]
        assert screen.selected_range() == (start, end)
        assert body[start:end].startswith("The MNLA denied") and body[start:end].endswith("road.")


async def test_mouse_drag_selects_a_passage(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        body = screen.article.body
        view = screen.query_one(ArticleView)
        assert await pilot.mouse_down(view, offset=(GUTTER + 2, 0))
        await pilot.hover(view, offset=(GUTTER + 10, 0))
        assert await pilot.mouse_up(view, offset=(GUTTER + 15, 0))
        await pilot.pause()
        assert screen.selected_range() == (2, 16)
        assert body[2:16] == "convoy of fuel"
        assert selection_layer(screen) == [(2, 16)]
        assert view.decorations("drag") == []  # the live drag highlight is gone after release
        # released past the end of the paragraph's last line: the passage ends at its last
        # character, not on the newline after it
        para_end = body.index("\n\n")
        last_line = view.line_of(para_end - 1)
        line_start = view.line_span(last_line)[0]
        await pilot.mouse_down(view, offset=(GUTTER, last_line))
        await pilot.mouse_up(view, offset=(view.size.width - 2, last_line))
        await pilot.pause()
        assert screen.selected_range() == (line_start, para_end)
        assert view.caret == para_end  # the caret is at the end the mouse was released
        await pilot.press("a")
        assert str(app.screen.query_one("#quote").content) == body[line_start:para_end]
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        # a plain click is not a selection: it moves the caret
        await pilot.press("escape")
        await pilot.click(view, offset=(GUTTER + 4, 1))
        assert screen.selected_range() is None and view.caret == view.line_span(1)[0] + 4


async def test_annotate_selection_save_mark_and_relaunch(fixture_store, db_path):
    add_markup_article(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "markup")
        body = screen.article.body
        await pilot.press("v", "right_parenthesis")
        start, end = screen.selected_range()
        quote = body[start:end]
        assert quote.startswith("Officials in Kidal") and quote.endswith("markets.")
        await pilot.press("a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        shown = str(editor.query_one("#quote").content)
        assert shown == quote  # the passage, literally (markup-like text is not interpreted)
        text = screen_text(app)
        assert "[bold]calm[/bold]" in text and "[@click=app.quit]open[/]" in text
        long_body = "First line of a long note about [red]markets[/red].\n" + "More context. " * 40
        editor.query_one("#body").text = long_body
        await pilot.press("tab")  # from the body to the tags
        assert editor.focused is editor.query_one("#tags")
        await pilot.press(*"Markets, kidal")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert screen.selected_range() is None and selection_layer(screen) == []
        [note] = app.session.notes.for_article("markup")
        assert (note.start, note.end, note.quote) == (start, end, quote)
        assert note.body == long_body and note.tags == ["markets", "kidal"]
        view = screen.query_one(ArticleView)
        assert [(d.start, d.end) for d in view.decorations("notes")] == [(start, end)]
        await pilot.pause()
        assert "▌" in screen_text(app)  # the gutter mark beside the noted passage
        assert screen.query_one("#notes").display
        [label] = sidebar_notes(screen)
        assert "First line of a long note about [red]markets[/red]." in label and "#markets #kidal" in label
        await pilot.press("q", "q")
    assert not app.is_running

    store = Store.open(db_path)
    app = make_app(store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "markup")
        view = screen.query_one(ArticleView)
        assert [(d.start, d.end) for d in view.decorations("notes")] == [(start, end)]
        assert "#markets #kidal" in sidebar_notes(screen)[0]
        # tag completion: the tags already used are offered while typing a prefix
        await pilot.press("v", "w", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one("#body").text = "second"
        tags = editor.query_one("#tags")
        tags.focus()
        await pilot.press(*"fuel, mar")
        # the known tag is offered as ghost text after what was typed (screen_text may drop spaces)
        assert await wait_for(pilot, lambda: "fuel,markets" in "".join(screen_text(app).split()))
        await pilot.press("right")  # → accepts the suggestion
        assert tags.value == "fuel, markets"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert sorted(n.tags for n in app.session.notes.for_article("markup")) == [["fuel", "markets"], ["markets", "kidal"]]
    store.close()


async def test_annotate_highlighted_mention_links_the_entity(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy", mentions=True)
        body = screen.article.body
        while screen.current_mention() is None or screen.current_mention().text != "MNLA":
            await pilot.press("e")
        mention = screen.current_mention()
        assert screen.selected_range() is None
        await pilot.press("a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        s, e = textnav.sentence_bounds(body, mention.start)
        assert str(editor.query_one("#quote").content) == body[s:e]
        assert body[s:e].startswith("The MNLA denied any role")
        await pilot.press(*"denial")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        [note] = app.session.notes.for_article("gao-convoy")
        assert note.entity_id == "mnla" and (note.start, note.end) == (s, e) and note.body == "denial"


async def test_editor_cancel_confirms_only_when_text_was_typed(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "kidal-notes")
        await pilot.press("v", "w", "a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")  # nothing typed: closes at once
        assert app.screen is screen
        assert screen.selected_range() is not None  # the selection survives a cancelled editor

        await pilot.press("a")
        editor = app.screen
        await pilot.press(*"save us? keep")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard this note?" in screen_text(app)
        await pilot.press("n")
        assert app.screen is editor and editor.query_one("#body").text == "save us? keep"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert app.screen is screen
        assert app.session.notes.for_article("kidal-notes") == []


async def test_save_failure_keeps_the_editor_and_the_text(fixture_store, monkeypatch):
    from reader.notes import NoteStore

    def refuse(self, *args, **kwargs):
        raise StoreError("cannot write to reader.db: attempt to write a readonly database")

    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "kidal-notes")
        await pilot.press("v", "right_parenthesis", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one("#body").text = "A note that must not be lost"
        editor.query_one("#tags").value = "army"
        monkeypatch.setattr(NoteStore, "add", refuse)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor
        assert editor.query_one("#body").text == "A note that must not be lost"
        assert editor.query_one("#tags").value == "army"
        status = str(editor.query_one("#status").content)
        assert "Not saved" in status and "readonly database" in status and "still here" in status
        assert "readonly database" in screen_text(app)
        monkeypatch.undo()  # the disk is writable again: the same text saves
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        [note] = app.session.notes.for_article("kidal-notes")
        assert note.body == "A note that must not be lost" and note.tags == ["army"]


async def test_jump_edit_delete_and_undo(fixture_store):
    body = fixture_store.article("gao-convoy").body
    setup = MaliReaderApp(fixture_store).session.notes  # notes written earlier, e.g. in another session
    spans = []
    for word, text in (("Ansongo", "first"), ("doubled", "second"), ("escorts", "third")):
        s, e = textnav.sentence_bounds(body, body.index(word))
        setup.add("gao-convoy", text, start=s, end=e)
        spans.append((s, e))
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        view = screen.query_one(ArticleView)
        assert len(sidebar_notes(screen)) == 3
        cursor = lambda: [(d.start, d.end) for d in view.decorations("notes") if d.style == "article--note-current"]  # noqa: E731
        current = lambda: [n.body for n in screen.notes].index(screen.note_desk.current_note().body)  # noqa: E731
        assert spans[0][0] == 0 == view.caret  # on open the caret is on the first noted passage
        assert await wait_until(pilot, lambda: screen.note_desk.current_note() is not None)
        assert current() == 0 and cursor() == [spans[0]]
        await pilot.press("right_square_bracket")
        assert current() == 1 and view.caret == spans[1][0]
        await pilot.press("right_square_bracket")
        assert current() == 2 and cursor() == [spans[2]]
        assert screen.query_one("#notes").highlighted == 2
        await pilot.press("right_square_bracket")  # wraps to the first
        assert current() == 0
        await pilot.press("left_square_bracket")  # and back to the last
        assert current() == 2
        await pilot.press("left_square_bracket")
        assert current() == 1 and cursor() == [spans[1]]

        await pilot.press("c")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#body").text == "second"
        assert str(editor.query_one("#quote").content) == body[slice(*spans[1])]
        editor.query_one("#body").text = "second, edited"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert [n.body for n in app.session.notes.for_article("gao-convoy")] == ["first", "second, edited", "third"]
        assert "second, edited" in sidebar_notes(screen)[1]

        await pilot.press("right_square_bracket")
        assert current() == 2
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # kept
        assert app.screen is screen and len(app.session.notes.for_article("gao-convoy")) == 3
        await pilot.press("D", "y")
        assert app.screen is screen
        assert [n.body for n in app.session.notes.for_article("gao-convoy")] == ["first", "second, edited"]
        assert [(d.start, d.end) for d in view.decorations("notes")] == spans[:2]
        assert len(sidebar_notes(screen)) == 2
        await pilot.press("u")
        assert [n.body for n in app.session.notes.for_article("gao-convoy")] == ["first", "second, edited", "third"]
        assert [(d.start, d.end) for d in view.decorations("notes")] == spans
        assert len(sidebar_notes(screen)) == 3
        await pilot.press("u")  # nothing more to undo: no crash, nothing changes
        assert len(app.session.notes.for_article("gao-convoy")) == 3

        # the sidebar's Notes list: tab into it, pick the third, enter jumps to its passage
        await pilot.press("tab")
        notes_list = screen.query_one("#notes")
        assert screen.focused is notes_list
        notes_list.highlighted = 2
        await pilot.press("enter")
        assert current() == 2 and cursor() == [spans[2]]
        assert screen.focused is view

        # a new note earlier in the text must not move the note cursor to another note:
        # `c` and `D` act on the note that is marked, whatever was added meanwhile
        await pilot.press("g", "v", "w", "a", *"opening", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert [n.body for n in screen.notes] == ["opening", "first", "second, edited", "third"]
        view.move_caret(spans[2][0])
        assert await wait_until(pilot, lambda: cursor() == [spans[2]])
        await pilot.press("c")
        assert isinstance(app.screen, NoteEditor) and app.screen.query_one("#body").text == "third"
        await pilot.press("escape")
        assert app.screen is screen


async def test_article_level_note_from_the_palette(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "kidal-notes")
        await run_from_palette(pilot, "whole article", "whole article")
        assert await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        editor = app.screen
        assert not editor.query("#quote")  # no passage
        await pilot.press("ctrl+s")  # empty: refused with a reason, not saved
        assert app.screen is editor and "Write something first" in str(editor.query_one("#status").content)
        await pilot.press(*"Overall: a calm report")
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        [note] = app.session.notes.for_article("kidal-notes")
        assert note.is_article_level and note.body == "Overall: a calm report"
        assert screen.query_one(ArticleView).decorations("notes") == []
        assert sidebar_notes(screen)[0].startswith("article Overall: a calm report")


def reimport(store, article_id: str, body: str) -> None:
    """What re-importing an edited file does: same id, new text."""
    old = store.article(article_id)
    front = f"---\ntitle: {old.title}\ndate: {old.date}\n---\n"
    store_article(store, article_from_markdown(front + body, "edited.md", article_id=article_id))


async def test_reimport_moves_notes_orphans_them_and_reattaches(fixture_store):
    add_markup_article(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "markup")
        body = screen.article.body
        passage = "A second paragraph about the road to Tessalit."
        screen.query_one(ArticleView).move_caret(body.index(passage))
        await pilot.press("v", "right_parenthesis")
        assert body[slice(*screen.selected_range())] == passage
        await pilot.press("a", *"tessalit road", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("q")

        # the article is re-imported with a new paragraph above the passage: the note follows
        moved_body = "A new opening paragraph was added by the editors.\n\n" + MARKUP_BODY
        reimport(app.session.store, "markup", moved_body)
        screen = await open_article(pilot, app, "markup")
        assert screen.article.body == moved_body
        new_start = moved_body.index(passage)
        view = screen.query_one(ArticleView)
        assert [(d.start, d.end) for d in view.decorations("notes")] == [(new_start, new_start + len(passage))]
        [note] = app.session.notes.for_article("markup")
        assert note.status == "anchored" and note.start == new_start
        await pilot.press("q")

        # the passage is deleted: the note is kept, orphaned, and not marked anywhere
        gone_body = moved_body.replace("A second paragraph about the road to Tessalit. It has two sentences.\n\n", "")
        reimport(app.session.store, "markup", gone_body)
        screen = await open_article(pilot, app, "markup")
        assert screen.query_one(ArticleView).decorations("notes") == []
        assert "orphaned" in sidebar_notes(screen)[0]
        await pilot.press("q")

        # palette → "Orphaned notes" lists it with its quote; enter opens the article to re-attach
        await run_from_palette(pilot, "orphaned and moved", "orphaned and moved")
        from reader.tui.screens.lists import OrphansScreen

        assert await wait_for(pilot, lambda: isinstance(app.screen, OrphansScreen))
        orphans = app.screen
        text = screen_text(app)
        assert "tessalit road" in text and "A second paragraph about the road to Tessalit" in text
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = app.screen
        assert screen.article.id == "markup" and screen.note_desk.reattach_note is not None
        body = screen.article.body
        target = "The third paragraph closes the report."
        screen.query_one(ArticleView).move_caret(body.index(target))
        await pilot.press("v", "right_parenthesis", "a")
        assert app.screen is screen  # no editor: the existing note is re-attached
        [note] = app.session.notes.for_article("markup")
        assert note.status == "anchored" and note.quote == target and note.body == "tessalit road"
        assert [(d.start, d.end) for d in screen.query_one(ArticleView).decorations("notes")] == [
            (body.index(target), body.index(target) + len(target))]
        assert screen.note_desk.reattach_note is None
        await pilot.press("q")
        assert app.screen is orphans
        assert await wait_until(pilot, lambda: "Nothing to check" in screen_text(app))  # the list is current when you come back
