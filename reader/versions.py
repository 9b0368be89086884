"""Article versions: every distinct text an article has had, and what changed between two.

A note is only as trustworthy as the text it points into. Keeping each version (content
hash, when, and what produced it: a file re-import, a URL fetch, a feed refresh) means an
orphaned note can always be shown in the text it was written on, and a reader can see
what an edit did before accepting a moved note. The current text lives in
``articles.body``; its version row has ``body`` NULL (see schema ``_v2_versions``).
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass

from reader.text import word_count

PRODUCERS = ("sample", "file", "url", "feed", "import", "note-import")


@dataclass(frozen=True)
class Version:
    seq: int
    article_id: str
    hash: str
    title: str
    words: int
    produced_by: str  # one of PRODUCERS
    source: str  # the file path, page URL or feed URL it came from
    created: str
    current: bool


def record(conn: sqlite3.Connection, article_id: str, *, body: str, hash: str, title: str,
           produced_by: str, source: str, now: str, previous_body: str | None = None) -> None:
    """Make `body` the article's current version (inside the caller's transaction).

    `previous_body` is the text it replaces (None for a new article); it moves into the old
    current row so that text is never lost. A text seen before becomes current again.
    """
    if previous_body is not None:
        conn.execute("UPDATE article_versions SET body = ? WHERE article_id = ? AND body IS NULL",
                     (previous_body, article_id))
    row = conn.execute("SELECT seq FROM article_versions WHERE article_id = ? AND hash = ?",
                       (article_id, hash)).fetchone()
    if row:
        conn.execute("UPDATE article_versions SET body = NULL WHERE seq = ?", (row[0],))
        return
    conn.execute(
        "INSERT INTO article_versions (article_id, hash, body, title, words, produced_by, source, created, article)"
        " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, (SELECT id FROM articles WHERE id = ?))",
        (article_id, hash, title, word_count(body), produced_by if produced_by in PRODUCERS else "import",
         source, now, article_id))


def versions(conn: sqlite3.Connection, article_id: str) -> list[Version]:
    """The article's versions, oldest first."""
    rows = conn.execute(
        "SELECT seq, article_id, hash, title, words, produced_by, source, created, body IS NULL"
        " FROM article_versions WHERE article_id = ? ORDER BY created, seq", (article_id,))
    return [Version(*r[:8], current=bool(r[8])) for r in rows]


def version_text(conn: sqlite3.Connection, article_id: str, hash: str) -> str | None:
    """The text of one version (the current one comes from the article), or None if unknown."""
    r = conn.execute(
        "SELECT coalesce(v.body, a.body) FROM article_versions v"
        " LEFT JOIN articles a ON a.id = v.article_id AND a.hash = v.hash"
        " WHERE v.article_id = ? AND v.hash = ?", (article_id, hash)).fetchone()
    return r[0] if r else None


_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class DiffPiece:
    kind: str  # "same", "added" or "removed"
    text: str


def word_diff(old: str, new: str) -> list[DiffPiece]:
    """What changed from `old` to `new`, word by word (whitespace and punctuation are tokens)."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    out: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(DiffPiece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(DiffPiece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(DiffPiece("added", "".join(b[j1:j2])))
    return out


def diff_summary(pieces: list[DiffPiece]) -> str:
    """"+12 / -3 words" for a list."""
    added = sum(word_count(p.text) for p in pieces if p.kind == "added")
    removed = sum(word_count(p.text) for p in pieces if p.kind == "removed")
    return f"+{added} / -{removed} words"
