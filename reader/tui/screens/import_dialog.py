"""Palette "Import…": a path or URL prompt, a progress bar while it runs (in a worker, on a
connection of its own), and the closing summary with one reason per skipped item."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static



class ImportScreen(ModalScreen[list[str]]):
    """Returns the ids of new or updated articles."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $panel; padding: 0 1; }
    ImportScreen #report { height: auto; max-height: 14; }
    ImportScreen .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "close", "Close / stop", id="import.close")]

    def __init__(self) -> None:
        super().__init__()
        self._importing = False
        self._stop = False
        self._new: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Import articles", style="bold"))
            yield Input(placeholder="file, folder, glob or http(s) URL (several: separate with spaces)",
                        id="source")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="label")
            with VerticalScroll(id="report"):
                yield Static("", id="lines")
            yield Static(Text("enter starts · escape stops or closes"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query_one("#source").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        import shlex

        try:
            sources = shlex.split(event.value)
        except ValueError:
            sources = event.value.split()
        if not sources:
            self.notify("Type a path or a URL first", markup=False)
            return
        self._start(sources)

    def _start(self, sources: list[str]) -> None:
        if self._importing:
            return
        self._importing = True
        self.query_one("#progress").display = True
        self._run(sources)

    @work(thread=True, exclusive=True, group="import")
    def _run(self, sources: list[str]) -> None:
        from reader.importers import import_sources

        lines: list[str] = []

        def progress(p) -> None:
            if p.item is not None:
                lines.append(p.item.line())
            self.app.call_from_thread(self._progress, p.done, p.total, p.label, list(lines[-200:]))

        try:
            with self.app.session.worker_store() as store:
                report = import_sources(store, sources, progress=progress, stop=lambda: self._stop)
        except Exception as exc:  # never take the app down with a bad import
            self.app.call_from_thread(self._done, f"Import failed: {exc}", lines, [])
            return
        self.app.call_from_thread(self._done, report.summary(), [i.line() for i in report.items],
                                  report.article_ids)

    def _progress(self, done: int, total: int, label: str, lines: list[str]) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#label", Static).update(Text(label[-86:], style="dim"))
        self.query_one("#lines", Static).update(Text("\n".join(lines)))

    def _done(self, summary: str, lines: list[str], new_ids: list[str]) -> None:
        self._importing = False
        self._new = new_ids
        self.query_one("#label", Static).update(Text(summary, style="bold"))
        self.query_one("#lines", Static).update(Text("\n".join(lines)))
        self.query_one("#progress", ProgressBar).update(progress=self.query_one("#progress", ProgressBar).total)
        self.app.refresh_library()

    def action_close(self) -> None:
        if self._importing:
            self._stop = True
            self.notify("Stopping after the current item…", markup=False, timeout=2)
            return
        self.dismiss(self._new)
