"""Filter-only queries walk the rarest join-table index (issue 14): same answers as a plain scan."""

from __future__ import annotations

import random

import pytest

from reader.articles import Article
from reader.gazetteer.model import Entry, Gazetteer
from reader.notes import Note, NoteStore
from reader.search import parse_query, search

TAGS = ["fuel", "aid", "talks", "rare"]
ENTS = ["gao", "kidal", "jnim"]


@pytest.fixture
def library(store):
    store.upsert_article(Article(id="a1", title="Convoy news", body="The convoy left Gao at dawn."))
    rng = random.Random(4)
    notes = []
    for i in range(120):
        tags = [t for t in TAGS[:3] if rng.random() < 0.4] + (["rare"] if i % 37 == 5 else [])
        notes.append(Note(id=f"n{i:03d}", article_id="a1", body=f"note {i}", tags=tags,
                          entities=[e for e in ENTS if rng.random() < 0.3],
                          created=f"2024-{1 + i * 12 // 120:02d}-01T00:00:00.{i:03d}+00:00",
                          updated=f"2024-{1 + i * 12 // 120:02d}-01T00:00:00.{i:03d}+00:00"))
    NoteStore(store).import_notes(notes)  # bulk path: the join tables are filled in one statement
    return store, {n.id: n for n in notes}


def expected(notes, tags=(), not_tags=(), ents=()):
    out = [n.id for n in notes.values()
           if all(t in n.tags for t in tags) and not any(t in n.tags for t in not_tags)
           and all(e in n.entities for e in ents)]
    return sorted(out, reverse=True)  # newest first: the order they were imported in


@pytest.mark.parametrize("query, tags, not_tags, ents", [
    ("tag:fuel", ["fuel"], [], []),
    ("tag:rare", ["rare"], [], []),
    ("tag:fuel tag:rare", ["fuel", "rare"], [], []),
    ("tag:aid -tag:fuel", ["aid"], ["fuel"], []),
    ("entity:kidal", [], [], ["kidal"]),
    ("tag:talks entity:gao", ["talks"], [], ["gao"]),
    ("entity:jnim entity:gao tag:aid", ["aid"], [], ["jnim", "gao"]),
])
def test_filter_only_queries_match_a_plain_scan(library, query, tags, not_tags, ents):
    store, notes = library
    got = [h.note.id for h in search(store, query, limit=-1).notes]
    assert got == expected(notes, tags, not_tags, ents)
    assert got, "the fixture should give every combination some notes"


def test_a_page_is_the_newest_notes(library):
    store, notes = library
    got = [h.note.id for h in search(store, "tag:fuel", limit=5).notes]
    assert got == expected(notes, ["fuel"])[:5]


@pytest.mark.parametrize("query, tags, ents", [
    ("entity:kidal", [], ["kidal"]),
    ("entity:gao entity:jnim", [], ["gao", "jnim"]),
    ("tag:rare entity:jnim", ["rare"], ["jnim"]),
    ("entity:jnim tag:fuel tag:aid", ["fuel", "aid"], ["jnim"]),
])
def test_entity_filters_with_a_gazetteer_drive_from_their_index(library, query, tags, ents):
    store, notes = library
    gaz = Gazetteer([Entry(e, e.title(), "place") for e in ENTS])
    got = [h.note.id for h in search(store, query, limit=-1, gazetteer=gaz).notes]
    assert got == expected(notes, tags, (), ents)
    assert got


@pytest.mark.parametrize("query", [
    "before:2024-02", "after:2024-12", "after:2024-03 before:2024-05", "before:2024-03 tag:fuel",
    "after:2024-11 tag:aid -tag:talks", "before:2023", "after:2024-02 entity:kidal", "after:2024-02",
])
def test_date_ranges_narrow_or_broad_match_a_plain_scan(library, query):
    store, notes = library
    q = parse_query(query)
    want = [n.id for n in notes.values()
            if (q.before is None or n.created < q.before) and (q.after is None or n.created >= q.after)
            and all(t in n.tags for t in q.tags) and not any(t in n.tags for t in q.not_tags)
            and all(e in n.entities for e in q.entities)]
    got = [h.note.id for h in search(store, query, limit=-1).notes]
    assert got == sorted(want, reverse=True)
