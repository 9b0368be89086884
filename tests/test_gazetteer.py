"""Loading, validation and overlay of gazetteers, including every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.gazetteer import (
    Entry,
    Gazetteer,
    GazetteerError,
    Link,
    fold_key,
    load_gazetteer,
    with_additions,
)
from reader.gazetteer.loader import DATA_DIR

FIXTURE = Path(__file__).parent / "fixtures" / "gazetteer" / "small"

GOOD = """
[kidal]
name = "Kidal"
type = "place"
kind = "town"
lat = 18.44
lon = 1.41
parent = "mali"
summary = "A town."

[mali]
name = "Mali"
type = "place"
kind = "country"
lat = 17.0
lon = -4.0
summary = "A country."
"""


def write(tmp_path: Path, text: str, name: str = "g.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def messages(gaz: Gazetteer) -> list[str]:
    return [str(i) for i in gaz.issues]


@pytest.fixture()
def small() -> Gazetteer:
    return load_gazetteer(FIXTURE, overlay=False)


def test_fixture_loads_clean(small):
    assert small.issues == []
    assert len(small) == 29
    e = small.get("ansar-dine")
    assert e.type == "group" and "Ansar Eddine" in e.aliases and e.founded == "2011-12"
    assert Link("merged into", "jnim") in e.links
    assert e.origin == "bundled" and e.file.endswith("groups.toml")
    assert e.surface_forms()[0] == "Ansar Dine"


def test_navigation(small):
    assert [e.id for e in small.parent_chain("timbuktu")] == ["mali"]
    assert ("merged into", "ansar-dine") in small.backlinks("jnim")
    assert ("leader of", "iyad-ag-ghaly") in small.backlinks("jnim")
    assert {"jnim", "kidal", "iyad-ag-ghaly"} <= small.related("ansar-dine")
    assert small.get("nope") is None and "mali" in small


def test_fold_key():
    assert fold_key("Ansar al-Dīn’s") == "ansar al din"
    assert fold_key("MÉNAKA") == fold_key("Menaka") == "menaka"
    assert fold_key("Jama'at") == fold_key("Jamaat")


def test_issue_str_is_one_line_naming_file_and_entry(tmp_path):
    p = write(tmp_path, GOOD.replace('parent = "mali"', 'parent = "malli"'))
    gaz = load_gazetteer(p, overlay=False)
    (issue,) = gaz.errors
    assert str(issue).startswith(f"{p}: [kidal] ") and "malli" in str(issue) and "\n" not in str(issue)


@pytest.mark.parametrize(("edit", "needle"), [
    (('type = "place"\nkind = "town"', 'type = "village-ish"\nkind = "town"'), "unknown type 'village-ish'"),
    (('name = "Kidal"\n', ''), "missing 'name'"),
    (('summary = "A town."', ''), "missing 'summary'"),
    (('lat = 18.44\n', ''), "without lat/lon"),
    (('parent = "mali"', 'parent = "nowhere"'), "parent 'nowhere' is not an existing id"),
    (('summary = "A town."', 'summary = "A town."\nlinks = [{ rel = "located in", to = "atlantis" }]'),
     "unknown id 'atlantis'"),
    (('summary = "A town."', 'summary = "A town."\nfounded = "12 May 2012"'), "is not YYYY"),
    (('lat = 18.44', 'lat = "north"'), "'lat' must be a number"),
    (('[kidal]', '["Kidal Town"]'), "lowercase ASCII slug"),
    (('summary = "A town."', 'summary = "A town."\naliases = ["Mali"]'), "also used by"),
])
def test_validation_errors(tmp_path, edit, needle):
    old, new = edit
    assert old in GOOD
    gaz = load_gazetteer(write(tmp_path, GOOD.replace(old, new, 1)), overlay=False)
    assert any(needle in m for m in messages(gaz)), messages(gaz)


def test_missing_type(tmp_path):
    gaz = load_gazetteer(write(tmp_path, GOOD.replace('type = "place"\nkind = "town"\n', 'kind = "town"\n')),
                         overlay=False)
    assert any("[kidal] missing 'type'" in m for m in messages(gaz))


def test_declared_ambiguity_is_not_an_error(small):
    assert not [m for m in messages(small) if "also used by" in m]


def test_ambiguity_only_declared_on_one_side_is_reported(tmp_path):
    text = GOOD + '\n[mali-empire]\nname = "Mali"\ntype = "event"\nsummary = "x"\nambiguous = ["Mali"]\n'
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    assert any("'Mali' is also used by mali-empire" in m for m in messages(gaz))


def test_duplicate_ids_across_files(tmp_path):
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, '[mali]\nname = "Mali again"\ntype = "place"\nkind = "area"\nsummary = "x"\n', "b.toml")
    gaz = load_gazetteer(tmp_path, overlay=False)
    assert gaz.get("mali").name == "Mali"
    assert any("b.toml: [mali] duplicate id, already defined in" in m for m in messages(gaz))


def test_duplicate_ids_within_one_toml_file_is_a_syntax_error(tmp_path):
    with pytest.raises(GazetteerError, match="invalid TOML"):
        load_gazetteer(write(tmp_path, GOOD + '\n[mali]\nname = "x"\n'), overlay=False)


def test_malformed_toml_names_the_file(tmp_path):
    p = write(tmp_path, '[kidal]\nname = "Kidal\ntype = "place"\n')
    with pytest.raises(GazetteerError) as err:
        load_gazetteer(p, overlay=False)
    assert str(err.value).startswith(f"{p}: invalid TOML") and "\n" not in str(err.value)


def test_empty_file(tmp_path):
    with pytest.raises(GazetteerError, match="contains no entries"):
        load_gazetteer(write(tmp_path, ""), overlay=False)
    # inside a folder, an empty file is only a warning
    write(tmp_path, GOOD, "good.toml")
    gaz = load_gazetteer(tmp_path, overlay=False)
    assert len(gaz) == 2 and not gaz.errors
    assert any("has no entries" in m for m in messages(gaz))


def test_binary_file(tmp_path):
    p = tmp_path / "g.toml"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(GazetteerError, match="binary"):
        load_gazetteer(p, overlay=False)


def test_non_utf8_file(tmp_path):
    p = tmp_path / "g.toml"
    p.write_bytes('[x]\nname = "Ségou"\n'.encode("latin-1"))
    with pytest.raises(GazetteerError, match="not valid UTF-8"):
        load_gazetteer(p, overlay=False)


def test_huge_file(tmp_path, monkeypatch):
    from reader.gazetteer import tables

    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 1000)
    p = write(tmp_path, GOOD + "#" * 2000)
    with pytest.raises(GazetteerError, match="limit"):
        load_gazetteer(p, overlay=False)


def test_missing_path(tmp_path):
    with pytest.raises(GazetteerError, match="no such gazetteer"):
        load_gazetteer(tmp_path / "nope.toml", overlay=False)


def test_wrong_field_types_are_issues_not_crashes(tmp_path):
    text = ('[x]\nname = "X"\ntype = "group"\nsummary = "s"\naliases = "Ex"\n'
            'links = [{ rel = 3 }]\nsources = [1]\nweird = true\n')
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    assert gaz.get("x").aliases == ["Ex"]  # a lone string is accepted as a one-item list
    ms = messages(gaz)
    assert any("malformed link" in m for m in ms)
    assert any("'sources' must be a list of strings" in m for m in ms)
    assert any("unknown field 'weird'" in m for m in ms)


def test_non_table_top_level_value(tmp_path):
    gaz = load_gazetteer(write(tmp_path, 'title = "oops"\n' + GOOD), overlay=False)
    assert any("[title] top-level value is not a table" in m for m in messages(gaz))


def test_json_list(tmp_path):
    items = [{"id": "kidal", "name": "Kidal", "type": "place", "aliases": ["Kidaal"]},
             {"name": "Ansar Dine", "type": "group"}, "junk"]
    p = tmp_path / "list.json"
    p.write_text(json.dumps(items), encoding="utf-8")
    gaz = load_gazetteer(p, overlay=False)
    assert set(gaz.entries) == {"kidal", "ansar-dine"}
    assert gaz.get("kidal").aliases == ["Kidaal"]
    # JSON lists from other tools need no summary or coordinates
    assert [m for m in messages(gaz) if "summary" in m or "lat/lon" in m] == []
    assert any("[#2] item is not an object" in m for m in messages(gaz))


def test_json_list_sniffed_without_suffix(tmp_path):
    p = tmp_path / "names"
    p.write_text('[{"id": "gao", "name": "Gao", "type": "place"}]', encoding="utf-8")
    assert load_gazetteer(p, overlay=False).get("gao").name == "Gao"


def test_json_not_a_list(tmp_path):
    p = tmp_path / "x.json"
    p.write_text('{"id": "gao"}', encoding="utf-8")
    with pytest.raises(GazetteerError, match="must be a list"):
        load_gazetteer(p, overlay=False)
    p.write_text('[{"id": ', encoding="utf-8")
    with pytest.raises(GazetteerError, match="invalid JSON"):
        load_gazetteer(p, overlay=False)


# -- overlay ------------------------------------------------------------------------------------

def test_overlay_extends_and_adds(tmp_path):
    ov = write(tmp_path, '[timbuktu]\naliases = ["Tumbutu"]\n\n[hombori]\nname = "Hombori"\n'
                         'type = "place"\nkind = "town"\nlat = 15.28\nlon = -1.7\nparent = "mali"\n', "ov.toml")
    gaz = load_gazetteer(FIXTURE, overlay=ov)
    assert gaz.get("timbuktu").aliases == ["Tombouctou", "Tumbutu"]
    assert gaz.get("timbuktu").origin == "bundled"
    assert gaz.get("hombori").origin == "overlay"
    assert not gaz.errors


def test_overlay_from_env(tmp_path, monkeypatch):
    ov = write(tmp_path, '[gao]\naliases = ["Gao-city"]\n', "ov.toml")
    monkeypatch.setenv("MALI_READER_OVERLAY", str(ov))
    assert "Gao-city" in load_gazetteer(FIXTURE).get("gao").aliases


@pytest.mark.parametrize("content", [b'[gao\naliases = ["x"]', b"\x00\x01\x02binary", b"\xff\xfe[gao]"])
def test_broken_overlay_keeps_bundled(tmp_path, content):
    ov = tmp_path / "ov.toml"
    ov.write_bytes(content)
    gaz = load_gazetteer(FIXTURE, overlay=ov)
    assert len(gaz) == 29 and gaz.get("gao").aliases == []
    (issue,) = gaz.issues
    assert str(issue).startswith(f"{ov}: overlay ignored")


def test_missing_overlay_is_fine(tmp_path):
    gaz = load_gazetteer(FIXTURE, overlay=tmp_path / "absent.toml")
    assert len(gaz) == 29 and gaz.issues == []


def test_overlay_with_bad_link_is_reported(tmp_path):
    ov = write(tmp_path, '[gao]\nlinks = [{ rel = "located in", to = "mars" }]\n', "ov.toml")
    gaz = load_gazetteer(FIXTURE, overlay=ov)
    assert any("[gao] link 'located in' points to unknown id 'mars'" in m for m in messages(gaz))


def test_with_additions(small):
    new = with_additions(small, aliases=[("gao", "Gao-Ville"), ("nope", "X")],
                          entries=[Entry(id="hombori", name="Hombori", type="place", origin="user")])
    assert new is not small and "Gao-Ville" in new.get("gao").aliases
    assert "Gao-Ville" not in small.get("gao").aliases
    assert new.get("hombori").origin == "user"
    assert any("unknown entry" in m for m in messages(new))


# -- the bundled data ---------------------------------------------------------------------------

def test_bundled_data_loads():
    gaz = load_gazetteer(overlay=False)
    assert gaz.entries or not list(DATA_DIR.glob("*.toml"))


def test_bracketed_name_is_a_warning(tmp_path):
    gaz = load_gazetteer(write(tmp_path, GOOD.replace('name = "Kidal"', 'name = "Kidal (town)"')), overlay=False)
    assert not gaz.errors
    assert any(i.severity == "warning" and "bracketed part" in str(i) for i in gaz.issues)


# -- mirrored relations, dated aliases, relations that contradict dates -------------------------

MINI = """
[kel-tamasheq-front]
name = "Kel Tamasheq Front"
type = "group"
founded = "2010"
summary = "An invented group."
links = [{ rel = "led by", to = "amadou-invented" }, { rel = "fought", to = "river-brigade" }]

[river-brigade]
name = "River Brigade"
type = "group"
founded = "2012-05"
dissolved = "2016"
summary = "Another invented group."
links = [{ rel = "split from", to = "kel-tamasheq-front" }, { rel = "merged into", to = "kel-tamasheq-front" }]

[amadou-invented]
name = "Amadou Invented"
type = "person"
born = "1960"
summary = "An invented person."

[battle-of-nowhere]
name = "Battle of Nowhere"
type = "event"
date = "2014-03-02"
summary = "An invented battle."
links = [{ rel = "related to", to = "river-brigade" }]
"""


def test_mirrored_links_are_derived_on_load(tmp_path):
    gaz = load_gazetteer(write(tmp_path, MINI), overlay=False)
    assert not gaz.errors, messages(gaz)
    person = gaz.get("amadou-invented")
    assert Link("leader of", "kel-tamasheq-front") in person.links
    front = gaz.get("kel-tamasheq-front")
    # symmetric, and new inverse labels for one-way relations
    assert {Link("fought", "river-brigade"), Link("gave rise to", "river-brigade"),
            Link("absorbed", "river-brigade")} <= set(front.links)
    assert Link("related to", "battle-of-nowhere") in gaz.get("river-brigade").links
    mirrored = [lk for lk in front.links if lk.derived]
    assert {lk.rel for lk in mirrored} == {"gave rise to", "absorbed"}
    assert not any(lk.derived for lk in gaz.get("river-brigade").links if lk.rel == "split from")


def test_a_link_stated_on_both_sides_is_not_doubled(tmp_path):
    text = MINI.replace('summary = "An invented person."',
                        'summary = "An invented person."\nlinks = [{ rel = "leader of", to = "kel-tamasheq-front" }]')
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    assert [lk.rel for lk in gaz.get("amadou-invented").links] == ["leader of"]
    assert [lk.rel for lk in gaz.get("kel-tamasheq-front").links].count("led by") == 1


def test_mirrors_survive_additions_without_changing_the_original(tmp_path):
    gaz = load_gazetteer(write(tmp_path, MINI), overlay=False)
    before = list(gaz.get("amadou-invented").links)
    newer = with_additions(gaz, aliases=[("amadou-invented", "A. Invented")])
    assert newer.get("amadou-invented").links == before
    assert [lk.rel for lk in newer.get("kel-tamasheq-front").links].count("led by") == 1


def test_derived_inverse_labels_are_known_relations(tmp_path):
    from reader.gazetteer.model import MIRRORS, RELATIONS

    assert set(MIRRORS) | set(MIRRORS.values()) <= RELATIONS
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert all(rel in readme for rel in RELATIONS)


def test_took_part_before_founded_is_an_error(tmp_path):
    text = MINI.replace('date = "2014-03-02"', 'date = "2009-06-01"').replace(
        '{ rel = "fought", to = "river-brigade" }]',
        '{ rel = "fought", to = "river-brigade" }, { rel = "took part in", to = "battle-of-nowhere" }]')
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    (err,) = [i for i in gaz.errors if "took part in" in i.message]
    assert err.entry == "kel-tamasheq-front" and "before it existed" in err.message


def test_took_part_after_dissolved_is_an_error_but_same_year_is_not(tmp_path):
    link = '{ rel = "split from", to = "kel-tamasheq-front" }, { rel = "took part in", to = "battle-of-nowhere" },'
    text = MINI.replace('{ rel = "split from", to = "kel-tamasheq-front" },', link)
    late = text.replace('date = "2014-03-02"', 'date = "2017-02-01"')
    gaz = load_gazetteer(write(tmp_path, late), overlay=False)
    assert any("after its end (dissolved 2016)" in m for m in messages(gaz)), messages(gaz)
    same_year = text.replace('date = "2014-03-02"', 'date = "2016-11-30"')  # "2016" covers it
    assert not load_gazetteer(write(tmp_path, same_year), overlay=False).errors


def test_leader_who_died_before_the_group_was_founded_is_an_error(tmp_path):
    text = MINI.replace('born = "1960"', 'born = "1930"\ndied = "2008-04"')
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    errs = [str(i) for i in gaz.errors]
    # reported once, although the link is mirrored onto the person
    assert len(errs) == 1 and "died (2008-04) before it was founded (2010)" in errs[0]


def test_split_from_a_younger_group_is_an_error(tmp_path):
    text = MINI.replace('founded = "2012-05"', 'founded = "2009"')
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    assert any("split from 'kel-tamasheq-front' (founded 2010) but was founded earlier" in m
               for m in messages(gaz)), messages(gaz)


def test_merged_without_dissolution_date_is_a_warning(tmp_path):
    text = MINI.replace('dissolved = "2016"\n', '')
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    assert not gaz.errors
    (w,) = [i for i in gaz.issues if "no 'dissolved' date" in i.message]
    assert w.severity == "warning" and w.entry == "river-brigade"


DATED = """
[djelgodji-province]
name = "Djelgodji Province"
type = "place"
kind = "area"
summary = "A province renamed in an invented reform."
aliases = ["Djelgodji"]
aliases_dated = [{ name = "Soum Province", until = "2025-07" }, { name = "Djelgodji", from = "2025-07" }]
"""


def test_dated_aliases_load_and_are_matchable(tmp_path):
    from reader.gazetteer.model import DatedAlias

    gaz = load_gazetteer(write(tmp_path, DATED), overlay=False)
    assert not gaz.issues, messages(gaz)
    e = gaz.get("djelgodji-province")
    assert e.aliases_dated == [DatedAlias("Soum Province", "", "2025-07"), DatedAlias("Djelgodji", "2025-07", "")]
    assert e.aliases == ["Djelgodji", "Soum Province"]  # no repeat of "Djelgodji"
    assert e.aliases_dated[0].label() == "Soum Province (until 2025-07)"
    from reader.matcher import Matcher

    (m,) = Matcher(gaz).find("Fighting in Soum Province went on.")
    assert m.entry_id == "djelgodji-province"


@pytest.mark.parametrize(("dated", "needle"), [
    ('[{ name = "Soum", from = "July 2025" }]', "from = 'July 2025' is not YYYY"),
    ('[{ name = "Soum", from = "2025-07", until = "2020" }]', "ends (2020) before it starts (2025-07)"),
    ('[{ name = "Soum" }]', "neither 'from' nor 'until'"),
    ('[{ name = "Soum", since = "2025" }]', "unknown key(s) since"),
    ('["Soum"]', "malformed dated alias 'Soum'"),
    ('"Soum"', "'aliases_dated' must be a list"),
    ('[{ name = "Soum", from = 2025-07-01 }]', "'from' must be a date string"),
])
def test_bad_dated_aliases_are_reported(tmp_path, dated, needle):
    text = DATED.replace(DATED.splitlines()[-1], f"aliases_dated = {dated}")
    gaz = load_gazetteer(write(tmp_path, text), overlay=False)
    assert any(needle in m and "[djelgodji-province]" in m for m in messages(gaz)), messages(gaz)
    assert gaz.get("djelgodji-province") is not None


def test_overlay_can_date_an_alias_and_a_mirror_follows_its_new_link(tmp_path):
    ov = write(tmp_path, '[timbuktu]\naliases_dated = [{ name = "Timbuctoo", until = "1960" }]\n'
                         'links = [{ rel = "allied with", to = "gao" }]\n', "ov.toml")
    gaz = load_gazetteer(FIXTURE, overlay=ov)
    assert not gaz.errors, messages(gaz)
    timbuktu = gaz.get("timbuktu")
    assert [d.name for d in timbuktu.aliases_dated] == ["Timbuctoo"] and "Timbuctoo" in timbuktu.aliases
    assert Link("allied with", "timbuktu") in gaz.get("gao").links


def test_loading_the_same_files_again_reuses_the_gazetteer_and_an_edit_is_always_seen(tmp_path):
    folder = tmp_path / "gaz"
    folder.mkdir()
    source = folder / "places.toml"
    source.write_text('[gao]\nname = "Gao"\ntype = "place"\nsummary = "A town."\n', "utf-8")
    overlay = tmp_path / "missing-overlay.toml"
    first = load_gazetteer(folder, overlay=overlay)
    assert load_gazetteer(folder, overlay=overlay) is first  # same content: parsed once
    # same size, written at once: only the content tells the versions apart
    source.write_text('[gas]\nname = "Gas"\ntype = "place"\nsummary = "A town."\n', "utf-8")
    edited = load_gazetteer(folder, overlay=overlay)
    assert edited is not first and edited.get("gas") is not None and edited.get("gao") is None
    overlay.write_text('[gas]\naliases = ["Gaz"]\n', "utf-8")
    with_overlay = load_gazetteer(folder, overlay=overlay)
    assert with_overlay is not edited and "Gaz" in with_overlay.get("gas").aliases
