"""Issue 14's search paths give the same answers as the plain ones (generated corpus).

Long prefixes are spelled out as the words of `notes_vocab` they begin, relevance is
computed in Python (reader/ranking.py) instead of FTS5's bm25(), and article snippets are
cut in Python: each is checked here against what SQLite itself answers.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

import reader.search
from reader.anchoring import make_anchor
from reader.articles import Article
from reader.notes import BULK_ROWS, Note, NoteStore
from reader.schema import MIGRATIONS
from reader.search import (
    NOTE_WEIGHTS, RANK_CAP, _full_expression, parse_query, search, search_articles, search_notes, snippet,
)
from reader.store import Store

SYLLABLES = ["ba", "ko", "ma", "li", "ne", "ta", "ro", "si", "du", "ga"]


def _vocabulary(rng: random.Random) -> list[str]:
    words = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(400)})
    return words + ["ségou", "ménaka", "al-qaida", "n'djamena", "tombouctou", "kidal"]


def _sentence(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab[:40]) if rng.random() < 0.5 else rng.choice(vocab) for _ in range(n)).capitalize()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """~400 notes on 12 articles: shared syllables, so long prefixes begin several words."""
    rng = random.Random(7)
    vocab = _vocabulary(rng)
    store = Store.open(tmp_path_factory.mktemp("scale") / "lib.db")
    notes = NoteStore(store, entity_names=lambda e: [e.title()])
    with store.transaction():
        arts = []
        for i in range(12):
            body = ". ".join(_sentence(rng, vocab, rng.randint(8, 20)) for _ in range(12)) + "."
            a = Article(id=f"art-{i}", title=_sentence(rng, vocab, 5), body=body, date=f"2024-01-{i + 1:02d}")
            store.upsert_article(a)
            arts.append(a)
    batch = []
    for i in range(400):
        a = rng.choice(arts)
        n = Note(id=f"n{i:03d}", article_id=a.id, body=_sentence(rng, vocab, rng.randint(3, 25)),
                 tags=rng.sample(["fuel", "aid", "talks"], rng.randint(0, 2)),
                 entities=rng.sample(["gao", "kidal"], rng.randint(0, 1)), created=f"2024-02-{i % 28 + 1:02d}T00:00:00")
        n.updated = n.created
        if rng.random() < 0.8:
            start = rng.randrange(0, len(a.body) - 80)
            anchor = make_anchor(a.body, start, start + rng.randint(10, 80))
            n.quote, n.prefix, n.suffix, n.start, n.end = anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end
        batch.append(n)
    notes.import_notes(batch)
    yield store, vocab, rng
    store.close()


def _plain_matches(conn, q) -> set[int]:
    """What the plain prefix expression finds (FTS5's own prefix matching), filters aside."""
    return {r[0] for r in conn.execute("SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?", [_full_expression(q)])}


def _queries(vocab, rng, n=120):
    long_words = [w for w in vocab if len(w) >= 6]
    out = []
    for _ in range(n):
        w = rng.choice(long_words)
        kind = rng.randrange(5)
        if kind == 0:
            out.append(w[:rng.randint(5, len(w))])
        elif kind == 1:
            out.append(f"{w[:5]} {rng.choice(vocab)[:rng.randint(2, 6)]}")
        elif kind == 2:
            out.append(f"{w[:6]} -{rng.choice(vocab[:40])}")
        elif kind == 3:
            out.append(f'{w[:5]} "{rng.choice(vocab[:40])} {rng.choice(vocab[:40])}"')
        else:
            out.append(f"{w[:5]} {rng.choice(vocab)[:5]} {rng.choice(vocab)[:3]}")
    return out + ["segou", "ménak", "al-qaida", "n'djamena", "tombo", "babababa", "zzzzzz"]


def test_long_prefixes_find_exactly_what_the_prefix_finds(corpus):
    store, vocab, rng = corpus
    checked = 0
    for text in _queries(vocab, random.Random(3)):
        q = parse_query(text)
        expected = _plain_matches(store.conn, q)
        seqs = {r[0]: r[1] for r in store.conn.execute("SELECT id, seq FROM notes")}
        by_date = {seqs[h.note.id] for h in search_notes(store.conn, q, limit=-1, sort="date")}
        assert by_date == expected, text
        relevance = {seqs[h.note.id] for h in search_notes(store.conn, q, limit=-1)}
        assert relevance == expected, text
        checked += bool(expected)
    assert checked > 60  # most queries match something: the comparison is not between empty sets


def test_a_long_prefix_is_spelled_out_as_its_words(corpus):
    store, vocab, _ = corpus
    word = next(w for w in vocab if len(w) >= 8)
    expr = _full_expression(parse_query(word[:5]), store.conn)
    assert expr.startswith("(") and " OR " in expr and "*" not in expr
    assert _full_expression(parse_query("ségou"), store.conn) == '"ségou"*'  # not ASCII: FTS5 folds it


def _bm25(conn, q) -> dict[int, float]:
    weights = ", ".join(map(str, NOTE_WEIGHTS))
    return {r[0]: -r[1] for r in conn.execute(
        f"SELECT rowid, bm25(notes_fts, {weights}) FROM notes_fts WHERE notes_fts MATCH ?", [_full_expression(q)])}


def test_relevance_is_fts5_bm25(corpus):
    """Same formula, weights, lengths and (below the counting cap) document frequencies."""
    store, vocab, _ = corpus
    compared = 0
    for text in _queries(vocab, random.Random(5), 60):
        q = parse_query(text)
        expected = _bm25(store.conn, q)
        if not expected or len(expected) > RANK_CAP:
            continue
        seqs = {r[0]: r[1] for r in store.conn.execute("SELECT id, seq FROM notes")}
        hits = search_notes(store.conn, q, limit=-1)
        for hit in hits:
            assert hit.score == pytest.approx(expected[seqs[hit.note.id]], rel=1e-6, abs=1e-9), text
        compared += 1
    assert compared > 30


def test_more_matches_than_the_cap_come_newest_first(corpus, monkeypatch):
    store, vocab, _ = corpus
    q = parse_query("ba")
    expected = sorted(_plain_matches(store.conn, q), reverse=True)
    assert len(expected) > 50
    seqs = {r[0]: r[1] for r in store.conn.execute("SELECT id, seq FROM notes")}
    monkeypatch.setattr(reader.search, "RANK_CAP", 40)  # the corpus is small: lower the cap to take that path
    hints: list[str] = []
    hits = search_notes(store.conn, q, limit=25, hints=hints)
    assert [seqs[h.note.id] for h in hits] == expected[:25]
    assert any("newest first" in h for h in hints)


def test_every_write_path_keeps_the_word_list_complete(corpus):
    store, _, _ = corpus
    notes = NoteStore(store)
    one = notes.add("art-0", "Quixotically remarkable", quote=store.article("art-0").body[:30])
    assert [h.note.id for h in search(store, "quixot").notes] == [one.id]
    notes.update(one.id, body="Zephyrtown meeting")
    assert [h.note.id for h in search(store, "zephyr").notes] == [one.id]
    assert search(store, "quixot").notes == []
    bulk = [Note(id=f"bulk{i}", article_id="art-1", body=f"Xylograph{i} entry", created="2024-03-01T00:00:00",
                 updated="2024-03-01T00:00:00") for i in range(BULK_ROWS + 5)]
    notes.import_notes(bulk)  # the batch path that drops and re-creates the triggers
    assert len(search(store, "xylogr", limit=-1).notes) == BULK_ROWS + 5
    assert {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} >= {
        "notes_vocab_ai", "notes_vocab_au"}
    with store.transaction():  # an article's new title reaches its notes' index through triggers
        store.conn.execute("UPDATE articles SET title = 'Wunderkammer report' WHERE id = 'art-1'")
    assert {h.note.id for h in search(store, "wunder", limit=-1).notes} >= {f"bulk{i}" for i in range(3)}
    assert store.conn.execute("SELECT count(*) FROM notes_tok_vocab").fetchone()[0] == 0  # the scratch table is empty


def _v8_database(path) -> None:
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("BEGIN")
    for migration in MIGRATIONS[:8]:
        migration(c)
    c.execute("PRAGMA user_version = 8")
    body = "The convoy left Gao at dawn. Fuel shortages in Kidal followed the blockade."
    c.execute("INSERT INTO articles (id, title, body, hash, added_at, updated_at) VALUES"
              " ('a1', 'Convoy chronicle', ?, 'h1', 't', 't')", (body,))
    c.execute("INSERT INTO notes (id, article_id, body, tags, quote, start, \"end\", article_hash, created, updated,"
              " article_title) VALUES ('n1', 'a1', 'Shortages everywhere', '[\"fuel\"]', 'Fuel shortages', 29, 43,"
              " 'h1', 't1', 't1', 'Convoy chronicle')")
    c.execute("INSERT INTO notes (id, article_id, body, created, updated, article_title) VALUES"
              " ('n2', 'a1', 'Blockaded roads', 't2', 't2', 'Convoy chronicle')")
    c.execute("COMMIT")
    c.close()


def test_upgrade_from_v8_lists_the_words_of_existing_notes(tmp_path):
    path = tmp_path / "lib.db"
    _v8_database(path)
    store = Store.open(path)
    notes = NoteStore(store)
    note = notes.get("n1")
    assert (note.quote, note.start, note.end) == ("Fuel shortages", 29, 43)
    assert store.article("a1").body[note.start:note.end] == note.quote
    terms = {r[0] for r in store.conn.execute("SELECT term FROM notes_vocab")}
    assert {"shortages", "blockaded", "chronicle", "fuel"} <= terms
    assert [h.note.id for h in search(store, "shorta").notes] == ["n1"]
    assert [h.note.id for h in search(store, "blockad").notes] == ["n2"]
    assert {h.note.id for h in search(store, "chron", limit=-1).notes} == {"n1", "n2"}
    store.close()


def test_article_snippets_are_the_text_around_the_match(corpus):
    store, vocab, _ = corpus
    for text in ["kidal", "segou", vocab[3][:4], f"{vocab[10][:3]} {vocab[20][:3]}"]:
        q = parse_query(text)
        for hit in search_articles(store.conn, q, limit=5):
            body = store.article(hit.article_id).body
            core = hit.snippet.strip("…")
            assert core and core in body, text
            assert len(core.split()) <= 20
            words = [hit.snippet[s:e] for s, e in hit.spans]
            assert words, text
            assert all(any(w.lower().startswith(p) or w.lower().replace("é", "e").startswith(p)
                           for p in q.words) for w in words if q.words), (text, words)


def test_snippet_marks_phrases_and_shows_hostile_text_as_text():
    body = "Intro words here. " * 5 + "Then [bold]fuel convoy[/bold] \x1b[31m arrived at Gao. " + "Tail words. " * 10
    text, spans = snippet(body, parse_query('"fuel convoy"'))
    assert text.startswith("…") and text.endswith("…") and text.strip("…") in body
    assert [text[s:e] for s, e in spans] == ["fuel convoy"]
    assert "[bold]" in text  # a plain string: the screen renders it as Text, never as markup


def test_a_phrase_ranks_the_articles_holding_it(corpus):
    store, _, _ = corpus
    words = store.article("art-3").body.split()[:2]
    phrase = " ".join(w.strip(".").lower() for w in words)
    q = parse_query(f'"{phrase}"')
    expected = {r[0] for r in store.conn.execute(
        "SELECT a.id FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?",
        [_full_expression(q)])}
    hits = search_articles(store.conn, q, limit=50)
    assert "art-3" in expected and {h.article_id for h in hits} == expected
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
