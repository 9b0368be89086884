"""Putting one imported article into the store, deduplicated, with its notes moved, in one transaction.

An incoming article is the same as a stored one when it has the same canonical URL, else the
same file path (re-importing a file updates it), else exactly the same text. A URL or path
match updates the stored article in place (same id, so notes, reading position and read
state stay attached). A text match with a different URL or path is a copy and is skipped,
naming the original.

This is the one place where a new text meets existing notes: `store_article` stores the
article (the store keeps the old text as a version) and re-anchors its notes in the same
transaction, so a crash can never leave notes pointing into a text that is not stored.
A feed item never makes an article poorer: its body replaces a stored one only when it is
longer (a feed's one-line summary must not replace the page's full text).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.articles import Article
from reader.notes import NoteStore
from reader.text import slugify

_KEEP_IF_EMPTY = ("date", "place", "source", "summary", "author", "url", "path")


@dataclass
class Saved:
    status: str  # "imported", "updated", "unchanged" or "skipped"
    article_id: str
    reason: str = ""
    note: str = ""
    notes: dict[str, int] = field(default_factory=dict)  # re-anchoring outcomes, when the text changed


def _merge_tags(*groups) -> list[str]:
    out: list[str] = []
    for group in groups:
        for tag in group:
            if tag and tag not in out:
                out.append(tag)
    return out


def notes_summary(counts: dict[str, int]) -> str:
    """"2 notes moved, 1 needs review, 1 orphaned" (exact per-note counts; '' when none moved)."""
    parts = []
    if counts.get("moved"):
        parts.append(f"{counts['moved']} note{'s' * (counts['moved'] != 1)} moved")
    if counts.get("review"):
        parts.append(f"{counts['review']} need{'s' * (counts['review'] == 1)} review")
    if counts.get("orphaned"):
        parts.append(f"{counts['orphaned']} orphaned")
    if counts.get("kept") and parts:
        parts.append(f"{counts['kept']} unchanged")
    return ", ".join(parts)


def store_article(store, article: Article, *, produced_by: str = "import", source: str = "") -> tuple[str, dict]:
    """`Store.upsert_article` plus re-anchoring of the article's notes when its text is new or
    changed. Returns (status, re-anchoring counts)."""
    with store.transaction():
        before = store.article_hash(article.id)
        status = store.upsert_article(article, origin=produced_by, source=source)
        counts: dict[str, int] = {}
        if status != "unchanged" and before != article.hash:
            has_notes = store.conn.execute("SELECT 1 FROM notes WHERE article_id = ? LIMIT 1",
                                           (article.id,)).fetchone()
            if has_notes:  # notes imported before their article, or notes on the old text
                counts = NoteStore(store).reanchor_article(article.id)
        return status, counts


def save_article(store, article: Article, *, tags=(), produced_by: str = "import") -> Saved:
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
            kept = ""
            if produced_by == "feed" and len(article.body.strip()) <= len(old.body.strip()):
                # a feed refresh updates what the feed knows (title, date, source) but keeps the
                # richer text the library already has
                article.body, article.spans = old.body, old.spans
                kept = "kept the longer text already in the library"
            status, counts = store_article(store, article, produced_by=produced_by,
                                           source=article.url or article.path)
            if produced_by == "feed" and old.hash != article.hash:
                store.conn.execute("UPDATE articles SET unread = 1 WHERE id = ?", (existing,))  # richer now
            note = "; ".join(x for x in (kept if status == "updated" else "", notes_summary(counts)) if x)
            if counts and not note:
                note = f"text changed; {counts.get('kept', 0)} note(s) unaffected"
            return Saved("updated" if status == "updated" else "unchanged", existing, note=note, notes=counts)
        article.id = store.unique_article_id(slugify(article.title))
        article.tags = _merge_tags(article.tags, tags)
        _, counts = store_article(store, article, produced_by=produced_by, source=article.url or article.path)
        return Saved("imported", article.id, note=notes_summary(counts), notes=counts)


def import_samples(store, force: bool = False) -> list[str]:
    """On first run, load the bundled samples; returns one line per sample that failed.

    Later runs do nothing (unless `force`), so an article the user deleted stays deleted.
    """
    from reader.articles import load_samples
    from reader.store import now_iso

    if not force and store.setting("samples_imported"):
        return []
    articles, errors = load_samples()
    with store.transaction():
        for article in articles:
            store_article(store, article, produced_by="sample", source=article.path)
        store.set_setting("samples_imported", now_iso())
    return errors
