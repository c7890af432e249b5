"""The fast path: a well-formed call skips typer, yet means exactly what the Typer app says.

The grammar it parses with is generated from the app (scripts/gen_grammar.py) and must be
current; a differential test runs the same argument vectors, the fuzz corpus included,
through the fast path and through the app, and compares stdout, stderr and exit code byte
for byte.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from liaoyuan_cli import launch

from .conftest import DATA, ROOT
from .corpus import argv_strategy


def test_the_grammar_is_what_the_app_declares() -> None:
    spec = importlib.util.spec_from_file_location("gen_grammar", ROOT / "scripts" / "gen_grammar.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (ROOT / "liaoyuan_cli" / "grammar.py").read_text(encoding="utf-8")
    assert written == module.render(), "liaoyuan_cli/grammar.py is stale: run python scripts/gen_grammar.py"


def _both(argv: list[str], env: dict[str, str]) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """(fast path, Typer app) answers to one argument vector."""
    answers = []
    for slow in ("", "1"):
        out, err = io.StringIO(), io.StringIO()
        code: object = 0
        with (
            mock.patch.dict(os.environ, {**env, launch.ENV_NO_FAST: slow}),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                launch.main(list(argv))
            except SystemExit as exc:
                code = exc.code
        answers.append((code if isinstance(code, int) else 0, out.getvalue(), err.getvalue()))
    return answers[0], answers[1]


WELL_FORMED = [
    ["areas"],
    ["areas", "--json"],
    ["targets", "gaoxin"],
    ["targets", "gaoxin", "--json"],
    ["targets", "gaoxin", "--kind", "target", "--category", "projects", "--format", "csv"],
    ["targets", "all", "--lang", "en"],
    ["targets", "--year", "2024", "-f", "jsonl"],
    ["records", "--area", "gaoxin", "--area", "xian", "--has-figures", "--json"],
    ["records", "--theme", "new-energy", "--fields", "id,area", "--format", "csv"],
    ["metrics", "dongfeng", "--year=2023"],
    ["figures", "--metric", "gdp-growth", "--format", "tsv"],
    ["compare", "growth"],
    ["compare", "--json"],
    ["search", "天楹", "-n", "5", "--json"],
    ["search", "tianying", "--area", "dongfeng", "--lang", "zh"],
    ["entities", "--kind", "project"],
    ["entities", "天楹", "--format", "markdown"],
    ["show", "gaoxin-2023-gdp"],
    ["cite", "gaoxin-2023-gdp", "--style", "bibtex"],
    ["summarize"],
    ["summarize", "xian", "--json"],
    ["themes"],
    ["facet", "--by", "area,kind", "--of", "figures"],
    ["projects", "--json"],
    ["track", "gaoxin"],
    ["validate", "--json"],
    ["schema", "targets"],
    ["show", "no-such-record"],
    ["targets", "nowhere"],
    ["targets", "gaoxin", "--kind", "Target"],
    ["areas", "--format", "JSON"],
    ["targets"],
    ["targets", "gaoxin", "extra"],
    ["search"],
    ["targets", "gaoxin", "--kind"],
    ["targets", "gaoxin", "--year", "x"],
    ["targets", "gaoxin", "--json", "--json"],
    ["--version"],
    ["-h"],
    ["targets", "--help"],
    [],
]


@pytest.mark.parametrize("argv", WELL_FORMED, ids=" ".join)
def test_the_fast_path_answers_byte_for_byte_as_the_app(argv: list[str]) -> None:
    fast, app = _both(argv, {"LYCLI_DATA": str(DATA)})
    assert fast == app


def test_the_fast_path_takes_well_formed_calls_and_leaves_the_rest() -> None:
    assert launch.parse(["targets", "gaoxin", "--json"]) is not None
    assert launch.parse(["search", "天楹", "-n", "5"]) is not None
    for argv in (
        ["targets", "--help"],
        ["targets", "gaoxin", "--", "x"],
        ["--version"],
        ["nope"],
        ["targets", "gaoxin", "--format", "JSON"],
        ["search", "x", "-n5"],
        ["targets", "a", "b"],
    ):
        assert launch.parse(argv) is None, argv


@pytest.mark.parametrize(
    "words",
    [
        "lycli targets gao",
        "lycli targets ",
        "lycli targets 高",
        "lycli targets gaoxin --kind ",
        "lycli targets gaoxin --format c",
        "lycli records --theme n",
        "lycli show gaoxin-2023",
        "lycli compare g",
        "lycli entities 天",
        "lycli targets gaoxin --",
        "lycli tar",
        "lycli facet --by area,c",
        "lycli cite x --style b",
    ],
)
def test_completion_answers_byte_for_byte_as_the_app(words: str) -> None:
    index = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    env = {"_LYCLI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": index}
    fast, app = _both([], env)
    assert fast == app


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=argv_strategy())
@pytest.mark.slow
def test_the_fuzz_corpus_gets_the_same_answer_on_both_paths(
    tmp_path_factory: pytest.TempPathFactory, argv: list[str]
) -> None:
    # Writing files (export, --svg, --html) would make the second run differ from the first.
    if argv[0] == "export" or any(
        a.startswith(("/", "~", "--svg", "--html", "--install", "--show-c")) for a in argv
    ):
        return
    home = Path(tmp_path_factory.getbasetemp())
    with contextlib.chdir(home):
        fast, app = _both(argv, {"LYCLI_DATA": str(DATA), "COLUMNS": "80"})
    assert fast == app, argv
