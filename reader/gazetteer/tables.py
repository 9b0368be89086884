"""Gazetteer tables to entries: the checks shared by the bundled files and the user overlay.

`read_text` reads a gazetteer file (size, binary and encoding checks) and `entry_from_table`
turns one parsed TOML/JSON table into an `Entry`, reporting each bad field as a
`GazetteerIssue`. Both the loader and the overlay use them, so neither imports the other's
internals.
"""

from __future__ import annotations

from pathlib import Path

from reader.gazetteer.model import DatedAlias, Entry, GazetteerError, GazetteerIssue, Link, fold_key
from reader.text import sanitize, sanitize_line

MAX_FILE_BYTES = 64 * 1024 * 1024

_STR_FIELDS = ("kind", "parent", "founded", "dissolved", "born", "died", "date", "end")
_LIST_FIELDS = ("aliases", "sources", "ambiguous")
KNOWN_FIELDS = frozenset({"name", "type", "summary", "links", "lat", "lon", "id", "aliases_dated",
                          *_STR_FIELDS, *_LIST_FIELDS})


def read_text(path: Path) -> str:
    """The text of a gazetteer file. Raises GazetteerError (one line) when it is too large,
    unreadable, binary or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise GazetteerError(f"{path}: file is {size // 1_000_000} MB, over the "
                                 f"{MAX_FILE_BYTES // 1_000_000} MB limit; split it or trim it")
        data = path.read_bytes()
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read ({exc.strerror or exc}); check permissions") from None
    if b"\x00" in data:
        raise GazetteerError(f"{path}: looks like a binary file, not TOML or JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not valid UTF-8 (byte {exc.start}); save it as UTF-8") from None


# A name longer than any real one only slows the matcher (a 1 MB alias hung it): refused.
MAX_NAME_CHARS = 200


def entry_from_table(key: str, table: dict, file: str, origin: str, issues: list[GazetteerIssue],
                     *, lenient: bool = False) -> Entry | None:
    def bad(message, severity="error"):
        issues.append(GazetteerIssue(file, key, message, severity))

    if not lenient:
        for k in table:
            if k not in KNOWN_FIELDS:
                bad(f"unknown field {k!r}; see data/README.md for the fields", "warning")
    name = table.get("name", "")
    if not isinstance(name, str):
        bad("'name' must be a string")
        name = ""
    if not name.strip() and not table.get("aliases") and not table.get("aliases_dated"):
        bad("missing 'name'; add the canonical display name")
        return None
    etype = table.get("type", "")
    if not isinstance(etype, str):
        bad("'type' must be a string")
        etype = ""
    if not etype:
        bad("missing 'type'; use group, place, person, org or event")
    summary = table.get("summary", "")
    if not isinstance(summary, str):
        bad("'summary' must be a string")
        summary = ""
    kwargs: dict = {}
    for f in _STR_FIELDS:
        v = table.get(f, "")
        if isinstance(v, (int, float)) and not isinstance(v, bool) and f not in ("kind", "parent"):
            v = str(v)  # e.g. founded = 2012 written without quotes
        if not isinstance(v, str):
            bad(f"'{f}' must be a string")
            v = ""
        kwargs[f] = sanitize_line(v)
    for f in _LIST_FIELDS:
        v = table.get(f, [])
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            bad(f"'{f}' must be a list of strings")
            v = [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
        kwargs[f] = [sanitize_line(x) for x in v if x.strip()]
        if f == "aliases":
            for x in kwargs[f]:
                if len(x) > MAX_NAME_CHARS:
                    bad(f"alias of {len(x):,} characters starting {x[:30]!r} (at most {MAX_NAME_CHARS}); "
                        "shorten it - it was ignored")
            kwargs[f] = [x for x in kwargs[f] if len(x) <= MAX_NAME_CHARS]
    if len(name) > MAX_NAME_CHARS:
        bad(f"'name' of {len(name):,} characters (at most {MAX_NAME_CHARS}); shorten it")
        return None
    for f in ("lat", "lon"):
        v = table.get(f)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            bad(f"'{f}' must be a number")
            v = None
        kwargs[f] = float(v) if v is not None else None
    links: list[Link] = []
    raw_links = table.get("links", [])
    if not isinstance(raw_links, list):
        bad("'links' must be a list of { rel = ..., to = ... }")
        raw_links = []
    for link in raw_links:
        if not (isinstance(link, dict) and isinstance(link.get("rel"), str) and isinstance(link.get("to"), str)):
            bad(f"malformed link {link!r}; write {{ rel = \"...\", to = \"id\" }}")
            continue
        links.append(Link(sanitize_line(link["rel"]), link["to"].strip()))
    kwargs["aliases_dated"] = _dated_aliases(table.get("aliases_dated", []), bad)
    known = {fold_key(a) for a in kwargs["aliases"]} | {fold_key(name)}
    for dated in kwargs["aliases_dated"]:
        if fold_key(dated.name) not in known:  # old texts use old names: match them all
            known.add(fold_key(dated.name))
            kwargs["aliases"].append(dated.name)
    if not name.strip():
        if not kwargs["aliases"]:
            bad("missing 'name'; add the canonical display name")
            return None
        name = kwargs["aliases"][0]
    return Entry(id=key, name=sanitize_line(name), type=etype.strip(), summary=sanitize(summary).strip(),
                 links=links, origin=origin, file=file, **kwargs)


def _dated_aliases(raw, bad) -> list[DatedAlias]:
    """``[{ name = "...", from = "YYYY-MM", until = "..." }]`` → DatedAlias list; dates checked in validate."""
    if not isinstance(raw, list):
        bad("'aliases_dated' must be a list of { name = ..., from = ..., until = ... }")
        return []
    out: list[DatedAlias] = []
    for item in raw:
        if not (isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip()):
            bad(f"malformed dated alias {item!r}; write {{ name = \"...\", from = \"YYYY-MM\" }}")
            continue
        unknown = set(item) - {"name", "from", "until"}
        if unknown:
            bad(f"dated alias {item['name']!r} has unknown key(s) {', '.join(sorted(unknown))}; "
                "use name, from, until")
        dates = {}
        for k in ("from", "until"):
            v = item.get(k, "")
            if isinstance(v, int) and not isinstance(v, bool):
                v = str(v)
            if not isinstance(v, str):
                bad(f"dated alias {item['name']!r}: '{k}' must be a date string like \"2025-07\"")
                v = ""
            dates[k] = sanitize_line(v).strip()
        if not dates["from"] and not dates["until"]:
            bad(f"dated alias {item['name']!r} has neither 'from' nor 'until'; add one or make it a plain alias")
        out.append(DatedAlias(sanitize_line(item["name"]).strip(), dates["from"], dates["until"]))
    return out
