"""Transliteration-folded keys (class 5 of issue 16: transliterations beyond one or two edits).

French, English and local spellings of the same Sahel name differ by whole letter groups,
not by typos: Koulikoro / Kulikoro, Sikasso / Sikaso, Ouahigouya / Wahiguya, Niono / Nyono,
Ansar Dine / Ansar ed-Dine. An edit budget of one or two letters misses most of them (and
widening it would reach ordinary words), so the index keeps a third key beside the exact
and the edit-distance ones: each word rewritten to a skeleton where the spellings meet.

The rules, applied in this order to a folded word (accents are already gone, so é = e):
tch → ch, sh → ch, dj → j, kh → k, ou → u, w → u, y → i, gu before e/i → g, doubled
letters → one, a final -ine → -in; the article's spellings (el/al/ul/ed/ad/an/as/at…)
are one word "al", and an assimilated article glued to its word is split off ("Eddine" →
"al din", so a skeleton may hold more words than the name). Both the gazetteer's names
and the text go through the same function, so the rules only have to make variants meet,
not produce a "correct" spelling.
"""

from __future__ import annotations

import re

_PAIRS = (("tch", "ch"), ("sh", "ch"), ("dj", "j"), ("kh", "k"), ("ou", "u"), ("w", "u"), ("y", "i"))
_GU_RE = re.compile(r"gu(?=[ei])")
_DOUBLE_RE = re.compile(r"(.)\1+")
# The Arabic article as reports write it, assimilated or not: al-, el-, ul-, ed-, an-, as-…
ARTICLES = frozenset({"al", "el", "ul", "ed", "ad", "ud", "es", "ech", "ash", "an", "ar", "as",
                      "at", "az", "ez", "er", "et"})
_SUN = frozenset("dlnrstz")  # consonants an Arabic article assimilates to: ad-D, as-S, an-N

SKELETON_CACHE: dict[str, str] = {}  # folded word → skeleton (shared with the matcher)


def translit_word(key: str) -> str:
    """The skeleton of one folded word: 'ouahigouya' → 'uahigia', 'ed' → 'al'."""
    out = SKELETON_CACHE.get(key)
    if out is not None:
        return out
    if key in ARTICLES:
        out = "al"
    elif len(key) >= 6 and key[0] in "ae" and key[1] in _SUN and key[2] == key[1]:
        # the article assimilated and glued: "Eddine" = "ed-Dine", "Ennahda" = "an-Nahda"
        out = "al " + translit_word(key[2:])
    else:
        out = key
        for a, b in _PAIRS:
            if a in out:
                out = out.replace(a, b)
        if "gu" in out:
            out = _GU_RE.sub("g", out)
        out = _DOUBLE_RE.sub(r"\1", out)
        if out.endswith("ine") and len(out) >= 4:
            out = out[:-1]
    if len(SKELETON_CACHE) < 300_000:
        SKELETON_CACHE[key] = out
    return out


def translit_key(words: tuple[str, ...] | list[str]) -> str:
    """Skeletons of folded words joined by spaces: ('ansar', 'ed', 'dine') → 'ansar al din'."""
    return " ".join(translit_word(w) for w in words)
