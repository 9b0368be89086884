"""Importing local files: formats, bad input, deduplication, updates and the CLI summary."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.commands.importing import ProgressPrinter
from reader.importers import ImportOptions, import_sources
from reader.importers.html import extract_page
from reader.articles import ArticleError

FIXTURES = Path(__file__).parent / "fixtures" / "import"
MIXED = FIXTURES / "mixed"
BAD = FIXTURES / "bad"


def by_title(store):
    return {a.title: store.article(a.id) for a in store.articles()}


def test_mixed_folder_imports_good_files_and_explains_the_rest(store):
    report = import_sources(store, [MIXED])
    assert report.count("imported") == 9
    assert report.count("subscribed") == 2
    reasons = sorted(i.reason for i in report.skipped)
    assert reasons == sorted([
        f"{MIXED / 'empty.txt'}: empty file",
        f"{MIXED / 'photo.png'}: a PNG image, not text",
        f"{MIXED / 'scan.txt'}: a PDF file; convert it to text first (e.g. pdftotext) and import the .txt",
        f"{MIXED / 'subscriptions.opml'}: feed URL 'ftp://old.example.com/feed.xml' is not an http(s) URL; "
        "not subscribed",
    ])
    titles = by_title(store)
    md = titles["A clinic in Ménaka keeps its doors open"]
    assert (md.date, md.place, md.tags) == ("2024-03-02", "Ménaka, Mali", ["menaka", "health"])
    assert md.id == "a-clinic-in-menaka-keeps-its-doors-open"
    txt = titles["Water trucks return to the Kidal road"]
    assert txt.body.startswith("Drivers who carry water")  # the title line is not repeated
    atom = titles["Rains arrive late in Mopti"]
    assert atom.date == "2024-06-01" and atom.author == "Desk Reporter"
    assert "sown again" in atom.body  # full content, not the summary
    summary_only = titles["Ferry service resumes on the river"]
    assert summary_only.body.endswith("Full story: https://news.example.org/2024/06/ferry-resumes")
    rss2 = titles["Schools reopen in Douentza"]
    assert rss2.date == "2024-09-16" and "alert" not in rss2.body and "fewer than half" in rss2.body
    assert titles["A community radio station goes back on air"].date == "2023-11-20"  # RSS 1.0
    feeds = store.conn.execute("SELECT url, title FROM feeds ORDER BY url").fetchall()
    assert feeds == [("http://wire.example.net/rss", "Bamako Wire"), ("https://news.example.org/feed.xml", "Sahel Desk")]


def test_invalid_utf8_is_decoded_with_a_note(store):
    report = import_sources(store, [MIXED / "segou-cp1252.txt"])
    [item] = report.items
    assert item.status == "imported"
    assert item.note.startswith("not valid UTF-8 (first bad byte at offset 12); decoded as Windows-1252")
    assert "pêcheurs de Ségou" in store.article(item.article_id).body


def test_bad_inputs_each_give_one_line(store):
    report = import_sources(store, [BAD, MIXED / "kidal-water.txt"])
    assert report.count("imported") == 2  # the good text file and the (hostile) feed item
    reasons = {Path(i.source).name: i.reason for i in report.skipped}
    assert reasons["malformed.xml"].endswith("not a readable feed (<unknown>:4:0: no element found)")
    assert "no article text found in the page" in reasons["no-article.html"]
    assert reasons["unclosed-front-matter.md"].endswith("front matter opened with '---' is never closed")
    assert reasons["whitespace.md"].endswith("empty file (only whitespace)")
    assert all("\n" not in r and r.startswith(str(BAD)) for r in reasons.values())


def test_hostile_feed_titles_are_sanitised(store):
    report = import_sources(store, [BAD / "hostile.rss"])
    [item] = [i for i in report.items if i.status == "imported"]
    article = store.article(item.article_id)
    for text in (article.title, article.body, article.source):
        assert "\x1b" not in text and "\x07" not in text
    assert article.title == "[link=https://evil.example/]Click[/link] Escaped title red"  # markup kept as text
    assert article.source == "[bold red]Hostile[/] feed"
    assert "[reverse]markup[/reverse]" in article.body
    assert "\x1b" not in item.line()


def test_fifty_megabyte_text_file_is_refused_quickly(store, tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "w") as fh:
        line = "Les convois partent de Gao tôt le matin et roulent ensemble vers le nord.\n"
        fh.write(line * (50 * 1024 * 1024 // len(line.encode()) + 1))
    report = import_sources(store, [huge, MIXED / "kidal-water.txt"])
    assert report.skipped[0].reason == (f"{huge}: too large (50.0 MB; the limit for this kind of file is "
                                        "5.0 MB); split it into smaller files")
    assert report.count("imported") == 1


def test_size_cap_is_an_option(store, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Short title\n\n" + "word " * 400)
    report = import_sources(store, [f], options=ImportOptions(max_text_bytes=1000))
    assert "too large" in report.skipped[0].reason


def test_missing_paths_globs_and_urls(store, tmp_path):
    report = import_sources(store, [tmp_path / "nope.md", str(MIXED / "*.md"), str(tmp_path / "*.zz"),
                                    "file:///etc/passwd"])
    statuses = [(i.status, i.reason.split(": ", 1)[-1]) for i in report.items]
    assert statuses[0] == ("skipped", "no such file or folder (URLs must start with http:// or https://)")
    assert statuses[1][0] == "imported"
    assert statuses[2] == ("skipped", "no files match this pattern")
    assert statuses[3] == ("skipped", "only http:// and https:// URLs can be imported")


def test_reimport_of_a_changed_file_updates_it_and_keeps_notes(store, tmp_path):
    from reader.notes import NoteStore

    f = tmp_path / "report.md"
    f.write_text("---\ntitle: Convoy report\ndate: 2024-02-01\n---\nFirst paragraph about the convoy.\n\n"
                 "The drivers waited two days at the checkpoint near the river.\n")
    [first] = import_sources(store, [f]).items
    assert first.status == "imported"
    notes = NoteStore(store)
    note = notes.add(first.article_id, "keep me", quote="waited two days at the checkpoint")
    assert [i.status for i in import_sources(store, [f]).items] == ["unchanged"]
    f.write_text("---\ntitle: Convoy report\ndate: 2024-02-01\n---\nA new opening paragraph was added.\n\n"
                 "First paragraph about the convoy.\n\n"
                 "The drivers waited two days at the checkpoint near the river.\n")
    [again] = import_sources(store, [f], tags=["convoys"]).items
    assert again.status == "updated" and again.article_id == first.article_id
    assert again.note == "1 note moved"
    body = store.article(first.article_id).body
    moved = notes.get(note.id)
    assert moved.status == "anchored" and body[moved.start:moved.end] == "waited two days at the checkpoint"
    assert store.article(first.article_id).tags == ["convoys"]
    assert len(store.articles()) == 1


def test_a_copy_of_an_article_is_skipped_by_content_hash(store, tmp_path):
    a = tmp_path / "a.txt"
    shutil.copy(MIXED / "kidal-water.txt", a)
    shutil.copy(MIXED / "kidal-water.txt", tmp_path / "b.txt")
    report = import_sources(store, [a, tmp_path / "b.txt"])
    assert [i.status for i in report.items] == ["imported", "skipped"]
    assert report.items[1].reason == f"{tmp_path / 'b.txt'}: same text as '{report.items[0].article_id}' already in the library"


def test_title_collisions_get_unique_ids(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("one.txt", "two.txt"):
        (folder / name).write_text(f"Same headline\n\nDifferent text in {name}, long enough to be an article.\n")
    report = import_sources(store, [folder])
    assert [i.article_id for i in report.items] == ["same-headline", "same-headline-2"]


def test_html_fallback_without_trafilatura_drops_chrome():
    html = (MIXED / "sahel-page.html").read_text()
    page = extract_page(html, name="page", extractor="basic")
    assert page.extractor == "basic"
    assert (page.title, page.date, page.author) == ("Herders move south early as pastures dry out", "2024-05-14",
                                                    "Aminata Test")
    for chrome in ("NAVCHROME", "HEADERCHROME", "FOOTERCHROME", "ASIDECHROME", "NAVSCRIPT", "color: red"):
        assert chrome not in page.body
    assert "inland delta" in page.body and "travel by night" in page.body
    with pytest.raises(ArticleError, match="no article text found"):
        extract_page((BAD / "no-article.html").read_text(), name="x", extractor="basic")


def test_auto_extraction_works_without_trafilatura(store, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import now raises ImportError
    [item] = import_sources(store, [MIXED / "sahel-page.html"]).items
    article = store.article(item.article_id)
    assert item.status == "imported" and article.date == "2024-05-14"
    assert "NAVCHROME" not in article.body and "travel by night" in article.body


def test_progress_callback_reaches_the_total(store):
    events = []
    import_sources(store, [MIXED], progress=events.append)
    assert events[-1].done == events[-1].total > 0
    assert [e.done for e in events] == sorted(e.done for e in events)
    assert sum(1 for e in events if e.item) == 15


def test_stop_cancels_between_items(store):
    report = import_sources(store, [MIXED], stop=lambda: True)
    assert report.cancelled and report.items == []


def test_progress_bar_and_summary_on_a_terminal(store):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    out, err = io.StringIO(), Tty()
    printer = ProgressPrinter(as_json=False, out=out, err=err)
    code = printer.finish(import_sources(store, [MIXED / "kidal-water.txt", MIXED / "empty.txt"], progress=printer))
    bar = err.getvalue()
    assert "[############------------] 1/2" in bar and "[########################] 2/2" in bar
    assert bar.endswith("\r")  # the bar is wiped before the summary
    lines = out.getvalue().splitlines()
    assert lines[-1] == "imported 1, updated 0, skipped 1"
    assert f"  {MIXED / 'empty.txt'}: empty file" in lines
    assert code == 1


def test_cli_json_lines_and_no_bar_when_piped(capsys, db_path):
    code = main(["import", str(MIXED / "kidal-water.txt"), str(MIXED / "empty.txt"), "--json", "--db", str(db_path)])
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r.get("status") for r in rows[:2]] == ["imported", "skipped"]
    assert rows[-1]["summary"] is True and rows[-1]["imported"] == 1 and rows[-1]["skipped"] == 1
    assert captured.err == "" and code == 1


def test_cli_import_with_nothing_wrong_exits_zero(capsys, db_path):
    assert main(["import", str(MIXED / "kidal-water.txt"), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "imported 1, updated 0, skipped 0"


def _numbered_files(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"f{i:02d}.md").write_text(f"---\ntitle: Report {i}\n---\n\nText of report number {i}.\n",
                                             encoding="utf-8")


def test_interrupted_import_keeps_exactly_the_files_it_reported(store, tmp_path):
    # files share a transaction per batch; an interruption must still commit the whole files
    # already reported imported, and nothing of the file it was working on
    _numbered_files(tmp_path / "in", 12)
    reported = []

    def progress(event):
        if event.item is not None:
            reported.append(event.item.article_id)
            if len(reported) == 7:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_sources(store, [tmp_path / "in"], progress=progress)
    assert sorted(store.article_ids()) == sorted(reported)
    assert len(reported) == 7


def test_a_bad_file_in_a_batch_leaves_the_others(store, tmp_path):
    _numbered_files(tmp_path / "in", 6)
    (tmp_path / "in" / "f03.md").write_text("---\ntitle: never closed\n\nText.\n", encoding="utf-8")
    report = import_sources(store, [tmp_path / "in"])
    assert report.count("imported") == 5
    assert [i.reason for i in report.skipped] == [
        f"{tmp_path / 'in' / 'f03.md'}: front matter opened with '---' is never closed"]
    assert len(store.article_ids()) == 5
