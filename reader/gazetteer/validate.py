"""Checks on a loaded gazetteer; every problem names its file and entry and says what to fix.

Validation never raises: a gazetteer with problems still loads (the app must keep working
with imperfect data), and the problems are listed in `Gazetteer.issues`. Run
``python -m reader.gazetteer [PATH]`` to print them.
"""

from __future__ import annotations

import re

from reader.gazetteer.model import (
    ORIGINS,
    PLACE_KINDS,
    RELATIONS,
    TYPES,
    Gazetteer,
    GazetteerIssue,
    fold_key,
)

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_RE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?\Z")
DATE_FIELDS = ("founded", "dissolved", "born", "died", "date", "end")


def validate(gaz: Gazetteer) -> list[GazetteerIssue]:
    issues: list[GazetteerIssue] = []

    def add(entry, message, severity="error"):
        issues.append(GazetteerIssue(entry.file, entry.id, message, severity))

    for e in gaz:
        strict = e.origin == "bundled" and not e.file.endswith(".json")
        if not ID_RE.match(e.id):
            add(e, "id must be a lowercase ASCII slug like 'ansar-dine'; rename the table")
        if not e.name.strip():
            add(e, "missing 'name'; add the canonical display name")
        if e.type not in TYPES:
            add(e, f"unknown type {e.type!r}; use one of {', '.join(TYPES)}")
        if e.origin not in ORIGINS:
            add(e, f"unknown origin {e.origin!r}")
        if strict and not e.summary.strip():
            add(e, "missing 'summary'; add two to six sentences of background")
        for link in e.links:
            if link.to not in gaz.entries:
                add(e, f"link {link.rel!r} points to unknown id {link.to!r}; fix the id or add that entry")
            elif link.to == e.id:
                add(e, f"link {link.rel!r} points to the entry itself; remove it")
            if link.rel not in RELATIONS:
                add(e, f"unknown relation {link.rel!r}; use one listed in data/README.md", "warning")
        for f in DATE_FIELDS:
            v = getattr(e, f)
            if v and not DATE_RE.match(v):
                add(e, f"{f} = {v!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if e.parent:
            if e.parent not in gaz.entries:
                add(e, f"parent {e.parent!r} is not an existing id; fix the id or add that entry")
            elif e.parent == e.id or any(p.id == e.id for p in gaz.parent_chain(e.id)):
                add(e, f"parent chain from {e.parent!r} loops back to this entry; fix a parent")
        if e.type == "place":
            _check_place(e, add, strict)
        elif e.kind and e.type in TYPES and strict:
            add(e, f"'kind' is only for places (type is {e.type!r}); remove it", "warning")
        for d in e.aliases_dated:
            for label, v in (("from", d.since), ("until", d.until)):
                if v and not DATE_RE.match(v):
                    add(e, f"dated alias {d.name!r}: {label} = {v!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
            if d.since and d.until and DATE_RE.match(d.since) and DATE_RE.match(d.until) \
                    and _earliest(d.until) < _earliest(d.since):
                add(e, f"dated alias {d.name!r} ends ({d.until}) before it starts ({d.since}); swap them")
        for a in e.aliases:
            if not fold_key(a):
                add(e, f"alias {a!r} has no letters or digits; remove it")
        for s in e.surface_forms():
            if "(" in s or ")" in s:
                add(e, f"name {s!r} has a bracketed part, which text never repeats so it cannot be "
                       "matched in full; move the qualifier to the summary or add the bare form",
                    "warning")
    issues.extend(_ambiguities(gaz))
    issues.extend(_date_contradictions(gaz))
    return issues


def _earliest(d: str) -> str:
    """First day a YYYY[-MM[-DD]] date can mean, as a sortable string."""
    return (d + "-01-01"[len(d) - 4:]) if len(d) < 10 else d


def _latest(d: str) -> str:
    """Last day it can mean ("2019" → 2019-12-31; months are given 31 days, enough to compare)."""
    return (d + "-12-31"[len(d) - 4:]) if len(d) == 4 else (d + "-31" if len(d) == 7 else d)


def _before(a: str, b: str) -> bool:
    """`a` certainly lies before `b` (both valid dates; coarse dates count as their whole span)."""
    return bool(a and b and DATE_RE.match(a) and DATE_RE.match(b) and _latest(a) < _earliest(b))


# (relation, from-type, to-type) read in one direction only: mirrored links say the same thing
_LIFE = {"person": ("born", "died"), "group": ("founded", "dissolved"), "org": ("founded", "dissolved")}


def _date_contradictions(gaz: Gazetteer) -> list[GazetteerIssue]:
    """Links that the entries' own dates make impossible (errors), and merged groups left
    without a dissolution date (warnings). Each pair is reported once, from the side that
    states the link (derived mirrors are skipped)."""
    out: list[GazetteerIssue] = []
    seen: set[tuple[str, str, str]] = set()

    def add(e, message, severity="error"):
        out.append(GazetteerIssue(e.file, e.id, message, severity))

    for e in gaz:
        for link in e.links:
            if link.derived:
                continue
            other = gaz.entries.get(link.to)
            if other is None:
                continue
            rel = link.rel
            # put the person/group on the left, whichever side the data wrote
            a, b = e, other
            if rel in ("led by", "founded by"):
                rel = {"led by": "leader of", "founded by": "founder of"}[rel]
                a, b = other, e
            key = (a.id, rel, b.id)
            if key in seen:
                continue
            seen.add(key)
            if rel == "took part in" and b.type == "event" and a.type in _LIFE and b.date:
                start, stop = (getattr(a, f) for f in _LIFE[a.type])
                when = b.end or b.date
                if _before(when, start):
                    add(e, f"took part in {b.id!r} ({b.date}) before it existed "
                           f"({_LIFE[a.type][0]} {start}); fix a date or the link")
                elif _before(stop, b.date):
                    add(e, f"took part in {b.id!r} ({b.date}) after its end "
                           f"({_LIFE[a.type][1]} {stop}); fix a date or the link")
            elif rel in ("leader of", "founder of") and a.type == "person" and b.type in ("group", "org"):
                if _before(a.died, b.founded):
                    add(e, f"{a.id!r} {rel} {b.id!r}, but died ({a.died}) before it was founded "
                           f"({b.founded}); fix a date or the link")
                elif _before(b.dissolved, a.born):
                    add(e, f"{a.id!r} {rel} {b.id!r}, but was born ({a.born}) after it ended "
                           f"({b.dissolved}); fix a date or the link")
            elif rel == "split from" and a.type in ("group", "org") and b.type in ("group", "org"):
                if _before(a.founded, b.founded):
                    add(e, f"split from {b.id!r} (founded {b.founded}) but was founded earlier "
                           f"({a.founded}); fix a date or the link")
                elif _before(b.dissolved, a.founded):
                    add(e, f"split from {b.id!r}, which had ended ({b.dissolved}) before this was "
                           f"founded ({a.founded}); fix a date or the link")
            elif rel == "merged into" and a.type in ("group", "org"):
                if not a.dissolved:
                    add(e, f"merged into {b.id!r} but has no 'dissolved' date; add the date of the merger",
                        "warning")
                elif _before(a.dissolved, b.founded):
                    add(e, f"merged into {b.id!r} (founded {b.founded}) but ended earlier "
                           f"({a.dissolved}); fix a date or the link")
    return out


def _check_place(e, add, strict: bool) -> None:
    if e.kind and e.kind not in PLACE_KINDS:
        add(e, f"unknown place kind {e.kind!r}; use one listed in data/README.md")
    if not strict:
        return
    if e.kind != "area" and (e.lat is None or e.lon is None):
        add(e, "place without lat/lon; add coordinates (or kind = \"area\" for broad areas)")
    if e.lat is not None and not -90 <= e.lat <= 90:
        add(e, f"lat {e.lat} is out of range -90..90")
    if e.lon is not None and not -180 <= e.lon <= 180:
        add(e, f"lon {e.lon} is out of range -180..180")
    if not e.parent and e.kind not in ("country", "area", "river", "lake", "forest", "mountains", ""):
        add(e, f"place of kind {e.kind!r} without 'parent'; add the id of the region or country")


def _ambiguities(gaz: Gazetteer) -> list[GazetteerIssue]:
    """The same folded surface on two entries, unless both declare it in `ambiguous`."""
    owners: dict[str, list] = {}
    for e in gaz:
        for s in e.surface_forms():
            owners.setdefault(fold_key(s), []).append((e, s))
    out = []
    for key, pairs in owners.items():
        if len(pairs) < 2:
            continue
        declared = [any(fold_key(a) == key for a in e.ambiguous) for e, _ in pairs]
        if all(declared):
            continue
        first, surface = pairs[0]
        others = ", ".join(e.id for e, _ in pairs[1:])
        severity = "warning" if any(e.origin != "bundled" for e, _ in pairs) else "error"
        out.append(GazetteerIssue(
            first.file, first.id,
            f"name {surface!r} is also used by {others}; keep it on one entry or list it in "
            f"'ambiguous' on each of them",
            severity))
    return out
