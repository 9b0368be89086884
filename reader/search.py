"""Searching notes and articles: SQLite FTS5 behind the forgiving query language.

The query language lives in reader/query.py (see its docstring, or QUERY_SYNTAX). This
module turns a parsed Query into SQL: the MATCH expression is always built from quoted
strings, filters and exclusions are conditions on indexed join tables, and ranking is
bounded (RANK_CAP) so one- to three-word queries on 100,000 notes stay in milliseconds.
`search` never raises on a query; a failing database is reported in `SearchResult.error`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from reader import ranking
from reader.notes import SELECT_COLUMNS, Note
from reader.query import (  # noqa: F401 - re-exported: the UI imports these from here
    ENTITY_TYPES, FILTERS, QUERY_SYNTAX, SORTS, WORD_RE, Query, find_in_text, fts_string,
    highlight_spans, parse_query, snippet,
)
from reader.text import fold, slugify


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteHit:
    """A matching note; spans are (start, end) of matched words in `note.body` / `note.quote`."""

    note: Note
    article_title: str
    article_date: str
    score: float
    body_spans: tuple[tuple[int, int], ...] = ()
    quote_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ArticleHit:
    """A matching article; `snippet` is plain text and `spans` mark the matched words in it."""

    article_id: str
    title: str
    date: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    score: float


@dataclass
class SearchResult:
    query: Query
    notes: list[NoteHit] = field(default_factory=list)
    articles: list[ArticleHit] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    error: str | None = None  # set only if the database itself failed (never for a query)


def resolve_entity_ids(gazetteer, name: str, limit: int = 5) -> list[str]:
    """Entity ids for a typed name (the matcher's tolerant lookup), the near-best ones only."""
    if gazetteer is None:
        return []
    from reader.matching.resolve import resolve_entities  # rapidfuzz and the name index: on first use

    try:
        found = resolve_entities(gazetteer, name, limit=limit)
    except Exception:  # noqa: BLE001 - a broken lookup must not break searching
        return []
    if not found:
        return []
    top = found[0][1]
    return [eid for eid, score in found if score >= top * 0.9][:limit]


def _ids_of_type(gazetteer, kind: str) -> list[str]:
    return [e.id for e in gazetteer if getattr(e, "type", "") == kind] if gazetteer is not None else []


class _Sql:
    def __init__(self):
        self.where: list[str] = []
        self.params: list = []

    def add(self, cond: str, *params) -> None:
        self.where.append(cond)
        self.params.extend(params)


def _note_filters(q: Query, sql: _Sql, gazetteer, hints: list[str], drivers: list | None = None) -> bool:
    """Add the filter conditions; False when a filter can match nothing (skip the query).

    Every condition is a correlated probe of an index (EXISTS on a join table's primary key),
    never a set built from all tagged notes: a query walks its driver (the FTS match, or the
    rarest tag/entity filter or a narrow date range, appended to `drivers` as (table,
    condition, params)) newest first and stops at the page, so `tag:` costs the same on
    1,000 notes or a million.
    """
    drivers = drivers if drivers is not None else []
    for tag in q.tags:
        sql.add("EXISTS (SELECT 1 FROM note_tags t WHERE t.tag = ? AND t.note_seq = n.seq)", tag)
        drivers.append(("note_tags", "tag = ?", [tag]))
    for tag in q.not_tags:
        sql.add("NOT EXISTS (SELECT 1 FROM note_tags t WHERE t.tag = ? AND t.note_seq = n.seq)", tag)
    possible = True
    for name in q.entities:
        ids = resolve_entity_ids(gazetteer, name)
        words = WORD_RE.findall(name)
        if gazetteer is None:
            ids = [slugify(name)]
        elif not ids:
            hints.append(f"entity:{name} - no entity by that name in the gazetteer")
        cond = ("EXISTS (SELECT 1 FROM note_entities e WHERE e.note_seq = n.seq"
                " AND e.entity_id IN (SELECT value FROM json_each(?)))")
        params: list = [json.dumps(ids)]
        if gazetteer is None and words:  # no gazetteer: the indexed entity names are the best we have
            cond = f"({cond} OR n.seq IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?))"
            params.append("entity_names : " + fts_string(words))
        elif len(ids) == 1:
            drivers.append(("note_entities", "entity_id = ?", [ids[0]]))
        sql.add(cond, *params)
    for kind in q.types:
        if gazetteer is None:
            hints.append(f"type:{kind} needs the gazetteer, which is not loaded")
            possible = False
            continue
        ids = _ids_of_type(gazetteer, kind)
        sql.add("EXISTS (SELECT 1 FROM note_entities e WHERE e.note_seq = n.seq"
                " AND e.entity_id IN (SELECT value FROM json_each(?)))", json.dumps(ids))
    if q.before:
        sql.add("n.created < ?", q.before)
    if q.after:
        sql.add("n.created >= ?", q.after)
    if q.before or q.after:  # a narrow date range is a driver too (through notes_created)
        bounds = [("created < ?", q.before), ("created >= ?", q.after)]
        drivers.append(("notes", " AND ".join(c for c, v in bounds if v), [v for _, v in bounds if v]))
    if q.orphaned is not None:
        sql.add("n.status = ?", "orphaned" if q.orphaned else "anchored")
    return possible


# A filter-only query is driven by its rarest join-table filter; counting stops here.
DRIVER_COUNT_CAP = 20_000


def _pick_driver(conn: sqlite3.Connection, drivers: list) -> tuple | None:
    """The filter with the fewest rows (counted up to DRIVER_COUNT_CAP), or None for a walk
    of all notes newest first.

    A join-table driver is walked in its index's order (newest first, no sort), so one alone
    needs no count. A date range ("notes") comes out of `notes_created` in date order and
    must be sorted: it drives only when it is small, i.e. under the cap.
    """
    if len(drivers) == 1 and drivers[0][0] != "notes":
        return drivers[0]

    def size(d):
        table, cond, params = d
        index = " INDEXED BY notes_created" if table == "notes" else ""
        return conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table}{index} WHERE {cond} LIMIT ?)",
                            [*params, DRIVER_COUNT_CAP]).fetchone()[0]

    sized = sorted(((size(d), i, d) for i, d in enumerate(drivers)), key=lambda x: x[:2])
    for n, _, d in sized:
        if d[0] != "notes" or n < DRIVER_COUNT_CAP:
            return d
    return None


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _any_of(terms: list[list[str]]) -> str:
    return " OR ".join(fts_string(t) for t in terms)


def _excluded(q: Query) -> tuple[list[list[str]], list[list[str]]]:
    """The query's excluded words, and its excluded phrases of several words: only notes_fts
    holds positions, so only it can look the phrases up (schema._v13_notes_words)."""
    return [t for t in q.exclude if len(t) <= 1], [t for t in q.exclude if len(t) > 1]


def _exclusion(q: Query, key: str, sql: _Sql) -> None:
    """Exclusions for a query without positive words (otherwise they are part of the MATCH)."""
    if q.exclude and not q.has_text:
        for table, terms in zip((WORDS, "notes_fts"), _excluded(q)):
            if terms:
                sql.add(f"{key} NOT IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)", _any_of(terms))


def _full_expression(q: Query, conn: sqlite3.Connection | None = None) -> str:
    """The MATCH text for the query's words, phrases and exclusions; given `conn`, for the
    notes index, with long prefixes spelled out as the words they begin (`_word_expression`)."""
    if conn is None:
        expr = q.match_expression()
    else:
        # explicit ANDs: FTS5 takes "a" "b" as a AND b, but not a parenthesised OR beside a phrase
        expr = " AND ".join([_word_expression(conn, w) for w in q.words] + [fts_string(p) for p in q.phrases])
    if expr and q.exclude:
        expr = f"({expr}) NOT ({_any_of(q.exclude)})"
    return expr


# Words and prefixes are matched in notes_words (positions-free, prefix indexes of 2-4 letters),
# phrases of several words in notes_fts (positions, no prefix index): schema._v13_notes_words.
WORDS = "notes_words"

# a prefix longer than notes_words' prefix indexes is spelled out as the words of notes_vocab
# it begins (schema._v10_note_vocabulary), up to this many of them
EXPAND_FROM, EXPAND_MAX = 5, 200


def _word_expression(conn: sqlite3.Connection, word: str) -> str:
    """One query word for notes_words: a prefix, or beyond the prefix indexes the OR of the
    indexed words it begins, which FTS5 reads lazily where a long prefix makes it merge the
    posting lists of all those words first (tens of milliseconds on a million notes).

    Only plain ASCII letters and digits are spelled out: FTS5 folds them exactly as
    `str.lower` does, so the lookup finds the very words the prefix would match.
    """
    plain = fts_string([word]) + ("*" if len(word) > 1 else "")
    if len(word) < EXPAND_FROM or not (word.isascii() and word.isalnum()):
        return plain
    low = word.lower()
    try:
        terms = [r[0] for r in conn.execute(
            "SELECT term FROM notes_vocab WHERE term >= ? AND term < ? LIMIT ?",
            (low, low[:-1] + chr(ord(low[-1]) + 1), EXPAND_MAX + 1))]
    except sqlite3.OperationalError:  # no word list (a database this code did not migrate)
        return plain
    if len(terms) > EXPAND_MAX:
        return plain
    if not terms:  # no indexed word begins so: the word itself matches nothing either
        return fts_string([low])
    return "(" + " OR ".join(fts_string([t]) for t in terms) + ")"


def _match(q: Query, conn: sqlite3.Connection) -> tuple[str, str, list] | None:
    """Where the query's text is matched among the notes: (FTS table, condition on it, its
    parameters), or None for a query without words or phrases.

    The same notes as `_full_expression(q, conn)` over one index holding both: words,
    prefixes and one-word phrases go to notes_words, phrases of several words (which need
    positions) to notes_fts, and a query with both reads notes_fts for its phrases among the
    notes_words rows of its words. Excluded words go with the words; excluded phrases of
    several words need notes_fts.
    """
    long = [p for p in q.phrases if len(p) > 1]
    words = [_word_expression(conn, w) for w in q.words] + [fts_string(p) for p in q.phrases if len(p) <= 1]
    if not words and not long:
        return None
    expr = " AND ".join([fts_string(p) for p in long] if long else words)
    if not long:
        excluded_words, excluded_phrases = _excluded(q)
        if excluded_words:
            expr = f"({expr}) NOT ({_any_of(excluded_words)})"
        cond, params = f"{WORDS} MATCH ?", [expr]
        if excluded_phrases:
            cond += f" AND +{WORDS}.rowid NOT IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)"
            params.append(_any_of(excluded_phrases))
        return WORDS, cond, params
    if q.exclude:
        expr = f"({expr}) NOT ({_any_of(q.exclude)})"
    if not words:
        return "notes_fts", "notes_fts MATCH ?", [expr]
    # `+rowid`: a plain rowid constraint would make FTS5 re-run the MATCH once per row
    return ("notes_fts", f"notes_fts MATCH ? AND +notes_fts.rowid IN (SELECT rowid FROM {WORDS} WHERE {WORDS} MATCH ?)",
            [expr, " AND ".join(words)])


# Ranking by relevance costs time in proportion to the number of matches; past this many
# (a word in most notes, or the first letters typed) results come newest first instead.
# 500 keeps the ranking pass under ~5 ms; a million notes rank only queries this specific.
RANK_CAP = 500
NOTE_WEIGHTS = (4.0, 2.0, 3.0, 1.0, 1.5)  # body, quote, tags, article title, entity names
ARTICLE_WEIGHTS = (5.0, 1.0)  # title, body


def _newest_matches(conn: sqlite3.Connection, table: str, where: str, params: list, cap: int) -> list[int]:
    """Rowids of `table` matching `where` (a MATCH), newest first, at most cap+1 of them.

    No ranking function in this pass: FTS5 walks its posting lists in rowid order and stops
    at the LIMIT, so a word found in every note costs the same as a rare one. When there
    are more than `cap`, the first rows are already the newest-first page.
    """
    return [r[0] for r in conn.execute(f"SELECT rowid FROM {table} WHERE {where} ORDER BY rowid DESC LIMIT ?",
                                       [*params, cap + 1])]


def _phrases(q: Query) -> list[tuple[list[str], bool]]:
    """The query's required phrases as (tokens, prefix-matched), as `match_expression` has them."""
    return [([w], len(w) > 1) for w in q.words] + [(p, False) for p in q.phrases]


def _ranked(conn: sqlite3.Connection, q: Query, seqs: list[int], matches: int) -> list[tuple[int, float]]:
    """(seq, bm25) of the candidate notes `seqs` (those of the `matches` notes matching the
    query's text that pass its filters), best first, ties newest first.

    bm25() counts the rows holding each phrase, a walk of its whole posting list: cheap when
    every phrase is rare (then it runs, on these few matches), not for a common word (most
    notes) nor for an excluded one. Those queries, and phrases of several words (whose walk
    checks positions), are scored on the candidates' own text with bm25()'s formula and
    weights instead (reader/ranking.py).
    """
    if not seqs:
        return []
    phrases = _phrases(q)
    n_rows, avg_len = ranking.table_stats(conn, "notes_fts")
    if len(phrases) == 1 and not q.exclude:  # the phrase's notes are the matches: counted already
        dfs = [matches]
    else:
        max_seq = conn.execute("SELECT max(seq) FROM notes").fetchone()[0] or 0
        dfs = [ranking.document_frequency(
            conn, "notes_fts" if len(toks) > 1 else WORDS,
            _word_expression(conn, toks[0]) if prefix else fts_string(toks), n_rows, max_seq)
            for toks, prefix in phrases]
    if not q.exclude and all(len(toks) == 1 for toks, _ in phrases) and max(dfs) < ranking.DF_CAP:
        keep = set(seqs)
        # the plain prefixes, not `expr`: bm25() would weigh each word a long prefix spells out
        # as a phrase of its own; and every phrase is rare here, so FTS5's merge of them is cheap
        rows = conn.execute(f"SELECT rowid, bm25(notes_fts, {', '.join(map(str, NOTE_WEIGHTS))}) FROM notes_fts"
                            " WHERE notes_fts MATCH ?", [_full_expression(q)]).fetchall()
        return sorted((r for r in rows if r[0] in keep), key=lambda r: (r[1], -r[0]))
    needles = [(ranking.needle(tuple(toks), prefix), ranking.idf(n_rows, df)) for (toks, prefix), df in zip(phrases, dfs)]
    ids = json.dumps(seqs)
    sizes = dict(conn.execute("SELECT id, sz FROM notes_fts_docsize WHERE id IN (SELECT value FROM json_each(?))",
                              [ids]).fetchall())  # (a join with the texts below took twice as long)
    docs = {r[0]: (ranking.doc_length(sizes.get(r[0])), list(r[1:])) for r in conn.execute(
        "SELECT seq, body, quote, tags, article_title, entity_names FROM notes"
        " WHERE seq IN (SELECT value FROM json_each(?))", [ids])}
    scores = ranking.bm25_scores(docs, needles, NOTE_WEIGHTS, avg_len)
    return sorted(((seq, -sc) for seq, sc in scores.items()), key=lambda r: (r[1], -r[0]))


def _article_ids(conn: sqlite3.Connection, names: list[str]) -> list[list[str]]:
    """For each `article:` value, the ids of articles whose id or title matches it."""
    out = []
    for name in names:
        words = WORD_RE.findall(name)
        sql = "SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\'"
        params: list = ["%" + _like_escape(slugify(name)) + "%"]
        if words:
            sql += " OR rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            params.append("title : (" + " ".join(fts_string([w]) + "*" for w in words) + ")")
        out.append([r[0] for r in conn.execute(sql, params)])
    return out


_NOTE_ROW = (f"SELECT {SELECT_COLUMNS}, coalesce(a.title, n.article_title), coalesce(a.date, ''), n.seq"
             " FROM {frm} LEFT JOIN articles a ON a.id = n.article_id")


def search_notes(conn: sqlite3.Connection, q: Query, *, limit: int = 50, sort: str = "relevance",
                 gazetteer=None, hints: list[str] | None = None, spans: bool = True) -> list[NoteHit]:
    """Matching notes with their article's title and date; `limit` < 0 means all."""
    hints = hints if hints is not None else []
    sql = _Sql()
    drivers: list = []
    if not _note_filters(q, sql, gazetteer, hints, drivers):
        return []
    for ids in _article_ids(conn, q.articles):
        sql.add("n.article_id IN (SELECT value FROM json_each(?))", json.dumps(ids))
    _exclusion(q, "n.seq", sql)
    match = _match(q, conn)
    expr = match is not None
    filters, filter_params = list(sql.where), list(sql.params)
    frm = "notes n"
    driver = None if expr else _pick_driver(conn, drivers)
    if driver is not None and driver[0] == "notes":  # a small date range: its index, then a sort
        frm = "notes n INDEXED BY notes_created"
    elif driver is not None:  # walk the rarest filter's index newest first (no set of every match)
        table, cond, params = driver
        frm = f"{table} d CROSS JOIN notes n ON n.seq = d.note_seq"
        sql.where.insert(0, "d." + cond)
        sql.params[0:0] = params
    if match is not None:
        table, cond, match_params = match
        frm = f"{table} JOIN notes n ON n.seq = {table}.rowid"
        sql.where.insert(0, cond)
        sql.params[0:0] = match_params
    where = " AND ".join(sql.where) or "1"
    scored: list[tuple[int, float]] | None = None
    newest: list[int] | None = None
    if expr and sort == "relevance":
        # the matches on the index alone, newest first; the filters apply to the (at most
        # RANK_CAP) candidates, which are then ranked on their own text
        found = _newest_matches(conn, table, cond, match_params, RANK_CAP)
        if len(found) > RANK_CAP:
            hints.append(f"more than {RANK_CAP:,} notes match: newest first; type more to rank by relevance")
            if not filters and 0 <= limit <= len(found):
                newest = found[:limit]  # already the page: no second walk of the index
        else:
            matches = len(found)
            if filters and found:
                keep = {r[0] for r in conn.execute(
                    "SELECT n.seq FROM notes n WHERE n.seq IN (SELECT value FROM json_each(?)) AND "
                    + " AND ".join(filters), [json.dumps(found)] + filter_params)}
                found = [seq for seq in found if seq in keep]
            scored = _ranked(conn, q, found, matches)
    if scored is not None:
        top = scored if limit < 0 else scored[:limit]
        score = {seq: -rank for seq, rank in top}
        rows = conn.execute(_NOTE_ROW.format(frm="notes n") + " WHERE n.seq IN (SELECT value FROM json_each(?))",
                            [json.dumps([seq for seq, _ in top])]).fetchall()
        results = sorted(((r, score[r[-1]]) for r in rows), key=lambda x: (-x[1], -x[0][-1]))
    elif newest is not None:
        rows = conn.execute(_NOTE_ROW.format(frm="notes n") + " WHERE n.seq IN (SELECT value FROM json_each(?))"
                            " ORDER BY n.seq DESC", [json.dumps(newest)]).fetchall()
        results = [(r, 0.0) for r in rows]
    else:
        if sort == "date":
            order = "n.created DESC"
        elif sort == "article":
            order = "a.date DESC, n.article_id, n.start"
        else:  # newest first; seq follows creation, and FTS5 can walk its index in that order
            order = f"{table}.rowid DESC" if expr else "d.note_seq DESC" if driver and driver[0] != "notes" \
                else "n.seq DESC"
        rows = conn.execute(_NOTE_ROW.format(frm=frm) + f" WHERE {where} ORDER BY {order} LIMIT ?",
                            sql.params + [int(limit)]).fetchall()
        results = [(r, 0.0) for r in rows]
    out = []
    for r, sc in results:
        note = Note.from_row(r[:-3])
        if spans:
            out.append(NoteHit(note, r[-3], r[-2], sc,
                               tuple(highlight_spans(note.body, q)), tuple(highlight_spans(note.quote, q))))
        else:
            out.append(NoteHit(note, r[-3], r[-2], sc))
    return out


def search_articles(conn: sqlite3.Connection, q: Query, *, limit: int = 20,
                    hints: list[str] | None = None) -> list[ArticleHit]:
    """Articles whose title or text matches the query's words (best first, or newest if very many)."""
    expr = _full_expression(q)
    if not expr:
        return []
    sql = _Sql()
    sql.add("articles_fts MATCH ?", expr)
    for ids in _article_ids(conn, q.articles):
        # `+rowid`: a plain rowid constraint would make FTS5 re-run the MATCH once per article
        sql.add("+articles_fts.rowid IN (SELECT rowid FROM articles WHERE id IN (SELECT value FROM json_each(?)))",
                json.dumps(ids))
    where = " AND ".join(sql.where)
    bm25 = f"SELECT rowid, bm25(articles_fts, {', '.join(map(str, ARTICLE_WEIGHTS))}) FROM articles_fts WHERE {where}"
    if any(len(p) > 1 for p in q.phrases):
        # a phrase's walk checks word positions, its costly part, and phrases are specific:
        # rank in that same walk rather than walking once to count and once more to rank
        ranked = conn.execute(f"{bm25} LIMIT ?", [*sql.params, RANK_CAP + 1]).fetchall()
        found = [r[0] for r in ranked] if len(ranked) <= RANK_CAP else \
            _newest_matches(conn, "articles_fts", where, list(sql.params), RANK_CAP)
    else:
        ranked = None
        found = _newest_matches(conn, "articles_fts", where, list(sql.params), RANK_CAP)
    if len(found) <= RANK_CAP:
        # few enough to rank: FTS5's bm25() (article bodies are too long to score in Python;
        # counting a word's articles costs a 10,000th of what counting its notes does)
        scored = sorted(ranked if ranked is not None else conn.execute(bm25, list(sql.params)).fetchall(),
                        key=lambda r: (r[1], -r[0]))
        top = scored[:max(0, int(limit))]
    else:
        if hints is not None:
            hints.append(f"more than {RANK_CAP:,} articles match: most recently added first")
        top = [(r, 0.0) for r in found[:max(0, int(limit))]]
    if not top:
        return []
    rank = dict(top)
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT rowid, id, title, date, body FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
        [json.dumps(list(rank))])}
    out = []
    for rowid, score in top:
        if rowid in rows:
            aid, title, date, body = rows[rowid]
            text, spans = snippet(body, q)
            out.append(ArticleHit(aid, title, date, text, tuple(spans), -float(score)))
    return out


def search(store, query: str, *, limit: int = 50, sort: str = "relevance", gazetteer=None,
           articles: bool = True, article_limit: int = 20) -> SearchResult:
    """Notes (and, for text queries without note filters, articles) matching `query`. Never raises.

    `store` is a `reader.store.Store` (or anything with `.conn`). The UI should call this off
    its event loop on a connection of its own (`Store.open(path)` in the worker).
    """
    q = parse_query(query)
    result = SearchResult(query=q, hints=list(q.hints))
    if sort not in SORTS:
        result.hints.append(f"unknown sort {sort!r}; sorted by relevance")
        sort = "relevance"
    try:
        result.notes = search_notes(store.conn, q, limit=limit, sort=sort, gazetteer=gazetteer, hints=result.hints)
        if articles and q.has_text and not q.has_note_filters:
            result.articles = search_articles(store.conn, q, limit=article_limit, hints=result.hints)
    except sqlite3.Error as exc:  # the database failed (locked, corrupt), not the query
        result.error = f"search failed: {exc}"
    return result
