"""What a table says, apart from how it is drawn: the terminal, HTML and SVG all draw a Sheet.

Text enters a Sheet through `span`, which makes data harmless to show (no control or bidi
characters), and carries its language, so an HTML export can mark `lang` and a terminal can
choose which lines to print.
"""

from __future__ import annotations

from typing import NamedTuple

from liaoyuan_cli.text import neutralise


class Span(NamedTuple):
    """A run of text with one look: style is '', 'id', 'strong', 'muted', 'mark', 'note' or 'bar'.

    A bar's text is its terminal drawing (█ cells, to the nearest eighth); `share` is its exact
    length as a share of its column's longest bar, 0 to 1, which HTML and SVG draw. An area's
    slug is a span of style 'area' (or 'area-strong') until `named` gives it its name."""

    text: str
    lang: str | None = None
    style: str = ""
    share: float | None = None


Line = list[Span]
Cell = list[Line]


def span(value: object, style: str = "", lang: str | None = None) -> Span:
    return Span(neutralise("" if value is None else str(value)), lang, style)


def line(*parts: Span | str) -> Line:
    return [p if isinstance(p, Span) else span(p) for p in parts]


def cell(*lines: Line) -> Cell:
    return [ln for ln in lines if ln]


def plain(value: object, style: str = "", lang: str | None = None) -> Cell:
    """One value, one line per line of its text."""
    return [[span(part, style, lang)] for part in ("" if value is None else str(value)).split("\n")]


def marked(value: str, where: list[int] | None, lang: str, style: str = "") -> Line:
    """Text with a search match emphasised."""
    if not where:
        return [span(value, style, lang)]
    a, b = where
    return [
        s
        for s in (span(value[:a], style, lang), span(value[a:b], "mark", lang), span(value[b:], style, lang))
        if s.text
    ]


def both(
    zh: str,
    en: str,
    lang: str,
    marks: tuple[list[int] | None, list[int] | None] = (None, None),
    style: str = "",
) -> Cell:
    """Chinese and English in one cell, as --lang asks (both: Chinese first, neither dimmed)."""
    out: Cell = []
    if lang in ("zh", "both"):
        out.append(marked(zh, marks[0], "zh", style))
    if lang in ("en", "both"):
        out.append(marked(en, marks[1], "en", style))
    return out


def heading(lang: str, zh: str, en: str) -> str:
    """A column's heading: in both languages, English over Chinese (each line kept whole)."""
    return label(lang, zh, en) if lang != "both" else f"{en}\n{zh}"


def label(lang: str, zh: str, en: str) -> str:
    """A heading or label in the reader's language: 'Record · 记录' for both."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{en} · {zh}"


class Column(NamedTuple):
    """`ratio` shares out spare width; the `key` column (an id) is never wrapped and heads a
    row when rows are stacked; `numeric` aligns right; `bar` holds a bar chart."""

    header: str
    ratio: int = 1
    key: bool = False
    numeric: bool = False
    bar: bool = False
    floor: int = 0  # a width below which the column must not go (an id merged into it)
    host: bool = False  # where the id goes when it cannot have a column of its own
    # The fields of the result's rows the column shows, as --fields names them: a table drawn
    # with --fields keeps the columns that show a field asked for (a bar goes with its number).
    fields: tuple[str, ...] = ()


class Table:
    """A titled table of cells; `ends` are the rows after which a group ends, `caption` what
    is said beneath it (why it is empty, how far it may be compared)."""

    __slots__ = ("caption", "columns", "ends", "rows", "title")

    def __init__(
        self,
        title: str,
        columns: list[Column],
        rows: list[list[Cell]] | None = None,
        ends: set[int] | None = None,
        caption: str | None = None,
    ) -> None:
        self.title, self.columns, self.caption = title, columns, caption
        self.rows: list[list[Cell]] = rows if rows is not None else []
        self.ends: set[int] = ends if ends is not None else set()

    def merged(self) -> Table | None:
        """The table with its id column folded into its host (the `host` column, else the widest
        text column), as that column's first line: for terminals too narrow for an id column of
        its own. None without ids."""
        key = next((i for i, c in enumerate(self.columns) if c.key), None)
        if key is None:
            return None
        others = [i for i in range(len(self.columns)) if i != key]
        host = next((i for i in others if self.columns[i].host), None)
        if host is None:
            host = max(others, key=lambda i: self.columns[i].ratio, default=None)
        if host is None:
            return None
        longest = max((sum(len(s.text) for s in ln) for row in self.rows for ln in row[key]), default=0)
        columns = [c for i, c in enumerate(self.columns) if i != key]
        head = self.columns[host]
        merged = "\n".join(
            f"{a} · {b}"
            for a, b in zip(self.columns[key].header.split("\n"), head.header.split("\n"), strict=False)
        )
        columns[columns.index(head)] = Column(
            merged,
            head.ratio,
            False,
            head.numeric,
            head.bar,
            longest,
            True,
            (*self.columns[key].fields, *head.fields),
        )
        rows = [
            [row[key] + row[i] if i == host else row[i] for i in range(len(row)) if i != key]
            for row in self.rows
        ]
        return Table(self.title, columns, rows, set(self.ends), self.caption)

    def add(self, *cells: Cell, end: bool = False) -> None:
        assert len(cells) == len(self.columns), (self.title, len(cells), len(self.columns))
        self.rows.append(list(cells))
        if end:
            self.ends.add(len(self.rows) - 1)


class Note(NamedTuple):
    """Lines of text between tables: a heading, counts, a caution. A `whole` note keeps each
    line on one line, so that it can be grepped (validation problems)."""

    lines: list[Line]
    heading: bool = False
    whole: bool = False


class Sheet(NamedTuple):
    """Everything a command shows: its title, its tables and notes, and where it comes from."""

    title: str
    blocks: list[Table | Note]
    source: str
    lang: str


# -- areas by name ---------------------------------------------------------------------------
# A builder writes an area as its slug, in a span of style AREA (or AREA_STRONG), or a list of
# them as one span of style AREAS; `named_cell` then writes each by its name in the reader's
# language, from the names the knowledge base gives (`Names`: slug -> (Chinese, English)).
# Where no names are given (a result rendered without its knowledge base), the slug stays.

AREA, AREA_STRONG, AREAS = "area", "area-strong", "areas"
Names = dict[str, tuple[str, str]]


def area_span(slug: str, strong: bool = False) -> Span:
    return span(slug, AREA_STRONG if strong else AREA)


def areas_cell(slugs: list[str], empty: str = "—") -> Cell:
    """A list of areas in one cell: on one line in one language, one a line in both."""
    return [[span(",".join(slugs), AREAS)]] if slugs else plain(empty)


def _name(slug: str, names: Names, lang: str, style: str) -> list[Span]:
    found = names.get(slug)
    if found is None:
        return [Span(slug, None, style)]
    zh, en = found
    if lang == "zh":
        return [Span(zh, "zh", style)]
    if lang == "en":
        return [Span(en, "en", style)]
    return [Span(zh, "zh", style), Span(" ", None, style), Span(en, "en", style)]


def named_cell(value: Cell, names: Names, lang: str) -> Cell:
    """A cell with every area span written by the area's name."""
    out: Cell = []
    for ln in value:
        if len(ln) == 1 and ln[0].style == AREAS:
            slugs = [slug for slug in ln[0].text.split(",") if slug]
            if lang == "both" and names:
                out += [_name(slug, names, lang, "") for slug in slugs]
            else:
                joined: Line = []
                for i, slug in enumerate(slugs):
                    if i:
                        joined.append(Span("、" if lang == "zh" and names else ", ", None, ""))
                    joined += _name(slug, names, lang, "")
                out.append(joined)
            continue
        if len(ln) == 1 and ln[0].style in (AREA, AREA_STRONG) and lang == "both" and ln[0].text in names:
            style = "strong" if ln[0].style == AREA_STRONG else ""
            zh, en = names[ln[0].text]
            out += [[Span(zh, "zh", style)], [Span(en, "en", style)]]  # an area alone: a line each
            continue
        new: Line = []
        for piece in ln:
            if piece.style in (AREA, AREA_STRONG):
                new += _name(piece.text, names, lang, "strong" if piece.style == AREA_STRONG else "")
            else:
                new.append(piece)
        out.append(new)
    return out


# -- a bar chart -------------------------------------------------------------------------------


class Bar(NamedTuple):
    """One figure of a chart: whose (`label`, the area's name), what it says (`value`, its lines),
    and its bar: `share` of the width its unit's bars span, negative for a value below zero
    (None: no bar, for a standing, a rank or a figure stated without a number); `zero` is where
    zero stands in that width (0 unless some value of the unit is negative); `aim` draws a
    target hollow."""

    label: Cell
    value: Cell
    share: float | None
    aim: bool = False
    zero: float = 0.0


class Group(NamedTuple):
    """The bars of one metric, under its name."""

    title: Cell
    bars: list[Bar]


class Chart(NamedTuple):
    """A bar chart: its title and subtitle, a group of bars per metric, the legend and notes
    beneath (`key`: what a solid and a hollow bar are), and where it comes from."""

    title: str
    subtitle: str
    groups: list[Group]
    key: tuple[str, str]
    notes: list[str]
    source: str
    lang: str
