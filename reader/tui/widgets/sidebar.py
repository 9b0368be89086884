"""The sidebar: what the article mentions, the card of the current entry, its links, and
where else it appears. It displays and posts messages; the screen decides what a choice does.

In the reader it is bound (`data_bind`) to the screen's reactives and follows them, never the
other way: `mentions` fills "In this article", `candidates` "Not in the gazetteer", `notes`
and `current_note_id` the notes list, and `caret` the card, which shows the entry of the
mention under the caret (or the name not in the gazetteer under it) and keeps the last one
when the caret leaves a mention. The entry screen binds nothing and fills the card with
`show_entry`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.gazetteer import Entry, Gazetteer
from reader.matcher import Mention
from reader.ner.types import Candidate
from reader.tui.mentions import NOT_MATCHED, MentionIndex, candidate_at, is_complete
from reader.tui.navigation import Target
from reader.tui.widgets.entry_card import also_in_rows, entry_card, hanging
from reader.tui.widgets.note_display import note_label
from reader.tui.styles import TYPE_LABELS, TYPE_ORDER, TYPE_PLURALS, candidate_style, entity_style

CARD_HINT = "Move to a mention with e / E, or pick one under “In this article”."
CARD_DELAY = 0.03  # s: the card follows once the key is handled, so holding `e` never stutters


class SidebarList(OptionList):
    """An OptionList that also answers to j/k/g/G (enter chooses, as in every list)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="sidebar.down"),
        Binding("k", "cursor_up", "Up", show=False, id="sidebar.up"),
        Binding("g", "first", "First", show=False, id="sidebar.first"),
        Binding("G", "last", "Last", show=False, id="sidebar.last"),
    ]


class Sidebar(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    Sidebar { width: 42; border-left: vkey $panel-lighten-2; padding: 0 1; background: $surface; }
    Sidebar .side-title { text-style: bold; color: $text-muted; margin-top: 1; }
    Sidebar OptionList { height: auto; max-height: 14; border: none; padding: 0; background: $surface; }
    Sidebar #card { margin-top: 1; }
    Sidebar #links, Sidebar #also-in, Sidebar #notes { max-height: 8; }
    """

    class EntityChosen(Message):
        """An entity in "In this article" was selected."""

        def __init__(self, entity_id: str) -> None:
            super().__init__()
            self.entity_id = entity_id

    class CandidateChosen(Message):
        """A name under "Not in the gazetteer" was selected (its key, see reader.ner.types)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class LinkChosen(Message):
        def __init__(self, entity_id: str) -> None:
            super().__init__()
            self.entity_id = entity_id

    class AlsoInChosen(Message):
        def __init__(self, target: Target) -> None:
            super().__init__()
            self.target = target

    class NoteChosen(Message):
        def __init__(self, note_id: str) -> None:
            super().__init__()
            self.note_id = note_id

    # What the reader screen binds to its own reactives (see the module's docstring).
    mentions: reactive[Sequence[Mention]] = reactive(NOT_MATCHED, init=False, always_update=True)
    candidates: reactive[Sequence[Candidate]] = reactive(list, init=False, always_update=True)
    caret: reactive[int] = reactive(0, init=False)
    notes: reactive[list] = reactive(list, init=False, always_update=True)
    current_note_id: reactive[str | None] = reactive(None, init=False)

    def __init__(self, *, article_id: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article_id = article_id  # the article being read: "Also in" leaves it out
        self.history: list[str] = []  # entries followed from the card (the last is shown)
        self._index = MentionIndex()
        self._under_caret: tuple[Mention | None, Candidate | None] | None = (None, None)
        self._card_timer: Timer | None = None
        self._also_targets: dict[str, Target] = {}  # option id → where an "Also in" row leads
        self._link_targets: dict[str, str] = {}  # option id → the entry a "Related" row names

    @property
    def dark(self) -> bool:
        theme = self.app.current_theme
        return bool(theme.dark) if theme else True

    # -- following the screen's reactives ------------------------------------------------

    def watch_mentions(self, mentions: Sequence[Mention]) -> None:
        self._index = MentionIndex(mentions)
        self._show_overview()
        self._under_caret = None  # entries may have changed (an alias, a correction): a new card
        self._follow_caret()

    def watch_candidates(self, candidates: Sequence[Candidate]) -> None:
        self._show_candidate_rows()
        self._under_caret = None
        self._follow_caret()

    def watch_caret(self, caret: int) -> None:
        self._follow_caret()

    def watch_notes(self, notes: list) -> None:
        # the text frame first; the list (up to hundreds of rows) right after it
        self.call_after_refresh(self.show_notes, notes)

    def watch_current_note_id(self, note_id: str | None) -> None:
        if note_id is not None:
            self.highlight_note(note_id)

    def _restyle(self, _theme: str) -> None:
        """The theme changed: lists and card hold Rich styles of the old one."""
        self._show_overview()
        self._show_candidate_rows()
        self._under_caret = None
        self._follow_caret()
        if self.history:
            self._show_card()

    def _show_overview(self) -> None:
        entities = self.app.session.entities_or_none()
        if entities is None or not is_complete(self.mentions):
            return  # "In this article" waits for the whole article's mentions
        gaz = entities.gazetteer
        counts: dict[str, list] = {}
        for m in self.mentions:
            entry = gaz.get(m.entry_id)
            if entry is not None:
                counts.setdefault(m.entry_id, [m.entry_id, entry.type, 0])[2] += 1
        # the text frame first; the list (up to hundreds of rows) right after it
        self.call_after_refresh(self.show_overview, [tuple(c) for c in counts.values()], gaz, self.dark)

    def _show_candidate_rows(self) -> None:
        rows: dict[str, list] = {}
        for c in self.candidates:
            row = rows.setdefault(c.key, [c.key, c.text, c.type, 0])
            row[3] += 1
            if c.cue != "repeat" and len(c.text) > len(row[1]):
                row[1] = c.text  # the fullest spelling names the row ("Amadou Koufa", not "Koufa")
        self.show_candidates([tuple(r) for r in rows.values()], self.dark)

    # -- the card follows the caret -------------------------------------------------------

    def _follow_caret(self) -> None:
        """Show the card of the mention under the caret, or of the name not in the gazetteer
        under it; off both, the card stays as it is."""
        m = self._index.at(self.caret)
        c = candidate_at(self.candidates, self.caret) if m is None else None
        if (m, c) == self._under_caret:
            return
        self._under_caret = (m, c)
        if c is not None:
            self.show_candidate(c, dark=self.dark)
        if m is None:
            return
        self.history = [m.entry_id]
        if self._card_timer is not None:
            self._card_timer.stop()
        self._card_timer = self.set_timer(CARD_DELAY, self._show_card, name="card")

    def _show_card(self) -> None:
        """The card of the last entry in `history`, with the mention's other meanings when it
        is the entry of the mention under the caret."""
        self._card_timer = None
        entities = self.app.session.entities_or_none()
        if entities is None:
            return
        m = self._index.at(self.caret)
        entity_id = self.history[-1] if self.history else (m.entry_id if m else None)
        entry = entities.gazetteer.get(entity_id) if entity_id else None
        also = also_in_rows(entities, entry.id, exclude=self.article_id) if entry is not None else []
        alternatives = m.alternatives if (m and entry and m.entry_id == entry.id) else ()
        self.show_entry(entry, entities.gazetteer, dark=self.dark, alternatives=alternatives, also_in=also)

    def show_entry_card(self, entity_id: str) -> None:
        """Show `entity_id`'s card now (a new entry), as if reached from the caret."""
        self.history = [entity_id]
        self._show_card()

    def follow_link(self, entity_id: str) -> None:
        """A link chosen under "Related": its entry's card, one step further in the history."""
        self.history.append(entity_id)
        self._show_card()

    def history_back(self) -> bool:
        """Back to the previous entry of the card's history; False when there is none."""
        if len(self.history) <= 1:
            return False
        self.history.pop()
        self._show_card()
        return True

    def compose(self) -> ComposeResult:
        yield Static(Text(CARD_HINT, style="dim"), id="card")
        yield Static(Text("Related"), classes="side-title", id="links-title")
        yield SidebarList(id="links")
        yield Static(Text("Also in"), classes="side-title", id="also-title")
        yield SidebarList(id="also-in")
        yield Static(Text("Notes"), classes="side-title", id="notes-title")
        yield SidebarList(id="notes")
        yield Static(Text("In this article"), classes="side-title")
        yield SidebarList(id="in-article")
        yield Static(Text("Not in the gazetteer"), classes="side-title", id="candidates-title")
        yield SidebarList(id="candidates")

    def on_mount(self) -> None:
        for wid in ("#links-title", "#links", "#also-title", "#also-in", "#notes-title", "#notes",
                    "#candidates-title", "#candidates"):
            self.query_one(wid).display = False
        self.watch(self.app, "theme", self._restyle, init=False)

    def show_notes(self, notes) -> None:
        """This article's notes in reading order (orphans last, marked)."""
        box = self.query_one("#notes", OptionList)
        box.clear_options()
        options = [Option(note_label(note), id=f"note:{note.id}") for note in notes]
        box.add_options(options)
        title = self.query_one("#notes-title", Static)
        title.update(Text(f"Notes ({len(notes)})"))
        title.display = box.display = bool(notes)

    def highlight_note(self, note_id: str) -> None:
        box = self.query_one("#notes", OptionList)
        try:
            box.highlighted = box.get_option_index(f"note:{note_id}")
        except Exception:
            pass

    def show_overview(self, counts: list[tuple[str, str, int]], gazetteer: Gazetteer, dark: bool) -> None:
        """counts: (entity id, type, mentions) in order of first mention."""
        options: list[Option] = []
        for type_ in TYPE_ORDER:
            rows = [c for c in counts if c[1] == type_]
            if not rows:
                continue
            options.append(Option(Text(f"{TYPE_PLURALS[type_]} ({len(rows)})", style="bold dim"), disabled=True))
            for eid, _t, n in rows:
                entry = gazetteer.get(eid)
                label = hanging(entry.name if entry else eid, f" ×{n}", entity_style(type_, dark))
                options.append(Option(label, id=f"ent:{eid}"))
        box = self.query_one("#in-article", OptionList)
        box.clear_options()
        if options:
            box.add_options(options)
        else:
            box.add_option(Option(Text("No known entities found.", style="dim"), disabled=True))

    def show_candidates(self, rows: list[tuple[str, str, str, int]], dark: bool) -> None:
        """rows: (key, name, guessed type, occurrences) of the names NER proposes, in order of
        first occurrence; none hides the section (as without the `ner` extra)."""
        box = self.query_one("#candidates", OptionList)
        highlighted = box.highlighted
        box.clear_options()
        options = []
        for key, name, type_, n in rows:
            label = hanging(name, f" ×{n} · {TYPE_LABELS.get(type_, type_)}?", candidate_style(dark))
            options.append(Option(label, id=f"cand:{key}"))
        box.add_options(options)
        if options and highlighted is not None:
            box.highlighted = min(highlighted, len(options) - 1)
        title = self.query_one("#candidates-title", Static)
        title.update(Text(f"Not in the gazetteer ({len(rows)})"))
        title.display = box.display = bool(rows)

    def show_candidate(self, candidate, *, dark: bool) -> None:
        """The card of a name no entry knows (a `reader.ner.types.Candidate`): what NER guessed
        and how to make it an entry."""
        t = Text()
        t.append(candidate.text, style=candidate_style(dark) + Style(bold=True))
        t.append("\nNot in the gazetteer · looks like ", style="dim")
        t.append(TYPE_LABELS.get(candidate.type, candidate.type), style="dim")
        t.append(f" (statistical NER: {candidate.cue})" if candidate.cue != "repeat" else "", style="dim")
        t.append("\n\nPress A to make it an entry.", style="dim")
        self.query_one("#card", Static).update(t)
        for wid in ("#links-title", "#links", "#also-title", "#also-in"):
            self.query_one(wid).display = False

    def highlighted_candidate(self) -> str | None:
        """The key of the candidate highlighted under "Not in the gazetteer" (None if none)."""
        box = self.query_one("#candidates", OptionList)
        if not box.display or box.highlighted is None:
            return None
        option = box.get_option_at_index(box.highlighted)
        return option.id.split(":", 1)[1] if option.id else None

    def show_entry(self, entry: Entry | None, gazetteer: Gazetteer, *, dark: bool,
                   alternatives: tuple[str, ...] = (), also_in: list[tuple[Target, Text]] = ()) -> None:
        card = self.query_one("#card", Static)
        links = self.query_one("#links", OptionList)
        also = self.query_one("#also-in", OptionList)
        if entry is None:
            card.update(Text(CARD_HINT, style="dim"))
            for wid in ("#links-title", "#links", "#also-title", "#also-in"):
                self.query_one(wid).display = False
            return
        card.update(entry_card(entry, gazetteer, dark=dark, alternatives=alternatives))
        link_options = []
        self._link_targets = {}
        for link in entry.links:
            target = gazetteer.get(link.to)
            if target is None:
                continue
            label = Text(f"{link.rel} → ", style="dim")
            label.append(target.name, style=entity_style(target.type, dark))
            self._link_targets[f"link:{len(link_options)}"] = link.to
            link_options.append(Option(label, id=f"link:{len(link_options)}"))
        for rel, source_id in gazetteer.backlinks(entry.id):
            source = gazetteer.get(source_id)
            if source is None or any(lk.to == source_id for lk in entry.links):
                continue
            label = Text("← ", style="dim")
            label.append(source.name, style=entity_style(source.type, dark))
            label.append(f" ({rel})", style="dim")
            self._link_targets[f"link:{len(link_options)}"] = source_id
            link_options.append(Option(label, id=f"link:{len(link_options)}"))
        links.clear_options()
        links.add_options(link_options)
        if link_options:
            links.highlighted = 0
        self.query_one("#links-title").display = links.display = bool(link_options)
        also.clear_options()
        self._also_targets = {target.key: target for target, _label in also_in}
        also.add_options([Option(label, id=target.key) for target, label in also_in])
        if also_in:
            also.highlighted = 0
        self.query_one("#also-title").display = also.display = bool(also_in)
        self.scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#notes")
    def _note(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.NoteChosen(event.option.id.split(":", 1)[1]))

    @on(OptionList.OptionSelected, "#in-article")
    def _entity(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.EntityChosen(event.option.id.split(":", 1)[1]))

    @on(OptionList.OptionSelected, "#candidates")
    def _candidate(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.CandidateChosen(event.option.id.split(":", 1)[1]))

    @on(OptionList.OptionSelected, "#links")
    def _link(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity_id = self._link_targets.get(event.option.id)
        if entity_id is not None:
            self.post_message(self.LinkChosen(entity_id))

    @on(OptionList.OptionSelected, "#also-in")
    def _also(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._also_targets.get(event.option.id)
        if target is not None:
            self.post_message(self.AlsoInChosen(target))
