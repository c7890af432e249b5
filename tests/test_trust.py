"""Issue 25, what a red team found: each test reproduces a finding as it was reported (and fails
on the behaviour before its fix), so that it cannot come back.

1. A path is a path, and a user's text is text, wherever something parses it (a URI, FTS5, a
   date, TOML, a file name given twice).
2, 9. Ctrl-C and SIGTERM at any line of a run: exit 130 or 143, no traceback, no temporary file.
5. Paths given as bytes that are not UTF-8 are used as those bytes; messages show them decoded.
7. The Python API raises UsageError or NotFound for any misuse, never another exception.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import api
from liaoyuan_cli.errors import ExitCode, NotFound, UsageError

from .conftest import FIXTURE, ROOT, copy_kb, fixture_cli, run_cli, subprocess_env


def lycli(
    args: list[str | bytes], cache: Path, cwd: Path | None = None, **env: str | bytes | None
) -> subprocess.CompletedProcess[bytes]:
    """lycli in a subprocess; arguments and environment may be bytes, as a shell passes them
    (a variable given as None is unset)."""
    environment: dict[str, str | bytes | None] = dict(subprocess_env(cache, COLUMNS="100", NO_COLOR="1"))
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        env={os.fsencode(k): os.fsencode(v) for k, v in environment.items() if v is not None},
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


def one_line(result: subprocess.CompletedProcess[bytes], code: int) -> str:
    """The one error line of a failed run, as the terminal shows it."""
    err = result.stderr.decode("utf-8")  # strict: what lycli writes to stderr is UTF-8
    assert result.returncode == code, (result.returncode, err)
    assert "Traceback" not in err and err.startswith("lycli: error: ") and err.count("\n") == 1, err
    return err


# -- 1. a path is a path: the cache directory, wherever it comes from ----------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("variable", "name"),
    [
        ("XDG_CACHE_HOME", b"cache#1?mode=rw"),
        ("XDG_CACHE_HOME", b"caf\xe9%41"),
        ("HOME", b"home#?%"),
        ("LYCLI_CACHE_DIR", b"dir#1?mode=rw"),
    ],
)
def test_a_cache_under_xdg_cache_home_or_home_is_where_they_say(
    tmp_path: Path, variable: str, name: bytes
) -> None:
    """`XDG_CACHE_HOME="$HOME/cache#1" lycli targets gaoxin --json` printed a traceback and left an
    empty file beside the cache directory: '#', '?', '%' and bytes that are not UTF-8 in
    XDG_CACHE_HOME, HOME or LYCLI_CACHE_DIR are part of the path."""
    base = os.fsencode(tmp_path) + b"/" + name
    env: dict[str, str | bytes | None] = {"LYCLI_DATA": str(FIXTURE), "LYCLI_CACHE_DIR": None}
    env["XDG_CACHE_HOME"] = None
    env[variable] = base
    runs = []
    for _ in range(2):
        result = lycli(["targets", "gaoxin", "--json"], tmp_path / "unused", **env)
        assert result.returncode == 0 and result.stderr == b"", result.stderr.decode(errors="replace")
        runs.append(json.loads(result.stdout))
    assert runs[0] == runs[1] and runs[0]["records"]
    cache = {"HOME": base + b"/.cache/lycli", "XDG_CACHE_HOME": base + b"/lycli"}.get(variable, base)
    assert any(n.endswith(b".sqlite") for n in os.listdir(cache))
    assert sorted(os.listdir(tmp_path)) == sorted([os.fsdecode(name)])  # nothing beside it


def test_a_path_that_starts_with_two_slashes_names_no_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As an SQLite URI, file://tmp/x reads `tmp` as a host name ("invalid uri authority"): an
    export to //tmp/x.db failed, and a cache under //… was built anew on every run."""
    from liaoyuan_cli import store

    monkeypatch.setenv("LYCLI_CACHE_DIR", "//" + str(tmp_path / "cache").lstrip("/"))
    store.open_store(str(FIXTURE))
    assert store.open_cached(str(FIXTURE)) is not None, "the cache under //… is not used"
    target = "//" + str(tmp_path / "kb.db").lstrip("/")
    assert fixture_cli("export", target).code == 0
    with sqlite3.connect(tmp_path / "kb.db") as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone()[0] > 0


# -- 1. dates are read in ASCII digits, as years are ----------------------------------------------


@pytest.mark.parametrize("date", ["２０００-０１-０１", "２０００", "١٩٩٩"])
def test_as_of_takes_ascii_digits_only(date: str) -> None:
    """`--as-of ２０００-０１-０１` (full-width digits) was compared as text with the articles' dates,
    and answered from every article, where --as-of 2000-01-01 answers from none."""
    assert fixture_cli("records", "--as-of", "2000-01-01", "--json").json()["articles"] == []
    result = fixture_cli("records", "--as-of", date, "--json")
    assert result.code == ExitCode.USAGE and "is not a date" in result.stderr, result
    assert fixture_cli("records", "--year", date).code == ExitCode.USAGE  # as --year reads a year


def test_a_date_in_the_knowledge_base_is_ascii_digits(tmp_path: Path) -> None:
    """A date written in full-width digits passed the schema, and was then compared as text:
    seven assessments were said to rest on evidence "after as_of 2025-01". It is a problem at the
    date's line, as 2025-13 is (what rests on the article's date is reported after it, alike)."""
    reports = []
    for date in ("２０２５-０１", "2025-13"):
        kb = copy_kb(tmp_path / date, FIXTURE)
        article = kb / "articles" / "fixture-2025" / "article.toml"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace('iso = "2025-01"', f'iso = "{date}"', 1), encoding="utf-8")
        reports.append(api.validate(kb)["problems"])
    fullwidth, impossible = reports
    assert [(p["file"], p["line"]) for p in fullwidth] == [(p["file"], p["line"]) for p in impossible]
    assert any(p["line"] == 17 and p["message"].startswith("date.iso: should be a date") for p in fullwidth)
    assert not any("２０２５" in p["message"] for p in fullwidth)


# -- 1. text given to a parser: TOML, FTS5, HTML, SVG -----------------------------------------------


def test_the_drafter_writes_toml_that_reads_back() -> None:
    """JSON's escapes are TOML's but for DEL (U+007F), which JSON leaves raw and TOML forbids:
    a page holding one was drafted into a file that no TOML reader (lycli's included) reads."""
    from liaoyuan_cli.draft import draft_files

    page = (FIXTURE / "articles" / "fixture-2025" / "source.txt").read_text(encoding="utf-8")
    files = draft_files(page.replace("。", "。\x7f", 3), "fixture-2026", "2026-01", api.load(FIXTURE))
    assert any("\\u007f" in content for content in files.values())
    for name, content in files.items():
        tomllib.loads(content)  # raises on the file that cannot be read back
        assert "\x7f" not in content, name


@pytest.mark.parametrize(
    "query", ['天"楹', '"天楹" OR "项目"', "NEAR(天楹 项目)", "天楹*", "{zh}: 天楹", "tianying OR x", "^天楹"]
)
def test_a_search_is_text_never_fts5_syntax(query: str) -> None:
    """The n-grams of a query are FTS5 strings: quotes, OR, NEAR, *, ^ and column filters in it
    are characters to look for (here dropped by folding), never a query of their own."""
    result = fixture_cli("search", query, "--json")
    assert result.code == 0 and "Traceback" not in result.stderr, result
    answer = result.json()
    assert answer["query"] == query
    plain = "".join(ch for ch in answer["searched"] if ch.isalnum())
    assert answer["searched"] == plain or answer["total"] == 0


def test_publication_text_stays_text_in_html_svg_and_charts(tmp_path: Path) -> None:
    """--publication is written into the source line of --html, --svg and --chart: markup in it
    is shown, never parsed, and an SVG stays well-formed XML (no control character in it)."""
    import xml.etree.ElementTree as ET

    evil = '"><script>alert(1)</script>]]><!-- & \x01\x1b[31m \ufffe {{x}} %s'
    html, svg, chart = tmp_path / "t.html", tmp_path / "t.svg", tmp_path / "c.svg"
    assert fixture_cli("areas", "--html", str(html), "--svg", str(svg), "--publication", evil).code == 0
    assert fixture_cli("compare", "growth", "--chart", str(chart), "--publication", evil).code == 0
    page = html.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for drawn in (svg, chart):
        root = ET.parse(drawn).getroot()  # raises on anything that is not well-formed
        assert "<script>alert(1)</script>" in "".join(root.itertext())


# -- 1 and 3. saved files: one file per option, all checked before any is written --------------------


def test_two_options_naming_one_file_are_refused_before_either_is_written(tmp_path: Path) -> None:
    """`--html t.html --svg t.html` wrote the page, then refused the image "already exists"; with
    --force the image silently replaced the page."""
    same = tmp_path / "t.html"
    for force in ((), ("--force",)):
        result = fixture_cli("areas", "--html", str(same), "--svg", str(tmp_path / "." / "t.html"), *force)
        assert result.code == ExitCode.USAGE and "name the same file" in result.stderr, result
        assert result.stdout == "" and not same.exists()
    result = fixture_cli("compare", "growth", "--chart", str(same), "--svg", str(same))
    assert result.code == ExitCode.USAGE and not same.exists()
    assert fixture_cli("areas", "--html", os.devnull, "--svg", os.devnull).code == 0  # any number


def test_a_file_that_exists_stops_the_run_before_anything_is_written(tmp_path: Path) -> None:
    """`--html new.html --svg old.svg` wrote new.html, then refused old.svg: a refused run now
    writes nothing at all (and shows no table)."""
    old = tmp_path / "old.svg"
    old.write_text("<svg>mine</svg>", encoding="utf-8")
    new = tmp_path / "new.html"
    result = fixture_cli("areas", "--html", str(new), "--svg", str(old))
    assert result.code == ExitCode.USAGE and "already exists (add --force" in result.stderr
    assert result.stdout == "" and not new.exists() and old.read_text(encoding="utf-8") == "<svg>mine</svg>"


def test_force_replaces_a_chart_as_it_does_a_page(tmp_path: Path) -> None:
    """`--chart c.svg` on an existing file said "add --force to replace it", and with --force:
    "--force replaces an existing --svg or --html file"."""
    chart = tmp_path / "c.svg"
    chart.write_text("<svg>old</svg>", encoding="utf-8")
    refused = fixture_cli("compare", "growth", "--chart", str(chart))
    assert refused.code == ExitCode.USAGE and "add --force" in refused.stderr
    assert fixture_cli("compare", "growth", "--chart", str(chart), "--force").code == 0
    assert "<svg" in chart.read_text(encoding="utf-8") and "old" not in chart.read_text(encoding="utf-8")


# -- 5. paths as the bytes given -----------------------------------------------------------------------


@pytest.mark.slow
def test_export_paths_that_are_not_utf8_are_kept_as_given(tmp_path: Path) -> None:
    """`lycli export $'caf\\xe9.db'` wrote caf\N{REPLACEMENT CHARACTER}.db, and caf\\xe8.db went to the
    same file."""
    for name in (b"caf\xe9.db", b"caf\xe8.db"):
        result = lycli(["export", name, "--data", str(FIXTURE)], tmp_path / "c", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "caf\N{REPLACEMENT CHARACTER}.db" in result.stdout.decode("utf-8")  # shown decoded
    assert sorted(os.listdir(os.fsencode(tmp_path))) == [b"c", b"caf\xe8.db", b"caf\xe9.db"]
    again = lycli(["export", b"caf\xe9.db", "--data", str(FIXTURE)], tmp_path / "c", cwd=tmp_path)
    err = one_line(again, ExitCode.USAGE)
    assert "caf\N{REPLACEMENT CHARACTER}.db already exists" in err and "\\udc" not in err


@pytest.mark.slow
def test_saved_files_that_are_not_utf8_are_kept_as_given(tmp_path: Path) -> None:
    """With --html, two names that differ only in a byte that is not UTF-8 were one file, and the
    second silently replaced the first."""
    data = ["--data", str(FIXTURE)]
    for name in (b"t\xe9.html", b"t\xe8.html"):
        result = lycli(["areas", "--html", name, *data], tmp_path / "c", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    for option, name in (("--svg", b"t\xe9.svg"), ("--chart", b"c\xff.svg")):
        command = ["compare", "growth"] if option == "--chart" else ["areas"]
        assert lycli([*command, option, name, *data], tmp_path / "c", cwd=tmp_path).returncode == 0
    made = sorted(os.listdir(os.fsencode(tmp_path)))
    assert made == [b"c", b"c\xff.svg", b"t\xe8.html", b"t\xe9.html", b"t\xe9.svg"]
    again = lycli(["areas", "--html", b"t\xe9.html", *data], tmp_path / "c", cwd=tmp_path)
    assert "t\N{REPLACEMENT CHARACTER}.html already exists" in one_line(again, ExitCode.USAGE)
    missing = lycli(["areas", "--svg", b"no\xe9/t.svg", *data], tmp_path / "c", cwd=tmp_path)
    assert "cannot write no\N{REPLACEMENT CHARACTER}/t.svg" in one_line(missing, ExitCode.CANNOT_WRITE)


@pytest.mark.slow
def test_a_knowledge_base_whose_name_is_not_utf8_is_found(tmp_path: Path) -> None:
    """`--data $'kb\\xff'` said "not found" though it exists; validate DIR and LYCLI_DATA alike."""
    kb = os.fsencode(tmp_path) + b"/kb\xff"
    copy_kb(Path(os.fsdecode(kb)), FIXTURE)
    answers = [
        lycli(["areas", "--json", "--data", kb], tmp_path / "c"),
        lycli(["areas", "--json"], tmp_path / "c", LYCLI_DATA=kb),
    ]
    for result in answers:
        assert result.returncode == 0, result.stderr
    assert json.loads(answers[0].stdout) == json.loads(answers[1].stdout)
    report = lycli(["validate", kb, "--json"], tmp_path / "c")
    assert report.returncode == 0 and json.loads(report.stdout)["ok"], report.stderr
    shown = lycli(["validate", kb], tmp_path / "c")
    assert "kb\N{REPLACEMENT CHARACTER}: valid" in shown.stdout.decode("utf-8")
    gone = lycli(["areas", "--data", kb + b"x"], tmp_path / "c")
    assert "knowledge base not found: " in one_line(gone, ExitCode.USAGE)
    assert "kb\N{REPLACEMENT CHARACTER}x" in gone.stderr.decode("utf-8")


# -- 7. the Python API: UsageError or NotFound, never another exception ----------------------------


@pytest.fixture(scope="module")
def kb() -> api.Knowledge:
    return api.open(FIXTURE)


MISUSE: dict[str, Callable[[api.Knowledge], object]] = {
    # the issue's own cases
    "show a lone surrogate": lambda kb: kb.show("\ud800"),
    "targets a lone surrogate": lambda kb: kb.targets("\udcff"),
    "records theme surrogate": lambda kb: kb.records(theme="\ud800"),
    "records entity surrogate": lambda kb: kb.records(entity="\udcff"),
    "cite lang fr": lambda kb: kb.cite(["gaoxin-2023-gdp"], lang="fr"),
    "rows of {}": lambda kb: api.rows({}),
    # wrong types
    "targets(5)": lambda kb: kb.targets(5),
    "records(areas=3)": lambda kb: kb.records(areas=3),
    "records(areas=[None])": lambda kb: kb.records(areas=[None]),
    "records(areas=[5])": lambda kb: kb.records(areas=[5]),
    "records(year='abc')": lambda kb: kb.records(year="abc"),
    "records(year=2023.5)": lambda kb: kb.records(year=2023.5),
    "records(year=True)": lambda kb: kb.records(year=True),
    "records(has_figures='yes')": lambda kb: kb.records(has_figures="yes"),
    "targets(drafts='no')": lambda kb: kb.targets("gaoxin", drafts="no"),
    "facet([1, 2])": lambda kb: kb.facet([1, 2]),
    "show(None)": lambda kb: kb.show(None),
    "show(5)": lambda kb: kb.show(5),
    "show(b'id')": lambda kb: kb.show(b"gaoxin-2023-gdp"),
    "search(None)": lambda kb: kb.search(None),
    "search(limit=-1)": lambda kb: kb.search("天楹", limit=-1),
    "targets(as_of=2024)": lambda kb: kb.targets("gaoxin", as_of=2024),
    "cite(publication=5)": lambda kb: kb.cite(["gaoxin-2023-gdp"], publication=5),
    "track(verdict=5)": lambda kb: kb.track(verdict=5),
    "entities(kind='firm')": lambda kb: kb.entities(kind="firm"),
    # wrong calls
    "an unknown keyword": lambda kb: kb.records(colour="red"),
    "an output option": lambda kb: kb.records(fields="id"),
    "too many positionals": lambda kb: kb.show("a", "b", "c", "d"),
    "a value given twice": lambda kb: kb.show("gaoxin-2023-gdp", record_id="x"),
    # results that only look like results, knowledge bases that are no paths
    "rows of a command without its list": lambda kb: api.rows({"command": "records"}),
    "rows of a list that is none": lambda kb: api.rows({"command": "records", "records": 5}),
    "rows of 5": lambda kb: api.rows(5),
    "open('\\ud800')": lambda kb: api.open("\ud800"),
    "open(5)": lambda kb: api.open(5),  # type: ignore[arg-type]
    "validate('\\ud800')": lambda kb: api.validate("\ud800"),
    "load(3.5)": lambda kb: api.load(3.5),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("case", list(MISUSE))
def test_the_api_raises_lycli_errors_for_any_misuse(kb: api.Knowledge, case: str) -> None:
    """kb.show("\\ud800") and the string filters raised UnicodeEncodeError, cite(style=None)
    AssertionError, api.rows({}) KeyError, kb.targets(5) TypeError; docs/python.md promises
    UsageError or NotFound, with a message."""
    with pytest.raises((UsageError, NotFound)) as raised:
        MISUSE[case](kb)
    assert raised.value.message


def test_none_means_the_default_and_a_path_may_be_bytes(kb: api.Knowledge) -> None:
    """None for an option is its default (cite's style, lang): the answer the call without it gives."""
    ids = ["gaoxin-2023-gdp"]
    assert kb.cite(ids, style=None, lang=None) == kb.cite(ids)
    assert api.open(os.fsencode(FIXTURE)).targets("gaoxin") == kb.targets("gaoxin")


# -- 2 and 9: a signal at any line of a run ------------------------------------------------------------

# Runs lycli as `python -m liaoyuan_cli` does, and raises a signal at the AT-th line that lycli's
# own code executes (counted from the first line of __main__.run), where the interpreter could
# notice it (not at the NOP of a `try:`, where no real signal is ever handled); after it, nothing
# is traced. With AT < 0 it only counts, and lists where each function named in WATCH ("file.py:name"
# or "name") first runs a line, and where each line of those marked "*" first runs.
_STOPPED = r"""
import dis, os, signal, sys
at, sent = int(sys.argv[1]), getattr(signal, sys.argv[2])
watch = {w.rstrip("*"): w.endswith("*") for w in sys.argv[3].split(",") if w}
import liaoyuan_cli
package = os.path.dirname(liaoyuan_cli.__file__) + os.sep
NOP = dis.opmap["NOP"]
state = {"on": False, "n": 0, "sent": False}
firsts = {}

def watched(code):
    for name in (os.path.basename(code.co_filename) + ":" + code.co_name, code.co_name):
        if name in watch:
            return watch[name]
    return None

def line(frame, event, arg):
    if state["sent"]:
        return None
    if event != "line":
        return line
    code = frame.f_code
    if at < 0:
        every = watched(code)
        if every is not None:
            key = f"{code.co_filename}:{code.co_name}" + (f":{frame.f_lineno}" if every else "")
            firsts.setdefault(key, state["n"])
    elif state["n"] >= at and code.co_code[frame.f_lasti] != NOP:
        state["sent"] = True
        sys.settrace(None)
        handler = signal.getsignal(sent)
        how = {signal.SIG_DFL: "default ", signal.SIG_IGN: "ignored "}.get(handler, "")
        os.write(2, f"SENT {how}{code.co_filename}:{frame.f_lineno}\n".encode())
        signal.raise_signal(sent)
        return None
    state["n"] += 1
    return line

def call(frame, event, arg):
    code = frame.f_code
    if not code.co_filename.startswith(package):
        return None
    if not state["on"]:
        if code.co_name != "run" or not code.co_filename.endswith("__main__.py"):
            return None
        state["on"] = True
    return line

def counted():
    if at < 0:
        os.write(2, json.dumps({"lines": state["n"], "watched": firsts}).encode())

import atexit, json
atexit.register(counted)
sys.argv = ["lycli", *sys.argv[4:]]
sys.settrace(call)
import runpy
runpy.run_module("liaoyuan_cli", run_name="__main__", alter_sys=True)
"""


def _stopped(
    at: int, sent: str, args: list[str], cache: Path, cwd: Path, watch: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _STOPPED, str(at), sent, watch, *args],
        env=subprocess_env(cache, FIXTURE),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def _points(args: list[str], watch: str, tmp_path: Path, cold: bool, spread: int) -> list[int]:
    """Where to stop a run: where each function watched starts (where temporary files are made,
    placed and removed; where lycli starts and ends), each line of those watched closely, and
    `spread` lines between, most of them early (where lycli starts, which cold runs repeat)."""
    cache, here = tmp_path / "count-cache", tmp_path / "count"
    here.mkdir()
    if not cold:  # warm the cache, and export once: each run is then in a copy of this directory
        assert _stopped(-1, "SIGINT", args, cache, tmp_path).returncode == 0
        shutil.copytree(tmp_path / "out", here / "out")
    counted = _stopped(-1, "SIGINT", args, cache, here, watch)
    assert counted.returncode == 0, counted.stderr
    found = json.loads(counted.stderr[counted.stderr.rindex('{"lines"') :])
    total = found["lines"]
    spread_out = {int(total * (i / spread) ** 2) for i in range(1, spread)}
    return sorted({*found["watched"].values(), *spread_out, total - 1})


def _signal(at: int) -> str:
    """Ctrl-C at one point, SIGTERM at the next: both signals over every stretch of a run, each
    point run once (a run per point is a process, and a cold one builds a cache)."""
    return ("SIGINT", "SIGTERM")[at % 2]


def _each(points: list[int], stop: Callable[[int], None]) -> None:
    """stop(at) for each point, a few at a time (each is a process of its own)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(stop, points))


_LEFT = re.compile(r"^\.(kb-.*\.tmp|tmp-.*|.*\.[0-9a-f]{8}\.(tmp|old)(-journal)?)$")


def _assert_stopped(result: subprocess.CompletedProcess[str], sent: str, at: int) -> None:
    """The run's exit code is the signal's, with no traceback; killed by the signal where it came
    before lycli's handler was set; its own (0) where it came once the exit code was decided."""
    where = next((line for line in result.stderr.splitlines() if line.startswith("SENT")), None)
    assert where is not None, f"no signal sent at {at}: {result.stderr[-300:]}"
    number = getattr(signal, sent)
    expected = {-number} if "default" in where else {0} if "ignored" in where else {128 + number}
    assert result.returncode in expected, (at, where, result.returncode, result.stderr[-800:])
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, (
        where,
        result.stderr,
    )


@pytest.mark.slow
def test_a_signal_at_any_line_of_a_cold_run_is_its_exit_code_and_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl-C in the first ~50 ms printed a traceback (32 of 300 runs): launch.py imported commands
    before its `try:`. Stopped at each line of lycli's entry, where each step of a run on a cold
    cache starts, at each line of the cache's atomic write (and at lines between), a run exits
    130 (SIGINT) or 143 (SIGTERM; or dies by the signal before its handler is set, which a shell
    reports as 143 too), prints no traceback and leaves no temporary file in the cache directory.
    The pointer and seal of the cache were written through a temporary file that an interrupt
    left behind; a signal while an exception was matched in __main__ escaped as a traceback."""
    args = ["areas", "--json"]
    watch = (
        "__main__.py:run*,_ignore_signals*,main,_guarded,_dispatch,execute,build,place,seal,"
        "write_atomically*,remember,sweep,_fail"
    )
    points = _points(args, watch, tmp_path, cold=True, spread=6)
    assert len(points) > 25

    def stop(at: int) -> None:
        sent = _signal(at)
        cache = tmp_path / f"cache-{at}"
        result = _stopped(at, sent, args, cache, tmp_path)
        _assert_stopped(result, sent, at)
        left = [p.name for p in cache.iterdir() if _LEFT.match(p.name)] if cache.exists() else []
        assert left == [], (at, result.stderr, left)

    _each(points, stop)


@pytest.mark.slow
def test_a_signal_at_any_line_of_an_export_is_its_exit_code_and_leaves_nothing(tmp_path: Path) -> None:
    """A forced CSV export over a previous one, stopped where each step of its placement starts,
    at each line of the step that holds signals while the previous one is set aside (and at lines
    between), exits 130 or 143, leaves a whole export at its path (the previous one or the new)
    and no temporary or set-aside name beside it."""
    args = ["export", "out", "--format", "csv", "--force"]
    watch = "export,destination,temporary,place,rename_noreplace,aside*,discard,held*,remove,sweep"
    points = _points(args, watch, tmp_path, cold=False, spread=4)
    assert len(points) > 15

    def stop(at: int) -> None:
        # Each run exports into a directory of its own, over a previous export of its own.
        sent = _signal(at)
        where = tmp_path / f"at-{at}"
        shutil.copytree(tmp_path / "out", where / "out")
        result = _stopped(at, sent, args, tmp_path / "count-cache", where)
        _assert_stopped(result, sent, at)
        left = [p.name for p in where.iterdir() if _LEFT.match(p.name)]
        assert left == [], (at, result.stderr, left)
        package = json.loads((where / "out" / "datapackage.json").read_text(encoding="utf-8"))
        assert all((where / "out" / r["path"]).is_file() for r in package["resources"]), at

    _each(points, stop)


def test_a_sigterm_while_an_export_is_placed_waits_for_the_placement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under the command line SIGTERM's handler is launch.terminate, which the placement did not
    hold: a SIGTERM between moving the previous export aside and placing the new one put the old
    one back. It is held like Ctrl-C, and takes effect once the new export stands."""
    from liaoyuan_cli import export, launch
    from liaoyuan_cli import place as placing

    target = tmp_path / "kb"
    export.export(FIXTURE, str(target), "csv", False)
    before = os.stat(target).st_ino
    original = placing.rename_noreplace
    seen: list[object] = []

    def rename(*args: Any, **kwargs: Any) -> None:
        seen.append(signal.getsignal(signal.SIGTERM))
        signal.raise_signal(signal.SIGTERM)
        original(*args, **kwargs)

    monkeypatch.setattr(placing, "rename_noreplace", rename)
    previous = signal.signal(signal.SIGTERM, launch.terminate)
    try:
        with pytest.raises(launch.Terminated):
            export.export(FIXTURE, str(target), "csv", True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert seen and seen[0] is not launch.terminate
    assert os.stat(target).st_ino != before, "the previous export was put back"
    assert (target / "datapackage.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"]


# -- 9. the exit codes, documented -------------------------------------------------------------------


def test_every_exit_code_is_in_the_readme_and_in_errors_md() -> None:
    """SIGTERM's 143 was in neither table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    errors = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Exit codes") :]
    for code in ExitCode:
        assert re.search(rf"^\| {code.value} \|", table, re.M), (code, "README.md")
        assert re.search(rf"^\| {code.value} \|", errors, re.M), (code, "docs/errors.md")
        if code.value >= 128:
            assert f"## {code.value}" in errors, code


def test_the_help_lists_every_exit_code() -> None:
    shown = run_cli("--help").stdout
    for code in ExitCode:
        assert str(code.value) in shown, code


@pytest.mark.parametrize(
    "args",
    [
        ["areas", "--svg", "{d}/newdir/"],
        ["areas", "--html", "{d}/newdir/"],
        ["compare", "growth", "--chart", "{d}/newdir/"],
        ["export", "{d}/newdir/"],
    ],
)
def test_a_path_ending_in_a_slash_is_a_directory_not_a_file(tmp_path: Path, args: list[str]) -> None:
    """Red-team round: pathlib dropped the trailing '/', and `--svg out/` wrote a file named out."""
    from .conftest import run_cli

    done = run_cli(*[a.format(d=tmp_path) for a in args], "--data", str(FIXTURE))
    # exit 4 as for a directory that exists (--svg DIR), exit 2 as export's own (export DIR)
    assert done.code == (2 if args[0] == "export" else 4), done.stderr
    assert "names a directory" in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "lookalike",
    [{"command": "records", "records": [1]}, {"command": "records", "records": [{"figures": 5}]}],
)
def test_api_rows_refuses_a_dict_that_only_looks_like_a_result(lookalike: dict[str, Any]) -> None:
    """Review of the change: such a dict gave rows full of None, not the UsageError promised."""
    with pytest.raises(UsageError, match="not a lycli result"):
        api.rows(lookalike)
