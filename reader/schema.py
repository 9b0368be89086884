"""The database schema as an ordered list of forward migrations.

`PRAGMA user_version` holds how many migrations a database has had. A database whose
version is higher than ``len(MIGRATIONS)`` was written by a newer mali-reader and is refused.
Until the first release, migration 1 may still be edited in place; after that, every change
is a new function appended to MIGRATIONS.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    (`executescript` would COMMIT first, breaking the all-or-nothing migration.)
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:60]!r}")


def _v1_articles(db: sqlite3.Connection) -> None:
    run_script(db, 
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT NOT NULL DEFAULT '',
            place TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            author TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            body TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            hash TEXT NOT NULL,
            words INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'import',
            unread INTEGER NOT NULL DEFAULT 1,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX articles_date ON articles(date);
        CREATE INDEX articles_hash ON articles(hash);
        CREATE INDEX articles_url ON articles(url);
        CREATE TABLE reading_positions (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            offset INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )
    _v1_notes(db)
    _v1_feeds(db)


def _v1_notes(db: sqlite3.Connection) -> None:
    """Notes, their tag/entity join tables, and the FTS5 indexes (notes and article bodies).

    The FTS tables and triggers are written exactly as sqlite-utils' ``enable_fts(...,
    create_triggers=True)`` writes them (``content=[table]``), so sqlite-utils and Datasette
    detect them; sqlite-utils itself cannot be called here because it would COMMIT midway.
    ``notes.seq`` is an INTEGER PRIMARY KEY because VACUUM may renumber implicit rowids,
    which would silently detach an external-content index. Deleting an article does not
    delete its notes: they become orphans (never lost). Tags and entities are JSON lists in
    the row (readable in Datasette) mirrored by triggers into indexed join tables for filters.
    Prefix indexes (2-4 characters) keep as-you-type prefix queries from merging thousands
    of terms. Both indexes fold accents (remove_diacritics 2): "segou" finds "Ségou".
    """
    run_script(db,
        """
        CREATE TABLE notes (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            article_id TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            quote TEXT NOT NULL DEFAULT '',
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            start INTEGER,
            "end" INTEGER,
            article_hash TEXT NOT NULL DEFAULT '',
            entity_id TEXT,
            entities TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'anchored' CHECK (status IN ('anchored', 'orphaned')),
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            article_title TEXT NOT NULL DEFAULT '',
            entity_names TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX notes_article ON notes(article_id, start);
        CREATE INDEX notes_created ON notes(created);
        CREATE INDEX notes_updated ON notes(updated);
        CREATE INDEX notes_status ON notes(status) WHERE status = 'orphaned';
        CREATE TABLE note_tags (
            note_seq INTEGER NOT NULL REFERENCES notes(seq) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (tag, note_seq)
        ) WITHOUT ROWID;
        CREATE INDEX note_tags_note ON note_tags(note_seq);
        CREATE TABLE note_entities (
            note_seq INTEGER NOT NULL REFERENCES notes(seq) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, note_seq)
        ) WITHOUT ROWID;
        CREATE INDEX note_entities_note ON note_entities(note_seq);
        CREATE TRIGGER notes_tags_ai AFTER INSERT ON notes BEGIN
          INSERT OR IGNORE INTO note_tags (note_seq, tag) SELECT new.seq, value FROM json_each(new.tags);
          INSERT OR IGNORE INTO note_entities (note_seq, entity_id)
            SELECT new.seq, value FROM json_each(new.entities)
            UNION SELECT new.seq, new.entity_id WHERE coalesce(new.entity_id, '') != '';
        END;
        CREATE TRIGGER notes_tags_au AFTER UPDATE OF tags, entities, entity_id ON notes BEGIN
          DELETE FROM note_tags WHERE note_seq = old.seq;
          DELETE FROM note_entities WHERE note_seq = old.seq;
          INSERT OR IGNORE INTO note_tags (note_seq, tag) SELECT new.seq, value FROM json_each(new.tags);
          INSERT OR IGNORE INTO note_entities (note_seq, entity_id)
            SELECT new.seq, value FROM json_each(new.entities)
            UNION SELECT new.seq, new.entity_id WHERE coalesce(new.entity_id, '') != '';
        END;
        CREATE TRIGGER notes_article_title AFTER UPDATE OF title ON articles BEGIN
          UPDATE notes SET article_title = new.title WHERE article_id = new.id;
        END;
        CREATE TRIGGER notes_article_deleted AFTER DELETE ON articles BEGIN
          UPDATE notes SET status = 'orphaned' WHERE article_id = old.id;
        END;
        CREATE VIRTUAL TABLE [notes_fts] USING FTS5 (
            [body], [quote], [tags], [article_title], [entity_names],
            tokenize='unicode61 remove_diacritics 2', prefix='2 3 4',
            content=[notes]
        );
        CREATE TRIGGER [notes_ai] AFTER INSERT ON [notes] BEGIN
          INSERT INTO [notes_fts] (rowid, [body], [quote], [tags], [article_title], [entity_names])
            VALUES (new.rowid, new.[body], new.[quote], new.[tags], new.[article_title], new.[entity_names]);
        END;
        CREATE TRIGGER [notes_ad] AFTER DELETE ON [notes] BEGIN
          INSERT INTO [notes_fts] ([notes_fts], rowid, [body], [quote], [tags], [article_title], [entity_names])
            VALUES('delete', old.rowid, old.[body], old.[quote], old.[tags], old.[article_title], old.[entity_names]);
        END;
        CREATE TRIGGER [notes_au] AFTER UPDATE ON [notes] BEGIN
          INSERT INTO [notes_fts] ([notes_fts], rowid, [body], [quote], [tags], [article_title], [entity_names])
            VALUES('delete', old.rowid, old.[body], old.[quote], old.[tags], old.[article_title], old.[entity_names]);
          INSERT INTO [notes_fts] (rowid, [body], [quote], [tags], [article_title], [entity_names])
            VALUES (new.rowid, new.[body], new.[quote], new.[tags], new.[article_title], new.[entity_names]);
        END;
        CREATE VIRTUAL TABLE [articles_fts] USING FTS5 (
            [title], [body],
            tokenize='unicode61 remove_diacritics 2', prefix='2 3 4',
            content=[articles]
        );
        CREATE TRIGGER [articles_ai] AFTER INSERT ON [articles] BEGIN
          INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]);
        END;
        CREATE TRIGGER [articles_ad] AFTER DELETE ON [articles] BEGIN
          INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
            VALUES('delete', old.rowid, old.[title], old.[body]);
        END;
        CREATE TRIGGER [articles_au] AFTER UPDATE OF [title], [body] ON [articles] BEGIN
          INSERT INTO [articles_fts] ([articles_fts], rowid, [title], [body])
            VALUES('delete', old.rowid, old.[title], old.[body]);
          INSERT INTO [articles_fts] (rowid, [title], [body]) VALUES (new.rowid, new.[title], new.[body]);
        END;
        """
    )


def _v1_entities(db: sqlite3.Connection) -> None:
    """Cached mentions per article, the entity → article index ("Also in"), and what the
    reader taught the gazetteer (rejections, aliases, new entries, ambiguity choices)."""
    run_script(db, """
        CREATE TABLE mention_cache (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            article_hash TEXT NOT NULL,
            gazetteer_key TEXT NOT NULL,
            mentions TEXT NOT NULL,
            computed_at TEXT NOT NULL
        );
        CREATE TABLE article_entities (
            entity_id TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            mentions INTEGER NOT NULL,
            first_offset INTEGER NOT NULL,
            PRIMARY KEY (entity_id, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX article_entities_article ON article_entities(article_id);
        CREATE TABLE learned (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('reject', 'alias', 'entry', 'choice')),
            entity_id TEXT NOT NULL,
            surface TEXT NOT NULL DEFAULT '',
            context TEXT NOT NULL DEFAULT '',
            article_id TEXT NOT NULL DEFAULT '',
            start INTEGER,
            data TEXT NOT NULL DEFAULT '{}',
            created TEXT NOT NULL
        );
        CREATE INDEX learned_kind ON learned(kind);
    """)


def _v1(db: sqlite3.Connection) -> None:
    _v1_articles(db)
    _v1_entities(db)


def _v1_feeds(db: sqlite3.Connection) -> None:
    """Feed subscriptions and the items already seen in each, so a refresh adds only new ones.

    ``feed_items.article_id`` has no foreign key on purpose: deleting an article must not make
    the next refresh bring it back, so the seen-item row outlives the article.
    """
    run_script(db,
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            site_url TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            added_at TEXT NOT NULL,
            checked_at TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE feed_items (
            feed_url TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
            item_key TEXT NOT NULL,
            article_id TEXT NOT NULL DEFAULT '',
            seen_at TEXT NOT NULL,
            PRIMARY KEY (feed_url, item_key)
        ) WITHOUT ROWID;
        """
    )


def _v2_versions(db: sqlite3.Connection) -> None:
    """Every distinct text an article has had, and where each note was made and now sits.

    ``article_versions.body`` is NULL for an article's current text (it lives in
    ``articles.body``; storing it twice would double the library), and the trigger on
    article deletion moves the current text into its version row, so the version an orphan
    was written on outlives the article. No foreign key: versions must outlive deletion.
    Notes gain the version and passage they were made on (``origin_*``, never changed
    afterwards) and ``review_quote``: the quote before an uncertain (fuzzy) move, kept
    until the reader accepts the new passage; '' means nothing to review.
    """
    run_script(db, """
        CREATE TABLE article_versions (
            seq INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            body TEXT,
            title TEXT NOT NULL DEFAULT '',
            words INTEGER NOT NULL DEFAULT 0,
            produced_by TEXT NOT NULL DEFAULT 'import',
            source TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            UNIQUE (article_id, hash)
        );
        CREATE INDEX article_versions_article ON article_versions(article_id, created);
        INSERT INTO article_versions (article_id, hash, body, title, words, produced_by, source, created)
            SELECT id, hash, NULL, title, words, origin, coalesce(nullif(url, ''), path), updated_at FROM articles;
        CREATE TRIGGER article_versions_keep AFTER DELETE ON articles BEGIN
          UPDATE article_versions SET body = old.body WHERE article_id = old.id AND body IS NULL;
        END;
        ALTER TABLE notes ADD COLUMN origin_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE notes ADD COLUMN origin_quote TEXT NOT NULL DEFAULT '';
        ALTER TABLE notes ADD COLUMN origin_start INTEGER;
        ALTER TABLE notes ADD COLUMN origin_end INTEGER;
        ALTER TABLE notes ADD COLUMN review_quote TEXT NOT NULL DEFAULT '';
        UPDATE notes SET origin_hash = article_hash, origin_quote = quote, origin_start = start, origin_end = "end";
        CREATE INDEX notes_review ON notes(article_id) WHERE review_quote != '';
        CREATE INDEX articles_path ON articles(path);
    """)


def _v3_language_ner(db: sqlite3.Connection) -> None:
    """The language each article is written in, and the NER spans found in it (issue 17).

    ``articles.language`` is '' until detected ('en', 'fr'; 'unknown' when it cannot be
    told); a trigger empties it when the text changes, so it is detected again. ``ner_cache``
    keeps the statistical model's raw spans per article, keyed like ``mention_cache`` by the
    text's hash plus the model versions; candidates are merged from them and the cached
    mentions on demand, so a gazetteer change never re-runs the model.
    """
    run_script(db, """
        ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT '';
        CREATE TRIGGER articles_language_reset AFTER UPDATE OF body ON articles
          WHEN old.body IS NOT new.body BEGIN
          UPDATE articles SET language = '' WHERE id = new.id;
        END;
        CREATE TABLE ner_cache (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            article_hash TEXT NOT NULL,
            model_key TEXT NOT NULL,
            language TEXT NOT NULL,
            spans TEXT NOT NULL,
            created TEXT NOT NULL
        );
    """)


def _v4_article_links_and_views(db: sqlite3.Connection) -> None:
    """Foreign keys from notes and versions to their article, and views for Datasette users.

    ``notes.article_id`` and ``article_versions.article_id`` stay what they are: the article a
    note or version belongs to, kept after the article is deleted (an orphan must still find
    the text it was written on, and re-importing the article re-attaches it). A foreign key
    on them would either block deleting an article or erase that id, so each table gains
    ``article``: the same id while the article is in the library, set NULL by the foreign key
    (``ON DELETE SET NULL``) when it goes, and set again by a trigger when an article with
    that id comes back. Datasette follows it as a link to the article.

    Added with ``ALTER TABLE ... ADD COLUMN ... REFERENCES`` rather than sqlite-utils'
    ``transform``: the table keeps its rows, rowids and triggers in place instead of being
    copied (transform drops a table's triggers with it), and the migration stays one
    transaction. The backfill skips the full-text trigger (``article`` is not indexed), so
    upgrading 100,000 notes does not re-index them. The views are plain SQL: sqlite-utils'
    ``create_view`` adds nothing here, and importing sqlite-utils (which loads numpy when it
    is installed) made creating a new database 0.8-1.2 s slower, before the first frame.
    """
    run_script(db, """
        ALTER TABLE notes ADD COLUMN article TEXT REFERENCES articles(id) ON DELETE SET NULL;
        ALTER TABLE article_versions ADD COLUMN article TEXT REFERENCES articles(id) ON DELETE SET NULL;
        CREATE INDEX notes_article_link ON notes(article);
        CREATE INDEX article_versions_article_link ON article_versions(article);
        CREATE TRIGGER articles_relink AFTER INSERT ON articles BEGIN
          UPDATE notes SET article = new.id WHERE article_id = new.id AND article IS NULL;
          UPDATE article_versions SET article = new.id WHERE article_id = new.id AND article IS NULL;
        END;
    """)
    fts_trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'notes_au'").fetchone()
    if fts_trigger:
        db.execute("DROP TRIGGER notes_au")
    db.execute("UPDATE notes SET article = article_id WHERE article_id IN (SELECT id FROM articles)")
    if fts_trigger:
        db.execute(fts_trigger[0])
    db.execute("UPDATE article_versions SET article = article_id WHERE article_id IN (SELECT id FROM articles)")
    run_script(db, """
        CREATE VIEW notes_with_articles AS
        SELECT n.id AS note_id, n.body AS note, n.quote, n.tags, n.status, n.created, n.updated,
               n.article_id, coalesce(a.title, n.article_title) AS article_title, a.date AS article_date,
               a.url AS article_url, a.source AS article_source, n.article IS NOT NULL AS in_library
        FROM notes n LEFT JOIN articles a ON a.id = n.article;
        CREATE VIEW mentions_per_entity AS
        SELECT e.entity_id, u.name, u.type, count(*) AS articles, sum(e.mentions) AS mentions,
               (SELECT count(*) FROM note_entities ne WHERE ne.entity_id = e.entity_id) AS notes
        FROM article_entities e
        LEFT JOIN (SELECT entity_id, json_extract(data, '$.name') AS name, json_extract(data, '$.type') AS type
                   FROM learned WHERE kind = 'entry' GROUP BY entity_id) u ON u.entity_id = e.entity_id
        GROUP BY e.entity_id;
    """)


def _v5_article_spans(db: sqlite3.Connection) -> None:
    """The structure of an article's text beside it (issue 11): headings, emphasis, lists,
    quotes and links as a JSON list of ``[start, end, kind, value]`` ranges of ``body``
    (`reader.structure`). The body itself is untouched, so notes and versions are too;
    articles stored before this migration have no spans until they are imported again."""
    run_script(db, """
        ALTER TABLE articles ADD COLUMN spans TEXT NOT NULL DEFAULT '[]';
    """)


def _v6_feed_folders(db: sqlite3.Connection) -> None:
    """Where each subscription sits in the user's folders (issue 15): the nested OPML outlines
    it was imported under, as a path ("Sahel/Mali"; '' at the top level), so that `feeds
    export` writes the same tree back. The folder names are also kept as the feed's tags
    (``feeds.tags``), which tag its articles; the path keeps their nesting.
    """
    run_script(db, """
        ALTER TABLE feeds ADD COLUMN folder TEXT NOT NULL DEFAULT '';
    """)


def _v7_library_list(db: sqlite3.Connection) -> None:
    """What the library list needs, precomputed and indexed, so it reads a page, not the table.

    ``articles.filter_key`` is the folded (`reader.text.fold`) title, date, place, source and
    tags the list filter searches, and ``sort_key`` the list's order as one ascending string
    (`reader.listing.sort_key`), so "where is this row" and "the next unread after it" are
    index range scans; both are written on every upsert and backfilled here (the columns
    after ``body`` sit behind its overflow pages, so folding 100,000 titles per launch, or
    even reading ``unread`` from the table, cost seconds). ``articles_library`` covers the
    list's order, its filter and the unread flag, so a page, a count or a filtered scan never
    touches the table; ``library_fts`` (trigrams of ``filter_key``) finds the rows holding a
    word of three letters or more without scanning; ``articles_updated`` makes the change
    signature's max() a look-up.
    """
    from reader.listing import filter_key, sort_key

    db.execute("ALTER TABLE articles ADD COLUMN filter_key TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE articles ADD COLUMN sort_key TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT rowid, id, title, date, place, source, tags FROM articles").fetchall()
    db.executemany("UPDATE articles SET filter_key = ?, sort_key = ? WHERE rowid = ?",
                   [(filter_key(title, date, place, source, tags), sort_key(date, title, article_id), rowid)
                    for rowid, article_id, title, date, place, source, tags in rows])
    run_script(db, """
        CREATE INDEX articles_library ON articles(sort_key, unread, filter_key, id);
        CREATE INDEX articles_updated ON articles(updated_at);
        CREATE VIRTUAL TABLE [library_fts] USING FTS5 (
            [filter_key], tokenize='trigram', content=[articles]
        );
        INSERT INTO library_fts (rowid, filter_key) SELECT rowid, filter_key FROM articles;
        CREATE TRIGGER [library_fts_ai] AFTER INSERT ON [articles] BEGIN
          INSERT INTO [library_fts] (rowid, [filter_key]) VALUES (new.rowid, new.[filter_key]);
        END;
        CREATE TRIGGER [library_fts_ad] AFTER DELETE ON [articles] BEGIN
          INSERT INTO [library_fts] ([library_fts], rowid, [filter_key]) VALUES ('delete', old.rowid, old.[filter_key]);
        END;
        CREATE TRIGGER [library_fts_au] AFTER UPDATE OF [filter_key] ON [articles] BEGIN
          INSERT INTO [library_fts] ([library_fts], rowid, [filter_key]) VALUES ('delete', old.rowid, old.[filter_key]);
          INSERT INTO [library_fts] (rowid, [filter_key]) VALUES (new.rowid, new.[filter_key]);
        END;
    """)


def _v8_compact_notes(db: sqlite3.Connection) -> None:
    """Smaller notes (issue 14: ~2.4 KB per note): the origin is stored only where it differs.

    ``origin_quote`` and ``origin_hash`` repeated ``quote`` and ``article_hash`` for every
    note that never moved (nearly all of them: ~160 bytes a note). Now '' stands for "the
    same as now" (for ``origin_quote`` only when ``origin_start`` is set, so an article-level
    origin stays ''); readers go through ``reader.notes.SELECT_COLUMNS``, which puts the
    value back, and ``notes_origin_keep`` copies the old value in before any UPDATE changes
    the current one, so the origin is never lost whichever code path moves a note.
    ``notes_updated`` indexed a column no query filters or sorts on. ``notes_au`` now fires
    only when an indexed column changes (a status or review change no longer rewrites the
    note's full-text entry). The space freed inside pages is reused by new notes; the file
    itself shrinks with ``mali-reader maintain`` (VACUUM).
    """
    run_script(db, """
        DROP INDEX IF EXISTS notes_updated;
        DROP TRIGGER IF EXISTS [notes_au];
        CREATE TRIGGER [notes_au] AFTER UPDATE OF [body], [quote], [tags], [article_title], [entity_names] ON [notes]
        BEGIN
          INSERT INTO [notes_fts] ([notes_fts], rowid, [body], [quote], [tags], [article_title], [entity_names])
            VALUES('delete', old.rowid, old.[body], old.[quote], old.[tags], old.[article_title], old.[entity_names]);
          INSERT INTO [notes_fts] (rowid, [body], [quote], [tags], [article_title], [entity_names])
            VALUES (new.rowid, new.[body], new.[quote], new.[tags], new.[article_title], new.[entity_names]);
        END;
        CREATE TRIGGER notes_origin_keep AFTER UPDATE OF quote, article_hash ON notes
          WHEN (new.origin_quote = '' AND new.origin_start IS NOT NULL AND old.quote IS NOT new.quote)
            OR (new.origin_hash = '' AND old.article_hash IS NOT new.article_hash) BEGIN
          UPDATE notes SET
            origin_quote = CASE WHEN new.origin_quote = '' AND new.origin_start IS NOT NULL
                                 AND old.quote IS NOT new.quote THEN old.quote ELSE new.origin_quote END,
            origin_hash = CASE WHEN new.origin_hash = '' AND old.article_hash IS NOT new.article_hash
                                THEN old.article_hash ELSE new.origin_hash END
          WHERE seq = new.seq;
        END;
        UPDATE notes SET origin_quote = '' WHERE origin_start IS NOT NULL AND quote != '' AND origin_quote = quote;
        UPDATE notes SET origin_hash = '' WHERE origin_hash != '' AND origin_hash = article_hash;
    """)


def _v9_structure_pending(db: sqlite3.Connection) -> None:
    """Which articles may still get their structure from their source file (issue 11).

    Articles stored before v5, and HTML pages imported before HTML had spans, hold ``'[]'``
    in ``spans`` although their file would give headings and emphasis. ``structure_pending``
    lists every article with a source file; `reader.importers.restructure` reads the file
    once (on first open), keeps the spans only when the file still gives exactly the stored
    body, and removes the article from the list either way (at once when it already has
    spans); an import computes the spans itself and removes it too. A table of its own, so
    the migration reads ids and the ``articles_path`` index, never the rows' bodies (marking
    a column of 50,000 rows rewrote every row and took a minute).
    """
    run_script(db, """
        CREATE TABLE structure_pending (article_id TEXT PRIMARY KEY) WITHOUT ROWID;
        INSERT INTO structure_pending (article_id) SELECT id FROM articles WHERE path > '';
    """)


def _v10_note_vocabulary(db: sqlite3.Connection) -> None:
    """Every word the notes' full-text index holds, so a long prefix is searched as the words
    it begins (issue 14).

    ``notes_fts`` has prefix indexes for 2-4 letters; "babag"* beyond them makes FTS5 merge
    the posting lists of every word it begins before returning a row (~50-80 ms on a
    million notes for a common word), while the same words as ``"babage" OR "babagela"``
    are read lazily and stop at the page (about a millisecond). ``notes_vocab`` lists the
    words, as FTS5 tokenized them: the triggers hand each new or changed note to
    ``notes_tok`` (an always-empty contentless FTS5 table with the same tokenizer), read its
    words back through ``notes_tok_vocab`` and empty it, so any writer (the app, the
    import, sqlite-utils) keeps the list complete without Python. Words of deleted notes
    stay listed (a superset is harmless: they match nothing). Filled here from the index.
    """
    run_script(db, """
        CREATE TABLE notes_vocab (term TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE VIRTUAL TABLE notes_tok USING fts5 (
            body, quote, tags, article_title, entity_names,
            tokenize='unicode61 remove_diacritics 2', content='', detail=none, columnsize=0
        );
        CREATE VIRTUAL TABLE notes_tok_vocab USING fts5vocab(notes_tok, row);
        CREATE VIRTUAL TABLE notes_fts_vocab_once USING fts5vocab(notes_fts, row);
        INSERT OR IGNORE INTO notes_vocab (term) SELECT term FROM notes_fts_vocab_once;
        DROP TABLE notes_fts_vocab_once;
        CREATE TRIGGER notes_vocab_ai AFTER INSERT ON notes BEGIN
          INSERT INTO notes_tok (rowid, body, quote, tags, article_title, entity_names)
            VALUES (new.seq, new.body, new.quote, new.tags, new.article_title, new.entity_names);
          INSERT OR IGNORE INTO notes_vocab (term) SELECT term FROM notes_tok_vocab;
          INSERT INTO notes_tok (notes_tok) VALUES ('delete-all');
        END;
        CREATE TRIGGER notes_vocab_au AFTER UPDATE OF body, quote, tags, article_title, entity_names ON notes BEGIN
          INSERT INTO notes_tok (rowid, body, quote, tags, article_title, entity_names)
            VALUES (new.seq, new.body, new.quote, new.tags, new.article_title, new.entity_names);
          INSERT OR IGNORE INTO notes_vocab (term) SELECT term FROM notes_tok_vocab;
          INSERT INTO notes_tok (notes_tok) VALUES ('delete-all');
        END;
    """)


def _v11_deferred_fts_merges(db: sqlite3.Connection) -> None:
    """Article bodies and library filter keys are indexed at import without merging old segments.

    With FTS5's default ``automerge=4`` every imported article paid for merging the index
    segments already there, a cost that grows with the library (log4 of it): 500 files took
    2.5x as long to import into 100,000 articles as into 1,000, the extra time all in
    ``articles_fts`` and ``library_fts``. With ``automerge=0`` only FTS5's crisis merge (16
    segments on a level) runs during writes; the rest is left to `reader.maintenance.tidy`,
    which the app runs in bounded steps while the user is idle, and to ``mali-reader
    maintain``. ``notes_fts`` keeps the default: notes arrive one at a time."""
    for table in ("articles_fts", "library_fts"):
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")


def _v12_note_updated_once(db: sqlite3.Connection) -> None:
    """A note never edited stores its ``updated`` time once (issue 14: <= 1.2 KB a note).

    ``updated`` repeated ``created`` (29 bytes of ISO text) in every note that was never
    edited, most of them. Now '' stands for "the same as ``created``"; readers go through
    ``reader.notes.UPDATED_SQL`` (inside ``SELECT_COLUMNS``, the exports, and the
    ``notes_with_articles`` view, re-created here to show the value), which puts it back, and
    ``notes_updated_keep`` writes the old time in before anything changes ``created``, so the
    value a reader sees never moves. No trigger fires on ``updated`` (it is not indexed), so
    the backfill rewrites rows without touching the search indexes; as in v8, the space freed
    inside pages is reused by new notes and the file shrinks with ``mali-reader maintain``.
    """
    run_script(db, """
        CREATE TRIGGER notes_updated_keep AFTER UPDATE OF created ON notes
          WHEN new.updated = '' AND old.created IS NOT new.created BEGIN
          UPDATE notes SET updated = old.created WHERE seq = new.seq;
        END;
        DROP VIEW IF EXISTS notes_with_articles;
        CREATE VIEW notes_with_articles AS
        SELECT n.id AS note_id, n.body AS note, n.quote, n.tags, n.status, n.created,
               coalesce(nullif(n.updated, ''), n.created) AS updated,
               n.article_id, coalesce(a.title, n.article_title) AS article_title, a.date AS article_date,
               a.url AS article_url, a.source AS article_source, n.article IS NOT NULL AS in_library
        FROM notes n LEFT JOIN articles a ON a.id = n.article;
        UPDATE notes SET updated = '' WHERE updated = created;
    """)


def _v13_notes_words(db: sqlite3.Connection) -> None:
    """Words and prefixes in an index without positions; positions only where phrases need
    them (issue 14: <= 1.2 KB a note).

    With ``detail=full`` each of ``notes_fts``' three prefix indexes (2, 3 and 4 letters) held
    a position list per word occurrence, as large as the index itself: 358 of the ~550 bytes
    the notes' full text took per note. ``notes_words`` indexes the same columns with the
    same tokenizer and those prefix indexes, but ``detail=none`` (which notes hold each word,
    not where) and no per-note sizes: ~114 bytes. ``notes_fts`` loses its prefix indexes
    (~187 bytes) and keeps positions and sizes for what needs them: phrases of several
    words, ``bm25()`` and the ranking's document lengths. `reader.search._match` sends
    words, prefixes and exclusions to ``notes_words`` and phrases to ``notes_fts``.

    ``notes_words`` is an external-content table over ``notes`` (``content='notes'`` in
    quotes, so sqlite-utils and Datasette still find ``notes_fts`` as the notes' index) kept
    by triggers like ``notes_fts``'; both are filled here from the notes' own columns.
    """
    run_script(db, """
        DROP TABLE notes_fts;
        CREATE VIRTUAL TABLE [notes_fts] USING FTS5 (
            [body], [quote], [tags], [article_title], [entity_names],
            tokenize='unicode61 remove_diacritics 2',
            content=[notes]
        );
        INSERT INTO notes_fts (notes_fts) VALUES ('rebuild');
        CREATE VIRTUAL TABLE notes_words USING fts5 (
            body, quote, tags, article_title, entity_names,
            tokenize='unicode61 remove_diacritics 2', prefix='2 3 4', detail=none, columnsize=0,
            content='notes'
        );
        INSERT INTO notes_words (notes_words) VALUES ('rebuild');
        CREATE TRIGGER notes_words_ai AFTER INSERT ON notes BEGIN
          INSERT INTO notes_words (rowid, body, quote, tags, article_title, entity_names)
            VALUES (new.rowid, new.body, new.quote, new.tags, new.article_title, new.entity_names);
        END;
        CREATE TRIGGER notes_words_ad AFTER DELETE ON notes BEGIN
          INSERT INTO notes_words (notes_words, rowid, body, quote, tags, article_title, entity_names)
            VALUES ('delete', old.rowid, old.body, old.quote, old.tags, old.article_title, old.entity_names);
        END;
        CREATE TRIGGER notes_words_au AFTER UPDATE OF body, quote, tags, article_title, entity_names ON notes BEGIN
          INSERT INTO notes_words (notes_words, rowid, body, quote, tags, article_title, entity_names)
            VALUES ('delete', old.rowid, old.body, old.quote, old.tags, old.article_title, old.entity_names);
          INSERT INTO notes_words (rowid, body, quote, tags, article_title, entity_names)
            VALUES (new.rowid, new.body, new.quote, new.tags, new.article_title, new.entity_names);
        END;
    """)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1,
    _v2_versions,
    _v3_language_ner,
    _v4_article_links_and_views,
    _v5_article_spans,
    _v6_feed_folders,
    _v7_library_list,
    _v8_compact_notes,
    _v9_structure_pending,
    _v10_note_vocabulary,
    _v11_deferred_fts_merges,
    _v12_note_updated_once,
    _v13_notes_words,
]

SCHEMA_VERSION = len(MIGRATIONS)
