"""The library: every article, newest first, filterable as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from reader.store import ArticleSummary
from reader.text import fold
from reader.tui.widgets.article_list import ArticleList as LibraryList


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
        self._articles: list[ArticleSummary] = []
        self._keys: list[str] = []
        self._key_cache: dict[str, tuple] = {}
        self._signature: tuple = ()
        self._shown: list[ArticleSummary] = []
        self.unread_only = False

    def compose(self) -> ComposeResult:
        yield Static(Text("mali-reader — library", style="bold"), id="library-title")
        yield Input(placeholder="filter: title, place, tag, date… (accents optional)", id="filter")
        yield LibraryList(id="articles")
        yield Static(Text("Loading the library…", style="dim"), id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one(LibraryList).focus()
        self.call_after_refresh(self._load)

    @work(thread=True, exclusive=True, group="library-load")
    def _load(self) -> None:
        from reader.importers.save import import_samples

        errors = import_samples(self.app.session.store)
        self.post_message(self.Loaded(errors))

    def on_library_screen_loaded(self, message: Loaded) -> None:
        for line in message.errors:
            self.notify(line, title="Skipped a sample", severity="warning", markup=False, timeout=8)
        self.reload()

    def on_screen_resume(self) -> None:
        if self._articles and self.app.session.store.library_signature() != self._signature:
            self.reload()

    def reload(self) -> None:
        self._signature = self.app.session.store.library_signature()
        self._articles = self.app.session.store.articles()
        self._keys = [self._key(a) for a in self._articles]
        self._refilter()

    def _refilter(self) -> None:
        query = fold(self.query_one("#filter", Input).value).split()
        options = self.query_one(LibraryList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        shown = [a for a, key in zip(self._articles, self._keys) if all(w in key for w in query)
                 and (a.unread or not self.unread_only)]
        if [a.id for a in shown] == [a.id for a in self._shown]:
            # same rows in the same order (e.g. back from reading one article): keep the
            # scroll position and rebuild only the rows that changed
            changed = [i for i, (old, new) in enumerate(zip(self._shown, shown)) if old != new]
            self._shown = shown
            for index in changed:
                options.refresh_row(index)
        else:
            self._shown = shown
            options.set_rows([a.id for a in shown], lambda i: article_prompt(self._shown[i]), keep=highlighted)
        status = self.query_one("#library-status", Static)
        total = len(self._articles)
        if not total:
            status.update(Text("The library is empty: add articles with 'mali-reader import PATH'.",
                               style="dim"))
        elif query or self.unread_only:
            what = " and ".join(w for w, on in (("the filter", query), ("unread only (u)", self.unread_only)) if on)
            status.update(Text(f"{len(shown)} of {total} articles match {what}", style="dim"))
        else:
            unread = sum(a.unread for a in self._articles)
            status.update(Text(f"{total} articles, {unread} unread (●) · enter opens · / filters · "
                               "n next unread · ? help", style="dim"))

    def _key(self, a: ArticleSummary) -> str:
        """Folded filter text, cached: folding 10,000 titles on every return would stall."""
        raw = (a.title, a.date, a.place, a.source, a.tags)
        cached = self._key_cache.get(a.id)
        if cached is None or cached[0] != raw:
            cached = (raw, fold(" ".join((a.title, a.date, a.place, a.source, " ".join(a.tags)))))
            self._key_cache[a.id] = cached
        return cached[1]

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refilter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(LibraryList).focus()
        if len(self._shown) == 1:  # one match: enter opens it
            self.app.open_article(self._shown[0].id)

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

    def _highlighted(self) -> ArticleSummary | None:
        options = self.query_one(LibraryList)
        if options.highlighted is None or not self._shown:
            return None
        return self._shown[options.highlighted]

    def action_next_unread(self) -> None:
        options = self.query_one(LibraryList)
        start = options.highlighted if options.highlighted is not None else -1
        order = list(range(start + 1, len(self._shown))) + list(range(0, start + 1))
        index = next((i for i in order if self._shown[i].unread), None)
        if index is None:
            self.notify("No unread articles", markup=False, timeout=2)
            return
        options.highlighted = index

    def action_toggle_read(self) -> None:
        from reader.reading import set_unread

        article = self._highlighted()
        if article is not None:
            set_unread(self.app.session.store, article.id, not article.unread)
            self.reload()

    def action_mark_all_read(self) -> None:
        from reader.reading import mark_all_read

        changed = mark_all_read(self.app.session.store, [a.id for a in self._shown])
        self.reload()
        self.notify(f"{changed} article(s) marked read", markup=False, timeout=2)

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self._refilter()

    def action_open_url(self) -> None:
        article = self._highlighted()
        if article is None:
            return
        url = (self.app.session.store.article(article.id).url or "").strip()
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
