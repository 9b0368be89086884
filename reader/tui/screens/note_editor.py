"""The note editor: the quoted passage (literal), a multi-line body, tags with completion.

It docks at the bottom of the screen, over at most 60% of it, so the passage being annotated
(scrolled near the top by the reader) stays in view while you write.

Saving goes through a callback that may fail (read-only or full disk, locked database):
the editor then stays open with the typed text intact and says why, so no note is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Static, TextArea


class TagSuggester(Suggester):
    """Completes the last tag being typed from the tags already used."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",") if "," in value else ("", "", value)
        if " " in last.strip():
            head2, _, last = last.rpartition(" ")
            head, sep = (head + sep + head2), " "
        stem = last.strip().lower()
        if not stem:
            return None
        for tag in self._tags:
            if tag.startswith(stem) and tag != stem:
                prefix = value[: len(value) - len(last.lstrip())]
                return prefix + tag
        return None


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; max-width: 100%; height: auto; border: round $warning;
        background: $panel; padding: 0 1; }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._question))
            with Horizontal():
                yield Button(f"{self._yes} (y)", id="yes", variant="warning")
                yield Button(f"{self._no} (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class NoteEditor(ModalScreen[object]):
    """Returns whatever `save` returned (a Note), or None when cancelled."""

    DEFAULT_CSS = """
    NoteEditor { align: center bottom; background: $background 15%; }
    NoteEditor > Vertical { width: 100%; max-width: 110; height: auto; max-height: 60%;
        border: round $accent; background: $panel; padding: 0 1; }
    NoteEditor #quote { max-height: 3; color: $text-muted; border-left: thick $warning; padding-left: 1; }
    NoteEditor #body { height: 6; min-height: 3; }
    NoteEditor #tags, NoteEditor #tags:focus { border: none; height: 1; padding: 0 1; background: $boost; }
    NoteEditor #status { color: $error; height: auto; }
    NoteEditor .label { color: $text-muted; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="editor.save"),
        Binding("escape", "cancel", "Cancel", priority=True, id="editor.cancel"),
    ]

    def __init__(self, *, title: str, quote: str, body: str = "", tags: list[str] | None = None,
                 known_tags: list[str] | None = None, save: Callable[[str, list[str]], object]) -> None:
        super().__init__()
        self._title = title
        self._quote = quote
        self._initial = (body, ", ".join(tags or []))
        self._known_tags = known_tags or []
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self._title
            box.border_subtitle = "ctrl+s saves · escape cancels · tab: body ↔ tags"
            if self._quote:
                quote = self._quote if len(self._quote) <= 600 else self._quote[:600] + "…"
                yield Static(Text(quote), id="quote")
            yield TextArea(self._initial[0], id="body", soft_wrap=True, tab_behavior="focus")
            yield Static(Text("Tags (comma separated; → accepts a suggestion)"), classes="label")
            yield Input(self._initial[1], id="tags", suggester=TagSuggester(self._known_tags),
                        placeholder="e.g. fuel, convoys")
            yield Static("", id="status")

    def on_mount(self) -> None:
        self.query_one("#body", TextArea).focus()

    def _values(self) -> tuple[str, list[str]]:
        body = self.query_one("#body", TextArea).text
        raw = self.query_one("#tags", Input).value
        tags = [t.strip() for t in raw.replace(";", ",").split(",") if t.strip()]
        return body, tags

    def _after_typing(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the fields have handled every key already sent to them.

        ctrl+s and escape are priority bindings, handled by the app as soon as they arrive,
        while the characters typed (or pasted) just before them may still wait in the text
        area's own queue: reading it at once saved "…began when " of a note typed fast in
        tmux. A callback posted to each field's queue runs after what is queued there."""
        body = self.query_one("#body", TextArea)
        tags = self.query_one("#tags", Input)
        body.call_later(tags.call_later, callback)

    def action_save(self) -> None:
        self._after_typing(self._save_now)

    def action_cancel(self) -> None:
        self._after_typing(self._cancel_now)

    def _save_now(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return  # already saved or cancelled (a second ctrl+s in the same burst)
        body, tags = self._values()
        if not body.strip() and not tags and not self._quote:
            self.query_one("#status", Static).update(Text("Write something first (or escape to cancel)."))
            return
        try:
            result = self._save(body, tags)
        except Exception as exc:  # keep the text: the user can retry or copy it
            self.query_one("#status", Static).update(Text(f"Not saved: {exc}. Your text is still here."))
            return
        self.dismiss(result)

    def _cancel_now(self) -> None:
        if not self.is_attached or self.app.screen is not self:
            return
        body, tags = self._values()
        if (body, ", ".join(tags)) == (self._initial[0], ", ".join(t for t in self._initial[1].split(", ") if t)) \
                or (not body.strip() and not tags):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard this note? What you typed will be lost.",
                                           yes="Discard", no="Keep editing"), answered)
