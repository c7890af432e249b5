"""Docs that cannot drift: usage is generated from real runs, jq recipes run, commands have help."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess

import pytest

from .conftest import COMMAND_NAMES as COMMANDS
from .conftest import ROOT, run_cli


def _gen_usage() -> str:
    spec = importlib.util.spec_from_file_location("gen_usage", ROOT / "scripts" / "gen_usage.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.render())


def test_usage_doc_is_what_the_commands_print() -> None:
    written = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert written == _gen_usage(), "docs/usage.md is stale: run python scripts/gen_usage.py"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_documented(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.code == 0 and len(result.stdout) > 100
    docs = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")) + (
        ROOT / "README.md"
    ).read_text(encoding="utf-8")
    assert f"lycli {command}" in docs


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert "lycli targets gaoxin" in blocks[0] and "pytest" in blocks[1]
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


RECIPES = re.compile(r"```sh\n\$ (lycli [^\n|]+?) \| jq ([^\n]+)\n(.*?)```", re.S)


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_json_doc_recipes_give_their_documented_output() -> None:
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    recipes = RECIPES.findall(text)
    assert len(recipes) >= 4
    for command, program, expected in recipes:
        args = command.split()[1:]
        data = run_cli(*args).stdout
        out = subprocess.run(
            ["jq", *_shell_words(program)], input=data, capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == expected.strip(), f"{command} | jq {program}"


def _shell_words(program: str) -> list[str]:
    import shlex

    return shlex.split(program)


def test_schema_command_prints_json_schema() -> None:
    schema = json.loads(run_cli("schema", "targets").stdout)
    assert "records" in schema["properties"] and schema["title"].endswith("(schema version 2)")
    assert run_cli("schema", "nope").code == 2


def test_every_doc_the_readme_names_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in re.findall(r"`(docs/[a-z-]+\.md)`", readme):
        assert (ROOT / name).is_file(), name


def test_the_architecture_doc_names_every_module() -> None:
    """docs/architecture.md's map of the house names every module there is."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "liaoyuan_cli"
    modules = {p.stem for p in package.glob("*.py") if not p.stem.startswith("__")}
    rooms = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    named = set(re.findall(r"\b([a-z_]+)\.py\b", doc)) | set(re.findall(r"\b([a-z_]+)/", doc))
    assert modules | rooms <= named, sorted((modules | rooms) - named)
