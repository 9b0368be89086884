"""Read/unread state of articles, as newsboat users expect to change it (core: no Textual).

Kept beside the store rather than in it: these are two UPDATEs through the store's public
write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable


def set_unread(store, article_id: str, unread: bool) -> None:
    """Mark one article unread (True) or read (False)."""
    with store.transaction() as c:
        c.execute("UPDATE articles SET unread = ? WHERE id = ?", (1 if unread else 0, article_id))


def toggle_unread(store, article_id: str) -> bool | None:
    """Flip one article between read and unread; its new state, or None if there is no such article."""
    with store.transaction() as c:
        row = c.execute("SELECT unread FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        c.execute("UPDATE articles SET unread = ? WHERE id = ?", (0 if row[0] else 1, article_id))
        return not row[0]


def mark_all_read(store, article_ids: Iterable[str] | None = None) -> int:
    """Mark these articles (all of them by default) read; returns how many were unread."""
    with store.transaction() as c:
        if article_ids is None:
            return c.execute("UPDATE articles SET unread = 0 WHERE unread = 1").rowcount
        ids = list(article_ids)
        changed = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            changed += c.execute(f"UPDATE articles SET unread = 0 WHERE unread = 1 AND id IN "
                                 f"({','.join('?' * len(chunk))})", chunk).rowcount
        return changed
