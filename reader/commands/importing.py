"""Verbs that bring articles in: `import`, `feeds add|list|remove` and `refresh`.

Results go to stdout (one line per article, a reason line per skipped item, then the summary;
or JSON lines with --json); a progress bar goes to stderr only when stderr is a terminal, so
pipes and logs stay clean. The exit code is 1 when anything was skipped, so scripts notice.
"""

from __future__ import annotations

import json
import shutil
import sys

from reader.commands.common import CliError, open_store
from reader.text import sanitize_line


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="import files, folders, globs, URLs and feeds",
                       description="Import .txt/.md files, HTML pages, RSS/Atom feeds and OPML lists "
                                   "from files, folders (recursively), glob patterns or http(s) URLs.")
    p.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="tag every imported article (repeatable)")
    p.add_argument("--json", action="store_true", help="one JSON object per item, then a summary object")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("feeds", parents=[common], help="manage feed subscriptions",
                       description="Subscribe to RSS/Atom feeds; 'mali-reader refresh' fetches them.")
    feeds = p.add_subparsers(dest="feeds_verb", metavar="ACTION", required=True)
    q = feeds.add_parser("add", parents=[common], help="subscribe to a feed (fetched on the next refresh)")
    q.add_argument("url")
    q.add_argument("--tag", action="append", default=[], metavar="T", help="tag the feed's articles")
    q.add_argument("--title", default="", help="a name for the feed (default: the feed's own title)")
    q.add_argument("--refresh", action="store_true", help="fetch the feed now")
    q.add_argument("--json", action="store_true",
                   help='print {"url","subscribed"} (true if new), then with --refresh the items as JSON lines')
    q.set_defaults(handler=cmd_feeds_add)
    q = feeds.add_parser("list", parents=[common], help="list subscriptions")
    q.add_argument("--json", action="store_true", help="one JSON object per feed")
    q.set_defaults(handler=cmd_feeds_list)
    q = feeds.add_parser("remove", parents=[common], help="unsubscribe (articles stay in the library)")
    q.add_argument("url")
    q.add_argument("--json", action="store_true", help='print {"url","unsubscribed": true}')
    q.set_defaults(handler=cmd_feeds_remove)
    q = feeds.add_parser("export", parents=[common], help="write the subscriptions as OPML 2.0",
                         description="Write every subscription as OPML 2.0: folders as nested outlines, "
                                     "each feed with its title, xmlUrl, htmlUrl and its tags as category.")
    q.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of standard output")
    q.add_argument("--json", action="store_true", help="print a JSON summary when done")
    q.set_defaults(handler=cmd_feeds_export)
    q = feeds.add_parser("import", parents=[common], help="subscribe to the feeds of an OPML or newsboat urls file",
                         description="Subscribe to every feed listed in an OPML file (folders and categories "
                                     "become tags) or a newsboat urls file (its tags and ~titles are kept). "
                                     "Nothing is fetched until 'mali-reader refresh'.")
    q.add_argument("file", help="the OPML file or urls file")
    q.add_argument("--tag", action="append", default=[], metavar="T", help="also tag every feed (repeatable)")
    q.add_argument("--json", action="store_true", help="one JSON object per feed, then a summary object")
    q.set_defaults(handler=cmd_feeds_import)

    p = sub.add_parser("refresh", parents=[common], help="fetch new items of every subscribed feed",
                       description="Fetch every subscribed feed and import the items not seen before.")
    p.add_argument("--json", action="store_true", help="one JSON object per item, then a summary object")
    p.set_defaults(handler=cmd_refresh)


class ProgressPrinter:
    """Streams results to `out` and, when `err` is a terminal, keeps a one-line bar on it."""

    def __init__(self, *, as_json: bool, out=None, err=None, bar: bool | None = None):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.as_json = as_json
        self.bar = self.err.isatty() if bar is None else bar
        self.drawn = False

    def __call__(self, event) -> None:
        if event.item is not None:
            self._clear()
            if self.as_json:
                self.out.write(json.dumps(event.item.as_dict(), ensure_ascii=False) + "\n")
            else:
                self.out.write(event.item.line() + "\n")
            self.out.flush()
        if self.bar and event.total:
            self._draw(event.done, event.total, event.label)

    def _draw(self, done: int, total: int, label: str) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        cells = 24
        filled = min(cells, cells * done // max(total, 1))
        text = f"[{'#' * filled}{'-' * (cells - filled)}] {done}/{total} "
        label = sanitize_line(label)
        room = max(0, width - len(text) - 1)
        if len(label) > room:
            label = "…" + label[-(room - 1):] if room > 1 else ""
        self.err.write("\r" + text + label + " " * (room - len(label)))
        self.err.flush()
        self.drawn = True

    def _clear(self) -> None:
        if self.drawn:
            width = shutil.get_terminal_size((80, 24)).columns
            self.err.write("\r" + " " * (width - 1) + "\r")
            self.err.flush()
            self.drawn = False

    def finish(self, report) -> int:
        self._clear()
        if self.as_json:
            self.out.write(json.dumps(report.as_dict(), ensure_ascii=False) + "\n")
        else:
            skipped = report.skipped
            if skipped and len(report.items) > len(skipped):
                # reasons again, together, so they are not lost among the imported lines
                self.out.write(f"skipped {len(skipped)}:\n")
                for item in skipped:
                    self.out.write(f"  {sanitize_line(item.reason)}\n")
            prefix = f"refreshed {report.feeds_checked} feed(s): " if report.feeds_checked else ""
            self.out.write(prefix + report.summary() + "\n")
        self.out.flush()
        return 1 if report.skipped or report.cancelled else 0


def cmd_import(args) -> int:
    from reader.importers import import_sources

    store = open_store(args)
    printer = ProgressPrinter(as_json=args.json)
    try:
        if args.sources == ["-"]:  # `import -`: one article from standard input
            from reader.importers import MAX_DOCUMENT_BYTES, Progress, import_bytes

            data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
            report = import_bytes(store, data, tags=args.tag)
            for item in report.items:
                printer(Progress(1, 1, "", item))
        elif "-" in args.sources:
            raise CliError("'-' (standard input) must be the only source of an import")
        else:
            report = import_sources(store, args.sources, tags=args.tag, progress=printer)
    except KeyboardInterrupt:
        printer._clear()
        raise
    return printer.finish(report)


def cmd_refresh(args) -> int:
    from reader.importers import list_feeds, refresh_feeds

    store = open_store(args)
    if not list_feeds(store):
        raise CliError("no feeds to refresh; subscribe with 'mali-reader feeds add URL' or import an .opml file")
    printer = ProgressPrinter(as_json=args.json)
    try:
        report = refresh_feeds(store, progress=printer)
    except KeyboardInterrupt:
        printer._clear()
        raise
    return printer.finish(report)


def cmd_feeds_add(args) -> int:
    from reader.importers import SubscriptionError, add_feed, refresh_feeds
    from reader.importers.subscriptions import normalise_feed_url

    store = open_store(args)
    try:
        url = normalise_feed_url(args.url)
        new = add_feed(store, url, title=args.title, tags=args.tag)
    except SubscriptionError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps({"url": url, "subscribed": new}, ensure_ascii=False))
    else:
        print(f"{'subscribed to' if new else 'already subscribed to'} {url}")
    if not args.refresh:
        if new and not args.json:
            print("run 'mali-reader refresh' to fetch its articles")
        return 0
    printer = ProgressPrinter(as_json=args.json)
    return printer.finish(refresh_feeds(store, urls=[url], progress=printer))


def cmd_feeds_list(args) -> int:
    from reader.importers import list_feeds

    store = open_store(args)
    feeds = list_feeds(store)
    out = sys.stdout
    for f in feeds:
        if args.json:
            out.write(json.dumps({"url": f.url, "title": f.title, "site_url": f.site_url, "tags": list(f.tags),
                                  "folder": f.folder, "added_at": f.added_at, "checked_at": f.checked_at, "status": f.status,
                                  "items": f.items}, ensure_ascii=False) + "\n")
        else:
            checked = f.checked_at[:16].replace("T", " ") if f.checked_at else "never checked"
            status = f" - {f.status}" if f.status and f.status not in ("ok",) else ""
            out.write(sanitize_line(f"{f.url}\t{f.title or '-'}\t{f.items} items\t{checked}{status}") + "\n")
    if not feeds and not args.json:
        print("no feeds; subscribe with 'mali-reader feeds add URL'", file=sys.stderr)
    return 0


def cmd_feeds_remove(args) -> int:
    from reader.importers import remove_feed

    store = open_store(args)
    if not remove_feed(store, args.url):
        raise CliError(f"{args.url}: not subscribed (see 'mali-reader feeds list')")
    if args.json:
        print(json.dumps({"url": args.url, "unsubscribed": True}, ensure_ascii=False))
    else:
        print(f"unsubscribed from {args.url}; its articles stay in the library")
    return 0


def cmd_feeds_export(args) -> int:
    from pathlib import Path

    from reader.importers import list_feeds
    from reader.importers.opml import write_opml

    store = open_store(args)
    feeds = list_feeds(store)
    data = write_opml(feeds)
    if args.out:
        path = Path(args.out)
        tmp = path.with_name(path.name + ".part")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CliError(f"{path}: cannot write the OPML file ({exc.strerror or exc})") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    folders = {"/".join(parts[:i]) for f in feeds if f.folder for parts in [f.folder.split("/")]
               for i in range(1, len(parts) + 1)}  # every folder outline written, nested ones too
    summary = {"feeds": len(feeds), "folders": len(folders), "file": args.out or "-"}
    if args.json:
        print(json.dumps(summary), file=sys.stdout if args.out else sys.stderr)
    elif args.out:
        print(f"exported {len(feeds)} feeds to {args.out}", file=sys.stderr)
    if not feeds:
        print("mali-reader: no feeds to export; the OPML file lists none", file=sys.stderr)
    return 0


def cmd_feeds_import(args) -> int:
    from reader.importers import import_subscriptions

    store = open_store(args)
    printer = ProgressPrinter(as_json=args.json)
    return printer.finish(import_subscriptions(store, args.file, tags=args.tag, progress=printer))
