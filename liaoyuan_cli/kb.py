"""Find a knowledge base, read it safely, parse and validate it, and report every problem with its place.

One pass over the files feeds every validated item to a sink: `load()` collects them into a
KnowledgeBase, the cache's builder writes them to SQLite as they come, so a large knowledge
base is never held in memory whole. The bytes hashed for the cache key are exactly the bytes
parsed (`Reading.digest`), and `Reading.stamps` are taken before each read.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liaoyuan_cli.errors import InvalidKnowledgeBase, Problem, Problems, Where
from liaoyuan_cli.files import (
    FORMAT,
    Listing,
    NotReadable,
    bundled_data_dir,
    read_regular,
    resolve_data_dir,
    stamp_line,
    walk,
)

__all__ = ["bundled_data_dir", "examine", "load", "read", "resolve_data_dir", "review_items"]
from liaoyuan_cli.text import compact

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from liaoyuan_cli.checks import Checker, ReviewItem, Sink
    from liaoyuan_cli.models import KnowledgeBase, Record


@dataclass
class Reading:
    """What one pass over a knowledge base read: problems, file stamps and the content digest."""

    data_dir: Path
    problems: Problems = field(default_factory=Problems)
    # What does not make the knowledge base invalid but may not be what its author meant.
    warnings: Problems = field(default_factory=Problems)
    stamps: list[str] = field(default_factory=list)  # files.stamp_line, taken before each read
    # Each directory's listing, stamped before it was listed (files.walk).
    directories: dict[str, Listing] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # A file could not be read or parsed: its items are unknown, so references are not checked.
    incomplete: bool = False
    # Open review items of drafted items (checks.ReviewItem), in the order read.
    reviews: list[ReviewItem] = field(default_factory=list)
    _digest: Any = None

    def __post_init__(self) -> None:
        import hashlib

        from liaoyuan_cli import __version__

        self._digest = hashlib.blake2b(f"{FORMAT}:{__version__}".encode(), digest_size=16)

    @property
    def digest(self) -> str:
        """A hash of the name and bytes of every file read, in order: the cache's key."""
        return str(self._digest.hexdigest())

    def read(self, name: str, source: Where | None = None) -> bytes | None:
        """A file's bytes, stamped and hashed; a problem (and None) if it cannot be read: of the
        file itself, or for an article's source text, of its article's `source_file`."""
        try:
            data, st = read_regular(self.data_dir / name, within=self.data_dir)
        except NotReadable as exc:
            if source is None:
                self.problems.append(Problem(name, f"cannot read: {exc}"))
                self.incomplete = True
            else:
                self.problems.append(
                    Problem(source.file, f"source_file: cannot read: {exc}", source.line, source.label)
                )
            return None
        self.stamps.append(stamp_line(name, st))
        self._digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        self._digest.update(data)
        self._digest.update(b"\0")
        return data

    def read_source(self, article: str, name: str, where: Where) -> None:
        """An article's text, whitespace dropped (quotes are matched without layout)."""
        data = self.read(name, source=where)
        if data is None:
            return
        try:
            self.sources[article] = compact(data.decode("utf-8"))
        except UnicodeDecodeError:
            self.problems.append(Problem(where.file, "source_file: not valid UTF-8", where.line, where.label))


_ORDER = {
    key: i
    for i, key in enumerate(
        (
            "articles",
            "people",
            "areas",
            "sections",
            "errata",
            "topics",
            "metrics",
            "themes",
            "entities",
            "frameworks",
            "records",
            "assessments",
        )
    )
}


def _headers(text: str, key: str) -> list[int]:
    """Line numbers of each `[[key]]` table header, so item n can be pointed at."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(key)}[ \t]*\]\]", re.MULTILINE)
    lines, line, at = [], 1, 0
    for match in pattern.finditer(text):  # counted as we go: a large file is read once
        line += text.count("\n", at, match.start())
        at = match.start()
        lines.append(line)
    return lines


def _line_of_error(exc: ValueError, text: str) -> int | None:
    found = re.search(r"line (\d+)", str(exc))
    if found:
        return int(found.group(1))
    return text.count("\n") + 1 if "end of document" in str(exc) else None


def _tables(reading: Reading, name: str) -> Iterator[tuple[str, list[Any], str]]:
    """(key, items, text) of each top-level list of one file; what cannot be parsed is a problem."""
    import tomllib

    from liaoyuan_cli.models import ITEMS

    raw = reading.read(name)
    if raw is None:
        return
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark (Notepad's) is no error
    except UnicodeDecodeError as exc:
        reading.problems.append(Problem(name, "not valid UTF-8", line=raw.count(b"\n", 0, exc.start) + 1))
        reading.incomplete = True
        return
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        reading.problems.append(Problem(name, f"TOML syntax: {message}", line=_line_of_error(exc, text)))
        reading.incomplete = True
        return
    except RecursionError:
        reading.problems.append(Problem(name, "TOML nesting too deep to read"))
        reading.incomplete = True
        return
    # Tables in the order of ITEMS (definitions first), whatever the file's order: a record
    # naming an entity of its own file then finds it known, instead of waiting in memory.
    for key, value in sorted(table.items(), key=lambda kv: _ORDER.get(kv[0], len(_ORDER))):
        if key not in ITEMS:
            found = re.search(rf"^[ \t]*(\[\[?[ \t]*{re.escape(key)}\b|{re.escape(key)}[ \t]*=)", text, re.M)
            at = text.count("\n", 0, found.start()) + 1 if found else None
            allowed = ", ".join(ITEMS)
            reading.problems.append(Problem(name, f"unknown table `{key}` (expected one of: {allowed})", at))
        elif not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            reading.problems.append(Problem(name, f"`{key}` must be an array of tables [[{key}]]"))
        else:
            yield key, value, text


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# -- an item that does not validate ---------------------------------------------------------------
# Its problems are pydantic's errors in the words of a data file's author; then what of it is sound
# (each field that validates on its own) still goes through the checks, so that one run reports
# its quote, figure, reference and verdict problems too, not one kind of problem per run.

# More errors than this of one kind in one item (a million unknown keys) are told as one problem.
_MANY = 20


def _pattern(annotation: Any) -> str:
    """The pattern of a constrained string type of the schema, as pydantic reports it."""
    import typing

    return str(next(m.pattern for m in typing.get_args(annotation)[1:] if getattr(m, "pattern", None)))


@functools.cache
def _slug() -> str:
    from liaoyuan_cli.models import Slug

    return _pattern(Slug)


@functools.cache
def _pattern_words() -> dict[str, str]:
    """What each pattern of the schema (but an id's) asks for, in words."""
    from liaoyuan_cli import models

    words = {
        _pattern(models.Zh): "should hold Chinese characters",
        _pattern(models.En): "should be English: a Latin letter or digit, and no Chinese characters",
        _pattern(models.Note): "should be English: at least one Latin letter",
        _pattern(models.IsoDate): "should be a date: YYYY, YYYY-MM or YYYY-MM-DD",
    }
    for meta in models.Article.model_fields["source_file"].metadata:
        if getattr(meta, "pattern", None):
            words[meta.pattern] = (
                "should be a path inside the knowledge base, relative to it ('/' between parts)"
            )
    return words


def _nested(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds: itself, as an option (Threshold | None) or in a tuple (figures)."""
    import typing

    from pydantic import BaseModel

    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _model_at(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model of the table at `loc` within an item: ('figures', 0) of a record is a Figure."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str):
            info = model.model_fields.get(part)
            model = _nested(info.annotation) if info is not None else None
    return model


def _close_key(model: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The field an unknown key at `loc` most likely misspells."""
    from difflib import get_close_matches

    fields = _model_at(model, loc[:-1])
    close = get_close_matches(str(loc[-1]), list(fields.model_fields), n=1) if fields is not None else []
    return close[0] if close else None


def _errors(model: type[BaseModel], raw: dict[str, Any], exc: ValidationError) -> tuple[list[Any], list[str]]:
    """pydantic's errors of one item; and its unknown keys apart when there are very many: the
    item is then validated again without them, so that a million of them cost one problem, not
    a million error descriptions. An error of a whole table that names one of its fields
    ("value: 10**8亿元 is …", a model validator's) is that field's."""
    from pydantic import ValidationError

    extra: list[str] = []
    if exc.error_count() > _MANY:
        fields = model.model_fields
        extra = [key for key in raw if key not in fields]
        if len(extra) > _MANY:
            try:
                model.model_validate({k: v for k, v in raw.items() if k in fields})
            except ValidationError as again:
                exc = again
            else:
                return [], extra
        else:
            extra = []
    errors = []
    for err in exc.errors(include_url=False):
        message = str(err["msg"]).removeprefix("Value error, ")
        named = re.match(r"([a-z_]+): ", message) if err["type"] == "value_error" else None
        table = _model_at(model, err["loc"]) if named else None
        if named and table is not None and named.group(1) in table.model_fields:
            err = {**err, "loc": (*err["loc"], named.group(1)), "msg": message[named.end() :]}
        errors.append(err)
    return errors, extra


def _message(err: Any, close: str | None = None) -> str:
    """One pydantic error in the words of a data file's author (`close`: the field an unknown
    key most likely misspells)."""
    kind = err["type"]
    if kind == "missing":
        return "missing (a required key)"
    if kind == "extra_forbidden":
        return f"unknown key (did you mean {close}?)" if close else "unknown key (misspelt?)"
    if kind in ("model_type", "model_attributes_type"):
        return "should be a table ({ … } or [[…]])"
    if kind in ("tuple_type", "list_type"):
        return "should be an array ([ … ])"
    if kind == "string_pattern_mismatch":
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        if pattern == _slug():
            shown = str(err["input"])
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            return f"{shown!r} is not an id: lower-case letters and digits, words joined by single hyphens"
        if pattern in _pattern_words():
            return _pattern_words()[pattern]
    message = str(err["msg"]).removeprefix("Value error, ")
    for noun in ("Input ", "String ", "Value ", "Tuple "):
        if message.startswith(noun + "should"):
            return message.removeprefix(noun)
    return message


def _model_problems(
    model: type[BaseModel], errors: list[Any], extra: list[str], where: Where, id_field: str
) -> tuple[list[Problem], dict[str, Problem]]:
    """The problems of an item that did not validate; and apart, by value, those of references
    that are not even ids (metric = "GDP growth"): the checks report such a reference as unknown,
    with the closest id, and only where they cannot (references unchecked) is this problem given.

    A misspelt key is one problem (`catgory: unknown key (did you mean category?)`), not two with
    the required key it misses; past _MANY errors of one kind at one place, one problem says how
    many more there are."""
    missing = {err["loc"] for err in errors if err["type"] == "missing"}
    close: dict[tuple[int | str, ...], str | None] = {}
    for err in errors:
        if err["type"] == "extra_forbidden" and len(close) <= _MANY:
            close[err["loc"]] = _close_key(model, err["loc"])
    explained = {(*loc[:-1], name) for loc, name in close.items() if (*loc[:-1], name) in missing}
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for err in errors:
        if err["type"] == "missing" and err["loc"] in explained:
            continue
        place = err["loc"][:-1] if err["type"] == "extra_forbidden" else err["loc"]
        shape = tuple("*" if isinstance(part, int) else part for part in place)
        groups.setdefault((shape, err["type"]), []).append(err)
    problems: list[Problem] = []
    tentative: dict[str, Problem] = {}

    def problem(field_: str, message: str) -> Problem:
        return Problem(where.file, f"{field_}: {message}" if field_ else message, where.line, where.label)

    if extra:
        listed = ", ".join(extra[1:4])
        problems.append(
            problem(extra[0], f"unknown key, and {len(extra) - 1:,} more unknown keys ({listed}, …)")
        )
    for (_, kind), errs in groups.items():
        if len(errs) > _MANY:
            first = errs[0]
            more = f"and {len(errs) - 1:,} more like it"
            problems.append(problem(_loc(first["loc"]), f"{_message(first)}; {more}"))
            continue
        for err in errs:
            found = problem(_loc(err["loc"]), _message(err, close.get(err["loc"])))
            reference = (
                kind == "string_pattern_mismatch"
                and str(err.get("ctx", {}).get("pattern", "")) == _slug()
                and isinstance(err["input"], str)
                and err["loc"] != (id_field,)
            )
            if reference:
                tentative.setdefault(err["input"], found)
            else:
                problems.append(found)
    return problems, tentative


_ADAPTERS: dict[tuple[type[BaseModel], str], Any] = {}


def _field(model: type[BaseModel], name: str, value: Any) -> Any:
    """One field of a model, validated on its own (ValidationError if it is not sound)."""
    adapter = _ADAPTERS.get((model, name))
    if adapter is None:
        from typing import Annotated

        from pydantic import TypeAdapter

        info = model.model_fields[name]
        adapter = _ADAPTERS[(model, name)] = TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]
    return adapter.validate_python(value)


def _salvage(
    model: type[BaseModel], raw: Any, errors: list[Any], references: set[str], id_field: str = ""
) -> Any:
    """What of an item that failed validation is sound: every field that validates on its own,
    and of a list of tables (figures) each table, salvaged alike. A field with a problem is left
    unset (checks.has), so that the checks that need it are skipped, never run on a guess; but a
    reference that is not even an id (among `references`) is kept as written, so that the checks
    report it as unknown and name the closest id."""
    from pydantic import ValidationError

    if not isinstance(raw, dict):
        raw = {}
    bad: dict[str, list[Any]] = {}
    for err in errors:
        if err["loc"] and isinstance(err["loc"][0], str):
            bad.setdefault(err["loc"][0], []).append(err)
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in raw:
            continue
        value, errs = raw[name], bad.get(name)
        if errs is None:
            with contextlib.suppress(ValidationError):
                values[name] = _field(model, name, value)
            continue
        nested = _nested(info.annotation)
        if nested is not None and isinstance(value, list) and all(len(e["loc"]) > 1 for e in errs):
            at: dict[Any, list[Any]] = {}
            for err in errs:
                at.setdefault(err["loc"][1], []).append({**err, "loc": err["loc"][2:]})
            values[name] = tuple(
                _salvage(nested, v, at[i], references) if i in at else nested.model_validate(v)
                for i, v in enumerate(value)
            )
        elif name != id_field and all(
            e["type"] == "string_pattern_mismatch" and e["input"] in references for e in errs
        ):
            values[name] = tuple(value) if isinstance(value, list) else value
    item = model.model_construct(**values)
    for name in model.model_fields:
        if name not in values:
            item.__dict__.pop(name, None)  # a default would be a guess
    return item


def read(data_dir: str | Path, sink: Sink) -> Reading:
    """Parse, validate and check every item, feeding those that validate to `sink`.

    Items are validated one by one, so a wrong type in one record does not hide a dangling
    reference in another; what of an item that did not validate is sound is checked all the
    same (its quote, its figures, its references), and its id is known, so that references to
    it are not reported as dangling. References wait for syntax errors to be fixed: the items of
    a file that does not parse are unknown, and every reference to them would be reported
    falsely. Once all are found, the problems listed are located at their field's line.
    """
    data_dir = Path(data_dir)
    from pydantic import ValidationError

    from liaoyuan_cli.checks import Checker, has
    from liaoyuan_cli.models import ITEMS, Article

    reading = Reading(data_dir)
    checker: Checker = Checker(reading.problems, reading.sources, reading.warnings)
    names, reading.directories = walk(data_dir)
    if not names:
        reading.problems.append(Problem(str(data_dir), "no .toml files: not a knowledge base"))
    for folder in sorted(
        {"/".join(n.split("/")[:2]) for n in names if n.startswith("articles/") and n.count("/") > 1}
    ):
        if f"{folder}/article.toml" not in names:
            # Else the article's absence is found only as hundreds of dangling references.
            reading.problems.append(Problem(folder, "no article.toml: the article, its sections and errata"))
    for name in names:
        if name.endswith("\0unlistable"):
            reading.problems.append(Problem(name.split("\0")[0] or ".", "cannot list this directory"))
            reading.incomplete = True
            continue
        for key, items, text in _tables(reading, name):
            model, id_field, singular = ITEMS[key]
            lines = _headers(text, key)
            for index, raw in enumerate(items):
                ident = raw.get(id_field)
                label = f"{singular} {ident}" if isinstance(ident, str) else f"{singular} #{index + 1}"
                where = Where(name, lines[index] if index < len(lines) else None, label)
                try:
                    item = model.model_validate(raw)
                except ValidationError as exc:
                    if reading.problems.full:
                        # Only counted from now on: described and checked no further, so that a
                        # file of a million broken items is refused in seconds.
                        reading.problems.count(exc.error_count(), name)
                        if isinstance(ident, str):
                            checker.known(key, ident, where)
                        continue
                    try:
                        errors, extra = _errors(model, raw, exc)
                        problems, tentative = _model_problems(model, errors, extra, where, id_field)
                        partial = _salvage(model, raw, errors, set(tentative), id_field)
                    except RecursionError:
                        reading.problems.append(
                            Problem(name, "nesting too deep to validate", where.line, label)
                        )
                        continue
                    reading.problems.extend(problems)
                    if isinstance(partial, Article) and has(partial, "id", "source_file"):
                        reading.read_source(partial.id, partial.source_file, where)
                    checker.check(key, partial, where, ident, tentative)
                    continue
                except RecursionError:
                    reading.problems.append(Problem(name, "nesting too deep to validate", where.line, label))
                    continue
                if isinstance(item, Article):
                    reading.read_source(item.id, item.source_file, where)
                checker.check(key, item, where, ident)
                sink.add(key, item, where)
    checker.finish(sink, references=not reading.incomplete)
    if reading.problems or reading.warnings:
        _locate(reading)
        # Listed file by file, in the order read (what is not a file, such as a folder without
        # its article.toml, first), each file from its top down.
        order = {name: i for i, name in enumerate(names)}
        for found in (reading.problems, reading.warnings):
            found.shown.sort(key=lambda p: (order.get(p.file, -1), p.line or 0))
    reading.reviews = checker.review_items()
    return reading


# -- where a problem stands -----------------------------------------------------------------------
# tomllib gives no positions. Once every problem is found, the few listed (at most LIMIT) that
# name a field of an item are moved from the item's table header to the line of that field: its
# file is read again and the item's lines scanned for `key =` and for its sub-table headers. The
# file parsed, so a light scan suffices; what it cannot place stays at the header.

_FIELD_PATH = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): ")
_TABLE_LINE = re.compile(r"^[ \t]*\[\[?([^\[\]]+)\]")
_KEY_PART = r"""(?:"[^"\\]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_KEY_LINE = re.compile(rf"^[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*=[ \t]*(.*)$")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'[^']*'")


def _dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, name))


def _field_path(message: str) -> list[str | int] | None:
    """The field a problem's message names ('figures[0].metric: …'), as parts: figures, 0, metric."""
    found = _FIELD_PATH.match(message)
    if not found:
        return None
    parts: list[str | int] = []
    for piece in found.group(1).split("."):
        parts.append(piece.split("[")[0])
        parts.extend(int(i) for i in re.findall(r"\[(\d+)\]", piece))
    return parts


def _depth(text: str) -> int:
    """How many more brackets a line of TOML opens than it closes (strings and comments aside)."""
    bare = _STRINGS.sub("", text).split("#")[0]
    return bare.count("[") - bare.count("]")


Entry = tuple[int, bool, tuple[str, ...]]  # line, whether a table header, dotted name


def _entries(lines: list[str], header: int, key: str) -> Iterator[Entry]:
    """The keys and sub-table headers of the item whose table header is on line `header`, until
    the item ends; lines inside a multi-line string or array are not keys."""
    closing = ""  # the delimiter of a multi-line string being passed over
    depth = 0  # of a multi-line array being passed over
    for number in range(header + 1, len(lines) + 1):
        line = lines[number - 1]
        if closing:
            closing = "" if closing in line else closing
            continue
        if depth > 0:
            depth += _depth(line)
            continue
        table = _TABLE_LINE.match(line)
        if table:
            name = _dotted(table.group(1))
            if name[:1] != (key,) or len(name) == 1:
                break  # the next item, or a table of another kind
            yield number, True, name
            continue
        found = _KEY_LINE.match(line)
        if found:
            yield number, False, _dotted(found.group(1))
            value = found.group(2)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    closing = quote
            if not closing and value.startswith("["):
                depth = _depth(value)


Scan = tuple[Iterator[Entry], list[Entry]]  # an item's entries, and those scanned so far


def _field_line(
    lines: list[str], header: int, key: str, path: list[str | int], scans: dict[int, Scan]
) -> int:
    """The line of a field of the item whose table header is on line `header`: of its key, or
    of the sub-table that holds it (figures[1]: the item's second [[records.figures]]), as deep
    as the file lets it be found; else the header's. The item's lines are scanned only as far
    as the field (an item of a million keys is not scanned whole for its first), and once for
    all its problems (`scans`, by header)."""
    entries, seen = scans.setdefault(header, (_entries(lines, header, key), []))

    def entry(j: int) -> Entry | None:
        while len(seen) <= j:
            following = next(entries, None)
            if following is None:
                return None
            seen.append(following)
        return seen[j]

    table: tuple[str, ...] = (key,)
    line, low, at = header, 0, 0
    while at < len(path) and isinstance(path[at], str):
        rest = tuple(p for p in path[at:] if isinstance(p, str))
        best: tuple[int, int] | None = None  # (parts matched, line) of a key of this table
        j = low
        while (found := entry(j)) is not None and not found[1]:  # a table's own keys come first
            matched = next((n for n in range(len(rest), 0, -1) if found[2][:n] == rest[:n]), 0)
            if matched == len(rest):
                return found[0]
            if matched and (best is None or matched > best[0]):
                best = (matched, found[0])
            j += 1
        if best is not None:
            return best[1]
        following = path[at + 1] if at + 1 < len(path) else None
        index = following if isinstance(following, int) else 0
        full = (*table, str(path[at]))
        pick = None
        while (found := entry(j)) is not None:
            name = found[2]
            if found[1] and not (len(name) > len(table) and name[: len(table)] == table):
                break  # the end of this table
            if found[1] and name == full:
                if index == 0:
                    pick = j
                    break
                index -= 1
            j += 1
        if pick is None:
            break
        line, table, low = seen[pick][0], full, pick + 1
        at += 2 if isinstance(following, int) else 1
    return line


def _locate(reading: Reading) -> None:
    """Move each listed problem of an item from the item's header to its field's line."""
    by_file: dict[str, list[tuple[Problem, list[str | int]]]] = {}
    for problem in (*reading.problems, *reading.warnings):
        path = _field_path(problem.message) if problem.where and problem.line else None
        if path:
            by_file.setdefault(problem.file, []).append((problem, path))
    for name, found in by_file.items():
        try:
            data, _ = read_regular(reading.data_dir / name, within=reading.data_dir)
            text = data.decode("utf-8").removeprefix("\ufeff")
            lines = [line.removesuffix("\r") for line in text.split("\n")]
        except (NotReadable, UnicodeDecodeError):
            continue  # changed since it was read: the problems stay at their headers
        scans: dict[int, Scan] = {}
        for problem, path in found:
            header = problem.line or 0
            table = _TABLE_LINE.match(lines[header - 1]) if 0 < header <= len(lines) else None
            if table and _dotted(table.group(1)):
                problem.line = _field_line(lines, header, _dotted(table.group(1))[0], path, scans)


class Collect:
    """A sink that keeps every item: the whole knowledge base in memory, for validate and the API."""

    def __init__(self) -> None:
        from liaoyuan_cli.models import ITEMS

        self.items: dict[str, list[Any]] = {key: [] for key in ITEMS}
        self._records: dict[str, Record] = {}

    def add(self, key: str, item: Any, where: Where) -> None:
        self.items[key].append(item)
        if key == "records":
            self._records.setdefault(item.id, item)

    def record(self, ident: str) -> Record | None:
        return self._records.get(ident)


def review_items(data_dir: str | Path) -> list[ReviewItem]:
    """Every open review item of a knowledge base, with file and line (`lycli validate --review`);
    an article with any is a draft. Raises InvalidKnowledgeBase as `load` does."""
    reading = read(data_dir, Collect())
    if reading.problems:
        raise InvalidKnowledgeBase(reading.problems, str(data_dir))
    return reading.reviews


def examine(data_dir: str | Path) -> tuple[KnowledgeBase | None, Reading]:
    """Parse and validate a knowledge base: the knowledge base if it is valid, and what reading
    it found (its problems and warnings)."""
    from liaoyuan_cli.models import KnowledgeBase

    sink = Collect()
    reading = read(data_dir, sink)
    if reading.problems:
        return None, reading
    # Every part validated above: assembling them needs no second validation.
    parts: dict[str, Any] = {key: tuple(items) for key, items in sink.items.items()}
    return KnowledgeBase.model_construct(**parts), reading


def load(data_dir: str | Path) -> KnowledgeBase:
    """Parse and validate a knowledge base: every problem at once, never half a knowledge base."""
    loaded, reading = examine(data_dir)
    if loaded is None:
        raise InvalidKnowledgeBase(reading.problems, str(data_dir))
    return loaded
