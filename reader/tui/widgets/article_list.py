"""The library list: two lines per article, drawn on demand with the Line API.

Textual's OptionList re-measures every option whenever one changes, which costs about a
second at 10,000 articles; a library fed by subscriptions grows that large. Rows here have a
fixed height, so only the visible lines are ever built. Row prompts are plain `Text`
(never markup). The small OptionList-like surface (`option_count`, `get_option_at_index`,
`highlighted`, `highlighted_option`) keeps screens and tests simple.
"""

from __future__ import annotations

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
        self._ids: list[str] = []
        self._make_prompt: Callable[[int], Text] = lambda i: Text()
        self._prompts: dict[int, Text] = {}
        self._highlighted: int | None = None

    # -- content -----------------------------------------------------------------------

    def set_rows(self, ids: list[str], make_prompt: Callable[[int], Text], keep: str | None = None) -> None:
        """Show these rows; prompts are built lazily by `make_prompt(index)`."""
        self._ids = list(ids)
        self._make_prompt = make_prompt
        self._prompts.clear()
        self.virtual_size = Size(self.size.width, ROW_HEIGHT * len(self._ids))
        index = self._ids.index(keep) if keep in self._ids else (0 if self._ids else None)
        self._highlighted = index
        self.refresh()
        if index is not None:
            self.call_after_refresh(self._scroll_to_cursor)

    def refresh_row(self, index: int) -> None:
        """Rebuild one row's prompt (e.g. its unread marker changed)."""
        self._prompts.pop(index, None)
        self.refresh_lines(index * ROW_HEIGHT, ROW_HEIGHT)  # absolute: ScrollView subtracts the scroll

    @property
    def option_count(self) -> int:
        return len(self._ids)

    def get_option_at_index(self, index: int) -> Row:
        return Row(self._ids[index], self._prompt(index))

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and self._ids:
            index = max(0, min(index, len(self._ids) - 1))
        old, self._highlighted = self._highlighted, index
        for i in (old, index):
            if i is not None:
                self.refresh_lines(i * ROW_HEIGHT, ROW_HEIGHT)
        self._scroll_to_cursor()

    @property
    def highlighted_option(self) -> Row | None:
        if self._highlighted is None or not self._ids:
            return None
        return self.get_option_at_index(self._highlighted)

    def _prompt(self, index: int) -> Text:
        prompt = self._prompts.get(index)
        if prompt is None:
            prompt = self._prompts[index] = self._make_prompt(index)
        return prompt

    # -- rendering ---------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line_no = int(self.scroll_offset.y) + y
        index, part = divmod(line_no, ROW_HEIGHT)
        base = self.rich_style
        if index >= len(self._ids):
            return Strip.blank(width, base)
        lines = self._prompt(index).split("\n", allow_blank=True)
        text = lines[part].copy() if part < len(lines) else Text("")
        text.truncate(max(1, width - 2), overflow="ellipsis")
        style = base
        if index == self._highlighted:
            style = base + self.get_component_rich_style("article-list--cursor")
        segments = [Segment(" ", style)] + list(Segment.apply_style(text.render(self.app.console), style))
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, ROW_HEIGHT * len(self._ids))

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
        if not self._ids:
            return
        current = self._highlighted if self._highlighted is not None else -1
        self.highlighted = current + delta

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        if self._ids:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._ids:
            self.highlighted = len(self._ids) - 1

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1))

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height // ROW_HEIGHT - 1))

    def action_select(self) -> None:
        if self._highlighted is not None and self._ids:
            self.post_message(self.Selected(self._ids[self._highlighted]))

    def on_click(self, event: events.Click) -> None:
        index = (int(self.scroll_offset.y) + event.y) // ROW_HEIGHT
        if 0 <= index < len(self._ids):
            self.highlighted = index
            self.action_select()
