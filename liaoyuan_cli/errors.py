"""Exit codes and the errors that map to them; the CLI is the only place that exits."""

from __future__ import annotations

from enum import IntEnum

TYPE_CHECKING = False  # typing itself is not imported at run time (3-4 ms of every call)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Literal


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


class DraftInvalid(LycliError):
    """`lycli draft` would leave the knowledge base invalid, a fault of the drafter: nothing is
    written (exit 3, as the knowledge base it would make is invalid)."""

    exit_code = ExitCode.INVALID_KB


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


# How many problems (and, apart, how many warnings) a report lists: the rest are counted, "and
# N more", so a knowledge base with a million problems is reported in a moment, not a flood.
LIMIT = 200


class Problem:
    """One thing wrong in a knowledge base, located as precisely as the input allows.

    A warning does not make the knowledge base invalid: it is shown by `lycli validate` only.
    """

    __slots__ = ("file", "line", "message", "severity", "where")

    def __init__(
        self,
        file: str,
        message: str,
        line: int | None = None,
        where: str = "",
        severity: Literal["error", "warning"] = "error",
    ) -> None:
        self.file = file
        self.line = line
        self.where = where
        self.message = message
        self.severity = severity

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        if self.severity != "error":
            place += f": {self.severity}"
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


class Problems:
    """Problems as they are found: the first `limit` kept to be listed, every one counted."""

    __slots__ = ("files", "limit", "shown", "total")

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self.shown: list[Problem] = []
        self.total = 0
        self.files: set[str] = set()  # of them all

    def append(self, problem: Problem) -> None:
        self.total += 1
        self.files.add(problem.file)
        if len(self.shown) < self.limit:
            self.shown.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    def count(self, number: int, file: str) -> None:
        """Count problems that will not be listed, without describing them."""
        self.total += number
        self.files.add(file)

    @property
    def full(self) -> bool:
        """Whether no more problems will be listed: those found from now on are only counted."""
        return len(self.shown) >= self.limit

    @property
    def more(self) -> int:
        """How many were found but are not listed."""
        return self.total - len(self.shown)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.shown)


def and_more(count: int, what: str = "problem") -> str:
    """The line that ends a list cut at its limit: "… and 1,499,800 more problems"."""
    return f"… and {count:,} more {what}{'s' if count != 1 else ''}"


class InvalidKnowledgeBase(LycliError):
    """The knowledge base cannot be served: every problem found, not just the first (the first
    LIMIT listed in `problems`, `total` counting them all)."""

    exit_code = ExitCode.INVALID_KB

    def __init__(self, problems: Problems | Iterable[Problem], data_dir: str) -> None:
        found = problems if isinstance(problems, Problems) else _collected(problems)
        self.problems = list(found.shown)
        self.total = found.total
        count = self.total
        super().__init__(f"invalid knowledge base {data_dir}: {count:,} problem{'s' if count != 1 else ''}")

    def details(self) -> list[str]:
        """The problems as listed under the error line: at most LIMIT, then how many more."""
        lines = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(and_more(self.total - len(self.problems)))
        return lines


def _collected(problems: Iterable[Problem]) -> Problems:
    found = Problems()
    found.extend(problems)
    return found
