"""Feed subscriptions: the `feeds` table and the items already seen in each feed.

A refresh fetches each subscribed feed (conditionally, with the ETag / Last-Modified the
server gave last time) and imports only the items whose key it has not seen before, so an
article the user deleted is not brought back by the next refresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from reader.importers.fetch import FetchError, canonical_url, check_url
from reader.store import now_iso
from reader.text import sanitize_line


class SubscriptionError(ValueError):
    """A subscription request that cannot be carried out; the message is one line."""


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    site_url: str
    tags: tuple[str, ...]
    added_at: str
    checked_at: str  # "" until the first refresh
    status: str  # "" (never checked), "ok", "not modified", or the last error
    items: int  # items seen so far
    folder: str = ""  # the folder path it sits in ("Sahel/Mali"), '' at the top level


def normalise_feed_url(url: str) -> str:
    try:
        check_url(url)
    except FetchError as exc:
        raise SubscriptionError(str(exc)) from None
    canonical = canonical_url(url)
    if not canonical:
        raise SubscriptionError(f"{url}: not a usable http(s) URL")
    return canonical


def feed_tags(tags) -> list[str]:
    """Tags as feeds keep them: one line, lower case, no duplicates, order kept."""
    return list(dict.fromkeys(t for t in (sanitize_line(str(t)).strip().lower() for t in tags) if t))


def folder_path(parts) -> str:
    """A folder path from its names ("Sahel", "Mali" -> "Sahel/Mali"); a '/' inside a name becomes '-'."""
    return "/".join(p for p in (sanitize_line(str(x)).strip().replace("/", "-")[:100] for x in parts) if p)


def add_feed(store, url: str, *, title: str = "", tags=(), site_url: str = "", folder: str = "") -> bool:
    """Subscribe; True if new, False if already subscribed (its tags are then extended, and
    an empty title, site URL or folder filled in)."""
    url = normalise_feed_url(url)
    clean_tags = feed_tags(tags)
    site = canonical_url(site_url) if site_url else ""
    title = sanitize_line(title)[:200]
    with store.transaction() as c:
        row = c.execute("SELECT tags FROM feeds WHERE url = ?", (url,)).fetchone()
        if row:
            merged = list(dict.fromkeys([*json.loads(row[0]), *clean_tags]))
            c.execute("UPDATE feeds SET tags = ? WHERE url = ?", (json.dumps(merged, ensure_ascii=False), url))
            for column, value in (("title", title), ("site_url", site), ("folder", folder)):
                if value:
                    c.execute(f"UPDATE feeds SET {column} = ? WHERE url = ? AND {column} = ''", (value, url))
            return False
        c.execute("INSERT INTO feeds (url, title, tags, added_at, site_url, folder) VALUES (?, ?, ?, ?, ?, ?)",
                  (url, title, json.dumps(clean_tags, ensure_ascii=False), now_iso(), site, folder))
        return True


def remove_feed(store, url: str) -> bool:
    """Unsubscribe (its articles stay in the library); False if it was not subscribed."""
    candidates = {url.strip(), canonical_url(url)}
    with store.transaction() as c:
        for candidate in candidates:
            if candidate and c.execute("DELETE FROM feeds WHERE url = ?", (candidate,)).rowcount:
                return True
    return False


def list_feeds(store) -> list[Feed]:
    rows = store.conn.execute(
        "SELECT f.url, f.title, f.site_url, f.tags, f.added_at, f.checked_at, f.status,"
        " (SELECT count(*) FROM feed_items i WHERE i.feed_url = f.url), f.folder"
        " FROM feeds f ORDER BY f.title = '', lower(f.title), f.url")
    return [Feed(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6], r[7], r[8]) for r in rows]


def get_feed(store, url: str) -> Feed | None:
    canonical = canonical_url(url)
    for feed in list_feeds(store):
        if feed.url in (url, canonical):
            return feed
    return None


def conditional_headers(store, url: str) -> dict[str, str]:
    row = store.conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
    headers = {}
    if row and row[0]:
        headers["If-None-Match"] = row[0]
    if row and row[1]:
        headers["If-Modified-Since"] = row[1]
    return headers


def seen_keys(store, url: str) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT item_key FROM feed_items WHERE feed_url = ?", (url,))}


def mark_seen(store, url: str, key: str, article_id: str) -> None:
    with store.transaction() as c:
        c.execute("INSERT INTO feed_items (feed_url, item_key, article_id, seen_at) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT(feed_url, item_key) DO UPDATE SET"
                  " article_id = CASE WHEN excluded.article_id != '' THEN excluded.article_id"
                  " ELSE feed_items.article_id END",
                  (url, key, article_id, now_iso()))


def record_check(store, url: str, *, status: str, title: str = "", site_url: str = "",
                 etag: str | None = None, last_modified: str | None = None) -> None:
    with store.transaction() as c:
        c.execute("UPDATE feeds SET checked_at = ?, status = ? WHERE url = ?", (now_iso(), status[:300], url))
        if title:
            c.execute("UPDATE feeds SET title = ? WHERE url = ? AND title = ''", (title[:200], url))
        if site_url:
            c.execute("UPDATE feeds SET site_url = ? WHERE url = ?", (site_url, url))
        if etag is not None:
            c.execute("UPDATE feeds SET etag = ? WHERE url = ?", (etag[:300], url))
        if last_modified is not None:
            c.execute("UPDATE feeds SET last_modified = ? WHERE url = ?", (last_modified[:100], url))
