"""Every runtime dependency declared in pyproject.toml is imported somewhere in reader/.

A dependency nothing imports still costs every user an install (sqlite-utils was one: declared,
wrapped in a property nothing called). Distribution names are mapped to the modules they
install with `importlib.metadata.packages_distributions()`, so `sqlite-utils` is found as
`sqlite_utils` and `PyYAML` would be found as `yaml`.
"""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dependencies() -> list[str]:
    """Distribution names in [project.dependencies] (versions, extras and markers dropped)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [_normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec).group(0)) for spec in project["dependencies"]]


def imported_modules(package: Path) -> set[str]:
    """Top-level names of every module imported (at any depth, lazily or not) under `package`."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def unused(dependencies: list[str], imported: set[str]) -> list[str]:
    """The distributions none of whose top-level modules is imported."""
    modules_of: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            modules_of.setdefault(_normalise(dist), set()).add(module)
    return [d for d in dependencies if not (modules_of.get(d, {d.replace("-", "_")}) & imported)]


def test_every_runtime_dependency_is_imported_by_the_package():
    deps = runtime_dependencies()
    assert "sqlite-utils" in deps and "textual" in deps
    assert unused(deps, imported_modules(ROOT / "reader")) == []


def test_a_declared_dependency_nothing_imports_is_reported():
    imported = imported_modules(ROOT / "reader")
    # datasette is installed (dev group) but reader/ never imports it
    assert unused(["datasette", "sqlite-utils"], imported) == ["datasette"]
    assert unused(["sqlite-utils"], imported - {"sqlite_utils"}) == ["sqlite-utils"]
