"""The SQLite store: opening safely, migrations, articles and reading positions.

Everything the user builds up (notes, reading positions, gazetteer corrections) lives in one
SQLite file. Opening it must never destroy it: a file that is not a mali-reader database, or
one written by a newer version, raises `StoreError` with a one-line message and is left
untouched. Writes go through `transaction()` (BEGIN IMMEDIATE + busy timeout) so that two
running instances wait for each other instead of failing with "database is locked".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.listing import ArticleSummary, filter_key, sort_key  # noqa: F401 - ArticleSummary re-exported
from reader.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from reader.articles import Article

# reader.articles, reader.structure and reader.versions are imported where they are used:
# the app's first frame (open, count, one page) needs none of them
WAL_LIMIT_BYTES = 64 << 20
BUSY_TIMEOUT_MS = 10_000
PAGE_SIZE = 8192  # for new libraries (see Store.open)
APP_NAME = "mali-reader"


class StoreError(RuntimeError):
    """A database problem the user must act on; the message is one line and names the file."""


def default_db_path() -> Path:
    """`MALI_READER_DB` if set, else the config file's ``[paths] database``, else
    ``mali-reader.db`` in the platform's user data dir."""
    env = os.environ.get("MALI_READER_DB")
    if env:
        return Path(env).expanduser()
    from reader.config import current

    if current().database is not None:
        return current().database
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "mali-reader.db"


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def describe_sqlite_error(path: Path, exc: sqlite3.Error) -> str:
    msg = str(exc)
    if "not a database" in msg or "malformed" in msg or "file is encrypted" in msg:
        return (f"{path}: not a usable mali-reader database ({msg}); it was left untouched - "
                "move it aside or choose another file with --db")
    if "readonly" in msg or "read-only" in msg:
        return f"{path}: the database is read-only ({msg}); check its permissions or use --db"
    if "locked" in msg or "busy" in msg:
        return f"{path}: the database is busy in another program ({msg}); try again in a moment"
    if "disk" in msg and ("full" in msg or "I/O" in msg):
        return f"{path}: cannot write the database ({msg}); free some disk space"
    return f"{path}: database error: {msg}"


class Store:
    """One open database. Create with `Store.open(path)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._db = None
        self._tx_lock = threading.RLock()
        self._tx_depth = 0
        self.read_only = ""  # why the database was opened read-only ('' when writable)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, create: bool = True) -> "Store":
        path = Path(path) if path is not None else default_db_path()
        path = path.expanduser()
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if path.is_symlink() and not path.exists():
            raise StoreError(f"{path}: a symbolic link to {os.readlink(path)}, which does not exist; "
                             "refusing to create the database through it - give the real path with --db")
        new_file = not path.exists()
        if new_file:
            if not create:
                raise StoreError(f"{path}: no such database")
            try:
                _make_private_dirs(path.parent)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
                os.close(fd)
            except FileExistsError:
                pass
            except OSError as exc:
                raise StoreError(f"{path}: cannot create the database ({exc.strerror or exc})") from None
        else:
            _check_header(path)
        try:
            store = cls._connect(path)
        except (sqlite3.Error, StoreError) as exc:
            reason = _read_only_reason(path)
            if new_file or not reason:
                raise exc if isinstance(exc, StoreError) else StoreError(describe_sqlite_error(path, exc)) from None
            store = cls._connect(path, read_only=reason)
        return store

    @classmethod
    def _connect(cls, path: Path, read_only: str = "") -> "Store":
        """Open and prepare; read-only (no WAL set-up, no migration) when `read_only` says why.

        A WAL database in a directory we cannot write cannot even be read normally (SQLite
        must create the -shm file): then `mode=ro`, and failing that `immutable=1`.
        """
        attempts = [f"file:{_uri_path(path)}?mode=ro", f"file:{_uri_path(path)}?immutable=1"] if read_only else [None]
        last: Exception | None = None
        for uri in attempts:
            try:
                if uri is None:
                    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                           check_same_thread=False)
                else:
                    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                           check_same_thread=False)
            except sqlite3.Error as exc:
                last = exc
                continue
            store = cls(conn, path)
            store.read_only = read_only
            try:
                store._prepare()
                return store
            except (sqlite3.Error, StoreError) as exc:
                conn.close()
                last = exc
        if isinstance(last, StoreError):
            raise last
        raise StoreError(describe_sqlite_error(path, last)) from None

    def _prepare(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: written by a newer mali-reader (schema {version}, this version "
                f"knows {SCHEMA_VERSION}); upgrade mali-reader or use another --db")
        tables = c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables:
            raise StoreError(f"{self.path}: an SQLite file that is not a mali-reader database; "
                             "it was left untouched - choose another file with --db")
        if self.read_only:
            c.execute("SELECT count(*) FROM articles").fetchone()  # prove it can be read
            if version < SCHEMA_VERSION:
                raise StoreError(f"{self.path}: needs an upgrade (schema {version} -> {SCHEMA_VERSION}) but is "
                                 f"read-only ({self.read_only}); open it once where it can be written")
            return
        if version == 0 and not tables:
            # a new library: 8 KiB pages waste half as much of each page as 4 KiB ones beside
            # rows of ~600 bytes (notes: ~25 bytes a note, issue 14); set before the first table
            # and before WAL, after which the page size is fixed for the file's life
            c.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        try:
            mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError:
            mode = None  # read-only file system: reading still works
        if mode and mode.lower() != "wal":
            pass  # e.g. a network file system that refuses WAL; the rollback journal is safe too
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA synchronous = NORMAL")
        # a WAL grown by an import or a merge is cut back to this once it is checkpointed
        # (it is never shrunk otherwise, and a big one slows every reader's page lookups)
        c.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
        if version < SCHEMA_VERSION:
            self._migrate(version)

    # Called as on_upgrade(path, from_version, to_version) before an existing database is
    # upgraded: rebuilding the notes' search indexes takes ~45 s at a million notes, and the
    # command line says so instead of looking frozen (the core itself never prints).
    on_upgrade: "Callable[[Path, int, int], None] | None" = None

    def _migrate(self, version: int) -> None:
        if version > 0 and Store.on_upgrade is not None:
            Store.on_upgrade(self.path, version, SCHEMA_VERSION)
        with self.transaction() as c:
            current = c.execute("PRAGMA user_version").fetchone()[0]  # another instance may have won
            for index in range(current, SCHEMA_VERSION):
                MIGRATIONS[index](c)
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close; a connection that wrote lets SQLite refresh its statistics first (milliseconds)."""
        if self.conn.total_changes:
            from reader.maintenance import on_close

            on_close(self)
        self.conn.close()

    @property
    def db(self):
        """This store's connection as a `sqlite_utils.Database`, for schema introspection and
        bulk writes (sqlite-utils is imported on first use, never before the first frame).

        It is the same connection: inside `transaction()` its writes join the transaction (as
        savepoints). Plugins and ``PRAGMA recursive_triggers`` are left off: the connection's
        trigger behaviour must not change because a tool looked at the database.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._db

    @contextmanager
    def transaction(self, *, wait_ms: int | None = None) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front, so concurrent writers queue on the busy timeout.

        Re-entrant within a thread (an inner call joins the outer transaction as a savepoint:
        if it fails, only its own writes are undone); other threads
        sharing this connection (the app's workers) wait on a lock instead of interleaving.
        `wait_ms` shortens the wait for another program's lock, for bookkeeping writes made
        from the UI thread (a reading position is not worth a frozen screen).
        """
        # another thread of this app (a background writer) may hold the connection while it
        # waits for another program: a UI write with `wait_ms` gives up as quickly
        if not self._tx_lock.acquire(timeout=-1 if wait_ms is None else max(0.05, wait_ms / 1000)):
            raise StoreError(f"{self.path}: the database is busy (a background task of this app is writing); "
                             "try again in a moment")
        try:
            c = self.conn
            if self._tx_depth:
                # a savepoint, so an inner failure caught by the caller (one bad file of a
                # batched import) undoes only its own writes
                self._tx_depth += 1
                name = f"tx{self._tx_depth}"
                c.execute(f"SAVEPOINT {name}")
                try:
                    yield c
                except BaseException:
                    if c.in_transaction:
                        c.execute(f"ROLLBACK TO {name}")
                        c.execute(f"RELEASE {name}")
                    raise
                else:
                    c.execute(f"RELEASE {name}")
                finally:
                    self._tx_depth -= 1
                return
            if self.read_only:
                raise StoreError(f"{self.path}: opened read-only ({self.read_only}); nothing can be saved")
            try:
                if wait_ms is not None:
                    c.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
                try:
                    c.execute("BEGIN IMMEDIATE")
                finally:
                    if wait_ms is not None:
                        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            except sqlite3.Error as exc:
                raise StoreError(describe_sqlite_error(self.path, exc)) from None
            self._tx_depth = 1
            try:
                yield c
            except BaseException:
                self._tx_depth = 0
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise
            self._tx_depth = 0
            try:
                c.execute("COMMIT")
            except sqlite3.Error as exc:
                if c.in_transaction:
                    c.execute("ROLLBACK")
                raise StoreError(describe_sqlite_error(self.path, exc)) from None
        finally:
            self._tx_lock.release()

    # -- articles --------------------------------------------------------------------

    def upsert_article(self, article: Article, *, origin: str = "import", source: str = "") -> str:
        """Insert or update; returns "new", "updated" (text or metadata changed) or "unchanged".

        A changed text becomes a new version (`reader.versions`); the old one is kept. This
        does not touch notes: moving them onto the new text is the save layer's job
        (`reader.importers.save`), inside the same transaction.
        """
        from reader import versions
        from reader.structure import spans_to_json

        now = now_iso()
        row = dict(
            id=article.id, title=article.title, date=article.date, place=article.place,
            source=article.source, summary=article.summary, author=article.author,
            tags=json.dumps(article.tags, ensure_ascii=False), body=article.body,
            path=article.path, url=article.url, hash=article.hash, words=article.words,
            spans=spans_to_json(article.spans),
            filter_key=filter_key(article.title, article.date, article.place, article.source, article.tags),
            sort_key=sort_key(article.date, article.title, article.id),
        )
        where = source or article.url or article.path
        with self.transaction() as c:
            # the import computed the spans itself: nothing is left to fill from the file
            c.execute("DELETE FROM structure_pending WHERE article_id = ?", (article.id,))
            old = c.execute("SELECT * FROM articles WHERE id = ?", (article.id,)).fetchone()
            if old is None:
                c.execute(
                    "INSERT INTO articles (id, title, date, place, source, summary, author, tags, body,"
                    " path, url, hash, words, spans, filter_key, sort_key, origin, unread, added_at, updated_at)"
                    " VALUES (:id, :title, :date, :place, :source, :summary, :author, :tags, :body,"
                    " :path, :url, :hash, :words, :spans, :filter_key, :sort_key, :origin, :unread, :now, :now)",
                    {**row, "origin": origin, "unread": 0 if origin == "sample" else 1, "now": now},
                )
                versions.record(c, article.id, body=article.body, hash=article.hash, title=article.title,
                                produced_by=origin, source=where, now=now)
                return "new"
            cols = [d[0] for d in c.execute("SELECT * FROM articles LIMIT 0").description]
            old_row = dict(zip(cols, old))
            if all(old_row[k] == v for k, v in row.items()):
                return "unchanged"
            sets = ", ".join(f"{k} = :{k}" for k in row if k != "id")
            c.execute(f"UPDATE articles SET {sets}, updated_at = :now WHERE id = :id", {**row, "now": now})
            if old_row["hash"] != row["hash"]:
                versions.record(c, article.id, body=article.body, hash=article.hash, title=article.title,
                                produced_by=origin, source=where, now=now, previous_body=old_row["body"])
            return "updated"

    def structure_pending(self, article_id: str) -> bool:
        """Whether the article's spans may still come from its source file (schema v9)."""
        return self.conn.execute("SELECT 1 FROM structure_pending WHERE article_id = ?",
                                 (article_id,)).fetchone() is not None

    def pending_structure_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT article_id FROM structure_pending")]

    def mark_structure_pending(self, article_id: str) -> None:
        """Let the article's spans be filled from its source file again (as after the upgrade)."""
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO structure_pending (article_id) VALUES (?)", (article_id,))

    def set_structure(self, article_id: str, text_hash: str, spans, *, wait_ms: int | None = None) -> bool:
        """Store `spans` for the article if its text still has `text_hash`, and clear its
        pending mark; the text, its versions and its notes are untouched. False when the
        text changed meanwhile (no spans are written)."""
        with self.transaction(wait_ms=wait_ms) as c:
            c.execute("DELETE FROM structure_pending WHERE article_id = ?", (article_id,))
            if not spans:
                return True
            from reader.structure import spans_to_json

            cur = c.execute("UPDATE articles SET spans = ? WHERE id = ? AND hash = ?",
                            (spans_to_json(spans), article_id, text_hash))
            return cur.rowcount == 1

    def article_hash(self, article_id: str) -> str | None:
        r = self.conn.execute("SELECT hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return r[0] if r else None

    def article(self, article_id: str) -> Article | None:
        r = self.conn.execute(
            "SELECT id, title, body, date, place, source, summary, author, tags, path, url, spans"
            " FROM articles WHERE id = ?", (article_id,)).fetchone()
        if r is None:
            return None
        from reader.articles import Article
        from reader.structure import spans_from_json

        return Article(id=r[0], title=r[1], body=r[2], date=r[3], place=r[4], source=r[5],
                       summary=r[6], author=r[7], tags=json.loads(r[8]), path=r[9], url=r[10],
                       spans=spans_from_json(r[11]))

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles")]

    def find_article(self, *, hash: str = "", url: str = "", path: str = "") -> str | None:
        """Id of an article with this content hash, URL or path (for deduplication)."""
        for col, value in (("url", url), ("path", path), ("hash", hash)):
            if value:
                r = self.conn.execute(f"SELECT id FROM articles WHERE {col} = ? LIMIT 1", (value,)).fetchone()
                if r:
                    return r[0]
        return None

    def articles(self) -> list[ArticleSummary]:
        """All articles, newest first (undated ones last), with their note counts."""
        has_notes = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notes'").fetchone()
        notes_sql = ("(SELECT count(*) FROM notes n WHERE n.article_id = a.id)" if has_notes else "0")
        rows = self.conn.execute(
            f"SELECT id, title, date, place, source, words, unread, tags, {notes_sql},"
            " (SELECT count(*) FROM article_entities e WHERE e.article_id = a.id), path, url"
            " FROM articles a ORDER BY date = '', date DESC, title")
        return [ArticleSummary(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]),
                               tuple(json.loads(r[7])), r[8], r[9], r[10], r[11]) for r in rows]

    def library_signature(self) -> tuple:
        """Changes whenever the library list would look different (cheap to compute: index
        look-ups and counts, never a pass over the table or the 20-per-article entity rows).
        It starts with (articles, unread): the library screen's status line shows those."""
        a = self.conn.execute("SELECT count(*), total(unread) FROM articles INDEXED BY articles_library").fetchone()
        u = self.conn.execute("SELECT max(updated_at) FROM articles").fetchone()
        n = self.conn.execute("SELECT count(*), max(seq) FROM notes").fetchone()
        # mentions are written with INSERT OR REPLACE, so each indexing run raises max(rowid)
        e = self.conn.execute("SELECT count(*), max(rowid) FROM mention_cache").fetchone()
        return tuple(a) + tuple(u) + tuple(n) + tuple(e)

    def mark_read(self, article_id: str, *, wait_ms: int | None = None) -> None:
        with self.transaction(wait_ms=wait_ms) as c:
            c.execute("UPDATE articles SET unread = 0 WHERE id = ? AND unread = 1", (article_id,))

    def delete_article(self, article_id: str) -> bool:
        with self.transaction() as c:
            return c.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    def unique_article_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`… whichever is free."""
        candidate, n = base, 1
        while self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # -- reading positions and settings ---------------------------------------------

    def position(self, article_id: str) -> int:
        r = self.conn.execute("SELECT offset FROM reading_positions WHERE article_id = ?",
                              (article_id,)).fetchone()
        return r[0] if r else 0

    def set_position(self, article_id: str, offset: int, *, wait_ms: int | None = None) -> None:
        with self.transaction(wait_ms=wait_ms) as c:
            c.execute(
                "INSERT INTO reading_positions (article_id, offset, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET offset = excluded.offset,"
                " updated_at = excluded.updated_at", (article_id, int(offset), now_iso()))

    def setting(self, key: str, default: str | None = None) -> str | None:
        r = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return r[0] if r else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def _make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents 0700 whatever the umask (Path.mkdir gives
    parents the umask's mode: 0777 under umask 000)."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, 0o700)
        except FileExistsError:
            continue
        os.chmod(d, 0o700)


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def _read_only_reason(path: Path) -> str:
    """Why a database can only be read here ('' if it should be writable)."""
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"its folder {path.parent} is not writable"
    return ""


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that does not start with the SQLite header, before SQLite touches it."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database ({exc.strerror or exc})") from None
    if head and head != b"SQLite format 3\x00":
        raise StoreError(f"{path}: not an SQLite database (it was left untouched); "
                         "move it aside or choose another file with --db")
