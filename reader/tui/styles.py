"""How each entity type is marked: colour plus a second cue (bold, underline, italic) so the
type is legible without colour and in both dark and light themes."""

from __future__ import annotations

from rich.style import Style

TYPE_LABELS = {"group": "armed group", "place": "place", "person": "person", "org": "organisation",
               "event": "event"}
TYPE_PLURALS = {"group": "Armed groups", "place": "Places", "person": "People", "org": "Organisations",
                "event": "Events"}
TYPE_ORDER = ["group", "place", "person", "org", "event"]

_DARK = {"group": "#ff8a65", "place": "#4fc3f7", "person": "#e1a8f0", "org": "#9ccc65", "event": "#ffd54f"}
_LIGHT = {"group": "#b3261e", "place": "#0b57d0", "person": "#7b1fa2", "org": "#2e6b1f", "event": "#8a5a00"}
_CUE = {"group": Style(bold=True), "place": Style(underline=True), "person": Style(italic=True),
        "org": Style(bold=True, italic=True), "event": Style(bold=True, underline=True)}


def entity_style(type_: str, dark: bool = True) -> Style:
    colour = (_DARK if dark else _LIGHT).get(type_, "#aaaaaa" if dark else "#555555")
    return Style(color=colour) + _CUE.get(type_, Style(underline=True))


# Names NER proposes that no entry knows ("candidates", issue 17): faint and grey, with a
# double underline, so they read as a suggestion and never as one of the types above (whose
# cues are full-strength colour plus bold/underline/italic), with or without colour.
_CANDIDATE = {True: "#9e9e9e", False: "#6e6e6e"}
CANDIDATE_CSS = "dim uu"


def candidate_style(dark: bool = True) -> Style:
    """A candidate name in the sidebar and legend (the article uses `article--candidate`)."""
    return Style(color=_CANDIDATE[dark], dim=True, underline2=True)


def cursor_style(dark: bool = True) -> Style:
    return Style(reverse=True, bold=True)


def selection_style(dark: bool = True) -> Style:
    return Style(bgcolor="#3a5f94" if dark else "#b6d3ff", color="#ffffff" if dark else "#000000")


def note_style(dark: bool = True) -> Style:
    """Noted passages: a background tint, so entity colours stay visible on top of it."""
    return Style(bgcolor="#3b3520" if dark else "#fff3b0", underline=True)


def review_style(dark: bool = True) -> Style:
    """A note moved onto an edited passage, waiting for the reader to accept it: told apart from
    settled notes by its tint and a double underline."""
    return Style(bgcolor="#4a2f1c" if dark else "#ffd8b0", underline2=True)


def search_style(dark: bool = True) -> Style:
    return Style(bgcolor="#6b5b00" if dark else "#ffe066", color="#ffffff" if dark else "#000000")


_CUE_CSS = {"group": "bold", "place": "underline", "person": "italic", "org": "bold italic",
            "event": "bold underline"}


def component_css(widget: str, prefix: str) -> str:
    """CSS giving each entity type a component class (`{prefix}place`, …) whose colour follows
    the theme (dark or light) and whose second cue (bold, underline, italic) does not need colour."""
    rules = []
    for type_ in TYPE_ORDER:
        rules.append(f"{widget} > .{prefix}{type_} {{ color: {_DARK[type_]}; text-style: {_CUE_CSS[type_]}; }}")
        rules.append(f"{widget}:light > .{prefix}{type_} {{ color: {_LIGHT[type_]}; }}")
    rules.append(f"{widget} > .{prefix}entity {{ color: #aaaaaa; text-style: underline; }}")
    rules.append(f"{widget}:light > .{prefix}entity {{ color: #555555; }}")
    rules.append(f"{widget} > .{prefix}candidate {{ color: {_CANDIDATE[True]}; text-style: {CANDIDATE_CSS}; }}")
    rules.append(f"{widget}:light > .{prefix}candidate {{ color: {_CANDIDATE[False]}; }}")
    return "\n".join(rules)


def entity_class(type_: str) -> str:
    """The ArticleView component class of an entity type."""
    return f"article--{type_}" if type_ in _CUE_CSS else "article--entity"
