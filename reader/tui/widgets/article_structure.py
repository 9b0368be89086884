"""How the article view draws an article's structure (`reader.structure` spans).

Headings, emphasis, links and quotes become one more decoration layer under everything else
(entity highlights, notes and the selection are drawn over them). List items and quote lines
start a new line of their own, their continuation lines hang under the text, and the ``-`` or
``>`` that begins them is drawn as a bullet or a bar. Every one of these is a way of drawing
the same characters: the text and its offsets do not change, so a note made on emphasised or
listed text quotes exactly the stored body.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rich.style import Style

from reader.structure import Span

# one cell each, like the ASCII they stand for, so a screen column still maps to an offset
GLYPHS = {"-": "\u2022", "*": "\u2022", "+": "\u2022", ">": "\u258c"}
QUOTE_HANG = "\u258c "
BULLET_LEAD = ("\u2022 ", "  ")  # an HTML list item: a bullet drawn before its first line, not a character of it
_MARKER_RE = re.compile(r"[-*+]|\d{1,9}[.)]")

STYLES: dict[str, Style | str] = {
    "heading": "article--heading",
    "em": Style(italic=True),
    "strong": Style(bold=True),
    "link": "article--link",
    "quote": "article--quote",
}

CSS = """
ArticleView > .article--heading { color: $text-primary; text-style: bold; }
ArticleView > .article--link { color: $text-secondary; text-style: underline; }
ArticleView > .article--quote { color: $text-muted; text-style: italic; }
"""


@dataclass
class StructureLayout:
    """What the spans change in the layout: where a new line must start (`cuts`), which of
    those get a blank line before them (`gaps`), what continuation lines of a block starting
    at an offset are indented with (`hangs`; a pair is (first line, continuation lines), for
    blocks whose marker is not in the text) and which characters are drawn as another glyph
    (`glyphs`, offset → character)."""

    cuts: list[int] = field(default_factory=list)
    gaps: set[int] = field(default_factory=set)
    hangs: dict[int, str | tuple[str, str]] = field(default_factory=dict)
    glyphs: dict[int, str] = field(default_factory=dict)


def structure_layout(body: str, spans: list[Span]) -> StructureLayout:
    layout = StructureLayout()
    cuts: set[int] = set()
    for s in spans:
        if s.kind == "heading":
            cuts.update((s.start, s.end))
            layout.gaps.update((s.start, s.end))
        elif s.kind == "item":
            cuts.add(s.start)
            marker = body[s.start:s.end].split(" ", 1)[0]
            if _MARKER_RE.fullmatch(marker):
                layout.hangs[s.start] = " " * (len(marker) + 1)
            else:  # an HTML list item has no marker in the text: draw one before it
                layout.hangs[s.start] = BULLET_LEAD
        elif s.kind == "quote":
            cuts.add(s.start)
            # the bar continues the one drawn for ">"; an HTML quote has no ">" to draw
            layout.hangs[s.start] = QUOTE_HANG if body.startswith(">", s.start) else (QUOTE_HANG, QUOTE_HANG)
        elif s.kind == "marker" and s.end == s.start + 1 and body[s.start] in GLYPHS:
            layout.glyphs[s.start] = GLYPHS[body[s.start]]
    # a cut at the very end of a heading that ends its paragraph changes nothing; cuts on
    # whitespace would start a line with a space: move them to the next word
    out = set()
    for c in cuts:
        while c < len(body) and body[c] == " ":
            c += 1
        if c < len(body) and body[c] != "\n":
            out.add(c)
    layout.gaps = {g for g in (_skip_spaces(body, g) for g in layout.gaps) if g in out}
    layout.cuts = sorted(out)
    return layout


def _skip_spaces(body: str, offset: int) -> int:
    while offset < len(body) and body[offset] == " ":
        offset += 1
    return offset


def structure_decorations(spans: list[Span]) -> list[tuple[int, int, Style | str]]:
    """(start, end, style) for the spans drawn as styles."""
    return [(s.start, s.end, STYLES[s.kind]) for s in spans if s.kind in STYLES]


def with_glyphs(text: str, start: int, offsets: list[int], glyphs: dict[int, str]) -> str:
    """`text` (the body from `start`) with its marker characters drawn as their glyphs;
    `offsets` are the keys of `glyphs`, sorted."""
    i = bisect_left(offsets, start)
    if i == len(offsets) or offsets[i] >= start + len(text):
        return text
    chars = list(text)
    while i < len(offsets) and offsets[i] < start + len(text):
        chars[offsets[i] - start] = glyphs[offsets[i]]
        i += 1
    return "".join(chars)


def split_at(start: int, text: str, cuts: list[int]) -> list[tuple[int, str]]:
    """A paragraph (start, text) cut into pieces at the offsets in `cuts` inside it."""
    end = start + len(text)
    i = bisect_right(cuts, start)
    pieces, at = [], start
    while i < len(cuts) and cuts[i] < end:
        pieces.append((at, text[at - start:cuts[i] - start]))
        at = cuts[i]
        i += 1
    pieces.append((at, text[at - start:]))
    return [(s, t) for s, t in pieces if t.strip()]
