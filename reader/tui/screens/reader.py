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
from reader.ner.types import Candidate
from reader.notes import Note
from reader.tui.mentions import NOT_MATCHED
from reader.tui.ner_worker import NerRunner
from reader.tui.screens.map import open_article_map
from reader.tui.screens.reader_mentions import MentionNavigator
from reader.tui.screens.reader_notes import NoteDesk
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.find_bar import FindBar
from reader.tui.widgets.note_display import is_on_passage
from reader.tui.widgets.notes_margin import NotesMargin, PlacedNote
from reader.tui.widgets.sidebar import Sidebar, SidebarList

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


class ReaderScreen(Screen):
    """One article. The screen holds the state its panes show, as reactives they are bound to
    (`data_bind`); two parts it owns work out that state and keep their own:

    - `mention_nav` (`MentionNavigator`, reader_mentions.py) sets `mentions` and `candidates`:
      matching, highlights, legend, `e`/`E`, corrections, `A`;
    - `note_desk` (`NoteDesk`, reader_notes.py) sets `notes`, `current_note_id` and
      `placed_notes`: tints, margin, `]`/`[`, writing and deleting notes.

    `caret` follows the ArticleView's CaretMoved messages (the view owns caret and selection,
    the FindBar its matches). The sidebar is bound to `mentions`, `candidates`, `caret`,
    `notes` and `current_note_id`, so the card of the mention under the caret follows the
    caret through the binding; the notes margin is bound to `placed_notes`. The screen's
    own code is the layout, find, navigation, and actions that hand each key to its part.
    """

    # the article's mentions in text order (NOT_MATCHED until the matcher has run; see mentions.py)
    mentions: reactive[Sequence[Mention]] = reactive(NOT_MATCHED, init=False, always_update=True)
    # names NER proposes that no entry knows, in text order (none without the `ner` extra)
    candidates: reactive[Sequence[Candidate]] = reactive(list, init=False, always_update=True)
    # where the ArticleView's caret is (every CaretMoved counts: a selection change keeps it)
    caret: reactive[int] = reactive(0, init=False, always_update=True)
    # this article's notes in reading order, and the one under the caret (or reached with ] / [)
    notes: reactive[list[Note]] = reactive(list, init=False, always_update=True)
    current_note_id: reactive[str | None] = reactive(None, init=False)
    # the notes of the passages on screen, with their rows (the notes margin draws them)
    placed_notes: reactive[list[PlacedNote]] = reactive(list, init=False)

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
        self._suspended = False
        self.mention_nav = MentionNavigator(self)
        self.note_desk = NoteDesk(self, self.mention_nav.current_mention)

    def compose(self) -> ComposeResult:
        with Vertical(id="reader-main"):
            yield Static(header_text(self.article), id="article-header")
            yield Static("", id="legend")
            with Horizontal(id="reader-body"):
                yield ArticleView(self.article.body, spans=self.article.spans, id="article")
                yield NotesMargin(id="notes-margin").data_bind(placed=ReaderScreen.placed_notes)
                yield Sidebar(article_id=self.article.id, id="sidebar").data_bind(
                    ReaderScreen.mentions, ReaderScreen.candidates, ReaderScreen.caret,
                    ReaderScreen.notes, ReaderScreen.current_note_id)
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
        self.note_desk.load()
        if self.app.session.entities_or_none() is not None:
            self.mention_nav.show_now_or_later(offset or 0, self._start_offset is not None)
        # the text and the sidebar restyle themselves; the legend holds Rich styles
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def entities_ready(self) -> None:
        """The app's gazetteer has loaded (after this screen opened)."""
        self.mention_nav.load()

    def _theme_changed(self, _theme: str) -> None:
        if self.mentions and self.app.session.entities_or_none() is not None:
            self.mention_nav.update_legend()

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
        if self._suspended and self.app.session.entities_or_none() is not None:
            self._suspended = False
            self.mention_nav.load()
            self.note_desk.load()

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
        show = room >= MARGIN_MIN_WIDTH and any(is_on_passage(n) for n in self.notes)
        if show:
            margin.styles.width = max(MARGIN_MIN_COLUMNS, min(MARGIN_MAX_COLUMNS, room - ARTICLE_MAX_COLUMNS))
        if margin.display != show:
            margin.display = show
        self.call_after_refresh(self.note_desk.place)

    # -- the caret ---------------------------------------------------------------------

    def on_article_view_caret_moved(self, message: ArticleView.CaretMoved) -> None:
        self.caret = message.offset  # the sidebar's card follows (data_bind)

    def watch_caret(self, caret: int) -> None:
        self.mention_nav.caret_moved()
        self.note_desk.caret_moved(caret)

    def watch_notes(self, notes: list[Note]) -> None:
        self._arrange()  # the margin shows once the article has notes on passages

    def on_article_view_scrolled(self, message: ArticleView.Scrolled) -> None:
        self.note_desk.place()

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
        elif not self.note_desk.cancel_reattach():
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

    def action_search_notes(self) -> None:
        self.app.action_search()

    def action_show_map(self) -> None:
        open_article_map(self)

    def action_versions(self) -> None:
        from reader.tui.screens.versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.article.id))

    def selected_range(self) -> tuple[int, int] | None:
        """The selection (start, end), or None: the ArticleView owns it."""
        return self.query_one(ArticleView).selection

    def current_mention(self) -> Mention | None:
        """The mention under the caret, if any."""
        return self.mention_nav.current_mention()

    # -- keys and messages handed to the screen's parts ----------------------------------

    def action_next_mention(self) -> None:
        self.mention_nav.next()

    def action_previous_mention(self) -> None:
        self.mention_nav.previous()

    def action_toggle_candidates(self) -> None:
        self.mention_nav.toggle_candidates()

    def action_not_this_entity(self) -> None:
        self.mention_nav.not_this_entity()

    def action_choose_meaning(self) -> None:
        self.mention_nav.choose_meaning()

    def action_add_alias(self) -> None:
        self.mention_nav.add_alias()

    def action_history_back(self) -> None:
        if not self.query_one(Sidebar).history_back():
            self.notify("No earlier entry in the history", timeout=1.5, markup=False)

    def on_ner_runner_candidates_ready(self, message: NerRunner.CandidatesReady) -> None:
        self.mention_nav.ner_ready(message)

    def on_sidebar_entity_chosen(self, message: Sidebar.EntityChosen) -> None:
        self.mention_nav.go_to_entity(message.entity_id)

    def on_sidebar_candidate_chosen(self, message: Sidebar.CandidateChosen) -> None:
        self.mention_nav.go_to_candidate(message.key)

    def on_sidebar_link_chosen(self, message: Sidebar.LinkChosen) -> None:
        self.query_one(Sidebar).follow_link(message.entity_id)

    def on_sidebar_also_in_chosen(self, message: Sidebar.AlsoInChosen) -> None:
        self.app.open_target(message.target)

    def action_annotate(self) -> None:
        self.note_desk.annotate()

    def action_annotate_article(self) -> None:
        self.note_desk.annotate_article()

    def action_next_note(self) -> None:
        self.note_desk.next()

    def action_previous_note(self) -> None:
        self.note_desk.previous()

    def action_edit_note(self) -> None:
        self.note_desk.edit()

    def action_delete_note(self) -> None:
        self.note_desk.delete()

    def action_undo_delete(self) -> None:
        self.note_desk.undo_delete()

    def action_accept_review(self) -> None:
        self.note_desk.accept_review()

    def on_sidebar_note_chosen(self, message: Sidebar.NoteChosen) -> None:
        self.note_desk.go_to(message.note_id)
