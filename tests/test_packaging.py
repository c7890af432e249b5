"""The wheel carries the knowledge base, and lycli finds it with no checkout around."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from liaoyuan_cli import kb

from .conftest import DATA, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("liaoyuan_cli-*.whl")
    return built


def test_wheel_carries_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in DATA.rglob("*"):
        if path.is_file():
            assert f"liaoyuan_cli/data/{path.relative_to(DATA).as_posix()}" in names


def test_installed_wheel_answers_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "LYCLI_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("LYCLI_DATA", None)
    code = "import liaoyuan_cli.kb as k; print(k.bundled_data_dir())"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    assert Path(found.stdout.strip()) == (site / "liaoyuan_cli" / "data").resolve()
    run = subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", "targets", "gaoxin", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout)["areas"][0]["slug"] == "gaoxin"


def test_editable_install_reads_the_top_level_data() -> None:
    """In this checkout (editable or not installed) the source of truth is data/ itself."""
    if (Path(kb.__file__).parent / "data").is_dir():
        pytest.skip("running from an installed wheel")
    assert Path(kb.bundled_data_dir()) == DATA.resolve()


def test_entry_point_script_runs() -> None:
    script = Path(sys.executable).parent / "lycli"
    if not script.exists():
        pytest.skip("no lycli script beside this interpreter")
    run = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert run.stdout.startswith("lycli ")
