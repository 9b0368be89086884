"""Word-wrapping that keeps character offsets, so a screen cell maps back into the article.

Rich's own wrapping returns styled lines but loses where each line starts in the source;
notes, mentions and mouse clicks all need that mapping, so we wrap ourselves.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_WORD_RE = re.compile(r"\S+\s*|\s+")


_NOT_PLAIN_RE = re.compile(r"[^\x20-\x7e\t\n]")
_NON_SPACE_RE = re.compile(r"\S")


def _wrap_plain(text: str, width: int) -> list[tuple[int, int]]:
    """`wrap_offsets` for printable ASCII not starting with whitespace (every character one
    cell), a few C-level searches per line instead of Python work per word: what makes a
    5 MB paragraph wrap in a fraction of a second. Gives exactly the same lines."""
    n = len(text.rstrip())
    lines: list[tuple[int, int]] = []
    p = 0
    while p < n:
        q = p + width
        if q >= n:
            lines.append((p, n))
            break
        j = max(text.rfind(" ", p + 1, q + 1), text.rfind("\n", p + 1, q + 1), text.rfind("\t", p + 1, q + 1))
        if j < 0:  # the word at p is longer than the line: hard-split it
            lines.append((p, q))
            p = q
            continue
        end = j
        while end > p and text[end - 1] in " \n\t":
            end -= 1
        lines.append((p, end))
        m = _NON_SPACE_RE.search(text, j)
        p = m.start() if m is not None else n
    return lines or [(0, 0)]


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped to `width` cells; trailing spaces excluded."""
    width = max(1, width)
    if text and text.isascii() and not text[0].isspace() and _NOT_PLAIN_RE.search(text) is None:
        return _wrap_plain(text, width)
    lines: list[tuple[int, int]] = []
    line_start = 0
    line_cells = 0
    line_end = 0  # end of the last word on the line, without trailing space
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        stripped = word.rstrip()
        w_cells = cell_len(stripped) if not stripped.isascii() else len(stripped)
        start = m.start()
        if not stripped:  # leading whitespace of the paragraph
            continue
        if line_cells and line_cells + w_cells > width:
            lines.append((line_start, line_end))
            line_start, line_cells = start, 0
        if w_cells > width:  # a word longer than the line: hard-split it
            pos = start
            end = start + len(stripped)
            while pos < end:
                cells, cut = 0, pos
                while cut < end and cells + cell_len(text[cut]) <= width - line_cells:
                    cells += cell_len(text[cut])
                    cut += 1
                if cut == pos:  # a single wide character on a 1-cell line
                    cut = pos + 1
                    cells = cell_len(text[pos])
                if cut < end:
                    lines.append((line_start if line_cells else pos, cut))
                    line_start, line_cells = cut, 0
                else:
                    line_cells += cells
                    line_end = cut
                pos = cut
            line_cells += len(word) - len(stripped)
            continue
        line_cells += w_cells + (len(word) - len(stripped))
        line_end = start + len(stripped)
    if line_cells or not lines:
        lines.append((line_start, line_end if line_cells else line_start))
    return lines
