"""newsboat's ``urls`` file: one feed per line, read as subscriptions (never as an article).

Each line is a feed URL followed by words separated by spaces; a word may be quoted with
double quotes (``"West Africa"``), with ``\\"`` for a quote inside. A word starting with ``~``
is the feed's title, one starting with ``!`` hides the feed in newsboat (it is subscribed
here all the same, the mark is dropped) and any other word is a tag. ``#`` starts a comment
line; ``"query:…"`` lines are newsboat's saved searches and ``exec:`` / ``filter:`` lines
run local programs: those are skipped with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.importers.fetch import canonical_url
from reader.importers.subscriptions import feed_tags
from reader.text import sanitize_line

_URL_START = re.compile(r"^(https?://|\"?query:|exec:|filter:|file://)", re.IGNORECASE)


@dataclass
class UrlsLine:
    lineno: int
    url: str  # canonical http(s) URL; '' when the line is not a feed we can fetch
    raw_url: str
    title: str = ""
    tags: list[str] = field(default_factory=list)
    hidden: bool = False
    reason: str = ""  # why a line is not subscribed (query, exec, bad URL)


def looks_like_urls_file(text: str) -> bool:
    """True when every non-blank, non-comment line starts with a feed URL (or a newsboat
    query/exec/filter entry) and at least one is an http(s) URL: newsboat's ``urls`` file."""
    seen_url = False
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        if not _URL_START.match(s):
            return False
        seen_url = seen_url or s.lower().startswith(("http://", "https://"))
    return seen_url


def _words(line: str) -> list[str]:
    """Split a line as newsboat does: spaces separate, double quotes group, backslash escapes."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            break
        if line[i] == '"':
            i += 1
            buf = []
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(line[i])
                i += 1
            i += 1  # the closing quote (a missing one ends the word at the end of the line)
            out.append("".join(buf))
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            out.append(line[i:j])
            i = j
    return out


def parse_urls(text: str, *, name: str) -> list[UrlsLine]:
    """Every entry of a urls file, in order (skipped ones carry a `reason` naming the line)."""
    out: list[UrlsLine] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        words = _words(s)
        if not words:
            continue
        raw, rest = words[0], words[1:]
        shown = sanitize_line(raw)[:120]
        if raw.lower().startswith("query:"):
            out.append(UrlsLine(lineno, "", shown, reason=f"{name}:{lineno}: a newsboat query feed ({shown!r}); "
                                                          "not a subscription, skipped"))
            continue
        if raw.lower().startswith(("exec:", "filter:")):
            out.append(UrlsLine(lineno, "", shown, reason=f"{name}:{lineno}: {shown.split(':', 1)[0]}: feeds run a "
                                                          "local program; not subscribed"))
            continue
        url = canonical_url(raw)
        entry = UrlsLine(lineno, url, shown)
        if not url:
            entry.reason = f"{name}:{lineno}: {shown!r} is not an http(s) URL; not subscribed"
        tags = []
        for w in rest:
            if w.startswith("~"):
                entry.title = sanitize_line(w[1:]).strip()[:200]
            elif w.startswith("!"):  # newsboat's "hide this feed" mark, not a tag
                entry.hidden = True
            else:
                tags.append(w)
        entry.tags = feed_tags(tags)
        out.append(entry)
    return out
