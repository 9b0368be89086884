"""Reproducible synthetic libraries for bench/scale.py: articles and notes through the public API.

Articles go in with `Store.upsert_article` (what the import verb's save layer calls), a
batch per transaction; notes with `NoteStore.import_notes` (what `mali-reader notes import`
calls), so every trigger, join table and index is filled exactly as in use. Texts are the
Zipf word salad of bench/search_bench.py (no real prose is shipped). Everything follows from
the seed: the same arguments give the same library, and `Corpus.queries` the same queries.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reader.anchoring import make_anchor  # noqa: E402
from reader.articles import Article  # noqa: E402
from reader.notes import Note, NoteStore  # noqa: E402
from reader.store import Store  # noqa: E402
from reader.text import content_hash  # noqa: E402
from search_bench import DOMAIN, ENTITIES, TAGS, Words  # noqa: E402

ARTICLE_BATCH = 500


@dataclass
class Built:
    path: Path
    articles: int
    notes: int
    article_seconds: float
    note_seconds: float


def entity_names(entity_id: str) -> list[str]:
    """Names indexed for an entity, as the gazetteer would give them (id title-cased)."""
    return [entity_id.title()] if entity_id in ENTITIES else []


def _article(rng: random.Random, w: Words, i: int) -> Article:
    body = "\n\n".join(" ".join(w.sentence(rng.randint(8, 22)) for _ in range(rng.randint(2, 5)))
                       for _ in range(rng.randint(3, 8)))
    date = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Article(id=f"article-{i:06d}", title=w.sentence(rng.randint(4, 9)).rstrip("."), body=body, date=date,
                   source="bench", tags=rng.sample(TAGS, rng.randint(0, 2)))


def _note(rng: random.Random, w: Words, article: Article, text_hash: str) -> Note:
    text = article.body
    created = (f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
               f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00.000+00:00")
    note = Note(id=str(uuid.UUID(int=rng.getrandbits(128))), article_id=article.id,
                body=w.sentence(rng.randint(5, 40)), tags=rng.sample(TAGS, rng.randint(0, 3)),
                entities=rng.sample(ENTITIES, rng.randint(0, 2)), article_hash=text_hash,
                created=created, updated=created)
    if rng.random() >= 0.1:  # nine notes in ten are on a passage
        length = rng.randint(20, 200)
        start = rng.randrange(0, max(1, len(text) - length))
        a = make_anchor(text, start, min(len(text), start + length))
        note.quote, note.prefix, note.suffix, note.start, note.end = a.exact, a.prefix, a.suffix, a.start, a.end
    return note


def build(path: Path, n_articles: int, n_notes: int, *, seed: int = 1, log=print) -> Built:
    """A fresh library at `path`: `n_articles` articles, then `n_notes` notes spread over them."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path)
    store.set_setting("samples_imported", "bench")  # the app must not add its sample articles
    rng = random.Random(seed)
    w = Words(rng)
    t0 = time.perf_counter()
    articles: list[Article] = []
    for i in range(0, n_articles, ARTICLE_BATCH):
        with store.transaction():
            for k in range(i, min(n_articles, i + ARTICLE_BATCH)):
                a = _article(rng, w, k)
                store.upsert_article(a, source=f"bench/{a.id}.md")
                articles.append(a)
    t1 = time.perf_counter()
    notes = NoteStore(store, entity_names=entity_names)
    hashes = {a.id: content_hash(a.body) for a in articles}
    _add_notes(notes, rng, w, articles, hashes, n_notes, log=log if n_notes >= 200_000 else None)
    t2 = time.perf_counter()
    store.conn.execute("ANALYZE")
    store.close()
    return Built(path, n_articles, n_notes, t1 - t0, t2 - t1)


def _add_notes(notes, rng, w, articles, hashes, n_notes: int, *, log=None, **import_options) -> None:
    """`n_notes` generated notes on random `articles`, imported 20,000 at a time; progress to `log`."""
    t0 = time.perf_counter()
    done, chunk = 0, 20_000
    while done < n_notes:
        batch = []
        for _ in range(min(chunk, n_notes - done)):
            a = articles[rng.randrange(len(articles))]
            batch.append(_note(rng, w, a, hashes[a.id]))
        notes.import_notes(batch, **import_options)
        done += len(batch)
        if log is not None:
            log(f"  {done:,} notes ({done / (time.perf_counter() - t0):,.0f}/s)")


def grow(source: Path, path: Path, n_notes: int, *, seed: int = 2, log=print) -> Built:
    """`path`: a copy of the library at `source` with `n_notes` more notes on its articles.

    The large library is the small one grown (the same articles, ten times the notes), so
    the two differ only in the figure under test and the large one costs a fraction to make.
    """
    import shutil

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, path)
    store = Store.open(path)
    rng = random.Random(seed)
    w = Words(random.Random(seed))
    store.set_setting("samples_imported", "bench")
    articles = [a for a in (store.article(i) for i in store.article_ids()) if a.source == "bench"]
    hashes = {a.id: content_hash(a.body) for a in articles}
    notes = NoteStore(store, entity_names=entity_names)
    t0 = time.perf_counter()
    _add_notes(notes, rng, w, articles, hashes, n_notes, log=log, batch=5_000)
    t1 = time.perf_counter()
    store.conn.execute("ANALYZE")
    total = store.conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    store.close()
    return Built(path, len(articles), total, 0.0, t1 - t0)


class Corpus:
    """Queries drawn from the library's own vocabulary: frequent, mid and rare words, typed partially."""

    def __init__(self, seed: int = 99, vocab_seed: int = 1):
        self.rng = random.Random(seed)
        self.vocab = Words(random.Random(vocab_seed)).vocab

    def word(self, kind: str) -> str:
        if kind == "frequent":
            return self.rng.choice(self.vocab[:30])
        if kind == "mid":
            return self.rng.choice(self.vocab[100:1000])
        return self.rng.choice(self.vocab[2000:])

    def prefix(self, s: str) -> str:
        return s[: max(2, len(s) - self.rng.randint(0, 2))]

    def any_word(self) -> str:
        return self.prefix(self.word(self.rng.choice(["frequent", "mid", "rare"])))

    def kinds(self):
        """(label, query generator) for every query kind the issue names."""
        r, p, wd = self.rng, self.prefix, self.word
        return [
            ("1 word, frequent", lambda: p(wd("frequent"))),
            ("1 word, mid", lambda: p(wd("mid"))),
            ("1 word, rare", lambda: p(wd("rare"))),
            ("2 words", lambda: f"{self.any_word()} {self.any_word()}"),
            ("3 words", lambda: f"{self.any_word()} {self.any_word()} {self.any_word()}"),
            ("2-letter prefix", lambda: wd("mid")[:2]),
            ('"phrase"', lambda: f'"{wd("frequent")} {wd("frequent")}"'),
            ("word -exclusion", lambda: f"{p(wd('mid'))} -{wd('frequent')}"),
            ("tag:T", lambda: f"tag:{r.choice(TAGS)}"),
            ("-tag:T word", lambda: f"-tag:{r.choice(TAGS)} {p(wd('mid'))}"),
            ("tag:T word", lambda: f"tag:{r.choice(TAGS)} {p(wd('mid'))}"),
            ("entity:E", lambda: f"entity:{r.choice(ENTITIES)}"),
            ("tag:T entity:E", lambda: f"tag:{r.choice(TAGS)} entity:{r.choice(ENTITIES)}"),
            ("entity:E 2 words", lambda: f"entity:{r.choice(ENTITIES)} {self.any_word()} {self.any_word()}"),
            ("article:WORD", lambda: f"article:{wd('mid')}"),
            ("after:DATE word", lambda: f"after:{r.randint(2020, 2025)}-06 {p(wd('mid'))}"),
            ("before:DATE tag:T", lambda: f"before:{r.randint(2020, 2025)} tag:{r.choice(TAGS)}"),
            ("orphaned:yes", lambda: "orphaned:yes"),
            ("domain word", lambda: p(r.choice(DOMAIN))),
        ]
