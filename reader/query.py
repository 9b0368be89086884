"""The search query language: parsing, and finding query words in text (highlights, snippets).

    fuel convoy        words, each prefix-matched (as you type), all required;
                       a single letter matches only that one-letter word
    "fuel convoy"      an exact phrase
    -ambush  -"a b"    exclude a word or phrase
    tag:fuel           notes with this tag            (-tag:fuel excludes it)
    entity:tombouctou  notes on an entity, accent- and spelling-tolerant (needs the gazetteer)
    type:group         notes mentioning an entity of this type (group, place, person, org, event)
    article:kidal      notes on articles whose id or title matches
    before:2023-01-01  after:2023-05   note creation time (YYYY, YYYY-MM or YYYY-MM-DD)
    orphaned:yes       notes whose passage was lost (orphaned:no for the others)

The user types into a live search box, so half-typed and odd input is normal. The parser
never hands user text to FTS5's own syntax: it extracts words and phrases and builds the
MATCH expression from quoted strings, so `AND`, `NEAR`, `*`, `(`, `:` and SQL fragments are
searched as the words they contain; anything unusable becomes a readable hint, and
`parse_query` never raises. reader/search.py runs the parsed Query against the database.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from reader.notes import normalise_tags
from reader.text import fold, fold_in_place, fold_with_map

QUERY_SYNTAX = __doc__.split("\n\n")[1]  # the table above, for the help screen
SORTS = ("relevance", "date", "article")
FILTERS = ("tag", "entity", "type", "article", "before", "after", "orphaned")
ENTITY_TYPES = ("group", "place", "person", "org", "event")
# A query word: letters and digits (no underscore); search.py splits entity names the same way.
WORD_RE = re.compile(r"[^\W_]+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


@dataclass
class Query:
    """A parsed query. `hints` are one-line remarks for the user about what was not understood."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    exclude: list[list[str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    not_tags: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    before: str | None = None
    after: str | None = None
    orphaned: bool | None = None
    hints: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def has_note_filters(self) -> bool:
        return bool(self.tags or self.not_tags or self.entities or self.types or self.before
                    or self.after or self.orphaned is not None)

    @property
    def empty(self) -> bool:
        return not (self.has_text or self.has_note_filters or self.exclude or self.articles)

    def match_expression(self) -> str:
        """The FTS5 MATCH text for the required words and phrases ("" when there are none)."""
        # a one-letter prefix would expand to every indexed word with that initial: whole word only
        parts = [fts_string([w]) + ("*" if len(w) > 1 else "") for w in self.words]
        parts += [fts_string(p) for p in self.phrases]
        return " ".join(parts)


def fts_string(tokens: list[str]) -> str:
    """`tokens` as one quoted FTS5 string (a phrase), double quotes doubled."""
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _split(text: str) -> list[tuple[bool, str, bool]]:
    """(negated, raw token, was quoted) triples; an unclosed quote runs to the end."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        neg = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if neg:
            i += 1
        if text[i] == '"':
            j = text.find('"', i + 1)
            if j < 0:
                out.append((neg, text[i + 1:], True))
                out.append((False, "\x00unbalanced", False))
                break
            out.append((neg, text[i + 1:j], True))
            i = j + 1
            continue
        m = re.match(r'([A-Za-z]+):"', text[i:])
        if m:  # key:"quoted value"
            j = text.find('"', i + len(m.group(0)))
            end = n if j < 0 else j + 1
            out.append((neg, text[i:end], False))
            i = end
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        out.append((neg, text[i:j], False))
        i = j
    return out


def _date_bound(value: str, *, after: bool) -> str | None:
    """ISO lower bound for `after:` (the day after) or upper bound for `before:`."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        start = dt.date(y, mo, d)
    except ValueError:
        return None
    if not after:
        return start.isoformat()
    if m.group(3):
        nxt = start + dt.timedelta(days=1)
    elif m.group(2):
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    else:
        nxt = dt.date(y + 1, 1, 1) if y < 9999 else None
    return nxt.isoformat() if nxt else "9999-99"


def parse_query(text: str) -> Query:
    """Parse the query language; never raises."""
    q = Query(text=text or "")
    for neg, raw, quoted in _split(text or ""):
        if raw == "\x00unbalanced":
            q.hints.append('a quote is not closed: the rest was searched as a phrase')
            continue
        if quoted:
            toks = WORD_RE.findall(raw)
            if toks:
                (q.exclude if neg else q.phrases).append(toks)
            continue
        key, sep, value = raw.partition(":")
        if sep and key.lower() in FILTERS:
            _apply_filter(q, key.lower(), value.strip('"').strip(), neg)
            continue
        toks = WORD_RE.findall(raw)
        if not toks:
            q.hints.append(f"ignored {raw[:20]!r}: nothing to search in it (no letters or digits)")
            continue
        if sep and key and WORD_RE.fullmatch(key):
            q.hints.append(f"{key}: is not a filter, searched as words (filters: "
                           + ", ".join(f + ":" for f in FILTERS) + ")")
        if raw in _OPERATORS:
            q.hints.append(f"{raw} is searched as a word; all words must match, use -word to exclude")
        if neg:
            q.exclude.extend([t] for t in toks)
        elif len(toks) > 1 and not sep:  # "N'Djamena", "al-Qaida": keep the pieces together
            q.phrases.append(toks)
        else:
            q.words.extend(toks)
    return q


def _apply_filter(q: Query, key: str, value: str, neg: bool) -> None:
    if not value:
        q.hints.append(f"{key}: needs a value, e.g. {key}:{_EXAMPLES[key]}")
        return
    if neg and key != "tag":
        q.hints.append(f"-{key}: cannot be excluded; only -tag: can (filter ignored)")
        return
    if key == "tag":
        tags = normalise_tags([value])
        if tags:
            (q.not_tags if neg else q.tags).append(tags[0])
    elif key == "entity":
        q.entities.append(value)
    elif key == "type":
        t = value.lower()
        if t not in ENTITY_TYPES:
            q.hints.append(f"type:{value} is not a type; use one of " + ", ".join(ENTITY_TYPES))
            q.types.append("\x00none")
        else:
            q.types.append(t)
    elif key == "article":
        q.articles.append(value)
    elif key in ("before", "after"):
        bound = _date_bound(value, after=key == "after")
        if bound is None:
            q.hints.append(f"{key}:{value} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD); filter ignored")
        elif key == "before":
            q.before = bound if q.before is None else min(q.before, bound)
        else:
            q.after = bound if q.after is None else max(q.after, bound)
    elif key == "orphaned":
        v = value.lower()
        if v in ("yes", "y", "true", "1"):
            q.orphaned = True
        elif v in ("no", "n", "false", "0"):
            q.orphaned = False
        else:
            q.hints.append(f"orphaned:{value} - use orphaned:yes or orphaned:no; filter ignored")


_EXAMPLES = {"tag": "fuel", "entity": "gao", "type": "group", "article": "kidal",
             "before": "2023-01-01", "after": "2023-01-01", "orphaned": "yes"}


# --- matching in text (highlights, the reader's `/`) -------------------------------------


def _fold_map(text: str) -> tuple[str, list[int] | None]:
    """`fold_with_map`, with a fast path when folding keeps every offset (ASCII, and most
    accented text: the map is then the identity, None)."""
    same = fold_in_place(text)
    if same is not None:
        return same, None
    return fold_with_map(text)


@lru_cache(maxsize=256)
def _highlight_re(words: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> re.Pattern | None:
    pats = [r"(?<!\w)" + re.escape(fold(w)) + (r"\w*" if len(w) > 1 else r"(?!\w)") for w in words]
    pats += [r"(?<!\w)" + r"\W+".join(re.escape(fold(t)) for t in p) + r"(?!\w)" for p in phrases]
    return re.compile("|".join(pats)) if pats else None


def highlight_spans(text: str, query: Query | str) -> list[tuple[int, int]]:
    """Offsets in `text` of the query's words (as prefixes) and phrases, accent-insensitive."""
    if isinstance(query, str):
        query = parse_query(query)
    if not text or not query.has_text:
        return []
    pattern = _highlight_re(tuple(query.words), tuple(tuple(p) for p in query.phrases))
    folded, index = _fold_map(text)
    spans = []
    pos = 0
    while pattern is not None and pos <= len(folded):
        m = pattern.search(folded, pos)
        if not m:
            break
        if m.end() > m.start():
            s, e = (m.start(), m.end()) if index is None else (index[m.start()], index[m.end() - 1] + 1)
            spans.append((s, e))
            pos = m.end()
        else:
            pos = m.end() + 1
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def find_in_text(text: str, needle: str) -> list[tuple[int, int]]:
    """Every occurrence of `needle` in `text`, ignoring case and accents (the reader's `/`)."""
    target, _ = _fold_map(needle.strip())
    if not target:
        return []
    folded, index = _fold_map(text)
    out, i = [], folded.find(target)
    while i >= 0:
        j = i + len(target)
        out.append((i, j) if index is None else (index[i], index[j - 1] + 1))
        i = folded.find(target, j)
    return out


SNIPPET_TOKENS = 16
SNIPPET_SCAN = 800  # characters searched for the window before the whole text


def snippet(text: str, q: Query, size: int = SNIPPET_TOKENS) -> tuple[str, list[tuple[int, int]]]:
    """About `size` words of `text` around its matches of the query, as FTS5's snippet() makes
    them ('…' where the text goes on), and the matched words' spans in it.

    Of the windows starting a few words before each of the first matches, the one holding
    the most matches wins (the earliest of equals). Made here rather than by snippet(): for
    a prefix found in nearly every word ("ba"), snippet() weighs every window around every
    occurrence, ~1 ms an article; this scans the start of the text (all of it only when
    the start has no match).
    """
    region = text[:SNIPPET_SCAN]
    spans = [sp for sp in highlight_spans(region, q) if sp[1] < len(region) or len(region) == len(text)]
    if not spans and len(region) < len(text):
        spans = highlight_spans(text, q)
    spans = spans[:32]
    limit = min(len(text), (spans[-1][1] if spans else 0) + 400)
    tokens = [m.span() for m in WORD_RE.finditer(text, 0, limit)]
    if not tokens:
        return "", []
    starts = [t[0] for t in tokens]
    best, best_count = 0, -1
    for s, _ in spans:
        first = max(0, bisect_right(starts, s) - 1 - 3)
        last = min(len(tokens), first + size)
        count = bisect_left(spans, (tokens[last - 1][1],)) - bisect_left(spans, (tokens[first][0],))
        if count > best_count:
            best, best_count = first, count
    last = min(len(tokens), best + size)
    begin, end = tokens[best][0], tokens[last - 1][1]
    lead = "…" if best > 0 else ""
    out = lead + text[begin:end] + ("…" if WORD_RE.search(text, end) else "")
    marks = [(max(s, begin) - begin + len(lead), min(e, end) - begin + len(lead)) for s, e in spans if s < end and e > begin]
    return out, marks
