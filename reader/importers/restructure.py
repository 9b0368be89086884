"""Structure for articles stored without it, from their source file, never changing the text.

Articles stored before spans existed (schema v5), or HTML pages imported before the HTML
extractor produced them, have a plain body and no spans (`Store.structure_pending`). Their
source file is usually still there: `source_structure` reads it again with the importer that
made the article and returns the spans only when the file still gives *exactly* the stored
body (a file edited since would place them on the wrong characters, so it gives none).
`fill_structure` does that once per article and remembers the outcome, so an article whose
file is gone or changed is not read again at every open; `fill_pending` does it for the
whole library.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.articles import Article, ArticleError
from reader.importers import ImportOptions, page_article
from reader.importers.files import (
    check_text_bytes,
    declared_charset,
    decode_bytes,
    kind_for_path,
    read_capped,
    sniff_kind,
    text_article,
)
from reader.structure import Span

_EXTRACTORS = ("auto", "basic")  # the page may have been imported with either


def source_structure(article: Article, *, options: ImportOptions | None = None) -> list[Span] | None:
    """The spans of `article` from its source file; None when it has no file, the file cannot
    be read, or the file no longer gives exactly `article.body`."""
    if not article.path:
        return None
    options = options or ImportOptions()
    path = Path(article.path)
    name = str(path)
    kind = kind_for_path(path)
    if kind not in ("text", "html", "sniff"):
        return None
    try:
        raw = read_capped(path, options.max_text_bytes if kind == "text" else options.max_document_bytes)
        check_text_bytes(raw, name)
        text, _ = decode_bytes(raw, "" if kind == "text" else declared_charset(raw))
        if kind == "sniff":
            kind = sniff_kind(text)
        if kind == "text":
            candidates = [lambda: text_article(text, name, path=article.path, stem=path.stem)]
        elif kind == "html":
            candidates = [lambda e=e: page_article(ImportOptions(html_extractor=e), text, name, path=article.path)
                          for e in _EXTRACTORS]
        else:
            return None
        for make in candidates:
            derived = make()
            if derived.body == article.body:
                return derived.spans
    except (ArticleError, OSError, ValueError):
        return None
    return None


def fill_structure(store, article: Article, *, wait_ms: int | None = None,
                   max_file_bytes: int | None = None) -> Article:
    """`article` with its spans from its source file when the store marks them pending
    (stored as well, unless the database is read-only); otherwise `article` unchanged.

    `max_file_bytes` bounds the work: a larger source file is not read now and stays pending
    (the reader opens an article on the UI thread, where re-extracting a multi-megabyte page
    would freeze the first frame for seconds; `mali-reader maintain` fills those)."""
    if not store.structure_pending(article.id):
        return article
    if max_file_bytes is not None and article.path and not article.spans:
        try:
            if Path(article.path).stat().st_size > max_file_bytes:
                return article
        except OSError:
            pass  # gone: source_structure says so, and the mark is cleared below
    spans = article.spans or source_structure(article) or []
    if not store.read_only:
        store.set_structure(article.id, article.hash, spans, wait_ms=wait_ms)
    article.spans = spans
    return article


def fill_pending(store, *, stop: Callable[[], bool] | None = None) -> tuple[int, int]:
    """`fill_structure` for every pending article: (articles checked, articles given spans)."""
    checked = filled = 0
    for article_id in store.pending_structure_ids():
        if stop is not None and stop():
            break
        article = store.article(article_id)
        if article is None:
            continue
        checked += 1
        if fill_structure(store, article).spans:
            filled += 1
    return checked, filled
