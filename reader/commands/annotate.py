"""The `annotate` verb: print the gazetteer mentions found in files (or stdin).

Places named inside another mention ("Konna" in "the battle of Konna") get their own line
marked with the outer span; `--candidates` adds unknown names that look like groups or
people (off by default, so the plain output is unchanged).

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
                   help='one JSON object per line: {"file","start","end","text","id","name","type","score"}; '
                        'a place named inside another mention adds "inside": [start, end] of the outer one')
    p.add_argument("--gazetteer", metavar="PATH",
                   help="use this gazetteer instead of the bundled one (TOML file or folder, "
                        "or a JSON list of {id, name, type, aliases})")
    p.add_argument("--candidates", action="store_true",
                   help="also list capitalised names that look like groups or people but are in no "
                        'entry (with --json: "candidate": true, "id": null)')
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
    results = [(name, matcher.analyse(text, candidates=args.candidates)) for name, text in texts]
    t2 = time.perf_counter()

    out = sys.stdout
    for name, found in results:
        # outer mentions in text order, each followed by the places named inside it, then
        # candidates where they fall
        rows = [(m.start, 0, -m.end, m) for m in found.mentions]
        rows += [(m.inside[0], 1, m.start, m) for m in found.inner]
        rows += [(c.start, 2, -c.end, c) for c in found.candidates]
        for *_k, m in sorted(rows, key=lambda r: r[:3]):
            out.write(_line(name, m, gaz, args.json) + "\n")
    if args.timings:
        print(json.dumps({"build_ms": round((t1 - t0) * 1000, 3), "match_ms": round((t2 - t1) * 1000, 3)}),
              file=sys.stderr)
    return 0


def _line(name: str, m, gaz, as_json: bool) -> str:
    from reader.matcher import Candidate

    if isinstance(m, Candidate):
        if as_json:
            return json.dumps({"file": name, "start": m.start, "end": m.end, "text": m.text, "id": None,
                               "name": m.text, "type": m.type, "score": 0, "candidate": True},
                              ensure_ascii=False)
        return f"{name}:{m.start}-{m.end}\t{m.text}\t?\t{m.type}\tcandidate ({m.cue})"
    entry = gaz.entries[m.entry_id]
    if as_json:
        row = {"file": name, "start": m.start, "end": m.end, "text": m.text, "id": m.entry_id,
               "name": entry.name, "type": entry.type, "score": m.score}
        if m.inside is not None:
            row["inside"] = list(m.inside)
        return json.dumps(row, ensure_ascii=False)
    alt = f"\t(or {', '.join(m.alternatives)})" if m.alternatives else ""
    inside = f"\tinside {m.inside[0]}-{m.inside[1]}" if m.inside is not None else ""
    return f"{name}:{m.start}-{m.end}\t{m.text}\t{m.entry_id}\t{entry.type}\t{m.score:g}{alt}{inside}"
