"""The fast path: a well-formed call skips typer, yet means exactly what the Typer app says.

Both read the command table (commands.py). A test reads every option of every command through
both, in the table's order and reordered, and compares the values each hands run.execute; a
differential test runs argument vectors, the fuzz corpus included, through both and compares
stdout, stderr and exit code byte for byte.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from liaoyuan_cli import cli, commands, launch
from liaoyuan_cli.commands import Command, Param

from .conftest import DATA
from .corpus import argv_strategy

# A value of each kind of parameter that the command would take.
SAMPLE = {"text": "gaoxin", "path": "out.txt", "int": "2024", "choice": None}


def _sample(param: Param) -> str:
    if param.kind == "choice":
        assert param.vocabulary is not None
        return str(list(commands.vocabulary(param.vocabulary))[-1])
    return SAMPLE[param.kind]


def _argv(command: Command, order: list[Param]) -> list[str]:
    """A call of the command giving every parameter, in the given order (positionals keep theirs)."""
    argv = [command.name, *(_sample(p) for p in command.params if p.positional)]
    for param in order:
        if param.positional:
            continue
        flag = param.flags[-1]  # the short one where there is one
        if param.kind == "flag":
            argv.append(flag)
        elif param.kind == "switch":
            argv.append(param.negative or flag)
        else:
            argv += [flag, _sample(param)] + ([flag, _sample(param)] if param.multiple else [])
    return argv


def _read_by_both(argv: list[str], app: Any) -> tuple[Any, Any]:
    """What the fast path and the Typer app hand run.execute for one argument vector."""
    fast = launch.parse(argv)
    assert fast is not None, argv
    seen: list[tuple[str, dict[str, object]]] = []

    def record(command: Command, given: dict[str, object]) -> int:
        seen.append((command.name, commands.values(command, given)))
        return 0

    with mock.patch.object(cli, "execute", record):
        import typer

        typer.main.get_command(app).main(args=argv, prog_name="lycli", standalone_mode=False)
    assert len(seen) == 1, argv
    return (fast[0].name, commands.values(*fast)), seen[0]


def _reordered(command: Command) -> Command:
    """The command with its parameters (and output options) in reverse order."""
    return Command(
        command.name,
        command.help,
        tuple(reversed(command.params)),
        query=command.query,
        runner=command.runner,
        answers=command.answers,
        output=tuple(reversed(command.output)),
        takes=command.takes,
        examples=command.examples,
    )


@pytest.mark.parametrize("command", commands.TABLE, ids=lambda c: c.name)
def test_every_option_means_the_same_on_both_paths(command: Command) -> None:
    options = list(command.every())
    for order in itertools.islice(itertools.permutations(options), 3):
        fast, app = _read_by_both(_argv(command, list(order)), cli.app)
        assert fast == app


def test_reordering_a_commands_parameters_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Swapping parameters in the table (and so in the app built from it) leaves every call's
    meaning as it was: calls are by name, never by position."""
    reordered = tuple(_reordered(c) for c in commands.TABLE)
    app = cli.build(reordered)
    for original in commands.TABLE:
        argv = _argv(original, list(original.every()))
        before = _read_by_both(argv, cli.app)
        monkeypatch.setattr(commands, "BY_NAME", {c.name: c for c in reordered})
        after = _read_by_both(argv, app)
        monkeypatch.setattr(commands, "BY_NAME", {c.name: c for c in commands.TABLE})
        assert before == after, argv


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
    assert launch.parse(["targets", "gaoxin", "--format", "JSON"]) is not None  # read as the app reads it
    for argv in (
        ["targets", "--help"],
        ["targets", "gaoxin", "--", "x"],
        ["--version"],
        ["nope"],
        ["search", "x", "-n5"],
        ["show", "a", "b"],
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
