"""The rendered tables are the contract for people: snapshots at two widths.

Update after an intended change with `LYCLI_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import run_cli

SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = [("targets", "gaoxin"), ("compare", "growth"), ("search", "tianying"), ("metrics", "dongfeng")]


@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("args", CASES, ids="-".join)
def test_table_snapshot(args: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    assert all(len(line) <= width for line in result.stdout.splitlines())
    path = SNAPSHOTS / f"{'-'.join(args)}-{width}.txt"
    if os.environ.get("LYCLI_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [60, 120])
def test_tables_never_cut_text(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every character of every record's text stands in the wrapped table: no cell is cut short."""
    from collections import Counter

    monkeypatch.setenv("COLUMNS", str(width))
    out = run_cli("targets", "gaoxin").stdout
    data = run_cli("targets", "gaoxin", "--json").json()
    wanted = Counter("".join("".join(f"{r['id']}{r['zh']}{r['en']}".split()) for r in data["records"]))
    shown = Counter("".join(out.split()))
    assert not wanted - shown
    assert "…" not in out


def test_a_very_narrow_terminal_stacks_rows_and_loses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from collections import Counter

    monkeypatch.setenv("COLUMNS", "12")
    out = run_cli("compare", "growth").stdout
    data = run_cli("compare", "growth", "--json").json()
    wanted = Counter("".join(r["area"] + r["record"] for s in data["series"] for r in s["rows"]))
    assert not wanted - Counter("".join(out.split()))
    assert all(len(line) <= 12 for line in out.splitlines())
