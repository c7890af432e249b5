"""Machine formats: JSON, JSON Lines, CSV and TSV, written without rich (Markdown is the table
as shown: render/markdown.py).

CSV and TSV are tidy: one value per cell. Nested records (an official) become columns of their
own (official_zh); a list (a record's themes, a project's amounts) is no column of the main
table but a long table of its own, asked for by name: `--fields id,themes` writes one row per
theme, `--fields id,amounts` one row per amount with its columns (amounts_display,
amounts_base_value, …), as `figures` is the long table of figures. The header comes from the
row's declared type, so an empty answer still has one. JSON and JSON Lines keep lists as arrays.
Data never reaches a terminal as control codes, nor a spreadsheet as a formula (docs/errors.md).
"""

from __future__ import annotations

import json
import re

from liaoyuan_cli.render import Options, shape, stream_encoding
from liaoyuan_cli.text import escape_unsafe, neutralise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

    from liaoyuan_cli.render import Answer

    Row = dict[str, Any]
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection); a plain number
# such as -2.1%, or a list of them (-1;-2.5), is none.
FORMULA = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?%?")
NUMBERS = re.compile(rf"{NUMBER.pattern}(;{NUMBER.pattern})*")
SEPARATOR = ";"


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
    return [(name, path) for name, path, _ in _typed_columns(row_type, prefix)]


def _typed_columns(row_type: type, prefix: str = "") -> list[tuple[str, tuple[str, ...], Any]]:
    """(column name, path, what a list holds or None) of every field of a row type: a nested
    record (or an optional one) becomes columns; a list stays one column, with its item type."""
    from types import UnionType
    from typing import get_args, get_origin, get_type_hints

    from typing_extensions import is_typeddict

    out: list[tuple[str, tuple[str, ...], Any]] = []
    for name, hint in get_type_hints(row_type).items():
        options = get_args(hint) if get_origin(hint) is UnionType else (hint,)
        nested = next((a for a in options if is_typeddict(a)), None)
        listed = next((a for a in options if get_origin(a) is list), None)
        if nested is not None:
            out += [
                (f"{prefix}{name}_{sub}", (name, *path), items) for sub, path, items in _typed_columns(nested)
            ]
        else:
            out.append((f"{prefix}{name}", (name,), get_args(listed)[0] if listed is not None else None))
    return out


def _lists(result: Answer) -> dict[str, dict[str, tuple[str, ...]]]:
    """The list columns of a result's rows: name -> the columns of one item (its sub-columns,
    named list_sub, each with its path into the item), empty for a list of plain values."""
    from typing_extensions import is_typeddict

    declared = shape(result)
    if declared.columns is not None:
        return {}
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, _path, items in _typed_columns(declared.row):
        if items is None:
            continue
        subs = _typed_columns(items) if is_typeddict(items) else []
        out[name] = {f"{name}_{sub}": path for sub, path, inner in subs if inner is None}
    return out


def _pick(row: Row, path: tuple[str, ...]) -> Any:
    value: Any = row
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def rows(result: Answer) -> tuple[list[str], Iterator[Row]]:
    """The result's column names (from the declared row type) and its main rows, flat, made as
    they are read: a listing as long as the corpus (store.Rows) is never held whole."""
    declared = shape(result)
    raw = declared.rows(result) if declared.rows else result[declared.key]
    if declared.columns is not None:
        names = declared.columns(result)
        return names, ({n: r.get(n) for n in names} for r in raw)
    columns = _columns_of(declared.row)
    return [name for name, _ in columns], ({name: _pick(r, path) for name, path in columns} for r in raw)


def field_names(result: Answer) -> list[str]:
    """The fields `--fields` may name for this result: the columns of its rows, and the columns
    of the items of its list columns (amounts_display)."""
    return [*rows(result)[0], *(sub for subs in _lists(result).values() for sub in subs)]


def fields_hint(result: Answer) -> str:
    """What --fields may name, said briefly: the columns, and which lists have items of columns."""
    listed = [f"{name}_…" for name, subs in _lists(result).items() if subs]
    return f"valid fields: {', '.join(rows(result)[0])}" + (
        f"; and the columns of a list's items: {', '.join(listed)}" if listed else ""
    )


def _project(
    names: list[str], found: Iterable[Row], fields: list[str], result: Answer | None = None
) -> tuple[list[str], Iterable[Row]]:
    """The rows narrowed to `fields`; a column of a list's items (amounts_display) is the list
    of that column's values (for JSON, which keeps lists)."""
    if not fields:
        return names, found
    subs = (
        {sub: (name, path) for name, items in _lists(result).items() for sub, path in items.items()}
        if result
        else {}
    )

    def value(row: Row, name: str) -> Any:
        if name in row or name not in subs:
            return row.get(name)
        listed, path = subs[name]
        return [_pick(item, path) for item in row.get(listed) or []]

    return fields, ({name: value(row, name) for name in fields} for row in found)


def tidy(result: Answer, fields: list[str]) -> tuple[list[str], Iterable[Row]]:
    """The rows of CSV and TSV, one value per cell. Without `fields`, every column that holds one
    value. With them, the columns named; naming a list column (or columns of its items) makes
    the long table of that list: one row per item, the other columns named repeated beside it
    (the row's first column, its id, when no other is named), a row with an empty list giving
    none. One list at a time: two lists would multiply each other's rows."""
    from liaoyuan_cli.errors import UsageError

    names, found = rows(result)
    lists = _lists(result)
    if not fields:
        kept = [n for n in names if n not in lists]
        return kept, ({n: row.get(n) for n in kept} for row in found)
    owner = {sub: name for name, subs in lists.items() for sub in subs}
    named = list(dict.fromkeys([f for f in fields if f in lists] + [owner[f] for f in fields if f in owner]))
    if not named:
        return _project(names, found, fields)
    if len(named) > 1:
        raise UsageError(
            f"--fields names {' and '.join(named)}: each is a list, a table of its own",
            hint=f"one at a time, e.g. --fields {names[0]},{named[0]}",
        )
    listed = named[0]
    subs = lists[listed]
    columns: list[str] = []
    for f in fields:
        if f == listed:
            columns += list(subs) or [listed]  # a list of items: all their columns
        elif f not in columns:
            columns.append(f)
    if all(c == listed or c in subs for c in columns):
        columns.insert(0, names[0])  # the row's id, so the long table joins back to it

    def long() -> Iterator[Row]:
        for row in found:
            for item in row.get(listed) or []:
                line: Row = {}
                for c in columns:
                    if c in subs:
                        line[c] = _pick(item, subs[c])
                    elif c == listed:
                        line[c] = item
                    else:
                        line[c] = row.get(c)
                yield line

    return columns, long()


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
        _names, found = _project(*rows(result), options.fields, result)
        if declared.rows is None:
            narrowed = {k: v for k, v in result.items() if k != declared.key}
            narrowed[declared.key] = found
        else:
            # Rows derived from several lists (summarize): the rows replace the lists they came from.
            narrowed = {k: v for k, v in result.items() if k == "articles" or not _list_of_items(v)}
            narrowed["rows"] = found
        result = narrowed
    _write_json(result, options, pretty=options.out.isatty())


PLAIN = (list, dict, str, int, float, bool, type(None))


def _write_json(result: Answer, options: Options, pretty: bool) -> None:
    """The result as json.dumps writes it, byte for byte; a list read as it is written (store.Rows,
    a generator) is written a row at a time, so that its rows are never held whole."""
    if all(isinstance(v, PLAIN) for v in result.values()):
        options.out.write(_dumps(result, options, pretty) + "\n")
        return
    write = options.out.write
    raw = not _ascii_only(options) and not pretty  # the cache's own JSON text is the compact form

    def piece(value: Any, level: int) -> str:
        text = _dumps(value, options, pretty)
        return text.replace("\n", "\n" + "  " * level) if pretty else text

    between, colon = (",\n  ", ": ") if pretty else (",", ":")
    write("{\n  " if pretty and result else "{")
    for i, (key, value) in enumerate(result.items()):
        write((between if i else "") + piece(key, 1) + colon)
        if isinstance(value, PLAIN):
            write(piece(value, 1))
            continue
        texts = value.texts() if raw and hasattr(value, "texts") else None
        items = (escape_unsafe(t) for t in texts) if texts is not None else (piece(v, 2) for v in value)
        empty = True
        for item in items:
            write(("[\n    " if pretty else "[") if empty else (",\n    " if pretty else ","))
            write(item)
            empty = False
        write("[]" if empty else ("\n  ]" if pretty else "]"))
    write("\n}\n" if pretty and result else "}\n")


def render_jsonl(result: Answer, options: Options) -> None:
    """One flat row a line; lists stay JSON arrays."""
    _names, found = _project(*rows(result), options.fields, result)
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

    names, found = tidy(result, options.fields)
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


def render_csv(result: Answer, options: Options) -> None:
    render_delimited(result, options, ",")


def render_tsv(result: Answer, options: Options) -> None:
    render_delimited(result, options, "\t")


def writer(fmt: str) -> Callable[[Answer, Options], None]:
    """The writer of a machine format: `render_<format>` (a test holds one to each vocab.Format;
    markdown is a table, drawn by render/markdown.py)."""
    found: Callable[[Answer, Options], None] = globals()[f"render_{fmt}"]
    return found


def write(result: Answer, options: Options) -> None:
    writer(options.format)(result, options)
