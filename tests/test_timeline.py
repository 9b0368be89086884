"""Entity timelines: gazetteer facts, articles and notes, newest first, grouped by month,
and mentions per month across the library."""

from __future__ import annotations

import json

from reader.cli import main
from reader.entities import Entities
from reader.notes import NoteStore
from reader.timeline import entity_timeline, sparkline


def _indexed(store) -> Entities:
    entities = Entities(store)
    entities.index_library()
    return entities


def test_jnim_timeline_has_its_founding_events_and_the_convoy_report(fixture_store):
    entities = _indexed(fixture_store)
    tl = entity_timeline(fixture_store, entities.gazetteer, "jnim")
    assert tl.name == "JNIM"
    facts = {(i.date, i.text) for i in tl.items if i.kind == "fact"}
    assert ("2017-03", "founded") in facts
    assert ("2024-07-25", "Battle of Tinzaouaten") in facts  # an event linked to JNIM
    articles = [i for i in tl.items if i.kind == "article"]
    assert [a.article_id for a in articles] == ["gao-convoy"]
    assert articles[0].date == "2023-03-14" and articles[0].mentions == 2
    body = fixture_store.article("gao-convoy").body
    assert body[articles[0].offset:].startswith("JNIM")
    dated = [i.date for i in tl.items if i.date]
    assert dated == sorted(dated, key=lambda d: (d[:4], len(d) > 4, d), reverse=True)  # newest first
    groups = tl.groups()
    newest = max((i.date for i in tl.items if i.date), key=lambda d: (d[:7], d))
    assert groups[0][:2] == (newest[:4], newest[:7])  # newest month first
    assert ("2024-09", "2024") in {(m, y) for y, m, _ in groups}  # the Bamako attack of September 2024
    march_2017 = next(items for year, month, items in groups if month == "2017-03")
    assert {i.text for i in march_2017} >= {"founded"}
    assert tl.months == [("2023-03", 2)]


def test_kidal_timeline_has_its_events_article_and_a_note(fixture_store):
    entities = _indexed(fixture_store)
    notes = NoteStore.with_gazetteer(fixture_store, entities.gazetteer)
    body = fixture_store.article("kidal-notes").body
    start = body.index("Kidal")
    notes.add("kidal-notes", "Return of the army to Kidal: check the date", start=start, end=start + 5)
    tl = entity_timeline(fixture_store, entities.gazetteer, "kidal")
    kinds = {(i.kind, i.text.split(":")[0]) for i in tl.items}
    assert ("fact", "Recapture of Kidal") in kinds and ("fact", "Kidal fighting of May 2014") in kinds
    assert ("article", "Kidal after the return of the army") in kinds
    note = next(i for i in tl.items if i.kind == "note")
    assert note.text.startswith("Return of the army") and note.article_id == "kidal-notes"
    assert note.offset == start
    # the note (written today) is the newest item; 2024-01 holds the article; 2014 comes last
    assert tl.items[0].kind == "note"
    months = [m for _, m, _ in tl.groups()]
    assert months.index("2024-01") < months.index("2023-11") < months.index("2014-05")
    # every month from the long 2010 report to the 2024 notes, zeros included
    article = next(i for i in tl.items if i.article_id == "kidal-notes" and i.kind == "article")
    assert tl.months[0][0] == "2010-01" and tl.months[-1] == ("2024-01", article.mentions)
    assert len(tl.months) == 14 * 12 + 1 and ("2017-06", 0) in tl.months


def test_sparkline_scales_and_buckets():
    assert sparkline([0, 1, 2, 4]) == " ▂▄█"
    assert sparkline([]) == ""
    assert len(sparkline(list(range(100)), 10)) == 10
    assert sparkline([3, 0, 0, 0, 0, 3], 3) == "█ █"


def test_timeline_cli_text_and_json(fixture_store, db_path, capsys):
    assert main(["--db", str(db_path), "timeline", "JNIM", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["entity_id"] == "jnim"
    assert {"date": "2017-03", "kind": "fact", "text": "founded", "entity_id": "jnim"} in doc["items"]
    assert doc["mentions_per_month"] == [{"month": "2023-03", "mentions": 2}]
    assert main(["--db", str(db_path), "timeline", "jnim"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("JNIM (jnim)") and "2023-03-14" in out and "Fuel convoy attacked" in out
    assert main(["--db", str(db_path), "timeline", "no-such-thing"]) == 1
    assert "no entry 'no-such-thing'" in capsys.readouterr().err
