"""Datasette metadata for a mali-reader database: what each table and column holds, which
tables are internal, and how full-text search is set up.

`mali-reader datasette-metadata --out metadata.json` writes it; then
``datasette mali-reader.db -m metadata.json`` shows the library with descriptions, notes
linked to their articles, `_search` on notes and articles, and none of the caches. The
metadata is built from the database itself (through sqlite-utils), so tables or columns a
newer schema adds still appear, just without a description.
"""

from __future__ import annotations

from pathlib import Path

from reader.store import Store

TITLE = "mali-reader library"
DESCRIPTION = ("Articles, notes and entity mentions kept by mali-reader, a terminal reader for "
               "Sahel conflict reporting. Searches use SQLite full-text syntax (word*, \"a phrase\", OR).")

# Bookkeeping only the app needs: caches, reading state, corrections to the gazetteer, and
# join tables that mirror the JSON lists in notes.tags / notes.entities for fast filters.
INTERNAL_TABLES = ("mention_cache", "ner_cache", "learned", "settings", "reading_positions",
                   "note_tags", "note_entities", "feed_items")

TABLES: dict[str, dict] = {
    "articles": {
        "description": "One row per article in the library; the text is the current version.",
        "label_column": "title",
        "sort_desc": "date",
        "columns": {
            "id": "Article id (a slug of the title, or the file name)",
            "title": "Headline",
            "date": "Publication date as given by the source (YYYY-MM-DD when known)",
            "place": "Where the reported events happened, as the source names it",
            "source": "Publisher or outlet",
            "summary": "Short summary from the source's front matter or feed",
            "author": "Byline",
            "tags": "JSON list of tags given at import",
            "body": "Current text of the article",
            "path": "File it was imported from ('' if none)",
            "url": "Page or feed item URL ('' if none)",
            "hash": "Content hash of the current text",
            "words": "Word count of the current text",
            "origin": "How it arrived: sample, file, url, feed or import",
            "unread": "1 until the article is opened in the reader",
            "added_at": "When it was first imported (UTC)",
            "updated_at": "When its text or metadata last changed (UTC)",
            "language": "Detected language (en, fr, unknown; '' until detected)",
        },
    },
    "notes": {
        "description": ("Notes on passages or whole articles. A note whose passage or article is gone is "
                        "'orphaned' and keeps its quote; it is never deleted implicitly."),
        "label_column": "body",
        "sort_desc": "created",
        "columns": {
            "seq": "Row number (the full-text index key)",
            "id": "Note id (a UUID, kept across export and import)",
            "article_id": "The article the note belongs to, kept even after that article is deleted",
            "article": "Link to the article while it is in the library (NULL once it is deleted)",
            "body": "The note text",
            "tags": "JSON list of tags",
            "quote": "The passage the note is on ('' for a note on the whole article)",
            "prefix": "Text just before the quote (to find it again after edits)",
            "suffix": "Text just after the quote",
            "start": "Character offset of the quote in the article's current text",
            "end": "Character offset just past the quote",
            "article_hash": "Content hash of the text the note is anchored to",
            "entity_id": "Gazetteer entry the note is explicitly linked to",
            "entities": "JSON list of gazetteer entries mentioned in the quoted passage",
            "status": "anchored, or orphaned when its passage could not be found again",
            "created": "When the note was written (UTC)",
            "updated": "When it was last edited (UTC)",
            "article_title": "Title of the article (kept for orphans; indexed for search)",
            "entity_names": "Names of the linked entities (indexed, so a search by any spelling finds it)",
            "origin_hash": "Content hash of the version the note was written on",
            "origin_quote": "The passage as first quoted",
            "origin_start": "Where that passage started in that version",
            "origin_end": "Where it ended",
            "review_quote": "The quote before an uncertain move, until the reader accepts it ('' if none)",
        },
    },
    "article_versions": {
        "description": "Every distinct text an article has had; the current one has body NULL (see articles.body).",
        "columns": {
            "seq": "Row number",
            "article_id": "The article this is a version of (kept after the article is deleted)",
            "article": "Link to the article while it is in the library",
            "hash": "Content hash of this text",
            "body": "The text, or NULL for the current version",
            "title": "Title at the time",
            "words": "Word count",
            "produced_by": "What produced it: sample, file, url, feed, import or note-import",
            "source": "The file path, page URL or feed URL it came from",
            "created": "When it was recorded (UTC)",
        },
    },
    "feeds": {
        "description": "Feed subscriptions (refreshed only when asked).",
        "label_column": "title",
        "columns": {
            "url": "Feed URL",
            "title": "Feed title",
            "site_url": "The site the feed belongs to",
            "tags": "JSON list of tags given to every article from this feed",
            "added_at": "When it was subscribed (UTC)",
            "checked_at": "Last refresh (UTC)",
            "status": "Outcome of the last refresh",
        },
    },
    "article_entities": {
        "description": "Which gazetteer entries each article mentions, and how often (from the mention cache).",
        "columns": {
            "entity_id": "Gazetteer entry id",
            "article_id": "Article that mentions it",
            "mentions": "Number of mentions in the article",
            "first_offset": "Character offset of the first mention",
        },
    },
    "notes_with_articles": {
        "description": "Each note with the title, date, URL and source of its article.",
        "columns": {
            "note_id": "Note id",
            "note": "The note text",
            "quote": "The passage it is on",
            "tags": "JSON list of tags",
            "status": "anchored or orphaned",
            "article_id": "The article it belongs to",
            "article_title": "Its title (kept after the article is deleted)",
            "article_date": "Its date (NULL once deleted)",
            "article_url": "Its URL (NULL once deleted)",
            "article_source": "Its source (NULL once deleted)",
            "in_library": "1 while the article is in the library",
        },
    },
    "mentions_per_entity": {
        "description": ("Articles and notes per gazetteer entry. Only entries added in the app have their name "
                        "and type here; the bundled entries are described in the gazetteer files."),
        "sort_desc": "articles",
        "columns": {
            "entity_id": "Gazetteer entry id",
            "name": "Name, for entries added in the app (NULL for bundled entries)",
            "type": "Type, for entries added in the app",
            "articles": "Articles that mention it",
            "mentions": "Mentions across those articles",
            "notes": "Notes whose passage mentions it or that are linked to it",
        },
    },
}

# Full-text search: raw mode so prefix queries (ségou*) and OR work as in SQLite.
SEARCH = {"notes": ("notes_fts", "seq"), "articles": ("articles_fts", "rowid")}


def database_name(path: Path | str) -> str:
    """The name Datasette gives the database file (its stem), which keys the metadata."""
    return Path(path).stem


def build_metadata(store: Store) -> dict:
    """The metadata for this store's database, as a JSON-ready dict."""
    db = store.db
    present = set(db.table_names()) | set(db.view_names())
    tables: dict[str, dict] = {}
    for name, spec in TABLES.items():
        if name not in present:
            continue
        columns = set(db[name].columns_dict)
        entry = {k: v for k, v in spec.items() if k != "columns"}
        entry["columns"] = {c: text for c, text in spec["columns"].items() if c in columns}
        if name in SEARCH:
            fts, pk = SEARCH[name]
            if db[name].detect_fts() == fts:
                entry.update(fts_table=fts, fts_pk=pk, searchmode="raw")
        tables[name] = entry
    fts_tables = [db[t].detect_fts() for t in db.table_names()] + ["notes_words"]  # its words (schema v13)
    for name in sorted(present):
        internal = name in INTERNAL_TABLES or any(name == f or name.startswith(f + "_") for f in fts_tables if f)
        if internal:
            tables[name] = {"hidden": True}
    return {"title": TITLE, "description": DESCRIPTION,
            "databases": {database_name(store.path): {"description": f"The mali-reader database {Path(store.path).name}.",
                                                      "tables": tables}}}
