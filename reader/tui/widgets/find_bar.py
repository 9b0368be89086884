"""The find-in-article bar (`/`): what you type and "n/m" (or "no match") at the bottom of the
reader. It owns the matches and the current one; the screen hears about them by messages and
moves the caret."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from reader.text import fold, fold_with_map


def find_all(body: str, query: str, folded: tuple[str, list[int]] | None = None) -> list[tuple[int, int]]:
    """Original-text spans of every accent/case-insensitive occurrence of `query`."""
    needle = fold(" ".join(query.split()))
    if not needle:
        return []
    text, offsets = folded or fold_with_map(body)
    spans, i = [], text.find(needle)
    while i >= 0:
        spans.append((offsets[i], offsets[i + len(needle)]))
        i = text.find(needle, i + max(1, len(needle)))
    return spans


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $boost; }
    FindBar.visible { display: block; }
    FindBar #find-label { width: auto; padding: 0 0 0 1; color: $text-muted; }
    FindBar > Input, FindBar > Input:focus { border: none; height: 1; width: 1fr; min-width: 12;
        padding: 0 1; background: $boost; }
    FindBar #find-count { width: auto; min-width: 8; padding: 0 1; color: $text-muted; text-align: right; }
    FindBar #find-count.no-match { color: $text-error; text-style: bold; }
    """

    class Changed(Message):
        """The matches changed (typing) or the current match moved (enter, n, N)."""

        def __init__(self, bar: FindBar, matches: list[tuple[int, int]], current: int | None,
                     *, move_caret: bool) -> None:
            super().__init__()
            self.bar = bar
            self.matches = matches
            self.current = current
            self.move_caret = move_caret  # False while typing: only the view follows

        @property
        def control(self) -> FindBar:
            return self.bar

        @property
        def match(self) -> tuple[int, int] | None:
            return self.matches[self.current] if self.current is not None else None

    class Closed(Message):
        """The bar was closed: its highlights should go."""

        def __init__(self, bar: FindBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FindBar:
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._body = ""
        self._folded: tuple[str, list[int]] | None = None
        self.matches: list[tuple[int, int]] = []
        self.current: int | None = None
        self._origin = 0

    def compose(self) -> ComposeResult:
        yield Static(Text("/"), id="find-label")
        yield Input(placeholder="find (accents optional) · enter · n/N · esc", id="find-input")
        yield Static("", id="find-count")

    @property
    def is_open(self) -> bool:
        return self.has_class("visible")

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    def open(self, body: str, origin: int) -> None:
        """Show the bar for `body`; the first match at or after `origin` becomes current."""
        if body is not self._body:
            self._body, self._folded = body, None
        self._origin = origin
        self.add_class("visible")
        self.query_one(Input).focus()

    def close(self) -> None:
        self.remove_class("visible")
        self.post_message(self.Closed(self))

    @on(Input.Changed, "#find-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._folded is None:
            self._folded = fold_with_map(self._body)
        self.matches = find_all(self._body, event.value, self._folded)
        self.current = next((i for i, (s, _e) in enumerate(self.matches) if s >= self._origin),
                            0 if self.matches else None)
        self._show_count()
        self.post_message(self.Changed(self, self.matches, self.current, move_caret=False))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.matches:
            self.close()
            return
        self.post_message(self.Changed(self, self.matches, self.current, move_caret=True))

    def step(self, direction: int) -> bool:
        """Make the next (1) or previous (-1) match current; False when there is nothing to find."""
        if not self.matches:
            return False
        if self.current is None:
            self.current = 0 if direction > 0 else len(self.matches) - 1
        else:
            self.current = (self.current + direction) % len(self.matches)
        self._show_count()
        self.post_message(self.Changed(self, self.matches, self.current, move_caret=True))
        return True

    def _show_count(self) -> None:
        count = self.query_one("#find-count", Static)
        count.set_class(bool(self.query_text.strip()) and not self.matches, "no-match")
        if not self.query_text.strip():
            count.update("")
        elif not self.matches:
            count.update(Text("no match"))
        else:
            count.update(Text(f"{self.current + 1 if self.current is not None else '–'}/{len(self.matches)}"))

    def on_key(self, event) -> None:
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            self.close()
