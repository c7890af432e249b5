"""Find a knowledge base, parse its TOML, validate it, and report every problem with its place."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liaoyuan_cli.errors import InvalidKnowledgeBase, Problem, UsageError
from liaoyuan_cli.text import compact, numeral_forms

if TYPE_CHECKING:
    from pydantic import ValidationError

    from liaoyuan_cli.models import KnowledgeBase

ENV_DATA = "LYCLI_DATA"
# Top-level TOML tables a knowledge-base file may hold; all files are merged.
LISTS = ("people", "sections", "errata", "areas", "metrics", "entities", "frameworks", "records")
SINGULAR = {
    "people": "person",
    "sections": "section",
    "errata": "erratum",
    "areas": "area",
    "metrics": "metric",
    "entities": "entity",
    "frameworks": "framework",
    "records": "record",
}


def bundled_data_dir() -> Path:
    """The knowledge base shipped with lycli: inside the wheel, or the checkout's `data/`.

    A wheel carries `data/` as `liaoyuan_cli/data` (hatch force-include); an editable install
    does not, so there the top-level `data/` beside the package is the one source of truth.
    For an installed package `importlib.resources.files("liaoyuan_cli")` is this directory
    (a test holds them equal); importing importlib.resources would cost every run 2 ms.
    """
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def resolve_data_dir(option: str | None) -> Path:
    """`--data DIR`, else $LYCLI_DATA, else the bundled knowledge base."""
    chosen = option if option is not None else os.environ.get(ENV_DATA) or None
    if chosen is None:
        return bundled_data_dir()
    path = Path(chosen).expanduser()
    if not path.exists():
        raise UsageError(f"knowledge base not found: {chosen}", hint="--data takes a directory")
    if not path.is_dir():
        raise UsageError(f"not a directory: {chosen}", hint="--data takes a directory laid out like data/")
    return path


def data_files(data_dir: Path) -> list[Path]:
    """Every TOML file of a knowledge base, in a stable order."""
    try:
        return sorted(p for p in data_dir.rglob("*.toml") if p.is_file())
    except OSError as exc:
        raise UsageError(f"cannot read knowledge base {data_dir}: {exc.strerror}") from None


class Parsed:
    """The merged TOML of a knowledge base, and where each list item came from."""

    def __init__(self, doc: dict[str, Any], origin: dict[tuple[str, int], tuple[str, int | None]]) -> None:
        self.doc = doc
        self.origin = origin


def _line_of_error(exc: ValueError) -> int | None:
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else None


def _headers(text: str, key: str) -> list[int]:
    """Line numbers of each `[[key]]` table header, so item n can be pointed at."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(key)}[ \t]*\]\]", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def parse(data_dir: Path, problems: list[Problem]) -> Parsed:
    """Read and merge every file; syntax errors are collected, not raised."""
    import tomllib

    doc: dict[str, Any] = {key: [] for key in LISTS}
    origin: dict[tuple[str, int], tuple[str, int | None]] = {}
    files = data_files(data_dir)
    if not files:
        problems.append(Problem(str(data_dir), "no .toml files: not a knowledge base"))
    for path in files:
        name = str(path.relative_to(data_dir))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(name, f"cannot read: {exc.strerror}"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            problems.append(Problem(name, "not valid UTF-8", line=line))
            continue
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            problems.append(Problem(name, f"TOML syntax: {message}", line=_line_of_error(exc)))
            continue
        for key, value in table.items():
            if key == "article":
                if "article" in doc:
                    problems.append(Problem(name, "a second [article] table", where="article"))
                doc["article"] = value
                found = re.search(r"^[ \t]*\[[ \t]*article[ \t]*\]", text, re.MULTILINE)
                origin[("article", 0)] = (name, text.count("\n", 0, found.start()) + 1 if found else None)
            elif key in LISTS:
                if not isinstance(value, list):
                    problems.append(Problem(name, f"`{key}` must be an array of tables [[{key}]]"))
                    continue
                lines = _headers(text, key)
                for i, item in enumerate(value):
                    origin[(key, len(doc[key]))] = (name, lines[i] if i < len(lines) else None)
                    doc[key].append(item)
            else:
                allowed = ", ".join(("article", *LISTS))
                problems.append(Problem(name, f"unknown table `{key}` (expected one of: {allowed})"))
    if "article" not in doc and files:
        problems.append(Problem(str(data_dir), "no [article] table in any file"))
    return Parsed(doc, origin)


def _loc_to_str(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_problems(exc: ValidationError, parsed: Parsed) -> Iterator[Problem]:
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        key = str(loc[0]) if loc else ""
        if key in LISTS and len(loc) > 1 and isinstance(loc[1], int):
            index = loc[1]
            file, line = parsed.origin.get((key, index), ("?", None))
            item = parsed.doc[key][index]
            ident = item.get("id") or item.get("slug") if isinstance(item, dict) else None
            label = f"{SINGULAR[key]} {ident}" if ident else f"{SINGULAR[key]} #{index + 1}"
            field = _loc_to_str(loc[2:])
            yield Problem(file, f"{field + ': ' if field else ''}{err['msg']}", line, label)
        else:
            file, line = parsed.origin.get(("article", 0), ("?", None))
            yield Problem(file, err["msg"], line, _loc_to_str(loc))


def _where(parsed: Parsed, key: str, index: int, ident: str) -> tuple[str, int | None, str]:
    file, line = parsed.origin.get((key, index), ("?", None))
    return file, line, f"{SINGULAR[key]} {ident}"


def check(kb: KnowledgeBase, parsed: Parsed, source: str) -> list[Problem]:
    """What types cannot say: unique ids, resolving references, quotes that stand in the source."""
    problems: list[Problem] = []

    def add(key: str, index: int, ident: str, message: str) -> None:
        file, line, where = _where(parsed, key, index, ident)
        problems.append(Problem(file, message, line, where))

    flat = compact(source)
    ids: dict[str, set[str]] = {}
    for key in LISTS:
        items = getattr(kb, key)
        seen: Counter[str] = Counter()
        for index, item in enumerate(items):
            ident = item.slug if key == "areas" else item.id
            seen[ident] += 1
            if seen[ident] == 2:
                add(key, index, ident, f"duplicate id {ident!r}")
        ids[key] = set(seen)

    def ref(key: str, index: int, ident: str, target: str, value: str | None, field: str) -> None:
        if value is not None and value not in ids[target]:
            known = sorted(ids[target])
            from difflib import get_close_matches

            close = get_close_matches(value, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            add(key, index, ident, f"{field}: unknown {SINGULAR[target]} {value!r}{hint}")

    def quoted(key: str, index: int, ident: str, quote: str, field: str = "quote") -> None:
        if compact(quote) not in flat:
            add(key, index, ident, f"{field}: not found in the source text: {quote[:40]!r}")

    for i, p in enumerate(kb.people):
        quoted("people", i, p.id, p.quote)
    for i, s in enumerate(kb.sections):
        ref("sections", i, s.id, "areas", s.area, "area")
        ref("sections", i, s.id, "people", s.interviewee, "interviewee")
        for reporter in s.reporters:
            ref("sections", i, s.id, "people", reporter, "reporters")
        quoted("sections", i, s.id, s.quote)
    for i, e in enumerate(kb.errata):
        quoted("errata", i, e.id, e.quote)
        if e.printed not in e.quote:
            add("errata", i, e.id, "printed: the misprint does not stand in its quote")
        count = flat.count(compact(e.printed))
        if count != e.occurrences:
            add("errata", i, e.id, f"occurrences: {e.occurrences} given, {count} in the source")
    for i, a in enumerate(kb.areas):
        ref("areas", i, a.slug, "people", a.official, "official")
        ref("areas", i, a.slug, "sections", a.section, "section")
    for i, n in enumerate(kb.entities):
        quoted("entities", i, n.id, n.quote)
    for i, f in enumerate(kb.frameworks):
        ref("frameworks", i, f.id, "areas", f.area, "area")
        quoted("frameworks", i, f.id, f.quote)
    for person in kb.article.photographers:
        if person not in ids["people"]:
            problems.append(Problem("?", f"unknown person {person!r}", None, "article.photographers"))

    for i, r in enumerate(kb.records):
        ref("records", i, r.id, "areas", r.area, "area")
        for ent in r.entities:
            ref("records", i, r.id, "entities", ent, "entities")
        for fw in r.frameworks:
            ref("records", i, r.id, "frameworks", fw, "frameworks")
        quoted("records", i, r.id, r.quote)
        quote = compact(r.quote)
        for j, fig in enumerate(r.figures):
            field = f"figures[{j}]"
            ref("records", i, r.id, "metrics", fig.metric, f"{field}.metric")
            stated = compact(fig.stated)
            if stated not in quote:
                add("records", i, r.id, f"{field}.stated: {fig.stated!r} is not in the quote")
            if fig.value is None:
                if fig.unit is not None:
                    add("records", i, r.id, f"{field}.unit: a figure without a value has no unit")
            else:
                if fig.unit is None:
                    add("records", i, r.id, f"{field}.unit: a value needs a unit")
                if not any(form in stated for form in numeral_forms(fig.value)):
                    add("records", i, r.id, f"{field}.value: {fig.value:g} does not appear in {fig.stated!r}")
            if fig.threshold is not None:
                th = compact(fig.threshold.stated)
                if th not in quote:
                    add(
                        "records",
                        i,
                        r.id,
                        f"{field}.threshold.stated: {fig.threshold.stated!r} is not in the quote",
                    )
                implicit_one = fig.threshold.value == 1 and th.startswith(fig.threshold.unit.value)
                if not implicit_one and not any(f in th for f in numeral_forms(fig.threshold.value)):
                    value = f"{fig.threshold.value:g}"
                    add("records", i, r.id, f"{field}.threshold.value: {value} is not in its stated words")
            if r.kind in ("result", "target") and fig.status.value != r.kind.value:
                add("records", i, r.id, f"{field}.status: {fig.status.value} in a {r.kind.value} record")

    problems.extend(_alias_problems(kb, parsed))
    return problems


def _alias_problems(kb: KnowledgeBase, parsed: Parsed) -> list[Problem]:
    """An alias that names two things would make lookups depend on file order."""
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    named: list[tuple[str, int, str, set[str]]] = [
        ("areas", i, a.slug, {a.slug, a.zh, *a.aliases}) for i, a in enumerate(kb.areas)
    ]
    named += [("entities", i, e.id, {e.id, e.zh, *e.aliases}) for i, e in enumerate(kb.entities)]
    for key, index, ident, names in named:
        me = f"{SINGULAR[key]} {ident}"
        for name in sorted(names):
            other = owner.setdefault(name.casefold(), me)
            if other != me:
                file, line, where = _where(parsed, key, index, ident)
                problems.append(Problem(file, f"alias {name!r} also names {other}", line, where))
    return problems


def load(data_dir: Path) -> KnowledgeBase:
    """Parse and validate a knowledge base; problems are returned, never half a knowledge base."""
    from pydantic import ValidationError

    from liaoyuan_cli.models import KnowledgeBase

    problems: list[Problem] = []
    parsed = parse(data_dir, problems)
    if problems:
        raise InvalidKnowledgeBase(problems, str(data_dir))
    try:
        kb = KnowledgeBase.model_validate(parsed.doc)
    except ValidationError as exc:
        raise InvalidKnowledgeBase(list(_model_problems(exc, parsed)), str(data_dir)) from None
    source_path = data_dir / kb.article.source_file
    try:
        source = source_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        where = "article.source_file"
        raise InvalidKnowledgeBase(
            [Problem(str(kb.article.source_file), f"cannot read the source text: {reason}", where=where)],
            str(data_dir),
        ) from None
    problems = check(kb, parsed, source)
    if problems:
        raise InvalidKnowledgeBase(problems, str(data_dir))
    return kb
