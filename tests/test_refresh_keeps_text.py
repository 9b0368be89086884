"""A feed refresh never makes an article poorer, and fetches the full text of summary-only items.

All against a 127.0.0.1 server (tests/test_import_http.py's `http_server`).
"""

from __future__ import annotations

from reader.importers import ImportOptions, add_feed, import_sources, refresh_feeds
from reader.notes import NoteStore
from reader.versions import versions
from test_import_http import FAST, http_server  # noqa: F401 - the fixture

OPTS = ImportOptions(fetch=FAST, html_extractor="basic")

PAGE = """<!doctype html><html><head><title>Fuel queues lengthen in Gao</title></head><body>
<article><h1>Fuel queues lengthen in Gao</h1>
<p>Traders said fuel prices in Gao had doubled since the start of the month, and that the road from
Niamey had been closed for nine days after an attack on a convoy near Ansongo.</p>
<p>Drivers who reached the city described checkpoints every few kilometres and long waits while soldiers
searched the lorries. Several said they would not make the journey again without an escort.</p>
<p>A local official said the regional authorities had asked the army for escorts and that a first convoy
could leave at the end of the week if the security situation allowed it.</p>
</article></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel desk</title>
<link>{base}/</link>
<item><title>Fuel queues lengthen in Gao</title><link>{base}/gao-fuel.html</link><guid>desk-1</guid>
<pubDate>Tue, 14 Mar 2023 08:00:00 GMT</pubDate>
<description>Fuel prices have doubled in Gao, traders say, as the road stays closed.</description></item>
</channel></rss>"""


def test_refresh_keeps_the_full_page_and_the_note(http_server, store):  # noqa: F811
    http_server.add("/gao-fuel.html", PAGE)
    http_server.add("/feed.xml", FEED.format(base=http_server.base), "application/rss+xml")
    [page] = import_sources(store, [http_server.url("/gao-fuel.html")], options=OPTS).items
    assert page.status == "imported"
    full = store.article(page.article_id).body
    notes = NoteStore(store)
    note = notes.add(page.article_id, "prices", quote="fuel prices in Gao had doubled")

    add_feed(store, http_server.url("/feed.xml"))
    first = refresh_feeds(store, options=OPTS)
    assert [(i.status, i.article_id) for i in first.items] == [("updated", page.article_id)]
    assert store.article(page.article_id).body == full  # not the one-line summary
    assert len(store.article_ids()) == 1
    assert store.article(page.article_id).source == "Sahel desk" and store.article(page.article_id).date == "2023-03-14"
    after = notes.get(note.id)
    assert after.status == "anchored" and not after.needs_review and after.quote == "fuel prices in Gao had doubled"
    assert len(versions(store.conn, page.article_id)) == 1

    http_server.add("/feed.xml", FEED.format(base=http_server.base).replace("desk-1", "desk-1b"),
                    "application/rss+xml")  # the same item again under a new guid
    second = refresh_feeds(store, options=OPTS)
    assert [i.status for i in second.items] == ["unchanged"]
    assert len(versions(store.conn, page.article_id)) == 1  # no new version, no re-anchoring
    assert notes.get(note.id).updated == after.updated


def test_summary_only_item_gets_the_pages_full_text(http_server, store):  # noqa: F811
    http_server.add("/gao-fuel.html", PAGE)
    http_server.add("/feed.xml", FEED.format(base=http_server.base), "application/rss+xml")
    add_feed(store, http_server.url("/feed.xml"))
    [item] = refresh_feeds(store, options=OPTS).items
    assert item.status == "imported" and "full text fetched" in item.note
    body = store.article(item.article_id).body
    assert "a first convoy could leave at the end of the week" in " ".join(body.split())
    assert "Full story:" not in body
    [v] = versions(store.conn, item.article_id)
    assert v.produced_by == "feed"


def test_summary_kept_when_the_page_cannot_be_fetched(http_server, store):  # noqa: F811
    http_server.add("/feed.xml", FEED.format(base=http_server.base), "application/rss+xml")  # page: 404
    add_feed(store, http_server.url("/feed.xml"))
    [item] = refresh_feeds(store, options=OPTS).items
    assert item.status == "imported" and "full text not fetched" in item.note
    assert "Full story:" in store.article(item.article_id).body


def test_a_longer_feed_text_does_update(http_server, store):  # noqa: F811
    short = ("<html><head><title>Fuel in Gao</title></head><body><article><p>Fuel prices have doubled in Gao, "
             "traders say, and the road from Niamey is still closed after the attack on a convoy near Ansongo last "
             "week, according to drivers who reached the city.</p></article></body></html>")
    http_server.add("/gao-fuel.html", short)
    [page] = import_sources(store, [http_server.url("/gao-fuel.html")], options=OPTS).items
    assert page.status == "imported", page.reason
    long_summary = "Traders in Gao said prices had doubled. " * 20
    rich = FEED.format(base=http_server.base).replace(
        "Fuel prices have doubled in Gao, traders say, as the road stays closed.", long_summary)
    http_server.add("/feed.xml", rich, "application/rss+xml")
    add_feed(store, http_server.url("/feed.xml"))
    [item] = refresh_feeds(store, options=OPTS).items
    assert item.status == "updated"
    assert len(versions(store.conn, page.article_id)) == 2
