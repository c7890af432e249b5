"""The Typer app: parse, load, query, render, map errors to exit codes. The only module with typer."""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, get_type_hints

import typer

from liaoyuan_cli import __version__
from liaoyuan_cli.errors import CannotWrite, ExitCode, InvalidKnowledgeBase, LycliError, UsageError
from liaoyuan_cli.render import Format, Lang, Options
from liaoyuan_cli.text import escape_controls

EPILOG = (
    "Exit codes: 0 ok (also an empty result), 1 not found, 2 usage error, "
    "3 invalid knowledge base, 4 cannot write the output, 130 interrupted. "
    "Errors go to stderr; stdout is data."
)

app = typer.Typer(
    name="lycli",
    help=(
        "What Liaoyuan's county and district leaders reported for 2023 and pledged for 2024 at "
        "the city's People's Congress session (January 2024), from one newspaper page, with "
        "every claim quoted."
    ),
    epilog=EPILOG,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# -- shared options -------------------------------------------------------------------------


def _complete(kind: str) -> Callable[[str], list[str]]:
    """Completion callbacks: silent and fast (they run on every TAB), so any failure is []."""

    def complete(incomplete: str) -> list[str]:
        try:
            from liaoyuan_cli import kb, queries, store

            s = store.open_store(kb.resolve_data_dir(None))  # a damaged cache just completes nothing
            if kind == "area":
                names = [n for a in s.areas() for n in (a["slug"], a["zh"], a["short_zh"], *a["aliases"])]
            elif kind == "topic":
                names = sorted(queries.topics(s))
            elif kind == "entity":
                names = [n for e in s.entities() for n in (e["id"], e["zh"], *e["aliases"])]
            else:
                return s.record_ids(incomplete)[:200]
            folded = incomplete.casefold()
            return list(dict.fromkeys(n for n in names if n.casefold().startswith(folded)))
        except Exception:
            return []

    return complete


DataOpt = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="DIR",
        help="Knowledge base directory laid out like data/ (default: $LYCLI_DATA, else the bundled one).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="JSON on stdout (same as --format json).")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help="Comma-separated fields of each row, for json, jsonl, csv and markdown.",
        show_default=False,
    ),
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", help="Text shown in tables: zh, en or both.", case_sensitive=False)
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour (NO_COLOR is respected too).")]
SvgOpt = Annotated[
    Path | None,
    typer.Option(
        "--svg", help="Also save the table as SVG to this file.", dir_okay=False, show_default=False
    ),
]
HtmlOpt = Annotated[
    Path | None,
    typer.Option(
        "--html", help="Also save the table as HTML to this file.", dir_okay=False, show_default=False
    ),
]
KindOpt = Annotated[
    str | None, typer.Option("--kind", help="result, target, plan or view.", show_default=False)
]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", help="e.g. industry, projects, livelihood.", show_default=False)
]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        help="Only this year: 2023 for results (targets: with --kind result), 2024 for targets and plans.",
        show_default=False,
    ),
]
AreaArg = Annotated[
    str,
    typer.Argument(
        help="Area: slug, Chinese or English name, pinyin (gaoxin, 高新区, dongfeng…).",
        autocompletion=_complete("area"),
        show_default=False,
    ),
]


def _options(
    json_: bool,
    fmt: Format,
    fields: str | None,
    lang: Lang,
    no_color: bool,
    svg: Path | None = None,
    html: Path | None = None,
) -> Options:
    chosen = Format.json if json_ else fmt
    if json_ and fmt not in (Format.table, Format.json):
        raise UsageError(f"--json and --format {fmt.value} disagree", hint="use one of them")
    names = [f.strip() for f in fields.split(",") if f.strip()] if fields is not None else []
    if fields is not None and not names:
        raise UsageError("--fields names no field", hint="e.g. --fields id,zh,en")
    if names and chosen == Format.table:
        raise UsageError("--fields works with --json or --format json|jsonl|csv|markdown")
    if (svg or html) and chosen != Format.table:
        raise UsageError("--svg and --html save a table", hint="drop --json/--format to use them")
    color = not no_color and not os.environ.get("NO_COLOR")
    return Options(
        format=chosen,
        lang=lang,
        fields=names,
        color=color,
        svg=str(svg) if svg else None,
        html=str(html) if html else None,
    )


Query = Callable[[Any], dict[str, Any]]
# The output options every query command takes, declared once (cf. sqlite-utils' output_options).
_OUTPUT: dict[str, tuple[Any, Any]] = {
    "data": (DataOpt, None),
    "json_": (JsonOpt, False),
    "fmt": (FormatOpt, Format.table),
    "fields": (FieldsOpt, None),
    "lang": (LangOpt, Lang.both),
    "no_color": (NoColorOpt, False),
    "svg": (SvgOpt, None),
    "html": (HtmlOpt, None),
}


def answers(command: Callable[..., Query]) -> Callable[..., None]:
    """Make a function that returns a query into a command: its own arguments, then the shared
    output options; the command body then reads parse -> query, and this runs and renders it."""
    hints = get_type_hints(command, include_extras=True)
    own = [
        param.replace(annotation=hints[name]) for name, param in inspect.signature(command).parameters.items()
    ]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in _OUTPUT.items()
    ]

    @functools.wraps(command)
    def run(**kwargs: Any) -> None:
        out = {name: kwargs.pop(name) for name in _OUTPUT}
        names = ("json_", "fmt", "fields", "lang", "no_color", "svg", "html")
        options = _options(*(out[name] for name in names))
        _run(out["data"], options, command(**kwargs))

    run.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
    run.__annotations__ = {param.name: param.annotation for param in [*own, *shared]}
    return run


def _run(data: str | None, options: Options, query: Query) -> None:
    """Load the knowledge base, answer, render; every failure the user can cause is a LycliError."""
    from liaoyuan_cli import kb, store
    from liaoyuan_cli.render import emit, field_names

    result = store.answer(kb.resolve_data_dir(data), query)
    if options.fields:
        valid = field_names(result)
        unknown = [f for f in options.fields if f not in valid]
        if unknown and valid:
            raise UsageError(
                f"unknown field(s): {', '.join(unknown)}", hint=f"valid fields: {', '.join(valid)}"
            )
    _write(lambda: emit(result, options))


class OutputClosed(Exception):
    """stdout's reader went away. Not an OSError, so that Click does not turn it into exit 1."""


def _write(write: Callable[[], None]) -> None:
    """Write the answer; a reader that went away is no error, a full disk or bad path is."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise CannotWrite(f"cannot write{where}: {exc.strerror or exc}") from None


# -- commands -------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"lycli {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Query the 2024 Liaoyuan People's Congress interviews."""


@app.command()
@answers
def areas() -> Query:
    """The areas and the city: names, officials, record counts."""
    from liaoyuan_cli import queries

    return queries.areas


@app.command()
@answers
def targets(
    area: AreaArg,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    year: YearOpt = None,
) -> Query:
    """An area's 2024 targets and plans, with their figures.

    AREA is a slug, a Chinese or English name or pinyin: gaoxin, 高新区, "High-tech Zone".
    """
    from liaoyuan_cli import queries

    return lambda s: queries.targets(s, area, kind, category, year)


@app.command()
@answers
def metrics(
    area: AreaArg,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    year: YearOpt = None,
) -> Query:
    """Every typed figure of an area: 2023 results, 2024 targets."""
    from liaoyuan_cli import queries

    return lambda s: queries.metrics(s, area, kind, category, year)


@app.command()
@answers
def compare(
    topic: Annotated[
        str | None,
        typer.Argument(
            help="growth, gdp, investment, projects, revenue, attraction, …; none lists them.",
            autocompletion=_complete("topic"),
            show_default=False,
        ),
    ] = None,
) -> Query:
    """One topic across the areas, in comparable series.

    Figures share a series only with the same metric, year, result-or-target status, size
    threshold and stage; the table says how far each series may be compared, and why not
    further. Without a TOPIC, the topics are listed.
    """
    from liaoyuan_cli import queries

    if topic is None:
        return queries.topic_list
    return lambda s: queries.compare(s, topic)


@app.command()
@answers
def search(
    query: Annotated[
        str,
        typer.Argument(
            help="Chinese, English or pinyin (天楹, tianying, 'Tian Ying', meihualu).", show_default=False
        ),
    ],
    area: Annotated[
        str | None,
        typer.Option("--area", help="Only this area.", autocompletion=_complete("area"), show_default=False),
    ] = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many hits.")] = 20,
) -> Query:
    """Search records, entities and frameworks (zh, en, pinyin).

    Best first, the match highlighted. Pinyin with or without tones or spaces: tianying,
    "Tian Ying", tiānyíng, meihualu.
    """
    from liaoyuan_cli import queries

    return lambda s: queries.search(s, query, area, kind, category, limit)


@app.command()
@answers
def entities(
    name: Annotated[
        str | None,
        typer.Argument(
            help="An entity's id or name (天楹, tianying); none lists all.",
            autocompletion=_complete("entity"),
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="company, project, park, programme, place, …", show_default=False),
    ] = None,
) -> Query:
    """Companies, projects, parks, programmes; or one's mentions.

    With NAME (an id, a Chinese or English name, or pinyin), every area and record that names it.
    """
    from liaoyuan_cli import queries

    return lambda s: queries.entities(s, name, kind)


@app.command()
@answers
def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A record id, e.g. gaoxin-2023-gdp.",
            autocompletion=_complete("record"),
            show_default=False,
        ),
    ],
) -> Query:
    """One record in full: quote, place in the article, citation."""
    from liaoyuan_cli import queries

    return lambda s: queries.show(s, record_id)


@app.command()
@answers
def summarize(
    area: Annotated[
        str | None,
        typer.Argument(
            help="An area; none summarizes the city.", autocompletion=_complete("area"), show_default=False
        ),
    ] = None,
) -> Query:
    """An area at a glance, or the whole city.

    For an area: its official, frameworks, figures, pledges by category and the entities it
    names. For the city: who leads where areas can be compared, the standings the article
    states, themes shared across areas and the projects several areas name.
    """
    from liaoyuan_cli import queries

    return lambda s: queries.summarize(s, area)


@app.command()
def validate(
    directory: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="Knowledge base to check (default: --data, $LYCLI_DATA or the bundled one).",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    json_: JsonOpt = False,
    fmt: FormatOpt = Format.table,
    no_color: NoColorOpt = False,
) -> None:
    """Check a knowledge base and report every problem.

    Each problem names its file and line, or its record and field. Exit code 3 if any.
    """
    from liaoyuan_cli import kb, queries
    from liaoyuan_cli.render import emit

    options = _options(json_, fmt, None, Lang.both, no_color)
    result = queries.validate(kb.resolve_data_dir(str(directory) if directory is not None else data))
    _write(lambda: emit(result, options))
    if not result["ok"]:
        raise typer.Exit(ExitCode.INVALID_KB)


@app.command()
def schema(
    command: Annotated[
        str,
        typer.Argument(
            help="A command whose JSON output to describe (targets, search, …).", show_default=False
        ),
    ],
) -> None:
    """The JSON Schema of a command's --json output."""
    import json

    from liaoyuan_cli.results import schema_for

    sys.stdout.write(json.dumps(schema_for(command), ensure_ascii=False, indent=2) + "\n")


# -- entry point ----------------------------------------------------------------------------


def _fail(message: str, hint: str | None, code: int, details: list[str] | None = None) -> NoReturn:
    """One line on stderr, `lycli: error: what (hint)`; a broken knowledge base lists its problems."""
    line = f"lycli: error: {message}" + (f" ({hint})" if hint else "")
    # Arguments and data may hold control characters: shown escaped, never obeyed.
    sys.stderr.write(escape_controls(line) + "\n")
    for detail in details or ():
        sys.stderr.write(f"  {escape_controls(detail)}\n")
    sys.exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit cannot fail a second time."""
    # Where stdout is no file (a test's buffer) there is nothing to flush later.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _as_text(arg: str) -> str:
    """An argument that was not valid text in the locale's encoding, read as UTF-8 (or U+FFFD).

    Python keeps undecodable bytes of argv as lone surrogates, which no file, database or
    JSON document can hold; lycli's arguments are names and queries, so they become text.
    """
    if not any("\udc80" <= ch <= "\udcff" for ch in arg):
        return arg
    return os.fsencode(arg).decode("utf-8", "replace")


def _safe_streams() -> None:
    """Chinese on an ASCII or C-locale stream degrades to '?' instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower()
        if not encoding.replace("-", "").startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> None:
    """Run the app with its errors mapped to one line on stderr and a documented exit code."""
    import click

    # `lycli` alone shows its help (on stderr, exit 2), not an error wrapped around the help.
    no_args_is_help = getattr(click.exceptions, "NoArgsIsHelpError", ())
    _safe_streams()
    args = [_as_text(a) for a in (sys.argv[1:] if argv is None else argv)]
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="lycli", standalone_mode=False)
    except InvalidKnowledgeBase as exc:
        _fail(exc.message, None, exc.exit_code, [str(p) for p in exc.problems])
    except CannotWrite as exc:
        _drop_stdout()
        _fail(exc.message, exc.hint, exc.exit_code)
    except LycliError as exc:
        _fail(exc.message, exc.hint, exc.exit_code)
    except no_args_is_help as exc:
        sys.stderr.write(exc.format_message() + "\n")
        sys.exit(ExitCode.USAGE)
    except click.UsageError as exc:
        ctx = exc.ctx
        hint = f"see `{ctx.command_path} --help`" if ctx else "see `lycli --help`"
        _fail(exc.format_message(), hint, ExitCode.USAGE)
    except click.ClickException as exc:
        _fail(exc.format_message(), None, exc.exit_code)
    except (KeyboardInterrupt, click.Abort):
        sys.stderr.write("\n")
        sys.exit(ExitCode.INTERRUPTED)
    except OutputClosed:
        # The reader went away (`| head`): stop quietly.
        _drop_stdout()
        sys.exit(ExitCode.OK)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
