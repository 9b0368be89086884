"""Lon/lat → braille dots → terminal cells.

Equirectangular scaled by cos(latitude): x = (lon − lon0)·cos(lat0), y = lat, with lat0 the
middle of the view. A terminal cell is about twice as tall as wide and holds 2×4 braille
dots, so a dot is square and one scale serves both axes: Bamako–Gao–Niamey keep the shape
they have on a paper map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DOTS_X, DOTS_Y = 2, 4  # braille dots per cell


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def union(self, other: BBox) -> BBox:
        return BBox(min(self.west, other.west), min(self.south, other.south),
                    max(self.east, other.east), max(self.north, other.north))

    def padded(self, degrees: float) -> BBox:
        return BBox(self.west - degrees, self.south - degrees, self.east + degrees, self.north + degrees)

    def clamped(self, outer: BBox) -> BBox:
        return BBox(max(self.west, outer.west), max(self.south, outer.south),
                    min(self.east, outer.east), min(self.north, outer.north))

    @classmethod
    def around(cls, points) -> BBox | None:
        points = list(points)
        if not points:
            return None
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        return cls(min(lons), min(lats), max(lons), max(lats))


# Mali, Burkina Faso and Niger with a margin of their neighbours
REGION = BBox(-12.5, 9.0, 16.5, 25.5)
# the most the view grows to take in far places (the extent of the bundled outlines)
OUTER = BBox(-20.0, 2.0, 25.0, 38.0)


@dataclass(frozen=True)
class Projection:
    """Maps lon/lat into a canvas of `cols`×`rows` cells, the bbox centred and fitted."""

    bbox: BBox
    cols: int
    rows: int
    lat0: float
    lon0: float
    scale: float  # dots per projected degree
    x_off: float
    y_off: float

    @classmethod
    def fit(cls, bbox: BBox, cols: int, rows: int) -> Projection:
        lat0 = (bbox.north + bbox.south) / 2
        lon0 = (bbox.west + bbox.east) / 2
        k = math.cos(math.radians(lat0))
        width = max(1e-9, (bbox.east - bbox.west) * k)
        height = max(1e-9, bbox.north - bbox.south)
        w_dots, h_dots = cols * DOTS_X, rows * DOTS_Y
        scale = min(w_dots / width, h_dots / height)
        return cls(bbox, cols, rows, lat0, lon0, scale, w_dots / 2, h_dots / 2)

    def dot(self, lon: float, lat: float) -> tuple[float, float]:
        """Dot coordinates (x right, y down; may fall outside the canvas)."""
        k = math.cos(math.radians(self.lat0))
        return (self.x_off + (lon - self.lon0) * k * self.scale,
                self.y_off - (lat - self.lat0) * self.scale)

    def cell(self, lon: float, lat: float) -> tuple[int, int]:
        """(column, row) of the cell the point falls in (may be outside the canvas)."""
        x, y = self.dot(lon, lat)
        return math.floor(x / DOTS_X), math.floor(y / DOTS_Y)

    def visible(self, col: int, row: int) -> bool:
        return 0 <= col < self.cols and 0 <= row < self.rows
