"""Verbs for where and when: `map` (places of an article or of the library, as a braille
map, a list, JSON or GeoJSON) and `timeline` (an entity's dated facts, articles and notes)."""

from __future__ import annotations

import json
import shutil
import sys

from reader.commands.common import CliError, open_store


def register(sub, common) -> None:
    p = sub.add_parser("map", parents=[common], help="places mentioned in an article or the library",
                       description="Print the places an article (or, with --all, the library) mentions, "
                                   "with coordinates and mention counts: a braille map on a terminal, "
                                   "a tab-separated list when piped, or JSON / GeoJSON (RFC 7946).")
    p.add_argument("article", nargs="?", help="article id (see 'mali-reader articles')")
    p.add_argument("--all", action="store_true", help="every article in the library (from the mention cache)")
    p.add_argument("--since", metavar="DATE", default="", help="with --all: articles dated on or after DATE "
                                                                "(YYYY, YYYY-MM or YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", default="", help="with --all: articles dated up to DATE (inclusive)")
    p.add_argument("--entity", metavar="ID", default="", help="with --all: only articles that mention this "
                                                              "entry (id or name)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per place and line")
    fmt.add_argument("--geojson", action="store_true", help="a GeoJSON FeatureCollection")
    p.set_defaults(handler=cmd_map)

    p = sub.add_parser("timeline", parents=[common], help="an entity's timeline",
                       description="Print an entity's dated facts and the articles and notes that mention "
                                   "it, newest first, with a sparkline of mentions per month.")
    p.add_argument("entity", help="entry id or name (e.g. jnim, 'Iyad Ag Ghaly')")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_timeline)


def _entities(store):
    from reader.entities import Entities
    from reader.gazetteer import GazetteerError

    try:
        entities = Entities(store)
    except GazetteerError as exc:
        raise CliError(str(exc)) from None
    entities.index_library()
    return entities


def _check_date(value: str, option: str) -> str:
    import re

    if value and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise CliError(f"{option} {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def cmd_map(args) -> int:
    from reader.geo import article_places, draw_map, library_places, to_geojson
    from reader.geo.places import AREA_KINDS, find_entry, place_dict

    if args.all == bool(args.article):
        raise CliError("give an article id or --all (see 'mali-reader map --help')", 2)
    if not args.all and (args.since or args.until or args.entity):
        raise CliError("--since, --until and --entity go with --all", 2)
    since, until = _check_date(args.since, "--since"), _check_date(args.until, "--until")
    store = open_store(args)
    entities = _entities(store)
    gaz = entities.gazetteer
    extra: dict = {}
    if args.all:
        entity_id = ""
        if args.entity:
            entry = find_entry(gaz, args.entity)
            if entry is None:
                raise CliError(f"--entity {args.entity!r}: no such entry (try 'mali-reader timeline' with an id)")
            entity_id = entry.id
        places = library_places(store, gaz, since=since, until=until, entity=entity_id)
        extra = {"since": since, "until": until, "entity": entity_id}
    else:
        article = store.article(args.article)
        if article is None:
            raise CliError(f"no article with id {args.article!r} (see 'mali-reader articles')")
        places = article_places(entities.mentions(article), gaz)
        extra = {"article": article.id, "title": article.title, "date": article.date}
    out = sys.stdout
    if args.geojson:
        out.write(json.dumps(to_geojson(places, **extra), ensure_ascii=False) + "\n")
    elif args.json:
        for p in places:
            out.write(json.dumps(place_dict(p), ensure_ascii=False) + "\n")
    elif out.isatty():
        size = shutil.get_terminal_size((100, 30))
        cols, rows = max(20, size.columns - 1), max(8, min(size.lines - 4, size.columns // 3))
        picture = draw_map([p for p in places if p.kind not in AREA_KINDS], cols, rows)
        out.write(picture.text() + "\n")
        out.write("  ".join(f"{p.name} ×{p.count}" for p in places) + "\n")
    else:
        for p in places:
            out.write(f"{p.id}\t{p.lat:.4f}\t{p.lon:.4f}\t{p.count}\t{p.name}\n")
    return 0


def cmd_timeline(args) -> int:
    from reader.geo.places import find_entry
    from reader.timeline import entity_timeline

    store = open_store(args)
    entities = _entities(store)
    entry = find_entry(entities.gazetteer, args.entity)
    if entry is None:
        raise CliError(f"no entry {args.entity!r} in the gazetteer (ids as in 'mali-reader show' sidebars, "
                       "or a name or alias)")
    timeline = entity_timeline(store, entities.gazetteer, entry.id)
    out = sys.stdout
    if args.json:
        out.write(json.dumps(timeline.as_dict(), ensure_ascii=False) + "\n")
        return 0
    out.write(f"{timeline.name} ({timeline.entity_id})\n")
    if timeline.months:
        out.write(f"mentions per month {timeline.months[0][0]} … {timeline.months[-1][0]}: "
                  f"{timeline.sparkline(60)}\n")
    for year, month, items in timeline.groups():
        out.write(f"\n{month or year or 'undated'}\n")
        for item in items:
            mark = {"fact": "◆", "article": "▪", "note": "✎"}.get(item.kind, "-")
            extra = f"  [{item.article_id}]" if item.kind == "article" else ""
            if item.kind == "article" and item.mentions:
                extra = f"  ×{item.mentions}{extra}"
            out.write(f"  {item.date or '----------':<10}  {mark} {item.text}{extra}\n")
    return 0
