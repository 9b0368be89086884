"""The structure of an HTML page as spans of its plain body (`reader.structure`).

The page parser (`reader.importers.html`) writes the page's text into one stream and tells a
`StructureRecorder` where each ``<h1>``-``<h6>``, ``<strong>``/``<b>``, ``<em>``/``<i>``,
``<a href>``, ``<li>`` and ``<blockquote>`` opened and closed in that stream. The stored body
is made from the stream by `sanitize` and `tidy_body`, which drop and collapse characters;
`stream_spans` follows both so that each span lands on exactly the characters that remain.
It never changes the body: it computes the body the same way and gives up (no spans) when
its own pieces do not add up to it, e.g. when an escape sequence or a combining accent
straddles a tag.

A page read by trafilatura has a body of its own; `align_spans` moves the spans of the
parser's body onto it paragraph by paragraph, only where a paragraph is the same text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from reader.articles import split_paragraphs, tidy_body
from reader.structure import Span, sort_spans
from reader.text import sanitize, sanitize_line

PARA = "\x00"  # the parser's paragraph break in the stream (two newlines in the text)

_INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "a": "link"}
_BLOCK = {"li": "item", "blockquote": "quote", **{f"h{n}": "heading" for n in range(1, 7)}}
_LISTS = {"ul", "ol", "menu"}
_TOKEN_RE = re.compile(r"\S+")
_MARKER_RE = re.compile(r"- ")  # what trafilatura's plain text puts before a list item
MAX_HREF = 2000
MAX_OPEN = 256  # deeper nesting is not followed (hostile pages nest thousands of unclosed tags)


@dataclass
class _Open:
    tag: str
    kind: str  # "" for a list, which only scopes its items
    value: str
    start: int


class StructureRecorder:
    """Where the structural elements of a page open and close in the parser's text stream.

    HTML in the wild leaves tags open and closes them out of order: an end tag closes the
    innermost open element of its name and everything opened inside it; a new ``<li>``
    closes the previous item of its list and a new heading the open heading; what is still
    open at the end closes there.
    """

    def __init__(self) -> None:
        self.open: list[_Open] = []
        self.open_tags: dict[str, int] = {}  # how many of each tag are open (an end tag of none is ignored at once)
        self.elements: list[tuple[int, int, str, str]] = []  # (start, end, kind, value)

    def start(self, tag: str, attrs: dict[str, str], pos: int) -> None:
        if tag not in _LISTS and tag not in _INLINE and tag not in _BLOCK:
            return
        if len(self.open) >= MAX_OPEN:
            return
        if tag in _LISTS:
            self._push(_Open(tag, "", "", pos))
            return
        kind = _INLINE.get(tag) or _BLOCK[tag]
        value = ""
        if tag == "a":
            href = sanitize_line(attrs.get("href", ""))
            if not href or href.startswith("#"):
                return  # an anchor or an in-page jump is not a link worth drawing
            value = href[:MAX_HREF]
            if self.open_tags.get("a"):  # links do not nest: a new one ends the last
                self._close_last(lambda o: o.tag == "a", pos)
        elif kind == "heading":
            value = tag[1]
            if any(self.open_tags.get(f"h{n}") for n in range(1, 7)):
                self._close_last(lambda o: o.kind == "heading", pos)
        elif kind == "item" and self.open_tags.get("li"):
            self._close_last(lambda o: o.kind == "item", pos, stop=lambda o: o.tag in _LISTS)
        self._push(_Open(tag, kind, value, pos))

    def end(self, tag: str, pos: int) -> None:
        if not self.open_tags.get(tag):
            return
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k].tag == tag:
                while len(self.open) > k:
                    self._close(self._pop(), pos)
                return

    def finish(self, pos: int) -> None:
        while self.open:
            self._close(self._pop(), pos)

    def _push(self, o: _Open) -> None:
        self.open.append(o)
        self.open_tags[o.tag] = self.open_tags.get(o.tag, 0) + 1

    def _pop(self) -> _Open:
        o = self.open.pop()
        self.open_tags[o.tag] -= 1
        return o

    def _close_last(self, match, pos: int, stop=lambda o: False) -> None:
        for k in range(len(self.open) - 1, -1, -1):
            if stop(self.open[k]):
                return
            if match(self.open[k]):
                while len(self.open) > k:
                    self._close(self._pop(), pos)
                return

    def _close(self, o: _Open, pos: int) -> None:
        if o.kind and pos > o.start:
            self.elements.append((o.start, pos, o.kind, o.value))


def stream_spans(stream: str, start: int, end: int, elements: list[tuple[int, int, str, str]],
                 body: str) -> list[Span]:
    """Spans of `body`, which must be the tidied, sanitised text of ``stream[start:end]``
    (`PARA` standing for a paragraph break), for the `elements` recorded in stream positions.
    Returns [] when the positions cannot be followed exactly."""
    inside = _merged([(max(a, start), min(b, end), kind, value) for a, b, kind, value in elements
                      if a < end and b > start])
    if not inside:
        return []
    cuts = sorted({p for a, b, _, _ in inside for p in (a, b)} | {start, end})
    # sanitise the pieces between tag positions one by one: where the pieces add up to the
    # text sanitised whole, each tag position has a place in the sanitised text
    pieces = [sanitize(stream[a:b].replace(PARA, "\n\n")) for a, b in zip(cuts, cuts[1:])]
    text = "".join(pieces)
    if text != sanitize(stream[start:end].replace(PARA, "\n\n")):
        return []
    at, where = 0, {cuts[0]: 0}
    for cut, piece in zip(cuts[1:], pieces):
        at += len(piece)
        where[cut] = at
    tidied, to_body = _tidy_map(text)
    if tidied != body:
        return []
    out = []
    for a, b, kind, value in inside:
        s, e = to_body.start(where[a]), to_body.end(where[b])
        out.extend(_per_paragraph(body, s, e, kind, value))
    return sort_spans(out)


def _merged(elements: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Elements of one kind and value that overlap become one (bold inside bold draws as bold):
    a page of unclosed tags then yields a span per paragraph and kind, not per tag and paragraph."""
    out: list[tuple[int, int, str, str]] = []
    last: dict[tuple[str, str], int] = {}  # (kind, value) → index in `out` of its latest element
    for a, b, kind, value in sorted(elements):
        k = last.get((kind, value))
        if k is not None and a < out[k][1]:
            if b > out[k][1]:
                out[k] = (out[k][0], b, kind, value)
            continue
        last[(kind, value)] = len(out)
        out.append((a, b, kind, value))
    return out


class _TidyMap:
    """Source positions of a text → positions in its `tidy_body`: each word keeps its place,
    the whitespace between words collapses to one space or a paragraph break."""

    def __init__(self) -> None:
        self.src_starts: list[int] = []
        self.src_ends: list[int] = []
        self.dst_starts: list[int] = []

    def add(self, src_start: int, src_end: int, dst_start: int) -> None:
        self.src_starts.append(src_start)
        self.src_ends.append(src_end)
        self.dst_starts.append(dst_start)

    def start(self, p: int) -> int:
        """Where a span starting at source `p` starts: at `p`'s word, else the next word."""
        k = bisect_right(self.src_ends, p)
        if k == len(self.src_ends):
            return self.dst_starts[-1] + self.src_ends[-1] - self.src_starts[-1] if self.dst_starts else 0
        return self.dst_starts[k] + max(0, p - self.src_starts[k])

    def end(self, p: int) -> int:
        """Where a span ending at source `p` ends: inside `p`'s word, else after the previous word."""
        k = bisect_left(self.src_starts, p) - 1
        if k < 0:
            return 0
        return self.dst_starts[k] + min(p, self.src_ends[k]) - self.src_starts[k]


def _tidy_map(text: str) -> tuple[str, _TidyMap]:
    """`tidy_body(text)` built word by word, with the map of where each word went ("" when
    the two ever differ, so that the caller gives up)."""
    m = _TidyMap()
    paras, at = [], 0
    for p_start, para in split_paragraphs(text):
        words = list(_TOKEN_RE.finditer(para))
        if not words:
            continue
        if paras:
            at += 2
        for k, w in enumerate(words):
            if k:
                at += 1
            m.add(p_start + w.start(), p_start + w.end(), at)
            at += w.end() - w.start()
        paras.append(" ".join(w.group(0) for w in words))
    tidied = "\n\n".join(paras)
    return (tidied if tidied == tidy_body(text) else ""), m


def _per_paragraph(body: str, s: int, e: int, kind: str, value: str) -> list[Span]:
    """A span cut at paragraph breaks (the reader draws blocks one paragraph at a time)."""
    out = []
    while s < e:
        brk = body.find("\n\n", s, e)
        stop = e if brk < 0 else brk
        if stop > s and body[s:stop].strip():
            out.append(Span(s, stop, kind, value))
        if brk < 0:
            break
        s = brk + 2
    return out


def align_spans(source: str, spans: list[Span], body: str) -> list[Span]:
    """The `spans` of `source` moved onto `body`, another extraction of the same page.

    A source paragraph carries its spans over to the next paragraph of `body` that is the
    same text, or the same text after a list item's ``- ``; a paragraph found nowhere keeps
    none. Paragraphs are searched in order, so the spans land
    in the order they came.
    """
    if not spans:
        return []
    targets = split_paragraphs(body)
    where: dict[str, list[int]] = {}  # a paragraph's text (without its marker) → its indices in `targets`
    for k, (_, t_text) in enumerate(targets):
        where.setdefault(t_text, []).append(k)
        marker = _MARKER_RE.match(t_text)
        if marker and marker.end() < len(t_text):
            where.setdefault(t_text[marker.end():], []).append(k)
    spans = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in spans]
    out: list[Span] = []
    j = 0
    for p_start, para in split_paragraphs(source):
        p_end = p_start + len(para)
        lo, hi = bisect_left(starts, p_start), bisect_left(starts, p_end)
        own = [s for s in spans[lo:hi] if s.end <= p_end]
        candidates = where.get(para, [])
        at = bisect_left(candidates, j)
        if not own or at == len(candidates):
            continue
        k = candidates[at]
        t_start, t_text = targets[k]
        prefix = len(t_text) - len(para)
        shift = t_start + prefix - p_start
        for s in own:
            s = s.shifted(shift)
            if prefix and s.kind == "item" and s.start == t_start + prefix:
                out.append(Span(t_start, s.end, "item"))  # the item begins with its marker, as in Markdown
                out.append(Span(t_start, t_start + 1, "marker"))
            else:
                out.append(s)
        j = k + 1
    return sort_spans([s for s in out if s.start < s.end])
