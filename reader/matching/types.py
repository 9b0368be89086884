"""What the matcher returns: mentions of entries, and candidate names it does not know."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """A span of the text (original offsets, end exclusive) naming a gazetteer entry.

    `inside` is set only on nested mentions (`Analysis.inner`): the (start, end) of the
    outer mention that contains this one ("Ogossagou" inside "the Ogossagou massacre").
    """

    start: int
    end: int
    text: str
    entry_id: str
    alias: str
    score: float
    alternatives: tuple[str, ...] = ()
    inside: tuple[int, int] | None = None


@dataclass(frozen=True)
class Candidate:
    """A capitalised name that looks like a group or a person but is in no entry (class 8).

    `type` is the guess ("group" or "person") and `cue` the word that suggested it.
    """

    start: int
    end: int
    text: str
    type: str
    cue: str


@dataclass(frozen=True)
class Analysis:
    """Everything `Matcher.analyse` finds in one text.

    `mentions` never overlap (what `Matcher.find` returns); `inner` are the places named
    inside them, each with `inside` set; `candidates` are unknown names, only when asked.
    """

    mentions: list[Mention]
    inner: list[Mention] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
