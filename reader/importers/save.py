"""Putting one imported article into the store, deduplicated, in one transaction.

An incoming article is the same as a stored one when it has the same canonical URL, else the
same file path (re-importing a file updates it), else exactly the same text. A URL or path
match updates the stored article in place (same id, so notes, reading position and read
state stay attached; `Store.upsert_article` re-anchors notes when the text changed). A text
match with a different URL or path is a copy and is skipped, naming the original.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.library import Article
from reader.text import slugify

_KEEP_IF_EMPTY = ("date", "place", "source", "summary", "author", "url", "path")


@dataclass
class Saved:
    status: str  # "imported", "updated", "unchanged" or "skipped"
    article_id: str
    reason: str = ""
    note: str = ""


def _merge_tags(*groups) -> list[str]:
    out: list[str] = []
    for group in groups:
        for tag in group:
            if tag and tag not in out:
                out.append(tag)
    return out


def _note_counts(store, article_id: str) -> tuple[int, int]:
    row = store.conn.execute(
        "SELECT count(*), coalesce(sum(status = 'orphaned'), 0) FROM notes WHERE article_id = ?",
        (article_id,)).fetchone()
    return row[0], row[1]


def _has_notes_table(store) -> bool:
    return bool(store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notes'").fetchone())


def save_article(store, article: Article, *, tags=()) -> Saved:
    """Insert, update or skip `article`; `article.id` is assigned (slug of the title) if new."""
    with store.transaction():
        existing, how = None, ""
        if article.url:
            existing, how = store.find_article(url=article.url), "url"
        if existing is None and article.path:
            existing, how = store.find_article(path=article.path), "path"
        if existing is None:
            existing, how = store.find_article(hash=article.hash), "hash"
        if existing is not None and how == "hash":
            old = store.article(existing)
            same_origin = old is not None and ((article.url and old.url == article.url) or
                                               (article.path and old.path == article.path))
            if not (article.url or article.path) or same_origin:
                return Saved("unchanged", existing)
            return Saved("skipped", existing, reason=f"same text as '{existing}' already in the library")
        if existing is not None:
            old = store.article(existing)
            article.id = existing
            for name in _KEEP_IF_EMPTY:
                if not getattr(article, name) and getattr(old, name):
                    setattr(article, name, getattr(old, name))
            article.tags = _merge_tags(old.tags, article.tags, tags)
            notes = _has_notes_table(store)
            before = _note_counts(store, existing) if notes else (0, 0)
            text_changed = old.hash != article.hash
            status = store.upsert_article(article)
            note = ""
            if status == "updated" and text_changed and before[0]:
                total, orphaned = _note_counts(store, existing)
                note = (f"text changed; {total} note(s) re-anchored"
                        + (f", {orphaned - before[1]} could not be placed and are now orphaned"
                           if orphaned > before[1] else ""))
            return Saved("updated" if status == "updated" else "unchanged", existing, note=note)
        article.id = store.unique_article_id(slugify(article.title))
        article.tags = _merge_tags(article.tags, tags)
        store.upsert_article(article)
        return Saved("imported", article.id)
