"""Issue 17: language stored with the article, NER spans cached per article, merged on demand.

The model is replaced by a counting fake here (the cache and merge logic are what is
tested); test_ner.py runs the real pipelines when the extra is installed."""

from __future__ import annotations

import sqlite3

import pytest

from reader.entities import Entities
from reader.importers.save import store_article
from reader.articles import Article
from reader.ner import service as ner_service
from reader.ner.pipeline import NerSpan, NerUnavailable
from reader.ner.service import NerService
from reader.schema import MIGRATIONS, SCHEMA_VERSION
from reader.store import Store

TEXT = ("The convoy was stopped near Dialakoro by men who said they were with the forces of the "
        "north, and the people of Dialakoro were told to leave by the evening.")


class FakeModel:
    """Counts calls; proposes every 'Dialakoro' as a GPE."""

    def __init__(self):
        self.calls = []

    def __call__(self, text: str, lang: str) -> list[NerSpan]:
        self.calls.append(lang)
        out, pos = [], text.find("Dialakoro")
        while pos >= 0:
            out.append(NerSpan(pos, pos + 9, "GPE"))
            pos = text.find("Dialakoro", pos + 1)
        return out


@pytest.fixture
def model(monkeypatch):
    fake = FakeModel()
    monkeypatch.setattr(ner_service, "entities", fake)
    monkeypatch.setattr(ner_service, "available", lambda lang=None: True)
    monkeypatch.setattr(ner_service, "pipeline_module", lambda lang: "fake" if lang in ("en", "fr") else None)
    return fake


def add(store, body=TEXT, id="a1") -> Article:
    article = Article(id=id, title="Convoy", body=body)
    store_article(store, article)
    return article


def test_v3_migration_adds_language_and_ner_cache(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for m in MIGRATIONS[:2]:
        m(db)
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO articles (id, title, body, hash, added_at, updated_at) VALUES ('x', 't', 'b', 'h', '', '')")
    db.close()
    s = Store.open(path)
    try:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 3
        assert s.conn.execute("SELECT language FROM articles WHERE id = 'x'").fetchone() == ("",)
        assert s.conn.execute("SELECT count(*) FROM ner_cache").fetchone() == (0,)
    finally:
        s.close()


def test_language_is_detected_once_stored_and_reset_when_the_text_changes(store, model):
    article = add(store)
    ner = NerService(Entities(store))
    assert ner.language(article) == "en"
    assert store.conn.execute("SELECT language FROM articles WHERE id = 'a1'").fetchone() == ("en",)
    french = Article(id="a1", title="Convoi", body="Le convoi a été arrêté près de Dialakoro par des hommes "
                                                   "qui ont dit aux habitants de partir dans la soirée.")
    store_article(store, french)
    assert store.conn.execute("SELECT language FROM articles WHERE id = 'a1'").fetchone() == ("",)
    assert ner.language(french) == "fr"


def test_spans_are_cached_per_article_text_and_merged_on_demand(store, model):
    article = add(store)
    entities = Entities(store)
    ner = NerService(entities)
    assert ner.cached_result(article) is None  # nothing yet, and the model was not run
    assert model.calls == []
    first = ner.result(article)
    assert [c.text for c in first.candidates] == ["Dialakoro", "Dialakoro"]
    assert len({c.key for c in first.candidates}) == 1  # one candidate, two occurrences
    assert ner.result(article).candidates == first.candidates
    assert NerService(entities).cached_result(article).candidates == first.candidates
    assert model.calls == ["en"]  # once
    # a new text runs the model again
    changed = add(store, TEXT.replace("evening", "morning"))
    ner.result(changed)
    assert model.calls == ["en", "en"]


def test_a_candidate_made_an_entry_becomes_a_known_mention_without_rerunning_the_model(store, model):
    article = add(store)
    entities = Entities(store)
    ner = NerService(entities)
    assert ner.result(article).candidates
    entry_id = entities.add_entry("Dialakoro", "place", "A village (test entry).")
    after = ner.result(article)
    assert after.candidates == [] and after.links == []
    assert [m.entry_id for m in entities.mentions(article)] == [entry_id, entry_id]
    assert model.calls == ["en"]


def test_without_the_extra_a_clear_error(store, monkeypatch):
    monkeypatch.setattr(ner_service, "available", lambda lang=None: False)
    monkeypatch.setattr(ner_service, "unavailable_reason", lambda lang=None: "spaCy is not installed; install the `ner` extra")
    article = add(store)
    ner = NerService(Entities(store))
    with pytest.raises(NerUnavailable, match="ner"):
        ner.result(article)
    assert ner.cached_result(article) is None


def test_unknown_language_caches_no_spans(store, model):
    article = add(store, body="Dialakoro, Kidal, Gao.")
    ner = NerService(Entities(store))
    assert ner.result(article).candidates == []
    assert model.calls == []
    assert store.conn.execute("SELECT language FROM articles").fetchone() == ("unknown",)
    assert ner.cached_result(article) is not None
