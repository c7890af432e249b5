"""What a table says, apart from how it is drawn: the terminal, HTML and SVG all draw a Sheet.

Text enters a Sheet through `span`, which makes data harmless to show (no control or bidi
characters), and carries its language, so an HTML export can mark `lang` and a terminal can
choose which lines to print.
"""

from __future__ import annotations

from typing import NamedTuple

from liaoyuan_cli.text import neutralise


class Span(NamedTuple):
    """A run of text with one look: style is '', 'id', 'strong', 'muted', 'mark', 'note' or 'bar'."""

    text: str
    lang: str | None = None
    style: str = ""


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
            merged, head.ratio, False, head.numeric, head.bar, longest, True
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
