"""How names and text are cut into comparable words; shared by `fold_key` and the matcher.

Both sides must be cut the same way or matches are silently lost, hence one module.
Words are runs of letters/digits (combining accents included). Punctuation separates
words, so "al-Qaeda", "al Qaeda" and "al–Qaeda" give the same words. Apostrophes are
special: a trailing "'s" is a possessive and is dropped ("MNLA's" → MNLA, span without
the "'s"); a one-letter prefix is a French elision kept as its own word ("l'Azawad",
"d'Ivoire"); otherwise the parts are glued ("Jama'at" = "Jamaat"). A trailing lower-case
"s" after an all-capitals word is a plural ("VDPs" → VDP).
"""

from __future__ import annotations

import re

from reader.text import fold

_APOS = "'\u2019\u02bc\u2018`\u00b4"
# zero-width characters count as part of a word (and fold away), so "Ga\u200bo" is one word "gao"
WORD_RE = re.compile(r"[\w\u0300-\u036f\u200b-\u200d\u2060\u00ad]+(?:[" + _APOS + r"][\w\u0300-\u036f\u200b-\u200d\u2060\u00ad]+)*")
_APOS_SPLIT_RE = re.compile(r"[" + _APOS + r"]")
_PLURAL_ACRONYM_RE = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]+s\Z")

_key_cache: dict[str, str] = {}


def word_key(word: str) -> str:
    """Folded form of one word (no separators): 'Ménaka' → 'menaka'."""
    k = _key_cache.get(word)
    if k is None:
        k = word.lower() if word.isascii() else fold(word)
        if not k.isalnum():
            k = "".join(c for c in k if c.isalnum())
        if len(_key_cache) < 200_000:
            _key_cache[word] = k
    return k


_SPLIT_RE = re.compile("(" + WORD_RE.pattern + ")")
_pieces_cache: dict[str, tuple[tuple[int, int, str], ...]] = {}


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of each word of `text`; offsets index the original string."""
    out: list[tuple[int, int, str]] = []
    append = out.append
    parts = _SPLIT_RE.split(text)  # gap, word, gap, word, ..., gap
    pos = len(parts[0])
    cache = _pieces_cache
    for n in range(1, len(parts), 2):
        w = parts[n]
        pieces = cache.get(w)
        if pieces is None:
            pieces = _pieces(w)
            if len(cache) < 200_000:
                cache[w] = pieces
        if len(pieces) == 1:
            a, b, k = pieces[0]
            append((pos + a, pos + b, k))
        else:
            for a, b, k in pieces:
                append((pos + a, pos + b, k))
        pos += len(w) + len(parts[n + 1])
    return out


def _pieces(w: str) -> tuple[tuple[int, int, str], ...]:
    """The words (relative offsets, key) one regex match stands for."""
    out: list[tuple[int, int, str]] = []
    if not any(c in _APOS for c in w):
        if w[-1] == "s" and len(w) > 2 and _PLURAL_ACRONYM_RE.match(w):
            out.append((0, len(w) - 1, word_key(w[:-1])))
        else:
            out.append((0, len(w), word_key(w)))
    else:
        _split_apostrophes(w, 0, out.append)
    return tuple(out)


def _split_apostrophes(w: str, s: int, append) -> None:
    parts: list[tuple[int, int]] = []
    pos = 0
    for piece in _APOS_SPLIT_RE.split(w):
        parts.append((s + pos, s + pos + len(piece)))
        pos += len(piece) + 1
    if len(parts) > 1 and w[parts[-1][0] - s:] in ("s", "S"):
        parts.pop()  # possessive
    # one-letter French elisions (l', d', n', j') and qu' stay separate words
    while len(parts) > 1 and (parts[0][1] - parts[0][0] == 1
                              or w[parts[0][0] - s:parts[0][1] - s].lower() == "qu"):
        a, b = parts.pop(0)
        append((a, b, word_key(w[a - s:b - s])))
    a, b = parts[0][0], parts[-1][1]
    key = "".join(word_key(w[x - s:y - s]) for x, y in parts)
    if _PLURAL_ACRONYM_RE.match(w[a - s:b - s]):
        b -= 1
        key = key[:-1]
    append((a, b, key))


def key_of(text: str) -> str:
    """Words of `text` joined by single spaces."""
    return " ".join(k for _, _, k in words(text) if k)
