"""An entry on its own (from the palette's entry browser): full card, links, backlinks, and
the articles and notes that mention it. `enter` on a link follows it; `backspace` goes back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from reader.timeline import entity_timeline
from reader.tui.widgets.entry_card import also_in_rows
from reader.tui.widgets.sidebar import Sidebar
from reader.tui.widgets.timeline_view import TimelineView


class EntryScreen(Screen):
    HELP_TITLE = "Entry"
    DEFAULT_CSS = """
    EntryScreen Sidebar { width: 1fr; border-left: none; padding: 0 2; }
    EntryScreen #entry-title { height: 1; padding: 0 1; background: $boost; }
    EntryScreen TimelineView { dock: right; width: 45%; padding: 0 1; border-left: vkey $panel-lighten-2; }
    """
    BINDINGS = [
        Binding("q,escape", "back", "Back", id="entry.back"),
        Binding("backspace", "history_back", "Previous entry", id="entry.history_back"),
    ]

    def __init__(self, entity_id: str) -> None:
        super().__init__()
        self.history = [entity_id]

    def compose(self) -> ComposeResult:
        yield Static(Text("Entry", style="bold"), id="entry-title")
        yield TimelineView()
        yield Sidebar()
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        entities = self.app.session.entities
        entry = entities.gazetteer.get(self.history[-1])
        sidebar = self.query_one(Sidebar)
        also = also_in_rows(entities, entry.id, note_limit=20)
        sidebar.show_entry(entry, entities.gazetteer, dark=sidebar.dark, also_in=also)
        self.query_one("#entry-title", Static).update(Text(f"Entry · {entry.name}", style="bold"))
        for wid in ("#in-article",):
            sidebar.query_one(wid).display = False
        for title in sidebar.query(".side-title"):
            if title.id is None:
                title.display = False
        self.query_one(TimelineView).show(entity_timeline(self.app.session.store, entities.gazetteer, entry.id))
        links = sidebar.query_one("#links")
        if links.display:
            links.focus()

    @on(Sidebar.LinkChosen)
    def _link(self, message: Sidebar.LinkChosen) -> None:
        self.history.append(message.entity_id)
        self._show()

    @on(Sidebar.AlsoInChosen)
    def _also(self, message: Sidebar.AlsoInChosen) -> None:
        self.app.open_target(message.target)

    @on(TimelineView.ItemChosen)
    def _timeline_item(self, message: TimelineView.ItemChosen) -> None:
        item = message.item
        self.app.open_article(item.article_id, offset=item.offset or 0)

    def action_history_back(self) -> None:
        if len(self.history) > 1:
            self.history.pop()
            self._show()

    def action_back(self) -> None:
        self.app.pop_screen()
