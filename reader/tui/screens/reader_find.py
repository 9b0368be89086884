"""`/` finds in the current article, accent- and case-insensitively; `n`/`N` step through."""

from __future__ import annotations

from textual.widgets import Input

from reader.text import fold_with_map
from reader.tui.styles import search_style
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.find_bar import FindBar


def find_all(body: str, query: str, folded: tuple[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """Original-text spans of every accent/case-insensitive occurrence of `query`."""
    from reader.text import fold

    needle = fold(" ".join(query.split()))
    if not needle:
        return []
    text, offsets = folded or fold_with_map(body)
    spans, i = [], text.find(needle)
    while i >= 0:
        spans.append((offsets[i], offsets[i + len(needle)]))
        i = text.find(needle, i + max(1, len(needle)))
    return spans


class FindInArticle:
    def _init_find(self) -> None:
        self.matches: list[tuple[int, int]] = []
        self.match_index: int | None = None
        self._folded = None

    def find_active(self) -> bool:
        return self.query_one(FindBar).has_class("visible")

    def action_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.add_class("visible")
        bar.query_one(Input).focus()

    def close_find(self) -> None:
        bar = self.query_one(FindBar)
        bar.remove_class("visible")
        self.query_one(ArticleView).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "find-input":
            return
        if self._folded is None:
            self._folded = fold_with_map(self.article.body)
        self.matches = find_all(self.article.body, event.value, self._folded)
        style = search_style(self.dark)
        self.query_one(ArticleView).set_layer("find", [Decoration(s, e, style) for s, e in self.matches])
        top = self.query_one(ArticleView).top_offset()
        self.match_index = next((i for i, (s, _e) in enumerate(self.matches) if s >= top), 0 if self.matches else None)
        self._show_match(scroll=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "find-input":
            return
        self.query_one(ArticleView).focus()
        if not self.matches:
            self.close_find()

    def on_key(self, event) -> None:
        if event.key == "escape" and self.find_active() and self.focused is self.query_one("#find-input"):
            event.stop()
            self.close_find()

    def _show_match(self, scroll: bool = True) -> None:
        bar = self.query_one(FindBar)
        query = bar.query_one(Input).value
        bar.set_count(self.match_index, len(self.matches), query)
        view = self.query_one(ArticleView)
        if self.match_index is None:
            view.set_layer("find-current", [])
            return
        s, e = self.matches[self.match_index]
        from rich.style import Style

        view.set_layer("find-current", [Decoration(s, e, Style(reverse=True, bold=True))])
        if scroll:
            view.scroll_to_offset(s, center=True)

    def action_find_next(self) -> None:
        if not self.matches:
            self.notify("Nothing to find: press / and type", markup=False, timeout=2)
            return
        self.match_index = 0 if self.match_index is None else (self.match_index + 1) % len(self.matches)
        self._show_match()

    def action_find_previous(self) -> None:
        if not self.matches:
            self.notify("Nothing to find: press / and type", markup=False, timeout=2)
            return
        self.match_index = len(self.matches) - 1 if self.match_index is None else (self.match_index - 1) % len(self.matches)
        self._show_match()
