"""Local files: deciding what a file is, reading it safely, and turning text into an article.

A file is read only up to a cap, so a 50 MB log or a disk image named ``notes.txt`` cannot
hang the import or fill memory. Text files (.txt, .md) larger than `MAX_TEXT_BYTES` (5 MB,
roughly 800,000 words - far beyond any article) are refused with the reason, not truncated:
a silently cut article would later be "updated" into a different cut. HTML pages, feeds and
OPML files may be up to `MAX_DOCUMENT_BYTES` (20 MB, the same cap as a download) because
markup outweighs text. Invalid UTF-8 is decoded as Windows-1252 (what such files almost
always are) and the article carries a note saying so.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from reader.articles import Article, ArticleError, article_from_markdown, parse_front_matter
from reader.importers.newsboat import looks_like_urls_file
from reader.structure import Span, sort_spans, trim_spans
from reader.text import sanitize, sanitize_line

MB = 1024 * 1024
MAX_TEXT_BYTES = 5 * MB
MAX_DOCUMENT_BYTES = 20 * MB

TEXT_EXTS = {".txt", ".text", ".md", ".markdown", ".mdown", ".mkd"}
HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml"}
FEED_EXTS = {".rss", ".atom", ".rdf", ".xml"}
OPML_EXTS = {".opml"}
SUPPORTED = sorted(TEXT_EXTS | HTML_EXTS | FEED_EXTS | OPML_EXTS)

_MAGIC = (
    (b"%PDF-", "a PDF file; convert it to text first (e.g. pdftotext) and import the .txt"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.epub/.odt); export it as text or HTML first"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file; export it as text or HTML first"),
    (b"{\\rtf", "an RTF document; save it as plain text first"),
    (b"\x89PNG", "a PNG image, not text"),
    (b"\xff\xd8\xff", "a JPEG image, not text"),
    (b"GIF8", "a GIF image, not text"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"\x7fELF", "a program, not text"),
    (b"SQLite format 3\x00", "an SQLite database, not text"),
)


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{n} bytes"


def kind_for_path(path: Path) -> str:
    """"text", "html", "feed", "opml", "urls" (newsboat's file of that name), "sniff" (no
    extension) or "unsupported"."""
    if path.name == "urls":
        return "urls"
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        return "text"
    if ext in HTML_EXTS:
        return "html"
    if ext in FEED_EXTS:
        return "feed"
    if ext in OPML_EXTS:
        return "opml"
    if not ext:
        return "sniff"
    return "unsupported"


def read_capped(path: Path, cap: int) -> bytes:
    """The file's bytes, refusing non-regular files and anything over `cap` bytes."""
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ArticleError(f"{name}: not a regular file")
    if st.st_size > cap:
        raise ArticleError(f"{name}: too large ({size_text(st.st_size)}; the limit for this kind of "
                           f"file is {size_text(cap)}); split it into smaller files")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(cap + 1)
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > cap:  # grew while we looked
        raise ArticleError(f"{name}: too large (over {size_text(cap)}); split it into smaller files")
    return raw


def peek(path: Path, n: int = 16384) -> bytes:
    """The first `n` bytes of a regular file, b"" when it cannot be read."""
    try:
        if not path.is_file():
            return b""
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError:
        return b""


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def binary_reason(raw: bytes) -> str | None:
    """Why these bytes are not text, or None. UTF-16 with a BOM counts as text."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    for magic, reason in _MAGIC:
        if raw.startswith(magic):
            return reason
    head = raw[:8192]
    if b"\x00" in head:
        return "a binary file, not text"
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # C speed, not a loop per byte
    if head and controls / len(head) > 0.05:
        return "a binary file, not text (too many control bytes)"
    return None


def check_text_bytes(raw: bytes, name: str) -> None:
    if not raw.strip():
        raise ArticleError(f"{name}: empty file" if not raw else f"{name}: empty file (only whitespace)")
    reason = binary_reason(raw)
    if reason:
        raise ArticleError(f"{name}: {reason}")


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def declared_charset(raw: bytes) -> str:
    """The charset named in an XML declaration or an HTML <meta>, "" when none."""
    head = raw[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace").lower() if m else ""


def decode_bytes(raw: bytes, declared: str = "") -> tuple[str, str]:
    """(text, note): BOMs win, then a declared charset, then UTF-8, then Windows-1252 with a note."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw.decode("utf-8-sig", errors="replace"), ""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), ""
    if declared and declared.replace("-", "").replace("_", "") not in ("utf8",):
        try:
            return raw.decode(codecs.lookup(declared).name), ""
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        note = (f"not valid UTF-8 (first bad byte at offset {exc.start}); decoded as Windows-1252 - "
                "check accented letters")
        return raw.decode("cp1252", errors="replace"), note


def sniff_kind(text: str) -> str:
    """"feed", "opml", "html", "urls" (newsboat's list of feeds) or "text" from a document."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if "<opml" in head:
        return "opml"
    if re.search(r"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(html|head|body)[\s>]", head):
        return "html"
    if head.startswith(("http://", "https://", "#", '"query:')) and looks_like_urls_file(text.lstrip("\ufeff")):
        return "urls"
    return "text"


_DATE_IN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")


def _title_line(first: str, text: str) -> bool:
    """Whether the first line, followed at once by more text, is a title and not the first
    line of a hard-wrapped paragraph: clearly shorter than the line after it, which starts
    a sentence, and not ending as a clause does."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2:
        return False
    second = lines[1]
    return (len(first) <= 0.75 * len(second) and not second[0].islower()
            and not first.endswith((",", ";", ":", "-")))


UNWRAPPED_LINE = 100  # characters: longer than any hard-wrapped line (72-80 columns)


def lines_are_paragraphs(text: str) -> bool:
    """Whether plain text was written a paragraph per line rather than hard-wrapped: half or
    more of its lines are longer than a wrapped line could be. Text copied from a web page or
    exported by a word processor comes like this, often with no blank line between
    paragraphs, and joining its lines (right for text wrapped at 72 columns) made a report one
    paragraph."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return bool(lines) and 2 * sum(len(ln) > UNWRAPPED_LINE for ln in lines) >= len(lines)


def text_article(text: str, name: str, *, path: str = "", url: str = "", stem: str = "",
                 plain: bool | None = None) -> Article:
    """An article from plain text or Markdown with optional front matter. Raises ArticleError.

    Without a front-matter title the title is the first line when it is short enough to be
    one, else the file name; without a date, a leading YYYY-MM-DD in the file name is used.
    Plain text (`plain`; by default a name ending in .txt) written a paragraph per line keeps
    its line breaks as paragraph breaks (`lines_are_paragraphs`); Markdown and hard-wrapped
    text join the lines of a paragraph.
    """
    clean = sanitize(text)
    if not clean.strip():
        raise ArticleError(f"{name}: empty file (only whitespace)")
    meta, body_md = parse_front_matter(clean, name)
    if plain is None:
        plain = name.lower().endswith(".txt")
    if plain and lines_are_paragraphs(body_md):
        body_md = re.sub(r"\n(?=[^\n])", "\n\n", body_md)
    article = article_from_markdown(clean, name, path=path, sanitized=True, parsed=(meta, body_md))
    if not meta.get("title"):
        first = next((ln for ln in body_md.split("\n") if ln.strip()), "")
        first = sanitize_line(first.lstrip("#").strip())
        if first and len(first) <= 150:
            article.title = first
            # the title line is not also the first paragraph of the body
            head, _, rest = article.body.partition("\n\n")
            if rest and head.strip() == first:
                article.body = rest
                article.spans = trim_spans(article.spans, len(head) + 2)
            elif (head.startswith(first + " ") and not any(s.start == 0 for s in article.spans)
                  and _title_line(first, body_md)):
                # the title line runs into the first paragraph (no blank line after it): it
                # stays in the text, marked as the heading it is, so the reader can set it apart
                article.spans = sort_spans([Span(0, len(first), "heading", "1"), *article.spans])
        elif stem:
            article.title = sanitize_line(re.sub(r"[-_]+", " ", _DATE_IN_NAME.sub("", stem))).strip() or article.title
    if not article.date and stem:
        m = _DATE_IN_NAME.match(stem)
        if m:
            from reader.articles import normalise_date

            try:
                article.date = normalise_date(m.group(1), name)
            except ArticleError:
                pass
    article.url = article.url or url
    return article
