"""How a note looks wherever it is shown (sidebar list, notes margin, "Also in", toasts).

One place on purpose: a new note status (e.g. "needs review") gets its marker here and
every view shows it. Note text is user data: always literal `Text`, never markup.
"""

from __future__ import annotations

from rich.text import Text

# status → (marker shown before the body, style); anchored notes need no marker
STATUS_MARKERS: dict[str, tuple[str, str]] = {
    "orphaned": ("orphaned ", "bold red"),
}
NOTE_COLOUR = "#e0b000"
REVIEW_MARKER = ("needs review ", "bold yellow")  # moved onto an edited passage, not yet accepted


def marker_of(note) -> tuple[str, str] | None:
    if getattr(note, "needs_review", False):
        return REVIEW_MARKER
    return STATUS_MARKERS.get(note.status)


def was_quote(note) -> Text | None:
    """For a moved note, its old quote (struck through), shown until the reader accepts the move."""
    if not getattr(note, "needs_review", False):
        return None
    return Text("was “" + " ".join(note.review_quote.split())[:66] + "” · y accepts", style="dim strike")


def is_on_passage(note) -> bool:
    """True for a note drawn on the text (anchored to a passage)."""
    return note.start is not None and note.status == "anchored" and not note.is_article_level


def first_line(note, width: int = 80) -> str:
    return (note.body.strip().splitlines() or [""])[0][:width] or "(no text)"


def note_label(note, *, quote: bool = True) -> Text:
    """The sidebar's row: status or "article", first line of the body, quote, tags."""
    label = Text()
    marker = marker_of(note)
    if marker:
        label.append(*marker)
    elif note.is_article_level:
        label.append("article ", style="dim")
    label.append(first_line(note))
    if quote and note.quote:
        label.append("\n  “" + " ".join(note.quote.split())[:70] + "”", style="dim italic")
    was = was_quote(note)
    if was is not None:
        label.append("\n  ")
        label.append_text(was)
    if note.tags:
        label.append("\n  " + tag_text(note), style="dim")
    return label


def tag_text(note) -> str:
    return "#" + " #".join(note.tags) if note.tags else ""


def margin_lines(note, *, full: bool = False, max_lines: int = 3) -> list[Text]:
    """The note beside its passage: body lines (all of them when `full`), then its tags."""
    lines: list[Text] = []
    marker = marker_of(note)
    body = [ln for ln in note.body.strip().splitlines() if ln.strip()] or ["(no text)"]
    shown = body if full else body[:max_lines]
    for i, ln in enumerate(shown):
        t = Text()
        if i == 0 and marker:
            t.append(*marker)
        t.append(ln)
        lines.append(t)
    if not full and len(body) > max_lines:
        lines[-1].append(" …", style="dim")
    was = was_quote(note)
    if was is not None:
        lines.append(was)
    if note.tags:
        lines.append(Text(tag_text(note), style="dim"))
    return lines


def also_in_label(note) -> Text:
    label = Text("✎ ", style=NOTE_COLOUR)
    label.append((note.body.strip().splitlines() or [note.quote])[0][:60])
    return label
