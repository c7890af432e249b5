"""Output: one entry point, `emit`, that writes a typed result in the format asked for.

Machine formats (render/data.py) never import rich; tables build a Sheet (render/table.py)
that the terminal (render/terminal.py), HTML (render/html.py) and SVG (render/svg.py) draw;
a comparison also builds a Chart (render/table.chart) that SVG draws (--chart).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from liaoyuan_cli.results import Rows

# A result of results.py: which TypedDict, its `command` says (`kind` tells the one ambiguity).
Answer = Mapping[str, Any]


class Options:
    """How to render, as the command line asked for it."""

    __slots__ = (
        "chart",
        "color",
        "fields",
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
        chart: str | None = None,
        publication: str | None = None,
        names: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.format, self.lang, self.fields, self.color = format, lang, fields or [], color
        self.svg, self.html, self.width, self.raw, self.source = svg, html, width, raw, source
        self.out: TextIO = out if out is not None else sys.stdout
        self.chart, self.publication = chart, publication
        # Each area's names in tables (slug -> Chinese, English), from the knowledge base.
        self.names: dict[str, tuple[str, str]] = names or {}

    @property
    def saves(self) -> bool:
        """Whether a file for publication is written beside the table."""
        return bool(self.svg or self.html or self.chart)


def kind(result: Answer) -> str:
    """The kind of answer a result is, as results.ROWS and render/table.RENDERERS key it: its
    `command`, except that a summary of no area is the city's."""
    command = str(result["command"])
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


def save(text: str, path: str) -> None:
    """An export written to its file (UTF-8); an OSError names the file (exit code 4).

    Only a regular file (followed through symlinks, as a shell's `>` does) or the null device is
    written: a FIFO would block forever, and a device or socket is no place for a page. The
    path is checked before it is opened, and the opened file again (opened with O_NONBLOCK, so
    that a FIFO cannot block), so nothing swapped in between is written either; a regular file
    is truncated only once it is known to be one.
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)  # none on Windows, which has no FIFOs to block on
    try:
        if os.path.exists(path):
            _writable(os.stat(path), path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | nonblock | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            info = os.fstat(fd)
            _writable(info, path)
            if stat.S_ISREG(info.st_mode):
                os.ftruncate(fd, 0)
            if nonblock:
                os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as exc:
        # ENXIO: a FIFO with no reader, or a device node with no device, opened without blocking.
        reason = NOT_REGULAR if exc.errno == errno.ENXIO else exc.strerror
        raise OSError(exc.errno, reason, path) from None


NOT_REGULAR = "not a regular file"


def _writable(info: os.stat_result, path: str) -> None:
    """Nothing when the file is regular or the null device (by its device number, so that
    /dev/stdout pointing there counts too); else an OSError saying why."""
    if stat.S_ISREG(info.st_mode):
        return
    if stat.S_ISDIR(info.st_mode):
        raise OSError(errno.EISDIR, "is a directory", path)
    if stat.S_ISCHR(info.st_mode) and info.st_rdev == os.stat(os.devnull).st_rdev:
        return
    raise OSError(errno.EINVAL, NOT_REGULAR, path)


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
            save(bars(figure, options.width), options.chart)
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
