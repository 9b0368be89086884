from reader.textnav import (
    next_paragraph_end,
    next_sentence_end,
    next_word,
    paragraph_bounds,
    previous_paragraph_start,
    previous_sentence_start,
    previous_word,
    sentence_bounds,
    trim_span,
)


def cut(text, span):
    return text[span[0]:span[1]]


def test_sentence_bounds_with_quotes_abbreviations_and_paragraphs():
    text = "First one. Second « quoted. » here!\n\nNew para without end"
    assert cut(text, sentence_bounds(text, 0)) == "First one."
    assert cut(text, sentence_bounds(text, 14)) == "Second « quoted. »"
    assert cut(text, sentence_bounds(text, 31)) == "here!"
    assert cut(text, sentence_bounds(text, len(text) - 1)) == "New para without end"
    t2 = "Gen. Sanogo took power. Then A. Koufa spoke!"
    assert cut(t2, sentence_bounds(t2, 2)) == "Gen. Sanogo took power."
    assert cut(t2, sentence_bounds(t2, 30)) == "Then A. Koufa spoke!"


def test_word_motions():
    text = "Fighters of Ansar Dine’s brigade"
    assert text[:next_word(text, 0)] == "Fighters"
    assert text[:next_word(text, next_word(text, 0))] == "Fighters of"
    assert text[:next_word(text, 12)] == "Fighters of Ansar"
    assert previous_word(text, len(text)) == text.index("brigade")
    assert text[:next_word(text, 18)] == "Fighters of Ansar Dine’s"


def test_sentence_and_paragraph_motions():
    text = "One. Two two.\n\nThree. Four."
    assert text[:next_sentence_end(text, 0)] == "One."
    assert text[:next_sentence_end(text, 4)] == "One. Two two."
    assert previous_sentence_start(text, 10) == text.index("Two")
    assert paragraph_bounds(text, 20) == (15, len(text))
    assert next_paragraph_end(text, 0) == text.index("\n\n")
    assert next_paragraph_end(text, text.index("\n\n")) == len(text)
    assert previous_paragraph_start(text, 15) == 0


def test_trim_span():
    assert trim_span("  a b  ", 0, 7) == (2, 5)
    assert trim_span("   ", 0, 3) == (3, 3)
