"""The real-reporting scorer (bench/eval/real.py) on an invented two-document set.

The texts below are our own sentences; the real set lives outside the repository.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("eval_real", ROOT / "bench" / "eval" / "real.py")
real = importlib.util.module_from_spec(_spec)
sys.modules["eval_real"] = real  # dataclasses look their module up while building
_spec.loader.exec_module(real)

EN = "Fighters of Katiba Macina attacked Moura in the Mopti region."
FR = "Le Jnim a frappé Kayes."
GOLD = [("01-en", EN, "Katiba Macina", "group"), ("01-en", EN, "Moura", "place"),
        ("01-en", EN, "Mopti region", "place"), ("02-fr", FR, "Jnim", "group"), ("02-fr", FR, "Kayes", "place")]


def _span(text: str, surface: str, typ: str | None) -> tuple:
    start = text.index(surface)
    return (start, start + len(surface), typ)


def make_set(folder: Path) -> Path:
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "01-en.txt").write_text(EN, encoding="utf-8")
    (folder / "texts" / "02-fr.txt").write_text(FR, encoding="utf-8")
    (folder / "sources.jsonl").write_text(
        json.dumps({"doc": "01-en", "lang": "en", "url": "invented"}) + "\n"
        + json.dumps({"doc": "02-fr", "lang": "fr", "url": "invented"}) + "\n", encoding="utf-8")
    rows = []
    for doc, text, surface, typ in GOLD:
        s, e, _ = _span(text, surface, typ)
        rows.append(json.dumps({"doc": doc, "start": s, "end": e, "text": surface, "type": typ}))
    (folder / "gold.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def fake_predict(text: str, lang: str) -> list:
    """Exact Katiba Macina, "Mopti" inside the gold "Mopti region", a false "Fighters";
    Kayes exact but typed org; Moura and Jnim missed."""
    if lang == "en":
        return [_span(text, "Katiba Macina", "group"), _span(text, "Mopti", "place"),
                _span(text, "Fighters", "person")]
    return [_span(text, "Kayes", "org")]


def test_overlap_strict_per_type_and_errors(tmp_path):
    docs = real.load_set(make_set(tmp_path))
    assert [(d.name, d.lang, len(d.gold)) for d in docs] == [("01-en", "en", 3), ("02-fr", "fr", 2)]
    predict = real.load_predictor(f"{__name__}:fake_predict")
    r = real.score(docs, predict)

    o, s = r.overlap["all"], r.strict["all"]
    assert (o.pred, o.pred_ok, o.gold, o.gold_ok) == (4, 3, 5, 3)  # "Mopti" overlaps "Mopti region"
    assert (s.pred, s.pred_ok, s.gold, s.gold_ok) == (4, 2, 5, 2)  # …but is not its exact span
    assert o.precision == pytest.approx(0.75) and o.recall == pytest.approx(0.6)
    assert o.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)

    assert (r.overlap["en"].gold_ok, r.overlap["en"].pred_ok) == (2, 2)
    assert (r.overlap["fr"].gold, r.overlap["fr"].gold_ok, r.overlap["fr"].pred_ok) == (2, 1, 1)

    assert r.overlap["type:group"].recall == pytest.approx(0.5)  # Jnim missed
    assert r.overlap["type:place"].gold_ok == 2 and r.strict["type:place"].gold_ok == 1
    assert r.overlap["type:person"].precision == 0.0  # the false "Fighters"
    assert r.overlap["type:org"].precision == 1.0  # typed wrong, found all the same
    assert (r.typed_agree, r.typed_pairs) == (2, 3)

    assert sorted(m.split("[")[1].split("]")[0] for m in r.misses) == ["Jnim", "Moura"]
    assert len(r.false) == 1 and "[Fighters]" in r.false[0] and r.false[0].startswith("01-en: person")


def test_merge_keeps_the_gazetteer_span(tmp_path):
    moura, mopti = _span(EN, "Moura", "place"), _span(EN, "Mopti", "place")
    longer = _span(EN, "the Mopti region", "place")

    def gaz(text, lang):
        return [real.Span(*mopti)]

    def ner(text, lang):  # "the Mopti region" overlaps the gazetteer's "Mopti": dropped
        return [real.Span(*longer), real.Span(*moura)]

    out = real.merged([gaz], ner)(EN, "en")
    assert out == [real.Span(*moura), real.Span(*mopti)]


def test_labels_and_shapes_of_predictions():
    class Ent:  # what a spaCy span looks like to the scorer
        def __init__(self, start, end, label_):
            self.start_char, self.start, self.end, self.label_ = start, start, end, label_

    assert real._as_span(Ent(0, 4, "GPE")) == real.Span(0, 4, "place")
    assert real._as_span(Ent(0, 4, "NORP")) is None  # demonyms are not names of ours
    assert real._as_span({"start": 1, "end": 3, "label": "PER"}) == real.Span(1, 3, "person")
    assert real._as_span((2, 5)) == real.Span(2, 5, None)


def test_bad_gold_offsets_name_the_line(tmp_path):
    folder = make_set(tmp_path)
    rows = (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    bad = json.loads(rows[1]) | {"start": 0}
    rows[1] = json.dumps(bad)
    (folder / "gold.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(real.EvalSetError, match=r"gold\.jsonl:2: 01-en\[0:"):
        real.load_set(folder)


def test_main_skips_without_a_set(monkeypatch, capsys):
    monkeypatch.delenv(real.ENV, raising=False)
    assert real.main([]) == 0
    assert capsys.readouterr().out.startswith("skipped: no real evaluation set")


def test_main_scores_the_matcher_and_a_predictor(tmp_path, capsys, monkeypatch):
    folder = make_set(tmp_path / "set")
    monkeypatch.setenv(real.ENV, str(folder))
    assert real.main(["--with-candidates", "--predictor", f"{__name__}:fake_predict", "--errors", "fake_predict"]) == 0
    out = capsys.readouterr().out
    assert "2 documents (en 1, fr 1)" in out and "5 gold mentions (group 2, place 3" in out
    assert "### gazetteer" in out and "### fake_predict" in out and "+fake_predict" in out
    assert "| all | 5 | 4 | 0.750 | 0.600 |" in out  # the predictor's row, as computed above
    assert "misses of fake_predict (2):" in out and "false positives of fake_predict (1):" in out


def test_guess_lang():
    assert real.guess_lang("Les habitants de la ville ont fui vers le sud et la capitale.") == "fr"
    assert real.guess_lang("The army said that the convoy was attacked on the road.") == "en"


def test_capitalised_runs_baseline():
    from bench.eval.baselines import capitalised_runs

    text = ("The Battle of Tinzaouaten pitted the CSP-PSD against FAMa. Selon RFI, la région de Ménaka "
            "reste sous pression. President GOÏTA spoke.")
    assert [text[s:e] for s, e in capitalised_runs(text, "en")] == [
        "Battle of Tinzaouaten", "CSP-PSD", "FAMa", "RFI", "Ménaka", "GOÏTA"]
