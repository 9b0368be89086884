"""Reading one article: header, highlighted body, sidebar, notes, find, remembered position."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from collections.abc import Sequence

from reader.articles import Article
from reader.matcher import Mention
from reader.tui.screens.reader_entities import EntityReading
from reader.tui.screens.map import open_article_map
from reader.tui.screens.reader_notes import NoteReading
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.notes_margin import NotesMargin, PlacedNote
from reader.tui.widgets.sidebar import NOT_MATCHED, Sidebar, SidebarList

SIDEBAR_MIN_WIDTH = 120  # columns from which the sidebar shows by default
MARGIN_MIN_WIDTH = 96  # columns left for article + notes margin before the margin shows
ARTICLE_MAX_COLUMNS = 104  # the article's widest measure plus gutter and scrollbar
MARGIN_MIN_COLUMNS, MARGIN_MAX_COLUMNS = 28, 60


def header_text(article: Article) -> Text:
    text = Text(article.title, style="bold", overflow="ellipsis")
    meta = " · ".join(p for p in (article.date, article.place, article.source or article.url) if p)
    if meta:
        text.append("\n")
        text.append(meta, style="dim")
    return text


class ReaderScreen(EntityReading, NoteReading, Screen):
    """The screen owns the state its panes show, as reactives they are bound to (`data_bind`):
    `mentions` (the sidebar's "In this article"), `placed_notes` (the notes margin); `caret`
    follows the ArticleView's caret, and the mention card and current note follow `caret`.
    The ArticleView owns the caret and the selection themselves, the FindBar its matches."""

    # the notes of the passages on screen, with their rows: the notes margin is bound to it
    placed_notes: reactive[list[PlacedNote]] = reactive(list, init=False)
    # the article's mentions in text order (NOT_MATCHED until the matcher has run)
    mentions: reactive[Sequence[Mention]] = reactive(NOT_MATCHED, init=False, always_update=True)
    # where the ArticleView's caret is (set from its CaretMoved messages)
    caret: reactive[int] = reactive(0, init=False, always_update=True)

    HELP_TITLE = "Reader"
    HELP_EXTRA = ("The caret (the block in the text) moves with h/l, w/b, (/), {/}, 0/$, j/k and the page "
                  "keys; forward motions stop at ends of words, sentences and paragraphs, backward ones at "
                  "their starts. v starts a selection at the caret and the same keys extend it either way "
                  "(o swaps its ends, escape clears it); a annotates it, or the sentence under the caret. "
                  "e/E go to the next/previous entity from the caret. Mouse: click moves the caret, "
                  "drag selects. With the `ner` extra, names the gazetteer does not know are drawn faint "
                  "(grey, dim, double underline) and listed under “Not in the gazetteer”; C makes e/E stop "
                  "at them too, and A on one (under the caret, or highlighted in that list) makes it an entry.")
    CSS_PATH = "reader.tcss"
    BINDINGS = [
        Binding("q", "back", "Back", id="reader.back"),
        Binding("escape", "escape", "Clear selection / close find / back", show=False, id="reader.escape"),
        Binding("e", "next_mention", "Next entity", id="reader.next_mention"),
        Binding("E", "previous_mention", "Previous entity", show=False, id="reader.previous_mention"),
        Binding("B", "toggle_sidebar", "Sidebar", id="reader.toggle_sidebar"),
        Binding("tab", "switch_focus", "Next sidebar list (then the article)", show=False,
                id="reader.switch_focus"),
        Binding("shift+tab", "switch_focus_back", "Previous sidebar list", show=False,
                id="reader.switch_focus_back"),
        Binding("backspace", "history_back", "Back in entries", show=False, id="reader.history_back"),
        Binding("ctrl+l", "toggle_legend", "Legend", show=False, id="reader.toggle_legend"),
        Binding("x", "not_this_entity", "Not this entity", show=False, id="reader.not_this_entity"),
        Binding("m", "choose_meaning", "Choose meaning", show=False, id="reader.choose_meaning"),
        Binding("a", "annotate", "Annotate", id="reader.annotate"),
        Binding("A", "add_alias", "Add alias (or an entry from a name not in the gazetteer)", show=False,
                id="reader.add_alias"),
        Binding("C", "toggle_candidates", "e/E also stop at names not in the gazetteer", show=False,
                id="reader.toggle_candidates"),
        Binding("right_square_bracket", "next_note", "Next note", show=False, id="reader.next_note"),
        Binding("left_square_bracket", "previous_note", "Previous note", show=False, id="reader.previous_note"),
        Binding("c", "edit_note", "Edit note", show=False, id="reader.edit_note"),
        Binding("D", "delete_note", "Delete note", show=False, id="reader.delete_note"),
        Binding("u", "undo_delete", "Undo delete", show=False, id="reader.undo_delete"),
        Binding("y", "accept_review", "Accept moved note", show=False, id="reader.accept_review"),
        Binding("V", "versions", "Versions", show=False, id="reader.versions"),
        Binding("slash", "find", "Find", id="reader.find"),
        Binding("n", "find_next", "Next match", show=False, id="reader.find_next"),
        Binding("N", "find_previous", "Previous match", show=False, id="reader.find_previous"),
        Binding("s", "search_notes", "Search notes", id="reader.search"),
        Binding("M", "show_map", "Map of the places", show=False, id="reader.map"),
    ]

    def __init__(self, article: Article, *, offset: int | None = None,
                 flash: tuple[int | None, int | None] | None = None) -> None:
        super().__init__()
        self.article = article
        self._start_offset = offset
        self._flash = flash
        self._sidebar_chosen: bool | None = None  # None: follow the terminal width
        self._init_entities()
        self._init_notes()

    def compose(self) -> ComposeResult:
        with Vertical(id="reader-main"):
            yield Static(header_text(self.article), id="article-header")
            yield Static("", id="legend")
            with Horizontal(id="reader-body"):
                yield ArticleView(self.article.body, spans=self.article.spans, id="article")
                # the margin shows what the screen's `placed_notes` holds (set by `_place_notes`)
                yield NotesMargin(id="notes-margin").data_bind(placed=ReaderScreen.placed_notes)
                yield Sidebar(id="sidebar").data_bind(mentions=ReaderScreen.mentions)
            yield Static("", id="note-strip")
            yield FindBar(id="find-bar")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(ArticleView)
        view.hide_title(self.article.title)
        view.focus()
        # the config's choice ("shown"/"hidden"), else follow the terminal's width ("auto")
        self._sidebar_chosen = {"shown": True, "hidden": False}.get(self.app.config.sidebar)
        self._arrange(self.app.size.width)
        offset = self._start_offset
        if offset is None:
            offset = self.app.session.store.position(self.article.id)
        # after the first frame: the text shows at once, and a refused write (another program
        # holds the database) is told once the screen is up
        self.call_after_refresh(self.app.write, "mark the article read", self.app.session.store.mark_read,
                                self.article.id, wait_ms=300)
        if offset:
            # a remembered position goes to the top of the view; a link's target to its middle
            self.call_after_refresh(self._open_at, offset, self._start_offset is not None)
        if self._flash and self._flash[0] is not None:
            self.call_after_refresh(self._flash_passage, *self._flash)
        self._load_notes()
        if self.app.session.entities_or_none() is not None:
            self._show_mentions_now_or_later(offset or 0, self._start_offset is not None)
        # the text restyles itself (component classes); legend and sidebar hold Rich styles
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme: str) -> None:
        if self.mentions and self.app.session.entities_or_none() is not None:
            self._apply_mentions(self.mentions)
            self._refresh_card()

    def _open_at(self, offset: int, center: bool) -> None:
        view = self.query_one(ArticleView)
        view.scroll_to_offset(offset, top=not center, center=center)
        view.move_caret(offset, follow=False)

    def _flash_passage(self, start: int, end: int) -> None:
        view = self.query_one(ArticleView)
        view.set_layer("flash", [Decoration(start, end, "article--flash")])
        self.set_timer(1.5, lambda: view.set_layer("flash", []))

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        # coming back from another screen: corrections made there may change the highlights
        if getattr(self, "_suspended", False) and self.app.session.entities_or_none() is not None:
            self._suspended = False
            self._load_mentions()
            self._load_notes()

    # -- layout ------------------------------------------------------------------------

    def on_resize(self, event) -> None:
        self._arrange(event.size.width)

    def _arrange(self, width: int | None = None) -> None:
        """Sidebar when there is room (or when asked for); the notes margin when the article
        has notes on passages and keeps a comfortable measure beside it (the article takes up
        to its widest measure, the margin the rest); otherwise the current note shows under
        the text."""
        width = self.app.size.width if width is None else width
        sidebar = self.query_one(Sidebar)
        sidebar.display = self._sidebar_chosen if self._sidebar_chosen is not None else width >= SIDEBAR_MIN_WIDTH
        room = width - (int(sidebar.styles.width.value) if sidebar.display and sidebar.styles.width else 0)
        margin = self.query_one(NotesMargin)
        show = room >= MARGIN_MIN_WIDTH and bool(self.passage_notes())
        if show:
            margin.styles.width = max(MARGIN_MIN_COLUMNS, min(MARGIN_MAX_COLUMNS, room - ARTICLE_MAX_COLUMNS))
        if margin.display != show:
            margin.display = show
        self.call_after_refresh(self._place_notes)

    # -- the caret ---------------------------------------------------------------------

    def on_article_view_caret_moved(self, message: ArticleView.CaretMoved) -> None:
        self.caret = message.offset

    def watch_caret(self, caret: int) -> None:
        # every CaretMoved counts (always_update): a selection change keeps the offset
        self._mention_under_caret_changed()
        self._note_caret_moved(caret)

    def on_article_view_scrolled(self, message: ArticleView.Scrolled) -> None:
        self._place_notes()

    # -- find --------------------------------------------------------------------------

    def action_find(self) -> None:
        view = self.query_one(ArticleView)
        self.query_one(FindBar).open(self.article.body, view.caret)

    def on_find_bar_changed(self, message: FindBar.Changed) -> None:
        view = self.query_one(ArticleView)
        view.set_layer("find", [Decoration(s, e, "article--find") for s, e in message.matches])
        match = message.match
        view.set_layer("find-current", [Decoration(*match, "article--find-current")] if match else [])
        if match is None:
            return
        if message.move_caret:
            view.focus()
            view.move_caret(match[0], center=True)
        else:
            view.scroll_to_offset(match[0], center=True)

    def on_find_bar_closed(self, message: FindBar.Closed) -> None:
        view = self.query_one(ArticleView)
        view.set_layer("find", [])
        view.set_layer("find-current", [])
        view.focus()

    def action_find_next(self) -> None:
        if not self.query_one(FindBar).step(1):
            self.notify("Nothing to find: press / and type", markup=False, timeout=2)

    def action_find_previous(self) -> None:
        if not self.query_one(FindBar).step(-1):
            self.notify("Nothing to find: press / and type", markup=False, timeout=2)

    # -- navigation --------------------------------------------------------------------

    def _save_position(self) -> None:
        view = self.query_one(ArticleView)
        # a locked/read-only database must not stop navigation
        self.app.write("save the reading position", self.app.session.store.set_position, self.article.id,
                       view.top_offset(), wait_ms=300)

    def action_back(self) -> None:
        self._save_position()
        self.app.pop_screen()

    def action_escape(self) -> None:
        view = self.query_one(ArticleView)
        bar = self.query_one(FindBar)
        if view.selecting:
            view.clear_selection()
        elif bar.is_open:
            bar.close()
        elif self.reattach_note is not None:
            self.reattach_note = None
            self.notify("Re-attaching cancelled", markup=False, timeout=2)
        else:
            self.action_back()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        self._sidebar_chosen = not sidebar.display
        self._arrange(self.app.size.width)
        self.app.remember_preference("sidebar", "shown" if sidebar.display else "hidden")
        if not sidebar.display:
            self.query_one(ArticleView).focus()

    def action_switch_focus(self, step: int = 1) -> None:
        """tab / shift+tab: the article, then each list of the sidebar that has rows, in turn."""
        sidebar = self.query_one(Sidebar)
        view = self.query_one(ArticleView)
        if not sidebar.display:
            self._sidebar_chosen = True
            self._arrange(self.app.size.width)
        stops = [view] + [w for w in sidebar.query(SidebarList) if w.display and w.option_count]
        here = stops.index(self.focused) if self.focused in stops else 0
        target = stops[(here + step) % len(stops)]
        target.focus()
        if isinstance(target, SidebarList):
            target.scroll_visible()
            if target.highlighted is None:
                target.action_first()

    def action_switch_focus_back(self) -> None:
        self.action_switch_focus(-1)

    def action_toggle_legend(self) -> None:
        legend = self.query_one("#legend")
        legend.display = not legend.display

    def action_add_alias(self) -> None:
        """`A`: an entry from the name not in the gazetteer that is highlighted in the sidebar
        or under the caret; otherwise an alias (or entry) from the selection."""
        candidate = self.candidate_to_add()
        if candidate is not None:
            self.add_candidate_entry(candidate)
        else:
            self.add_alias_from_selection()

    def action_search_notes(self) -> None:
        self.app.action_search()

    def action_show_map(self) -> None:
        open_article_map(self)
