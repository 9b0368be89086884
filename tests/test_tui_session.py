"""The app's session: one typed handle to store, notes and entities, with one rule for
database connections per thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from reader.tui.session import Session

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def test_notes_are_wired_to_the_matcher_once_the_entities_load(fixture_store):
    session = Session(fixture_store, GAZ)
    assert session.entities_or_none() is None and not session.entities_ready.is_set()
    assert session.notes.entity_finder is None and not session.has_entry("gao")
    loaded = threading.Thread(target=session.load_entities)  # as the app's worker does
    loaded.start()
    loaded.join(timeout=60)
    assert session.entities_ready.is_set() and session.has_entry("gao")
    finder = session.notes.entity_finder
    assert finder is not None
    body = "Fighting near Gao closed the road."
    assert "gao" in finder(body, 0, len(body))


def test_a_worker_store_is_a_connection_of_its_own_closed_afterwards(fixture_store):
    session = Session(fixture_store)
    with session.worker_store() as store:
        assert store is not fixture_store and store.conn is not fixture_store.conn
        assert set(store.article_ids()) == set(fixture_store.article_ids())
        conn = store.conn
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    fixture_store.conn.execute("SELECT 1")  # the UI's connection is untouched


def test_a_read_only_store_is_shared_by_workers_not_reopened(fixture_store):
    fixture_store.read_only = "the file is read-only"  # as `Store.open` marks such a store
    session = Session(fixture_store)
    with session.worker_store() as worker:
        assert worker is fixture_store
    fixture_store.conn.execute("SELECT 1")  # still open after the worker is done
