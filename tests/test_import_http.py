"""Fetching and importing over HTTP from a local server on 127.0.0.1 (never the internet).

`http_server` is also used by tests/test_feeds.py (imported from here).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.cli import main
from reader.importers import ImportOptions, import_sources
from reader.importers.fetch import FetchError, FetchOptions, canonical_url, fetch
from reader.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "import"
FAST = FetchOptions(connect_timeout=2, read_timeout=0.5, total_timeout=3, max_bytes=1024 * 1024, max_redirects=5)


class LocalSite:
    """Routes: path -> (status, content type, body bytes, extra headers); a few dynamic ones."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes, dict]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.base = ""

    def add(self, path, body, content_type="text/html; charset=utf-8", status=200, headers=None):
        self.routes[path] = (status, content_type, body if isinstance(body, bytes) else body.encode(), headers or {})

    def url(self, path):
        return self.base + path


def _handler(site: LocalSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def _send(self, status, ctype, body, headers=None):
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if body is not None and "Content-Length" not in (headers or {}):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                try:
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeouts, size caps): expected here
                    pass

        def do_GET(self):  # noqa: N802
            site.requests.append((self.path, dict(self.headers)))
            p = self.path
            if p.startswith("/redirect/"):
                n = int(p.rsplit("/", 1)[1])
                return self._send(302, None, b"", {"Location": f"/redirect/{n - 1}" if n > 1 else "/page.html"})
            if p == "/loop/a":
                return self._send(301, None, b"", {"Location": "/loop/b"})
            if p == "/loop/b":
                return self._send(301, None, b"", {"Location": site.url("/loop/a")})
            if p == "/to-ftp":
                return self._send(302, None, b"", {"Location": "ftp://127.0.0.1/feed.xml"})
            if p == "/slow":
                time.sleep(1.5)
                return self._send(200, "text/html", b"<p>late</p>")
            if p == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(40):  # 8 s in all, a byte every 0.2 s: never a read timeout
                    try:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.2)
                return None
            if p == "/big-unannounced":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                try:
                    for _ in range(64):
                        self.wfile.write(b"word " * 8192)
                except OSError:
                    pass
                return None
            route = site.routes.get(p)
            if route is None:
                return self._send(404, "text/html", b"<h1>not found</h1>")
            status, ctype, body, headers = route
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                return self._send(304, None, None, {"ETag": etag})
            return self._send(status, ctype, body, headers)

    return Handler


@pytest.fixture
def http_server(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    site = LocalSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.add("/page.html", (FIXTURES / "mixed" / "sahel-page.html").read_bytes())
    site.add("/no-article.html", (FIXTURES / "bad" / "no-article.html").read_bytes())
    site.add("/atom.xml", (FIXTURES / "mixed" / "feeds" / "desk-atom.xml").read_bytes(), "application/atom+xml")
    site.add("/rss2.xml", (FIXTURES / "mixed" / "feeds" / "desk-rss2.rss").read_bytes(), "application/rss+xml")
    site.add("/rss1.rdf", (FIXTURES / "mixed" / "feeds" / "desk-rss1.rdf").read_bytes(), "application/rdf+xml")
    site.add("/feed-as-text", (FIXTURES / "mixed" / "feeds" / "desk-rss2.rss").read_bytes(), "text/plain")
    site.add("/report.pdf", b"%PDF-1.4 fake", "application/pdf")
    site.add("/notes.txt", (FIXTURES / "mixed" / "kidal-water.txt").read_bytes(), "text/plain; charset=utf-8")
    site.add("/big", b"a" * (2 * 1024 * 1024), "text/plain")
    site.add("/empty", b"", "text/html")
    yield site
    server.shutdown()
    server.server_close()


def opts(**fetch_kw) -> ImportOptions:
    return ImportOptions(fetch=FetchOptions(**{**FAST.__dict__, **fetch_kw}))


# --- fetch ------------------------------------------------------------------------------


def test_fetch_follows_a_few_redirects(http_server):
    resp = fetch(http_server.url("/redirect/3"), options=FAST)
    assert resp.status == 200 and resp.final_url.endswith("/page.html")
    assert resp.content_type == "text/html" and resp.charset == "utf-8"


@pytest.mark.parametrize("path, expected", [
    ("/redirect/9", "too many redirects (more than 5)"),
    ("/loop/a", "redirect loop"),
    ("/to-ftp", "redirected to a non-http(s) URL"),
    ("/missing", "HTTP 404"),
    ("/report.pdf", "unsupported content type 'application/pdf'"),
    ("/big", "too large (2.0 MB; the limit is 1 MB)"),
    ("/big-unannounced", "larger than the 1 MB limit"),
    ("/slow", "read timeout"),
    ("/drip", "download took longer than 3 s"),
])
def test_fetch_failures_are_one_line(http_server, path, expected):
    url = http_server.url(path)
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(url, options=FAST, accept={"text/html", "text/plain", "application/rss+xml"})
    message = str(info.value)
    assert expected in message
    assert message.startswith(url) and "\n" not in message
    assert time.monotonic() - started < 5


def test_fetch_refuses_other_schemes_without_network():
    for url in ("ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)", "http://"):
        with pytest.raises(FetchError) as info:
            fetch(url, options=FAST)
        assert "\n" not in str(info.value)


def test_connection_refused_is_one_line():
    import socket

    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        fetch(f"http://127.0.0.1:{port}/feed.xml", options=FAST)


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://News.Example.org:443/a?utm_source=x&id=3#top") == "https://news.example.org/a?id=3"
    assert canonical_url("ftp://example.org/a") == ""


# --- import over HTTP -------------------------------------------------------------------


def test_import_page_feeds_and_text_over_http(http_server, store):
    urls = [http_server.url(p) for p in ("/page.html", "/atom.xml", "/rss2.xml", "/rss1.rdf", "/notes.txt")]
    report = import_sources(store, urls, options=opts())
    assert report.count("skipped") == 0, [i.reason for i in report.skipped]
    assert report.count("imported") == 1 + 2 + 2 + 1 + 1
    page = store.article("herders-move-south-early-as-pastures-dry-out")
    assert page.url == "https://news.example.org/2024/05/herders-move-south"  # canonical, tracking dropped
    assert page.date == "2024-05-14" and page.author == "Aminata Test"
    for chrome in ("NAVCHROME", "HEADERCHROME", "FOOTERCHROME", "ASIDECHROME", "NAVSCRIPT"):
        assert chrome not in page.body
    assert "inland delta of the Niger" in page.body
    text = store.article("water-trucks-return-to-the-kidal-road")
    assert text.url.startswith(http_server.base.lower()) and text.path == ""


def test_bad_urls_are_skipped_and_the_batch_goes_on(http_server, store):
    sources = [http_server.url("/missing"), http_server.url("/no-article.html"), http_server.url("/empty"),
               "ftp://example.org/feed.xml", http_server.url("/page.html")]
    report = import_sources(store, sources, options=opts())
    assert report.count("imported") == 1
    reasons = [i.reason for i in report.skipped]
    assert len(reasons) == 4
    assert "HTTP 404" in reasons[0]
    assert "no article text found in the page" in reasons[1]
    assert "empty response" in reasons[2]
    assert "only http:// and https:// URLs can be imported" in reasons[3]
    assert all("\n" not in r for r in reasons)


def test_feed_served_as_text_plain_is_still_a_feed(http_server, store):
    report = import_sources(store, [http_server.url("/feed-as-text")], options=opts())
    assert report.count("imported") == 2


def test_reimporting_a_url_is_unchanged_not_duplicated(http_server, store):
    url = http_server.url("/page.html")
    import_sources(store, [url], options=opts())
    report = import_sources(store, [url + "#again"], options=opts())
    assert [i.status for i in report.items] == ["unchanged"]
    assert sum(1 for a in store.articles() if a.id.startswith("herders")) == 1


def test_done_when_folder_page_and_feed_via_the_cli(http_server, tmp_path, capsys, monkeypatch):
    """The issue's acceptance scenario, through `mali-reader import`."""
    db = tmp_path / "done.db"
    import reader.importers as importers

    monkeypatch.setattr(importers, "ImportOptions", lambda **kw: opts())  # short timeouts for the test
    code = main(["import", str(FIXTURES / "mixed"), http_server.url("/page.html"), http_server.url("/rss2.xml"),
                 "--tag", "batch", "--db", str(db)])
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert code == 1  # some inputs were skipped
    assert lines[-1] == "imported 9, updated 0, skipped 4, unchanged 3, subscribed 2"
    for reason in ("empty.txt: empty file", "photo.png: a PNG image, not text",
                   "scan.txt: a PDF file", "not an http(s) URL; not subscribed"):
        assert any(reason in line for line in lines), reason
    s = Store.open(db)
    try:
        titles = {a.title: a for a in s.articles()}
        assert titles["A clinic in Ménaka keeps its doors open"].date == "2024-03-02"
        assert titles["Schools reopen in Douentza"].date == "2024-09-16"
        assert "batch" in titles["Rains arrive late in Mopti"].tags
        assert titles["Herders move south early as pastures dry out"].unread
    finally:
        s.close()
