"""The library: every article, newest first, filterable as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from reader import listing
from reader.listing import LibraryQuery
from reader.store import ArticleSummary
from reader.tui.widgets.article_list import PAGE_ROWS
from reader.tui.widgets.article_list import ArticleList as LibraryList

COUNT_BOUND = 1000  # short filter words are counted this far on the UI thread, the rest in a worker


def article_prompt(a: ArticleSummary) -> Text:
    """Two lines per article; all text is literal (titles may contain markup-like text)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if a.unread:
        line.append("● ", style="bold cyan")
    line.append(a.title, style="bold")
    meta = [p for p in (a.date or "undated", a.place or a.source) if p]
    detail = Text(" · ".join(meta), style="dim", no_wrap=True, overflow="ellipsis")
    counts = f"  {a.words:,} words"
    if a.entities:
        counts += f" · {a.entities} entities"
    if a.notes:
        counts += f" · {a.notes} note{'s' if a.notes != 1 else ''}"
    detail.append(counts, style="dim")
    return Text("\n").join([line, detail])


class LibraryScreen(Screen):
    HELP_TITLE = "Library"
    HELP_EXTRA = "● before a title: not read yet (opening an article marks it read; N toggles)."
    CSS_PATH = "library.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "filter", "Filter", id="library.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="library.clear_filter"),
        Binding("n", "next_unread", "Next unread", id="library.next_unread"),
        Binding("N", "toggle_read", "Toggle read", show=False, id="library.toggle_read"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="library.mark_all_read"),
        Binding("u", "toggle_unread_only", "Unread only", id="library.unread_only"),
        Binding("o", "open_url", "Open URL in browser", show=False, id="library.open_url"),
        Binding("r,R", "refresh_feeds", "Refresh feeds", show=False, id="library.refresh_feeds"),
        Binding("q", "quit", "Quit", id="library.quit"),
    ]

    class Loaded(Message):
        def __init__(self, errors: list[str]) -> None:
            super().__init__()
            self.errors = errors

    def __init__(self) -> None:
        super().__init__()
        self._signature: tuple = ()
        self._query = LibraryQuery()
        self._count = 0
        self._loaded = False
        self.unread_only = False

    def compose(self) -> ComposeResult:
        yield Static(Text("mali-reader — library", style="bold"), id="library-title")
        yield Input(placeholder="filter: title, place, tag, date… (accents optional)", id="filter")
        yield LibraryList(id="articles")
        yield Static(Text("Loading the library…", style="dim"), id="library-status")
        # the Footer is mounted after the first frame (`_mount_footer`): its keys are drawn a
        # frame later anyway, and mounting it was a tenth of the launch

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one(LibraryList).focus()
        if self.app.session.store.setting("samples_imported"):
            # the usual launch: a count and one page are all the first frame needs; the totals
            # in the status line and the signature (two passes over an index of the whole
            # library) come after it
            self._loaded = True
            self._show(highlight=0, keep=None, status=False, estimate=True)
            self.call_after_refresh(self._after_first_frame)
        else:
            self.call_after_refresh(self._load)
        self.call_after_refresh(self._mount_footer)

    def _mount_footer(self) -> None:
        if not self.query(Footer):
            self.mount(Footer())

    @work(thread=True, exclusive=True, group="library-load")
    def _load(self) -> None:
        from reader.importers.save import import_samples

        errors = import_samples(self.app.session.store)
        self.post_message(self.Loaded(errors))

    def on_library_screen_loaded(self, message: Loaded) -> None:
        for line in message.errors:
            self.notify(line, title="Skipped a sample", severity="warning", markup=False, timeout=8)
        self._loaded = True
        self.reload()

    def _after_first_frame(self) -> None:
        store = self.app.session.store
        exact = self._count if self._query.filtered else listing.count(store, self._query)
        if exact != self._count:  # the first frame was sized by `listing.estimate`
            self._count = exact
            self.query_one(LibraryList).set_count(exact)
        self._signature = store.library_signature()
        self._update_status(bounded=False)

    def on_screen_resume(self) -> None:
        if self._loaded and self._signature and self.app.session.store.library_signature() != self._signature:
            self.reload()

    def reload(self) -> None:
        """Show the library as stored now, keeping the highlighted article (and the scroll)."""
        self._signature = self.app.session.store.library_signature()
        options = self.query_one(LibraryList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        index = options.highlighted or 0
        self._show(highlight=index, keep=highlighted)

    def _refilter(self) -> None:
        """The filter or the unread switch changed: count again and show the first page; the
        highlighted article stays highlighted when it is still on that page."""
        self._query = LibraryQuery.parse(self.query_one("#filter", Input).value, unread_only=self.unread_only)
        self._show(highlight=0, keep=None, first_page_only=True)

    def _show(self, highlight: int, keep: str | None, first_page_only: bool = False, status: bool = True,
              estimate: bool = False) -> None:
        """Count, then show the rows from the top; the cursor goes to `keep` (an article id)
        if it is still listed, else to row `highlight`. Words too short for the trigram index
        are counted up to a bound here and exactly in a worker."""
        store, query = self.app.session.store, self._query
        options = self.query_one(LibraryList)
        keep = keep or (options.highlighted_option.id if options.highlighted_option else None)
        exact = listing.counted_at_once(store, query)
        if estimate and not query.filtered:
            count = listing.estimate(store)  # counted exactly after the first frame
        else:
            count = listing.count(store, query, limit=None if exact else COUNT_BOUND)
        self._count = count

        def fetch(offset: int, limit: int) -> list[tuple[str, Text]]:
            return [(a.id, article_prompt(a)) for a in listing.page(store, query, offset, limit, matches=count)]

        if keep:
            # the common case (back from reading): the article is still where it was
            near = listing.page_ids(store, query, max(0, highlight - 1), 3, matches=count)
            if keep in near:
                highlight = max(0, highlight - 1) + near.index(keep)
            elif first_page_only:
                first = listing.page_ids(store, query, 0, PAGE_ROWS, matches=count)
                highlight = first.index(keep) if keep in first else 0
            else:
                found = listing.index_of(store, query, keep, matches=count)
                highlight = found if found is not None else highlight
        options.set_rows(count, fetch, highlight=highlight)
        if status:
            self._update_status(bounded=not exact and count >= COUNT_BOUND)
        if not exact and count >= COUNT_BOUND:
            self._count_exactly(query)

    @work(thread=True, exclusive=True, group="library-count")
    def _count_exactly(self, query: LibraryQuery) -> None:
        """The exact count of a filter of short words, on a connection of its own."""
        from reader.store import Store

        try:
            store = Store.open(self.app.session.store.path, create=False)
        except Exception:  # noqa: BLE001 - the bounded count stays on screen
            return
        try:
            n = listing.count(store, query)
        finally:
            store.close()
        self.post_message(self.Counted(query, n))

    class Counted(Message):
        def __init__(self, query: LibraryQuery, count: int) -> None:
            super().__init__()
            self.query = query
            self.count = count

    def on_library_screen_counted(self, message: Counted) -> None:
        if message.query == self._query and message.count != self._count:
            self._count = message.count
            self.query_one(LibraryList).set_count(message.count)
        if message.query == self._query:
            self._update_status(bounded=False)

    def _update_status(self, bounded: bool) -> None:
        store, query = self.app.session.store, self._query
        status = self.query_one("#library-status", Static)
        # the totals come with the change signature (taken at every reload): counting them
        # here again cost ~24 ms a keystroke at 100,000 articles, half the filter's budget
        total, unread = (int(v) for v in self._signature[:2]) if self._signature else listing.totals(store)
        if not total:
            status.update(Text("The library is empty: add articles with 'mali-reader import PATH'.",
                               style="dim"))
        elif query.filtered:
            what = " and ".join(w for w, on in (("the filter", query.words), ("unread only (u)", query.unread_only))
                                if on)
            shown = f"{self._count:,}+" if bounded else f"{self._count:,}"
            status.update(Text(f"{shown} of {total:,} articles match {what}", style="dim"))
        else:
            status.update(Text(f"{total:,} articles, {unread:,} unread (●) · enter opens · / filters · "
                               "n next unread · ? help", style="dim"))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(LibraryList).focus()
        options = self.query_one(LibraryList)
        if options.option_count == 1:  # one match: enter opens it
            self.app.open_article(options.id_at(0))

    def on_article_list_selected(self, event: LibraryList.Selected) -> None:
        self.app.open_article(event.article_id)

    def action_open(self) -> None:
        options = self.query_one(LibraryList)
        if options.highlighted_option is not None:
            self.app.open_article(options.highlighted_option.id)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value or box.display:
            box.value = ""
            box.display = False
            self.query_one(LibraryList).focus()

    def key_escape(self) -> None:
        # escape inside the filter box (bindings do not fire while an Input has focus)
        self.action_clear_filter()

    # -- newsboat habits ----------------------------------------------------------------

    def _highlighted(self) -> str | None:
        option = self.query_one(LibraryList).highlighted_option
        return option.id if option is not None and option.id else None

    def action_next_unread(self) -> None:
        store = self.app.session.store
        found = listing.next_unread(store, self._query, self._highlighted())
        index = listing.index_of(store, self._query, found, matches=self._count) if found else None
        if index is None:
            self.notify("No unread articles", markup=False, timeout=2)
            return
        self.query_one(LibraryList).highlighted = index

    def action_toggle_read(self) -> None:
        from reader.reading import toggle_unread

        article_id = self._highlighted()
        if article_id is not None and toggle_unread(self.app.session.store, article_id) is not None:
            self.reload()

    def action_mark_all_read(self) -> None:
        changed = listing.mark_read(self.app.session.store, self._query)
        self.reload()
        self.notify(f"{changed} article(s) marked read", markup=False, timeout=2)

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._refilter()

    def action_open_url(self) -> None:
        article_id = self._highlighted()
        article = self.app.session.store.article(article_id) if article_id else None
        if article is None:
            return
        url = (article.url or "").strip()
        if not url.startswith(("http://", "https://")):
            self.notify("This article has no web address", markup=False, timeout=3)
            return
        import webbrowser

        try:
            opened = webbrowser.open(url)  # honours $BROWSER
        except webbrowser.Error:
            opened = False
        if not opened:
            self.notify(f"No browser found; the address is {url}", markup=False, timeout=10)

    def action_refresh_feeds(self) -> None:
        self.app.action_refresh_feeds()

    async def action_quit(self) -> None:
        self.app.exit(0)
