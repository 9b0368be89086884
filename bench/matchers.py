"""Compare our matcher with flashtext, pyahocorasick, spaCy PhraseMatcher and spaczz.

Same inputs for all: the bundled gazetteer padded to 2,000 and 20,000 entries with
generated names, and seeded synthetic texts of 1,000 and 100,000 words with gold mentions
(a third perturbed); see synth.py. Each (matcher, size) runs in its own process so that
peak memory (ru_maxrss, whole process) is comparable. spaczz scans every pattern and
takes seconds per 1,000 words, so it runs only on the 1,000-word text at N <= 2,000,
under a time cap; other cells say why they were not run. Times exclude imports and are
the best of a few runs (the machine is shared): build up to 3, matching 5 (1,000 words)
or 2 (100,000 words). "peak RSS" is the process's maximum resident memory; the figure in
brackets is the RSS before the build (Python, the gazetteer and the generated texts).

    uv run --group bench python bench/matchers.py [--sizes 0,2000,20000] [--only ours]

Prints a Markdown table (copy it to bench/README.md). Size 0 means the bundled data as is.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import importlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MATCHERS = ("ours", "flashtext", "pyahocorasick", "spacy", "spaczz")
TEXT_WORDS = (1_000, 100_000)
SPACZZ_MAX_N = 2_000
SPACZZ_CAP_S = 150


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- adapters: build(gaz) -> find(text) -> [(start, end, id)] -------------------------------------

def _surfaces(gaz):
    """(surface, id) with each folded surface given to its first owner, as an exact tool would."""
    from reader.gazetteer import fold_key

    seen, out = set(), []
    for e in gaz:
        for s in e.surface_forms():
            k = fold_key(s)
            if k not in seen:
                seen.add(k)
                out.append((s, e.id))
    return out


def build_ours(gaz):
    from reader.matcher import Matcher
    from reader.matching.index import CACHE

    CACHE.pop(gaz, None)  # time a real build on repeats
    m = Matcher(gaz)
    return lambda text: [(x.start, x.end, x.entry_id) for x in m.find(text)]


def build_flashtext(gaz):
    from flashtext import KeywordProcessor

    kp = KeywordProcessor(case_sensitive=False)
    # let accented letters be part of words, otherwise "Ménaka" is cut in two
    kp.non_word_boundaries |= set("àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŒÆ")
    for s, eid in _surfaces(gaz):
        kp.add_keyword(s, eid)
    return lambda text: [(a, b, eid) for eid, a, b in kp.extract_keywords(text, span_info=True)]


def build_pyahocorasick(gaz):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for s, eid in _surfaces(gaz):
        key = s.lower()
        if key not in auto:
            auto.add_word(key, (len(key), eid))
    auto.make_automaton()

    def find(text):
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        hits = []
        for end, (n, eid) in auto.iter(low):
            start = end - n + 1
            if (start > 0 and low[start - 1].isalnum()) or (end + 1 < len(low) and low[end + 1].isalnum()):
                continue
            hits.append((start, end + 1, eid))
        # leftmost-longest, no overlaps (a linear sweep)
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, edge = [], -1
        for h in hits:
            if h[0] >= edge:
                out.append(h)
                edge = h[1]
        return out

    return find


def build_spacy(gaz):
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    nlp.max_length = 2_000_000
    pm = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_id: dict[str, list[str]] = {}
    for s, eid in _surfaces(gaz):
        by_id.setdefault(eid, []).append(s)
    for eid, ss in by_id.items():
        pm.add(eid, list(nlp.tokenizer.pipe(ss)))

    def find(text):
        doc = nlp.make_doc(text)
        spans = [doc[a:b] for _, a, b in pm(doc)]
        labels = {(doc[a:b].start_char, doc[a:b].end_char): nlp.vocab.strings[m] for m, a, b in pm(doc)}
        return [(sp.start_char, sp.end_char, labels[(sp.start_char, sp.end_char)]) for sp in filter_spans(spans)]

    return find


def build_spaczz(gaz):
    import spacy
    from spacy.util import filter_spans
    from spaczz.matcher import FuzzyMatcher

    nlp = spacy.blank("en")
    fm = FuzzyMatcher(nlp.vocab, min_r=90)
    by_id: dict[str, list[str]] = {}
    for s, eid in _surfaces(gaz):
        by_id.setdefault(eid, []).append(s)
    for eid, ss in by_id.items():
        fm.add(eid, list(nlp.tokenizer.pipe(ss)))

    def find(text):
        doc = nlp.make_doc(text)
        matches = fm(doc)
        labels = {(a, b): eid for eid, a, b, _r, _p in matches}
        spans = filter_spans([doc[a:b] for _, a, b, _r, _p in matches])
        return [(sp.start_char, sp.end_char, labels[(sp.start, sp.end)]) for sp in spans]

    return find


IMPORTS = {"ours": ["reader.matcher", "reader.matching.index"], "flashtext": ["flashtext"], "pyahocorasick": ["ahocorasick"],
           "spacy": ["spacy", "spacy.matcher", "spacy.util", "spacy.lang.en"],
           "spaczz": ["spacy", "spacy.util", "spacy.lang.en", "spaczz.matcher"]}
BUILDERS = {"ours": build_ours, "flashtext": build_flashtext, "pyahocorasick": build_pyahocorasick,
            "spacy": build_spacy, "spaczz": build_spaczz}


# -- one cell -------------------------------------------------------------------------------------

def evaluate(pred, gold, distractors=()):
    g = {(m.start, m.end, m.id): m for m in gold}
    p = set(map(tuple, pred))
    tp = len(p & set(g))
    pert = [k for k, m in g.items() if m.perturbed]

    def recall_of(kind):
        ks = [k for k, m in g.items() if m.kind == kind]
        return sum(k in p for k in ks) / len(ks) if ks else None

    spans = sorted((a, b) for a, b, _ in p)
    starts = [a for a, _ in spans]
    hit = 0
    for d in distractors:  # a distractor is hit when any predicted span overlaps it
        k = bisect.bisect_left(starts, d.end)
        if any(spans[x][1] > d.start for x in range(max(0, k - 3), k)):
            hit += 1
    return {"precision": tp / len(p) if p else 0.0, "recall": tp / len(g) if g else 0.0,
            "perturbed_recall": sum(k in p for k in pert) / len(pert) if pert else 0.0,
            "case_recall": recall_of("case"), "translit_recall": recall_of("translit"),
            "gold": len(g), "perturbed": len(pert), "distractors": len(distractors),
            "distractors_hit": hit}


def run_one(matcher: str, size: int, words: list[int]) -> list[dict]:
    from synth import base_gazetteer, make_text, padded

    base = base_gazetteer()
    gaz = padded(base, size) if size > len(base) else base
    texts = {w: make_text(gaz, w) for w in words}
    for module in IMPORTS[matcher]:  # imports are not build time
        importlib.import_module(module)
    if matcher in ("spacy", "spaczz"):
        import spacy

        spacy.blank("en")  # loads the language data once
    rss_before = rss_mb()
    # The machine is shared: timings are the best of a few runs.
    build_ms = float("inf")
    find = None
    for _ in range(3):
        find = None  # free the previous build first, or peak memory would count two
        gc.collect()
        t0 = time.perf_counter()
        find = BUILDERS[matcher](gaz)
        build_ms = min(build_ms, (time.perf_counter() - t0) * 1000)
        if matcher in ("spacy", "spaczz"):
            break
    out = []
    for w, (text, gold, distractors) in texts.items():
        find(text[:2000])  # warm-up (lazy imports, caches)
        ms = float("inf")
        for _ in range(1 if matcher == "spaczz" else 5 if w <= 1000 else 2):
            t0 = time.perf_counter()
            pred = find(text)
            ms = min(ms, (time.perf_counter() - t0) * 1000)
        n_words = len(text.split())
        row = {"matcher": matcher, "n": len(gaz), "words": n_words, "build_ms": build_ms,
               "ms_per_1000_words": ms / n_words * 1000, **evaluate(pred, gold, distractors)}
        out.append(row)
    for row in out:
        row["peak_rss_mb"] = rss_mb()
        row["rss_before_build_mb"] = rss_before
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0,2000,20000")
    ap.add_argument("--only", default=",".join(MATCHERS))
    ap.add_argument("--one", nargs=3, metavar=("MATCHER", "SIZE", "WORDS"), help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print raw rows as JSON lines too")
    args = ap.parse_args(argv)
    if args.one:
        m, size, words = args.one
        for row in run_one(m, int(size), [int(w) for w in words.split(",")]):
            print(json.dumps(row))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    rows, notes = [], []
    started = time.perf_counter()
    for size in sizes:
        for m in args.only.split(","):
            words = list(TEXT_WORDS)
            cap = 400
            if m == "spaczz":
                if size > SPACZZ_MAX_N:
                    notes.append((m, size, "all", f"not run (N > {SPACZZ_MAX_N}: scans every pattern, "
                                                   "~100 s per 1,000 words at N=20k per the issue)"))
                    continue
                words = [1_000]
                notes.append((m, size, 100_000, "not run (projected minutes to hours: seconds per 1,000 words)"))
                cap = SPACZZ_CAP_S
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", m, str(size),
                   ",".join(map(str, words))]
            try:
                res = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, check=False)
            except subprocess.TimeoutExpired:
                notes.append((m, size, ",".join(map(str, words)), f"not run (over the {cap} s cap)"))
                continue
            if res.returncode != 0:
                notes.append((m, size, "all", "failed: " + (res.stderr.strip().splitlines() or ["?"])[-1]))
                continue
            for line in res.stdout.splitlines():
                rows.append(json.loads(line))
            print(f"# done {m} size={size} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    print("| matcher | N | text words | P | R | R perturbed | R case | R translit | distractors hit | "
          "ms / 1,000 words | build ms | peak RSS MB (before build) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def f3(x):
        return "–" if x is None else f"{x:.3f}"

    for r in sorted(rows, key=lambda r: (r["n"], r["words"], MATCHERS.index(r["matcher"]))):
        print(f"| {r['matcher']} | {r['n']:,} | {r['words']:,} | {r['precision']:.3f} | {r['recall']:.3f} | "
              f"{r['perturbed_recall']:.3f} | {f3(r['case_recall'])} | {f3(r['translit_recall'])} | "
              f"{r['distractors_hit']} of {r['distractors']} | {r['ms_per_1000_words']:.2f} | {r['build_ms']:.0f} | "
              f"{r['peak_rss_mb']:.0f} ({r['rss_before_build_mb']:.0f}) |")
    for m, size, words, why in notes:
        print(f"| {m} | {size or 'ours'} | {words} | {why} ||||||||||")
    if args.json:
        for r in rows:
            print(json.dumps(r))
    print(f"\ntotal bench time {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
