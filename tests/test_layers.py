"""Layers point one way: the import-linter contracts in pyproject.toml hold, they would catch a
break, and the import graph of `reader` has no cycles."""

from __future__ import annotations

import ast
import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

import reader

ROOT = Path(__file__).parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"]["contracts"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
NOT_CORE = {"cli", "commands", "tui", "__main__"}


def lint_imports(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(cwd / "pyproject.toml")],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_contracts_hold():
    r = lint_imports(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in r.stdout


def test_the_core_contract_lists_every_core_module():
    [core] = [c for c in CONTRACTS if c["name"].startswith("The core imports neither")]
    modules = {f"reader.{m.name}" for m in pkgutil.iter_modules(reader.__path__) if m.name not in NOT_CORE}
    assert set(core["source_modules"]) == modules, "add new core modules to the contract in pyproject.toml"


def test_each_contract_catches_a_break(tmp_path):
    """A copy of the package with one bad import per contract: every contract is broken."""
    shutil.copytree(ROOT / "reader", tmp_path / "reader", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    breaks = {
        "reader/tui/palette.py": "import reader.commands.common",  # the app reaching into the CLI
        "reader/store.py": "import textual",  # the core importing Textual
        "reader/gazetteer/model.py": "import sqlite3",  # the gazetteer touching a database
        "reader/text.py": "import reader.config",  # text hygiene importing our own modules
        "reader/tomledit.py": "import reader.versions",  # versions -> ... -> tomledit: a cycle
    }
    for path, line in breaks.items():
        f = tmp_path / path
        f.write_text(f.read_text("utf-8") + f"\n{line}  # deliberately bad\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    r = lint_imports(tmp_path, env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"Contracts: 0 kept, {len(CONTRACTS)} broken." in r.stdout, r.stdout


def find_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_find_cycles_finds_one():
    graph = grimp.ImportGraph()
    for importer, imported in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=importer, imported=imported)
    assert find_cycles(graph) == [["p.a", "p.b", "p.c"]]


def test_the_import_graph_of_reader_has_no_cycles():
    graph = grimp.build_graph("reader", cache_dir=None)
    # the graph is the real one (function-level imports included): a few edges we know exist
    assert graph.direct_import_exists(importer="reader.gazetteer.loader", imported="reader.gazetteer.overlay")
    assert graph.direct_import_exists(importer="reader.cli", imported="reader.tui.app")  # inside _launch
    assert len(graph.modules) > 80
    assert find_cycles(graph) == []


@pytest.mark.parametrize("importer, imported", [
    ("reader.gazetteer.overlay", "reader.gazetteer.loader"),
    ("reader.gazetteer.model", "reader.gazetteer.validate"),
    ("reader.gazetteer.validate", "reader.gazetteer.loader"),
    ("reader.commands.library", "reader.cli"),
    ("reader.commands.notes", "reader.cli"),
])
def test_the_cycles_of_the_first_wave_stay_broken(importer, imported):
    graph = grimp.build_graph("reader", cache_dir=None)
    assert not graph.chain_exists(importer=importer, imported=imported)


# Private names one module still takes from another (none: keep it that way).
PRIVATE_IMPORTS_LEFT: set[tuple[str, str, str]] = set()


def test_no_module_imports_another_modules_private_names():
    found = set()
    for path in sorted((ROOT / "reader").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reader"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.add((module, node.module, alias.name))
    assert found == PRIVATE_IMPORTS_LEFT
