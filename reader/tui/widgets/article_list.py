"""The library list: two lines per article, drawn on demand with the Line API.

Textual's OptionList re-measures every option whenever one changes, which costs about a
second at 10,000 articles; a library fed by subscriptions grows that large. Rows here have a
fixed height, so only the visible lines are ever built, and the rows themselves come from a
`fetch(offset, limit)` callback a page at a time (a bounded cache keeps the last pages): at
100,000 articles the list never holds more than a few pages. Row prompts are plain `Text`
(never markup). The small OptionList-like surface (`option_count`, `get_option_at_index`,
`highlighted`, `highlighted_option`) keeps screens and tests simple.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

ROW_HEIGHT = 2
PAGE_ROWS = 64
CACHED_PAGES = 8

Fetch = Callable[[int, int], list[tuple[str, Text]]]
"""`fetch(offset, limit)`: (id, prompt) of rows offset..offset+limit-1."""


@dataclass(frozen=True)
class Row:
    id: str
    prompt: Text


class ArticleList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    ArticleList { background: $surface; }
    ArticleList > .article-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    ArticleList:blur > .article-list--cursor { background: $block-cursor-blurred-background; }
    """
    COMPONENT_CLASSES = {"article-list--cursor"}
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="library.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="library.up"),
        Binding("g,home", "first", "First", show=False, id="library.first"),
        Binding("G,end", "last", "Last", show=False, id="library.last"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="library.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="library.page_up"),
    ]

    class Selected(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._count = 0
        self._fetch: Fetch = lambda offset, limit: []
        self._pages: OrderedDict[int, list[tuple[str, Text]]] = OrderedDict()
        self._highlighted: int | None = None

    # -- content -----------------------------------------------------------------------

    def set_rows(self, count: int, fetch: Fetch, highlight: int | None = 0) -> None:
        """Show `count` rows fetched a page at a time; the cursor goes to row `highlight`
        (scrolled into view only if it is not on screen, so a reload keeps the scroll)."""
        self._count = count
        self._fetch = fetch
        self._pages.clear()
        self.virtual_size = Size(self.size.width, ROW_HEIGHT * count)
        if count:
            highlight = max(0, min(highlight or 0, count - 1))
        else:
            highlight = None
        self._highlighted = highlight
        self.refresh()
        if highlight is not None:
            self.call_after_refresh(self._scroll_to_cursor)

    def set_count(self, count: int) -> None:
        """The same rows, now known to be `count` (a count finished after the first page)."""
        self._count = count
        self.virtual_size = Size(self.size.width, ROW_HEIGHT * count)
        if self._highlighted is not None and self._highlighted >= count:
            self.highlighted = count - 1 if count else None
        self.refresh()

    def invalidate(self) -> None:
        """Fetch every row again when next drawn (their text changed, not their order)."""
        self._pages.clear()
        self.refresh()

    def refresh_row(self, index: int) -> None:
        """Rebuild one row's prompt (e.g. its unread marker changed)."""
        self._pages.pop(index // PAGE_ROWS, None)
        self.refresh_lines(index * ROW_HEIGHT, ROW_HEIGHT)  # absolute: ScrollView subtracts the scroll

    @property
    def option_count(self) -> int:
        return self._count

    def get_option_at_index(self, index: int) -> Row:
        if not 0 <= index < self._count:
            raise IndexError(index)
        row_id, prompt = self._row(index)
        return Row(row_id, prompt)

    def id_at(self, index: int) -> str:
        return self._row(index)[0]

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and self._count:
            index = max(0, min(index, self._count - 1))
        old, self._highlighted = self._highlighted, index
        for i in (old, index):
            if i is not None:
                self.refresh_lines(i * ROW_HEIGHT, ROW_HEIGHT)
        self._scroll_to_cursor()

    @property
    def highlighted_option(self) -> Row | None:
        if self._highlighted is None or not self._count:
            return None
        return self.get_option_at_index(self._highlighted)

    def _row(self, index: int) -> tuple[str, Text]:
        number, at = divmod(index, PAGE_ROWS)
        rows = self._pages.get(number)
        if rows is None:
            rows = self._fetch(number * PAGE_ROWS, PAGE_ROWS)
            self._pages[number] = rows
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        # a row deleted since the count was taken: blank, until the next reload
        return rows[at] if at < len(rows) else ("", Text(""))

    # -- rendering ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line_no = int(self.scroll_offset.y) + y
        index, part = divmod(line_no, ROW_HEIGHT)
        base = self.rich_style
        if index >= self._count:
            return Strip.blank(width, base)
        lines = self._row(index)[1].split("\n", allow_blank=True)
        text = lines[part].copy() if part < len(lines) else Text("")
        text.truncate(max(1, width - 2), overflow="ellipsis")
        style = base
        if index == self._highlighted:
            style = base + self.get_component_rich_style("article-list--cursor")
        segments = [Segment(" ", style)] + list(Segment.apply_style(text.render(self.app.console), style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, ROW_HEIGHT * self._count)

    def _scroll_to_cursor(self) -> None:
        if self._highlighted is None:
            return
        top = self._highlighted * ROW_HEIGHT
        height = max(ROW_HEIGHT, self.scrollable_content_region.height)
        current = int(self.scroll_offset.y)
        if top < current:
            self.scroll_to(y=top, animate=False)
        elif top + ROW_HEIGHT > current + height:
            self.scroll_to(y=top + ROW_HEIGHT - height, animate=False)

    # -- keys and mouse ----------------------------------------------------------------

    def _move(self, delta: int) -> None:
        if not self._count:
            return
        current = self._highlighted if self._highlighted is not None else -1
        self.highlighted = current + delta

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        if self._count:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._count:
            self.highlighted = self._count - 1

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1))

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1))

    def action_select(self) -> None:
        if self._highlighted is not None and self._count:
            self.post_message(self.Selected(self.id_at(self._highlighted)))

    def on_click(self, event: events.Click) -> None:
        index = (int(self.scroll_offset.y) + event.y) // ROW_HEIGHT
        if 0 <= index < self._count:
            self.highlighted = index
            self.action_select()
