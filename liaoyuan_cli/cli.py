"""The command line for people: the Typer app, built from the command table (commands.py). The
only module that imports typer.

A well-formed call never gets here: launch.py reads it with the same table and calls run.execute
itself. Everything else (help, errors, completion it cannot settle) runs through this app, whose
commands hand their values, by name and as given, to run.execute.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from liaoyuan_cli import __version__, commands
from liaoyuan_cli.commands import Command, Param
from liaoyuan_cli.errors import ExitCode, LycliError, UsageError
from liaoyuan_cli.run import OutputClosed, deliver, execute

EPILOG = (
    "\b\nExamples:\n"
    "  lycli targets gaoxin --lang en\n      An area's targets and plans, for an English reader.\n"
    "  lycli search 天楹\n      Chinese, English or pinyin; lycli COMMAND --help shows more.\n"
    "  lycli completion bash >> ~/.bashrc\n      TAB completion (or --install-completion).\n\n"
    "Exit codes: 0 ok (also an empty result), 1 not found, 2 usage error, "
    "3 invalid knowledge base, 4 cannot write the output, 130 interrupted, 143 terminated. "
    "Errors go to stderr; stdout is data."
)


def build(table: tuple[Command, ...]) -> typer.Typer:
    """The app of a command table (tests build one of a reordered table)."""
    built = typer.Typer(
        name="lycli",
        help=(
            "What Liaoyuan's county and district leaders reported and pledged at the city's People's "
            "Congress sessions, from the newspaper pages that report them, with every claim quoted."
        ),
        epilog=EPILOG,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        add_completion=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(root)
    for command in table:
        _register(built, command)
    return built


def _version(value: bool) -> None:
    if value:
        deliver(lambda: sys.stdout.write(f"lycli {__version__}\n"))
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Query what Liaoyuan's county and district leaders reported and pledged."""


def _complete(kind: str) -> Callable[[typer.Context, str], list[str]]:
    """A completion callback for values of `kind`."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from liaoyuan_cli.complete import values

        data = ctx.params.get("data")
        return values(kind, incomplete, data if isinstance(data, str) else None)

    return complete


def _declared(param: Param) -> inspect.Parameter:
    """A parameter of the table as typer reads it: every value as text (run.execute converts it,
    as the fast path's values are converted), flags as flags."""
    extra: dict[str, Any] = {"help": param.help, "show_default": False}
    if param.complete is not None:
        extra["autocompletion"] = _complete(param.complete)
    if param.kind == "flag":
        annotation: Any = bool
        default: Any = False
        declared = typer.Option(*param.flags, **extra)
    elif param.kind == "switch":
        annotation, default = bool | None, None
        declared = typer.Option(f"{param.flags[0]}/{param.negative}", **extra)
    else:
        annotation = list[str] | None if param.multiple else str | None
        default = None
        if param.positional:
            declared = typer.Argument(metavar=param.metavar, **extra)
            if param.required:
                annotation, default = str, inspect.Parameter.empty
        else:
            declared = typer.Option(*param.flags, metavar=param.metavar, **extra)
    return inspect.Parameter(
        param.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[annotation, declared],
    )


def _epilog(command: Command) -> str:
    """The command's examples, one a line (\\b keeps Click from refilling them)."""
    lines = [f"  lycli {args}\n      {what}" for args, what in command.examples]
    return "\b\nExamples:\n" + "\n".join(lines) if lines else ""


def _register(app: typer.Typer, command: Command) -> None:
    """Add a command of the table to the app: its values go to run.execute by name, as given."""

    def run(**given: Any) -> None:
        code = execute(command, given)
        if code:
            raise typer.Exit(code)

    parameters = [_declared(p) for p in command.every()]
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    run.__doc__ = command.help
    app.command(command.name, epilog=_epilog(command))(run)


app = build(commands.TABLE)


# -- completion scripts -----------------------------------------------------------------------------

COMPLETE_VAR = "_LYCLI_COMPLETE"  # what the scripts set, and launch.py reads
_COMPLETION_OPTIONS = ("--show-completion", "--install-completion")


def completion_script(shell: str) -> str:
    """The TAB completion script of `lycli completion SHELL`: Typer's, for this app."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name="lycli", complete_var=COMPLETE_VAR, shell=shell)


def _completion_shell(args: list[str]) -> None:
    """--show-completion and --install-completion work on the shell lycli runs in: where it
    cannot tell which (a script, an editor, CI) or does not know it, a usage error that points
    to `lycli completion SHELL`, on stderr (Typer says "Shell  not supported.", on stdout for
    --install-completion, and exits 1)."""
    import itertools
    import os

    from liaoyuan_cli.vocab import Shell, names

    root = itertools.takewhile(lambda a: a.startswith("-"), args)
    asked = next((a for a in root if a.partition("=")[0] in _COMPLETION_OPTIONS), None)
    if asked is None or os.environ.get("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"):
        return
    from typer._completion_shared import _get_shell_name

    shell = _get_shell_name()
    if shell not in names(Shell):
        said = (
            f"{asked}: cannot tell which shell this is"
            if not shell
            else f"{asked}: no completion for {shell}"
        )
        raise UsageError(said, hint="`lycli completion bash` (or zsh, fish) prints the script for a shell")


# -- running the app --------------------------------------------------------------------------------


def invoke(args: list[str]) -> int:
    """Run the app on arguments the fast path did not take; Click's errors become LycliErrors."""
    import os

    command = typer.main.get_command(app)
    if not args and not os.environ.get("_LYCLI_COMPLETE"):
        # `lycli` alone: its help, on stderr, as a usage error (exit 2), not an error around it.
        with _stdout_to_stderr(), contextlib.suppress(typer.Exit):
            command.main(args=["--help"], prog_name="lycli", standalone_mode=False)
        return ExitCode.USAGE
    _completion_shell(args)
    try:
        with _pipe_closing_is_ours():
            code = command.main(args=args, prog_name="lycli", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        raise KeyboardInterrupt from None
    except typer.TyperException as exc:
        if isinstance(exc, LycliError):
            raise
        ctx = getattr(exc, "ctx", None)
        if getattr(exc, "exit_code", 1) == ExitCode.USAGE:
            hint = f"see `{ctx.command_path} --help`" if ctx is not None else "see `lycli --help`"
            raise UsageError(_without_library_words(exc.format_message()), hint=hint) from None
        raise LycliError(_without_library_words(exc.format_message())) from None
    return code if isinstance(code, int) else ExitCode.OK


_LIBRARY_WORDS = (
    ("Value error, ", ""),
    ("Input should be a valid integer, unable to parse string as an integer", "not a whole number"),
    ("Input should be a valid integer", "not a whole number"),
)


def _without_library_words(message: str) -> str:
    """typer's message without the wording of the validation library beneath it."""
    for library, ours in _LIBRARY_WORDS:
        message = message.replace(library, ours)
    return message.rstrip(".") if message.endswith("..") else message


class _PipeAware:
    """stdout for the app: a reader that went away raises our OutputClosed (exit 0), where the
    app would turn the broken pipe into exit 1."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise OutputClosed from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _pipe_closing_is_ours:
    def __enter__(self) -> None:
        self.saved = sys.stdout
        sys.stdout = _PipeAware(sys.stdout)

    def __exit__(self, *exc: object) -> None:
        sys.stdout = self.saved


class _stdout_to_stderr:
    def __enter__(self) -> None:
        self.saved = sys.stdout
        sys.stdout = sys.stderr

    def __exit__(self, *exc: object) -> None:
        sys.stdout = self.saved
