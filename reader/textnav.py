"""Moving through article text by character, word, sentence and paragraph.

Keyboard selection and "annotate the sentence at the cursor" both need sentence and word
boundaries that agree with what a reader sees; they are plain functions over the body text
so they can be tested without a terminal.
"""

from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) then whitespace,
# except after common abbreviations and single capitals (initials such as "A. Koufa").
_SENTENCE_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?»)?[\"'’”»)\]]*(?=\s)")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "capt", "sgt", "st", "no", "vs",
                  "etc", "e.g", "i.e", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "u.s", "u.n"}
_WORD = re.compile(r"\w+(?:['’-]\w+)*", re.UNICODE)


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the paragraph holding `offset` (paragraphs are split by blank lines)."""
    offset = max(0, min(offset, len(text)))
    start = text.rfind("\n\n", 0, offset)
    start = 0 if start < 0 else start + 2
    end = text.find("\n\n", offset)
    end = len(text) if end < 0 else end
    return start, end


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    ends = []
    for m in _SENTENCE_END.finditer(text, start, end):
        word = re.search(r"([\w.]+)[.!?…]*$", text[max(start, m.start() - 12):m.start() + 1])
        token = (word.group(1) if word else "").lower().rstrip(".")
        if m.group(0).startswith(".") and (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())):
            continue
        ends.append(m.end())
    return ends


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence holding `offset`, trimmed of surrounding spaces."""
    p_start, p_end = paragraph_bounds(text, offset)
    start = p_start
    for e in _sentence_ends(text, p_start, p_end):
        if e > offset:
            return trim_span(text, start, e)
        start = e
    return trim_span(text, start, p_end)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without the whitespace at its ends (a quote never starts or ends with a space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def next_word(text: str, offset: int) -> int:
    """Offset just after the word that ends after `offset`."""
    m = _WORD.search(text, offset + 1 if offset < len(text) and _is_word_end(text, offset) else offset)
    return m.end() if m else len(text)


def _is_word_end(text: str, offset: int) -> bool:
    return offset > 0 and text[offset - 1].isalnum() and (offset >= len(text) or not text[offset].isalnum())


def previous_word(text: str, offset: int) -> int:
    """Offset of the start of the word before `offset`."""
    starts = [m.start() for m in _WORD.finditer(text, max(0, offset - 200), offset) if m.start() < offset]
    if not starts:
        return max(0, offset - 200) if offset > 200 else 0
    return starts[-1] if starts[-1] < offset else (starts[-2] if len(starts) > 1 else 0)


def next_sentence_end(text: str, offset: int) -> int:
    _, end = sentence_bounds(text, offset)
    if end <= offset:
        nxt = offset + 1
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt >= len(text):
            return len(text)
        _, end = sentence_bounds(text, nxt)
    return end


def previous_sentence_start(text: str, offset: int) -> int:
    start, _ = sentence_bounds(text, offset)
    if start >= offset and offset > 0:
        prev = offset - 1
        while prev > 0 and text[prev].isspace():
            prev -= 1
        start, _ = sentence_bounds(text, prev)
    return start


def next_paragraph_end(text: str, offset: int) -> int:
    _, end = paragraph_bounds(text, offset)
    if end <= offset and end < len(text):
        _, end = paragraph_bounds(text, min(len(text), end + 2))
    return end


def previous_paragraph_start(text: str, offset: int) -> int:
    start, _ = paragraph_bounds(text, offset)
    if start >= offset and start > 0:
        start, _ = paragraph_bounds(text, max(0, start - 3))
    return start
