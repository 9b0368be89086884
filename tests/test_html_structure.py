"""HTML structure beside the plain body: headings, emphasis, links, list items and quotes of a
page or a feed item land on exactly their characters, the body is the text stored before
spans existed, and hostile or broken HTML gives no wrong spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import versions
from reader.importers import import_sources
from reader.importers.feeds import parse_feed
from reader.importers.html import extract_page, html_to_text, html_to_text_and_spans
from reader.notes import NoteStore

FILLER = ("Officials in the region said that more than twenty families had left the villages "
          "along the river road during the week, and that the market would stay closed.")

PAGE = f"""<!doctype html><html><head><title>Attack near Gao</title>
<meta name="author" content="A. Reporter"></head><body>
<nav><a href="/">Home</a> <b>Menu</b></nav>
<article><h1>Attack near Gao</h1>
<p>Fighters <em>entered</em> the town at <b>dawn on
   Tuesday</b>, said <a href="https://example.org/official">a local   official</a>.</p>
<h2>What people saw</h2>
<ul><li>the market was <strong>closed</strong><li>schools stayed shut for <i>three</i> days</ul>
<blockquote><p>We heard the engines before sunrise</p><p>and then nothing</p></blockquote>
<p>{FILLER}</p>
</article><footer><em>Copyright</em></footer></body></html>"""

BODY = ("Fighters entered the town at dawn on Tuesday, said a local official.\n\n"
        "What people saw\n\n"
        "the market was closed\n\n"
        "schools stayed shut for three days\n\n"
        "We heard the engines before sunrise\n\n"
        "and then nothing\n\n" + FILLER)


def kinds(body, spans) -> list[tuple[str, str, str]]:
    return [(s.kind, body[s.start:s.end], s.value) for s in spans]


def test_a_page_gets_the_spans_of_its_tags_and_the_body_it_always_had():
    page = extract_page(PAGE, name="gao.html", extractor="basic")
    assert page.title == "Attack near Gao"
    assert page.body == BODY  # the title's <h1> is not repeated as the first paragraph
    assert kinds(page.body, page.spans) == [
        ("em", "entered", ""),
        ("strong", "dawn on Tuesday", ""),
        ("link", "a local official", "https://example.org/official"),
        ("heading", "What people saw", "2"),
        ("item", "the market was closed", ""),
        ("strong", "closed", ""),
        ("item", "schools stayed shut for three days", ""),
        ("em", "three", ""),
        ("quote", "We heard the engines before sunrise", ""),
        ("quote", "and then nothing", ""),
    ]


def test_trafilatura_bodies_get_the_spans_of_the_paragraphs_they_share():
    pytest.importorskip("trafilatura")
    page = extract_page(PAGE, name="gao.html", extractor="trafilatura")
    assert page.extractor == "trafilatura"
    found = kinds(page.body, page.spans)
    for span in found:  # every span is on the text its tag held, whatever trafilatura kept
        assert span in [
            ("em", "entered", ""), ("strong", "dawn on Tuesday", ""),
            ("link", "a local official", "https://example.org/official"), ("heading", "What people saw", "2"),
            ("item", "- the market was closed", ""), ("marker", "-", ""), ("strong", "closed", ""),
            ("item", "- schools stayed shut for three days", ""), ("em", "three", ""),
            ("quote", "We heard the engines before sunrise", ""), ("quote", "and then nothing", "")]
    assert ("heading", "What people saw", "2") in found
    assert ("em", "three", "") in found


def test_hostile_text_stays_text_and_broken_nesting_never_misplaces_a_span():
    fragment = ("<p>[bold]not markup[/bold] <b>strong [red]x[/red]</b> \x1b[31mred\x1b[0m "
                "<i>a <b>b</i> c</b> <em>never closed<p><a href='[link=evil]'>l</a>"
                "<ul><li>one<li>two</ul><h1>one<h2>two</p>")
    text, spans = html_to_text_and_spans(fragment)
    assert text == html_to_text(fragment)
    assert "\x1b" not in text and "[bold]not markup[/bold]" in text
    assert kinds(text, spans) == [
        ("strong", "strong [red]x[/red]", ""),
        ("em", "a b", ""),  # </i> closes the <b> opened inside it too
        ("strong", "b", ""),
        ("em", "never closed", ""),  # closed where the fragment ends, cut at its paragraph
        ("em", "l", ""),
        ("link", "l", "[link=evil]"),
        ("em", "one", ""), ("item", "one", ""),  # a new <li> closes the last one
        ("em", "two", ""), ("item", "two", ""),
        ("heading", "one", "1"), ("em", "one", ""),  # and a new heading the open heading
        ("heading", "two", "2"), ("em", "two", ""),
    ]


def test_an_escape_sequence_straddling_a_tag_gives_no_spans_and_the_same_body():
    # sanitised whole, "\x1b" + "[1m" is one escape; cut at the tag it would be two pieces
    fragment = "<p>before \x1b<b>[1mbold</b> after</p><p>Second <em>paragraph</em>.</p>"
    text, spans = html_to_text_and_spans(fragment)
    assert text == html_to_text(fragment) == "before bold after\n\nSecond paragraph."
    assert spans == []


def test_a_combining_accent_after_a_tag_composes_as_before():
    fragment = "<p>Me\u0301<b>\u0301naka</b> and <i>Gao</i></p>"  # composes only across the tag
    text, spans = html_to_text_and_spans(fragment)
    assert text == html_to_text(fragment)
    for s in spans:
        assert text[s.start:s.end] in ("Gao", "\u0301naka")


WORDS = st.sampled_from(["Gao", "Kidal", "[bold]", "Ménaka", "a", "b\u0301", "\x1b[2J", "x\u200by",
                         "&amp;", "&lt;i&gt;", "  ", "\n", "\t"])
TAGS = st.sampled_from(["b", "strong", "em", "i", "a", "li", "blockquote", "h1", "h3", "p", "div", "ul",
                        "script", "nav", "br"])


@st.composite
def fragments(draw):
    parts = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["open", "close", "text", "text"]))
        if kind == "text":
            parts.append(" ".join(draw(st.lists(WORDS, max_size=4))))
        else:
            tag = draw(TAGS)
            attrs = ' href="https://x.org/[a]"' if tag == "a" and kind == "open" else ""
            parts.append(f"<{tag}{attrs}>" if kind == "open" else f"</{tag}>")
    return "".join(parts)


@settings(max_examples=300)
@given(fragments())
def test_spans_always_lie_on_stripped_text_of_the_unchanged_body(fragment):
    text, spans = html_to_text_and_spans(fragment)
    assert text == html_to_text(fragment)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        inside = text[s.start:s.end]
        assert inside == inside.strip() and "\n\n" not in inside


@settings(max_examples=200)
@given(st.lists(st.tuples(st.sampled_from(["b", "em", "h2", "li"]),
                          st.lists(st.sampled_from(["Gao", "Kidal", "[x]", "Ménaka", "convoy"]),
                                   min_size=1, max_size=3)), max_size=6))
def test_each_element_marks_exactly_its_own_words(elements):
    html = "<p>start</p>" + "".join(f"<p>plain <{t}>{' '.join(w)}</{t}> end</p>" for t, w in elements)
    text, spans = html_to_text_and_spans(html)
    kind = {"b": "strong", "em": "em", "h2": "heading", "li": "item"}
    assert kinds(text, spans) == [(kind[t], " ".join(w), "2" if t == "h2" else "") for t, w in elements]


FEED = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Sahel wire</title><link>https://wire.example.org/</link>
<item><title>Convoy &lt;b&gt;reaches&lt;/b&gt; Kidal</title><link>https://wire.example.org/kidal</link>
<content:encoded><![CDATA[<h2>Arrival</h2><p>The convoy reached <strong>Kidal</strong> at noon.</p>
<ul><li>fuel</li><li>food</li></ul><p>{FILLER}</p>]]></content:encoded></item>
</channel></rss>"""


def test_a_feed_item_with_html_content_gets_its_structure():
    [item] = parse_feed(FEED.encode(), name="wire.rss").items
    a = item.article
    assert a.title == "Convoy reaches Kidal"
    assert kinds(a.body, a.spans) == [("heading", "Arrival", "2"), ("strong", "Kidal", ""),
                                      ("item", "fuel", ""), ("item", "food", "")]


def test_reimporting_a_page_adds_no_version_and_moves_no_note(tmp_path, store):
    page = tmp_path / "gao.html"
    page.write_text(PAGE, encoding="utf-8")
    import_sources(store, [page])
    (article_id,) = store.article_ids()
    stored = store.article(article_id)
    body = extract_page(PAGE, name=str(page)).body  # trafilatura's when installed, else the basic one
    assert stored.body == body and ("strong", "dawn on Tuesday", "") in kinds(body, stored.spans)
    start = body.index("dawn on Tuesday")
    notes = NoteStore(store)
    note = notes.add(article_id, "when they came", start=start, end=start + len("dawn on Tuesday"))
    # as stored before HTML had spans: the import fills them, nothing else changes
    store.conn.execute("UPDATE articles SET spans = '[]' WHERE id = ?", (article_id,))
    report = import_sources(store, [page])
    assert report.count("skipped") == 0
    again = store.article(article_id)
    assert again.body == body and again.spans == stored.spans
    assert len(versions.versions(store.conn, article_id)) == 1
    moved = notes.get(note.id)
    assert (moved.start, moved.end, moved.quote) == (start, start + 15, "dawn on Tuesday")
    report = import_sources(store, [page])
    assert report.count("unchanged") == 1 and len(versions.versions(store.conn, article_id)) == 1


def test_thousands_of_unclosed_tags_give_few_spans_quickly():
    """Hostile nesting: 5,000 unclosed <b> then 5,000 list items. Overlapping bold is one span
    per paragraph, and nesting deeper than the recorder follows is simply not followed."""
    fragment = "<ul><li>first" + "<b>x " * 5000 + "<li>item " * 5000 + "</ul>"
    text, spans = html_to_text_and_spans(fragment)
    assert text == html_to_text(fragment)
    assert len(spans) <= 2 * text.count("\n\n") + 2
    assert all(text[s.start:s.end].strip() == text[s.start:s.end] for s in spans)


def test_a_new_link_ends_an_unclosed_one():
    text, spans = html_to_text_and_spans('<p><a href="https://a.org">one <a href="https://b.org">two</a> three</p>')
    assert kinds(text, spans) == [("link", "one", "https://a.org"), ("link", "two", "https://b.org")]
