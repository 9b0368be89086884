"""Markdown structure kept beside the plain body: spans land on exactly the right characters,
are stored and read back, and importing again never changes the body or adds a version."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader import versions
from reader.articles import markdown_to_text, read_article_file, samples_dir
from reader.importers import import_sources
from reader.importers.files import text_article
from reader.structure import Span, markdown_spans, spans_from_json, spans_to_json

MD = """# A report from Ménaka

Fighters *entered* the town at **dawn on Tuesday**, said [a local official](https://example.org/ménaka).
- the market was closed
- schools stayed shut for *three* days
> We heard the engines before sunrise
> and then nothing

1. first point
## What happened next ##
Talks resumed on Friday.
"""


def kinds(article) -> list[tuple[str, str, str]]:
    return [(s.kind, article.body[s.start:s.end], s.value) for s in article.spans]


def test_spans_cover_exactly_the_characters_the_markdown_marked():
    a = text_article(MD, "report.md")
    assert a.title == "A report from Ménaka"
    assert a.body == markdown_to_text(MD).partition("\n\n")[2]  # the title line is not the body
    assert kinds(a) == [
        ("em", "entered", ""),
        ("strong", "dawn on Tuesday", ""),
        ("link", "a local official", "https://example.org/ménaka"),
        ("item", "- the market was closed", ""),
        ("marker", "-", ""),
        ("item", "- schools stayed shut for three days", ""),
        ("marker", "-", ""),
        ("em", "three", ""),
        ("quote", "> We heard the engines before sunrise", ""),
        ("marker", ">", ""),
        ("quote", "> and then nothing", ""),
        ("marker", ">", ""),
        ("item", "1. first point", ""),
        ("heading", "What happened next", "2"),
    ]


def test_every_sample_has_its_headings_and_an_unchanged_body():
    for path in sorted(samples_dir().glob("*.md")):
        a = read_article_file(path)
        headings = [a.body[s.start:s.end] for s in a.spans if s.kind == "heading"]
        source = [ln.lstrip("#").strip() for ln in path.read_text().splitlines() if ln.startswith("## ")]
        assert headings == source, path.name


def test_a_body_not_made_from_the_source_gets_no_spans_rather_than_wrong_ones():
    assert markdown_spans("# Title\n\nSome *text*.", "Title\n\nOther text.") == []


def test_spans_round_trip_through_json_and_junk_is_dropped():
    spans = [Span(0, 4, "heading", "1"), Span(6, 9, "link", "https://x.org/?a=[1]")]
    assert spans_from_json(spans_to_json(spans)) == spans
    assert spans_from_json('[[5, 2, "em", ""], [0, 1, "blink", ""], "x", [0, 3, "em", ""]]') == [Span(0, 3, "em")]
    assert spans_from_json("not json") == [] and spans_from_json(None) == []


line = st.one_of(
    st.text(alphabet="ab *_#>-[]()1.\u00e9 ", max_size=30),
    st.sampled_from(["# Head", "## Sub *x* ##", "- item **b**", "> quote", "[l](h) *e*", "", "1. one"]),
)


@given(st.lists(line, max_size=12))
def test_spans_always_lie_inside_the_body_on_non_blank_text(lines):
    md = "\n".join(lines)
    body = markdown_to_text(md)
    spans = markdown_spans(md, body)
    for s in spans:
        assert 0 <= s.start < s.end <= len(body)
        text = body[s.start:s.end]
        assert text == text.strip() and "\n\n" not in text


def test_spans_are_stored_and_a_reimport_adds_no_version(tmp_path, store):
    src = tmp_path / "report.md"
    src.write_text(MD, encoding="utf-8")
    import_sources(store, [src])
    (article_id,) = store.article_ids()
    stored = store.article(article_id)
    assert kinds(stored) == kinds(text_article(MD, "report.md"))
    body_before = stored.body
    # an article stored before spans existed (as after the migration): re-importing fills them in
    store.conn.execute("UPDATE articles SET spans = '[]' WHERE id = ?", (article_id,))
    assert store.article(article_id).spans == []
    import_sources(store, [src])
    again = store.article(article_id)
    assert again.body == body_before
    assert kinds(again) == kinds(stored)
    assert len(versions.versions(store.conn, article_id)) == 1


def test_a_title_line_running_into_its_paragraph_is_a_heading_but_a_wrapped_line_is_not():
    titled = text_article("Water trucks return to Kidal\nDrivers who carry water between Gao and Kidal say "
                          "the road has been quieter.\n", "water.txt")
    assert titled.title == "Water trucks return to Kidal"
    assert kinds(titled) == [("heading", "Water trucks return to Kidal", "1")]
    assert titled.body.startswith("Water trucks return to Kidal Drivers")  # the text is unchanged
    wrapped = text_article("Drivers who carry water and fuel between Gao and Kidal say that\n"
                           "the road has been quieter this month, although nobody calls it\n"
                           "safe.\n", "wrapped.txt")
    assert wrapped.spans == []  # its first line is not hidden as a title: it is half a sentence
