"""Small modal pickers: the meaning of an ambiguous mention, an entity for a new alias
(fuzzy, accent-insensitive), and the form for a new user entry."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from reader.gazetteer import Gazetteer
from reader.tui.styles import TYPE_LABELS, TYPE_ORDER, entity_style

PICKER_CSS = """
{name} { align: center middle; }
{name} > Vertical { width: 76; max-width: 100%; height: auto; max-height: 90%;
    border: round $accent; background: $panel; padding: 0 1; }
{name} .picker-title { text-style: bold; padding-bottom: 1; }
{name} OptionList { height: auto; max-height: 16; border: none; }
{name} .hint { color: $text-muted; }
"""


def _entry_label(gaz: Gazetteer, entity_id: str) -> Text:
    entry = gaz.get(entity_id)
    if entry is None:
        return Text(entity_id)
    label = Text(entry.name, style=entity_style(entry.type))
    label.append(f"  {TYPE_LABELS.get(entry.type, entry.type)}", style="dim")
    chain = gaz.parent_chain(entity_id)
    if chain:
        label.append(" · " + " → ".join(e.name for e in chain), style="dim")
    return label


class MeaningPicker(ModalScreen[str | None]):
    DEFAULT_CSS = PICKER_CSS.replace("{name}", "MeaningPicker")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="meaning.cancel")]

    def __init__(self, gazetteer: Gazetteer, candidates: tuple[str, ...]) -> None:
        super().__init__()
        self._gaz = gazetteer
        self._candidates = candidates

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Which one is meant here?"), classes="picker-title")
            yield OptionList(*[Option(_entry_label(self._gaz, c), id=c) for c in self._candidates])
            yield Static(Text("enter chooses (remembered for this mention) · escape cancels"), classes="hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


NEW_ENTRY = "__new__"


class EntityPicker(ModalScreen[str | None]):
    """Pick the entry a selected spelling belongs to; returns an entry id or NEW_ENTRY."""

    DEFAULT_CSS = PICKER_CSS.replace("{name}", "EntityPicker")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="entity_picker.cancel"),
        Binding("down", "focus_list", "To the list", show=False, id="entity_picker.down"),
    ]

    def __init__(self, gazetteer: Gazetteer, surface: str) -> None:
        super().__init__()
        self._gaz = gazetteer
        self._surface = surface

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text("Add “")
            title.append(self._surface, style="bold")
            title.append("” as another name of…")
            yield Static(title, classes="picker-title")
            yield Input(value=self._surface, placeholder="type a name (accents optional)", id="query")
            yield OptionList(id="results")
            yield Static(Text("type to search · ↓ then enter chooses · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        self._search(self._surface)
        self.query_one("#query").focus()

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    def _search(self, query: str) -> None:
        from reader.matcher import resolve_entities

        results = self.query_one("#results", OptionList)
        results.clear_options()
        hits = resolve_entities(self._gaz, query, limit=12) if query.strip() else []
        results.add_options([Option(_entry_label(self._gaz, eid), id=eid) for eid, _score in hits])
        results.add_option(Option(Text("＋ Create a new entry…", style="bold"), id=NEW_ENTRY))

    @on(OptionList.OptionSelected, "#results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_list(self) -> None:
        self.query_one("#results").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class NewEntryForm(ModalScreen[dict | None]):
    """Name, type and a short summary for a user entry; with `coordinates`, an optional
    "latitude, longitude" for a place (the field shows while the type is place)."""

    DEFAULT_CSS = PICKER_CSS.replace("{name}", "NewEntryForm") + """
    NewEntryForm TextArea { height: 5; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_entry.cancel"),
        Binding("ctrl+s", "save", "Save", id="new_entry.save"),
    ]

    def __init__(self, name: str, type_: str = "group", *, coordinates: bool = False) -> None:
        super().__init__()
        self._entry_name = name
        self._type = type_ if type_ in TYPE_LABELS else "group"
        self._coordinates = coordinates

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("New entry"), classes="picker-title")
            yield Input(value=self._entry_name, placeholder="name", id="name")
            yield Select([(TYPE_LABELS[t], t) for t in TYPE_ORDER], value=self._type, allow_blank=False, id="type")
            if self._coordinates:
                yield Input(placeholder="latitude, longitude in degrees (optional), e.g. 14.49, -4.19", id="coords")
            yield TextArea("", id="summary")
            yield Static(Text("summary above (optional) · ctrl+s saves · escape cancels"), classes="hint")

    def on_mount(self) -> None:
        self._show_coordinates(self._type)

    @on(Select.Changed, "#type")
    def _type_changed(self, event: Select.Changed) -> None:
        self._show_coordinates(event.value)

    def _show_coordinates(self, type_) -> None:
        for box in self.query("#coords"):
            box.display = type_ == "place"

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            self.notify("The entry needs a name", severity="error", markup=False)
            return
        data = {"name": name, "type": self.query_one("#type", Select).value,
                "summary": self.query_one("#summary", TextArea).text}
        coords = self.query("#coords")
        if coords and data["type"] == "place" and coords.first(Input).value.strip():
            parsed = parse_coordinates(coords.first(Input).value)
            if isinstance(parsed, str):
                self.notify(parsed, severity="error", markup=False)
                return
            data["lat"], data["lon"] = parsed
        self.dismiss(data)

    def action_cancel(self) -> None:
        self.dismiss(None)


def parse_coordinates(value: str) -> tuple[float, float] | str:
    """"14.49, -4.19" (or "14.49 -4.19") as (lat, lon), or a one-line reason it is not."""
    parts = value.replace(",", " ").split()
    try:
        lat, lon = (float(p) for p in parts) if len(parts) == 2 else (None, None)
    except ValueError:
        lat = lon = None
    if lat is None or lon is None:
        return f"“{value.strip()}” is not “latitude, longitude” in degrees (e.g. 14.49, -4.19)"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return f"{lat}, {lon} is out of range (latitude -90..90, longitude -180..180)"
    return lat, lon
