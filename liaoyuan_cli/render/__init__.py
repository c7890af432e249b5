"""Output: one entry point, `emit`, that writes a typed result in the format asked for.

Machine formats (render/data.py) never import rich; tables build a Sheet (render/table.py)
that the terminal (render/terminal.py), HTML (render/html.py), SVG (render/svg.py) and
Markdown (render/markdown.py) draw; a comparison also builds a Chart (render/table.chart) that
SVG draws (--chart).
"""

from __future__ import annotations

import codecs
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TextIO

    from liaoyuan_cli.results import Rows

    # A result of results.py: which TypedDict, its `command` says (`kind` tells the one ambiguity).
    Answer = Mapping[str, Any]


class Options:
    """How to render, as the command line asked for it."""

    __slots__ = (
        "chart",
        "color",
        "fields",
        "force",
        "format",
        "html",
        "lang",
        "names",
        "out",
        "publication",
        "raw",
        "source",
        "svg",
        "width",
    )

    def __init__(
        self,
        format: str = "table",
        lang: str = "both",
        fields: list[str] | None = None,
        color: bool = True,
        svg: str | None = None,
        html: str | None = None,
        width: int | None = None,
        raw: bool = False,
        source: str = "",
        out: TextIO | None = None,
        force: bool = False,
        chart: str | None = None,
        publication: str | None = None,
        names: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.format, self.lang, self.fields, self.color = format, lang, fields or [], color
        self.svg, self.html, self.width, self.raw, self.source = svg, html, width, raw, source
        self.out: TextIO = out if out is not None else sys.stdout
        self.force = force
        self.chart, self.publication = chart, publication
        # Each area's names in tables (slug -> Chinese, English), from the knowledge base.
        self.names: dict[str, tuple[str, str]] = names or {}

    @property
    def saves(self) -> bool:
        """Whether a file for publication is written beside the table."""
        return bool(self.svg or self.html or self.chart)


def kind(result: Answer) -> str:
    """The kind of answer a result is, as results.ROWS and render/table.RENDERERS key it: its
    `command`, except that a summary of several areas is `summarize-areas`, and of none the city's."""
    command = str(result["command"])
    if command == "summarize" and "summaries" in result:
        return "summarize-areas"
    return "summarize-city" if command == "summarize" and result.get("area") is None else command


def shape(result: Answer) -> Rows:
    """What a result declares as its main rows (results.ROWS)."""
    from liaoyuan_cli.results import ROWS

    return ROWS[kind(result)]


def stream_encoding(out: object) -> str:
    """The codec a stream writes in, by its canonical name ('iso8859-1' for 'latin-1'); 'ascii'
    for one Python does not know, so that only what any terminal can show is written to it."""
    name = getattr(out, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "ascii"


def save(text: str, path: str, force: bool = False) -> None:
    """A table saved for publication (place.save: whole or not at all, nothing replaced unless --force)."""
    from liaoyuan_cli import place

    place.save(path, text.encode("utf-8"), force)


def emit(result: Answer, options: Options) -> None:
    """Dispatch once on the format; every Format member has a writer (tested)."""
    if options.format == "table":
        from liaoyuan_cli.render.table import sheet
        from liaoyuan_cli.render.terminal import draw

        drawn = sheet(result, options.lang, options.source, options.names, options.fields)
        if options.chart:
            from liaoyuan_cli.render.svg import chart as bars
            from liaoyuan_cli.render.table import chart

            figure = chart(result, options.lang, options.source, options.names)
            save(bars(figure, options.width), options.chart, options.force)
        # The files first: one that cannot be written stops the run before the table is shown.
        if options.html:
            from liaoyuan_cli.render.html import render as page

            save(page(drawn), options.html, options.force)
        if options.svg:
            from liaoyuan_cli.render.svg import render as image

            save(image(drawn, options.width), options.svg, options.force)
        draw(drawn, options)
        return
    if options.format == "markdown":
        from liaoyuan_cli.render.markdown import render
        from liaoyuan_cli.render.table import sheet

        options.out.write(render(sheet(result, options.lang, options.source, options.names, options.fields)))
        return
    from liaoyuan_cli.render.data import write

    write(result, options)
