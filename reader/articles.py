"""Articles: the model, and parsing of Markdown files with a front-matter header.

An article's `body` is plain text with paragraphs separated by blank lines. It is the text
that offsets (entity mentions, note anchors) refer to, so it is produced once, sanitised,
when the article enters the library, and never reformatted afterwards.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from reader import frontmatter
from reader.structure import EMPH_RE, HEADING_RE, LINK_RE, Span, markdown_spans
from reader.text import content_hash, sanitize, sanitize_line, slugify, word_count


class ArticleError(ValueError):
    """An article file that cannot be read; the message names the file and the problem."""


@dataclass
class Article:
    id: str
    title: str
    body: str
    date: str = ""  # ISO date (YYYY-MM-DD) or "" when unknown
    place: str = ""
    source: str = ""
    summary: str = ""
    author: str = ""
    tags: list[str] = field(default_factory=list)
    path: str = ""
    url: str = ""
    # headings, emphasis, lists, quotes and links as ranges of `body` (reader.structure);
    # not part of the text: the hash, versions and notes ignore them
    spans: list[Span] = field(default_factory=list)

    @property
    def hash(self) -> str:
        return content_hash(self.body)

    @property
    def words(self) -> int:
        return word_count(self.body)

    def paragraphs(self) -> list[tuple[int, str]]:
        """(start offset, text) of each paragraph of the body, in order."""
        return split_paragraphs(self.body)


_PARA_START_RE = re.compile(r"[^\n]")
_PARA_END_RE = re.compile(r"\n(?=\s*\n)")


def split_paragraphs(body: str) -> list[tuple[int, str]]:
    """Paragraphs are runs of non-blank lines; offsets point into `body`.

    A paragraph starts at a character other than a newline and ends at a newline followed by
    a blank line. Both are found with C-speed regex searches: a 5 MB article splits in
    milliseconds, where matching every character of every paragraph took seconds.
    """
    out = []
    pos, n = 0, len(body)
    while pos < n:
        m = _PARA_START_RE.search(body, pos)
        if m is None:
            break
        start = m.start()
        e = _PARA_END_RE.search(body, start)
        end = e.start() if e is not None else n
        text = body[start:end].rstrip()
        if text.strip():
            out.append((start, text))
        pos = end + 1
    return out


# --- front matter -------------------------------------------------------------------

def parse_front_matter(text: str, name: str) -> tuple[dict, str]:
    """Split a ``---`` YAML or ``+++`` TOML header from the body (see `reader.frontmatter`).

    Text without front matter returns ``({}, text)``. Raises ArticleError, one line naming
    the file and the line, for a header that is never closed or cannot be parsed.
    """
    try:
        return frontmatter.parse(text, name)
    except frontmatter.FrontMatterError as exc:
        raise ArticleError(str(exc)) from None


def normalise_date(value: str, name: str = "") -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD (optionally with a time); return the date part."""
    value = (value or "").strip()
    if not value:
        return ""
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:[T ].*)?$", value)
    if not m:
        raise ArticleError(f"{name}: date {value!r} is not YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ArticleError(f"{name}: date {value!r} is not a real date") from None
    return value[:10] if m.group(3) else "-".join(p for p in (m.group(1), m.group(2), m.group(3)) if p)


# --- Markdown to plain text ---------------------------------------------------------



def markdown_to_text(md: str) -> str:
    """Reduce simple Markdown to plain paragraphs: headings, emphasis and links lose markers."""
    out_lines = []
    for line in md.split("\n"):
        # each pattern needs its marker character: most lines of an article have none, and
        # skipping the regexes there halves the cost of an import
        if "#" in line:
            h = HEADING_RE.match(line)
            if h:
                line = h.group(1)
        if "](" in line:
            line = LINK_RE.sub(r"\1", line)
        if "*" in line or "__" in line:
            line = EMPH_RE.sub(lambda m: m.group(2) or m.group(3) or "", line)
        out_lines.append(line.rstrip())
    return tidy_body("\n".join(out_lines))


def tidy_body(text: str) -> str:
    """Paragraphs separated by exactly one blank line, lines inside a paragraph joined."""
    paras = [" ".join(p.split()) for _, p in split_paragraphs(text)]
    return "\n\n".join(p for p in paras if p)


def article_from_markdown(text: str, name: str, *, article_id: str | None = None, path: str = "",
                          sanitized: bool = False, parsed: tuple[dict, str] | None = None) -> Article:
    """Build an Article from Markdown (front matter optional). Raises ArticleError.

    `sanitized=True` says `text` has already been through `sanitize` (the importer does that
    once per file), so it is not scanned again; `parsed` is `parse_front_matter(text, name)`
    when the caller already has it (the header is then not parsed twice).
    """
    if not sanitized:
        text = sanitize(text)
    meta, body_md = parsed if parsed is not None else parse_front_matter(text, name)
    body = markdown_to_text(body_md)
    if not body.strip():
        raise ArticleError(f"{name}: the article has no text")
    title = sanitize_line(meta.get("title") or "")
    if not title:
        title = sanitize_line(body.split("\n", 1)[0])[:120]
    tags = meta.get("tags", [])
    if isinstance(tags, str):
        tags = [t for t in re.split(r"[,\s]+", tags) if t]
    def one(key: str) -> str:
        v = meta.get(key, "")
        return sanitize_line(", ".join(v) if isinstance(v, list) else v)
    return Article(
        id=article_id or slugify(Path(name).stem if path else title),
        title=title,
        body=body,
        date=normalise_date(one("date"), name),
        place=one("place"),
        source=one("source"),
        summary=one("summary"),
        author=one("author"),
        tags=[sanitize_line(t).lower() for t in tags if sanitize_line(t)],
        path=path,
        url=one("url"),
        spans=markdown_spans(body_md, body),
    )


def read_article_file(path: Path) -> Article:
    """Read a .md or .txt file into an Article. Raises ArticleError with a one-line reason."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{name}: looks like a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return article_from_markdown(text, name, article_id=slugify(path.stem), path=str(path.resolve()))


def samples_dir() -> Path:
    """The bundled sample articles: inside the installed package, or the checkout's folder."""
    packaged = Path(__file__).parent / "sample_articles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "sample_articles"


def load_samples(directory: Path | None = None) -> tuple[list[Article], list[str]]:
    """All sample articles, plus one error line per file that could not be parsed."""
    directory = directory or samples_dir()
    articles, errors = [], []
    for path in sorted(directory.glob("*.md")):
        try:
            articles.append(read_article_file(path))
        except ArticleError as exc:
            errors.append(str(exc))
    return articles, errors
