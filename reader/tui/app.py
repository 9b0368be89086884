"""The Textual application: owns the store and the gazetteer, and routes between screens.

Kept thin: screens and widgets live in their own modules. Heavy work (first-run sample
import, building the matcher) runs in a worker after the first frame so that the library
appears at once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from reader.config import Config, ConfigError
from reader.config import current as current_config
from reader.store import Store, StoreError
from reader.tui.palette import ActionCommands, ArticleCommands, EntryCommands
from reader.tui.screens.library import LibraryScreen
from reader.tui.session import Session
from reader.tui.typeahead import KeyOrder

STARTED = time.perf_counter()


class EntitiesReady(Message):
    """The gazetteer and matcher are loaded (`app.session.entities` may be asked for)."""


class MaliReaderApp(App):
    """mali-reader's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "mali-reader"
    COMMANDS = App.COMMANDS | {ArticleCommands, EntryCommands, ActionCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("s", "search", "Search notes", id="app.search"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, id="app.palette"),
        Binding("ctrl+g", "home", "Library (from anywhere)", show=False, id="app.home"),
        Binding("H", "history_back", "History back", show=False, id="app.history_back"),
        Binding("L", "history_forward", "History forward", show=False, id="app.history_forward"),
    ]

    def __init__(self, store: Store, *, open_article: str | None = None,
                 gazetteer_path: Path | None = None, config: Config | None = None) -> None:
        super().__init__()
        self.session = Session(store, gazetteer_path)
        self.last_input = time.monotonic()  # the last key or mouse event (idle upkeep waits for quiet)
        self.config = config if config is not None else current_config()
        self._apply_keymap()
        self._remember_theme = False  # armed once the configured theme is in place
        self._open_article = open_article
        self.first_paint_ms: float | None = None
        self._forward: list = []  # targets that H left, newest last (L re-opens them)
        self._navigating = False
        self._key_order = KeyOrder(self, super().on_event)

    def write(self, what: str, fn, *args, **kwargs):
        """Run a database write for the UI; if the database refuses it (locked by another
        program, read-only, full disk) say so in one line and return None instead of crashing."""
        import sqlite3

        from reader.store import describe_sqlite_error

        try:
            return fn(*args, **kwargs)
        except StoreError as exc:
            message = str(exc)
        except sqlite3.Error as exc:
            message = describe_sqlite_error(self.session.store.path, exc)
        self.notify(f"Could not {what}: {message}", severity="error", markup=False, timeout=8)
        return None

    # -- configuration -------------------------------------------------------------------

    def _apply_keymap(self) -> None:
        """The user's [keymap], checked against the live bindings; bad entries keep their default."""
        if self.config.keymap:  # the catalogue imports every screen: only when needed
            from reader.tui.bindings import binding_catalogue

            self.config.check_keymap(binding_catalogue())
        self.user_keymap: dict[str, str] = dict(self.config.keymap)  # binding id -> keys, for help
        if self.user_keymap:
            self.set_keymap(self.user_keymap)

    def _apply_theme(self) -> None:
        name = self.config.theme
        if name:
            if name in self.available_themes:
                self.theme = name
            else:
                self.config.issue("theme", f"unknown theme {name!r}; pick one with ctrl+p, \"Change theme\"")
        self._remember_theme = True

    def _report_config_issues(self) -> None:
        issues = self.config.issues
        for issue in issues[:4]:
            self.notify(str(issue), title="Config", severity="warning", markup=False, timeout=15)
        if len(issues) > 4:
            self.notify(f"{len(issues) - 4} more problem(s) in {self.config.path}: "
                        "see 'mali-reader config show'", title="Config", severity="warning",
                        markup=False, timeout=15)

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme and theme != self.config.theme:
            self.remember_preference("theme", theme)

    def remember_preference(self, name: str, value: str) -> None:
        """Write a preference changed in the app (theme, sidebar) back to the config file."""
        try:
            self.config.remember(name, value)
        except ConfigError as exc:
            self.notify(str(exc), title="Config", severity="warning", markup=False, timeout=10)

    @property
    def reading_width(self) -> int:
        return self.config.reading_width

    async def on_event(self, event) -> None:
        if isinstance(event, events.InputEvent):
            self.last_input = time.monotonic()  # idle upkeep (reader.tui.tidy) waits for quiet
        if self._key_order.wants(event):  # typed-ahead keys act in order (see reader.tui.typeahead)
            await self._key_order.take(event)
            return
        await super().on_event(event)

    def handle_bindings_clash(self, clashed_bindings, node) -> None:
        # Config.check_keymap already refused remappings that collide; log anything left.
        self.log.warning(f"key bindings clash on {node}: {[b.id for b in clashed_bindings]}")

    def on_mount(self) -> None:
        self._apply_theme()
        if self.session.store.read_only:
            self.notify(f"Read-only: {self.session.store.read_only}. You can read and search; nothing will be saved.",
                        severity="warning", markup=False, timeout=10)
        self.push_screen(LibraryScreen())
        if self._open_article:
            self.open_article(self._open_article)
        self.call_after_refresh(self._first_paint)
        self._report_config_issues()

    def _first_paint(self) -> None:
        self.first_paint_ms = (time.perf_counter() - STARTED) * 1000
        self.log.info(f"started in {self.first_paint_ms:.0f} ms")
        from reader.tui import tidy

        tidy.start(self)  # FTS merging in a worker when the user is idle
        self.run_worker(self._load_entities, thread=True, group="entities", exclusive=True)

    def _load_entities(self) -> None:
        """Build the gazetteer and matcher off the UI thread, then index the library."""
        try:
            entities = self.session.load_entities()
        except Exception as exc:  # the reader must stay usable without highlights
            self.call_from_thread(self.notify, f"Entity highlighting is off: {exc}", severity="error",
                                  markup=False, timeout=10)
            return
        problems = [i for i in entities.gazetteer.issues if i.severity == "error"]
        if problems:
            self.call_from_thread(
                self.notify, f"{len(problems)} gazetteer problem(s); first: {problems[0]}",
                title="Gazetteer", severity="warning", markup=False, timeout=10)
        self.post_message(EntitiesReady())
        self._index_in_background(entities)

    def _index_in_background(self, entities) -> None:
        """Cache every stale article's mentions (in worker processes when there are many, so
        keys and scrolling never wait), then show the new entity counts. Run in a thread worker."""
        from textual.worker import get_current_worker

        from reader.indexing import index_library

        worker = get_current_worker()
        try:
            if index_library(entities, stop=lambda: worker.is_cancelled):
                self.call_from_thread(self.refresh_library, reindex=False)
        except Exception as exc:  # noqa: BLE001 - background bookkeeping must not end the app
            self.log.error(f"indexing the library failed: {exc}")

    def on_entities_ready(self, message: EntitiesReady) -> None:
        for screen in self.screen_stack:
            if hasattr(screen, "entities_ready"):
                screen.entities_ready()

    # -- navigation --------------------------------------------------------------------

    def _leave(self, screen) -> None:
        save = getattr(screen, "_save_position", None)
        if save is not None:
            save()

    def action_home(self) -> None:
        """Back to the library from any depth (reading positions are saved on the way)."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, LibraryScreen):
            self._leave(self.screen)
            self.pop_screen()
        self._forward.clear()

    def _current_target(self):
        from reader.tui.navigation import ArticleTarget, EntryTarget

        screen = self.screen
        if hasattr(screen, "article") and screen.query("ArticleView"):
            return ArticleTarget(screen.article.id, screen.query_one("ArticleView").caret)
        if getattr(screen, "history", None) and screen.__class__.__name__ == "EntryScreen":
            return EntryTarget(screen.history[-1])
        return None

    def action_history_back(self) -> None:
        """H: back to the previous article or entry, as in a browser (L goes forward again)."""
        target = self._current_target()
        if target is None or len(self.screen_stack) <= 2:
            self.notify("Nothing earlier in the history", markup=False, timeout=2)
            return
        self._leave(self.screen)
        self._forward.append(target)
        self.pop_screen()

    def action_history_forward(self) -> None:
        if not self._forward:
            self.notify("Nothing later in the history", markup=False, timeout=2)
            return
        target = self._forward.pop()
        self._navigating = True
        try:
            self.open_target(target)
        finally:
            self._navigating = False

    def open_article(self, article_id: str, *, offset: int | None = None,
                     flash: tuple[int | None, int | None] | None = None) -> None:
        from reader.tui.screens.reader import ReaderScreen

        if not self._navigating:
            self._forward.clear()  # a new way forward, as in a browser

        article = self.session.article_to_read(article_id)
        if article is None:
            self.notify(f"No article {article_id!r} in the library", severity="error", markup=False)
            return
        self.push_screen(ReaderScreen(article, offset=offset, flash=flash))

    def open_target(self, target) -> None:
        """Follow a navigation target (reader.tui.navigation): the one place that knows how."""
        from reader.tui.navigation import ArticleTarget, EntryTarget, NoteTarget

        if isinstance(target, ArticleTarget):
            self.open_article(target.article_id, offset=target.offset, flash=target.flash)
        elif isinstance(target, NoteTarget):
            note = self.session.notes.get(target.note_id)
            if note is None:
                self.notify("That note no longer exists", markup=False)
            elif note.status != "anchored" or note.start is None:
                self.open_article(note.article_id)
                if note.status == "orphaned":
                    self.notify("This note is orphaned: its passage is no longer in the article", markup=False)
            else:
                self.open_article(note.article_id, offset=note.start, flash=(note.start, note.end))
        elif isinstance(target, EntryTarget):
            self.open_entry(target.entity_id)

    def open_entry(self, entity_id: str) -> None:
        from reader.tui.screens.entry import EntryScreen

        if not self.session.has_entry(entity_id):
            self.notify("The gazetteer is still loading", markup=False)
            return
        if not self._navigating:
            self._forward.clear()
        self.push_screen(EntryScreen(entity_id))

    def refresh_library(self, reindex: bool = True) -> None:
        """Show new articles (and, after indexing, their entity counts) in the library."""
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.reload()
        entities = self.session.entities_or_none()
        if reindex and entities is not None:
            self.run_worker(lambda: self._index_in_background(entities), thread=True, group="reindex",
                            exclusive=True)

    def action_import(self) -> None:
        from reader.tui.screens.import_dialog import ImportScreen

        self.push_screen(ImportScreen())

    def action_refresh_feeds(self) -> None:
        """Fetch new items of every subscribed feed in the background; the library updates after."""
        if any(w.group == "refresh" and w.is_running for w in self.workers):
            self.notify("Feeds are already being refreshed", markup=False, timeout=3)
            return
        self.notify("Refreshing feeds in the background…", markup=False, timeout=3)
        self.run_worker(self._refresh_feeds, thread=True, group="refresh", exclusive=True)

    def _refresh_feeds(self) -> None:
        from reader.importers import list_feeds, refresh_feeds

        try:
            with self.session.worker_store() as store:
                if not list_feeds(store):
                    self.call_from_thread(self.notify, "No subscribed feeds: add one with 'mali-reader feeds add URL'",
                                          markup=False, timeout=6)
                    return
                report = refresh_feeds(store)
        except Exception as exc:  # a network or parse failure must not take the app down
            self.call_from_thread(self.notify, f"Refreshing feeds failed: {exc}", severity="error",
                                  markup=False, timeout=8)
            return
        problems = [i.line() for i in report.skipped]
        message = report.summary() + ("\n" + "\n".join(problems[:5]) if problems else "")
        self.call_from_thread(self.notify, message, title="Feeds refreshed", markup=False,
                              severity="warning" if problems else "information", timeout=8)
        self.call_from_thread(self.refresh_library)

    def action_orphans(self) -> None:
        from reader.tui.screens.lists import OrphansScreen

        self.push_screen(OrphansScreen())

    def action_versions(self) -> None:
        """Versions of the article being read (from the palette)."""
        from reader.tui.screens.versions import VersionsScreen

        article = getattr(self.screen, "article", None)
        if article is None:
            self.notify("Open an article first: its versions are listed from the reader (V)", markup=False)
            return
        self.push_screen(VersionsScreen(article.id))

    def action_learned(self) -> None:
        from reader.tui.screens.lists import LearnedChangesScreen

        if self.session.entities_or_none() is None:
            self.notify("The gazetteer is still loading", markup=False)
            return
        self.push_screen(LearnedChangesScreen())

    def action_export_overlay(self) -> None:
        entities = self.session.entities_or_none()
        if entities is None:
            self.notify("The gazetteer is still loading", markup=False)
            return
        try:
            path, count = entities.export_overlay()
        except (ValueError, OSError) as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        self.notify(f"Exported {count} alias(es)/entries to {path}", markup=False, timeout=5)

    def action_search(self) -> None:
        from reader.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))


def run_app(db: str | None = None, open_file: str | None = None, debug: bool = False,
            config: Config | None = None) -> int:
    """Open the store, then run the app; one-line errors for problems the user must fix."""
    try:
        store = Store.open(Path(db) if db else None)
    except StoreError as exc:
        print(f"mali-reader: {exc}", file=sys.stderr)
        return 1
    article_id = None
    if open_file:
        from reader.importers import import_file
        from reader.articles import ArticleError

        try:
            article_id = import_file(store, Path(open_file))
        except (ArticleError, StoreError) as exc:
            print(f"mali-reader: {exc}", file=sys.stderr)
            store.close()
            return 1
    app = MaliReaderApp(store, open_article=article_id, config=config)
    app.run()
    store.close()
    return app.return_code or 0
