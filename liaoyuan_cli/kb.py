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
    from pydantic import BaseModel, ValidationError

    from liaoyuan_cli.models import Article, KnowledgeBase, Record

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
    if option == "":
        raise UsageError("--data is empty", hint="give a directory laid out like data/")
    chosen = option if option is not None else os.environ.get(ENV_DATA) or None
    if chosen is None:
        return bundled_data_dir()
    shown = chosen if len(chosen) <= 80 else chosen[:77] + "..."
    try:
        path = Path(chosen).expanduser()
        if not path.exists():
            raise UsageError(
                f"knowledge base not found: {shown}", hint="--data and LYCLI_DATA take a directory"
            )
        if not path.is_dir():
            raise UsageError(
                f"not a directory: {shown}", hint="--data and LYCLI_DATA take a directory laid out like data/"
            )
        if not any(path.glob("*.toml")):
            raise UsageError(
                f"not a knowledge base: {shown}", hint="it has no .toml files; see docs/data-model.md"
            )
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot use knowledge base {shown}: {reason}") from None
    return path


def data_files(data_dir: Path) -> list[Path]:
    """Every TOML file of a knowledge base, in a stable order."""
    try:  # rglob does not follow symlinked directories: a link loop cannot trap it
        return sorted(p for p in data_dir.rglob("*.toml") if p.is_file())
    except OSError as exc:
        raise UsageError(f"cannot read knowledge base {data_dir}: {exc.strerror}") from None


class Parsed:
    """The merged TOML of a knowledge base, and where each list item came from."""

    def __init__(self, doc: dict[str, Any], origin: dict[tuple[str, int], tuple[str, int | None]]) -> None:
        self.doc = doc
        self.origin = origin


def _line_of_error(exc: ValueError, text: str) -> int | None:
    """The line tomllib names, or the last line for errors 'at end of document'."""
    found = re.search(r"line (\d+)", str(exc))
    if found:
        return int(found.group(1))
    return text.count("\n") + 1 if "end of document" in str(exc) else None


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
            message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
            problems.append(Problem(name, f"TOML syntax: {message}", line=_line_of_error(exc, text)))
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
                found = re.search(
                    rf"^[ \t]*(\[\[?[ \t]*{re.escape(key)}\b|{re.escape(key)}[ \t]*=)", text, re.M
                )
                at = text.count("\n", 0, found.start()) + 1 if found else None
                problems.append(Problem(name, f"unknown table `{key}` (expected one of: {allowed})", at))
    if "article" not in doc and files:
        problems.append(Problem(str(data_dir), "no [article] table in any file"))
    return Parsed(doc, origin)


def _loc_to_str(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_problems(exc: ValidationError, parsed: Parsed, key: str, index: int) -> Iterator[Problem]:
    """One problem per pydantic error of one item, located at the item's table header."""
    file, line = parsed.origin.get((key, index), ("?", None))
    if key == "article":
        for err in exc.errors(include_url=False):
            yield Problem(file, err["msg"], line, _loc_to_str(["article", *err["loc"]]))
        return
    item = parsed.doc[key][index]
    ident = (item.get("id") or item.get("slug")) if isinstance(item, dict) else None
    label = f"{SINGULAR[key]} {ident}" if isinstance(ident, str) else f"{SINGULAR[key]} #{index + 1}"
    for err in exc.errors(include_url=False):
        field = _loc_to_str(err["loc"])
        yield Problem(file, f"{field + ': ' if field else ''}{err['msg']}", line, label)


def _where(parsed: Parsed, key: str, index: int, ident: str) -> tuple[str, int | None, str]:
    file, line = parsed.origin.get((key, index), ("?", None))
    return file, line, f"{SINGULAR[key]} {ident}"


Items = dict[str, list[tuple[int, Any]]]


def check(
    items: Items,
    article: Article | None,
    parsed: Parsed,
    source: str | None,
    invalid: dict[str, set[str]],
    references: bool = True,
) -> list[Problem]:
    """What types cannot say: unique ids, resolving references, quotes that stand in the source.

    Runs on the items that validated; ids of items that did not are still known, so that a
    type error in one record does not also show up as dangling references to it. Without a
    source text (unreadable), quotes are not checked; without `references` (a file did not
    parse, so its ids are unknown), references are not; everything else always is.
    """
    problems: list[Problem] = []

    def add(key: str, index: int, ident: str, message: str) -> None:
        file, line, where = _where(parsed, key, index, ident)
        problems.append(Problem(file, message, line, where))

    flat = compact(source) if source is not None else None
    ids: dict[str, set[str]] = {}
    for key in LISTS:
        seen: Counter[str] = Counter()
        for index, item in items[key]:
            ident = item.slug if key == "areas" else item.id
            seen[ident] += 1
            if seen[ident] == 2:
                add(key, index, ident, f"duplicate id {ident!r}")
        ids[key] = set(seen) | invalid.get(key, set())

    def ref(key: str, index: int, ident: str, target: str, value: str | None, field: str) -> None:
        if references and value is not None and value not in ids[target]:
            from difflib import get_close_matches

            close = get_close_matches(value, sorted(ids[target]), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            add(key, index, ident, f"{field}: unknown {SINGULAR[target]} {value!r}{hint}")

    def quoted(key: str, index: int, ident: str, quote: str, field: str = "quote") -> None:
        if flat is not None and compact(quote) not in flat:
            add(key, index, ident, f"{field}: not found in the source text: {quote[:40]!r}")

    for i, p in items["people"]:
        quoted("people", i, p.id, p.quote)
    for i, s in items["sections"]:
        ref("sections", i, s.id, "areas", s.area, "area")
        ref("sections", i, s.id, "people", s.interviewee, "interviewee")
        for reporter in s.reporters:
            ref("sections", i, s.id, "people", reporter, "reporters")
        quoted("sections", i, s.id, s.quote)
    for i, e in items["errata"]:
        quoted("errata", i, e.id, e.quote)
        if e.printed not in e.quote:
            add("errata", i, e.id, "printed: the misprint does not stand in its quote")
        count = flat.count(compact(e.printed)) if flat is not None else e.occurrences
        if count != e.occurrences:
            add("errata", i, e.id, f"occurrences: {e.occurrences} given, {count} in the source")
    for i, a in items["areas"]:
        ref("areas", i, a.slug, "people", a.official, "official")
        ref("areas", i, a.slug, "sections", a.section, "section")
    for i, n in items["entities"]:
        quoted("entities", i, n.id, n.quote)
    for i, f in items["frameworks"]:
        ref("frameworks", i, f.id, "areas", f.area, "area")
        quoted("frameworks", i, f.id, f.quote)
    for person in article.photographers if article else ():
        if person not in ids["people"]:
            file, line = parsed.origin.get(("article", 0), ("?", None))
            problems.append(Problem(file, f"unknown person {person!r}", line, "article.photographers"))
    for i, r in items["records"]:
        _check_record(i, r, ref, quoted, add)
    problems.extend(_alias_problems(items, parsed))
    return problems


def _check_record(i: int, r: Record, ref: Any, quoted: Any, add: Any) -> None:
    """A record's references, its quote, and each figure's words, value, unit and status."""
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


def _alias_problems(items: Items, parsed: Parsed) -> list[Problem]:
    """An alias that names two things would make lookups depend on file order."""
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    named: list[tuple[str, int, str, set[str]]] = [
        ("areas", i, a.slug, {a.slug, a.zh, *a.aliases}) for i, a in items["areas"]
    ]
    named += [("entities", i, e.id, {e.id, e.zh, *e.aliases}) for i, e in items["entities"]]
    for key, index, ident, names in named:
        me = f"{SINGULAR[key]} {ident}"
        for name in sorted(names):
            other = owner.setdefault(name.casefold(), me)
            if other != me:
                file, line, where = _where(parsed, key, index, ident)
                problems.append(Problem(file, f"alias {name!r} also names {other}", line, where))
    return problems


def load(data_dir: Path) -> KnowledgeBase:
    """Parse and validate a knowledge base: every problem at once, never half a knowledge base.

    Items are validated one by one, so a wrong type in one record does not hide a dangling
    reference in another. Only references wait for syntax errors to be fixed: the items of a
    file that does not parse are unknown, and every reference to them would be reported falsely.
    """
    from pydantic import ValidationError

    from liaoyuan_cli import models

    problems: list[Problem] = []
    parsed = parse(data_dir, problems)
    syntax_ok = not problems
    article: Article | None = None
    if "article" in parsed.doc:
        try:
            article = models.Article.model_validate(parsed.doc["article"])
        except ValidationError as exc:
            problems.extend(_model_problems(exc, parsed, "article", 0))
    schema: dict[str, type[BaseModel]] = {
        "people": models.Person,
        "sections": models.Section,
        "errata": models.Erratum,
        "areas": models.Area,
        "metrics": models.Metric,
        "entities": models.Entity,
        "frameworks": models.Framework,
        "records": models.Record,
    }
    items: Items = {key: [] for key in LISTS}
    invalid: dict[str, set[str]] = {}
    for key in LISTS:
        model = schema[key]
        for index, raw in enumerate(parsed.doc[key]):
            try:
                items[key].append((index, model.model_validate(raw)))
            except ValidationError as exc:
                problems.extend(_model_problems(exc, parsed, key, index))
                ident = (raw.get("id") or raw.get("slug")) if isinstance(raw, dict) else None
                if isinstance(ident, str):
                    invalid.setdefault(key, set()).add(ident)
    source: str | None = None
    if article is not None:
        try:
            source = (data_dir / article.source_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
            problems.append(
                Problem(
                    article.source_file, f"cannot read the source text: {reason}", where="article.source_file"
                )
            )
    problems.extend(check(items, article, parsed, source, invalid, references=syntax_ok))
    if problems or article is None:
        raise InvalidKnowledgeBase(problems or [Problem(str(data_dir), "no [article] table")], str(data_dir))
    # Every part validated above: assembling them needs no second validation.
    lists: dict[str, Any] = {key: tuple(item for _, item in items[key]) for key in LISTS}
    return models.KnowledgeBase.model_construct(article=article, **lists)
