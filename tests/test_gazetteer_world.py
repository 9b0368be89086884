"""The world around the Sahel: countries, capitals, foreign towns and state bodies.

The world-*.toml files must validate, be found in English and French spellings, and never
light up ordinary words that happen to spell a country or a city ("roast turkey", "fine
china", "du sucre").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.gazetteer import load_gazetteer
from reader.gazetteer.loader import DATA_DIR
from reader.matcher import Matcher

WORLD_FILES = sorted(DATA_DIR.glob("world-*.toml"))


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(overlay=False)


@pytest.fixture(scope="module")
def matcher(gaz):
    return Matcher(gaz)


@pytest.fixture(scope="module")
def world_ids(gaz):
    return {e.id for e in gaz if Path(e.file).name.startswith("world-")}


def test_world_files_exist_and_validate(gaz, world_ids):
    assert [p.name for p in WORLD_FILES] == [
        "world-bodies.toml", "world-capitals.toml", "world-cities.toml", "world-countries.toml"]
    assert gaz.errors == []
    world_issues = [i for i in gaz.issues if Path(i.file).name.startswith("world-")]
    assert world_issues == []
    assert len(world_ids) >= 500


def test_every_country_has_a_capital_and_capitals_point_to_their_country(gaz):
    countries = {e.id for e in gaz if e.type == "place" and e.kind == "country"}
    assert len(countries) >= 195  # UN members and observers, plus a few territories
    city_states = {"monaco", "singapore", "vatican-city"}
    with_town = {p.id for e in gaz if e.type == "place" and e.kind == "town"
                 for p in gaz.parent_chain(e.id)}
    # every country but the city-states has at least one town under it, its capital among them
    assert countries - city_states - with_town == set()
    capitals = [e for e in gaz if Path(e.file).name == "world-capitals.toml"]
    assert len(capitals) >= 185
    for e in capitals:
        assert e.type == "place" and e.kind == "town"
        assert gaz[e.parent].kind == "country", e.id


def test_world_entries_are_typed_and_have_their_own_summaries(gaz, world_ids):
    summaries = [gaz[i].summary for i in world_ids]
    assert all(s.strip() for s in summaries)
    # written one by one: no sentence shared by several entries
    assert len(set(summaries)) == len(summaries)
    kinds = {gaz[i].kind for i in world_ids if gaz[i].type == "place"}
    assert kinds <= {"country", "town", "region", "area", "mountains", "base", "lake"}
    bodies = [e for e in gaz if Path(e.file).name == "world-bodies.toml"]
    assert len(bodies) >= 40 and all(e.type == "org" for e in bodies)
    for e in gaz:
        if e.id in world_ids and e.type == "place" and e.kind != "area":
            assert e.lat is not None and e.lon is not None, e.id


def test_demonyms_are_not_aliases(gaz, world_ids):
    demonyms = {"egyptian", "british", "turkish", "russian", "chinese", "emirati", "libyan",
                "algerian", "nigerian", "sudanese", "moroccan", "american", "french", "german"}
    for i in world_ids:
        for s in gaz[i].aliases:
            assert s.lower() not in demonyms, (i, s)


ENGLISH = (
    "From Tripoli and Benghazi to Sabha in the Fezzan, the Libyan routes lead to Agadez; "
    "Egypt, Tunisia and Turkey watch, while Türkiye sells drones made by Baykar. "
    "The United Kingdom, the UAE and Qatar talk to Bamako; Moscow and the Kremlin send the "
    "Africa Corps, and the Russian Ministry of Defence signs the deals. In Washington the "
    "Pentagon, the State Department and the CIA review AFRICOM's plans from Stuttgart. "
    "In Brussels the European Commission and the European Parliament debate aid; Geneva and "
    "The Hague host the courts. Refugees reach Kano, Maiduguri in Borno State, and Darfur's "
    "El Fasher; migrants leave Nouadhibou for the Canary Islands or Tindouf for Laayoune. "
    "Bordj Badji Mokhtar faces Tinzaouaten. Saudi Arabia, China, India and Iran court the "
    "juntas; Conakry, Accra and Lomé worry. Marseille and Saint Petersburg host summits."
)

ENGLISH_IDS = {
    "tripoli", "benghazi", "fezzan", "egypt", "tunisia", "turkey", "baykar", "united-kingdom",
    "united-arab-emirates", "qatar", "moscow", "kremlin", "russian-ministry-of-defence",
    "washington", "pentagon", "state-department", "cia", "stuttgart", "brussels",
    "european-commission", "european-parliament", "geneva", "the-hague", "kano",
    "borno-state", "darfur", "el-fasher", "nouadhibou", "canary-islands", "tindouf",
    "laayoune", "bordj-badji-mokhtar", "saudi-arabia", "china", "india", "iran", "conakry",
    "accra", "lome", "marseille", "saint-petersburg",
}

FRENCH = (
    "Le Quai d'Orsay et l'Élysée ont réagi ; la DGSE et le ministère des Armées aussi. "
    "Alger, Le Caire, Moscou et Pékin observent. La Libye, l'Égypte, la Tunisie, la Turquie, "
    "la Chine, l'Inde et les Émirats arabes unis sont cités, comme le Royaume-Uni, "
    "l'Allemagne, l'Espagne, l'Italie, la Belgique et la Suisse. "
    "On parle de Bruxelles, de Genève, de La Haye et de Londres, du Tchad, du Soudan du Sud "
    "et de la République démocratique du Congo. "
    "Les réfugiés vont vers Abéché et Adré ; la Maison-Blanche et le département d'État "
    "répondent ; l'Arabie saoudite, le Koweït, le Maroc et la Mauritanie se taisent. "
    "La Cyrénaïque et la Tripolitaine se disputent Syrte."
)

FRENCH_IDS = {
    "quai-dorsay", "elysee", "dgse", "french-ministry-of-armed-forces", "algiers", "cairo",
    "moscow", "beijing", "libya", "egypt", "tunisia", "turkey", "china", "india",
    "united-arab-emirates", "united-kingdom", "germany", "spain", "italy", "belgium",
    "switzerland", "brussels", "geneva", "the-hague", "london", "chad", "south-sudan",
    "dr-congo", "abeche", "adre", "white-house", "state-department", "saudi-arabia", "kuwait",
    "morocco", "mauritania", "cyrenaica", "tripolitania", "sirte",
}


@pytest.mark.parametrize("text, expected", [(ENGLISH, ENGLISH_IDS), (FRENCH, FRENCH_IDS)],
                         ids=["english", "french"])
def test_world_names_are_found_with_the_right_ids(matcher, text, expected):
    assert len(expected) >= 30
    found = {m.entry_id for m in matcher.find(text)}
    assert expected - found == set()


def test_spans_are_the_whole_names(matcher):
    text = "Talks in Abu Dhabi, Addis Ababa and Kuwait City; a report by The New York Times."
    got = [(m.text, m.entry_id) for m in matcher.find(text)]
    assert got == [("Abu Dhabi", "abu-dhabi"), ("Addis Ababa", "addis-ababa"),
                   ("Kuwait City", "kuwait-city"), ("The New York Times", "new-york-times")]


def test_shared_names_are_resolved_from_context(matcher):
    assert [m.entry_id for m in matcher.find("Djibouti hosts foreign bases.")] == ["djibouti"]
    m = matcher.find("Camp Lemonnier is in Djibouti.")[-1]
    assert m.entry_id in ("djibouti", "djibouti-city") and set(m.alternatives) | {m.entry_id} \
        == {"djibouti", "djibouti-city"}
    congo = matcher.find("Troops from Congo arrived.")[0]
    assert {congo.entry_id, *congo.alternatives} == {"republic-of-the-congo", "dr-congo"}
    # the capital named beside it decides which Congo is meant
    near = matcher.find("Sassou Nguesso flew back to Brazzaville; Congo voted yes.")
    assert [m.entry_id for m in near if m.text == "Congo"] == ["republic-of-the-congo"]
    near = matcher.find("The M23 advanced in eastern Congo, and Kinshasa protested.")
    assert [m.entry_id for m in near if m.text == "Congo"] == ["dr-congo"]


# Ordinary sentences whose words spell, or nearly spell, a name of the world files.
ORDINARY = [
    "We had roast turkey for dinner.", "The turkey was dry.", "She set the table with fine china.",
    "The china cabinet broke.", "He added chile powder.", "Add a green chile.",
    "Chili peppers were on sale.", "The chili was too hot.", "A guinea pig escaped.",
    "Guinea fowl roam the yard.", "Male soldiers were separated from the women.",
    "Male and female voters queued.", "The male nurse left.", "a nice day in the market",
    "He wore a panama hat.", "panama hats are back in fashion.", "lima beans with rice.",
    "He bought a box of havana cigars.", "Put it in a manila envelope.",
    "manila envelopes piled up.", "Il met du sucre dans son thé.", "du sucre et de la farine.",
    "Un roseau plie mais ne rompt pas.", "Il a mangé un bol de riz.", "un bol de lait froid.",
    "Il faut du temps, de la patience et du sucre.", "Le roseau pensant.",
    "A grenade exploded near the market.", "Grenade attacks killed two.",
    "Malaise grows among the troops.", "A sense of malaise.", "Les canaries chantent.",
    "canaries in a coal mine", "He asked where to go.", "It is time to go home.",
    "They want to go.", "She was victorious.", "Victory was declared.", "a victorian house",
    "chad is a word for a bit of paper", "The hanging chad decided the vote.",
    "The jordan almonds were sweet.", "A mali of rice.", "Il a dit oui.",
    "The ghats of the river.", "We jumped into the lake.", "Kingdom come.",
    "Reading the report took an hour.", "He was reading a book.", "Nice work.",
    "Nice to meet you.", "The nice weather held.", "The town was nice and quiet.",
    "It was a durable peace.", "A new deal was signed.", "He is a perfect gentleman.",
    "Salvador Dalí painted it.",
    "She wore a sari.", "A cuban cigar.",
    "Sana said nothing.", "A victoria sponge cake.", "Paris is lovely.", "The dominican friar spoke.", "Dominican friars arrived.", "Guinean traders arrived.",
    "The Malian army advanced.", "Nigerien officers met.", "The Chadian soldiers left.",
    "Libyan militias clashed.", "Egyptian officials denied it.", "Tunisian boats sank.",
    "Turkish drones struck.", "Russian instructors trained them.", "Chinese firms bid.",
    "Emirati money flowed.", "Moroccan ports opened.", "Algerian officials protested.",
    "Sudanese refugees fled.", "Ivorian troops patrolled.", "Beninese soldiers died.",
    "Togolese police arrested two.", "Ghanaian traders complained.", "British aid fell.",
    "French troops left.", "German soldiers went home.", "Belgian trainers stayed.",
    "Italian officers remained.", "Spanish coast guards rescued them.", "Danish forces left.",
    "Swedish troops withdrew.", "Estonian soldiers served.", "Canadian miners were kidnapped.",
    "Australian doctors were kidnapped.", "Qatari mediators helped.", "Saudi money came.",
    "Iranian drones were offered.", "Indian buyers paid.", "Ukrainian officials denied it.",
    "Japanese aid grew.", "Korean firms bid.", "Brazilian beef sold.", "Mexican cartels.",
    "He ordered a grenadine.", "The grenadier guards marched.", "Praise the lord.",
    "The crowd was euphoric.", "The malaise deepened.", "A finer point.",
    "It is a perse colour.", "Fighting spread across the far north of Mali.",
    "Le ministère des Affaires étrangères malien a protesté.",
    "They called for a government of national unity.", "l'extrême-nord du pays",
    "Rome wasn't built in a day.",
]

ORDINARY_WORLD_IDS_ALLOWED = {
    # sentences that do name a world entry, on purpose: a sanity check of the harness
    "Paris is lovely.": set(),  # Paris is an existing entry, not a world one
    "Rome wasn't built in a day.": {"rome"},
}


def test_ordinary_sentences_light_up_no_world_entry(matcher, world_ids):
    assert len(ORDINARY) >= 100
    hits = []
    for sentence in ORDINARY:
        got = {m.entry_id for m in matcher.find(sentence) if m.entry_id in world_ids}
        if got != ORDINARY_WORLD_IDS_ALLOWED.get(sentence, set()):
            hits.append((sentence, sorted(got)))
    assert hits == []


@pytest.mark.parametrize("sentence", [
    "Hollande said France would stay.",
    "Victoria Nuland flew to Niamey.",
    "Lake Victoria is far from the Sahel.",
    "Male detainees were moved to Kidal.",
    "French Guiana is in South America.",
    "Migrants from North America and Latin America.",
])
def test_near_names_are_not_the_wrong_world_entry(matcher, sentence):
    wrong = {"netherlands", "victoria", "male", "guyana", "south-africa", "north-africa"}
    got = {m.entry_id for m in matcher.find(sentence)}
    assert not got & wrong, got


def test_lake_victoria_is_the_lake(matcher):
    assert [m.entry_id for m in matcher.find("Lake Victoria is far away.")] == ["lake-victoria"]


def test_main_intelligence_directorate_follows_the_country_named(matcher):
    ukr = matcher.find("Ukraine's Main Intelligence Directorate hinted at a role in Kyiv.")
    assert [m.entry_id for m in ukr if m.text == "Main Intelligence Directorate"] == ["gur-ukraine"]
    rus = matcher.find("In Moscow, the Main Intelligence Directorate took over Wagner's men.")
    assert [m.entry_id for m in rus if m.text == "Main Intelligence Directorate"] == ["gru"]


# Multi-word demonyms: "West African" is a word derived from "West Africa", not a misspelling
# of it, just as "Malian" is not "Mali". The matcher refuses a one-word fuzzy match that is
# the name plus a suffix; for multi-word names it does not yet (reader/matcher.py, _verify:
# `length == 1 and cand.startswith(nm.compact)`). Strict: when the matcher learns it, this
# test fails as XPASS and the marker must go.
MULTI_WORD_DEMONYMS = [
    "West African states met.", "South African troops left.", "North African migrants.",
    "Latin American cartels.", "Saudi Arabian money.", "Sri Lankan peacekeepers died.",
    "North Korean shells.", "Western Saharan refugees.", "Sub-Saharan African migrants.",
]


def test_multi_word_demonyms_are_not_mentions(matcher, world_ids):
    hits = [(s, [m.text for m in matcher.find(s) if m.entry_id in world_ids])
            for s in MULTI_WORD_DEMONYMS]
    assert [h for h in hits if h[1]] == []
