"""The notes margin: beside the article, the notes of the passages on screen, each starting on
the row of its passage (pushed down when the one above needs the room). Neighbouring notes
alternate their bar and tint, as their passages do in the text, so two adjacent notes never
read as one; the current note (under the caret, or reached with ]/[) is shown in full."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.text import Text
from textual.cache import LRUCache
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from reader.tui.widgets.article_view import component_style
from reader.tui.widgets.note_display import margin_lines


@dataclass(frozen=True)
class PlacedNote:
    row: int  # the screen row of the passage's first line (may be < 0: starts above the view)
    note: object
    alt: bool  # every other note in reading order
    current: bool


class NotesMargin(Widget):
    """The margin owns nothing about notes but what it is given: `placed`, a reactive the
    reader screen binds to its own (`data_bind`), so the screen never reaches into it."""

    placed: reactive[list[PlacedNote]] = reactive(list, init=False)

    COMPONENT_CLASSES = {"notes-margin--bar", "notes-margin--bar-alt", "notes-margin--current",
                         "notes-margin--text"}
    DEFAULT_CSS = """
    NotesMargin { width: 30; height: 1fr; background: $surface;
        padding: 0 1 0 1; border-left: vkey $panel-lighten-2; }
    NotesMargin > .notes-margin--bar { color: $warning; text-style: bold; }
    NotesMargin > .notes-margin--bar-alt { color: $warning 55%; text-style: bold; }
    NotesMargin > .notes-margin--current { background: $warning 20%; }
    NotesMargin > .notes-margin--text { color: $foreground; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[tuple[Text, str, bool]] = []  # (text, bar class, current)
        self._cache: LRUCache[int, Strip] = LRUCache(256)
        self._laid_out_for: tuple | None = None

    def place(self, placed: list[PlacedNote]) -> None:
        """Show these notes (in reading order, rows relative to the top of the article view)."""
        self.placed = placed

    def watch_placed(self, placed: list[PlacedNote]) -> None:
        self._laid_out_for = None
        self.refresh()

    @property
    def lines(self) -> list[str]:
        """What the margin shows, row by row (plain text; for tests and the bench)."""
        self._layout()
        return [text.plain for text, _bar, _cur in self._rows]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_resize(self) -> None:
        self._laid_out_for = None

    def _layout(self) -> None:
        width = max(4, self.content_region.width - 2)
        height = self.content_region.height
        key = (width, height, id(self.placed))
        if self._laid_out_for == key:
            return
        self._laid_out_for = key
        self._cache.clear()
        rows: list[tuple[Text, str, bool]] = [(Text(), "", False) for _ in range(max(0, height))]
        next_free = 0
        console = self.app.console
        for p in self.placed:
            start = max(p.row, next_free, 0)
            if start >= height:
                break
            bar = "notes-margin--bar-alt" if p.alt else "notes-margin--bar"
            wrapped: list[Text] = []
            for line in margin_lines(p.note, full=p.current):
                wrapped.extend(line.wrap(console, width, overflow="fold"))
            for i, text in enumerate(wrapped):
                if start + i >= height:
                    break
                rows[start + i] = (text, bar, p.current)
            next_free = start + len(wrapped)
        self._rows = rows

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = self.content_region.width
        base = self.rich_style
        if y >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._cache.get(y)
        if strip is None:
            text, bar, current = self._rows[y]
            if not bar:
                strip = Strip.blank(width, base)
            else:
                style = base + component_style(self, "notes-margin--text")
                if current:
                    style += component_style(self, "notes-margin--current")
                mark = "┃ " if bar.endswith("alt") else "▌ "
                segments = [Segment(mark, base + component_style(self, bar))]
                segments += list(Segment.apply_style(text.render(self.app.console), style))
                strip = Strip(segments).extend_cell_length(width, style if current else base).crop(0, width)
            self._cache.set(y, strip)
        return strip


def note_style_classes(alt: bool, current: bool) -> str:
    """The ArticleView component class for a noted passage."""
    if current:
        return "article--note-current"
    return "article--note-alt" if alt else "article--note"

