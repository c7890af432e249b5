"""A Sheet drawn on a terminal with rich: the only module that imports rich.

Columns are sized here, from their content: a column is never narrower than its widest
unbreakable piece (an id, an English word, a number with its unit), and the id column is as
wide as its longest id. Where the terminal cannot hold that, rows are stacked: each headed by
its id on a line of its own, its other cells below under their column's name. Text breaks
by the rules of render/wrap.py, so Chinese lines never begin with closing punctuation.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.containers import Lines
from rich.measure import Measurement
from rich.table import Table as RichTable
from rich.text import Text

from liaoyuan_cli.render import stream_encoding, wrap
from liaoyuan_cli.render.sheet import Cell, Note, Sheet, Table
from liaoyuan_cli.text import neutralise

if TYPE_CHECKING:
    from rich.console import ConsoleOptions

    from liaoyuan_cli.render import Options

STYLES = {
    "id": "bold cyan",
    "strong": "bold",
    "muted": "dim",
    "mark": "bold reverse",
    "note": "italic",
    "bar": "green",
    "good": "green",
    "bad": "bold red",
}
# A terminal narrower than this, or a COLUMNS wider than that, is taken as this or that.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 16, 500, 80
GAP = 3  # between two columns: padding on both sides and the divider


class Wrapped(Text):
    """Text that measures and wraps by render/wrap.py's rules instead of rich's."""

    def wrap(self, console: Console, width: int, **_: Any) -> Lines:
        lines = Lines()
        for part in self.split(allow_blank=True):
            offsets = wrap.breaks(part.plain, width, cell_len)
            pieces = part.divide(offsets)
            for piece in pieces:
                piece.rstrip_end(width)
                piece.rstrip()
            lines.extend(pieces)
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        parts = self.plain.split("\n")
        widest = max((wrap.widest(p, cell_len) for p in parts), default=0)
        return Measurement(widest, max((cell_len(p) for p in parts), default=0))


def terminal_width(options: Options) -> int:
    """COLUMNS if it is a sensible number, else the terminal's width, else 80; within bounds."""
    raw = os.environ.get("COLUMNS", "")
    try:
        width = int(raw) if raw.strip() else 0
    except ValueError:
        width = 0
    if width <= 0:
        try:
            width = os.get_terminal_size(options.out.fileno()).columns
        except (OSError, ValueError, AttributeError):
            width = DEFAULT_WIDTH
    return max(MIN_WIDTH, min(width, MAX_WIDTH))


class Painter:
    """The one way text reaches the terminal: every title, caption, heading, label and cell
    passes through `safe`, so no string of a Sheet can carry a control sequence, however it was
    built (span() neutralises cells; titles and headings are plain strings)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding  # a codec's canonical name (codecs.lookup), as render.stream_encoding gives

    def safe(self, text: str) -> str:
        """Unsafe characters as U+FFFD, then whatever the stream cannot encode as '?'."""
        text = neutralise(text)
        if self.encoding.startswith("utf"):
            return text
        return text.encode(self.encoding, "replace").decode(self.encoding)

    def plain(self, text: str, style: str = "") -> Wrapped:
        """A title, caption, heading or label: a plain string of the Sheet, made safe."""
        return Wrapped(self.safe(text), style=style)

    def text(self, value: Cell) -> Wrapped:
        out = Wrapped()
        for i, ln in enumerate(value):
            if i:
                out.append("\n")
            for s in ln:
                out.append(self.safe(s.text), STYLES.get(s.style, ""))
        return out


def _widths(table: Table, cells: list[list[Wrapped]], available: int) -> list[int] | None:
    """Column widths that fit every unbreakable piece, the spare width shared by ratio; None if
    the terminal cannot hold them (then rows are stacked)."""
    n = len(table.columns)
    # A heading's lines stay whole ("Figures" over "数据").
    heads = [max((cell_len(h) for h in c.header.split("\n")), default=0) for c in table.columns]
    mins, maxs = [], []
    for i, column in enumerate(table.columns):
        texts = [row[i] for row in cells]
        longest = max((cell_len(line) for t in texts for line in t.plain.split("\n")), default=0)
        widest = max((wrap.widest(line, cell_len) for t in texts for line in t.plain.split("\n")), default=0)
        low = max(longest if column.key or column.bar else max(widest, column.floor), heads[i])
        mins.append(max(low, 1))
        maxs.append(max(longest, heads[i], low, 1))
    room = available - GAP * (n - 1)
    if sum(mins) > room:
        return None
    widths = list(mins)
    spare = room - sum(widths)
    while spare > 0:
        growing = [i for i in range(n) if widths[i] < maxs[i]]
        if not growing:
            break
        total = sum(table.columns[i].ratio for i in growing)
        given = 0
        for i in growing:
            share = max(1, spare * table.columns[i].ratio // total)
            step = min(share, maxs[i] - widths[i], spare - given)
            widths[i] += step
            given += step
            if given >= spare:
                break
        if given == 0:
            break
        spare -= given
    return widths


def _grid(table: Table, cells: list[list[Wrapped]], widths: list[int], painter: Painter) -> RenderableType:
    """Columns side by side; the title and caption above and below at the full width, not folded
    into a narrow table's width."""
    rich = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
    )
    for column, width in zip(table.columns, widths, strict=True):
        rich.add_column(
            painter.plain(column.header),
            width=width,
            no_wrap=column.key,
            justify="right" if column.numeric else "left",
            overflow="fold",
        )
    for index, row in enumerate(cells):
        rich.add_row(*row, end_section=index in table.ends)
    return _framed(table, painter, rich)


def _framed(table: Table, painter: Painter, body: RenderableType | None) -> RenderableType:
    """A table's title, its body (none when no row answers), its caption."""
    parts: list[RenderableType] = []
    if table.title:
        parts.append(painter.plain(table.title, "bold"))
    if body is not None:
        parts.append(body)
    if table.caption:
        parts.append(painter.plain(table.caption, "italic"))
    return Group(*parts)


def _stacked(table: Table, cells: list[list[Wrapped]], width: int, painter: Painter) -> RenderableType:
    """Rows one after another: the id on its own line, each other cell under its column's name."""
    parts: list[RenderableType] = []
    if table.title:
        parts.append(painter.plain(table.title, "bold"))
        parts.append(Text(""))
    key = next((i for i, c in enumerate(table.columns) if c.key), None)
    labels = [painter.safe(c.header) for c in table.columns]
    label_width = min(max((cell_len(x) for x in labels), default=0), max(4, width // 4))
    for row in cells:
        if key is not None:
            parts.append(row[key])
        room = max(1, width - label_width - 1)
        grid = RichTable.grid(padding=(0, 1))
        grid.add_column(width=label_width, style="dim", overflow="fold")
        grid.add_column(width=room, overflow="fold")
        for i, value in enumerate(row):
            if i == key or not value.plain.strip():
                continue
            if max((wrap.widest(p, cell_len) for p in value.plain.split("\n")), default=0) > room:
                # Too wide beside its label (an id): the label on a line of its own, then the value.
                parts.append(grid)
                parts.append(painter.plain(table.columns[i].header, "dim"))
                parts.append(value)
                grid = RichTable.grid(padding=(0, 1))
                grid.add_column(width=label_width, style="dim", overflow="fold")
                grid.add_column(width=room, overflow="fold")
                continue
            grid.add_row(painter.plain(table.columns[i].header), value)
        parts.append(grid)
        parts.append(Text(""))
    if table.caption:
        parts.append(painter.plain(table.caption, "italic"))
    return Group(*parts)


class _Console(Console):
    """rich's console, except that a reader going away (`| head`) is left to the caller, who
    stops quietly with exit 0; rich would exit 1 by itself."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def draw(sheet: Sheet, options: Options) -> None:
    """Print a Sheet on the output stream: grids where they fit, stacked rows where not."""
    painter = Painter(stream_encoding(options.out))
    width = terminal_width(options)
    console = _Console(
        file=options.out,
        width=width,
        no_color=not options.color,
        color_system="auto" if options.color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    for number, block in enumerate(sheet.blocks):
        if number:
            console.print()
        if isinstance(block, Note):
            for ln in block.lines:
                console.print(
                    painter.text([ln]), soft_wrap=block.whole, style="bold" if block.heading else ""
                )
            continue
        console.print(_table(block, width, painter))


def _height(cells: list[list[Wrapped]], widths: list[int]) -> int:
    """How many lines a grid of these widths takes: the shorter, the easier to read."""
    total = 0
    for row in cells:
        tallest = 0
        for text, width in zip(row, widths, strict=True):
            lines = sum(len(wrap.breaks(part, width, cell_len)) + 1 for part in text.plain.split("\n"))
            tallest = max(tallest, lines)
        total += tallest
    return total


def _table(table: Table, width: int, painter: Painter) -> RenderableType:
    """The layout that fits in the fewest lines: ids in a column of their own, or ids heading
    a text column; rows stacked one after another where neither fits."""
    if not table.rows:
        return _framed(table, painter, None)  # headings over nothing say nothing: the caption explains
    best: tuple[int, Table, list[list[Wrapped]], list[int]] | None = None
    for candidate in (table, table.merged()):
        if candidate is None:
            continue
        cells = [[painter.text(c) for c in row] for row in candidate.rows]
        widths = _widths(candidate, cells, width)
        if widths is not None:
            # An id column of its own reads best: folding ids into the text must save a tenth.
            height = _height(cells, widths) * (10 if candidate is table else 11) // 10
            if best is None or height < best[0]:
                best = (height, candidate, cells, widths)
    if best is not None:
        return _grid(best[1], best[2], best[3], painter)
    cells = [[painter.text(c) for c in row] for row in table.rows]
    return _stacked(table, cells, width, painter)
