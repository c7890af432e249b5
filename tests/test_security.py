"""A cache that cannot lie, and a CLI that survives what machines do to it (issue 12, F1-F19).

Each test names the finding it guards. Most run lycli in a subprocess, with a private copy of
the fixture knowledge base and a private cache; some need root (to act as another user) or a
non-root user (for whom chmod 000 means something) and say so.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import DATA, FIXTURE, copy_kb, run_cli, subprocess_env

# A subprocess per case over a copied knowledge base: the full run (CI), not the quick loop.
pytestmark = pytest.mark.slow

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
NOT_ROOT = pytest.mark.skipif(os.geteuid() == 0, reason="root reads what chmod 000 forbids")
RECORDS = "articles/fixture-2024/records/gaoxin.toml"


def lycli(
    args: list[str], kb: Path | None, cache: Path | str, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = subprocess_env(Path(cache), kb, COLUMNS="100", NO_COLOR="1", TERM="dumb")
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("lycli: error: ") and result.stderr.count("\n") >= 1


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_kb(tmp_path / "kb", FIXTURE)


def first_en(kb: Path) -> tuple[str, str]:
    """The id and en text of the first record of the fixture's High-tech Zone file."""
    import tomllib

    record = tomllib.loads((kb / RECORDS).read_text(encoding="utf-8"))["records"][0]
    return record["id"], record["en"]


def shown_en(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["record"]["en"])


# -- wrong answers and trust ---------------------------------------------------------------------


def test_f1_the_cache_names_exactly_the_bytes_it_was_built_from(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed while the cache is built, then changed back, never makes lycli serve the
    other version: the key is the hash of the bytes parsed, the stamps are taken as they are read."""
    from liaoyuan_cli import kb as kb_module
    from liaoyuan_cli import store

    ident, original = first_en(kb)
    path = kb / RECORDS
    text = path.read_text(encoding="utf-8")
    changed = text.replace(original, original + " CHANGED", 1)
    real_read = kb_module.read_regular
    edits = []

    def read_then_edit(target: str | Path, within: Path | None = None) -> tuple[bytes, os.stat_result]:
        answer = real_read(target, within)
        if str(target).endswith(RECORDS) and not edits:
            time.sleep(0.01)
            path.write_text(changed, encoding="utf-8")  # an editor saves right after lycli read
            edits.append(True)
        return answer

    cache = tmp_path / "cache"
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(cache))
    monkeypatch.setattr(kb_module, "read_regular", read_then_edit)
    first = store.open_store(kb)
    assert first.record(ident)["en"] == original  # what was read, under its own key
    monkeypatch.setattr(kb_module, "read_regular", real_read)
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original + " CHANGED"
    path.write_text(text, encoding="utf-8")  # an undo
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original


def _plant(cache: Path, ident: str, text: str) -> Path:
    """Rewrite a record's en inside the cache file: a planted cache."""
    [path] = cache.glob("kb-*.sqlite")
    conn = sqlite3.connect(path)
    (raw,) = conn.execute("SELECT json FROM records WHERE id = ?", (ident,)).fetchone()
    row = json.loads(raw)
    row["en"] = text
    planted = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    conn.execute("UPDATE records SET json = ? WHERE id = ?", (planted, ident))
    conn.commit()
    conn.close()
    return path


def test_f2_a_cache_others_could_write_is_never_read(kb: Path, tmp_path: Path) -> None:
    ident, original = first_en(kb)
    cache = tmp_path / "cache"
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700  # created private
    path = _plant(cache, ident, "PLANTED")
    path.chmod(0o666)  # as if another user could have written it
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original
    cache.chmod(0o777)  # a shared directory open to everyone: not used at all
    path.chmod(0o600)
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original


@ROOT_ONLY
def test_f2_a_cache_another_user_owns_is_never_read(kb: Path, tmp_path: Path) -> None:
    ident, original = first_en(kb)
    cache = tmp_path / "cache"
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original
    path = _plant(cache, ident, "PLANTED")
    os.chown(path, 65534, 65534)
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original
    for pointer in cache.glob("dir-*.key"):
        os.chown(pointer, 65534, 65534)
    os.chown(cache, 65534, 65534)
    assert shown_en(lycli(["show", ident, "--json"], kb, cache)) == original


def test_f3_a_source_behind_a_symlinked_directory_is_part_of_the_key(kb: Path, tmp_path: Path) -> None:
    """The loader reads the source through a link inside the knowledge base; a change there is
    seen, not served stale. (A link out of the knowledge base is refused: see test_hostile_kb.)"""
    outside = kb / "texts"
    outside.mkdir()
    article = kb / "articles" / "fixture-2024"
    (article / "source.txt").rename(outside / "source.txt")
    (kb / "linked").symlink_to(outside, target_is_directory=True)
    toml = article / "article.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'source_file = "articles/fixture-2024/source.txt"', 'source_file = "linked/source.txt"'
        ),
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    assert lycli(["areas", "--json"], kb, cache).returncode == 0
    source = outside / "source.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("。", "，"), encoding="utf-8")
    assert lycli(["validate", "--json"], kb, cache).returncode == 3
    one_line_error(lycli(["areas", "--json"], kb, cache), 3)


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "1e6", "1000000", ""])
def test_f4_any_columns_still_draws_a_table_within_bounds(columns: str, tmp_path: Path) -> None:
    result = lycli(["areas"], FIXTURE, tmp_path / "cache", COLUMNS=columns)
    assert result.returncode == 0 and "gaoxin" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 500


# -- injection ---------------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://x")\x1b]52;c;cGF5bG9hZA==\x07\u009b31m\u202e\u061c\u2028\u200b\ufeff'


@pytest.fixture
def hostile(kb: Path) -> tuple[Path, str]:
    """The fixture with one record's English made of formulas, escapes and invisible marks."""
    ident, original = first_en(kb)
    path = kb / RECORDS
    text = path.read_text(encoding="utf-8")
    escaped = json.dumps(HOSTILE)[1:-1]  # TOML basic strings take JSON's escapes
    path.write_text(text.replace(f'en = "{original}"', f'en = "{escaped}"', 1), encoding="utf-8")
    assert lycli(["validate"], kb, kb.parent / "v").returncode == 0
    return kb, ident


def test_f5_csv_cells_never_start_a_formula_unless_raw(hostile: tuple[Path, str], tmp_path: Path) -> None:
    import csv
    import io

    kb, ident = hostile
    guarded = lycli(["records", "--format", "csv", "--fields", "id,en"], kb, tmp_path / "c")
    row = next(r for r in csv.DictReader(io.StringIO(guarded.stdout)) if r["id"] == ident)
    assert row["en"].startswith("'=HYPERLINK")
    tsv = lycli(["records", "--format", "tsv", "--fields", "id,en"], kb, tmp_path / "c")
    row = next(r for r in csv.DictReader(io.StringIO(tsv.stdout), delimiter="\t") if r["id"] == ident)
    assert row["en"].startswith("'=HYPERLINK")
    raw = lycli(["records", "--format", "csv", "--fields", "id,en", "--raw"], kb, tmp_path / "c")
    row = next(r for r in csv.DictReader(io.StringIO(raw.stdout)) if r["id"] == ident)
    assert row["en"] == HOSTILE


def _on_a_terminal(args: list[str], kb: Path, cache: Path) -> bytes:
    import pty

    leader, follower = pty.openpty()
    env = subprocess_env(cache, kb, TERM="xterm-256color", COLUMNS="120")
    with subprocess.Popen(
        [sys.executable, "-m", "liaoyuan_cli", *args], stdout=follower, stderr=subprocess.PIPE, env=env
    ) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks)


UNSAFE = ["\x1b]52", "\x07", "\u009b", "\u202e", "\u061c", "\u2028", "\u200b", "\ufeff"]


def test_f5_csv_on_a_terminal_passes_no_control_sequence(hostile: tuple[Path, str], tmp_path: Path) -> None:
    kb, _ = hostile
    shown = _on_a_terminal(["records", "--format", "csv", "--fields", "id,en"], kb, tmp_path / "c").decode(
        "utf-8"
    )
    assert not [ch for ch in UNSAFE if ch in shown]
    assert "\ufffd" in shown


def test_f6_json_and_jsonl_escape_what_could_take_over_a_terminal(
    hostile: tuple[Path, str], tmp_path: Path
) -> None:
    kb, ident = hostile
    for fmt in ("json", "jsonl"):
        out = lycli(["records", "--format", fmt], kb, tmp_path / "c").stdout
        assert not [ch for ch in UNSAFE if ch in out], fmt
        lines = [json.loads(x) for x in out.splitlines()] if fmt == "jsonl" else json.loads(out)["records"]
        assert next(r for r in lines if r["id"] == ident)["en"] == HOSTILE  # the same string to a parser


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_f7_tables_and_markdown_show_unsafe_characters_as_replacement(
    hostile: tuple[Path, str], tmp_path: Path, fmt: str
) -> None:
    kb, ident = hostile
    out = lycli(["show", ident, "--format", fmt, "--lang", "en"], kb, tmp_path / "c").stdout
    assert not [ch for ch in UNSAFE if ch in out]
    assert "\ufffd" in out


# -- tracebacks and wrong exit codes --------------------------------------------------------------


@NOT_ROOT
def test_f8_an_unreadable_file_is_a_located_problem(kb: Path, tmp_path: Path) -> None:
    (kb / RECORDS).chmod(0)
    result = lycli(["targets", "gaoxin", "--json"], kb, tmp_path / "c")
    one_line_error(result, 3)
    assert "cannot read: Permission denied" in result.stderr


def test_f8_a_dangling_link_is_a_located_problem(kb: Path, tmp_path: Path) -> None:
    (kb / "extra.toml").symlink_to(tmp_path / "nowhere.toml")
    result = lycli(["targets", "gaoxin", "--json"], kb, tmp_path / "c")
    one_line_error(result, 3)
    assert "extra.toml: cannot read" in result.stderr


def test_f9_a_cache_path_too_long_to_create_costs_only_speed(tmp_path: Path) -> None:
    result = lycli(["areas", "--json"], FIXTURE, tmp_path / ("x" * 300) / "cache")
    assert result.returncode == 0 and json.loads(result.stdout)["areas"]


@NOT_ROOT
def test_f9_an_unsearchable_cache_directory_costs_only_speed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0)
    try:
        result = lycli(["areas", "--json"], FIXTURE, cache)
    finally:
        cache.chmod(0o700)
    assert result.returncode == 0 and json.loads(result.stdout)["areas"]


@pytest.mark.parametrize("xdg", ["set", "unset"])
def test_f10_no_home_and_a_uid_without_a_passwd_entry(
    xdg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As containers run (`--user 54321`): HOME unset and no passwd entry for the uid, with or
    without XDG_CACHE_HOME. (In-process: the interpreter here is not readable by another uid.)"""
    import pwd

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("LYCLI_CACHE_DIR", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    if xdg == "set":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    else:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    result = run_cli("areas", "--json", "--data", str(FIXTURE))
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["areas"]
    assert (tmp_path / "xdg" / "lycli").is_dir() == (xdg == "set")
    assert not (tmp_path / "~").exists()  # no cache in a directory literally named ~
    tilde = run_cli("areas", "--json", "--data", "~/kb")
    assert tilde.code == 2 and "Traceback" not in tilde.stderr


def test_f11_a_nesting_bomb_is_a_located_problem(kb: Path, tmp_path: Path) -> None:
    (kb / "bomb.toml").write_text("x = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    result = lycli(["validate", "--json"], kb, tmp_path / "c")
    assert result.returncode == 3, result.stderr
    problems = json.loads(result.stdout)["problems"]
    assert any(p["file"] == "bomb.toml" and "nesting" in p["message"] for p in problems)
    one_line_error(lycli(["areas", "--json"], kb, tmp_path / "c"), 3)


@pytest.mark.parametrize("what", ["/dev/zero", "fifo"])
def test_f12_a_source_that_is_no_regular_file_is_refused_at_once(kb: Path, tmp_path: Path, what: str) -> None:
    source = kb / "articles" / "fixture-2024" / "source.txt"
    source.unlink()
    if what == "fifo":
        os.mkfifo(source)
    else:
        source.symlink_to(what)
    started = time.monotonic()
    result = lycli(["areas", "--json"], kb, tmp_path / "c")
    assert time.monotonic() - started < 60
    one_line_error(result, 3)
    assert "not a regular file" in result.stderr or "leads outside the knowledge base" in result.stderr


def test_f14_a_closed_stdout_is_exit_4(tmp_path: Path) -> None:
    env = subprocess_env(tmp_path / "c", FIXTURE)
    command = f'"{sys.executable}" -m liaoyuan_cli areas --json >&-'
    result = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 4, result.stderr
    assert result.stderr.startswith("lycli: error: cannot write") and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["schema", "targets"], ["--version"], ["--help"], ["targets", "--help"]])
def test_f15_help_version_and_schema_into_a_full_disk_are_exit_4(args: list[str], tmp_path: Path) -> None:
    env = subprocess_env(tmp_path / "c", FIXTURE)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "liaoyuan_cli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    assert result.returncode == 4, result.stderr
    assert result.stderr == "lycli: error: cannot write: No space left on device\n"


@pytest.mark.parametrize("args", [["schema", "targets"], ["--version"], ["--help"]])
def test_f15_help_version_and_schema_into_a_closed_pipe_are_exit_0(args: list[str], tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "liaoyuan_cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=subprocess_env(tmp_path / "c", FIXTURE),
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""


@pytest.mark.slow
def test_f17_sigterm_during_a_cold_build_leaves_no_temporary_file(tmp_path: Path) -> None:
    big = tmp_path / "big"
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).parents[1] / "benchmarks" / "make_kb.py"),
            "--scale",
            "30",
            "--out",
            str(big),
        ],
        check=True,
        capture_output=True,
    )
    cache = tmp_path / "cache"
    env = subprocess_env(cache, big)
    proc = subprocess.Popen(
        [sys.executable, "-m", "liaoyuan_cli", "areas", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(cache.glob(".kb-*.tmp")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert not list(cache.glob(".kb-*")), list(cache.iterdir())


def test_f17_a_killed_builds_leftovers_are_swept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    old = cache / ".kb-abandoned.tmp"
    old.write_bytes(b"half a cache")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    young = cache / ".kb-running.tmp"
    young.write_bytes(b"another run's build")
    assert lycli(["areas", "--json"], FIXTURE, cache).returncode == 0
    assert not old.exists() and young.exists()


def test_f19_svg_into_a_directory_is_exit_4_and_empty_is_exit_2(tmp_path: Path) -> None:
    into_dir = run_cli("areas", "--svg", str(tmp_path), "--data", str(DATA))
    assert into_dir.code == 4 and "is a directory" in into_dir.stderr
    empty = run_cli("areas", "--svg", "", "--data", str(DATA))
    assert empty.code == 2 and "--svg is empty" in empty.stderr
    both = run_cli("areas", "--html", "", "--data", str(DATA))
    assert both.code == 2
