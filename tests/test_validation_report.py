"""Validation a maintainer can work from (issue 25, items 8, 10 and 12): a follow-up page written
with mistakes of every kind is reported in one run, each problem at its field's own line; a
duplicate id says where the first one stands; warnings are shown but do not fail; the list
stops at errors.LIMIT with how many more; an unreadable --data says permission denied.

Each case is a copy of the invented fixture (tests/fixtures/kb) with edits; the expected line of
each problem is found in the edited text by its words, never written down as a number."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from liaoyuan_cli import kb
from liaoyuan_cli.errors import LIMIT, InvalidKnowledgeBase

from .conftest import FIXTURE, copy_kb, run_cli, subprocess_env

R25G = "articles/fixture-2025/records/gaoxin.toml"


def edit(d: Path, rel: str, *changes: tuple[str, str]) -> None:
    """Each (old, new) made once in a file; old must stand in it."""
    path = d / rel
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, (rel, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def line_of(d: Path, rel: str, words: str, after: str = "") -> int:
    """The 1-based line of the first line holding `words`, after the first line holding `after`."""
    lines = (d / rel).read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if after in ln) if after else 0
    return next(i for i in range(start, len(lines)) if words in lines[i]) + 1


def place(d: Path, rel: str, words: str, after: str = "") -> str:
    """How a problem at the line holding `words` begins: FILE:LINE: ."""
    return f"{rel}:{line_of(d, rel, words, after)}:"


def report(d: Path) -> list[str]:
    """Every problem the knowledge base is refused for, as validate lists them."""
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(d)
    return [str(p) for p in caught.value.problems]


def the(found: list[str], *words: str) -> str:
    hits = [p for p in found if all(w in p for w in words)]
    assert len(hits) == 1, (words, found)
    return hits[0]


# -- one run, every problem, each at its field ---------------------------------------------------


@pytest.fixture
def broken_followup(tmp_path: Path) -> Path:
    """The fixture's 2025 page of the High-tech Zone, written again with mistakes: misspelt and
    mistyped keys (schema), a quote and a figure's words that are not the article's, a metric
    misspelt and one that is no id at all, a verdict the figures contradict, a duplicate id."""
    d = copy_kb(tmp_path / "kb", FIXTURE)
    gdp = 'zh = "2024年，高新区地区生产总值'
    projects = 'zh = "2024年，高新区全年'
    enterprises = 'speaker = "miao-zhiqiang"\nfollows = ["gaoxin-2024-new-enterprises"]'
    edit(
        d,
        R25G,
        # gaoxin-2024-gdp: a misspelt key, a value its words do not state, a metric that is no id
        (f'category = "economy"\nyear = 2024\n{gdp}', f'catgory = "economy"\nyear = 2024\n{gdp}'),
        ("value = 91\n", "value = 19\n"),
        ('metric = "gdp-growth"\nvalue = 6.8', 'metric = "GDP_growth"\nvalue = 6.8'),
        # gaoxin-2024-key-projects-result: a year as text, and a quote not in the article
        (f"year = 2024\n{projects}", f'year = "2024"\n{projects}'),
        ('quote = "全年实施500万元以上项目46个', 'quote = "全年实施600万元以上项目46个'),
        # gaoxin-2024-new-enterprises-result: a voice no one speaks in; and an id taken twice
        (f'voice = "indirect"\n{enterprises}', f'voice = "indirectly"\n{enterprises}'),
        ('id = "gaoxin-2024-smart-park-result"', 'id = "gaoxin-2024-gdp"'),
    )
    (d / "assessments.toml").write_text(
        (d / "assessments.toml").read_text(encoding="utf-8")
        + '\n[[assessments]]\nid = "assess-new-enterprises"\ntarget = "gaoxin-2024-new-enterprises"\n'
        'verdict = "not_met"\nas_of = "2025-01"\nevidence = ["gaoxin-2024-new-enterprises-result"]\n'
        'assessor = "Fixture reviewer (invented)"\n'
        'note_en = "Invented for a test: contradicted by the figures."\n',
        encoding="utf-8",
    )
    return d


def test_one_run_reports_every_problem_of_a_broken_page_at_its_field(broken_followup: Path) -> None:
    d = broken_followup
    found = report(d)
    at = f"{R25G}:"
    # Schema problems, each at its key's line; a misspelt key is one problem, with the key it misspells.
    catgory = the(found, "record gaoxin-2024-gdp", "catgory")
    assert catgory.startswith(place(d, R25G, "catgory = "))
    assert "did you mean category?" in catgory and not any("category: missing" in p for p in found)
    year = the(found, "record gaoxin-2024-key-projects-result", "year:")
    assert year.startswith(place(d, R25G, 'year = "2024"'))
    voice = the(found, "record gaoxin-2024-new-enterprises-result", "voice:")
    assert voice.startswith(place(d, R25G, 'voice = "indirectly"'))
    # ...and in the same run, the figure, quote and reference problems of those very records.
    value = the(found, "record gaoxin-2024-gdp", "figures[0].value: 19 does not appear")
    assert value.startswith(place(d, R25G, "value = 19"))
    quote = the(found, "record gaoxin-2024-key-projects-result", "quote: not found in the source text")
    assert quote.startswith(place(d, R25G, 'quote = "全年实施600万元'))
    # A metric that is no id at all is an unknown metric, with the closest, not a regex.
    metric = the(found, "figures[1].metric")
    assert "unknown metric 'GDP_growth' (did you mean 'gdp-growth'?)" in metric
    assert metric.startswith(place(d, R25G, 'metric = "GDP_growth"'))
    assert not any("pattern" in p or "^[a-z0-9]" in p for p in found), found
    # A verdict the figures of a record that failed its schema contradict.
    verdict = the(found, "assessment assess-new-enterprises", "verdict:")
    assert "recorded not_met, but the figures say met" in verdict
    assert verdict.startswith(
        place(d, "assessments.toml", 'verdict = "not_met"', after="assess-new-enterprises")
    )
    # A duplicate id names where the first one stands.
    duplicate = the(found, "duplicate id 'gaoxin-2024-gdp'")
    first = line_of(d, R25G, 'id = "gaoxin-2024-gdp"') - 1  # its [[records]] header
    second = line_of(d, R25G, 'id = "gaoxin-2024-gdp"', after="gaoxin-2024-hydrogen-started")
    assert duplicate.startswith(f"{at}{second}: record gaoxin-2024-gdp: id: duplicate id")
    assert duplicate.endswith(f"(the first is at {R25G}:{first})")


def test_a_reference_that_is_no_id_is_said_so_while_references_wait(tmp_path: Path) -> None:
    """References are not checked while a file cannot be read; the reference that is no id is
    then reported as such, not lost."""
    d = copy_kb(tmp_path / "kb", FIXTURE)
    edit(d, R25G, ('metric = "gdp-growth"\nvalue = 6.8', 'metric = "GDP_growth"\nvalue = 6.8'))
    (d / "articles/fixture-2025/records/zz.toml").write_text("[[records]\n", encoding="utf-8")
    found = report(d)
    metric = the(found, "figures[1].metric")
    rule = "lower-case letters and digits, words joined by single hyphens"
    assert metric.endswith(f"figures[1].metric: 'GDP_growth' is not an id: {rule}")
    assert metric.startswith(place(d, R25G, 'metric = "GDP_growth"'))
    assert any("zz.toml:1: TOML syntax" in p for p in found)


def test_tables_and_arrays_of_the_wrong_shape_are_said_so(tmp_path: Path) -> None:
    d = copy_kb(tmp_path / "kb", FIXTURE)
    edit(
        d,
        R25G,
        (
            'follows = ["gaoxin-2024-smart-park"]\n',
            'follows = ["gaoxin-2024-smart-park"]\nfigures = [1]\nentities = "x"\n',
        ),
    )
    found = report(d)
    assert the(found, "figures[0]:").endswith("figures[0]: should be a table ({ … } or [[…]])")
    assert the(found, "entities:").endswith("entities: should be an array ([ … ])")


def test_a_record_header_is_where_a_problem_of_the_whole_record_stands(tmp_path: Path) -> None:
    """A missing key has no line of its own: the record's header is its place."""
    d = copy_kb(tmp_path / "kb", FIXTURE)
    edit(d, R25G, ('category = "economy"\n', ""))
    problem = the(report(d), "record gaoxin-2024-gdp", "category: missing")
    header = line_of(d, R25G, 'id = "gaoxin-2024-gdp"') - 1
    assert problem.startswith(f"{R25G}:{header}:")


def test_an_unknown_key_inside_a_figure_and_a_dotted_key_are_found(tmp_path: Path) -> None:
    d = copy_kb(tmp_path / "kb", FIXTURE)
    edit(
        d,
        R25G,
        ('stage = "implemented"\nthreshold = { value = 1,', 'stag = "implemented"\nthreshold = { value = 1,'),
    )
    art = "articles/fixture-2025/article.toml"
    edit(d, art, ('[sections.date]\niso = "2025-01"', '[sections.date]\niso = "2025-13"'))
    found = report(d)
    stag = the(found, "figures[1].stag")
    assert stag.startswith(place(d, R25G, "stag = ")) and "did you mean stage?" in stag
    iso = the(found, "date.iso")
    assert iso.startswith(place(d, art, 'iso = "2025-13"'))


# -- warnings ---------------------------------------------------------------------------------


@pytest.fixture
def stage_forgotten(tmp_path: Path) -> Path:
    """The results of gaoxin-2024-key-projects written without their stage: no longer of the
    target's series, so the verdict (met) silently became "not assessed"."""
    d = copy_kb(tmp_path / "kb", FIXTURE)
    text = (d / R25G).read_text(encoding="utf-8")
    start = text.index('id = "gaoxin-2024-key-projects-result"')
    end = text.index("[[records]]", start)
    block = text[start:end].replace('stage = "implemented"\n', "")
    (d / R25G).write_text(text[:start] + block + text[end:], encoding="utf-8")
    return d


def test_a_follow_up_that_shares_no_series_is_a_warning_that_does_not_fail(stage_forgotten: Path) -> None:
    d = stage_forgotten
    loaded, reading = kb.examine(d)
    assert loaded is not None and not reading.problems
    [warning] = [str(w) for w in reading.warnings]
    first = place(d, R25G, "[[records.figures]]", after="key-projects-result")  # the figure's table
    assert warning.startswith(f"{first} warning: record gaoxin-2024-key-projects-result: figures[0]: ")
    assert "a result of key-projects but not of the series of gaoxin-2024-key-projects's target" in warning
    assert "stage none here, implemented there" in warning
    run = run_cli("validate", str(d))
    assert run.code == 0 and run.stdout.startswith("✓") and f"{first} warning: record" in run.stdout
    doc = run_cli("validate", str(d), "--json").json()
    assert doc["ok"] is True and doc["errors"] == 0 and doc["warnings"] == 1
    assert [p["severity"] for p in doc["problems"]] == ["warning"]
    query = run_cli("track", "gaoxin", "--data", str(d), "--json")
    assert query.code == 0 and query.stderr == ""  # a query is not troubled by a warning


def test_a_follow_up_of_another_metric_is_a_warning_at_follows(tmp_path: Path) -> None:
    d = copy_kb(tmp_path / "kb", FIXTURE)
    edit(d, R25G, ('metric = "new-enterprises"\nvalue = 5', 'metric = "key-projects"\nvalue = 5'))
    _, reading = kb.examine(d)
    [warning] = [str(w) for w in reading.warnings]
    follows = line_of(d, R25G, 'follows = ["gaoxin-2024-new-enterprises"]')
    assert warning.startswith(f"{R25G}:{follows}: warning: record gaoxin-2024-new-enterprises-result: ")
    assert "(key-projects here, new-enterprises there)" in warning


# -- at most LIMIT problems ---------------------------------------------------------------------


def _records(count: int) -> str:
    """Records that are an id and an unknown key each."""
    return "".join(f'[[records]]\nid = "broken-{n}"\nbogus = 1\n' for n in range(count))


def test_at_most_the_limit_is_listed_then_how_many_more(tmp_path: Path) -> None:
    d = copy_kb(tmp_path / "kb", FIXTURE)
    (d / "articles/fixture-2025/records/zz.toml").write_text(_records(300), encoding="utf-8")
    doc = run_cli("validate", str(d), "--json").json()
    total = doc["errors"]
    assert len(doc["problems"]) == LIMIT and doc["unlisted"] == total - LIMIT and total > 300 * 9
    table = run_cli("validate", str(d))
    assert table.code == 3 and table.stdout.splitlines()[-1] == f"… and {total - LIMIT:,} more problems"
    assert len(table.stdout.splitlines()) == LIMIT + 2
    query = run_cli("areas", "--data", str(d))
    lines = query.stderr.splitlines()
    assert query.code == 3 and lines[0].endswith(f": {total:,} problems")
    assert len(lines) == LIMIT + 2 and lines[-1] == f"  … and {total - LIMIT:,} more problems"


def test_a_million_unknown_keys_are_one_problem(tmp_path: Path) -> None:
    """One record with 200,000 unknown keys: one problem naming how many, not 200,000 lines."""
    d = copy_kb(tmp_path / "kb", FIXTURE)
    keys = "".join(f"k{n} = 1\n" for n in range(200_000))
    edit(d, R25G, ('id = "gaoxin-2024-gdp"\n', 'id = "gaoxin-2024-gdp"\n' + keys))
    [problem] = report(d)
    assert problem.startswith(place(d, R25G, "k0 = 1") + " record gaoxin-2024-gdp: k0: unknown key")
    assert "199,999 more unknown keys (k1, k2, k3, …)" in problem


# -- an unreadable --data ----------------------------------------------------------------------


def _as_nobody() -> list[str]:
    """The command line that runs what follows as an unprivileged user (root can read anything)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot run as an unprivileged user")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.parametrize("mode", [0o000, 0o300], ids=["mode 000", "not readable"])
def test_an_unreadable_data_directory_says_permission_denied(mode: int) -> None:
    """As an unprivileged user (under root: `setpriv` to nobody), in a directory others may
    search (pytest's own are private to root)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="lycli-unreadable-"))
    try:
        base.chmod(0o755)
        d = copy_kb(base / "kb", FIXTURE)
        cache = base / "cache"
        cache.mkdir()
        cache.chmod(0o777)
        d.chmod(mode)
        result = subprocess.run(
            [*_as_nobody(), sys.executable, "-m", "liaoyuan_cli", "areas", "--data", str(d)],
            env=subprocess_env(cache),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        (base / "kb").chmod(0o755)
        shutil.rmtree(base)
    assert result.returncode == 2, result
    assert result.stderr == f"lycli: error: cannot use knowledge base {d}: Permission denied\n"


def test_validate_json_reports_counts_and_severities(broken_followup: Path) -> None:
    doc = run_cli("validate", str(broken_followup), "--json").json()
    assert doc["ok"] is False and doc["errors"] == len(doc["problems"]) and doc["unlisted"] == 0
    assert {p["severity"] for p in doc["problems"]} == {"error"}
    assert all(re.match(r"^[^:]+:\d+: ", p["text"]) for p in doc["problems"]), doc["problems"]
    assert json.dumps(doc)  # plain data
