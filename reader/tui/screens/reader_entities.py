"""Entity highlights, the mention under the caret and the sidebar, for the reader screen.

The caret belongs to the ArticleView; "the current mention" is simply the mention under it,
so `e`/`E` move the caret to the next/previous mention *from the caret* and the card follows
wherever the caret goes (keys, find, mouse).

With the `ner` extra, names no entry knows ("candidates", issue 17) come later from the
screen's `NerRunner` (a worker, after the first frame): drawn faint in the "candidates"
layer, listed under "Not in the gazetteer", skipped by `e`/`E` unless `C` is toggled. NER
spans that match an entry's name ("links") join the known mentions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.text import Text
from textual import work

from reader.matcher import Mention
from reader.ner.types import Candidate
from reader.tui.navigation import ArticleTarget, NoteTarget, Target
from reader.tui.ner_worker import NerRunner
from reader.tui.screens.alias_rules import alias_refusal
from reader.tui.styles import TYPE_ORDER, TYPE_PLURALS, candidate_style, entity_class, entity_style
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.note_display import also_in_label
from reader.tui.widgets.sidebar import Sidebar


LONG_ARTICLE_CHARS = 20_000  # longer, and never matched: the first screen is matched on its own first
FIRST_SCREEN_CHARS = 4_000  # about a screenful of text (40 lines of a 100-column reading width)

class EntityReading:
    """State: `mentions` (in text order), `history` (entry ids followed from the card),
    `candidates` (NER names in no entry, in text order; none without the extra) and
    `candidates_in_nav` (whether `e`/`E` stop at them).

    `mentions` is the screen's reactive (bound to the sidebar's "In this article"); this part
    needs nothing from the screen's other parts.
    """

    mentions: Sequence[Mention]  # ReaderScreen.mentions
    history: list[str]

    def _init_entities(self) -> None:
        self.history = []
        self._card_mention: Mention | None = None
        self._card_candidate: Candidate | None = None
        self._matched: list[Mention] = []  # the matcher's mentions, before NER links join them
        self.candidates: list[Candidate] = []
        self.candidates_in_nav = False
        self.ner = NerRunner(self)

    @property
    def dark(self) -> bool:
        theme = self.app.current_theme
        return bool(theme.dark) if theme else True

    def entities_ready(self) -> None:
        self._load_mentions()

    def _show_mentions_now_or_later(self, offset: int = 0, centred: bool = False) -> None:
        """Cached mentions go into the very first frame; otherwise a worker computes them.

        A long article never matched before gets the passage the first frame shows matched
        here, before that frame (a few milliseconds for a screenful; a worker thread would
        wait for the interpreter lock behind the screen's own layout), and the rest in the
        worker."""
        entities = self.app.session.entities
        cached = entities.cached_mentions(self.article)
        if cached is not None:
            self._apply_mentions(cached)
            return
        if len(self.article.body) > LONG_ARTICLE_CHARS:
            start = max(0, offset - FIRST_SCREEN_CHARS // 2) if centred else offset
            self._apply_mentions(entities.preview_mentions(self.article, start, FIRST_SCREEN_CHARS), True)
            # the whole text after the first frame: started now, its matching would hold the
            # interpreter lock while the screen lays out
            self.call_after_refresh(self._load_mentions, False)
        else:
            self._load_mentions()

    @work(thread=True, exclusive=True, group="mentions")
    def _load_mentions(self, preview: bool = True) -> None:
        entities = self.app.session.entities_or_none()
        if entities is None:
            return
        if preview and len(self.article.body) > LONG_ARTICLE_CHARS and not entities.is_cached(self.article):
            # never matched (e.g. just imported): highlight what is on screen first
            if not self.is_attached:
                return
            top = self.query_one(ArticleView).top_offset()
            self.app.call_from_thread(self._apply_mentions, entities.preview_mentions(self.article, top), True)
        mentions = entities.mentions(self.article)
        self.app.call_from_thread(self._apply_mentions, mentions)

    def _apply_mentions(self, mentions: list[Mention], preview: bool = False, *, from_ner: bool = False) -> None:
        if not self.is_attached or not self.query("#legend"):  # closed, or being torn down
            return  # the screen was closed while the worker ran: drop its results
        entities = self.app.session.entities
        if not from_ner:
            self._matched = mentions
        if preview:  # e/E use the preview at once; the sidebar waits for the whole article
            self.set_reactive(type(self).mentions, mentions)
        else:
            self.mentions = mentions  # the sidebar's "In this article" follows (data_bind)
        gaz = entities.gazetteer
        decos = []
        for m in mentions:
            entry = gaz.get(m.entry_id)
            decos.append(Decoration(m.start, m.end, entity_class(entry.type if entry else "")))
        view = self.query_one(ArticleView)
        view.set_layer("entities", decos, order=0)
        if preview:
            return
        self._update_legend()
        self._card_mention = None
        if self.candidates:  # a name that just became an entry is no longer a candidate
            self._show_candidates(self.candidates)
        self._mention_under_caret_changed()
        if not from_ner:
            # NER after this frame, in a worker (nothing without the extra); it re-merges with
            # these mentions, so an entry made with `A` takes its candidate away
            self.ner.start(self.article, entities)

    # -- names not in the gazetteer (NER candidates) ------------------------------------------

    def on_ner_runner_candidates_ready(self, message: NerRunner.CandidatesReady) -> None:
        if message.article_id != self.article.id or not self.is_attached or not self.query("#legend"):
            return
        links = [m for m in message.result.links
                 if not any(k.start < m.end and m.start < k.end for k in self._matched)]
        if links or len(self.mentions) != len(self._matched):
            self._apply_mentions(sorted(self._matched + links, key=lambda m: (m.start, m.end)), from_ner=True)
        self._show_candidates(message.result.candidates)

    def _show_candidates(self, candidates: list[Candidate]) -> None:
        known = [(m.start, m.end) for m in self.mentions]
        self.candidates = [c for c in candidates if not any(s < c.end and c.start < e for s, e in known)]
        view = self.query_one(ArticleView)
        view.set_layer("candidates", [Decoration(c.start, c.end, "article--candidate") for c in self.candidates],
                       order=1)
        rows: dict[str, list] = {}
        for c in self.candidates:
            row = rows.setdefault(c.key, [c.key, c.text, c.type, 0])
            row[3] += 1
            if c.cue != "repeat" and len(c.text) > len(row[1]):
                row[1] = c.text  # the fullest spelling names the row ("Amadou Koufa", not "Koufa")
        self.query_one(Sidebar).show_candidates([tuple(r) for r in rows.values()], self.dark)
        self._update_legend()
        self._card_candidate = None
        self._mention_under_caret_changed()

    def current_candidate(self) -> Candidate | None:
        """The candidate the caret is on, if any."""
        caret = self.query_one(ArticleView).caret
        return next((c for c in self.candidates if c.start <= caret < c.end), None)

    def candidate_to_add(self) -> Candidate | None:
        """What `A` makes an entry of: the candidate highlighted under "Not in the gazetteer"
        while that list has focus, else the one under the caret when nothing is selected."""
        sidebar = self.query_one(Sidebar)
        if self.focused is sidebar.query_one("#candidates"):
            key = sidebar.highlighted_candidate()
            same = [c for c in self.candidates if c.key == key]
            return max(same, key=lambda c: (c.cue != "repeat", len(c.text)), default=None)
        if self.query_one(ArticleView).selection is None:
            return self.current_candidate()
        return None

    def add_candidate_entry(self, candidate: Candidate) -> None:
        """`A` on a candidate: the new-entry form, filled from it (name, guessed type; place
        coordinates optional). The entry is highlighted at once here and in every article."""
        entities = self.app.session.entities_or_none()
        if entities is None:
            self.notify("Still loading the gazetteer…", markup=False, timeout=2)
            return
        from reader.gazetteer import fold_key
        from reader.tui.screens.pickers import NewEntryForm

        def created(data: dict | None) -> None:
            if not data:
                return
            aliases = [candidate.text] if fold_key(candidate.text) != fold_key(data["name"]) else []
            entity_id = self.app.write("add the entry", entities.add_entry, data["name"], data["type"],
                                       data["summary"], aliases=aliases, lat=data.get("lat"), lon=data.get("lon"))
            if entity_id is None:
                return
            self.history = [entity_id]
            self._learned(f"New entry {data['name']} added")
            self.query_one(ArticleView).focus()

        self.app.push_screen(NewEntryForm(candidate.text, candidate.type, coordinates=True), created)

    def action_toggle_candidates(self) -> None:
        if not self.ner.enabled():
            from reader.ner import unavailable_reason

            self.notify(f"No names outside the gazetteer: {unavailable_reason()}", markup=False, timeout=4)
            return
        self.candidates_in_nav = not self.candidates_in_nav
        self.notify("e / E now stop at names not in the gazetteer too" if self.candidates_in_nav else
                    "e / E skip names not in the gazetteer", markup=False, timeout=2)

    def on_sidebar_candidate_chosen(self, message: Sidebar.CandidateChosen) -> None:
        for c in self.candidates:
            if c.key == message.key:
                self.query_one(ArticleView).move_caret(c.start, center=True)
                break

    def _update_legend(self) -> None:
        legend = self.query_one("#legend")
        entities = self.app.session.entities_or_none()
        gaz = entities.gazetteer if entities else None
        counts = {t: 0 for t in TYPE_ORDER}
        for m in self.mentions:
            entry = gaz.get(m.entry_id) if gaz else None
            if entry is not None:
                counts[entry.type] = counts.get(entry.type, 0) + 1
        text = Text()
        for t in TYPE_ORDER:
            text.append(TYPE_PLURALS[t], style=entity_style(t, self.dark))
            text.append(f" {counts.get(t, 0)}   ", style="dim")
        if self.candidates:
            text.append("Not in the gazetteer", style=candidate_style(self.dark))
            text.append(f" {len(self.candidates)}   ", style="dim")
        text.append("(ctrl+l hides)", style="dim")
        legend.update(text)

    # -- the mention under the caret ------------------------------------------------------

    def current_mention(self) -> Mention | None:
        """The mention the caret is on, if any."""
        caret = self.query_one(ArticleView).caret
        i = bisect_right(self._mention_starts(), caret) - 1
        if i >= 0 and self.mentions[i].start <= caret < self.mentions[i].end:
            return self.mentions[i]
        return None

    def _mention_starts(self) -> list[int]:
        if getattr(self, "_starts_for", None) is not self.mentions:
            self._starts_for = self.mentions
            self._starts = [m.start for m in self.mentions]
        return self._starts

    def _stops(self) -> list[int]:
        """Where `e`/`E` stop: the mentions, and the candidates when `C` has turned them on."""
        if not (self.candidates_in_nav and self.candidates):
            return self._mention_starts()
        return sorted(set(self._mention_starts()) | {c.start for c in self.candidates})

    def action_next_mention(self) -> None:
        stops = self._stops()
        if not stops:
            self.notify("No entity mentions in this article" if self.app.session.entities_or_none() else
                        "Still loading the gazetteer…", markup=False, timeout=2)
            return
        view = self.query_one(ArticleView)
        i = bisect_right(stops, view.caret)
        if i >= len(stops):
            self.notify("No more mentions after the caret", timeout=1.5, markup=False)
            return
        view.move_caret(stops[i])

    def action_previous_mention(self) -> None:
        stops = self._stops()
        if not stops:
            return
        view = self.query_one(ArticleView)
        i = bisect_left(stops, view.caret) - 1
        if i < 0:
            self.notify("No mentions before the caret", timeout=1.5, markup=False)
            return
        view.move_caret(stops[i])

    def _mention_under_caret_changed(self) -> None:
        m = self.current_mention()
        c = self.current_candidate() if m is None and self.candidates else None
        if m == self._card_mention and c == self._card_candidate:
            return
        self._card_mention, self._card_candidate = m, c
        view = self.query_one(ArticleView)
        view.set_layer("cursor", [Decoration(m.start, m.end, "article--mention-current")] if m else [])
        if c is not None:
            self.query_one(Sidebar).show_candidate(c, dark=self.dark)
        if m is None:
            return
        self.history = [m.entry_id]
        # the sidebar follows after the key is handled, so holding `e` never stutters
        self.set_timer(0.03, self._refresh_card, name="card")

    def _refresh_card(self) -> None:
        entities = self.app.session.entities_or_none()
        if entities is None:
            return
        m = self.current_mention()
        entity_id = self.history[-1] if self.history else (m.entry_id if m else None)
        entry = entities.gazetteer.get(entity_id) if entity_id else None
        also = []
        if entry is not None:
            for article_id, title, count, first in entities.also_in(entry.id, exclude=self.article.id):
                label = Text(title)
                label.append(f" ×{count}", style="dim")
                also.append((ArticleTarget(article_id, first), label))
            also.extend(self.notes_mentioning(entry.id))
        alternatives = m.alternatives if (m and entry and m.entry_id == entry.id) else ()
        self.query_one(Sidebar).show_entry(entry, entities.gazetteer, dark=self.dark,
                                           alternatives=alternatives, also_in=also)

    # -- sidebar messages ------------------------------------------------------------------

    def on_sidebar_entity_chosen(self, message: Sidebar.EntityChosen) -> None:
        for m in self.mentions:
            if m.entry_id == message.entity_id:
                self.query_one(ArticleView).move_caret(m.start, center=True)
                break

    def on_sidebar_link_chosen(self, message: Sidebar.LinkChosen) -> None:
        self.history.append(message.entity_id)
        self._refresh_card()

    def on_sidebar_also_in_chosen(self, message: Sidebar.AlsoInChosen) -> None:
        self.open_target(message.target)

    def open_target(self, target: Target) -> None:
        self.app.open_target(target)

    def action_history_back(self) -> None:
        if len(self.history) > 1:
            self.history.pop()
            self._refresh_card()
        else:
            self.notify("No earlier entry in the history", timeout=1.5, markup=False)

    # -- aliases and entries from a selection (A) ------------------------------------------

    def add_alias_from_selection(self) -> None:
        """`A` on a selection: make it an alias of an entry (picked), or a new entry."""
        entities = self.app.session.entities_or_none()
        rng = self.query_one(ArticleView).selection
        if rng is None:
            self.notify("Select the new spelling first (v, then extend), then press A", markup=False, timeout=3)
            return
        if entities is None:
            self.notify("Still loading the gazetteer…", markup=False, timeout=2)
            return
        surface = " ".join(self.article.body[rng[0]:rng[1]].split())
        reason = alias_refusal(surface, self.article.body)
        if reason:
            self.notify(reason, markup=False, timeout=4)
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
        self.query_one(ArticleView).clear_selection()
        self.notify(message + " (undo from the palette)", markup=False, timeout=3)
        self._load_mentions()
        self.run_worker(self.app.session.entities.index_library, thread=True, group="reindex", exclusive=True)

    def notes_mentioning(self, entity_id: str) -> list[tuple[NoteTarget, Text]]:
        """The notes about `entity_id` (any article), for the card's "Also in"."""
        return [(NoteTarget(note.id), also_in_label(note))
                for note in self.app.session.entities.notes_mentioning(entity_id, limit=10)]

    # -- corrections ------------------------------------------------------------------

    def action_not_this_entity(self) -> None:
        m = self.current_mention()
        entities = self.app.session.entities_or_none()
        if m is None or entities is None:
            self.notify("Move to a mention first (e / E)", markup=False, timeout=2)
            return
        entry = entities.gazetteer.get(m.entry_id)
        if self.app.write("record the correction", lambda: entities.reject(self.article, m) or True) is None:
            return
        self.notify(f"“{m.text}” is no longer marked as {entry.name if entry else m.entry_id} here "
                    "(undo from the palette: “Undo a gazetteer change”)", markup=False, timeout=4)
        self._load_mentions()

    def action_choose_meaning(self) -> None:
        m = self.current_mention()
        entities = self.app.session.entities_or_none()
        if m is None or entities is None or not m.alternatives:
            self.notify("The mention under the cursor is not ambiguous", markup=False, timeout=2)
            return
        from reader.tui.screens.pickers import MeaningPicker

        def chosen(entity_id: str | None) -> None:
            if entity_id and entity_id != m.entry_id:
                if self.app.write("record the choice", lambda: entities.choose(self.article, m, entity_id) or True) is None:
                    return
                self._load_mentions()

        self.app.push_screen(MeaningPicker(entities.gazetteer, (m.entry_id,) + m.alternatives), chosen)
