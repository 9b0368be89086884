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


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_articles,
]

SCHEMA_VERSION = len(MIGRATIONS)
