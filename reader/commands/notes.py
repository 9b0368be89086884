"""Verbs over notes: `note add|delete`, `notes`, `orphans`, `search`, `export`, `import-notes`.

These are the scripting face of reader/notes.py, reader/search.py and reader/export.py: the
same query language as the app's search screen, JSON lines for pipelines, and plain exit
codes. The gazetteer is loaded only when a verb needs it (entity detection, `entity:` and
`type:` filters) and its absence or breakage degrades the feature instead of failing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reader.commands.common import CliError, open_store

QUERY_HELP = ('query: words (prefix-matched), "exact phrase", -word, tag:T, entity:NAME, type:group|place|'
              'person|org|event, article:ID-OR-TITLE, before:YYYY-MM-DD, after:YYYY-MM-DD, orphaned:yes|no')


def register(sub, common) -> None:
    p = sub.add_parser("note", parents=[common], help="add or delete a note from a script",
                       description="Add or delete a single note.")
    nsub = p.add_subparsers(dest="note_verb", metavar="ACTION", required=True)
    a = nsub.add_parser("add", parents=[common], help="add a note to an article",
                        description="Add a note on a passage (--quote, or --start/--end offsets) "
                                    "or, without either, on the whole article. Prints the note id.")
    a.add_argument("article", help="article id (see 'mali-reader articles')")
    a.add_argument("--quote", help="the passage, exactly as in 'mali-reader show ID' (first occurrence)")
    a.add_argument("--start", type=int, help="passage start offset (characters)")
    a.add_argument("--end", type=int, help="passage end offset (exclusive)")
    a.add_argument("--body", "-m", default="", help="the note text ('-' reads it from stdin)")
    a.add_argument("--tag", "-t", action="append", default=[], help="a tag (repeatable, or comma-separated)")
    a.add_argument("--entity", help="link the note to this entity id")
    a.add_argument("--json", action="store_true", help="print the saved note as JSON")
    a.set_defaults(handler=cmd_note_add)
    d = nsub.add_parser("delete", parents=[common], help="delete a note by id")
    d.add_argument("id", help="note id (see 'mali-reader notes')")
    d.add_argument("--json", action="store_true", help="print the deleted note as JSON")
    d.set_defaults(handler=cmd_note_delete)

    p = sub.add_parser("notes", parents=[common], help="list notes (in reading order, by article)",
                       description="List notes, grouped by article in reading order.")
    p.add_argument("--article", metavar="ID", help="only this article's notes")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(handler=cmd_notes)

    p = sub.add_parser("orphans", parents=[common], help="list notes whose passage was lost",
                       description="Notes whose passage could not be found after the article changed. "
                                   "Re-attach them in the app by selecting the new passage and pressing 'a'.")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(handler=cmd_orphans)

    p = sub.add_parser("search", parents=[common], help="search notes and articles",
                       description="Search notes (and articles). " + QUERY_HELP)
    p.add_argument("query", help="the query (quote it for the shell)")
    p.add_argument("--json", action="store_true", help="JSON lines: notes, then articles (kind field)")
    p.add_argument("--limit", type=int, default=20, help="maximum notes (and articles) shown (default 20)")
    p.add_argument("--sort", choices=("relevance", "date", "article"), default="relevance")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("export", parents=[common],
                       help="export notes (markdown, csv, json, jsonl, w3c, hypothesis)",
                       description="Export all notes, or those matching QUERY. json, jsonl and w3c files "
                                   "can be imported back with 'mali-reader import-notes'. " + QUERY_HELP)
    p.add_argument("query", nargs="?", default="", help="optional query selecting the notes")
    p.add_argument("--format", "-f", choices=EXPORT_FORMATS, default="markdown")
    p.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte-order mark (for spreadsheets)")
    p.add_argument("--creator", metavar="NAME",
                   help="w3c/hypothesis: the name given as the notes' creator (default: your OS user name)")
    p.add_argument("--json", action="store_true",
                   help="print a JSON summary (format, notes, file) when done: on stdout with --out, "
                        "else on stderr")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import-notes", parents=[common], help="import notes (our JSON/JSONL, W3C, Hypothesis)",
                       description="Import notes from 'mali-reader export --format json|jsonl|w3c', from W3C "
                                   "Web Annotations or a Hypothesis export (the format is recognised from the "
                                   "content). Importing the same file again adds nothing.")
    p.add_argument("file", help="the notes file ('-' reads standard input)")
    p.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    p.set_defaults(handler=cmd_import_notes)


EXPORT_FORMATS = ("markdown", "csv", "json", "jsonl", "w3c", "hypothesis")


def load_gazetteer_quietly():
    """The gazetteer, or None if it is not installed or cannot load (features degrade)."""
    try:
        from reader.gazetteer import load_gazetteer
    except ImportError:
        return None
    try:
        return load_gazetteer()
    except Exception as exc:  # noqa: BLE001 - a broken gazetteer must not stop note verbs
        print(f"mali-reader: gazetteer not loaded ({exc}); entity features are off", file=sys.stderr)
        return None


def _note_store(store, *, with_entities: bool):
    from reader.notes import NoteStore

    gaz = load_gazetteer_quietly() if with_entities else None
    if gaz is not None:
        try:
            import reader.matcher  # noqa: F401
        except ImportError:
            gaz = None
    return NoteStore.with_gazetteer(store, gaz) if gaz is not None else NoteStore(store)


def _note_json(note, **extra) -> str:
    return json.dumps({**note.to_dict(), **extra}, ensure_ascii=False)


def cmd_note_add(args) -> int:
    from reader.store import StoreError

    store = open_store(args)
    body = sys.stdin.read() if args.body == "-" else args.body
    tags = [t for group in args.tag for t in group.split(",")]
    if args.quote is not None and (args.start is not None or args.end is not None):
        raise CliError("give either --quote or --start/--end, not both")
    if (args.start is None) != (args.end is None):
        raise CliError("--start and --end go together")
    notes = _note_store(store, with_entities=args.quote is not None or args.start is not None)
    try:
        note = notes.add(args.article, body, start=args.start, end=args.end, quote=args.quote, tags=tags,
                         entity_id=args.entity)
    except ValueError as exc:
        raise CliError(f"{exc} (see 'mali-reader show {args.article}')") from None
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if notes.entity_error:
        print(f"mali-reader: note saved; {notes.entity_error}", file=sys.stderr)
    print(_note_json(note) if args.json else note.id)
    return 0


def cmd_note_delete(args) -> int:
    from reader.notes import NoteStore
    from reader.store import StoreError

    store = open_store(args)
    try:
        note = NoteStore(store).delete(args.id)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if note is None:
        raise CliError(f"no note with id {args.id!r} (see 'mali-reader notes')")
    if args.json:
        print(_note_json(note))
    return 0


def _print_notes(notes, as_json: bool, empty: str = "no notes") -> None:
    out = sys.stdout
    if not notes:
        print(f"mali-reader: {empty}", file=sys.stderr)  # stdout stays empty for scripts; exit 0
    for n in notes:
        if as_json:
            out.write(_note_json(n) + "\n")
            continue
        where = "article" if n.is_article_level else f"{n.start}-{n.end}"
        flag = " ORPHANED" if n.orphaned else ""
        tags = " " + " ".join("#" + t for t in n.tags) if n.tags else ""
        quote = f" «{_one_line(n.quote, 60)}»" if n.quote else ""
        out.write(f"{n.id}\t{n.article_id}\t{where}{flag}\t{n.created[:10]}{tags}{quote}\t{_one_line(n.body, 80)}\n")


def _one_line(text: str, width: int) -> str:
    s = " ".join(text.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def cmd_notes(args) -> int:
    from reader.notes import NoteStore

    store = open_store(args)
    if args.article and store.article(args.article) is None and not NoteStore(store).for_article(args.article):
        raise CliError(f"no article with id {args.article!r} (see 'mali-reader articles')")
    _print_notes(NoteStore(store).all(args.article), args.json)
    return 0


def cmd_orphans(args) -> int:
    from reader.notes import NoteStore

    store = open_store(args)
    notes = NoteStore(store).orphans()
    if not notes:
        print("mali-reader: no orphaned notes", file=sys.stderr)
    if args.json:
        _print_notes(notes, True)
        return 0
    for n in notes:
        sys.stdout.write(f"{n.id}\t{n.article_id}\t{n.created[:10]}\n  …{_one_line(n.prefix, 40)}"
                         f"[{_one_line(n.quote, 80)}]{_one_line(n.suffix, 40)}…\n  {_one_line(n.body, 100)}\n")
    return 0


def _needs_gazetteer(query: str) -> bool:
    from reader.search import parse_query

    q = parse_query(query)
    return bool(q.entities or q.types)


def cmd_search(args) -> int:
    from reader.search import search

    store = open_store(args)
    gaz = load_gazetteer_quietly() if _needs_gazetteer(args.query) else None
    result = search(store, args.query, limit=args.limit, sort=args.sort, gazetteer=gaz, article_limit=args.limit)
    if result.error:
        raise CliError(f"{store.path}: {result.error}")
    for hint in result.hints:
        print(f"mali-reader: {hint}", file=sys.stderr)
    if not result.notes and not result.articles:
        print(f"mali-reader: nothing matches {args.query!r}", file=sys.stderr)
    out = sys.stdout
    for h in result.notes:
        n = h.note
        if args.json:
            out.write(json.dumps({"kind": "note", "id": n.id, "article": n.article_id,
                                  "article_title": h.article_title, "quote": n.quote, "body": n.body,
                                  "tags": n.tags, "created": n.created, "status": n.status,
                                  "start": n.start, "end": n.end, "score": round(h.score, 4)},
                                 ensure_ascii=False) + "\n")
        else:
            tags = " " + " ".join("#" + t for t in n.tags) if n.tags else ""
            out.write(f"{n.id}\t{n.article_id}\t{n.created[:10]}{tags}\t{_one_line(n.body or n.quote, 100)}\n")
    for a in result.articles:
        if args.json:
            out.write(json.dumps({"kind": "article", "id": a.article_id, "title": a.title, "date": a.date,
                                  "snippet": a.snippet, "score": round(a.score, 4)}, ensure_ascii=False) + "\n")
        else:
            out.write(f"article\t{a.article_id}\t{a.date or '-'}\t{a.title}\n")
    return 0


def cmd_export(args) -> int:
    from reader.export import WriteOptions, export_rows, write_export

    store = open_store(args)
    gaz = load_gazetteer_quietly() if args.query and _needs_gazetteer(args.query) else None
    rows, hints = export_rows(store, args.query or None, gazetteer=gaz)
    if args.format == "w3c" and gaz is None and rows.has_entities():
        gaz = load_gazetteer_quietly()  # entity kinds become W3C "classifying" bodies
    for hint in hints:
        print(f"mali-reader: {hint}", file=sys.stderr)
    options = WriteOptions(bom=args.bom, user=args.creator or "", entity_type=_entity_type(gaz))
    if args.out:
        path = Path(args.out)
        tmp = path.with_name(path.name + ".part")
        try:
            with open(tmp, "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
                written = write_export(rows, args.format, fh, options=options)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CliError(f"{path}: cannot write the export ({exc.strerror or exc})") from None
        if not args.json:
            print(f"exported {written} notes to {path}", file=sys.stderr)
    else:
        written = write_export(rows, args.format, sys.stdout, options=options)
    if args.json:
        # on stdout unless the export itself went there
        print(json.dumps({"format": args.format, "notes": written, "file": args.out or "-",
                          "query": args.query or ""}, ensure_ascii=False),
              file=sys.stdout if args.out else sys.stderr)
    elif not written:
        print("mali-reader: no notes to export", file=sys.stderr)
    return 0


def _entity_type(gaz):
    """entity id -> its type (place, group...) from the gazetteer, for W3C classifying bodies."""
    if gaz is None:
        return None

    def kind(entity_id: str) -> str | None:
        entry = gaz.get(entity_id)
        return entry.type if entry is not None else None

    return kind


def cmd_import_notes(args) -> int:
    from reader.export import NotesImportError, import_notes
    from reader.store import StoreError

    store = open_store(args)
    try:
        if args.file == "-":
            counts = import_notes(store, data=sys.stdin.buffer.read(), name="<stdin>")
        else:
            counts = import_notes(store, args.file)
    except (NotesImportError, StoreError) as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps({"file": args.file, **counts}, ensure_ascii=False))
    else:
        print(f"{args.file}: {counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged"
              f" ({counts['format']})")
    return 0
