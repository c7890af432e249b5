"""The second set of hand-coded held-out pages (tests/fixtures/pages2, invented): it validates,
it is marked invented throughout, it holds exactly the records and figures its CODING.md says,
and the queries answer from it as its coding implies (one computed verdict, --as-of windows, a
company's aims kept out of the targets)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from liaoyuan_cli import kb
from liaoyuan_cli.models import KnowledgeBase
from tests.conftest import ROOT, run_cli

PAGES2 = ROOT / "tests" / "fixtures" / "pages2"
KB = PAGES2 / "kb"
ARTICLES = ("interviews-2025-08", "followup-xian-2026", "gwr-longshan-2025")
BANNER_TOML = "# INVENTED TEST FIXTURE — not from any real article; never bundled"
BANNER_SOURCE = "本文为测试虚构文本，非真实报道（INVENTED TEST FIXTURE, not a real article）"


@cache
def _base() -> KnowledgeBase:
    return kb.load(KB)


def _article_of() -> dict[str, str]:
    return {s.id: s.article for s in _base().sections}


def _breakdown(cell: str) -> tuple[int, Counter[str]]:
    """'51 (30 result, 12 target, 9 view)' -> (51, {result: 30, target: 12, view: 9})."""
    total = int(cell.split()[0].strip("*"))
    parts = re.findall(r"(\d+) ([a-z]+)", cell[cell.find("(") :]) if "(" in cell else []
    return total, Counter({name: int(n) for n, name in parts})


def _table() -> dict[str, tuple[tuple[int, Counter[str]], tuple[int, Counter[str]], int]]:
    """CODING.md's table of the pages: article -> (records by kind, figures by role, follows)."""
    rows: dict[str, tuple[tuple[int, Counter[str]], tuple[int, Counter[str]], int]] = {}
    for line in (PAGES2 / "CODING.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        article = re.fullmatch(r"`([a-z0-9-]+)`", cells[0]) if len(cells) == 8 else None
        if article:
            rows[article.group(1)] = (_breakdown(cells[5]), _breakdown(cells[6]), int(cells[7]))
    return rows


def _json(*args: str) -> Any:
    run = run_cli(*args, "--data", str(KB), "--json")
    assert run.code == 0, run.stderr
    return run.json()


def _verdicts(*args: str) -> dict[str, str]:
    return {p["record"]["id"]: p["verdict"] for p in _json("track", *args)["pledges"]}


# -- the knowledge base ------------------------------------------------------------------------


def test_pages2_validate_without_problems_warnings_or_review_items() -> None:
    report = _json("validate")
    assert report["ok"] is True
    assert (report["errors"], report["warnings"], report["review_items"]) == (0, 0, 0)


def test_pages2_is_marked_invented_everywhere_and_never_bundled() -> None:
    tomls = sorted(KB.rglob("*.toml"))
    assert len(tomls) == 6 + 3 + 6  # shared files, article.toml, records/<area>.toml
    for path in tomls:
        assert path.read_text(encoding="utf-8").splitlines()[0] == BANNER_TOML, path
    for article in _base().articles:
        assert article.title_en.startswith("INVENTED TEST FIXTURE"), article.id
        source = (KB / "articles" / article.id / "source.txt").read_text(encoding="utf-8")
        assert source.splitlines()[0] == BANNER_SOURCE, article.id
    assert {a.id for a in _base().articles} == set(ARTICLES)
    bundled = {p.name for p in (ROOT / "data" / "articles").iterdir()}
    assert bundled.isdisjoint(ARTICLES)


def test_pages2_counts_match_the_coding_table() -> None:
    table = _table()
    article_of = _article_of()
    records = _base().records
    found = {}
    for article in ARTICLES:
        mine = [r for r in records if article_of[r.section] == article]
        kinds = Counter(r.kind.value for r in mine)
        roles = Counter(f.role.value for r in mine for f in r.figures)
        follows = sum(bool(r.follows) for r in mine)
        found[article] = ((len(mine), kinds), (roles.total(), roles), follows)
    assert set(table) == set(ARTICLES)
    assert found == table
    assert len(records) == 183
    assert sum(len(r.figures) for r in records) == 219


def test_pages2_figure_qualifiers_match_the_coding_notes() -> None:
    """The counts CODING.md gives under its table: thresholds, ranges, claims, ambiguous
    figures and the figures whose year is printed in their sentence."""
    article_of = _article_of()
    by_article: dict[str, list[Any]] = {a: [] for a in ARTICLES}
    for r in _base().records:
        by_article[article_of[r.section]].extend(r.figures)

    def count(test: Any) -> dict[str, int]:
        return {a: sum(1 for f in figs if test(f)) for a, figs in by_article.items()}

    assert count(lambda f: f.threshold is not None) == {
        "interviews-2025-08": 2,
        "followup-xian-2026": 4,
        "gwr-longshan-2025": 11,
    }
    assert sorted(f.stated for figs in by_article.values() for f in figs if f.value_max is not None) == [
        "固定资产投资增长5%—6%",
        "建设2至3个高标准示范片",
        "社会消费品零售总额增长6%至7%",
    ]
    claims = {(a, f.claim.value) for a, figs in by_article.items() for f in figs if f.claim is not None}
    assert claims == {("interviews-2025-08", "front_rank"), ("gwr-longshan-2025", "new_high")}
    assert count(lambda f: bool(f.readings_en)) == {
        "interviews-2025-08": 0,
        "followup-xian-2026": 1,
        "gwr-longshan-2025": 1,
    }
    assert count(lambda f: not f.year_inferred) == {
        "interviews-2025-08": 2,
        "followup-xian-2026": 4,
        "gwr-longshan-2025": 0,
    }


def test_only_the_jobs_result_follows_and_company_aims_are_views() -> None:
    """Rule 36: a mid-year result follows no full-year pledge unless it says the year's target
    is met; rule 37: a company's (or a deputy's) aims are views carrying target figures."""
    records = _base().records
    assert {r.id: r.follows for r in records if r.follows} == {
        "longshan-2025-h1-urban-jobs": ("longshan-2025-urban-jobs",)
    }
    aims = {
        r.id for r in records if r.kind.value == "view" and any(f.role.value == "target" for f in r.figures)
    }
    assert aims == {
        "dongliao-2025-jidong-rd-plan",
        "dongliao-2025-jidong-sales-aim",
        "dongliao-2026-jidong-phase-two",
        "xian-2026-chunhui-elevators-wish",
    }


# -- queries on it -------------------------------------------------------------------------------


def test_track_longshan_computes_one_verdict_the_jobs_pledge_met() -> None:
    track = _json("track", "longshan")
    pledges = {p["record"]["id"]: p for p in track["pledges"]}
    # The report's 38 targets and 8 plans, and the interview's 4 second-half targets.
    assert len(pledges) == 50
    assert {i for i, p in pledges.items() if p["verdict"] != "not_assessed"} == {"longshan-2025-urban-jobs"}
    jobs = pledges["longshan-2025-urban-jobs"]
    assert (jobs["verdict"], jobs["source"]) == ("met", "computed")
    [pair] = jobs["comparisons"]
    assert (pair["target"]["display"], pair["actual"]["display"], pair["outcome"]) == (
        "≥2500人",
        "2613人",
        "met",
    )
    assert pair["actual"]["article"] == "interviews-2025-08"
    assert [e["id"] for e in jobs["evidence"]] == ["longshan-2025-h1-urban-jobs"]
    # The first-half GDP (6.2%) does not judge the full-year target of about 6%.
    gdp = pledges["longshan-2025-gdp-growth"]
    assert (gdp["verdict"], gdp["comparisons"], gdp["evidence"]) == ("not_assessed", [], [])


def test_track_xian_nothing_follows_its_2026_pledges() -> None:
    assert Counter(_verdicts("xian").values()) == Counter({"not_assessed": 11})


def test_track_as_of_before_the_interviews_has_no_verdict() -> None:
    track = _json("track", "longshan", "--as-of", "2025-07")
    assert [a["id"] for a in track["articles"]] == ["gwr-longshan-2025"]
    verdicts = {p["record"]["id"]: p["verdict"] for p in track["pledges"]}
    assert len(verdicts) == 46
    assert set(verdicts.values()) == {"not_assessed"}


def test_track_as_of_after_the_interviews_answers_as_today() -> None:
    today = _verdicts("longshan")
    assert _verdicts("longshan", "--as-of", "2025-08") == today
    assert _verdicts("longshan", "--as-of", "2026") == today


def test_targets_answer_from_the_newest_article_or_as_of() -> None:
    now = _json("targets", "longshan")
    assert [a["id"] for a in now["articles"]] == ["interviews-2025-08"]
    assert {r["id"] for r in now["records"]} == {
        "longshan-2025-fai-rank-target",
        "longshan-2025-service-enterprises",
        "longshan-2025-smart-car-parks",
        "longshan-2025-night-market-target",
    }
    july = _json("targets", "longshan", "--as-of", "2025-07")
    assert [a["id"] for a in july["articles"]] == ["gwr-longshan-2025"]
    assert Counter(r["kind"] for r in july["records"]) == Counter({"target": 38, "plan": 8})
    before = _json("targets", "longshan", "--as-of", "2025-01-07")
    assert before["records"] == []
    assert "Without --as-of 2025-01-07" in before["explain"]["en"]


def test_a_companys_aims_are_not_the_countys_targets() -> None:
    assert _json("targets", "dongliao")["records"] == []
    views = _json("records", "--area", "dongliao", "--kind", "view")["records"]
    assert {r["id"] for r in views} == {
        "dongliao-2025-jidong-rd-plan",
        "dongliao-2025-jidong-sales-aim",
        "dongliao-2026-jidong-phase-two",
    }
