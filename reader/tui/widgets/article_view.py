"""The article body as one Line-API scroll view.

A 20,000-word report must open in well under 150 ms and re-style a single mention in a few
milliseconds, which rules out one big Static or the Markdown widget. Following toolong,
the body is wrapped once per width into a line table (line → paragraph, start, end offsets);
each visible line is rendered on demand from the plain text plus *decorations* (styled
character ranges in named layers: entity highlights, notes, search matches, cursor,
selection) and cached. Changing one layer re-renders only the lines whose ranges changed.

Text is never parsed as markup: it goes into `rich.text.Text` as plain characters.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.library import split_paragraphs
from reader.tui.widgets.wrap import wrap_offsets

MAX_MEASURE = 96  # comfortable reading width, in cells
GUTTER = 2  # columns left of the text for note markers


@dataclass(frozen=True)
class Decoration:
    start: int
    end: int
    style: Style


@dataclass(frozen=True)
class Line:
    para: int  # paragraph index, -1 for the blank line between paragraphs
    start: int
    end: int


class ArticleView(ScrollView, can_focus=True):
    """Scrollable article body with offset-exact decorations."""

    DEFAULT_CSS = """
    ArticleView { background: $surface; scrollbar-gutter: stable; }
    """

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="reader.up"),
        Binding("space,pagedown,ctrl+f", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("pageup,shift+space,ctrl+b", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "End", show=False, id="reader.end"),
    ]

    class Clicked(Message):
        """A click on the text at character `offset`."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    class DragSelected(Message):
        """A mouse drag over the text from `start` to `end` (character offsets, end exclusive)."""

        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

    class Scrolled(Message):
        """The top visible line changed; `offset` is the first character on it."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleView.Scrolled)

    def __init__(self, body: str = "", *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._body = ""
        self._para_list: list[tuple[int, str]] = []  # layout blocks (see `layout_blocks`)
        self._para_break: list[bool] = []
        self._para_starts: list[int] = []
        self._line_table: list[Line] = []
        self._line_starts: list[int] = []
        self._wrapped_width = -1
        self._deco_layers: dict[str, list[Decoration]] = {}
        self._deco_order: list[str] = []
        # per layer, its decorations by layout block: changing one layer (the cursor) never
        # re-sorts another (100,000 entity highlights)
        self._layer_blocks: dict[str, dict[int, list[Decoration]]] = {}
        self._strip_cache: dict[int, Strip] = {}
        self._gutter_marks: dict[int, tuple[str, Style]] = {}
        self._gutter_by_line: dict[int, tuple[str, Style]] | None = None
        self._drag_from: int | None = None
        self._last_top = -1
        self.set_body(body)

    # -- content -----------------------------------------------------------------------

    @property
    def body(self) -> str:
        return self._body

    def set_body(self, body: str) -> None:
        self._body = body
        self._para_list, self._para_break = layout_blocks(split_paragraphs(body))
        self._para_starts = [s for s, _ in self._para_list]
        self._wrapped_width = -1
        self._layer_blocks = {}
        self._strip_cache.clear()
        if self.is_mounted:
            self._rewrap()

    def set_layer(self, name: str, decorations: list[Decoration], *, order: int | None = None) -> None:
        """Replace one decoration layer; later layers are applied over earlier ones."""
        old = self._deco_layers.get(name, [])
        self._deco_layers[name] = decorations
        if name not in self._deco_order:
            if order is None:
                self._deco_order.append(name)
            else:
                self._deco_order.insert(order, name)
        self._layer_blocks.pop(name, None)
        changed = _changed_ranges(old, decorations)
        self._invalidate_ranges(changed)

    def decorations(self, name: str) -> list[Decoration]:
        return self._deco_layers.get(name, [])

    def set_gutter_marks(self, marks: dict[int, tuple[str, Style]]) -> None:
        """Markers left of the text (e.g. notes), keyed by the character offset they belong to."""
        self._gutter_marks = dict(marks)
        self._gutter_by_line = None
        self._strip_cache.clear()
        self.refresh()

    def _gutter_lines(self) -> dict[int, tuple[str, Style]]:
        if self._gutter_by_line is None:
            self._gutter_by_line = {}
            for offset, mark in sorted(self._gutter_marks.items()):
                self._gutter_by_line.setdefault(self.line_of(offset), mark)
        return self._gutter_by_line

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

    def on_mount(self) -> None:
        if self.scrollable_content_region.width > 0:  # else the first Resize wraps (once)
            self._rewrap()

    def _rewrap(self) -> None:
        width = self.text_width
        lines: list[Line] = []
        for index, (start, text) in enumerate(self._para_list):
            if index and self._para_break[index]:
                lines.append(Line(-1, start, start))
            for s, e in wrap_offsets(text, width):
                lines.append(Line(index, start + s, start + e))
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
        col = x + int(self.scroll_offset.x) - GUTTER
        if col < 0:
            return ln.start
        cells = 0
        from rich.cells import cell_len

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
            target = y - 2 if y < cur else y - height + 3
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
                self._strip_cache.pop(y, None)
            self.refresh_lines(first - int(self.scroll_offset.y), last - first + 1)

    def _layer_by_block(self, name: str) -> dict[int, list[Decoration]]:
        blocks = self._layer_blocks.get(name)
        if blocks is None:
            blocks = {}
            starts, last_block = self._para_starts, len(self._para_list) - 1
            for d in self._deco_layers.get(name, ()):
                if d.end <= d.start:
                    continue
                first = max(0, bisect_right(starts, d.start) - 1)
                last = max(0, bisect_right(starts, d.end - 1) - 1)
                for p in range(first, min(last, last_block) + 1):
                    blocks.setdefault(p, []).append(d)
            self._layer_blocks[name] = blocks
        return blocks

    def _block_decorations(self, block: int) -> list[Decoration]:
        """The decorations touching one layout block, in layer order (later layers on top)."""
        out: list[Decoration] = []
        for name in self._deco_order:
            out.extend(self._layer_by_block(name).get(block, ()))
        return out

    def _render_text_line(self, index: int) -> Strip:
        ln = self._line_table[index]
        width = self._wrapped_width + GUTTER + 1
        base = self.rich_style
        if ln.para == -1:
            return Strip.blank(width, base)
        text = Text(self._body[ln.start:ln.end], end="", no_wrap=True)
        for d in self._block_decorations(ln.para):
            s, e = max(d.start, ln.start), min(d.end, ln.end)
            if s < e:
                text.stylize(d.style, s - ln.start, e - ln.start)
        mark = self._gutter_lines().get(index)
        gutter = Segment(mark[0].ljust(GUTTER)[:GUTTER], base + mark[1]) if mark else Segment(" " * GUTTER, base)
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
            self._strip_cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
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
        self.set_layer("drag", [Decoration(start, end + 1, Style(reverse=True))])

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.release_mouse()
        origin, self._drag_from = self._drag_from, None
        self.set_layer("drag", [])
        here = self.offset_at(event.x, event.y)
        if origin is None or here is None:
            return
        if here == origin:
            self.post_message(self.Clicked(here))
        else:
            start, end = sorted((origin, here))
            self.post_message(self.DragSelected(start, end + 1))


# Layout works on blocks of at most this many characters: a paragraph longer than that (a
# 5 MB article on one line) is cut at spaces into several blocks with no blank line between
# them, so wrapping, decoration lookup and repainting stay proportional to a block, not to
# the whole text.
BLOCK_CHARS = 2000


def layout_blocks(paragraphs: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[bool]]:
    """(start, text) blocks for layout and, for each, whether it begins a real paragraph."""
    blocks: list[tuple[int, str]] = []
    breaks: list[bool] = []
    for start, text in paragraphs:
        if len(text) <= BLOCK_CHARS:
            blocks.append((start, text))
            breaks.append(True)
            continue
        pos, first = 0, True
        while pos < len(text):
            end = min(len(text), pos + BLOCK_CHARS)
            if end < len(text):
                cut = text.rfind(" ", pos + BLOCK_CHARS // 2, end)
                end = cut + 1 if cut > pos else end
            blocks.append((start + pos, text[pos:end]))
            breaks.append(first)
            pos, first = end, False
    return blocks, breaks


def _changed_ranges(old: list[Decoration], new: list[Decoration]) -> list[tuple[int, int]]:
    """Character ranges whose styling differs between two decoration lists."""
    old_set, new_set = set(old), set(new)
    return [(d.start, d.end) for d in (old_set ^ new_set)]
