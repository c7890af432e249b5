"""Find a knowledge base, read it safely, parse and validate it, and report every problem with its place.

One pass over the files feeds every validated item to a sink: `load()` collects them into a
KnowledgeBase, the cache's builder writes them to SQLite as they come, so a large knowledge
base is never held in memory whole. The bytes hashed for the cache key are exactly the bytes
parsed (`Reading.digest`), and `Reading.stamps` are taken before each read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liaoyuan_cli.errors import InvalidKnowledgeBase, Problem, Where
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

__all__ = ["bundled_data_dir", "load", "read", "resolve_data_dir", "review_items"]
from liaoyuan_cli.text import compact

if TYPE_CHECKING:
    from pydantic import ValidationError

    from liaoyuan_cli.checks import Checker, ReviewItem, Sink
    from liaoyuan_cli.models import KnowledgeBase, Record


@dataclass
class Reading:
    """What one pass over a knowledge base read: problems, file stamps and the content digest."""

    data_dir: Path
    problems: list[Problem] = field(default_factory=list)
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

    def read(self, name: str, source: bool = False) -> bytes | None:
        """A file's bytes, stamped and hashed; a problem (and None) if it cannot be read."""
        try:
            data, st = read_regular(self.data_dir / name, within=self.data_dir)
        except NotReadable as exc:
            self.problems.append(Problem(name, f"cannot read: {exc}"))
            self.incomplete = self.incomplete or not source
            return None
        self.stamps.append(stamp_line(name, st))
        self._digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        self._digest.update(data)
        self._digest.update(b"\0")
        return data

    def read_source(self, article: str, name: str, where: Where) -> None:
        """An article's text, whitespace dropped (quotes are matched without layout)."""
        data = self.read(name, source=True)
        if data is None:
            problem = self.problems.pop()
            self.problems.append(
                Problem(where.file, f"source_file: {problem.message}", where.line, where.label)
            )
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


def _model_problems(exc: ValidationError, where: Where) -> Iterator[Problem]:
    """One problem per pydantic error of one item, located at the item's table header."""
    for err in exc.errors(include_url=False):
        field_ = _loc(err["loc"])
        message = _OURS.get(
            err["type"], err["msg"].removeprefix("Value error, ").replace("Input should", "should")
        )
        yield Problem(where.file, f"{field_ + ': ' if field_ else ''}{message}", where.line, where.label)


# pydantic's words for the commonest problems, in the words of a data file's author.
_OURS = {"missing": "missing (a required key)", "extra_forbidden": "unknown key (misspelt?)"}


def read(data_dir: Path, sink: Sink) -> Reading:
    """Parse, validate and check every item, feeding those that validate to `sink`.

    Items are validated one by one, so a wrong type in one record does not hide a dangling
    reference in another; ids of items that did not validate are still known, so they are not
    also reported as dangling references. References wait for syntax errors to be fixed: the
    items of a file that does not parse are unknown, and every reference to them would be
    reported falsely.
    """
    from pydantic import ValidationError

    from liaoyuan_cli.checks import Checker
    from liaoyuan_cli.models import ITEMS, Article

    reading = Reading(data_dir)
    checker: Checker = Checker(reading.problems, reading.sources)
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
                    reading.problems.extend(_model_problems(exc, where))
                    if isinstance(ident, str):
                        checker.known(key, ident)
                    continue
                except RecursionError:
                    reading.problems.append(Problem(name, "nesting too deep to validate", where.line, label))
                    continue
                if isinstance(item, Article):
                    reading.read_source(item.id, item.source_file, where)
                checker.check(key, item, where)
                sink.add(key, item, where)
    checker.finish(sink, references=not reading.incomplete)
    reading.reviews = checker.review_items()
    return reading


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


def review_items(data_dir: Path) -> list[ReviewItem]:
    """Every open review item of a knowledge base, with file and line (`lycli validate --review`);
    an article with any is a draft. Raises InvalidKnowledgeBase as `load` does."""
    reading = read(data_dir, Collect())
    if reading.problems:
        raise InvalidKnowledgeBase(reading.problems, str(data_dir))
    return reading.reviews


def load(data_dir: Path) -> KnowledgeBase:
    """Parse and validate a knowledge base: every problem at once, never half a knowledge base."""
    from liaoyuan_cli.models import KnowledgeBase

    sink = Collect()
    reading = read(data_dir, sink)
    if reading.problems:
        raise InvalidKnowledgeBase(reading.problems, str(data_dir))
    # Every part validated above: assembling them needs no second validation.
    parts: dict[str, Any] = {key: tuple(items) for key, items in sink.items.items()}
    return KnowledgeBase.model_construct(**parts)
