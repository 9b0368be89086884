"""The reader draws Markdown structure (headings, emphasis, lists, quotes, links) while every
offset stays the plain body's: a note on emphasised text quotes exactly the stored text."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from reader.importers import import_sources
from reader.importers.files import text_article
from reader.importers.save import store_article
from reader.tui.app import MaliReaderApp
from reader.tui.screens.note_editor import NoteEditor
from reader.tui.screens.reader import ReaderScreen
from reader.tui.widgets.article_view import ArticleView
from tests.tui_helpers import wait_until

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"

MD = """---
title: Night in Ménaka
date: 2024-05-01
---
# Night in Ménaka

Fighters *entered* the town at **dawn on Tuesday**, said [an official](https://example.org/a).

## What people saw

- the market was closed
- schools stayed shut for *three* days
> We heard the engines before sunrise

Talks resumed on Friday.
"""


def screen_lines(app) -> list[str]:
    """The screen as rows of text (SVG <text> elements grouped by their y position)."""
    svg = app.export_screenshot()
    rows: dict[float, str] = {}
    for y, inner in re.findall(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg, flags=re.S):
        rows[float(y)] = rows.get(float(y), "") + html.unescape(re.sub(r"<[^>]+>", "", inner))
    return [rows[y].replace("\xa0", " ").rstrip() for y in sorted(rows)]


async def open_report(pilot, app) -> ReaderScreen:
    app.open_article("night")
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
    return app.screen


async def test_structure_is_drawn_and_a_note_on_emphasis_quotes_the_plain_text(fixture_store):
    article = text_article(MD, "night.md")
    article.id = "night"
    store_article(fixture_store, article)
    body = fixture_store.article("night").body
    assert "*" not in body and "Fighters entered the town at dawn on Tuesday" in body
    app = MaliReaderApp(fixture_store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_report(pilot, app)
        await wait_until(pilot, lambda: any("What people saw" in ln for ln in screen_lines(app)))
        lines = screen_lines(app)
        text_rows = [ln.strip() for ln in lines]
        # each list item and the quote on a line of its own, drawn with a bullet or a bar
        assert "• the market was closed" in text_rows
        assert "• schools stayed shut for three days" in text_rows
        assert "▌ We heard the engines before sunrise" in text_rows
        # the heading stands alone with blank lines around it; the title is not repeated
        heading = text_rows.index("What people saw")
        assert text_rows[heading - 1] == "" and text_rows[heading + 1] == ""
        assert sum("Night in Ménaka" in ln for ln in lines) == 1
        # find the emphasised words, select them, annotate
        await pilot.press("slash", *"dawn", "enter", "escape")
        view = screen.query_one(ArticleView)
        await wait_until(pilot, lambda: view.caret == body.index("dawn"))
        await pilot.press("v", "w", "w", "w")
        await wait_until(pilot, lambda: screen.selected_range() is not None
                         and body[slice(*screen.selected_range())].endswith("Tuesday"))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        app.screen.query_one("#body").text = "arrival time"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen)
        [note] = app.session.notes.for_article("night")
        assert note.quote == "dawn on Tuesday"
        assert body[note.start:note.end] == note.quote
        # caret motion over a list: `j` goes down one drawn line, onto the next item's bullet
        view.move_caret(body.index("- the market"))
        await pilot.press("j")
        await wait_until(pilot, lambda: view.caret == body.index("- schools"))


FILLER = ("Drivers who carry water between Gao and Kidal say the road has been quieter this month, "
          "although nobody on the route calls it safe.")
TITLED = {
    "water.txt": f"Water trucks return to Kidal\n\n{FILLER}\n",
    "water-joined.txt": f"Water trucks return to Kidal\n{FILLER}\n",
    "water.md": f"---\ntitle: Water trucks return to Kidal\n---\n# Water trucks return to Kidal\n\n{FILLER}\n",
    "water.html": ("<html><head><title>Water trucks return to Kidal</title></head><body><article>"
                   f"<h1>Water trucks return to Kidal</h1><p>{FILLER}</p></article></body></html>"),
}


async def _open_only_article(pilot, app, store) -> ReaderScreen:
    (article_id,) = store.article_ids()
    app.open_article(article_id)
    await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
    await wait_until(pilot, lambda: any("nobody on the route" in ln for ln in screen_lines(app)))
    return app.screen


@pytest.mark.parametrize("name", sorted(TITLED))
async def test_the_title_is_shown_once(tmp_path, store, name):
    """A .txt whose first line is the title, a Markdown heading equal to the title and an
    HTML <h1> equal to <title>: the header shows the title, the article does not repeat it."""
    path = tmp_path / name
    path.write_text(TITLED[name], encoding="utf-8")
    import_sources(store, [path])
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_only_article(pilot, app, store)
        lines = screen_lines(app)
        assert sum(ln.count("Water trucks return to Kidal") for ln in lines) == 1, "\n".join(lines)


def _stored_without_spans(tmp_path, store):
    """MD imported from a file, then its spans dropped and marked pending (as after the upgrade)."""
    path = tmp_path / "night.md"
    path.write_text(MD, encoding="utf-8")
    import_sources(store, [path])
    (article_id,) = store.article_ids()
    store.conn.execute("UPDATE articles SET spans = '[]'")
    store.mark_structure_pending(article_id)
    return path, article_id


async def test_an_article_stored_without_spans_is_drawn_with_them_from_its_file(tmp_path, store):
    """As after the upgrade from a library written before spans: the first open reads the
    unchanged source file and draws its heading and bullets; the text is the stored one."""
    path, article_id = _stored_without_spans(tmp_path, store)
    body = store.article(article_id).body
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_article(article_id)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await wait_until(pilot, lambda: any("What people saw" in ln for ln in screen_lines(app)))
        rows = [ln.strip() for ln in screen_lines(app)]
        assert "• the market was closed" in rows and "▌ We heard the engines before sunrise" in rows
        heading = rows.index("What people saw")
        assert rows[heading - 1] == "" and rows[heading + 1] == ""
    stored = store.article(article_id)
    assert stored.body == body and stored.spans and not store.structure_pending(article_id)


async def test_an_article_whose_file_changed_is_drawn_plain(tmp_path, store):
    path, article_id = _stored_without_spans(tmp_path, store)
    path.write_text(MD.replace("the market was closed", "the market was shut"), encoding="utf-8")
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_article(article_id)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await wait_until(pilot, lambda: any("the market was closed" in ln for ln in screen_lines(app)))
        rows = [ln.strip() for ln in screen_lines(app)]
        # no bullet, no line of its own: the dashes are the stored text, run together
        assert not any(r.startswith("•") for r in rows)
        assert any(r.startswith("- the market was closed - schools") for r in rows)
    assert store.article(article_id).spans == []


PAGE = ("<html><head><title>Convoy attacked on the Gao road</title></head><body><article>"
        "<h1>Convoy attacked on the Gao road</h1><p>A supply convoy from Gao was stopped on <em>Monday</em>, "
        "drivers said.</p><h2>What the drivers said</h2><ul><li>the attackers came from the east</li>"
        "<li>the escort arrived an hour later, after the trucks had been set alight, and stayed until the "
        "road was cleared of debris and the remaining vehicles had been checked</li></ul>"
        "<blockquote><p>We saw the smoke from the village.</p></blockquote>"
        "<p>Traders say fuel prices rise each time a convoy fails to arrive, and [bold]this[/bold] stays text.</p>"
        "</article></body></html>")


async def test_an_html_page_read_without_trafilatura_draws_bullets_and_bars_that_are_not_text(store):
    """The basic extractor keeps no "-" or ">" in the text: the bullet and the bar are drawn
    before the block, continuation lines hang under it, and the caret and notes see only
    the stored characters."""
    from reader.importers import ImportOptions, page_article

    article = page_article(ImportOptions(html_extractor="basic"), PAGE, "gao.html")
    article.id = "gao"
    store_article(store, article)
    body = store.article("gao").body
    assert "•" not in body and "▌" not in body and "- " not in body
    app = MaliReaderApp(store, gazetteer_path=GAZ)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_article("gao")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await wait_until(pilot, lambda: any("What the drivers said" in ln for ln in screen_lines(app)))
        rows = screen_lines(app)
        stripped = [r.strip() for r in rows]
        assert "• the attackers came from the east" in stripped
        assert "▌ We saw the smoke from the village." in stripped
        assert "[bold]this[/bold] stays text." in " ".join(stripped)
        escort = next(k for k, r in enumerate(rows) if "• the escort arrived" in r)
        bullet_col = rows[escort].index("•")
        assert rows[escort + 1][:bullet_col + 2].strip() == ""  # the continuation hangs under the text
        assert rows[escort + 1][bullet_col + 2] != " "
        assert sum("Convoy attacked on the Gao road" in r for r in rows) == 1
        # the caret walks the item's characters: `j` from the first item lands on the second's first letter
        view = app.screen.query_one(ArticleView)
        view.move_caret(body.index("the attackers"))
        await pilot.press("j")
        await wait_until(pilot, lambda: view.caret == body.index("the escort"),
                         what=lambda: f"the caret at {view.caret}: {body[view.caret:view.caret + 20]!r}")
        await pilot.press("v", "w", "w", "w")
        await wait_until(pilot, lambda: app.screen.selected_range() is not None
                         and body[slice(*app.screen.selected_range())].startswith("the escort arrived"))
        assert "•" not in body[slice(*app.screen.selected_range())]
