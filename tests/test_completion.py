"""`mali-reader completion`: the scripts come from the real parser, and bash completes with them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from reader.cli import build_parser, main

VERBS = set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001


def script(capsys, shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


def test_bash_script_names_every_verb(capsys):
    out = script(capsys, "bash")
    [listed] = [line for line in out.splitlines() if line.startswith("_shtab_mali_reader_subparsers=")]
    assert set(listed.split("=(", 1)[1].rstrip(")").split()) == VERBS
    assert {"articles", "show", "feeds", "import", "completion"} <= VERBS
    assert "_shtab_mali_reader_feeds_subparsers=(add list remove export import)" in out
    assert "complete -o bashdefault -F _shtab_mali_reader mali-reader" in out


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_verbs_subverbs_and_options(capsys, tmp_path):
    path = tmp_path / "mali-reader.bash"
    path.write_text(script(capsys, "bash"), "utf-8")

    def complete(*words: str) -> list[str]:
        line = " ".join(("mali-reader", *words))
        code = (f'source "{path}"; COMP_WORDS=(mali-reader {" ".join(repr(w) for w in words)}); '
                f"COMP_CWORD={len(words)}; COMP_LINE={line!r}; COMP_POINT={len(line)}; "
                '_shtab_mali_reader; printf "%s\\n" "${COMPREPLY[@]}"')
        r = subprocess.run(["bash", "-c", code], capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr
        return r.stdout.split()

    assert complete("fe") == ["feeds"]
    assert complete("feeds", "") == ["add", "list", "remove", "export", "import"]
    assert complete("show", "--j") == ["--json"]


@pytest.mark.parametrize("shell", ["zsh", "tcsh"])
def test_other_shells(capsys, shell):
    out = script(capsys, shell)
    assert "mali-reader" in out and "feeds" in out and "import-notes" in out


def test_without_shtab_the_error_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "shtab", None)
    assert main(["completion", "bash"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mali-reader: shell completion needs shtab: install the 'completion' extra")
    assert err.count("\n") == 1


def test_unknown_shell_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["completion", "cmd.exe"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
