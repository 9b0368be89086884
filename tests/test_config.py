"""The config file: reading, one-line problems, writing one preference back, the CLI verbs."""

from __future__ import annotations

import json
import os
import tomllib

import pytest

from reader import config as cfg
from reader.cli import main
from reader.config import BindingInfo, load_config
from reader.tomledit import TomlEditError, write_setting

BINDINGS = [
    BindingInfo("app.help", "question_mark", "Help", "app"),
    BindingInfo("app.search", "s", "Search notes", "app"),
    BindingInfo("reader.next_mention", "e", "Next entity", "reader"),
    BindingInfo("reader.find_next", "n", "Next match", "reader"),
    BindingInfo("reader.search", "s", "Search notes", "reader"),
    BindingInfo("select.extend_word", "w", "Extend by word", "reader"),
    BindingInfo("library.open", "enter", "Open", "library"),
    BindingInfo("help.close", "escape,q,question_mark", "Close help", "help", with_app=False),
]


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, "utf-8")
    return path


def test_missing_file_gives_the_defaults(tmp_path):
    c = load_config(tmp_path / "nope.toml")
    assert (c.exists, c.theme, c.sidebar, c.reading_width, c.keymap, c.issues) == (
        False, None, "auto", cfg.DEFAULT_READING_WIDTH, {}, [])


def test_settings_paths_and_keymap_are_read(tmp_path):
    path = write(tmp_path, '\n'.join([
        'theme = "gruvbox"', 'sidebar = "hidden"', 'reading_width = 72', '',
        '[paths]', 'database = "data/my.db"', 'overlay = "~/gaz.toml"', '',
        '[keymap]', 'reader.next_mention = "n"', '"reader.find_next" = "ctrl+n"', '"app.help" = "?"',
        '"library.open" = ["enter", "o"]']))
    c = load_config(path)
    assert c.issues == []
    assert (c.theme, c.sidebar, c.reading_width) == ("gruvbox", "hidden", 72)
    assert c.database == tmp_path / "data" / "my.db"  # relative to the config file's folder
    assert c.overlay == cfg.Path("~/gaz.toml").expanduser()
    # dotted and quoted ids alike; "?" is Textual's question_mark; lists join with commas
    assert c.keymap == {"reader.next_mention": "n", "reader.find_next": "ctrl+n",
                        "app.help": "question_mark", "library.open": "enter,o"}


def test_each_problem_is_one_line_naming_file_line_and_key(tmp_path):
    path = write(tmp_path, '\n'.join([
        '# mine', 'theme = 3', 'sidebar = "sometimes"', 'reading_width = 5', 'colour = "red"',
        '[paths]', 'cache = "x"', '[keymap]', '"reader.next_mention" = "ctrl+bogus"',
        '"reader.find_next" = "hyper+meta+n"', '"reader.search" = 7']))
    c = load_config(path)
    lines = [str(i) for i in c.issues]
    assert all("\n" not in line for line in lines)
    by_key = {i.key: i for i in c.issues}
    assert by_key["theme"].line == 2 and by_key["sidebar"].line == 3
    assert by_key["reading_width"].line == 4 and by_key["colour"].line == 5
    assert by_key["paths.cache"].line == 7
    assert by_key["keymap.reader.next_mention"].line == 9
    assert "unknown key 'bogus'" in by_key["keymap.reader.next_mention"].message
    assert by_key["keymap.reader.search"].line == 11
    assert f"{path}:3: sidebar: must be one of" in lines[[i.key for i in c.issues].index("sidebar")]
    # the bad values keep their defaults; the valid modifier combination is kept
    assert (c.theme, c.sidebar, c.reading_width) == (None, "auto", cfg.DEFAULT_READING_WIDTH)
    assert c.keymap == {"reader.find_next": "hyper+meta+n"}


def test_invalid_toml_names_the_line_and_gives_defaults(tmp_path):
    c = load_config(write(tmp_path, 'theme = "a"\nsidebar = \n'))
    assert len(c.issues) == 1 and c.issues[0].line == 2
    assert "invalid TOML" in str(c.issues[0]) and c.theme is None


def test_binary_junk_is_reported_not_raised(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe\x00junk")
    c = load_config(path)
    assert "not UTF-8" in str(c.issues[0])


def test_unknown_ids_and_collisions_are_dropped_with_a_line_each(tmp_path):
    path = write(tmp_path, '\n'.join([
        '[keymap]', '"reader.next_mention" = "n"', '"reader.nxt_mention" = "x"',
        '"library.open" = "o"', '"select.extend_word" = "?"']))
    c = load_config(path)
    new = c.check_keymap(BINDINGS)
    by_key = {i.key: i for i in new}
    assert by_key["keymap.reader.nxt_mention"].line == 3
    assert "unknown binding id" in by_key["keymap.reader.nxt_mention"].message
    # n is find_next's key on the same screen, and find_next was not moved
    assert by_key["keymap.reader.next_mention"].line == 2
    assert "'reader.find_next'" in by_key["keymap.reader.next_mention"].message
    # the app's help key is active on the reader screen too
    assert "'app.help'" in by_key["keymap.select.extend_word"].message
    assert c.keymap == {"library.open": "o"}


def test_moving_both_bindings_is_no_collision(tmp_path):
    c = load_config(write(tmp_path, '[keymap]\nreader.next_mention = "n"\nreader.find_next = "ctrl+n"\n'))
    assert c.check_keymap(BINDINGS) == []
    assert c.keymap == {"reader.next_mention": "n", "reader.find_next": "ctrl+n"}


def test_defaults_that_overlap_on_purpose_are_not_collisions(tmp_path):
    # reader.search and app.search share "s" by design; help's "?" lives on a modal screen
    c = load_config(write(tmp_path, '[keymap]\n"reader.search" = "s"\n"help.close" = "escape,question_mark"\n'))
    assert c.check_keymap(BINDINGS) == []


def test_write_back_edits_only_the_one_line(tmp_path):
    original = ('# my settings\n\ntheme = "nord"   # the one I like\nsidebar = "auto"\n\n'
                '[keymap]\n# keep this comment\nreader.find = "f"\n')
    path = write(tmp_path, original)
    write_setting(path, "theme", "gruvbox")
    text = path.read_text("utf-8")
    assert text == original.replace('"nord"', '"gruvbox"')
    write_setting(path, "sidebar", "hidden")
    assert path.read_text("utf-8") == text.replace('sidebar = "auto"', 'sidebar = "hidden"')


def test_write_back_adds_a_missing_line_at_top_level(tmp_path):
    path = write(tmp_path, '# settings\n\n[keymap]\n"reader.find" = "f"\n')
    write_setting(path, "theme", "textual-light")
    doc = tomllib.loads(path.read_text("utf-8"))
    assert doc == {"theme": "textual-light", "keymap": {"reader.find": "f"}}
    assert path.read_text("utf-8").startswith("# settings\n")


def test_write_back_uses_the_commented_example_of_an_init_file(tmp_path):
    path = write(tmp_path, '# Colour theme.\n# theme = "textual-dark"\n\n# sidebar = "auto"\n\n[paths]\n')
    write_setting(path, "theme", "nord")
    lines = path.read_text("utf-8").splitlines()
    assert lines[1:3] == ['# theme = "textual-dark"', 'theme = "nord"']


def test_write_back_creates_the_file(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    write_setting(path, "sidebar", "shown")
    assert tomllib.loads(path.read_text("utf-8")) == {"sidebar": "shown"}


def test_write_back_refuses_a_broken_file_and_leaves_it(tmp_path):
    path = write(tmp_path, 'theme = "a"\n[keymap\n')
    before = path.read_bytes()
    with pytest.raises(TomlEditError, match="invalid TOML"):
        write_setting(path, "theme", "b")
    assert path.read_bytes() == before


def test_write_back_keeps_the_file_mode(tmp_path):
    path = write(tmp_path, 'theme = "a"\n')
    os.chmod(path, 0o600)
    write_setting(path, "theme", "b")
    assert path.stat().st_mode & 0o777 == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_hostile_values_are_written_as_plain_strings(tmp_path):
    path = write(tmp_path, "")
    write_setting(path, "theme", 'x"\n[keymap]\nevil = "1')
    assert tomllib.loads(path.read_text("utf-8")) == {"theme": 'x"\n[keymap]\nevil = "1'}


def test_config_paths_choose_the_database_and_overlay(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, '[paths]\ndatabase = "elsewhere.db"\noverlay = "mine.toml"\n')
    monkeypatch.delenv("MALI_READER_DB")
    monkeypatch.delenv("MALI_READER_OVERLAY")
    assert main(["--config", str(path), "articles"]) == 0
    assert (tmp_path / "elsewhere.db").exists()
    from reader.gazetteer.overlay import default_overlay_path

    assert default_overlay_path() == tmp_path / "mine.toml"


def test_cli_config_path_show_and_init(tmp_path, capsys):
    path = tmp_path / "config.toml"  # $MALI_READER_CONFIG in the test environment
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(path)
    assert main(["config", "init"]) == 0
    text = path.read_text("utf-8")
    assert tomllib.loads(text) == {"paths": {}, "keymap": {}}  # everything commented out
    assert '# "reader.next_mention" = "e"' in text and '# "app.help" = "question_mark"' in text
    assert main(["config", "init"]) == 1
    assert "already exists" in capsys.readouterr().err
    path.write_text('theme = "nord"\n[keymap]\nreader.next_mention = "n"\nreader.find_next = "ctrl+n"\n'
                    'reader.nope = "z"\n', "utf-8")
    assert main(["config", "init"]) == 1 and path.read_text("utf-8").startswith('theme = "nord"')
    capsys.readouterr()
    assert main(["config", "show", "--json"]) == 1  # a problem: exit code 1, the rest still shown
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["theme"] == "nord" and data["keymap"] == {"reader.next_mention": "n",
                                                    "reader.find_next": "ctrl+n"}
    assert data["database_from"] == "$MALI_READER_DB"
    assert out.err.strip() == (f"mali-reader: {path}:5: keymap.reader.nope: unknown binding id; "
                               "'mali-reader config init' lists every id")
    assert main(["config", "init", "--force"]) == 0
    assert tomllib.loads(path.read_text("utf-8")) == {"paths": {}, "keymap": {}}
