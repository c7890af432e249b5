"""Machine formats: JSON, JSON Lines, CSV, TSV and Markdown, written without rich.

Rows are tidy: one value per cell. Nested records (an official) become columns of their own
(official_zh), lists are joined with ';' (figures by their display), and the header comes
from the row's declared type, so an empty answer still has one. Data never reaches a
terminal as control codes, nor a spreadsheet as a formula (docs/errors.md).
"""

from __future__ import annotations

import json
import re

from liaoyuan_cli.render import Options, shape, stream_encoding
from liaoyuan_cli.text import escape_unsafe, neutralise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from liaoyuan_cli.render import Answer

    Row = dict[str, Any]
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection); a plain number
# such as -2.1%, or a list of them (-1;-2.5), is none.
FORMULA = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?%?")
NUMBERS = re.compile(rf"{NUMBER.pattern}(;{NUMBER.pattern})*")
SEPARATOR = ";"
# Markdown and HTML that a Markdown renderer would act on: '<', '>' and '&' are written as
# entities (no tag, autolink, comment or character reference); the characters that open
# links, images, emphasis, code and strikethrough are backslash-escaped, as are '|' (the
# table's own), a leading '#', and '\\'. An underscore inside a word cannot start emphasis, so
# consumption_services stays as it is; '(', ')' and '!' mean something only after ']' or
# before '[', which are always escaped, so "(RMB)" stays readable. '{{' and '{%' (Liquid and
# Jinja templates, run before Markdown by Jekyll and MkDocs macros) get their brace as an entity.
MARKDOWN = re.compile(r"[\\`*\[\]~|<>&]|(?<![^\W_])_|_(?![^\W_])|^\s*#|\{(?=[{%#])")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;"}


def _ascii_only(options: Options) -> bool:
    """Escape non-ASCII only where the output stream cannot encode Chinese."""
    return not stream_encoding(options.out).startswith(("utf", "gb", "big5"))


def _dumps(value: Any, options: Options, pretty: bool = False) -> str:
    text = json.dumps(
        value,
        ensure_ascii=_ascii_only(options),
        indent=2 if pretty else None,
        separators=None if pretty else (",", ":"),
    )
    # json leaves C1 controls, bidi marks and line separators raw: escaped, they are the same
    # string to a parser and inert on a terminal.
    return escape_unsafe(text)


# -- rows ---------------------------------------------------------------------------------------


def _columns_of(row_type: type, prefix: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """(column name, path into the row) of every field of a row type, nested types flattened."""
    from types import UnionType
    from typing import get_args, get_origin, get_type_hints

    from typing_extensions import is_typeddict

    out: list[tuple[str, tuple[str, ...]]] = []
    for name, hint in get_type_hints(row_type).items():
        # A nested record (or an optional one) becomes columns; a list stays one column.
        options = get_args(hint) if get_origin(hint) is UnionType else (hint,)
        nested = next((a for a in options if is_typeddict(a)), None)
        if nested is not None:
            out += [(f"{prefix}{name}_{sub}", (name, *path)) for sub, path in _columns_of(nested)]
        else:
            out.append((f"{prefix}{name}", (name,)))
    return out


def _pick(row: Row, path: tuple[str, ...]) -> Any:
    value: Any = row
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def rows(result: Answer) -> tuple[list[str], list[Row]]:
    """The result's main rows, flat, and their column names (from the declared row type)."""
    declared = shape(result)
    raw = declared.rows(result) if declared.rows else list(result[declared.key])
    if declared.columns is not None:
        names = declared.columns(result)
        return names, [{n: r.get(n) for n in names} for r in raw]
    columns = _columns_of(declared.row)
    return [name for name, _ in columns], [{name: _pick(r, path) for name, path in columns} for r in raw]


def field_names(result: Answer) -> list[str]:
    """The fields `--fields` may name for this result: the columns of its rows."""
    return rows(result)[0]


def _project(names: list[str], found: list[Row], fields: list[str]) -> tuple[list[str], list[Row]]:
    if not fields:
        return names, found
    return fields, [{name: row.get(name) for name in fields} for row in found]


def _named(item: dict[str, Any]) -> Any:
    """What names a nested item in one cell: a figure by its display, a link as kind:target."""
    if item.get("display"):
        return item["display"]
    if item.get("id"):
        return item["id"]
    if item.get("to"):
        return f"{item['kind']}:{item['to']}" if item.get("kind") else item["to"]
    return SEPARATOR.join(f"{k}={_cell(v)}" for k, v in item.items() if v is not None)


def _cell(value: Any) -> str:
    """One value as text: numbers as the article prints them, lists joined with ';'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return SEPARATOR.join(_cell(_named(v) if isinstance(v, dict) else v) for v in value)
    if isinstance(value, dict):
        return SEPARATOR.join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


# -- the writers --------------------------------------------------------------------------------


def _list_of_items(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def render_json(result: Answer, options: Options) -> None:
    """Pretty on a terminal, compact in a pipe; `--fields` narrows the main rows to flat ones."""
    if options.fields:
        declared = shape(result)
        _names, found = _project(*rows(result), options.fields)
        if declared.rows is None:
            narrowed = {k: v for k, v in result.items() if k != declared.key}
            narrowed[declared.key] = found
        else:
            # Rows derived from several lists (summarize): the rows replace the lists they came from.
            narrowed = {k: v for k, v in result.items() if k == "articles" or not _list_of_items(v)}
            narrowed["rows"] = found
        result = narrowed
    options.out.write(_dumps(result, options, pretty=options.out.isatty()) + "\n")


def render_jsonl(result: Answer, options: Options) -> None:
    """One flat row a line; lists stay JSON arrays."""
    _names, found = _project(*rows(result), options.fields)
    for row in found:
        options.out.write(_dumps(row, options) + "\n")


def unformula(text: str) -> str:
    """A cell's text that no spreadsheet runs as a formula (OWASP): an apostrophe before the cell,
    and before each ';'-separated part, that would start one. Lists are joined with ';', which
    spreadsheets in many locales read as a cell separator. Numbers are left alone."""
    if text.startswith(FORMULA) and not NUMBERS.fullmatch(text):
        text = "'" + text
    if SEPARATOR not in text:
        return text
    parts = text.split(SEPARATOR)
    return SEPARATOR.join(
        [parts[0]] + ["'" + p if p.startswith(FORMULA) and not NUMBER.fullmatch(p) else p for p in parts[1:]]
    )


def render_delimited(result: Answer, options: Options, delimiter: str) -> None:
    """CSV or TSV with a header row even when empty. Every cell but a number (a text, a list
    or a record joined with ';') is guarded against formulas unless --raw; on a terminal,
    control characters are shown as U+FFFD."""
    import csv

    names, found = _project(*rows(result), options.fields)
    on_terminal = options.out.isatty()

    def safe(value: Any) -> str:
        text = _cell(value)
        if on_terminal:
            text = neutralise(text)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return text if options.raw or number else unformula(text)

    writer = csv.writer(options.out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    for row in found:
        writer.writerow([safe(row.get(name)) for name in names])


def markdown_text(text: str) -> str:
    """Text that a Markdown renderer shows literally, on one line of a table: no HTML, link,
    image, emphasis or code can be made from data, and unsafe characters never pass (Markdown
    is read in terminals and editors too)."""
    return MARKDOWN.sub(_markdown_escape, neutralise(text).replace("\n", " "))


def _markdown_escape(match: re.Match[str]) -> str:
    found = match.group()
    return ENTITIES.get(found) or found[:-1] + "\\" + found[-1]


def render_markdown(result: Answer, options: Options) -> None:
    """A GitHub-flavoured table for pasting into a report: each cell shows its text literally."""
    names, found = _project(*rows(result), options.fields)
    names = [n for n in names if not n.startswith("highlight")]

    def esc(value: Any) -> str:
        return markdown_text(_cell(value))

    out = options.out
    out.write("| " + " | ".join(names) + " |\n")
    out.write("|" + "|".join(" --- " for _ in names) + "|\n")
    for row in found:
        out.write("| " + " | ".join(esc(row.get(n)) for n in names) + " |\n")


def render_csv(result: Answer, options: Options) -> None:
    render_delimited(result, options, ",")


def render_tsv(result: Answer, options: Options) -> None:
    render_delimited(result, options, "\t")


def writer(fmt: str) -> Callable[[Answer, Options], None]:
    """The writer of a machine format: `render_<format>` (a test holds one to each vocab.Format)."""
    found: Callable[[Answer, Options], None] = globals()[f"render_{fmt}"]
    return found


def write(result: Answer, options: Options) -> None:
    writer(options.format)(result, options)
