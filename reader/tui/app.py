"""The Textual application: owns the store and the gazetteer, and routes between screens.

Kept thin: screens and widgets live in their own modules. Heavy work (first-run sample
import, building the matcher) runs in a worker after the first frame so that the library
appears at once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from reader.store import Store, StoreError
from reader.tui.commands import ArticleCommands
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen

STARTED = time.perf_counter()


class MaliReaderApp(App):
    """mali-reader's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "mali-reader"
    COMMANDS = App.COMMANDS | {ArticleCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, id="app.palette"),
    ]

    def __init__(self, store: Store, *, open_article: str | None = None) -> None:
        super().__init__()
        self.store = store
        self._open_article = open_article
        self.first_paint_ms: float | None = None

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())
        if self._open_article:
            self.open_article(self._open_article)
        self.call_after_refresh(self._first_paint)

    def _first_paint(self) -> None:
        self.first_paint_ms = (time.perf_counter() - STARTED) * 1000
        self.log.info(f"started in {self.first_paint_ms:.0f} ms")

    # -- navigation --------------------------------------------------------------------

    def open_article(self, article_id: str, *, offset: int | None = None) -> None:
        from reader.tui.screens.reader import ReaderScreen

        article = self.store.article(article_id)
        if article is None:
            self.notify(f"No article {article_id!r} in the library", severity="error", markup=False)
            return
        self.push_screen(ReaderScreen(article, offset=offset))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))


def run_app(db: str | None = None, open_file: str | None = None, debug: bool = False) -> int:
    """Open the store, then run the app; one-line errors for problems the user must fix."""
    try:
        store = Store.open(Path(db) if db else None)
    except StoreError as exc:
        print(f"mali-reader: {exc}", file=sys.stderr)
        return 1
    article_id = None
    if open_file:
        from reader.library import ArticleError, read_article_file

        try:
            article = read_article_file(Path(open_file))
        except ArticleError as exc:
            print(f"mali-reader: {exc}", file=sys.stderr)
            return 1
        existing = store.find_article(path=article.path)
        article.id = existing or store.unique_article_id(article.id)
        store.upsert_article(article, origin="file")
        article_id = article.id
    app = MaliReaderApp(store, open_article=article_id)
    app.run()
    store.close()
    return app.return_code or 0
