"""Highlights, the mention cursor, the sidebar and corrections, driven by keys."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from reader.store import Store
from reader.tui.app import MaliReaderApp
from reader.tui.screens.entry import EntryScreen
from reader.tui.screens.pickers import EntityPicker
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.sidebar import Sidebar
from reader.importers.save import store_article
from tests.tui_helpers import run_from_palette, screen_text, wait_for, wait_for_workers, wait_until
from tests.test_import_http import http_server  # noqa: F401 - the local feed server fixture

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def make_app(store) -> MaliReaderApp:
    return MaliReaderApp(store, gazetteer_path=GAZ)


async def open_article(pilot, app, article_id: str) -> ReaderScreen:
    assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
    app.open_article(article_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    assert await wait_for(pilot, lambda: screen.mentions)
    return screen


async def press_e_until(pilot, screen, predicate, limit: int = 60) -> None:
    """Press `e` until the mention under the cursor satisfies `predicate` (bounded)."""
    for _ in range(limit):
        m = screen.current_mention()
        if m is not None and predicate(m):
            return
        await pilot.press("e")
    raise AssertionError(f"no such mention in {[(m.text, m.entry_id) for m in screen.mentions]}")


def card_text(screen) -> str:
    return str(screen.query_one("#card").content)


async def test_highlights_cursor_and_sidebar(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        surfaces = [(m.text, m.entry_id) for m in screen.mentions]
        assert ("Gao", "gao") in surfaces and ("MNLA", "mnla") in surfaces
        assert ("Ansar Dine", "ansar-dine") in surfaces and ("Tombouctou", "timbuktu") in surfaces
        assert ("Ménaka", "menaka") in surfaces and ("JNIM", "jnim") in surfaces
        view = screen.query_one(ArticleView)
        styles = {d.style for d in view.decorations("entities")}
        assert len(styles) >= 2  # place and group styles differ
        group_style = next(view.get_component_rich_style(d.style) for d in view.decorations("entities")
                           if screen.article.body[d.start:d.end] == "MNLA")
        place_style = next(view.get_component_rich_style(d.style) for d in view.decorations("entities")
                           if screen.article.body[d.start:d.end] == "Ansongo")
        assert group_style.bold and place_style.underline  # not by colour alone
        assert group_style.color != place_style.color
        assert screen.query_one(Sidebar).display  # >= 100 columns
        legend = str(screen.query_one("#legend").content)
        assert "Armed groups" in legend and "Places" in legend

        await pilot.press("e")
        first = screen.mentions[0]
        assert view.caret == first.start and screen.current_mention() == first
        assert [(d.start, d.end) for d in view.decorations("cursor")] == [(first.start, first.end)]
        name = app.session.entities.gazetteer.get(first.entry_id).name
        assert await wait_until(pilot, lambda: name in card_text(screen))
        await pilot.press("e", "e")
        assert screen.current_mention() == screen.mentions[2]
        await pilot.press("E")
        assert screen.current_mention() == screen.mentions[1]
        await pilot.press("ctrl+l")
        assert not screen.query_one("#legend").display
        await pilot.press("B")
        assert not screen.query_one(Sidebar).display
        await pilot.press("B")
        assert screen.query_one(Sidebar).display


async def test_links_history_and_also_in(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        assert await wait_for(pilot, lambda: app.session.entities.also_in("gao", exclude="gao-convoy"))
        # move the cursor to Ansar Dine and follow its "merged into" link to JNIM
        await press_e_until(pilot, screen, lambda m: m.entry_id == "ansar-dine")
        assert await wait_until(pilot, lambda: "Ansar Dine" in card_text(screen))
        await pilot.press("tab")  # to the sidebar: first list is Related
        links = screen.query_one("#links")
        assert screen.focused is links
        await pilot.press("enter")  # merged into → JNIM
        assert card_text(screen).startswith("JNIM\n") and "[@click=app.quit]x[/]" in card_text(screen)
        await pilot.press("backspace")  # one step back: Ansar Dine; a second backspace finds nothing earlier
        assert card_text(screen).startswith("Ansar Dine\n")
        await pilot.press("backspace")
        assert card_text(screen).startswith("Ansar Dine\n")
        # Also in: Gao is mentioned by the other article; enter opens it at the mention
        await pilot.press("shift+tab", "g")  # from the first list back to the article, then to the top
        await press_e_until(pilot, screen, lambda m: m.entry_id == "gao")
        also = screen.query_one("#also-in")
        assert await wait_until(pilot, lambda: also.option_count)
        labels = [str(also.get_option_at_index(i).prompt) for i in range(also.option_count)]
        assert also.display and any("Kidal after the return of the army" in t for t in labels)
        also.focus()
        also.highlighted = next(i for i, t in enumerate(labels) if "Kidal after" in t)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen is not screen)
        assert app.screen.article.id == "kidal-notes"


async def test_not_this_entity_persists_across_restart(fixture_store, db_path):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        await press_e_until(pilot, screen, lambda m: m.text == "Ansongo")
        before = len(screen.mentions)
        await pilot.press("x")
        assert await wait_for(pilot, lambda: len(screen.mentions) == before - 1)
        assert "Ansongo" not in [m.text for m in screen.mentions]
    store = Store.open(db_path)
    app = make_app(store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        assert "Ansongo" not in [m.text for m in screen.mentions]
        # undo from the palette's list of changes
        app.action_learned()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: "Ansongo" in [m.text for m in app.screen.mentions])
    store.close()


async def test_add_alias_from_a_selection_highlights_everywhere(fixture_store):
    from reader.articles import article_from_markdown

    store_article(fixture_store, article_from_markdown(
        "---\ntitle: Spelling\ndate: 2020-01-01\n---\nFighters of Harakat Ifoghas entered the town.\n\nLater Harakat Ifoghas left.",
        "s.md", article_id="spelling"))
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
        app.open_article("spelling")
        await wait_for_workers(pilot)
        screen = app.screen
        assert "Harakat Ifoghas" not in [m.text for m in screen.mentions]
        await pilot.press("v")  # from the caret, at the first word ("Fighters")
        await pilot.press("w", "w", "w", "w")
        body = screen.article.body
        start, end = screen.selected_range()
        assert body[start:end] == "Fighters of Harakat Ifoghas"
        # just the name: clear, move the caret over two words, select two words
        await pilot.press("escape", "g", "w", "w", "l", "v", "w", "w")
        assert body[slice(*screen.selected_range())] == "Harakat Ifoghas"
        await pilot.press("A")
        assert isinstance(app.screen, EntityPicker)
        picker = app.screen
        picker.query_one("#query").value = "ansar dine"
        results = picker.query_one("#results", OptionList)
        assert await wait_until(pilot, lambda: results.option_count > 1 and "Ansar Dine" in str(results.get_option_at_index(0).prompt))
        await pilot.press("enter", "enter")
        assert await wait_for(pilot, lambda: [m.text for m in screen.mentions].count("Harakat Ifoghas") == 2)
        assert {m.entry_id for m in screen.mentions if m.text == "Harakat Ifoghas"} == {"ansar-dine"}


async def test_palette_entry_browser_is_accent_insensitive(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
        await run_from_palette(pilot, "entry menaka", "Ménaka")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert "Ménaka" in str(app.screen.query_one("#card").content)
        assert "in: Mali" in str(app.screen.query_one("#card").content)


async def test_narrow_terminal_hides_the_sidebar(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        assert not screen.query_one(Sidebar).display
        await pilot.press("e", "B")
        assert screen.query_one(Sidebar).display


async def test_clicking_a_mention_moves_the_cursor(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "gao-convoy")
        view = screen.query_one(ArticleView)
        target = next(m for m in screen.mentions if m.text == "MNLA")
        y = view.line_of(target.start)
        line_start, _ = view.line_span(y)
        x = 2 + (target.start - line_start) + 1  # gutter + column inside the word
        await pilot.click(ArticleView, offset=(x, y))
        assert screen.current_mention() == target
        assert await wait_until(pilot, lambda: "MNLA" in card_text(screen))


async def test_import_dialog_from_the_palette(fixture_store):
    from reader.tui.screens.import_dialog import ImportScreen

    folder = Path(__file__).parent / "fixtures" / "articles"
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 36)) as pilot:
        await run_from_palette(pilot, "import articles", "import")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        app.screen.query_one("#source").value = str(folder / "gao-convoy.md") + " /no/such/file.md"
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: "skipped" in str(app.screen.query_one("#label").content))
        text = screen_text(app)
        assert "no such file" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)


async def test_ambiguous_mention_shows_both_and_the_choice_is_remembered(fixture_store, db_path):
    from reader.articles import article_from_markdown
    from reader.tui.screens.pickers import MeaningPicker

    store_article(fixture_store, article_from_markdown(
        "---\ntitle: River\ndate: 2021-01-01\n---\nBoats crossed the Niger at Gao before dawn.",
        "r.md", article_id="river"))
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "river")
        await press_e_until(pilot, screen, lambda m: m.text == "Niger")
        first = screen.current_mention()
        assert first.alternatives
        assert await wait_until(pilot, lambda: "Ambiguous here" in card_text(screen)) and "press m" in card_text(screen)
        await pilot.press("m")
        assert isinstance(app.screen, MeaningPicker)
        other = first.alternatives[0]
        options = app.screen.query_one("OptionList")
        options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index(other)
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: any(m.text == "Niger" and m.entry_id == other for m in screen.mentions))
    store = Store.open(db_path)
    app = make_app(store)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_article(pilot, app, "river")
        assert next(m for m in screen.mentions if m.text == "Niger").entry_id == other
    store.close()


async def test_refresh_feeds_runs_in_the_background_and_new_articles_appear_unread(fixture_store, http_server):
    from reader.importers import add_feed
    from reader.tui.screens.library import LibraryScreen

    add_feed(fixture_store, http_server.url("/atom.xml"))
    app = make_app(fixture_store)
    async with app.run_test(size=(120, 36)) as pilot:
        assert await wait_for(pilot, lambda: app.screen.query("#articles") and
                              app.screen.query_one("#articles").option_count == 3)
        await run_from_palette(pilot, "refresh feeds", "refresh feeds")
        assert isinstance(app.screen, LibraryScreen)  # nothing modal: reading goes on
        options = app.screen.query_one("#articles")
        assert await wait_for(pilot, lambda: options.option_count > 3, timeout=10)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(p.startswith("● ") for p in prompts)  # new items are marked unread


async def test_also_in_lists_notes_on_the_entity_and_opens_them(fixture_store):
    app = make_app(fixture_store)
    async with app.run_test(size=(130, 40)) as pilot:
        assert await wait_for(pilot, lambda: app.session.entities_or_none() is not None)
        note = app.session.notes.add("kidal-notes", "Traders came from Gao", quote="Traders who drove in from Gao")
        assert "gao" in note.entities
        screen = await open_article(pilot, app, "gao-convoy")
        await press_e_until(pilot, screen, lambda m: m.entry_id == "gao")
        also = screen.query_one("#also-in")
        assert await wait_until(pilot, lambda: also.option_count)
        ids = [also.get_option_at_index(i).id for i in range(also.option_count)]
        assert f"note:{note.id}" in ids
        also.focus()
        also.highlighted = ids.index(f"note:{note.id}")
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen is not screen)
        assert app.screen.article.id == "kidal-notes"
