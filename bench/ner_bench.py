"""Speed of the statistical NER of issue 17: ms per 1,000 words, model and merge apart.

Texts: the bundled sample articles (English, ours), and with `--dir` (or
$MALI_READER_EVAL_DIR) the real evaluation set's texts too (English and French, not ours;
read in place, never copied). Per language: the time to load the pipeline (spaCy import
included for the first), then the model over every text, best of `--runs`, and the merge
with the gazetteer's mentions (the matcher's own time is not counted). Needs the `ner`
extra. The target is <= 500 ms per 1,000 words on this machine (2 shared cores).

    uv run python bench/ner_bench.py [--dir PATH] [--runs 3]

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_MS = 500


def texts(eval_dir: Path | None) -> list[tuple[str, str]]:
    """(name, body) of the texts to time."""
    from reader.articles import article_from_markdown

    out = []
    for p in sorted((ROOT / "sample_articles").glob("*.md")):
        out.append((p.name, article_from_markdown(p.read_text("utf-8"), str(p), article_id=p.stem).body))
    if eval_dir is not None and (eval_dir / "texts").is_dir():
        out += [(p.name, p.read_text("utf-8")) for p in sorted((eval_dir / "texts").glob("*.txt"))]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=os.environ.get("MALI_READER_EVAL_DIR") or None)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)

    from reader.ner import available, unavailable_reason

    if not available():
        print(f"skipped: {unavailable_reason()}")
        return 0
    from reader.gazetteer import load_gazetteer
    from reader.matcher import Matcher
    from reader.ner import pipeline
    from reader.ner.lang import detect_language
    from reader.ner.merge import merge

    matcher = Matcher(load_gazetteer(overlay=False))
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for name, body in texts(args.dir):
        lang = detect_language(body)
        if lang:
            by_lang.setdefault(lang, []).append((name, body))

    rows = []
    for lang, docs in sorted(by_lang.items()):
        t = time.perf_counter()
        pipeline.load(lang)
        load_ms = (time.perf_counter() - t) * 1000
        words = sum(len(body.split()) for _, body in docs)
        mentions = [matcher.find(body) for _, body in docs]
        best_model = best_merge = best_cpu = float("inf")
        spans = []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            spans = [pipeline.entities(body, lang) for _, body in docs]
            best_model = min(best_model, time.perf_counter() - t)
            best_cpu = min(best_cpu, time.process_time() - c)
            t = time.perf_counter()
            found = [merge(body, ms, sp, matcher.gazetteer) for (_, body), ms, sp in zip(docs, mentions, spans)]
            best_merge = min(best_merge, time.perf_counter() - t)
        cands = sum(len(r.candidates) for r in found)
        per_k = lambda s: s * 1000 / words * 1000  # noqa: E731 - ms per 1,000 words
        rows.append((lang, len(docs), words, load_ms, per_k(best_model), per_k(best_cpu), per_k(best_merge), cands))

    print("| lang | texts | words | pipeline load ms | model ms / 1,000 words (CPU) | merge ms / 1,000 words "
          "| total ms / 1,000 words | candidates |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    worst = 0.0
    for lang, n, words, load_ms, model, cpu, mrg, cands in rows:
        worst = max(worst, model + mrg)
        print(f"| {lang} | {n} | {words:,} | {load_ms:,.0f} | {model:.0f} ({cpu:.0f}) | {mrg:.1f} "
              f"| {model + mrg:.0f} | {cands} |")
    print(f"\nwall-clock, best of {args.runs} runs (CPU time of the process in brackets: the machine is "
          f"shared, so wall-clock includes waiting for a core); target <= {TARGET_MS} ms per 1,000 words: "
          f"{'met' if worst <= TARGET_MS else 'NOT met'} (worst {worst:.0f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
