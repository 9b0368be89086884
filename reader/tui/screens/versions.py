"""An article's versions, what changed between them, and an orphan's passage where it was written.

Reached with `V` in the reader, *Article versions* in the palette, or `V` on a note in the
orphaned/moved list. The left list holds the versions (newest first); the right pane shows
the word diff from the previous version, hunk by hunk with some context, or — when opened for
a note — the note's passage highlighted in the version it was written on.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from reader import versions as versions_core

CONTEXT = 90  # characters of unchanged text shown around each change


def diff_text(pieces: list[versions_core.DiffPiece], context: int = CONTEXT) -> Text:
    """Removed words struck through in red, added words underlined in green, unchanged runs
    shortened to their ends so a long article shows only what changed."""
    out = Text()
    changed = [i for i, p in enumerate(pieces) if p.kind != "same"]
    if not changed:
        return Text("No change in the text.", style="dim")
    for i, p in enumerate(pieces):
        if p.kind == "removed":
            out.append(p.text, style="strike red")
        elif p.kind == "added":
            out.append(p.text, style="bold underline green")
        else:
            text = p.text
            first, last = i == 0, i == len(pieces) - 1
            if len(text) > 2 * context + 20:
                head = "" if first else text[:context]
                tail = "" if last else text[-context:]
                out.append(head)
                out.append(" … ", style="dim")
                out.append("\n\n" if head or tail else "")
                out.append(tail)
            else:
                out.append(text)
    return out


def passage_text(text: str, start: int, end: int, context: int = 600) -> Text:
    """The passage highlighted inside its surroundings."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    out = Text()
    if lo > 0:
        out.append("… ", style="dim")
    out.append(text[lo:start])
    out.append(text[start:end], style="reverse bold")
    out.append(text[end:hi])
    if hi < len(text):
        out.append(" …", style="dim")
    return out


class VersionsScreen(Screen):
    """Versions of one article; `note` (a Note) opens on the version it was written on."""

    DEFAULT_CSS = """
    VersionsScreen #versions-title { height: 1; padding: 0 1; background: $boost; }
    VersionsScreen #versions-hint { height: auto; padding: 0 1; color: $text-muted; }
    VersionsScreen #versions-body { height: 1fr; }
    VersionsScreen #versions-list { width: 38; min-width: 24; border: none; border-right: solid $panel; }
    VersionsScreen #versions-pane { width: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="versions.back"),
        Binding("j", "down", "Down", show=False, id="versions.down"),
        Binding("k", "up", "Up", show=False, id="versions.up"),
    ]

    def __init__(self, article_id: str, *, note=None) -> None:
        super().__init__()
        self.article_id = article_id
        self.note = note
        self.versions: list[versions_core.Version] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="versions-title")
        yield Static("", id="versions-hint")
        with Horizontal(id="versions-body"):
            yield OptionList(id="versions-list")
            with VerticalScroll(id="versions-pane"):
                yield Static("", id="versions-diff")
        yield Footer()

    def on_mount(self) -> None:
        conn = self.app.session.store.conn
        self.versions = list(reversed(versions_core.versions(conn, self.article_id)))
        article = self.app.session.store.article(self.article_id)
        title = article.title if article else self.article_id
        self.query_one("#versions-title", Static).update(
            Text.assemble(("Versions of ", "bold"), (title, "bold italic"), f"  ({len(self.versions)})"))
        hint = ("enter or j/k: what changed from the version before · q back")
        if self.note is not None:
            hint = "The note's passage in the version it was written on · j/k other versions · q back"
        self.query_one("#versions-hint", Static).update(Text(hint))
        box = self.query_one(OptionList)
        for v in self.versions:
            label = Text(v.created[:16].replace("T", " "), style="bold")
            label.append(f"  {v.produced_by}", style="italic")
            if v.current:
                label.append("  current", style="bold green")
            label.append(f"\n  {v.words:,} words · {v.hash[:8]}", style="dim")
            if v.source:
                label.append(f"\n  {v.source[-34:]}", style="dim")
            box.add_option(Option(label, id=v.hash))
        if not self.versions:
            box.add_option(Option(Text("No versions recorded for this article.", style="dim"), disabled=True))
            return
        start = 0
        if self.note is not None:
            wanted = self.note.origin_hash or self.note.article_hash
            start = next((i for i, v in enumerate(self.versions) if v.hash == wanted), 0)
        box.highlighted = start
        box.focus()
        self._show(start)

    @on(OptionList.OptionHighlighted, "#versions-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.versions):
            self._render_version(index)

    @work(thread=True, exclusive=True, group="versions-diff")
    def _render_version(self, index: int) -> None:
        """Diffs of long articles take a moment: computed off the UI thread."""
        with self.app.session.worker_store() as store:
            v = self.versions[index]
            text = versions_core.version_text(store.conn, self.article_id, v.hash) or ""
            head = Text.assemble((f"{v.created[:16].replace('T', ' ')} · {v.produced_by}", "bold"),
                                 f" · {v.words:,} words\n\n")
            note = self.note
            if note is not None and v.hash in (note.origin_hash, note.article_hash):
                placed = self._note_span(note, v.hash, text)
                if placed is not None:
                    head.append("Where the note was written:\n\n", style="bold")
                    body = passage_text(text, *placed)
                else:
                    body = Text("The passage is not in this version.", style="dim")
            elif index + 1 < len(self.versions):
                older = self.versions[index + 1]
                old_text = versions_core.version_text(store.conn, self.article_id, older.hash) or ""
                pieces = versions_core.word_diff(old_text, text)
                head.append(f"Changes since {older.created[:16].replace('T', ' ')} "
                            f"({versions_core.diff_summary(pieces)}):\n\n", style="bold")
                body = diff_text(pieces)
            else:
                head.append("The first version.\n\n", style="bold")
                body = Text(text[:4000] + (" …" if len(text) > 4000 else ""))
        self.app.call_from_thread(self._set_pane, head + body)

    @staticmethod
    def _note_span(note, hash_: str, text: str) -> tuple[int, int] | None:
        if hash_ == note.origin_hash and note.origin_start is not None and \
                text[note.origin_start:note.origin_end] == note.origin_quote:
            return note.origin_start, note.origin_end
        if hash_ == note.article_hash and note.start is not None and text[note.start:note.end] == note.quote:
            return note.start, note.end
        return None

    def _set_pane(self, content: Text) -> None:
        if self.is_attached:
            self.query_one("#versions-diff", Static).update(content)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
