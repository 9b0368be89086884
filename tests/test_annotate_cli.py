"""`mali-reader annotate`: the output contract other tools and the benchmarks rely on."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from reader.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "gazetteer" / "small"
TEXT = "Fighters of Ansar Dine’s wing entered Tombouctou; later, MÉNAKA and Gaoua.\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def test_json_lines_with_original_offsets(capsys, article):
    code, out, err = run(capsys, "annotate", str(article), "--json", "--gazetteer", str(FIXTURE))
    assert code == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["ansar-dine", "timbuktu", "menaka", "gaoua"]
    text = article.read_text(encoding="utf-8")
    for r in rows:
        assert set(r) == {"file", "start", "end", "text", "id", "name", "type", "score"}
        assert text[r["start"]:r["end"]] == r["text"]
        assert r["file"] == str(article)
    assert rows[1] == {"file": str(article), "start": 38, "end": 48, "text": "Tombouctou", "id": "timbuktu",
                       "name": "Timbuktu", "type": "place", "score": 100.0}


def test_plain_output(capsys, article):
    code, out, _ = run(capsys, "annotate", str(article), "--gazetteer", str(FIXTURE))
    assert code == 0
    assert out.splitlines()[0] == f"{article}:12-22\tAnsar Dine\tansar-dine\tgroup\t100"


def test_stdin_and_several_files(capsys, article, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("In Kidal.".encode())))
    code, out, _ = run(capsys, "annotate", "-", str(article), "--json", "--gazetteer", str(FIXTURE))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows[0]["file"] == "-" and rows[0]["id"] == "kidal" and rows[0]["start"] == 3
    assert {r["file"] for r in rows[1:]} == {str(article)}


def test_timings(capsys, article):
    code, _, err = run(capsys, "annotate", str(article), "--timings", "--gazetteer", str(FIXTURE))
    t = json.loads(err.strip().splitlines()[-1])
    assert code == 0 and set(t) == {"build_ms", "match_ms"} and t["build_ms"] >= 0 and t["match_ms"] >= 0


def test_json_list_gazetteer(capsys, article, tmp_path):
    g = tmp_path / "names.json"
    g.write_text(json.dumps([{"id": "x-menaka", "name": "Menaka", "type": "place", "aliases": []}]))
    code, out, err = run(capsys, "annotate", str(article), "--json", "--gazetteer", str(g))
    assert code == 0 and [json.loads(x)["id"] for x in out.splitlines()] == ["x-menaka"]


def test_missing_file(capsys):
    code, out, err = run(capsys, "annotate", "/nonexistent.txt", "--gazetteer", str(FIXTURE))
    assert code == 1 and out == "" and err == "mali-reader: /nonexistent.txt: no such file; check the path\n"


def test_binary_input(capsys, tmp_path):
    p = tmp_path / "b.txt"
    p.write_bytes(b"\xff\xfe\x00junk")
    code, _, err = run(capsys, "annotate", str(p), "--gazetteer", str(FIXTURE))
    assert code == 1 and "not UTF-8" in err and err.count("\n") == 1


def test_bad_gazetteer(capsys, article, tmp_path):
    g = tmp_path / "g.toml"
    g.write_text("[x\n", encoding="utf-8")
    code, _, err = run(capsys, "annotate", str(article), "--gazetteer", str(g))
    assert code == 1 and err.startswith(f"mali-reader: {g}: invalid TOML") and err.count("\n") == 1


def test_gazetteer_errors_reported_once(capsys, article, tmp_path):
    g = tmp_path / "g.toml"
    g.write_text('[gao]\nname = "Gao"\ntype = "place"\nsummary = "x"\nparent = "nowhere"\nkind = "town"\n'
                 'lat = 1.0\nlon = 1.0\n', encoding="utf-8")
    code, _, err = run(capsys, "annotate", str(article), "--gazetteer", str(g))
    assert code == 0 and err.count("\n") == 1 and "[gao] parent 'nowhere'" in err


def test_bundled_gazetteer_default(capsys, article, monkeypatch, tmp_path):
    monkeypatch.setenv("MALI_READER_OVERLAY", str(tmp_path / "none.toml"))
    code, out, _ = run(capsys, "annotate", str(article), "--json")
    assert code == 0
    ids = {json.loads(x)["id"] for x in out.splitlines()}
    from reader.gazetteer import load_gazetteer

    bundled = load_gazetteer(overlay=False)
    assert ids <= set(bundled.entries)
    for wanted in ("timbuktu", "menaka"):
        if wanted in bundled:
            assert wanted in ids


def test_empty_file(capsys, tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    code, out, err = run(capsys, "annotate", str(p), "--json", "--gazetteer", str(FIXTURE))
    assert (code, out, err) == (0, "", "")


def test_large_file(capsys, tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(TEXT * 20_000, encoding="utf-8")  # ~1.5 MB, 240,000 words
    code, out, _ = run(capsys, "annotate", str(p), "--json", "--gazetteer", str(FIXTURE))
    rows = out.splitlines()
    assert code == 0 and len(rows) == 80_000
    last = json.loads(rows[-1])
    assert p.read_text(encoding="utf-8")[last["start"]:last["end"]] == "Gaoua"
