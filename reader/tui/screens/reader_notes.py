"""Notes in the reader: `a` annotates the selection (or the sentence under the caret), `]`/`[`
move the caret to the next/previous note, `c` edits, `D` deletes, `u` undoes. The selection
itself belongs to the ArticleView (`v`, motions, `o`, escape); `A` (an alias from the
selection) is the entities part's.

Notes are shown in three places that must agree: tinted passages in the text (alternating
tints, so adjacent notes stay apart), the notes margin beside the article (or the one-note
strip under it when the terminal is narrow), and the sidebar's list.
"""

from __future__ import annotations

from bisect import bisect_right

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from reader import textnav
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.note_display import first_line, is_on_passage, margin_lines
from reader.tui.widgets.notes_margin import NotesMargin, PlacedNote, note_style_classes
from reader.tui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from reader.articles import Article
    from reader.matcher import Mention

class NoteReading:
    """State: `notes` (this article's, in reading order), `current_note_id`, `deleted`,
    `reattach_note`.

    From the screen it needs only what is declared here: the article, `_arrange` (the
    margin's room), `placed_notes` (the reactive bound to the margin) and `current_mention`
    (a note written on a mention is linked to its entry).
    """

    article: Article
    placed_notes: list[PlacedNote]
    _arrange: Callable[..., None]
    current_mention: Callable[[], Mention | None]

    def _init_notes(self) -> None:
        self.notes = []
        self.current_note_id: str | None = None
        self.deleted = []  # this session's deletions, for `u`
        self.reattach_note = None

    # -- the selection (owned by the view) ---------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        return self.query_one(ArticleView).selection

    # -- notes on screen ---------------------------------------------------------------

    def passage_notes(self) -> list:
        return [n for n in self.notes if is_on_passage(n)]

    def current_note(self):
        return next((n for n in self.notes if n.id == self.current_note_id), None)

    def _load_notes(self) -> None:
        self.notes = self.app.session.notes.for_article(self.article.id)
        if self.current_note() is None:
            under = self._note_under_caret(self.query_one(ArticleView).caret)
            self.current_note_id = under.id if under else None
        self._show_notes()
        # the text frame first; the sidebar list (up to hundreds of rows) right after it
        self.call_after_refresh(self.query_one(Sidebar).show_notes, self.notes)

    def _show_notes(self) -> None:
        view = self.query_one(ArticleView)
        on_text = self.passage_notes()
        decos = []
        marks = {}
        for i, n in enumerate(on_text):
            alt = bool(i % 2)
            if n.needs_review:  # moved onto an edited passage: told apart until `y` accepts it
                decos.append(Decoration(n.start, n.end, "article--note-review"))
                marks[n.start] = ("?", "article--gutter-review")
                continue
            decos.append(Decoration(n.start, n.end, note_style_classes(alt, n.id == self.current_note_id)))
            marks[n.start] = ("┃" if alt else "▌", "article--gutter-note-alt" if alt else "article--gutter-note")
        view.set_layer("notes", decos, order=0)
        view.set_gutter_marks(marks)
        self._arrange()

    def _place_notes(self) -> None:
        """Align the margin with the passages on screen (after every scroll, resize or change)."""
        view = self.query_one(ArticleView)
        top = int(view.scroll_offset.y)
        height = view.scrollable_content_region.height
        first, last = view.visible_range()
        placed = []
        for i, n in enumerate(self.passage_notes()):
            if n.end <= first or n.start > last:
                continue
            row = view.line_of(n.start) - top
            placed.append(PlacedNote(row=row, note=n, alt=bool(i % 2), current=n.id == self.current_note_id))
            if row >= height:
                break
        self.placed_notes = placed  # bound to the margin's `placed`
        self._show_note_strip()

    def _show_note_strip(self) -> None:
        """Narrow terminals: the note under the caret, in full, in a strip under the article."""
        strip = self.query_one("#note-strip")
        note = self.current_note()
        if self.query_one(NotesMargin).display or note is None:
            strip.display = False
            return
        text = Text()
        for i, line in enumerate(margin_lines(note, full=True)):
            if i:
                text.append("\n")
            text.append_text(line)
        strip.update(text)
        strip.display = True

    def _note_under_caret(self, caret: int):
        """The note whose passage holds the caret (the current one if several do)."""
        holding = [n for n in self.passage_notes() if n.start <= caret < max(n.end, n.start + 1)]
        if not holding:
            return None
        current = self.current_note()
        return current if current in holding else holding[0]

    def _note_caret_moved(self, caret: int) -> None:
        note = self._note_under_caret(caret)
        note_id = note.id if note else None
        if note_id != self.current_note_id:
            self.current_note_id = note_id
            self._show_notes()
            if note is not None:
                self.query_one(Sidebar).highlight_note(note.id)

    def _jump_to_note(self, note) -> None:
        self.current_note_id = note.id
        view = self.query_one(ArticleView)
        view.move_caret(note.start, center=True)
        self._show_notes()
        self.query_one(Sidebar).highlight_note(note.id)
        order = self.passage_notes()
        if note.needs_review:
            was = " ".join(note.review_quote.split())
            self.notify(f"{first_line(note, 120)}\nMoved — needs review. Was: “{was[:160]}”\ny accepts the new passage",
                        title=f"Note {order.index(note) + 1} of {len(order)}", markup=False, timeout=8)
        elif not self.query_one(NotesMargin).display and not self.query_one("#note-strip").display:
            self.notify(first_line(note, 120), title=f"Note {order.index(note) + 1} of {len(order)}",
                        markup=False, timeout=3)

    def action_accept_review(self) -> None:
        note = self.current_note()
        if note is None or not note.needs_review:
            moved = [n for n in self.notes if n.needs_review]
            note = moved[0] if len(moved) == 1 and note is None else None
        if note is None:
            self.notify("Move the caret to a moved note first with ] / [ (marked ? in the margin)",
                        markup=False, timeout=3)
            return
        if self.app.write("accept the moved note", self.app.session.notes.accept_review, note.id) is None:
            return
        if self.reattach_note is not None and self.reattach_note.id == note.id:
            self.reattach_note = None
        self._load_notes()
        self.notify("Accepted: the note stays on this passage", markup=False, timeout=3)

    def action_versions(self) -> None:
        from reader.tui.screens.versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.article.id))

    def action_next_note(self) -> None:
        order = self.passage_notes()
        if not order:
            self.notify("No notes on passages of this article", markup=False, timeout=2)
            return
        caret = self.query_one(ArticleView).caret
        starts = [n.start for n in order]
        i = bisect_right(starts, caret)
        # a note starting right at the caret counts as "next" until it is the current one
        at_caret = [n for n in order if n.start == caret and n.id != self.current_note_id]
        self._jump_to_note(at_caret[0] if at_caret else order[i] if i < len(order) else order[0])

    def action_previous_note(self) -> None:
        order = self.passage_notes()
        if not order:
            self.notify("No notes on passages of this article", markup=False, timeout=2)
            return
        caret = self.query_one(ArticleView).caret
        before = [n for n in order if n.start < caret]
        self._jump_to_note(before[-1] if before else order[-1])

    def on_sidebar_note_chosen(self, message: Sidebar.NoteChosen) -> None:
        note = next((n for n in self.notes if n.id == message.note_id), None)
        if note is None:
            return
        if is_on_passage(note):
            self._jump_to_note(note)
        self.query_one(ArticleView).focus()

    # -- writing notes -----------------------------------------------------------------

    def action_annotate(self) -> None:
        body = self.article.body
        view = self.query_one(ArticleView)
        rng = view.selection
        entity_id = None
        if rng is None:
            m = self.current_mention()
            if m is not None:
                entity_id = m.entry_id
            rng = textnav.sentence_bounds(body, view.caret)
        start, end = textnav.trim_span(body, *rng)
        if start >= end:
            self.notify("The selection holds only spaces: extend it over some words first",
                        markup=False, timeout=3)
            return
        if self.reattach_note is not None:
            self._reattach(start, end)
            return
        quote = body[start:end]
        view.set_layer("editing", [Decoration(start, end, "article--selection")])

        def save(text: str, tags: list[str]):
            return self.app.session.notes.add(self.article.id, text, start=start, end=end, tags=tags,
                                              entity_id=entity_id)

        self._open_editor("New note", quote, save=save, passage=(start, end))

    def action_annotate_article(self) -> None:
        def save(text: str, tags: list[str]):
            return self.app.session.notes.add(self.article.id, text, tags=tags)

        self._open_editor("Note on the whole article", "", save=save)

    def _note_to_act_on(self):
        note = self.current_note() or self._note_under_caret(self.query_one(ArticleView).caret)
        return note

    def action_edit_note(self) -> None:
        note = self._note_to_act_on()
        if note is None:
            self.notify("Move to a note first with ] / [ or pick one in the sidebar", markup=False, timeout=2)
            return

        def save(text: str, tags: list[str]):
            return self.app.session.notes.update(note.id, body=text, tags=tags)

        self._open_editor("Edit note", note.quote, body=note.body, tags=note.tags, save=save,
                          passage=(note.start, note.end) if is_on_passage(note) else None)

    def _open_editor(self, title: str, quote: str, *, save, body: str = "", tags=None,
                     passage: tuple[int, int] | None = None) -> None:
        from reader.tui.screens.note_editor import NoteEditor

        view = self.query_one(ArticleView)
        if passage is not None:
            # the editor docks at the bottom: keep the passage in the upper part of the view
            view.scroll_to(y=max(0, view.line_of(passage[0]) - 1), animate=False, immediate=True)

        def done(result) -> None:
            view.set_layer("editing", [])
            if result is None:
                return
            view.clear_selection()
            if passage is not None and getattr(result, "id", None):
                self.current_note_id = result.id
            self._load_notes()
            self.notify("Note saved", markup=False, timeout=2)

        known = [t for t, _n in self.app.session.notes.tags()]
        self.app.push_screen(NoteEditor(title=title, quote=quote, body=body, tags=tags, known_tags=known,
                                        save=save), done)

    def action_delete_note(self) -> None:
        note = self._note_to_act_on()
        if note is None:
            self.notify("Move to a note first with ] / [", markup=False, timeout=2)
            return
        from reader.tui.screens.note_editor import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            removed = self.app.write("delete the note", self.app.session.notes.delete, note.id)
            if removed is not None:
                self.deleted.append(removed)
            self.current_note_id = None
            self._load_notes()
            self.notify("Note deleted (u undoes)", markup=False, timeout=3)

        preview = note.body.strip()[:80] or note.quote[:80]
        self.app.push_screen(ConfirmScreen(f"Delete this note?\n“{preview}”", yes="Delete", no="Keep"), answered)

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo", markup=False, timeout=2)
            return
        note = self.deleted[-1]
        if self.app.write("restore the note", self.app.session.notes.undelete, note) is None:
            return
        self.deleted.pop()
        self._load_notes()
        self.notify("Note restored", markup=False, timeout=2)

    def _reattach(self, start: int, end: int) -> None:
        note = self.reattach_note
        if self.app.write("attach the note", self.app.session.notes.reattach, note.id, start, end) is None:
            return
        self.reattach_note = None
        self.query_one(ArticleView).clear_selection()
        self._load_notes()
        self.notify("The orphaned note is attached to the selected passage", markup=False, timeout=3)
