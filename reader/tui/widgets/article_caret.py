"""The caret and the selection of an ArticleView, and where each motion takes them.

As Textual's TextArea keeps its selection apart from the widget that draws it (a `Selection`
plus a navigator that knows the document's lines), `ArticleCaret` holds the caret (a character
offset), the selection anchor and the goal column of vertical moves, and answers "where does
this motion go?" from the view's line table. It never draws, scrolls or posts messages: the
view (`ArticleView.move_caret`) does that with the offsets it returns.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Protocol

from rich.cells import cell_len

from reader import textnav
from reader.tui.widgets.article_layout import Line


class CaretLayout(Protocol):
    """What the caret reads from its view (ArticleView): the text and its line table."""

    @property
    def body(self) -> str: ...
    @property
    def lines(self) -> list[Line]: ...
    @property
    def blocks(self) -> list[tuple[int, str]]: ...
    @property
    def block_starts(self) -> list[int]: ...
    def line_of(self, offset: int) -> int: ...


class ArticleCaret:
    """Caret offset, selection anchor and goal column of one ArticleView."""

    # motions within the text, by the name the view's bindings use (`caret('word_end')`)
    MOTIONS = ("right", "left", "word_end", "word_start", "sentence_end", "sentence_start",
               "paragraph_end", "paragraph_start", "line_start", "line_end")

    def __init__(self, view: CaretLayout) -> None:
        self.view = view
        self.offset = 0
        self.anchor: int | None = None  # the selection runs from here to the caret (excluded)
        self.goal_column: int | None = None  # the column j/k keep while moving through lines

    @property
    def selecting(self) -> bool:
        return self.anchor is not None

    @property
    def selection(self) -> tuple[int, int] | None:
        """(start, end) from the anchor to the caret, or None when nothing is selected."""
        if self.anchor is None or self.anchor == self.offset:
            return None
        return min(self.anchor, self.offset), max(self.anchor, self.offset)

    def swap_ends(self) -> int | None:
        """Make the caret the anchor; returns the offset the caret goes to (the old anchor)."""
        if self.anchor is None:
            return None
        anchor, self.anchor = self.anchor, self.offset
        return anchor

    def dragged(self, origin: int, here: int) -> tuple[int, int] | None:
        """(anchor, caret) of a mouse drag from `origin` to `here` (the characters pressed and
        released on), or None when it covers only spaces."""
        # a drag released past the end of a line also covers the space or newline after it
        start, end = textnav.trim_span(self.view.body, *sorted((origin, here + 1) if here > origin
                                                               else (here, origin + 1)))
        if start >= end:
            return None
        return (start, end) if here >= origin else (end, start)

    # -- where the motions go ------------------------------------------------------------

    def target(self, motion: str) -> int | None:
        """The offset `motion` (one of MOTIONS) moves the caret to, or None for no move."""
        body, at = self.view.body, self.offset
        if motion == "right":
            return self._after_paragraph_gap(at + 1, True)
        if motion == "left":
            return self._after_paragraph_gap(at - 1, False)
        if motion in ("line_start", "line_end"):
            lines = self.view.lines
            if not lines:
                return None
            line = lines[self.view.line_of(at)]
            return line.start if motion == "line_start" else line.end
        step = {
            "word_end": textnav.next_word, "word_start": textnav.previous_word,
            "sentence_end": textnav.next_sentence_end, "sentence_start": textnav.previous_sentence_start,
            "paragraph_end": textnav.next_paragraph_end, "paragraph_start": textnav.previous_paragraph_start,
        }[motion]
        return step(body, at)

    def lines_target(self, count: int, *, skip_blank: bool = True) -> int | None:
        """The offset `count` lines down (or up) at the goal column (set on the first vertical
        move). With `skip_blank` (j/k) the blank lines between paragraphs do not count; page
        keys count screen rows."""
        lines = self.view.lines
        if not lines:
            return None
        if self.goal_column is None:
            self.goal_column = self.column(self.offset)
        here = self.view.line_of(self.offset)
        step = 1 if count > 0 else -1
        if skip_blank:
            target = here
            for _ in range(abs(count)):
                nxt = self.text_line(target + step, step)
                if nxt == target:
                    break
                target = nxt
        else:
            target = self.text_line(here + count, step)
        return self.offset_at_column(target, self.goal_column)

    def on_screen_target(self, top: int, height: int) -> int | None:
        """Where the caret goes when scrolling left it off the rows `top`…`top + height - 1`
        (the nearest text line on screen, same column), or None when it is on screen."""
        y = self.view.line_of(self.offset)
        if top <= y < top + height:
            return None
        column = self.goal_column if self.goal_column is not None else self.column(self.offset)
        target = self.text_line(top if y < top else top + height - 1, 1 if y < top else -1)
        return self.offset_at_column(target, column)

    # -- the line table, as the motions read it -----------------------------------------

    def _after_paragraph_gap(self, offset: int, forward: bool) -> int:
        """Step over the blank lines between paragraphs in one move."""
        blocks, starts = self.view.blocks, self.view.block_starts
        i = bisect_right(starts, offset) - 1
        if i < 0 or not blocks:
            return offset
        start, text = blocks[i]
        end = start + len(text)
        if offset <= end:
            return offset
        if forward:
            return starts[i + 1] if i + 1 < len(starts) else len(self.view.body)
        return end

    def column(self, offset: int) -> int:
        """The screen column of `offset` on its line (the hang included)."""
        line = self.view.lines[self.view.line_of(offset)]
        return cell_len(line.hang) + cell_len(self.view.body[line.start:max(line.start, min(offset, line.end))])

    def offset_at_column(self, index: int, column: int) -> int:
        line = self.view.lines[index]
        body = self.view.body
        cells = cell_len(line.hang)
        for i in range(line.start, line.end):
            cells += cell_len(body[i])
            if cells > column:
                return i
        return line.end

    def text_line(self, index: int, step: int) -> int:
        """The nearest line with text from `index` in direction `step` (skipping blank lines)."""
        lines = self.view.lines
        last = len(lines) - 1
        index = max(0, min(last, index))
        while 0 <= index <= last and lines[index].para == -1:
            index += step
        return max(0, min(last, index))
