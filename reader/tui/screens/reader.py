"""Reading one article: header, the body (ArticleView), remembered reading position."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.library import Article
from reader.tui.widgets.article_view import ArticleView


def header_text(article: Article) -> Text:
    text = Text(article.title, style="bold", overflow="ellipsis")
    meta = " · ".join(p for p in (article.date, article.place, article.source or article.url) if p)
    if meta:
        text.append("\n")
        text.append(meta, style="dim")
    return text


class ReaderScreen(Screen):
    HELP_TITLE = "Reader"
    CSS_PATH = "reader.tcss"
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="reader.back"),
    ]

    def __init__(self, article: Article, *, offset: int | None = None) -> None:
        super().__init__()
        self.article = article
        self._start_offset = offset

    def compose(self) -> ComposeResult:
        with Vertical(id="reader-main"):
            yield Static(header_text(self.article), id="article-header")
            with Horizontal(id="reader-body"):
                yield ArticleView(self.article.body, id="article")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(ArticleView)
        view.focus()
        offset = self._start_offset
        if offset is None:
            offset = self.app.store.position(self.article.id)
        self.app.store.mark_read(self.article.id)
        if offset:
            self.call_after_refresh(view.scroll_to_offset, offset, top=self._start_offset is None,
                                    center=self._start_offset is not None)

    @on(ArticleView.Scrolled)
    def _remember_position(self, message: ArticleView.Scrolled) -> None:
        self._position = message.offset

    def _save_position(self) -> None:
        view = self.query_one(ArticleView)
        try:
            self.app.store.set_position(self.article.id, view.top_offset())
        except Exception as exc:  # a locked/read-only database must not stop navigation
            self.notify(f"Could not save the reading position: {exc}", severity="warning", markup=False)

    def action_back(self) -> None:
        self._save_position()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        pass
