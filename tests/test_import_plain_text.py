"""Plain text written a paragraph per line (copied from a web page, exported by a word
processor) keeps its paragraphs; hard-wrapped text and Markdown join the lines of a paragraph."""

from __future__ import annotations

from reader.importers import files, import_sources
from reader.importers.files import lines_are_paragraphs, text_article
from reader.notes import NoteStore

# invented reporting, written for these tests
PARAS = [
    "The convoy that left Gao on Monday morning reached Ansongo only after dark, its drivers said, "
    "because two bridges on the road had been damaged by the rains.",
    "Traders in Ansongo said the price of fuel had doubled in a week and that several shops had closed "
    "their doors until the next delivery, which nobody could promise them.",
    "A local official said the road would be repaired before the end of the month, although the "
    "same promise had been made twice already this year.",
]


TITLE = "Convoy delayed on the Gao road"
JOINED = TITLE + " " + " ".join(PARAS)  # the title line runs into the text (marked as its heading)


def _unwrapped() -> str:
    return TITLE + "\n" + "\n".join(PARAS) + "\n"


def _wrapped(width: int = 70) -> str:
    out = [TITLE, ""]
    for p in PARAS:
        line = ""
        for word in p.split():
            if len(line) + len(word) + 1 > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        out += [line, ""]
    return "\n".join(out)


def test_a_paragraph_per_line_keeps_its_paragraphs():
    article = text_article(_unwrapped(), "convoy.txt")
    assert article.title == TITLE
    assert article.body.split("\n\n") == PARAS


def test_hard_wrapped_text_joins_its_lines_as_before():
    text = _wrapped()
    assert not lines_are_paragraphs(text)
    article = text_article(text, "convoy.txt")
    assert article.body.split("\n\n") == PARAS


def test_markdown_joins_soft_line_breaks_whatever_their_length():
    article = text_article(_unwrapped(), "convoy.md")
    assert article.body == JOINED


def test_a_text_url_can_say_it_is_plain():
    assert text_article(_unwrapped(), "https://example.org/convoy", plain=True).body.split("\n\n") == PARAS
    assert text_article(_unwrapped(), "https://example.org/convoy").body == JOINED


def test_reimport_splits_the_paragraphs_and_moves_the_notes_with_them(store, tmp_path, monkeypatch):
    """A library imported before this rule holds the joined text; importing the file again
    gives the paragraphs, and every note still quotes exactly the text at its offsets."""
    f = tmp_path / "convoy.txt"
    f.write_text(_unwrapped(), encoding="utf-8")
    monkeypatch.setattr(files, "lines_are_paragraphs", lambda text: False)  # the old import
    [first] = import_sources(store, [f]).items
    assert store.article(first.article_id).body == JOINED
    notes = NoteStore(store)
    quotes = ["price of fuel had doubled in a week", "the same promise had been made twice"]
    made = [notes.add(first.article_id, f"note {i}", quote=q) for i, q in enumerate(quotes)]
    monkeypatch.undo()
    [again] = import_sources(store, [f]).items
    assert again.status == "updated" and again.article_id == first.article_id
    body = store.article(first.article_id).body
    assert body.split("\n\n") == PARAS
    for note, quote in zip(made, quotes):
        moved = notes.get(note.id)
        assert moved.status == "anchored" and body[moved.start:moved.end] == quote == moved.quote
