"""Text hygiene and normalisation shared by every part of the reader.

Untrusted text (articles, feeds, gazetteer overlays, notes) enters the system through
`sanitize`, so that nothing downstream can be tricked into emitting terminal escape
sequences. Matching and search compare *folded* text (`fold`) but must report offsets in
the original text, hence `fold_with_map`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST) and two-character escapes. The 8-bit C1 forms are covered too.
_ANSI_RE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]            # CSI
    | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c)    # OSC, terminated
    | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c)  # DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                              # other two-byte escapes
    | \x1b                                       # lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)

# Bidi embeddings/overrides/isolates can make text display differently from what it is.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


# Invisible characters that only split words: "Ga\u200bo" must read, match and search as "Gao".
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"))
_JOINERS = "\u200c\u200d"  # ZWNJ/ZWJ: needed between letters of joining scripts and in emoji


def _joining(ch: str) -> bool:
    o = ord(ch)
    return (0x0600 <= o <= 0x08FF or 0x0900 <= o <= 0x0DFF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFE
            or 0x1800 <= o <= 0x18AF or o >= 0x1F000 or 0x2600 <= o <= 0x27BF or o == 0xFE0F)


def strip_zero_width(text: str) -> str:
    """Remove zero-width spaces, word joiners, stray BOMs and soft hyphens, and ZWJ/ZWNJ except
    between two characters of a joining script (Arabic, Indic, Mongolian) or in emoji sequences."""
    text = text.translate(_ZERO_WIDTH)
    if "\u200c" not in text and "\u200d" not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch in _JOINERS and not (0 < i < len(text) - 1 and _joining(text[i - 1]) and _joining(text[i + 1])):
            continue
        out.append(ch)
    return "".join(out)


def _is_unwanted_control(ch: str) -> bool:
    if ch in "\n\t":
        return False
    cat = unicodedata.category(ch)
    return cat == "Cc" or ch in "\u2028\u2029"


# What `_is_unwanted_control` rejects (category Cc is exactly U+0000-001F and U+007F-009F),
# as one regex: a per-character Python test cost more than the rest of a note import.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def sanitize(text: str) -> str:
    """Return `text` safe to store and display.

    Removes ANSI/VT escape sequences, C0/C1 control characters (except newline and tab),
    bidi override/isolate characters and zero-width characters where no script needs them
    (`strip_zero_width`), and normalises line endings to ``\\n``. Ordinary
    Unicode (accents, Arabic script, emoji) is kept, as is markup-like text such as
    ``[bold]``: that is made harmless at display time, not removed.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI_RE.sub("", text)
    text = text.translate(_BIDI_CONTROLS)
    text = strip_zero_width(text)
    text = _CONTROL_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def sanitize_line(text: str) -> str:
    """Like `sanitize`, for one-line fields (titles, tags): whitespace runs become one space."""
    return " ".join(sanitize(text).split())


# Characters folded to a plain equivalent before comparison.
_PUNCT_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u02bb": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
}
_LIGATURES = {"\u0153": "oe", "\u0152": "oe", "\u00e6": "ae", "\u00c6": "ae", "\u00df": "ss"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _PUNCT_FOLD:
        return _PUNCT_FOLD[ch]
    if ord(ch) in _ZERO_WIDTH or ch in _JOINERS:
        return ""  # invisible: folded away so matching and search see one word
    low = ch.lower()
    if low in _LIGATURES:
        return _LIGATURES[low]
    decomposed = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base


def fold(text: str) -> str:
    """Lower-case, strip diacritics, unify apostrophes/dashes/spaces: 'Ménaka’s' → "menaka's"."""
    return "".join(_fold_char(c) for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, the index of its source character.

    The map has one extra final entry equal to ``len(text)`` so that a folded end offset
    maps to an original end offset.
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        out.append(folded)
        offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return "".join(out), offsets


def content_hash(text: str) -> str:
    """Stable hash of an article's text, used to notice edits (and to deduplicate)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_len: int = 80) -> str:
    """ASCII slug for ids: 'Tinzaouaten, juillet 2024' → 'tinzaouaten-juillet-2024'."""
    slug = _SLUG_RE.sub("-", fold(text)).strip("-")
    return slug[:max_len].rstrip("-") or "untitled"
