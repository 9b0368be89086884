"""Front matter in YAML (``---``) and TOML (``+++``): what real files write, and what hostile ones do."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reader.articles import ArticleError, article_from_markdown
from reader.frontmatter import FrontMatterError, parse
from reader.importers import import_sources


def article(header: str, fence: str = "---"):
    return article_from_markdown(f"{fence}\n{header}\n{fence}\nBody text.\n", "f.md")


def error(header: str, fence: str = "---") -> str:
    with pytest.raises(ArticleError) as err:
        article(header, fence)
    message = str(err.value)
    assert message.startswith("f.md: ") and "\n" not in message
    return message


# -- YAML ---------------------------------------------------------------------------

def test_block_list_tags():
    a = article("title: Gao\ntags:\n  - Gao\n  - water\n  - 'fuel: trucks'")
    assert a.tags == ["gao", "water", "fuel: trucks"]


def test_folded_and_literal_text():
    a = article("title: >\n  A folded\n  title\nsummary: |\n  Line one.\n  Line two.")
    assert a.title == "A folded title"
    assert a.summary == "Line one. Line two."  # summaries are one line in the model


def test_single_quote_escapes_and_double_quotes():
    a = article("title: 'It''s over'\nplace: \"Kidal, \\\"north\\\"\"")
    assert (a.title, a.place) == ("It's over", 'Kidal, "north"')


def test_scalars_stay_the_text_written():
    meta, body = parse("---\ntitle: 1984\ndate: 2024-05-01\nsource: yes\nauthor: 0x1F\nplace: ~\n---\nB", "f.md")
    assert meta == {"title": "1984", "date": "2024-05-01", "source": "yes", "author": "0x1F"}
    assert body == "B"
    assert article("title: T\ndate: 2024-05-01T09:30:00Z").date == "2024-05-01"


def test_flat_header_that_is_not_yaml_is_still_read_line_by_line():
    a = article("title: [bold]Attack: 5 dead[/bold]\nplace: @Gao #1\ntags: [a, b]")
    assert (a.title, a.place, a.tags) == ("[bold]Attack: 5 dead[/bold]", "@Gao #1", ["a", "b"])


def test_unknown_keys_are_ignored_even_when_nested():
    a = article("title: T\nextra:\n  deep: {x: [1, 2]}\nlayout: post")
    assert a.title == "T"


@pytest.mark.parametrize("header, line, words", [
    ("title: [a, b]", 2, "'title' is a list, not text"),
    ("title: T\nplace: {city: Gao}", 3, "'place' is a table, not text"),
    ("title: T\ntags:\n  - ok\n  - {nested: dict}", 3, "'tags' holds a table"),
    ("title: T\ntags:\n  - [x, y]", 3, "'tags' holds a list"),
])
def test_non_text_values_are_one_line_errors_with_the_line(header, line, words):
    message = error(header)
    assert f"line {line}: " in message and words in message


def test_malformed_yaml_names_the_line():
    message = error("title: T\ntags:\n  - gao\n - kidal")
    assert "line 5: front matter is not valid YAML" in message
    assert "line 3" in error("title: T\nno colon here")


def test_a_header_that_is_a_list_is_refused():
    assert "not 'key: value' lines" in error("- a\n- b")


def test_yaml_tags_are_not_constructed():
    # the safe loader has no constructor for python objects; the line reader keeps it as text
    a = article('title: !!python/object/apply:os.system ["echo pwned"]')
    assert a.title == '!!python/object/apply:os.system ["echo pwned"]'


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    header = "\n".join(lines) + "\ntitle: T\ntags: *a8"
    start = time.monotonic()
    assert "'tags' holds a list" in error(header)
    assert time.monotonic() - start < 2


def test_rich_markup_and_escapes_in_yaml_values_stay_literal():
    a = article('title: "\\e[31m[bold]red[/bold]"\nsummary: "[@click=app.quit]x[/]"')
    assert a.title == "[bold]red[/bold]" and a.summary == "[@click=app.quit]x[/]"


# -- TOML ---------------------------------------------------------------------------

def test_toml_front_matter():
    a = article('title = "Ménaka"\ndate = 2024-05-01\ntags = ["Ménaka", "ISSP"]\nsummary = """\nTwo\nlines."""',
                fence="+++")
    assert (a.title, a.date, a.tags, a.summary) == ("Ménaka", "2024-05-01", ["ménaka", "issp"], "Two lines.")
    assert a.body == "Body text."


def test_malformed_toml_names_the_file_line():
    message = error('title = "T"\ndate = ', fence="+++")
    assert "line 3: front matter is not valid TOML (Invalid value)" in message


def test_toml_non_text_values_are_refused_with_the_line():
    assert "f.md: line 3: 'title' is a table, not text" in error('date = 2024-05-01\n[title]\nx = 1', fence="+++")
    assert "f.md: line 2: 'tags' holds a list" in error('tags = [["a"]]', fence="+++")


def test_unclosed_fences():
    with pytest.raises(FrontMatterError, match=r"^f.md: front matter opened with '\+\+\+' is never closed$"):
        parse("+++\ntitle = 'x'\nBody", "f.md")
    assert parse("+++ not a fence\nBody", "f.md") == ({}, "+++ not a fence\nBody")


# -- through the importer -----------------------------------------------------------

def test_yaml_list_front_matter_imports(store, tmp_path):
    p = tmp_path / "gao-water.md"
    p.write_text("---\ntitle: Water in Gao\ndate: 2024-05-01\ntags:\n  - gao\n  - water\n"
                 "summary: >\n  Queues at the\n  standpipes.\n---\n\nThe river is low this year.\n", encoding="utf-8")
    report = import_sources(store, [p])
    [item] = report.items
    assert item.status == "imported", item.reason
    a = store.article(item.article_id)
    assert (a.title, a.date, a.tags, a.summary) == ("Water in Gao", "2024-05-01", ["gao", "water"],
                                                     "Queues at the standpipes.")
    assert a.body == "The river is low this year."


def test_broken_header_import_is_one_line_naming_the_file(store, tmp_path):
    p = tmp_path / "broken.md"
    p.write_text("---\ntitle: T\ntags:\n  - a\n - b\n---\nBody\n", encoding="utf-8")
    report = import_sources(store, [p])
    [item] = report.skipped
    assert item.reason.startswith(str(p)) and "line 5" in item.reason and "\n" not in item.reason


def test_pyyaml_is_imported_only_for_a_yaml_header():
    import subprocess
    import sys

    code = ("import sys\nfrom reader.articles import article_from_markdown\n"
            "article_from_markdown('+++\\ntitle = \"T\"\\n+++\\nBody', 'x.md')\n"
            "assert 'yaml' not in sys.modules, 'yaml imported before it was needed'\n"
            "article_from_markdown('---\\ntitle: T\\n---\\nBody', 'x.md')\n"
            "assert 'yaml' in sys.modules\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


HEADERS = [
    "title: Water in Gao\ndate: 2024-05-01\ntags:\n  - gao\n  - water\nsummary: >\n  Queues at the\n  standpipes.",
    "title: 1984\ndate: 2024-05-01T10:00:00Z\nplace: yes\nsource: ~\nauthor: null\ntags: [a, 'b, c', \"d\"]",
    "title: 'It''s: a test'\nsummary: |\n  line one\n  line two\nurl: https://example.org/a?b=1#c",
    "title: Ségou — 5 morts\nplace: Ménaka\nnote: 0x1F\ntags: []\ntitle2: .inf",
    "title: \"\\u00e9t\\u00e9 \\\"quoted\\\"\"\nTags:\n- Un\n- deux\nunknown: {a: 1}",
]


def test_libyaml_reads_every_header_as_the_pure_loader_does():
    """The fast loader (libyaml's parser) gives the same values and key lines as PyYAML's
    own, on the samples' headers and on headers that exercise quoting, lists and blocks."""
    import yaml

    from reader.frontmatter import _load_yaml

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML built without libyaml: only the pure loader exists")
    headers = list(HEADERS)
    for path in sorted((Path(__file__).resolve().parent.parent / "sample_articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        headers.append(text.split("---\n")[1])
    assert len(headers) > len(HEADERS)
    for header in headers:
        assert _outcome(header, fast=True) == _outcome(header, fast=False), header


def _outcome(header: str, *, fast: bool):
    import yaml

    from reader.frontmatter import _load_yaml

    try:
        return _load_yaml(header, "x.md", fast=fast)
    except yaml.YAMLError:
        return "invalid"


def test_an_invalid_header_keeps_the_pure_loaders_message():
    from reader.frontmatter import FrontMatterError, parse

    with pytest.raises(FrontMatterError) as err:
        parse("---\ntitle: T\ntags:\n  - a\n - b\n---\nBody\n", "bad.md")
    assert str(err.value).startswith("bad.md: line 5: front matter is not valid YAML (")
