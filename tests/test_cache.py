"""The cache of the parsed knowledge base gives the right answer, whatever state it is in (issue 4).

Correctness, not speed: a cold cache, a warm one, a stale one (a record edited, same size,
same mtime), a corrupt one (garbage, truncated, bytes changed inside), an unwritable cache
directory, and 32 runs at once on a cold cache. The right answer is read independently of
lycli, from the TOML with tomllib. Every run is the installed entry point in a subprocess,
with LYCLI_CACHE_DIR in a temporary directory.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli.api import Knowledge

from .conftest import copy_kb, subprocess_env

RECORDS = "articles/session-2024/records/gaoxin.toml"
SQLITE_MAGIC = b"SQLite format 3\x00"


# -- helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The record the tests ask about, as the TOML says it is: the oracle."""

    ident: str
    en: str


def target_of(kb: Path) -> Target:
    """The first record of records/gaoxin.toml whose en is plain ASCII without escapes."""
    doc = tomllib.loads((kb / RECORDS).read_text(encoding="utf-8"))
    raw = (kb / RECORDS).read_text(encoding="utf-8")
    for item in doc["records"]:
        en = item["en"]
        if en.isascii() and len(en) > 20 and f'en = "{en}"' in raw:
            return Target(item["id"], en)
    pytest.fail("no record with a plain ASCII en text in records/gaoxin.toml")


def env_for(cache: Path, kb: Path | None = None) -> dict[str, str]:
    return subprocess_env(cache, kb, COLUMNS="120", NO_COLOR="1", TERM="dumb")


def lycli(args: Sequence[str], kb: Path, cache: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        env=env_for(cache, kb),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def assert_answers(kb: Path, cache: Path, target: Target) -> bytes:
    """`show ID --json` holds the record's en exactly as the TOML has it; returns stdout."""
    result = lycli(["show", target.ident, "--json"], kb, cache)
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    doc = json.loads(result.stdout)
    assert target.en in set(strings_in(doc)), f"{target.en!r} not in the answer"
    return result.stdout


def assert_search_finds(kb: Path, cache: Path, word: str, ident: str) -> None:
    result = lycli(["search", word, "--json", "--limit", "50"], kb, cache)
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    hits = json.loads(result.stdout)["hits"]
    assert ident in {h["id"] for h in hits}, f"search {word!r} misses {ident}"


def leftovers(cache: Path) -> list[str]:
    """Temporary files a run left behind in the cache directory."""
    if not cache.is_dir():
        return []
    return sorted(
        p.name
        for p in cache.iterdir()
        if p.name.endswith((".tmp", "-journal", "-wal", "-shm")) or p.name.startswith(".")
    )


def sqlite_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.is_file() and p.read_bytes()[:16] == SQLITE_MAGIC]


def first_word(text: str) -> str:
    words = re.findall(r"[A-Za-z]{6,}", text)
    assert words, text
    return words[0]


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_kb(tmp_path_factory.mktemp("cache-kb") / "kb")


@pytest.fixture(scope="module")
def target(pristine: Path) -> Target:
    return target_of(pristine)


@pytest.fixture(scope="module")
def golden(pristine: Path, target: Target, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory built once for the pristine knowledge base; tests copy it."""
    cache = tmp_path_factory.mktemp("golden") / "cache"
    assert_answers(pristine, cache, target)
    assert sqlite_files(cache), "a cold run left no SQLite cache behind"
    return cache


@pytest.fixture
def kb(pristine: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(pristine, dest)
    return dest


# -- cold, warm, stale ------------------------------------------------------------------------


def test_a_cold_cache_is_built_and_answers(pristine: Path, target: Target, tmp_path: Path) -> None:
    cache = tmp_path / "not" / "yet" / "there"
    assert_answers(pristine, cache, target)
    assert sqlite_files(cache), "the cold run should leave a cache behind"
    assert leftovers(cache) == []


def test_a_warm_cache_answers_identically_and_is_not_rewritten(
    pristine: Path, target: Target, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cold = assert_answers(pristine, cache, target)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sqlite_files(cache)}
    warm = assert_answers(pristine, cache, target)
    assert warm == cold
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sqlite_files(cache)}
    assert after == before
    table = lycli(["show", target.ident], pristine, cache)
    assert table.returncode == 0 and target.ident.encode() in table.stdout


def _edit_en_same_size(kb: Path, target: Target) -> str:
    """Change the record's en to a same-length text with a unique word; keep the mtime."""
    path = kb / RECORDS
    stat = path.stat()
    new_en = "Qzxqvw" + target.en[6:]
    assert len(new_en) == len(target.en)
    raw = path.read_text(encoding="utf-8")
    old_line = f'en = "{target.en}"'
    assert raw.count(old_line) == 1
    path.write_text(raw.replace(old_line, f'en = "{new_en}"'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    return new_en


def test_a_stale_cache_is_not_served(kb: Path, target: Target, golden: Path, tmp_path: Path) -> None:
    """Same size, same mtime, new content: the content decides, not the file's metadata."""
    cache = tmp_path / "cache"
    shutil.copytree(golden, cache)
    first = assert_answers(kb, cache, target)
    original = (kb / RECORDS).read_bytes()
    new_en = _edit_en_same_size(kb, target)
    assert_answers(kb, cache, Target(target.ident, new_en))
    assert_search_finds(kb, cache, "qzxqvw", target.ident)
    # and back: the first answer again, not the edited one
    (kb / RECORDS).write_bytes(original)
    assert assert_answers(kb, cache, target) == first
    assert leftovers(cache) == []


def test_two_knowledge_bases_share_a_cache_directory(
    pristine: Path, kb: Path, target: Target, golden: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(golden, cache)
    edited = Target(target.ident, _edit_en_same_size(kb, target))
    for _ in range(2):
        assert_answers(pristine, cache, target)
        assert_answers(kb, cache, edited)


# -- corrupt ----------------------------------------------------------------------------------


def _garbage(cache: Path, target: Target) -> None:
    rng = random.Random(5)
    for path in cache.rglob("*"):
        if path.is_file():
            path.write_bytes(bytes(rng.randrange(256) for _ in range(path.stat().st_size or 64)))


def _empty(cache: Path, target: Target) -> None:
    for path in sqlite_files(cache):
        path.write_bytes(b"")


def _truncated_half(cache: Path, target: Target) -> None:
    for path in sqlite_files(cache):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def _truncated_header(cache: Path, target: Target) -> None:
    for path in sqlite_files(cache):
        path.write_bytes(path.read_bytes()[:100])


def _replace_everywhere(cache: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    changed = 0
    for path in sqlite_files(cache):
        data = path.read_bytes()
        changed += data.count(old)
        path.write_bytes(data.replace(old, new))
    assert changed, f"{old!r} is not in the cache"


def _byte_in_text(cache: Path, target: Target) -> None:
    """One letter of the record's English text changed wherever the cache holds it."""
    word = first_word(target.en).encode()
    _replace_everywhere(cache, word, bytes([word[0] ^ 0x01]) + word[1:])


def _byte_in_id(cache: Path, target: Target) -> None:
    """The record's id changed in its column, its index and its JSON: the row seems gone."""
    ident = target.ident.encode()
    _replace_everywhere(cache, ident, ident[:-1] + bytes([ident[-1] ^ 0x01]))


def _page_of_records(cache: Path, target: Target) -> None:
    """The b-tree page at the root of the records table overwritten with noise."""
    for path in sqlite_files(cache):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            root = conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE type='table' AND name='records'"
            ).fetchone()
        finally:
            conn.close()
        if root is None:
            pytest.skip("the cache has no `records` table to damage")
        rng = random.Random(7)
        data = bytearray(path.read_bytes())
        start = (root[0] - 1) * page_size
        data[start : start + page_size] = bytes(rng.randrange(256) for _ in range(page_size))
        path.write_bytes(bytes(data))


def _flipped_everywhere(cache: Path, target: Target) -> None:
    """Every 4 KiB, past the file header, one byte inverted: damage all over the file."""
    for path in sqlite_files(cache):
        data = bytearray(path.read_bytes())
        for offset in range(4096 + 1000, len(data), 4096):
            data[offset] ^= 0xFF
        path.write_bytes(bytes(data))


CORRUPTIONS: dict[str, Callable[[Path, Target], None]] = {
    "garbage": _garbage,
    "empty": _empty,
    "truncated to half": _truncated_half,
    "truncated to 100 bytes": _truncated_header,
    "a byte in a record's text": _byte_in_text,
    "a byte in a record's id": _byte_in_id,
    "the records table's root page": _page_of_records,
    "a byte in every page": _flipped_everywhere,
}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_a_corrupt_cache_is_detected_and_rebuilt(
    pristine: Path, target: Target, golden: Path, tmp_path: Path, how: str
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(golden, cache)
    CORRUPTIONS[how](cache, target)
    assert_answers(pristine, cache, target)
    assert_search_finds(pristine, cache, first_word(target.en), target.ident)
    assert_answers(pristine, cache, target)  # and again, from what the first run left
    assert leftovers(cache) == []


# -- unwritable -------------------------------------------------------------------------------


def test_a_cache_directory_that_cannot_be_created_is_skipped(
    pristine: Path, target: Target, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    assert_answers(pristine, blocker / "cache", target)
    assert blocker.read_text(encoding="utf-8") == "not a directory\n"


def test_a_cache_path_that_is_a_file_is_left_alone(pristine: Path, target: Target, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_bytes(b"mine\n")
    assert_answers(pristine, blocker, target)
    assert blocker.read_bytes() == b"mine\n"


@pytest.mark.parametrize("state", ["empty", "holding a corrupt cache"])
def test_a_read_only_cache_directory_is_skipped(
    pristine: Path, target: Target, golden: Path, tmp_path: Path, state: str
) -> None:
    cache = tmp_path / "cache"
    if state == "empty":
        cache.mkdir()
    else:
        shutil.copytree(golden, cache)
        _garbage(cache, target)
    before = sorted((p.name, p.read_bytes()) for p in cache.iterdir())
    cache.chmod(0o500)
    try:
        if os.access(cache, os.W_OK):
            pytest.skip("running as a user (root?) who can write to a 0o500 directory")
        assert_answers(pristine, cache, target)
        assert_search_finds(pristine, cache, first_word(target.en), target.ident)
        assert sorted((p.name, p.read_bytes()) for p in cache.iterdir()) == before
    finally:
        cache.chmod(0o700)


# -- concurrent -------------------------------------------------------------------------------


@pytest.mark.slow
def test_32_runs_at_once_on_a_cold_cache(pristine: Path, target: Target, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = [sys.executable, "-m", "liaoyuan_cli", "show", target.ident, "--json"]
    env = env_for(cache, pristine)
    procs = [
        subprocess.Popen(
            args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(32)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append((proc.returncode, out, err))
    for code, _, err in results:
        assert b"Traceback" not in err, err.decode("utf-8", "replace")
        assert code == 0, err.decode("utf-8", "replace")
    outputs = {out for _, out, _ in results}
    assert len(outputs) == 1, f"{len(outputs)} different answers from 32 runs"
    assert target.en in set(strings_in(json.loads(outputs.pop())))
    assert leftovers(cache) == []
    assert len(sqlite_files(cache)) == 1
    assert_answers(pristine, cache, target)


# -- the seal ------------------------------------------------------------------------------------


def test_a_cache_written_since_it_was_sealed_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache file is read only as lycli placed it: any write since (here, times set forward)
    voids its seal, and the next run builds it again rather than read it."""
    from liaoyuan_cli import cache
    from liaoyuan_cli import store as room

    from .conftest import FIXTURE

    monkeypatch.setenv("LYCLI_CACHE_DIR", str(tmp_path / "cache"))
    room.open_store(FIXTURE)
    (path,) = (tmp_path / "cache").glob("kb-*.sqlite")
    assert cache.sealed(str(path)) and room.open_cached(FIXTURE) is not None
    before = os.stat(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    assert not cache.sealed(str(path)) and room.open_cached(FIXTURE) is None
    assert Knowledge(room.open_store(FIXTURE)).show("gaoxin-2023-gdp")["record"]["id"] == "gaoxin-2023-gdp"
    (again,) = (tmp_path / "cache").glob("kb-*.sqlite")
    assert cache.sealed(str(again)) and os.stat(again).st_ino != before.st_ino


def test_a_seal_whose_cache_is_gone_is_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from liaoyuan_cli import cache
    from liaoyuan_cli import store as room

    from .conftest import FIXTURE

    directory = tmp_path / "cache"
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(directory))
    room.open_store(FIXTURE)
    orphan = directory / "kb-0123456789abcdef0123456789abcdef.seal"
    orphan.write_text("1:2:3:4:5", encoding="utf-8")
    cache.sweep(str(directory))
    assert not orphan.exists() and len(list(directory.glob("kb-*.seal"))) == 1


@pytest.mark.parametrize("name", ["cache#1", "a?mode=rw", "100%", "x%3Fy"])
def test_a_cache_path_is_a_path_not_a_uri(name: str, pristine: Path, target: Target, tmp_path: Path) -> None:
    """`#`, `?` and `%` in the cache directory are part of its name (an SQLite URI would read them
    as a fragment, a query or an escape, open the truncated path and leave a file beside it)."""
    parent = tmp_path / "home"
    cache = parent / name
    for _ in range(2):
        assert_answers(pristine, cache, target)
    assert sorted(p.name for p in parent.iterdir()) == [name]
    assert sqlite_files(cache) and leftovers(cache) == []


# -- the search index and the pointer, damaged -----------------------------------------------------


def _fixture_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    from .conftest import FIXTURE

    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE, kb)
    cache = tmp_path / "cache"
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(cache))
    return kb, cache


@pytest.mark.parametrize(
    "row",
    [
        "INSERT INTO grams (rowid, zh, whole) VALUES (3, '项目', '项目')",  # no type has code 3
        "INSERT INTO grams (rowid, zh, whole) VALUES (400000, '项目', '项目')",  # no such document
        "INSERT INTO grams (rowid, zh, whole) VALUES (1, '项目', '项目')",  # a document without it
    ],
    ids=["type", "missing", "false"],
)
def test_a_damaged_search_index_is_found_and_healed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, row: str
) -> None:
    """One or two characters are ranked from the index alone: what it says of the documents
    shown is confirmed on their rows, so a damaged index is rebuilt, never shown."""
    from liaoyuan_cli.store import open_store

    kb, cache = _fixture_copy(tmp_path, monkeypatch)
    expected = Knowledge(open_store(kb)).search("项目", limit=100)
    (path,) = cache.glob("kb-*.sqlite")
    path.chmod(0o600)
    with sqlite3.connect(path) as conn:
        conn.execute(row)
    path.chmod(0o400)
    assert Knowledge(open_store(kb)).search("项目", limit=100) == expected


def test_a_pointer_cut_short_is_no_pointer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm check stats what the pointer stamps: a pointer that lost its tail would leave
    files unwatched, so a pointer is only read whole (its CRC)."""
    from liaoyuan_cli.store import open_store

    kb, cache = _fixture_copy(tmp_path, monkeypatch)
    assert Knowledge(open_store(kb)).search("Qzxqvw")["total"] == 0
    (pointer,) = cache.glob("dir-*.key")
    data = pointer.read_bytes()
    pointer.write_bytes(data[: data.index(b"\0\n", data.index(b"\n\n")) + 2])  # the first stamp only
    records = kb / "articles" / "fixture-2024" / "records" / "gaoxin.toml"
    text = records.read_text(encoding="utf-8")
    records.write_text(text.replace('en = "', 'en = "Qzxqvw ', 1), encoding="utf-8")  # in place
    assert Knowledge(open_store(kb)).search("Qzxqvw")["total"] == 1


@pytest.mark.parametrize("dirs", ["null", "[]", "{", '{"articles": 3}'])
def test_a_pointer_with_odd_listings_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dirs: str
) -> None:
    import zlib

    from liaoyuan_cli.store import open_store

    kb, cache = _fixture_copy(tmp_path, monkeypatch)
    open_store(kb)
    (kb / "articles" / "fixture-2024" / "notes.txt").write_text(
        "a change of the directory\n", encoding="utf-8"
    )
    (pointer,) = cache.glob("dir-*.key")
    _, _, rest = pointer.read_bytes().partition(b"\n")
    rest = re.sub(rb"(?m)^dirs .*$", b"dirs " + dirs.encode(), rest)
    pointer.write_bytes(f"crc {zlib.crc32(rest):08x}\n".encode() + rest)  # ours, whole, but odd
    assert Knowledge(open_store(kb)).search("项目")["total"] > 0


def test_a_python_without_ctypes_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from liaoyuan_cli.store import open_store

    kb, cache = _fixture_copy(tmp_path, monkeypatch)
    monkeypatch.setitem(sys.modules, "ctypes", None)  # import ctypes raises ImportError
    assert Knowledge(open_store(kb)).search("项目")["total"] > 0
    assert list(cache.glob("kb-*.sqlite"))
