"""Imports run one way, down the layers; typer, rich and pydantic each stay in their room."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "liaoyuan_cli"

# A module may import only from layers below its own (commands.py is the command table, data;
# run.py runs a command of it; api.py is the library).
LAYERS = [
    {"__init__"},
    {"vocab", "text", "errors"},
    {"commands", "tracking"},
    {"results", "files", "numerals"},
    {"models", "figures", "search", "themes", "cite", "place"},
    {"checks"},
    {"kb"},
    {"cache"},
    {"build"},
    {"store"},
    {"export", "draft"},
    {"queries"},
    {"render"},
    {"run", "complete"},
    {"api"},
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


# The one import up the layers, lazily, in one function: `lycli completion SHELL` (a runner of
# run.py) asks the Typer app for its completion script, as only cli.py may import typer.
UPWARD = {("run", "cli")}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_layers(path: Path) -> None:
    module = _module(path)
    upward = {
        name for name in _imports(path) if LAYER[name] >= LAYER[module] and (module, name) not in UPWARD
    }
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
        "opencc": {"search.py"},
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
        # A command's examples are help text: `metrics gaoxin --year 2023` shows real use.
        examples = {
            id(constant)
            for node in ast.walk(tree)
            if isinstance(node, ast.keyword) and node.arg == "examples"
            for constant in ast.walk(node.value)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings | examples:
                if isinstance(node.value, int) and not isinstance(node.value, bool):
                    assert not 1990 <= node.value < 2100, f"{path.name}:{node.lineno}: {node.value}"
                if isinstance(node.value, str):
                    assert not year.search(node.value), f"{path.name}:{node.lineno}: {node.value[:60]!r}"


@pytest.mark.slow
def test_mypy_fails_a_renderer_that_reads_a_key_its_result_lacks(tmp_path: Path) -> None:
    """The typed contract reaches the renderers: a table builder reading a row's missing key
    is a type error, not a KeyError a user meets."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "liaoyuan_cli"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "data"))
    builder = copy / "render" / "table.py"
    source = builder.read_text(encoding="utf-8")
    reading = 'for t in result["themes"]:\n'
    assert reading in source
    builder.write_text(
        source.replace(reading, reading + '        _ = t["no_such_key"]\n', 1), encoding="utf-8"
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "liaoyuan_cli"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1, checked.stdout
    assert '"no_such_key"' in checked.stdout and "table.py" in checked.stdout, checked.stdout
