"""A Sheet drawn on a terminal, or piped: lycli lays out every line itself and writes plain text;
rich is imported only to colour a terminal's lines.

Columns are sized from their content: a column is never narrower than its widest unbreakable
piece (an id, an English word, a number with its unit), and the id column is as wide as its
longest id. Where the terminal cannot hold that, rows are stacked: each headed by its id on a
line of its own, its other cells below under their column's name. Text breaks by the rules of
render/wrap.py, and widths are counted in terminal cells (a Chinese character takes two).
"""

from __future__ import annotations

import os
from itertools import pairwise

from liaoyuan_cli.render import stream_encoding, wrap
from liaoyuan_cli.render.sheet import Cell, Note, Sheet, Table
from liaoyuan_cli.render.wrap import cells
from liaoyuan_cli.text import neutralise

TYPE_CHECKING = False
if TYPE_CHECKING:
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
    "head": "bold",
    "title": "bold",
    "caption": "italic",
}
# A terminal narrower than this, or a COLUMNS wider than that, is taken as this or that.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 16, 500, 80
GAP = 3  # between two columns
RULE = "─"

# A line as drawn: runs of text, each with a style of STYLES ('' for none).
Run = tuple[str, str]
Drawn = list[Run]


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

    @property
    def rule(self) -> str:
        """The heading's rule: a box-drawing line, or hyphens where the stream cannot show one."""
        return RULE if self.safe(RULE) == RULE else "-"

    def cell(self, value: Cell) -> list[Drawn]:
        """A cell's lines, each a list of styled runs."""
        return [[(self.safe(s.text), s.style) for s in ln] for ln in value] or [[]]


def _plain(line: Drawn) -> str:
    return "".join(text for text, _ in line)


def _wrapped(line: Drawn, width: int) -> list[Drawn]:
    """A styled line broken where wrap.py allows, each piece at most `width` cells."""
    text = _plain(line)
    offsets = wrap.breaks(text, width, cells)
    if not offsets:
        return [line]
    out: list[Drawn] = []
    bounds = [0, *offsets, len(text)]
    for start, end in pairwise(bounds):
        piece: Drawn = []
        at = 0
        for run, style in line:
            a, b = max(start, at), min(end, at + len(run))
            if a < b:
                piece.append((run[a - at : b - at], style))
            at += len(run)
        out.append(_rstripped(piece))
    return out


def _rstripped(line: Drawn) -> Drawn:
    while line and not line[-1][0].rstrip(" "):
        line = line[:-1]
    if line:
        text, style = line[-1]
        line = [*line[:-1], (text.rstrip(" "), style)]
    return line


def _lines(value: list[Drawn], width: int) -> list[Drawn]:
    return [piece for line in value for piece in _wrapped(line, width)]


def _widths(table: Table, body: list[list[list[Drawn]]], available: int) -> list[int] | None:
    """Column widths that fit every unbreakable piece, the spare width shared by ratio; None if
    the terminal cannot hold them (then rows are stacked)."""
    n = len(table.columns)
    # A heading's lines stay whole ("Figures" over "数据").
    heads = [max((cells(h) for h in c.header.split("\n")), default=0) for c in table.columns]
    mins, maxs = [], []
    for i, column in enumerate(table.columns):
        texts = [_plain(line) for row in body for line in row[i]]
        longest = max((cells(t) for t in texts), default=0)
        widest = max((wrap.widest(t, cells) for t in texts), default=0)
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


def _padded(line: Drawn, width: int, right: bool) -> Drawn:
    room = width - cells(_plain(line))
    if room <= 0:
        return line
    return [(" " * room, ""), *line] if right else [*line, (" " * room, "")]


def _title(table: Table, painter: Painter, width: int) -> list[Drawn]:
    return (
        _lines([[(painter.safe(t), "title")] for t in table.title.split("\n")], width) if table.title else []
    )


def _caption(table: Table, painter: Painter, width: int) -> list[Drawn]:
    if not table.caption:
        return []
    return _lines([[(painter.safe(t), "caption")] for t in table.caption.split("\n")], width)


def _grid(
    table: Table, body: list[list[list[Drawn]]], widths: list[int], width: int, painter: Painter
) -> list[Drawn]:
    """Columns side by side under their headings and a rule; the title and caption above and
    below at the full width."""
    out = _title(table, painter, width)

    def row_lines(columns: list[list[Drawn]]) -> list[Drawn]:
        wrapped = [_lines(c, w) for c, w in zip(columns, widths, strict=True)]
        height = max((len(c) for c in wrapped), default=0)
        lines = []
        for k in range(height):
            line: Drawn = []
            for i, column in enumerate(wrapped):
                if i:
                    line.append((" " * GAP, ""))
                piece = column[k] if k < len(column) else []
                line += _padded(piece, widths[i], table.columns[i].numeric)
            lines.append(_rstripped(line))
        return lines

    out += row_lines([[[(painter.safe(h), "head")] for h in c.header.split("\n")] for c in table.columns])
    out.append([(painter.rule * (sum(widths) + GAP * (len(widths) - 1)), "")])
    for index, row in enumerate(body):
        out += row_lines(row)
        if index in table.ends and index != len(body) - 1:
            out.append([])
    return out + _caption(table, painter, width)


def _stacked(table: Table, body: list[list[list[Drawn]]], width: int, painter: Painter) -> list[Drawn]:
    """Rows one after another: the id on its own line, each other cell under its column's name."""
    out = _title(table, painter, width)
    if out:
        out.append([])
    key = next((i for i, c in enumerate(table.columns) if c.key), None)
    labels = [[[(painter.safe(h), "muted")] for h in c.header.split("\n")] for c in table.columns]
    label_width = min(max((cells(_plain(h)) for x in labels for h in x), default=0), max(4, width // 4))
    room = max(1, width - label_width - 1)
    for row in body:
        if key is not None:
            out += _lines(row[key], width)
        for i, value in enumerate(row):
            if i == key or not any(_plain(line).strip() for line in value):
                continue
            label = _lines(labels[i], label_width)
            if max((wrap.widest(_plain(line), cells) for line in value), default=0) > room:
                # Too wide beside its label (an id): the label on a line of its own, then the value.
                out += label + _lines(value, width)
                continue
            lines = _lines(value, room)
            for k in range(max(len(label), len(lines))):
                left = _padded(label[k] if k < len(label) else [], label_width, False)
                out.append(_rstripped([*left, (" ", ""), *(lines[k] if k < len(lines) else [])]))
        out.append([])
    return out + _caption(table, painter, width)


def _height(body: list[list[list[Drawn]]], widths: list[int]) -> int:
    """How many lines a grid of these widths takes: the shorter, the easier to read."""
    return sum(max(len(_lines(c, w)) for c, w in zip(row, widths, strict=True)) for row in body)


def _table(table: Table, width: int, painter: Painter) -> list[Drawn]:
    """The layout that fits in the fewest lines: ids in a column of their own, or ids heading
    a text column; rows stacked one after another where neither fits."""
    if not table.rows:
        return _title(table, painter, width) + _caption(table, painter, width)
    best: tuple[int, Table, list[list[list[Drawn]]], list[int]] | None = None
    for candidate in (table, table.merged()):
        if candidate is None:
            continue
        body = [[painter.cell(c) for c in row] for row in candidate.rows]
        widths = _widths(candidate, body, width)
        if widths is not None:
            # An id column of its own reads best: folding ids into the text must save a tenth.
            height = _height(body, widths) * (10 if candidate is table else 11) // 10
            if best is None or height < best[0]:
                best = (height, candidate, body, widths)
    if best is not None:
        return _grid(best[1], best[2], best[3], width, painter)
    return _stacked(table, [[painter.cell(c) for c in row] for row in table.rows], width, painter)


def lines(sheet: Sheet, width: int, painter: Painter) -> list[Drawn]:
    """Every line of a Sheet at a width, styled."""
    out: list[Drawn] = []
    for number, block in enumerate(sheet.blocks):
        if number:
            out.append([])
        if isinstance(block, Note):
            for ln in block.lines:
                drawn = [(painter.safe(s.text), "head" if block.heading else s.style) for s in ln]
                out += [drawn] if block.whole else _wrapped(drawn, width)
            continue
        out += _table(block, width, painter)
    return out


def draw(sheet: Sheet, options: Options) -> None:
    """Write a Sheet on the output stream: plain text, or coloured by rich on a terminal."""
    painter = Painter(stream_encoding(options.out))
    drawn = lines(sheet, terminal_width(options), painter)
    if not options.color or not _is_terminal(options):
        options.out.write("".join(_plain(line) + "\n" for line in drawn))
        return
    from rich.console import Console
    from rich.text import Text

    class Quiet(Console):
        """A reader going away (`| head`) is left to the caller, who stops with exit 0."""

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    console = Quiet(file=options.out, highlight=False, emoji=False, markup=False, soft_wrap=True)
    for line in drawn:
        console.print(Text.assemble(*((text, STYLES.get(style, "")) for text, style in line)))


def _is_terminal(options: Options) -> bool:
    try:
        return bool(options.out.isatty()) and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
