"""`lycli export` against a hostile machine and a hostile knowledge base (red-team findings F2,
F12–F16): it never writes through a planted symlink, never replaces what appeared at the path
while it ran, never replaces a device, FIFO, socket or symlink, leaves nothing behind when
terminated, never embeds a file from outside the knowledge base, and never crashes on a number
SQLite's INTEGER cannot hold. Races are made deterministic by hooking a step of the export (rows,
fill, _write_csv, the final rename), not by racing the clock.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import export
from liaoyuan_cli import place as placing
from liaoyuan_cli.errors import CannotWrite, InvalidKnowledgeBase, UsageError
from tests.conftest import FIXTURE, run_cli, subprocess_env

SOURCE = "articles/fixture-2024/source.txt"


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """An empty directory to export into, so that anything left beside the target shows."""
    path = tmp_path / "place"
    path.mkdir()
    return path


@pytest.fixture
def noreplace() -> str:
    """Placement never replaces in one portable way (link for a file, a claimed name for a
    directory): no renameat2 through ctypes."""
    return "portable"


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for one test and put the previous one back."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_umask(mask: int) -> None:
        os.umask(mask)

    yield set_umask
    os.umask(saved)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def _during_build(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> list[bool]:
    """Run `action` once while the export is being made: after the path was checked, before it is
    placed (rows() is the export's first step after the check)."""
    fired: list[bool] = []
    original = export.rows

    def rows(*args: Any, **kwargs: Any) -> Any:
        if not fired:
            fired.append(True)
            action()
        return original(*args, **kwargs)

    monkeypatch.setattr(export, "rows", rows)
    return fired


def _is_export(path: Path, fmt: str) -> bool:
    if fmt == "sqlite":
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(conn.execute("PRAGMA integrity_check").fetchone() == ("ok",))
        finally:
            conn.close()
    return placing.is_previous_csv_export(path)


def _copy_kb(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "kb"))


# -- F13: umask 000 and symlinks planted in the temporary directory ---------------------------


def test_f13_csv_is_built_in_a_private_directory_and_never_writes_through_a_planted_symlink(
    place: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask: Callable[[int], None]
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("root's file", encoding="utf-8")
    victim2 = tmp_path / "victim2"
    seen: list[int] = []
    original = export._write_csv

    def planted(directory: Path, conn: sqlite3.Connection) -> Any:
        # What umask_attacker.py does as another user the moment the directory appears.
        seen.append(stat.S_IMODE(os.lstat(directory).st_mode))
        (directory / "terms.csv").symlink_to(victim)
        (directory / export.PACKAGE).symlink_to(victim2)
        return original(directory, conn)

    monkeypatch.setattr(export, "_write_csv", planted)
    umask(0o000)
    with pytest.raises(CannotWrite):
        export.export(FIXTURE, str(place / "out"), "csv", False)
    assert seen == [0o700], "the temporary directory must be private whatever the umask"
    assert victim.read_text(encoding="utf-8") == "root's file"
    assert not victim2.exists() and not victim2.is_symlink()
    assert sorted(p.name for p in place.iterdir()) == []


@pytest.mark.parametrize("mask", [0o000, 0o027])
def test_f13_files_stay_private_while_written_and_get_the_umasks_permissions_at_the_end(
    place: Path, monkeypatch: pytest.MonkeyPatch, umask: Callable[[int], None], mask: int
) -> None:
    modes: list[int] = []
    original = export.fill

    def fill(*args: Any, **kwargs: Any) -> None:
        modes.extend(stat.S_IMODE(p.lstat().st_mode) for p in place.glob(".kb.db.*.tmp"))
        original(*args, **kwargs)

    monkeypatch.setattr(export, "fill", fill)
    umask(mask)
    export.export(FIXTURE, str(place / "kb.db"), "sqlite", False)
    export.export(FIXTURE, str(place / "kb"), "csv", False)
    assert modes == [0o700], "the database is built inside a private directory, whatever the umask"
    assert stat.S_IMODE((place / "kb.db").stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE((place / "kb").stat().st_mode) == 0o777 & ~mask
    for file in (place / "kb").iterdir():
        assert stat.S_IMODE(file.lstat().st_mode) == 0o666 & ~mask, file.name
    assert _is_export(place / "kb.db", "sqlite") and _is_export(place / "kb", "csv")
    assert _leftovers(place) == []


# -- F14: what appears at the path while the export runs -------------------------------------


def test_f14_a_file_that_appears_during_an_export_is_kept_without_force(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str
) -> None:
    target = place / "r.db"
    fired = _during_build(monkeypatch, lambda: target.write_text("my notes", encoding="utf-8"))
    with pytest.raises(UsageError, match="already exists"):
        export.export(FIXTURE, str(target), "sqlite", False)
    assert fired
    assert target.read_text(encoding="utf-8") == "my notes"
    assert _leftovers(place) == []


@pytest.mark.parametrize("content", ["a file", "nothing"])
def test_f14_a_directory_that_appears_during_a_csv_export_is_kept_without_force(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str, content: str
) -> None:
    """Even an empty one: Linux lets rename() replace an empty directory, RENAME_NOREPLACE does not."""
    target = place / "rd"

    def appear() -> None:
        target.mkdir()
        if content == "a file":
            (target / "thesis.txt").write_text("thesis", encoding="utf-8")

    _during_build(monkeypatch, appear)
    with pytest.raises(UsageError, match="already exists"):
        export.export(FIXTURE, str(target), "csv", False)
    expected = ["thesis.txt"] if content == "a file" else []
    assert sorted(p.name for p in target.iterdir()) == expected
    assert _leftovers(place) == []


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
def test_f14_of_two_exports_to_one_path_the_second_to_finish_fails_and_deletes_nothing(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str, fmt: str
) -> None:
    target = place / "same"
    placed: list[int] = []

    def another_export() -> None:
        # The first export has checked the path; a second one runs whole while the first is built.
        export.export(FIXTURE, str(target), fmt, False)
        placed.append(target.stat().st_ino)

    _during_build(monkeypatch, another_export)
    with pytest.raises(UsageError, match="already exists"):
        export.export(FIXTURE, str(target), fmt, False)
    assert placed and target.stat().st_ino == placed[0], "the second export's result stands"
    assert _is_export(target, fmt)
    assert _leftovers(place) == []


def test_f14_an_empty_directory_given_as_the_path_is_still_used_without_force(
    place: Path, noreplace: str
) -> None:
    target = place / "empty"
    target.mkdir()
    export.export(FIXTURE, str(target), "csv", False)
    assert _is_export(target, "csv") and _leftovers(place) == []


def test_f14_force_rechecks_that_the_directory_is_still_a_previous_export(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str
) -> None:
    target = place / "kb"
    export.export(FIXTURE, str(target), "csv", False)
    previous = sorted(p.name for p in target.iterdir())
    _during_build(monkeypatch, lambda: (target / "thesis.txt").write_text("thesis", encoding="utf-8"))
    with pytest.raises(UsageError, match="other than a lycli CSV export"):
        export.export(FIXTURE, str(target), "csv", True)
    assert sorted(p.name for p in target.iterdir()) == sorted([*previous, "thesis.txt"])
    assert (target / "thesis.txt").read_text(encoding="utf-8") == "thesis"
    assert _leftovers(place) == []


def test_f14_force_puts_back_a_directory_that_changed_between_the_check_and_the_move(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str
) -> None:
    target = place / "kb"
    export.export(FIXTURE, str(target), "csv", False)
    built = _during_build(monkeypatch, lambda: None)
    slipped: list[bool] = []
    original = placing.is_previous_csv_export

    def check(directory: Path) -> bool:
        answer = original(directory)
        if built and not slipped and directory == target:
            # A file written the moment after the placement-time check said "a previous export".
            slipped.append(True)
            (target / "thesis.txt").write_text("thesis", encoding="utf-8")
        return answer

    monkeypatch.setattr(placing, "is_previous_csv_export", check)
    with pytest.raises(UsageError, match="other than a lycli CSV export"):
        export.export(FIXTURE, str(target), "csv", True)
    assert slipped, "the placement must check the directory again"
    assert (target / "thesis.txt").read_text(encoding="utf-8") == "thesis"
    assert (target / export.PACKAGE).is_file()
    assert _leftovers(place) == []


def test_f14_sqlite_with_force_refuses_a_directory_that_appeared(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str
) -> None:
    target = place / "kb.db"

    def appear() -> None:
        target.mkdir()
        (target / "thesis.txt").write_text("thesis", encoding="utf-8")

    _during_build(monkeypatch, appear)
    with pytest.raises(UsageError, match="is a directory"):
        export.export(FIXTURE, str(target), "sqlite", True)
    assert (target / "thesis.txt").read_text(encoding="utf-8") == "thesis"
    assert _leftovers(place) == []


def test_f14_force_replaces_a_file_and_a_previous_export_that_appeared(
    place: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str
) -> None:
    """What --force is for still works when the thing to replace turns up late."""
    db = place / "kb.db"
    _during_build(monkeypatch, lambda: db.write_text("old", encoding="utf-8"))
    export.export(FIXTURE, str(db), "sqlite", True)
    assert _is_export(db, "sqlite")
    elsewhere = tmp_path / "elsewhere"
    export.export(FIXTURE, str(elsewhere), "csv", False)
    directory = place / "kb"
    _during_build(monkeypatch, lambda: elsewhere.rename(directory))
    export.export(FIXTURE, str(directory), "csv", True)
    assert _is_export(directory, "csv") and not elsewhere.exists()
    assert _leftovers(place) == []


_RACER = """
import sys, time
from pathlib import Path
from liaoyuan_cli import export
from liaoyuan_cli.launch import main

barrier, n, me = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
original = export.rows

def rows(*args, **kwargs):
    # Every racer has passed the up-front check before any of them goes on.
    (barrier / me).touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.iterdir())) < n and time.monotonic() < deadline:
        time.sleep(0.01)
    return original(*args, **kwargs)

export.rows = rows
main(sys.argv[4:])
"""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
def test_f14_parallel_exports_to_one_path_one_succeeds_the_others_exit_2(
    place: Path, tmp_path: Path, fmt: str
) -> None:
    n = 4
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    target = place / "same"
    env = subprocess_env(tmp_path / "cache")
    command = ["export", str(target), "--format", fmt, "--data", str(FIXTURE)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(barrier), str(n), str(i), *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(n)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0] + [2] * (n - 1), results
    assert all("already exists" in err for code, err in results if code == 2), results
    assert _is_export(target, fmt)
    assert _leftovers(place) == []


# -- F15: SIGTERM and what a killed run left ------------------------------------------------

_TERMINATED = """
import os, signal, sys
from pathlib import Path
from liaoyuan_cli import export

kb, target, fmt, step = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
original = getattr(export, step)

def terminated(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)
    return original(*args, **kwargs)

setattr(export, step, terminated)
export.export(kb, target, fmt, False)
print("not terminated")
"""


@pytest.mark.parametrize(("fmt", "step"), [("sqlite", "fill"), ("csv", "_write_csv")])
def test_f15_sigterm_during_an_export_leaves_nothing_behind(
    place: Path, tmp_path: Path, fmt: str, step: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _TERMINATED, str(FIXTURE), str(place / "out"), fmt, step],
        env=subprocess_env(tmp_path / "cache"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 128 + signal.SIGTERM, result
    assert "not terminated" not in result.stdout
    assert sorted(p.name for p in place.iterdir()) == []


def test_f15_the_sigterm_handler_is_there_while_exporting_and_the_previous_one_comes_back(
    place: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    original = export.fill

    def fill(*args: Any, **kwargs: Any) -> None:
        seen.append(signal.getsignal(signal.SIGTERM))
        original(*args, **kwargs)

    monkeypatch.setattr(export, "fill", fill)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    export.export(FIXTURE, str(place / "kb.db"), "sqlite", False)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    assert seen and callable(seen[0]), "SIGTERM must end the export through its cleanup"

    def mine(signum: int, frame: object) -> None:
        """An embedding program's own handler: lycli leaves it alone."""

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        export.export(FIXTURE, str(place / "kb2.db"), "sqlite", False)
        assert seen[-1] is mine and signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_f15_an_interruption_while_placing_waits_for_the_placement(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str, sent: signal.Signals
) -> None:
    """Interrupted mid-placement, a forced CSV export must not leave the previous export moved aside
    and the new one removed: the interruption takes effect once the new export stands."""
    if sent == signal.SIGINT and signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("Ctrl-C is handled by someone else here")
    target = place / "kb"
    export.export(FIXTURE, str(target), "csv", False)
    original = placing.rename_noreplace

    def rename(*args: Any, **kwargs: Any) -> None:
        assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL, "would kill the test run"
        os.kill(os.getpid(), sent)
        time.sleep(0.05)  # let a signal delivered to another thread reach the main one
        original(*args, **kwargs)

    monkeypatch.setattr(placing, "rename_noreplace", rename)
    expected = KeyboardInterrupt if sent == signal.SIGINT else SystemExit
    with pytest.raises(expected) as stopped:
        export.export(FIXTURE, str(target), "csv", True)
    if sent == signal.SIGTERM:
        assert isinstance(stopped.value, SystemExit) and stopped.value.code == 128 + signal.SIGTERM
    assert _is_export(target, "csv")
    assert _leftovers(place) == []


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_f15_a_killed_runs_temporaries_are_swept_when_exporting_to_the_same_place(place: Path) -> None:
    stale_file = place / ".kb.db.deadbeef.tmp"
    stale_file.write_bytes(b"half a database")
    journal = place / ".kb.db.0badf00d.tmp-journal"
    journal.write_bytes(b"journal")
    stale_dir = place / ".kb.12345678.tmp"
    stale_dir.mkdir()
    (stale_dir / "terms.csv").write_text("half", encoding="utf-8")
    for path in (stale_file, journal, stale_dir):
        _age(path, 7200)
    running = place / ".kb.db.cafebabe.tmp"  # another run's, still young
    running.write_bytes(b"being written")
    other = place / ".other.db.deadbeef.tmp"  # another target's
    other.write_bytes(b"not ours to judge")
    mine = place / ".kb.db.notes.tmp"  # not a name lycli makes
    mine.write_bytes(b"mine")
    for path in (other, mine):
        _age(path, 7200)
    export.export(FIXTURE, str(place / "kb.db"), "sqlite", False)
    export.export(FIXTURE, str(place / "kb"), "csv", False)
    assert _leftovers(place) == sorted(p.name for p in (running, other, mine))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_f15_the_sweep_leaves_another_users_temporaries(place: Path) -> None:
    theirs = place / ".kb.db.deadbeef.tmp"
    theirs.write_bytes(b"another user's")
    os.chown(theirs, 12345, 12345)
    _age(theirs, 7200)
    export.export(FIXTURE, str(place / "kb.db"), "sqlite", False)
    assert theirs.exists()


# -- F12: a source file reached through a symlink out of the knowledge base -----------------


def test_f12_a_source_symlinked_out_of_the_knowledge_base_is_not_embedded(
    tmp_path: Path, place: Path
) -> None:
    base = _copy_kb(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text((base / SOURCE).read_text(encoding="utf-8") + "\nSECRET-LINE\n", encoding="utf-8")
    (base / SOURCE).unlink()
    (base / SOURCE).symlink_to(outside)
    with pytest.raises(InvalidKnowledgeBase):
        export.export(base, str(place / "kb.db"), "sqlite", False)
    assert sorted(p.name for p in place.iterdir()) == []


def _refused(base: Path, name: str) -> str:
    with pytest.raises(InvalidKnowledgeBase) as refused:
        export._source_text(base, name)
    return " ".join(str(p) for p in refused.value.problems)


def test_f12_the_source_reader_stays_inside_the_knowledge_base(tmp_path: Path) -> None:
    base = _copy_kb(tmp_path)
    text = (base / SOURCE).read_text(encoding="utf-8")
    (tmp_path / "outside.txt").write_text("SECRET-LINE", encoding="utf-8")
    (base / "leak.txt").symlink_to(tmp_path / "outside.txt")
    assert "outside the knowledge base" in _refused(base, "leak.txt")
    (base / "up.txt").symlink_to("../outside.txt")
    assert "outside the knowledge base" in _refused(base, "up.txt")
    (base / "fifo").mkdir()
    os.mkfifo(base / "fifo" / "pipe.txt")
    assert "not a regular file" in _refused(base, "fifo/pipe.txt")
    # A knowledge base reached through a symlink, and a link that stays inside it, are fine.
    (tmp_path / "link").symlink_to(base)
    assert export._source_text(tmp_path / "link", SOURCE) == text
    (base / "same.txt").symlink_to(SOURCE)
    assert export._source_text(base, "same.txt") == text


# -- F2: numbers beyond SQLite's INTEGER --------------------------------------------------


def test_f2_fill_stores_values_beyond_sqlite_integer_as_real() -> None:
    from liaoyuan_cli.store import open_store

    data = list(export.rows(open_store(str(FIXTURE)).conn, FIXTURE))
    figure = next(row for table, row in data if table == "figures" and row["base_value"] is not None)
    figure.update(value=10**20, base_value=10**28, threshold_value=10**400, threshold_base_value=-(10**400))
    conn = sqlite3.connect(":memory:")
    try:
        export.fill(conn, data)
        got = conn.execute(
            "SELECT typeof(value), value, typeof(base_value), base_value, threshold_value, "
            "threshold_base_value FROM figures WHERE id = ?",
            (figure["id"],),
        ).fetchone()
    finally:
        conn.close()
    assert got == ("real", 1e20, "real", 1e28, float("inf"), float("-inf"))


def test_f2_csv_writes_large_numbers_without_made_up_digits() -> None:
    column = export.TABLES[0].columns[0]
    assert export._cell(column, 7200000000.0) == "7200000000"
    assert export._cell(column, 1e28) == "1e+28" and float(export._cell(column, 1e28)) == 1e28
    assert export._cell(column, 2.5) == "2.5"
    assert export._cell(column, float("inf")) == "INF" and export._cell(column, float("-inf")) == "-INF"
    assert export._cell(column, float("nan")) == "NaN"


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
def test_f2_a_figure_beyond_sqlite_integer_in_yuan_exports_or_is_refused_but_never_crashes(
    tmp_path: Path, place: Path, fmt: str
) -> None:
    base = _copy_kb(tmp_path)
    # 10**11 亿元 is 10**19 yuan: a float holds it, SQLite's INTEGER (to 2**63 - 1) does not.
    n = "100000000000"
    quote = f"全区测试产值完成{n}亿元"
    with open(base / SOURCE, "a", encoding="utf-8") as handle:
        handle.write(f"\n{quote}\n")
    record = f"""
        [[records]]
        id = "gaoxin-2023-huge"
        section = "fixture-2024-gaoxin"
        area = "gaoxin"
        kind = "result"
        category = "economy"
        year = 2023
        zh = "测试记录。"
        en = "Test record."
        quote = "{quote}"
        voice = "narration"

        [[records.figures]]
        metric = "gdp"
        value = {n}
        unit = "亿元"
        year = 2023
        role = "result"
        stated = "测试产值完成{n}亿元"
        """
    with open(base / "articles/fixture-2024/records/gaoxin.toml", "a", encoding="utf-8") as handle:
        handle.write(textwrap.dedent(record))
    target = place / "out"
    try:
        export.export(base, str(target), fmt, False)
    except InvalidKnowledgeBase:  # a validation that bounds values refuses it: also fine
        assert sorted(p.name for p in place.iterdir()) == []
        return
    if fmt == "sqlite":
        conn = sqlite3.connect(target)
        got = conn.execute(
            "SELECT f.value, f.base_value FROM figures f WHERE f.record = 'gaoxin-2023-huge'"
        ).fetchone()
        conn.close()
        assert got == (1e11, 1e19)
    else:
        lines = (target / "figures.csv").read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        row = next(line.split(",") for line in lines if ",gaoxin-2023-huge," in line)
        assert row[header.index("base_value")] == "1e+19"
        assert json.loads((target / export.PACKAGE).read_text(encoding="utf-8"))["x-lycli"]


# -- F16: what --force never replaces: devices, FIFOs, sockets, symlinks ----------------------

SPECIAL_KINDS = ["fifo", "symlink", "dangling symlink", "symlink to an export", "character device"]
SPECIAL_KINDS += ["block device", "socket"]
WHAT = {
    "fifo": "a FIFO",
    "character device": "a character device",
    "block device": "a block device",
    "socket": "a socket",
}


def _make_special(kind: str, path: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Put a `kind` at path (skipping the test where this machine or user cannot), and say what
    the export must call it. A device node is only made, never opened: it is /dev/null's (1, 3)."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        elsewhere.write_text("the file the link leads to", encoding="utf-8")
        path.symlink_to(elsewhere)
    elif kind == "dangling symlink":
        path.symlink_to(elsewhere / "nowhere")
    elif kind == "symlink to an export":
        export.export(FIXTURE, str(elsewhere), "csv", False)
        path.symlink_to(elsewhere, target_is_directory=True)
    elif kind in ("character device", "block device"):
        node = stat.S_IFCHR if kind == "character device" else stat.S_IFBLK
        try:
            os.mknod(path, node | 0o600, os.makedev(1, 3) if node == stat.S_IFCHR else os.makedev(7, 0))
        except (OSError, AttributeError) as exc:  # not root, a container without mknod, not POSIX
            pytest.skip(f"cannot make a device node here: {exc}")
    else:
        import socket

        monkeypatch.chdir(path.parent)  # a relative name: AF_UNIX paths are short
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(path.name)
        except OSError as exc:
            pytest.skip(f"cannot make a socket here: {exc}")
        finally:
            server.close()
    return WHAT.get(kind, "a symlink")


def _identity(path: Path) -> tuple[int, int, int, int, str]:
    st = os.lstat(path)
    link = os.readlink(path) if stat.S_ISLNK(st.st_mode) else ""
    return st.st_ino, st.st_mode, st.st_rdev, st.st_size, link


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
@pytest.mark.parametrize("kind", SPECIAL_KINDS)
def test_f16_an_export_never_replaces_a_device_fifo_socket_or_symlink(
    place: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, fmt: str, force: bool
) -> None:
    """`lycli export nd --force` replaced a device node with the export (and a FIFO with a CSV
    directory): as root, `lycli export /dev/null --force` would have replaced /dev/null."""
    target = place / "nd"
    what = _make_special(kind, target, tmp_path / "elsewhere", monkeypatch)
    before = _identity(target)
    with pytest.raises(UsageError) as refused:
        export.export(FIXTURE, str(target), fmt, force)
    assert refused.value.message == f"{target} is {what}, not a file lycli can replace"
    assert refused.value.hint is None, "--force must not be suggested: it would not help"
    assert _identity(target) == before
    assert sorted(p.name for p in place.iterdir()) == ["nd"]


@pytest.mark.parametrize("fmt", ["sqlite", "csv"])
@pytest.mark.parametrize("kind", ["fifo", "symlink", "character device"])
def test_f16_one_that_appears_while_the_export_runs_is_kept_even_with_force(
    place: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    noreplace: str,
    kind: str,
    fmt: str,
) -> None:
    target = place / "nd"
    made: list[str] = []
    fired = _during_build(
        monkeypatch, lambda: made.append(_make_special(kind, target, tmp_path / "elsewhere", monkeypatch))
    )
    with pytest.raises(UsageError, match="not a file lycli can replace"):
        export.export(FIXTURE, str(target), fmt, True)
    assert fired and made
    assert not stat.S_ISREG(os.lstat(target).st_mode) and not stat.S_ISDIR(os.lstat(target).st_mode)
    assert _leftovers(place) == []


def test_a_csv_export_never_replaces_a_file_even_with_force(place: Path) -> None:
    """--force replaces an export by one of its kind: a SQLite file stays a file."""
    target = place / "kb.db"
    export.export(FIXTURE, str(target), "sqlite", False)
    before = target.read_bytes()
    with pytest.raises(UsageError, match="is a file"):
        export.export(FIXTURE, str(target), "csv", True)
    assert target.read_bytes() == before
    assert _leftovers(place) == []


def test_f16_a_fifo_swapped_in_just_before_the_previous_export_is_moved_aside_is_put_back(
    place: Path, monkeypatch: pytest.MonkeyPatch, noreplace: str
) -> None:
    """What is moved aside is what is deleted, so it is judged again once moved."""
    target = place / "kb"
    export.export(FIXTURE, str(target), "csv", False)
    original = placing.aside

    def swapped(path: Path) -> Path:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        os.mkfifo(path)
        return original(path)

    monkeypatch.setattr(placing, "aside", swapped)
    with pytest.raises(UsageError, match="is a FIFO, not a file lycli can replace"):
        export.export(FIXTURE, str(target), "csv", True)
    assert stat.S_ISFIFO(os.lstat(target).st_mode), "put back where it was"
    assert _leftovers(place) == []


@pytest.mark.parametrize("args", [(), ("--force",), ("--force", "--format", "csv")])
def test_f16_the_command_says_what_the_path_is_in_one_line_and_exits_2(
    place: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    null = place / "null"
    what = _make_special("character device", null, place / "unused", monkeypatch)
    run = run_cli("export", str(null), *args, "--data", str(FIXTURE))
    assert run.code == 2 and run.stdout == ""
    assert run.stderr == f"lycli: error: {null} is {what}, not a file lycli can replace\n"
    assert stat.S_ISCHR(os.lstat(null).st_mode)
