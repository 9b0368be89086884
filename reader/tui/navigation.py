"""Where a link, a search result or a history step leads: small frozen values, never strings
to parse. `key` is a stable string for widget option ids only (it is never parsed back)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleTarget:
    """An article, optionally at a character offset (and a passage to flash)."""

    article_id: str
    offset: int | None = None
    flash: tuple[int, int] | None = None

    @property
    def key(self) -> str:
        return f"article:{self.article_id}:{self.offset if self.offset is not None else ''}"


@dataclass(frozen=True)
class NoteTarget:
    """A note (opened in its article, at its passage)."""

    note_id: str

    @property
    def key(self) -> str:
        return f"note:{self.note_id}"


@dataclass(frozen=True)
class EntryTarget:
    """A gazetteer entry's page."""

    entity_id: str

    @property
    def key(self) -> str:
        return f"entry:{self.entity_id}"


Target = ArticleTarget | NoteTarget | EntryTarget
