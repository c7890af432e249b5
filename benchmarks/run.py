"""Measure issue 4's performance budgets side by side, in one run: `python benchmarks/run.py`.

Runs with the interpreter it is started by and that interpreter's installed `lycli` (the
`lycli` beside sys.executable), so measure a NON-editable install, e.g.

    python3.11 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install .
    /tmp/benchvenv/bin/python benchmarks/run.py

Every command runs once first to warm the cache (a temporary LYCLI_CACHE_DIR, and a
knowledge base `--scale` times the bundled one written by make_kb.py into a temporary
directory); then each round runs every command once, in an order rotated from round to
round, and the budgets compare medians. Peak memory is the child's maximum resident set
size as wait4() reports it.

Budgets (issue 4):
  1. lycli targets gaoxin --json        <= 1.2x  python -c "import typer, pydantic"
  2. lycli compare growth (rich table)  <= 1.3x  python -c "import typer, pydantic, rich.console, rich.table"
  3. on a knowledge base 100x the article, after a cache-building call:
     a. lycli targets gaoxin --json --data BIG            <= 1.5x the same on the bundled data
     b. lycli search 天楹 --limit 10 --json --data BIG    <= 1.5x the same on the bundled data
  4. peak memory of lycli targets gaoxin --json (bundled)  < 40 MiB
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MAKE_KB = HERE / "make_kb.py"
MIB = 1024 * 1024


@dataclass
class Command:
    name: str
    argv: list[str]
    display: str
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)  # bytes

    @property
    def median(self) -> float:
        return statistics.median(self.times)


@dataclass
class Budget:
    label: str
    command: str
    baseline: str | None
    limit: float
    kind: str = "ratio"  # or "memory"


BUDGETS = [
    Budget("1. targets --json vs import typer, pydantic", "targets", "import-tp", 1.2),
    Budget("2. compare growth vs import typer, pydantic, rich", "compare", "import-tpr", 1.3),
    Budget("3a. targets --json, BIG vs bundled", "targets-big", "targets", 1.5),
    Budget("3b. search 天楹 --json, BIG vs bundled", "search-big", "search", 1.5),
    Budget("4. peak RSS, targets gaoxin --json", "targets", None, 40.0, kind="memory"),
]


def _maxrss_bytes(ru_maxrss: int) -> int:
    # Linux and the BSDs report KiB, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def run_once(argv: list[str], env: dict[str, str], check: bool = True) -> tuple[float, int]:
    """Wall time (s) and peak RSS (bytes) of one child, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if check else subprocess.DEVNULL,
    )
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{err.decode(errors='replace')}")
    return elapsed, _maxrss_bytes(usage.ru_maxrss)


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
    for dist in ("liaoyuan-cli", "typer", "click", "pydantic", "pydantic-core", "rich"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "-"
    return out


def measure(runs: int, scale: int, log: Any) -> dict[str, Any]:
    python = sys.executable
    lycli = str(Path(python).parent / ("lycli.exe" if os.name == "nt" else "lycli"))
    if not Path(lycli).exists():
        raise SystemExit(f"no lycli beside {python}: install liaoyuan-cli into that environment")

    with tempfile.TemporaryDirectory(prefix="lycli-bench-") as tmp:
        cache = Path(tmp) / "cache"
        big = Path(tmp) / "big"
        env = {k: v for k, v in os.environ.items() if k not in ("LYCLI_DATA", "PYTHONPATH")}
        env["LYCLI_CACHE_DIR"] = str(cache)

        # Replicate the knowledge base the installed lycli ships, so BIG and bundled agree.
        from liaoyuan_cli.kb import bundled_data_dir

        src = bundled_data_dir()
        log(f"writing a knowledge base {scale}x {src} ...")
        start = time.perf_counter()
        subprocess.run(
            [python, str(MAKE_KB), "--scale", str(scale), "--src", str(src), "--out", str(big), "--quiet"],
            check=True,
            env=env,
        )
        made = time.perf_counter() - start

        commands = [
            Command(
                name,
                [python if args[0] == "python" else lycli, *args[1:]],
                " ".join(args).replace(str(big), "BIG"),
            )
            for name, args in (
                ("import-tp", ["python", "-c", "import typer, pydantic"]),
                ("import-tpr", ["python", "-c", "import typer, pydantic, rich.console, rich.table"]),
                ("targets", ["lycli", "targets", "gaoxin", "--json"]),
                ("compare", ["lycli", "compare", "growth"]),
                ("search", ["lycli", "search", "天楹", "--limit", "10", "--json"]),
                ("targets-big", ["lycli", "targets", "gaoxin", "--json", "--data", str(big)]),
                ("search-big", ["lycli", "search", "天楹", "--limit", "10", "--json", "--data", str(big)]),
            )
        ]
        by_name = {c.name: c for c in commands}

        # Warm-up: build both caches (the BIG one takes a while: it validates and indexes it
        # all), and let the OS cache the interpreter, the packages and the data files.
        log("warming the cache (first, cache-building calls) ...")
        start = time.perf_counter()
        run_once(by_name["targets"].argv, env)
        cold_bundled = time.perf_counter() - start
        start = time.perf_counter()
        run_once(by_name["targets-big"].argv, env)
        cold_big = time.perf_counter() - start
        for c in commands:
            run_once(c.argv, env)

        log(f"{runs} alternating rounds of {len(commands)} commands ...")
        for i in range(runs):
            shift = i % len(commands)
            for c in commands[shift:] + commands[:shift]:
                elapsed, rss = run_once(c.argv, env)
                c.times.append(elapsed)
                c.rss.append(rss)

    results = []
    for b in BUDGETS:
        cmd = by_name[b.command]
        if b.kind == "memory":
            peak = max(cmd.rss) / MIB
            results.append(
                {
                    "budget": b.label,
                    "command": cmd.name,
                    "value": peak,
                    "unit": "MiB",
                    "limit": b.limit,
                    "ok": peak < b.limit,
                    "median_rss_mib": statistics.median(cmd.rss) / MIB,
                }
            )
            continue
        base = by_name[b.baseline] if b.baseline else None
        ratio = cmd.median / base.median if base else float("nan")
        results.append(
            {
                "budget": b.label,
                "command": cmd.name,
                "baseline": b.baseline,
                "median_ms": cmd.median * 1000,
                "baseline_ms": base.median * 1000 if base else None,
                "value": ratio,
                "unit": "x",
                "limit": b.limit,
                "ok": ratio <= b.limit,
            }
        )

    return {
        "runs": runs,
        "scale": scale,
        "python": sys.version.split()[0],
        "executable": python,
        "lycli": lycli,
        "editable": is_editable(),
        "versions": versions(),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
        },
        "make_kb_seconds": made,
        "cold_cache_seconds": {"bundled": cold_bundled, "big": cold_big},
        "commands": {
            c.name: {
                "command": c.display,
                "median_ms": c.median * 1000,
                "min_ms": min(c.times) * 1000,
                "max_ms": max(c.times) * 1000,
                "median_rss_mib": statistics.median(c.rss) / MIB,
                "max_rss_mib": max(c.rss) / MIB,
            }
            for c in commands
        },
        "budgets": results,
        "ok": all(r["ok"] for r in results),
    }


def render(report: dict[str, Any]) -> str:
    lines = []
    editable = report["editable"]
    lines.append(
        f"Python {report['python']} ({report['executable']}), {report['machine']['cpus']} CPUs, "
        f"{report['machine']['platform']}"
    )
    lines.append(
        "versions: "
        + ", ".join(f"{k} {v}" for k, v in report["versions"].items())
        + (" [EDITABLE install: adds import overhead, measure a regular install]" if editable else "")
    )
    lines.append(
        f"{report['runs']} alternating rounds; knowledge base x{report['scale']} written in "
        f"{report['make_kb_seconds']:.2f}s; cold cache build: bundled "
        f"{report['cold_cache_seconds']['bundled']:.2f}s, x{report['scale']} "
        f"{report['cold_cache_seconds']['big']:.2f}s"
    )
    lines.append("")
    rows: list[tuple[str, ...]] = [("command", "median ms", "min ms", "max ms", "max RSS MiB")]
    for c in report["commands"].values():
        rows.append(
            (
                c["command"],
                f"{c['median_ms']:.1f}",
                f"{c['min_ms']:.1f}",
                f"{c['max_ms']:.1f}",
                f"{c['max_rss_mib']:.1f}",
            )
        )
    lines.extend(_table(rows, right=(1, 2, 3, 4)))
    lines.append("")
    rows = [("budget", "measured", "limit", "result")]
    for r in report["budgets"]:
        if r["unit"] == "x":
            measured = f"{r['value']:.2f}x ({r['median_ms']:.1f} / {r['baseline_ms']:.1f} ms)"
            limit = f"<= {r['limit']:.1f}x"
        else:
            measured = f"{r['value']:.1f} MiB"
            limit = f"< {r['limit']:.0f} MiB"
        rows.append((r["budget"], measured, limit, "PASS" if r["ok"] else "FAIL"))
    lines.extend(_table(rows, right=(1,)))
    lines.append("")
    failed = [r for r in report["budgets"] if not r["ok"]]
    lines.append(
        "all budgets met" if not failed else f"{len(failed)} of {len(report['budgets'])} budgets FAILED"
    )
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _table(rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]

    def fmt(row: tuple[str, ...]) -> str:
        cells = [_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    out = [fmt(rows[0]), "  ".join("-" * w for w in widths)]
    out.extend(fmt(r) for r in rows[1:])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure lycli's performance budgets (issue 4).")
    parser.add_argument("--runs", type=int, default=21, help="alternating rounds (default 21)")
    parser.add_argument("--scale", type=int, default=100, help="size of the big knowledge base (default 100)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget fails")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.scale < 1:
        parser.error("--runs and --scale must be at least 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        report = measure(args.runs, args.scale, log)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        log(f"run.py: a command failed, nothing measured: {exc}")
        return 2
    if report["editable"]:
        log("warning: liaoyuan-cli is an editable install here; its import hook adds start-up time")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return 1 if args.strict and not report["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
