"""Plain list screens reached from the palette: gazetteer changes (undo) and orphaned notes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option


class _ListScreen(Screen):
    DEFAULT_CSS = """
    _ListScreen #list-title { height: 1; padding: 0 1; background: $boost; }
    _ListScreen #list-hint { height: auto; padding: 0 1; color: $text-muted; }
    _ListScreen OptionList { height: 1fr; border: none; }
    """
    TITLE_TEXT = ""
    HINT = ""
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="list.back"),
        Binding("j", "down", "Down", show=False, id="list.down"),
        Binding("k", "up", "Up", show=False, id="list.up"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(self.TITLE_TEXT, style="bold"), id="list-title")
        yield Static(Text(self.HINT), id="list-hint")
        yield OptionList(id="items")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        # an item may have been dealt with on the screen it opened (a note re-attached)
        if self.is_mounted:
            self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def reload(self) -> None:
        """Refill the list, keeping the highlight near where it was so `enter` always acts."""
        items = self.query_one(OptionList)
        previous = items.highlighted or 0
        items.clear_options()
        self.fill(items)
        enabled = [i for i in range(items.option_count) if not items.get_option_at_index(i).disabled]
        if enabled:
            items.highlighted = min(enabled, key=lambda i: (abs(i - previous), i))

    def fill(self, items: OptionList) -> None:
        raise NotImplementedError


class LearnedChangesScreen(_ListScreen):
    HELP_TITLE = "Gazetteer changes"
    TITLE_TEXT = "What you taught the gazetteer"
    HINT = "enter undoes the highlighted change · e exports aliases and entries to your overlay TOML"
    BINDINGS = [Binding("e", "export", "Export to overlay", id="learned.export")]

    def fill(self, items: OptionList) -> None:
        entities = self.app.session.entities_or_none()
        changes = entities.changes() if entities else []
        for change in reversed(changes):
            label = Text(change.describe(entities.gazetteer))
            label.append(f"  {change.created[:16].replace('T', ' ')}", style="dim")
            items.add_option(Option(label, id=str(change.id)))
        if not changes:
            items.add_option(Option(Text("No changes yet: x on a mention, A on a selection.", style="dim"),
                                    disabled=True))

    @on(OptionList.OptionSelected)
    def _undo(self, event: OptionList.OptionSelected) -> None:
        change = self.app.write("undo the change", self.app.session.entities.undo, int(event.option.id))
        if change is not None:
            self.notify(f"Undone: {change.describe(self.app.session.entities.gazetteer)}", markup=False, timeout=3)
            self.run_worker(self.app.session.entities.index_library, thread=True, group="reindex", exclusive=True)
        self.reload()

    def action_export(self) -> None:
        try:
            path, count = self.app.session.entities.export_overlay()
        except (ValueError, OSError) as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        self.notify(f"Exported {count} alias(es)/entries to {path}", markup=False, timeout=5)


class OrphansScreen(_ListScreen):
    HELP_TITLE = "Orphaned and moved notes"
    TITLE_TEXT = "Notes to check: moved (needs review) and orphaned"
    HINT = ("Moved: the passage was edited and the note followed it; y accepts the new passage, enter shows it. "
            "Orphaned: the passage is gone; enter opens the article to select a new one (v …, then a). "
            "V shows the article's versions and the passage where the note was written.")
    BINDINGS = [
        Binding("y", "accept", "Accept moved note", id="list.accept_review"),
        Binding("V", "versions", "Versions", id="list.versions"),
    ]

    def fill(self, items: OptionList) -> None:
        moved = self.app.session.notes.needing_review()
        if moved:
            items.add_option(Option(Text(f"Moved — needs review ({len(moved)})", style="bold"), disabled=True))
        for note in moved:
            label = Text("needs review ", style="bold yellow")
            label.append((note.body.strip().splitlines() or ["(no text)"])[0][:90], style="bold")
            label.append("\n  was “" + " ".join(note.review_quote.split())[:110] + "”", style="dim strike")
            label.append("\n  now “" + " ".join(note.quote.split())[:110] + "”", style="italic")
            label.append(f"\n  in {note.article_id}", style="dim")
            items.add_option(Option(label, id=note.id))
        orphans = self.app.session.notes.orphans()
        if orphans and moved:
            items.add_option(Option(Text(f"Orphaned ({len(orphans)})", style="bold"), disabled=True))
        for note in orphans:
            label = Text((note.body.strip().splitlines() or ["(no text)"])[0][:100], style="bold")
            label.append("\n  …" + " ".join(note.prefix.split())[-40:], style="dim")
            label.append(" “" + " ".join(note.quote.split())[:120] + "” ", style="italic")
            label.append(" ".join(note.suffix.split())[:40] + "…", style="dim")
            label.append(f"\n  in {note.article_id}", style="dim")
            items.add_option(Option(label, id=note.id))
        if not orphans and not moved:
            items.add_option(Option(Text("Nothing to check: every note is on its passage.", style="dim"),
                                    disabled=True))

    def _highlighted_note(self):
        items = self.query_one(OptionList)
        if items.highlighted is None:
            return None
        option = items.get_option_at_index(items.highlighted)
        return self.app.session.notes.get(option.id) if option.id else None

    def action_accept(self) -> None:
        note = self._highlighted_note()
        if note is None or not note.needs_review:
            self.notify("Highlight a moved note first (y accepts its new passage)", markup=False, timeout=3)
            return
        if self.app.write("accept the moved note", self.app.session.notes.accept_review, note.id) is not None:
            self.notify("Accepted: the note stays on its new passage", markup=False, timeout=3)
            self.reload()

    def action_versions(self) -> None:
        from reader.tui.screens.versions import VersionsScreen

        note = self._highlighted_note()
        if note is not None:
            self.app.push_screen(VersionsScreen(note.article_id, note=note))

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        note = self.app.session.notes.get(event.option.id)
        if note is None:
            return
        if note.needs_review:
            self.app.open_article(note.article_id, offset=note.start, flash=(note.start, note.end))
            if self._reader_reattaches(note):  # v … a re-selects its passage; y accepts this one
                self.notify("y accepts this passage for the note; or select another (v …) and press a",
                            markup=False, timeout=6)
            return
        if self.app.session.store.article(note.article_id) is None:
            self.notify("Its article is no longer in the library; the note is kept.", markup=False)
            return
        self.app.open_article(note.article_id)
        if self._reader_reattaches(note):
            self.notify("Select the passage for this note (v, then extend) and press a", markup=False, timeout=6)

    def _reader_reattaches(self, note) -> bool:
        """The reader just opened waits for a selection to attach `note` to (`a`)."""
        from reader.tui.screens.reader import ReaderScreen

        screen = self.app.screen
        if not isinstance(screen, ReaderScreen):
            return False
        screen.note_desk.start_reattach(note)
        return True
