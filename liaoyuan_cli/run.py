"""Running a command of the table: its values read, its output options checked, its knowledge
base opened, its query asked by keyword, its answer written. The Typer app and the fast path
both end here, so both give the same bytes.
"""

from __future__ import annotations

import os
import sys

from liaoyuan_cli import commands
from liaoyuan_cli.errors import CannotWrite, ExitCode, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from liaoyuan_cli.commands import Command
    from liaoyuan_cli.render import Options
    from liaoyuan_cli.store import Store

Values = dict[str, object]


class OutputClosed(Exception):
    """stdout's reader went away. Not an OSError, so that nothing turns it into a failure."""


def execute(command: Command, given: Values) -> int:
    """Run a command on the values the command line gave (not yet converted); its exit code."""
    values = commands.values(command, given)
    if command.runner is not None:
        runner: Callable[[Values], int] = globals()[f"_{command.runner}"]
        return runner(values)
    chosen = options(values)
    answer(command, values, chosen)
    return ExitCode.OK


def arguments(command: Command, values: Values) -> Values:
    """What the command's query takes, by name: its own parameters and the output options it reads."""
    own = {p.into or p.name for p in command.params}
    return {name: value for name, value in values.items() if name in own or name in command.takes}


def answer(command: Command, values: Values, chosen: Options) -> None:
    """Open the knowledge base, answer, write: every failure the user can cause is a LycliError."""
    from liaoyuan_cli import files, queries, store
    from liaoyuan_cli.render import emit

    assert command.query is not None
    if chosen.publication and "publication" not in command.takes and not chosen.saves:
        raise UsageError(
            "--publication names the paper in the source line of --html, --svg or --chart",
            hint="add --html FILE or --svg FILE",
        )
    opened = store.open_store(files.resolve_data_dir(_str(values.get("data"))))
    query = getattr(queries, command.query)
    result = store.answer(opened, lambda s: query(s, **arguments(command, values)))
    if chosen.fields and chosen.format not in ("table", "markdown"):  # a table's are checked as drawn
        from liaoyuan_cli.render.data import field_names, fields_hint

        valid = field_names(result)
        unknown = [f for f in chosen.fields if f not in valid]
        if unknown:
            raise UsageError(f"unknown field(s): {', '.join(unknown)}", hint=fields_hint(result))
    if chosen.format in ("table", "markdown"):
        from liaoyuan_cli.render.table import area_names

        chosen.names = area_names(opened.areas())
    if chosen.saves:
        chosen.source = source_line(opened, chosen.lang, chosen.publication, _cited(result))
    deliver(lambda: emit(result, chosen))


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _path(value: object, option: str) -> str | None:
    """An --svg or --html path: empty is a usage error; a directory cannot be written (exit 4)."""
    if value is None:
        return None
    assert isinstance(value, str)
    if value == "":
        raise UsageError(f"{option} is empty", hint=f"give a file name, e.g. {option} out.{option[2:]}")
    if os.path.isdir(value):
        raise CannotWrite(f"cannot write {shown(value)}: is a directory")
    return value


def _ready(saved: dict[str, str | None], force: bool) -> None:
    """The files to save, checked before anything is written: each its own file (two options
    naming one file would have the second replace the first, or fail after the first was written),
    none refused (an existing file without --force, a directory, a FIFO)."""
    if not any(saved.values()):
        return  # place (and hashlib, through secrets) is not imported on a warm run without files
    from liaoyuan_cli import place

    seen: dict[str, str] = {}
    for option, path in saved.items():
        if path is None or not place.ready(path, force):
            continue  # the null device takes any number of files
        same = seen.setdefault(os.path.realpath(path), option)
        if same != option:
            raise UsageError(
                f"{same} and {option} name the same file, {shown(path)}", hint="give each its own"
            )


def shown(path: str) -> str:
    """A path for a message: its bytes as given, decoded for display only."""
    return os.fsencode(path).decode("utf-8", "replace")


def options(values: Values) -> Options:
    """The rendering options from the output parameters, checked against each other."""
    from liaoyuan_cli.render import Options

    fmt = str(values.get("fmt") or "table")
    json_ = bool(values.get("json_"))
    chosen = "json" if json_ else fmt
    if json_ and fmt not in ("table", "json"):
        raise UsageError(f"--json and --format {fmt} disagree", hint="use one of them")
    fields = _str(values.get("fields"))
    names = [f.strip() for f in fields.split(",") if f.strip()] if fields is not None else []
    if fields is not None and not names:
        raise UsageError("--fields names no field", hint="e.g. --fields id,zh,en")
    svg, html = _path(values.get("svg"), "--svg"), _path(values.get("html"), "--html")
    chart = _path(values.get("chart"), "--chart")
    if (svg or html or chart) and chosen != "table":
        raise UsageError("--svg, --html and --chart save a table or a chart", hint="drop --json/--format")
    width = values.get("width")
    if width is not None and not (isinstance(width, int) and 320 <= width <= 4000):
        raise UsageError(f"--width {width} is out of range", hint="an SVG width in pixels, 320 to 4000")
    if width is not None and not (svg or chart):
        raise UsageError("--width sets the width of an --svg or --chart image", hint="add --svg FILE")
    publication = _str(values.get("publication"))
    if publication is not None and not publication.strip():
        raise UsageError("--publication is empty", hint='name the paper, e.g. --publication "Liaoyuan Daily"')
    if values.get("raw") and chosen not in ("csv", "tsv"):
        raise UsageError("--raw works with --format csv or tsv")
    if values.get("force") and not (svg or html or chart):
        raise UsageError(
            "--force replaces an existing --svg, --html or --chart file",
            hint="add --svg FILE, --html FILE or --chart FILE",
        )
    _ready({"--chart": chart, "--html": html, "--svg": svg}, bool(values.get("force")))
    return Options(
        format=chosen,
        lang=str(values.get("lang") or "both"),
        fields=names,
        color=not values.get("no_color") and not os.environ.get("NO_COLOR"),
        svg=svg,
        html=html,
        width=width if isinstance(width, int) else None,
        raw=bool(values.get("raw")),
        force=bool(values.get("force")),
        chart=chart,
        publication=" ".join(publication.split()) if publication else None,
    )


def _cited(result: object) -> list[Any] | None:
    """The articles an answer was drawn from, where it says (`articles`, `article`): a graphic
    credits those, not every article of a corpus (nor one dated after --as-of)."""
    if not isinstance(result, dict):
        return None
    found = result.get("articles")
    if isinstance(found, list) and found and all(isinstance(a, dict) and "session_en" in a for a in found):
        return found
    one = result.get("article")
    return [one] if isinstance(one, dict) and "session_en" in one else None


def source_line(
    opened: Store, lang: str = "both", publication: str | None = None, cited: list[Any] | None = None
) -> str:
    """Where an exported table comes from: the articles it was drawn from (else every article
    of the knowledge base), in the reader's language; each article's paper as it names
    itself, else as the user names it (--publication), else said to be unnamed."""
    from liaoyuan_cli import __version__

    en, zh = [], []
    for a in cited if cited is not None else opened.articles():
        paper = (
            a["publication_en"] or publication or "newspaper not named (the page calls itself “this paper”)"
        )
        en.append(f"{a['session_en']}, {a['date']}{' (inferred)' if a['date_inferred'] else ''}; {paper}")
        paper_zh = (
            a["publication_zh"] or publication or f"报纸未具名（自称“{a['publication_stated'] or '本报'}”）"
        )
        zh.append(f"{a['session_zh']}，{a['date']}{'（推定）' if a['date_inferred'] else ''}；{paper_zh}")
    line_en = "Source: " + " · ".join(en) + f". Compiled with lycli {__version__}."
    line_zh = "来源：" + "；".join(zh) + f"。由 lycli {__version__} 整理。"
    return {"en": line_en, "zh": line_zh}.get(lang, f"{line_en}\n{line_zh}")


def deliver(write: Callable[[], object]) -> None:
    """Write the answer; a reader that went away is no error, a full disk or bad path is."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as exc:
        where = f" {shown(str(exc.filename))}" if exc.filename else ""
        raise CannotWrite(f"cannot write{where}: {exc.strerror or exc}") from None


# -- the commands that are not a query ---------------------------------------------------------------


def _export(values: Values) -> int:
    """Write the whole knowledge base as SQLite or CSV files, then say what was written."""
    from liaoyuan_cli import export as exporter
    from liaoyuan_cli import files
    from liaoyuan_cli.render import emit

    path = str(values["path"])
    if path == "":
        raise UsageError("the export path is empty", hint="e.g. lycli export kb.db")
    data_dir = files.resolve_data_dir(_str(values.get("data")))
    chosen = options({"json_": values.get("json_"), "no_color": values.get("no_color")})
    result = exporter.export(data_dir, path, str(values["fmt"]), bool(values["force"]))
    deliver(lambda: emit(result, chosen))
    return ExitCode.OK


def _validate(values: Values) -> int:
    """Check a knowledge base; exit 3 if it has problems, after listing them."""
    from liaoyuan_cli import files, queries
    from liaoyuan_cli.render import emit

    chosen = options(values)
    directory = _str(values.get("directory"))
    review = bool(values.get("review"))
    result = queries.validate(
        files.resolve_data_dir(directory if directory is not None else _str(values.get("data"))), review
    )
    deliver(lambda: emit(result, chosen))
    return ExitCode.OK if result["ok"] else ExitCode.INVALID_KB


def _completion(values: Values) -> int:
    """The shell's completion script, as the Typer app writes it (so only the app imports typer)."""
    from liaoyuan_cli.cli import completion_script

    text = completion_script(str(values["shell"])) + "\n"
    deliver(lambda: sys.stdout.write(text))
    return ExitCode.OK


def _draft(values: Values) -> int:
    """Draft a page into the knowledge base --data or $LYCLI_DATA names (one is required)."""
    from pathlib import Path

    from liaoyuan_cli import SCHEMA_VERSION, files
    from liaoyuan_cli.draft import write_article
    from liaoyuan_cli.render import emit

    chosen = options({"json_": values.get("json_"), "no_color": values.get("no_color")})
    data = _str(values.get("data")) or os.environ.get(files.ENV_DATA) or None
    if data is None:
        raise UsageError(
            "draft writes into a knowledge base: name it",
            hint="give --data DIR (e.g. --data data) or set LYCLI_DATA",
        )
    for name in ("article", "date"):
        if not values.get(name):
            raise UsageError(f"draft needs --{name}", hint="e.g. --article session-2025 --date 2025-01")
    summary = write_article(
        Path(str(values["page"])),
        str(values["article"]).strip(),
        str(values["date"]).strip(),
        Path(files.resolve_data_dir(data)),
        bool(values["force"]),
    )
    result = {"schema_version": SCHEMA_VERSION, "command": "draft", **summary}
    deliver(lambda: emit(result, chosen))
    return ExitCode.OK


def _schema(values: Values) -> int:
    import json

    from liaoyuan_cli.results import ROWS, schema_for

    described = sorted(c.name for c in commands.TABLE if all(kind in ROWS for kind in c.answers))
    name = str(values["command"])
    if name not in described:
        from liaoyuan_cli.errors import suggest

        raise suggest(name, described, "command")
    text = json.dumps(schema_for(commands.BY_NAME[name]), ensure_ascii=False, indent=2) + "\n"
    deliver(lambda: sys.stdout.write(text))
    return ExitCode.OK
