"""Text hygiene and normalisation shared by every part of the reader.

Untrusted text (articles, feeds, gazetteer overlays, notes) enters the system through
`sanitize`, so that nothing downstream can be tricked into emitting terminal escape
sequences. Matching and search compare *folded* text (`fold`) but must report offsets in
the original text, hence `fold_with_map`.
"""

from __future__ import annotations

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
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")  # the same set; str.translate is a slow per-character loop


# Invisible characters that only split words: "Ga\u200bo" must read, match and search as "Gao".
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u180e"))
_ZERO_WIDTH_RE = re.compile("[\u200b\u2060\ufeff\u00ad\u180e]")
_JOINERS = "\u200c\u200d"  # ZWNJ/ZWJ: needed between letters of joining scripts and in emoji


def _joining(ch: str) -> bool:
    o = ord(ch)
    return (0x0600 <= o <= 0x08FF or 0x0900 <= o <= 0x0DFF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFE
            or 0x1800 <= o <= 0x18AF or o >= 0x1F000 or 0x2600 <= o <= 0x27BF or o == 0xFE0F)


def strip_zero_width(text: str) -> str:
    """Remove zero-width spaces, word joiners, stray BOMs and soft hyphens, and ZWJ/ZWNJ except
    between two characters of a joining script (Arabic, Indic, Mongolian) or in emoji sequences."""
    text = _ZERO_WIDTH_RE.sub("", text)
    if "\u200c" not in text and "\u200d" not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch in _JOINERS and not (0 < i < len(text) - 1 and _joining(text[i - 1]) and _joining(text[i + 1])):
            continue
        out.append(ch)
    return "".join(out)


# C0/C1 controls (Unicode category Cc) except tab and newline, plus the line/paragraph
# separators: one C-speed regex instead of a category look-up per character (an import
# sanitises every article, and a per-character loop cost more than everything else).
_UNWANTED_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


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
    if text.isascii() and text.isprintable():
        return text  # the usual title or tag: no escape, control, bidi or invisible character
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI_RE.sub("", text)
    ascii_only = text.isascii()
    if not ascii_only:  # bidi and zero-width characters are all outside ASCII
        text = _BIDI_RE.sub("", text)
        text = strip_zero_width(text)
    text = _UNWANTED_CONTROL_RE.sub("", text)
    if ascii_only or unicodedata.is_normalized("NFC", text):
        return text
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


_NON_ASCII_RUN = re.compile(r"([^\x00-\x7f]+)")


def _fold_ascii(text: str) -> str:
    return text.lower().replace("`", "'")  # what `_fold_char` does to each ASCII character


def fold(text: str) -> str:
    """Lower-case, strip diacritics, unify apostrophes/dashes/spaces: 'Ménaka’s' → "menaka's".

    ASCII runs are folded whole at C speed; only the other characters go one by one (a
    library of 100,000 titles folded character by character took seconds)."""
    if text.isascii():
        return _fold_ascii(text)
    parts = _NON_ASCII_RUN.split(text)  # ASCII at even indices, the rest at odd ones
    return "".join(_fold_ascii(p) if i % 2 == 0 else "".join(map(_fold_char, p)) for i, p in enumerate(parts))


def fold_in_place(text: str) -> str | None:
    """`fold(text)` when every character folds to exactly one character (so an offset in the
    folded text is the same offset in `text`), else None (use `fold_with_map`).

    Most text qualifies (accents are dropped, not letters), and this costs what `fold` does;
    `fold_with_map` builds a list entry per character of the text.
    """
    if text.isascii():
        return _fold_ascii(text)
    parts = _NON_ASCII_RUN.split(text)
    out = []
    for i, p in enumerate(parts):
        if i % 2 == 0:
            out.append(_fold_ascii(p))
            continue
        folded = [_fold_char(ch) for ch in p]
        if any(len(f) != 1 for f in folded):
            return None
        out.append("".join(folded))
    return "".join(out)


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
    import hashlib  # not needed to show the library

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())


_SLUG_RE = re.compile(r"[^a-z0-9]+")


_UNICODE_SLUG_RE = re.compile(r"[\W_]+")


def slugify(text: str, max_len: int = 80) -> str:
    """Slug for ids: 'Tinzaouaten, juillet 2024' → 'tinzaouaten-juillet-2024'.

    Text in the Latin script folds to ASCII as it always has (ids already stored stay what
    they are). Letters and digits of other scripts are transliterated with anyascii
    ('Нападение в Гао' → 'napadenie-v-gao', 'هجوم في غاو' → 'hjwm-fy-ghw') instead of being
    dropped, so that Arabic, Cyrillic or CJK titles do not all become 'untitled'. What anyascii
    cannot spell keeps its own letters (a Unicode slug); text with no letters or digits at all
    is 'untitled'.
    """
    if not any(_other_script(c) for c in text):
        return _ascii_slug(fold(text), max_len) or "untitled"
    from anyascii import anyascii

    spelled = "".join(anyascii(c).lower() if _other_script(c) else _fold_char(c) for c in text)
    slug = _ascii_slug(spelled, max_len)
    if not slug:
        slug = _UNICODE_SLUG_RE.sub("-", unicodedata.normalize("NFKC", text).casefold()).strip("-")
        slug = slug[:max_len].rstrip("-")
    return slug or "untitled"


def _ascii_slug(folded: str, max_len: int) -> str:
    return _SLUG_RE.sub("-", folded).strip("-")[:max_len].rstrip("-")


def _other_script(c: str) -> bool:
    """A letter or digit outside ASCII and the Latin script (Arabic, Cyrillic, Tifinagh, CJK...)."""
    return not c.isascii() and c.isalnum() and not unicodedata.name(c, "").startswith("LATIN")
