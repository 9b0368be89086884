"""Score recognition on a set of real reporting kept outside the repository.

The set is a folder (never committed: the texts belong to their publishers) holding

    texts/NN-slug.txt   one plain UTF-8 text per document
    sources.jsonl       {"doc": "NN-slug", "lang": "en"|"fr", "url": ..., "title": ...}
    gold.jsonl          {"doc", "start", "end", "text", "type"} per hand-annotated mention,
                        offsets into the text (end exclusive), type one of
                        group / place / person / org / event

and how to build one is in bench/README.md. Unlike `score.py` (our own texts, gold entry
ids), gold here carries no ids: real reports name many things no gazetteer lists, so the
question is whether a name was *found*, not which entry it links to.

Two ways to count, both type-blind:

- overlap: a prediction is correct if it overlaps a gold span; a gold mention is found
  if some prediction overlaps it (P = correct predictions / predictions, R = found gold /
  gold), so "Ménaka" inside the gold "région de Ménaka" counts;
- strict: the prediction's span equals the gold span exactly.

Per type, recall is over gold mentions of that type and precision over predictions of
that type (the predictor's own type); "type agreement" is the share of overlapping
(gold, prediction) pairs whose types agree.

Systems scored: `gazetteer` (the matcher's mentions, as `annotate` prints them);
`--with-candidates` adds the matcher's unknown-name candidates when it offers them;
`--predictor module:function` scores any other span finder the same way, alone and
merged with the gazetteer (gazetteer mentions win; the predictor's spans that overlap
them are dropped). The function is called as `f(text, lang)` (or `f(text)`) and returns
(start, end[, type]) tuples, dicts or objects with `start`, `end` and optionally `type`
or `label` (spaCy labels are mapped: PERSON/PER -> person, ORG -> org, GPE/LOC/FAC ->
place, EVENT -> event; other labels, e.g. NORP, are dropped).

    uv run python bench/eval/real.py [--dir PATH] [--with-candidates]
        [--predictor module:function] [--errors [SYSTEM]] [--gazetteer PATH]

`--dir` defaults to $MALI_READER_EVAL_DIR; without either the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENV = "MALI_READER_EVAL_DIR"
TYPES = ("group", "place", "person", "org", "event")
_LABELS = {"PERSON": "person", "PER": "person", "ORG": "org", "GPE": "place", "LOC": "place",
           "FAC": "place", "EVENT": "event"}
_STOP = {"fr": {"le", "la", "les", "des", "du", "et", "est", "une", "dans", "pour", "qui", "au", "sur"},
         "en": {"the", "and", "of", "is", "was", "in", "to", "that", "for", "with", "on", "by", "from"}}


class EvalSetError(Exception):
    """The evaluation folder is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str | None = None


@dataclass
class Doc:
    name: str
    lang: str
    text: str
    gold: list[Span] = field(default_factory=list)


# -- loading ----------------------------------------------------------------------------------
def guess_lang(text: str) -> str:
    """French or English by a stop-word vote (used when sources.jsonl gives no "lang")."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    votes = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    return max(votes, key=votes.get)


def _jsonl(path: Path) -> Iterable[tuple[int, dict]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalSetError(f"{path}:{n}: not JSON ({exc.msg})") from None


def load_set(folder: Path) -> list[Doc]:
    """Read texts, languages and gold; every gold span must slice to its "text"."""
    texts = folder / "texts"
    if not texts.is_dir():
        raise EvalSetError(f"{folder}: no texts/ folder; see bench/README.md for the layout")
    docs = {p.stem: Doc(p.stem, "", p.read_text(encoding="utf-8")) for p in sorted(texts.glob("*.txt"))}
    sources = folder / "sources.jsonl"
    if sources.is_file():
        for n, row in _jsonl(sources):
            if row.get("doc") in docs and row.get("lang"):
                docs[row["doc"]].lang = row["lang"]
    for d in docs.values():
        d.lang = d.lang or guess_lang(d.text)
    gold = folder / "gold.jsonl"
    if not gold.is_file():
        raise EvalSetError(f"{folder}: no gold.jsonl; annotate the texts first")
    for n, row in _jsonl(gold):
        try:
            doc, start, end, surface, typ = row["doc"], row["start"], row["end"], row["text"], row["type"]
        except KeyError as exc:
            raise EvalSetError(f"{gold}:{n}: missing field {exc}") from None
        if doc not in docs:
            raise EvalSetError(f"{gold}:{n}: no text {doc}.txt in {texts}")
        if docs[doc].text[start:end] != surface:
            raise EvalSetError(f"{gold}:{n}: {doc}[{start}:{end}] is {docs[doc].text[start:end]!r}, "
                               f"not {surface!r}; fix the offsets")
        if typ not in TYPES:
            raise EvalSetError(f"{gold}:{n}: type {typ!r} is not one of {', '.join(TYPES)}")
        docs[doc].gold.append(Span(start, end, typ))
    return list(docs.values())


# -- predictors -------------------------------------------------------------------------------
Predict = Callable[[str, str], list[Span]]


def _as_span(item) -> Span | None:
    if isinstance(item, (tuple, list)):
        start, end, *rest = item
        typ = rest[0] if rest else None
    elif isinstance(item, dict):
        start, end = item["start"], item["end"]
        typ = item.get("type", item.get("label"))
    else:
        start, end = item.start, item.end
        typ = getattr(item, "type", None) or getattr(item, "label_", None) or getattr(item, "label", None)
    if typ is not None and typ not in TYPES:
        typ = _LABELS.get(str(typ).upper())
        if typ is None:
            return None  # NORP, DATE, MISC…: not a name of ours
    return Span(start, end, typ)


def load_predictor(ref: str) -> Predict:
    """`module:function` -> a predictor; the function may take (text, lang) or (text)."""
    mod_name, _, func_name = ref.partition(":")
    if not func_name:
        raise EvalSetError(f"--predictor {ref}: write it as module:function")
    try:
        func = getattr(importlib.import_module(mod_name), func_name)
    except (ImportError, AttributeError) as exc:
        raise EvalSetError(f"--predictor {ref}: cannot load ({exc})") from None
    try:
        takes_lang = len(inspect.signature(func).parameters) >= 2
    except (TypeError, ValueError):
        takes_lang = False

    def predict(text: str, lang: str) -> list[Span]:
        got = func(text, lang) if takes_lang else func(text)
        return [s for s in map(_as_span, got) if s is not None]
    return predict


def matcher_predictors(gaz) -> tuple[Predict, Predict | None]:
    """The gazetteer's mentions, and its unknown-name candidates if the matcher offers them
    (`Matcher.analyse(text, candidates=True).candidates`); None when it does not."""
    from reader.matcher import Matcher

    matcher = Matcher(gaz)

    def known(text: str, lang: str) -> list[Span]:
        return [Span(m.start, m.end, gaz.entries[m.entry_id].type) for m in matcher.find(text)]

    analyse = getattr(matcher, "analyse", None)
    if analyse is None or "candidates" not in inspect.signature(analyse).parameters:
        return known, None

    def candidates(text: str, lang: str) -> list[Span]:
        return [Span(c.start, c.end, getattr(c, "type", None)) for c in analyse(text, candidates=True).candidates]
    return known, candidates


def merged(base: Iterable[Predict], extra: Predict) -> Predict:
    """`base` spans all kept (in order, later ones only where earlier ones left room);
    `extra` spans only where they overlap none of them."""
    base = list(base)

    def predict(text: str, lang: str) -> list[Span]:
        out: list[Span] = []
        for p in [*base, extra]:
            out.extend(s for s in p(text, lang) if not any(_overlaps(s, o) for o in out))
        return sorted(out, key=lambda s: (s.start, s.end))
    return predict


# -- scoring ----------------------------------------------------------------------------------
def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@dataclass
class Counts:
    pred: int = 0
    pred_ok: int = 0
    gold: int = 0
    gold_ok: int = 0

    @property
    def precision(self) -> float:
        return self.pred_ok / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.gold_ok / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Result:
    overlap: dict[str, Counts] = field(default_factory=dict)  # "all", "en", "fr", "type:place"…
    strict: dict[str, Counts] = field(default_factory=dict)
    typed_pairs: int = 0
    typed_agree: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)


def _context(text: str, s: Span, width: int = 35) -> str:
    left, right = text[max(0, s.start - width):s.start], text[s.end:s.end + width]
    return f"{left}[{text[s.start:s.end]}]{right}".replace("\n", " ")


def score(docs: list[Doc], predict: Predict) -> Result:
    r = Result()

    def bump(table: dict[str, Counts], keys, **inc):
        for k in keys:
            c = table.setdefault(k, Counts())
            for name, v in inc.items():
                setattr(c, name, getattr(c, name) + v)

    for doc in docs:
        pred = sorted(set(predict(doc.text, doc.lang)), key=lambda s: (s.start, s.end))
        exact = {(g.start, g.end) for g in doc.gold}
        for g in doc.gold:
            keys = ("all", doc.lang, f"type:{g.type}")
            hits = [p for p in pred if _overlaps(p, g)]
            bump(r.overlap, keys, gold=1, gold_ok=int(bool(hits)))
            bump(r.strict, keys, gold=1, gold_ok=int(any((p.start, p.end) == (g.start, g.end) for p in hits)))
            typed = [p for p in hits if p.type]
            r.typed_pairs += len(typed)
            r.typed_agree += sum(p.type == g.type for p in typed)
            if not hits:
                r.misses.append(f"{doc.name}: {g.type} {_context(doc.text, g)}")
        for p in pred:
            keys = ("all", doc.lang, f"type:{p.type or 'untyped'}")
            ok = any(_overlaps(p, g) for g in doc.gold)
            bump(r.overlap, keys, pred=1, pred_ok=int(ok))
            bump(r.strict, keys, pred=1, pred_ok=int((p.start, p.end) in exact))
            if not ok:
                r.false.append(f"{doc.name}: {p.type or '?'} {_context(doc.text, p)}")
    return r


# -- report -----------------------------------------------------------------------------------
def _cells(c: Counts | None) -> str:
    """P, R, F1; a dash where there is nothing to divide by (no predictions, no gold)."""
    c = c or Counts()
    p = f"{c.precision:.3f}" if c.pred else "—"
    r = f"{c.recall:.3f}" if c.gold else "—"
    f = f"{c.f1:.3f}" if c.pred and c.gold else "—"
    return f"{p} | {r} | {f}"


def report(name: str, r: Result, langs: list[str]) -> list[str]:
    lines = [f"### {name}", "",
             "| slice | gold | predicted | overlap P | R | F1 | strict P | R | F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for key in ["all", *langs, *(f"type:{t}" for t in (*TYPES, "untyped"))]:
        o = r.overlap.get(key)
        if o is None or not (o.gold or o.pred):
            continue
        lines.append(f"| {key} | {o.gold} | {o.pred} | {_cells(o)} | {_cells(r.strict.get(key))} |")
    lines.append("\nper type: R over gold mentions of the type, P over predictions the system typed so")
    if r.typed_pairs:
        lines.append(f"type agreement on overlapping pairs: {r.typed_agree}/{r.typed_pairs} "
                     f"= {r.typed_agree / r.typed_pairs:.3f}")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=os.environ.get(ENV) or None,
                    help=f"the evaluation folder (default: ${ENV})")
    ap.add_argument("--gazetteer", help="gazetteer path (default: bundled, no overlay)")
    ap.add_argument("--with-candidates", action="store_true",
                    help="also score the matcher's unknown-name candidates, when it offers them")
    ap.add_argument("--predictor", metavar="MODULE:FUNCTION",
                    help="another span finder, scored alone and merged with the gazetteer")
    ap.add_argument("--errors", nargs="?", const="gazetteer", metavar="SYSTEM",
                    help="list misses and false positives of SYSTEM (default: gazetteer)")
    args = ap.parse_args(argv)
    if args.dir is None or not Path(args.dir).is_dir():
        where = f"{args.dir} is not a folder" if args.dir else f"no --dir and ${ENV} is not set"
        print(f"skipped: no real evaluation set ({where}); see bench/README.md to build one")
        return 0

    from reader.gazetteer import load_gazetteer

    try:
        docs = load_set(Path(args.dir))
        extra = load_predictor(args.predictor) if args.predictor else None
    except EvalSetError as exc:
        print(f"real.py: {exc}", file=sys.stderr)
        return 2
    gaz = load_gazetteer(Path(args.gazetteer) if args.gazetteer else None, overlay=False)
    known, cands = matcher_predictors(gaz)
    systems: dict[str, Predict] = {"gazetteer": known}
    base = [known]
    if args.with_candidates:
        if cands is None:
            print("note: this matcher offers no candidates yet (no Matcher.analyse(..., candidates=True)); "
                  "--with-candidates changes nothing")
        else:
            base.append(cands)
            systems["gazetteer+candidates"] = merged([known], cands)
    if extra is not None:
        name = args.predictor.rpartition(":")[2]
        systems[name] = extra
        systems["+".join(["gazetteer", *(["candidates"] if len(base) > 1 else []), name])] = merged(base, extra)

    langs = sorted({d.lang for d in docs})
    gold = [g for d in docs for g in d.gold]
    per_lang = ", ".join(f"{lang} {sum(d.lang == lang for d in docs)}" for lang in langs)
    per_type = ", ".join(f"{t} {sum(g.type == t for g in gold)}" for t in TYPES)
    words = sum(len(d.text.split()) for d in docs)
    print(f"real evaluation set {args.dir}: {len(docs)} documents ({per_lang}), {words} words, "
          f"{len(gold)} gold mentions ({per_type}); gazetteer {len(gaz)} entries\n")
    results = {name: score(docs, p) for name, p in systems.items()}
    for name, r in results.items():
        print("\n".join(report(name, r, langs)))
    if args.errors:
        r = results.get(args.errors)
        if r is None:
            print(f"real.py: --errors {args.errors}: no such system (have {', '.join(results)})", file=sys.stderr)
            return 2
        print(f"misses of {args.errors} ({len(r.misses)}):")
        print("\n".join("  " + m for m in r.misses))
        print(f"\nfalse positives of {args.errors} ({len(r.false)}):")
        print("\n".join("  " + f for f in r.false))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
