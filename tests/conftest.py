"""Shared fixtures: a pinned terminal, a private cache, the two knowledge bases, and an
in-process runner of `lycli`'s real entry point."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli.cli import app
from liaoyuan_cli.launch import main

ROOT = Path(__file__).resolve().parent.parent
# Every command of the app, as users type them.
COMMAND_NAMES = sorted(c.name or c.callback.__name__ for c in app.registered_commands if c.callback)
DATA = ROOT / "data"
SOURCE = DATA / "articles" / "session-2024" / "source.txt"
# The small invented knowledge base the query and renderer tests run on (tests/fixtures/README.md).
FIXTURE = ROOT / "tests" / "fixtures" / "kb"


@pytest.fixture(autouse=True)
def pinned_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Answers must not depend on the machine: no colour, fixed width, a private cache."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("LYCLI_DATA", raising=False)
    monkeypatch.delenv("LYCLI_NO_FAST_PATH", raising=False)
    monkeypatch.delenv("_LYCLI_COMPLETE", raising=False)
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


# Variables that change how lycli renders or where it reads: each subprocess test sets its own.
SCRUB = (
    "LYCLI_DATA", "LYCLI_CACHE_DIR", "LYCLI_NO_FAST_PATH", "NO_COLOR", "FORCE_COLOR", "CLICOLOR",
    "CLICOLOR_FORCE", "COLUMNS", "LINES", "TERM", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCECLOCALE",
    "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "PYTHONWARNINGS", "PYTHONDEVMODE",
    "XDG_CACHE_HOME", "_LYCLI_COMPLETE", "COMP_WORDS", "COMP_CWORD",
)  # fmt: skip


def subprocess_env(cache: Path, data: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment for a subprocess run of lycli: the machine's, less what would change
    the answer, with a private cache, a UTF-8 locale, and the knowledge base to use if given."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    env.update(LANG="C.UTF-8", LYCLI_CACHE_DIR=str(cache))
    if data is not None:
        env["LYCLI_DATA"] = str(data)
    env.update(extra)
    return env


def copy_kb(dest: Path, source: Path = DATA) -> Path:
    """A writable copy of a knowledge base, to break or change in a test."""
    shutil.copytree(source, dest)
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str) -> Run:
    """Run lycli's real entry point in-process, with its own stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    else:  # pragma: no cover - main always exits
        code = 0
    finally:
        sys.stdout, sys.stderr = old
    return Run(code, out.getvalue(), err.getvalue())


def fixture_cli(*args: str) -> Run:
    """`lycli ... --data tests/fixtures/kb`."""
    return run_cli(*args, "--data", str(FIXTURE))


@pytest.fixture
def lycli() -> Iterator[Any]:
    yield run_cli


@pytest.fixture
def store() -> Any:
    """The invented fixture knowledge base, opened as queries see it."""
    from liaoyuan_cli.store import open_store

    return open_store(FIXTURE)


@pytest.fixture
def bundled() -> Any:
    """The bundled knowledge base, opened as queries see it."""
    from liaoyuan_cli.store import open_store

    return open_store(DATA)
