"""Measure issue 13's performance budgets side by side, in one run: `python benchmarks/run.py`.

Runs with the interpreter it is started by and that interpreter's installed `lycli` (the
`lycli` beside sys.executable), so measure a REGULAR (non-editable) install, e.g.

    python3.11 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install .
    /tmp/benchvenv/bin/python benchmarks/run.py

It writes knowledge bases 100 and 1000 times the bundled article with make_kb.py (each
copy another article about the same areas) into a temporary directory. The first call on
each, into an empty cache directory of its own, is the cold build, measured once. Every
command then runs once more to warm the caches; then each round runs every command once, in
an order rotated from round to round, and the ratios compare medians. Wall time is
time.perf_counter around the child; CPU time is the delta of getrusage(RUSAGE_CHILDREN)
(user + sys) across it; peak memory is the child's ru_maxrss as wait4() reports it. Every
child is started by a small spawner process, not by run.py itself (see SPAWNER).

Budgets, BARE being `python -c pass` with the same interpreter (issues 13, 20 and 21):
  1. lycli targets gaoxin --json                            <= 3x BARE
  2. lycli search 天楹 --json                                <= 3x BARE
  3. TAB completion of `lycli targets gao`                   <= 3x BARE
  4. lycli compare growth (a table, piped to a file)        <= 5x BARE
  5. peak RSS of lycli targets gaoxin --json                 < 40 MiB
  6. on knowledge bases 100x and 1000x the article, each warm query at most 1.5x the same
     on the bundled knowledge base: targets gaoxin --json, search 天楹 --limit 10 --json,
     compare growth, track gaoxin --json; facet --by area,category --article all at most 3x
  7. cold build (first call, empty cache) at 100x: user + sys CPU <= 10 s
  8. cold build at 1000x: peak RSS <= 200 MiB
  9. at the largest scale, every command's peak RSS <= 100 MiB, records --article all --json
     (measured once, its output to a file) included
 10. export to SQLite at the largest scale, measured once: CPU <= 60 s, peak RSS <= 150 MiB
 11. the cache on disk at the largest scale no larger than the knowledge base it holds
"""

from __future__ import annotations

import argparse
import datetime
import json
import marshal
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MAKE_KB = HERE / "make_kb.py"
MIB = 1024 * 1024
QUICK_RUNS = 5
FACET = ["facet", "--by", "area,category", "--article", "all"]

# A check of one warm call's output: a short summary for the report, or an exception.
Check = Callable[[str], str]


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + sys
    rss: int  # bytes


@dataclass
class Command:
    name: str
    argv: list[str]
    display: str
    env: dict[str, str]
    check: Check | None = None
    answer: str = ""
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)


@dataclass
class Budget:
    label: str
    kind: str  # "ratio", "rss" (a warm command's peak), "cold-cpu" or "cold-rss"
    limit: float
    command: str = ""
    baseline: str = ""
    scale: int = 0


def budgets(scales: list[int]) -> list[Budget]:
    out = [
        Budget("1. targets gaoxin --json vs python -c pass", "ratio", 3.0, "targets", "bare"),
        Budget("2. search 天楹 --json vs python -c pass", "ratio", 3.0, "search", "bare"),
        Budget("3. TAB completion (targets gao) vs python -c pass", "ratio", 3.0, "complete", "bare"),
        Budget("4. compare growth (table) vs python -c pass", "ratio", 5.0, "compare", "bare"),
        Budget("5. peak RSS, targets gaoxin --json", "rss", 40.0, "targets"),
    ]
    for n in scales:
        out += [
            Budget(f"6. x{n}: targets gaoxin --json vs bundled", "ratio", 1.5, f"targets-x{n}", "targets"),
            Budget(
                f"6. x{n}: search 天楹 --limit 10 --json vs bundled",
                "ratio",
                1.5,
                f"search10-x{n}",
                "search10",
            ),
            Budget(f"6. x{n}: compare growth vs bundled", "ratio", 1.5, f"compare-x{n}", "compare"),
            Budget(f"6. x{n}: track gaoxin --json vs bundled", "ratio", 1.5, f"track-x{n}", "track"),
            Budget(
                f"6. x{n}: facet --by area,category --article all vs bundled",
                "ratio",
                3.0,
                f"facet-x{n}",
                "facet",
            ),
        ]
    big = max(scales)
    out += [
        Budget("7. cold build x100: CPU user+sys", "cold-cpu", 10.0, scale=100),
        Budget("8. cold build x1000: peak RSS", "cold-rss", 200.0, scale=1000),
        Budget(f"9. x{big}: every command's peak RSS", "rss-all", 100.0, scale=big),
        Budget(f"10. x{big}: export to SQLite, CPU user+sys", "once-cpu", 60.0, "export", scale=big),
        Budget(f"10. x{big}: export to SQLite, peak RSS", "once-rss", 150.0, "export", scale=big),
        Budget(f"11. x{big}: cache on disk / knowledge base on disk", "cache-size", 1.0, scale=big),
    ]
    return out


# -- running one child ----------------------------------------------------------------------

# The process that starts every measured child: a bare interpreter (-I -S: no site, no
# environment) that reads requests on stdin and answers on stdout, with marshal. A child's
# ru_maxrss counts the memory of the process it was spawned from (Linux keeps the parent's
# high-water mark across exec), so spawning from run.py itself would put a floor of run.py's
# own RSS (~18 MiB) under every child, above the ~9 MiB of `python -c pass`; the spawner's
# ~8 MiB floor is below every child measured.
SPAWNER = """
import marshal, os, resource, sys, time
O = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
while True:
    try:
        argv, env, out, err = marshal.load(sys.stdin.buffer)
    except EOFError:
        break
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, out, O, 0o600),
        (os.POSIX_SPAWN_OPEN, 2, err, O, 0o600),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    except OSError as exc:
        marshal.dump((0.0, 0.0, 0, -1, str(exc)), sys.stdout.buffer)
        sys.stdout.buffer.flush()
        continue
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    code = os.waitstatus_to_exitcode(status)
    marshal.dump((wall, cpu, usage.ru_maxrss, code, ""), sys.stdout.buffer)
    sys.stdout.buffer.flush()
"""


def _maxrss_bytes(ru_maxrss: int) -> int:
    # Linux and the BSDs report KiB, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


class Spawner:
    """Runs children one at a time from the bare spawner process and reports what each took."""

    def __init__(self, python: str, tmp: Path) -> None:
        self.out = str(tmp / "stdout")
        self.err = str(tmp / "stderr")
        self.proc = subprocess.Popen(
            [python, "-I", "-S", "-c", SPAWNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def run(self, argv: list[str], env: dict[str, str], capture: bool = False) -> tuple[Sample, str]:
        """One child: wall time, CPU time (RUSAGE_CHILDREN delta) and peak RSS (wait4's
        ru_maxrss); its stdout if `capture`, else /dev/null. A child that fails raises."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(marshal.dumps((argv, env, self.out if capture else os.devnull, self.err)))
        self.proc.stdin.flush()
        try:
            wall, cpu, maxrss, code, failure = marshal.load(self.proc.stdout)
        except EOFError:
            raise RuntimeError("the spawner process died") from None
        if code != 0:
            message = failure or Path(self.err).read_text(encoding="utf-8", errors="replace").strip()
            raise RuntimeError(f"{' '.join(argv)} exited {code}:\n{message}")
        text = Path(self.out).read_text(encoding="utf-8", errors="replace") if capture else ""
        return Sample(wall, cpu, _maxrss_bytes(maxrss)), text

    def __enter__(self) -> Spawner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


# -- what a warm call must answer (so that an error is never what is timed) ----------------


def _targets(text: str) -> str:
    doc = json.loads(text)
    if not doc["records"]:
        raise ValueError("targets answered no records")
    return f"{len(doc['records'])} records of {', '.join(a['id'] for a in doc['articles'])}"


def _search(text: str) -> str:
    doc = json.loads(text)
    if not doc["hits"]:
        raise ValueError("search found nothing")
    return f"{len(doc['hits'])} of {doc['total']} hits"


def _track(text: str) -> str:
    doc = json.loads(text)
    if not doc["pledges"]:
        raise ValueError("track answered no pledges")
    return f"{len(doc['pledges'])} pledges"


def _complete(text: str) -> str:
    if "gaoxin" not in text.split():
        raise ValueError(f"completion offered {text!r}, not gaoxin")
    return "offers " + " ".join(text.split())


def _table(text: str) -> str:
    if not text.strip():
        raise ValueError("compare wrote nothing")
    return f"{text.count(chr(10))} lines"


# -- the machine ----------------------------------------------------------------------------


def is_editable(dist: str = "liaoyuan-cli") -> bool | None:
    """Whether the measured lycli is an editable install (extra import overhead)."""
    from importlib import metadata

    try:
        text = metadata.distribution(dist).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not text:
        return False
    return bool(json.loads(text).get("dir_info", {}).get("editable", False))


def versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("liaoyuan-cli", "typer", "click", "rich", "pydantic", "pydantic-core", "pypinyin"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "-"


def machine() -> dict[str, Any]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": affinity,
        "cpu": _cpu_model(),
        "memory": _memory(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


# -- the measurement ------------------------------------------------------------------------


def _size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def measure(runs: int, scales: list[int], log: Callable[[str], None]) -> dict[str, Any]:
    python = sys.executable
    lycli = str(Path(python).parent / "lycli")
    if not Path(lycli).exists():
        raise SystemExit(f"no lycli beside {python}: install liaoyuan-cli into that environment")
    from liaoyuan_cli.kb import bundled_data_dir

    src = Path(bundled_data_dir())  # replicate what the installed lycli ships, so BIG and bundled agree
    base_env = {
        k: v for k, v in os.environ.items() if k not in ("LYCLI_DATA", "PYTHONPATH", "LYCLI_NO_FAST_PATH")
    }
    base_env.pop("_LYCLI_COMPLETE", None)

    with tempfile.TemporaryDirectory(prefix="lycli-bench-") as tmp, Spawner(python, Path(tmp)) as spawner:
        root = Path(tmp)

        def env_for(cache: str, **extra: str) -> dict[str, str]:
            return {**base_env, "LYCLI_CACHE_DIR": str(root / "cache" / cache), **extra}

        kbs: dict[int, dict[str, Any]] = {}
        for n in scales:
            big = root / f"x{n}"
            log(f"writing a knowledge base {n}x {src} ...")
            start = time.perf_counter()
            subprocess.run(
                [python, str(MAKE_KB), "--scale", str(n), "--src", str(src), "--out", str(big), "--quiet"],
                check=True,
                env=base_env,
            )
            files, size = _size(big)
            kbs[n] = {"path": big, "seconds": time.perf_counter() - start, "files": files, "mib": size / MIB}

        def lycli_cmd(name: str, args: list[str], cache: str, check: Check, **extra: str) -> Command:
            display = "lycli " + " ".join(args)
            for n, kb in kbs.items():
                display = display.replace(str(kb["path"]), f"X{n}")
            return Command(name, [lycli, *args], display, env_for(cache, **extra), check)

        completion = {
            "_LYCLI_COMPLETE": "complete_bash",
            "COMP_WORDS": "lycli targets gao",
            "COMP_CWORD": "2",
        }
        commands = [
            Command("bare", [python, "-c", "pass"], "python -c pass", base_env),
            lycli_cmd("targets", ["targets", "gaoxin", "--json"], "bundled", _targets),
            lycli_cmd("search", ["search", "天楹", "--json"], "bundled", _search),
            lycli_cmd("search10", ["search", "天楹", "--limit", "10", "--json"], "bundled", _search),
            lycli_cmd("compare", ["compare", "growth"], "bundled", _table),
            lycli_cmd("track", ["track", "gaoxin", "--json"], "bundled", _track),
            lycli_cmd("facet", FACET, "bundled", _table),
            Command(
                "complete",
                [lycli],
                "TAB: lycli targets gao",
                env_for("bundled", **completion),
                _complete,
            ),
        ]
        for n, kb in kbs.items():
            data = ["--data", str(kb["path"])]
            cache = f"x{n}"
            commands += [
                lycli_cmd(f"targets-x{n}", ["targets", "gaoxin", "--json", *data], cache, _targets),
                lycli_cmd(
                    f"search10-x{n}", ["search", "天楹", "--limit", "10", "--json", *data], cache, _search
                ),
                lycli_cmd(f"compare-x{n}", ["compare", "growth", *data], cache, _table),
                lycli_cmd(f"track-x{n}", ["track", "gaoxin", "--json", *data], cache, _track),
                lycli_cmd(f"facet-x{n}", [*FACET, *data], cache, _table),
            ]
        by_name = {c.name: c for c in commands}

        # Cold builds: the first call on each knowledge base, into an empty cache directory.
        cold: dict[str, dict[str, Any]] = {}
        for label, command in [("bundled", by_name["targets"])] + [
            (f"x{n}", by_name[f"targets-x{n}"]) for n in kbs
        ]:
            log(f"cold build, {label}: {command.display} ...")
            sample, _ = spawner.run(command.argv, command.env)
            cold[label] = {"wall_s": sample.wall, "cpu_s": sample.cpu, "max_rss_mib": sample.rss / MIB}
            log(f"  {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU, {sample.rss / MIB:.1f} MiB peak RSS")

        # Warm-up: every command once more, its answer checked, so that the OS caches the
        # interpreter, the packages, the data and the caches; and so that no error is timed.
        log("warming up (every command once, its output checked) ...")
        for c in commands:
            _, text = spawner.run(c.argv, c.env, capture=c.check is not None)
            if c.check is not None:
                try:
                    c.answer = c.check(text)
                except (ValueError, KeyError, TypeError) as exc:
                    raise RuntimeError(f"{c.display}: unexpected output ({exc}):\n{text[:500]}") from None

        log(f"{runs} alternating rounds of {len(commands)} commands ...")
        for i in range(runs):
            shift = i % len(commands)
            for c in commands[shift:] + commands[:shift]:
                sample, _ = spawner.run(c.argv, c.env)
                c.samples.append(sample)
            if (i + 1) % 5 == 0 or i + 1 == runs:
                log(f"  round {i + 1}/{runs}")

        # Once, at the largest scale: what writes as much as the corpus holds.
        big = max(kbs)
        data = ["--data", str(kbs[big]["path"])]
        once: dict[str, dict[str, Any]] = {}
        for name, args in (
            ("records", ["records", "--article", "all", "--json", *data]),
            ("export", ["export", str(root / "export.sqlite"), "--force", *data]),
        ):
            command = lycli_cmd(f"{name}-x{big}", args, f"x{big}", _table)
            log(f"once, x{big}: {command.display} ...")
            sample, _ = spawner.run(command.argv, command.env)
            once[name] = {
                "command": command.display,
                "wall_s": sample.wall,
                "cpu_s": sample.cpu,
                "max_rss_mib": sample.rss / MIB,
            }
            log(f"  {sample.wall:.2f} s wall, {sample.cpu:.2f} s CPU, {sample.rss / MIB:.1f} MiB peak RSS")
        cache_mib = _size(root / "cache" / f"x{big}")[1] / MIB
        once["cache"] = {"cache_mib": cache_mib, "kb_mib": kbs[big]["mib"]}
        log(f"cache x{big}: {cache_mib:.1f} MiB on disk, knowledge base {kbs[big]['mib']:.1f} MiB")

    results = [_judge(b, by_name, cold, once) for b in budgets(scales)]
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "runs": runs,
        "scales": scales,
        "executable": python,
        "lycli": lycli,
        "editable": is_editable(),
        "versions": versions(),
        "machine": machine(),
        "knowledge_bases": {f"x{n}": {k: v for k, v in kb.items() if k != "path"} for n, kb in kbs.items()},
        "cold": cold,
        "once": once,
        "commands": {
            c.name: {
                "command": c.display,
                "answer": c.answer,
                "median_ms": c.median * 1000,
                "min_ms": min(s.wall for s in c.samples) * 1000,
                "max_ms": max(s.wall for s in c.samples) * 1000,
                "median_cpu_ms": statistics.median(s.cpu for s in c.samples) * 1000,
                "max_rss_mib": max(s.rss for s in c.samples) / MIB,
            }
            for c in commands
        },
        "budgets": results,
        "ok": all(r["ok"] is not False for r in results),
    }


def _judge(
    b: Budget,
    by_name: dict[str, Command],
    cold: dict[str, dict[str, Any]],
    once: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """One budget's measure against its limit; ok is None where it was not measured."""
    result: dict[str, Any] = {"budget": b.label, "kind": b.kind, "limit": b.limit}
    if b.kind == "ratio":
        if b.command not in by_name:
            return {**result, "value": None, "ok": None}
        cmd, base = by_name[b.command], by_name[b.baseline]
        value = cmd.median / base.median
        return {
            **result,
            "command": b.command,
            "baseline": b.baseline,
            "median_ms": cmd.median * 1000,
            "baseline_ms": base.median * 1000,
            "value": value,
            "ok": value <= b.limit,
        }
    if b.kind == "rss":
        value = max(s.rss for s in by_name[b.command].samples) / MIB
        return {**result, "command": b.command, "value": value, "ok": value < b.limit}
    if b.kind == "rss-all":
        peaks = {c.name: max(s.rss for s in c.samples) / MIB for c in by_name.values() if c.samples}
        peaks.update({f"{k}-once": v["max_rss_mib"] for k, v in once.items() if "max_rss_mib" in v})
        peaks.pop("export-once", None)  # export has a budget of its own (10)
        worst = max(peaks, key=lambda k: peaks[k])
        return {**result, "command": worst, "value": peaks[worst], "ok": peaks[worst] <= b.limit}
    if b.kind in ("once-cpu", "once-rss"):
        measured = once.get(b.command)
        if measured is None:
            return {**result, "value": None, "ok": None}
        value = measured["cpu_s"] if b.kind == "once-cpu" else measured["max_rss_mib"]
        return {**result, "command": b.command, "value": value, "ok": value <= b.limit}
    if b.kind == "cache-size":
        sizes = once.get("cache")
        if sizes is None:
            return {**result, "value": None, "ok": None}
        value = sizes["cache_mib"] / sizes["kb_mib"]
        return {**result, **sizes, "value": value, "ok": value <= b.limit}
    measured = cold.get(f"x{b.scale}")
    if measured is None:
        return {**result, "value": None, "ok": None}
    value = measured["cpu_s"] if b.kind == "cold-cpu" else measured["max_rss_mib"]
    return {**result, "value": value, "ok": value <= b.limit}


# -- the report -----------------------------------------------------------------------------


def render(report: dict[str, Any]) -> str:
    m, v = report["machine"], report["versions"]
    lines = [
        f"date: {report['date']}",
        f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']}, {m['platform']}",
        f"Python {m['python']} ({report['executable']}), SQLite {m['sqlite']}",
        "versions: "
        + ", ".join(f"{k} {val}" for k, val in v.items())
        + (
            " [EDITABLE install: adds import overhead, measure a regular install]"
            if report["editable"]
            else ""
        ),
    ]
    kbs = ", ".join(
        f"{name}: {kb['files']} files, {kb['mib']:.0f} MiB, written in {kb['seconds']:.2f} s"
        for name, kb in report["knowledge_bases"].items()
    )
    lines.append(f"{report['runs']} alternating rounds; knowledge bases {kbs}")
    lines.append("")
    rows: list[tuple[str, ...]] = [("cold build (first call, empty cache)", "wall s", "CPU s", "max RSS MiB")]
    for name, c in report["cold"].items():
        rows.append((name, f"{c['wall_s']:.2f}", f"{c['cpu_s']:.2f}", f"{c['max_rss_mib']:.1f}"))
    for c in report["once"].values():
        if "command" in c:
            rows.append((c["command"], f"{c['wall_s']:.2f}", f"{c['cpu_s']:.2f}", f"{c['max_rss_mib']:.1f}"))
    lines.extend(_grid(rows, right=(1, 2, 3)))
    lines.append("")
    rows = [("command", "median ms", "min ms", "max ms", "CPU ms", "max RSS MiB", "answer")]
    for c in report["commands"].values():
        rows.append(
            (
                c["command"],
                f"{c['median_ms']:.1f}",
                f"{c['min_ms']:.1f}",
                f"{c['max_ms']:.1f}",
                f"{c['median_cpu_ms']:.1f}",
                f"{c['max_rss_mib']:.1f}",
                c["answer"],
            )
        )
    lines.extend(_grid(rows, right=(1, 2, 3, 4, 5)))
    lines.append("")
    rows = [("budget", "measured", "limit", "result")]
    for r in report["budgets"]:
        if r["value"] is None:
            rows.append((r["budget"], "not measured", _limit(r), "SKIP"))
            continue
        if r["kind"] == "ratio":
            measured = f"{r['value']:.2f}x ({r['median_ms']:.1f} / {r['baseline_ms']:.1f} ms)"
        elif r["kind"] in ("cold-cpu", "once-cpu"):
            measured = f"{r['value']:.2f} s"
        elif r["kind"] == "cache-size":
            measured = f"{r['value']:.2f} ({r['cache_mib']:.0f} / {r['kb_mib']:.0f} MiB)"
        elif r["kind"] == "rss-all":
            measured = f"{r['value']:.1f} MiB ({r['command']})"
        else:
            measured = f"{r['value']:.1f} MiB"
        rows.append((r["budget"], measured, _limit(r), "PASS" if r["ok"] else "FAIL"))
    lines.extend(_grid(rows, right=(1,)))
    lines.append("")
    failed = [r for r in report["budgets"] if r["ok"] is False]
    skipped = [r for r in report["budgets"] if r["ok"] is None]
    counted = len(report["budgets"]) - len(skipped)
    verdict = f"{len(failed)} of {counted} budgets FAILED" if failed else f"all {counted} budgets met"
    lines.append(verdict + (f" ({len(skipped)} not measured)" if skipped else ""))
    return "\n".join(lines)


def _limit(r: dict[str, Any]) -> str:
    if r["kind"] == "ratio":
        return f"<= {r['limit']:.1f}x"
    if r["kind"] in ("cold-cpu", "once-cpu"):
        return f"<= {r['limit']:.0f} s"
    if r["kind"] == "cache-size":
        return f"<= {r['limit']:.1f}"
    return f"{'<' if r['kind'] == 'rss' else '<='} {r['limit']:.0f} MiB"


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _grid(rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    out = [fmt(rows[0]), "  ".join("-" * w for w in widths)]
    out.extend(fmt(r) for r in rows[1:])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure lycli's performance budgets (issues 13, 20, 21).")
    parser.add_argument(
        "--runs", type=int, default=None, help="alternating rounds (default 21; 5 with --quick)"
    )
    parser.add_argument(
        "--scales",
        default="100,1000",
        help="sizes of the large knowledge bases, comma-separated (default 100,1000)",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"a smoke check: {QUICK_RUNS} rounds, scale 100 only"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget fails")
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None else (QUICK_RUNS if args.quick else 21)
    try:
        scales = [100] if args.quick else sorted({int(s) for s in args.scales.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--scales takes whole numbers separated by commas, not {args.scales!r}")
    if runs < 1 or not scales or min(scales) < 2:
        parser.error("--runs must be at least 1 and every scale at least 2")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        report = measure(runs, scales, log)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        log(f"run.py: a command failed, nothing measured: {exc}")
        return 2
    report["seconds"] = time.perf_counter() - started
    log(f"done in {report['seconds']:.0f} s")
    if report["editable"]:
        log("warning: liaoyuan-cli is an editable install here; its import hook adds start-up time")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return 1 if args.strict and not report["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
