"""Places on a map: bundled outlines, projection, a braille rasteriser, label placement,
places from mentions (one article or the library) and GeoJSON. No Textual here: the TUI
turns a `MapPicture` into styled lines, the CLI prints places and GeoJSON."""

from reader.geo.places import Place, article_places, library_places, to_geojson
from reader.geo.projection import REGION, BBox, Projection
from reader.geo.render import MapPicture, draw_map

__all__ = ["REGION", "BBox", "MapPicture", "Place", "Projection", "article_places", "draw_map",
           "library_places", "to_geojson"]
