"""lycli's entry: errors mapped to one line and an exit code, and a fast path for well-formed calls.

A call that the command table (commands.py) reads completely goes straight to run.execute,
without importing typer; so does TAB completion of a value. Anything else (help, a usage error,
anything unusual) runs through the Typer app, which is built from the same table, so the fast
path only ever takes calls whose meaning is certain. Both hand run.execute the values by name;
a test holds the two readings equal for every command and option, in any order.
"""

from __future__ import annotations

import os
import sys

from liaoyuan_cli.errors import CannotWrite, ExitCode, InvalidKnowledgeBase, LycliError

TYPE_CHECKING = False  # typing itself is not imported at run time (3 ms a call)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from liaoyuan_cli.commands import Command, Param

COMPLETE_VAR = "_LYCLI_COMPLETE"
# Set to take every call through the Typer app (the differential tests compare the two).
ENV_NO_FAST = "LYCLI_NO_FAST_PATH"
Given = dict[str, object]


def main(argv: list[str] | None = None) -> NoReturn:
    """Run lycli and exit with its documented code."""
    if sys.stdout is None:
        _fail("cannot write: standard output is closed", None, ExitCode.CANNOT_WRITE)
    _safe_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    sys.exit(_guarded(lambda: _dispatch(args)))


def _dispatch(args: list[str]) -> int:
    fast = not os.environ.get(ENV_NO_FAST)
    if os.environ.get(COMPLETE_VAR):
        if not _sound_completion_request():
            return ExitCode.OK  # a shell's malformed request completes nothing; TAB never errors
        done = completion() if fast else None
        if done is not None:
            sys.stdout.write(done)
            return ExitCode.OK
    else:
        call = parse(args) if fast else None
        if call is not None:
            from liaoyuan_cli.run import execute

            return execute(*call)
    from liaoyuan_cli.cli import invoke

    return invoke(args)


_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _sound_completion_request() -> bool:
    """A completion instruction the app knows, with the variables its shell must set."""
    instruction = os.environ.get(COMPLETE_VAR, "")
    action, _, shell = instruction.partition("_")
    if action not in ("complete", "source") or shell not in _SHELLS:
        return False
    if instruction == "complete_bash":
        try:
            int(os.environ.get("COMP_CWORD", ""))
        except ValueError:
            return False
    return True


class Terminated(Exception):
    """SIGTERM: leave as an interrupt does (temporary files removed), with exit code 143."""


def terminate(signum: int, frame: object) -> None:
    raise Terminated


def _guarded(run: Callable[[], int]) -> int:
    """Every way lycli can fail, as one line on stderr and a documented exit code."""
    try:
        from liaoyuan_cli.run import OutputClosed

        return run()
    except InvalidKnowledgeBase as exc:
        _fail(exc.message, None, exc.exit_code, exc.details())
    except CannotWrite as exc:
        _drop_stdout()
        _fail(exc.message, exc.hint, exc.exit_code)
    except LycliError as exc:
        _fail(exc.message, exc.hint, exc.exit_code)
    except KeyboardInterrupt:
        _say("\n")
        return ExitCode.INTERRUPTED
    except Terminated:
        return ExitCode.TERMINATED
    except (OutputClosed, BrokenPipeError):
        # The reader went away (`| head`): stop quietly.
        _drop_stdout()
        return ExitCode.OK
    except OSError as exc:
        # Only writing is left unguarded by now: help or the version into a full disk.
        _drop_stdout()
        _fail(f"cannot write: {exc.strerror or exc}", None, ExitCode.CANNOT_WRITE)


def _say(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):
        pass


def _fail(message: str, hint: str | None, code: int, details: list[str] | None = None) -> NoReturn:
    """One line on stderr, `lycli: error: what (hint)`; a broken knowledge base lists its problems."""
    line = f"lycli: error: {message}" + (f" ({hint})" if hint else "")
    # Arguments and data may hold control characters: shown escaped, never obeyed; a path's bytes
    # that are not UTF-8 (kept as given) are shown as U+FFFD.
    lines = [_shown(line), *(f"  {_shown(d)}" for d in details or ())]
    _say("\n".join(lines) + "\n")
    sys.exit(code)


def _shown(text: str) -> str:
    """A line of a message as the terminal shows it: bytes that are not UTF-8 (a path's, kept as
    given in a str with surrogates) decoded for display only, control characters escaped."""
    from liaoyuan_cli.text import escape_controls

    if any("\ud800" <= ch <= "\udfff" for ch in text):
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a lone surrogate that no bytes gave
            text = text.encode("utf-8", "replace").decode("utf-8")
    return escape_controls(text)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit cannot fail a second time."""
    try:  # noqa: SIM105 - contextlib is not imported on the warm path
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _safe_streams() -> None:
    """Chinese on an ASCII or C-locale stream degrades to '?' instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower()
        if not encoding.replace("-", "").startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


# -- the fast path ---------------------------------------------------------------------------------


def _walk(command: Command, tokens: list[str]) -> tuple[Given, list[str], Param | None] | None:
    """Options and positional values of tokens, as given (read by commands.values later); the
    option still waiting for its value, if the tokens end there. None wherever the Typer app
    might read them differently."""
    options: dict[str, Param] = {}
    for p in command.every():
        for flag in (*p.flags, *((p.negative,) if p.negative else ())):
            options[flag] = p
    given: Given = {}
    positional: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("-") and token != "-":
            name, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
            param = options.get(name)
            if param is None or (param.name in given and not param.multiple):
                return None
            if param.kind in ("flag", "switch"):
                if eq:
                    return None
                given[param.name] = name != param.negative
            else:
                if not eq:
                    if i + 1 == len(tokens):
                        return given, positional, param
                    i += 1
                    value = tokens[i]
                    if value.startswith("-"):
                        return None
                if param.multiple:
                    listed = given.setdefault(param.name, [])
                    assert isinstance(listed, list)
                    listed.append(value)
                else:
                    given[param.name] = value
        else:
            positional.append(token)
        i += 1
    return given, positional, None


def parse(args: list[str]) -> tuple[Command, Given] | None:
    """(command, its values by name, as given) of a well-formed call, or None."""
    from liaoyuan_cli.commands import BY_NAME

    if not args or args[0] not in BY_NAME or "--" in args:
        return None
    command = BY_NAME[args[0]]
    walked = _walk(command, args[1:])
    if walked is None or walked[2] is not None:
        return None
    given, positional, _ = walked
    slots = [p for p in command.params if p.positional]
    if len(positional) > len(slots) and not (slots and slots[-1].multiple):
        return None
    for i, param in enumerate(slots):
        if i >= len(positional):
            break
        given[param.name] = positional[i:] if param.multiple else positional[i]  # AREA...: the rest
    if any(p.required for p in slots[len(positional) :]):
        return None
    return command, given


def completion() -> str | None:
    """What TAB offers for a value of a known command, as the app's bash completion writes it;
    None for anything else (the command or option names, other shells): the app answers those."""
    import shlex

    from liaoyuan_cli.commands import BY_NAME

    if os.environ.get(COMPLETE_VAR) != "complete_bash":
        return None
    try:
        words = shlex.split(os.environ.get("COMP_WORDS", ""))
        index = int(os.environ.get("COMP_CWORD", ""))
    except ValueError:
        return None
    before = words[1:index]
    typed = words[index] if 0 <= index < len(words) else ""
    if not before or before[0] not in BY_NAME or typed.startswith("-") or "--" in before:
        return None
    command = BY_NAME[before[0]]
    walked = _walk(command, before[1:])
    if walked is None:
        return None
    given, positional, waiting = walked
    if waiting is None:
        slots = [p for p in command.params if p.positional]
        if len(positional) >= len(slots) and not (slots and slots[-1].multiple):
            return None
        waiting = slots[min(len(positional), len(slots) - 1)]
    if waiting.complete is None:
        return None
    from liaoyuan_cli.complete import values

    data = given.get("data")
    found = values(waiting.complete, typed, data if isinstance(data, str) else None)
    return "\n".join(found) + "\n"
