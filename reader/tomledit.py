"""Line-level TOML for a file people edit by hand: where each key sits, and changing one line.

`tomllib` reads TOML but cannot write it, and rewriting a whole file would lose the user's
comments and layout. These helpers find the line a (dotted) key is on, for error messages,
and set one top-level `name = "value"` by editing or adding just that line, checking the
result parses to exactly the old document plus that change before replacing the file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


class TomlEditError(Exception):
    """The file could not be changed safely (nothing was written); the message is one line."""


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _split_dotted(text: str) -> list[str]:
    """`a."b.c" . d` -> ["a", "b.c", "d"] (TOML dotted keys, quotes removed)."""
    parts, buf, quote = [], "", ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
            else:
                buf += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    return parts


def _key_of_line(line: str) -> str | None:
    """The (dotted) key a `key = value` line assigns, or None for other lines."""
    stripped = line.lstrip()
    if not stripped or stripped[0] in "#[":
        return None
    quote = ""
    for i, ch in enumerate(stripped):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return ".".join(_split_dotted(stripped[:i]))
    return None


def key_lines(text: str) -> dict[str, int]:
    """Full dotted key ("keymap.reader.find") -> 1-based line number, for error messages."""
    lines: dict[str, int] = {}
    table = ""
    in_multiline = False
    for number, line in enumerate(text.splitlines(), 1):
        if in_multiline:
            if line.count('"""') % 2 or line.count("'''") % 2:
                in_multiline = False
            continue
        header = _HEADER.match(line)
        if header:
            table = ".".join(_split_dotted(header.group(1)))
            lines.setdefault(table, number)
            continue
        key = _key_of_line(line)
        if key is None:
            continue
        full = f"{table}.{key}" if table else key
        lines.setdefault(full, number)
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_multiline = True
    return lines



def toml_string(value: str) -> str:
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(ch if ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in out)
    return f'"{out}"'


_VALUE = re.compile(r"""^(?P<lead>[^=]*=\s*)(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|[^\s#]+)(?P<rest>.*)$""")


def write_setting(path: Path, name: str, value: str) -> None:
    """Set top-level `name = "value"` in the TOML file at `path`, changing only that line.

    An existing line keeps its key spelling and trailing comment; a new line goes after a
    commented-out example (`# name = ...`) if there is one, else after the last top-level
    setting, else before the first table. The result is parsed again before it replaces the
    file (atomically), so a file we cannot edit safely is left exactly as it was.
    """
    import tomllib  # writing only: reading the config does not need this module's imports

    try:
        text = path.read_text("utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise TomlEditError(f"{path}: cannot read the config file ({exc}); {name} not saved") from None
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlEditError(f"{path}: invalid TOML ({exc}); fix it to let the app save {name}") from None
    new_line = f"{name} = {toml_string(value)}"
    lines = text.splitlines()
    top = len(lines)
    for i, line in enumerate(lines):
        if _HEADER.match(line):
            top = i
            break
    index = next((i for i in range(top) if _key_of_line(lines[i]) == name), None)
    if index is not None:
        m = _VALUE.match(lines[index])
        lines[index] = f"{m.group('lead')}{toml_string(value)}{m.group('rest')}" if m else new_line
    else:
        example = re.compile(rf"^\s*#\s*{re.escape(name)}\s*=")
        after = next((i for i in range(top) if example.match(lines[i])), None)
        if after is None:
            settings = [i for i in range(top) if _key_of_line(lines[i]) is not None]
            after = settings[-1] if settings else None
        if after is not None:
            lines.insert(after + 1, new_line)
        elif top < len(lines):
            lines[top:top] = [new_line, ""]
        else:
            if not lines:
                lines.append("# mali-reader settings ('mali-reader config init' writes a file listing all of them)")
            lines.append(new_line)
    new_text = "\n".join(lines) + "\n"
    try:
        after_doc = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after_doc = None
    expected = {**before, name: value}
    if after_doc != expected:
        raise TomlEditError(f"{path}: could not change {name!r} without touching other lines; "
                          f"set {new_line} by hand")
    write_text_atomically(path, new_text)


def write_text_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step (a temp file in the same folder, then rename)."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise TomlEditError(f"{path}: cannot write the config file ({exc.strerror or exc})") from None

