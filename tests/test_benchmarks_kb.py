"""benchmarks/make_kb.py writes a valid knowledge base N times the bundled one.

Correctness only: no timing here (benchmarks/run.py measures the budgets).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKE_KB = ROOT / "benchmarks" / "make_kb.py"
SCALE = 3


def _lycli(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LYCLI_DATA"}
    env["LYCLI_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kb") / f"x{SCALE}"
    done = subprocess.run(
        [sys.executable, str(MAKE_KB), "--scale", str(SCALE), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_validates(big: Path, cache: Path) -> None:
    done = _lycli("validate", str(big), "--json", cache=cache)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert report["problems"] == []
    assert f"{6 * SCALE} areas" in report["summary"]


def test_layout_and_counts(big: Path) -> None:
    bundled = ROOT / "data"
    records = sorted(p.name for p in (big / "records").glob("*.toml"))
    originals = sorted(p.stem for p in (bundled / "records").glob("*.toml"))
    expected = sorted(f"{stem}.toml" for stem in originals)
    expected += sorted(f"{stem}-x{k}.toml" for stem in originals for k in range(2, SCALE + 1))
    assert records == sorted(expected)
    assert (big / "source" / "article.txt").read_bytes() == (bundled / "source" / "article.txt").read_bytes()

    def count(root: Path, key: str) -> int:
        return sum(
            len(tomllib.loads(p.read_text(encoding="utf-8")).get(key, [])) for p in root.rglob("*.toml")
        )

    for key in ("records", "entities", "frameworks", "areas", "people", "sections"):
        assert count(big, key) == SCALE * count(bundled, key), key
    for key in ("metrics", "errata"):  # shared definitions, written once
        assert count(big, key) == count(bundled, key), key


def test_original_area_resolves(big: Path, cache: Path) -> None:
    done = _lycli("targets", "gaoxin", "--json", "--data", str(big), cache=cache)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["area"]["slug"] == "gaoxin"
    assert result["records"]
    assert all(r["area"] == "gaoxin" and "-x" not in r["id"] for r in result["records"])


def test_replicated_area_works(big: Path, cache: Path) -> None:
    original = json.loads(_lycli("targets", "gaoxin", "--json", "--data", str(big), cache=cache).stdout)
    done = _lycli("targets", f"gaoxin-x{SCALE}", "--json", "--data", str(big), cache=cache)
    assert done.returncode == 0, done.stderr
    copy = json.loads(done.stdout)
    assert copy["area"]["slug"] == f"gaoxin-x{SCALE}"
    assert copy["area"]["official"]["id"] == f"qiu-jingrui-x{SCALE}"
    assert [r["id"] for r in copy["records"]] == [f"{r['id']}-x{SCALE}" for r in original["records"]]
    # Same text, quotes and figures; references moved into the copy.
    for a, b in zip(original["records"], copy["records"], strict=True):
        assert (a["zh"], a["en"], a["quote"], a["figures"]) == (b["zh"], b["en"], b["quote"], b["figures"])
        assert b["entities"] == [f"{e}-x{SCALE}" for e in a["entities"]]
        assert b["frameworks"] == [f"{f}-x{SCALE}" for f in a["frameworks"]]
    # Its suffixed names resolve to it, and only to it.
    by_name = _lycli("targets", f"高新区 x{SCALE}", "--json", "--data", str(big), cache=cache)
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout)["area"]["slug"] == f"gaoxin-x{SCALE}"


def test_search_finds_every_copy(big: Path, cache: Path) -> None:
    done = _lycli("search", "天楹", "--limit", "100", "--json", "--data", str(big), cache=cache)
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["hits"]
    ids = {h["id"] for h in hits}
    assert "china-tianying" in ids
    assert {f"china-tianying-x{k}" for k in range(2, SCALE + 1)} <= ids
