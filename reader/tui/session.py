"""The app's one typed handle to the data: the store, the notes and the entities.

Screens reach the data through `app.session` (`Session`), never by building stores or note
stores of their own. The gazetteer and matcher load in a worker after the first frame, so
there is one typed way of asking for them: `session.entities` where they must be there (a
screen only reachable once they are; it raises `EntitiesNotLoaded` otherwise), and
`session.entities_or_none()` where they may still be loading. `notes` is wired to the
matcher as soon as it is there.

Database connections, one rule per thread:

- The UI thread and the entities worker share `session.store` (one SQLite connection opened
  with ``check_same_thread=False``). Every write on it goes through `Store.transaction()`,
  which takes the store's lock, so a background write and a UI write never interleave; a
  write made from the UI thread passes ``wait_ms`` so that another program holding the
  database cannot freeze the screen (`MaliReaderApp.write` reports the refusal in one line).
- Every other worker (search, import, feed refresh, version diffs) opens a connection of its
  own with `worker_store()` and closes it when done, so a long query or import never holds
  the connection the UI reads from.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.store import Store, StoreError

if TYPE_CHECKING:
    from reader.articles import Article
    from reader.entities import Entities
    from reader.notes import NoteStore


class EntitiesNotLoaded(RuntimeError):
    """`Session.entities` was asked for before the entities worker finished."""


@dataclass
class Session:
    store: Store
    gazetteer_path: Path | None = None
    entities_ready: threading.Event = field(default_factory=threading.Event)
    _entities: Entities | None = field(default=None, repr=False)  # set by `load_entities`
    _notes: NoteStore | None = field(default=None, repr=False)

    def load_entities(self) -> Entities:
        """Build the gazetteer and matcher (slow: call it from a worker); raises on failure."""
        from reader.entities import Entities

        entities = Entities(self.store, self.gazetteer_path)
        self._entities = entities
        self.entities_ready.set()
        return entities

    @property
    def entities(self) -> Entities:
        """The gazetteer and matcher; raises `EntitiesNotLoaded` while they are still loading
        (ask `entities_or_none()` where that can happen)."""
        if self._entities is None:
            raise EntitiesNotLoaded("the gazetteer is still loading")
        return self._entities

    def entities_or_none(self) -> Entities | None:
        """The gazetteer and matcher, or None while the entities worker is still loading them."""
        return self._entities

    @property
    def notes(self) -> NoteStore:
        """The NoteStore, wired to the entity matcher once it is loaded (until then notes are
        saved without their entities)."""
        if self._notes is None or (self._notes.entity_finder is None and self._entities is not None):
            from reader.notes import NoteStore

            entities = self._entities
            if entities is None:
                self._notes = NoteStore(self.store)
            else:
                def finder(body: str, start: int, end: int) -> list[str]:
                    seen: list[str] = []
                    lo = max(0, start - 200)
                    for m in entities.matcher.find(body[lo:end + 200]):
                        s, e = m.start + lo, m.end + lo
                        if s < end and e > start and m.entry_id not in seen:
                            seen.append(m.entry_id)
                    return seen

                def names(entity_id: str) -> list[str]:
                    entry = entities.gazetteer.get(entity_id)
                    return entry.surface_forms() if entry else []

                self._notes = NoteStore(self.store, entity_finder=finder, entity_names=names)
        return self._notes

    FILL_ON_OPEN_BYTES = 256_000  # larger pages are filled by `mali-reader maintain`

    def article_to_read(self, article_id: str) -> Article | None:
        """The article, with its structure filled from its source file the first time it is
        read when it was stored without (`reader.importers.restructure`). UI thread."""
        from reader.importers.restructure import fill_structure

        article = self.store.article(article_id)
        if article is None:
            return None
        try:
            return fill_structure(self.store, article, wait_ms=200, max_file_bytes=self.FILL_ON_OPEN_BYTES)
        except StoreError:
            return article  # busy elsewhere: read it plain now, fill it another time

    def has_entry(self, entity_id: str) -> bool:
        """True when the entities are loaded and the gazetteer knows `entity_id`."""
        return self._entities is not None and self._entities.gazetteer.get(entity_id) is not None

    @contextmanager
    def worker_store(self) -> Iterator[Store]:
        """A connection of the worker's own (see the module's rule), closed afterwards. A
        read-only store is shared instead: it cannot be written, and may not open twice."""
        if self.store.read_only:
            yield self.store
            return
        store = Store.open(self.store.path, create=False)
        try:
            yield store
        finally:
            store.close()
