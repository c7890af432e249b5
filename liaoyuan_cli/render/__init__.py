"""Output: one entry point, `emit`, that writes a typed result in the format asked for.

Machine formats (render/data.py) never import rich; tables build a Sheet (render/table.py)
that the terminal (render/terminal.py), HTML (render/html.py) and SVG (render/svg.py) draw.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from liaoyuan_cli.vocab import Format, Lang

if TYPE_CHECKING:
    from liaoyuan_cli.results import Rows

Result = Any  # a TypedDict of results.py; which one, its `command` says


class Options:
    """How to render, as the command line asked for it."""

    __slots__ = ("color", "fields", "format", "html", "lang", "out", "raw", "source", "svg", "width")

    def __init__(
        self,
        format: Format = Format.table,
        lang: Lang = Lang.both,
        fields: list[str] | None = None,
        color: bool = True,
        svg: str | None = None,
        html: str | None = None,
        width: int | None = None,
        raw: bool = False,
        source: str = "",
        out: TextIO | None = None,
    ) -> None:
        self.format, self.lang, self.fields, self.color = format, lang, fields or [], color
        self.svg, self.html, self.width, self.raw, self.source = svg, html, width, raw, source
        self.out: TextIO = out if out is not None else sys.stdout


def shape(result: Result) -> Rows:
    """What a result declares as its main rows (results.ROWS)."""
    from liaoyuan_cli.results import ROWS

    command = result["command"]
    if command == "summarize" and result.get("area") is None:
        command = "summarize-city"
    return ROWS[command]


def save(text: str, path: str) -> None:
    """An export written to its file (UTF-8); an OSError names the file (exit code 4)."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None


def emit(result: Result, options: Options) -> None:
    """Dispatch once on the format; every Format member has a writer (tested)."""
    if options.format == Format.table:
        from liaoyuan_cli.render.table import sheet
        from liaoyuan_cli.render.terminal import draw

        drawn = sheet(result, options.lang.value, options.source)
        # The files first: one that cannot be written stops the run before the table is shown.
        if options.html:
            from liaoyuan_cli.render.html import render as page

            save(page(drawn), options.html)
        if options.svg:
            from liaoyuan_cli.render.svg import render as image

            save(image(drawn, options.width), options.svg)
        draw(drawn, options)
        return
    from liaoyuan_cli.render.data import write

    write(result, options)
