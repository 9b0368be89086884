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
    CSS_PATH = "library.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "filter", "Filter", id="library.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="library.clear_filter"),
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

        errors = import_samples(self.app.store)
        self.post_message(self.Loaded(errors))

    def on_library_screen_loaded(self, message: Loaded) -> None:
        for line in message.errors:
            self.notify(line, title="Skipped a sample", severity="warning", markup=False, timeout=8)
        self.reload()

    def on_screen_resume(self) -> None:
        if self._articles and self.app.store.library_signature() != self._signature:
            self.reload()

    def reload(self) -> None:
        self._signature = self.app.store.library_signature()
        self._articles = self.app.store.articles()
        self._keys = [self._key(a) for a in self._articles]
        self._refilter()

    def _refilter(self) -> None:
        query = fold(self.query_one("#filter", Input).value).split()
        options = self.query_one(LibraryList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        shown = [a for a, key in zip(self._articles, self._keys) if all(w in key for w in query)]
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
        elif query:
            status.update(Text(f"{len(shown)} of {total} articles match the filter (escape clears it)",
                               style="dim"))
        else:
            status.update(Text(f"{total} articles · enter opens · / filters · ? help", style="dim"))

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

    async def action_quit(self) -> None:
        self.app.exit(0)
