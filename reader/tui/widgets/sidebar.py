"""The sidebar: what the article mentions, the card of the current entry, its links, and
where else it appears. It only displays and posts messages; the reader screen decides.

"In this article" follows `mentions`, a reactive the reader screen binds to its own
(`data_bind`): the screen changes its state and the list follows, never the other way."""

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
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.gazetteer import Entry, Gazetteer
from reader.matcher import Mention
from reader.tui.navigation import Target
from reader.tui.widgets.note_display import note_label
from reader.tui.styles import TYPE_LABELS, TYPE_ORDER, TYPE_PLURALS, candidate_style, entity_style


NOT_MATCHED: tuple[Mention, ...] = ()  # mentions before the matcher has run (a match is a list)


def entry_card(entry: Entry, gazetteer: Gazetteer, *, dark: bool = True, alternatives: tuple[str, ...] = ()) -> Text:
    """The entry as literal text (entry data may come from a user overlay: never markup)."""
    t = Text()
    t.append(entry.name, style=entity_style(entry.type, dark) + Style(bold=True))
    t.append("\n")
    facts = [TYPE_LABELS.get(entry.type, entry.type) + (f" ({entry.kind})" if entry.kind else "")]
    for label, value in (("founded", entry.founded), ("dissolved", entry.dissolved), ("born", entry.born),
                         ("died", entry.died), ("date", entry.date), ("until", entry.end)):
        if value:
            facts.append(f"{label} {value}")
    if entry.origin != "bundled":
        facts.append(f"from your {entry.origin}")
    t.append(" · ".join(facts), style="dim")
    if entry.aliases:
        t.append("\nalso: ", style="dim")
        t.append(", ".join(entry.aliases))
    if entry.lat is not None and entry.lon is not None:
        t.append(f"\n{abs(entry.lat):.2f}°{'N' if entry.lat >= 0 else 'S'} "
                 f"{abs(entry.lon):.2f}°{'E' if entry.lon >= 0 else 'W'}", style="dim")
    chain = gazetteer.parent_chain(entry.id)
    if chain:
        t.append("\nin: ", style="dim")
        t.append(" → ".join(e.name for e in chain))
    if entry.summary:
        t.append("\n\n")
        t.append(entry.summary)
    if alternatives:
        names = ", ".join(gazetteer.get(a).name if gazetteer.get(a) else a for a in alternatives)
        t.append("\n\nAmbiguous here: could also be ", style="bold")
        t.append(names)
        t.append(" — press m to choose", style="dim")
    return t


NAME_WIDTH = 34  # cells for a name in the sidebar's lists (its width less padding and indent)


def hanging(name: str, count: str, style: Style | str = "") -> Text:
    """"  Name ×3" with wrapped lines indented under the name and the count kept on the name's
    last line (never alone on a line of its own)."""
    words = name.split()
    lines: list[str] = []
    line = ""
    for i, word in enumerate(words):
        tail = count if i == len(words) - 1 else ""
        if line and len(line) + 1 + len(word) + len(tail) > NAME_WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    label = Text()
    for i, ln in enumerate(lines):
        label.append("\n    " if i else "  ")
        label.append(ln, style=style)
    label.append(count, style="dim")
    return label


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

    # the article's mentions in text order; NOT_MATCHED (the reader's value until the matcher
    # has run) leaves "In this article" empty rather than claiming there are none
    mentions: reactive[Sequence[Mention]] = reactive(NOT_MATCHED, init=False, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._also_targets: dict[str, Target] = {}

    def watch_mentions(self, mentions: Sequence[Mention]) -> None:
        entities = self.app.session.entities_or_none()
        if mentions is NOT_MATCHED or entities is None:
            return
        gaz = entities.gazetteer
        counts: dict[str, list] = {}
        for m in mentions:
            entry = gaz.get(m.entry_id)
            if entry is not None:
                counts.setdefault(m.entry_id, [m.entry_id, entry.type, 0])[2] += 1
        theme = self.app.current_theme
        dark = bool(theme.dark) if theme else True
        # the text frame first; the list (up to hundreds of rows) right after it
        self.call_after_refresh(self.show_overview, [tuple(c) for c in counts.values()], gaz, dark)

    def compose(self) -> ComposeResult:
        yield Static(Text("Move to a mention with e / E, or pick one under “In this article”.", style="dim"),
                     id="card")
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
            card.update(Text("Move to a mention with e / E, or pick one under “In this article”.", style="dim"))
            for wid in ("#links-title", "#links", "#also-title", "#also-in"):
                self.query_one(wid).display = False
            return
        card.update(entry_card(entry, gazetteer, dark=dark, alternatives=alternatives))
        link_options = []
        for link in entry.links:
            target = gazetteer.get(link.to)
            if target is None:
                continue
            label = Text(f"{link.rel} → ", style="dim")
            label.append(target.name, style=entity_style(target.type, dark))
            link_options.append(Option(label, id=f"link:{link.to}:{len(link_options)}"))
        for rel, source_id in gazetteer.backlinks(entry.id):
            source = gazetteer.get(source_id)
            if source is None or any(lk.to == source_id for lk in entry.links):
                continue
            label = Text("← ", style="dim")
            label.append(source.name, style=entity_style(source.type, dark))
            label.append(f" ({rel})", style="dim")
            link_options.append(Option(label, id=f"link:{source_id}:{len(link_options)}"))
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
        self.post_message(self.LinkChosen(event.option.id.split(":")[1]))

    @on(OptionList.OptionSelected, "#also-in")
    def _also(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._also_targets.get(event.option.id)
        if target is not None:
            self.post_message(self.AlsoInChosen(target))
