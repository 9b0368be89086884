"""Reading one article: header, highlighted body, sidebar, notes, find, remembered position."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.library import Article
from reader.tui.screens.reader_entities import EntityReading
from reader.tui.screens.reader_find import FindInArticle
from reader.tui.screens.map import open_article_map
from reader.tui.screens.reader_notes import SELECTION_ACTIONS, NoteReading
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.sidebar import Sidebar

SIDEBAR_MIN_WIDTH = 100  # columns from which the sidebar shows by default


def header_text(article: Article) -> Text:
    text = Text(article.title, style="bold", overflow="ellipsis")
    meta = " · ".join(p for p in (article.date, article.place, article.source or article.url) if p)
    if meta:
        text.append("\n")
        text.append(meta, style="dim")
    return text


class ReaderScreen(EntityReading, NoteReading, FindInArticle, Screen):
    HELP_TITLE = "Reader"
    HELP_EXTRA = ("While selecting (after v): l/h or →/← character, w/W word, )/( sentence, "
                  "}/{ paragraph, a annotates, A adds an alias, escape cancels. "
                  "Mouse: click a mention to move the cursor; drag to select.")
    CSS_PATH = "reader.tcss"
    BINDINGS = [
        Binding("q", "back", "Back", id="reader.back"),
        Binding("escape", "escape", "Back / cancel", show=False, id="reader.escape"),
        Binding("e", "next_mention", "Next entity", id="reader.next_mention"),
        Binding("E", "previous_mention", "Prev entity", show=False, id="reader.previous_mention"),
        Binding("b", "toggle_sidebar", "Sidebar", id="reader.toggle_sidebar"),
        Binding("tab", "switch_focus", "Article ↔ sidebar", show=False, id="reader.switch_focus"),
        Binding("backspace", "history_back", "Back in entries", show=False, id="reader.history_back"),
        Binding("L", "toggle_legend", "Legend", show=False, id="reader.toggle_legend"),
        Binding("x", "not_this_entity", "Not this entity", show=False, id="reader.not_this_entity"),
        Binding("m", "choose_meaning", "Choose meaning", show=False, id="reader.choose_meaning"),
        Binding("v", "start_selection", "Select", id="reader.select"),
        Binding("a", "annotate", "Annotate", id="reader.annotate"),
        Binding("A", "add_alias", "Add alias", show=False, id="reader.add_alias"),
        Binding("right_square_bracket", "next_note", "Next note", show=False, id="reader.next_note"),
        Binding("left_square_bracket", "previous_note", "Prev note", show=False, id="reader.previous_note"),
        Binding("c", "edit_note", "Edit note", show=False, id="reader.edit_note"),
        Binding("D", "delete_note", "Delete note", show=False, id="reader.delete_note"),
        Binding("u", "undo_delete", "Undo delete", show=False, id="reader.undo_delete"),
        Binding("y", "accept_review", "Accept moved note", show=False, id="reader.accept_review"),
        Binding("V", "versions", "Versions", show=False, id="reader.versions"),
        Binding("slash", "find", "Find", id="reader.find"),
        Binding("n", "find_next", "Next match", show=False, id="reader.find_next"),
        Binding("N", "find_previous", "Prev match", show=False, id="reader.find_previous"),
        Binding("s", "search_notes", "Search notes", id="reader.search"),
        Binding("M", "show_map", "Map of the places", show=False, id="reader.map"),
        # selection mode only (see check_action)
        Binding("l,right", "extend_char", "Extend by character", show=False, id="select.extend_char"),
        Binding("h,left", "shrink_char", "Back by character", show=False, id="select.shrink_char"),
        Binding("w", "extend_word", "Extend by word", show=False, id="select.extend_word"),
        Binding("W", "shrink_word", "Back by word", show=False, id="select.shrink_word"),
        Binding("right_parenthesis", "extend_sentence", "Extend by sentence", show=False, id="select.extend_sentence"),
        Binding("left_parenthesis", "shrink_sentence", "Back by sentence", show=False, id="select.shrink_sentence"),
        Binding("right_curly_bracket", "extend_paragraph", "Extend by paragraph", show=False,
                id="select.extend_paragraph"),
        Binding("left_curly_bracket", "shrink_paragraph", "Back by paragraph", show=False,
                id="select.shrink_paragraph"),
    ]

    def __init__(self, article: Article, *, offset: int | None = None,
                 flash: tuple[int | None, int | None] | None = None) -> None:
        super().__init__()
        self.article = article
        self._start_offset = offset
        self._flash = flash
        self._init_entities()
        self._init_notes()
        self._init_find()

    def compose(self) -> ComposeResult:
        with Vertical(id="reader-main"):
            yield Static(header_text(self.article), id="article-header")
            yield Static("", id="legend")
            with Horizontal(id="reader-body"):
                yield ArticleView(self.article.body, id="article")
                yield Sidebar(id="sidebar")
            yield FindBar(id="find-bar")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(ArticleView)
        view.focus()
        self.query_one(Sidebar).display = self.app.config.sidebar_shown(self.app.size.width, SIDEBAR_MIN_WIDTH)
        offset = self._start_offset
        if offset is None:
            offset = self.app.store.position(self.article.id)
        self.app.write("mark the article read", self.app.store.mark_read, self.article.id, wait_ms=300)
        if offset:
            self._pending_cursor_offset = offset if self._start_offset is not None else None
            self.call_after_refresh(view.scroll_to_offset, offset, top=self._start_offset is None,
                                    center=self._start_offset is not None)
        if self._flash and self._flash[0] is not None:
            self.call_after_refresh(self._flash_passage, *self._flash)
        self._load_notes()
        if self.app.entities is not None:
            self._show_mentions_now_or_later()

    def _flash_passage(self, start: int, end: int) -> None:
        view = self.query_one(ArticleView)
        view.set_layer("flash", [Decoration(start, end, Style(reverse=True, bold=True))])
        self.set_timer(1.5, lambda: view.set_layer("flash", []))

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        # coming back from another screen: corrections made there may change the highlights
        if getattr(self, "_suspended", False) and self.app.entities is not None:
            self._suspended = False
            self._load_mentions()
            self._load_notes()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in SELECTION_ACTIONS:
            return self.selection is not None
        return True

    # -- navigation --------------------------------------------------------------------

    def _save_position(self) -> None:
        view = self.query_one(ArticleView)
        # a locked/read-only database must not stop navigation
        self.app.write("save the reading position", self.app.store.set_position, self.article.id,
                       view.top_offset(), wait_ms=300)

    def action_back(self) -> None:
        self._save_position()
        self.app.pop_screen()

    def action_escape(self) -> None:
        if self.selection is not None:
            self.action_cancel_selection()
        elif self.find_active():
            self.close_find()
        elif self.reattach_note is not None:
            self.reattach_note = None
            self.notify("Re-attaching cancelled", markup=False, timeout=2)
        else:
            self.action_back()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.display = not sidebar.display
        self.app.remember_preference("sidebar", "shown" if sidebar.display else "hidden")
        if not sidebar.display:
            self.query_one(ArticleView).focus()

    def action_switch_focus(self) -> None:
        sidebar = self.query_one(Sidebar)
        view = self.query_one(ArticleView)
        if self.focused is view:
            if not sidebar.display:
                sidebar.display = True
            targets = [w for w in sidebar.query("OptionList") if w.display and w.option_count]
            if targets:
                targets[0].focus()
                if targets[0].highlighted is None:
                    targets[0].action_first()
        else:
            view.focus()

    def action_toggle_legend(self) -> None:
        legend = self.query_one("#legend")
        legend.display = not legend.display

    def action_search_notes(self) -> None:
        self.app.action_search()

    def action_show_map(self) -> None:
        open_article_map(self)
