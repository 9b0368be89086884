"""Web pages to articles: main text without navigation chrome, plus title, date, author, URL.

trafilatura (optional extra ``html``) gives the best main-text extraction; without it a
standard-library parser keeps the text of ``<article>`` (else ``<main>``, else ``<body>``)
and drops navigation, headers, footers, asides, forms and scripts. Metadata (canonical URL,
title, date, author) is always read by the stdlib parser too, because explicit ``<meta>``
and ``<link rel=canonical>`` tags are more trustworthy than guesses. A page with fewer than
`MIN_WORDS` words of article text is refused rather than imported as chrome.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from reader.articles import ArticleError, tidy_body
from reader.importers.html_structure import PARA, StructureRecorder, align_spans, stream_spans
from reader.structure import Span, trim_spans
from reader.text import fold, sanitize, sanitize_line

MIN_WORDS = 20

_SKIP = {"script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside",
         "form", "button", "select", "textarea", "iframe", "object", "embed", "canvas", "dialog",
         "menu", "head", "title"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
          "ol", "blockquote", "pre", "table", "tr", "hr", "dd", "dt", "dl", "figure", "figcaption",
          "address", "details", "summary", "body", "center"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr", "param"}
_PARA = PARA  # paragraph break marker inside the stream (control chars never survive sanitising)


@dataclass
class Page:
    """What a page yields; `body` is sanitised plain text with blank lines between paragraphs."""

    title: str = ""
    body: str = ""
    date: str = ""
    author: str = ""
    url: str = ""  # canonical URL (or the page's own URL)
    site: str = ""
    description: str = ""
    extractor: str = "basic"
    notes: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)  # the body's headings, emphasis, links… (`reader.structure`)


class _PageParser(HTMLParser):
    """One pass over the page: text of article/main/body, where its structural elements
    open and close, and the metadata tags.

    The text goes into one stream; an ``<article>`` or ``<main>`` is the range of the stream
    written while it was open (``[start, end]``, end -1 while open)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip_stack: list[str] = []
        self.body: list[str] = []
        self.length = 0  # characters in `body` so far
        self.articles: list[list[int]] = []  # every <article>, in document order
        self.open_articles: list[list[int]] = []
        self.mains: list[list[int]] = []
        self.open_mains: list[list[int]] = []
        self.structure = StructureRecorder()
        self._text: str | None = None
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title_parts: list[str] = []
        self.in_title = False
        self.h1_parts: list[str] | None = None
        self.h1 = ""
        self.time_datetime = ""

    # -- text sinks --
    def _emit(self, text: str) -> None:
        self.body.append(text)
        self.length += len(text)

    def text(self) -> str:
        """The whole stream (call after `close`)."""
        if self._text is None:
            self._text = "".join(self.body)
        return self._text

    def close(self):
        super().close()
        self.structure.finish(self.length)
        for buf in self.open_articles + self.open_mains:
            buf[1] = self.length

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"]
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = self.canonical or a["href"].strip()
            return
        if tag == "title":
            self.in_title = True
        if tag == "time" and a.get("datetime") and not self.time_datetime and not self.skip_stack:
            self.time_datetime = a["datetime"]
        if self.skip_stack or tag in _SKIP:
            if tag in _SKIP and tag not in _VOID:
                self.skip_stack.append(tag)
            return
        self.structure.start(tag, a, self.length)
        if tag == "article":
            buf = [self.length, -1]
            self.articles.append(buf)
            self.open_articles.append(buf)
        elif tag == "main":
            buf = [self.length, -1]
            self.mains.append(buf)
            self.open_mains.append(buf)
        elif tag == "h1" and self.h1_parts is None and not self.h1:
            self.h1_parts = []
        if tag in _BLOCK:
            self._emit(_PARA)
        elif tag == "br":
            self._emit("\n")
        elif tag in ("td", "th"):
            self._emit(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skip_stack:
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag == "h1" and self.h1_parts is not None:
            self.h1 = " ".join("".join(self.h1_parts).split())
            self.h1_parts = None
        if tag in _BLOCK:
            self._emit(_PARA)
        self.structure.end(tag, self.length)
        if tag == "article" and self.open_articles:
            self.open_articles.pop()[1] = self.length
        elif tag == "main" and self.open_mains:
            self.open_mains.pop()[1] = self.length

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
        if self.skip_stack:
            return
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        self._emit(data)


def _to_body(stream: str) -> str:
    return tidy_body(sanitize(stream.replace(_PARA, "\n\n")))


def _region_spans(parser: _PageParser, start: int, end: int, body: str) -> list[Span]:
    return stream_spans(parser.text(), start, end, parser.structure.elements, body)


def html_to_text(fragment: str) -> str:
    """Plain paragraphs from an HTML fragment (feed content): scripts and chrome dropped."""
    return html_to_text_and_spans(fragment)[0]


def html_to_text_and_spans(fragment: str) -> tuple[str, list[Span]]:
    """`html_to_text` and the structure of that text (headings, emphasis, links, lists, quotes)."""
    parser = _PageParser()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; anything else means "no text"
        return "", []
    text = _to_body(parser.text())
    return text, _region_spans(parser, 0, parser.length, text)


def _words(text: str) -> int:
    return len(text.split())


def parse_date(value: str) -> str:
    """YYYY-MM-DD from ISO 8601 or RFC 2822 dates; "" when unparseable or implausible."""
    value = (value or "").strip()
    if not value:
        return ""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return ""
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""


def _http_url(value: str, base: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    joined = urljoin(base, value) if base else value
    return joined if urlsplit(joined).scheme.lower() in ("http", "https") else ""


def _metadata(parser: _PageParser, base_url: str) -> Page:
    m = parser.meta
    title = m.get("og:title") or parser.h1 or "".join(parser.title_parts)
    date = ""
    for key in ("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
                "dcterms.date", "citation_publication_date", "citation_date", "pubdate",
                "parsely-pub-date", "sailthru.date", "og:published_time"):
        date = parse_date(m.get(key, ""))
        if date:
            break
    date = date or parse_date(parser.time_datetime)
    author = m.get("author") or m.get("article:author") or m.get("dc.creator") or m.get("citation_author") or ""
    if urlsplit(author).scheme in ("http", "https"):
        author = ""  # article:author is often a profile URL
    return Page(
        title=sanitize_line(title)[:300],
        date=date,
        author=sanitize_line(author)[:200],
        url=_http_url(parser.canonical, base_url) or _http_url(m.get("og:url", ""), base_url),
        site=sanitize_line(m.get("og:site_name", ""))[:200],
        description=sanitize_line(m.get("description") or m.get("og:description") or "")[:500],
    )


def _basic_body(parser: _PageParser) -> tuple[str, str, tuple[int, int]]:
    """(text, where, the range of the stream it came from): the longest <article>, else the
    longest <main>, else the whole body."""
    stream = parser.text()
    for where, buffers in (("article", parser.articles), ("main", parser.mains)):
        texts = [(_to_body(stream[a:b]), (a, b)) for a, b in buffers]
        texts = [t for t in texts if t[0]]
        if texts:
            text, region = max(texts, key=lambda t: len(t[0]))
            return text, where, region
    return _to_body(stream), "body", (0, parser.length)


_UNAVAILABLE = object()


def _trafilatura_extract(html: str, url: str):
    """trafilatura's Document, None when it found nothing, `_UNAVAILABLE` when not installed."""
    try:
        import trafilatura
    except ImportError:
        return _UNAVAILABLE
    try:
        doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True,
                                          include_comments=False, include_images=False)
    except Exception:  # noqa: BLE001 - a crash in the optional extractor falls back to the basic one
        return None
    return doc


def _drop_title_line(body: str, title: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Pages repeat their headline as the first paragraph; the title field already holds it."""
    first, _, rest = body.partition("\n\n")
    if title and rest and fold(first.strip()) == fold(title.strip()):
        return rest, trim_spans(spans, len(first) + 2)
    return body, spans


def extract_page(html: str, *, name: str, url: str = "", extractor: str = "auto") -> Page:
    """Main text and metadata of a page. Raises ArticleError when it holds no article text.

    `extractor`: "auto" (trafilatura when installed), "trafilatura" or "basic".
    """
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # noqa: BLE001
        raise ArticleError(f"{name}: cannot parse the HTML ({type(exc).__name__})") from None
    page = _metadata(parser, url)
    basic_text, where, region = _basic_body(parser)
    body = ""
    tried_trafilatura = False
    if extractor in ("auto", "trafilatura"):
        doc = _trafilatura_extract(html, url)
        tried_trafilatura = doc is not _UNAVAILABLE
        text = getattr(doc, "text", None) if tried_trafilatura and doc is not None else None
        if text:
            body = tidy_body(sanitize("\n\n".join(text.splitlines())))
            if _words(body) >= MIN_WORDS:
                page.extractor = "trafilatura"
                page.title = page.title or sanitize_line(getattr(doc, "title", "") or "")[:300]
                page.date = page.date or parse_date(getattr(doc, "date", "") or "")
                page.author = page.author or sanitize_line(getattr(doc, "author", "") or "")[:200]
                page.url = page.url or _http_url(getattr(doc, "url", "") or "", url)
                page.site = page.site or sanitize_line(getattr(doc, "sitename", "") or "")[:200]
            else:
                body = ""
    # When trafilatura judged the page to have no main text, the whole <body> is not a
    # second opinion worth having (it is mostly chrome); an explicit <article>/<main> is.
    if not body and _words(basic_text) >= MIN_WORDS and (where != "body" or not tried_trafilatura):
        body, page.extractor = basic_text, "basic"
    if _words(body) < MIN_WORDS:
        raise ArticleError(f"{name}: no article text found in the page (under {MIN_WORDS} words "
                           "outside navigation and page chrome)")
    basic_spans = _region_spans(parser, *region, basic_text)
    spans = basic_spans if page.extractor == "basic" else align_spans(basic_text, basic_spans, body)
    page.url = page.url or (url if urlsplit(url).scheme in ("http", "https") else "")
    page.body, page.spans = _drop_title_line(body, page.title, spans)
    if not page.title:
        page.title = sanitize_line(page.body.split("\n", 1)[0])[:120]
    return page
