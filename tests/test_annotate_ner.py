"""`annotate --candidates` with the statistical NER (issue 17); without the flag nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.ner import available, unavailable_reason
from reader.ner.pipeline import NerSpan

FIXTURE = Path(__file__).parent / "fixtures" / "gazetteer" / "small"
TEXT = ("Residents of Dialakoro said that Amadou Sangaré, a teacher, had fled to Kidal on Monday.\n\n"
        "Later Sangaré went back to Dialakoro.\n")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


@pytest.fixture()
def fake_model(monkeypatch):
    """The model proposes Dialakoro (GPE), Amadou Sangaré (PERSON) and Monday (DATE)."""
    import reader.ner.merge as merge_mod
    import reader.ner.pipeline as pipeline

    def entities(text, lang):
        out = []
        for surface, label in (("Dialakoro", "GPE"), ("Amadou Sangaré", "PERSON"), ("Monday", "DATE")):
            s = text.find(surface)
            if s >= 0:
                out.append(NerSpan(s, s + len(surface), label))
        return out

    monkeypatch.setattr(pipeline, "entities", entities)
    monkeypatch.setattr("reader.ner.available", lambda lang=None: True)
    monkeypatch.setattr("reader.ner.pipeline_module", lambda lang: "fake")
    return merge_mod


def test_without_the_flag_the_output_is_unchanged(capsys, article, fake_model):
    code, out, err = run(capsys, "annotate", str(article), "--json", "--gazetteer", str(FIXTURE))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [r["id"] for r in rows] == ["kidal"]
    assert set(rows[0]) == {"file", "start", "end", "text", "id", "name", "type", "score"}


def test_candidates_are_added_with_their_source(capsys, article, fake_model):
    code, out, err = run(capsys, "annotate", str(article), "--json", "--candidates", "--gazetteer", str(FIXTURE))
    assert code == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["text"], r["id"], r.get("candidate", False)) for r in rows] == [
        ("Dialakoro", None, True), ("Amadou Sangaré", None, True), ("Kidal", "kidal", False),
        ("Sangaré", None, True), ("Dialakoro", None, True)]
    cands = [r for r in rows if r.get("candidate")]
    assert all(r["source"] == "ner" and r["score"] == 0 for r in cands)
    assert {r["type"] for r in cands if "Sangar" in r["text"]} == {"person"}
    # one candidate: the surname alone carries the full name
    assert [r["name"] for r in cands if "Sangar" in r["text"]] == ["Amadou Sangaré", "Amadou Sangaré"]
    for r in rows:
        assert TEXT[r["start"]:r["end"]] == r["text"]
    assert "source" not in rows[2]  # a gazetteer mention is as before


def test_plain_output_marks_candidates(capsys, article, fake_model):
    code, out, _ = run(capsys, "annotate", str(article), "--candidates", "--gazetteer", str(FIXTURE))
    assert code == 0
    assert f"{article}:33-47\tAmadou Sangaré\t?\tperson\tcandidate (ner: PERSON)" in out.splitlines()


def test_without_the_extra_a_one_line_warning_and_the_mentions(capsys, article, monkeypatch):
    monkeypatch.setattr("reader.ner.available", lambda lang=None: False)
    code, out, err = run(capsys, "annotate", str(article), "--json", "--candidates", "--gazetteer", str(FIXTURE))
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["kidal"]
    assert len(err.strip().splitlines()) == 1 and "ner" in err


@pytest.mark.skipif(not available(), reason=f"the `ner` extra is not installed: {unavailable_reason()}")
def test_real_model_proposes_an_unknown_person(capsys, tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("The mayor, Ibrahim Touré Diallo, said on Friday that the convoy from Kidal had been "
                 "stopped by armed men and that the drivers were later released.\n", encoding="utf-8")
    code, out, _ = run(capsys, "annotate", str(p), "--json", "--candidates", "--gazetteer", str(FIXTURE))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert ("Ibrahim Touré Diallo", "person") in [(r["text"], r["type"]) for r in rows if r.get("candidate")]
    assert [r["id"] for r in rows if not r.get("candidate")] == ["kidal"]
