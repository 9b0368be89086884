"""The article view's layout: text blocks and the wrapped lines they become.

The body is cut into blocks (paragraphs; the structure's list items, quote lines and
headings; pieces of very long paragraphs) and each block is wrapped on its own into
`Line`s that remember their character offsets, so a screen row maps back into the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from reader.tui.widgets import article_structure
from reader.tui.widgets.wrap import wrap_offsets


@dataclass(frozen=True)
class Line:
    para: int  # paragraph index, -1 for the blank line between paragraphs
    start: int
    end: int
    hang: str = ""  # drawn before the text, not part of it (a list item's indent or bullet, a quote's bar)


def wrap_blocks(blocks: list[tuple[int, str]], breaks: list[bool], hangs: dict[int, str | tuple[str, str]],
                width: int) -> list[Line]:
    """The lines of `blocks` wrapped to `width` cells: a blank line before each block that
    begins with one, and a block's continuation lines indented by its hang (a pair: the
    first line's lead, then the continuation lines' hang)."""
    lines: list[Line] = []
    for index, (start, text) in enumerate(blocks):
        if index and breaks[index]:
            lines.append(Line(-1, start, start))
        hang = hangs.get(start, "")
        first, rest = hang if isinstance(hang, tuple) else ("", hang)
        for k, (s, e) in enumerate(wrap_offsets(text, width - max(cell_len(first), cell_len(rest)))):
            lines.append(Line(index, start + s, start + e, rest if k else first))
    return lines


def same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# Layout works on blocks of at most this many characters: a paragraph longer than that (a
# 5 MB article on one line) is cut at spaces into several blocks with no blank line between
# them, so wrapping, decoration lookup and repainting stay proportional to a block, not to
# the whole text.
BLOCK_CHARS = 2000


def layout_blocks(paragraphs: list[tuple[int, str]], structure: article_structure.StructureLayout | None = None,
                  ) -> tuple[list[tuple[int, str]], list[bool]]:
    """(start, text) blocks for layout and, for each, whether a blank line comes before it (it
    begins a real paragraph, or follows a heading). The structure's cuts (list items, quote
    lines, headings inside a paragraph) start blocks of their own."""
    if structure is not None and structure.cuts:
        pieces: list[tuple[int, str, bool]] = []
        for start, text in paragraphs:
            for k, (s, t) in enumerate(article_structure.split_at(start, text, structure.cuts)):
                pieces.append((s, t, k == 0 or s in structure.gaps))
    else:
        pieces = [(start, text, True) for start, text in paragraphs]
    blocks: list[tuple[int, str]] = []
    breaks: list[bool] = []
    for start, text, gap in pieces:
        if len(text) <= BLOCK_CHARS:
            blocks.append((start, text))
            breaks.append(gap)
            continue
        pos, first = 0, gap
        while pos < len(text):
            end = min(len(text), pos + BLOCK_CHARS)
            if end < len(text):
                cut = text.rfind(" ", pos + BLOCK_CHARS // 2, end)
                end = cut + 1 if cut > pos else end
            blocks.append((start + pos, text[pos:end]))
            breaks.append(first)
            pos, first = end, False
    return blocks, breaks
