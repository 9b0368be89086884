"""OPML subscription lists (what feed readers export) to feed subscriptions.

Only the feed URLs and their titles are taken; categories (nested outlines) are walked but
not kept. Nothing is fetched here: the feeds are read on the next refresh.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from reader.importers.feeds import refuse_entities
from reader.importers.fetch import canonical_url
from reader.articles import ArticleError
from reader.text import sanitize_line


@dataclass
class Outline:
    url: str  # canonical http(s) feed URL, "" when the outline's URL is unusable
    title: str
    raw_url: str  # as written in the file, for error messages


def parse_opml(data: bytes, *, name: str) -> list[Outline]:
    """Every outline with an ``xmlUrl``, in document order. ArticleError if not OPML."""
    refuse_entities(data, name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ArticleError(f"{name}: not a valid OPML file (XML error: {exc})") from None
    if root.tag.lower() != "opml":
        raise ArticleError(f"{name}: not an OPML file (the root element is <{root.tag[:40]}>)")
    out = []
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag.lower() != "outline":
            continue
        attrs = {k.lower(): v for k, v in node.attrib.items()}
        raw = (attrs.get("xmlurl") or "").strip()
        if not raw:
            continue
        title = sanitize_line(attrs.get("title") or attrs.get("text") or "")[:200]
        out.append(Outline(url=canonical_url(raw), title=title, raw_url=sanitize_line(raw)[:300]))
    if not out:
        raise ArticleError(f"{name}: the OPML file lists no feeds (no outline has an xmlUrl)")
    return out
