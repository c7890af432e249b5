"""Exit codes and the errors that map to them; the CLI is the only place that exits."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented in the README and docs/errors.md; scripts may rely on them."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    INVALID_KB = 3
    CANNOT_WRITE = 4
    INTERRUPTED = 130
    TERMINATED = 143


class LycliError(Exception):
    """An error the user can act on: one message, one exit code, never a traceback."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(LycliError):
    exit_code = ExitCode.USAGE


def suggest(value: str, choices: list[str], what: str) -> UsageError:
    """`unknown area 'gaoxn' (did you mean gaoxin?)`, or every valid value if nothing is close."""
    from difflib import get_close_matches

    close = get_close_matches(value.casefold(), choices, n=3, cutoff=0.6)
    listed = f"choose from: {', '.join(choices)}" if len(choices) <= 30 else ""
    if close:
        hint = f"did you mean {' or '.join(close)}?" + (f" {listed}" if listed else "")
        return UsageError(f"unknown {what} {value!r}", hint=hint)
    return UsageError(f"unknown {what} {value!r}", hint=listed or f"{len(choices)} {what}s; see --help")


class NotFound(LycliError):
    exit_code = ExitCode.NOT_FOUND


class CannotWrite(LycliError):
    """The answer could not be written: stdout or an --svg/--html file refused it."""

    exit_code = ExitCode.CANNOT_WRITE


class Where:
    """Where an item of a knowledge base stands: file, line of its table header, how to name it."""

    __slots__ = ("file", "label", "line")

    def __init__(self, file: str, line: int | None, label: str) -> None:
        self.file = file
        self.line = line
        self.label = label


class Problem:
    """One thing wrong in a knowledge base, located as precisely as the input allows."""

    __slots__ = ("file", "line", "message", "where")

    def __init__(self, file: str, message: str, line: int | None = None, where: str = "") -> None:
        self.file = file
        self.line = line
        self.where = where
        self.message = message

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


class InvalidKnowledgeBase(LycliError):
    """The knowledge base cannot be served: every problem found, not just the first."""

    exit_code = ExitCode.INVALID_KB

    more = 0  # problems found beyond those listed

    def __init__(self, problems: list[Problem], data_dir: str) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(f"invalid knowledge base {data_dir}: {count} problem{'s' if count != 1 else ''}")
