"""`s`: search saved notes (and articles) as you type; `enter` lands on the passage.

Queries run in a thread worker on a connection of their own (the first key after a pause at
once, a burst of keys debounced to its last), and a result is shown only if it answers the
latest keystroke, so typing never waits for the database. The
results go into the list a page per frame (a hundred wrapped options take ~300 ms to lay
out), so the first page is on screen in one frame at any library size.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.search import SORTS, ArticleHit
from reader.store import Store
from reader.tui.navigation import ArticleTarget, NoteTarget

DEBOUNCE_S = 0.04
PAGE = 12  # results laid out per frame: the first page shows while the rest are still coming


def _marked(text: str, spans, style: str = "bold reverse") -> Text:
    out = Text(text)
    for s, e in spans:
        out.stylize(style, s, e)
    return out


def _note_option(hit, option_id: str) -> Option:
    n = hit.note
    label = Text()
    body = (n.body or "").strip() or "(no text)"
    label.append_text(_marked(body[:300], [s for s in hit.body_spans if s[1] <= 300]))
    if n.quote:
        label.append("\n  “", style="dim")
        label.append_text(_marked(n.quote[:200], [s for s in hit.quote_spans if s[1] <= 200], "bold underline"))
        label.append("”", style="dim")
    meta = f"\n  {hit.article_title} · {hit.article_date or 'undated'} · noted {n.created[:10]}"
    if n.tags:
        meta += " · #" + " #".join(n.tags)
    if n.status == "orphaned":
        meta += " · orphaned"
    label.append(meta, style="dim")
    return Option(label, id=option_id)


def _article_option(hit, option_id: str) -> Option:
    label = Text(hit.title, style="bold")
    label.append(f"  {hit.date or ''}", style="dim")
    label.append("\n  ")
    label.append_text(_marked(hit.snippet.replace("\n", " "), hit.spans))
    return Option(label, id=option_id)


class SearchScreen(Screen):
    HELP_TITLE = "Search notes"
    HELP_EXTRA = ('Query language: words (prefix match), "exact phrase", -word excludes, tag:fuel, '
                  "entity:gao (accent/spelling tolerant), type:group, article:kidal, "
                  "before:2023-01-01, after:2023-01-01, orphaned:yes. Anything else is searched literally.")
    CSS_PATH = "search.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("enter", "open", "Open", show=False, id="search.open"),
        Binding("down", "to_results", "Results", show=False, id="search.to_results"),
        Binding("ctrl+o", "cycle_sort", "Sort", id="search.sort"),
        Binding("j", "cursor_down", "Down", show=False, id="search.down"),
        Binding("k", "cursor_up", "Up", show=False, id="search.up"),
        Binding("slash", "edit_query", "Edit query", show=False, id="search.edit_query"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self._seq = 0
        self._conn_store: Store | None = None
        self._sort = "relevance"
        # option id → what choosing it opens: a note, or an article hit (opened at its match)
        self._chosen: dict[str, NoteTarget | ArticleHit] = {}
        self.last_result = None
        self.last_latency_ms: float | None = None
        self._last_key = float("-inf")  # when the query last changed (see _schedule)
        self._searching = False  # a search worker is running

    def compose(self) -> ComposeResult:
        yield Static(Text("Search notes and articles", style="bold"), id="search-title")
        yield Input(self._initial, placeholder='words, "phrases", -exclude, tag:, entity:, type:, article:, before:, after:',
                    id="query")
        yield Static("", id="search-status")
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query").focus()
        self._schedule()

    def on_unmount(self) -> None:
        if self._conn_store is not None:
            self._conn_store.close()

    @on(Input.Changed, "#query")
    def _changed(self) -> None:
        self._schedule()

    def _schedule(self) -> None:
        """Search for the box's text: at once after a pause in typing (nothing running, no key
        for DEBOUNCE_S), else once the keys stop coming for DEBOUNCE_S (a burst of keys runs
        one query, for its last text)."""
        self._seq += 1
        seq = self._seq
        now = time.perf_counter()
        quiet = now - self._last_key >= DEBOUNCE_S and not self._searching
        self._typed_at = self._last_key = now
        if quiet:
            self._start(seq)
        else:
            self.set_timer(DEBOUNCE_S, lambda: self._start(seq) if seq == self._seq else None)

    def _start(self, seq: int) -> None:
        # the widgets are read here, on the UI thread; the worker gets plain values
        self._run(seq, self.query_one("#query", Input).value, self._sort)

    @work(thread=True, exclusive=True, group="search")
    def _run(self, seq: int, query: str, sort: str) -> None:
        from reader.search import search

        self._searching = True
        try:
            if self._conn_store is None:  # kept for the screen's life: its page cache stays warm
                self._conn_store = Store.open(self.app.session.store.path, create=False)
            entities = self.app.session.entities_or_none()
            gaz = entities.gazetteer if entities else None
            result = search(self._conn_store, query, limit=100, sort=sort, gazetteer=gaz)
        finally:
            self._searching = False
        if seq == self._seq:
            self.app.call_from_thread(self._show, seq, result)

    def _show(self, seq: int, result) -> None:
        if seq != self._seq:
            return
        self.last_result = result
        box = self.query_one("#results", OptionList)
        status = []
        if result.error:
            status.append(result.error)
        status.extend(result.hints)
        if result.query.empty:
            status.append("Type to search your notes; ? lists the query language.")
        notes, articles = result.notes, result.articles
        # (selectable, make the option): labels are built a page at a time, as they are shown
        self._chosen = {}
        rows: list[tuple[bool, object]] = []
        if not result.query.empty:
            rows.append((False, lambda: Option(Text(f"Notes ({len(notes)})", style="bold"), disabled=True)))
        for hit in notes:
            target = NoteTarget(hit.note.id)
            self._chosen[target.key] = target
            rows.append((True, lambda hit=hit, key=target.key: _note_option(hit, key)))
        if articles:
            rows.append((False, lambda: Option(Text(f"Articles ({len(articles)})", style="bold"), disabled=True)))
            for hit in articles:
                option_id = f"article:{hit.article_id}"  # an option id only, never parsed
                self._chosen[option_id] = hit
                rows.append((True, lambda hit=hit, key=option_id: _article_option(hit, key)))
        status.append(f"sorted by {self._sort} (ctrl+o)")
        self.query_one("#search-status", Static).update(Text(" · ".join(status), style="dim"))
        box.clear_options()
        box.add_options([make() for _, make in rows[:PAGE]])  # laying out an option costs ~2 ms: a screenful first
        self.last_latency_ms = (time.perf_counter() - self._typed_at) * 1000
        first = next((i for i, (selectable, _) in enumerate(rows) if selectable), None)
        if first is not None and first < PAGE:
            box.highlighted = first
        if len(rows) > PAGE:
            self.call_after_refresh(self._add_more, seq, rows, PAGE)

    def _add_more(self, seq: int, rows: list, start: int) -> None:
        """The rest of the results, a page per frame, abandoned as soon as the query changes."""
        if seq != self._seq or not self.is_attached:
            return
        self.query_one("#results", OptionList).add_options([make() for _, make in rows[start:start + PAGE]])
        if start + PAGE < len(rows):
            self.call_after_refresh(self._add_more, seq, rows, start + PAGE)

    def action_to_results(self) -> None:
        self.query_one("#results").focus()

    def action_edit_query(self) -> None:
        self.query_one("#query").focus()

    def action_cursor_down(self) -> None:
        self.query_one("#results", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#results", OptionList).action_cursor_up()

    def action_cycle_sort(self) -> None:
        self._sort = SORTS[(SORTS.index(self._sort) + 1) % len(SORTS)]
        self._schedule()

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        self.action_open()

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id)

    def action_open(self) -> None:
        options = self.query_one("#results", OptionList)
        option = options.highlighted_option
        if option is not None and option.id:
            self._open(option.id)

    def _open(self, option_id: str) -> None:
        chosen = self._chosen.get(option_id)
        if isinstance(chosen, NoteTarget):
            self.app.open_target(chosen)
        elif chosen is not None:  # an article: at the passage that matched
            place = match_in_article(self.app.session.store.article(chosen.article_id), chosen)
            if place is None:
                self.app.open_target(ArticleTarget(chosen.article_id))
            else:
                self.app.open_target(ArticleTarget(chosen.article_id, offset=place[0], flash=place))

    def action_back(self) -> None:
        self.app.pop_screen()


def match_in_article(article, hit) -> tuple[int, int] | None:
    """Where a search hit's first matched word is in the article: found through the snippet
    around it (so the right occurrence is chosen), else the word's first occurrence."""
    from reader.tui.widgets.find_bar import find_all

    if article is None or hit is None or not hit.spans:
        return None
    s, e = hit.spans[0]
    word = hit.snippet[s:e]
    context = hit.snippet.strip("…").strip()
    lead = hit.snippet.index(context) if context in hit.snippet else 0
    found = find_all(article.body, context) if context else []
    if found:
        start = found[0][0] + (s - lead)
        if article.body[start:start + len(word)].casefold() == word.casefold():
            return start, start + len(word)
    found = find_all(article.body, word)
    return found[0] if found else None
