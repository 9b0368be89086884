"""The query language and the FTS5 index: filters, highlighting, and queries that never raise."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.articles import Article
from reader.gazetteer.model import Entry, Gazetteer
from reader.notes import NoteStore
from reader.search import highlight_spans, parse_query, search
from reader.importers.save import store_article

GAO = ("Fuel convoys heading to Gao were attacked near the river crossing, and drivers "
       "refused to travel without escorts for the rest of the month.")
TOMB = ("In Tombouctou, traders said the blockade had emptied the market; the price of rice "
        "rose sharply after the boats stopped arriving.")
KIDAL = ("After the army entered Kidal, the mayor's office was reopened and officials "
         "announced a census of returning families.")


# a small real gazetteer: names are resolved by the matcher's lookup, as in the app
GAZ = Gazetteer([
    Entry("gao", "Gao", "place"),
    Entry("timbuktu", "Timbuktu", "place", ["Tombouctou", "Tumbutu"]),
    Entry("kidal", "Kidal", "place"),
    Entry("jnim", "JNIM", "group", ["Jama'at Nusrat al-Islam wal-Muslimin"]),
])


@pytest.fixture
def db(store):
    for aid, title, body, date in (("gao-fuel", "Fuel on the Gao road", GAO, "2024-05-01"),
                                   ("tomb-market", "Market in Timbuktu", TOMB, "2023-10-02"),
                                   ("kidal-return", "Returning to Kidal", KIDAL, "2023-11-20")):
        store_article(store, Article(id=aid, title=title, body=body, date=date))
    places = {"gao": ["gao"], "tomb": ["timbuktu"], "kidal": ["kidal"]}

    def finder(body, start, end):
        text = body[start:end]
        return [eid for key, ids in places.items() for eid in ids
                if key in text.lower() or (key == "tomb" and "tombouctou" in text.lower())]

    ns = NoteStore(store, entity_finder=finder, entity_names=lambda i: GAZ.get(i).surface_forms())
    n = {}
    n["fuel"] = ns.add("gao-fuel", "Convoy drivers want escorts; compare with the Kidal report.",
                       quote="Fuel convoys heading to Gao were attacked", tags=["fuel", "convoys"])
    n["rice"] = ns.add("tomb-market", "Rice prices: a blockade effect, not a harvest problem.",
                       quote="In Tombouctou, traders said the blockade", tags=["prices"], entity_id="jnim")
    n["census"] = ns.add("kidal-return", "Census announced; watch for displacement figures.",
                         quote="officials announced a census", tags=["returns"])
    n["whole"] = ns.add("kidal-return", "Whole article: first report after the army came back.")
    store.conn.execute("UPDATE notes SET created = '2022-06-01T10:00:00.000+00:00' WHERE id = ?",
                       (n["census"].id,))
    return store, n


def ids(result):
    return [h.note.id for h in result.notes]


def test_prefix_words_and_accents(db):
    store, n = db
    assert ids(search(store, "conv")) == [n["fuel"].id]
    assert n["rice"].id in ids(search(store, "tombou"))
    assert ids(search(store, "blockade effect")) == [n["rice"].id]


def test_phrase_and_exclusion(db):
    store, n = db
    assert ids(search(store, '"harvest problem"')) == [n["rice"].id]
    assert ids(search(store, '"problem harvest"')) == []
    assert n["fuel"].id not in ids(search(store, "report -escorts"))


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_excluded_phrase_needs_its_word_order(db, sort):
    # words and phrases live in two indexes (schema v13): only one of them knows word order
    store, n = db
    assert ids(search(store, 'report -"kidal report"', sort=sort)) == [n["whole"].id]
    assert set(ids(search(store, 'report -"report kidal"', sort=sort))) == {n["fuel"].id, n["whole"].id}
    assert set(ids(search(store, '-"kidal report"', sort=sort))) == {n["rice"].id, n["census"].id, n["whole"].id}
    assert ids(search(store, '"first report" -"kidal report"', sort=sort)) == [n["whole"].id]
    assert ids(search(store, 'report -"kidal report" -army', sort=sort)) == []
    assert search(store, '-"tag:a', sort=sort).error is None  # an unclosed excluded phrase (found by hypothesis)


def test_tag_filter_and_negation(db):
    store, n = db
    assert ids(search(store, "tag:fuel")) == [n["fuel"].id]
    assert ids(search(store, "tag:FUEL convoy")) == [n["fuel"].id]
    assert n["fuel"].id not in ids(search(store, "-tag:fuel"))
    assert len(ids(search(store, "-tag:fuel"))) == 3


def test_entity_filter_is_tolerant(db):
    store, n = db
    assert ids(search(store, "entity:timbuktu", gazetteer=GAZ)) == [n["rice"].id]
    assert ids(search(store, "entity:tombouctou", gazetteer=GAZ)) == [n["rice"].id]
    assert ids(search(store, "entity:tombuctou", gazetteer=GAZ)) == [n["rice"].id]
    assert ids(search(store, "entity:jnim", gazetteer=GAZ)) == [n["rice"].id]  # linked entity
    assert ids(search(store, "tag:fuel entity:gao", gazetteer=GAZ)) == [n["fuel"].id]
    r = search(store, "entity:atlantis", gazetteer=GAZ)
    assert r.notes == [] and any("atlantis" in h for h in r.hints)


def test_entity_names_are_indexed(db):
    store, n = db
    # the note text never says "Timbuktu"; its passage mentions the entity by another name
    assert n["rice"].id in ids(search(store, "timbuktu"))


def test_type_filter(db):
    store, n = db
    assert ids(search(store, "type:group", gazetteer=GAZ)) == [n["rice"].id]
    assert set(ids(search(store, "type:place", gazetteer=GAZ))) == {n["fuel"].id, n["rice"].id}
    r = search(store, "type:group")
    assert r.notes == [] and r.hints
    assert search(store, "type:planet", gazetteer=GAZ).notes == []


def test_article_filter(db):
    store, n = db
    assert set(ids(search(store, "article:kidal"))) == {n["census"].id, n["whole"].id}
    assert set(ids(search(store, "article:returning"))) == {n["census"].id, n["whole"].id}
    assert ids(search(store, "article:kidal census")) == [n["census"].id]


def test_dates_and_orphans(db):
    store, n = db
    assert ids(search(store, "before:2023-01-01")) == [n["census"].id]
    assert ids(search(store, "before:2023")) == [n["census"].id]
    assert n["census"].id not in ids(search(store, "after:2022-06-01"))
    assert n["census"].id in ids(search(store, "after:2022-05"))
    r = search(store, "before:soon")
    assert r.hints and len(r.notes) == 4
    assert ids(search(store, "orphaned:yes")) == []
    store_article(store, Article(id="gao-fuel", title="Fuel on the Gao road", body="Rewritten entirely."))
    assert ids(search(store, "orphaned:yes")) == [n["fuel"].id]
    assert n["fuel"].id not in ids(search(store, "orphaned:no"))


def test_articles_section(db):
    store, n = db
    r = search(store, "rice")
    assert [a.article_id for a in r.articles] == ["tomb-market"]
    hit = r.articles[0]
    assert all(hit.snippet[s:e].lower().startswith("rice") for s, e in hit.spans)
    assert search(store, "tag:prices rice").articles == []  # note filters: notes only
    assert [a.article_id for a in search(store, "river -escorts").articles] == []


def test_sorting(db):
    store, n = db
    by_date = ids(search(store, "", sort="date"))
    assert by_date[-1] == n["census"].id
    assert search(store, "x", sort="weird").hints


def test_highlight_spans_map_to_original_text():
    text = "À Tombouctou, la « route » de Gao; TOMBOUCTOU encore."
    spans = highlight_spans(text, "tombouc gao")
    assert [text[s:e] for s, e in spans] == ["Tombouctou", "Gao", "TOMBOUCTOU"]
    assert highlight_spans("Ségou et Segou", '"segou"') == [(0, 5), (9, 14)]
    assert highlight_spans("Fuel and FUELS, not refuel", "fuel") == [(0, 4), (9, 14)]


@pytest.mark.parametrize("raw", [
    '"unbalanced', "AND OR NOT", "NEAR(a b)", "*", "a*b", "(((", "col:val", "tag:", ":::",
    "'; DROP TABLE notes; --", '""', "-", "--", "-\"\"", 'tag:"two words"', "entity:", "\\", "^x",
    "x:\"", "{body}: fuel", "NEAR/2", "é́́", "\x00", "fuel OR", "article:%", "article:_",
    "-\"tag:a", "fuel -\"a b\"", "-\"a b\" -c", "\"a b\" -\"c d\"",
])
def test_odd_queries_never_raise(db, raw):
    store, _ = db
    r = search(store, raw, gazetteer=GAZ)
    assert r.error is None


def test_hints_are_readable():
    q = parse_query('foo:bar * "open')
    assert any("foo:" in h for h in q.hints)
    assert any("quote" in h for h in q.hints)
    assert all("\n" not in h and "fts5" not in h.lower() for h in q.hints)


ALPHABET = st.sampled_from(list('ab"-:*()^{}\\\'%_ .,;éÉ\t') + ["AND", "OR", "NEAR", "NOT", "tag:", "entity:",
                           "type:", "article:", "before:", "after:", "orphaned:", "fuel", "gao", "2023-01-01",
                           "yes", "-tag:", "\x00", "ﬁ", "İ"])


@given(st.lists(ALPHABET, max_size=12).map("".join) | st.text(max_size=30))
def test_random_queries_never_raise(search_db, q):
    r = search(search_db, q, gazetteer=GAZ, limit=5)
    assert r.error is None


@pytest.fixture(scope="module")
def search_db(tmp_path_factory):
    from reader.store import Store

    s = Store.open(tmp_path_factory.mktemp("hyp") / "h.db")
    store_article(s, Article(id="a", title="Gao fuel", body=GAO + "\n\n" + TOMB))
    ns = NoteStore(s)
    ns.add("a", "fuel escorts AND convoys", quote="Fuel convoys", tags=["fuel"])
    ns.add("a", "the market", quote="traders said", entity_id="timbuktu")
    yield s
    s.close()


def test_find_in_text_accent_insensitive():
    from reader.search import QUERY_SYNTAX, find_in_text

    text = "À Ségou, puis SEGOU et ségou; Gao."
    assert [text[s:e] for s, e in find_in_text(text, "segou")] == ["Ségou", "SEGOU", "ségou"]
    assert find_in_text("plain ascii Gao gao", "GAO") == [(12, 15), (16, 19)]
    assert find_in_text(text, "  ") == []
    assert "tag:fuel" in QUERY_SYNTAX and "orphaned:yes" in QUERY_SYNTAX


def test_single_letter_is_a_whole_word(db):
    store, n = db
    assert search(store, "f").notes == []  # not every note with an f-word
    assert highlight_spans("a cat ate", "a") == [(0, 1)]


# The two indexes behind note search (words and prefixes in notes_words, phrases in notes_fts:
# schema v13) must find exactly what one full index would: notes_fts holds every note with
# positions, so a MATCH there with the query's whole expression is the reference.
VOCAB = ["fuel", "convoys", "convoy", "escorts", "gao", "army", "report", "kidal", "market", "rice"]
QUERY_PART = st.one_of(
    st.sampled_from(VOCAB),
    st.sampled_from(VOCAB).map(lambda w: w[:3]),  # prefixes inside notes_words' prefix indexes
    st.sampled_from([w for w in VOCAB if len(w) > 5]).map(lambda w: w[:5]),  # spelled out from notes_vocab
    st.lists(st.sampled_from(VOCAB), min_size=1, max_size=3).map(lambda ws: '"' + " ".join(ws) + '"'),
)
QUERIES = st.lists(st.tuples(st.booleans(), QUERY_PART), min_size=1, max_size=4).map(
    lambda parts: " ".join(("-" if neg else "") + p for neg, p in parts))


@pytest.fixture(scope="module")
def word_db(tmp_path_factory):
    import random

    from reader.store import Store

    s = Store.open(tmp_path_factory.mktemp("words") / "w.db")
    store_article(s, Article(id="a", title="Notes", body=GAO))
    ns = NoteStore(s)
    rnd = random.Random(7)
    for _ in range(40):
        ns.add("a", " ".join(rnd.choice(VOCAB) for _ in range(rnd.randint(1, 6))),
               tags=[rnd.choice(VOCAB)] if rnd.random() < 0.3 else [])
    yield s
    s.close()


@given(QUERIES)
def test_split_indexes_find_what_one_index_would(word_db, raw):
    from reader.query import fts_string
    from reader.search import _full_expression

    q = parse_query(raw)
    conn = word_db.conn
    every = {r[0] for r in conn.execute("SELECT id FROM notes")}

    def matching(expr):
        return {r[0] for r in conn.execute(
            "SELECT id FROM notes WHERE seq IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)", [expr])}

    if q.has_text:
        expected = matching(_full_expression(q))
    else:  # exclusions alone: every note without them
        expected = every - matching(" OR ".join(fts_string(t) for t in q.exclude))
    for sort in ("relevance", "date"):
        r = search(word_db, raw, limit=-1, sort=sort, articles=False)
        assert r.error is None
        assert {h.note.id for h in r.notes} == expected, (raw, sort)
