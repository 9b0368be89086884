"""What NER adds: a candidate name, in the same shape as the matcher's own candidates.

`Candidate` has the fields of `reader.matching.types.Candidate` (start, end, text, type,
cue, in that order) so code that shows or exports one handles both; `source` says which
recogniser proposed it ("ner" here) and `key` is the folded name that makes several
occurrences in an article one candidate.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """A name in no gazetteer entry: offsets into the text (end exclusive), its text, a
    guessed type (person, org, place, group) and the cue for it (the NER label, the group
    word, or "repeat" for a later occurrence of the same name)."""

    start: int
    end: int
    text: str
    type: str
    cue: str
    source: str = "ner"
    key: str = ""
