"""The command line, declared once: the Typer app. The only module that imports typer.

Each command body hands its arguments to commands.py unchanged. A well-formed call never
gets here: launch.py parses it with the grammar generated from this app (grammar.py, checked
by a test) and calls commands.py itself; everything else (help, errors, completion it cannot
settle) runs through this app.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import sys
from collections.abc import Callable
from typing import Annotated, Any, get_type_hints

import typer

from liaoyuan_cli import __version__, commands
from liaoyuan_cli.errors import ExitCode, LycliError, UsageError
from liaoyuan_cli.vocab import Category, EntityKind, Format, Lang, RecordKind, Verdict, names

EPILOG = (
    "Exit codes: 0 ok (also an empty result), 1 not found, 2 usage error, "
    "3 invalid knowledge base, 4 cannot write the output, 130 interrupted. "
    "Errors go to stderr; stdout is data."
)

app = typer.Typer(
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


def _complete(kind: str) -> Callable[[typer.Context, str], list[str]]:
    """A completion callback for values of `kind`; it carries its kind for the grammar."""
    from liaoyuan_cli.complete import values

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        data = ctx.params.get("data")
        return values(kind, incomplete, data if isinstance(data, str) else None)

    complete.kind = kind  # type: ignore[attr-defined]
    return complete


def _one_of(values: list[str]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]


# -- the options several commands share -------------------------------------------------------------

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
FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help=f"Output format: {_one_of(names(Format))}.", case_sensitive=False),
]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="FIELDS",
        help="Comma-separated columns of each row, for the machine formats.",
        show_default=False,
    ),
]
LangOpt = Annotated[
    Lang,
    typer.Option("--lang", help="Language of tables and citations: zh, en or both.", case_sensitive=False),
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour (NO_COLOR is respected too).")]
SvgOpt = Annotated[
    str | None,
    typer.Option(
        "--svg",
        metavar="FILE",
        help="Also save the tables as an SVG image for publication.",
        show_default=False,
    ),
]
HtmlOpt = Annotated[
    str | None,
    typer.Option(
        "--html",
        metavar="FILE",
        help="Also save the tables as a self-contained HTML page.",
        show_default=False,
    ),
]
WidthOpt = Annotated[
    int | None,
    typer.Option(
        "--width", metavar="PX", help="Width of the --svg image in pixels (default 960).", show_default=False
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option("--raw", help="CSV/TSV cells exactly as stored: no apostrophe before a leading = + - @."),
]
KindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        metavar="KIND",
        help=f"Kind of record: {_one_of(names(RecordKind))}; pledge is target and plan.",
        autocompletion=_complete("kind"),
        show_default=False,
    ),
]
CategoryOpt = Annotated[
    str | None,
    typer.Option(
        "--category",
        metavar="CATEGORY",
        help=f"Category: {_one_of(names(Category))}.",
        autocompletion=_complete("category"),
        show_default=False,
    ),
]
ThemeOpt = Annotated[
    str | None,
    typer.Option(
        "--theme",
        metavar="THEME",
        help="A theme's id (lycli themes lists them).",
        autocompletion=_complete("theme"),
        show_default=False,
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option(
        "--year", metavar="YEAR", help="Only this year (of the record, or of the figure).", show_default=False
    ),
]
ArticleOpt = Annotated[
    str | None,
    typer.Option(
        "--article",
        metavar="ID",
        help="An article's id, all, or latest (lycli areas shows which articles speak of each area).",
        autocompletion=_complete("article"),
        show_default=False,
    ),
]
EntityOpt = Annotated[
    str | None,
    typer.Option(
        "--entity",
        metavar="ENTITY",
        help="Records naming this entity (an id or any of its names).",
        autocompletion=_complete("entity"),
        show_default=False,
    ),
]
MetricOpt = Annotated[
    str | None,
    typer.Option(
        "--metric",
        metavar="METRIC",
        help="Records with a figure of this metric.",
        autocompletion=_complete("metric"),
        show_default=False,
    ),
]
HasFiguresOpt = Annotated[
    bool | None,
    typer.Option(
        "--has-figures/--no-figures", help="Only records with (or without) typed figures.", show_default=False
    ),
]
AreasOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--area",
        "-a",
        metavar="AREA",
        help="An area (repeatable); all areas if none.",
        autocompletion=_complete("area"),
        show_default=False,
    ),
]
AreaArg = Annotated[
    str | None,
    typer.Argument(
        metavar="AREA",
        help="Area: slug, Chinese or English name, or pinyin (gaoxin, 高新区, dongfeng); all for every area.",
        autocompletion=_complete("area"),
        show_default=False,
    ),
]

# The output options, declared once and added to every query command by `answers`.
_OUTPUT: dict[str, tuple[Any, Any]] = {
    "data": (DataOpt, None),
    "json_": (JsonOpt, False),
    "fmt": (FormatOpt, Format.table),
    "fields": (FieldsOpt, None),
    "lang": (LangOpt, Lang.both),
    "no_color": (NoColorOpt, False),
    "svg": (SvgOpt, None),
    "html": (HtmlOpt, None),
    "width": (WidthOpt, None),
    "raw": (RawOpt, False),
}
assert tuple(_OUTPUT) == commands.OUTPUT


def answers(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the shared output options, after its own parameters, and pass them on to
    its body as one `out` dict. (A signature rewrite: it saves ten options on fifteen commands.)"""
    hints = get_type_hints(command, include_extras=True)
    own = [
        param.replace(annotation=hints[name])
        for name, param in inspect.signature(command).parameters.items()
        if name != "out"
    ]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in _OUTPUT.items()
    ]

    @functools.wraps(command)
    def run(**kwargs: Any) -> None:
        out = {name: kwargs.pop(name) for name in _OUTPUT}
        command(**kwargs, out=out)

    run.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
    run.__annotations__ = {param.name: param.annotation for param in [*own, *shared]}
    return run


# -- the commands -------------------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        commands.deliver(lambda: sys.stdout.write(f"lycli {__version__}\n"))
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Query what Liaoyuan's county and district leaders reported and pledged."""


@app.command()
@answers
def areas(out: commands.Output) -> None:
    """The areas and the city: names, officials, counts.

    Each with its names in Chinese, English and pinyin, its official, and how many records
    of each kind it has.
    """
    commands.areas(out)


@app.command()
@answers
def targets(
    area: AreaArg = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    year: YearOpt = None,
    article: ArticleOpt = None,
    theme: ThemeOpt = None,
    *,
    out: commands.Output,
) -> None:
    """An area's targets and plans, with their figures.

    AREA is a slug, a Chinese or English name or pinyin: gaoxin, 高新区, "High-tech Zone";
    all (or none) for every area. From the newest article that speaks of the area, unless
    --article says otherwise.
    """
    commands.targets(area, kind, category, year, article, theme, out)


@app.command()
@answers
def records(
    area: AreasOpt = None,
    article: ArticleOpt = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    theme: ThemeOpt = None,
    year: YearOpt = None,
    entity: EntityOpt = None,
    metric: MetricOpt = None,
    has_figures: HasFiguresOpt = None,
    *,
    out: commands.Output,
) -> None:
    """Every record, of every area and article; filters combine.

    E.g. lycli records --theme new-energy; lycli records --area gaoxin --area xian --kind target
    --has-figures.
    """
    commands.records(area, article, kind, category, theme, year, entity, metric, has_figures, out)


@app.command()
@answers
def metrics(
    area: AreaArg = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    year: YearOpt = None,
    article: ArticleOpt = None,
    *,
    out: commands.Output,
) -> None:
    """Every typed figure of an area: results, targets, sizes."""
    commands.metrics(area, kind, category, year, article, out)


@app.command()
@answers
def figures(
    area: AreasOpt = None,
    article: ArticleOpt = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    theme: ThemeOpt = None,
    year: YearOpt = None,
    entity: EntityOpt = None,
    metric: MetricOpt = None,
    *,
    out: commands.Output,
) -> None:
    """Every typed figure, one flat row each (long format).

    The long format for pandas, R and spreadsheets.

    Each row has the value as printed, its unit, and the value in base units (yuan, count,
    percent) beside them; thresholds in columns of their own.
    """
    commands.figures(area, article, kind, category, theme, year, entity, metric, out)


@app.command()
@answers
def compare(
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC",
            help="A topic (growth, gdp, investment, …); none lists them.",
            autocompletion=_complete("topic"),
            show_default=False,
        ),
    ] = None,
    article: ArticleOpt = None,
    *,
    out: commands.Output,
) -> None:
    """One topic across the areas, in comparable series.

    Figures share a series only with the same metric, year, role (result, target or a size),
    size threshold and stage; the table says how far each series may be compared, and why
    not further. Without a TOPIC, the topics are listed.
    """
    commands.compare(topic, article, out)


@app.command()
@answers
def search(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help="Chinese, English or pinyin (天楹, tianying, 'Tian Ying', meihualu).",
            show_default=False,
        ),
    ],
    area: Annotated[
        str | None,
        typer.Option(
            "--area",
            metavar="AREA",
            help="Only this area.",
            autocompletion=_complete("area"),
            show_default=False,
        ),
    ] = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="At most this many hits.")] = 20,
    article: ArticleOpt = None,
    theme: Annotated[
        str | None,
        typer.Option(
            "--theme",
            metavar="THEME",
            help="Also every record of this theme (widens the answer).",
            autocompletion=_complete("theme"),
            show_default=False,
        ),
    ] = None,
    *,
    out: commands.Output,
) -> None:
    """Search records, entities and frameworks (zh, en, pinyin).

    Best first, the match highlighted. Pinyin with or without tones or spaces: tianying,
    "Tian Ying", tiānyíng; English inside compound words (ethanol finds bioethanol).
    """
    commands.search(query, area, kind, category, limit, article, theme, out)


@app.command()
@answers
def entities(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME",
            help="An entity's id or name (天楹, tianying); none lists all.",
            autocompletion=_complete("entity"),
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=f"Kind of entity: {_one_of(names(EntityKind))}.",
            autocompletion=_complete("entity-kind"),
            show_default=False,
        ),
    ] = None,
    *,
    out: commands.Output,
) -> None:
    """Companies, projects, parks, programmes; or one's mentions."""
    commands.entities(name, kind, out)


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
    *,
    out: commands.Output,
) -> None:
    """One record in full: quote, speaker, place, citation.

    Its quote and the reading of any misprint in it, whose words it carries, its section and
    date in the article, its figures and entities, and how to cite it.
    """
    commands.show(record_id, out)


@app.command()
@answers
def cite(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A record id, e.g. gaoxin-2023-gdp.",
            autocompletion=_complete("record"),
            show_default=False,
        ),
    ],
    style: Annotated[
        str,
        typer.Option(
            "--style",
            metavar="STYLE",
            help="text, apa, chicago, bibtex or csl-json.",
            autocompletion=_complete("style"),
        ),
    ] = "text",
    *,
    out: commands.Output,
) -> None:
    """A record's citation: text, APA, Chicago, BibTeX or CSL-JSON."""
    commands.cite(record_id, style, out)


@app.command()
@answers
def summarize(
    area: Annotated[
        str | None,
        typer.Argument(
            metavar="AREA",
            help="An area; none summarizes the city.",
            autocompletion=_complete("area"),
            show_default=False,
        ),
    ] = None,
    article: ArticleOpt = None,
    *,
    out: commands.Output,
) -> None:
    """An area at a glance, or the whole city."""
    commands.summarize(area, article, out)


@app.command()
@answers
def themes(out: commands.Output) -> None:
    """The themes across areas, with their rule and record counts."""
    commands.themes(out)


@app.command()
@answers
def facet(
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="FIELDS",
            help=(
                "Comma-separated: area, article, kind, category, theme, year, voice, entity, metric, "
                "role, unit, verdict."
            ),
            autocompletion=_complete("facet"),
        ),
    ] = "area",
    of: Annotated[
        str,
        typer.Option(
            "--of", metavar="WHAT", help="Count records or figures.", autocompletion=_complete("of")
        ),
    ] = "records",
    area: AreasOpt = None,
    article: ArticleOpt = None,
    kind: KindOpt = None,
    category: CategoryOpt = None,
    theme: ThemeOpt = None,
    year: YearOpt = None,
    entity: EntityOpt = None,
    metric: MetricOpt = None,
    has_figures: HasFiguresOpt = None,
    *,
    out: commands.Output,
) -> None:
    """Counts of records or figures by any fields.

    --by area,category --kind target: targets per category per area; --of figures counts figures.
    """
    commands.facet(by, of, area, article, kind, category, theme, year, entity, metric, has_figures, out)


@app.command()
@answers
def projects(
    area: AreasOpt = None,
    article: ArticleOpt = None,
    entity: Annotated[
        str | None,
        typer.Option(
            "--entity",
            metavar="ENTITY",
            help="A project, or the company, park or project it is linked to (an id or a name).",
            autocompletion=_complete("entity"),
            show_default=False,
        ),
    ] = None,
    *,
    out: commands.Output,
) -> None:
    """Projects: companies, parks, areas, amounts, stages.

    Each project with the companies behind it, its park, the areas naming it, its amounts and
    the stages the article gives it;
    --entity names a project, or a company, park or project it is linked to.

    Where several areas name what may be one project, the table says so: do not add up.
    """
    commands.projects(area, article, entity, out)


@app.command()
@answers
def track(
    area: AreaArg = None,
    article: ArticleOpt = None,
    category: CategoryOpt = None,
    theme: ThemeOpt = None,
    verdict: Annotated[
        str | None,
        typer.Option(
            "--verdict",
            metavar="VERDICT",
            help=f"Only this verdict: {_one_of(names(Verdict))}.",
            autocompletion=_complete("verdict"),
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Only targets or only plans: target, plan or pledge (both, the default).",
            autocompletion=_complete("kind"),
            show_default=False,
        ),
    ] = None,
    *,
    out: commands.Output,
) -> None:
    """What became of each target and plan: verdicts.

    Each with its verdict, target against actual, and the evidence.

    Verdicts are computed where a later result has the same series as the target, recorded
    by a person otherwise, and "not yet assessed" until a later article speaks.
    """
    commands.track(area, article, category, theme, verdict, kind, out)


@app.command()
def export(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH", help="A file (sqlite) or a directory (csv) to write.", show_default=False
        ),
    ],
    file_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="sqlite|csv", help="sqlite or csv.", autocompletion=_complete("export")
        ),
    ] = "sqlite",
    force: Annotated[bool, typer.Option("--force", help="Replace a previous export at PATH.")] = False,
    data: DataOpt = None,
    json_: Annotated[
        bool, typer.Option("--json", help="What was written, as JSON on stdout (the tables and their rows).")
    ] = False,
    no_color: NoColorOpt = False,
) -> None:
    """The knowledge base as SQLite, or as CSV files.

    A SQLite database, or CSV files described by a datapackage.json (Frictionless).

    The database has keys, full-text search over Chinese, English and pinyin, and views for
    common questions; datasette serves it as it is (docs/export.md).
    """
    commands.export(path, file_format, force, {"data": data, "json_": json_, "no_color": no_color})


@app.command()
def validate(
    directory: Annotated[
        str | None,
        typer.Argument(
            metavar="DIR",
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
    commands.validate(directory, {"data": data, "json_": json_, "fmt": fmt, "no_color": no_color})


@app.command()
def schema(
    command: Annotated[
        str,
        typer.Argument(
            metavar="COMMAND",
            help="A command whose JSON output to describe (targets, search, …).",
            show_default=False,
        ),
    ],
) -> None:
    """The JSON Schema of a command's --json output."""
    commands.schema(command)


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
            raise commands.OutputClosed from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise commands.OutputClosed from None

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


def grammar() -> dict[str, Any]:
    """The command line as data, for launch.py's fast path: every command's parameters with
    their names, kinds and defaults, read off the app (scripts/gen_grammar.py writes it)."""
    from enum import Enum

    command = typer.main.get_command(app)
    ctx = typer.Context(command)
    out: dict[str, Any] = {}
    for name, sub in sorted(command.commands.items()):  # type: ignore[attr-defined]
        params = []
        for p in sub.get_params(ctx):
            if p.name == "help":
                continue
            annotation = p.type_descriptor.annotation
            if getattr(p, "is_flag", False):
                kind = "flag"
            elif isinstance(annotation, type) and issubclass(annotation, Enum):
                kind = "choice"
            elif annotation is int:
                kind = "int"
            else:
                kind = "str"
            entry: dict[str, Any] = {
                "name": p.name,
                "kind": kind,
                "opts": list(p.opts),
                "secondary": list(getattr(p, "secondary_opts", None) or []),
                "positional": p.param_type_name == "argument",
                "required": bool(p.required),
                "multiple": bool(getattr(p, "multiple", False)),
                "default": _plain(p.default),
                "complete": _completion_of(p),
            }
            if kind == "choice":
                entry["choices"] = [member.value for member in annotation]
                entry["enum"] = annotation.__name__
            params.append(entry)
        out[name] = {"params": params}
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return getattr(value, "value", value) if value is None or isinstance(value, (bool, int, str)) else None


def _completion_of(param: Any) -> str | None:
    """The kind of value a parameter completes to: Typer wraps our callback, which says it."""
    wrapper = getattr(param, "_custom_shell_complete", None)
    for cell in getattr(wrapper, "__closure__", None) or ():
        kind = getattr(cell.cell_contents, "kind", None)
        if isinstance(kind, str):
            return kind
    return None
