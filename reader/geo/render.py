"""Compose a map: outlines in braille, a marker per place, labels that do not collide,
faint country names. The result is plain data (characters, a kind per cell, the place
under each marker/label cell), styled by the TUI and printable as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from reader.geo.braille import Canvas
from reader.geo.labels import Label, Marker, place_labels
from reader.geo.outlines import Outlines, load_outlines
from reader.geo.places import Place
from reader.geo.projection import OUTER, REGION, BBox, Projection

MARKER_BIG, MARKER_SMALL, MARKER_SELECTED = "●", "•", "◉"
# cell kinds
BORDER, RIVER, LAKE, COUNTRY, MARKER, LABEL = "border", "river", "lake", "country", "marker", "label"


@dataclass
class MapPicture:
    cols: int
    rows: int
    chars: list[list[str]]
    kinds: list[list[str]]
    owners: dict[tuple[int, int], str]  # (col, row) → place id, for marker and label cells
    places: dict[str, Place]
    projection: Projection
    labels: list[Label] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # place ids whose label did not fit
    offmap: list[str] = field(default_factory=list)  # place ids outside the view
    selected: str | None = None

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.chars]

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines())

    def place_at(self, col: int, row: int) -> str | None:
        return self.owners.get((col, row))

    def cell_of(self, place_id: str) -> tuple[int, int] | None:
        """The marker cell of a place (None when off the map or hidden under another)."""
        for (col, row), owner in self.owners.items():
            if owner == place_id and self.kinds[row][col] == MARKER:
                return col, row
        return None

    def spans(self, row: int):
        """(text, kind, place id or None) runs of one row, for styling."""
        out = []
        chars, kinds, owners = self.chars[row], self.kinds[row], self.owners
        start = 0
        for col in range(1, self.cols + 1):
            if col == self.cols or kinds[col] != kinds[start] or owners.get((col, row)) != owners.get((start, row)):
                out.append(("".join(chars[start:col]), kinds[start], owners.get((start, row))))
                start = col
        return out


def view_for(places: list[Place]) -> BBox:
    """The region, grown (up to the outlines' extent) to show every place, with a margin."""
    inside = BBox.around((p.lon, p.lat) for p in places if OUTER.contains(p.lon, p.lat))
    box = REGION if inside is None else REGION.union(inside.padded(1.0))
    return box.clamped(OUTER)


@lru_cache(maxsize=16)
def _base(outlines: Outlines, bbox: BBox, cols: int, rows: int) -> tuple[bytes, bytes, bytes]:
    """The outline layers for one view and size (the same for every article: cached)."""
    proj = Projection.fit(bbox, cols, rows)
    layers = []
    for lines in (outlines.borders, tuple(r.line for r in outlines.rivers), outlines.lakes):
        canvas = Canvas(cols, rows)
        for line in lines:
            canvas.polyline(proj.dot(lon, lat) for lon, lat in line)
        layers.append(bytes(canvas.cells))
    return tuple(layers)


def draw_map(places: list[Place], cols: int, rows: int, *, selected: str | None = None,
             bbox: BBox | None = None, outlines: Outlines | None = None) -> MapPicture:
    """The map of `places` in `cols`×`rows` cells; `selected` stands out and is labelled first."""
    outlines = outlines or load_outlines()
    bbox = bbox or view_for(places)
    proj = Projection.fit(bbox, cols, rows)
    borders, rivers, lakes = _base(outlines, bbox, cols, rows)
    chars: list[list[str]] = []
    kinds: list[list[str]] = []
    for r in range(rows):
        row_chars, row_kinds = [], []
        for c in range(cols):
            i = r * cols + c
            b, v, k = borders[i], rivers[i], lakes[i]
            row_chars.append(chr(0x2800 + (b | v | k)))
            row_kinds.append(RIVER if v else LAKE if k else BORDER if b else "")
        chars.append(row_chars)
        kinds.append(row_kinds)

    by_id = {p.id: p for p in places}
    top = max((p.count for p in places), default=1)
    owners: dict[tuple[int, int], str] = {}
    markers: list[Marker] = []
    offmap: list[str] = []
    for p in places:  # most mentioned first: it keeps a shared cell
        col, row = proj.cell(p.lon, p.lat)
        if not proj.visible(col, row):
            offmap.append(p.id)
            continue
        if (col, row) in owners and p.id != selected:
            continue
        owners[(col, row)] = p.id
        glyph = MARKER_SELECTED if p.id == selected else (
            MARKER_BIG if p.count >= max(2, top / 2) else MARKER_SMALL)
        chars[row][col] = glyph
        kinds[row][col] = MARKER
        markers.append(Marker(p.id, p.name, col, row, float("inf") if p.id == selected else p.count))
    labels, dropped = place_labels(markers, cols, rows)
    for label in labels:
        for i, ch in enumerate(label.text):
            chars[label.row][label.col + i] = ch
            kinds[label.row][label.col + i] = LABEL
            owners[(label.col + i, label.row)] = label.key
    _country_names(outlines, proj, chars, kinds)
    return MapPicture(cols, rows, chars, kinds, owners, by_id, proj, labels, dropped, offmap, selected)


def _country_names(outlines: Outlines, proj: Projection, chars, kinds) -> None:
    """Faint country names at their label points, only where nothing else is drawn nearby."""
    for country in outlines.countries:
        text = country.name.upper()
        col, row = proj.cell(country.lon, country.lat)
        start = col - len(text) // 2
        if row < 0 or row >= proj.rows or start < 0 or start + len(text) > proj.cols:
            continue
        span = range(max(0, start - 1), min(proj.cols, start + len(text) + 1))
        if any(kinds[row][c] in (MARKER, LABEL, COUNTRY) for c in span):
            continue
        for i, ch in enumerate(text):
            chars[row][start + i] = ch
            kinds[row][start + i] = COUNTRY
