"""Front matter: the metadata header of a Markdown article, in YAML (``---``) or TOML (``+++``).

``parse(text, name)`` returns ``(meta, body)``: `meta` maps lower-cased keys to text (or,
for ``tags``, a list of text; unknown keys are left out) and `body` is what follows the
closing fence. Text without a header gives ``({}, text)``.

YAML goes through PyYAML's safe loader with every implicit type except null turned off:
``date: 2024-05-01`` stays the text "2024-05-01", ``title: 1984`` the text "1984" and
``title: yes`` the text "yes" (front-matter fields are all text). Block lists, folded and
literal text (``summary: >``) and quoting (``'It''s'``) work as YAML says. A flat header that
is not valid YAML but is plain ``key: value`` lines (``title: [bold] Attack: 5 dead``, which
the first version of this parser accepted) is still read line by line.

Every problem is a `FrontMatterError` whose message is one line naming the file and the line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache

LIST_KEYS = frozenset({"tags"})
TEXT_KEYS = frozenset({"title", "date", "place", "source", "summary", "author", "url", "note"})
KNOWN_KEYS = TEXT_KEYS | LIST_KEYS

_FENCES = {"---": "YAML", "+++": "TOML"}


class FrontMatterError(ValueError):
    """A header that cannot be read; the message is one line naming the file and the line."""


@cache
def _text_loader(fast: bool = True):
    """PyYAML's safe loader resolving no implicit types but null: scalars stay the text written.

    `fast` builds it on libyaml's parser (CSafeLoader) when PyYAML has it: the pure-Python
    scanner took about a third of an imported article's time. The resolver and constructor
    are the same Python classes either way, so the values are the same; error messages come
    from the pure loader (see `_parse_yaml`). Built on first use: importing PyYAML costs
    about 0.1 s, which the app's first frame (and every verb that reads no front matter)
    should not pay.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if fast else yaml.SafeLoader

    class TextLoader(base):
        pass

    TextLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextLoader


def parse(text: str, name: str) -> tuple[dict, str]:
    """Split a ``---`` YAML or ``+++`` TOML header from the body (see the module docstring)."""
    first, _, _ = text.partition("\n")
    fence = first.strip()
    if fence not in _FENCES or not text.startswith(fence):
        return {}, text
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == fence), None)
    if close is None:
        raise FrontMatterError(f"{name}: front matter opened with '{fence}' is never closed")
    header = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1:])
    if fence == "+++":
        raw, key_lines = _parse_toml(header, name), _toml_key_lines(header)
    else:
        raw, key_lines = _parse_yaml(header, name)
    return _normalise(raw, key_lines, name), body


# --- YAML ----------------------------------------------------------------------------

def _parse_yaml(header: str, name: str) -> tuple[dict, dict[str, int]]:
    """The header's mapping and the file line of each key (the header starts at line 2)."""
    if not header.strip():
        return {}, {}
    import yaml

    try:
        return _load_yaml(header, name, fast=True)
    except yaml.YAMLError:
        pass  # libyaml's wording differs: the pure loader names the problem as we always did
    try:
        return _load_yaml(header, name, fast=False)
    except yaml.YAMLError as exc:
        lenient = _parse_lines(header)
        if lenient is not None:
            return lenient
        raise FrontMatterError(_yaml_message(exc, name)) from None


def _load_yaml(header: str, name: str, *, fast: bool) -> tuple[dict, dict[str, int]]:
    import yaml

    loader = _text_loader(fast)(header)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise FrontMatterError(f"{name}: line {node.start_mark.line + 2}: front matter is not "
                                   "'key: value' lines; write one field per line")
        key_lines = {str(k.value).lower(): k.start_mark.line + 2 for k, _ in node.value
                     if isinstance(k, yaml.ScalarNode)}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return data, key_lines


def _yaml_message(exc, name: str) -> str:
    """One line from a yaml.YAMLError, with the file line of the problem."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "cannot be parsed"
    # "could not find expected ':'" is found on the line after the one missing the colon
    if problem.startswith("could not find expected ':'") and getattr(exc, "context_mark", None) is not None:
        mark = exc.context_mark
    where = f"line {mark.line + 2}: " if mark is not None else ""
    return (f"{name}: {where}front matter is not valid YAML ({problem}); "
            "quote values containing ': ', '[' or '#' at the start")


_KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*)$")


def _parse_lines(header: str) -> tuple[dict, dict[str, int]] | None:
    """A flat header of ``key: value`` lines read one line at a time, or None if it is not one."""
    meta: dict = {}
    key_lines: dict[str, int] = {}
    for i, line in enumerate(header.split("\n"), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_RE.match(line)
        if not m:
            return None
        key, raw = m.group(1).lower(), m.group(2).strip()
        if key in LIST_KEYS and raw.startswith("[") and raw.endswith("]"):
            meta[key] = [_unquote(p) for p in raw[1:-1].split(",") if p.strip()]
        else:
            meta[key] = _unquote(raw)
        key_lines[key] = i
    return meta, key_lines


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        inner = s[1:-1]
        return inner.replace("''", "'") if s[0] == "'" else inner
    return s


# --- TOML ----------------------------------------------------------------------------

_TOML_AT_RE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")


def _parse_toml(header: str, name: str) -> dict:
    try:
        return tomllib.loads(header)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_AT_RE.search(message)
        if m is None:
            where = ""
        else:  # "end of document": the last line of the header
            where = f"line {int(m.group(1)) + 1 if m.group(1) else header.count(chr(10)) + 2}: "
        problem = _TOML_AT_RE.sub("", message).strip() or "cannot be parsed"
        raise FrontMatterError(f"{name}: {where}front matter is not valid TOML ({problem}); "
                               "write fields as key = \"value\"") from None


_TOML_KEY_RE = re.compile(r"^\s*\[?\s*([A-Za-z0-9_-]+)\s*[\]=]")


def _toml_key_lines(header: str) -> dict[str, int]:
    """The file line where each top-level key or table first appears (the header starts at line 2)."""
    out: dict[str, int] = {}
    for i, line in enumerate(header.split("\n"), start=2):
        m = _TOML_KEY_RE.match(line)
        if m:
            out.setdefault(m.group(1).lower(), i)
    return out


# --- checking the values ---------------------------------------------------------------

def _normalise(raw: object, key_lines: dict[str, int], name: str) -> dict:
    """Lower-case keys; known fields as text (tags: list of text); unknown fields left out."""
    if not isinstance(raw, dict):
        raise FrontMatterError(f"{name}: front matter is not 'key: value' lines; write one field per line")
    meta: dict = {}
    for key, value in raw.items():
        key = str(key).lower()
        if key not in KNOWN_KEYS or value is None:
            continue
        where = f"line {key_lines[key]}: " if key in key_lines else ""
        if key in LIST_KEYS:
            meta[key] = _text_list(value, key, f"{name}: {where}")
        else:
            meta[key] = _text(value, key, f"{name}: {where}")
    return meta


def _text(value: object, key: str, at: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    kind = "a list" if isinstance(value, list) else "a table" if isinstance(value, dict) else type(value).__name__
    raise FrontMatterError(f"{at}'{key}' is {kind}, not text; write it as one quoted value")


def _text_list(value: object, key: str, at: str) -> list[str] | str:
    if not isinstance(value, list):
        return _text(value, key, at)  # "gao, kidal": split by the caller
    out = []
    for item in value:
        if isinstance(item, (list, dict)):
            raise FrontMatterError(f"{at}'{key}' holds {'a list' if isinstance(item, list) else 'a table'}; "
                                   "write each entry as plain text")
        if item is not None:
            out.append(_text(item, key, at))
    return out
