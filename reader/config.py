"""The user's configuration file: one TOML file, read once at start.

Where it is: ``--config PATH``, else ``$MALI_READER_CONFIG``, else ``config.toml`` in the
platform's user config dir (beside the gazetteer overlay). What it holds::

    theme = "gruvbox"            # any theme in the palette's "Change theme" list
    sidebar = "auto"             # auto (shown from 100 columns) / shown / hidden
    reading_width = 96           # widest line of article text, in columns

    [paths]
    database = "~/notes/mali.db" # else $MALI_READER_DB or the user data dir
    overlay = "~/notes/gaz.toml" # else $MALI_READER_OVERLAY or the user config dir

    [keymap]
    "reader.next_mention" = "n"  # binding id -> keys (see README or `config init`)

A broken file never stops the app: every problem (bad TOML, an unknown key, a wrong type, an
unknown binding id, keys that collide) becomes a one-line `ConfigIssue` naming the file, the
line and the key, and the setting concerned keeps its default. Preferences changed in the
app (theme, sidebar) are written back by editing or adding that one line, so the user's
comments and layout survive (`tomllib` cannot write TOML, and we would not want it to).
This module is core: it never imports Textual; the TUI hands in its bindings as plain data.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.tomledit import TomlEditError, key_lines, toml_string, write_setting  # noqa: F401 (toml_string: re-exported)

ENV_VAR = "MALI_READER_CONFIG"
APP_NAME = "mali-reader"
FILE_NAME = "config.toml"
SIDEBAR_MODES = ("auto", "shown", "hidden")
DEFAULT_READING_WIDTH = 96
READING_WIDTH_LIMITS = (30, 400)
PREFERENCES = ("theme", "sidebar")  # what the app may write back
PATH_KEYS = ("database", "overlay")
TOP_LEVEL = ("theme", "sidebar", "reading_width", "paths", "keymap")

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED_KEYS = frozenset({
    "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right", *(f"f{i}" for i in range(1, 25)),
})
_REPLACEMENTS = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
                 "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}


class ConfigError(Exception):
    """A problem that stops one operation (writing the file); the message is one line."""


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in the config file; `str()` is the line shown to the user."""

    path: Path
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass(frozen=True)
class BindingInfo:
    """A key binding as the TUI declares it, handed to the core as plain data.

    `scope` groups bindings that are active together (a screen and its widgets); bindings in
    the "app" scope are active under every scope whose `with_app` is true (not modals).
    """

    id: str
    keys: str
    description: str
    scope: str
    with_app: bool = True


def default_config_path() -> Path:
    """``$MALI_READER_CONFIG`` if set, else ``config.toml`` in the user config dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / FILE_NAME


# -- keys --------------------------------------------------------------------------------

def normalize_key(key: str) -> str:
    """Textual's name for a key: "?" -> "question_mark", "ctrl+n" stays (as Textual does it)."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return "tab" if key == "\t" else key
    return _REPLACEMENTS.get(name, name)


def normalize_keys(keys: str) -> str:
    """A comma-separated key list, each key normalized."""
    return ",".join(normalize_key(k) for k in keys.split(","))


def key_problem(key: str) -> str | None:
    """Why `key` (one key, normalized) is not a key Textual can bind, or None if it is."""
    if not key:
        return "empty key"
    *mods, base = key.split("+") if len(key) > 1 else [key]
    bad = [m for m in mods if m not in MODIFIERS]
    if bad:
        return f"unknown modifier {bad[0]!r} (use {', '.join(MODIFIERS)})"
    if len(base) == 1 or base in NAMED_KEYS:
        return None
    if base in _REPLACEMENTS.values():
        return None
    try:
        unicodedata.lookup(base.replace("_", " "))
        return None
    except KeyError:
        pass
    return (f"unknown key {base!r} (a character such as 'n' or '?', a name such as 'enter', "
            "'space', 'pagedown', 'f5', optionally with 'ctrl+')")


# -- the configuration ------------------------------------------------------------------

@dataclass
class Config:
    """The settings in force. Build with `load_config()`; `Config(path)` is all defaults."""

    path: Path
    exists: bool = False
    theme: str | None = None
    sidebar: str = "auto"
    reading_width: int = DEFAULT_READING_WIDTH
    database: Path | None = None
    overlay: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> normalized keys
    issues: list[ConfigIssue] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def issue(self, key: str, message: str) -> ConfigIssue:
        found = ConfigIssue(self.path, self.lines.get(key), key, message)
        self.issues.append(found)
        return found

    def sidebar_shown(self, width: int, min_width: int) -> bool:
        """Whether the reader opens with its sidebar, in a terminal `width` columns wide."""
        if self.sidebar == "auto":
            return width >= min_width
        return self.sidebar == "shown"

    def check_keymap(self, bindings: Iterable[BindingInfo]) -> list[ConfigIssue]:
        """Drop keymap entries with an unknown id or keys that collide; return the new issues.

        A collision is two bindings active together (same scope, or the app's bindings under a
        screen) ending up on the same key, where at least one of them was remapped here.
        """
        known = {b.id: b for b in bindings}
        new: list[ConfigIssue] = []
        for binding_id in list(self.keymap):
            if binding_id not in known:
                del self.keymap[binding_id]
                close = [i for i in known if i.split(".")[-1] == binding_id.split(".")[-1]]
                hint = f"; did you mean {close[0]!r}?" if close else "; 'mali-reader config init' lists every id"
                new.append(self.issue(f"keymap.{binding_id}", f"unknown binding id{hint}"))
        changed = True
        while changed:  # dropping one entry can resolve or reveal another collision
            changed = False
            for binding_id, keys in list(self.keymap.items()):
                clash = self._clash(known, known[binding_id], keys)
                if clash is not None:
                    other, key = clash
                    del self.keymap[binding_id]
                    new.append(self.issue(
                        f"keymap.{binding_id}",
                        f"key {key!r} is already used by {other.id!r} ({other.description}); "
                        f"remap {other.id!r} too or choose another key. Keeping the default"))
                    changed = True
                    break
        self.issues.sort(key=_by_line)
        return sorted(new, key=_by_line)

    def _clash(self, known: dict[str, BindingInfo], binding: BindingInfo,
               keys: str) -> tuple[BindingInfo, str] | None:
        def active_together(a: BindingInfo, b: BindingInfo) -> bool:
            if a.scope == b.scope:
                return True
            return (a.scope == "app" and b.with_app) or (b.scope == "app" and a.with_app)

        mine = set(keys.split(","))
        mine_by_default = set(normalize_keys(binding.keys).split(","))
        for other in known.values():
            if other.id == binding.id or not active_together(binding, other):
                continue
            theirs_by_default = set(normalize_keys(other.keys).split(","))
            theirs = set(self.keymap[other.id].split(",")) if other.id in self.keymap else theirs_by_default
            # keys the defaults already share on purpose (a screen overriding the app) are fine
            common = sorted((mine & theirs) - (mine_by_default & theirs_by_default))
            if common:
                return other, common[0]
        return None

    def as_dict(self) -> dict:
        return {"path": str(self.path), "exists": self.exists, "theme": self.theme,
                "sidebar": self.sidebar, "reading_width": self.reading_width,
                "database": str(self.database) if self.database else None,
                "overlay": str(self.overlay) if self.overlay else None,
                "keymap": dict(self.keymap)}

    def remember(self, name: str, value: str) -> None:
        """Write preference `name` (theme/sidebar) back to the file, keeping everything else.

        Raises ConfigError (one line) when the file cannot be edited safely; nothing is written then.
        """
        if name not in PREFERENCES:
            raise ValueError(f"{name!r} is not a preference the app writes back")
        try:
            write_setting(self.path, name, value)
        except TomlEditError as exc:
            raise ConfigError(str(exc)) from None
        setattr(self, name, value)


def load_config(path: Path | str | None = None) -> Config:
    """Read the config file (missing is fine: all defaults). Never raises for bad content."""
    path = Path(path).expanduser() if path is not None else default_config_path()
    config = Config(path)
    if not path.exists():
        return config
    config.exists = True
    if not path.is_file():
        config.issue("", "not a regular file; using the defaults")
        return config
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        config.issue("", f"cannot read the file ({exc.strerror or exc}); using the defaults")
        return config
    except UnicodeDecodeError:
        config.issue("", "not UTF-8 text; using the defaults")
        return config
    import tomllib  # only when there is a file to read (the app's launch often has none)

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        config.issues.append(ConfigIssue(path, line, "", f"invalid TOML ({exc}); fix the syntax. "
                                                          "Using the defaults"))
        return config
    config.lines = key_lines(text)
    _apply(config, doc)
    config.issues.sort(key=_by_line)
    return config


def _by_line(issue: ConfigIssue) -> int:
    return issue.line or 0


def _apply(config: Config, doc: dict) -> None:
    for key, value in doc.items():
        if key not in TOP_LEVEL:
            config.issue(key, f"unknown setting; known: {', '.join(TOP_LEVEL)}")
    theme = doc.get("theme")
    if theme is not None:
        if isinstance(theme, str) and theme.strip():
            config.theme = theme.strip()
        else:
            config.issue("theme", "must be a theme name in quotes, e.g. theme = \"textual-light\"")
    sidebar = doc.get("sidebar")
    if sidebar is not None:
        if sidebar in SIDEBAR_MODES:
            config.sidebar = sidebar
        else:
            config.issue("sidebar", f"must be one of {', '.join(map(repr, SIDEBAR_MODES))}, not {sidebar!r}")
    width = doc.get("reading_width")
    if width is not None:
        low, high = READING_WIDTH_LIMITS
        if isinstance(width, int) and not isinstance(width, bool) and low <= width <= high:
            config.reading_width = width
        else:
            config.issue("reading_width", f"must be a whole number of columns from {low} to {high}, not {width!r}")
    paths = doc.get("paths", {})
    if not isinstance(paths, dict):
        config.issue("paths", "must be a table: [paths]")
        paths = {}
    for key, value in paths.items():
        if key not in PATH_KEYS:
            config.issue(f"paths.{key}", f"unknown path; known: {', '.join(PATH_KEYS)}")
        elif not isinstance(value, str) or not value.strip():
            config.issue(f"paths.{key}", "must be a file path in quotes")
        else:
            p = Path(value).expanduser()
            setattr(config, key, p if p.is_absolute() else config.path.parent / p)
    keymap = doc.get("keymap", {})
    if not isinstance(keymap, dict):
        config.issue("keymap", "must be a table: [keymap]")
        keymap = {}
    for binding_id, value in _flatten(keymap):
        where = f"keymap.{binding_id}"
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = ",".join(value)
        if not isinstance(value, str):
            config.issue(where, "keys must be a string such as \"n\" or \"ctrl+n\" (several: \"j,down\")")
            continue
        keys = normalize_keys(value)
        problem = next((p for p in map(key_problem, keys.split(",")) if p), None)
        if problem:
            config.issue(where, problem)
            continue
        config.keymap[binding_id] = keys


def _flatten(table: dict, prefix: str = "") -> Iterable[tuple[str, object]]:
    """`reader.find = "x"` parses as nested tables; binding ids are the dotted paths."""
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, name + ".")
        else:
            yield name, value


# -- the configuration in force for this process -----------------------------------------

_current: Config | None = None


def use(config: Config) -> Config:
    """Make `config` the one in force (the CLI calls this once, after --config)."""
    global _current
    _current = config
    return config


def current() -> Config:
    """The configuration in force: the one `use()` set, else the default file (read once)."""
    global _current
    if _current is None:
        _current = load_config()
    return _current
