"""Each command's body, without typer: check the output options, open the knowledge base,
answer, write. The Typer app (cli.py) and the fast path (launch.py) call these with the same
arguments, so that both give the same bytes (a differential test holds them to it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from liaoyuan_cli.errors import CannotWrite, ExitCode, UsageError
from liaoyuan_cli.vocab import Format, Lang

if TYPE_CHECKING:
    from liaoyuan_cli.render import Options
    from liaoyuan_cli.store import Store

# The output options every query command takes, as the command line names its parameters.
OUTPUT = ("data", "json_", "fmt", "fields", "lang", "no_color", "svg", "html", "width", "raw")
Output = dict[str, Any]
Query = Callable[["Store"], Any]


class OutputClosed(Exception):
    """stdout's reader went away. Not an OSError, so that nothing turns it into a failure."""


class Exit(Exception):
    """Leave with a code after the answer was written (validate's 3)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _path(value: str | None, option: str) -> str | None:
    """An --svg or --html path: empty is a usage error; a directory cannot be written (exit 4)."""
    if value is None:
        return None
    if value == "":
        raise UsageError(f"{option} is empty", hint=f"give a file name, e.g. {option} out.{option[2:]}")
    if os.path.isdir(value):
        raise CannotWrite(f"cannot write {value}: is a directory")
    return value


def options(out: Output) -> Options:
    """The rendering options from the output parameters, checked against each other."""
    from liaoyuan_cli.render import Options

    fmt: Format = out.get("fmt") or Format.table
    chosen = Format.json if out.get("json_") else fmt
    if out.get("json_") and fmt not in (Format.table, Format.json):
        raise UsageError(f"--json and --format {fmt.value} disagree", hint="use one of them")
    fields = out.get("fields")
    names = [f.strip() for f in fields.split(",") if f.strip()] if fields is not None else []
    if fields is not None and not names:
        raise UsageError("--fields names no field", hint="e.g. --fields id,zh,en")
    if names and chosen == Format.table:
        raise UsageError("--fields works with --json or --format json|jsonl|csv|tsv|markdown")
    svg, html = _path(out.get("svg"), "--svg"), _path(out.get("html"), "--html")
    if (svg or html) and chosen != Format.table:
        raise UsageError("--svg and --html save a table", hint="drop --json/--format to use them")
    width = out.get("width")
    if width is not None and not 320 <= width <= 4000:
        raise UsageError(f"--width {width} is out of range", hint="an SVG width in pixels, 320 to 4000")
    if width is not None and not svg:
        raise UsageError("--width sets the width of an --svg export", hint="add --svg FILE")
    if out.get("raw") and chosen not in (Format.csv, Format.tsv):
        raise UsageError("--raw works with --format csv or tsv")
    return Options(
        format=chosen,
        lang=out.get("lang") or Lang.both,
        fields=names,
        color=not out.get("no_color") and not os.environ.get("NO_COLOR"),
        svg=svg,
        html=html,
        width=width,
        raw=bool(out.get("raw")),
    )


def answer(out: Output, query: Query) -> None:
    """Open the knowledge base, answer, write: every failure the user can cause is a LycliError."""
    from liaoyuan_cli import files, store
    from liaoyuan_cli.render import emit

    chosen = options(out)
    opened = store.open_store(files.resolve_data_dir(out.get("data")))
    result = query(opened)
    if chosen.fields:
        from liaoyuan_cli.render.data import field_names

        valid = field_names(result)
        unknown = [f for f in chosen.fields if f not in valid]
        if unknown:
            raise UsageError(
                f"unknown field(s): {', '.join(unknown)}", hint=f"valid fields: {', '.join(valid)}"
            )
    if chosen.svg or chosen.html:
        chosen.source = source_line(opened, chosen.lang.value)
    deliver(lambda: emit(result, chosen))


def source_line(opened: Store, lang: str = "both") -> str:
    """Where every exported table comes from: the articles of the knowledge base, in the
    reader's language."""
    from liaoyuan_cli import __version__

    en, zh = [], []
    for a in opened.articles():
        paper = a["publication_en"] or "newspaper not named (the page calls itself “this paper”)"
        en.append(f"{a['session_en']}, {a['date']}{' (inferred)' if a['date_inferred'] else ''}; {paper}")
        paper_zh = a["publication_zh"] or f"报纸未具名（自称“{a['publication_stated'] or '本报'}”）"
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
        where = f" {exc.filename}" if exc.filename else ""
        raise CannotWrite(f"cannot write{where}: {exc.strerror or exc}") from None


# -- the commands ---------------------------------------------------------------------------------


def areas(out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, queries.areas)


def targets(
    area: str | None,
    kind: str | None,
    category: str | None,
    year: int | None,
    article: str | None,
    theme: str | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.targets(s, area, kind, category, year, article, theme))


def records(
    area: list[str] | None,
    article: str | None,
    kind: str | None,
    category: str | None,
    theme: str | None,
    year: int | None,
    entity: str | None,
    metric: str | None,
    has_figures: bool | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    answer(
        out,
        lambda s: queries.records(s, area, article, kind, category, theme, year, entity, metric, has_figures),
    )


def metrics(
    area: str | None,
    kind: str | None,
    category: str | None,
    year: int | None,
    article: str | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.metrics(s, area, kind, category, year, article))


def figures(
    area: list[str] | None,
    article: str | None,
    kind: str | None,
    category: str | None,
    theme: str | None,
    year: int | None,
    entity: str | None,
    metric: str | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.figures(s, area, article, kind, category, theme, year, entity, metric))


def compare(topic: str | None, article: str | None, out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.compare(s, topic, article))


def search(
    query: str,
    area: str | None,
    kind: str | None,
    category: str | None,
    limit: int,
    article: str | None,
    theme: str | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.search(s, query, area, kind, category, limit, article, theme))


def entities(name: str | None, kind: str | None, out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.entities(s, name, kind))


def show(record_id: str, out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.show(s, record_id))


def cite(record_id: str, style: str, out: Output) -> None:
    from liaoyuan_cli import queries

    lang = options(out).lang.value
    answer(out, lambda s: queries.cite_record(s, record_id, style, lang))


def summarize(area: str | None, article: str | None, out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.summarize(s, area, article))


def themes(out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, queries.themes)


def facet(
    by: str,
    of: str,
    area: list[str] | None,
    article: str | None,
    kind: str | None,
    category: str | None,
    theme: str | None,
    year: int | None,
    entity: str | None,
    metric: str | None,
    has_figures: bool | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    fields = [f.strip() for f in by.split(",") if f.strip()]
    answer(
        out,
        lambda s: queries.facet(
            s, fields, of, area, article, kind, category, theme, year, entity, metric, has_figures
        ),
    )


def projects(area: list[str] | None, article: str | None, entity: str | None, out: Output) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.projects(s, area, article, entity))


def track(
    area: str | None,
    article: str | None,
    category: str | None,
    theme: str | None,
    verdict: str | None,
    kind: str | None,
    out: Output,
) -> None:
    from liaoyuan_cli import queries

    answer(out, lambda s: queries.track(s, area, article, category, theme, verdict, kind))


def export(path: str, fmt: str, force: bool, out: Output) -> None:
    """Write the whole knowledge base as SQLite or CSV files, then say what was written."""
    from liaoyuan_cli import export as exporter
    from liaoyuan_cli import files

    if path == "":
        raise UsageError("the export path is empty", hint="e.g. lycli export kb.db")
    data_dir = files.resolve_data_dir(out.get("data"))
    chosen = options({"json_": out.get("json_"), "no_color": out.get("no_color")})
    result = exporter.export(data_dir, path, fmt, force)
    from liaoyuan_cli.render import emit

    deliver(lambda: emit(result, chosen))


def validate(directory: str | None, out: Output) -> None:
    """Check a knowledge base; exit 3 if it has problems, after listing them."""
    from liaoyuan_cli import files, queries
    from liaoyuan_cli.render import emit

    chosen = options(out)
    result = queries.validate(files.resolve_data_dir(directory if directory is not None else out.get("data")))
    deliver(lambda: emit(result, chosen))
    if not result["ok"]:
        raise Exit(ExitCode.INVALID_KB)


def schema(command: str) -> None:
    import json

    from liaoyuan_cli.results import SCHEMAS, schema_for

    if command not in SCHEMAS:
        from liaoyuan_cli.queries import suggest

        raise suggest(command, sorted(SCHEMAS), "command")
    text = json.dumps(schema_for(command), ensure_ascii=False, indent=2) + "\n"
    deliver(lambda: sys.stdout.write(text))
