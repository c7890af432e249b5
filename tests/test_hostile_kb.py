"""The second red-team round (0.2): a knowledge base, a cache or an environment that is hostile
or odd must never change an answer, leak a file, or crash a TAB press.

Each test builds its hostile case from a copy of the invented fixture (tests/fixtures/kb) in a
temporary directory; text added to a copy is invented too and never leaves the test.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURE, copy_kb, run_cli, subprocess_env

# A subprocess per case over a copied knowledge base: the full run (CI), not the quick loop.
pytestmark = pytest.mark.slow

R25 = "articles/fixture-2025"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_kb(tmp_path / "kb", FIXTURE)


def lycli(
    args: list[str], cache: Path, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = subprocess_env(cache, None, COLUMNS="100", NO_COLOR="1", TERM="dumb")
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def answer(args: list[str], cache: Path, **env: str) -> Any:
    result = lycli([*args, "--json"], cache, **env)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the knowledge base cannot reach outside itself -------------------------------------------------


def test_a_symlink_out_of_the_knowledge_base_is_refused(kb: Path, tmp_path: Path) -> None:
    """A knowledge base someone sends (git keeps symlinks) cannot make lycli read, and an
    export carry, a file of the reader's."""
    secret = tmp_path / "secret.txt"
    secret.write_text("the reader's own file\n", encoding="utf-8")
    source = kb / R25 / "source.txt"
    source.unlink()
    source.symlink_to(secret)
    (kb / "extra.toml").symlink_to(secret)
    result = lycli(["validate", str(kb), "--json"], tmp_path / "cache")
    assert result.returncode == 3, result.stderr
    problems = {p["file"]: p["text"] for p in json.loads(result.stdout)["problems"]}
    assert "leads outside the knowledge base" in problems["extra.toml"]
    assert any("source_file" in t and "leads outside the knowledge base" in t for t in problems.values())


# -- the cache: damage, links, stale copies, odd paths ----------------------------------------------


def _cache_file(cache: Path) -> Path:
    files = sorted(cache.glob("kb-*.sqlite"))
    assert len(files) == 1, files
    return files[0]


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM names WHERE kind = 'area' AND name = 'dongfeng'",
        "DELETE FROM mentions",
        "UPDATE records SET area = 'dongfeng' WHERE area = 'gaoxin'",
        "DELETE FROM record_themes",
    ],
    ids=["lost name", "lost mentions", "misplaced column", "lost themes"],
)
def test_a_damaged_filter_column_or_link_is_found_and_healed(kb: Path, tmp_path: Path, damage: str) -> None:
    """Checksums cover the JSON; the columns and links that filters read are checked against it."""
    cache = tmp_path / "cache"
    env = {"LYCLI_DATA": str(kb)}
    expected = {
        "dongfeng": answer(["records", "--area", "dongfeng", "--article", "all"], cache, **env),
        "entity": answer(["records", "--entity", "jiyuan-hydrogen", "--article", "all"], cache, **env),
        "theme": answer(["records", "--theme", "hydrogen", "--article", "all"], cache, **env),
    }
    assert all(e["records"] for e in expected.values())
    path = _cache_file(cache)
    path.chmod(0o600)
    with sqlite3.connect(path) as conn:
        conn.execute(damage)
    path.chmod(0o400)
    assert answer(["records", "--area", "dongfeng", "--article", "all"], cache, **env) == expected["dongfeng"]
    assert (
        answer(["records", "--entity", "jiyuan-hydrogen", "--article", "all"], cache, **env)
        == expected["entity"]
    )
    assert answer(["records", "--theme", "hydrogen", "--article", "all"], cache, **env) == expected["theme"]


def test_each_edit_replaces_its_stale_cache(kb: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for round_ in range(3):
        (kb / "topics.toml").write_text(
            (kb / "topics.toml").read_text(encoding="utf-8") + f"\n# edit {round_}\n", encoding="utf-8"
        )
        assert lycli(["areas", "--json"], cache, LYCLI_DATA=str(kb)).returncode == 0
    assert len(list(cache.glob("kb-*.sqlite"))) == 1


def test_a_copy_keeps_the_cache_it_shares_when_the_original_is_edited(kb: Path, tmp_path: Path) -> None:
    """Two copies of one knowledge base share one cache file; editing one must not delete it."""
    cache = tmp_path / "cache"
    twin = copy_kb(tmp_path / "twin", kb)
    for where in (kb, twin):
        assert lycli(["areas", "--json"], cache, LYCLI_DATA=str(where)).returncode == 0
    shared = _cache_file(cache)
    replace(kb / "topics.toml", "\n", "\n# edited\n")
    assert lycli(["areas", "--json"], cache, LYCLI_DATA=str(kb)).returncode == 0
    assert shared.exists()


def test_a_knowledge_base_whose_path_holds_a_newline_is_served_from_the_cache(tmp_path: Path) -> None:
    odd = copy_kb(tmp_path / "odd\nname", FIXTURE)
    cache = tmp_path / "cache"
    assert lycli(["areas", "--json"], cache, LYCLI_DATA=str(odd)).returncode == 0
    built = _cache_file(cache).stat()
    assert lycli(["areas", "--json"], cache, LYCLI_DATA=str(odd)).returncode == 0
    again = _cache_file(cache).stat()
    assert (again.st_ino, again.st_mtime_ns) == (built.st_ino, built.st_mtime_ns), "rebuilt: not served"


def test_a_symlinked_cache_directory_is_not_written(kb: Path, tmp_path: Path) -> None:
    """Whoever can write the cache's parent could swap the cache directory for a link to any
    directory of the user's; lycli then answers without a cache rather than write there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    link = tmp_path / "cache"
    link.symlink_to(elsewhere, target_is_directory=True)
    result = answer(["areas"], link, LYCLI_DATA=str(kb))
    assert result["areas"]
    assert list(elsewhere.iterdir()) == []


def test_a_deleted_working_directory_costs_no_answer(tmp_path: Path) -> None:
    """A relative cache directory in a deleted working directory: no cache, the answer all the same."""
    script = (
        "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
        "from liaoyuan_cli.launch import main; main(sys.argv[2:])"
    )
    for args in (["areas", "--json"], ["validate", "--json"]):
        gone = tmp_path / f"gone-{args[0]}"
        gone.mkdir()
        env = subprocess_env(Path("relative-cache"), None)
        result = subprocess.run(
            [sys.executable, "-c", script, str(gone), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["schema_version"] == 2


# -- answers -----------------------------------------------------------------------------------------


def test_the_latest_article_of_an_area_counts_its_records_in_other_sections(kb: Path, tmp_path: Path) -> None:
    """Dongfeng's 2025 records stand in the city report's section (no interview of Dongfeng that
    year): `targets dongfeng` still answers from 2025, the newest article that speaks of it."""
    replace(kb / R25 / "article.toml", 'id = "fixture-2025-dongfeng"', 'id = "fixture-2025-dongfeng-moved"')
    records = kb / R25 / "records" / "dongfeng.toml"
    records.write_text(
        records.read_text(encoding="utf-8").replace(
            'section = "fixture-2025-dongfeng"', 'section = "fixture-2025-report"'
        ),
        encoding="utf-8",
    )
    article = (kb / R25 / "article.toml").read_text(encoding="utf-8")
    start = article.index("[[sections]]", article.index('id = "fixture-2025-dongfeng-moved"') - 40)
    end = article.index("[[sections]]", start + 1)
    (kb / R25 / "article.toml").write_text(article[:start] + article[end:], encoding="utf-8")
    frameworks = [p for p in (kb / R25 / "records").glob("*.toml")]
    for path in frameworks:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"fixture-2025-dongfeng"', '"fixture-2025-report"'), encoding="utf-8")
    cache = tmp_path / "cache"
    assert lycli(["validate", str(kb)], cache).returncode == 0, lycli(["validate", str(kb)], cache).stdout
    found = answer(["targets", "dongfeng"], cache, LYCLI_DATA=str(kb))
    assert [a["id"] for a in found["articles"]] == ["fixture-2025"]
    assert found["records"] and {r["article"] for r in found["records"]} == {"fixture-2025"}


def test_the_city_leader_of_a_lower_is_better_metric_is_the_lowest(kb: Path, tmp_path: Path) -> None:
    """Unemployment: the area with the lowest rate leads, not the highest."""
    replace(kb / "topics.toml", 'id = "livelihood"', 'id = "livelihood"\nheadline = true')
    quote = "东丰县城镇登记失业率为4.0%（测试用虚构句）"
    with (kb / R25 / "source.txt").open("a", encoding="utf-8") as f:
        f.write("\n" + quote + "\n")
    with (kb / R25 / "records" / "dongfeng.toml").open("a", encoding="utf-8") as f:
        f.write(
            f"""
[[records]]
id = "dongfeng-2024-unemployment-test"
section = "fixture-2025-dongfeng"
area = "dongfeng"
kind = "result"
category = "livelihood"
year = 2024
zh = "东丰县城镇登记失业率为4.0%。"
en = "Dongfeng's registered urban unemployment rate was 4.0% (invented for a test)."
quote = "{quote}"
voice = "narration"

[[records.figures]]
metric = "unemployment-rate"
value = 4.0
unit = "%"
year = 2024
role = "result"
stated = "城镇登记失业率为4.0%"
"""
        )
    cache = tmp_path / "cache"
    check = lycli(["validate", str(kb)], cache)
    assert check.returncode == 0, check.stdout + check.stderr
    city = answer(["summarize", "--article", "fixture-2025"], cache, LYCLI_DATA=str(kb))
    leaders = [x for x in city["leaders"] if x["metric"] == "unemployment-rate"]
    assert leaders, city["leaders"]
    assert all(x["area"] != "dongfeng" for x in leaders)


def test_facet_counts_records_once_and_narrows_figures_as_figures_does() -> None:
    fixture = ["--data", str(FIXTURE), "--article", "all", "--json"]
    by_metric = run_cli("facet", "--by", "metric", *fixture).json()
    for row in by_metric["rows"]:
        metric = row["values"]["metric"]
        records = run_cli("records", "--metric", metric, *fixture).json()["records"]
        assert row["count"] == len(records), metric
    some = by_metric["rows"][0]["values"]["metric"]
    narrowed = run_cli("facet", "--by", "metric", "--of", "figures", "--metric", some, *fixture).json()
    assert {r["values"]["metric"] for r in narrowed["rows"]} == {some}
    year = run_cli("figures", *fixture).json()["figures"][0]["year"]
    of_year = run_cli("figures", "--year", str(year), *fixture).json()["figures"]
    faceted = run_cli("facet", "--by", "area", "--of", "figures", "--year", str(year), *fixture).json()
    assert faceted["total"] == len(of_year)


def test_an_entity_of_another_kind_is_not_answered_as_asked() -> None:
    asked = run_cli("entities", "jiyuan-hydrogen", "--kind", "project", "--data", str(FIXTURE), "--json")
    assert asked.code == 1 and "not a project" in asked.stderr and asked.stdout == ""


# -- completion -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "typer"])
@pytest.mark.parametrize(
    "env",
    [
        {"_LYCLI_COMPLETE": "complete_bash", "COMP_WORDS": "lycli targets ", "COMP_CWORD": "abc"},
        {"_LYCLI_COMPLETE": "complete_bash", "COMP_WORDS": "lycli targets ", "COMP_CWORD": ""},
        {"_LYCLI_COMPLETE": "bogus"},
    ],
    ids=["cword abc", "cword empty", "bogus instruction"],
)
def test_a_malformed_completion_request_completes_nothing(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], fast: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if not fast:
        monkeypatch.setenv("LYCLI_NO_FAST_PATH", "1")
    result = run_cli()
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "typer"])
def test_completion_reads_the_knowledge_base_named_by_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fast: bool
) -> None:
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(tmp_path / "cache"))
    if not fast:
        monkeypatch.setenv("LYCLI_NO_FAST_PATH", "1")
    words = f"lycli targets --data {FIXTURE} --article "
    monkeypatch.setenv("_LYCLI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", "5")
    cold = run_cli()
    assert cold.code == 0 and "fixture" not in cold.stdout  # a TAB press never builds the cache
    assert not list((tmp_path / "cache").glob("kb-*.sqlite"))
    monkeypatch.delenv("_LYCLI_COMPLETE")
    assert run_cli("areas", "--data", str(FIXTURE), "--json").code == 0
    monkeypatch.setenv("_LYCLI_COMPLETE", "complete_bash")
    warm = run_cli()
    assert "fixture-2024" in warm.stdout and "fixture-2025" in warm.stdout, warm.stdout
    assert "session-2024" not in warm.stdout


# -- small inconsistencies ----------------------------------------------------------------------------


def test_a_byte_order_mark_is_not_a_syntax_error(kb: Path, tmp_path: Path) -> None:
    """Notepad saves UTF-8 with a byte-order mark; the file means the same without it."""
    path = kb / "topics.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = lycli(["validate", str(kb)], tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_empty_article_is_a_usage_error() -> None:
    result = run_cli("targets", "gaoxin", "--article", " ", "--json")
    assert result.code == 2 and "--article is empty" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("file", "old", "new", "said"),
    [
        ("areas.toml", 'aliases = ["gaoxin", ', 'aliases = ["All", "gaoxin", ', "word of the command line"),
        (f"{R25}/article.toml", 'id = "fixture-2025"\n', 'id = "latest"\n', "word of the command line"),
    ],
    ids=["area alias all", "article id latest"],
)
def test_a_name_the_command_line_reserves_is_a_problem(
    kb: Path, tmp_path: Path, file: str, old: str, new: str, said: str
) -> None:
    """`targets all` means every area and `--article latest` the newest article: an area or an
    article so named could never be asked for."""
    replace(kb / file, old, new)
    result = lycli(["validate", str(kb), "--json"], tmp_path / "cache")
    assert result.returncode == 3
    assert any(said in p["text"] for p in json.loads(result.stdout)["problems"])


def test_completion_never_offers_a_name_with_a_control_character(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shell prints the candidates it lists: an escape sequence there would reach the terminal."""
    hostile = 'aliases = ["high\\u001b]0;PWNED\\u0007zone", "gaoxin", '
    replace(kb / "areas.toml", 'aliases = ["gaoxin", ', hostile)
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(tmp_path / "cache"))
    assert run_cli("areas", "--data", str(kb), "--json").code == 0
    monkeypatch.setenv("_LYCLI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", f"lycli targets --data {kb} hi")
    monkeypatch.setenv("COMP_CWORD", "4")
    offered = run_cli()
    assert offered.code == 0 and "high-tech" in offered.stdout, offered.stdout
    assert "\x1b" not in offered.stdout and "PWNED" not in offered.stdout


# -- the warm check ------------------------------------------------------------------------------------


def test_a_warm_run_lists_no_directory_that_did_not_change(
    kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Directories are stamped: 1,000 article directories are stat-ed, not read, on a warm run."""
    monkeypatch.setenv("LYCLI_CACHE_DIR", str(tmp_path / "cache"))
    assert run_cli("areas", "--data", str(kb), "--json").code == 0
    listed: list[str] = []
    real = os.scandir

    def counting(path: Any) -> Any:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    assert run_cli("areas", "--data", str(kb), "--json").code == 0
    assert [p for p in listed if Path(p) != kb] == []  # (--data looks for *.toml at the top)
    (kb / R25 / "records" / "notes.txt").write_text("not a TOML file\n", encoding="utf-8")
    assert run_cli("areas", "--data", str(kb), "--json").code == 0
    assert [Path(p).name for p in listed if Path(p) != kb] == ["records"]  # only the one that changed
    assert run_cli("areas", "--data", str(kb), "--json").code == 0
    assert [Path(p).name for p in listed if Path(p) != kb] == ["records"]  # its new stamp is remembered


def test_a_file_added_to_a_directory_is_seen_by_the_warm_check(kb: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert lycli(["areas", "--json"], cache, LYCLI_DATA=str(kb)).returncode == 0
    source = (kb / R25 / "records" / "gaoxin.toml").read_text(encoding="utf-8")
    (kb / R25 / "records" / "again.toml").write_text(source, encoding="utf-8")  # every id twice
    refused = lycli(["areas", "--json"], cache, LYCLI_DATA=str(kb))
    assert refused.returncode == 3 and "duplicate id" in refused.stderr
