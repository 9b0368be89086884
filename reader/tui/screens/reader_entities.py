"""Entity highlights, the mention cursor and the sidebar, for the reader screen.

A mixin (not a widget) because it drives the screen's ArticleView and Sidebar together;
the screen composes the widgets and declares the bindings.
"""

from __future__ import annotations

from rich.text import Text
from textual import work

from reader.matcher import Mention
from reader.tui.styles import TYPE_ORDER, TYPE_PLURALS, cursor_style, entity_style
from reader.tui.widgets.article_view import ArticleView, Decoration
from reader.tui.widgets.sidebar import Sidebar


class EntityReading:
    """State: `mentions`, `cursor` (index or None), `history` (entry ids followed).

    Notes in "Also in" come from the screen's NoteReading mixin (`notes_mentioning`,
    `open_note_target`).
    """

    mentions: list[Mention]
    cursor: int | None
    history: list[str]

    def _init_entities(self) -> None:
        self.mentions = []
        self.cursor = None
        self.history = []
        self._pending_cursor_offset: int | None = None

    @property
    def dark(self) -> bool:
        theme = self.app.current_theme
        return bool(theme.dark) if theme else True

    def entities_ready(self) -> None:
        self._load_mentions()

    def _show_mentions_now_or_later(self) -> None:
        """Cached mentions go into the very first frame; otherwise a worker computes them."""
        cached = self.app.entities.cached_mentions(self.article)
        if cached is not None:
            self._apply_mentions(cached)
        else:
            self._load_mentions()

    @work(thread=True, exclusive=True, group="mentions")
    def _load_mentions(self) -> None:
        entities = self.app.entities
        if entities is None:
            return
        if len(self.article.body) > 20_000 and not entities.is_cached(self.article):
            # never matched (e.g. just imported): highlight what is on screen first
            if not self.is_attached:
                return
            top = self.query_one(ArticleView).top_offset()
            self.app.call_from_thread(self._apply_mentions, entities.preview_mentions(self.article, top), True)
        mentions = entities.mentions(self.article)
        self.app.call_from_thread(self._apply_mentions, mentions)

    def _apply_mentions(self, mentions: list[Mention], preview: bool = False) -> None:
        if not self.is_attached:
            return  # the screen was closed while the worker ran: drop its results
        entities = self.app.entities
        self.mentions = mentions
        gaz = entities.gazetteer
        dark = self.dark
        styles = {t: entity_style(t, dark) for t in TYPE_ORDER}
        fallback = entity_style("", dark)
        decos = []
        for m in mentions:
            entry = gaz.get(m.entry_id)
            decos.append(Decoration(m.start, m.end, styles.get(entry.type, fallback) if entry else fallback))
        view = self.query_one(ArticleView)
        view.set_layer("entities", decos, order=0)
        if preview:
            return
        self._update_legend()
        counts: dict[str, list] = {}
        for m in mentions:
            entry = gaz.get(m.entry_id)
            if entry is None:
                continue
            counts.setdefault(m.entry_id, [m.entry_id, entry.type, 0])[2] += 1
        self.call_after_refresh(self.query_one(Sidebar).show_overview, [tuple(c) for c in counts.values()], gaz, dark)
        if self._pending_cursor_offset is not None:
            self._cursor_to_offset(self._pending_cursor_offset)
            self._pending_cursor_offset = None
        elif self.cursor is not None:
            self.cursor = min(self.cursor, len(mentions) - 1) if mentions else None
            self._show_cursor()

    def _update_legend(self) -> None:
        legend = self.query_one("#legend")
        gaz = self.app.entities.gazetteer if self.app.entities else None
        counts = {t: 0 for t in TYPE_ORDER}
        for m in self.mentions:
            entry = gaz.get(m.entry_id) if gaz else None
            if entry is not None:
                counts[entry.type] = counts.get(entry.type, 0) + 1
        text = Text()
        for t in TYPE_ORDER:
            text.append(TYPE_PLURALS[t], style=entity_style(t, self.dark))
            text.append(f" {counts.get(t, 0)}   ", style="dim")
        text.append("(L hides)", style="dim")
        legend.update(text)

    # -- the cursor --------------------------------------------------------------------

    def _visible_first_after(self, offset: int) -> int | None:
        for i, m in enumerate(self.mentions):
            if m.start >= offset:
                return i
        return None

    def action_next_mention(self) -> None:
        if not self.mentions:
            self.notify("No entity mentions in this article" if self.app.entities else
                        "Still loading the gazetteer…", markup=False, timeout=2)
            return
        if self.cursor is None:
            top = self.query_one(ArticleView).top_offset()
            self.cursor = self._visible_first_after(top) or 0
        elif self.cursor + 1 < len(self.mentions):
            self.cursor += 1
        else:
            self.notify("Last mention", timeout=1, markup=False)
        self._show_cursor(new_entity=True)

    def action_previous_mention(self) -> None:
        if not self.mentions:
            return
        if self.cursor is None:
            top = self.query_one(ArticleView).top_offset()
            after = self._visible_first_after(top)
            self.cursor = max(0, (after if after is not None else len(self.mentions)) - 1)
        elif self.cursor > 0:
            self.cursor -= 1
        else:
            self.notify("First mention", timeout=1, markup=False)
        self._show_cursor(new_entity=True)

    def _cursor_to_offset(self, offset: int) -> None:
        for i, m in enumerate(self.mentions):
            if m.start <= offset < max(m.end, m.start + 1) or m.start >= offset:
                self.cursor = i
                self._show_cursor(new_entity=True)
                return

    def current_mention(self) -> Mention | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.mentions):
            return None
        return self.mentions[self.cursor]

    def _show_cursor(self, new_entity: bool = False) -> None:
        view = self.query_one(ArticleView)
        m = self.current_mention()
        if m is None:
            view.set_layer("cursor", [])
            return
        view.set_layer("cursor", [Decoration(m.start, m.end, cursor_style(self.dark))])
        view.scroll_to_offset(m.start)
        if new_entity:
            self.history = [m.entry_id]
        # the sidebar follows after the key is handled, so holding `e` never stutters
        self.set_timer(0.03, self._refresh_card, name="card")

    def _refresh_card(self) -> None:
        entities = self.app.entities
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
                also.append((f"article:{article_id}:{first}", label))
            also.extend(self.notes_mentioning(entry.id))
        alternatives = m.alternatives if (m and entry and m.entry_id == entry.id) else ()
        self.query_one(Sidebar).show_entry(entry, entities.gazetteer, dark=self.dark,
                                           alternatives=alternatives, also_in=also)

    # -- sidebar messages ------------------------------------------------------------------

    def on_sidebar_entity_chosen(self, message: Sidebar.EntityChosen) -> None:
        for i, m in enumerate(self.mentions):
            if m.entry_id == message.entity_id:
                self.cursor = i
                self._show_cursor(new_entity=True)
                break

    def on_sidebar_link_chosen(self, message: Sidebar.LinkChosen) -> None:
        self.history.append(message.entity_id)
        self._refresh_card()

    def on_sidebar_also_in_chosen(self, message: Sidebar.AlsoInChosen) -> None:
        kind, _, rest = message.target.partition(":")
        if kind == "article":
            article_id, _, offset = rest.rpartition(":")
            self.app.open_article(article_id, offset=int(offset))
        elif kind == "note":
            self.open_note_target(rest)

    def action_history_back(self) -> None:
        if len(self.history) > 1:
            self.history.pop()
            self._refresh_card()
        else:
            self.notify("No earlier entry in the history", timeout=1.5, markup=False)

    def on_article_view_clicked(self, message: ArticleView.Clicked) -> None:
        for i, m in enumerate(self.mentions):
            if m.start <= message.offset < m.end:
                self.cursor = i
                self._show_cursor(new_entity=True)
                return

    # -- corrections ------------------------------------------------------------------

    def action_not_this_entity(self) -> None:
        m = self.current_mention()
        entities = self.app.entities
        if m is None or entities is None:
            self.notify("Move to a mention first (e / E)", markup=False, timeout=2)
            return
        entry = entities.gazetteer.get(m.entry_id)
        if self.app.write("record the correction", lambda: entities.reject(self.article, m) or True) is None:
            return
        self.notify(f"“{m.text}” is no longer marked as {entry.name if entry else m.entry_id} here "
                    "(undo from the palette: “Undo a gazetteer change”)", markup=False, timeout=4)
        self.cursor = None
        self.query_one(ArticleView).set_layer("cursor", [])
        self._load_mentions()

    def action_choose_meaning(self) -> None:
        m = self.current_mention()
        entities = self.app.entities
        if m is None or entities is None or not m.alternatives:
            self.notify("The mention under the cursor is not ambiguous", markup=False, timeout=2)
            return
        from reader.tui.screens.pickers import MeaningPicker

        def chosen(entity_id: str | None) -> None:
            if entity_id and entity_id != m.entry_id:
                if self.app.write("record the choice", lambda: entities.choose(self.article, m, entity_id) or True) is None:
                    return
                self._pending_cursor_offset = m.start
                self._load_mentions()

        self.app.push_screen(MeaningPicker(entities.gazetteer, (m.entry_id,) + m.alternatives), chosen)
