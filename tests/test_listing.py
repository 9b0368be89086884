"""The library list's queries at a few thousand articles: the right rows, in the right order,
page after page, whatever the filter (compared with the same list built in Python)."""

from __future__ import annotations

import random

import pytest

from reader import listing
from reader.articles import Article
from reader.listing import LibraryQuery
from reader.reading import set_unread
from reader.schema import MIGRATIONS, run_script
from reader.store import Store
from reader.text import fold
from reader.tui.app import MaliReaderApp
from tests.tui_helpers import screen_text, wait_for

PLACES = ["Ségou", "Gao", "Ménaka", "Tombouctou", "Kidal", "Mopti", "Bamako", "Tessalit"]
WORDS = ["convoy", "market", "talks", "drought", "curfew", "school", "attack", "Ansar", "élection"]
N = 3000


def _articles(n: int = N) -> list[Article]:
    rng = random.Random(14)
    out = []
    for i in range(n):
        date = rng.choice(["", f"{rng.randint(2015, 2025)}", f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}",
                           f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
        # a few titles repeat, so the id must break ties
        title = f"{rng.choice(WORDS).capitalize()} near {rng.choice(PLACES)}" + (f" {i}" if i % 7 else "")
        out.append(Article(id=f"a{i:05d}", title=title, body=f"Text {i}.", date=date, place=rng.choice(PLACES),
                           source=rng.choice(["RFI", "Studio Tamani", ""]), tags=rng.sample(["sécurité", "aid", "x"], 2)))
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    s = Store.open(tmp_path_factory.mktemp("listing") / "big.db")
    articles = _articles()
    with s.transaction():
        for a in articles:
            s.upsert_article(a)
    rng = random.Random(5)
    for a in rng.sample(articles, N // 3):
        set_unread(s, a.id, False)
    yield s, articles
    s.close()


def _expected(store, articles, query: LibraryQuery) -> list[str]:
    unread = {r[0]: bool(r[1]) for r in store.conn.execute("SELECT id, unread FROM articles")}
    rows = [a for a in articles
            if all(w in fold(" ".join((a.title, a.date, a.place, a.source, " ".join(a.tags)))) for w in query.words)
            and (unread[a.id] or not query.unread_only)]
    dated = sorted((a for a in rows if a.date), key=lambda a: (a.title, a.id))
    dated.sort(key=lambda a: a.date, reverse=True)  # stable: title, id within a date
    undated = sorted((a for a in rows if not a.date), key=lambda a: (a.title, a.id))
    return [a.id for a in dated + undated]


QUERIES = ["", "segou", "SÉGOU talks", "ga", "g", "a 2019", "2021-0", "securite", "near kidal", "zzz", "é"]


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("unread_only", [False, True])
def test_pages_hold_exactly_the_matching_rows_in_order(big, text, unread_only):
    store, articles = big
    query = LibraryQuery.parse(text, unread_only=unread_only)
    expected = _expected(store, articles, query)
    n = listing.count(store, query)
    assert n == len(expected)
    got = []
    for offset in range(0, n + 100, 100):
        got += [a.id for a in listing.page(store, query, offset, 100, matches=n)]
    assert got == expected
    if expected:
        for i in (0, len(expected) // 2, len(expected) - 1):
            assert listing.index_of(store, query, expected[i], matches=n) == i


@pytest.mark.parametrize("text", ["a 2019", "near a", "gao t", "talks 20 e"])
@pytest.mark.parametrize("unread_only", [False, True])
def test_filters_mixing_long_and_short_words_count_the_same_either_way(big, text, unread_only, monkeypatch):
    """Few trigram matches are looked up by rowid, many are counted on the covering index: the
    same count both ways; and only the first is cheap enough for the UI thread."""
    store, articles = big
    query = LibraryQuery.parse(text, unread_only=unread_only)
    expected = len(_expected(store, articles, query))
    assert listing.counted_at_once(store, query)  # at 3,000 articles every trigram word is rare enough
    assert listing.count(store, query) == expected
    monkeypatch.setattr(listing, "LOOKUP_MAX", 0)
    assert not listing.counted_at_once(store, query)
    assert listing.count(store, query) == expected
    assert listing.count(store, query, limit=10) == min(10, expected)


def test_bounded_count_stops_at_the_bound(big):
    store, _ = big
    assert listing.count(store, LibraryQuery.parse("a"), limit=100) == 100


def test_next_unread_walks_the_list_and_wraps(big):
    store, articles = big
    query = LibraryQuery.parse("kidal")
    order = _expected(store, articles, query)
    unread = [i for i in order if store.conn.execute("SELECT unread FROM articles WHERE id = ?", (i,)).fetchone()[0]]
    assert listing.next_unread(store, query, None) == unread[0]
    assert listing.next_unread(store, query, unread[0]) == unread[1]
    assert listing.next_unread(store, query, order[-1]) == unread[0]  # wraps round


def test_mark_read_marks_what_the_filter_shows_only(tmp_path):
    s = Store.open(tmp_path / "m.db")
    try:
        with s.transaction():
            for a in _articles(300):
                s.upsert_article(a)
        shown = LibraryQuery.parse("gao")
        before = listing.count(s, LibraryQuery(unread_only=True))
        changed = listing.mark_read(s, shown)
        assert changed == listing.count(s, shown) > 0
        assert listing.count(s, LibraryQuery(("gao",), unread_only=True)) == 0
        assert listing.count(s, LibraryQuery(unread_only=True)) == before - changed
    finally:
        s.close()


def test_migration_backfills_keys_of_existing_articles(tmp_path):
    # a database made before the list columns existed gets them filled in by the migration
    import sqlite3

    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for migrate in MIGRATIONS[:3]:
        migrate(db)
    run_script(db, """
        INSERT INTO articles (id, title, date, place, tags, body, hash, added_at, updated_at)
          VALUES ('seg', 'Marché de Ségou', '2024-02-01', 'Ségou', '["économie"]', 'b', 'h1', '', ''),
                 ('und', 'Undated', '', '', '[]', 'c', 'h2', '', '');
    """)
    db.execute("PRAGMA user_version = 3")
    db.execute("COMMIT")
    db.close()
    s = Store.open(path)
    try:
        assert [a.id for a in listing.page(s, LibraryQuery.parse("economie segou"), 0, 10)] == ["seg"]
        assert [a.id for a in listing.page(s, LibraryQuery(), 0, 10)] == ["seg", "und"]
    finally:
        s.close()


async def test_filter_and_next_unread_in_the_app_at_thousands(big):
    store, articles = big
    store.set_setting("samples_imported", "test")
    app = MaliReaderApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        options = app.screen.query_one("#articles")
        assert await wait_for(pilot, lambda: options.option_count == N)
        assert f"{N:,} articles" in screen_text(app)
        await pilot.press("G")
        assert options.highlighted == N - 1
        assert options.highlighted_option.id == _expected(store, articles, LibraryQuery())[-1]
        await pilot.press("slash", *"menaka")
        expected = _expected(store, articles, LibraryQuery.parse("menaka"))
        assert await wait_for(pilot, lambda: options.option_count == len(expected))
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == expected
        assert f"{len(expected):,} of {N:,} articles match the filter" in screen_text(app)
        await pilot.press("enter")  # back to the list, the filter kept
        unread = [i for i in expected
                  if store.conn.execute("SELECT unread FROM articles WHERE id = ?", (i,)).fetchone()[0]]
        await pilot.press("n")
        assert options.highlighted_option.id == unread[1 if unread[0] == expected[0] else 0]


async def test_the_first_frame_is_sized_at_once_and_counted_exactly_after(tmp_path):
    """The list's first frame is sized by the largest rowid (no pass over the library); when
    articles were deleted that is too many, and the exact count replaces it right after."""
    store = Store.open(tmp_path / "gaps.db")
    with store.transaction():
        for a in _articles(40):
            store.upsert_article(a)
    for i in range(0, 40, 4):
        store.delete_article(f"a{i:05d}")
    store.set_setting("samples_imported", "test")
    assert listing.estimate(store) == 40 and listing.count(store, LibraryQuery()) == 30
    app = MaliReaderApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        options = app.screen.query_one("#articles")
        assert await wait_for(pilot, lambda: options.option_count == 30 and "30 articles" in screen_text(app))
        await pilot.press("G")
        assert options.highlighted == 29
        assert options.highlighted_option.id == _expected(store, [a for a in _articles(40)
                                                                  if store.article(a.id)], LibraryQuery())[-1]
    store.close()
