"""Notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), both ways.

`to_annotation` writes one note; `from_annotation` reads one back (ours, or another tool's
when its target is an article of the library). What goes where:

- ``id``: ``tag:mali-reader,2026:note/<id>`` (RFC 4151 tag URIs; the authority and date are
  fixed, so the same note always has the same IRI). Older exports used ``urn:uuid:<id>``;
  both read back to the same note id, so re-importing either adds nothing.
- ``target``: a SpecificResource whose ``source`` is the article's URL (or its tag IRI when it
  has none), with a TextQuoteSelector + TextPositionSelector and a TimeState ``state``
  naming the article version the selectors point into: ``cached`` is the version's tag IRI
  (article id + content hash) and ``sourceDate`` when that version was stored. An orphaned
  note keeps its selectors into the last version its passage was found in, and the state
  names that version, so the offsets stay meaningful.
- ``body``: the note text (TextualBody, ``commenting``), each tag (``tagging``), the entity the
  note is linked to (SpecificResource, ``linking``), entities detected in the quoted passage
  (``identifying``) and, when the gazetteer is at hand, their kinds (``classifying``).
- ``creator`` (the user, a Person) and ``generator`` (mali-reader, Software).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from reader import __version__
from reader.notes import ANCHORED, UPDATED_SQL, Note
from reader.text import sanitize, sanitize_line

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
TAG = "tag:mali-reader,2026:"
NOTE_IRI, ARTICLE_IRI, ENTITY_IRI, TYPE_IRI = TAG + "note/", TAG + "article/", TAG + "entity/", TAG + "type/"
OLD_NOTE_IRI, OLD_ARTICLE_IRI, OLD_ENTITY_IRI = "urn:uuid:", "urn:mali-reader:article:", "urn:mali-reader:entity:"
_VERSION_MARK = "/version/"
GENERATOR = {"id": f"{TAG}software/mali-reader/{__version__}", "type": "Software",
             "name": f"mali-reader {__version__}"}
_GENERATOR_JSON = json.dumps(GENERATOR, ensure_ascii=False)
json_string = json.encoder.encode_basestring  # a JSON string literal, as json.dumps(..., ensure_ascii=False) writes it
# tag and entity lists repeat from note to note: each distinct JSON text is parsed once (the
# lists are only iterated, never changed)
json_list = lru_cache(maxsize=4096)(json.loads)
# a note from another tool gets an id derived from its IRI, so importing it twice adds nothing
_FOREIGN_IDS = uuid.UUID("7d0c1f5e-3f4a-4a53-9a43-6d616c692d72")


def _seg(value: str) -> str:
    return quote(value, safe="-._~")


def note_iri(note_id: str) -> str:
    return NOTE_IRI + _seg(note_id)


def article_iri(article_id: str) -> str:
    return ARTICLE_IRI + _seg(article_id)


def version_iri(article_id: str, content_hash: str) -> str:
    return article_iri(article_id) + _VERSION_MARK + _seg(content_hash)


def entity_iri(entity_id: str) -> str:
    return ENTITY_IRI + _seg(entity_id)


def creator(name: str) -> dict:
    """The user as the annotations' creator (a foaf:Person with a name)."""
    return {"type": "Person", "name": name}


@dataclass(frozen=True)
class Placement:
    """Where the article behind a note sits: its URL (or ''), and when the version was stored."""

    url: str = ""
    version_date: str = ""  # '' when the version row is unknown (then no sourceDate)


# The fields `article_annotations` reads for each note, in order, as SQL over the notes table
# `n` (see reader/export.py): tags and entities stay JSON text, as stored; `updated` through
# UPDATED_SQL (a note never edited stores it once, in `created`).
NOTE_FIELDS_SQL = ("n.id, n.body, n.tags, n.quote, n.prefix, n.suffix, n.start, n.\"end\", n.article_hash,"
                   " n.entity_id, n.entities, n.created, " + UPDATED_SQL)
_SAFE = re.compile(r"[A-Za-z0-9._~-]*")


def _iri_part(value: str) -> str:
    return value if _SAFE.fullmatch(value) else _seg(value)


_GENERATOR_PART = ', "generator": ' + _GENERATOR_JSON


@lru_cache(maxsize=4096)
def _tag_bodies(tags: str) -> str:
    """The tagging bodies of a tag list (JSON text as stored), joined; once per distinct list."""
    return ", ".join('{"type": "TextualBody", "value": ' + json_string(t) + ', "purpose": "tagging"}'
                     for t in json_list(tags))


@lru_cache(maxsize=4096)
def _linking_body(entity_id: str) -> str:
    return ('{"type": "SpecificResource", "source": ' + json_string(ENTITY_IRI + _iri_part(entity_id))
            + ', "purpose": "linking"}')


@lru_cache(maxsize=4096)
def entity_bodies(entities: str, entity_type: Callable[[str], str | None] | None) -> str:
    """The identifying bodies of an entity list (JSON text as stored), then one classifying
    body per kind the gazetteer gives them (in order of first appearance); once per list."""
    bodies, kinds = [], []
    for eid in json_list(entities):
        bodies.append('{"type": "SpecificResource", "source": ' + json_string(ENTITY_IRI + _iri_part(eid))
                      + ', "purpose": "identifying"}')
        kind = entity_type(eid) if entity_type is not None else None
        if kind and kind not in kinds:
            kinds.append(kind)
    for kind in kinds:
        bodies.append('{"type": "SpecificResource", "source": ' + json_string(TYPE_IRI + _iri_part(kind))
                      + ', "purpose": "classifying"}')
    return ", ".join(bodies)


def _target_end(article_id: str, article_hash: str, version_date: str) -> str:
    """The target from its "state" to the annotation's end: the TimeState naming the version
    (and when it was stored, if known)."""
    return (', "state": {"type": "TimeState", "cached": '
            + json_string(ARTICLE_IRI + _iri_part(article_id) + _VERSION_MARK + _iri_part(article_hash))
            + (', "sourceDate": ' + json_string(version_date) if version_date else "") + "}}}")


def article_annotations(article_id: str, url: str, versions: dict[str, str], rows: Iterable[tuple], *,
                        made_by: str = "", entity_type: Callable[[str], str | None] | None = None) -> list[str]:
    """The notes of one article (`rows`: the fields of NOTE_FIELDS_SQL) as Web Annotations,
    JSON texts in the order of `rows`. `url` is the article's URL ('' for none); `versions`
    maps a version hash to when that version was stored (a version not in it, or stored
    at '', gets no sourceDate).

    Written as text rather than built as dicts and encoded: exports write a million of
    these, and this is several times faster. What is the same for every note of the article
    (the target's source, each version's state, creator and generator) is written once.
    `made_by` is the creator as JSON text (``json.dumps(creator(name))``). `to_annotation`
    gives the same as a dict.
    """
    enc = json_string
    safe = _SAFE.fullmatch
    agents = (', "creator": ' + made_by if made_by else "") + _GENERATOR_PART
    source = (', "target": {"type": "SpecificResource", "source": '
              + enc(url or ARTICLE_IRI + _iri_part(article_id)))
    ends: dict[str, str] = {}
    texts = []
    for (note_id, body, tags, quote_, prefix, suffix, start, end, article_hash, entity_id, entities,
         created, updated) in rows:
        tagging = _tag_bodies(tags) if tags and tags != "[]" else ""
        if body:
            motivation = "commenting"
            bodies = ['{"type": "TextualBody", "value": ' + enc(body) + ', "format": "text/plain", '
                      '"purpose": "commenting"}']
            if tagging:
                bodies.append(tagging)
        else:
            motivation = "tagging" if tagging else "highlighting"
            bodies = [tagging] if tagging else []
        if entity_id:
            bodies.append(_linking_body(entity_id))
        if entities and entities != "[]":
            identifying = entity_bodies(entities, entity_type)
            if identifying:
                bodies.append(identifying)
        body_part = ', "body": [' + ", ".join(bodies) + "]" if bodies else ""
        if quote_:
            selector = (f', "selector": [{{"type": "TextQuoteSelector", "exact": {enc(quote_)}, "prefix": '
                        f'{enc(prefix)}, "suffix": {enc(suffix)}}}, {{"type": "TextPositionSelector", "start": '
                        f'{"null" if start is None else start}, "end": {"null" if end is None else end}}}]')
        else:
            selector = ""
        tail = ends.get(article_hash)
        if tail is None:
            tail = ends[article_hash] = _target_end(article_id, article_hash, versions.get(article_hash) or "")
        # one f-string, so one copy of the text; a note IRI needs no JSON escapes (its id part
        # is unreserved characters or %XX)
        texts.append(f'{{"id": "{NOTE_IRI}{note_id if safe(note_id) else _seg(note_id)}", "type": "Annotation", '
                     f'"motivation": "{motivation}", "created": {enc(created)}, "modified": {enc(updated)}{agents}'
                     f'{body_part}{source}{selector}{tail}')
    return texts


def to_annotation(note: Note, where: Placement = Placement(), *, made_by: dict | None = None,
                  entity_type: Callable[[str], str | None] | None = None) -> dict:
    """One note as a Web Annotation (a dict); the same as the export writes."""
    n = note
    row = (n.id, n.body, json.dumps(n.tags, ensure_ascii=False), n.quote, n.prefix, n.suffix, n.start, n.end,
           n.article_hash, n.entity_id, json.dumps(n.entities, ensure_ascii=False), n.created, n.updated)
    made = json.dumps(made_by, ensure_ascii=False) if made_by else ""
    text, = article_annotations(n.article_id, where.url, {n.article_hash: where.version_date}, [row], made_by=made,
                                entity_type=entity_type)
    return json.loads(text)


# --- reading back ----------------------------------------------------------------------------


def annotations_in(doc) -> Iterator[dict] | None:
    """The annotations of a parsed W3C document: an AnnotationCollection (its ``first`` page
    and any pages chained inline with ``next``), an AnnotationPage, a list, or one Annotation.
    None when `doc` is none of these."""
    if isinstance(doc, list):
        if doc and all(isinstance(d, dict) and _is_annotation(d) for d in doc):
            return iter(doc)
        return None
    if not isinstance(doc, dict):
        return None
    kind = _types(doc)
    if "Annotation" in kind:
        return iter([doc])
    if "AnnotationCollection" in kind:
        return _pages(doc.get("first"))
    if "AnnotationPage" in kind:
        return _pages(doc)
    return None


def _pages(page) -> Iterator[dict]:
    seen = 0
    while isinstance(page, dict):
        items = page.get("items")
        if isinstance(items, list):
            yield from items
        page = page.get("next")
        seen += 1
        if seen > 100_000:  # a cycle in a hand-made file
            break


def _types(d: dict) -> set[str]:
    t = d.get("type", d.get("@type"))
    if isinstance(t, str):
        return {t}
    return {x for x in t if isinstance(x, str)} if isinstance(t, list) else set()


def _is_annotation(d: dict) -> bool:
    return "Annotation" in _types(d) or "oa:Annotation" in _types(d)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _strip(iri: str, *prefixes: str) -> str | None:
    for p in prefixes:
        if iri.startswith(p) and len(iri) > len(p):
            return unquote(iri[len(p):])
    return None


def note_id_from(iri) -> str:
    """Our note id from an annotation IRI (tag or urn:uuid), or a stable id derived from a
    foreign IRI."""
    if not isinstance(iri, str) or not iri.strip():
        raise ValueError("the annotation has no 'id'")
    ours = _strip(iri, NOTE_IRI, OLD_NOTE_IRI)
    return sanitize_line(ours) if ours is not None else str(uuid.uuid5(_FOREIGN_IDS, iri))


def _article_from(target: dict, resolve_url: Callable[[str], str | None]) -> tuple[str, str]:
    """(article id, version hash or '') named by a target."""
    for state in _as_list(target.get("state")):
        for cached in _as_list(state.get("cached") if isinstance(state, dict) else None):
            rest = _strip(cached, ARTICLE_IRI) if isinstance(cached, str) else None
            if rest is not None and _VERSION_MARK in rest:
                aid, _, h = rest.rpartition(_VERSION_MARK)
                return aid, h
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id")
    if not isinstance(source, str) or not source:
        raise ValueError("the target has no 'source'")
    aid = _strip(source, ARTICLE_IRI, OLD_ARTICLE_IRI)
    if aid is not None:
        return aid, ""
    found = resolve_url(source)
    if found is None:
        raise ValueError(f"its target {source[:120]!r} is not an article of this library; import the article first")
    return found, ""


def from_annotation(d, *, resolve_url: Callable[[str], str | None] = lambda url: None,
                    locate_quote: Callable[[str, str], tuple[int, int] | None] = lambda aid, q: None) -> Note:
    """A Note from one Web Annotation; ValueError (short, no file name) when it cannot be one.

    `resolve_url` maps a target URL to an article id (for annotations made by other tools);
    `locate_quote` finds a quote in an article's current text when a target has a
    TextQuoteSelector but no TextPositionSelector.
    """
    if not isinstance(d, dict) or not _is_annotation(d):
        raise ValueError("not an Annotation object")
    note_id = note_id_from(d.get("id"))
    targets = [t if isinstance(t, dict) else {"source": t} for t in _as_list(d.get("target"))]
    if not targets:
        raise ValueError("the annotation has no 'target'")
    target = targets[0]
    article_id, version = _article_from(target, resolve_url)
    quote_sel: dict = {}
    pos_sel: dict = {}
    for sel in _as_list(target.get("selector")):
        if not isinstance(sel, dict):
            continue
        kind = _types(sel)
        if "TextQuoteSelector" in kind and not quote_sel:
            quote_sel = sel
        elif "TextPositionSelector" in kind and not pos_sel:
            pos_sel = sel
    exact = quote_sel.get("exact", "")
    if not isinstance(exact, str):
        raise ValueError("TextQuoteSelector 'exact' must be a string")
    start, end = pos_sel.get("start"), pos_sel.get("end")
    if pos_sel:
        for name, v in (("start", start), ("end", end)):
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise ValueError(f"TextPositionSelector {name!r} must be a non-negative integer")
        if end < start:
            raise ValueError("TextPositionSelector 'end' is before 'start'")
    if exact and not pos_sel:
        found = locate_quote(article_id, exact)
        if found is None:
            raise ValueError(f"the quote {exact[:50]!r} has no position and is not in article {article_id!r}")
        start, end = found
    if not exact:
        start = end = None
    body_parts: list[str] = []
    tags: list[str] = []
    entity_id: str | None = None
    entities: list[str] = []
    motivation = d.get("motivation")
    if isinstance(d.get("bodyValue"), str):
        body_parts.append(d["bodyValue"])
    for b in _as_list(d.get("body")):
        if isinstance(b, str):
            b = {"id": b}
        if not isinstance(b, dict):
            continue
        purposes = {p for p in _as_list(b.get("purpose")) if isinstance(p, str)}
        value = b.get("value")
        source = b.get("source", b.get("id"))
        ent = _strip(source, ENTITY_IRI, OLD_ENTITY_IRI) if isinstance(source, str) else None
        if isinstance(value, str):
            if "tagging" in purposes or (not purposes and motivation == "tagging"):
                tags.append(value)
            else:
                body_parts.append(value)
        elif ent is not None:
            if "identifying" in purposes and "linking" not in purposes:
                entities.append(ent)
            elif entity_id is None:
                entity_id = ent
    for name in ("created", "modified"):
        if d.get(name) is not None and not isinstance(d[name], str):
            raise ValueError(f"{name!r} must be a date-time string")
    # text from another tool enters the system here: no escapes, controls or bidi overrides
    # (a no-op on our own exports, whose text was sanitised when it came in)
    return Note(id=note_id, article_id=sanitize_line(article_id), body="\n\n".join(body_parts), tags=tags,
                quote=sanitize(exact), prefix=sanitize(_text(quote_sel.get("prefix"))),
                suffix=sanitize(_text(quote_sel.get("suffix"))), start=start, end=end,
                article_hash=sanitize_line(version), entity_id=sanitize_line(entity_id) if entity_id else None,
                entities=list(dict.fromkeys(sanitize_line(e) for e in entities)), status=ANCHORED,
                created=sanitize_line(d.get("created") or ""),
                updated=sanitize_line(d.get("modified") or d.get("created") or ""))


def _text(value) -> str:
    return value if isinstance(value, str) else ""
