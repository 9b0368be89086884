"""Indexing the library's mentions: in worker processes for a large backlog, resumable."""

from __future__ import annotations

import time

from reader.articles import Article
from reader.entities import Entities
from reader.indexing import PROCESS_THRESHOLD, index_library

SENTENCES = ["Fighters were seen near Gao on Tuesday.", "The road to Kidal remains closed.",
             "Ansar Dine claimed responsibility for the attack.", "The market in Mopti reopened."]


def _fill(store, n: int) -> None:
    with store.transaction():
        for i in range(n):
            body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3)) + f" Report {i}."
            store.upsert_article(Article(id=f"r{i}", title=f"Report {i}", body=body))


def _cached(store) -> int:
    return store.conn.execute("SELECT count(*) FROM mention_cache").fetchone()[0]


def test_a_large_backlog_is_indexed_by_worker_processes_like_in_process(store):
    n = PROCESS_THRESHOLD + 20
    _fill(store, n)
    entities = Entities(store)
    assert index_library(entities, processes=2) == n
    assert entities.stale_ids() == []
    # the same mentions the app itself would compute
    article = store.article("r7")
    assert [(m.start, m.end, m.entry_id) for m in entities.raw_mentions(article)] == \
        [(m.start, m.end, m.entry_id) for m in entities.matcher.find(article.body)]
    assert store.conn.execute("SELECT count(DISTINCT article_id) FROM article_entities").fetchone()[0] == n


def test_stopped_indexing_keeps_its_work_and_the_next_run_finishes(store):
    n = PROCESS_THRESHOLD + 20
    _fill(store, n)
    entities = Entities(store)
    started = time.monotonic()
    # stop as soon as the workers have cached something
    index_library(entities, processes=2, stop=lambda: _cached(store) > 0 or time.monotonic() - started > 60)
    partial = _cached(store)
    assert 0 < partial
    assert len(entities.stale_ids()) == n - partial
    index_library(entities, processes=2)  # as after a restart
    assert entities.stale_ids() == []


def test_a_small_backlog_is_indexed_in_process(store):
    _fill(store, 5)
    entities = Entities(store)
    assert index_library(entities, processes=2) == 5
    assert _cached(store) == 5
