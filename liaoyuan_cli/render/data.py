"""Machine formats: JSON, JSON Lines, CSV and Markdown, written without rich."""

from __future__ import annotations

import json
from typing import Any

from liaoyuan_cli.render import Options, Result, main_list, project, rows_of
from liaoyuan_cli.text import display_figure, neutralise


def _ascii_only(options: Options) -> bool:
    """Escape non-ASCII only where the output stream cannot encode Chinese."""
    encoding = (getattr(options.out, "encoding", None) or "utf-8").lower().replace("-", "")
    return not encoding.startswith(("utf", "gb", "big5"))


def _dumps(value: Any, options: Options, pretty: bool = False) -> str:
    return json.dumps(
        value,
        ensure_ascii=_ascii_only(options),
        indent=2 if pretty else None,
        separators=None if pretty else (",", ":"),
    )


def render_json(result: Result, options: Options) -> None:
    """Pretty on a terminal, compact in a pipe; `--fields` narrows the rows of the main list."""
    if options.fields:
        key = main_list(result)
        narrowed = {k: v for k, v in result.items() if k not in (key, "results", "targets")}
        # The narrowed rows are those jsonl and csv write: compare's per figure, show's one.
        narrowed["rows" if key in ("series", "record", "figures") else key] = project(
            rows_of(result), options.fields
        )
        result = narrowed
    pretty = options.out.isatty()
    options.out.write(_dumps(result, options, pretty) + "\n")


def render_jsonl(result: Result, options: Options) -> None:
    for row in project(rows_of(result), options.fields):
        options.out.write(_dumps(row, options) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, (int, float, bool)):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _columns(rows: list[Result]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names.extend(k for k in row if k not in names)
    return names


def render_csv(result: Result, options: Options) -> None:
    """One row per item; nested values (figures, lists) as compact JSON in their cell."""
    import csv

    rows = project(rows_of(result), options.fields)
    names = options.fields or _columns(rows)
    writer = csv.writer(options.out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])


def render_markdown(result: Result, options: Options) -> None:
    """A GitHub-flavoured table, pipes and newlines escaped, for pasting into a report."""
    rows = project(rows_of(result), options.fields)
    names = options.fields or [n for n in _columns(rows) if n != "highlight"]

    def esc(name: str, value: Any) -> str:
        if name == "figures" and isinstance(value, list):
            value = "; ".join(display_figure(f) for f in value)  # for people, not JSON
        # Markdown is read in terminals and editors: control and bidi characters never pass.
        return neutralise(_cell(value).replace("|", "\\|").replace("\n", " "))

    out = options.out
    out.write("| " + " | ".join(names) + " |\n")
    out.write("|" + "|".join(" --- " for _ in names) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(esc(n, row.get(n)) for n in names) + " |\n")
