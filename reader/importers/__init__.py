"""Bringing the user's own articles into the library: files, folders, globs, URLs and feeds.

`import_sources` and `refresh_feeds` never stop at a bad item: each source yields one
`ItemResult` per article (or subscription), and a source that cannot be used yields a
"skipped" result whose `reason` is a single line naming the source and suggesting a fix.
They need no terminal: progress goes to an optional callback (the CLI draws a text bar,
the app a progress bar), and `stop` lets a UI cancel between items. Every article is
written in its own savepoint, so an interruption never leaves a half-written article; local
files share a transaction per batch (`_Batch`: a commit per file cost more than the file).
"""

from __future__ import annotations

import glob
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reader.importers.feeds import ParsedFeed, parse_feed
from reader.importers.fetch import FetchError, FetchOptions, canonical_url, fetch, is_http_url, looks_like_url
from reader.importers.files import (MAX_DOCUMENT_BYTES, MAX_TEXT_BYTES, binary_reason, check_text_bytes,
                                    declared_charset, decode_bytes, kind_for_path, peek, read_capped, sniff_kind,
                                    text_article)
from reader.importers.html import extract_page
from reader.importers.newsboat import parse_urls
from reader.importers.opml import parse_opml
from reader.importers.save import notes_summary, save_article
from reader.importers.subscriptions import (SubscriptionError, add_feed, conditional_headers, get_feed,
                                            list_feeds, mark_seen, record_check, remove_feed, seen_keys)
from reader.articles import Article, ArticleError
from reader.checkpoints import BackgroundCheckpoints
from reader.store import StoreError
from reader.text import sanitize_line

__all__ = [
    "ImportOptions", "ImportReport", "ItemResult", "Progress", "import_sources", "import_subscriptions",
    "refresh_feeds",
    "add_feed", "remove_feed", "list_feeds", "SubscriptionError", "FetchOptions",
]

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
XML_TYPES = {"application/xml", "text/xml", "text/x-opml", "application/x-opml", "application/opml+xml"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
ACCEPTED_TYPES = FEED_TYPES | XML_TYPES | HTML_TYPES | TEXT_TYPES


@dataclass(frozen=True)
class ImportOptions:
    max_text_bytes: int = MAX_TEXT_BYTES  # .txt/.md files and text/plain downloads
    max_document_bytes: int = MAX_DOCUMENT_BYTES  # HTML, feed and OPML files
    fetch: FetchOptions = field(default_factory=FetchOptions)
    html_extractor: str = "auto"  # "auto" (trafilatura if installed), "trafilatura" or "basic"
    full_text: bool = True  # fetch the page of a feed item that carries only a summary


@dataclass
class ItemResult:
    source: str  # the file, URL or feed this came from
    status: str  # "imported", "updated", "unchanged", "skipped" or "subscribed"
    kind: str = "article"  # "article", "subscription" or "feed" (a feed that failed to refresh)
    article_id: str = ""
    title: str = ""
    reason: str = ""  # for "skipped": one line, starting with the source
    note: str = ""  # a warning about an imported item (e.g. a decoding fallback)

    def line(self) -> str:
        if self.status == "skipped":
            return sanitize_line(f"skipped {self.reason}")
        what = self.article_id if self.kind == "article" else self.source
        text = f"{self.status} {what}" + (f": {self.title}" if self.title else "")
        return sanitize_line(text + (f" (note: {self.note})" if self.note else ""))

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int  # grows when a feed turns out to hold many items
    label: str  # what is being worked on
    item: ItemResult | None = None  # set when an item has just finished


@dataclass
class ImportReport:
    items: list[ItemResult] = field(default_factory=list)
    feeds_checked: int = 0
    cancelled: bool = False
    notes: dict[str, int] = field(default_factory=dict)  # per-note outcomes: kept, moved, review, orphaned

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def skipped(self) -> list[ItemResult]:
        return [i for i in self.items if i.status == "skipped"]

    @property
    def article_ids(self) -> list[str]:
        """Articles that are new or changed, for a UI to show or mark."""
        return [i.article_id for i in self.items if i.status in ("imported", "updated") and i.article_id]

    def summary(self) -> str:
        text = f"imported {self.count('imported')}, updated {self.count('updated')}, skipped {self.count('skipped')}"
        for status in ("unchanged", "subscribed"):
            if self.count(status):
                text += f", {status} {self.count(status)}"
        moved = notes_summary(self.notes)
        if moved:
            text += f"; notes: {moved}"
        if self.cancelled:
            text += " (cancelled)"
        return text

    def as_dict(self) -> dict:
        return {"summary": True, "imported": self.count("imported"), "updated": self.count("updated"),
                "skipped": self.count("skipped"), "unchanged": self.count("unchanged"),
                "subscribed": self.count("subscribed"), "feeds_checked": self.feeds_checked,
                "cancelled": self.cancelled,
                "notes": {k: self.notes.get(k, 0) for k in ("kept", "moved", "review", "orphaned")}}


class _Run:
    """Counters and callbacks shared by one import or refresh."""

    def __init__(self, store, options, tags, progress, stop):
        self.store, self.options = store, options or ImportOptions()
        self.tags = [t for t in (sanitize_line(t).lower() for t in tags) if t]
        self.progress, self.stop = progress, stop
        self.report = ImportReport()
        self.done = self.total = 0

    def stopped(self) -> bool:
        if self.stop is not None and self.stop():
            self.report.cancelled = True
        return self.report.cancelled

    def begin(self, label: str) -> None:
        if self.progress:
            self.progress(Progress(self.done, self.total, sanitize_line(label)))

    def emit(self, item: ItemResult, *, step: bool = False) -> None:
        self.report.items.append(item)
        self.done += step
        if self.progress:
            self.progress(Progress(self.done, self.total, sanitize_line(item.source), item))

    def step(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(Progress(self.done, self.total, ""))

    def skip(self, source: str, reason: str, *, kind: str = "article", step: bool = False) -> None:
        self.emit(ItemResult(source, "skipped", kind=kind, reason=sanitize_line(reason)), step=step)

    def save(self, source: str, article: Article, *, note: str = "", tags=(), step: bool = False,
             produced_by: str = "import") -> str:
        saved = save_article(self.store, article, tags=[*self.tags, *tags], produced_by=produced_by)
        notes = "; ".join(n for n in (note, saved.note) if n)
        for outcome, n in saved.notes.items():
            self.report.notes[outcome] = self.report.notes.get(outcome, 0) + n
        if saved.status == "skipped":
            self.emit(ItemResult(source, "skipped", article_id=saved.article_id,
                                 reason=sanitize_line(f"{source}: {saved.reason}")), step=step)
        else:
            self.emit(ItemResult(source, saved.status, article_id=saved.article_id, title=article.title,
                                 note=notes), step=step)
        return saved.article_id


# --- sources ----------------------------------------------------------------------------


def _walk(folder: Path) -> list[tuple[Path, str]]:
    """(path, resolved path) of every file under `folder`. Each directory is resolved once and
    only symbolic links one by one: resolving every file of a 100,000-file folder costs more
    system calls than reading them."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        real_root = os.path.realpath(root)
        for f in sorted(files):
            if f.startswith("."):
                continue
            path = Path(root) / f
            out.append((path, os.path.realpath(path) if os.path.islink(path) else os.path.join(real_root, f)))
    return out


def expand_sources(sources: Iterable[str | os.PathLike]) -> list[tuple[str, str, str]]:
    """(kind, source, detail) per unit of work: kind is "file", "url" or "error"; detail is
    the file's resolved path, or the error's reason."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()

    def add_file(path: Path, resolved: str = "") -> None:
        key = resolved or str(path.resolve())
        if key not in seen:
            seen.add(key)
            out.append(("file", str(path), key))

    for source in sources:
        text = str(source)
        if looks_like_url(text):
            if is_http_url(text):
                out.append(("url", text.strip(), ""))
            else:
                out.append(("error", text, f"{text}: only http:// and https:// URLs can be imported"))
            continue
        path = Path(text).expanduser()
        if path.is_dir():
            files = _walk(path)
            if not files:
                out.append(("error", text, f"{text}: the folder holds no files"))
            for f, resolved in files:
                add_file(f, resolved)
        elif path.exists() or path.is_symlink():
            add_file(path)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                out.append(("error", text, f"{text}: no files match this pattern"))
            for m in matches:
                for f, resolved in (_walk(Path(m)) if Path(m).is_dir() else [(Path(m), "")]):
                    add_file(f, resolved)
        else:
            out.append(("error", text, f"{text}: no such file or folder (URLs must start with http:// or https://)"))
    return out


# --- one source -------------------------------------------------------------------------


def _full_text(run: _Run, item) -> tuple[Article, str]:
    """The article of a summary-only feed item, with the linked page's text when that is richer.

    Nothing is fetched when the library already has the page (the save layer keeps the longer
    text) or the link is not http(s); a failed fetch keeps the summary and says why.
    """
    article = item.article
    if not run.options.full_text or not item.link or not is_http_url(item.link):
        return article, ""
    if run.store.find_article(url=item.link):
        return article, ""
    try:
        resp = fetch(item.link, options=run.options.fetch, accept=HTML_TYPES | TEXT_TYPES)
        text, _ = decode_bytes(resp.body, resp.charset or declared_charset(resp.body))
        if resp.content_type in HTML_TYPES or sniff_kind(text) == "html":
            page = page_article(run.options, text, item.link, url=resp.final_url)
        else:
            page = text_article(text, item.link, url=canonical_url(resp.final_url),
                                plain=resp.content_type == "text/plain")
    except (FetchError, ArticleError) as exc:
        return article, f"full text not fetched ({' '.join(str(exc).split())[:120]})"
    except Exception as exc:  # noqa: BLE001 - a hostile page must not end the refresh
        return article, f"full text not fetched ({type(exc).__name__})"
    if len(page.body.strip()) <= len(article.body.strip()):
        return article, ""
    page.url = canonical_url(item.link) or page.url
    page.title = article.title or page.title
    page.date = article.date or page.date
    page.source = article.source or page.source
    page.author = article.author or page.author
    return page, "full text fetched from the item's page"


def _import_feed(run: _Run, parsed: ParsedFeed, source: str, *, feed_url: str = "",
                 only_new: bool = False, tags=(), fetch_pages: bool = False) -> None:
    items = parsed.items
    if only_new:
        seen = seen_keys(run.store, feed_url)
        items = [i for i in items if i.key not in seen]
    elif not items:
        run.skip(source, f"{source}: the feed has no items")
    run.total += len(items)
    for n, item in enumerate(items):
        if run.stopped():
            return
        run.begin(f"{source} ({n + 1}/{len(items)})")
        note = parsed.note if n == 0 else ""
        if item.article is None:
            run.skip(source, item.reason, step=True)
            article_id = ""
        else:
            article = item.article
            if item.summary_only and fetch_pages:
                article, why = _full_text(run, item)
                note = "; ".join(x for x in (note, why) if x)
            article_id = run.save(source, article, note=note, tags=tags, step=True, produced_by="feed")
        if feed_url:
            mark_seen(run.store, feed_url, item.key, article_id)


def _import_opml(run: _Run, data: bytes, source: str) -> None:
    outlines = parse_opml(data, name=source)
    for o in outlines:
        if not o.url:
            run.skip(source, f"{source}: feed URL {o.raw_url!r} is not an http(s) URL; not subscribed",
                     kind="subscription")
            continue
        new = add_feed(run.store, o.url, title=o.title, tags=[*o.tags, *run.tags], site_url=o.site_url,
                       folder=o.folder)
        run.emit(ItemResult(o.url, "subscribed" if new else "unchanged", kind="subscription", title=o.title,
                            note="" if new else "already subscribed"))


def _import_urls_file(run: _Run, text: str, source: str) -> None:
    """newsboat's urls file: every feed line becomes a subscription with its tags."""
    entries = parse_urls(text, name=source)
    if not any(e.url for e in entries):
        raise ArticleError(f"{source}: not a list of feeds (no line starts with an http(s) feed URL)")
    for e in entries:
        if e.reason:
            run.skip(source, e.reason, kind="subscription")
            continue
        new = add_feed(run.store, e.url, title=e.title, tags=[*e.tags, *run.tags])
        run.emit(ItemResult(e.url, "subscribed" if new else "unchanged", kind="subscription", title=e.title,
                            note="" if new else "already subscribed"))


def import_subscriptions(store, path: str | os.PathLike, *, tags: Iterable[str] = (),
                         progress: Callable[[Progress], None] | None = None) -> ImportReport:
    """Subscribe to the feeds listed in an OPML file or a newsboat urls file (`feeds import`).
    A text file is read as a urls file (its lines that are not feed URLs are skipped with
    their line number); anything else is refused rather than imported as an article."""
    run = _Run(store, None, tags, progress, None)
    run.total = 1
    name = str(path)

    def work() -> None:
        raw = read_capped(Path(path), run.options.max_document_bytes)
        check_text_bytes(raw, name)
        text, _ = decode_bytes(raw, declared_charset(raw))
        kind = sniff_kind(text)
        if kind == "opml":
            _import_opml(run, raw, name)
        elif kind in ("urls", "text"):  # asked for subscriptions: read every line as one
            _import_urls_file(run, text, name)
        else:
            raise ArticleError(f"{name}: not an OPML file or a newsboat urls file (it reads as {kind})")

    run.begin(name)
    _guarded(run, name, work)
    return run.report


def page_article(options: ImportOptions, text: str, name: str, *, url: str = "", path: str = "") -> Article:
    """The article of a web page (`extract_page`), with its structure. Raises ArticleError."""
    page = extract_page(text, name=name, url=url, extractor=options.html_extractor)
    return Article(id="", title=page.title, body=page.body, date=page.date, source=page.site,
                   summary=page.description, author=page.author, url=canonical_url(page.url), path=path,
                   spans=page.spans)


def _import_file(run: _Run, path: Path, resolved: str = "") -> None:
    name = str(path)
    kind = kind_for_path(path)
    if kind == "unsupported":
        raw = peek(path)
        reason = binary_reason(raw) if raw else None
        raise ArticleError(f"{name}: {reason}" if reason else
                           f"{name}: unsupported file type {path.suffix!r} (import .txt, .md, .html, "
                           ".rss/.atom/.xml feeds or .opml)")
    cap = run.options.max_text_bytes if kind == "text" else run.options.max_document_bytes
    raw = read_capped(path, cap)
    check_text_bytes(raw, name)
    text, note = decode_bytes(raw, "" if kind == "text" else declared_charset(raw))
    if kind in ("sniff", "feed"):
        sniffed = sniff_kind(text)
        if kind == "feed" and sniffed not in ("feed", "opml"):
            raise ArticleError(f"{name}: an XML file that is neither an RSS/Atom feed nor OPML")
        kind = sniffed
        if kind == "text" and len(raw) > run.options.max_text_bytes:
            raise ArticleError(f"{name}: too large for a text article (over {run.options.max_text_bytes // (1 << 20)} MB)")
    elif kind == "text" and sniff_kind(text) == "urls":  # a list of feeds, not an article
        kind = "urls"
    resolved = resolved or str(path.resolve())
    if kind == "text":
        run.save(name, text_article(text, name, path=resolved, stem=path.stem), note=note, produced_by="file")
    elif kind == "html":
        run.save(name, page_article(run.options, text, name, path=resolved), note=note, produced_by="file")
    elif kind == "feed":
        _import_feed(run, parse_feed(raw, name=name), name)
    elif kind == "urls":
        _import_urls_file(run, text, name)
    else:
        _import_opml(run, raw, name)


def _import_url(run: _Run, url: str) -> None:
    resp = fetch(url, options=run.options.fetch, accept=ACCEPTED_TYPES)
    data = resp.body
    if not data.strip():
        raise ArticleError(f"{url}: the server sent an empty response")
    reason = binary_reason(data)
    if reason:
        raise ArticleError(f"{url}: {reason}")
    text, note = decode_bytes(data, resp.charset or declared_charset(data))
    sniffed = sniff_kind(text)
    media = resp.content_type
    if media in FEED_TYPES:
        kind = "opml" if sniffed == "opml" else "feed"
    elif media in XML_TYPES:
        kind = sniffed if sniffed in ("feed", "opml") else "bad-xml"
    elif media in HTML_TYPES:
        kind = sniffed if sniffed in ("feed", "opml") else "html"
    else:  # text/plain, markdown or no Content-Type
        kind = sniffed
    if kind == "bad-xml":
        raise ArticleError(f"{url}: an XML document that is neither an RSS/Atom feed nor OPML")
    if kind == "feed":
        feed_url = canonical_url(url)
        subscribed = get_feed(run.store, feed_url) is not None
        _import_feed(run, parse_feed(data, name=url, url=resp.final_url, content_type=media),
                     url, feed_url=feed_url if subscribed else "", fetch_pages=True)
    elif kind == "opml":
        _import_opml(run, data, url)
    elif kind == "urls":
        _import_urls_file(run, text, url)
    elif kind == "html":
        article = page_article(run.options, text, url, url=resp.final_url)
        article.url = canonical_url(article.url) or canonical_url(resp.final_url)
        run.save(url, article, note=note, produced_by="url")
    else:
        if len(data) > run.options.max_text_bytes:
            raise ArticleError(f"{url}: too large for a text article (over {run.options.max_text_bytes // (1 << 20)} MB)")
        run.save(url, text_article(text, url, url=canonical_url(resp.final_url), plain=media == "text/plain"),
                 note=note, produced_by="url")


def _guarded(run: _Run, source: str, work: Callable[[], None]) -> None:
    """Run one source; any failure becomes a one-line "skipped" result and the batch goes on."""
    try:
        work()
    except (ArticleError, FetchError, SubscriptionError) as exc:
        run.skip(source, " ".join(str(exc).split()))
    except (StoreError, sqlite3.Error):
        raise  # the database, not the input: stop and say so
    except Exception as exc:  # noqa: BLE001 - a parser crash on hostile input must not end the batch
        detail = " ".join(str(exc).split())[:120]
        run.skip(source, f"{source}: could not be read ({type(exc).__name__}: {detail})")
    run.step()


# --- public entry points ------------------------------------------------------------------


class _Batch:
    """One write transaction shared by consecutive local files, committed every
    `BATCH_SECONDS` (so the app's own writes, which wait 300 ms at most, still get through)
    and whenever the batch ends, even by an exception: each file ran in its own savepoint,
    so what is committed is whole files only, exactly those already reported."""

    BATCH_SECONDS = 0.1

    def __init__(self, store) -> None:
        self.store = store
        self._open = None
        self._since = 0.0
        self._checkpoints = None  # started with the first transaction (see reader.checkpoints)

    def join(self) -> None:
        """Make sure a transaction is open for the next file (committing one that is old enough)."""
        if self._open is not None and time.monotonic() - self._since >= self.BATCH_SECONDS:
            self.commit()
        if self._open is None and not self.store.read_only:
            if self._checkpoints is None:
                self._checkpoints = BackgroundCheckpoints(self.store).__enter__()
            self._open = self.store.transaction()
            self._open.__enter__()
            self._since = time.monotonic()

    def commit(self) -> None:
        if self._open is not None:
            tx, self._open = self._open, None
            tx.__exit__(None, None, None)

    def __enter__(self) -> "_Batch":
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.commit()
        finally:
            if self._checkpoints is not None:
                self._checkpoints.__exit__(None, None, None)


def import_sources(store, sources: Iterable[str | os.PathLike], *, tags: Iterable[str] = (),
                   progress: Callable[[Progress], None] | None = None, options: ImportOptions | None = None,
                   stop: Callable[[], bool] | None = None) -> ImportReport:
    """Import files, folders (recursively), glob patterns and http(s) URLs into `store`."""
    run = _Run(store, options, tags, progress, stop)
    units = expand_sources(sources)
    run.total = len(units)
    with _Batch(store) as batch:
        for kind, source, detail in units:
            if run.stopped():
                break
            run.begin(source)
            if kind == "error":
                run.skip(source, detail, step=True)
            elif kind == "url":
                batch.commit()  # never hold the database while waiting for the network
                _guarded(run, source, lambda s=source: _import_url(run, s))
            else:
                batch.join()
                _guarded(run, source, lambda s=source, r=detail: _import_file(run, Path(s), r))
    return run.report


def refresh_feeds(store, *, urls: Iterable[str] | None = None, progress: Callable[[Progress], None] | None = None,
                  options: ImportOptions | None = None, stop: Callable[[], bool] | None = None) -> ImportReport:
    """Fetch every subscribed feed (or those in `urls`) and import the items not seen before."""
    run = _Run(store, options, (), progress, stop)
    feeds = list_feeds(store)
    if urls is not None:
        wanted = {canonical_url(u) for u in urls} | set(urls)
        feeds = [f for f in feeds if f.url in wanted]
    run.total = len(feeds)
    for feed in feeds:
        if run.stopped():
            break
        run.begin(feed.url)
        run.report.feeds_checked += 1

        def work(feed=feed) -> None:
            try:
                resp = fetch(feed.url, options=run.options.fetch, accept=FEED_TYPES | XML_TYPES | TEXT_TYPES | HTML_TYPES,
                             headers=conditional_headers(store, feed.url))
                if resp.not_modified:
                    record_check(store, feed.url, status="not modified")
                    return
                parsed = parse_feed(resp.body, name=feed.url, url=resp.final_url, content_type=resp.content_type)
            except (FetchError, ArticleError) as exc:
                record_check(store, feed.url, status=str(exc))
                run.skip(feed.url, str(exc), kind="feed")
                return
            _import_feed(run, parsed, feed.url, feed_url=feed.url, only_new=True, tags=feed.tags, fetch_pages=True)
            record_check(store, feed.url, status="ok", title=parsed.title, site_url=parsed.site_url,
                         etag=resp.headers.get("etag", ""), last_modified=resp.headers.get("last-modified", ""))

        _guarded(run, feed.url, work)
    return run.report


def import_file(store, path: str | os.PathLike, *, options: ImportOptions | None = None) -> str:
    """Import one local file exactly as `import_sources` does (same caps, same body) and return
    the article id to open: `mali-reader FILE`. Raises ArticleError with the one-line reason."""
    report = import_sources(store, [path], options=options)
    for item in report.items:
        if item.kind == "article" and item.article_id:
            return item.article_id
    reasons = [i.reason for i in report.items if i.reason]
    raise ArticleError(reasons[0] if reasons else f"{path}: no article in this file")


def import_bytes(store, data: bytes, *, name: str = "<stdin>", tags: Iterable[str] = (),
                 options: ImportOptions | None = None) -> ImportReport:
    """Import text, Markdown or an HTML page given as bytes (`mali-reader import -`), with the
    same caps and checks as a file; identified by its text (no path or URL)."""
    run = _Run(store, options, tags, None, None)
    run.total = 1

    def work() -> None:
        article, note = article_from_bytes(data, name=name, options=run.options)
        run.save(name, article, note=note)

    _guarded(run, name, work)
    return run.report


def article_from_bytes(data: bytes, *, name: str = "<stdin>",
                       options: ImportOptions | None = None) -> tuple[Article, str]:
    """The article that `import_bytes` would store, and its decoding note, without storing it
    (`mali-reader show -`). Same caps and checks; raises ArticleError with a one-line reason."""
    options = options or ImportOptions()
    if len(data) > options.max_document_bytes:
        raise ArticleError(f"{name}: too large (over {options.max_document_bytes // (1 << 20)} MB)")
    check_text_bytes(data, name)
    reason = binary_reason(data)
    if reason:
        raise ArticleError(f"{name}: {reason}")
    text, note = decode_bytes(data, declared_charset(data))
    kind = sniff_kind(text)
    if kind == "html":
        return page_article(options, text, name), note
    if kind in ("feed", "opml", "urls"):
        raise ArticleError(f"{name}: feeds and subscription lists cannot be read from standard input; "
                           "save them to a file")
    if len(data) > options.max_text_bytes:
        raise ArticleError(f"{name}: too large for a text article (over "
                           f"{options.max_text_bytes // (1 << 20)} MB)")
    return text_article(text, name), note
