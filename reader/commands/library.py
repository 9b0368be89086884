"""Verbs over the article library: `articles` (list) and `show` (print one, or one from stdin)."""

from __future__ import annotations

import json
import sys

from reader.commands.common import CliError, open_store


def register(sub, common) -> None:
    p = sub.add_parser("articles", parents=[common], help="list the library (newest first)",
                       description="List the articles in the library, newest first.")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(handler=cmd_articles)

    p = sub.add_parser("show", parents=[common], help="print an article's text",
                       description="Print an article's stored text (plain when piped). With '-', read "
                                   "an article (text, Markdown with front matter, or an HTML page) from "
                                   "standard input and print it as an import would store it, without "
                                   "importing it.")
    p.add_argument("id", help="article id (see 'mali-reader articles'), or - for standard input")
    p.add_argument("--json", action="store_true",
                   help='one JSON object: {"id","title","date","place","source","author","summary",'
                        '"tags","url","path","words","body"}')
    p.set_defaults(handler=cmd_show)


def cmd_articles(args) -> int:
    store = open_store(args)
    rows = store.articles()
    out = sys.stdout
    if args.json:
        for a in rows:
            out.write(json.dumps({"id": a.id, "title": a.title, "date": a.date, "source": a.source,
                                  "place": a.place, "path": a.path, "url": a.url, "words": a.words,
                                  "tags": list(a.tags), "notes": a.notes}, ensure_ascii=False) + "\n")
        return 0
    for a in rows:
        out.write(f"{a.id}\t{a.date or '-'}\t{a.words}\t{a.title}\n")
    return 0


def cmd_show(args) -> int:
    if args.id == "-":
        article = _stdin_article()
    else:
        store = open_store(args)
        article = store.article(args.id)
        if article is None:
            raise CliError(f"no article with id {args.id!r} (see 'mali-reader articles')")
    out = sys.stdout
    if args.json:
        out.write(json.dumps({"id": article.id, "title": article.title, "date": article.date,
                              "place": article.place, "source": article.source, "author": article.author,
                              "summary": article.summary, "tags": list(article.tags), "url": article.url,
                              "path": article.path, "words": article.words, "body": article.body},
                             ensure_ascii=False) + "\n")
        return 0
    header = [article.title]
    meta = " · ".join(p for p in (article.date, article.place, article.source) if p)
    if meta:
        header.append(meta)
    if out.isatty():
        out.write("\n".join(header) + "\n\n")
    out.write(article.body + "\n")
    return 0


def _stdin_article():
    """`show -`: the article on standard input, parsed with the importer's caps and checks."""
    from reader.articles import ArticleError
    from reader.importers import MAX_DOCUMENT_BYTES, article_from_bytes
    from reader.text import slugify

    data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    try:
        article, note = article_from_bytes(data, name="<stdin>")
    except ArticleError as exc:
        raise CliError(" ".join(str(exc).split())) from None
    if note:
        print(f"mali-reader: <stdin>: {note}", file=sys.stderr)
    article.id = article.id or slugify(article.title)
    return article
