"""The reader's memory around the matcher: cached mentions, "also in", corrections."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reader.entities import Entities, mention_context
from reader.gazetteer import load_gazetteer
from reader.articles import Article
from reader.importers.save import store_article

GAZ = Path(__file__).parent / "fixtures" / "ui_gazetteer"


def article(id="a", body="Fighters of Ansar Dine entered Gao. The MNLA left Gao for Kidal."):
    return Article(id=id, title=id, body=body)


@pytest.fixture
def entities(store):
    store.set_setting("samples_imported", "test")
    return Entities(store, GAZ)


def ids(mentions):
    return [(m.text, m.entry_id) for m in mentions]


def test_mentions_are_cached_and_recomputed_when_the_text_changes(entities, store, monkeypatch):
    a = article()
    store_article(store, a)
    first = entities.mentions(a)
    assert ("Ansar Dine", "ansar-dine") in ids(first)
    calls = []
    real_find = entities.matcher.find
    monkeypatch.setattr(entities.matcher, "find", lambda text: calls.append(1) or real_find(text))
    assert ids(entities.mentions(a)) == ids(first) and calls == []  # from the cache
    changed = article(body="Only Kidal now.")
    store_article(store, changed)
    assert ids(entities.mentions(changed)) == [("Kidal", "kidal")] and calls == [1]


def test_also_in_lists_other_articles_by_mentions(entities, store):
    store_article(store, article("a"))
    store_article(store, article("b", "Gao again, and Gao, and Gao."))
    store_article(store, article("c", "Nothing here."))
    assert entities.index_library() == 3
    assert entities.index_library() == 0  # nothing stale
    rows = entities.also_in("gao", exclude="a")
    assert [(r[0], r[2]) for r in rows] == [("b", 3)]


def test_reject_applies_to_identical_contexts_only_and_undo_restores(entities, store):
    body = "The convoy reached Gao at dawn today. The convoy reached Gao at dawn today. Gao was calm."
    a = article(body=body)
    store_article(store, a)
    gao = [m for m in entities.mentions(a) if m.entry_id == "gao"]
    assert len(gao) == 3
    change = entities.reject(a, gao[0])
    left = [m for m in entities.mentions(a) if m.entry_id == "gao"]
    assert [m.start for m in left] == [gao[2].start]  # same words around → both removed
    assert mention_context(body, gao[0].start, gao[0].end) == mention_context(body, gao[1].start, gao[1].end)
    again = Entities(store, GAZ)  # a new session: still rejected
    assert len([m for m in again.mentions(a) if m.entry_id == "gao"]) == 1
    again.undo(change)
    assert len([m for m in again.mentions(a) if m.entry_id == "gao"]) == 3


def test_choice_for_an_ambiguous_mention_is_remembered(entities, store):
    a = article(body="Boats crossed the Niger at Gao.")
    store_article(store, a)
    niger = next(m for m in entities.mentions(a) if m.text == "Niger")
    assert niger.alternatives
    entities.choose(a, niger, niger.alternatives[0])
    again = Entities(store, GAZ)
    chosen = next(m for m in again.mentions(a) if m.text == "Niger")
    assert chosen.entry_id == niger.alternatives[0] and niger.entry_id in chosen.alternatives


def test_alias_and_new_entry_change_the_matcher_and_the_cache_key(entities, store):
    a = article(body="Harakat Ifoghas and the Tessit Committee met.")
    store_article(store, a)
    assert entities.mentions(a) == []
    key = entities.key
    entities.add_alias("ansar-dine", "Harakat Ifoghas")
    assert entities.key != key
    new_id = entities.add_entry("Tessit Committee", "org", "A local committee. [bold]x[/bold]")
    assert ids(entities.mentions(a)) == [("Harakat Ifoghas", "ansar-dine"), ("Tessit Committee", new_id)]
    with pytest.raises(ValueError):
        entities.add_entry("", "org")
    with pytest.raises(ValueError):
        entities.add_entry("X", "weapon")
    with pytest.raises(ValueError):
        entities.add_alias("no-such-entry", "Y")


def test_export_overlay_merges_and_reloads(entities, store, tmp_path):
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('[kidal]\naliases = ["Kidaal"]\n', "utf-8")
    entities.add_alias("kidal", "Kidal-Ville")
    entities.add_alias("gao", "Gao-Ville")
    new_id = entities.add_entry("Tessit Committee", "org", "A local committee.")
    path, count = entities.export_overlay(overlay)
    assert count == 3
    doc = tomllib.loads(path.read_text("utf-8"))
    assert doc["kidal"]["aliases"] == ["Kidaal", "Kidal-Ville"] and doc[new_id]["type"] == "org"
    path, count = entities.export_overlay(overlay)  # a second export adds nothing twice
    assert count == 0 and tomllib.loads(path.read_text("utf-8")) == doc
    merged = load_gazetteer(GAZ, overlay=overlay)
    assert not [i for i in merged.issues if i.severity == "error"]
    assert "Gao-Ville" in merged.get("gao").aliases and merged.get(new_id).name == "Tessit Committee"


def test_export_refuses_to_overwrite_a_broken_overlay(entities, tmp_path):
    overlay = tmp_path / "overlay.toml"
    overlay.write_text("[broken\n", "utf-8")
    entities.add_alias("gao", "Gao-Ville")
    with pytest.raises(ValueError, match="cannot be read"):
        entities.export_overlay(overlay)
    assert overlay.read_text("utf-8") == "[broken\n"


def test_preview_mentions_are_the_full_results_for_the_window(entities, store):
    paragraphs = [f"Paragraph {i}: fighters left Gao for Kidal while Ansar Dine waited." for i in range(400)]
    a = article(body="\n\n".join(paragraphs))
    store_article(store, a)
    start = a.body.index("Paragraph 200:")
    preview = entities.preview_mentions(a, start, length=2000)
    assert preview and not entities.is_cached(a)
    assert all(a.body[m.start:m.end] == m.text for m in preview)
    assert preview[0].start >= start and preview[-1].end < start + 2200
    full = entities.mentions(a)
    assert entities.is_cached(a)
    assert set(preview) <= set(full)


def test_a_new_place_entry_keeps_its_coordinates_through_export(entities, tmp_path):
    overlay = tmp_path / "overlay.toml"
    new_id = entities.add_entry("Dialakoro", "place", "A village (test entry).", lat=12.5, lon=-7.25)
    entry = entities.gazetteer.get(new_id)
    assert (entry.lat, entry.lon) == (12.5, -7.25)
    entities.export_overlay(overlay)
    doc = tomllib.loads(overlay.read_text("utf-8"))
    assert (doc[new_id]["lat"], doc[new_id]["lon"]) == (12.5, -7.25)
    with pytest.raises(ValueError, match="both latitude and longitude"):
        entities.add_entry("Other", "place", lat=12.0)
    with pytest.raises(ValueError, match="out of range"):
        entities.add_entry("Other", "place", lat=120.0, lon=3.0)
    assert entities.gazetteer.get("user-other") is None  # refused entries leave nothing behind
