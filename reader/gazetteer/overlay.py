"""The user overlay: a TOML file in the user config dir, merged over the bundled gazetteer.

Same layout as the bundled files. A table whose id already exists *extends* that entry:
its aliases are added and any other field it sets replaces the bundled value. A table with
a new id is a new entry. A broken overlay must never stop the app, so every problem with
it (missing permissions, bad TOML, binary junk) becomes an issue and the bundled data is
used as is.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path

from reader.gazetteer.model import Entry, Gazetteer, GazetteerError, GazetteerIssue, fold_key
from reader.gazetteer.tables import entry_from_table, read_text
from reader.gazetteer.validate import validate

ENV_VAR = "MALI_READER_OVERLAY"


def default_overlay_path() -> Path:
    """`MALI_READER_OVERLAY` if set, else the config file's ``[paths] overlay``, else
    ``gazetteer.toml`` in the user config dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    from reader.config import current

    if current().overlay is not None:
        return current().overlay
    from platformdirs import user_config_dir

    return Path(user_config_dir("mali-reader")) / "gazetteer.toml"


def apply_overlay(gaz: Gazetteer, path: Path) -> Gazetteer:
    """`gaz` with the overlay at `path` merged in (validated); `gaz` itself is not changed."""
    issues = gaz.load_issues
    merged = dict(gaz.entries)
    if path.is_file():
        try:
            # Parse the raw tables ourselves so partial tables (extensions) are allowed.
            text = read_text(path)
            doc = tomllib.loads(text)
        except GazetteerError as exc:
            issues.append(GazetteerIssue(str(path), "", f"overlay ignored: {exc}"))
            doc = {}
        except tomllib.TOMLDecodeError as exc:
            issues.append(GazetteerIssue(str(path), "", f"overlay ignored: invalid TOML ({exc}); fix the syntax"))
            doc = {}
        for key, table in doc.items():
            if not isinstance(table, dict):
                issues.append(GazetteerIssue(str(path), key, "top-level value is not a table; ignored"))
                continue
            base = merged.get(key)
            if base is None:
                if "summary" not in table:
                    table = {**table, "summary": ""}
                entry = entry_from_table(key, table, str(path), "overlay", issues)
                if entry is not None:
                    merged[key] = entry
                continue
            # Extension of a bundled entry: parse with the bundled values as defaults.
            full = {"name": base.name, "type": base.type, **table}
            parsed = entry_from_table(key, full, str(path), "overlay", issues)
            if parsed is None:
                continue
            known = {fold_key(s) for s in base.surface_forms()}
            changes = {f: getattr(parsed, f) for f in table if f in _OVERRIDABLE}
            changes["aliases"] = base.aliases + [a for a in parsed.aliases if fold_key(a) not in known]
            if "links" in table:
                changes["links"] = base.links + [lk for lk in parsed.links if lk not in base.links]
            merged[key] = dataclasses.replace(base, **changes)
    elif path.exists():
        issues.append(GazetteerIssue(str(path), "", "overlay ignored: not a regular file"))
    new = Gazetteer(merged.values(), load_issues=issues)
    new.issues.extend(validate(new))
    return new


_OVERRIDABLE = frozenset({"name", "type", "summary", "kind", "lat", "lon", "parent", "founded",
                          "dissolved", "born", "died", "date", "end", "sources", "ambiguous",
                          "aliases_dated"})


def with_additions(gaz: Gazetteer, aliases: Iterable[tuple[str, str]] = (),
                   entries: Iterable[Entry] = ()) -> Gazetteer:
    """A new gazetteer: `gaz` with extra aliases on existing entries and extra entries.

    Used for what the user teaches the app (stored in SQLite). Unknown ids and new
    entries that clash with existing ids become issues, not exceptions; `gaz` is unchanged.
    """
    merged = dict(gaz.entries)
    extra: list[GazetteerIssue] = []
    for e in entries:
        if e.id in merged:
            extra.append(GazetteerIssue(e.file or "<user>", e.id,
                                        "an entry with this id already exists; choose another id",
                                        "warning"))
            continue
        merged[e.id] = e
    for entry_id, alias in aliases:
        entry = merged.get(entry_id)
        if entry is None:
            extra.append(GazetteerIssue("<user>", entry_id,
                                        f"alias {alias!r} is for an unknown entry; remove it or re-create the entry",
                                        "warning"))
            continue
        if fold_key(alias) in {fold_key(s) for s in entry.surface_forms()}:
            continue
        merged[entry_id] = dataclasses.replace(entry, aliases=[*entry.aliases, alias])
    new = Gazetteer(merged.values(), load_issues=gaz.load_issues + extra)
    new.issues.extend(validate(new))
    return new
