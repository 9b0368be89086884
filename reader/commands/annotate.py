"""The `annotate` verb: print the gazetteer mentions found in files (or stdin).

Places named inside another mention ("Konna" in "the battle of Konna") get their own line
marked with the outer span; `--candidates` adds unknown names that look like groups or
people (off by default, so the plain output is unchanged).

Offsets are Python string indices into each file's text decoded as UTF-8, end exclusive,
never shifted by normalisation, so other tools (and the benchmarks) can slice the text
with them directly. No database is involved.

`--candidates` (with the `ner` extra) adds what the statistical NER proposes: names in no
entry, as `"candidate": true` rows with `"source": "ner"`, and NER spans that match an entry
under the matcher's keys, as ordinary rows with `"source": "ner"`. Without the flag the
output is unchanged.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from reader.commands.common import CliError


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
                   help="also list names in no entry: capitalised names that look like groups or people, "
                        "and (with the `ner` extra) what the statistical NER proposes "
                        '(with --json: "candidate": true, "id": null, "source": "matcher" or "ner")')
    p.add_argument("--timings", action="store_true",
                   help='print {"build_ms", "match_ms"} (and "ner_ms" with --candidates) as one JSON line on stderr')
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
    extra = _ner(args, texts, results, gaz)
    t3 = time.perf_counter()

    out = sys.stdout
    for (name, found), (links, cands) in zip(results, extra):
        # outer mentions in text order, each followed by the places named inside it, then
        # candidates (the matcher's and the NER's) where they fall
        rows = [(m.start, 0, -m.end, m, "") for m in found.mentions]
        rows += [(m.start, 0, -m.end, m, "ner") for m in links]
        rows += [(m.inside[0], 1, m.start, m, "") for m in found.inner]
        rows += [(c.start, 2, -c.end, c, "matcher") for c in found.candidates]
        rows += [(c.start, 2, -c.end, c, c.source) for c in cands]
        names = candidate_names(cands)
        for *_k, m, source in sorted(rows, key=lambda r: r[:3]):
            out.write(_line(name, m, source, gaz, args.json, names) + "\n")
    if args.timings:
        times = {"build_ms": round((t1 - t0) * 1000, 3), "match_ms": round((t2 - t1) * 1000, 3)}
        if args.candidates:
            times["ner_ms"] = round((t3 - t2) * 1000, 3)
        print(json.dumps(times), file=sys.stderr)
    return 0


def _ner(args, texts, results, gaz) -> list[tuple[list, list]]:
    """(linked mentions, candidates) per file: empty lists unless --candidates and the extra."""
    none = [([], []) for _ in texts]
    if not args.candidates:
        return none
    from reader.ner import available, unavailable_reason

    if not available():
        print(f"mali-reader: --candidates: {unavailable_reason()}; listing gazetteer mentions only",
              file=sys.stderr)
        return none
    from reader.ner.merge import propose

    out = []
    for (_name, text), (_n, found) in zip(texts, results):
        taken = [(c.start, c.end) for c in found.candidates]
        r = propose(text, found.mentions, gaz, taken=taken)
        out.append((r.links, r.candidates))
    return out


def candidate_names(cands) -> dict[str, str]:
    """The name of each candidate (occurrences sharing a key are one): its longest surface."""
    names: dict[str, str] = {}
    for c in cands:
        key = getattr(c, "key", "") or c.text
        if len(c.text) > len(names.get(key, "")):
            names[key] = c.text
    return names


def _line(name: str, m, source: str, gaz, as_json: bool, names: dict[str, str] | None = None) -> str:
    """One output line for a mention (entry_id set) or a candidate (no entry)."""
    entry_id = getattr(m, "entry_id", None)
    if entry_id is None:
        cname = (names or {}).get(getattr(m, "key", "") or m.text, m.text)
        if as_json:
            return json.dumps({"file": name, "start": m.start, "end": m.end, "text": m.text, "id": None,
                               "name": cname, "type": m.type, "score": 0, "candidate": True,
                               "source": source}, ensure_ascii=False)
        return f"{name}:{m.start}-{m.end}\t{m.text}\t?\t{m.type}\tcandidate ({source}: {m.cue})"
    entry = gaz.entries[entry_id]
    inside = getattr(m, "inside", None)
    if as_json:
        row = {"file": name, "start": m.start, "end": m.end, "text": m.text, "id": entry_id,
               "name": entry.name, "type": entry.type, "score": m.score}
        if inside is not None:
            row["inside"] = list(inside)
        if source:
            row["source"] = source
        return json.dumps(row, ensure_ascii=False)
    alt = f"\t(or {', '.join(m.alternatives)})" if m.alternatives else ""
    where = f"\tinside {inside[0]}-{inside[1]}" if inside is not None else ""
    via = f"\t({source})" if source else ""
    return f"{name}:{m.start}-{m.end}\t{m.text}\t{entry_id}\t{entry.type}\t{m.score:g}{alt}{where}{via}"
