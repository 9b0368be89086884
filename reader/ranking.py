"""BM25 ranking of a bounded set of full-text matches, without FTS5's `bm25()`.

FTS5's `bm25()` counts, once per query, every row that contains each phrase (its inverse
document frequency): a word found in most notes costs a walk of its whole posting list,
~6 ms per phrase on 100,000 notes and ten times that on a million, even when the query as a
whole matches a few hundred notes. Here the candidates are already known (at most a few
hundred rowids), so the score is computed from their own text, with the same formula and
column weights as `bm25()`; only the document frequencies come from the index, counted up
to `DF_CAP` rows and extrapolated beyond from the rate in the newest rows (exact below the
cap; within 3% on the bench library, whose words are spread evenly in time; a ranking, not a
result set, depends on them). The table's row count and average length
come from the FTS5 averages record, so nothing here scans the table.

Occurrences are found as FTS5's unicode61 tokenizer (remove_diacritics 2) finds them in
ordinary text: runs of letters and digits, folded (`reader.text.fold`); a phrase overlapping
itself ("a a" in "a a a") counts once where FTS5 counts twice. Document lengths are FTS5's
own (its docsize records), so otherwise the scores are `bm25()`'s.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
from bisect import bisect_right
from collections import OrderedDict
from functools import lru_cache

from reader.text import fold

K1, B = 1.2, 0.75
DF_CAP = 2000  # posting-list rows counted per phrase before extrapolating
_df_cache: OrderedDict = OrderedDict()  # shared by the threads that search
_df_lock = threading.Lock()
_DF_CACHE_SIZE = 512


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    """An SQLite varint at `buf[i]` (FTS5 uses SQLite's format): (value, next index)."""
    v = 0
    for k in range(8):
        b = buf[i + k]
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            return v, i + k + 1
    return (v << 8) | buf[i + 8], i + 9


def table_stats(conn: sqlite3.Connection, table: str) -> tuple[int, float]:
    """(rows, average tokens a row over all columns) from an FTS5 table's averages record."""
    row = conn.execute(f"SELECT block FROM [{table}_data] WHERE id = 1").fetchone()
    if not row or not row[0]:
        return 0, 1.0
    buf = bytes(row[0])
    n, i = _varint(buf, 0)
    total = 0
    while i < len(buf):
        v, i = _varint(buf, i)
        total += v
    return n, (total / n if n else 1.0)


def doc_length(blob: bytes | None) -> int:
    """Tokens in a row over all columns, from its FTS5 docsize record (one varint a column)."""
    buf = bytes(blob or b"")
    if not buf or max(buf) < 0x80:  # every column under 128 tokens: one byte each
        return sum(buf)
    i = total = 0
    while i < len(buf):
        v, i = _varint(buf, i)
        total += v
    return total


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else fold(text)


_END, _SEP = r"(?![^\W_])", r"[\W_]+"  # a token's end, what lies between two tokens


@lru_cache(maxsize=256)
def needle(tokens_: tuple[str, ...], prefix: bool) -> re.Pattern:
    """A pattern finding one query phrase's occurrences in folded text, as FTS5 matches them:
    whole tokens (the last one as a prefix when `prefix`), separated by anything else.

    The pattern starts with its first letters, so the scan is a fast literal search; that
    the match starts a token (a lookbehind, which would be tried at every position of the
    text) is checked on the matches only (`_starts_token`)."""
    body = _SEP.join(re.escape(fold(t)) for t in tokens_)
    return re.compile(body + ("" if prefix else _END))


_NUL = re.compile("\x00")


def _starts_token(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()


def document_frequency(conn: sqlite3.Connection, table: str, expr: str, n_rows: int,
                       max_rowid: int) -> int:
    """Rows of `table` matching `expr`: exact up to DF_CAP, extrapolated from the rowid span
    of the newest DF_CAP matches beyond (rowids follow insertion, words do not)."""
    # this connection's view of the table: changes through it (total_changes) or any other
    # (data_version); the sizes guard against another connection reusing a closed one's id
    key = (id(conn), table, expr, n_rows, max_rowid, conn.total_changes,
           conn.execute("PRAGMA data_version").fetchone()[0])
    with _df_lock:
        if key in _df_cache:
            _df_cache.move_to_end(key)
            return _df_cache[key]
    count, lowest = conn.execute(
        f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM [{table}] WHERE [{table}] MATCH ?"
        " ORDER BY rowid DESC LIMIT ?)", (expr, DF_CAP)).fetchone()
    if count >= DF_CAP and lowest is not None and max_rowid > lowest:
        count = min(n_rows, round(count * max_rowid / (max_rowid - lowest + 1)))
    with _df_lock:
        _df_cache[key] = count
        if len(_df_cache) > _DF_CACHE_SIZE:
            _df_cache.popitem(last=False)
    return count


def idf(n_rows: int, df: int) -> float:
    """FTS5's inverse document frequency (never below 1e-6)."""
    value = math.log((n_rows - df + 0.5) / (df + 0.5)) if n_rows else 0.0
    return value if value > 0 else 1e-6


def bm25_scores(docs: dict[int, tuple[int, list[str]]], needles: list[tuple[re.Pattern, float]],
                weights: tuple[float, ...], avg_len: float) -> dict[int, float]:
    """BM25 of each document (rowid -> (its tokens, its column texts)) for the query's
    phrases: (pattern from `needle`, idf) each. Higher is better (bm25() returns the negative).

    All the documents' folded columns are searched as one text, a pattern at a time (a few
    regex scans instead of one per column per document), each match credited to the column
    it falls in; a match running from one column into the next is not an occurrence.
    """
    ncol = len(weights)
    text = _fold("\x00".join(col or "" for _length, cols in docs.values() for col in cols))
    starts = [0] + [m.end() for m in _NUL.finditer(text)]  # where each column begins
    rowids = list(docs)
    freq = [[0.0] * len(needles) for _ in rowids]
    for k, (pattern, _) in enumerate(needles):
        for m in pattern.finditer(text):
            if not _starts_token(text, m.start()):
                continue
            seg = bisect_right(starts, m.start()) - 1
            if seg + 1 < len(starts) and m.end() >= starts[seg + 1]:
                continue  # across a column boundary
            freq[seg // ncol][k] += weights[seg % ncol]
    out = {}
    avg_len = avg_len or 1.0
    for i, rowid in enumerate(rowids):
        norm = K1 * (1 - B + B * docs[rowid][0] / avg_len)
        out[rowid] = sum(w_idf * f * (K1 + 1) / (f + norm) for (_, w_idf), f in zip(needles, freq[i]) if f)
    return out
