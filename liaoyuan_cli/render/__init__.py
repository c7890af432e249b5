"""Output formats behind one interface: a result dict in, text on stdout out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

Result = dict[str, Any]


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    both = "both"


@dataclass
class Options:
    """How to render, as the command line asked for it."""

    format: Format = Format.table
    lang: Lang = Lang.both
    fields: list[str] = field(default_factory=list)
    color: bool = True
    svg: str | None = None
    html: str | None = None
    out: TextIO = field(default_factory=lambda: sys.stdout)


# Each command's main list: what jsonl, csv, markdown and --fields work on.
ROWS: dict[str, str] = {
    "areas": "areas",
    "targets": "records",
    "metrics": "figures",
    "compare": "series",
    "topics": "topics",
    "search": "hits",
    "entities": "entities",
    "entity": "mentions",
    "show": "record",
    "summarize": "figures",
    "validate": "problems",
}


def main_list(result: Result) -> str:
    """The key of a result's main list (the city summary's is its leaders)."""
    if result["command"] == "summarize" and result.get("area") is None:
        return "leaders"
    return ROWS[result["command"]]


def rows_of(result: Result) -> list[Result]:
    """The main list as flat rows: compare's series become one row per figure, `show` is one
    row (the record with its citation), an area's summary is all of its figures."""
    command = result["command"]
    if command == "compare":
        return [
            {"series": s["key"], "comparable": s["comparable"], **row}
            for s in result["series"]
            for row in s["rows"]
        ]
    if command == "show":
        return [{**result["record"], "citation": result["citation"]}]
    if command == "summarize" and result.get("area") is not None:
        return [*result["results"], *result["targets"]]
    return list(result[main_list(result)])


def project(rows: list[Result], fields: list[str]) -> list[Result]:
    """Keep only the asked-for fields (`--fields a,b`), in the order asked."""
    if not fields:
        return rows
    return [{name: row.get(name) for name in fields} for row in rows]


def field_names(result: Result) -> list[str]:
    """The fields `--fields` may name for this result: the keys of its rows."""
    names: list[str] = []
    for row in rows_of(result):
        names.extend(k for k in row if k not in names)
    return names


def emit(result: Result, options: Options) -> None:
    """Dispatch once on the format; every Format member has a renderer (tested)."""
    RENDERERS[options.format](result, options)


def _json(result: Result, options: Options) -> None:
    from liaoyuan_cli.render.data import render_json

    render_json(result, options)


def _jsonl(result: Result, options: Options) -> None:
    from liaoyuan_cli.render.data import render_jsonl

    render_jsonl(result, options)


def _csv(result: Result, options: Options) -> None:
    from liaoyuan_cli.render.data import render_csv

    render_csv(result, options)


def _markdown(result: Result, options: Options) -> None:
    from liaoyuan_cli.render.data import render_markdown

    render_markdown(result, options)


def _table(result: Result, options: Options) -> None:
    from liaoyuan_cli.render.table import render_table

    render_table(result, options)


RENDERERS: dict[Format, Callable[[Result, Options], None]] = {
    Format.table: _table,
    Format.json: _json,
    Format.jsonl: _jsonl,
    Format.csv: _csv,
    Format.markdown: _markdown,
}
