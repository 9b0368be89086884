"""The article's mentions as the reader's panes share them, and what is at an offset.

The reader screen publishes its mentions in a reactive bound to the sidebar; the value says
how far matching has got:

- `NOT_MATCHED`: the matcher has not run yet (the sidebar's "In this article" stays empty
  rather than claiming there are none);
- `FirstScreenMentions`: only the passage the first frame shows, of a long article never
  matched before (the card follows them; the lists wait for the whole article);
- any other sequence: every mention of the article, in text order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from reader.matcher import Mention
from reader.ner.types import Candidate

NOT_MATCHED: tuple[Mention, ...] = ()  # mentions before the matcher has run (a match is a list)


class FirstScreenMentions(tuple):
    """The mentions of the first screenful only, while the whole article is being matched."""


def is_complete(mentions: Sequence[Mention]) -> bool:
    """True when `mentions` are the whole article's (not NOT_MATCHED, not a first screen)."""
    return mentions is not NOT_MATCHED and not isinstance(mentions, FirstScreenMentions)


class MentionIndex:
    """Mentions in text order, looked up by character offset (a bisection on their starts)."""

    def __init__(self, mentions: Sequence[Mention] = NOT_MATCHED) -> None:
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def at(self, offset: int) -> Mention | None:
        """The mention that holds `offset`, if any."""
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.mentions[i].start <= offset < self.mentions[i].end:
            return self.mentions[i]
        return None


def candidate_at(candidates: Sequence[Candidate], offset: int) -> Candidate | None:
    """The name not in the gazetteer that holds `offset`, if any."""
    return next((c for c in candidates if c.start <= offset < c.end), None)


def next_stop(stops: list[int], offset: int) -> int | None:
    """The first of the sorted `stops` after `offset` (None when there is none)."""
    i = bisect_right(stops, offset)
    return stops[i] if i < len(stops) else None


def previous_stop(stops: list[int], offset: int) -> int | None:
    """The last of the sorted `stops` before `offset` (None when there is none)."""
    i = bisect_left(stops, offset) - 1
    return stops[i] if i >= 0 else None
