from reader.text import fold, fold_with_map, sanitize, sanitize_line, slugify


def test_sanitize_strips_escapes_and_controls_but_keeps_unicode():
    raw = "A\x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07 b\x00e\x07l\x08 \u202eevil\u202c Ménaka مالي [bold]x[/bold]\r\nnext"
    clean = sanitize(raw)
    assert "\x1b" not in clean and "\x00" not in clean and "\x07" not in clean and "\x08" not in clean
    assert "\u202e" not in clean
    assert "Ménaka" in clean and "مالي" in clean and "[bold]x[/bold]" in clean
    assert clean.endswith("\nnext") and "\r" not in clean
    assert "Ared" in clean and "link" in clean


def test_sanitize_c1_csi_and_lone_escape():
    assert sanitize("x\x9b31my\x1bz") == "xyz"


def test_sanitize_line_collapses_whitespace():
    assert sanitize_line("  A\n\tB  ") == "A B"


def test_fold_accents_apostrophes_and_case():
    assert fold("Ménaka’s") == "menaka's"
    assert fold("SÉGOU") == "segou"
    assert fold("Burkinabè – Œuvre") == "burkinabe - oeuvre"


def test_fold_with_map_points_back_to_original():
    text = "Œil de Ménaka"
    folded, offsets = fold_with_map(text)
    assert folded == "oeil de menaka"
    i = folded.index("menaka")
    assert text[offsets[i]:offsets[i + len("menaka")]] == "Ménaka"
    assert offsets[-1] == len(text)


def test_slugify():
    assert slugify("Tinzaouaten, juillet 2024!") == "tinzaouaten-juillet-2024"
    assert slugify("***") == "untitled"


def test_control_characters_are_found_by_regex_exactly_as_by_their_category():
    import unicodedata

    from reader.text import _UNWANTED_CONTROL_RE

    by_regex = {c for c in map(chr, range(0x10000)) if _UNWANTED_CONTROL_RE.fullmatch(c)}
    by_category = {c for c in map(chr, range(0x10000))
                   if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in "\u2028\u2029"}
    assert by_regex == by_category and "\x07" in by_regex and "\n" not in by_regex
    assert sanitize("a\x00b\x85c\u2028d\te\nf") == "abcd\te\nf"
