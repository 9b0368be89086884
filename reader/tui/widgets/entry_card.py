"""How an entry reads in the sidebar: its card (literal text: entry data may come from a user
overlay, never markup) and list rows whose wrapped names hang under the first line."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from reader.gazetteer import Entry, Gazetteer
from reader.tui.navigation import ArticleTarget, NoteTarget, Target
from reader.tui.styles import TYPE_LABELS, entity_style
from reader.tui.widgets.note_display import also_in_label


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


def also_in_rows(entities, entity_id: str, *, exclude: str | None = None,
                 note_limit: int = 10) -> list[tuple[Target, Text]]:
    """The card's "Also in": the articles mentioning `entity_id` (but `exclude`, the one being
    read), opening at the first mention, then the notes about it in any article."""
    rows: list[tuple[Target, Text]] = []
    for article_id, title, count, first in entities.also_in(entity_id, exclude=exclude):
        label = Text(title)
        label.append(f" ×{count}", style="dim")
        rows.append((ArticleTarget(article_id, first), label))
    for note in entities.notes_mentioning(entity_id, limit=note_limit):
        rows.append((NoteTarget(note.id), also_in_label(note)))
    return rows
