"""The map's core: projection, braille, label collision, outlines, places and GeoJSON."""

from __future__ import annotations

import json
import math

import geojson
import pytest

from reader.gazetteer import load_gazetteer
from reader.geo import REGION, BBox, Place, Projection, article_places, draw_map, library_places, to_geojson
from reader.geo.braille import Canvas
from reader.geo.labels import Marker, place_labels
from reader.geo.outlines import DATA_FILE, OutlinesError, load_outlines
from reader.geo.render import LABEL, MARKER

GAZ = load_gazetteer()


def place(entity_id: str, count: int = 1, first: int | None = 0) -> Place:
    e = GAZ.get(entity_id)
    return Place(e.id, e.name, e.lon, e.lat, count, first, 1, e.kind)


# -- projection ------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(60, 15), (84, 38), (120, 40), (200, 60)])
def test_cities_land_in_the_right_cells_relative_to_each_other(size):
    proj = Projection.fit(REGION, *size)
    cell = {p: proj.cell(GAZ.get(p).lon, GAZ.get(p).lat) for p in ("kidal", "timbuktu", "gao", "bamako", "niamey")}
    # Kidal is north-east of Timbuktu, Gao south-east of Kidal (columns grow east, rows grow south)
    assert cell["kidal"][0] > cell["timbuktu"][0] and cell["kidal"][1] < cell["timbuktu"][1]
    assert cell["gao"][0] < cell["kidal"][0] and cell["gao"][1] > cell["kidal"][1]
    assert cell["gao"][0] > cell["timbuktu"][0]
    # Bamako far west and south of Gao; Niamey east and south of Gao, north of Bamako's row or level
    assert cell["bamako"][0] < cell["timbuktu"][0] < cell["gao"][0] < cell["niamey"][0]
    assert cell["bamako"][1] > cell["gao"][1] and cell["niamey"][1] > cell["gao"][1]
    for name in cell:
        assert proj.visible(*cell[name]), name


def test_equirectangular_scaled_by_cos_latitude_keeps_the_paper_map_shape():
    """Bamako→Gao and Gao→Niamey point the way they do on a paper map (dots are square)."""
    proj = Projection.fit(REGION, 240, 80)
    k = math.cos(math.radians(proj.lat0))

    def bearing_on_map(a, b):
        (xa, ya), (xb, yb) = proj.dot(GAZ.get(a).lon, GAZ.get(a).lat), proj.dot(GAZ.get(b).lon, GAZ.get(b).lat)
        return math.degrees(math.atan2(-(yb - ya), xb - xa))

    def bearing_on_paper(a, b):
        ea, eb = GAZ.get(a), GAZ.get(b)
        return math.degrees(math.atan2(eb.lat - ea.lat, (eb.lon - ea.lon) * k))

    for a, b in (("bamako", "gao"), ("gao", "niamey"), ("bamako", "niamey")):
        assert bearing_on_map(a, b) == pytest.approx(bearing_on_paper(a, b), abs=0.01)
    # and the scale is the same both ways: the Bamako–Gao distance in dots matches degrees×scale
    xa, ya = proj.dot(GAZ.get("bamako").lon, GAZ.get("bamako").lat)
    xb, yb = proj.dot(GAZ.get("gao").lon, GAZ.get("gao").lat)
    assert abs(yb - ya) == pytest.approx((GAZ.get("gao").lat - GAZ.get("bamako").lat) * proj.scale)
    assert abs(xb - xa) == pytest.approx((GAZ.get("gao").lon - GAZ.get("bamako").lon) * k * proj.scale)


def test_bbox_union_and_clamp():
    box = BBox(0, 0, 1, 1).union(BBox(-1, 2, 0.5, 3))
    assert box == BBox(-1, 0, 1, 3)
    assert box.clamped(BBox(-0.5, 0.5, 10, 10)) == BBox(-0.5, 0.5, 1, 3)


# -- braille ---------------------------------------------------------------------------

def test_braille_dots_and_lines():
    c = Canvas(2, 1)
    c.dot(0, 0)
    assert c.char(0, 0) == "⠁"
    c.dot(1, 3)
    assert c.char(0, 0) == "⢁"
    c.line(0, 0, 3, 0)  # across both cells, top row
    assert c.char(1, 0) == "⠉"
    c.line(-10, -10, -5, -1)  # wholly outside: nothing, no error
    c.dot(99, 99)
    assert c.rows_text() == ["⢉⠉"]


# -- labels ----------------------------------------------------------------------------

def _cells(label):
    return {(label.col + i, label.row) for i in range(len(label.text))}


def test_labels_never_overlap_and_the_less_mentioned_give_way():
    # five markers crowded in a 12×3 grid: not all labels can fit
    markers = [Marker("a", "Alpha", 2, 1, 9), Marker("b", "Bravo", 3, 1, 5), Marker("c", "Charlie", 4, 1, 1),
               Marker("d", "Delta", 5, 1, 3), Marker("e", "Echo", 6, 1, 2)]
    labels, dropped = place_labels(markers, 12, 3)
    placed = {lab.key for lab in labels}
    assert "a" in placed  # the most mentioned always gets its label
    assert dropped and set(dropped) | placed == {"a", "b", "c", "d", "e"}
    assert "c" in dropped  # the least mentioned gives way first
    marker_cells = {(m.col, m.row) for m in markers}
    seen: set = set()
    for lab in labels:
        cells = _cells(lab)
        assert not cells & seen, "labels overlap"
        assert not cells & marker_cells, "a label covers a marker"
        assert all(0 <= col < 12 and 0 <= row < 3 for col, row in cells)
        seen |= cells
    # and no two labels touch on a row
    for lab in labels:
        assert (lab.col - 1, lab.row) not in seen - _cells(lab)


def test_a_label_moves_aside_rather_than_covering_a_neighbour():
    labels, dropped = place_labels([Marker("gao", "Gao", 10, 5, 5), Marker("x", "Ansongo", 12, 5, 1)], 40, 10)
    assert not dropped
    where = {lab.key: lab for lab in labels}
    assert (12, 5) not in _cells(where["gao"])  # Ansongo's marker stays visible
    assert where["gao"] != place_labels([Marker("gao", "Gao", 10, 5, 5)], 40, 10)[0][0]  # it moved
    assert not _cells(where["gao"]) & _cells(where["x"])


# -- outlines and the whole map ------------------------------------------------------------

def test_bundled_outlines_are_small_and_carry_the_niger():
    assert DATA_FILE.stat().st_size < 300_000
    outlines = load_outlines()
    niger = [r for r in outlines.rivers if r.name == "Niger"]
    assert niger
    gao = GAZ.get("gao")
    assert min(math.hypot(x - gao.lon, y - gao.lat) for r in niger for x, y in r.line) < 0.2
    assert len(outlines.borders) > 20 and {"MLI", "NER", "BFA"} <= {c.id for c in outlines.countries}


def test_broken_outline_file_is_one_line_error(tmp_path):
    bad = tmp_path / "outlines.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(OutlinesError, match="outlines.json"):
        load_outlines(bad)


def test_map_labels_gao_kidal_timbuktu_in_braille():
    places = [place("timbuktu", 7, 10), place("gao", 5, 20), place("kidal", 3, 30), place("bamako", 2, 40)]
    picture = draw_map(places, 118, 38, selected="kidal")
    text = picture.text()
    for name in ("Gao", "Kidal", "Timbuktu", "Bamako"):
        assert name in text
    assert sum(0x2801 <= ord(ch) <= 0x28FF for ch in text) > 500  # outlines drawn in braille
    cells = {p.id: picture.cell_of(p.id) for p in places}
    assert cells["kidal"][0] > cells["timbuktu"][0] and cells["kidal"][1] < cells["timbuktu"][1]
    assert cells["gao"][0] < cells["kidal"][0] and cells["gao"][1] > cells["kidal"][1]
    col, row = cells["kidal"]
    assert picture.chars[row][col] == "◉" and picture.kinds[row][col] == MARKER
    assert picture.place_at(col, row) == "kidal"
    # every label cell belongs to its place
    for lab in picture.labels:
        assert all(picture.kinds[lab.row][lab.col + i] == LABEL for i in range(len(lab.text)))


def test_places_beyond_the_outlines_are_listed_as_off_the_map():
    paris = Place("paris", "Paris", 2.35, 48.85, 1)
    picture = draw_map([place("gao"), paris], 100, 30)
    assert picture.offmap == ["paris"] and "Paris" not in picture.text()


# -- places ----------------------------------------------------------------------------

class M:  # a mention: what article_places reads
    def __init__(self, entry_id, start):
        self.entry_id, self.start = entry_id, start


def test_article_places_count_and_first_offset():
    mentions = [M("gao", 50), M("jnim", 10), M("gao", 5), M("kidal", 70), M("gao", 90)]
    places = article_places(mentions, GAZ)
    assert [(p.id, p.count, p.first_offset) for p in places] == [("gao", 3, 5), ("kidal", 1, 70)]


def test_geojson_is_a_valid_rfc7946_feature_collection():
    places = [place("gao", 3, 5), place("kidal", 1, 70), place("tinzaouaten", 2, 90)]
    doc = to_geojson(places, article="x")
    obj = geojson.loads(json.dumps(doc))
    assert obj.is_valid, obj.errors()
    assert obj["type"] == "FeatureCollection" and len(obj["features"]) == 3
    gao = next(f for f in obj["features"] if f["id"] == "gao")
    lon, lat = gao["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx((GAZ.get("gao").lon, GAZ.get("gao").lat))  # lon first
    assert -180 <= lon <= 180 and -90 <= lat <= 90 and lat > 15 and lon < 1
    assert gao["properties"]["mentions"] == 3 and gao["properties"]["first_offset"] == 5


def test_library_places_filters_by_date_and_entity(fixture_store):
    from reader.entities import Entities

    entities = Entities(fixture_store)
    entities.index_library()
    gaz = entities.gazetteer
    everything = {p.id: p for p in library_places(fixture_store, gaz)}
    assert {"gao", "kidal", "timbuktu"} <= set(everything)
    assert everything["gao"].articles >= 2  # the convoy report and the Kidal notes both name Gao
    # gao-convoy is 2023-03-14, kidal-notes 2024-01-20
    only_2024 = {p.id for p in library_places(fixture_store, gaz, since="2024")}
    assert "kidal" in only_2024 and "menaka" not in only_2024
    until_2023 = {p.id for p in library_places(fixture_store, gaz, until="2023-03")}
    assert "menaka" in until_2023 and "tessalit" not in until_2023
    assert "tessalit" in only_2024
    with_jnim = {p.id for p in library_places(fixture_store, gaz, entity="jnim")}
    assert "menaka" in with_jnim and "tessalit" not in with_jnim
