"""Subscriptions: feeds add/list/remove, OPML, and refresh adding only items not seen before."""

from __future__ import annotations

import json

import pytest

from reader.cli import main
from reader.importers import ImportOptions, add_feed, import_sources, list_feeds, refresh_feeds, remove_feed
from reader.importers.subscriptions import SubscriptionError
from test_import_http import FAST, FIXTURES, http_server  # noqa: F401 - the fixture

OPTS = ImportOptions(fetch=FAST)

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Growing feed</title>
<link>https://grow.example.org/</link>{items}</channel></rss>"""
ITEM = """<item><title>Item number {n}</title><link>https://grow.example.org/{n}</link><guid>grow-{n}</guid>
<description>Text of item number {n}, which is long enough to read as a short article.</description></item>"""


def growing(n: int) -> str:
    return RSS.format(items="".join(ITEM.format(n=i) for i in range(n, 0, -1)))


def test_add_list_remove(store):
    assert add_feed(store, "HTTPS://Feeds.Example.org/rss#x", tags=["Mali"]) is True
    assert add_feed(store, "https://feeds.example.org/rss", tags=["niger"]) is False
    [feed] = list_feeds(store)
    assert (feed.url, feed.tags, feed.checked_at, feed.items) == ("https://feeds.example.org/rss", ("mali", "niger"), "", 0)
    assert remove_feed(store, "https://feeds.example.org/rss#x") is True
    assert remove_feed(store, "https://feeds.example.org/rss") is False
    assert list_feeds(store) == []


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "not a url", "http://"])
def test_add_refuses_non_http_urls(store, url):
    with pytest.raises(SubscriptionError) as info:
        add_feed(store, url)
    assert "\n" not in str(info.value)


def test_refresh_adds_only_new_items(http_server, store):
    http_server.add("/grow.xml", growing(2), "application/rss+xml")
    add_feed(store, http_server.url("/grow.xml"), tags=["grow"])
    first = refresh_feeds(store, options=OPTS)
    assert (first.count("imported"), first.feeds_checked) == (2, 1)
    assert store.article("item-number-1").tags == ["grow"]
    store.delete_article("item-number-1")  # deleted by the user: must not come back
    http_server.add("/grow.xml", growing(3), "application/rss+xml")
    second = refresh_feeds(store, options=OPTS)
    assert [(i.status, i.article_id) for i in second.items] == [("imported", "item-number-3")]
    assert store.article("item-number-1") is None
    [feed] = list_feeds(store)
    assert feed.status == "ok" and feed.items == 3 and feed.title == "Growing feed" and feed.checked_at


def test_refresh_uses_etag_and_reports_failures(http_server, store):
    http_server.add("/etag.xml", growing(1), "application/rss+xml", headers={"ETag": '"v1"'})
    add_feed(store, http_server.url("/etag.xml"))
    add_feed(store, http_server.url("/gone.xml"))
    add_feed(store, http_server.url("/slow"))
    report = refresh_feeds(store, options=OPTS)
    assert report.count("imported") == 1 and report.feeds_checked == 3
    reasons = sorted(i.reason for i in report.skipped)
    assert "HTTP 404" in reasons[0] and "read timeout" in reasons[1]
    again = refresh_feeds(store, urls=[http_server.url("/etag.xml")], options=OPTS)
    assert again.items == [] and again.feeds_checked == 1
    assert http_server.requests[-1][1].get("If-None-Match") == '"v1"'
    status = {f.url: f.status for f in list_feeds(store)}
    assert status[http_server.url("/etag.xml")] == "not modified"
    assert "HTTP 404" in status[http_server.url("/gone.xml")]


def test_malformed_feed_on_refresh_is_one_line(http_server, store):
    http_server.add("/broken.xml", (FIXTURES / "bad" / "malformed.xml").read_bytes(), "application/rss+xml")
    add_feed(store, http_server.url("/broken.xml"))
    [item] = refresh_feeds(store, options=OPTS).items
    assert item.kind == "feed" and "not a readable feed" in item.reason and "\n" not in item.reason


def test_importing_a_subscribed_feed_marks_items_seen(http_server, store):
    http_server.add("/grow.xml", growing(2), "application/rss+xml")
    add_feed(store, http_server.url("/grow.xml"))
    assert import_sources(store, [http_server.url("/grow.xml")], options=OPTS).count("imported") == 2
    assert refresh_feeds(store, options=OPTS).items == []


def test_opml_import_subscribes_without_fetching(http_server, store):
    report = import_sources(store, [FIXTURES / "mixed" / "subscriptions.opml"])
    assert report.count("subscribed") == 2 and http_server.requests == []
    assert import_sources(store, [FIXTURES / "mixed" / "subscriptions.opml"]).count("unchanged") == 2


def test_opml_refuses_entity_declarations(store, tmp_path):
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                    '<opml><body><outline xmlUrl="https://x.example/&b;"/></body></opml>')
    [item] = import_sources(store, [bomb]).items
    assert item.reason == f"{bomb}: declares XML entities (refused: they can be abused to exhaust memory)"


def test_cli_feeds_verbs_and_refresh(http_server, capsys, db_path, monkeypatch):
    import reader.importers as importers

    monkeypatch.setattr(importers, "ImportOptions", lambda **kw: OPTS)
    http_server.add("/grow.xml", growing(2), "application/rss+xml")
    url = http_server.url("/grow.xml")
    assert main(["refresh", "--db", str(db_path)]) == 1
    assert "no feeds to refresh" in capsys.readouterr().err
    assert main(["feeds", "add", url, "--tag", "t1", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith(f"subscribed to {url}")
    assert main(["feeds", "add", "ftp://x.example/feed", "--db", str(db_path)]) == 1
    assert capsys.readouterr().err == "mali-reader: ftp://x.example/feed: only http:// and https:// URLs can be fetched\n"
    assert main(["refresh", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "refreshed 1 feed(s): imported 2, updated 0, skipped 0"
    assert main(["refresh", "--json", "--db", str(db_path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [{**rows[0], "summary": True, "imported": 0, "feeds_checked": 1}]
    assert main(["feeds", "list", "--json", "--db", str(db_path)]) == 0
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["url"], row["tags"], row["items"], row["status"]) == (url, ["t1"], 2, "ok")
    assert main(["feeds", "remove", url, "--db", str(db_path)]) == 0
    assert main(["feeds", "remove", url, "--db", str(db_path)]) == 1
    assert "not subscribed" in capsys.readouterr().err
