"""Note save latency, opening an article with 500 notes, re-anchoring them after an edit, and
import-notes of 10,000 notes (issues 5 and 10).

    uv run python bench/notes_bench.py [--notes 500] [--import-notes 10000] [--db /tmp/mali-bench/notes.db]

"Open" is the core part of showing an article: load its notes in reading order and verify
every anchor against the current text (hash unchanged, so the stored positions are checked
against their quotes). The re-anchoring after an edit is measured too, for information: it
happens on re-import, not on every open.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.anchoring import make_anchor  # noqa: E402
from reader.importers.save import store_article  # noqa: E402
from reader.articles import load_samples  # noqa: E402
from reader.notes import Note, NoteStore  # noqa: E402
from reader.store import Store  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notes", type=int, default=500)
    ap.add_argument("--db", default="/tmp/mali-bench/notes.db")
    ap.add_argument("--repeat", type=int, default=20, help="timed opens")
    ap.add_argument("--import-notes", type=int, default=10_000, help="notes in the import-notes run")
    args = ap.parse_args()
    path = Path(args.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store.open(path)
    articles, _ = load_samples()
    article = max(articles, key=lambda a: len(a.body))  # the longest sample
    store_article(store, article)
    ns = NoteStore(store)
    rng = random.Random(7)
    text = article.body
    save_ms = []
    for i in range(args.notes):
        length = rng.randint(20, 240)
        start = rng.randrange(0, len(text) - length)
        t0 = time.perf_counter()
        ns.add(article.id, f"bench note {i} about the passage", start=start, end=start + length,
               tags=[rng.choice(["fuel", "gao", "jnim", "claims", "convoys"])])
        save_ms.append((time.perf_counter() - t0) * 1000)

    open_ms = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        placed = ns.placements(article.id)  # loads the text, the notes, and verifies each anchor
        open_ms.append((time.perf_counter() - t0) * 1000)
    assert len(placed) == args.notes and all(p is not None for _, p in placed)

    # an edit: a paragraph inserted near the top and a few words changed further down
    paras = text.split("\n\n")
    paras.insert(1, "An editor's note was inserted here, pushing every later passage down the page.")
    edited = "\n\n".join(paras).replace(" the ", " this ", 25)
    t0 = time.perf_counter()
    counts = store_reanchor(store, article, edited)
    reanchor_ms = (time.perf_counter() - t0) * 1000

    print(f"article: {article.id} ({len(text):,} chars), {args.notes} notes, db {path}")
    print(f"{'measure':<44}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'target':>10}")
    print(f"{'note save (add, one transaction each)':<44}{pct(save_ms, 50):>9.2f}{pct(save_ms, 95):>9.2f}"
          f"{max(save_ms):>9.2f}{'<= 10':>10}")
    print(f"{'open article: load + verify 500 anchors':<44}{pct(open_ms, 50):>9.2f}{pct(open_ms, 95):>9.2f}"
          f"{max(open_ms):>9.2f}{'<= 150':>10}")
    print(f"{'re-import after edit: re-anchor all (once)':<44}{reanchor_ms:>9.1f}{'':>9}{'':>9}{'-':>10}")
    imp_s, imp_counts = import_notes_run(path.parent, article, args.import_notes)
    rate = args.import_notes / imp_s if imp_s else 0
    print(f"{f'import-notes of {args.import_notes:,} notes (s)':<44}{imp_s:>9.2f}{'':>9}{'':>9}{'-':>10}"
          f"   {rate:,.0f} notes/s (target >= 5,000)")
    ent_ms = entity_saves(store, article, rng, 100)
    if ent_ms:
        print(f"{'note save + entity detection (100, real':<44}{pct(ent_ms, 50):>9.2f}{pct(ent_ms, 95):>9.2f}"
              f"{max(ent_ms):>9.2f}{'<= 10':>10}")
        print(f"{'  gazetteer; first save builds the matcher)':<44}")
    print(f"re-anchor outcome: {counts}")
    print(f"import-notes outcome: {imp_counts}")
    return 0


def import_notes_run(folder: Path, article, n: int) -> tuple[float, dict]:
    """Export `n` notes on `article` to JSON, then time `import_notes` into a fresh database."""
    from reader.export import import_notes, write_export, export_rows

    src_path, dst_path = folder / "import-src.db", folder / "import-dst.db"
    for p in (src_path, dst_path):
        for suffix in ("", "-wal", "-shm"):
            Path(str(p) + suffix).unlink(missing_ok=True)
    src = Store.open(src_path)
    store_article(src, article)
    ns = NoteStore(src)
    rng = random.Random(11)
    text = article.body
    notes = []
    for i in range(n):
        length = rng.randint(20, 240)
        start = rng.randrange(0, len(text) - length)
        a = make_anchor(text, start, start + length)
        notes.append(Note(id=f"bench-{i}", article_id=article.id, body=f"imported note {i}", tags=["bench"],
                          quote=a.exact, prefix=a.prefix, suffix=a.suffix, start=a.start, end=a.end,
                          article_hash=article.hash, created="2024-01-01T00:00:00.000+00:00",
                          updated="2024-01-01T00:00:00.000+00:00"))
    ns.import_notes(notes)
    out = folder / "import.json"
    with open(out, "w", encoding="utf-8") as fh:
        write_export(export_rows(src)[0], "json", fh)
    src.close()
    dst = Store.open(dst_path)
    store_article(dst, article)
    t0 = time.perf_counter()
    counts = import_notes(dst, out)
    took = time.perf_counter() - t0
    dst.close()
    return took, counts


def entity_saves(store: Store, article, rng: random.Random, n: int) -> list[float]:
    """Saves through NoteStore.with_gazetteer (the app's path), if the gazetteer is installed."""
    try:
        from reader.gazetteer import load_gazetteer

        gaz = load_gazetteer(overlay=False)
    except Exception as exc:  # noqa: BLE001
        print(f"(entity detection not measured: {exc})")
        return []
    ns = NoteStore.with_gazetteer(store, gaz)
    text = store.article(article.id).body
    out = []
    for i in range(n):
        start = rng.randrange(0, len(text) - 200)
        t0 = time.perf_counter()
        ns.add(article.id, f"entity bench {i}", start=start, end=start + rng.randint(20, 200))
        out.append((time.perf_counter() - t0) * 1000)
    return out


def store_reanchor(store: Store, article, edited: str) -> dict:
    """Store the edited text as a re-import does; the save layer re-anchors every note."""
    from dataclasses import replace

    _, counts = store_article(store, replace(article, body=edited))
    return counts


if __name__ == "__main__":
    raise SystemExit(main())
