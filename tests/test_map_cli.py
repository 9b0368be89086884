"""`mali-reader map`: places of an article or the library as lists, JSON and GeoJSON."""

from __future__ import annotations

import json

import geojson

from reader.cli import main


def run(db_path, capsys, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), "map", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_article_geojson_is_valid_and_lon_lat(fixture_store, db_path, capsys):
    code, out, _ = run(db_path, capsys, "gao-convoy", "--geojson")
    assert code == 0
    obj = geojson.loads(out)
    assert obj.is_valid, obj.errors()
    by_id = {f["id"]: f for f in obj["features"]}
    assert {"gao", "niamey", "ansongo", "timbuktu", "menaka", "bamako"} <= set(by_id)
    assert by_id["gao"]["properties"]["mentions"] == 2  # "towards Gao", "Traders in Gao"; "the Gao region" is the region
    lon, lat = by_id["niamey"]["geometry"]["coordinates"]
    assert 1.5 < lon < 2.5 and 13 < lat < 14
    assert obj["article"] == "gao-convoy"


def test_article_list_and_json(fixture_store, db_path, capsys):
    code, out, _ = run(db_path, capsys, "gao-convoy")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and rows[0][0] == "gao" and rows[0][3] == "2"
    code, out, _ = run(db_path, capsys, "gao-convoy", "--json")
    first = json.loads(out.splitlines()[0])
    body = fixture_store.article("gao-convoy").body
    assert first["id"] == "gao" and body[first["first_offset"]:].startswith("Gao")


def test_library_geojson_with_since_and_entity(fixture_store, db_path, capsys):
    code, out, _ = run(db_path, capsys, "--all", "--geojson")
    obj = geojson.loads(out)
    assert code == 0 and obj.is_valid
    everything = {f["id"]: f["properties"] for f in obj["features"]}
    assert everything["gao"]["articles"] == 3  # all three fixture articles name it
    code, out, _ = run(db_path, capsys, "--all", "--since", "2024", "--geojson")
    assert "menaka" not in {f["id"] for f in geojson.loads(out)["features"]}
    code, out, _ = run(db_path, capsys, "--all", "--entity", "Ansar Dine", "--geojson")
    obj = geojson.loads(out)
    assert obj["entity"] == "ansar-dine" and "menaka" in {f["id"] for f in obj["features"]}
    assert "tessalit" not in {f["id"] for f in obj["features"]}


def test_bad_input_is_one_line(fixture_store, db_path, capsys):
    code, _, err = run(db_path, capsys, "nope")
    assert code == 1 and err.strip() == "mali-reader: no article with id 'nope' (see 'mali-reader articles')"
    code, _, err = run(db_path, capsys, "--all", "--since", "last week")
    assert code == 1 and "--since 'last week'" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(db_path, capsys, "--all", "--entity", "nobody at all")
    assert code == 1 and "nobody at all" in err
    code, _, err = run(db_path, capsys)
    assert code == 2 and "--all" in err
