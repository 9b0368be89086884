"""Subscription lists other readers use: OPML 2.0 export and import (folders, categories,
htmlUrl) and newsboat's urls file, through the core and the `feeds` / `import` verbs."""

import json
import xml.etree.ElementTree as ET

import pytest

from reader.cli import main
from reader.importers import import_sources, import_subscriptions, list_feeds
from reader.importers.newsboat import looks_like_urls_file, parse_urls
from reader.importers.opml import parse_opml, write_opml
from reader.store import Store

# what a feed reader's export looks like: folders nested two deep, a category attribute,
# htmlUrl on some outlines, a feed at the top level and one with hostile markup in its title
READER_OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Feeds exported from another reader</title></head>
  <body>
    <outline text="Sahel" title="Sahel">
      <outline text="Mali" title="Mali">
        <outline type="rss" text="Bamako daily" xmlUrl="https://bamako.example.org/rss"
                 htmlUrl="https://bamako.example.org/" category="fuel,/Sahel/Mali"/>
        <outline type="rss" text="Gao notes" xmlUrl="https://gao.example.org/atom.xml"/>
      </outline>
      <outline text="Burkina Faso">
        <outline type="rss" title="Ouaga watch" text="ignored when title is set"
                 xmlUrl="https://ouaga.example.net/feed" htmlUrl="https://ouaga.example.net"/>
      </outline>
    </outline>
    <outline type="rss" text="[bold]Wire[/bold]" xmlUrl="https://wire.example.com/feed.xml" category="wires"/>
  </body>
</opml>
"""

# a realistic newsboat urls file: tags, quoted tags with spaces, ~titles, a hidden feed,
# comments, a query feed, an exec feed and a blank line
NEWSBOAT_URLS = """\
# subscriptions, copied from the laptop
https://bamako.example.org/rss mali "West Africa" "~Bamako daily"
https://gao.example.org/atom.xml mali fuel

https://hidden.example.com/feed "!hidden" mali "~Quiet one"
"query:Unread Mali:tags # \\"mali\\" and unread = \\"yes\\""
exec:~/bin/jnim-statements.sh statements
https://wire.example.com/feed.xml "wires"
"""


def feeds_by_url(store):
    return {f.url: f for f in list_feeds(store)}


def test_opml_import_keeps_folders_categories_and_html_url(store, tmp_path):
    path = tmp_path / "reader.opml"
    path.write_bytes(READER_OPML)
    report = import_sources(store, [path])
    assert report.count("subscribed") == 4 and not report.skipped
    feeds = feeds_by_url(store)
    bamako = feeds["https://bamako.example.org/rss"]
    assert bamako.folder == "Sahel/Mali" and bamako.site_url == "https://bamako.example.org/"
    assert bamako.tags == ("fuel", "sahel", "mali")  # categories first, then the folders
    ouaga = feeds["https://ouaga.example.net/feed"]
    assert (ouaga.title, ouaga.folder, ouaga.tags) == ("Ouaga watch", "Sahel/Burkina Faso", ("sahel", "burkina faso"))
    wire = feeds["https://wire.example.com/feed.xml"]
    assert (wire.folder, wire.tags, wire.title) == ("", ("wires",), "[bold]Wire[/bold]")  # kept literally


def test_opml_export_then_import_into_an_empty_db_gives_the_same_feeds(store, tmp_path):
    src = tmp_path / "reader.opml"
    src.write_bytes(READER_OPML)
    import_sources(store, [src])
    exported = write_opml(list_feeds(store))
    root = ET.fromstring(exported)
    assert root.get("version") == "2.0" and root.find("head/title").text
    sahel = root.find("body/outline[@text='Sahel']")
    assert sahel is not None and sahel.get("xmlUrl") is None  # a folder, with its feeds nested inside
    mali = sahel.find("outline[@text='Mali']")
    bamako = mali.find("outline[@xmlUrl='https://bamako.example.org/rss']")
    assert bamako.get("htmlUrl") == "https://bamako.example.org/" and bamako.get("category") == "fuel,sahel,mali"
    out = tmp_path / "mine.opml"
    out.write_bytes(exported)
    empty = Store.open(tmp_path / "empty.db")
    import_sources(empty, [out])

    def view(s):
        return {f.url: (f.title, f.site_url, f.folder, f.tags) for f in list_feeds(s)}

    assert view(empty) == view(store) and len(view(empty)) == 4


def test_feeds_export_and_import_verbs(store, db_path, tmp_path, capsys):
    src = tmp_path / "reader.opml"
    src.write_bytes(READER_OPML)
    assert main(["feeds", "import", str(src), "--db", str(db_path)]) == 0
    capsys.readouterr()
    out_file = tmp_path / "out.opml"
    assert main(["feeds", "export", "--out", str(out_file), "--json", "--db", str(db_path)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"feeds": 4, "folders": 3, "file": str(out_file)}
    assert {o.url: o.folder for o in parse_opml(out_file.read_bytes(), name="out")}[
        "https://ouaga.example.net/feed"] == "Sahel/Burkina Faso"
    assert main(["feeds", "export", "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("<?xml") and "https://gao.example.org/atom.xml" in printed
    other = tmp_path / "other.db"
    out_file2 = tmp_path / "printed.opml"
    out_file2.write_text(printed, "utf-8")
    assert main(["feeds", "import", str(out_file2), "--json", "--db", str(other)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[-1]["subscribed"] == 4 and all(x["kind"] == "subscription" for x in lines[:-1])


def test_newsboat_urls_file_becomes_subscriptions_with_tags(store, tmp_path):
    path = tmp_path / "urls"
    path.write_text(NEWSBOAT_URLS, "utf-8")
    report = import_sources(store, [path])
    assert report.count("imported") == 0 and report.count("subscribed") == 4  # never an article
    assert store.conn.execute("SELECT count(*) FROM articles WHERE path LIKE ?", (f"%{path.name}",)).fetchone()[0] == 0
    feeds = feeds_by_url(store)
    assert feeds["https://bamako.example.org/rss"].tags == ("mali", "west africa")
    assert feeds["https://bamako.example.org/rss"].title == "Bamako daily"
    assert feeds["https://gao.example.org/atom.xml"].tags == ("mali", "fuel")
    hidden = feeds["https://hidden.example.com/feed"]
    assert (hidden.title, hidden.tags) == ("Quiet one", ("mali",))  # "!hidden" is a mark, not a tag
    reasons = [i.reason for i in report.skipped]
    assert len(reasons) == 2
    assert reasons[0].startswith(f"{path}:6: a newsboat query feed") and f"{path}:7: exec:" in reasons[1]
    again = import_sources(store, [path])
    assert again.count("unchanged") == 4 and again.count("subscribed") == 0


def test_urls_file_is_recognised_by_content_under_any_name(store, tmp_path):
    path = tmp_path / "my-feeds.txt"
    path.write_text(NEWSBOAT_URLS, "utf-8")
    report = import_sources(store, [path])
    assert report.count("subscribed") == 4 and report.count("imported") == 0
    # ...but an article that merely starts with a link is still an article
    article = tmp_path / "note.txt"
    article.write_text("https://example.org/report\n\nTraders in Gao said fuel prices doubled this week.\n", "utf-8")
    assert import_sources(store, [article]).count("imported") == 1


def test_feeds_import_reads_a_urls_file_and_names_bad_lines(store, tmp_path):
    path = tmp_path / "subs.txt"
    path.write_text("https://ok.example.org/feed tag1\nnot a url at all\n", "utf-8")
    report = import_subscriptions(store, path)
    assert report.count("subscribed") == 1
    assert [i.reason for i in report.skipped] == [f"{path}:2: 'not' is not an http(s) URL; not subscribed"]
    bad = tmp_path / "prose.txt"
    bad.write_text("Just some prose about Gao.\n", "utf-8")
    report = import_subscriptions(store, bad)
    assert report.count("subscribed") == 0
    assert report.skipped[0].reason == f"{bad}: not a list of feeds (no line starts with an http(s) feed URL)"


@pytest.mark.parametrize("text, expected", [
    (NEWSBOAT_URLS, True),
    ("https://a.example/feed\n# comment\n", True),
    ("# only comments\n", False),
    ("https://a.example/feed\nAnd then a sentence.\n", False),
])
def test_looks_like_urls_file(text, expected):
    assert looks_like_urls_file(text) is expected


def test_urls_words_follow_newsboat_quoting():
    (entry,) = parse_urls('https://a.example/f "say \\"hi\\"" plain "~A \\"quoted\\" title"\n', name="u")
    assert entry.tags == ['say "hi"', "plain"] and entry.title == 'A "quoted" title'
