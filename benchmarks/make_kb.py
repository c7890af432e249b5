"""Write a knowledge base N times the bundled one, for benchmarks: `make_kb.py --scale N --out DIR`.

Copy 1 is the bundled knowledge base as it is (so `gaoxin` still resolves); copy k >= 2
replicates its people, sections, areas, entities, frameworks and records under ids suffixed
`-xk` (gaoxin-x7, gaoxin-2023-gdp-x7), with every reference pointing into the same copy.
Texts, quotes and figures are the same in every copy, so every quote still stands in the one
source text. Names that must be unique across the knowledge base (an area's or entity's
zh, short_zh, en, pinyin and aliases) get a ` xk` suffix, so that no alias names two things.
The article, its errata and the metrics are not replicated: they are shared definitions.

Laid out like data/: article.toml, areas.toml, entities.toml, metrics.toml, source/, and
one records file per copied area (records/gaoxin-x7.toml). Standard library only: tomllib
reads, a small writer below writes.
"""

from __future__ import annotations

import argparse
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

# Lists that are shared definitions: written once, never replicated.
SHARED = ("errata", "metrics")
# Lists the loader knows (kb.LISTS), in the order they are written within a file.
ORDER = ("people", "sections", "errata", "areas", "metrics", "entities", "frameworks", "records")

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


def _mapper(k: int) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """For copy k: how an id becomes copy k's id, and how a unique name becomes copy k's name."""
    if k == 1:
        return (lambda s: s), (lambda s: s)
    return (lambda s: f"{s}-x{k}"), (lambda s: f"{s} x{k}")


def replicate(key: str, item: Item, k: int) -> Item:
    """Copy k of one item: its ids, references and unique names moved into copy k."""
    if k == 1:
        return item
    ident, name = _mapper(k)
    new = dict(item)
    if key == "people":
        new["id"] = ident(item["id"])
    elif key == "sections":
        new["id"] = ident(item["id"])
        new["area"] = ident(item["area"])
        if item.get("interviewee") is not None:
            new["interviewee"] = ident(item["interviewee"])
        new["reporters"] = [ident(p) for p in item.get("reporters", [])]
    elif key == "areas":
        new["slug"] = ident(item["slug"])
        new["section"] = ident(item["section"])
        if item.get("official") is not None:
            new["official"] = ident(item["official"])
        for field in ("zh", "short_zh", "en", "pinyin"):
            new[field] = name(item[field])
        if "aliases" in item:
            new["aliases"] = [name(a) for a in item["aliases"]]
    elif key == "entities":
        new["id"] = ident(item["id"])
        for field in ("zh", "en", "pinyin"):
            new[field] = name(item[field])
        if "aliases" in item:
            new["aliases"] = [name(a) for a in item["aliases"]]
    elif key == "frameworks":
        new["id"] = ident(item["id"])
        new["area"] = ident(item["area"])
    elif key == "records":
        new["id"] = ident(item["id"])
        new["area"] = ident(item["area"])
        if "entities" in item:
            new["entities"] = [ident(e) for e in item["entities"]]
        if "frameworks" in item:
            new["frameworks"] = [ident(f) for f in item["frameworks"]]
        # figures refer to metrics, which are shared: unchanged
    else:
        raise ValueError(f"make_kb does not know how to replicate [[{key}]]")
    return new


def _ordered(doc: dict[str, Any]) -> list[str]:
    keys = [k for k in ORDER if k in doc]
    return keys + [k for k in doc if k not in keys and k != "article"]


def make_kb(src: Path, out: Path, scale: int) -> dict[str, int]:
    """Write the scaled knowledge base; returns counts of what was written."""
    if scale < 1:
        raise ValueError("--scale must be at least 1")
    files = sorted(p for p in src.rglob("*.toml") if p.is_file())
    if not files:
        raise FileNotFoundError(f"no .toml files under {src}")
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    source_file: str | None = None
    header = f"# Generated by benchmarks/make_kb.py --scale {scale}: do not edit.\n\n"

    for path in files:
        rel = path.relative_to(src)
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        if "article" in doc:
            source_file = doc["article"]["source_file"]
        per_copy_file = rel.parts[0] == "records"
        if per_copy_file:
            # One file per copy: records/gaoxin.toml, records/gaoxin-x2.toml, ...
            for k in range(1, scale + 1):
                copied = {key: [replicate(key, it, k) for it in doc[key]] for key in _ordered(doc)}
                for key, items in copied.items():
                    counts[key] = counts.get(key, 0) + len(items)
                target = out / (rel if k == 1 else rel.with_name(f"{rel.stem}-x{k}{rel.suffix}"))
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(dumps(copied, header), encoding="utf-8")
        else:
            # Top-level files: shared lists once, every other list replicated in place.
            written: dict[str, Any] = {}
            if "article" in doc:
                written["article"] = doc["article"]
            for key in _ordered(doc):
                copies = 1 if key in SHARED else scale
                written[key] = [replicate(key, it, k) for k in range(1, copies + 1) for it in doc[key]]
                counts[key] = counts.get(key, 0) + len(written[key])
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dumps(written, header), encoding="utf-8")

    if source_file is None:
        raise ValueError(f"no [article] table under {src}: not a knowledge base")
    (out / source_file).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / source_file, out / source_file)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True, help="how many copies of the knowledge base")
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
