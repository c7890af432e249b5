"""Broken knowledge bases: every problem reported with its place, nothing half-loaded served.

Each test copies the bundled ``data/`` to a temporary directory and breaks it one way (or
several), then runs the installed entry point on it three ways: ``lycli validate DIR``,
``lycli targets gaoxin --json --data DIR`` and ``LYCLI_DATA=DIR lycli targets gaoxin --json``.
The breakages find their place by pattern (the first record of the High-tech Zone's records file
and its fields), not by fixed line numbers, so they survive edits to the data.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import copy_kb, subprocess_env

# A subprocess per case over a copied knowledge base: the full run (CI), not the quick loop.
pytestmark = pytest.mark.slow

RECORDS = "articles/session-2024/records/gaoxin.toml"
OTHER_RECORDS = "articles/session-2024/records/xian.toml"


# -- helpers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One valid, writable copy of the bundled knowledge base; each test copies it again."""
    dest = tmp_path_factory.mktemp("pristine") / "kb"
    return copy_kb(dest)


@pytest.fixture
def kb(pristine: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(pristine, dest)
    return dest


def env_for(cache: Path, **extra: str) -> dict[str, str]:
    return subprocess_env(cache, COLUMNS="200", TERM="dumb", **extra)


def lycli(args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
        check=False,
    )


@dataclass
class Block:
    """One `[[records]]` table of a TOML file: where it starts and its text."""

    file: Path
    ident: str
    header_line: int  # 1-based line of `[[records]]`
    start: int  # character offsets of the block in the file's text
    end: int

    @property
    def text(self) -> str:
        return self.file.read_text(encoding="utf-8")[self.start : self.end]

    def line_of(self, pattern: str) -> int:
        """1-based line in the file of the first line of this block matching pattern."""
        full = self.file.read_text(encoding="utf-8")
        found = re.compile(pattern, re.MULTILINE).search(full, self.start, self.end)
        assert found, f"{pattern!r} not in record {self.ident}"
        return full.count("\n", 0, found.start()) + 1

    def replace(self, pattern: str, new: str) -> int:
        """Replace the first line of this block matching pattern; returns its line number."""
        full = self.file.read_text(encoding="utf-8")
        found = re.compile(pattern, re.MULTILINE).search(full, self.start, self.end)
        assert found, f"{pattern!r} not in record {self.ident}"
        line = full.count("\n", 0, found.start()) + 1
        self.file.write_text(full[: found.start()] + new + full[found.end() :], encoding="utf-8")
        return line


def record(kb: Path, rel: str = RECORDS, index: int = 0) -> Block:
    """The index-th `[[records]]` table of a records file."""
    path = kb / rel
    text = path.read_text(encoding="utf-8")
    headers = [m.start() for m in re.finditer(r"^\[\[records\]\]\s*$", text, re.MULTILINE)]
    assert len(headers) > index, f"fewer than {index + 1} records in {rel}"
    start = headers[index]
    following = re.compile(r"^\[\[?[a-z.]+\]\]?\s*$", re.MULTILINE).search(text, start + 1)
    end = following.start() if following else len(text)
    ident = re.search(r'^id = "([^"]+)"', text[start:end], re.MULTILINE)
    assert ident, f"record {index} of {rel} has no id"
    return Block(path, ident.group(1), text.count("\n", 0, start) + 1, start, end)


def insert_before(path: Path, offset: int, data: bytes) -> None:
    raw = path.read_bytes()
    path.write_bytes(raw[:offset] + data + raw[offset:])


def char_to_byte(path: Path, offset: int) -> int:
    return len(path.read_text(encoding="utf-8")[:offset].encode("utf-8"))


def assert_refused(kb: Path, cache: Path, *validate_args: str) -> subprocess.CompletedProcess[str]:
    """Queries on a broken knowledge base: exit 3, one clear error, nothing on stdout.

    Runs `lycli validate DIR` alongside (all at once, to save time) and returns its result.
    """
    runs = [
        (["targets", "gaoxin", "--json", "--data", str(kb)], env_for(cache)),
        (["targets", "gaoxin", "--json"], env_for(cache, LYCLI_DATA=str(kb))),
        (["validate", str(kb), *validate_args], env_for(cache)),
    ]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda r: lycli(*r), runs))
    for (args, _), result in zip(runs[:2], results[:2], strict=True):
        where = " ".join(args)
        assert result.returncode == 3, (where, result.returncode, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stdout == "", (where, result.stdout[:300])
        # One error line; what follows (a hint, or the problems) is indented under it.
        lines = result.stderr.splitlines()
        assert lines and lines[0].startswith("lycli: error: invalid knowledge base"), result.stderr
        assert all(line.startswith("  ") for line in lines[1:]), result.stderr
    checked = results[2]
    assert "Traceback" not in checked.stderr, checked.stderr
    assert checked.returncode == 3, (checked.returncode, checked.stdout, checked.stderr)
    return checked


def validate(kb: Path, cache: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    result = lycli(["validate", str(kb), *extra], env_for(cache))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    return result


def assert_reports(out: str, file: str, line: int | None = None, *words: str) -> None:
    """Some line of validate's report names the file (and line: a problem of a field is at the
    field's own line) and all the words."""
    place = f"{file}:{line}:" if line is not None else file
    lines = [ln for ln in out.splitlines() if place in ln and all(w in ln for w in words)]
    assert lines, f"no problem naming {place} with {words} in:\n{out}"


# -- one breakage at a time -------------------------------------------------------------------


def unclosed_table(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    line = block.replace(r"^\[\[records\]\]", "[[records]")
    return RECORDS, line, ("TOML",)


def invalid_utf8(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    insert_before(block.file, char_to_byte(block.file, block.start), b"# caf\xe9 \xff\xfe\n")
    return RECORDS, block.header_line, ("UTF-8",)


def duplicate_key(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    year = re.search(r"^year = .*$", block.text, re.MULTILINE)
    assert year
    line = block.replace(r"^year = .*$", f"{year.group(0)}\n{year.group(0)}") + 1
    return RECORDS, line, ("TOML",)


def wrong_type(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    line = block.replace(r"^year = (\d+)$", 'year = "2024"')
    return RECORDS, line, (f"record {block.ident}", "year")


def truncated_mid_string(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb, index=1)
    line = block.line_of(r'^quote = "')
    full = block.file.read_text(encoding="utf-8")
    cut = full.index('quote = "', block.start) + len('quote = "')
    block.file.write_text(full[:cut], encoding="utf-8")
    return RECORDS, line, ("TOML",)


def truncated_mid_character(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb, index=1)
    line = block.line_of(r'^zh = "')
    raw = block.file.read_bytes()
    at = raw.index(b'zh = "', char_to_byte(block.file, block.start))
    while raw[at] < 0x80:  # the first byte of the first Chinese character of the zh text
        at += 1
    block.file.write_bytes(raw[: at + 1])
    return RECORDS, line, ("UTF-8",)


def missing_source(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    (kb / "articles" / "session-2024" / "source.txt").unlink()
    return "articles/session-2024/article.toml", None, ("source_file",)


def dangling_area(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    line = block.replace(r'^area = "gaoxin"$', 'area = "gaoxn"')
    return RECORDS, line, (f"record {block.ident}", "area", "gaoxn", "gaoxin")


def dangling_entity(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    if re.search(r"^entities = ", block.text, re.MULTILINE):
        line = block.replace(r"^entities = .*$", 'entities = ["no-such-entity"]')
    else:
        line = block.replace(r'^id = ".*"$', f'id = "{block.ident}"\nentities = ["no-such-entity"]') + 1
    return RECORDS, line, (f"record {block.ident}", "entities", "no-such-entity")


def quote_not_in_source(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    line = block.replace(r'^quote = ".*"$', 'quote = "这句话从来不在原文里出现过"')
    return RECORDS, line, (f"record {block.ident}", "quote")


def misspelt_key(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    block = record(kb)
    line = block.replace(r"^category = ", "catgory = ")
    return RECORDS, line, (f"record {block.ident}", "catgory", "did you mean category?")


def unknown_table(kb: Path) -> tuple[str, int | None, tuple[str, ...]]:
    path = kb / RECORDS
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path.write_text(text + '\n[[recrods]]\nid = "x"\n', encoding="utf-8")
    return RECORDS, text.count("\n") + 2, ("recrods",)


BREAKAGES: dict[str, Callable[[Path], tuple[str, int | None, tuple[str, ...]]]] = {
    "unclosed table": unclosed_table,
    "invalid UTF-8": invalid_utf8,
    "duplicate key": duplicate_key,
    "wrong type": wrong_type,
    "truncated mid-string": truncated_mid_string,
    "truncated mid-character": truncated_mid_character,
    "missing source text": missing_source,
    "dangling area": dangling_area,
    "dangling entity": dangling_entity,
    "quote not in the source": quote_not_in_source,
    "misspelt key": misspelt_key,
    "unknown table": unknown_table,
}


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_a_broken_knowledge_base_is_reported_with_its_place_and_refused(
    kb: Path, tmp_path: Path, name: str
) -> None:
    file, line, words = BREAKAGES[name](kb)
    result = assert_refused(kb, tmp_path / "cache")
    assert_reports(result.stdout, file, line, *words)


def test_validate_json_lists_the_problem_with_file_and_line(kb: Path, tmp_path: Path) -> None:
    file, line, _ = wrong_type(kb)
    result = validate(kb, tmp_path / "cache", "--json")
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert any(p["file"] == file and p["line"] == line for p in doc["problems"]), doc["problems"]


def test_a_knowledge_base_broken_after_it_was_cached_is_refused(kb: Path, tmp_path: Path) -> None:
    """The cache of the valid version must not answer for the broken one."""
    cache = tmp_path / "cache"
    good = lycli(["targets", "gaoxin", "--json", "--data", str(kb)], env_for(cache))
    assert good.returncode == 0, good.stderr
    quote_not_in_source(kb)
    assert_refused(kb, cache)


def test_a_symlink_loop_in_the_knowledge_base_is_not_a_crash(kb: Path, tmp_path: Path) -> None:
    (kb / "loop").symlink_to(".", target_is_directory=True)
    result = lycli(["targets", "gaoxin", "--json", "--data", str(kb)], env_for(tmp_path / "c"))
    assert "Traceback" not in result.stderr, result.stderr[-500:]
    assert result.returncode in (0, 3)


# -- many problems at once --------------------------------------------------------------------


def test_syntax_problems_in_several_files_are_all_reported(kb: Path, tmp_path: Path) -> None:
    """A TOML error in one file does not hide those of the others."""
    expected = [unclosed_table(kb)]
    other = record(kb, OTHER_RECORDS)
    insert_before(other.file, char_to_byte(other.file, other.start), b"# \xff\n")
    expected.append((OTHER_RECORDS, other.header_line, ("UTF-8",)))
    third = record(kb, "articles/session-2024/records/dongfeng.toml")
    line = third.replace(r"^year = (\d+)$", "year = ")
    expected.append(("articles/session-2024/records/dongfeng.toml", line, ("TOML",)))
    out = assert_refused(kb, tmp_path / "cache").stdout
    for file, ln, words in expected:
        assert_reports(out, file, ln, *words)


def test_schema_problems_in_several_records_are_all_reported(kb: Path, tmp_path: Path) -> None:
    expected = [wrong_type(kb), misspelt_key(kb)]
    other = record(kb, OTHER_RECORDS)
    line = other.replace(r"^kind = .*$", 'kind = "wish"')
    expected.append((OTHER_RECORDS, line, (f"record {other.ident}", "kind")))
    out = validate(kb, tmp_path / "cache").stdout
    for file, ln, words in expected:
        assert_reports(out, file, ln, *words)


def test_reference_and_quote_problems_across_files_are_all_reported(kb: Path, tmp_path: Path) -> None:
    expected = [dangling_area(kb), quote_not_in_source(kb)]  # the same record, two problems
    other = record(kb, OTHER_RECORDS)
    line = other.replace(r'^quote = ".*"$', 'quote = "原文里没有这一句"')
    expected.append((OTHER_RECORDS, line, (f"record {other.ident}", "quote")))
    second = record(kb, OTHER_RECORDS, index=1)
    line = second.replace(r'^id = ".*"$', f'id = "{other.ident}"')
    first_at = f"(the first is at {OTHER_RECORDS}:{other.header_line})"  # where the first one stands
    expected.append((OTHER_RECORDS, line, ("id: duplicate id", other.ident, first_at)))
    result = validate(kb, tmp_path / "cache", "--json")
    out = "\n".join(p["text"] for p in json.loads(result.stdout)["problems"])
    for file, ln, words in expected:
        assert_reports(out, file, ln, *words)


def test_a_missing_article_file_is_one_problem_not_hundreds(kb: Path, tmp_path: Path) -> None:
    """Without article.toml every record's section dangles: said once, each dangling id once."""
    (kb / "articles/session-2024/article.toml").unlink()
    result = validate(kb, tmp_path / "cache", "--json")
    texts = [p["text"] for p in json.loads(result.stdout)["problems"]]
    assert any("articles/session-2024" in t and "no article.toml" in t for t in texts), texts
    assert len(texts) < 20, texts  # one per missing id, each with how many more refer to it
    article = [t for t in texts if "unknown article 'session-2024'" in t]
    assert len(article) == 1 and "more reference" in article[0]
    assert json.loads(result.stdout)["summary"].startswith(f"{len(texts)} problems in ")


@pytest.mark.parametrize("first", [wrong_type, missing_source], ids=["wrong type", "missing source text"])
def test_problems_of_different_kinds_are_reported_in_one_run(
    kb: Path, tmp_path: Path, first: Callable[[Path], tuple[str, int | None, tuple[str, ...]]]
) -> None:
    expected = [first(kb)]
    other = record(kb, OTHER_RECORDS)
    line = other.replace(r'^area = ".*"$', 'area = "xain"')
    expected.append((OTHER_RECORDS, line, (f"record {other.ident}", "xain")))
    out = validate(kb, tmp_path / "cache").stdout
    for file, ln, words in expected:
        assert_reports(out, file, ln, *words)


# -- nothing from the data reaches the terminal raw -------------------------------------------

# TOML escapes: ESC sequences (colour, clear screen, set title), BEL, a C1 CSI, bidi overrides.
INJECTED = "\\u001b[31m\\u001b]0;pwned\\u0007\\u009b2J\\u202e\\u2066"


@pytest.fixture(scope="module")
def hostile_kb(pristine: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Every zh and en text of the High-tech Zone's records starts with terminal control sequences."""
    kb = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(pristine, kb)
    path = kb / RECORDS
    first = record(kb)
    en = re.search(r'^en = "([^"\\]{8,60})', first.text, re.MULTILINE)
    assert en, f"record {first.ident} has no plain en text to look for"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^(zh|en) = "', lambda m: f'{m.group(1)} = "{INJECTED}', text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    return kb, first.ident, en.group(1).split()[0]


def _raw_controls(out: bytes) -> list[str]:
    text = out.decode("utf-8", "replace")
    return [
        repr(ch)
        for ch in text
        if (ord(ch) < 0x20 and ch != "\n")
        or 0x7F <= ord(ch) < 0xA0
        or 0x202A <= ord(ch) <= 0x202E
        or 0x2066 <= ord(ch) <= 0x2069
    ]


@pytest.fixture(scope="module")
def hostile_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-cache")


def _raw(args: Sequence[str], kb: Path, cache: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args, "--data", str(kb)],
        env=env_for(cache, LANG="C.UTF-8"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


TABLE_COMMANDS = [
    ("show", "{id}"),
    ("show", "{id}", "--lang", "en"),
    ("targets", "gaoxin"),
    ("metrics", "gaoxin"),
    ("search", "高新区"),
    ("entities",),
    ("summarize", "gaoxin"),
    ("compare", "gdp"),
]


def test_the_hostile_knowledge_base_is_valid_and_shown(
    hostile_kb: tuple[Path, str, str], hostile_cache: Path
) -> None:
    """Control characters are legal in a text; the record is served, only made harmless."""
    kb, ident, word = hostile_kb
    cache = hostile_cache
    ok = lycli(["validate", str(kb)], env_for(cache))
    assert ok.returncode == 0, ok.stdout
    shown = _raw(["show", ident, "--lang", "en"], kb, cache)
    assert shown.returncode == 0, shown.stderr
    assert word.encode() in shown.stdout
    as_json = _raw(["show", ident, "--json"], kb, cache)
    assert b"\\u001b[31m" in as_json.stdout  # JSON escapes control characters itself
    assert b"\x1b" not in as_json.stdout
    json.loads(as_json.stdout)


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
def test_escape_sequences_in_the_data_never_reach_a_table(
    hostile_kb: tuple[Path, str, str], hostile_cache: Path, args: tuple[str, ...]
) -> None:
    kb, ident, _ = hostile_kb
    result = _raw([a.replace("{id}", ident) for a in args], kb, hostile_cache)
    assert result.returncode == 0, result.stderr
    assert b"\x1b" not in result.stdout
    assert not _raw_controls(result.stdout), _raw_controls(result.stdout)[:10]


@pytest.mark.parametrize("args", [("search", "高新区"), ("targets", "gaoxin")], ids=" ".join)
def test_escape_sequences_in_the_data_never_reach_markdown(
    hostile_kb: tuple[Path, str, str], hostile_cache: Path, args: tuple[str, ...]
) -> None:
    kb, _, _ = hostile_kb
    result = _raw([*args, "--format", "markdown"], kb, hostile_cache)
    assert result.returncode == 0, result.stderr
    assert not _raw_controls(result.stdout), _raw_controls(result.stdout)[:10]


def test_escape_sequences_in_problem_reports_never_reach_the_terminal(kb: Path, tmp_path: Path) -> None:
    """A key or an id holding ESC sequences is named in validate's report, made harmless."""
    block = record(kb)
    block.replace(r"^category = ", '"cat\\u001b[2Jegory" = "overall"\ncategory = ')
    block = record(kb)
    block.replace(r'^id = ".*"$', f'id = "{block.ident}\\u001b]0;pwned\\u0007"')
    result = subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", "validate", str(kb)],
        env=env_for(tmp_path / "cache"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert b"gaoxin.toml" in result.stdout
    assert not _raw_controls(result.stdout + result.stderr)
