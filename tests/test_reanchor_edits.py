"""Where a note lands after each kind of edit to its article, and the invariants every note keeps.

Each case: a passage of the original text (the note), an edit, and the outcome: "exact" (the
same words, found again, no review), "review" (moved to an edited passage, old quote kept
until accepted) or "orphan" (not placed; the original quote kept). The edits go through the
save layer, as a re-import does, so versions and counts are exercised too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.anchoring import inside_word
from reader.importers.save import store_article
from reader.articles import Article
from reader.notes import NoteStore
from reader.store import Store
from reader.text import content_hash
from reader.versions import version_text, versions

P1 = ("Traders said fuel prices in Gao had doubled since the start of the month. Queues formed at the "
      "two stations that still had petrol, and some drivers slept in their lorries.")
P2 = ("On the road to Ansongo, twelve soldiers were killed when their convoy struck a mine. The army said "
      "the attackers then fird on the wounded.")
P3 = ("A local official warned that drivers would stop bringing goods from Niamey if the road stayed "
      "closed. He said \"no escorts\" had been sent.")
P4 = "In Ménaka, aid groups reported that several thousand people had arrived from villages east of Gao."
BASE = "\n\n".join([P1, P2, P3, P4])

S_FUEL = "Traders said fuel prices in Gao had doubled since the start of the month."


@dataclass
class Case:
    name: str
    quote: str  # the passage noted in BASE (first occurrence)
    edit: Callable[[str], str] | list[Callable[[str], str]]
    outcome: str  # "exact", "review" or "orphan"
    lands: str | Callable[[str], bool] | None = None  # the new passage (exact text or a predicate)


def rep(old: str, new: str) -> Callable[[str], str]:
    def f(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return f


CASES = [
    Case("word changed outside the quote", S_FUEL, rep("two stations", "three stations"), "exact", S_FUEL),
    Case("word changed inside the quote", "twelve soldiers were killed",
         rep("twelve soldiers", "fourteen soldiers"), "review", "fourteen soldiers were killed"),
    Case("words inserted inside a quoted sentence", S_FUEL, rep("Traders said fuel", "Traders said on Tuesday that fuel"),
         "review", "Traders said on Tuesday that fuel prices in Gao had doubled since the start of the month."),
    Case("words inserted before the quote", "some drivers slept in their lorries",
         rep("Queues formed", "Long queues formed"), "exact", "some drivers slept in their lorries"),
    Case("typo fixed inside the quote", "The army said the attackers then fird on the wounded.",
         rep("fird", "fired"), "review", "The army said the attackers then fired on the wounded."),
    Case("sentence split", "A local official warned that drivers would stop bringing goods from Niamey if the road "
         "stayed closed.", rep("from Niamey if", "from Niamey. That would happen if"), "review",
         lambda q: q.startswith("A local official warned") and q.endswith(".")),
    Case("sentence merged with the next", "The army said the attackers then fird on the wounded.",
         rep("struck a mine. The army", "struck a mine, and the army"), "orphan"),
    Case("paragraph moved", "several thousand people had arrived", lambda t: "\n\n".join([P4, P1, P2, P3]),
         "exact", "several thousand people had arrived"),
    Case("paragraph deleted", "A local official warned that drivers would stop",
         lambda t: "\n\n".join([P1, P2, P4]), "orphan"),
    Case("paragraph duplicated", "struck a mine", lambda t: "\n\n".join([P1, P2, P2, P3, P4]), "review",
         "struck a mine"),
    Case("whitespace re-flowed", "fuel prices in Gao had doubled since the start",
         rep("in Gao had doubled since", "in Gao had\ndoubled  since"), "exact",
         "fuel prices in Gao had\ndoubled  since the start"),
    Case("quote marks made typographic", 'He said "no escorts" had been sent.',
         rep('"no escorts"', "\u201cno escorts\u201d"), "exact", "He said \u201cno escorts\u201d had been sent."),
    Case("dash and no-break space changes", "the road to Ansongo, twelve",
         rep("road to Ansongo,", "road\u00a0to Ansongo,"), "exact", "the road\u00a0to Ansongo, twelve"),
    Case("text prepended", "Traders said fuel", lambda t: "Editor's note: updated on Friday.\n\n" + t, "exact",
         "Traders said fuel"),
    Case("quote at the very start, title line prepended", "Traders said",
         lambda t: "Fuel in Gao\n\n" + t, "exact", "Traders said"),
    Case("quote at the very end, text appended", "villages east of Gao.",
         lambda t: t + "\n\nMore reporting will follow.", "exact", "villages east of Gao."),
    Case("two edits in a row", "some drivers slept in their lorries",
         [rep("Queues formed", "Long queues formed"), rep("some drivers slept", "many drivers slept")],
         "review", "many drivers slept in their lorries"),
    Case("short quote whose sentence was deleted, same word elsewhere", "Gao",
         rep(S_FUEL + " ", ""), "orphan"),
    Case("word deleted inside the quote", "and some drivers slept in their lorries",
         rep("and some drivers", "and drivers"), "review", "and drivers slept in their lorries"),
    Case("everything replaced by a summary", S_FUEL,
         lambda t: "Fuel shortages were reported across the region.\n\nFull story: https://example.org/x",
         "orphan"),
    Case("end of the quoted sentence rewritten", "A local official warned that drivers would stop bringing goods "
         "from Niamey if the road stayed closed.",
         rep("would stop bringing goods from Niamey if the road stayed closed.",
             "would refuse to travel north without armed escorts."), "orphan"),
    Case("zero-width character inside a word", "aid groups reported", rep("aid groups", "aid gr\u200boups"),
         "exact", "aid gr\u200boups reported"),
    Case("case changed inside the quote", "The army said", rep("The army said", "The Army said"), "review",
         "The Army said"),
    Case("paragraph split in two", "He said \"no escorts\" had been sent.",
         rep("stayed closed. He said", "stayed closed.\n\nHe said"), "exact", "He said \"no escorts\" had been sent."),
    Case("quote inside a word boundary change", "Gao had doubled", rep("Gao had doubled", "Gaoual had doubled"),
         "review", "Gaoual had doubled"),
]


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "edits.db")
    yield s
    s.close()


def check_invariants(store: Store, notes: NoteStore, article_id: str, original: dict) -> None:
    text = store.article(article_id).body
    for n in notes.for_article(article_id):
        o = original[n.id]
        assert n.origin_quote == o["quote"] and n.origin_hash == o["hash"], "the original quote is never lost"
        if n.start is None:  # a note on the whole article has no passage to keep
            assert n.quote == "" and not n.orphaned
            continue
        if n.orphaned:
            # an orphan keeps selectors into the version it was anchored to, and that version is kept
            old = version_text(store.conn, article_id, n.article_hash)
            assert old is not None and old[n.start:n.end] == n.quote
            continue
        assert text[n.start:n.end] == n.quote, "a stored quote always equals the text at its offsets"
        assert n.article_hash == content_hash(text)
        assert n.quote == n.quote.strip(), "no leading/trailing whitespace or newline"
        assert not inside_word(text, n.start) and not inside_word(text, n.end), "never cuts a word"
        if n.needs_review:
            assert n.review_quote, "the old quote is kept beside the new passage"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_where_a_note_lands_after_an_edit(store, case):
    store_article(store, Article(id="a", title="Fuel", body=BASE), produced_by="file")
    notes = NoteStore(store)
    note = notes.add("a", "my note", quote=case.quote)
    original = {note.id: {"quote": note.quote, "hash": note.article_hash}}
    text = BASE
    edits = case.edit if isinstance(case.edit, list) else [case.edit]
    counts = {}
    for edit in edits:
        text = edit(text)
        _, counts = store_article(store, Article(id="a", title="Fuel", body=text), produced_by="file")
        check_invariants(store, notes, "a", original)
    after = notes.get(note.id)
    if case.outcome == "orphan":
        assert after.orphaned, (after.quote, after.start)
        assert counts["orphaned"] == 1
        assert after.quote == case.quote  # kept as it was
    else:
        assert not after.orphaned, f"orphaned; expected {case.lands!r}"
        assert after.needs_review == (case.outcome == "review"), (after.quote, after.review_quote)
        if callable(case.lands):
            assert case.lands(after.quote), after.quote
        else:
            assert after.quote == case.lands
        if case.outcome == "review":
            assert after.review_quote == (case.quote if len(edits) == 1 else after.review_quote)
            assert counts["review"] == 1
        elif len(edits) == 1:
            assert counts["moved"] + counts["kept"] == 1
    assert len(versions(store.conn, "a")) == 1 + len(edits)


def test_accepting_a_review_clears_it_and_keeps_the_origin(store):
    store_article(store, Article(id="a", title="Fuel", body=BASE))
    notes = NoteStore(store)
    n = notes.add("a", "x", quote="twelve soldiers were killed")
    store_article(store, Article(id="a", title="Fuel", body=BASE.replace("twelve", "fourteen")))
    moved = notes.get(n.id)
    assert moved.needs_review and moved.review_quote == "twelve soldiers were killed"
    done = notes.accept_review(n.id)
    assert not done.needs_review and done.quote == "fourteen soldiers were killed"
    assert done.origin_quote == "twelve soldiers were killed"
    assert notes.needing_review() == []


def test_same_text_again_is_no_new_version_and_no_reanchoring(store):
    store_article(store, Article(id="a", title="Fuel", body=BASE))
    notes = NoteStore(store)
    notes.add("a", "x", quote=S_FUEL)
    status, counts = store_article(store, Article(id="a", title="Fuel", body=BASE))
    assert status == "unchanged" and counts == {}
    assert len(versions(store.conn, "a")) == 1


def test_reverting_to_an_old_text_reuses_its_version_and_deleting_keeps_the_text(store):
    store_article(store, Article(id="a", title="Fuel", body=BASE))
    store_article(store, Article(id="a", title="Fuel", body=BASE + "\n\nAdded."))
    store_article(store, Article(id="a", title="Fuel", body=BASE))
    vs = versions(store.conn, "a")
    assert len(vs) == 2 and [v.current for v in vs].count(True) == 1
    assert version_text(store.conn, "a", content_hash(BASE + "\n\nAdded.")) == BASE + "\n\nAdded."
    store.delete_article("a")
    assert version_text(store.conn, "a", content_hash(BASE)) == BASE  # an orphan can still be shown


def test_reimport_counts_are_per_note(store):
    store_article(store, Article(id="a", title="Fuel", body=BASE))
    notes = NoteStore(store)
    notes.add("a", "kept", quote="several thousand people")
    notes.add("a", "moves", quote="twelve soldiers were killed")
    gone = notes.add("a", "goes", quote="A local official warned")
    notes.delete(gone.id)
    notes.add("a", "orphan", quote="He said \"no escorts\" had been sent.")
    edited = "\n\n".join([P1, P2.replace("twelve", "fourteen"), P4])
    _, counts = store_article(store, Article(id="a", title="Fuel", body=edited))
    assert counts == {"kept": 0, "moved": 1, "review": 1, "orphaned": 1}


# Random edits: whatever re-anchoring decides (kept, moved, review, orphan), the invariants hold.
WORDS_RE = re.compile(r"\S+")
NEW_WORDS = ["the", "convoy", "Gao", "twelve", "fuel", "said", "—", "«", "»", "l'armée", "Ménaka", ".", "\n\n"]


@st.composite
def edits(draw):
    """A passage of BASE (whole words) and one to three word-level edits anywhere in the text."""
    words = [m.span() for m in WORDS_RE.finditer(BASE)]
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first, min(len(words) - 1, first + 25)))
    span = (words[first][0], words[last][1])
    ops = draw(st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "swap"]),
                                  st.floats(0, 1, exclude_max=True), st.integers(1, 4),
                                  st.sampled_from(NEW_WORDS)), min_size=1, max_size=3))
    return span, ops


def apply_edit(text: str, op) -> str:
    kind, where, n, word = op
    spans = [m.span() for m in WORDS_RE.finditer(text)]
    if not spans:
        return word
    i = int(where * len(spans))
    j = min(len(spans), i + n)
    if kind == "insert":
        return text[:spans[i][0]] + word + " " + text[spans[i][0]:]
    if kind == "delete" and j < len(spans):
        return text[:spans[i][0]] + text[spans[j][0]:]
    if kind == "swap" and j < len(spans):
        a, b = text[spans[i][0]:spans[i][1]], text[spans[j][0]:spans[j][1]]
        return text[:spans[i][0]] + b + text[spans[i][1]:spans[j][0]] + a + text[spans[j][1]:]
    return text[:spans[i][0]] + word + text[spans[i][1]:]


@settings(max_examples=200)  # each example is a new database: 10,000 (the ci profile) take ~5 min, and passed
@given(edits())
def test_random_edits_keep_every_invariant(tmp_path_factory, edit):
    (start, end), ops = edit
    store = Store.open(tmp_path_factory.mktemp("rnd") / "r.db")
    try:
        store_article(store, Article(id="a", title="Fuel", body=BASE), produced_by="file")
        notes = NoteStore(store)
        note = notes.add("a", "my note", start=start, end=end)
        whole = notes.add("a", "about the whole article")
        original = {n.id: {"quote": n.quote, "hash": n.article_hash} for n in (note, whole)}
        text = BASE
        for op in ops:
            text = apply_edit(text, op)
            if not text.strip():
                break
            store_article(store, Article(id="a", title="Fuel", body=text), produced_by="file")
            check_invariants(store, notes, "a", original)
        assert len(notes.for_article("a")) == 2, "no note is ever lost"
    finally:
        store.close()
