"""Re-anchoring: notes follow their passage, and never land on text that merely looks alike."""

import pytest

from reader.anchoring import locate, make_anchor

P1 = ("In early May, fighters of JNIM claimed an attack on an army post near Ségou, "
      "the first such claim in that district according to local officials.")
P2 = ("Fuel convoys travelling from the Senegalese border were escorted by the army, "
      "but several trucks were burned on the road to Kayes during the week.")
P3 = ("Residents of Gao described long queues at the few stations that still had petrol, "
      "and prices doubled within days.")
TEXT = "\n\n".join([P1, P2, P3])


def anchor_on(text, quote):
    i = text.index(quote)
    return make_anchor(text, i, i + len(quote))


def test_selectors_have_context():
    a = anchor_on(TEXT, "several trucks were burned")
    assert a.exact == "several trucks were burned"
    assert len(a.prefix) == 32 and len(a.suffix) == 32
    assert TEXT[a.start - 32:a.start] == a.prefix and TEXT[a.end:a.end + 32] == a.suffix


def test_bad_span_rejected():
    with pytest.raises(ValueError):
        make_anchor(TEXT, 10, 10)
    with pytest.raises(ValueError):
        make_anchor(TEXT, 0, len(TEXT) + 1)


def test_same_hash_uses_position():
    a = anchor_on(TEXT, "the army")
    p = locate(TEXT, a, same_hash=True)
    assert (p.start, p.end, p.method) == (a.start, a.end, "position")


def test_same_hash_but_quote_differs_is_not_trusted():
    a = anchor_on(TEXT, "several trucks were burned")
    shifted = "XX" + TEXT
    p = locate(shifted, a, same_hash=True)  # a lying hash must not be believed blindly
    assert shifted[p.start:p.end] == "several trucks were burned"


def test_exact_quote_moved():
    a = anchor_on(TEXT, "several trucks were burned on the road to Kayes")
    edited = "A new opening paragraph was added by the editors.\n\n" + P3 + "\n\n" + P2 + "\n\n" + P1
    p = locate(edited, a)
    assert p.method == "exact"
    assert edited[p.start:p.end] == a.exact


def test_repeated_quote_picks_the_right_context():
    text = "The army said little. " + TEXT + " Later the army said more."
    a = anchor_on(TEXT, "the army")  # in P2: "escorted by the army"
    p = locate("Intro. " + TEXT.replace("the army", "the army", 1), a)
    assert ("Intro. " + TEXT)[p.start - 12:p.start] == "escorted by "
    p2 = locate(text, a)
    assert text[p2.start - 12:p2.start] == "escorted by "


def test_fuzzy_edited_passage():
    quote = "fighters of JNIM claimed an attack on an army post near Ségou"
    a = anchor_on(TEXT, quote)
    edited = TEXT.replace("fighters of JNIM claimed an attack on an army post near Ségou",
                          "fighters of JNIM claimed a deadly attack on an army post near Segou")
    p = locate(edited, a)
    assert p is not None and p.method == "fuzzy"
    got = edited[p.start:p.end]
    assert got.startswith("fighters of JNIM") and got.rstrip(" ,").endswith("Segou")


def test_deleted_passage_is_orphaned():
    a = anchor_on(TEXT, "several trucks were burned on the road to Kayes")
    edited = P1 + "\n\n" + P3
    assert locate(edited, a) is None


def test_look_alike_text_is_not_used():
    quote = "fighters of JNIM claimed an attack on an army post near Ségou"
    a = anchor_on(TEXT, quote)
    # P1 is gone; a different report with a similar sentence sits elsewhere in the article.
    other = ("Two weeks later, fighters of JNIM claimed an attack on a police post near Mopti, "
             "which the governor denied in a short statement on the radio.")
    edited = P2 + "\n\n" + P3 + "\n\n" + other
    assert locate(edited, a) is None


def test_short_quote_without_context_is_orphaned():
    a = anchor_on(TEXT, "Gao")
    edited = P1 + "\n\nThe convoy finally reached Gao on Sunday after a long delay in the desert."
    assert locate(edited, a) is None


def test_short_quote_with_context_survives_edit():
    a = anchor_on(TEXT, "Gao")
    edited = TEXT.replace("long queues", "very long queues")
    p = locate(edited, a)
    assert p is not None and edited[p.start:p.end] == "Gao"
    assert edited[p.start - 13:p.start] == "Residents of "


def test_quote_at_start_and_end_of_text():
    a = make_anchor(TEXT, 0, 12)
    assert locate("Note: " + TEXT, a).start == 6
    b = make_anchor(TEXT, len(TEXT) - 15, len(TEXT))
    p = locate(TEXT + " (Updated.)", b)
    assert p is not None and p.start == len(TEXT) - 15
