"""The `annotate` verb: print the gazetteer mentions found in files (or stdin).

Offsets are Python string indices into each file's text decoded as UTF-8, end exclusive,
never shifted by normalisation, so other tools (and the benchmarks) can slice the text
with them directly. No database is involved.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from reader.cli import CliError


def register(sub, common) -> None:
    p = sub.add_parser(
        "annotate", parents=[common], help="print the entities mentioned in text files",
        description="Print the gazetteer entities mentioned in each FILE ('-' reads stdin).")
    p.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text file, or - for stdin")
    p.add_argument("--json", action="store_true",
                   help='one JSON object per line: {"file","start","end","text","id","name","type","score"}')
    p.add_argument("--gazetteer", metavar="PATH",
                   help="use this gazetteer instead of the bundled one (TOML file or folder, "
                        "or a JSON list of {id, name, type, aliases})")
    p.add_argument("--timings", action="store_true",
                   help='print {"build_ms", "match_ms"} as one JSON line on stderr')
    p.set_defaults(handler=cmd_annotate)


def _read(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise CliError(f"{name}: no such file; check the path")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CliError(f"{name}: cannot read ({exc.strerror}); check permissions") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{name}: not UTF-8 text (byte {exc.start}); convert it to UTF-8") from None


def cmd_annotate(args) -> int:
    from reader.gazetteer import GazetteerError, load_gazetteer
    from reader.matcher import Matcher

    try:
        if args.gazetteer:
            gaz = load_gazetteer(Path(args.gazetteer), overlay=False)
        else:
            gaz = load_gazetteer()
    except GazetteerError as exc:
        raise CliError(str(exc)) from None
    errors = gaz.errors
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        print(f"mali-reader: gazetteer problem: {errors[0]}{more}", file=sys.stderr)
    texts = [(name, _read(name)) for name in args.files]

    t0 = time.perf_counter()
    matcher = Matcher(gaz)
    t1 = time.perf_counter()
    results = [(name, matcher.find(text)) for name, text in texts]
    t2 = time.perf_counter()

    out = sys.stdout
    for name, mentions in results:
        for m in mentions:
            entry = gaz.entries[m.entry_id]
            if args.json:
                out.write(json.dumps({"file": name, "start": m.start, "end": m.end, "text": m.text,
                                      "id": m.entry_id, "name": entry.name, "type": entry.type,
                                      "score": m.score}, ensure_ascii=False) + "\n")
            else:
                alt = f"\t(or {', '.join(m.alternatives)})" if m.alternatives else ""
                out.write(f"{name}:{m.start}-{m.end}\t{m.text}\t{m.entry_id}\t{entry.type}\t{m.score:g}{alt}\n")
    if args.timings:
        print(json.dumps({"build_ms": round((t1 - t0) * 1000, 3), "match_ms": round((t2 - t1) * 1000, 3)}),
              file=sys.stderr)
    return 0
