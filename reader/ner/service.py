"""NER for the library: per-article language and model spans cached in SQLite, candidates on demand.

The model's raw spans are cached per article (``ner_cache``, keyed by the text's hash and
the model versions, as ``mention_cache`` is by hash and gazetteer key), so each article
goes through spaCy once. Candidates are merged from those spans and the article's cached
gazetteer mentions whenever asked (a few ms), so a gazetteer change — say a candidate made
an entry with `A` — takes effect at once without re-running the model.

Threads: `spans`/`result` may run spaCy (hundreds of ms per article, ~1 s to load a
pipeline) and belong in a worker thread; `cached_result` never runs it and is safe
anywhere the store is.
"""

from __future__ import annotations

import json
from dataclasses import replace

from reader.entities import Entities
from reader.articles import Article
from reader.ner import available, pipeline_module, unavailable_reason
from reader.ner.lang import detect_language
from reader.ner.merge import NerResult, merge
from reader.ner.pipeline import NerSpan, NerUnavailable, entities, model_key
from reader.store import StoreError, now_iso

UNKNOWN = "unknown"  # stored when the language cannot be told (so it is not guessed again)
NER_VERSION = "1"  # bumped when the same text and model give different spans


class NerService:
    """Candidates for articles of one library (an `Entities`: store, gazetteer, mentions)."""

    def __init__(self, entities_: Entities):
        self.entities = entities_
        self.store = entities_.store
        self.key = f"{NER_VERSION};{model_key()}"

    # -- language ---------------------------------------------------------------------------
    def language(self, article: Article) -> str:
        """'en', 'fr', or '' when unknown: read from the article row, detected and stored the
        first time (and again after its text changed)."""
        row = self.store.conn.execute("SELECT language FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row and row[0]:
            return "" if row[0] == UNKNOWN else row[0]
        lang = detect_language(article.body)
        if row is not None:
            self._remember("UPDATE articles SET language = ? WHERE id = ?", (lang or UNKNOWN, article.id))
        return lang

    def _remember(self, sql: str, params: tuple) -> None:
        """Write a cache row if the database lets us: the cache saves time, never data, so a
        read-only file or another program holding the write lock just means no cache."""
        if self.store.read_only:
            return
        try:
            with self.store.transaction() as c:
                c.execute(sql, params)
        except StoreError:
            pass

    # -- spans ------------------------------------------------------------------------------
    def cached_spans(self, article: Article) -> list[NerSpan] | None:
        row = self.store.conn.execute(
            "SELECT article_hash, model_key, spans FROM ner_cache WHERE article_id = ?", (article.id,)).fetchone()
        if row and row[0] == article.hash and row[1] == self.key:
            return [NerSpan(s, e, label) for s, e, label in json.loads(row[2])]
        return None

    def spans(self, article: Article) -> list[NerSpan]:
        """The model's spans (cached); runs spaCy when not cached. Raises NerUnavailable."""
        cached = self.cached_spans(article)
        if cached is not None:
            return cached
        if not available():
            raise NerUnavailable(unavailable_reason())
        lang = self.language(article)
        # a language we have no pipeline for: nothing to propose (cached as such)
        found = entities(article.body, lang) if lang and pipeline_module(lang) else []
        self._remember("INSERT OR REPLACE INTO ner_cache VALUES (?, ?, ?, ?, ?, ?)",
                       (article.id, article.hash, self.key, lang or UNKNOWN,
                        json.dumps([[s.start, s.end, s.label] for s in found]), now_iso()))
        return found

    # -- merged -----------------------------------------------------------------------------
    def result(self, article: Article) -> NerResult:
        """Linked spans and candidates for the article (may run spaCy: use a worker)."""
        return self._merge(article, self.spans(article))

    def cached_result(self, article: Article) -> NerResult | None:
        """The same without running the model: None when its spans are not cached yet."""
        spans = self.cached_spans(article)
        return None if spans is None else self._merge(article, spans)

    def _merge(self, article: Article, spans: list[NerSpan]) -> NerResult:
        ent = self.entities
        mentions = ent.raw_mentions(article)
        result = merge(article.body, mentions, spans, ent.gazetteer, lang=self.language(article) or None)
        # the reader's corrections apply to linked spans as to the matcher's mentions
        links = ent.as_seen(article, result.links)
        return replace(result, links=links) if links != result.links else result

