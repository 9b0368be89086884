"""Keyboard selection and notes in the reader: `v` selects, motion keys extend, `a` annotates,
`]`/`[` move between notes, `c` edits, `D` deletes, `u` undoes, `A` adds an alias."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from reader import textnav
from reader.tui.styles import note_style, review_style, selection_style
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.sidebar import Sidebar

SELECTION_ACTIONS = {"extend_char", "shrink_char", "extend_word", "shrink_word", "extend_sentence",
                     "shrink_sentence", "extend_paragraph", "shrink_paragraph", "cancel_selection"}


class NoteReading:
    """State: `selection` (anchor, head) or None, `notes`, `note_cursor`, `reattach_note`."""

    def _init_notes(self) -> None:
        self.selection: tuple[int, int] | None = None
        self.notes = []
        self.note_cursor: int | None = None
        self.deleted = []  # this session's deletions, for `u`
        self.reattach_note = None

    # -- selection ---------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        if self.selection is None:
            return None
        a, h = self.selection
        return (min(a, h), max(a, h)) if a != h else None

    def action_start_selection(self) -> None:
        body = self.article.body
        m = self.current_mention()
        if m is not None:
            start = m.start
            end = m.end
        else:
            start, end = textnav.sentence_bounds(body, self.query_one(ArticleView).top_offset())
            end = start
            end = textnav.next_word(body, start)
        self.selection = (start, end)
        self._show_selection()
        self.notify("Selecting: l/h character, w/W word, )/( sentence, }/{ paragraph; "
                    "a annotates, A adds an alias, escape cancels", timeout=4, markup=False)

    def _move_head(self, head: int) -> None:
        if self.selection is None:
            return
        anchor, _ = self.selection
        self.selection = (anchor, max(0, min(len(self.article.body), head)))
        self._show_selection()

    def _show_selection(self) -> None:
        view = self.query_one(ArticleView)
        rng = self.selected_range()
        view.set_layer("selection", [Decoration(rng[0], rng[1], selection_style(self.dark))] if rng else [])
        if self.selection:
            view.scroll_to_offset(self.selection[1])

    def action_extend_char(self) -> None:
        self._move_head(self.selection[1] + 1)

    def action_shrink_char(self) -> None:
        self._move_head(self.selection[1] - 1)

    def action_extend_word(self) -> None:
        self._move_head(textnav.next_word(self.article.body, self.selection[1]))

    def action_shrink_word(self) -> None:
        self._move_head(textnav.previous_word(self.article.body, self.selection[1]))

    def action_extend_sentence(self) -> None:
        self._move_head(textnav.next_sentence_end(self.article.body, self.selection[1]))

    def action_shrink_sentence(self) -> None:
        self._move_head(textnav.previous_sentence_start(self.article.body, self.selection[1]))

    def action_extend_paragraph(self) -> None:
        self._move_head(textnav.next_paragraph_end(self.article.body, self.selection[1]))

    def action_shrink_paragraph(self) -> None:
        self._move_head(textnav.previous_paragraph_start(self.article.body, self.selection[1]))

    def action_cancel_selection(self) -> None:
        self.selection = None
        self._show_selection()

    def on_article_view_drag_selected(self, message: ArticleView.DragSelected) -> None:
        # a drag released past the end of a line also covers the space or newline after it
        start, end = textnav.trim_span(self.article.body, message.start, message.end)
        if start < end:
            self.selection = (start, end)
            self._show_selection()

    # -- notes on screen ---------------------------------------------------------------

    def _load_notes(self) -> None:
        current = self._note_index_at_cursor()
        self.notes = self.app.notes.for_article(self.article.id)
        anchored = [n for n in self.notes if n.start is not None and n.status == "anchored"]
        view = self.query_one(ArticleView)
        # the note cursor follows its note (by id): a note added earlier in the text shifts the
        # indices, and `c` / `D` must act on the note that is marked, not on its neighbour
        self.note_cursor = next((i for i, n in enumerate(self.notes) if current and n.id == current.id), None)
        marked = self._note_index_at_cursor()
        view.set_layer("note-cursor", [Decoration(marked.start, marked.end, Style(reverse=True))]
                       if marked is not None and marked.start is not None and marked.status == "anchored" else [])
        style, moved = note_style(self.dark), review_style(self.dark)
        view.set_layer("notes", [Decoration(n.start, n.end, moved if n.needs_review else style) for n in anchored],
                       order=0)
        view.set_gutter_marks({n.start: ("?" if n.needs_review else "▌",
                                         Style(color="#ff8c00" if n.needs_review else "#e0b000", bold=True))
                               for n in anchored})
        # the text frame first; the sidebar list (up to hundreds of rows) right after it
        self.call_after_refresh(self.query_one(Sidebar).show_notes, self.notes)

    def _note_index_at_cursor(self):
        if self.note_cursor is not None and 0 <= self.note_cursor < len(self.notes):
            return self.notes[self.note_cursor]
        return None

    def _jump_to_note(self, index: int) -> None:
        self.note_cursor = index
        note = self.notes[index]
        view = self.query_one(ArticleView)
        if note.start is not None and note.status == "anchored":
            view.scroll_to_offset(note.start, center=True)
            view.set_layer("note-cursor", [Decoration(note.start, note.end, Style(reverse=True))])
        self.query_one(Sidebar).highlight_note(note.id)
        body = note.body.strip().splitlines()[0] if note.body.strip() else "(no text)"
        if note.needs_review:
            was = " ".join(note.review_quote.split())
            self.notify(f"{body[:120]}\nMoved — needs review. Was: “{was[:160]}”\ny accepts the new passage",
                        title=f"Note {index + 1} of {len(self.notes)}", markup=False, timeout=8)
            return
        self.notify(body[:120], title=f"Note {index + 1} of {len(self.notes)}", markup=False, timeout=3)

    def action_accept_review(self) -> None:
        note = self._note_index_at_cursor()
        if note is None or not note.needs_review:
            moved = [n for n in self.notes if n.needs_review]
            note = moved[0] if len(moved) == 1 and note is None else None
        if note is None:
            self.notify("Move to a moved note first with ] / [ (marked ? in the margin)", markup=False, timeout=3)
            return
        if self.app.write("accept the moved note", self.app.notes.accept_review, note.id) is None:
            return
        if self.reattach_note is not None and self.reattach_note.id == note.id:
            self.reattach_note = None
        self._load_notes()
        self.notify("Accepted: the note stays on this passage", markup=False, timeout=3)

    def action_versions(self) -> None:
        from reader.tui.screens.versions import VersionsScreen

        self.app.push_screen(VersionsScreen(self.article.id))

    def _passage_notes(self) -> list[int]:
        return [i for i, n in enumerate(self.notes) if n.start is not None and n.status == "anchored"]

    def action_next_note(self) -> None:
        order = self._passage_notes()
        if not order:
            self.notify("No notes on passages of this article", markup=False, timeout=2)
            return
        top = self.query_one(ArticleView).top_offset()
        cur = self.note_cursor
        after = [i for i in order if (cur is not None and i > cur) or (cur is None and self.notes[i].start >= top)]
        self._jump_to_note(after[0] if after else order[0])

    def action_previous_note(self) -> None:
        order = self._passage_notes()
        if not order:
            self.notify("No notes on passages of this article", markup=False, timeout=2)
            return
        cur = self.note_cursor
        before = [i for i in order if cur is not None and i < cur]
        self._jump_to_note(before[-1] if before else order[-1])

    def on_sidebar_note_chosen(self, message: Sidebar.NoteChosen) -> None:
        for i, n in enumerate(self.notes):
            if n.id == message.note_id:
                self._jump_to_note(i)
                self.query_one(ArticleView).focus()

    # -- writing notes -----------------------------------------------------------------

    def action_annotate(self) -> None:
        body = self.article.body
        rng = self.selected_range()
        entity_id = None
        if rng is None:
            m = self.current_mention()
            if m is not None:
                rng = textnav.sentence_bounds(body, m.start)
                entity_id = m.entry_id
            else:
                rng = textnav.sentence_bounds(body, self.query_one(ArticleView).top_offset())
        start, end = textnav.trim_span(body, *rng)
        if start >= end:
            self.notify("The selection holds only spaces: extend it over some words first",
                        markup=False, timeout=3)
            return
        if self.reattach_note is not None:
            self._reattach(start, end)
            return
        quote = body[start:end]

        def save(text: str, tags: list[str]):
            return self.app.notes.add(self.article.id, text, start=start, end=end, tags=tags,
                                      entity_id=entity_id)

        self._open_editor("New note", quote, save=save)

    def action_annotate_article(self) -> None:
        def save(text: str, tags: list[str]):
            return self.app.notes.add(self.article.id, text, tags=tags)

        self._open_editor("Note on the whole article", "", save=save)

    def action_edit_note(self) -> None:
        note = self._note_index_at_cursor()
        if note is None:
            self.notify("Move to a note first with ] / [ or pick one in the sidebar", markup=False, timeout=2)
            return

        def save(text: str, tags: list[str]):
            return self.app.notes.update(note.id, body=text, tags=tags)

        self._open_editor("Edit note", note.quote, body=note.body, tags=note.tags, save=save)

    def _open_editor(self, title: str, quote: str, *, save, body: str = "", tags=None) -> None:
        from reader.tui.screens.note_editor import NoteEditor

        def done(result) -> None:
            if result is None:
                return
            self.action_cancel_selection()
            self._load_notes()
            self.notify("Note saved", markup=False, timeout=2)

        known = [t for t, _n in self.app.notes.tags()]
        self.app.push_screen(NoteEditor(title=title, quote=quote, body=body, tags=tags, known_tags=known,
                                        save=save), done)

    def action_delete_note(self) -> None:
        note = self._note_index_at_cursor()
        if note is None:
            self.notify("Move to a note first with ] / [", markup=False, timeout=2)
            return
        from reader.tui.screens.note_editor import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            removed = self.app.write("delete the note", self.app.notes.delete, note.id)
            if removed is not None:
                self.deleted.append(removed)
            self.note_cursor = None
            self.query_one(ArticleView).set_layer("note-cursor", [])
            self._load_notes()
            self.notify("Note deleted (u undoes)", markup=False, timeout=3)

        preview = note.body.strip()[:80] or note.quote[:80]
        self.app.push_screen(ConfirmScreen(f"Delete this note?\n“{preview}”", yes="Delete", no="Keep"), answered)

    def action_undo_delete(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo", markup=False, timeout=2)
            return
        note = self.deleted[-1]
        if self.app.write("restore the note", self.app.notes.undelete, note) is None:
            return
        self.deleted.pop()
        self._load_notes()
        self.notify("Note restored", markup=False, timeout=2)

    def _reattach(self, start: int, end: int) -> None:
        note = self.reattach_note
        if self.app.write("attach the note", self.app.notes.reattach, note.id, start, end) is None:
            return
        self.reattach_note = None
        self.action_cancel_selection()
        self._load_notes()
        self.notify("The orphaned note is attached to the selected passage", markup=False, timeout=3)

    # -- aliases from a selection ---------------------------------------------------------

    def action_add_alias(self) -> None:
        entities = self.app.entities
        rng = self.selected_range()
        if rng is None:
            self.notify("Select the new spelling first (v, then extend), then press A", markup=False, timeout=3)
            return
        if entities is None:
            self.notify("Still loading the gazetteer…", markup=False, timeout=2)
            return
        surface = " ".join(self.article.body[rng[0]:rng[1]].split())
        if len(surface) > 80:
            self.notify("That selection is too long to be a name", markup=False, timeout=2)
            return
        from reader.tui.screens.pickers import NEW_ENTRY, EntityPicker, NewEntryForm

        def created(data: dict | None) -> None:
            if data:
                entity_id = self.app.write("add the entry", entities.add_entry, data["name"], data["type"],
                                           data["summary"], aliases=[surface] if surface != data["name"] else [])
                if entity_id is None:
                    return
                self._learned(f"New entry {data['name']} added")
                self.history = [entity_id]

        def picked(entity_id: str | None) -> None:
            if entity_id == NEW_ENTRY:
                self.app.push_screen(NewEntryForm(surface), created)
            elif entity_id:
                if self.app.write("add the alias", entities.add_alias, entity_id, surface) is None:
                    return
                self._learned(f"“{surface}” is now an alias of {entities.gazetteer.get(entity_id).name}")

        self.app.push_screen(EntityPicker(entities.gazetteer, surface), picked)

    def _learned(self, message: str) -> None:
        self.action_cancel_selection()
        self.notify(message + " (undo from the palette)", markup=False, timeout=3)
        self._load_mentions()
        self.run_worker(self.app.entities.index_library, thread=True, group="reindex", exclusive=True)

    # -- notes in the sidebar's "Also in" ----------------------------------------------

    def notes_mentioning(self, entity_id: str) -> list[tuple[str, Text]]:
        out = []
        for note in self.app.entities.notes_mentioning(entity_id, limit=10):
            label = Text("✎ ", style="#e0b000")
            label.append((note.body.strip().splitlines() or [note.quote])[0][:60])
            out.append((f"note:{note.id}", label))
        return out

    def open_note_target(self, note_id: str) -> None:
        note = self.app.notes.get(note_id)
        if note is None:
            return
        self.app.open_article(note.article_id, offset=note.start or 0, flash=(note.start, note.end))

