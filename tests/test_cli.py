import json
import subprocess
import sys

import pytest

from reader.cli import main
from reader.importers.save import store_article


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True,
                          env=env, timeout=60)


def test_version_and_help_do_not_import_textual():
    code = ("import sys\nfrom reader.cli import main\n"
            "for argv in (['--version'], ['--help'], ['search', '--help']):\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            "assert 'textual' not in sys.modules, 'textual imported'\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "mali-reader" in r.stdout


def test_unknown_option_is_a_usage_error():
    r = run("--frobnicate")
    assert r.returncode == 2
    assert "usage:" in r.stderr


def test_articles_json_lists_the_library(capsys, fixture_store, db_path):
    assert main(["articles", "--json", "--db", str(db_path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["id"] for r in rows} == {"gao-convoy", "kidal-notes", "zz-long-report"}
    assert {"id", "title", "date", "source", "path", "url", "words"} <= set(rows[0])
    assert rows[0]["id"] == "kidal-notes"  # newest first
    stored = dict(fixture_store.conn.execute("SELECT id, path FROM articles"))
    assert {r["id"]: r["path"] for r in rows} == stored and all(stored.values())


def test_show_prints_plain_text_when_piped(capsys, fixture_store, db_path):
    assert main(["show", "kidal-notes", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The Malian army")


def test_show_unknown_id_is_one_line_error(capsys, fixture_store, db_path):
    assert main(["show", "nope", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("mali-reader: no article") and "\n" not in err


def test_corrupt_database_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 100)
    r = run("articles", "--db", str(bad))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and str(bad) in r.stderr and "Traceback" not in r.stderr
    assert bad.read_bytes() == b"garbage" * 100


def test_file_argument_must_exist():
    r = run("no-such-file.md")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_app_refuses_without_a_terminal(tmp_path):
    r = run("--db", str(tmp_path / "x.db"))
    assert r.returncode == 2 and "needs a terminal" in r.stderr


@pytest.mark.parametrize("module", ["reader.cli"])
def test_python_dash_m_works(module):
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("mali-reader ")


def test_db_option_before_or_after_the_verb(capsys, tmp_path):
    from reader.articles import Article
    from reader.store import Store

    other = tmp_path / "other.db"  # not $MALI_READER_DB
    s = Store.open(other)
    s.set_setting("samples_imported", "test")
    store_article(s, Article(id="only-here", title="Only here", body="Text."))
    s.close()
    assert main(["--db", str(other), "articles"]) == 0
    before = capsys.readouterr().out
    assert main(["articles", "--db", str(other)]) == 0
    assert capsys.readouterr().out == before and before.startswith("only-here")


def test_db_before_a_file_opens_the_file(tmp_path):
    f = tmp_path / "report.md"
    f.write_text("# A report\n\nText about Gao.", "utf-8")
    r = run("--db", str(tmp_path / "x.db"), str(f))
    assert r.returncode == 2 and "needs a terminal" in r.stderr  # FILE was taken as a file, not a verb
    assert "invalid choice" not in r.stderr


def test_search_query_may_start_with_a_dash(capsys, fixture_store, db_path):
    from reader.notes import NoteStore

    NoteStore(fixture_store).add("gao-convoy", "fuel convoy note", quote="JNIM")
    NoteStore(fixture_store).add("gao-convoy", "ambush and fuel", quote="JNIM")
    assert main(["--db", str(db_path), "search", "fuel", "-ambush", "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["body"] for o in out if o["kind"] == "note"] == ["fuel convoy note"]
    assert main(["--db", str(db_path), "search", "-ambush", "--limit", "5"]) == 0


def test_empty_results_are_said_on_stderr(capsys, fixture_store, db_path):
    assert main(["--db", str(db_path), "search", "nothing-like-this"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "nothing matches" in captured.err
    assert main(["--db", str(db_path), "orphans"]) == 0
    assert "no orphaned notes" in capsys.readouterr().err


def test_debug_keeps_the_exit_code(tmp_path):
    plain = run("no-such-file.md")
    debug = run("--debug", "no-such-file.md")
    assert plain.returncode == debug.returncode == 2
    assert "Traceback" in debug.stderr and "Traceback" not in plain.stderr


def test_import_dash_reads_standard_input(tmp_path):
    db = tmp_path / "x.db"
    text = "---\ntitle: From a pipe\n---\nFighting near Gao was reported again.\n"
    r = subprocess.run([sys.executable, "-m", "reader", "--db", str(db), "import", "-", "--json"],
                       input=text, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["status"] == "imported" and lines[0]["article_id"] == "from-a-pipe"
    again = subprocess.run([sys.executable, "-m", "reader", "--db", str(db), "import", "-"],
                           input=text, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "unchanged" in again.stdout  # same text: no copy
