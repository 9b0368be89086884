"""Reading gazetteers: the bundled TOML folder, a TOML file, or a plain JSON list.

A primary gazetteer that cannot be used at all (missing, unreadable, binary, not TOML/JSON,
too large) raises `GazetteerError` with one line naming the file, because there is nothing
sensible to fall back to. Problems *inside* usable files (a bad field, a dangling link)
become `GazetteerIssue`s so that one typo does not take the whole knowledge base down.
The user overlay is never fatal: see `overlay`.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from reader.gazetteer.model import DatedAlias, Entry, Gazetteer, GazetteerError, GazetteerIssue, Link, fold_key
from reader.gazetteer.validate import validate
from reader.text import sanitize, sanitize_line, slugify

DATA_DIR = Path(__file__).parent / "data"
MAX_FILE_BYTES = 64 * 1024 * 1024

_STR_FIELDS = ("kind", "parent", "founded", "dissolved", "born", "died", "date", "end")
_LIST_FIELDS = ("aliases", "sources", "ambiguous")
KNOWN_FIELDS = frozenset({"name", "type", "summary", "links", "lat", "lon", "id", "aliases_dated",
                          *_STR_FIELDS, *_LIST_FIELDS})


def load_gazetteer(path: Path | str | None = None, *, overlay: Path | str | None | bool = True) -> Gazetteer:
    """Load the bundled gazetteer (or `path` instead of it) with the user overlay merged over it.

    `path` may be a folder of TOML files, one TOML file, or a JSON list of
    ``{"id", "name", "type", "aliases"}`` objects. `overlay`: True for the default overlay
    location, a path for a specific file, False/None for none.
    """
    from reader.gazetteer.overlay import default_overlay_path

    source = Path(path) if path is not None else DATA_DIR
    if overlay is True:
        overlay = default_overlay_path()
    overlay_path = Path(overlay) if overlay else None
    key = _cache_key(source, overlay_path)
    if key is not None and key in _loaded:
        return _loaded[key]
    gaz = _load(source, overlay_path)
    if key is not None:
        if len(_loaded) >= _LOADED_MAX:
            _loaded.pop(next(iter(_loaded)))
        _loaded[key] = gaz
    return gaz


def _load(source: Path, overlay: Path | None) -> Gazetteer:
    from reader.gazetteer.overlay import apply_overlay

    entries, issues = read_source(source)
    gaz = Gazetteer(entries, load_issues=issues)
    if overlay:
        gaz = apply_overlay(gaz, overlay)
    else:
        gaz.issues.extend(validate(gaz))
    return gaz


# A Gazetteer is immutable once built (see `model`), so loading the same files again returns
# the same object: a process that builds several readers over one library (the test suite;
# a re-opened store) parses the ~600 KB of bundled TOML once. The key is the files' content,
# not their modification times, so an edit is always seen.
_loaded: dict[tuple, Gazetteer] = {}
_LOADED_MAX = 8


def _cache_key(source: Path, overlay: Path | None) -> tuple | None:
    """What the loaded gazetteer depends on, or None when it cannot be told cheaply (the
    loader then reads as usual and reports what is wrong)."""
    import hashlib

    try:
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.suffix in (".toml", ".json") and p.is_file())
        elif source.is_file():
            files = [source]
        else:
            return None
        digest = hashlib.sha256()
        for f in files:
            if f.stat().st_size > MAX_FILE_BYTES:
                return None
            digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        overlay_part: tuple = ()
        if overlay is not None:
            if overlay.is_file():  # its issues name it: the path is part of the key
                overlay_part = (str(overlay), hashlib.sha256(overlay.read_bytes()).hexdigest())
            elif overlay.exists():
                return None
            else:
                overlay_part = ("absent",)  # a missing overlay adds nothing, wherever it would be
    except OSError:
        return None
    # issues name the files as given (relative or not), so the key does too
    return (str(source), digest.hexdigest(), overlay is not None, overlay_part)


def read_source(path: Path, origin: str = "bundled") -> tuple[list[Entry], list[GazetteerIssue]]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".toml", ".json") and p.is_file())
        entries: list[Entry] = []
        issues: list[GazetteerIssue] = []
        for f in files:
            e, i = read_file(f, origin)
            entries.extend(e)
            issues.extend(i)
        return entries, _dedupe(entries, issues)
    if not path.exists():
        raise GazetteerError(f"{path}: no such gazetteer file or folder; check the path")
    entries, issues = read_file(path, origin)
    if not entries:
        raise GazetteerError(f"{path}: contains no entries; add [id] tables (TOML) or objects (JSON list)")
    return entries, _dedupe(entries, issues)


def _dedupe(entries: list[Entry], issues: list[GazetteerIssue]) -> list[GazetteerIssue]:
    """Report duplicate ids (TOML forbids them within a file; across files they can happen)."""
    seen: dict[str, Entry] = {}
    for e in entries:
        if e.id in seen:
            issues.append(GazetteerIssue(e.file, e.id, f"duplicate id, already defined in "
                                         f"{seen[e.id].file}; rename or merge one of them"))
        else:
            seen[e.id] = e
    return issues


def _read_text(path: Path) -> str:
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


def read_file(path: Path, origin: str = "bundled") -> tuple[list[Entry], list[GazetteerIssue]]:
    text = _read_text(path)
    if path.suffix == ".json" or (path.suffix != ".toml" and text.lstrip()[:1] in ("[", "{")
                                  and text.lstrip()[1:].lstrip()[:1] in ("{", "]", "")):
        return _from_json(path, text, origin)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{path}: invalid TOML ({exc}); fix the syntax there") from None
    entries: list[Entry] = []
    issues: list[GazetteerIssue] = []
    if not doc:
        issues.append(GazetteerIssue(str(path), "", "file has no entries", "warning"))
    for key, table in doc.items():
        if not isinstance(table, dict):
            issues.append(GazetteerIssue(str(path), key, "top-level value is not a table; "
                                         f"write it as [{key}] with fields below"))
            continue
        entry = entry_from_table(key, table, str(path), origin, issues)
        if entry is not None:
            entries.append(entry)
    return entries, issues


def _from_json(path: Path, text: str, origin: str) -> tuple[list[Entry], list[GazetteerIssue]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno}); fix the syntax") from None
    if not isinstance(doc, list):
        raise GazetteerError(f"{path}: a JSON gazetteer must be a list of "
                             '{"id", "name", "type", "aliases"} objects')
    entries: list[Entry] = []
    issues: list[GazetteerIssue] = []
    for n, item in enumerate(doc):
        if not isinstance(item, dict):
            issues.append(GazetteerIssue(str(path), f"#{n}", "item is not an object; skipped"))
            continue
        item = dict(item)
        key = item.pop("id", None) or slugify(str(item.get("name", "")))
        if not isinstance(key, str):
            key = str(key)
        item.setdefault("type", "org")
        entry = entry_from_table(key, item, str(path), origin, issues, lenient=True)
        if entry is not None:
            entries.append(entry)
    return entries, issues


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
