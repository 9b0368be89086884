"""Anchoring notes to passages so they survive edits of the article text.

A passage is remembered twice, as the W3C Web Annotation model does: a TextQuoteSelector
(the exact text plus some context either side) and a TextPositionSelector (start/end
offsets, Python ``str`` indices, end exclusive). Positions alone break on the first edit;
quotes alone are ambiguous when a phrase repeats. Re-anchoring therefore tries, in order:
the stored position (only trusted when the article hash is unchanged *and* the text there is
still the quote), the exact quote (best context, then nearest to the old position), and a
fuzzy search scored on quote, prefix, suffix and distance.

The fuzzy step has a minimum score, and short exact quotes need matching context too. Web
annotation tools that lack such a floor re-attach notes to look-alike text elsewhere, which
is worse than admitting the passage is gone: an orphaned note is kept and can be
re-attached by hand, a mis-anchored one silently lies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

CONTEXT_CHARS = 32
# A candidate is accepted when its weighted score reaches MIN_SCORE and its text is at
# least MIN_QUOTE similar to the quote. The weights favour the quote itself; context and
# distance separate a genuinely edited passage from a similar sentence elsewhere.
MIN_SCORE = 0.72
MIN_QUOTE = 0.75
WEIGHTS = {"quote": 0.5, "prefix": 0.2, "suffix": 0.2, "distance": 0.1}
# An exact quote this long is distinctive enough to be trusted without matching context.
LONG_QUOTE = 32


@dataclass(frozen=True)
class Anchor:
    """A TextQuoteSelector (exact, prefix, suffix) together with a TextPositionSelector."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    """Where an anchor landed in a text; `method` is "position", "exact" or "fuzzy"."""

    start: int
    end: int
    method: str
    score: float


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    """The selectors for ``text[start:end]``; raises ValueError for an empty or out-of-range span."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"passage {start}-{end} is not inside the article (0-{len(text)})")
    return Anchor(exact=text[start:end], prefix=text[max(0, start - context):start],
                  suffix=text[end:end + context], start=start, end=end)


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every (start, end) where `quote` occurs exactly (overlaps included)."""
    out, i = [], text.find(quote) if quote else -1
    while i >= 0:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return fuzz.ratio(a, b) / 100.0


def score_candidate(text: str, anchor: Anchor, start: int, end: int) -> tuple[float, float]:
    """(overall score, quote similarity) of placing `anchor` at ``text[start:end]``."""
    q = _similarity(anchor.exact, text[start:end])
    if anchor.prefix:
        p = _similarity(anchor.prefix, text[max(0, start - len(anchor.prefix)):start])
    else:  # the passage opened the article: it should still be near the start
        p = 1.0 if start <= CONTEXT_CHARS else 0.0
    if anchor.suffix:
        s = _similarity(anchor.suffix, text[end:end + len(anchor.suffix)])
    else:
        s = 1.0 if len(text) - end <= CONTEXT_CHARS else 0.0
    d = 1.0 - min(abs(start - anchor.start) / max(len(text), 1), 1.0)
    w = WEIGHTS
    return w["quote"] * q + w["prefix"] * p + w["suffix"] * s + w["distance"] * d, q


_BOUNDARY_RE = re.compile(r"\b|(?<=\s)|(?=\s)")


def _boundaries(text: str, lo: int, hi: int) -> list[int]:
    lo, hi = max(0, lo), min(len(text), hi)
    return sorted({m.start() for m in _BOUNDARY_RE.finditer(text, lo, hi)} | {lo, hi})


def _refine(text: str, anchor: Anchor, start: int, end: int) -> tuple[int, int]:
    """Snap a rough match to the word boundaries that make it most like the quote."""
    slack = max(6, len(anchor.exact) // 3)
    starts = [b for b in _boundaries(text, start - slack, start + slack + 1)]
    ends = [b for b in _boundaries(text, end - slack, end + slack + 1)]
    best, best_span = -1.0, (start, end)
    for s in starts:
        for e in ends:
            if e - s < 1:
                continue
            r = fuzz.ratio(anchor.exact, text[s:e])
            if r > best or (r == best and abs(s - start) + abs(e - end) < abs(best_span[0] - start) + abs(best_span[1] - end)):
                best, best_span = r, (s, e)
    return best_span


def _fuzzy_candidates(text: str, anchor: Anchor, limit: int = 6) -> list[tuple[int, int]]:
    """Rough spans whose text resembles the quote: windows of its length, best first."""
    n = len(anchor.exact)
    if n == 0 or not text:
        return []
    step = max(1, n // 4)
    starts = list(range(0, max(1, len(text) - n + 1), step))
    if starts[-1] != max(0, len(text) - n):
        starts.append(max(0, len(text) - n))
    windows = [text[s:s + n] for s in starts]
    cutoff = MIN_QUOTE * 100 * 0.8  # coarse windows are misaligned: be lenient here
    found = process.extract(anchor.exact, windows, scorer=fuzz.ratio, limit=limit * 3,
                            score_cutoff=cutoff)
    spans: list[tuple[int, int]] = []
    for _, _, idx in found:
        s = starts[idx]
        if all(abs(s - t) >= n // 2 for t, _ in spans):
            spans.append((s, s + n))
        if len(spans) >= limit:
            break
    # the old position itself, in case the edit was large enough to defeat the windows
    old = min(max(0, anchor.start), max(0, len(text) - n))
    if all(abs(old - t) >= n // 2 for t, _ in spans):
        spans.append((old, old + n))
    return spans


def locate(text: str, anchor: Anchor, *, same_hash: bool = False) -> Placement | None:
    """Where `anchor` belongs in `text` now, or None when it cannot be placed honestly.

    `same_hash` says the text is the one the anchor was made against (hash unchanged), so
    the stored position is tried first; it is still checked against the quote.
    """
    if not anchor.exact:
        return None
    if same_hash and text[anchor.start:anchor.end] == anchor.exact:
        return Placement(anchor.start, anchor.end, "position", 1.0)

    exact = find_quote(text, anchor.exact)
    if exact:
        scored = [(score_candidate(text, anchor, s, e)[0], -abs(s - anchor.start), s, e) for s, e in exact]
        score, _, s, e = max(scored)
        if len(anchor.exact) >= LONG_QUOTE or score >= MIN_SCORE:
            return Placement(s, e, "exact", score)

    best: tuple[float, int, int] | None = None
    for s0, e0 in _fuzzy_candidates(text, anchor):
        s, e = _refine(text, anchor, s0, e0)
        score, q = score_candidate(text, anchor, s, e)
        if q < MIN_QUOTE or score < MIN_SCORE:
            continue
        if best is None or score > best[0]:
            best = (score, s, e)
    if best is not None:
        return Placement(best[1], best[2], "fuzzy", best[0])
    return None
