"""`lycli draft`: a page's text in, a new article of a knowledge base out, valid and marked for review.

The mechanical part of coding a page (its sections, speakers, sentences, quotes, and above all
its figures with value, unit, year, role, comparator, intent and threshold) follows the rules of
docs/data-model.md; the drafter applies them and leaves the judgement to a person: what it could
only guess (the English, a kind or a metric it was unsure of, a proposed entity, person or
metric) carries a `review` marker that `lycli validate --review` lists with file and line.

Never imported by the query path: `lycli draft` imports it when it runs.

    write_article(page, article_id, date, data_dir, force=False) -> DraftSummary
    draft_files(text, article_id, date, data_dir) -> dict[str, str]  (nothing written)
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from liaoyuan_cli.errors import CannotWrite, DraftInvalid, InvalidKnowledgeBase, UsageError

if TYPE_CHECKING:
    from liaoyuan_cli.draft.compose import Draft
    from liaoyuan_cli.errors import Problem
    from liaoyuan_cli.models import KnowledgeBase

__all__ = ["DraftSummary", "compose_draft", "draft_files", "package_data_dir", "write_article"]

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?$")  # ASCII digits: ２０２５ is no date
_FIRST_YEAR, _LAST_YEAR = 1900, 2100  # the years a record may have (models.Record.year)
# A newspaper page is 10-30 KB, its paragraphs a few hundred characters. Typing grows faster than
# a page's length where figures crowd (84 KB of figures with no clause punctuation: about 13 s,
# several passes over a sentence's quantities; 84 KB of a real page: about 1 s), so a text far
# beyond a page is refused rather than drafted for minutes.
PAGE_LIMIT = 96 * 1024
LINE_LIMIT = 8000


class DraftSummary(TypedDict):
    """What `write_article` wrote."""

    article: str
    data_dir: str
    files: list[str]  # relative to data_dir
    sections: int
    records: int
    figures: int
    people: int  # proposed (new) people
    metrics: int  # proposed metrics
    entities: int  # proposed entities
    review_items: int  # open review items of the new article


def package_data_dir() -> Path:
    """The knowledge base inside an installed wheel (liaoyuan_cli/data): never drafted into."""
    return Path(__file__).resolve().parent.parent / "data"


def check_id(article_id: str) -> None:
    from liaoyuan_cli.checks import RESERVED

    if article_id in RESERVED:
        raise UsageError(f"article id {article_id!r} is a word of the command line", hint="choose another id")
    if len(article_id) > 40 or not _ID.match(article_id):
        raise UsageError(
            f"invalid article id {article_id[:60]!r}",
            hint="lower-case letters, digits and single hyphens, at most 40 characters (session-2025)",
        )


def check_date(date: str) -> None:
    found = _DATE.match(date)
    if not found:
        raise UsageError(f"invalid date {date[:40]!r}", hint="YYYY-MM or YYYY-MM-DD (2025-01)")
    year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3) or 1)
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise UsageError(f"{date} is not a date of the calendar", hint="YYYY-MM or YYYY-MM-DD") from None
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise UsageError(f"year {year} is out of range", hint=f"a year from {_FIRST_YEAR} to {_LAST_YEAR}")


def read_page(page: Path) -> tuple[bytes, str]:
    """A page's bytes and text: a regular UTF-8 file with Chinese in it."""
    from liaoyuan_cli.files import NotReadable, read_regular

    try:
        data, _ = read_regular(page)
    except NotReadable as exc:
        raise UsageError(f"cannot read the page {page}: {exc}") from None
    if len(data) > PAGE_LIMIT:
        raise UsageError(
            f"the page {page} is {len(data):,} bytes, more than a page ({PAGE_LIMIT:,} at most)",
            hint="a newspaper page is 10-30 KB; draft a longer text a page at a time",
        )
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        raise UsageError(
            f"the page {page} is not UTF-8 (line {line})",
            hint=f"convert it: iconv -f {'UTF-16' if utf16 else 'GB18030'} -t UTF-8",
        ) from None
    if not re.search(r"[\u3400-\u9fff]", text):
        raise UsageError(f"the page {page} has no Chinese text to draft")
    longest = max(len(line) for line in text.splitlines())
    if longest > LINE_LIMIT:
        raise UsageError(
            f"the page {page} has a line of {longest:,} characters ({LINE_LIMIT:,} at most)",
            hint="a page's paragraphs are lines of at most a few thousand characters",
        )
    return data, text


def _replaceable(target: Path, data_dir: Path) -> None:
    """--force replaces a draft the tool wrote, nothing else: not a symlink, not a reviewed
    article (no open review item left), not a directory holding files the drafter does not write."""
    if target.is_symlink():
        raise UsageError(f"{target} is a symlink, not an article lycli can replace")
    if not target.is_dir():
        raise UsageError(
            f"{target} is not a directory lycli wrote", hint="remove it yourself, or choose another id"
        )
    own = {"article.toml", "source.txt", "records"}
    for path in sorted(target.rglob("*")):
        name = path.relative_to(target)
        ours = str(name) in own or (
            name.parts[0] == "records" and len(name.parts) == 2 and path.suffix == ".toml" and path.is_file()
        )
        if not ours or path.is_symlink():
            raise UsageError(
                f"{target} holds {name}, which lycli draft does not write",
                hint="--force replaces only a draft's own files; move it away first",
            )
    if not any(_open_reviews(path) for path in target.rglob("*.toml")):
        raise UsageError(
            f"article {target.name} in {data_dir} has no open review item: it is no draft",
            hint="--force replaces only a draft; remove a reviewed article yourself to draft it again",
        )


def _open_reviews(path: Path) -> bool:
    """Whether a TOML file holds a non-empty `review` list anywhere (an item still to review)."""
    import tomllib

    def found(value: object) -> bool:
        if isinstance(value, dict):
            return any((k == "review" and bool(v)) or found(v) for k, v in value.items())
        if isinstance(value, list):
            return any(found(v) for v in value)
        return False

    try:
        return found(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # not a file the drafter wrote as it wrote it: no draft to replace


def _check_data_dir(data_dir: Path) -> None:
    try:
        resolved = data_dir.resolve()
        if not data_dir.is_dir():
            raise UsageError(
                f"knowledge base not found: {data_dir}", hint="--data or LYCLI_DATA names a directory"
            )
        if not any(data_dir.glob("*.toml")):
            raise UsageError(
                f"not a knowledge base: {data_dir}", hint="it has no .toml files; see docs/data-model.md"
            )
    except OSError as exc:
        raise UsageError(f"cannot use knowledge base {data_dir}: {exc.strerror or exc}") from None
    if resolved == package_data_dir() and resolved.is_dir():
        raise UsageError(
            f"{data_dir} is the installed lycli's own knowledge base",
            hint="draft into a copy (cp -r it) or a checkout's data/, and name it with --data",
        )


def _existing(base: KnowledgeBase, article_id: str) -> bool:
    return any(a.id == article_id for a in base.articles)


def compose_draft(text: str, article_id: str, date: str, base: KnowledgeBase) -> Draft:
    """The items of a draft of `text` as article `article_id` into knowledge base `base`."""
    from liaoyuan_cli.draft import compose, lexicon, page

    lex = lexicon.read(base)
    return compose.Composer(page.read(text), lex, article_id, date).compose()


def draft_files(text: str, article_id: str, date: str, base: KnowledgeBase) -> dict[str, str]:
    """The files of a draft of `text` as article `article_id` into knowledge base `base`
    (without that article): relative path -> content. Nothing is written."""
    from liaoyuan_cli.draft import toml

    return toml.files(compose_draft(text, article_id, date, base), article_id)


def _drop_records(draft: Draft, problems: list[Problem]) -> bool:
    """Leave out the records validation found a problem in, noting each on the article for a
    person to draft by hand; False if a problem lies elsewhere (then nothing can be saved)."""
    named = {p.where.removeprefix("record ") for p in problems if p.where.startswith("record ")}
    if not named or any(not p.where.startswith("record ") for p in problems):
        return False
    for area, records in draft.records.items():
        for record in records:
            if record["id"] in named:
                draft.article.setdefault("review", []).append(
                    {
                        "field": "records",
                        "why": f"left out, the tool could not draft it validly: {record['quote'][:60]}",
                    }
                )
        draft.records[area] = [r for r in records if r["id"] not in named]
    return True


def write_article(
    page: Path, article_id: str, date: str, data_dir: Path, force: bool = False
) -> DraftSummary:
    """Draft the page's text into `data_dir` as article `article_id` dated `date`.

    The page is copied byte for byte as articles/ID/source.txt, beside article.toml (the article,
    its sections, the people and metrics it proposes) and records/<area>.toml. The whole
    knowledge base with the draft is validated before anything is written. Refused with a
    UsageError: an invalid or reserved id, an invalid date, a page that cannot be read or is not
    UTF-8, a directory that is no knowledge base or is the installed wheel's own, an existing
    article without `force` (or with it, an article that is no draft); InvalidKnowledgeBase where
    the knowledge base is invalid as it stands; DraftInvalid where the draft would make it
    invalid (a fault of the drafter: nothing written); CannotWrite where the files cannot be
    written.
    """
    from liaoyuan_cli import kb

    check_id(article_id)
    check_date(date)
    _check_data_dir(data_dir)
    raw, text = read_page(page)
    target = data_dir / "articles" / article_id
    if force and (target.exists() or target.is_symlink()):
        _replaceable(target, data_dir)
    with tempfile.TemporaryDirectory(prefix="lycli-draft-") as scratch_name:
        scratch = Path(scratch_name) / "kb"
        try:
            shutil.copytree(
                data_dir,
                scratch,
                symlinks=True,
                ignore=lambda d, names: (
                    [n for n in names if Path(d).resolve() == target.parent.resolve() and n == article_id]
                    if force
                    else []
                ),
            )
        except OSError as exc:
            raise CannotWrite(f"cannot copy {data_dir} to check the draft: {exc}") from None
        try:
            base = kb.load(scratch)
        except InvalidKnowledgeBase as exc:
            if force and target.exists():
                kb.load(data_dir)  # invalid as it stands: that, exit 3, not the article's fault
                first = exc.problems[0]
                raise UsageError(
                    f"cannot replace {article_id}: without it the knowledge base is invalid ({first})",
                    hint="other items depend on it",
                ) from None
            raise InvalidKnowledgeBase(exc.problems, str(data_dir)) from None  # its name, not the copy's
        if _existing(base, article_id):
            raise UsageError(
                f"article {article_id} already exists in {data_dir}",
                hint="--force replaces it" if not force else "it is defined outside articles/" + article_id,
            )
        if target.exists() and not force:
            raise UsageError(f"{target} already exists", hint="--force replaces it")
        from liaoyuan_cli.draft import toml

        drafted = compose_draft(text, article_id, date, base)
        files = toml.files(drafted, article_id)
        where = scratch / "articles" / article_id
        _write(where, files, raw)
        reading = kb.read(scratch, kb.Collect())
        if reading.problems and _drop_records(drafted, reading.problems.shown):
            shutil.rmtree(where)
            files = toml.files(drafted, article_id)
            _write(where, files, raw)
            reading = kb.read(scratch, kb.Collect())
        if reading.problems:
            shown = "; ".join(str(p) for p in reading.problems.shown[:3])
            raise DraftInvalid(
                f"the draft does not validate, nothing written: {shown}",
                hint="the knowledge base is unchanged; the drafter could not code this page validly",
            )
        reviews = [r for r in reading.reviews if r.article == article_id]
        try:
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(where, target)
        except OSError as exc:
            raise CannotWrite(f"cannot write {target}: {exc.strerror or exc}") from None
    records = [
        line
        for name, content in files.items()
        if name.startswith("records/")
        for line in content.splitlines()
    ]
    article_toml = files["article.toml"]
    return {
        "article": article_id,
        "data_dir": str(data_dir),
        "files": sorted(f"articles/{article_id}/{name}" for name in [*files, "source.txt"]),
        "sections": article_toml.count("[[sections]]"),
        "records": sum(1 for line in records if line == "[[records]]"),
        "figures": sum(1 for line in records if line == "[[records.figures]]"),
        "people": article_toml.count("[[people]]"),
        "metrics": article_toml.count("[[metrics]]"),
        "entities": sum(1 for line in records if line == "[[entities]]"),
        "review_items": len(reviews),
    }


def _write(where: Path, files: dict[str, str], raw: bytes) -> None:
    try:
        (where / "records").mkdir(parents=True, exist_ok=True)
        (where / "source.txt").write_bytes(raw)
        for name, content in files.items():
            path = where / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
    except OSError as exc:
        raise CannotWrite(f"cannot write the draft: {exc.strerror or exc}") from None
