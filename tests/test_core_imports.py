"""The core (reader/ outside reader/tui/) must never import Textual."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import reader


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(Path(reader.__file__).parent)], prefix="reader."):
        if info.name.startswith("reader.tui") or info.name.endswith(".__main__"):
            continue
        names.append(info.name)
    return names


def test_core_does_not_import_textual():
    modules = core_modules()
    assert "reader.store" in modules and "reader.cli" in modules
    code = ("import importlib, sys\n"
            f"for m in {modules!r}:\n    importlib.import_module(m)\n"
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
            "assert not bad, bad\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
