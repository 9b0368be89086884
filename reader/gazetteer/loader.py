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

from reader.gazetteer.model import Entry, Gazetteer, GazetteerError, GazetteerIssue
from reader.gazetteer.overlay import apply_overlay, default_overlay_path
from reader.gazetteer.tables import MAX_FILE_BYTES, MAX_NAME_CHARS, entry_from_table, read_text  # noqa: F401 - MAX_NAME_CHARS re-exported
from reader.gazetteer.validate import validate
from reader.text import slugify

DATA_DIR = Path(__file__).parent / "data"


def load_gazetteer(path: Path | str | None = None, *, overlay: Path | str | None | bool = True) -> Gazetteer:
    """Load the bundled gazetteer (or `path` instead of it) with the user overlay merged over it.

    `path` may be a folder of TOML files, one TOML file, or a JSON list of
    ``{"id", "name", "type", "aliases"}`` objects. `overlay`: True for the default overlay
    location, a path for a specific file, False/None for none.
    """
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


def read_file(path: Path, origin: str = "bundled") -> tuple[list[Entry], list[GazetteerIssue]]:
    text = read_text(path)
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
