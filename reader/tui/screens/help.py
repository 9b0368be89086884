"""`?`: every key of the screen underneath, read from its live bindings (never a stale list;
a user keymap shows as remapped)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.tui.keys import binding_keys, describe_key


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    HelpScreen .help-title { text-style: bold; color: $accent; padding-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._rows = _binding_rows(under)
        self._title = getattr(under, "HELP_TITLE", under.__class__.__name__)
        self._extra = getattr(under, "HELP_EXTRA", "")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(f"Keys — {self._title}"), classes="help-title")
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, max_width=24)
            table.add_column()
            for keys, description in self._rows:
                table.add_row(Text(keys), Text(description))  # Text: never parsed as markup
            yield Static(table)
            if self._extra:
                yield Static(Text(self._extra))
            yield Static(Text("escape / q / ? closes this help", style="dim"))

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one(VerticalScroll)
        scroller.scroll_down() if direction == "down" else scroller.scroll_up()

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)


def _binding_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) for the screen's live bindings: the focused widget's, the screen's
    and the app's, after any user keymap (`App.set_keymap`) has been applied. Each key is
    listed once (the binding that wins, as when pressed); keys of one action share a row."""
    rows: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        description = binding.description
        if binding.tooltip:
            description = f"{description} — {binding.tooltip}"
        keys = rows.setdefault((binding.action, description), [])
        shown = describe_key(key)
        if shown not in keys:
            keys.append(shown)
    # letters before arrows and named keys: "j ↓", "g home"
    return [(" ".join(sorted(keys, key=lambda k: (not (len(k) == 1 and k.isascii()), ))), description)
            for (_action, description), keys in rows.items()]

