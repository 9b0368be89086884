"""The map screens: the places of one article (`M` in the reader) and of the whole library
(palette: "Library map"). The place list beside the map drives it: moving in the list
selects the place on the map; `enter` (or a click on the map) chooses it.

The article map returns the chosen place's first mention offset to the reader through
`dismiss`, so the reader decides how to move its caret (`open_article_map` wires that up).
Below 90×18 cells the map does not fit: the list is shown alone.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.geo import Place, article_places, library_places
from reader.geo.places import AREA_KINDS, find_entry
from reader.geo.render import MARKER_BIG, MARKER_SMALL
from reader.tui.widgets.map_view import MapView

MIN_MAP_SIZE = (90, 18)  # columns, rows: below this the list is shown without the map


def place_label(place: Place, top: int, *, library: bool = False) -> Text:
    glyph = MARKER_BIG if place.count >= max(2, top / 2) else MARKER_SMALL
    text = Text(f"{glyph} ", style="bold" if glyph == MARKER_BIG else "")
    text.append(place.name)  # plain text: names are never markup
    text.append(f" ×{place.count}", style="dim")
    if library:
        text.append(f" in {place.articles}", style="dim")
    if place.kind in AREA_KINDS:
        text.append(f" ({place.kind})", style="dim italic")
    return text


class PlacesScreen(Screen):
    """A map and a list of places; subclasses say what choosing one does."""

    DEFAULT_CSS = """
    PlacesScreen #map-title { height: 1; padding: 0 1; background: $boost; }
    PlacesScreen #map-body { height: 1fr; }
    PlacesScreen #places { width: 34; height: 1fr; border-left: vkey $panel-lighten-2; }
    PlacesScreen.narrow MapView { display: none; }
    PlacesScreen.narrow #places { width: 1fr; border-left: none; }
    PlacesScreen #map-status { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="map.close"),
        Binding("M", "close", "Close map", show=False, id="map.toggle"),
    ]
    LIBRARY = False

    def __init__(self, title: str, places: list[Place], *, selected: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.places = places
        self.selected = selected if any(p.id == selected for p in places) else (places[0].id if places else None)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold", overflow="ellipsis", no_wrap=True), id="map-title")
        yield from self.compose_filters()
        with Horizontal(id="map-body"):
            yield MapView(self.places, selected=self.selected, id="map")
            yield OptionList(id="places")
        yield Static("", id="map-status")
        yield Footer()

    def compose_filters(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self._fit(self.app.size.width, self.app.size.height)
        self._fill()
        self.query_one("#places", OptionList).focus()

    def on_resize(self, event) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        self.set_class(width < MIN_MAP_SIZE[0] or height < MIN_MAP_SIZE[1], "narrow")

    def _fill(self) -> None:
        options = self.query_one("#places", OptionList)
        options.clear_options()
        top = max((p.count for p in self.places), default=1)
        view = self.query_one(MapView)
        view.set_places(self.places)
        options.add_options([Option(place_label(p, top, library=self.LIBRARY), id=p.id) for p in self.places])
        if self.places:
            ids = [p.id for p in self.places]
            self.selected = self.selected if self.selected in ids else ids[0]
            options.highlighted = ids.index(self.selected)
        else:
            self.selected = None
        view.selected = self.selected
        self.call_after_refresh(self._status)

    def _status(self) -> None:
        status = Text()
        if not self.places:
            status.append("No places with coordinates are mentioned here.")
        else:
            picture = self.query_one(MapView).picture
            off = [p for p in self.places if picture is not None and p.id in picture.offmap]
            if self.has_class("narrow"):
                status.append(f"Enlarge the terminal to at least {MIN_MAP_SIZE[0]}×{MIN_MAP_SIZE[1]} to see the map. ")
            elif off:
                status.append("Off the map: " + ", ".join(p.name for p in off[:8]) + (" …" if len(off) > 8 else ""))
        self.query_one("#map-status", Static).update(status)

    @on(OptionList.OptionHighlighted, "#places")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.selected = event.option.id
        self.query_one(MapView).selected = self.selected

    @on(OptionList.OptionSelected, "#places")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    @on(MapView.PlaceClicked)
    def _clicked(self, message: MapView.PlaceClicked) -> None:
        self.choose(message.place_id)

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)

    def choose(self, place_id: str) -> None:
        raise NotImplementedError

    def action_close(self) -> None:
        self.dismiss(None)


class MapScreen(PlacesScreen):
    """The places of one article; dismisses with the chosen place's first mention offset."""

    HELP_TITLE = "Article map"

    def choose(self, place_id: str) -> None:
        place = self.place(place_id)
        if place is not None and place.first_offset is not None:
            self.dismiss(place.first_offset)


def open_article_map(reader) -> None:
    """Push the map of the reader's article; choosing a place moves the reader's caret to
    its first mention."""
    entities = reader.app.session.entities_or_none()
    if entities is None:
        reader.notify("Still loading the gazetteer…", markup=False, timeout=2)
        return
    places = article_places(reader.mentions, entities.gazetteer)
    current = reader.current_mention()
    title = f"Map · {reader.article.title}"

    def chosen(offset: int | None) -> None:
        if offset is not None:
            from reader.tui.widgets.article_view import ArticleView

            reader.query_one(ArticleView).move_caret(offset)

    reader.app.push_screen(MapScreen(title, places, selected=current.entry_id if current else None), chosen)


class LibraryMapScreen(PlacesScreen):
    """Every place mentioned across the library (from the mention cache), filterable by a date
    range and by an entity; `enter` opens the place's entry."""

    HELP_TITLE = "Library map"
    LIBRARY = True
    DEFAULT_CSS = """
    LibraryMapScreen #map-filters { height: 3; }
    LibraryMapScreen #map-filters Input { width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__("Library map · places mentioned across the library", [])
        self.filters = ("", "", "")

    def compose_filters(self) -> ComposeResult:
        with Horizontal(id="map-filters"):
            yield Input(placeholder="from (YYYY[-MM[-DD]])", id="since")
            yield Input(placeholder="to (YYYY[-MM[-DD]])", id="until")
            yield Input(placeholder="articles mentioning (name or id)", id="entity")

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @on(Input.Submitted)
    def _apply(self) -> None:
        self._load()
        self.query_one("#places", OptionList).focus()

    @work(thread=True, exclusive=True, group="library-map")
    def _load(self) -> None:
        entities = self.app.session.entities_or_none()
        if entities is None:
            self.app.call_from_thread(self.notify, "Still loading the gazetteer…", markup=False, timeout=2)
            return
        since = self.query_one("#since", Input).value.strip()
        until = self.query_one("#until", Input).value.strip()
        query = self.query_one("#entity", Input).value.strip()
        entity_id, problem = "", ""
        if query:
            entry = find_entry(entities.gazetteer, query)
            if entry is None:
                problem = f"No entry called “{query}”; showing all articles."
            else:
                entity_id = entry.id
        places = library_places(self.app.session.store, entities.gazetteer, since=since, until=until, entity=entity_id)
        self.app.call_from_thread(self._show, places, entity_id, problem)

    def _show(self, places: list[Place], entity_id: str, problem: str) -> None:
        self.places = places
        self._fill()
        if problem:
            self.notify(problem, markup=False, timeout=3)
        elif entity_id:
            name = self.app.session.entities.gazetteer.get(entity_id).name
            self.query_one("#map-title", Static).update(
                Text(f"Library map · places in articles that mention {name}", style="bold", no_wrap=True,
                     overflow="ellipsis"))

    def choose(self, place_id: str) -> None:
        self.app.open_entry(place_id)


def open_library_map(app) -> None:
    app.push_screen(LibraryMapScreen())
