"""lycli's entry: errors mapped to one line and an exit code, and a fast path for well-formed calls.

A call the grammar of the Typer app (grammar.py, generated from cli.py and checked by a test)
parses completely goes straight to its command in commands.py, without importing typer; so
does TAB completion of a value. Anything else (help, a usage error, anything unusual) runs
through the Typer app itself, so the command line has one declaration, and the fast path
only ever takes calls whose meaning is certain. A differential test runs the same argument
vectors through both and compares the bytes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from liaoyuan_cli.errors import CannotWrite, ExitCode, InvalidKnowledgeBase, LycliError
from liaoyuan_cli.text import escape_controls

if TYPE_CHECKING:
    from liaoyuan_cli.vocab import Term

COMPLETE_VAR = "_LYCLI_COMPLETE"
# Set to take every call through the Typer app (the differential test compares the two).
ENV_NO_FAST = "LYCLI_NO_FAST_PATH"


def main(argv: list[str] | None = None) -> NoReturn:
    """Run lycli and exit with its documented code."""
    if sys.stdout is None:
        _fail("cannot write: standard output is closed", None, ExitCode.CANNOT_WRITE)
    _safe_streams()
    args = [_as_text(a) for a in (sys.argv[1:] if argv is None else argv)]
    sys.exit(_guarded(lambda: _dispatch(args)))


def _dispatch(args: list[str]) -> int:
    fast = not os.environ.get(ENV_NO_FAST)
    if os.environ.get(COMPLETE_VAR):
        if not _sound_completion_request():
            return ExitCode.OK  # a shell's malformed request completes nothing; TAB never errors
        done = completion(args) if fast else None
        if done is not None:
            sys.stdout.write(done)
            return ExitCode.OK
    else:
        call = parse(args) if fast else None
        if call is not None:
            from liaoyuan_cli import commands

            name, own, out = call
            function: Callable[..., None] = getattr(commands, name)
            function(*own, out) if out is not None else function(*own)
            return ExitCode.OK
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


def _guarded(run: Callable[[], int]) -> int:
    """Every way lycli can fail, as one line on stderr and a documented exit code."""
    from liaoyuan_cli.commands import Exit, OutputClosed

    try:
        return run()
    except InvalidKnowledgeBase as exc:
        _fail(exc.message, None, exc.exit_code, exc.details())
    except CannotWrite as exc:
        _drop_stdout()
        _fail(exc.message, exc.hint, exc.exit_code)
    except LycliError as exc:
        _fail(exc.message, exc.hint, exc.exit_code)
    except Exit as exc:
        return exc.code
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return ExitCode.INTERRUPTED
    except (OutputClosed, BrokenPipeError):
        # The reader went away (`| head`): stop quietly.
        _drop_stdout()
        return ExitCode.OK
    except OSError as exc:
        # Only writing is left unguarded by now: help or the version into a full disk.
        _drop_stdout()
        _fail(f"cannot write: {exc.strerror or exc}", None, ExitCode.CANNOT_WRITE)


def _fail(message: str, hint: str | None, code: int, details: list[str] | None = None) -> NoReturn:
    """One line on stderr, `lycli: error: what (hint)`; a broken knowledge base lists its problems."""
    line = f"lycli: error: {message}" + (f" ({hint})" if hint else "")
    with contextlib.suppress(OSError, AttributeError, ValueError):
        # Arguments and data may hold control characters: shown escaped, never obeyed.
        sys.stderr.write(escape_controls(line) + "\n")
        for detail in details or ():
            sys.stderr.write(f"  {escape_controls(detail)}\n")
        sys.stderr.flush()
    sys.exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit cannot fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _as_text(arg: str) -> str:
    """An argument that was not valid text in the locale's encoding, read as UTF-8 (or U+FFFD)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in arg):
        return arg
    return os.fsencode(arg).decode("utf-8", "replace")


def _safe_streams() -> None:
    """Chinese on an ASCII or C-locale stream degrades to '?' instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower()
        if not encoding.replace("-", "").startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


# -- the fast path ---------------------------------------------------------------------------------

Param = dict[str, Any]


def _convert(param: Param, value: str) -> tuple[bool, Any]:
    """A value as the app would convert it, if it is certain to convert the same way."""
    kind = param["kind"]
    if kind == "int":
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 9):
            return False, None
        return True, int(value)
    if kind == "choice":
        if value not in param["choices"]:
            return False, None
        return True, _enum(param["enum"])(value)
    return True, value


def _enum(name: str) -> type[Term]:
    from liaoyuan_cli import vocab

    found: type[Term] = getattr(vocab, name)
    return found


def _default(param: Param) -> Any:
    value = param["default"]
    if param["kind"] == "choice" and value is not None:
        return _enum(param["enum"])(value)
    return value


def _walk(spec: dict[str, Any], tokens: list[str]) -> tuple[dict[str, Any], list[str], Param | None] | None:
    """Options and positional values of tokens; the option still waiting for its value, if
    the tokens end there. None wherever the app might read them differently."""
    options = {opt: p for p in spec["params"] if not p["positional"] for opt in (*p["opts"], *p["secondary"])}
    values: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("-") and token != "-":
            name, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
            param = options.get(name)
            if param is None or (param["name"] in values and not param["multiple"]):
                return None
            if param["kind"] == "flag":
                if eq:
                    return None
                values[param["name"]] = name not in param["secondary"]
            else:
                if not eq:
                    if i + 1 == len(tokens):
                        return values, positional, param
                    i += 1
                    value = tokens[i]
                    if value.startswith("-"):
                        return None
                ok, converted = _convert(param, value)
                if not ok:
                    return None
                if param["multiple"]:
                    values.setdefault(param["name"], []).append(converted)
                else:
                    values[param["name"]] = converted
        else:
            positional.append(token)
        i += 1
    return values, positional, None


def parse(args: list[str]) -> tuple[str, list[Any], dict[str, Any] | None] | None:
    """(command, its own arguments in order, the output options) of a well-formed call, or None."""
    from liaoyuan_cli.grammar import GRAMMAR

    if not args or args[0] not in GRAMMAR or "--" in args:
        return None
    spec = GRAMMAR[args[0]]
    walked = _walk(spec, args[1:])
    if walked is None or walked[2] is not None:
        return None
    values, positional, _ = walked
    slots = [p for p in spec["params"] if p["positional"]]
    if len(positional) > len(slots):
        return None
    for param, value in zip(slots, positional, strict=False):
        ok, converted = _convert(param, value)
        if not ok:
            return None
        values[param["name"]] = converted
    for param in slots[len(positional) :]:
        if param["required"]:
            return None
    from liaoyuan_cli.commands import OUTPUT

    own, out = [], {}
    for param in spec["params"]:
        value = values[param["name"]] if param["name"] in values else _default(param)
        if param["name"] in OUTPUT:
            out[param["name"]] = value
        else:
            own.append(value)
    return args[0], own, (out if out else None)


def completion(args: list[str]) -> str | None:
    """What TAB offers for a value of a known command, as the app's bash completion writes it;
    None for anything else (the command or option names, other shells): the app answers those."""
    import shlex

    from liaoyuan_cli.grammar import GRAMMAR

    if os.environ.get(COMPLETE_VAR) != "complete_bash":
        return None
    try:
        words = shlex.split(os.environ.get("COMP_WORDS", ""))
        index = int(os.environ.get("COMP_CWORD", ""))
    except ValueError:
        return None
    before = words[1:index]
    typed = words[index] if 0 <= index < len(words) else ""
    if not before or before[0] not in GRAMMAR or typed.startswith("-") or "--" in before:
        return None
    spec = GRAMMAR[before[0]]
    walked = _walk(spec, before[1:])
    if walked is None:
        return None
    given, positional, waiting = walked
    if waiting is None:
        slots = [p for p in spec["params"] if p["positional"]]
        if len(positional) >= len(slots):
            return None
        waiting = slots[len(positional)]
    if waiting["kind"] == "choice":
        found = [c for c in waiting["choices"] if c.lower().startswith(typed.lower())]
    elif waiting["complete"]:
        from liaoyuan_cli.complete import values

        found = values(waiting["complete"], typed, given.get("data"))
    else:
        return None
    return "\n".join(found) + "\n"
