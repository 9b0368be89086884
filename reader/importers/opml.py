"""OPML subscription lists (what feed readers import and export), both ways.

Reading keeps what a subscription list says about each feed: its URL, title, site
(``htmlUrl``), the folders it is nested in and its ``category`` attribute (OPML 2.0:
comma-separated; a category with slashes is a folder path). Folder names and categories
become the feed's tags; the innermost folder path is kept so `write_opml` can rebuild the
tree. Nothing is fetched here: the feeds are read on the next refresh.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import format_datetime

from reader.articles import ArticleError
from reader.importers.feeds import refuse_entities
from reader.importers.fetch import canonical_url
from reader.importers.subscriptions import Feed, feed_tags, folder_path
from reader.text import sanitize_line


@dataclass
class Outline:
    url: str  # canonical http(s) feed URL, "" when the outline's URL is unusable
    title: str
    raw_url: str  # as written in the file, for error messages
    site_url: str = ""  # htmlUrl, canonical, '' if none or unusable
    folder: str = ""  # the folders it is nested in, "Sahel/Mali"
    tags: list[str] = field(default_factory=list)  # categories first, then folder names


def _attrs(node) -> dict[str, str]:
    return {k.lower(): v for k, v in node.attrib.items()}


def _label(attrs: dict[str, str]) -> str:
    return sanitize_line(attrs.get("title") or attrs.get("text") or "").strip()[:200]


def parse_opml(data: bytes, *, name: str) -> list[Outline]:
    """Every outline with an ``xmlUrl``, in document order. ArticleError if not OPML."""
    refuse_entities(data, name)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ArticleError(f"{name}: not a valid OPML file (XML error: {exc})") from None
    if root.tag.lower() != "opml":
        raise ArticleError(f"{name}: not an OPML file (the root element is <{root.tag[:40]}>)")
    out: list[Outline] = []
    body = next((c for c in root if isinstance(c.tag, str) and c.tag.lower() == "body"), root)
    _walk(body, [], out)
    if not out:
        raise ArticleError(f"{name}: the OPML file lists no feeds (no outline has an xmlUrl)")
    return out


def _walk(node, folders: list[str], out: list[Outline], depth: int = 0) -> None:
    if depth > 50:  # a hand-made file nested absurdly deep: the feeds below are not lost, only flattened
        folders = folders[:50]
    for child in node:
        if not isinstance(child.tag, str) or child.tag.lower() != "outline":
            continue
        attrs = _attrs(child)
        raw = (attrs.get("xmlurl") or "").strip()
        if not raw:  # a folder
            label = _label(attrs)
            _walk(child, folders + [label] if label else folders, out, depth + 1)
            continue
        categories = [c.strip() for c in (attrs.get("category") or "").split(",") if c.strip()]
        tags = [part for c in categories for part in c.split("/")]
        folder = folder_path(folders)
        if not folder:  # no nesting: a category path ("/Sahel/Mali") says where it belongs
            folder = next((folder_path(c.split("/")) for c in categories if "/" in c), "")
        html = (attrs.get("htmlurl") or "").strip()
        out.append(Outline(url=canonical_url(raw), title=_label(attrs), raw_url=sanitize_line(raw)[:300],
                           site_url=canonical_url(html) if html else "", folder=folder,
                           tags=feed_tags([*tags, *folders])))
        _walk(child, folders, out, depth + 1)  # outlines inside a feed outline (rare) are still read


def _category(tags: Iterable[str]) -> str:
    # OPML's category is comma-separated and a slash means a path: neither may be inside a tag
    return ",".join(t.replace(",", "-").replace("/", "-") for t in tags)


def write_opml(feeds: Iterable[Feed], *, title: str = "mali-reader subscriptions", now=None) -> bytes:
    """An OPML 2.0 document of `feeds`: nested outlines for their folders, each feed with its
    title, ``xmlUrl``, ``htmlUrl`` and its tags as ``category``."""
    import datetime as dt

    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or dt.datetime.now(dt.timezone.utc))
    ET.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {"": body}

    def folder_node(path: str) -> ET.Element:
        if path not in folders:
            parent, _, leaf = path.rpartition("/")
            folders[path] = ET.SubElement(folder_node(parent), "outline", text=leaf, title=leaf)
        return folders[path]

    for f in sorted(feeds, key=lambda f: (f.folder, f.title.lower(), f.url)):
        attrs = {"type": "rss", "text": f.title or f.url, "title": f.title or f.url, "xmlUrl": f.url}
        if f.site_url:
            attrs["htmlUrl"] = f.site_url
        if f.tags:
            attrs["category"] = _category(f.tags)
        ET.SubElement(folder_node(f.folder), "outline", attrs)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
