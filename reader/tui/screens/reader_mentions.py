"""Entity mentions in the reader: matching them (in a worker), their highlights and the legend,
`e`/`E` from the caret, corrections (`x`, `m`), new aliases and entries (`A`), and the names
NER proposes.

The reader screen owns one `MentionNavigator`. The navigator publishes what the panes show
through two reactives of the screen, `mentions` and `candidates`; the sidebar is bound to
them and to the screen's `caret`, so the card of the mention under the caret follows the
caret without the navigator's help. The navigator keeps the rest: the matcher's own mentions
(before NER links join them) and whether `e`/`E` stop at names not in the gazetteer.

With the `ner` extra, names no entry knows ("candidates", issue 17) come later from the
screen's `NerRunner` (a worker, after the first frame): drawn faint in the "candidates"
layer, listed under "Not in the gazetteer", skipped by `e`/`E` unless `C` is toggled. NER
spans that match an entry's name ("links") join the known mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text

from reader.articles import Article
from reader.matcher import Mention
from reader.ner.types import Candidate
from reader.tui.mentions import FirstScreenMentions, MentionIndex, candidate_at, next_stop, previous_stop
from reader.tui.ner_worker import NerRunner
from reader.tui.screens.alias_rules import alias_refusal
from reader.tui.styles import TYPE_ORDER, TYPE_PLURALS, candidate_style, entity_class, entity_style
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.sidebar import Sidebar

LONG_ARTICLE_CHARS = 20_000  # longer, and never matched: the first screen is matched on its own first
FIRST_SCREEN_CHARS = 4_000  # about a screenful of text (40 lines of a 100-column reading width)


class MentionHost(Protocol):
    """What the navigator uses of the reader screen besides a Screen's own methods (`app`,
    `query_one`, `notify`, `run_worker`, `call_after_refresh`, `focused`)."""

    article: Article
    mentions: Sequence[Mention]  # reactive, bound to the sidebar
    candidates: Sequence[Candidate]  # reactive, bound to the sidebar


class MentionNavigator:
    """The article's mentions for one reader screen (see the module's docstring)."""

    def __init__(self, screen: MentionHost) -> None:
        self.screen = screen
        self.article = screen.article
        self.candidates_in_nav = False  # `C`: e / E also stop at names not in the gazetteer
        self.ner = NerRunner(screen)
        self._matched: list[Mention] = []  # the matcher's mentions, before NER links join them
        self._index = MentionIndex()

    # -- reading the state -----------------------------------------------------------------

    @property
    def app(self):
        return self.screen.app

    @property
    def _view(self) -> ArticleView:
        return self.screen.query_one(ArticleView)

    @property
    def dark(self) -> bool:
        theme = self.app.current_theme
        return bool(theme.dark) if theme else True

    def _mentions(self) -> MentionIndex:
        if self._index.mentions is not self.screen.mentions:
            self._index = MentionIndex(self.screen.mentions)
        return self._index

    def current_mention(self) -> Mention | None:
        """The mention the caret is on, if any."""
        return self._mentions().at(self._view.caret)

    def current_candidate(self) -> Candidate | None:
        """The name not in the gazetteer the caret is on, if any."""
        return candidate_at(self.screen.candidates, self._view.caret)

    # -- matching ------------------------------------------------------------------------

    def show_now_or_later(self, offset: int = 0, centred: bool = False) -> None:
        """Cached mentions go into the very first frame; otherwise a worker computes them.

        A long article never matched before gets the passage the first frame shows matched
        here, before that frame (a few milliseconds for a screenful; a worker thread would
        wait for the interpreter lock behind the screen's own layout), and the rest in the
        worker."""
        entities = self.app.session.entities
        cached = entities.cached_mentions(self.article)
        if cached is not None:
            self._apply(cached)
            return
        if len(self.article.body) > LONG_ARTICLE_CHARS:
            start = max(0, offset - FIRST_SCREEN_CHARS // 2) if centred else offset
            self._apply(entities.preview_mentions(self.article, start, FIRST_SCREEN_CHARS), preview=True)
            # the whole text after the first frame: started now, its matching would hold the
            # interpreter lock while the screen lays out
            self.screen.call_after_refresh(self.load, False)
        else:
            self.load()

    def load(self, preview: bool = True) -> None:
        """Match the article again in a worker (after a correction, or once the gazetteer is
        loaded); the highlights change when it is done."""
        self.screen.run_worker(lambda: self._match(preview), thread=True, exclusive=True, group="mentions")

    def _match(self, preview: bool) -> None:
        entities = self.app.session.entities_or_none()
        if entities is None:
            return
        if preview and len(self.article.body) > LONG_ARTICLE_CHARS and not entities.is_cached(self.article):
            # never matched (e.g. just imported): highlight what is on screen first
            if not self.screen.is_attached:
                return
            top = self._view.top_offset()
            self.app.call_from_thread(self._apply, entities.preview_mentions(self.article, top), preview=True)
        mentions = entities.mentions(self.article)
        self.app.call_from_thread(self._apply, mentions)

    def _closed(self) -> bool:
        return not self.screen.is_attached or not self.screen.query("#legend")  # closed, or torn down

    def _apply(self, mentions: list[Mention], preview: bool = False, *, from_ner: bool = False) -> None:
        if self._closed():
            return  # the screen was closed while the worker ran: drop its results
        entities = self.app.session.entities
        if not from_ner:
            self._matched = mentions
        # a first screen: e / E and the card use it at once; the lists wait for the whole article
        self.screen.mentions = FirstScreenMentions(mentions) if preview else mentions
        gaz = entities.gazetteer
        decos = []
        for m in mentions:
            entry = gaz.get(m.entry_id)
            decos.append(Decoration(m.start, m.end, entity_class(entry.type if entry else "")))
        self._view.set_layer("entities", decos, order=0)
        self._mark_under_caret()
        if preview:
            return
        self.update_legend()
        if self.screen.candidates:  # a name that just became an entry is no longer a candidate
            self._show_candidates(self.screen.candidates)
        if not from_ner:
            # NER after this frame, in a worker (nothing without the extra); it re-merges with
            # these mentions, so an entry made with `A` takes its candidate away
            self.ner.start(self.article, entities)

    def caret_moved(self) -> None:
        self._mark_under_caret()

    def _mark_under_caret(self) -> None:
        """The mention under the caret is drawn as the current one."""
        m = self.current_mention()
        marked = [Decoration(m.start, m.end, "article--mention-current")] if m else []
        if self._view.decorations("cursor") != marked:
            self._view.set_layer("cursor", marked)

    def update_legend(self) -> None:
        """The legend line: how many mentions of each type (its styles follow the theme)."""
        entities = self.app.session.entities_or_none()
        gaz = entities.gazetteer if entities else None
        counts = {t: 0 for t in TYPE_ORDER}
        for m in self.screen.mentions:
            entry = gaz.get(m.entry_id) if gaz else None
            if entry is not None:
                counts[entry.type] = counts.get(entry.type, 0) + 1
        text = Text()
        for t in TYPE_ORDER:
            text.append(TYPE_PLURALS[t], style=entity_style(t, self.dark))
            text.append(f" {counts.get(t, 0)}   ", style="dim")
        if self.screen.candidates:
            text.append("Not in the gazetteer", style=candidate_style(self.dark))
            text.append(f" {len(self.screen.candidates)}   ", style="dim")
        text.append("(ctrl+l hides)", style="dim")
        self.screen.query_one("#legend").update(text)

    # -- names not in the gazetteer (NER candidates) ------------------------------------------

    def ner_ready(self, message: NerRunner.CandidatesReady) -> None:
        if message.article_id != self.article.id or self._closed():
            return
        links = [m for m in message.result.links
                 if not any(k.start < m.end and m.start < k.end for k in self._matched)]
        if links or len(self.screen.mentions) != len(self._matched):
            self._apply(sorted(self._matched + links, key=lambda m: (m.start, m.end)), from_ner=True)
        self._show_candidates(message.result.candidates)

    def _show_candidates(self, candidates: Sequence[Candidate]) -> None:
        known = [(m.start, m.end) for m in self.screen.mentions]
        self.screen.candidates = [c for c in candidates if not any(s < c.end and c.start < e for s, e in known)]
        self._view.set_layer("candidates", [Decoration(c.start, c.end, "article--candidate")
                                            for c in self.screen.candidates], order=1)
        self.update_legend()

    def toggle_candidates(self) -> None:
        if not self.ner.enabled():
            from reader.ner import unavailable_reason

            self.screen.notify(f"No names outside the gazetteer: {unavailable_reason()}", markup=False, timeout=4)
            return
        self.candidates_in_nav = not self.candidates_in_nav
        self.screen.notify("e / E now stop at names not in the gazetteer too" if self.candidates_in_nav else
                           "e / E skip names not in the gazetteer", markup=False, timeout=2)

    def go_to_candidate(self, key: str) -> None:
        """The caret to the first occurrence of the candidate `key` (chosen in the sidebar)."""
        for c in self.screen.candidates:
            if c.key == key:
                self._view.move_caret(c.start, center=True)
                break

    # -- e / E -----------------------------------------------------------------------------

    def _stops(self) -> list[int]:
        """Where `e`/`E` stop: the mentions, and the candidates when `C` has turned them on."""
        starts = self._mentions().starts
        if not (self.candidates_in_nav and self.screen.candidates):
            return starts
        return sorted(set(starts) | {c.start for c in self.screen.candidates})

    def next(self) -> None:
        stops = self._stops()
        if not stops:
            self.screen.notify("No entity mentions in this article" if self.app.session.entities_or_none() else
                               "Still loading the gazetteer…", markup=False, timeout=2)
            return
        stop = next_stop(stops, self._view.caret)
        if stop is None:
            self.screen.notify("No more mentions after the caret", timeout=1.5, markup=False)
            return
        self._view.move_caret(stop)

    def previous(self) -> None:
        stops = self._stops()
        if not stops:
            return
        stop = previous_stop(stops, self._view.caret)
        if stop is None:
            self.screen.notify("No mentions before the caret", timeout=1.5, markup=False)
            return
        self._view.move_caret(stop)

    def go_to_entity(self, entity_id: str) -> None:
        """The caret to the entity's first mention (chosen under "In this article")."""
        for m in self.screen.mentions:
            if m.entry_id == entity_id:
                self._view.move_caret(m.start, center=True)
                break

    # -- new aliases and entries (A) ---------------------------------------------------------

    def add_alias(self) -> None:
        """`A`: an entry from the name not in the gazetteer that is highlighted in the sidebar
        or under the caret; otherwise an alias (or entry) from the selection."""
        candidate = self._candidate_to_add()
        if candidate is not None:
            self._add_candidate_entry(candidate)
        else:
            self._add_alias_from_selection()

    def _candidate_to_add(self) -> Candidate | None:
        """The candidate highlighted under "Not in the gazetteer" while that list has focus,
        else the one under the caret when nothing is selected."""
        sidebar = self.screen.query_one(Sidebar)
        if self.screen.focused is sidebar.query_one("#candidates"):
            key = sidebar.highlighted_candidate()
            same = [c for c in self.screen.candidates if c.key == key]
            return max(same, key=lambda c: (c.cue != "repeat", len(c.text)), default=None)
        if self._view.selection is None:
            return self.current_candidate()
        return None

    def _add_candidate_entry(self, candidate: Candidate) -> None:
        """The new-entry form, filled from the candidate (name, guessed type; place coordinates
        optional). The entry is highlighted at once here and in every article."""
        entities = self.app.session.entities_or_none()
        if entities is None:
            self.screen.notify("Still loading the gazetteer…", markup=False, timeout=2)
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
            self._learned(f"New entry {data['name']} added", entity_id)
            self._view.focus()

        self.app.push_screen(NewEntryForm(candidate.text, candidate.type, coordinates=True), created)

    def _add_alias_from_selection(self) -> None:
        """Make the selection an alias of an entry (picked), or a new entry."""
        entities = self.app.session.entities_or_none()
        rng = self._view.selection
        if rng is None:
            self.screen.notify("Select the new spelling first (v, then extend), then press A",
                               markup=False, timeout=3)
            return
        if entities is None:
            self.screen.notify("Still loading the gazetteer…", markup=False, timeout=2)
            return
        surface = " ".join(self.article.body[rng[0]:rng[1]].split())
        reason = alias_refusal(surface, self.article.body)
        if reason:
            self.screen.notify(reason, markup=False, timeout=4)
            return
        from reader.tui.screens.pickers import NEW_ENTRY, EntityPicker, NewEntryForm

        def created(data: dict | None) -> None:
            if data:
                entity_id = self.app.write("add the entry", entities.add_entry, data["name"], data["type"],
                                           data["summary"], aliases=[surface] if surface != data["name"] else [])
                if entity_id is not None:
                    self._learned(f"New entry {data['name']} added", entity_id)

        def picked(entity_id: str | None) -> None:
            if entity_id == NEW_ENTRY:
                self.app.push_screen(NewEntryForm(surface), created)
            elif entity_id:
                if self.app.write("add the alias", entities.add_alias, entity_id, surface) is None:
                    return
                self._learned(f"“{surface}” is now an alias of {entities.gazetteer.get(entity_id).name}")

        self.app.push_screen(EntityPicker(entities.gazetteer, surface), picked)

    def _learned(self, message: str, new_entry: str | None = None) -> None:
        self._view.clear_selection()
        if new_entry is not None:
            self.screen.query_one(Sidebar).show_entry_card(new_entry)
        self.screen.notify(message + " (undo from the palette)", markup=False, timeout=3)
        self.load()
        self.screen.run_worker(self.app.session.entities.index_library, thread=True, group="reindex",
                               exclusive=True)

    # -- corrections (x, m) -------------------------------------------------------------------

    def not_this_entity(self) -> None:
        m = self.current_mention()
        entities = self.app.session.entities_or_none()
        if m is None or entities is None:
            self.screen.notify("Move to a mention first (e / E)", markup=False, timeout=2)
            return
        entry = entities.gazetteer.get(m.entry_id)
        if self.app.write("record the correction", lambda: entities.reject(self.article, m) or True) is None:
            return
        self.screen.notify(f"“{m.text}” is no longer marked as {entry.name if entry else m.entry_id} here "
                           "(undo from the palette: “Undo a gazetteer change”)", markup=False, timeout=4)
        self.load()

    def choose_meaning(self) -> None:
        m = self.current_mention()
        entities = self.app.session.entities_or_none()
        if m is None or entities is None or not m.alternatives:
            self.screen.notify("The mention under the cursor is not ambiguous", markup=False, timeout=2)
            return
        from reader.tui.screens.pickers import MeaningPicker

        def chosen(entity_id: str | None) -> None:
            if entity_id and entity_id != m.entry_id:
                if self.app.write("record the choice",
                                  lambda: entities.choose(self.article, m, entity_id) or True) is None:
                    return
                self.load()

        self.app.push_screen(MeaningPicker(entities.gazetteer, (m.entry_id,) + m.alternatives), chosen)
