"""Which selections may become a name in the gazetteer (`A` in the reader): one-line
refusals for the rest. Plain functions, no Textual."""

from __future__ import annotations

import re

from reader.matcher import common_words
from reader.text import fold

MIN_ALIAS_LETTERS = 3


def alias_refusal(surface: str, body: str = "") -> str | None:
    """Why `surface` cannot become a name (one line), or None when it can."""
    letters = sum(ch.isalpha() for ch in surface)
    if len(surface) > 80:
        return "That selection is too long to be a name"
    if not any(ch.isalpha() for ch in surface):
        return f"“{surface}” has no letters: numbers and punctuation cannot be names"
    if letters < MIN_ALIAS_LETTERS:
        return f"“{surface}” is too short to be a name (at least {MIN_ALIAS_LETTERS} letters)"
    if is_ordinary_word(surface, body):
        return f"“{surface}” is an ordinary word: as a name it would be highlighted everywhere (select more words)"
    return None


def is_ordinary_word(surface: str, body: str = "") -> bool:
    """A single common English or French word (the matcher's list) written in lower case, or
    capitalised here but also used in lower case in the same text ("Since" / "since").
    Place names are in the frequency list too ("Gao"), hence the test on how it is written."""
    word = surface.strip(".,;:!?\"'’()«»")
    if len(word.split()) != 1 or fold(word) not in common_words():
        return False
    if not word[:1].isupper():
        return True
    return re.search(r"(?<!\w)" + re.escape(word.lower()) + r"(?!\w)", body) is not None
