"""The tables are the contract for people: snapshots at four widths, on the invented fixture
(so that fixing a translation of the bundled data never breaks them).

Update after an intended change with `LYCLI_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py`.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from wcwidth import wcswidth

from .conftest import fixture_cli

SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = [
    ("targets", "gaoxin", "--article", "fixture-2024"),
    ("compare", "projects", "--article", "all"),
    ("track", "gaoxin"),
    ("metrics", "dongfeng", "--article", "fixture-2024", "--lang", "en"),
    ("search", "hydrogen"),
]


def _name(args: tuple[str, ...]) -> str:
    return "-".join(a.lstrip("-") for a in args)


@pytest.mark.parametrize("width", [60, 80, 120, 160])
@pytest.mark.parametrize("args", CASES, ids=_name)
def test_table_snapshot(args: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = fixture_cli(*args)
    assert result.code == 0, result.stderr
    assert all(cells(line) <= width for line in result.stdout.splitlines())
    path = SNAPSHOTS / f"{_name(args)}-{width}.txt"
    if os.environ.get("LYCLI_UPDATE_SNAPSHOTS"):
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: write it with LYCLI_UPDATE_SNAPSHOTS=1 and read it"
    assert result.stdout == path.read_text(encoding="utf-8")


def cells(line: str) -> int:
    """A line's width in terminal cells, by wcwidth (not lycli's own measure): 一 takes two."""
    width = wcswidth(line)
    assert width >= 0, f"a character without a width in {line!r}"
    return int(width)


def test_widths_are_counted_in_cells_not_characters() -> None:
    assert cells("高新区 gaoxin") == 13 and len("高新区 gaoxin") == 10


@pytest.mark.parametrize("width", [60, 120])
def test_tables_never_cut_text(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every character of every record's text stands in the wrapped table: no cell is cut short."""
    monkeypatch.setenv("COLUMNS", str(width))
    out = fixture_cli("targets", "all", "--article", "all").stdout
    data = fixture_cli("targets", "all", "--article", "all", "--json").json()
    wanted = Counter("".join("".join(f"{r['id']}{r['zh']}{r['en']}".split()) for r in data["records"]))
    assert not wanted - Counter("".join(out.split()))
    assert "…" not in out


def test_a_very_narrow_terminal_stacks_rows_and_loses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "16")
    out = fixture_cli("compare", "growth", "--article", "all").stdout
    data = fixture_cli("compare", "growth", "--article", "all", "--json").json()
    names = "".join(a["short_zh"] if a["short_en"] else a["zh"] for a in data["areas"])
    figures = "".join(
        row["metric_zh"] + "".join(f["display"] for cell in row["cells"].values() for f in cell)
        for row in data["comparison"]
    )
    wanted = Counter("".join((names + figures).split()))
    assert not wanted - Counter("".join(out.split()))
    assert all(cells(line) <= 16 for line in out.splitlines())
