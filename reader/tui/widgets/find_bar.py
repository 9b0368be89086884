"""The find-in-article bar (`/`): an input and a match counter at the bottom of the reader."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $boost; }
    FindBar.visible { display: block; }
    FindBar Input { border: none; height: 1; width: 1fr; padding: 0 1; }
    FindBar #find-count { width: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("find:"), id="find-label")
        yield Input(placeholder="words in this article (accents optional) · enter · n/N · escape",
                    id="find-input")
        yield Static("", id="find-count")

    def set_count(self, current: int | None, total: int, query: str) -> None:
        count = self.query_one("#find-count", Static)
        if not query:
            count.update("")
        elif not total:
            count.update(Text("no match", style="bold red"))
        else:
            count.update(Text(f"{current + 1 if current is not None else '–'}/{total}"))
