"""Command palette providers. Textual's fuzzy matcher does not fold accents, so we fold
both the query and the candidates ("tombouctou" finds "Tombouctou", "menaka" finds "Ménaka")."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.text import fold
from reader.tui.styles import TYPE_LABELS


class ArticleCommands(Provider):
    """"Open article: …" for every article in the library."""

    async def startup(self) -> None:
        self._articles = self.app.session.store.articles()

    async def discover(self) -> Hits:
        for a in self._articles[:20]:
            yield DiscoveryHit(Text(f"Open article: {a.title}"), partial(self.app.open_article, a.id),
                               text=f"Open article: {a.title}", help=a.date or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for a in self._articles:
            label = f"Open article: {a.title}"
            score = matcher.match(fold(f"{label} {a.place} {a.date}"))
            if score > 0:
                yield Hit(score, Text(label), partial(self.app.open_article, a.id), text=label,
                          help=" · ".join(p for p in (a.date, a.place) if p) or None)


class EntryCommands(Provider):
    """"Entry: …" for every gazetteer entry, matched on its name and aliases."""

    async def startup(self) -> None:
        entities = self.app.session.entities_or_none()
        self._entries = []
        if entities is not None:
            for e in entities.gazetteer.entries.values():
                self._entries.append((e, [fold(s) for s in e.surface_forms()]))

    async def search(self, query: str) -> Hits:
        if not self._entries:
            return
        matcher = self.matcher(fold(query))
        for entry, forms in self._entries:
            score = max(matcher.match("entry " + f) for f in forms)
            if score > 0:
                label = f"Entry: {entry.name} ({TYPE_LABELS.get(entry.type, entry.type)})"
                yield Hit(score, Text(label), partial(self.app.open_entry, entry.id), text=label,
                          help=", ".join(entry.aliases[:4]) or None)


class ActionCommands(Provider):
    """The app's actions that have no key of their own."""

    def _commands(self):
        app = self.app
        commands = [
            ("Import articles…", app.action_import, "files, folders, globs, URLs, feeds, OPML"),
            ("Refresh feeds", app.action_refresh_feeds, "fetch new items of subscribed feeds"),
            ("Search notes", app.action_search, "s"),
            ("Orphaned and moved notes", app.action_orphans, "notes whose passage disappeared or was edited"),
            ("Article versions", app.action_versions, "what changed in this article's text (V in the reader)"),
            ("Library map", partial(_open_library_map, app), "places across the library, by date and entity"),
            ("Undo a gazetteer change…", app.action_learned, "x / A corrections, new entries"),
            ("Export gazetteer changes to the overlay", app.action_export_overlay, "user overlay TOML"),
        ]
        screen = self.screen  # the screen the palette was opened from (app.screen is the palette)
        if hasattr(screen, "action_annotate_article"):
            commands.append(("Note on this whole article", screen.action_annotate_article, "article-level note"))
        return commands

    async def discover(self) -> Hits:
        for label, action, help_text in self._commands():
            yield DiscoveryHit(Text(label), action, text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for label, action, help_text in self._commands():
            score = matcher.match(fold(label))
            if score > 0:
                yield Hit(score, matcher.highlight(label), action, text=label, help=help_text)


def _open_library_map(app) -> None:
    # imported when chosen: the map screen pulls in the geo layer, which launch does not need
    from reader.tui.screens.map import open_library_map

    open_library_map(app)
