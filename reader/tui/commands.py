"""Command palette providers. Textual's fuzzy matcher does not fold accents, so we fold
both the query and the candidates ("tombouctou" finds "Tombouctou", "menaka" finds "Ménaka")."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.text import fold


class ArticleCommands(Provider):
    """"Open article: …" for every article in the library."""

    async def startup(self) -> None:
        self._articles = self.app.store.articles()

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
