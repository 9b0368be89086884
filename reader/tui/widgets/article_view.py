"""The article body as one Line-API scroll view, with a caret and a selection it owns.

A 20,000-word report must open in well under 150 ms and re-style a single mention in a few
milliseconds, which rules out one big Static or the Markdown widget. Following toolong,
the body is wrapped once per width into a line table (line → paragraph, start, end offsets);
each visible line is rendered on demand from the plain text plus *decorations* (styled
character ranges in named layers: entity highlights, notes, search matches, selection) and
cached in a bounded LRU cache that is cleared when the styles change (theme switch).

Decoration styles are either Rich styles or the name of one of the view's component classes
(`article--place`, `article--note`, …), resolved from the CSS when a line is drawn, so a theme
switch restyles everything at once.

Like Textual's TextArea, the view owns its caret (a character offset) and its selection
(an anchor; the selection runs from the anchor to the caret, caret excluded), kept in an
`ArticleCaret` (article_caret.py) that also works out where each motion goes. Motion keys
move the caret by character, word, sentence, paragraph, line and page; when `v` has set an
anchor the same motions extend the selection in either direction. Every change is announced
with a `CaretMoved` message; the screen decides what a caret position means (the mention
under it, the note under it).

Text is never parsed as markup: it goes into `rich.text.Text` as plain characters.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.articles import split_paragraphs
from reader.structure import Span
from reader.tui.styles import component_css
from reader.tui.widgets import article_structure
from reader.tui.widgets.article_caret import ArticleCaret
# Decoration, component_style, BLOCK_CHARS and Line are imported from here by the screens
from reader.tui.widgets.article_decoration import Decoration, DecorationLayers, component_style  # noqa: F401
from reader.tui.widgets.article_layout import BLOCK_CHARS, Line, layout_blocks, same_words, wrap_blocks  # noqa: F401

MAX_MEASURE = 100  # the widest reading column, in cells
MIN_MEASURE = 70  # a narrower view still wraps to its width, but wider views never go under this
GUTTER = 2  # columns left of the text for note markers
STRIP_CACHE_SIZE = 1024  # rendered lines kept (a few screens of a 200-line terminal)


class ArticleView(ScrollView, can_focus=True):
    """Scrollable article body with offset-exact decorations, a caret and a selection."""

    COMPONENT_CLASSES = {
        "article--caret", "article--selection", "article--find", "article--find-current",
        "article--note", "article--note-alt", "article--note-current", "article--flash",
        "article--gutter-note", "article--gutter-note-alt", "article--drag",
        "article--note-review", "article--gutter-review",
        "article--group", "article--place", "article--person", "article--org", "article--event",
        "article--entity", "article--mention-current",
        "article--candidate",  # names NER proposes (issue 17): drawn by the reader screen's "candidates" layer
        "article--heading", "article--link", "article--quote",
    }
    DEFAULT_CSS = """
    ArticleView { background: $surface; scrollbar-gutter: stable; overflow-x: hidden; }
    ArticleView > .article--caret { text-style: reverse bold; }
    ArticleView:blur > .article--caret { text-style: underline bold; }
    ArticleView > .article--selection { background: $primary 45%; }
    ArticleView > .article--drag { text-style: reverse; }
    ArticleView > .article--find { background: $success 35%; text-style: bold; }
    ArticleView > .article--find-current { background: $success 80%; color: $text; text-style: bold; }
    ArticleView > .article--note { background: $warning 18%; }
    ArticleView > .article--note-alt { background: $warning 30%; }
    ArticleView > .article--note-current { background: $warning 40%; }
    ArticleView > .article--mention-current { background: $accent 30%; }
    ArticleView > .article--flash { text-style: reverse bold; }
    ArticleView > .article--gutter-note { color: $warning; text-style: bold; }
    ArticleView > .article--gutter-note-alt { color: $warning 60%; text-style: bold; }
    ArticleView > .article--note-review { background: $error 25%; text-style: underline; }
    ArticleView > .article--gutter-review { color: $error; text-style: bold; }
    """ + article_structure.CSS + component_css("ArticleView", "article--")

    BINDINGS = [
        Binding("l,right", "caret('right')", "Caret: next character", show=False, id="reader.caret_right"),
        Binding("h,left", "caret('left')", "Caret: previous character", show=False, id="reader.caret_left"),
        Binding("w", "caret('word_end')", "Caret: end of word", show=False, id="reader.caret_word_end"),
        Binding("b", "caret('word_start')", "Caret: start of word", show=False, id="reader.caret_word_start"),
        Binding("right_parenthesis", "caret('sentence_end')", "Caret: end of sentence", show=False,
                id="reader.caret_sentence_end"),
        Binding("left_parenthesis", "caret('sentence_start')", "Caret: start of sentence", show=False,
                id="reader.caret_sentence_start"),
        Binding("right_curly_bracket", "caret('paragraph_end')", "Caret: end of paragraph", show=False,
                id="reader.caret_paragraph_end"),
        Binding("left_curly_bracket", "caret('paragraph_start')", "Caret: start of paragraph", show=False,
                id="reader.caret_paragraph_start"),
        Binding("0", "caret('line_start')", "Caret: start of line", show=False, id="reader.caret_line_start"),
        Binding("dollar_sign", "caret('line_end')", "Caret: end of line", show=False, id="reader.caret_line_end"),
        Binding("j,down", "lines(1)", "Line down", show=False, id="reader.down"),
        Binding("k,up", "lines(-1)", "Line up", show=False, id="reader.up"),
        Binding("ctrl+d", "page(0.5)", "Half page down", show=False, id="reader.half_page_down"),
        Binding("ctrl+u", "page(-0.5)", "Half page up", show=False, id="reader.half_page_up"),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("pageup,shift+space,ctrl+b", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "caret_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "caret_end", "End", show=False, id="reader.end"),
        Binding("v", "toggle_selection", "Select from the caret", id="reader.select"),
        Binding("o", "swap_selection_ends", "Selection: other end", show=False, id="reader.swap_selection_ends"),
    ]

    class CaretMoved(Message):
        """The caret moved or the selection changed."""

        def __init__(self, view: ArticleView, offset: int, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.offset = offset
            self.selection = selection

        @property
        def control(self) -> ArticleView:
            return self.view

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.CaretMoved)

    class Clicked(Message):
        """A click on the text at character `offset` (the caret is already there)."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    class Scrolled(Message):
        """The top visible line changed (or the text was re-wrapped); `offset` is the first
        character on the top line."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.Scrolled)

    def __init__(self, body: str = "", *, spans: list[Span] = (), name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._body = ""
        self._para_list: list[tuple[int, str]] = []  # layout blocks (see `layout_blocks`)
        self._para_break: list[bool] = []
        self._structure = article_structure.StructureLayout()
        self._glyph_offsets: list[int] = []
        self._para_starts: list[int] = []
        self._line_table: list[Line] = []
        self._line_starts: list[int] = []
        self._wrapped_width = -1
        self._layers = DecorationLayers()
        self._strip_cache: LRUCache[int, Strip] = LRUCache(STRIP_CACHE_SIZE)
        self._style_cache: dict[str, Style] = {}
        self._gutter_marks: dict[int, tuple[str, Style | str]] = {}
        self._gutter_by_line: dict[int, tuple[str, Style | str]] | None = None
        self._drag_from: int | None = None
        self._last_top = -1
        self._cursor = ArticleCaret(self)  # the caret, the selection anchor, the goal column
        self._paging = False
        self._first_offset = 0
        self.set_body(body, spans)

    # -- content -----------------------------------------------------------------------

    @property
    def body(self) -> str:
        return self._body

    def hide_title(self, title: str) -> None:
        """Do not draw a first paragraph that only repeats the title (shown in the header);
        offsets are untouched, the caret simply never goes before the first drawn paragraph."""
        first = self._para_list[0] if self._para_list else None
        if first and len(self._para_list) > 1 and same_words(first[1].lstrip("# "), title):
            self._first_offset = self._para_list[1][0]
            self._para_list = self._para_list[1:]
            self._para_break = self._para_break[1:]
            self._para_starts = [s for s, _ in self._para_list]
            self._cursor.offset = max(self._cursor.offset, self._first_offset)
            self._layers.set_blocks(self._para_starts)
            self._strip_cache.clear()
            if self.is_mounted:
                self._rewrap()

    def set_body(self, body: str, spans: list[Span] = ()) -> None:
        """Show `body`; `spans` (its headings, emphasis, lists…) are drawn as a style layer
        under every other and shape the layout, never the text."""
        self._body = body
        self._first_offset = 0
        self._structure = article_structure.structure_layout(body, list(spans))
        self._glyph_offsets = sorted(self._structure.glyphs)
        self._para_list, self._para_break = layout_blocks(split_paragraphs(body), self._structure)
        self._para_starts = [s for s, _ in self._para_list]
        self._wrapped_width = -1
        self._layers.set_blocks(self._para_starts)
        self._strip_cache.clear()
        self._cursor.offset = min(self._cursor.offset, len(body))
        self.set_layer("structure", [Decoration(s, e, style) for s, e, style
                                     in article_structure.structure_decorations(list(spans))], order=0)
        if self.is_mounted:
            self._rewrap()

    def set_layer(self, name: str, decorations: list[Decoration], *, order: int | None = None) -> None:
        """Replace one decoration layer; later layers are applied over earlier ones."""
        self._invalidate_ranges(self._layers.set(name, decorations, order=order))

    def decorations(self, name: str) -> list[Decoration]:
        return self._layers.get(name)

    def set_gutter_marks(self, marks: dict[int, tuple[str, Style | str]]) -> None:
        """Markers left of the text (e.g. notes), keyed by the character offset they belong to."""
        self._gutter_marks = dict(marks)
        self._gutter_by_line = None
        self._strip_cache.clear()
        self.refresh()

    def _gutter_lines(self) -> dict[int, tuple[str, Style | str]]:
        if self._gutter_by_line is None:
            self._gutter_by_line = {}
            for offset, mark in sorted(self._gutter_marks.items()):
                self._gutter_by_line.setdefault(self.line_of(offset), mark)
        return self._gutter_by_line

    def notify_style_update(self) -> None:
        """Styles changed (e.g. the theme): cached lines hold the old colours."""
        super().notify_style_update()
        self._style_cache.clear()
        self._strip_cache.clear()

    def _style(self, style: Style | str) -> Style:
        if isinstance(style, Style):
            return style
        cached = self._style_cache.get(style)
        if cached is None:
            cached = self._style_cache[style] = component_style(self, style)
        return cached

    # -- the caret and the selection (state in ArticleCaret) ----------------------------------

    @property
    def caret(self) -> int:
        return self._cursor.offset

    @property
    def selecting(self) -> bool:
        return self._cursor.selecting

    @property
    def selection(self) -> tuple[int, int] | None:
        """(start, end) from the anchor to the caret, or None when nothing is selected."""
        return self._cursor.selection

    def move_caret(self, offset: int, *, follow: bool = True, keep_goal: bool = False,
                   center: bool = False) -> None:
        """Put the caret at `offset` (extending the selection when one is being made)."""
        offset = max(self._first_offset, min(len(self._body), offset))
        old = self._cursor.offset
        old_selection = self.selection
        self._cursor.offset = offset
        if not keep_goal:
            self._cursor.goal_column = None
        self._refresh_caret(old, old_selection)
        if follow:
            self.scroll_to_offset(offset, center=center)
        self.post_message(self.CaretMoved(self, offset, self.selection))

    def start_selection(self, at: int | None = None) -> None:
        """Drop the selection anchor at `at` (the caret by default)."""
        old_selection = self.selection
        caret = self._cursor.offset
        self._cursor.anchor = caret if at is None else max(self._first_offset, min(len(self._body), at))
        self._refresh_caret(caret, old_selection)
        self.post_message(self.CaretMoved(self, caret, self.selection))

    def select(self, start: int, end: int) -> None:
        """Select `start`–`end` with the caret at `end` (as a mouse drag does)."""
        self.start_selection(start)
        self.move_caret(end, follow=False)

    def clear_selection(self) -> None:
        if self._cursor.anchor is None:
            return
        old_selection = self.selection
        self._cursor.anchor = None
        self._refresh_caret(self._cursor.offset, old_selection)
        self.post_message(self.CaretMoved(self, self._cursor.offset, None))

    def _refresh_caret(self, old: int, old_selection: tuple[int, int] | None) -> None:
        new_selection = self.selection
        self.set_layer("selection", [Decoration(*new_selection, "article--selection")] if new_selection else [])
        for offset in {old, self._cursor.offset}:
            if self._line_table:
                y = self.line_of(offset)
                self._strip_cache.discard(y)
                self.refresh_lines(y, 1)  # absolute line numbers (ScrollView subtracts the scroll)

    def move_lines(self, count: int, *, skip_blank: bool = True) -> None:
        """Move the caret `count` lines down (or up), keeping its column (see
        `ArticleCaret.lines_target`)."""
        target = self._cursor.lines_target(count, skip_blank=skip_blank)
        if target is not None:
            self.move_caret(target, keep_goal=True)

    def action_caret(self, motion: str) -> None:
        """One motion within the text (`ArticleCaret.MOTIONS`); extends a selection being made."""
        target = self._cursor.target(motion)
        if target is not None:
            self.move_caret(target)

    def action_lines(self, count: int) -> None:
        self.move_lines(count)

    def action_page(self, pages: float) -> None:
        """Scroll by `pages` screens (negative: up; 0.5 a half page) and move the caret as far."""
        height = max(1, self.scrollable_content_region.height)
        lines = max(1, int(height * abs(pages)) - (1 if abs(pages) == 1 else 0))
        lines = lines if pages > 0 else -lines
        top = int(self.scroll_offset.y)
        target = max(0, min(int(self.max_scroll_y), top + lines))
        self._paging = True  # the caret moves by the page itself, not by being pushed on screen
        try:
            self.scroll_to(y=target, animate=False, immediate=True)
        finally:
            self._paging = False
        self.move_lines(lines, skip_blank=False)

    def action_caret_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        self.move_caret(0)

    def action_caret_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        last = self._line_table[-1].start if self._line_table else len(self._body)
        self.move_caret(last)

    def action_toggle_selection(self) -> None:
        if self._cursor.anchor is None:
            self.start_selection()
        else:
            self.clear_selection()

    def action_swap_selection_ends(self) -> None:
        target = self._cursor.swap_ends()
        if target is not None:
            self.move_caret(target)

    def _keep_caret_on_screen(self) -> None:
        """Scrolling (wheel, scrollbar, page keys) never leaves the caret off screen."""
        height = self.scrollable_content_region.height
        if not self._line_table or height <= 0 or self._paging:
            return
        target = self._cursor.on_screen_target(int(self.scroll_offset.y), height)
        if target is not None:
            self.move_caret(target, follow=False, keep_goal=True)

    # -- geometry ----------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        measure = getattr(self.app, "reading_width", MAX_MEASURE)  # the config's reading_width
        return max(8, min(measure, self.scrollable_content_region.width - GUTTER - 1))

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width > 0 and self.text_width != self._wrapped_width:
            top = self.top_offset()
            self._rewrap()
            self.scroll_to_offset(top, animate=False, top=True)
            self.post_message(self.Scrolled(self.top_offset()))  # lines moved: margins re-align

    def on_mount(self) -> None:
        if self.scrollable_content_region.width > 0:  # else the first Resize wraps (once)
            self._rewrap()

    def _rewrap(self) -> None:
        width = self.text_width
        lines = wrap_blocks(self._para_list, self._para_break, self._structure.hangs, width)
        self._line_table = lines
        self._line_starts = [ln.start for ln in lines]
        self._wrapped_width = width
        self._gutter_by_line = None
        self._strip_cache.clear()
        self.virtual_size = Size(width + GUTTER + 1, len(lines))
        self.refresh()

    @property
    def line_count(self) -> int:
        return len(self._line_table)

    @property
    def lines(self) -> list[Line]:
        """The line table of the current width (read it, never change it)."""
        return self._line_table

    @property
    def blocks(self) -> list[tuple[int, str]]:
        """The drawn layout blocks as (start offset, text)."""
        return self._para_list

    @property
    def block_starts(self) -> list[int]:
        return self._para_starts

    def line_of(self, offset: int) -> int:
        """Index of the line that shows character `offset` (or the closest one)."""
        if not self._line_table:
            return 0
        i = max(0, bisect_right(self._line_starts, offset) - 1)
        if self._line_table[i].para == -1 and i + 1 < len(self._line_table):
            i += 1
        return i

    def line_span(self, index: int) -> tuple[int, int]:
        ln = self._line_table[index]
        return ln.start, ln.end

    def top_offset(self) -> int:
        """First character on the top visible line (the reading position)."""
        if not self._line_table:
            return 0
        y = min(int(self.scroll_offset.y), len(self._line_table) - 1)
        ln = self._line_table[y]
        if ln.para == -1 and y + 1 < len(self._line_table):
            ln = self._line_table[y + 1]
        return ln.start

    def visible_range(self) -> tuple[int, int]:
        """Character range shown on screen."""
        if not self._line_table:
            return 0, 0
        top = min(int(self.scroll_offset.y), len(self._line_table) - 1)
        bottom = min(top + self.scrollable_content_region.height, len(self._line_table)) - 1
        return self._line_table[top].start, self._line_table[max(top, bottom)].end

    def offset_at(self, x: int, y: int) -> int | None:
        """Character offset under widget-relative cell (x, y), or None outside the text."""
        index = int(self.scroll_offset.y) + y
        if not 0 <= index < len(self._line_table):
            return None
        ln = self._line_table[index]
        if ln.para == -1:
            return None
        col = x + int(self.scroll_offset.x) - GUTTER - cell_len(ln.hang)
        if col < 0:
            return ln.start
        cells = 0
        for i in range(ln.start, ln.end):
            cells += cell_len(self._body[i])
            if cells > col:
                return i
        return ln.end

    def scroll_to_offset(self, offset: int, *, animate: bool = False, top: bool = False,
                         center: bool = False) -> None:
        """Bring the line holding `offset` into view (at the top, centred, or minimally)."""
        if not self._line_table:
            return
        y = self.line_of(offset)
        height = max(1, self.scrollable_content_region.height)
        if top:
            target = y
        elif center:
            target = y - height // 2
        else:
            cur = int(self.scroll_offset.y)
            if cur <= y < cur + height:
                return
            margin = min(2, max(0, (height - 1) // 2))
            target = y - margin if y < cur else y - height + 1 + margin
        self.scroll_to(y=max(0, target), animate=animate, immediate=not animate)

    # -- rendering ---------------------------------------------------------------------

    def _invalidate_ranges(self, ranges: list[tuple[int, int]]) -> None:
        if not self._line_table or not ranges:
            return
        if len(ranges) > 200:
            self._strip_cache.clear()
            self.refresh()
            return
        for start, end in ranges:
            first = self.line_of(start)
            last = self.line_of(max(start, end - 1))
            for y in range(first, last + 1):
                self._strip_cache.discard(y)
            self.refresh_lines(first, last - first + 1)  # absolute, as ScrollView expects

    def _render_text_line(self, index: int) -> Strip:
        ln = self._line_table[index]
        width = self._wrapped_width + GUTTER + 1
        base = self.rich_style
        if ln.para == -1:
            return Strip.blank(width, base)
        shown = article_structure.with_glyphs(self._body[ln.start:ln.end], ln.start, self._glyph_offsets,
                                              self._structure.glyphs)
        text = Text(ln.hang + shown, end="", no_wrap=True)
        skip = len(ln.hang)  # the hang is drawn before the text and is not part of it
        for d in self._layers.for_block(ln.para):
            s, e = max(d.start, ln.start), min(d.end, ln.end)
            if s < e:
                text.stylize(self._style(d.style), skip + s - ln.start, skip + e - ln.start)
        if ln.hang == article_structure.QUOTE_HANG:
            text.stylize(self._style("article--quote"), 0, skip)
        at = self._cursor.offset
        if self.line_of(at) == index:
            caret = self._style("article--caret")
            if ln.start <= at < ln.end:
                text.stylize(caret, skip + at - ln.start, skip + at - ln.start + 1)
            else:  # after the last character of the line (a space or the paragraph's end)
                text.append(" ", style=caret)
        mark = self._gutter_lines().get(index)
        gutter = (Segment(mark[0].ljust(GUTTER)[:GUTTER], base + self._style(mark[1])) if mark
                  else Segment(" " * GUTTER, base))
        console = self.app.console
        segments = [gutter] + list(Segment.apply_style(text.render(console), base))
        return Strip(segments).extend_cell_length(width, base)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self._line_table):
            return Strip.blank(width, self.rich_style)
        strip = self._strip_cache.get(index)
        if strip is None:
            strip = self._render_text_line(index)
            self._strip_cache.set(index, strip)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._keep_caret_on_screen()
        top = self.top_offset()
        if top != self._last_top:
            self._last_top = top
            self.post_message(self.Scrolled(top))

    # -- mouse ---------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self._drag_from = self.offset_at(event.x, event.y)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None or not event.button:
            return
        here = self.offset_at(event.x, event.y)
        if here is None:
            return
        start, end = sorted((self._drag_from, here))
        self.set_layer("drag", [Decoration(start, end + 1, "article--drag")])

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()
        origin, self._drag_from = self._drag_from, None
        self.set_layer("drag", [])
        here = self.offset_at(event.x, event.y)
        if origin is None or here is None:
            return
        if here == origin:
            self.clear_selection()
            self.move_caret(here, follow=False)
            self.post_message(self.Clicked(here))
        else:
            ends = self._cursor.dragged(origin, here)
            if ends is not None:
                self.select(*ends)
