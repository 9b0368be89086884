"""RSS 0.9x/1.0/2.0 and Atom feeds (via feedparser) to articles, one per item.

An item's article holds the item's full content (``content:encoded`` or Atom ``<content>``)
when the feed carries it, else its summary followed by the link to the full story, marked
`summary_only` so that a refresh can fetch the linked page's full text instead
(`reader.importers._import_feed`). Titles,
authors and text are sanitised like every other text: feeds are a classic way to smuggle
terminal escapes and markup into a reader. An item is identified across refreshes by its
guid/Atom id, else its link, else a hash of its title and text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reader.importers.fetch import canonical_url
from reader.importers.html import html_to_text_and_spans
from reader.structure import Span
from reader.articles import Article, ArticleError, tidy_body
from reader.text import content_hash, sanitize, sanitize_line

SUMMARY_CHARS = 300


@dataclass
class FeedItem:
    key: str  # stable identity of the item inside its feed
    label: str  # what to call it in a report (title, else link)
    article: Article | None = None
    reason: str = ""  # why there is no article
    link: str = ""  # the item's web page
    summary_only: bool = False  # the feed carried a summary, not the article's text


@dataclass
class ParsedFeed:
    title: str
    site_url: str
    items: list[FeedItem] = field(default_factory=list)
    note: str = ""


def refuse_entities(data: bytes, name: str) -> None:
    """Entity declarations are how XML bombs are built; real feeds and OPML files never need them."""
    if b"<!ENTITY" in data[:65536].upper():
        raise ArticleError(f"{name}: declares XML entities (refused: they can be abused to exhaust memory)")


def _text_of(value: str, mime: str) -> str:
    return _text_and_spans(value, mime)[0]


def _text_and_spans(value: str, mime: str) -> tuple[str, list[Span]]:
    """The plain text of a feed field and, when it is HTML, its structure."""
    if not value:
        return "", []
    if "html" in (mime or "") or "<" in value:
        return html_to_text_and_spans(value)
    return tidy_body(sanitize(value)), []


def _line(value: str, mime: str = "") -> str:
    text = _text_of(value or "", mime) if "<" in (value or "") else sanitize(value or "")
    return sanitize_line(text)


def _date(entry) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return dt.date(t.tm_year, t.tm_mon, t.tm_mday).isoformat()
            except (ValueError, AttributeError):
                continue
    return ""


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _item(entry, feed_title: str, name: str) -> FeedItem:
    title = _line(entry.get("title", ""), entry.get("title_detail", {}).get("type", ""))[:300]
    link = canonical_url(entry.get("link", "") or "")
    contents = [c for c in entry.get("content", []) or [] if c.get("value")]
    content_text, content_spans = "", []
    if contents:
        best = max(contents, key=lambda c: len(c.get("value", "")))
        content_text, content_spans = _text_and_spans(best.get("value", ""), best.get("type", ""))
    summary_detail = entry.get("summary_detail", {}) or {}
    summary_text, summary_spans = _text_and_spans(entry.get("summary", "") or "", summary_detail.get("type", ""))
    if content_text:
        body, spans = content_text, content_spans
    elif summary_text:
        body, spans = summary_text + (f"\n\nFull story: {link}" if link else ""), summary_spans
    else:
        body, spans = "", []
    key = sanitize_line(entry.get("id", "") or "") or link or content_hash(title + "\n" + body)
    label = title or link or key[:60]
    if not body:
        where = f" (only a link: {link})" if link else ""
        return FeedItem(key, label, reason=f"{name}: item {label!r} has no text{where}")
    if not title:
        title = sanitize_line(body.split("\n", 1)[0])[:120]
    article = Article(
        id="",
        title=title,
        body=body,
        date=_date(entry),
        source=feed_title,
        summary=_shorten(summary_text) if content_text and summary_text else "",
        author=_line(entry.get("author", "") or "")[:200],
        url=link,
        spans=spans,
    )
    return FeedItem(key, label, article=article, link=link, summary_only=not content_text)


def parse_feed(data: bytes, *, name: str, url: str = "", content_type: str = "") -> ParsedFeed:
    """Every item of a feed; ArticleError when the document is not a readable feed."""
    import feedparser

    refuse_entities(data, name)
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    result = feedparser.parse(data, response_headers=headers)
    entries = result.get("entries", [])
    problem = " ".join(str(result.get("bozo_exception", "")).split())[:120]
    if not entries:
        if result.get("bozo"):
            raise ArticleError(f"{name}: not a readable feed ({problem or 'malformed XML'})")
        if not result.get("version"):
            raise ArticleError(f"{name}: not an RSS or Atom feed")
    feed = result.get("feed", {})
    title = _line(feed.get("title", ""), feed.get("title_detail", {}).get("type", ""))[:200]
    parsed = ParsedFeed(title=title, site_url=canonical_url(feed.get("link", "") or ""))
    if result.get("bozo") and entries:
        parsed.note = f"the feed is not well-formed ({problem}); read {len(entries)} item(s) anyway"
    for entry in entries:
        parsed.items.append(_item(entry, title, name))
    return parsed
