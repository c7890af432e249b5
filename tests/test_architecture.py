"""Imports run one way, down the layers; typer, rich and pydantic each stay in their room."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "liaoyuan_cli"

# A module may import only from layers below its own (grammar.py is data; api.py the library).
LAYERS = [
    {"__init__"},
    {"vocab", "text", "errors", "grammar", "results"},
    {"files", "numerals", "tracking"},
    {"models", "figures", "search", "themes", "cite"},
    {"checks"},
    {"kb"},
    {"store", "export", "draft"},
    {"queries"},
    {"render"},
    {"commands", "complete", "api"},
    {"cli"},
    {"launch"},
    {"__main__"},
]
LAYER = {module: depth for depth, modules in enumerate(LAYERS) for module in modules}


def _module(path: Path) -> str:
    relative = path.relative_to(PACKAGE).with_suffix("")
    return relative.parts[0] if relative.parts[0] in ("render", "draft") else relative.name


def _imports(path: Path) -> set[str]:
    """The package modules a file imports, at top level, in functions or for type checking."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("liaoyuan_cli"):
            parts = node.module.split(".")
            if len(parts) == 1:
                found.update(
                    "__init__" if alias.name in ("__version__", "SCHEMA_VERSION") else alias.name
                    for alias in node.names
                )
            else:
                found.add(parts[1])
    return found - {_module(path)}


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert {_module(p) for p in MODULES} <= set(LAYER)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_layers(path: Path) -> None:
    module = _module(path)
    upward = {name for name in _imports(path) if LAYER[name] >= LAYER[module]}
    assert not upward, f"{module} (layer {LAYER[module]}) imports {upward}"


def _third_party(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }


def test_typer_rich_and_pydantic_each_stay_in_their_rooms() -> None:
    rooms = {
        "typer": {"cli.py"},
        "click": set(),
        "rich": {"render/terminal.py"},
        "pydantic": {"models.py", "kb.py", "results.py"},
        "pypinyin": {"search.py", "draft/lexicon.py"},
    }
    for path in MODULES:
        name = path.relative_to(PACKAGE).as_posix()
        for library in _third_party(path) & set(rooms):
            assert name in rooms[library], f"{name} imports {library}"


def test_no_year_is_written_into_the_code() -> None:
    """Years come from the data: no number that could be a year, nor a year in words, stands in
    the package's code (docstrings and help examples such as gaoxin-2023-gdp aside)."""
    import re

    year = re.compile(r"(?<![\w/-])(19|20)\d\d(?![\w/-])")  # not in ids, nor in the SVG namespace URI
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                if isinstance(node.value, int) and not isinstance(node.value, bool):
                    assert not 1990 <= node.value < 2100, f"{path.name}:{node.lineno}: {node.value}"
                if isinstance(node.value, str) and path.name not in ("grammar.py",):
                    assert not year.search(node.value), f"{path.name}:{node.lineno}: {node.value[:60]!r}"
