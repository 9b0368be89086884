"""The bundled outlines (data/sahel-outlines.json, made by tools/make_outlines.py from
Natural Earth 1:50m, public domain): country borders and coasts, lakes, rivers (the Niger
named), and a label point per country."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "sahel-outlines.json"

Line = tuple[tuple[float, float], ...]  # (lon, lat) points


@dataclass(frozen=True)
class River:
    name: str
    line: Line


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Outlines:
    borders: tuple[Line, ...]
    lakes: tuple[Line, ...]
    rivers: tuple[River, ...]
    countries: tuple[Country, ...]
    source: str = ""


class OutlinesError(ValueError):
    """The outline file is missing or unreadable (one line, names the file)."""


@lru_cache(maxsize=4)
def load_outlines(path: Path | None = None) -> Outlines:
    path = Path(path) if path else DATA_FILE
    try:
        raw = json.loads(path.read_text("utf-8"))

        def lines(key):
            return tuple(tuple((float(x), float(y)) for x, y in line) for line in raw.get(key, []))

        return Outlines(
            borders=lines("borders"),
            lakes=lines("lakes"),
            rivers=tuple(River(r.get("name", ""), tuple((float(x), float(y)) for x, y in r["line"]))
                         for r in raw.get("rivers", [])),
            countries=tuple(Country(c["id"], c["name"], float(c["lon"]), float(c["lat"]))
                            for c in raw.get("countries", [])),
            source=raw.get("source", ""),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutlinesError(f"{path}: cannot read the map outlines ({exc}); reinstall mali-reader "
                            "or rebuild them with tools/make_outlines.py") from None
