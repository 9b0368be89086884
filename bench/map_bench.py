"""How long the maps take to draw.

- article map: the places of the 2012 "north falls" sample (bundled gazetteer), drawn at the
  map widget's size in a 120×40 terminal (86×37 cells) and at 200×60: `draw_map` plus the
  styled lines the widget renders; cold (the first draw also rasterises the outline layers,
  then cached per size) and warm (another place selected);
- library map over 10,000 articles: a synthetic library of 10,000 dated articles, each
  naming 20 gazetteer entries (places and others, 200,000 cache rows), queried from the
  mention cache (`library_places`) with no filter, a date range and an entity, then drawn.

    uv run python bench/map_bench.py

Times are the best of 5 runs (the machine is shared). Targets: article map <= 50 ms,
library map <= 300 ms.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.gazetteer import load_gazetteer  # noqa: E402
from reader.geo import article_places, draw_map, library_places  # noqa: E402
from reader.geo.render import _base  # noqa: E402
from reader.articles import article_from_markdown  # noqa: E402
from reader.matcher import Matcher  # noqa: E402
from reader.store import Store  # noqa: E402
from reader.tui.widgets.map_view import styled_lines  # noqa: E402

RUNS = 5


def best(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def article_map(gaz) -> list[tuple[str, float]]:
    path = ROOT / "sample_articles" / "2012-04-north-falls.md"
    article = article_from_markdown(path.read_text("utf-8"), str(path), article_id=path.stem)
    places = article_places(Matcher(gaz).find(article.body), gaz)
    rows = []
    for cols, lines in ((86, 37), (166, 57)):
        def cold():
            _base.cache_clear()
            styled_lines(draw_map(places, cols, lines, selected=places[0].id), True)

        def warm():
            styled_lines(draw_map(places, cols, lines, selected=places[1].id), True)

        rows.append((f"article map {cols}×{lines}, {len(places)} places, cold", best(cold)))
        warm()
        rows.append((f"article map {cols}×{lines}, warm", best(warm)))
    return rows


def synthetic_library(store: Store, gaz, n: int = 10_000, per_article: int = 20) -> None:
    rng = random.Random(13)
    places = [e.id for e in gaz if e.type == "place" and e.lat is not None]
    others = [e.id for e in gaz if e.type != "place"]
    now = "2026-01-01T00:00:00Z"
    with store.transaction() as c:
        for i in range(n):
            aid = f"synth-{i:05d}"
            date = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            c.execute("INSERT INTO articles (id, title, date, body, hash, added_at, updated_at)"
                      " VALUES (?, ?, ?, '', ?, ?, ?)", (aid, f"Synthetic {i}", date, aid, now, now))
            chosen = rng.sample(places, per_article // 2) + rng.sample(others, per_article // 2)
            c.executemany("INSERT INTO article_entities VALUES (?, ?, ?, ?)",
                          [(eid, aid, rng.randint(1, 6), rng.randint(0, 4000)) for eid in chosen])


def library_map(gaz) -> list[tuple[str, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        store.set_setting("samples_imported", "bench")
        t = time.perf_counter()
        synthetic_library(store, gaz)
        print(f"(built the 10,000-article library in {time.perf_counter() - t:.1f} s)")
        for label, kwargs in (("all", {}), ("2020-2022", {"since": "2020", "until": "2022"}),
                              ("mentioning jnim", {"entity": "jnim"})):
            def run():
                places = library_places(store, gaz, **kwargs)
                styled_lines(draw_map(places, 86, 34), True)

            run()
            n = len(library_places(store, gaz, **kwargs))
            rows.append((f"library map, 10,000 articles, {label} ({n} places): query + draw", best(run)))
            rows.append((f"  of which the query ({label})", best(lambda: library_places(store, gaz, **kwargs))))
        store.close()
    return rows


def main() -> int:
    gaz = load_gazetteer()
    rows = article_map(gaz) + library_map(gaz)
    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  best of {RUNS}")
    for label, ms in rows:
        print(f"{label:<{width}}  {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
