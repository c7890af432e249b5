"""A Sheet as an SVG image for publication (stdlib only; imported only by --svg).

A light page of a fixed width (960 px unless --width says otherwise), with no window chrome
and nothing fetched: the text is laid out here, line by line, by the breaking rules of
render/wrap.py, with advance widths estimated on the wide side (a Chinese character is one
em; Latin letters take the larger of the common fonts' widths, plus a margin), so that a
line never runs past its column in whichever font the reader's system picks. Chinese runs
use a CJK font stack, English runs a Latin one, each marked with xml:lang. Tables have a
header rule, a hairline between rows and a darker one between groups; bar cells become
<rect>s exactly as long as their share of the column's longest; the source line closes the
image. `chart` draws a comparison's bar chart (render/sheet.Chart) the same way.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from dataclasses import dataclass
from html import escape

from liaoyuan_cli.render import wrap
from liaoyuan_cli.render.html import (
    FONT_CJK,
    FONT_LATIN,
    FONT_MONO,
    LANGS,
    Run,
    bar_share,
    clean,
    group_heads,
    groups,
    lines_of,
    page_lang,
    runs,
    text_lines,
)
from liaoyuan_cli.render.sheet import Cell, Chart, Line, Note, Sheet, Span, Table

DEFAULT_WIDTH = 960
MARGIN = 32  # around the image (half that below 600 px)
GAP = 20  # between two columns
PAD = 7  # above and below the text of a row
BLOCK_GAP = 30  # between two blocks
BAR_HEIGHT = 11
BAR_SPAN = (96, 144)  # the least and most pixels the longest bar of a column may take
SHORT = 112  # a header or a line up to this wide is kept whole where there is room
NEARLY = 0.2  # a column this short of its widest line, as a share of the spare width, gets it
KEY_SHARE = 0.25  # ids wider than this share of the width head the text column instead
ID_SCALE = 0.82  # ids are set a little smaller, in a monospaced font

INK, MUTED, NOTE, ID, MARK, GOOD, BAD, BAR = (
    "#1b1b1b", "#666666", "#555555", "#2a4d69", "#8a4500", "#1a7f37", "#b42318", "#3d7ab8",
)  # fmt: skip
RULE_HEAD, RULE_ROW, RULE_GROUP, RULE_SOURCE = "#222222", "#e3e3e3", "#9a9a9a", "#bbbbbb"

# Advance widths of printable ASCII in hundredths of an em: the larger of Noto Sans CJK SC's
# and Arial's (Liberation Sans), plus 8% for the Latin letters of PingFang and Microsoft YaHei
# in a Chinese run. An English run is set in Helvetica Neue, Arial or Liberation Sans, else in
# Noto Sans CJK: the larger of the two, plus 2%, is enough (_LATIN).
_REGULAR = (
    31, 35, 52, 61, 61, 100, 74, 31, 37, 37, 51, 64, 31, 38, 31, 43, 61, 61, 61, 61, 61, 61, 61, 61,
    61, 61, 31, 31, 64, 64, 64, 61, 110, 73, 73, 78, 78, 73, 66, 85, 79, 32, 58, 73, 61, 90, 79, 85,
    73, 85, 78, 73, 66, 78, 73, 102, 73, 73, 66, 37, 43, 37, 60, 61, 66, 61, 67, 56, 67, 61, 36, 61,
    66, 30, 30, 60, 31, 101, 66, 66, 67, 67, 42, 54, 41, 66, 57, 87, 54, 57, 54, 37, 30, 37, 64,
)  # fmt: skip
_BOLD = (
    31, 40, 62, 64, 64, 105, 80, 36, 41, 41, 55, 64, 36, 40, 36, 42, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 36, 36, 64, 64, 64, 66, 109, 78, 78, 78, 78, 73, 66, 85, 82, 36, 62, 78, 66, 93, 81, 85,
    73, 85, 78, 73, 68, 81, 73, 102, 73, 73, 67, 41, 42, 41, 64, 62, 68, 64, 70, 61, 70, 63, 41, 66,
    70, 33, 34, 66, 35, 105, 70, 68, 70, 70, 48, 61, 46, 69, 63, 94, 61, 62, 56, 43, 32, 43, 64,
)  # fmt: skip
_LATIN = 1.02 / 1.08
_MONO = 0.62  # DejaVu Sans Mono, Menlo and Liberation Mono are 0.60 em
_FULL = set("—…→█■●")  # a full em even in a Latin font


def _stack(css: str) -> str:
    """A CSS font stack with single quotes, for an XML attribute."""
    return css.replace('"', "'")


# Chinese and English runs each in fonts made for them; the root's font-family attribute is
# the fallback for a reader that ignores CSS. No @import, no url(): nothing is fetched.
STYLE = (
    f"text {{ white-space: pre; }} .zh {{ font-family: {_stack(FONT_CJK)}; }} "
    f".en {{ font-family: {_stack(FONT_LATIN)}; }} .id {{ font-family: {_stack(FONT_MONO)}; }}"
)


@dataclass(frozen=True)
class Font:
    """How a piece of text is set: size in px, weight, face, and whether Latin fonts come first."""

    size: float
    bold: bool = False
    mono: bool = False
    latin: bool = False


def advance(ch: str, font: Font) -> float:
    """A character's advance in em, on the wide side."""
    code = ord(ch)
    if unicodedata.combining(ch):
        return 0.0
    wide = unicodedata.east_asian_width(ch) in "WF"
    if font.mono:
        return 1.0 if wide else _MONO
    if 32 <= code < 127:
        return (_BOLD if font.bold else _REGULAR)[code - 32] / 100 * (_LATIN if font.latin else 1.0)
    if wide:
        return 1.0
    if unicodedata.east_asian_width(ch) == "A":
        # Middle dots, curly quotes, dashes: full width in a CJK font, narrow in a Latin one.
        return 1.0 if not font.latin or ch in _FULL else 0.62
    return 0.9 if font.bold else 0.85  # other letters: accented capitals are the widest


def measure(text: str, font: Font) -> float:
    """The width of `text` in px, on the wide side."""
    return sum(advance(ch, font) for ch in text) * font.size


@dataclass(frozen=True)
class Base:
    """The look of a kind of text: body, header, title, subtitle, small print."""

    size: float
    height: float  # line height
    bold: bool = False
    fill: str = INK


BODY = Base(14, 20)
HEAD = Base(12.5, 17, True, "#333333")
TITLE = Base(19, 25, True, "#111111")
SUB = Base(13, 18, False, NOTE)
SMALL = Base(12, 16.5, False, NOTE)
LABEL = Base(12.5, BODY.height, False, MUTED)  # a column's name beside its value, rows stacked


def font_of(run: Run, base: Base) -> Font:
    if run.style == "id":
        return Font(base.size * ID_SCALE, False, True)
    bold = base.bold or run.style in ("strong", "mark", "bad")
    return Font(base.size, bold, False, run.lang == LANGS["en"])


def advances(line: list[Run], base: Base) -> list[float]:
    """The advance of each character of a line, in px, each in its run's font."""
    out: list[float] = []
    for r in line:
        font = font_of(r, base)
        out += [advance(ch, font) * font.size for ch in r.text]
    return out


def run_width(line: list[Run], base: Base) -> float:
    return sum(advances(line, base))


def _pieces(line: list[Run]) -> list[tuple[int, int, int]]:
    """render/wrap.py's unbreakable pieces, as (start, end without trailing spaces, end); an
    English compound may also break after its hyphens (wind-solar-|storage), as a browser would,
    but never an id."""
    text = "".join(r.text for r in line)
    hyphens: set[int] = set()
    start = 0
    for r in line:
        if r.style != "id":
            for i, ch in enumerate(r.text, start):
                around = text[i - 1 : i + 2 : 2] if i else ""
                if ch == "-" and len(around) == 2 and around.isalpha() and around.isascii():
                    hyphens.add(i + 1)
        start += len(r.text)
    out: list[tuple[int, int, int]] = []
    for a, b in wrap.atoms(text):
        cuts = [a, *sorted(h for h in hyphens if a < h < b), b]
        for lo, hi in itertools.pairwise(cuts):
            out.append((lo, lo + len(text[lo:hi].rstrip(" ")), hi))
    return out


def breaks(line: list[Run], sizes: list[float], width: float) -> list[int]:
    """wrap.breaks with each character's own width: where to break so each line fits."""
    offsets: list[int] = []
    used = 0.0
    for start, visible, end in _pieces(line):
        size = sum(sizes[start:visible])
        if used and used + size > width:
            offsets.append(start)
            used = 0.0
        if size > width:
            # Wider than a whole line: cut it, the only way to show it at all.
            used = 0.0
            for i in range(start, end):
                if used and used + sizes[i] > width:
                    offsets.append(i)
                    used = 0.0
                used += sizes[i]
            continue
        used += sum(sizes[start:end])
    return offsets


def widest(line: list[Run], base: Base) -> float:
    """The widest unbreakable piece of a line, in px: below it a column must cut something."""
    sizes = advances(line, base)
    return max((sum(sizes[a:v]) for a, v, _ in _pieces(line)), default=0.0)


def wrap_runs(line: list[Run], width: float, base: Base) -> list[list[Run]]:
    """A line broken into lines no wider than `width` (px), by render/wrap.py's rules."""
    text = "".join(r.text for r in line)
    if not text.strip():
        return [[]]
    bounds = [0, *breaks(line, advances(line, base), width), len(text)]
    out: list[list[Run]] = []
    for a, b in itertools.pairwise(bounds):
        pieces: list[Run] = []
        start = 0
        for r in line:
            end = start + len(r.text)
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                pieces.append(Run(r.text[lo - start : hi - start], r.style, r.lang))
            start = end
        if a and pieces:  # a continuation line starts at its first visible character
            pieces[0] = Run(pieces[0].text.lstrip(" "), pieces[0].style, pieces[0].lang)
        while pieces and not pieces[-1].text.rstrip(" "):
            pieces.pop()
        if pieces:
            pieces[-1] = Run(pieces[-1].text.rstrip(" "), pieces[-1].style, pieces[-1].lang)
        out.append([p for p in pieces if p.text])
    return out


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Canvas:
    """The SVG elements of the image, and the languages it is written in."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.parts: list[str] = []

    def text(
        self, x: float, top: float, line: list[Run], base: Base, end: bool = False, cls: str = ""
    ) -> None:
        """One line of text whose line box starts at `top`; `end` aligns it right at `x`."""
        if not line:
            return
        baseline = top + base.height / 2 + 0.38 * base.size
        attrs = [f'x="{_num(x)}"', f'y="{_num(baseline)}"', f'font-size="{_num(base.size)}"']
        if base.bold:
            attrs.append('font-weight="700"')
        if base.fill != INK:
            attrs.append(f'fill="{base.fill}"')
        if end:
            attrs.append('text-anchor="end"')
        if cls:
            attrs.append(f'class="{cls}"')
        inner = "".join(self._tspan(r, base) for r in line)
        self.parts.append(f"<text {' '.join(attrs)}>{inner}</text>")

    def _tspan(self, run: Run, base: Base) -> str:
        attrs: list[str] = []
        classes: list[str] = []
        lang = run.lang
        if lang is not None and lang != self.root:
            attrs.append(f'xml:lang="{lang}"')
            classes.append("en" if lang == LANGS["en"] else "zh")
        style = run.style
        if style == "id":
            classes.append("id")
            attrs += [f'font-size="{_num(base.size * ID_SCALE)}"', f'fill="{ID}"']
        elif style in ("strong", "mark", "bad") and not base.bold:
            attrs.append('font-weight="700"')
        fill = {"muted": MUTED, "note": NOTE, "mark": MARK, "good": GOOD, "bad": BAD, "bar": BAR}.get(style)
        if fill and fill != base.fill:
            attrs.append(f'fill="{fill}"')
        if style == "mark":
            attrs.append('text-decoration="underline"')
        if style == "note" and lang == LANGS["en"]:
            attrs.append('font-style="italic"')
        if classes:
            attrs.insert(0, f'class="{" ".join(classes)}"')
        body = escape(run.text)
        return f"<tspan {' '.join(attrs)}>{body}</tspan>" if attrs else body

    def axis(self, x: float, top: float, height: float) -> None:
        """The zero line of a bar that has values below zero beside it."""
        self.parts.append(
            f'<line class="zero" x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(top + height)}" '
            f'stroke="{RULE_HEAD}" stroke-width="1"/>'
        )

    def rule(self, x1: float, x2: float, y: float, color: str, width: float = 1) -> None:
        self.parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y)}" x2="{_num(x2)}" y2="{_num(y)}" '
            f'stroke="{color}" stroke-width="{_num(width)}"/>'
        )

    def bar(
        self,
        x: float,
        top: float,
        width: float,
        hollow: bool = False,
        height: float = BAR_HEIGHT,
        cls: str | None = None,
    ) -> None:
        """A bar on the line whose box starts at `top`; `hollow` (a target) is drawn in outline.
        Its class is `bar` (`bar target` if hollow) unless `cls` names another (a legend's key)."""
        y = top + (BODY.height - height) / 2
        look = f'fill="#ffffff" stroke="{BAR}" stroke-width="1.5"' if hollow else f'fill="{BAR}"'
        # A hollow bar's stroke is centred on its edge: inset by half of it, its outer edge is
        # exactly as long as a solid bar of the same value.
        inset = 0.75 if hollow else 0.0
        name = cls or ("bar target" if hollow else "bar")
        self.parts.append(
            f'<rect class="{name}" x="{_num(x + inset)}" y="{_num(y + inset)}" '
            f'width="{_num(max(width - 2 * inset, 0.0))}" height="{_num(height - 2 * inset)}" rx="1" {look}/>'
        )

    def paragraph(
        self, x: float, top: float, lines: list[Line], width: float, base: Base, cls: str = ""
    ) -> float:
        """Lines wrapped at `width`, from `top`; returns the y below them."""
        y = top
        for ln in lines:
            for part in wrap_runs(runs(ln, self.root), width, base):
                self.text(x, y, part, base, cls=cls)
                y += base.height
        return y


def _plain(lines: list[Line]) -> list[Line]:
    """Lines with 'strong' dropped: in a heading every line is already bold or is a subhead."""
    return [[s if s.style != "strong" else Span(s.text, s.lang) for s in ln] for ln in lines]


@dataclass
class Layout:
    """A table's column widths, and the lines of its cells wrapped to them."""

    table: Table
    widths: list[float]
    cells: list[list[list[list[Run]]]]
    heads: list[list[list[Run]]]


def _lines(value: Cell, root: str) -> list[list[Run]]:
    return [runs(ln, root) for ln in lines_of(value)]


def _columns(table: Table, root: str, room: float) -> list[float] | None:
    """Widths that hold every unbreakable piece (and, where there is room, every short line
    whole), spare width shared by need and ratio, what is left to the text columns; None if
    the widest pieces do not fit."""
    n = len(table.columns)
    hard: list[float] = []
    soft: list[float] = []
    maxs: list[float] = []
    for i, column in enumerate(table.columns):
        body = [ln for row in table.rows for ln in _lines(row[i], root)]
        head = [runs(ln, root) for ln in text_lines(column.header)]
        longest = max((run_width(ln, BODY) for ln in body), default=0.0)
        head_long = max((run_width(ln, HEAD) for ln in head), default=0.0)
        # A short header is not broken ("Area · 地区"); a long one breaks where wrap.py allows.
        head_min = max([widest(ln, HEAD) for ln in head] + [min(head_long, SHORT)])
        most = max((bar_share(row[i]) or 0.0 for row in table.rows), default=0.0) if column.bar else 0.0
        if column.bar and (most or not any(run_width(ln, BODY) for ln in body)):
            low = max(BAR_SPAN[0] if most else 0.0, head_min)
            high = max(BAR_SPAN[1] if most else 0.0, head_min)
            short = low
        else:
            piece = max((widest(ln, BODY) for ln in body), default=0.0)
            low = max(longest if column.key else piece, head_min, 8.0)
            high = max(longest, head_long, low)
            # A short line ("项目建设", "34 key projects") is better whole than broken.
            short = max([low] + [min(run_width(ln, BODY), SHORT) for ln in body])
        hard.append(math.ceil(low))
        soft.append(math.ceil(short))
        maxs.append(math.ceil(high))
    space = room - GAP * (sum(1 for m in maxs if m > 0) - 1)
    if sum(hard) > space:
        return None
    widths: list[float] = soft if sum(soft) <= space else hard
    # Spare width goes where text is waiting for it: to each column in proportion to how much
    # wider its content wants to be, weighted by its ratio; what is left, to the text columns.
    spare = space - sum(widths)
    # A column that is nearly whole is made whole first ("an increase · ensure" on one line).
    for i in sorted(range(n), key=lambda i: maxs[i] - widths[i]):
        if 0 < maxs[i] - widths[i] <= spare * NEARLY:
            spare -= maxs[i] - widths[i]
            widths[i] = maxs[i]
    growing = [i for i in range(n) if widths[i] < maxs[i]]
    while spare > 0.5 and growing:
        want = {i: (maxs[i] - widths[i]) * max(table.columns[i].ratio, 1) for i in growing}
        total = sum(want.values())
        given = 0.0
        for i in growing:
            step = min(spare * want[i] / total, maxs[i] - widths[i])
            widths[i] += step
            given += step
        spare -= given
        growing = [i for i in growing if widths[i] < maxs[i] - 0.01]
    text = [i for i, c in enumerate(table.columns) if not (c.key or c.bar or c.numeric)]
    if spare > 0.5 and text:
        total = sum(max(table.columns[i].ratio, 1) for i in text)
        for i in text:
            widths[i] += spare * max(table.columns[i].ratio, 1) / total
    return [math.floor(w * 10) / 10 for w in widths]


def _key_share(table: Table, root: str, room: float) -> float:
    """How much of the width an id column of its own would take."""
    key = next((i for i, c in enumerate(table.columns) if c.key), None)
    if key is None:
        return 0.0
    return (
        max((run_width(ln, BODY) for row in table.rows for ln in _lines(row[key], root)), default=0.0) / room
    )


def _layout(table: Table, root: str, room: float) -> Layout | None:
    """The first grid that fits: ids in a column of their own, or ids as the first line of
    their host column (tried first where long ids would take more than a quarter of the
    width); None if neither fits (rows are then stacked)."""
    merged = table.merged()
    candidates = [table, merged]
    if merged is not None and _key_share(table, root, room) > KEY_SHARE:
        candidates.reverse()
    for candidate in candidates:
        widths = _columns(candidate, root, room) if candidate is not None else None
        if candidate is not None and widths is not None:
            break
    else:
        return None
    chosen = candidate
    cells: list[list[list[list[Run]]]] = [
        [
            [[]]  # a bar is drawn as a rect, on one line
            if chosen.columns[i].bar and bar_share(value) is not None
            else [part for ln in _lines(value, root) for part in wrap_runs(ln, widths[i], BODY)]
            for i, value in enumerate(row)
        ]
        for row in chosen.rows
    ]
    heads = [
        [part for ln in text_lines(c.header) for part in wrap_runs(runs(ln, root), widths[i], HEAD)]
        for i, c in enumerate(chosen.columns)
    ]
    return Layout(chosen, widths, cells, heads)


def _draw_table(canvas: Canvas, table: Table, left: float, top: float, room: float) -> float:
    """A table's title, its grid (or its rows stacked, if no grid fits), its caption."""
    y = top
    title = text_lines(table.title)
    if title and title[0]:
        y = canvas.paragraph(left, y, _plain(title[:1]), room, TITLE, "title")
    if title[1:]:
        y = canvas.paragraph(left, y, title[1:], room, SUB, "subtitle")
    y += 10
    if table.columns:
        layout = _layout(table, canvas.root, room)
        y = _draw_grid(canvas, layout, left, y) if layout else _draw_stacked(canvas, table, left, y, room)
    if table.caption:
        y = canvas.paragraph(left, y + 8, text_lines(table.caption), room, SMALL, "caption")
    return y


def _draw_grid(canvas: Canvas, layout: Layout, left: float, top: float) -> float:
    """Header, rule, rows: a group's heading cell spans its rows; a darker rule ends a group."""
    t = layout.table
    y = top
    xs: list[float] = []
    x = left
    for w in layout.widths:
        xs.append(x)
        x += w + GAP if w else 0  # a column with nothing in it (a bar column without bars) is gone
    right = max(x + w for x, w in zip(xs, layout.widths, strict=True))
    # The header, its lines at the bottom of its row.
    rows_of_head = max(len(h) for h in layout.heads)
    if rows_of_head:
        for i, head in enumerate(layout.heads):
            line_top = y + (rows_of_head - len(head)) * HEAD.height
            for part in head:
                end = t.columns[i].numeric
                canvas.text(xs[i] + (layout.widths[i] if end else 0), line_top, part, HEAD, end, "header")
                line_top += HEAD.height
        y += rows_of_head * HEAD.height + 5
    canvas.rule(left, right, y, RULE_HEAD, 1.5)
    spanned = group_heads(t)
    covered = {r for start, size in spanned.items() for r in range(start + 1, start + size)}
    heights = []
    for r, row in enumerate(layout.cells):
        counts = [len(c) for i, c in enumerate(row) if not (i == 0 and (r in spanned or r in covered))]
        heights.append(max([*counts, 1]) * BODY.height + 2 * PAD)
    for start, size in spanned.items():
        need = max(1, len(layout.cells[start][0])) * BODY.height + 2 * PAD
        have = sum(heights[start : start + size])
        if need > have:
            heights[start + size - 1] += need - have
    ends = {g[-1] for g in groups(t)}
    for r, row in enumerate(layout.cells):
        for i, lines in enumerate(row):
            if i == 0 and r in covered:
                continue
            column = t.columns[i]
            share = bar_share(t.rows[r][i]) if column.bar else None
            if share is not None:
                # Exactly proportional: the longest bar of the column (share 1) fills it.
                if share > 0:
                    canvas.bar(xs[i], y + PAD, share * layout.widths[i])
                continue
            line_top = y + PAD
            for part in lines:
                end = column.numeric
                canvas.text(xs[i] + (layout.widths[i] if end else 0), line_top, part, BODY, end, "cell")
                line_top += BODY.height
        y += heights[r]
        if r in ends and r != len(layout.cells) - 1:
            canvas.rule(left, right, y, RULE_GROUP, 1.5)
        else:  # inside a group whose first cell spans its rows, the rule leaves that cell whole
            canvas.rule(
                xs[1] if r in spanned or (r in covered and r not in ends) else left, right, y, RULE_ROW
            )
    return y


def _draw_stacked(canvas: Canvas, table: Table, left: float, top: float, room: float) -> float:
    """Rows one after another, for an image too narrow for a grid: each headed by its id, its
    other cells beside their column's name."""
    root = canvas.root
    key = next((i for i, c in enumerate(table.columns) if c.key), None)
    heads = [[runs(ln, root) for ln in text_lines(c.header)] for c in table.columns]
    label = min(max((run_width(ln, LABEL) for h in heads for ln in h), default=0.0), room * 0.32)
    value = room - (label + GAP / 2 if label else 0)
    x = left + room - value
    longest = min(BAR_SPAN[1], value)  # the length of a share of 1
    ends = {g[-1] for g in groups(table)}
    y = top
    canvas.rule(left, left + room, y, RULE_HEAD, 1.5)
    for r, row in enumerate(table.rows):
        y += PAD
        if key is not None:
            for ln in _lines(row[key], root):
                for part in wrap_runs(ln, room, BODY):
                    canvas.text(left, y, part, BODY, cls="cell")
                    y += BODY.height
        for i, cell in enumerate(row):
            if i == key or not any(r.text.strip() for ln in _lines(cell, root) for r in ln):
                continue
            names = [part for ln in heads[i] for part in wrap_runs(ln, label, LABEL)] if label else []
            for k, part in enumerate(names):
                canvas.text(left, y + k * LABEL.height, part, LABEL, cls="label")
            share = bar_share(cell) if table.columns[i].bar else None
            if share is not None:
                canvas.bar(x, y, share * longest)
                count = 1
            else:
                parts = [part for ln in _lines(cell, root) for part in wrap_runs(ln, value, BODY)]
                for k, part in enumerate(parts):
                    canvas.text(x, y + k * BODY.height, part, BODY, cls="cell")
                count = len(parts)
            y += max(count * BODY.height, len(names) * LABEL.height)
        y += PAD
        between = r in ends and r != len(table.rows) - 1
        canvas.rule(left, left + room, y, RULE_GROUP if between else RULE_ROW, 1.5 if between else 1)
    return y


def _draw_note(canvas: Canvas, note: Note, left: float, top: float, room: float) -> float:
    lines = [ln for ln in note.lines if any(s.text for s in ln)]
    if not lines:
        return top
    if note.heading:
        y = canvas.paragraph(left, top, _plain(lines[:1]), room, TITLE, "title")
        return canvas.paragraph(left, y, _plain(lines[1:]), room, SUB, "subtitle")
    return canvas.paragraph(left, top, lines, room, BODY, "note")


def render(sheet: Sheet, width: int | None = None) -> str:
    """The image, as text."""
    total = DEFAULT_WIDTH if width is None else width
    root = page_lang(sheet.lang)
    canvas = Canvas(root)
    margin = MARGIN if total >= 600 else MARGIN / 2
    room = max(total - 2 * margin, BODY.size * 4)
    y: float = margin
    for number, block in enumerate(sheet.blocks):
        if number:
            y += BLOCK_GAP
        if isinstance(block, Table):
            y = _draw_table(canvas, block, margin, y, room)
        else:
            y = _draw_note(canvas, block, margin, y, room)
    return _image(canvas, total, margin, room, y + 22, sheet.title, sheet.source)


def _image(canvas: Canvas, total: int, margin: float, room: float, y: float, title: str, source: str) -> str:
    """The image: what the canvas holds, closed by the source line below `y`."""
    root = canvas.root
    source = source.strip() or "Compiled with lycli."
    canvas.rule(margin, margin + room, y, RULE_SOURCE)
    y = canvas.paragraph(margin, y + 6, text_lines(source), room, SMALL, "source")
    height = math.ceil(y + margin - 6)
    title = " ".join(clean(title).split()) or "lycli"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{total}" height="{height}" '
        f'viewBox="0 0 {total} {height}" role="img" aria-labelledby="lycli-title lycli-desc" '
        f'xml:lang="{root}" xml:space="preserve" '
        f'font-family="{_stack(FONT_LATIN if root == LANGS["en"] else FONT_CJK)}" '
        f'font-size="{_num(BODY.size)}" fill="{INK}">'
    )
    body = [
        head,
        f'<title id="lycli-title">{escape(title)}</title>',
        f'<desc id="lycli-desc">{escape(" ".join(clean(source).split()))}</desc>',
        f"<style>{STYLE}</style>",
        f'<rect class="background" width="{total}" height="{height}" fill="#ffffff"/>',
        *canvas.parts,
        "</svg>",
        "",
    ]
    return "\n".join(body)


# -- a bar chart --------------------------------------------------------------------------------

CHART_BAR = 14  # the height of a chart's bar
LABEL_SHARE = 0.28  # at most this share of the width for the areas' names
BAR_SHARE = 0.55  # the bars' share of what is right of the names: the rest is for the values


def chart(figure: Chart, width: int | None = None) -> str:
    """A bar chart for print: a group per metric, a row per area's figure, the area named on the
    left, its bar exactly as long as its value (a target in outline), the figure as written
    after the bar; the legend, the notes and the source beneath."""
    total = DEFAULT_WIDTH if width is None else width
    root = page_lang(figure.lang)
    canvas = Canvas(root)
    margin = MARGIN if total >= 600 else MARGIN / 2
    room = max(total - 2 * margin, BODY.size * 4)
    y: float = margin
    y = canvas.paragraph(margin, y, _plain(text_lines(figure.title)), room, TITLE, "title")
    if figure.subtitle:
        y = canvas.paragraph(margin, y, text_lines(figure.subtitle), room, SUB, "subtitle")
    y += 12
    labels = [runs(ln, root) for g in figure.groups for b in g.bars for ln in b.label]
    name_width = min(max((run_width(ln, BODY) for ln in labels), default=0.0) + 1, room * LABEL_SHARE)
    left = margin + name_width + GAP
    span = room - name_width - GAP
    longest = span * BAR_SHARE
    # A figure without a bar is set where the bars start from zero, so that words line up.
    axis = left + longest * max(
        (b.zero for g in figure.groups for b in g.bars if b.share is not None), default=0
    )
    for number, group in enumerate(figure.groups):
        if number:
            canvas.rule(margin, margin + room, y, RULE_ROW)
        y += 8
        y = canvas.paragraph(
            margin, y, _plain(group.title), room, Base(BODY.size, BODY.height, True), "metric"
        )
        y += 2
        for b in group.bars:
            top = y
            names = [part for ln in b.label for part in wrap_runs(runs(ln, root), name_width, BODY)]
            for k, part in enumerate(names):
                canvas.text(margin + name_width, top + k * BODY.height, part, BODY, end=True, cls="label")
            start = axis
            if b.share is not None:
                zero = left + b.zero * longest
                length = abs(b.share) * longest
                # Below zero a bar runs left of the zero line, exactly as long as its value.
                canvas.bar(zero - length if b.share < 0 else zero, top, length, b.aim, CHART_BAR)
                if b.zero:
                    canvas.axis(zero, top, BODY.height)
                start = zero + (length if b.share > 0 else 0) + 6
            values = [part for ln in b.value for part in wrap_runs(runs(ln, root), left + span - start, BODY)]
            for k, part in enumerate(values):
                canvas.text(start, top + k * BODY.height, part, BODY, cls="value")
            y = top + max(len(names), len(values), 1) * BODY.height + 4
        y += 4
    # The key: what a solid and a hollow bar are.
    y += 10
    canvas.rule(margin, margin + room, y, RULE_HEAD, 1.5)
    y += 8
    x = margin
    for hollow, words in ((False, figure.key[0]), (True, figure.key[1])):
        canvas.bar(x, y, 22, hollow, CHART_BAR, "key")
        line = runs(text_lines(words)[0], root)
        canvas.text(x + 28, y, line, SMALL, cls="key")
        x += 28 + run_width(line, SMALL) + 18
    y += BODY.height + 2
    for note in figure.notes:
        y = canvas.paragraph(margin, y, text_lines(note), room, SMALL, "note")
    return _image(canvas, total, margin, room, y + 14, figure.title, figure.source)
