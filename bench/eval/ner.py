"""Predictors for `real.py --predictor` that run the NER of issue 17 (needs the `ner` extra).

- `ner_only`: spaCy's spans as the model gives them (its labels, mapped by the scorer;
  NORP, DATE, MISC… dropped), no gazetteer;
- `merged`: what mali-reader shows with the extra: gazetteer mentions, NER spans linked to
  entries, and candidates (`reader.ner.merge`).

Both detect the language themselves (`reader.ner.lang`), ignoring the set's own label, as
the reader does with an article.

    uv run python bench/eval/real.py --predictor bench.eval.ner:ner_only
    uv run python bench/eval/real.py --predictor bench.eval.ner:merged --errors merged
"""

from __future__ import annotations

from functools import lru_cache

from reader.gazetteer import load_gazetteer
from reader.matcher import Matcher
from reader.ner import pipeline
from reader.ner.lang import detect_language
from reader.ner.merge import merge


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    return Matcher(load_gazetteer(overlay=False))


@lru_cache(maxsize=64)
def _spans(text: str) -> tuple:
    lang = detect_language(text)
    return tuple(pipeline.entities(text, lang)) if lang else ()


def ner_only(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in _spans(text)]


def merged(text: str) -> list[tuple[int, int, str]]:
    matcher = _matcher()
    gaz = matcher.gazetteer
    mentions = matcher.find(text)
    result = merge(text, mentions, list(_spans(text)), gaz)
    return ([(m.start, m.end, gaz.entries[m.entry_id].type) for m in mentions + result.links]
            + [(c.start, c.end, c.type) for c in result.candidates])
