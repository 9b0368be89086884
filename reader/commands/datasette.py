"""`mali-reader datasette-metadata`: the metadata file for browsing the database in Datasette."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reader.commands.common import CliError, open_store


def register(sub, common) -> None:
    p = sub.add_parser("datasette-metadata", parents=[common], help="write Datasette metadata for the database",
                       description="Write Datasette metadata (JSON) for the database: table and column "
                                   "descriptions, internal tables hidden, full-text search on notes and "
                                   "articles. Use it with: datasette DB -m FILE")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(handler=cmd_datasette_metadata)


def cmd_datasette_metadata(args) -> int:
    from reader.datasette_metadata import build_metadata

    store = open_store(args)
    text = json.dumps(build_metadata(store), ensure_ascii=False, indent=2) + "\n"
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    try:
        out.write_text(text, "utf-8")
    except OSError as exc:
        raise CliError(f"{out}: cannot write the metadata ({exc.strerror or exc})") from None
    print(f"wrote {out} (use it with: datasette {store.path} -m {out})", file=sys.stderr)
    return 0
