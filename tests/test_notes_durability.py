"""Never lost: concurrent writers, SIGKILL mid-save, and databases the app must not touch."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from reader.cli import main
from reader.articles import Article
from reader.notes import NoteStore
from reader.schema import SCHEMA_VERSION
from reader.store import Store, StoreError
from reader.importers.save import store_article

BODY = "Fuel convoys near Gao were attacked on Monday. JNIM claimed the ambush near Ségou."

WRITER = textwrap.dedent("""
    import sys
    from reader.notes import NoteStore
    from reader.store import Store
    path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(path)
    notes = NoteStore(store)
    i = 0
    while count < 0 or i < count:
        n = notes.add("a1", f"{tag} note {i}", quote="JNIM claimed the ambush", tags=[tag])
        print(n.id, flush=True)  # printed only once committed
        i += 1
""")


def _prepared_db(path):
    s = Store.open(path)
    store_article(s, Article(id="a1", title="T", body=BODY))
    s.close()


def _spawn(path, tag, count):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_two_writer_processes_lose_nothing(db_path):
    _prepared_db(db_path)
    procs = [_spawn(db_path, "one", 1000), _spawn(db_path, "two", 1000)]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outs.append(out.split())
    assert [len(o) for o in outs] == [1000, 1000]
    s = Store.open(db_path)
    ids = {r[0] for r in s.conn.execute("SELECT id FROM notes")}
    assert ids == set(outs[0]) | set(outs[1])
    assert NoteStore(s).tags() == [("one", 1000), ("two", 1000)]
    assert s.conn.execute("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'two'").fetchone()[0] == 1000


def test_repeated_sigkill_during_saves_keeps_committed_notes(db_path):
    _prepared_db(db_path)
    rng = random.Random(5)
    committed: list[str] = []
    for round_ in range(6):
        p = _spawn(db_path, f"r{round_}", -1)
        # wait until it is writing, then kill it at a random moment mid-stream
        first = p.stdout.readline().strip()
        assert first, p.stderr.read()
        committed.append(first)
        # drain the pipe while it runs, so the writer is killed mid-save, not blocked on print
        drain = threading.Thread(target=lambda: committed.extend(p.stdout.read().split()))
        drain.start()
        time.sleep(rng.uniform(0.05, 0.3))
        p.send_signal(signal.SIGKILL)
        p.wait()
        drain.join()
        p.stdout.close()
        p.stderr.close()
    s = Store.open(db_path)
    assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = {r[0] for r in s.conn.execute("SELECT id FROM notes")}
    assert set(committed) <= ids
    assert len(ids) - len(set(committed)) <= 6  # at most the note being saved at each kill
    # the index and join tables stayed consistent with the rows
    s.conn.execute("INSERT INTO notes_fts(notes_fts, rank) VALUES ('integrity-check', 1)")
    assert sum(c for _, c in NoteStore(s).tags()) == len(ids)


def test_non_sqlite_file_is_refused_and_untouched(tmp_path, capsys):
    path = tmp_path / "notes.db"
    data = b"these are my precious notes, not a database\n" * 50
    path.write_bytes(data)
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)
    assert main(["notes", "--db", str(path)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in lines[0]
    assert path.read_bytes() == data
    assert not (tmp_path / "notes.db-wal").exists()


def test_corrupt_sqlite_file_is_refused_and_untouched(tmp_path, capsys):
    path = tmp_path / "corrupt.db"
    s = Store.open(path)
    store_article(s, Article(id="a1", title="T", body=BODY))
    NoteStore(s).add("a1", "x")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    raw = bytearray(path.read_bytes())
    raw[100:4096] = bytes(random.Random(1).randrange(256) for _ in range(3996))  # wreck page 1
    path.write_bytes(bytes(raw))
    before = path.read_bytes()
    assert main(["search", "x", "--db", str(path)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    assert path.read_bytes() == before


def test_newer_schema_is_refused(db_path, capsys):
    s = Store.open(db_path)
    s.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    s.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer"):
        Store.open(db_path)
    assert main(["notes", "--db", str(db_path)]) == 1
    assert "newer" in capsys.readouterr().err
    assert db_path.read_bytes() == before
