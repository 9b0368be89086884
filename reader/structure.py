"""Document structure beside the plain body: headings, emphasis, lists, block quotes, links.

An article's stored `body` is plain text (`reader.articles.markdown_to_text`), and every
offset in the system (notes, mentions, the reading position) points into it, so the body
never changes shape. What the Markdown said about the text is kept beside it as *spans*:
character ranges of the plain body with a kind, stored as JSON (``[start, end, kind,
value]``) in ``articles.spans``. The reader draws them as one more style layer.

Kinds: ``heading`` (value: the level, "1"-"6"), ``em``, ``strong``, ``link`` (value: the
href), ``item`` (a list item), ``quote`` (one line of a block quote) and ``marker`` (the
``-``/``*``/``+``/``>`` characters that begin an item or quote line and are still in the
body: a reader may draw them as a bullet or a bar, but they stay characters of the text).

`markdown_spans` works out where each source line landed in the plain body; when that
cannot be done exactly, it returns no spans rather than misplaced ones.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

KINDS = ("heading", "em", "strong", "link", "item", "quote", "marker")

# The edits `reader.articles.markdown_to_text` makes to each line, in its order; the spans
# follow the same edits so they land on exactly the characters that remain.
LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
EMPH_RE = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)")
HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")

_LINK_HREF_RE = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
_ITEM_RE = re.compile(r"^\s{0,3}([-*+]|\d{1,9}[.)])\s+\S")
_QUOTE_RE = re.compile(r"^\s{0,3}(>)")
_TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    value: str = ""

    def shifted(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta, self.kind, self.value)


def spans_to_json(spans: list[Span]) -> str:
    return json.dumps([[s.start, s.end, s.kind, s.value] for s in spans], ensure_ascii=False)


def spans_from_json(raw: str | None) -> list[Span]:
    """Spans stored in a row; anything malformed is dropped (structure is only decoration)."""
    if not raw:
        return []
    try:
        rows = json.loads(raw)
    except ValueError:
        return []
    out = []
    for row in rows if isinstance(rows, list) else ():
        if (isinstance(row, list) and len(row) == 4 and isinstance(row[0], int) and isinstance(row[1], int)
                and row[0] < row[1] and row[2] in KINDS and isinstance(row[3], str)):
            out.append(Span(row[0], row[1], row[2], row[3]))
    return out


def _line_spans(line: str) -> tuple[list[int], list[tuple[int, int, str, str]]]:
    """The source indices of the characters `markdown_to_text` keeps from one line, and the
    line's spans in source-index coordinates (start, end, kind, value)."""
    spans: list[tuple[int, int, str, str]] = []
    h = HEADING_RE.match(line)
    if h:
        kept = list(range(h.start(1), h.end(1)))
        level = len(line.lstrip()) - len(line.lstrip().lstrip("#"))
        spans.append((h.start(1), h.end(1), "heading", str(level)))
    else:
        kept = list(range(len(line)))
        item = _ITEM_RE.match(line)
        quote = _QUOTE_RE.match(line) if item is None else None
        if item:
            spans.append((item.start(1), len(line), "item", ""))
            if item.group(1) in "-*+":
                spans.append((item.start(1), item.end(1), "marker", ""))
        elif quote:
            spans.append((quote.start(1), len(line), "quote", ""))
            spans.append((quote.start(1), quote.end(1), "marker", ""))
    # links, then emphasis, each on the text left by the previous edit (as markdown_to_text)
    current = "".join(line[i] for i in kept)
    new_kept: list[int] = []
    pos = 0
    for m in LINK_RE.finditer(current):
        new_kept.extend(kept[pos:m.start()])
        inner = kept[m.start(1):m.end(1)]
        new_kept.extend(inner)
        href = _LINK_HREF_RE.match(m.group(0))
        if inner and not m.group(0).startswith("!"):
            spans.append((inner[0], inner[-1] + 1, "link", href.group(2).strip() if href else ""))
        pos = m.end()
    new_kept.extend(kept[pos:])
    kept = new_kept
    current = "".join(line[i] for i in kept)
    new_kept, pos = [], 0
    for m in EMPH_RE.finditer(current):
        group = 2 if m.group(2) is not None else 3
        new_kept.extend(kept[pos:m.start()])
        inner = kept[m.start(group):m.end(group)]
        new_kept.extend(inner)
        if inner:
            spans.append((inner[0], inner[-1] + 1, "strong" if group == 2 else "em", ""))
        pos = m.end()
    new_kept.extend(kept[pos:])
    kept = new_kept
    while kept and line[kept[-1]].isspace():  # rstrip
        kept.pop()
    return kept, spans


def markdown_spans(md: str, body: str) -> list[Span]:
    """Spans of `body` (which must be ``markdown_to_text(md)``; a caller that then cuts the
    start of the body off uses `trim_spans`) for the structure of the Markdown `md`.

    Each source line's words appear in the body in order, separated by whitespace, so a
    cursor walks the body line by line; a line whose words are not where expected means the
    body was not made from this source, and no spans are returned.
    """
    out: list[Span] = []
    cursor, n = 0, len(body)
    for line in md.split("\n"):
        plain_markers = "#" in line or "*" in line or "_" in line or "[" in line or ">" in line
        if not plain_markers and not _ITEM_RE.match(line):
            words = line.split()
            if not words:
                continue
            collapsed = " ".join(words)
            while cursor < n and body[cursor].isspace():
                cursor += 1
            if not body.startswith(collapsed, cursor):
                return []
            cursor += len(collapsed)
            continue
        kept, spans = _line_spans(line)
        plain = "".join(line[i] for i in kept)
        tokens = list(_TOKEN_RE.finditer(plain))
        if not tokens:
            continue
        collapsed = " ".join(t.group(0) for t in tokens)
        while cursor < n and body[cursor].isspace():
            cursor += 1
        if not body.startswith(collapsed, cursor):
            return []
        # plain-line position -> body offset: whitespace runs collapse to one space
        starts = [t.start() for t in tokens]
        bases, at = [], cursor
        for t in tokens:
            bases.append(at)
            at += t.end() - t.start() + 1

        def body_offset(p: int) -> int | None:
            k = bisect_right(starts, p) - 1
            if k < 0 or p >= tokens[k].end():
                return None  # whitespace, collapsed away
            return bases[k] + p - starts[k]

        cursor += len(collapsed)
        for start, end, kind, value in spans:
            p0, p1 = bisect_left(kept, start), bisect_left(kept, end) - 1
            first = last = None
            while p0 <= p1 and (first := body_offset(p0)) is None:
                p0 += 1
            while p1 >= p0 and (last := body_offset(p1)) is None:
                p1 -= 1
            if first is not None and last is not None and p0 <= p1:
                out.append(Span(first, last + 1, kind, value))
    return sorted(out, key=lambda s: (s.start, -s.end, KINDS.index(s.kind)))


def sort_spans(spans: list[Span]) -> list[Span]:
    """Spans in reading order (the order `markdown_spans` returns), each once."""
    order = {k: i for i, k in enumerate(KINDS)}
    keyed = {(s.start, -s.end, order[s.kind], s.value): s for s in spans}
    return [keyed[k] for k in sorted(keyed)]


def trim_spans(spans: list[Span], cut: int) -> list[Span]:
    """Spans of a body whose first `cut` characters were removed."""
    return [s.shifted(-cut) for s in spans if s.start >= cut]
