"""Reference predictors for `real.py --predictor`: what a name finder gets with no knowledge.

`capitalised_runs` proposes every run of capitalised words (joined by the particles names
carry: "de", "du", "of", "al-"…), untyped, after dropping the function words and titles
that open sentences or precede names ("The", "Selon", "President"). It is the floor any
recogniser should beat, and shows how much real reports name things in capitals at all.

    uv run python bench/eval/real.py --predictor bench.eval.baselines:capitalised_runs
"""

from __future__ import annotations

import re

from reader.gazetteer.keys import words

_JOINERS = frozenset({"de", "du", "des", "la", "le", "d", "l", "of", "the", "for", "and", "et", "al",
                      "el", "ag", "ould", "ibn", "bin", "wal", "wa", "ul", "au", "aux", "en", "in"})
# Words that open sentences or stand before names without being part of them.
_OPENERS = frozenset("""
the a an in on at by for with from after before when while since as but and or if this that
these those there here it its he she they we his her their our some many most several all
according however meanwhile despite what why how who where during about around
le la les l un une des du de d au aux en dans par pour sur selon depuis apres avant lors
ce cet cette ces il elle ils elles on nous son sa ses leur leurs mais et ou si quant face
president general colonel captain capitaine professor minister prime ministre imam colonel
mr mrs dr
""".split())


def capitalised_runs(text: str, lang: str = "") -> list[tuple[int, int]]:
    toks = words(text)
    out: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    while i < n:
        s, e, key = toks[i]
        if not text[s].isupper() or key in _OPENERS:
            i += 1
            continue
        j, last = i + 1, i
        while j < n:
            gap = text[toks[j - 1][1]:toks[j][0]]
            if "\n" in gap or gap.strip(" -'’"):
                break
            if text[toks[j][0]].isupper():
                last = j
            elif toks[j][2] not in _JOINERS:
                break
            j += 1
        out.append((s, toks[last][1]))
        i = last + 1
    return out
