"""Faults found by attacking the core (issue 10): each gets a test that failed before its fix."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.export import NotesImportError, import_notes, write_export
from reader.gazetteer import load_gazetteer
from reader.importers import import_file, import_sources
from reader.importers.fetch import FetchError, FetchOptions, fetch
from reader.importers.save import store_article
from reader.articles import Article, ArticleError
from reader.matcher import Matcher
from reader.notes import Note, NoteStore
from reader.store import Store, StoreError
from reader.text import sanitize
from reader.versions import versions

ROOT = Path(__file__).resolve().parent.parent


# --- mali-reader FILE ------------------------------------------------------------------------


def test_file_from_the_command_line_is_capped_like_import(store, tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(6 * 1024 * 1024)  # sparse: 6 MB of NULs, over the 5 MB text cap
    with pytest.raises(ArticleError) as info:
        import_file(store, big)
    assert "\n" not in str(info.value)
    big.write_text("word " * (1_300_000), "utf-8")  # 6.5 MB of text
    with pytest.raises(ArticleError) as info:
        import_file(store, big)
    assert "too large" in str(info.value) or "over" in str(info.value)
    assert store.article_ids() == []


def test_file_and_import_file_store_the_same_body(store, tmp_path):
    f = tmp_path / "report.txt"
    f.write_text("Fuel in Gao\n\nTraders said fuel prices had doubled.\n\nQueues formed.", "utf-8")
    article_id = import_file(store, f)
    notes = NoteStore(store)
    n = notes.add(article_id, "x", quote="fuel prices had doubled")
    for _ in range(2):  # alternating the two ways in changes nothing
        assert [i.status for i in import_sources(store, [f]).items] == ["unchanged"]
        assert import_file(store, f) == article_id
    assert len(versions(store.conn, article_id)) == 1
    assert notes.get(n.id).updated == n.updated and notes.get(n.id).status == "anchored"


# --- import-notes --------------------------------------------------------------------------


def _export_file(tmp_path, notes: list[Note]) -> Path:
    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"format": "mali-reader-notes", "version": 1,
                                "notes": [n.to_dict() for n in notes]}), "utf-8")
    return path


def _notes_for(article_id: str, n: int, text: str) -> list[Note]:
    out = []
    for i in range(n):
        s = (i * 7) % (len(text) - 20)
        out.append(Note(id=f"note-{i}", article_id=article_id, body=f"note {i}", quote=text[s:s + 12],
                        prefix=text[max(0, s - 32):s], suffix=text[s + 12:s + 44], start=s, end=s + 12,
                        created="2024-01-01T00:00:00.000+00:00", updated="2024-01-01T00:00:00.000+00:00"))
    return out


def test_import_notes_is_linear(store, tmp_path):
    text = "Traders said fuel prices in Gao had doubled since the start of the month. " * 40
    store_article(store, Article(id="a", title="Fuel", body=text))
    statements = []

    def count(n: int) -> int:
        other = Store.open(tmp_path / f"n{n}.db")
        store_article(other, Article(id="a", title="Fuel", body=text))
        path = _export_file(tmp_path, _notes_for("a", n, text))
        statements.clear()
        other.conn.set_trace_callback(statements.append)
        counts = import_notes(other, path)
        other.conn.set_trace_callback(None)
        assert counts["new"] == n
        other.close()
        return len(statements)

    small, large = count(100), count(400)
    assert large <= 4.5 * small, (small, large)  # quadratic would be ~16x


def test_import_notes_commits_in_batches(store, tmp_path):
    text = "Traders said fuel prices in Gao had doubled since the start of the month. " * 40
    store_article(store, Article(id="a", title="Fuel", body=text))
    commits = []
    store.conn.set_trace_callback(lambda sql: commits.append(sql) if sql.strip().upper() == "COMMIT" else None)
    NoteStore(store).import_notes(_notes_for("a", 1200, text), batch=500)
    store.conn.set_trace_callback(None)
    assert len(commits) == 3  # 500 + 500 + 200: other writers get a turn between batches


def test_deeply_nested_json_is_refused_in_one_line(store, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "mali-reader-notes", "version": 1, "notes": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(NotesImportError) as info:
        import_notes(store, path)
    assert "\n" not in str(info.value) and "deep" in str(info.value)


# --- gazetteer -----------------------------------------------------------------------------


def test_huge_alias_in_overlay_is_refused_not_matched(tmp_path):
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('[gao]\naliases = ["' + "Gao " * 250_000 + '"]\n', "utf-8")
    gaz = load_gazetteer(overlay=overlay)
    problems = [i for i in gaz.issues if i.entry == "gao"]
    assert any("at most 200" in i.message for i in problems)
    assert all(len(a) <= 200 for a in gaz.get("gao").aliases)
    t0 = time.perf_counter()
    found = Matcher(gaz).find("Fighting near Gao again.")
    assert [m.entry_id for m in found] == ["gao"]
    assert time.perf_counter() - t0 < 30  # a hang is the bug; the bench measures speed


# --- downloads -----------------------------------------------------------------------------


def test_slow_headers_hit_the_total_deadline():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    stop = threading.Event()

    def drip() -> None:
        conn, _ = server.accept()
        try:
            conn.recv(4096)
            for ch in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"a" * 200:
                if stop.is_set():
                    break
                conn.send(bytes([ch]))
                time.sleep(0.05)  # a byte every 50 ms: never a read timeout
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=drip, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch(f"http://127.0.0.1:{port}/", options=FetchOptions(connect_timeout=2, read_timeout=1, total_timeout=1.5))
    took = time.monotonic() - t0
    stop.set()
    server.close()
    assert "longer than 1.5 s" in str(info.value)
    assert took < 5


# --- the database file ---------------------------------------------------------------------


def test_dangling_symlink_at_the_db_path_is_refused(tmp_path):
    link = tmp_path / "db.sqlite"
    link.symlink_to(tmp_path / "elsewhere" / "target.db")
    with pytest.raises(StoreError) as info:
        Store.open(link)
    assert "symbolic link" in str(info.value)
    assert not (tmp_path / "elsewhere").exists()


def test_new_directories_are_private_under_umask_000(tmp_path):
    old = os.umask(0)
    try:
        s = Store.open(tmp_path / "a" / "b" / "c" / "reader.db")
        s.close()
    finally:
        os.umask(old)
    for d in ("a", "a/b", "a/b/c"):
        assert (tmp_path / d).stat().st_mode & 0o777 == 0o700, d
    assert (tmp_path / "a/b/c/reader.db").stat().st_mode & 0o777 == 0o600


READ_ONLY_CHILD = """
import sys
from reader.store import Store, StoreError
s = Store.open(sys.argv[1])
print(s.read_only or "writable")
print(len(s.article_ids()))
try:
    s.mark_read("a")
except StoreError as exc:
    print("refused:", exc)
"""


def _run_read_only(folder: Path, db: Path) -> subprocess.CompletedProcess:
    """Run READ_ONLY_CHILD with `folder` unwritable: by permissions, or for root (who ignores
    them) on a read-only bind mount in a private mount namespace."""
    cmd = [sys.executable, "-c", READ_ONLY_CHILD, str(db)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if os.geteuid() != 0:
        os.chmod(folder, 0o555)
        return subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT), env=env, timeout=60)
    import shlex
    import shutil

    if not shutil.which("unshare"):
        pytest.skip("running as root without unshare(1): cannot make a folder read-only for root")
    d = shlex.quote(str(folder))
    script = (f"mount --bind {d} {d} && mount -o remount,ro,bind {d} {d} && "
              + " ".join(shlex.quote(c) for c in cmd))
    out = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                         capture_output=True, text=True, cwd=str(ROOT), env=env, timeout=60)
    if "mount" in out.stderr and out.returncode != 0 and "Traceback" not in out.stderr:
        pytest.skip(f"cannot make a read-only mount here: {out.stderr.strip()[:100]}")
    return out


def test_database_in_a_read_only_directory_opens_read_only(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "reader.db"
    s = Store.open(db)
    store_article(s, Article(id="a", title="T", body="Some text."))
    s.close()
    assert not (folder / "reader.db-shm").exists()  # SQLite would have to create it to read
    try:
        out = _run_read_only(folder, db)
    finally:
        os.chmod(folder, 0o755)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "not writable" in lines[0]
    assert lines[1] == "1"
    assert lines[2].startswith("refused:") and "read-only" in lines[2]
    assert "\n" not in lines[2]


def test_bulk_imported_notes_are_searchable_like_single_ones(store, tmp_path):
    from reader.search import search

    def found(query: str) -> set[str]:
        return {h.note.id for h in search(store, query, limit=500).notes}

    text = "Traders said fuel prices in Gao had doubled since the start of the month. " * 40
    store_article(store, Article(id="a", title="Fuel", body=text))
    notes = _notes_for("a", 120, text)
    for i, n in enumerate(notes):
        n.tags = ["convoy" if i % 2 else "fuel"]
        n.body = f"observation code{i}z about the road"
        n.entity_id = "gao" if i == 7 else None
    NoteStore(store).import_notes(notes)  # 120 rows: the bulk path
    assert store.conn.execute("SELECT count(*) FROM note_tags").fetchone()[0] == 120
    assert found("code7z") == {"note-7"}
    assert len(found("tag:convoy")) == 60
    assert found("entity:gao") == {"note-7"}
    triggers = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"notes_ai", "notes_tags_ai"} <= triggers  # put back exactly
