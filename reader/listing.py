"""The library list as queries: pages of article summaries, filtered, counted and located in SQL.

A library of 100,000 articles cannot be loaded whole for every launch or keystroke, so the
list asks for what it shows: `page` returns a few dozen rows, `count` how many match, and
`index_of` / `next_unread` where a row sits in the order. The order is the library's (newest
first, undated last, then title, then id so that pages never overlap), written on upsert as
one ascending string, `sort_key`, which the `articles_library` index stores together with the
unread flag and `filter_key` (folded title, date, place, source and tags): a page, a count, a
filtered scan or "where is this row" reads that index only, never the table. Words of three
letters or more are looked up in `library_fts`, a trigram index of `filter_key`.

Filter words match anywhere in the folded text ("segou" finds "Ségou", "ena" finds "Ménaka").
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from reader.text import fold

ORDER = "sort_key"
_DATE_FLIP = {c: chr(0x7F - c) for c in range(0x20, 0x7F)}  # printable ASCII, reversed, below "~"


@dataclass(frozen=True)
class ArticleSummary:
    """What the library list needs, without the body."""

    id: str
    title: str
    date: str
    place: str
    source: str
    words: int
    unread: bool
    tags: tuple[str, ...] = ()
    notes: int = 0
    entities: int = 0  # distinct entities mentioned (0 until the article has been indexed)
    path: str = ""  # the file it was imported from ('' if none)
    url: str = ""  # its page or feed item URL ('' if none)


def sort_key(date: str, title: str, article_id: str) -> str:
    """The list's order as one string that sorts ascending: dated before undated, newer dates
    first (each ASCII character of the date mirrored, then "~", so "2019-03" comes before
    "2019"), then title, then id (joined by \x01, below any character a sanitised title has)."""
    if not date:
        return "1" + "\x01" + title + "\x01" + article_id
    return "0" + date.translate(_DATE_FLIP) + "~" + "\x01" + title + "\x01" + article_id


def filter_key(title: str, date: str, place: str, source: str, tags) -> str:
    """What the filter searches, folded once when the article is stored. `tags` is a list or
    the JSON text stored in the row."""
    if isinstance(tags, str):
        try:
            tags = json.loads(tags or "[]")
        except ValueError:
            tags = []
    return fold(" ".join((title, date, place, source, " ".join(tags))))


@dataclass(frozen=True)
class LibraryQuery:
    """What the list shows: articles whose folded text holds every word, perhaps unread only."""

    words: tuple[str, ...] = ()
    unread_only: bool = False

    @classmethod
    def parse(cls, text: str, *, unread_only: bool = False) -> "LibraryQuery":
        return cls(tuple(fold(text).split()), unread_only)

    @property
    def filtered(self) -> bool:
        return bool(self.words) or self.unread_only

    def where(self) -> tuple[str, list]:
        """The WHERE clause ('' for everything) and its parameters. Words of three letters or
        more are looked up in the trigram index; shorter ones are searched in `filter_key`."""
        clauses, params = [], []
        long = [w for w in self.words if len(w) >= 3]
        if long:
            clauses.append("rowid IN (SELECT rowid FROM library_fts WHERE library_fts MATCH ?)")
            params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long))
        for w in self.words:
            if len(w) < 3:
                clauses.append("instr(filter_key, ?) > 0")
                params.append(w)
        if self.unread_only:
            clauses.append("unread = 1")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    @property
    def uses_trigrams(self) -> bool:
        return any(len(w) >= 3 for w in self.words)


# Trigram matches up to which a filter that also has short words (or "unread only") is
# counted by looking each match up by rowid (~5 us each at 100,000 articles) rather than by
# scanning the covering index of the whole library (30-60 ms): "gao t" took 36 ms a keystroke.
LOOKUP_MAX = 5000


def _trigram_matches(store, query: LibraryQuery) -> int:
    where, params = query.where()
    return store.conn.execute("SELECT count(*) FROM library_fts WHERE library_fts MATCH ?", params[:1]).fetchone()[0]


def counted_at_once(store, query: LibraryQuery) -> bool:
    """Whether `count(store, query)` is cheap (a few milliseconds at 100,000 articles), so the
    list can show the exact figure at once; otherwise count up to a bound and finish the count
    off the UI thread."""
    if not query.words:
        return True  # an index count, or the unread flag read from the covering index
    if not query.uses_trigrams:
        return False
    if all(len(w) >= 3 for w in query.words) and not query.unread_only:
        return True
    return _trigram_matches(store, query) <= LOOKUP_MAX


def count(store, query: LibraryQuery, *, limit: int | None = None) -> int:
    """How many articles the query shows; with `limit`, at most that many (a bounded scan,
    for short words the trigram index cannot look up)."""
    where, params = query.where()
    if query.words and all(len(w) >= 3 for w in query.words) and not query.unread_only:
        # only trigram words: the index counts its own matches (one row per article)
        return store.conn.execute("SELECT count(*) FROM library_fts WHERE library_fts MATCH ?", params).fetchone()[0]
    source = "articles INDEXED BY articles_library"
    if query.uses_trigrams and _trigram_matches(store, query) <= LOOKUP_MAX:
        source = "articles"  # the planner looks the trigram matches up by rowid
    if limit is not None:
        return store.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source}{where} LIMIT ?)",
                                  [*params, limit]).fetchone()[0]
    return store.conn.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0]


def estimate(store) -> int:
    """At once, an upper bound of the number of articles (the largest rowid; exact unless
    articles were deleted): what the first frame sizes the list by before `count` has read an
    index of the whole library (tens of milliseconds at 100,000 articles when the file is not
    in memory)."""
    return store.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0


def _source(store, query: LibraryQuery, matches: int | None) -> str:
    """Which way to read a page: the trigram matches looked up by rowid and sorted while they
    are few (each costs a read of its row), else the ordered covering index walked until the
    page is full (its cost grows as matches get rarer). They cost the same at about
    2·sqrt(library size) matches."""
    if not query.uses_trigrams or matches is None:
        return "articles INDEXED BY articles_library"
    size = store.conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0  # about the size, at once
    if matches <= 2 * math.isqrt(size):
        return "articles"
    return "articles INDEXED BY articles_library"


def totals(store) -> tuple[int, int]:
    """(articles, unread) in the whole library."""
    total, unread = store.conn.execute(
        "SELECT count(*), total(unread) FROM articles INDEXED BY articles_library").fetchone()
    return total, int(unread)


def page_ids(store, query: LibraryQuery, offset: int, limit: int, *, matches: int | None = None) -> list[str]:
    """Ids of rows offset..offset+limit-1. `matches` (the query's count, when known) chooses
    the plan: a rare word looked up in the trigram index and sorted, or the ordered index
    walked until the page is full."""
    where, params = query.where()
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM {_source(store, query, matches)}{where} ORDER BY {ORDER} LIMIT ? OFFSET ?",
        [*params, limit, offset])]


def summaries(store, ids: list[str]):
    """ArticleSummary of each id (in that order; unknown ids are left out), with note and
    entity counts: a page's worth, looked up by primary key."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute(
        "SELECT id, title, date, place, source, words, unread, tags,"
        " (SELECT count(*) FROM notes n WHERE n.article_id = a.id),"
        " (SELECT count(*) FROM article_entities e WHERE e.article_id = a.id)"
        f" FROM articles a WHERE id IN ({marks})", ids).fetchall()
    by_id = {r[0]: ArticleSummary(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), tuple(json.loads(r[7])),
                                  r[8], r[9]) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def page(store, query: LibraryQuery, offset: int, limit: int, *, matches: int | None = None):
    """The summaries of rows `offset`..`offset+limit-1` of the list."""
    return summaries(store, page_ids(store, query, offset, limit, matches=matches))


def _key_of(store, article_id: str) -> str | None:
    r = store.conn.execute("SELECT sort_key FROM articles WHERE id = ?", (article_id,)).fetchone()
    return r[0] if r else None


def _and(where: str) -> str:
    return f"{where} AND" if where else " WHERE"


def index_of(store, query: LibraryQuery, article_id: str, *, matches: int | None = None) -> int | None:
    """Where `article_id` sits in the list, or None when it does not match the query (a count
    of the index entries before it)."""
    where, params = query.where()
    if store.conn.execute(f"SELECT 1 FROM articles{_and(where)} id = ?", [*params, article_id]).fetchone() is None:
        return None
    key = _key_of(store, article_id)
    return store.conn.execute(f"SELECT count(*) FROM {_source(store, query, matches)}{_and(where)} sort_key < ?",
                              [*params, key]).fetchone()[0]


def next_unread(store, query: LibraryQuery, after_id: str | None) -> str | None:
    """The first unread article ordered after `after_id` in the list, wrapping round to the
    top; None when nothing shown is unread."""
    where, params = query.where()
    unread = f"{_and(where)} unread = 1"
    key = _key_of(store, after_id) if after_id is not None else None
    if key is not None:
        r = store.conn.execute(f"SELECT id FROM articles INDEXED BY articles_library{unread} AND sort_key > ?"
                               f" ORDER BY {ORDER} LIMIT 1", [*params, key]).fetchone()
        if r:
            return r[0]
    r = store.conn.execute(f"SELECT id FROM articles INDEXED BY articles_library{unread} ORDER BY {ORDER} LIMIT 1",
                           params).fetchone()
    return r[0] if r else None


def mark_read(store, query: LibraryQuery) -> int:
    """Mark every article the query shows read; returns how many were unread."""
    where, params = query.where()
    with store.transaction() as c:
        return c.execute("UPDATE articles SET unread = 0 WHERE rowid IN (SELECT rowid FROM articles"
                         f" INDEXED BY articles_library{_and(where)} unread = 1)",
                         params).rowcount
