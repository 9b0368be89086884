"""Search latency on 100,000 notes over 10,000 articles, and export time (issue 6 targets).

    uv run python bench/search_bench.py [--vocab syllables|wordfreq] [--rebuild]
    uv run --group tools python bench/search_bench.py --vocab wordfreq

The database is generated once (about a minute, under /tmp/mali-bench/) and reused. Texts
are random word salad drawn with Zipf frequencies plus a few domain words: posting-list
sizes like real text, without shipping any real prose. Two vocabularies:
  syllables  6,000 made-up words from 30 syllables - a worst case for prefix search, since
             every 5-letter prefix is shared by dozens of words;
  wordfreq   the 4,000 most frequent English and 2,000 French words (needs the tools group).
Queries come from the same vocabulary: frequent, mid and rare words, typed partially
(prefixes), one to three per query, plus filters.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.anchoring import make_anchor  # noqa: E402
from reader.export import export_rows, write_export  # noqa: E402
from reader.search import search  # noqa: E402
from reader.store import Store  # noqa: E402
from reader.text import content_hash, word_count  # noqa: E402

DOMAIN = ["fuel", "convoy", "gao", "kidal", "timbuktu", "mopti", "segou", "menaka", "jnim", "wagner",
          "blockade", "ambush", "drone", "army", "militia", "displaced", "market", "claim", "attack"]
TAGS = ["fuel", "convoys", "claims", "displacement", "prices", "drones", "talks", "aid", "kidal", "gao",
        "followup", "compare", "source", "casualties", "timeline"]
ENTITIES = ["gao", "kidal", "timbuktu", "mopti", "segou", "menaka", "jnim", "isgs", "wagner", "fama",
            "bamako", "niamey", "ouagadougou", "djibo", "tessalit"]


def vocabulary(rng: random.Random, n: int = 6000) -> list[str]:
    syll = ["ba", "ko", "ma", "li", "ne", "ta", "ro", "si", "du", "ga", "ke", "mo", "ni", "sa", "tu", "we",
            "ya", "zi", "fo", "re", "la", "mi", "no", "pa", "ri", "so", "ti", "vu", "da", "ge"]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def real_vocabulary() -> list[str]:
    from wordfreq import top_n_list

    en, fr = top_n_list("en", 4000), top_n_list("fr", 2000)
    out, seen = [], set()
    for i in range(4000):  # interleave by rank so both languages have frequent words
        for w in ((en[i],) + ((fr[i],) if i < len(fr) else ())):
            if w.isalpha() and w not in seen:
                seen.add(w)
                out.append(w)
    return out


class Words:
    def __init__(self, rng: random.Random, kind: str = "syllables"):
        self.rng = rng
        self.vocab = real_vocabulary() if kind == "wordfreq" else vocabulary(rng)
        weights = [1 / (i + 1) ** 1.05 for i in range(len(self.vocab))]
        self.cum = list(_accumulate(weights))
        self.domain_rate = 0.03

    def sentence(self, n: int) -> str:
        out = []
        for _ in range(n):
            if self.rng.random() < self.domain_rate:
                out.append(self.rng.choice(DOMAIN))
            else:
                out.append(self.rng.choices(self.vocab, cum_weights=self.cum)[0])
        s = " ".join(out)
        return s[0].upper() + s[1:] + "."


def _accumulate(xs):
    t = 0.0
    for x in xs:
        t += x
        yield t


def build(path: Path, n_articles: int, n_notes: int, kind: str, seed: int = 1) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path)
    rng = random.Random(seed)
    w = Words(rng, kind)
    t0 = time.perf_counter()
    bodies = {}
    with store.transaction() as c:
        rows = []
        for i in range(n_articles):
            body = "\n\n".join(" ".join(w.sentence(rng.randint(8, 22)) for _ in range(rng.randint(2, 5)))
                               for _ in range(rng.randint(3, 8)))
            aid = f"article-{i:05d}"
            bodies[aid] = body
            date = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            rows.append((aid, w.sentence(rng.randint(4, 9)).rstrip("."), date, body, content_hash(body),
                         word_count(body), "2025-01-01T00:00:00", "2025-01-01T00:00:00"))
        c.executemany("INSERT INTO articles (id, title, date, body, hash, words, added_at, updated_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    t1 = time.perf_counter()
    titles = dict(store.conn.execute("SELECT id, title FROM articles"))
    ids = list(bodies)
    with store.transaction() as c:
        rows = []
        for i in range(n_notes):
            aid = rng.choice(ids)
            text = bodies[aid]
            if rng.random() < 0.1:
                a = None
            else:
                length = rng.randint(20, 200)
                start = rng.randrange(0, max(1, len(text) - length))
                a = make_anchor(text, start, min(len(text), start + length))
            tags = rng.sample(TAGS, rng.randint(0, 3))
            ents = rng.sample(ENTITIES, rng.randint(0, 2))
            created = (f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                       f"T{rng.randint(0, 23):02d}:00:00.000+00:00")
            rows.append((str(uuid.UUID(int=rng.getrandbits(128))), aid, w.sentence(rng.randint(5, 40)),
                         json.dumps(tags), a.exact if a else "", a.prefix if a else "", a.suffix if a else "",
                         a.start if a else None, a.end if a else None, content_hash(text), None,
                         json.dumps(ents), "orphaned" if rng.random() < 0.01 else "anchored", created, created,
                         titles[aid], " | ".join(e.title() for e in ents)))
        c.executemany(
            'INSERT INTO notes (id, article_id, body, tags, quote, prefix, suffix, start, "end", article_hash,'
            " entity_id, entities, status, created, updated, article_title, entity_names)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        c.execute("INSERT INTO settings (key, value) VALUES ('samples_imported', 'bench')")
    store.conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('optimize')")
    store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    store.conn.execute("ANALYZE")
    t2 = time.perf_counter()
    print(f"built {path}: {n_articles:,} articles in {t1 - t0:.1f} s, {n_notes:,} notes in {t2 - t1:.1f} s")
    store.close()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vocab", choices=("syllables", "wordfreq"), default="syllables")
    ap.add_argument("--db", help="default: /tmp/mali-bench/search-VOCAB.db")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--notes", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200, help="queries per row")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    path = Path(args.db or f"/tmp/mali-bench/search-{args.vocab}.db")
    store = Store.open(path) if path.exists() and not args.rebuild else None
    if store is None or store.conn.execute("SELECT count(*) FROM notes").fetchone()[0] != args.notes:
        if store:
            store.close()
        build(path, args.articles, args.notes, args.vocab)
        store = Store.open(path)
    n_notes = store.conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    n_art = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    rng = random.Random(99)
    vocab = Words(random.Random(1), args.vocab).vocab

    def word(kind):
        if kind == "frequent":
            return rng.choice(vocab[:30])
        if kind == "mid":
            return rng.choice(vocab[100:1000])
        return rng.choice(vocab[2000:])

    def prefix(s):
        return s[: max(2, len(s) - rng.randint(0, 2))]

    rows = [
        ("1 word, frequent", lambda: prefix(word("frequent"))),
        ("1 word, mid", lambda: prefix(word("mid"))),
        ("1 word, rare", lambda: prefix(word("rare"))),
        ("2 words", lambda: " ".join(prefix(word(rng.choice(["frequent", "mid", "rare"]))) for _ in range(2))),
        ("3 words", lambda: " ".join(prefix(word(rng.choice(["frequent", "mid", "rare"]))) for _ in range(3))),
        ("\"phrase\" (2 words)", lambda: f'"{word("frequent")} {word("frequent")}"'),
        ("word -exclusion", lambda: f"{prefix(word('mid'))} -{word('frequent')}"),
        ("tag:T", lambda: f"tag:{rng.choice(TAGS)}"),
        ("tag:T word", lambda: f"tag:{rng.choice(TAGS)} {prefix(word('mid'))}"),
        ("entity:E (no gazetteer)", lambda: f"entity:{rng.choice(ENTITIES)}"),
        ("tag:T entity:E", lambda: f"tag:{rng.choice(TAGS)} entity:{rng.choice(ENTITIES)}"),
        ("article:WORD", lambda: f"article:{word('mid')}"),
        ("after:DATE word", lambda: f"after:{rng.randint(2020, 2025)}-06 {prefix(word('mid'))}"),
        ("before:DATE tag:T", lambda: f"before:{rng.randint(2020, 2025)} tag:{rng.choice(TAGS)}"),
        ("orphaned:yes", lambda: "orphaned:yes"),
        ("domain word (fuel)", lambda: prefix(rng.choice(DOMAIN))),
    ]
    print(f"database: {path} ({args.vocab} vocabulary) - {n_notes:,} notes over {n_art:,} articles;"
          f" {args.queries} queries per row;"
          " limit 50 notes + 20 articles, snippets and highlights included")
    print(f"{'query kind':<26}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'hits p50':>10}{'target p95':>12}")
    all_times = []
    for label, gen in rows:
        times, hits = [], []
        for _ in range(args.queries):
            q = gen()
            t0 = time.perf_counter()
            r = search(store, q, limit=50)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.error is None, (q, r.error)
            hits.append(len(r.notes))
        all_times += times
        p95 = pct(times, 95)
        print(f"{label:<26}{pct(times, 50):>8.2f}{p95:>8.2f}{max(times):>8.2f}{statistics.median(hits):>10.0f}"
              f"{'<= 20':>9}{' ok' if p95 <= 20 else ' MISS'}")
    print(f"{'all rows':<26}{pct(all_times, 50):>8.2f}{pct(all_times, 95):>8.2f}{max(all_times):>8.2f}")

    print()
    print(f"{'export (all notes)':<26}{'seconds':>8}{'size MB':>9}{'target':>9}")
    for fmt in ("markdown", "csv", "json", "w3c"):
        out = Path(str(path) + f".export.{fmt}")
        t0 = time.perf_counter()  # what `mali-reader export -f FMT -o FILE` does
        exported, _ = export_rows(store)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            write_export(exported, fmt, fh)
        secs = time.perf_counter() - t0
        print(f"{fmt + f' ({len(exported):,} notes)':<26}{secs:>8.2f}{out.stat().st_size / 1e6:>9.1f}"
              f"{'<= 5 s':>9}{' ok' if secs <= 5 else ' MISS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
