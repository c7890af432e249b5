"""Imports run one way: cli -> queries, render -> store, kb -> models (and text, errors below all)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "liaoyuan_cli"

# What each module may import from the package; anything else is a dependency the wrong way.
ALLOWED = {
    "cli": {"queries", "render", "store", "kb", "results", "errors", "text", "__init__"},
    "queries": {"store", "kb", "index", "errors", "text"},
    "results": {"models", "queries"},
    "render": {"render", "text"},
    "store": {"kb", "index", "__init__"},
    "index": {"text"},
    "kb": {"models", "errors", "text"},
    "models": set(),
    "errors": set(),
    "text": set(),
    "__main__": {"cli"},
    "__init__": set(),
}


def _module(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    return relative.parts[0] if relative.parts[0] == "render" else relative.name


def _imports(path: Path) -> set[str]:
    """The package modules a file imports, at top level or inside functions alike."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("liaoyuan_cli"):
            parts = node.module.split(".")
            if len(parts) == 1:
                found.update(
                    "__init__" if alias.name == "__version__" else alias.name for alias in node.names
                )
            else:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path) -> None:
    module = _module(path)
    assert _imports(path) <= ALLOWED[module], f"{module} imports {_imports(path) - ALLOWED[module]}"


def test_only_the_cli_imports_typer_and_only_render_imports_rich() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            (node.module or "").split(".")[0]
            if isinstance(node, ast.ImportFrom)
            else alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        if "typer" in names or "click" in names:
            assert path.name == "cli.py", path
        if "rich" in names:
            assert path.relative_to(PACKAGE).as_posix() == "render/table.py", path
