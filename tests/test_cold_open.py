"""A long article that was never matched shows its first screen highlighted at once: that
passage is matched before the first frame, the rest of the text in the background."""

from __future__ import annotations

import threading

from reader.articles import Article
from reader.entities import Entities
from reader.tui.app import MaliReaderApp
from reader.tui.screens.reader import ReaderScreen
from tests.tui_helpers import wait_until

PARAGRAPH = ("Fighters were seen near Gao on Tuesday, and the road to Kidal remains closed. "
             "Residents said the market had been quiet for weeks before the convoy came.")


def _long_article() -> Article:
    body = "\n\n".join(f"{PARAGRAPH} Paragraph {i}." for i in range(400))  # ~60,000 characters
    return Article(id="long-report", title="A long report", body=body, date="2024-01-01")


async def test_first_screen_of_a_never_matched_long_article_is_highlighted_before_the_rest(
        fixture_store, monkeypatch):
    article = _long_article()
    fixture_store.upsert_article(article)
    release = threading.Event()
    full_runs = []
    original = Entities.mentions

    def held_back(self, a):  # the whole-text match waits until the test has looked
        full_runs.append(a.id)
        release.wait(10)
        return original(self, a)

    monkeypatch.setattr(Entities, "mentions", held_back)
    app = MaliReaderApp(fixture_store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_until(pilot, lambda: app.session.entities_ready.is_set(), timeout=30)
        # the app indexes its library at launch: forget this article's mentions again
        cached = lambda: fixture_store.conn.execute(  # noqa: E731
            "SELECT count(*) FROM mention_cache WHERE article_id = ?", (article.id,)).fetchone()[0]
        assert await wait_until(pilot, cached, timeout=30)
        with fixture_store.transaction() as c:
            c.execute("DELETE FROM mention_cache WHERE article_id = ?", (article.id,))
        app.open_article(article.id)
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        screen = app.screen
        # highlighted while the whole-text match has not returned, and only the first screen's
        # passage (about 4,000 characters; the worker's own preview would cover 8,000)
        assert await wait_until(pilot, lambda: screen.mentions)
        assert not release.is_set()
        assert max(m.end for m in screen.mentions) <= 6000
        assert {m.entry_id for m in screen.mentions} >= {"gao", "kidal"}
        release.set()
        assert await wait_until(pilot, lambda: any(m.start > 50_000 for m in screen.mentions), timeout=30)
        assert full_runs == [article.id]
