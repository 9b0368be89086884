"""Issue 17: language vote, the merge rules (no spaCy needed: spans are given), the cache.

Texts and names here are invented for the tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reader.gazetteer import Entry, Gazetteer
from reader.matcher import Matcher
from reader.ner import available, unavailable_reason
from reader.ner.lang import detect_language
from reader.ner.merge import group_type, merge, reject_reason, trim
from reader.ner.pipeline import NerSpan

needs_ner = pytest.mark.skipif(not available(), reason=f"the `ner` extra is not installed: {unavailable_reason()}")

GAZ = Gazetteer([
    Entry(id="mali", name="Mali", type="place"),
    Entry(id="niger", name="Niger", type="place"),
    Entry(id="tessoumbou", name="Tessoumbou", type="place"),
    Entry(id="kel-ansar", name="Kel Ansar Coordination", type="group", aliases=["KAC"]),
    Entry(id="oumar-dicko", name="Oumar Dicko", type="person"),
])


def spans_of(text: str, *items: tuple[str, str]) -> list[NerSpan]:
    """NerSpans for the first occurrence of each (surface, label)."""
    out = []
    for surface, label in items:
        s = text.index(surface)
        out.append(NerSpan(s, s + len(surface), label))
    return out


def run(text: str, *items):
    return merge(text, Matcher(GAZ).find(text), spans_of(text, *items), GAZ)


# -- language ---------------------------------------------------------------------------------
def test_language_vote():
    assert detect_language("The convoy left the town in the morning and was stopped by the men who "
                           "had blocked the road for two days.") == "en"
    assert detect_language("Le convoi a quitté la ville dans la matinée et a été arrêté par les hommes "
                           "qui bloquaient la route depuis deux jours.") == "fr"
    assert detect_language("Tessoumbou, Kidal, Gao.") == ""  # no function words: cannot tell


# -- merge rules ------------------------------------------------------------------------------
def test_gazetteer_mentions_win_and_overlapping_spans_are_dropped():
    text = "Fighters entered Tessoumbou Nord on Monday."
    r = run(text, ("Tessoumbou Nord", "GPE"))
    assert r.candidates == [] and r.links == []


def test_unknown_names_become_typed_candidates():
    text = "Residents of Dialakoro said that Amadou Sangaré met officials of the Banque Sahélienne."
    r = run(text, ("Dialakoro", "GPE"), ("Amadou Sangaré", "PERSON"), ("Banque Sahélienne", "ORG"))
    got = [(c.text, c.type, c.source) for c in r.candidates]
    assert got == [("Dialakoro", "place", "ner"), ("Amadou Sangaré", "person", "ner"),
                   ("Banque Sahélienne", "org", "ner")]


def test_group_word_makes_a_group():
    text = "The Katiba Hamadoun claimed the raid, and the Front de Salut du Nord denied it."
    r = run(text, ("Katiba Hamadoun", "ORG"), ("Front de Salut du Nord", "ORG"))
    assert [(c.text, c.type) for c in r.candidates] == [("Katiba Hamadoun", "group"),
                                                        ("Front de Salut du Nord", "group")]
    assert group_type("Jama'at Nusrat al-Ibad") == "group" and group_type("Banque Sahélienne") is None


def test_spans_matching_a_name_under_the_matcher_keys_are_linked():
    # a spelling one edit away, and an acronym with the same capitals
    text = "Oumar Dickho spoke. Later KAC and the Kel Ansar Coordinaton met again."
    r = merge(text, [], spans_of(text, ("Oumar Dickho", "PERSON"), ("KAC", "ORG"),
                                 ("Kel Ansar Coordinaton", "ORG")), GAZ)
    assert [(m.text, m.entry_id) for m in r.links] == [
        ("Oumar Dickho", "oumar-dicko"), ("KAC", "kel-ansar"), ("Kel Ansar Coordinaton", "kel-ansar")]
    assert r.candidates == []


def test_acronym_in_other_capitals_is_not_linked():
    text = "Sources said Kac was there."
    r = merge(text, [], spans_of(text, ("Kac", "ORG")), GAZ)
    assert r.links == []


@pytest.mark.parametrize("text,surface,label,reason", [
    ("They met the Malian soldiers.", "Malian", "GPE", "demonym"),
    ("Des soldats Nigériens sont arrivés.", "Nigériens", "LOC", "demonym"),
    ("Elle est alliée de l'État malien depuis.", "État malien", "LOC", "description"),
    ("Later the Mission left the area.", "Mission", "ORG", "ordinary word"),
    ("Since then nothing changed.", "Since", "PERSON", "ordinary word"),
    ("It happened in March 2024 near the well.", "March 2024", "ORG", "date"),
    ("the army of the north was there", "army of the north", "ORG", "lower-case"),
    ("Wagner Leaves Town, Corps Will Stay\n\nThe text.", "Will Stay", "PERSON", "headline words"),
])
def test_classes_that_are_not_names_are_dropped(text, surface, label, reason):
    s = text.index(surface)
    trimmed = trim(text, s, s + len(surface))
    assert trimmed is not None
    assert reject_reason(text, *trimmed, GAZ) == reason
    assert run(text, (surface, label)).candidates == []


def test_labels_that_are_not_names_are_ignored():
    text = "Ousmane Traoré Dembélé arrived on Tuesday with 40 Peul herders."
    r = run(text, ("Tuesday", "DATE"), ("40", "CARDINAL"), ("Peul", "NORP"))
    assert r.candidates == []


def test_trim_articles_titles_possessives_and_punctuation():
    text = "« le colonel Issa Bagayoko’s » men"
    got = trim(text, 0, text.index(" men"))
    assert text[got[0]:got[1]] == "Issa Bagayoko"
    assert trim("“The”", 0, 5) is None or reject_reason("“The”", *trim("“The”", 0, 5), GAZ) is not None


def test_one_candidate_per_key_with_one_type_and_repeats_marked():
    text = ("Amadou Sangaré arrived in Dialakoro. AMADOU SANGARÉ left. "
            "Later Sangaré said Dialakoro was calm, and the katiba of Sangaré fled.")
    r = run(text, ("Amadou Sangaré", "PERSON"), ("AMADOU SANGARÉ", "ORG"), ("Dialakoro", "GPE"))
    keys = {c.key for c in r.candidates}
    assert keys == {"amadou sangare", "dialakoro"}
    by_key = {}
    for c in r.candidates:
        by_key.setdefault(c.key, []).append(c)
    assert {c.type for c in by_key["amadou sangare"]} == {"person"}  # one type by vote
    # the second Dialakoro and the surname alone are occurrences of the same candidates
    assert len(by_key["dialakoro"]) == 2
    assert [c.text for c in by_key["amadou sangare"]] == ["Amadou Sangaré", "AMADOU SANGARÉ", "Sangaré", "Sangaré"]
    assert all(c.cue == "repeat" for c in by_key["amadou sangare"][2:])


def test_hostile_text_is_kept_literally():
    text = "Men of [bold]Kanambakou[/bold] said so."
    r = run(text, ("Kanambakou", "GPE"))
    assert [c.text for c in r.candidates] == ["Kanambakou"]


# -- start-up stays light ---------------------------------------------------------------------
def test_app_start_up_does_not_import_spacy():
    code = ("import sys\nimport reader.tui.app, reader.cli, reader.ner, reader.ner.service\n"
            "import reader.tui.ner_worker\n"
            "assert 'spacy' not in sys.modules, 'spacy imported at start-up'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]


# -- the real pipelines -----------------------------------------------------------------------
@needs_ner
def test_spacy_pipelines_give_offsets_into_the_original_text():
    from reader.ner.pipeline import entities

    text = ("Officials said Colonel Ibrahima Kouyaté travelled to Ouagadougou on Monday.\n\n"
            "Les habitants de Ségou ont reçu Fatoumata Cissé, la ministre, mardi.")
    got = entities(text, "en")
    assert got and all(text[s.start:s.end].strip() == text[s.start:s.end] for s in got)
    assert any(text[s.start:s.end] == "Ouagadougou" for s in got)
    fr = entities(text.split("\n\n")[1], "fr")
    assert any("Fatoumata Cissé" in text.split("\n\n")[1][s.start:s.end] for s in fr)


# -- recall rules by class (texts invented) -----------------------------------------------------
def texts_of(result) -> list[tuple[str, str]]:
    return [(c.text, c.type) for c in result.candidates]


def test_a_name_beside_a_known_one_through_a_possessive_or_a_slash_is_kept():
    text = ("Officials of Mali’s Sahel Reconciliation Office said they had met with a photographer, "
            "Hamidou Sarr/Niger, on the road to the north of the country last week.")
    r = run(text, ("Mali’s Sahel Reconciliation Office", "ORG"), ("Hamidou Sarr/Niger", "PERSON"))
    assert texts_of(r) == [("Sahel Reconciliation Office", "org"), ("Hamidou Sarr", "person")]
    text = "The Niger Basin Office met on Monday."  # a known name inside a longer one: the gazetteer's
    assert run(text, ("Niger Basin Office", "ORG")).candidates == []


def test_a_capitalised_common_word_is_a_name_in_english_unless_used_as_a_word():
    text = "The group has bases in Africa and recruits along the Atlantic, officials said in Europe."
    r = run(text, ("Africa", "LOC"), ("Atlantic", "LOC"), ("Europe", "LOC"))
    assert texts_of(r) == [("Africa", "place"), ("Atlantic", "place"), ("Europe", "place")]
    # written in lower case elsewhere, or only ever a modifier: an ordinary word
    text = "The Mission said the mission was over, while Tuareg traders met Tuareg elders in Tessoumbou."
    assert run(text, ("Mission", "ORG"), ("Tuareg", "GPE")).candidates == []
    # French capitalises institutions and peoples: no sign of a name there
    text = "Les représentants de l’État et les Occidentaux ont quitté la ville de Tessoumbou avec leurs familles."
    assert run(text, ("État", "LOC"), ("Occidentaux", "ORG")).candidates == []


def test_french_bodies_with_a_lower_case_head_and_places_after_a_common_noun():
    text = ("Le ministère de la Sécurité a annoncé que les tirs visaient la caserne de Dialakoro, "
            "selon les habitants qui ont fui vers le nord.")
    r = run(text, ("ministère de la Sécurité", "ORG"), ("caserne de Dialakoro", "LOC"))
    assert texts_of(r) == [("ministère de la Sécurité", "org"), ("Dialakoro", "place")]
    text = "Les habitants disent que la ville de Tessoumbou est calme et que la route est ouverte depuis lundi."
    assert run(text, ("route est ouverte", "LOC")).candidates == []  # lower case throughout


def test_names_under_other_labels_and_acronyms_nobody_marked():
    text = ("Selon le chercheur Idrissa Sangaré, les unités BRK et OSD ont quitté Tessoumbou, "
            "et les habitants maliens sont rentrés dans la ville.")
    r = run(text, ("Idrissa Sangaré", "MISC"), ("maliens", "NORP"))
    assert [c.text for c in r.candidates] == ["Idrissa Sangaré", "BRK", "OSD"]
    # a people's or region's adjective under NORP is a description, never a name nor a link
    text = "Troops of the West African bloc met the local leaders in Tessoumbou on Monday morning."
    r = run(text, ("West African", "NORP"))
    assert r.candidates == [] and r.links == []
    # a heading set in capitals is not a string of acronyms; Roman numerals are not bodies
    text = "ATTAQUE CONTRE LE CAMP DE TESSOUMBOU\n\nLa phase II du retrait a commencé dans la région de Tessoumbou."
    assert run(text).candidates == []
