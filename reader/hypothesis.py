"""Notes in the shape of Hypothesis' annotation export, both ways.

Hypothesis' client exports ``{"export_date", "export_userid", "client_version",
"annotations": [...]}``, each annotation in its API shape: ``uri``, ``text``, ``tags``,
``target: [{source, selector: [TextQuoteSelector, TextPositionSelector]}]``, ``created``,
``updated``, ``user``, ``document: {title: [...]}``. `hypothesis_json` writes one note so;
`as_w3c` reads one back as a Web Annotation for `reader.w3c.from_annotation`. Hypothesis has
no place for the article version or entities, so those do not travel.
"""

from __future__ import annotations

from functools import lru_cache

from reader.notes import UPDATED_SQL
from reader.w3c import article_iri, json_string, note_iri

# The fields `hypothesis_json` reads, in order, as SQL over the notes table `n` with the
# article's :title and :url (see reader/export.py).
FIELDS_SQL = ("n.id, n.article_id, :title, :url, n.body, n.tags, n.quote, n.prefix, n.suffix, n.start, n.\"end\","
              " n.created, " + UPDATED_SQL)


def hypothesis_user(name: str) -> str:
    """A Hypothesis-style user id (``acct:NAME@AUTHORITY``) for a local user."""
    clean = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name) or "user"
    return f"acct:{clean}@mali-reader.local"


@lru_cache(maxsize=4096)
def _article_uri(article_id: str) -> str:
    return json_string(article_iri(article_id))  # percent-encoding: once per article, not per note


def hypothesis_json(row: tuple, user: str, display_name: str) -> str:
    """One note (`row`: the fields of FIELDS_SQL) as a Hypothesis annotation, JSON text.
    Private to the user (only they may read it), in the group Hypothesis calls ``__world__``."""
    note_id, article_id, title, url, body, tags, quote_, prefix, suffix, start, end, created, updated = row
    enc = json_string
    uri = enc(url) if url else _article_uri(article_id)
    who = enc(user)
    target = '{"source": ' + uri
    if quote_:
        target += (', "selector": [{"type": "TextQuoteSelector", "exact": ' + enc(quote_) + ', "prefix": '
                   + enc(prefix) + ', "suffix": ' + enc(suffix) + '}, {"type": "TextPositionSelector", "start": '
                   + ("null" if start is None else str(start)) + ', "end": ' + ("null" if end is None else str(end))
                   + "}]")
    return "".join((
        '{"id": ', enc(note_id), ', "created": ', enc(created), ', "updated": ', enc(updated), ', "user": ', who,
        ', "uri": ', uri, ', "text": ', enc(body), ', "tags": ', tags or "[]", ', "group": "__world__"',
        ', "permissions": {"read": [', who, '], "update": [', who, '], "delete": [', who, '], "admin": [', who,
        ']}, "target": [', target, '}], "document": {"title": [', enc(title or article_id), ']}',
        ', "links": {}, "hidden": false, "flagged": false, "user_info": {"display_name": ', enc(display_name),
        "}}"))


def as_w3c(a) -> dict:
    """One Hypothesis annotation as a Web Annotation dict; ValueError (short) if it is not one."""
    if not isinstance(a, dict) or not isinstance(a.get("id"), str) or not a["id"]:
        raise ValueError("not an annotation with an 'id'")
    tags = a.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("'tags' must be a list of strings")
    text = a.get("text") or ""
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    targets = a.get("target") if isinstance(a.get("target"), list) else []
    target = dict(targets[0]) if targets and isinstance(targets[0], dict) else {}
    target.setdefault("source", a.get("uri"))
    body = [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in tags]
    if text:
        body.insert(0, {"type": "TextualBody", "value": text, "purpose": "commenting"})
    return {"type": "Annotation", "id": note_iri(a["id"]), "body": body, "target": target,
            "created": a.get("created"), "modified": a.get("updated")}
