"""The caret: reading and selecting without the mouse, find moving the caret, e/E from the
caret, notes beside their passage, guards on aliases, layout at several widths."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from reader import textnav
from reader.articles import article_from_markdown
from reader.tui.app import MaliReaderApp
from reader.tui.screens.note_editor import ConfirmScreen, NoteEditor
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import GUTTER, ArticleView
from reader.tui.widgets.notes_margin import NotesMargin
from reader.tui.widgets.sidebar import Sidebar
from tests.tui_helpers import screen_text, wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"

# A plain-text report in the shape of a .txt import: no front matter, plain paragraphs.
REPORT = "\n\n".join([
    "Fuel convoys on the Gao road",
    "Drivers said the convoy left Gao at dawn with an escort of the army. It reached Ansongo "
    "before noon, where traders were waiting for fuel. The MNLA said nothing about the road.",
    *[f"Paragraph {i}. The drivers spoke of the weather, the price of rice and the state of the "
      f"track after the rains, which had been heavy this year in the whole region." for i in range(3, 30)],
    "Near the end of the report, officials in Gao promised that JNIM would not stop the next "
    "convoy. Nobody believed them.",
])


def make_app(store) -> MaliReaderApp:
    return MaliReaderApp(store, gazetteer_path=GAZ)


def add_report(store, body: str = REPORT, article_id: str = "report") -> str:
    store.upsert_article(article_from_markdown(f"---\ntitle: Convoy report\ndate: 2024-02-02\n---\n{body}",
                                               "report.txt", article_id=article_id))
    return store.article(article_id).body


async def open_reader(pilot, app, article_id: str = "report", *, mentions: bool = True) -> ReaderScreen:
    if mentions:
        await wait_until(pilot, lambda: app.session.entities_or_none() is not None, what="the gazetteer")
    app.open_article(article_id)
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.query(ArticleView)
                     and app.screen.query_one(ArticleView).line_count)
    screen = app.screen
    if mentions:
        await wait_until(pilot, lambda: screen.mentions, what="the mentions")
    return screen


def caret_cell_style(view: ArticleView):
    """The style drawn at the caret's cell (what the user sees there)."""
    y = view.line_of(view.caret) - int(view.scroll_offset.y)
    start, _ = view.line_span(view.line_of(view.caret))
    x = GUTTER + (view.caret - start)
    cells = 0
    for segment in view.render_line(y):
        if cells + len(segment.text) > x:
            return segment.style
        cells += len(segment.text)
    return None


async def test_the_done_when_scenario(fixture_store):
    """/ phrase enter, escape, v, ), a, type, ctrl+s: the quote is the phrase to the end of its
    sentence and the note's body shows beside the passage."""
    body = add_report(fixture_store)
    phrase = "where traders were waiting"
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app)
        view = screen.query_one(ArticleView)
        await pilot.press("slash", *phrase, "enter")
        assert view.caret == body.index(phrase)
        await pilot.press("escape", "v", "right_parenthesis", "a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        expected = body[body.index(phrase):body.index("fuel.", body.index(phrase)) + len("fuel.")]
        assert str(editor.query_one("#quote").content) == expected
        await pilot.press(*"Traders wait for fuel", "ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        [note] = app.session.notes.for_article("report")
        assert note.quote == expected == "where traders were waiting for fuel."
        margin = screen.query_one(NotesMargin)
        await wait_until(pilot, lambda: margin.display and any("Traders wait for fuel" in ln for ln in margin.lines))
        row = next(i for i, ln in enumerate(margin.lines) if "Traders wait for fuel" in ln)
        assert row == view.line_of(note.start) - int(view.scroll_offset.y)  # beside its passage
        assert "Traders wait for fuel" in screen_text(app)


async def test_two_pages_down_e_lands_on_a_mention_on_screen(fixture_store):
    text = REPORT
    for i in range(14, 30):
        text = text.replace(f"Paragraph {i}.", f"Paragraph {i}. Kidal waited.")
    body = add_report(fixture_store, text)
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app)
        view = screen.query_one(ArticleView)
        await pilot.press("space", "space")
        top, bottom = view.visible_range()
        caret = view.caret
        assert top <= caret <= bottom  # the caret came along
        await pilot.press("e")
        m = screen.current_mention()
        assert m is not None and top <= m.start < bottom
        assert m == next(x for x in screen.mentions if x.start > caret)  # the first one after the caret
        assert body[caret:m.start].count("Kidal") == 0
        await pilot.press("G", "E")  # from the end, E goes to the last mention, not the first
        assert screen.current_mention() == screen.mentions[-1]


async def test_caret_motions_and_the_view_following(fixture_store):
    body = add_report(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        view = screen.query_one(ArticleView)
        assert view.caret == 0
        assert caret_cell_style(view).reverse  # the caret is drawn
        await pilot.press("l", "l", "l")
        assert view.caret == 3 and caret_cell_style(view).reverse
        await pilot.press("h")
        assert view.caret == 2
        await pilot.press("0")
        assert view.caret == 0
        await pilot.press("dollar_sign")
        assert view.caret == view.line_span(0)[1]
        await pilot.press("0", "w")
        assert view.caret == len("Fuel")
        await pilot.press("b")
        assert view.caret == 0
        await pilot.press("right_curly_bracket")
        assert view.caret == body.index("\n\n")
        await pilot.press("l")  # over the blank line in one step
        assert view.caret == body.index("Drivers")
        await pilot.press("right_parenthesis")
        assert body[:view.caret].endswith("army.")
        await pilot.press("left_parenthesis")
        assert view.caret == body.index("Drivers")
        # j/k keep the column and skip the blank lines; the view follows the caret
        column = 4
        view.move_caret(body.index("Drivers") + column)
        line = view.line_of(view.caret)
        await pilot.press("j")
        assert view.line_of(view.caret) == line + 1
        assert view.caret - view.line_span(line + 1)[0] == column
        for _ in range(40):
            await pilot.press("j")
        top, bottom = view.visible_range()
        assert view.scroll_offset.y > 0 and top <= view.caret <= bottom
        for _ in range(5):
            await pilot.press("k")
        top, bottom = view.visible_range()
        assert top <= view.caret <= bottom
        here, top = view.line_of(view.caret), view.scroll_offset.y
        await pilot.press("ctrl+d")
        half = view.scrollable_content_region.height // 2
        down = view.line_of(view.caret)
        assert down >= here + half - 1 and view.scroll_offset.y == top + half
        await pilot.press("ctrl+u")
        assert view.line_of(view.caret) <= down - half + 1 and view.scroll_offset.y == top
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y and view.caret >= body.rindex("\n\n")
        await pilot.press("g")
        assert view.caret == 0 and view.scroll_offset.y == 0
        # the mouse wheel scrolls the caret along, so it never gets lost off screen
        view.scroll_to(y=30, animate=False, immediate=True)
        await pilot.pause()
        top, bottom = view.visible_range()
        assert top <= view.caret <= bottom


async def test_a_sentence_without_entities_in_mid_paragraph_by_keyboard(fixture_store):
    body = add_report(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        view = screen.query_one(ArticleView)
        await pilot.press("j")  # to the paragraph's first line (the blank line does not count)
        assert view.caret == body.index("Drivers")
        await pilot.press("right_parenthesis", "right_parenthesis", "l")  # start of the 3rd sentence
        third = textnav.sentence_bounds(body, body.index("The MNLA said"))
        assert view.caret == third[0]
        await pilot.press("a")  # no selection: the sentence under the caret
        assert str(app.screen.query_one("#quote").content) == body[slice(*third)]
        await pilot.press("escape")


async def test_clicking_moves_the_caret(fixture_store):
    add_report(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        view = screen.query_one(ArticleView)
        await pilot.click(ArticleView, offset=(GUTTER + 5, 2))
        assert view.caret == view.line_span(2)[0] + 5
        await pilot.press("v", "w")
        assert view.selection is not None


async def test_adjacent_notes_are_told_apart_and_brackets_show_them_in_full(fixture_store):
    body = add_report(fixture_store)
    first = textnav.sentence_bounds(body, body.index("Drivers said"))
    second = textnav.sentence_bounds(body, body.index("It reached"))
    app = make_app(fixture_store)
    long_body = "\n".join(f"line {i} of a long note" for i in range(1, 8))
    app.session.notes.add("report", "About the escort", start=first[0], end=first[1], tags=["army"])
    app.session.notes.add("report", long_body, start=second[0], end=second[1])
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        view = screen.query_one(ArticleView)
        margin = screen.query_one(NotesMargin)
        await wait_until(pilot, lambda: margin.display and margin.lines and any(margin.lines))
        styles = [d.style for d in view.decorations("notes")]
        assert len(styles) == 2 and styles[0] != styles[1]  # adjacent passages, different tints
        marks = [ln for ln in margin.lines if ln.strip()]
        assert marks[0].startswith("About the escort") and "#army" in "\n".join(margin.lines)
        assert "line 7 of a long note" not in "\n".join(margin.lines)  # first lines only
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert view.caret == second[0]
        await wait_until(pilot, lambda: "line 7 of a long note" in "\n".join(margin.lines))  # in full
        await pilot.press("left_square_bracket")
        assert view.caret == first[0]
        await wait_until(pilot, lambda: "line 7 of a long note" not in "\n".join(margin.lines))


async def test_narrow_terminal_shows_the_current_note_under_the_text(fixture_store):
    body = add_report(fixture_store)
    s, e = textnav.sentence_bounds(body, body.index("It reached"))
    app = make_app(fixture_store)
    app.session.notes.add("report", "Noon arrival", start=s, end=e)
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        assert not screen.query_one(NotesMargin).display
        await pilot.press("right_square_bracket")
        strip = screen.query_one("#note-strip")
        await wait_until(pilot, lambda: strip.display and "Noon arrival" in screen_text(app))


async def test_alias_guard_refuses_short_ordinary_and_numeric_selections(fixture_store):
    body = add_report(fixture_store, "The army met 2024 people in Gao at dawn. An escort came. Harakat Ifoghas left.")
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_reader(pilot, app)
        view = screen.query_one(ArticleView)
        for word, reason in (("An", "too short"), ("2024", "no letters"), ("escort", "ordinary word")):
            start = body.index(word)
            view.select(start, start + len(word))
            await pilot.press("A")
            assert isinstance(app.screen, ReaderScreen)  # no picker
            # (compared without spaces: screen_text drops some between words)
            assert await wait_until(pilot, lambda: reason.replace(" ", "") in "".join(screen_text(app).split()),
                                     what=reason)
        start = body.index("Harakat")
        view.select(start, start + len("Harakat Ifoghas"))
        await pilot.press("A")
        from reader.tui.screens.pickers import EntityPicker

        assert isinstance(app.screen, EntityPicker)


async def test_layout_rewraps_on_every_width_change_without_horizontal_scrollbars(fixture_store):
    add_report(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        view = screen.query_one(ArticleView)
        sidebar = screen.query_one(Sidebar)

        def widest() -> int:  # the widest drawn line of text, in cells
            return max(cell_len(ln.hang + view.body[ln.start:ln.end].rstrip()) for ln in view.lines if ln.para != -1)

        def fits() -> bool:
            width = view.scrollable_content_region.width
            return widest() + GUTTER <= width and not view.show_horizontal_scrollbar

        def wrapped_to_measure() -> bool:  # re-wrapped: the longest lines fill the measure, none passes it
            return view.text_width - 16 < widest() <= view.text_width

        assert not sidebar.display and fits()
        await pilot.press("B")
        await wait_until(pilot, lambda: sidebar.display and fits(), what="the text to re-wrap beside the sidebar")
        assert "Drivers said the convoy" in screen_text(app)
        await pilot.press("B")
        await wait_until(pilot, lambda: not sidebar.display and fits())
        for size in ((200, 60), (60, 15), (120, 40)):
            await pilot.resize_terminal(*size)
            await wait_until(pilot, lambda: wrapped_to_measure() and fits(), what=f"{size}")
            assert 8 <= widest() <= 100


async def test_a_title_repeated_as_the_first_line_is_shown_once(fixture_store):
    fixture_store.upsert_article(article_from_markdown(
        f"---\ntitle: Fuel convoys on the Gao road\n---\n{REPORT}", "r.txt", article_id="titled"))
    body = fixture_store.article("titled").body
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app, "titled", mentions=False)
        view = screen.query_one(ArticleView)
        assert "".join(screen_text(app).split()).count("FuelconvoysontheGaoroad") == 1
        assert view.caret == body.index("Drivers")  # offsets unchanged: the caret starts after it
        await pilot.press("g", "h")
        assert view.caret == body.index("Drivers")


async def test_a_moved_caret_is_repainted_where_it_is_on_screen_after_scrolling(fixture_store, monkeypatch):
    """Regression: line refreshes were offset by the scroll, so in a scrolled view the caret
    (and any changed highlight) was drawn in memory but never repainted on the terminal."""
    add_report(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app, mentions=False)
        view = screen.query_one(ArticleView)
        await pilot.press("space", "space")
        assert view.scroll_offset.y > 0
        painted = []
        original = ArticleView.refresh

        def record(self, *regions, **kwargs):
            painted.extend(regions)
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(ArticleView, "refresh", record)
        await pilot.press("l")
        row = view.line_of(view.caret) - int(view.scroll_offset.y)
        assert any(r.y <= row < r.y + r.height for r in painted), painted


def _burst(app, keys: str | list[str]) -> None:
    """Keys as a terminal delivers a fast typist or a paste: all posted before any is handled."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        char = key if len(key) == 1 else None
        name = _character_to_key(key) if char and not key.isalnum() else key
        event = events.Key(name, char)
        event.set_sender(app)
        app._driver.send_message(event)  # noqa: SLF001 - where a terminal's keys arrive


async def test_a_note_typed_fast_is_saved_whole(fixture_store):
    """ctrl+s is handled by the app at once, while the characters typed just before it may
    still wait in the text area's queue; the note must hold all of them (tmux lost the end)."""
    add_report(fixture_store)
    app = make_app(fixture_store)
    text = "Market day: the operation began when Moura was crowded, more than 60 words later"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app)
        await pilot.press("v", "right_parenthesis", "a")
        assert isinstance(app.screen, NoteEditor)
        _burst(app, [*text, "ctrl+s"])
        await wait_until(pilot, lambda: app.screen is screen, what="the editor closing")
        [note] = app.session.notes.for_article("report")
        assert note.body == text


async def test_escape_right_after_fast_typing_still_asks(fixture_store):
    add_report(fixture_store)
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reader(pilot, app)
        await pilot.press("v", "right_parenthesis", "a")
        editor = app.screen
        _burst(app, [*"half a thought", "escape"])
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the discard question")
        assert editor.query_one("#body").text == "half a thought"


async def test_the_done_when_scenario_typed_in_one_burst(fixture_store):
    """The same keys as one burst (tmux send-keys, a fast vim user): each key must act on the
    state the keys before it left - the phrase goes into the find bar `/` opens, the note's
    text into the editor `a` opens."""
    body = add_report(fixture_store)
    phrase = "where traders were waiting"
    app = make_app(fixture_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reader(pilot, app)
        _burst(app, ["slash", *phrase, "enter", "escape", "v", "right_parenthesis", "a",
                     *"Traders wait for fuel", "ctrl+s"])
        await wait_until(pilot, lambda: app.session.notes.for_article("report"), what="the note saved")
        [note] = app.session.notes.for_article("report")
        assert note.quote == "where traders were waiting for fuel."
        assert note.body == "Traders wait for fuel"
        assert note.quote == body[note.start:note.end]
        await wait_until(pilot, lambda: app.screen is screen, what="back in the reader")
