"""`--format markdown`: the table as shown, in the reader's language, as GitHub-flavoured Markdown.

It draws the same Sheet as the terminal, HTML and SVG (render/table.py), so a report gets the
table a reader sees: its title, its columns in the language asked, each cell's lines joined by
<br>, a search match in bold. Every text is shown literally: no HTML, link, image, emphasis or
code can be made from the data, and unsafe characters never pass (docs/errors.md).
"""

from __future__ import annotations

import re

from liaoyuan_cli.render.sheet import Cell, Column, Note, Sheet, Span, Table
from liaoyuan_cli.text import neutralise

# Markdown and HTML that a Markdown renderer would act on: '<', '>' and '&' are written as
# entities (no tag, autolink, comment or character reference); the characters that open
# links, images, emphasis, code and strikethrough are backslash-escaped, as are '|' (the
# table's own), a leading '#', and '\\'. An underscore inside a word cannot start emphasis, so
# consumption_services stays as it is; '(', ')' and '!' mean something only after ']' or
# before '[', which are always escaped, so "(RMB)" stays readable. '{{' and '{%' (Liquid and
# Jinja templates, run before Markdown by Jekyll and MkDocs macros) get their brace as an entity.
MARKDOWN = re.compile(r"[\\`*\[\]~|<>&]|(?<![^\W_])_|_(?![^\W_])|^\s*#|\{(?=[{%#])")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;"}
# What a span's look becomes: a search match and what a table stresses, in bold.
BOLD = ("mark", "strong")


def markdown_text(text: str) -> str:
    """Text that a Markdown renderer shows literally, on one line of a table: no HTML, link,
    image, emphasis or code can be made from data, and unsafe characters never pass (Markdown
    is read in terminals and editors too)."""
    return MARKDOWN.sub(_markdown_escape, neutralise(text).replace("\r", " ").replace("\n", " "))


def _markdown_escape(match: re.Match[str]) -> str:
    found = match.group()
    return ENTITIES.get(found) or found[:-1] + "\\" + found[-1]


def _span(s: Span) -> str:
    text = markdown_text(s.text)
    if s.style in BOLD and text.strip():
        inner = text.strip()
        return text[: len(text) - len(text.lstrip())] + f"**{inner}**" + text[len(text.rstrip()) :]
    return text


def _cell(cell: Cell) -> str:
    return "<br>".join("".join(_span(s) for s in line) for line in cell if line) or " "


def _header(column: Column) -> str:
    return "<br>".join(markdown_text(part) for part in column.header.split("\n")) or " "


def _lines(text: str) -> list[str]:
    return [markdown_text(part) for part in text.split("\n") if part.strip()]


def _table(table: Table) -> list[str]:
    out: list[str] = []
    title = _lines(table.title)
    if title:
        out += [f"### {title[0]}", "", *(f"{t}  " for t in title[1:])]
        out += [""] if title[1:] else []
    out.append("| " + " | ".join(_header(c) for c in table.columns) + " |")
    out.append("|" + "|".join(" ---: " if c.numeric else " --- " for c in table.columns) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if table.caption:
        out += ["", *(f"{t}  " for t in _lines(table.caption))]
    return out


def _note(note: Note) -> list[str]:
    lines = ["".join(_span(s) for s in line) for line in note.lines if line]
    if note.heading and lines:
        return [f"### {lines[0]}", "", *(f"{t}  " for t in lines[1:])]
    return [f"{t}  " for t in lines]


def render(sheet: Sheet) -> str:
    """The sheet as Markdown: each table and note a block, then the source line, if any."""
    blocks = [_table(b) if isinstance(b, Table) else _note(b) for b in sheet.blocks]
    if sheet.source:
        blocks.append([f"{t}  " for t in _lines(sheet.source)])
    return "\n\n".join("\n".join(b).rstrip() for b in blocks if b) + "\n"
