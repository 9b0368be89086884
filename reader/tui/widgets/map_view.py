"""A braille map of places (see reader.geo): outlines, the Niger, a marker and label per
place, the selected place standing out. Click a marker or label to choose it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from reader.geo import MapPicture, Place, draw_map
from reader.geo.places import AREA_KINDS
from reader.geo.render import BORDER, COUNTRY, LABEL, LAKE, MARKER, MARKER_BIG, RIVER



def map_styles(dark: bool) -> dict[str, Style]:
    if dark:
        return {BORDER: Style(color="#7d8790"), RIVER: Style(color="#4fa8ff"), LAKE: Style(color="#4fa8ff"),
                COUNTRY: Style(color="#6b747c", italic=True), "big": Style(color="#ffb74d", bold=True),
                "small": Style(color="#ffcc80"), LABEL: Style(color="#f0f0f0"),
                "label-big": Style(color="#ffffff", bold=True), "selected": Style(color="#000000",
                                                                                  bgcolor="#ffd54f", bold=True)}
    return {BORDER: Style(color="#8a8f96"), RIVER: Style(color="#1565c0"), LAKE: Style(color="#1565c0"),
            COUNTRY: Style(color="#9aa0a6", italic=True), "big": Style(color="#c25e00", bold=True),
            "small": Style(color="#e08a2e"), LABEL: Style(color="#202020"),
            "label-big": Style(color="#000000", bold=True), "selected": Style(color="#ffffff",
                                                                              bgcolor="#b3261e", bold=True)}


def styled_lines(picture: MapPicture, dark: bool) -> list[Text]:
    styles = map_styles(dark)
    top = max((p.count for p in picture.places.values()), default=1)
    lines = []
    for row in range(picture.rows):
        text = Text(no_wrap=True, overflow="crop")
        for chunk, kind, owner in picture.spans(row):
            if owner is not None and owner == picture.selected:
                style = styles["selected"]
            elif kind == MARKER:
                style = styles["big"] if chunk[:1] == MARKER_BIG else styles["small"]
            elif kind == LABEL:
                place = picture.places.get(owner)
                style = styles["label-big"] if place and place.count >= max(2, top / 2) else styles[LABEL]
            else:
                style = styles.get(kind)
            text.append(chunk, style)
        lines.append(text)
    return lines


class MapView(Widget):
    """Draws `places` to fit the widget; `selected` is a place id."""

    DEFAULT_CSS = "MapView { width: 1fr; height: 1fr; }"

    selected: reactive[str | None] = reactive(None)

    @dataclass
    class PlaceClicked(Message):
        place_id: str

    def __init__(self, places: list[Place], *, selected: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.places = [p for p in places if p.kind not in AREA_KINDS]
        self.set_reactive(MapView.selected, selected)
        self.picture: MapPicture | None = None
        self._key: tuple | None = None

    def set_places(self, places: list[Place]) -> None:
        self.places = [p for p in places if p.kind not in AREA_KINDS]
        self._key = None
        self.refresh()

    def watch_selected(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def current_picture(self) -> MapPicture | None:
        width, height = self.content_size
        if width < 4 or height < 2:
            return None
        key = (width, height, self.selected)
        if key != self._key or self.picture is None:
            self.picture = draw_map(self.places, width, height, selected=self.selected)
            self._key = key
        return self.picture

    def render(self) -> Text:
        picture = self.current_picture()
        if picture is None:
            return Text("")
        theme = self.app.current_theme
        dark = bool(theme.dark) if theme else True
        return Text("\n", no_wrap=True).join(styled_lines(picture, dark))

    def on_click(self, event) -> None:
        picture = self.picture
        if picture is None:
            return
        place_id = picture.place_at(event.x - self.styles.padding.left, event.y - self.styles.padding.top)
        if place_id is not None:
            self.post_message(self.PlaceClicked(place_id))
