from pathlib import Path

import pytest

from reader.articles import (
    ArticleError,
    article_from_markdown,
    load_samples,
    markdown_to_text,
    read_article_file,
    samples_dir,
    split_paragraphs,
)


def test_front_matter_fields():
    a = article_from_markdown(
        "---\ntitle: T\ndate: 2012-03-22\nplace: Bamako, Mali\ntags: [coup, Bamako]\nsummary: S\n---\nBody one.\n\nBody two.\n",
        "x.md")
    assert (a.title, a.date, a.place, a.summary, a.tags) == ("T", "2012-03-22", "Bamako, Mali", "S", ["coup", "bamako"])
    assert a.body == "Body one.\n\nBody two."


def test_no_front_matter_uses_first_line_as_title():
    a = article_from_markdown("Just a text\nwith lines.\n\nSecond paragraph.", "n.txt")
    assert a.title == "Just a text with lines."
    assert a.body == "Just a text with lines.\n\nSecond paragraph."


@pytest.mark.parametrize("text, message", [
    ("---\ntitle: T\nno colon here\n---\nBody", "line 3"),
    ("---\ntitle: T\nBody without closing", "never closed"),
    ("---\ntitle: T\ndate: 22/03/2012\n---\nBody", "not YYYY-MM-DD"),
    ("---\ntitle: T\ndate: 2012-02-30\n---\nBody", "not a real date"),
    ("---\ntitle: T\n---\n\n   \n", "no text"),
])
def test_malformed_front_matter_names_file(text, message):
    with pytest.raises(ArticleError) as err:
        article_from_markdown(text, "bad/file.md")
    assert "bad/file.md" in str(err.value) and message in str(err.value)
    assert "\n" not in str(err.value)


def test_markdown_is_reduced_to_plain_paragraphs():
    md = "## Heading\n\nSome **bold** and *emphasis* with a [link](http://x).\nSame paragraph."
    assert markdown_to_text(md) == "Heading\n\nSome bold and emphasis with a link. Same paragraph."


def test_split_paragraphs_offsets():
    body = "One.\n\nTwo two.\n\nThree."
    assert [(s, body[s:s + len(t)]) for s, t in split_paragraphs(body)] == [(0, "One."), (6, "Two two."), (16, "Three.")]


def test_binary_and_undecodable_files(tmp_path: Path):
    binary = tmp_path / "x.md"
    binary.write_bytes(b"\x89PNG\x00\x00data")
    with pytest.raises(ArticleError, match="binary"):
        read_article_file(binary)
    latin = tmp_path / "y.txt"
    latin.write_bytes("Ségou et Mopti".encode("cp1252"))
    assert "Ségou" in read_article_file(latin).body


def test_hostile_text_is_sanitised_on_entry():
    a = article_from_markdown("---\ntitle: \x1b[2J[bold]T[/bold]\x07\n---\nA \x1b]0;pwned\x07 b\x00c [@click=app.quit]x[/]", "h.md")
    assert a.title == "[bold]T[/bold]"
    assert "\x1b" not in a.body and "\x00" not in a.body and "[@click=app.quit]x[/]" in a.body


# -- the bundled samples -------------------------------------------------------------

def test_bundled_samples_all_parse_and_meet_the_brief():
    articles, errors = load_samples()
    assert errors == []
    assert len(articles) >= 15, f"only {len(articles)} samples"
    long_docs = [a for a in articles if a.words >= 10_000]
    assert long_docs, "one long document (>= 10,000 words) is needed"
    for a in articles:
        assert a.title and a.date and a.place and a.summary and a.tags, a.id
        assert "written for" in a.body.lower() or a is long_docs[0], a.id
        if a not in long_docs:
            assert 300 <= a.words <= 1500, (a.id, a.words)
    text = (samples_dir() / "..").resolve()
    assert text.exists()


def test_samples_state_they_are_summaries_written_for_the_project():
    for path in sorted(samples_dir().glob("*.md")):
        head = path.read_text("utf-8").split("---")[1]
        assert "written for the mali-reader project" in head, path.name


def test_a_malformed_sample_is_skipped_with_one_line_naming_the_file(tmp_path: Path):
    (tmp_path / "good.md").write_text("---\ntitle: Good\ndate: 2020-01-01\n---\nText.", "utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: Bad\ndate: someday\n---\nText.", "utf-8")
    articles, errors = load_samples(tmp_path)
    assert [a.id for a in articles] == ["good"]
    assert len(errors) == 1 and "bad.md" in errors[0] and "\n" not in errors[0]
