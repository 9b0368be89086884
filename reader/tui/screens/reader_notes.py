"""Notes in the reader: `a` annotates the selection (or the sentence under the caret), `]`/`[`
move the caret to the next/previous note, `c` edits, `D` deletes, `u` undoes, `y` accepts a
moved note. The selection itself belongs to the ArticleView (`v`, motions, `o`, escape).

The reader screen owns one `NoteDesk`. The desk publishes through three reactives of the
screen: `notes` (this article's, in reading order; the sidebar's list is bound to it),
`current_note_id` (the note under the caret or reached with ]/[; the sidebar highlights it)
and `placed_notes` (the notes of the passages on screen with their rows; the notes margin
is bound to it). It keeps the rest: this session's deletions (for `u`) and the orphaned note
waiting to be re-attached to a selection.

Notes are shown in three places that must agree: tinted passages in the text (alternating
tints, so adjacent notes stay apart), the notes margin beside the article (or the one-note
strip under it when the terminal is narrow), and the sidebar's list.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Protocol

from rich.text import Text

from reader import textnav
from reader.articles import Article
from reader.matcher import Mention
from reader.notes import Note
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.note_display import first_line, is_on_passage, margin_lines
from reader.tui.widgets.notes_margin import NotesMargin, PlacedNote, note_style_classes


class NoteHost(Protocol):
    """What the desk uses of the reader screen besides a Screen's own methods (`app`,
    `query_one`, `notify`, `call_after_refresh`)."""

    article: Article
    notes: list[Note]  # reactive, bound to the sidebar
    current_note_id: str | None  # reactive, bound to the sidebar
    placed_notes: list[PlacedNote]  # reactive, bound to the notes margin


class NoteDesk:
    """The notes of one reader screen's article (see the module's docstring).

    `mention_under_caret` tells which entry a note written on a mention is about."""

    def __init__(self, screen: NoteHost, mention_under_caret: Callable[[], Mention | None]) -> None:
        self.screen = screen
        self.article = screen.article
        self.mention_under_caret = mention_under_caret
        self.deleted: list[Note] = []  # this session's deletions, for `u`
        self.reattach_note: Note | None = None  # an orphan waiting for a selection (`a` attaches it)

    @property
    def app(self):
        return self.screen.app

    @property
    def _view(self) -> ArticleView:
        return self.screen.query_one(ArticleView)

    def _say(self, message: str, timeout: float = 2, **kwargs) -> None:
        self.screen.notify(message, markup=False, timeout=timeout, **kwargs)

    # -- the notes on screen ----------------------------------------------------------------

    def passage_notes(self) -> list[Note]:
        return [n for n in self.screen.notes if is_on_passage(n)]

    def current_note(self) -> Note | None:
        return next((n for n in self.screen.notes if n.id == self.screen.current_note_id), None)

    def load(self) -> None:
        """Read this article's notes again (after any change) and show them."""
        self.screen.notes = self.app.session.notes.for_article(self.article.id)
        if self.current_note() is None:
            under = self._note_under_caret(self._view.caret)
            self.screen.current_note_id = under.id if under else None
        self._show()

    def _show(self) -> None:
        """Tint the noted passages and mark them in the gutter; the margin follows."""
        decos = []
        marks = {}
        for i, n in enumerate(self.passage_notes()):
            alt = bool(i % 2)
            if n.needs_review:  # moved onto an edited passage: told apart until `y` accepts it
                decos.append(Decoration(n.start, n.end, "article--note-review"))
                marks[n.start] = ("?", "article--gutter-review")
                continue
            decos.append(Decoration(n.start, n.end, note_style_classes(alt, n.id == self.screen.current_note_id)))
            marks[n.start] = ("┃" if alt else "▌", "article--gutter-note-alt" if alt else "article--gutter-note")
        view = self._view
        view.set_layer("notes", decos, order=0)
        view.set_gutter_marks(marks)
        self.screen.call_after_refresh(self.place)

    def place(self) -> None:
        """Align the margin with the passages on screen (after every scroll, resize or change)."""
        view = self._view
        top = int(view.scroll_offset.y)
        height = view.scrollable_content_region.height
        first, last = view.visible_range()
        placed = []
        for i, n in enumerate(self.passage_notes()):
            if n.end <= first or n.start > last:
                continue
            row = view.line_of(n.start) - top
            placed.append(PlacedNote(row=row, note=n, alt=bool(i % 2), current=n.id == self.screen.current_note_id))
            if row >= height:
                break
        self.screen.placed_notes = placed  # bound to the margin's `placed`
        self._show_note_strip()

    def _show_note_strip(self) -> None:
        """Narrow terminals: the note under the caret, in full, in a strip under the article."""
        strip = self.screen.query_one("#note-strip")
        note = self.current_note()
        if self.screen.query_one(NotesMargin).display or note is None:
            strip.display = False
            return
        text = Text()
        for i, line in enumerate(margin_lines(note, full=True)):
            if i:
                text.append("\n")
            text.append_text(line)
        strip.update(text)
        strip.display = True

    def _note_under_caret(self, caret: int) -> Note | None:
        """The note whose passage holds the caret (the current one if several do)."""
        holding = [n for n in self.passage_notes() if n.start <= caret < max(n.end, n.start + 1)]
        if not holding:
            return None
        current = self.current_note()
        return current if current in holding else holding[0]

    def caret_moved(self, caret: int) -> None:
        note = self._note_under_caret(caret)
        note_id = note.id if note else None
        if note_id != self.screen.current_note_id:
            self.screen.current_note_id = note_id
            self._show()

    # -- moving between notes ------------------------------------------------------------------

    def _jump_to(self, note: Note) -> None:
        self.screen.current_note_id = note.id
        self._view.move_caret(note.start, center=True)
        self._show()
        order = self.passage_notes()
        title = f"Note {order.index(note) + 1} of {len(order)}"
        if note.needs_review:
            was = " ".join(note.review_quote.split())
            self._say(f"{first_line(note, 120)}\nMoved — needs review. Was: “{was[:160]}”\ny accepts the new passage",
                      title=title, timeout=8)
        elif not self.screen.query_one(NotesMargin).display and not self.screen.query_one("#note-strip").display:
            self._say(first_line(note, 120), title=title, timeout=3)

    def next(self) -> None:
        order = self.passage_notes()
        if not order:
            self._say("No notes on passages of this article")
            return
        caret = self._view.caret
        i = bisect_right([n.start for n in order], caret)
        # a note starting right at the caret counts as "next" until it is the current one
        at_caret = [n for n in order if n.start == caret and n.id != self.screen.current_note_id]
        self._jump_to(at_caret[0] if at_caret else order[i] if i < len(order) else order[0])

    def previous(self) -> None:
        order = self.passage_notes()
        if not order:
            self._say("No notes on passages of this article")
            return
        caret = self._view.caret
        before = [n for n in order if n.start < caret]
        self._jump_to(before[-1] if before else order[-1])

    def go_to(self, note_id: str) -> None:
        """A note chosen in the sidebar's list: the caret to its passage (if it has one)."""
        note = next((n for n in self.screen.notes if n.id == note_id), None)
        if note is None:
            return
        if is_on_passage(note):
            self._jump_to(note)
        self._view.focus()

    def accept_review(self) -> None:
        note = self.current_note()
        if note is None or not note.needs_review:
            moved = [n for n in self.screen.notes if n.needs_review]
            note = moved[0] if len(moved) == 1 and note is None else None
        if note is None:
            self._say("Move the caret to a moved note first with ] / [ (marked ? in the margin)", timeout=3)
            return
        if self.app.write("accept the moved note", self.app.session.notes.accept_review, note.id) is None:
            return
        if self.reattach_note is not None and self.reattach_note.id == note.id:
            self.reattach_note = None
        self.load()
        self._say("Accepted: the note stays on this passage", timeout=3)

    # -- writing notes -----------------------------------------------------------------------

    def annotate(self) -> None:
        """`a`: a note on the selection, else on the sentence under the caret (linked to the
        entry of the mention under the caret); with an orphan waiting, attach it there."""
        body = self.article.body
        view = self._view
        rng = view.selection
        entity_id = None
        if rng is None:
            m = self.mention_under_caret()
            if m is not None:
                entity_id = m.entry_id
            rng = textnav.sentence_bounds(body, view.caret)
        start, end = textnav.trim_span(body, *rng)
        if start >= end:
            self._say("The selection holds only spaces: extend it over some words first", timeout=3)
            return
        if self.reattach_note is not None:
            self._reattach(start, end)
            return
        view.set_layer("editing", [Decoration(start, end, "article--selection")])

        def save(text: str, tags: list[str]):
            return self.app.session.notes.add(self.article.id, text, start=start, end=end, tags=tags,
                                              entity_id=entity_id)

        self._open_editor("New note", body[start:end], save=save, passage=(start, end))

    def annotate_article(self) -> None:
        def save(text: str, tags: list[str]):
            return self.app.session.notes.add(self.article.id, text, tags=tags)

        self._open_editor("Note on the whole article", "", save=save)

    def _note_to_act_on(self) -> Note | None:
        return self.current_note() or self._note_under_caret(self._view.caret)

    def edit(self) -> None:
        note = self._note_to_act_on()
        if note is None:
            self._say("Move to a note first with ] / [ or pick one in the sidebar")
            return

        def save(text: str, tags: list[str]):
            return self.app.session.notes.update(note.id, body=text, tags=tags)

        self._open_editor("Edit note", note.quote, body=note.body, tags=note.tags, save=save,
                          passage=(note.start, note.end) if is_on_passage(note) else None)

    def _open_editor(self, title: str, quote: str, *, save, body: str = "", tags=None,
                     passage: tuple[int, int] | None = None) -> None:
        from reader.tui.screens.note_editor import NoteEditor

        view = self._view
        if passage is not None:
            # the editor docks at the bottom: keep the passage in the upper part of the view
            view.scroll_to(y=max(0, view.line_of(passage[0]) - 1), animate=False, immediate=True)

        def done(result) -> None:
            view.set_layer("editing", [])
            if result is None:
                return
            view.clear_selection()
            if passage is not None and getattr(result, "id", None):
                self.screen.current_note_id = result.id
            self.load()
            self._say("Note saved")

        known = [t for t, _n in self.app.session.notes.tags()]
        self.app.push_screen(NoteEditor(title=title, quote=quote, body=body, tags=tags, known_tags=known,
                                        save=save), done)

    def delete(self) -> None:
        note = self._note_to_act_on()
        if note is None:
            self._say("Move to a note first with ] / [")
            return
        from reader.tui.screens.note_editor import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            removed = self.app.write("delete the note", self.app.session.notes.delete, note.id)
            if removed is not None:
                self.deleted.append(removed)
            self.screen.current_note_id = None
            self.load()
            self._say("Note deleted (u undoes)", timeout=3)

        preview = note.body.strip()[:80] or note.quote[:80]
        self.app.push_screen(ConfirmScreen(f"Delete this note?\n“{preview}”", yes="Delete", no="Keep"), answered)

    def undo_delete(self) -> None:
        if not self.deleted:
            self._say("Nothing to undo")
            return
        note = self.deleted[-1]
        if self.app.write("restore the note", self.app.session.notes.undelete, note) is None:
            return
        self.deleted.pop()
        self.load()
        self._say("Note restored")

    # -- re-attaching an orphan ------------------------------------------------------------

    def start_reattach(self, note: Note) -> None:
        """The next `a` attaches `note` (an orphan) to the selection instead of writing a new one."""
        self.reattach_note = note

    def cancel_reattach(self) -> bool:
        """Forget the orphan waiting to be attached; False when there was none."""
        if self.reattach_note is None:
            return False
        self.reattach_note = None
        self._say("Re-attaching cancelled")
        return True

    def _reattach(self, start: int, end: int) -> None:
        note = self.reattach_note
        if self.app.write("attach the note", self.app.session.notes.reattach, note.id, start, end) is None:
            return
        self.reattach_note = None
        self._view.clear_selection()
        self.load()
        self._say("The orphaned note is attached to the selected passage", timeout=3)
