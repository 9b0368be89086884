"""Score the matcher on the dev evaluation set: precision, recall, F1, perturbed recall.

The texts in `texts/` are our own sentences, written for this purpose, in the style of
Sahel reporting. Gold mentions are marked inline as ``[[surface|entry-id]]``, or
``[[surface|entry-id|~]]`` when the spelling was deliberately perturbed (typo, dropped
accent, possessive, hyphen variant). A mention also counts as perturbed when its surface
is not, verbatim, one of the entry's names. Everything unmarked must *not* be matched,
including the distractors the texts plant ("since", "Dine" alone, "Malian", lower-case
"aes", MINUSCA next to MINUSMA).

A prediction is correct when its span and its entry id both equal a gold mention's.
Gold ids missing from the gazetteer being scored are reported and left out (with any
prediction overlapping them), so the set stays usable while the data grows.

    uv run python bench/eval/score.py [--gazetteer PATH] [-v]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from reader.matcher import Matcher  # noqa: E402

TEXTS = Path(__file__).parent / "texts"
_MARK_RE = re.compile(r"\[\[([^\[\]|]+)\|([a-z0-9-]+)(\|~)?\]\]")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    id: str
    marked: bool  # marked perturbed by the author


@dataclass
class Doc:
    name: str
    text: str
    gold: list[Gold] = field(default_factory=list)


def parse(name: str, marked_up: str) -> Doc:
    out: list[str] = []
    gold: list[Gold] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(marked_up):
        out.append(marked_up[pos:m.start()])
        length += m.start() - pos
        surface = m.group(1)
        gold.append(Gold(length, length + len(surface), m.group(2), bool(m.group(3))))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(marked_up[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{name}: unparsed markup near {text[text.find('[['):][:40]!r}")
    return Doc(name, text, gold)


def load_docs(folder: Path = TEXTS) -> list[Doc]:
    return [parse(p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


def is_perturbed(g: Gold, text: str, gaz: Gazetteer) -> bool:
    if g.marked:
        return True
    entry = gaz.get(g.id)
    return entry is None or text[g.start:g.end] not in entry.surface_forms()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    perturbed: int = 0
    perturbed_found: int = 0
    skipped_ids: set[str] = field(default_factory=set)
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    words: int = 0
    match_s: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def perturbed_recall(self) -> float:
        return self.perturbed_found / self.perturbed if self.perturbed else 0.0


def score(gaz: Gazetteer, docs: list[Doc], find=None) -> Score:
    """`find(text) -> [(start, end, id)]` defaults to our matcher."""
    if find is None:
        matcher = Matcher(gaz)

        def find(text):
            return [(m.start, m.end, m.entry_id) for m in matcher.find(text)]

    s = Score()
    for doc in docs:
        known = [g for g in doc.gold if g.id in gaz.entries]
        unknown = [g for g in doc.gold if g.id not in gaz.entries]
        s.skipped += len(unknown)
        s.skipped_ids.update(g.id for g in unknown)
        t0 = time.perf_counter()
        pred = find(doc.text)
        s.match_s += time.perf_counter() - t0
        s.words += len(doc.text.split())
        pred = [p for p in pred if not any(p[0] < u.end and u.start < p[1] for u in unknown)]
        gold_set = {(g.start, g.end, g.id): g for g in known}
        pred_set = set(map(tuple, pred))
        for key, g in gold_set.items():
            pert = is_perturbed(g, doc.text, gaz)
            s.perturbed += pert
            if key in pred_set:
                s.tp += 1
                s.perturbed_found += pert
            else:
                s.fn += 1
                got = [p for p in pred if p[0] < g.end and g.start < p[1]]
                s.errors.append(f"{doc.name}: missed {doc.text[g.start:g.end]!r} ({g.id})"
                                + (f", got {[(doc.text[a:b], i) for a, b, i in got]}" if got else ""))
        for p in pred_set - set(gold_set):
            s.fp += 1
            s.errors.append(f"{doc.name}: false {doc.text[p[0]:p[1]]!r} → {p[2]} "
                            f"[{doc.text[max(0, p[0] - 25):p[1] + 25]!r}]".replace("\n", " "))
    return s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gazetteer", help="gazetteer path (default: bundled, no overlay)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and false hit")
    args = ap.parse_args(argv)
    gaz = load_gazetteer(Path(args.gazetteer) if args.gazetteer else None, overlay=False)
    docs = load_docs()
    total = sum(len(d.gold) for d in docs)
    marked = sum(g.marked for d in docs for g in d.gold)
    s = score(gaz, docs)
    print(f"texts: {len(docs)}  gold mentions: {total} ({marked} marked perturbed)  "
          f"gazetteer: {len(gaz)} entries")
    if s.skipped:
        print(f"left out: {s.skipped} gold mentions whose ids are not in this gazetteer: "
              f"{', '.join(sorted(s.skipped_ids))}")
    print(f"scored: {s.tp + s.fn} mentions, {s.perturbed} perturbed "
          f"({100 * s.perturbed / max(1, s.tp + s.fn):.0f}%)")
    print(f"P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} perturbed R={s.perturbed_recall:.3f}  "
          f"(tp={s.tp} fp={s.fp} fn={s.fn}; {1000 * s.match_s / max(1, s.words) * 1000:.2f} ms/1000 words)")
    if args.verbose:
        for e in s.errors:
            print("  " + e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
