"""Write a knowledge base N times the bundled one, for benchmarks: `make_kb.py --scale N --out DIR`.

Copy 1 is the bundled knowledge base as it is (so `gaoxin`, `session-2024` and every id still
resolve). Copy k >= 2 is another article, another session, about the same areas: every
article directory under articles/ is replicated with its sections, errata, frameworks,
records and the entities only its records name, under ids suffixed `-xk` (session-2024-x7,
gaoxin-interview-x7, gaoxin-2023-gdp-x7), every reference pointing into the same copy. An id
that would pass the 40-character limit of a slug keeps a shorter stem (and, if two stems
would meet, a short hash), still ending in `-xk`.

Areas, people, topics, metrics, themes and the top-level entities are shared definitions,
written once: every copy's sections and records name the same areas and people (a person's
`article` stays copy 1). Names that must be unique across the knowledge base (a replicated
entity's zh, en, pinyin and aliases) get a ` xk` suffix, so that no alias names two things.
Texts, quotes and figures are the same in every copy, and every copy has its own copy of
the source text, so every quote stands in its article's text. Copy k is dated one month
after copy k-1 (2024-01, then 2024-02, 2024-03, ...), so the newest copy is the latest article.

Each copy is two files: articles/<dir>-xk/article.toml, holding its articles, sections,
errata, entities, frameworks and records, and its source text; 1000 copies make about 2000
files. Standard library only: tomllib reads, a small writer below writes each copy's file
once per length of suffix as a template, and each copy is that template with its number in.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import shutil
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent / "data"

# Where the articles stand: one directory each, replicated; everything else is shared.
ARTICLES = "articles"
# The lists an article directory may hold, in the order they are written in a copy's file.
ORDER = ("articles", "people", "sections", "errata", "entities", "frameworks", "records")
# A slug's longest form (models.Slug).
MAX_ID = 40
# Stand-ins in a template, replaced in each copy: its number, and a date (by index). Private
# use characters, which the knowledge base never holds (checked) and the writer never escapes.
NUMBER = "\ue000"
DATE = "\ue001"

Item = dict[str, Any]

# -- a small TOML writer --------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, UTF-8 kept."""
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def toml_value(value: Any) -> str:
    """An inline TOML value: string, bool, integer, float, array or inline table."""
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # shortest round-tripping form: 8.5, 72.0, 1e+16 are all TOML
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML: {value!r}")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def write_table_body(item: Item, path: str, out: list[str]) -> None:
    """Key/value lines of a table, then its arrays of tables as [[path.key]] sections."""
    nested = []
    for key, value in item.items():
        if _is_table_array(value):
            nested.append((key, value))
        else:
            out.append(f"{toml_key(key)} = {toml_value(value)}\n")
    for key, values in nested:
        sub = f"{path}.{toml_key(key)}"
        for value in values:
            out.append(f"\n[[{sub}]]\n")
            write_table_body(value, sub, out)


def dumps(doc: dict[str, Any], header: str = "") -> str:
    """A document of tables and arrays of tables, as the knowledge base's files are laid out."""
    out: list[str] = [header] if header else []
    for key, value in doc.items():
        if isinstance(value, dict):
            out.append(f"{'' if not out else chr(10)}[{toml_key(key)}]\n")
            write_table_body(value, toml_key(key), out)
        elif _is_table_array(value):
            for item in value:
                out.append(f"{'' if not out else chr(10)}[[{toml_key(key)}]]\n")
                write_table_body(item, toml_key(key), out)
        elif isinstance(value, list) and not value:
            continue  # an empty list of tables: nothing to write
        else:
            raise TypeError(f"top-level {key!r} must be a table or an array of tables")
    return "".join(out)


# -- replication ----------------------------------------------------------------------------


def shift_iso(iso: str, months: int) -> tuple[str, str | None]:
    """An ISO date `months` later, and the precision it then has (None: unchanged).

    A year alone becomes that year's January plus `months`, at month precision; a day is
    kept, at most the 28th, so that every month has it.
    """
    parts = [int(p) for p in iso.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 1
    index = year * 12 + (month - 1) + months
    shifted = f"{index // 12:04d}-{index % 12 + 1:02d}"
    if len(parts) > 2:
        return f"{shifted}-{min(parts[2], 28):02d}", None
    return shifted, (None if len(parts) > 1 else "month")


def _short_ids(ids: list[str], room: int) -> dict[str, str]:
    """A stem for each id that leaves `room` characters for a suffix, unique among these ids."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for ident in ids:  # ids that fit keep their stem: they cannot meet a shortened one twice
        if len(ident) + room <= MAX_ID:
            stems[ident] = ident
            taken.add(ident)
    for ident in ids:
        if ident in stems:
            continue
        stem = ident[: MAX_ID - room].rstrip("-")
        salt = 0
        while stem in taken:
            digest = hashlib.blake2b(f"{ident}:{salt}".encode(), digest_size=4).hexdigest()[:5]
            stem = ident[: MAX_ID - room - 6].rstrip("-") + "-" + digest
            salt += 1
        stems[ident] = stem
        taken.add(stem)
    return stems


class Copier:
    """Copy k of an article directory's items, with NUMBER standing for k (a template).

    `local` holds the ids of the items that are replicated, by list; a reference to any
    other id (an area, a person, a shared entity, a metric) stays as it is.
    """

    def __init__(self, local: dict[str, list[str]], digits: int, dates: dict[str, int]) -> None:
        suffix = "-x" + NUMBER
        room = 2 + digits
        self.ids = {
            key: {i: s + suffix for i, s in _short_ids(ids, room).items()} for key, ids in local.items()
        }
        self.dates = dates  # original iso -> index of its stand-in

    def ref(self, key: str, value: str | None) -> str | None:
        if value is None:
            return None
        return self.ids.get(key, {}).get(value, value)

    def refs(self, key: str, values: list[str]) -> list[str]:
        return [self.ref(key, v) or v for v in values]

    @staticmethod
    def name(text: str) -> str:
        return f"{text} x{NUMBER}"

    def date(self, date: Item) -> Item:
        new = dict(date)
        iso = date["iso"]
        new["iso"] = f"{DATE}{self.dates.setdefault(iso, len(self.dates))}{DATE}"
        if len(iso) == 4:  # a year alone is shifted by months: it becomes a month
            new["precision"] = "month"
        new["inferred"] = True
        new["note_en"] = (
            f"Copy {NUMBER} written by benchmarks/make_kb.py, dated a month after the copy before it."
        )
        return new

    def item(self, key: str, item: Item, source: Callable[[str], str]) -> Item:
        new = dict(item)
        new["id"] = self.ref(key, item["id"])
        if "article" in item:
            new["article"] = self.ref("articles", item["article"])
        if "section" in item:
            new["section"] = self.ref("sections", item["section"])
        if key == "articles":
            new["date"] = self.date(item["date"])
            new["source_file"] = source(item["source_file"])
        elif key == "sections":
            new["date"] = self.date(item["date"])
            if item.get("interviewee") is not None:
                new["interviewee"] = self.ref("people", item["interviewee"])
            new["reporters"] = self.refs("people", item.get("reporters", []))
        elif key == "entities":
            for field in ("zh", "en", "pinyin"):
                new[field] = self.name(item[field])
            if "aliases" in item:
                new["aliases"] = [self.name(a) for a in item["aliases"]]
            if "links" in item:
                new["links"] = [{**link, "to": self.ref("entities", link["to"])} for link in item["links"]]
        elif key == "records":
            if item.get("speaker") is not None:
                new["speaker"] = self.ref("people", item["speaker"])
            for field, target in (
                ("entities", "entities"),
                ("frameworks", "frameworks"),
                ("follows", "records"),
            ):
                if field in item:
                    new[field] = self.refs(target, item[field])
            if "formerly" in item:  # not slugs: no length limit, and unique by the suffix
                new["formerly"] = [f"{old}-x{NUMBER}" for old in item["formerly"]]
            if "figures" in item:
                new["figures"] = [
                    {**fig, "entity": self.ref("entities", fig["entity"])} if "entity" in fig else fig
                    for fig in item["figures"]
                ]
        elif key not in ("people", "errata", "frameworks"):
            raise ValueError(f"make_kb does not know how to replicate [[{key}]] of an article")
        return new


class Article:
    """One article directory of the source knowledge base: its items and its source texts."""

    def __init__(self, src: Path, directory: Path) -> None:
        self.name = directory.name
        self.rel = directory.relative_to(src).as_posix()
        self.items: dict[str, list[Item]] = {}
        for path in sorted(directory.rglob("*.toml")):
            text = path.read_text(encoding="utf-8")
            if NUMBER in text or DATE in text:
                raise ValueError(f"{path} holds make_kb's stand-ins U+E000 or U+E001: cannot replicate it")
            for key, values in tomllib.loads(text).items():
                if key not in ORDER:
                    raise ValueError(
                        f"{path}: make_kb does not know how to replicate [[{key}]] of an article"
                    )
                self.items.setdefault(key, []).extend(values)
        if not self.items.get("articles"):
            raise ValueError(f"{directory}: no [[articles]]: not an article directory")
        # Source texts: where each copy finds its own (inside its directory) and where it comes from.
        self.sources = {a["source_file"]: src / a["source_file"] for a in self.items["articles"]}

    def source_in_copy(self, source_file: str) -> str:
        """Where copy k's source text stands: the same place inside copy k's directory."""
        prefix = self.rel + "/"
        inner = (
            source_file[len(prefix) :] if source_file.startswith(prefix) else source_file.rsplit("/", 1)[-1]
        )
        return f"{self.dir_of_copy(NUMBER)}/{inner}"

    def dir_of_copy(self, number: str) -> str:
        return f"{self.rel}-x{number}"

    def template(self, copier: Copier, header: str) -> str:
        doc = {
            key: [copier.item(key, it, self.source_in_copy) for it in self.items[key]]
            for key in ORDER
            if key in self.items
        }
        return dumps(doc, header)


def _date_stand_ins(template: str, dates: dict[str, int], k: int) -> str:
    for iso, index in dates.items():
        template = template.replace(f"{DATE}{index}{DATE}", shift_iso(iso, k - 1)[0])
    return template


def make_kb(src: Path, out: Path, scale: int) -> dict[str, int]:
    """Write the scaled knowledge base; returns counts of what was written."""
    if scale < 1:
        raise ValueError("--scale must be at least 1")
    root = src / ARTICLES
    directories = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    if not directories:
        raise FileNotFoundError(
            f"no article directories under {root}: not a knowledge base laid out like data/"
        )
    articles = [Article(src, d) for d in directories]

    # Copy 1: the knowledge base as it is, byte for byte.
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    counts: dict[str, int] = {}
    for path in sorted(src.rglob("*.toml")):
        for key, values in tomllib.loads(path.read_text(encoding="utf-8")).items():
            counts[key] = counts.get(key, 0) + len(values)
    if scale == 1:
        return counts

    for article in articles:
        for key, values in article.items.items():
            counts[key] = counts.get(key, 0) + (scale - 1) * len(values)
    local: dict[str, list[str]] = {}
    for article in articles:
        for key, values in article.items.items():
            local.setdefault(key, []).extend(v["id"] for v in values)
    clash = next((i for ids in local.values() for i in ids if re.search(r"-x\d+$", i)), None)
    if clash is not None:  # copy k of `foo` would be `foo-xk`: no original may look like one
        raise ValueError(f"id {clash!r} ends like a copy's suffix (-xN): cannot replicate it")

    # Copies 2..N: one template per length of the copy number (ids are shortened to fit it).
    header = f"# Generated by benchmarks/make_kb.py --scale {scale}: do not edit.\n"
    for article in articles:
        sources = {name: path.read_bytes() for name, path in article.sources.items()}
        templates: dict[int, tuple[str, dict[str, int]]] = {}
        for k in range(2, scale + 1):
            digits = len(str(k))
            if digits not in templates:
                dates: dict[str, int] = {}
                text = article.template(Copier(local, digits, dates), header)
                templates[digits] = (text, dates)
            text, dates = templates[digits]
            number = str(k)
            directory = out / article.dir_of_copy(number)
            directory.mkdir(parents=True, exist_ok=True)
            (directory / "article.toml").write_text(
                _date_stand_ins(text.replace(NUMBER, number), dates, k), encoding="utf-8"
            )
            for name, data in sources.items():
                target = out / article.source_in_copy(name).replace(NUMBER, number)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True, help="how many copies of the article(s)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write (created if missing)")
    parser.add_argument(
        "--src", type=Path, default=DEFAULT_SRC, help=f"knowledge base to copy (default: {DEFAULT_SRC})"
    )
    parser.add_argument("--force", action="store_true", help="empty --out first if it is not empty")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            parser.error(f"{args.out} is not empty (use --force to replace its contents)")
        shutil.rmtree(args.out)
    start = time.perf_counter()
    counts = make_kb(args.src, args.out, args.scale)
    if not args.quiet:
        summary = ", ".join(f"{n} {key}" for key, n in counts.items())
        print(f"wrote {args.out} (scale {args.scale}) in {time.perf_counter() - start:.2f}s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
