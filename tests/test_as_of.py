"""The corpus rule (docs/data-model.md, "Which article answers") on the fixture knowledge base:
three invented articles, the third (fixture-2026) speaking of the High-tech Zone only and
stating no pledge. For every command that reads articles: its default, and --as-of."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli.api import Knowledge
from liaoyuan_cli.errors import UsageError

from .conftest import FIXTURE, run_cli


@pytest.fixture
def kb(store: Any) -> Knowledge:
    return Knowledge(store)


def articles(result: Any, key: str = "records") -> set[str]:
    return {r["article"] for r in result[key]}


def test_a_one_area_page_of_results_hides_no_area_s_pledges(kb: Knowledge) -> None:
    # fixture-2026 is the newest article, but states no pledge, and only of the zone.
    every = kb.targets()
    assert {(a["area"], a["article"]) for a in every["answered"]} == {
        ("gaoxin", "fixture-2025"),
        ("dongfeng", "fixture-2025"),
        ("liaoyuan", "fixture-2024"),
    }
    assert articles(every) == {"fixture-2025", "fixture-2024"}
    assert {r["area"] for r in every["records"]} == {"gaoxin", "dongfeng", "liaoyuan"}


def test_a_series_comes_from_the_newest_article_that_states_it_older_series_staying(kb: Knowledge) -> None:
    gdp = [
        (f["year"], f["role"], f["value"], f["article"])
        for f in kb.metrics("gaoxin")["figures"]
        if f["metric"] == "gdp-growth"
    ]
    # 2024's growth as restated by fixture-2026 (6.9), not fixture-2025's 6.8; 2023's stays.
    assert (2024, "result", 6.9, "fixture-2026") in gdp
    assert (2024, "result", 6.8, "fixture-2025") not in gdp
    assert (2023, "result", 7.2, "fixture-2024") in gdp
    then = [
        (f["year"], f["role"], f["value"], f["article"])
        for f in kb.metrics("gaoxin", as_of="2025")["figures"]
        if f["metric"] == "gdp-growth"
    ]
    assert (2024, "result", 6.8, "fixture-2025") in then
    assert all(f[3] != "fixture-2026" for f in then)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2024", {"fixture-2024"}), ("2025-01", {"fixture-2024", "fixture-2025"}), ("2026-01-31", None)],
)
def test_as_of_a_year_month_or_day_means_its_end(
    kb: Knowledge, as_of: str, expected: set[str] | None
) -> None:
    every = {"fixture-2024", "fixture-2025", "fixture-2026"}
    assert articles(kb.records(as_of=as_of)) == (expected or every)
    assert articles(kb.figures(as_of=as_of), "figures") == (expected or every)


def test_targets_and_track_as_of(kb: Knowledge) -> None:
    assert articles(kb.targets("gaoxin", as_of="2024")) == {"fixture-2024"}
    today = {p["record"]["id"]: p["verdict"] for p in kb.track("gaoxin")["pledges"]}
    then = {p["record"]["id"]: p["verdict"] for p in kb.track("gaoxin", as_of="2025")["pledges"]}
    # The 2025 pledge is met by fixture-2026's result, which did not exist as of 2025.
    assert today["gaoxin-2025-gdp-growth"] == "met"
    assert then["gaoxin-2025-gdp-growth"] == "not_assessed"
    assert then["gaoxin-2024-smart-park"] == today["gaoxin-2024-smart-park"] == "met"


def test_search_facet_summarize_and_projects_keep_to_the_window(kb: Knowledge) -> None:
    hits = [h["id"] for h in kb.search("氢能")["hits"]]
    assert "gaoxin-2025-phase-two-started" in hits
    assert "gaoxin-2025-phase-two-started" not in [h["id"] for h in kb.search("氢能", as_of="2025")["hits"]]
    counted = kb.facet(by=["area"], as_of="2024")
    assert counted["total"] == len(kb.records(as_of="2024")["records"])
    assert [a["id"] for a in kb.summarize(as_of="2024")["articles"]] == ["fixture-2024"]
    projects = kb.projects(as_of="2024")["projects"]
    assert projects and all(p["articles"] == ["fixture-2024"] for p in projects)


def test_show_as_of_reads_followers_and_assessments_of_that_date(kb: Knowledge) -> None:
    today = kb.show("gaoxin-2024-smart-park")
    then = kb.show("gaoxin-2024-smart-park", as_of="2024-08")
    assert today["followed_by"] and not then["followed_by"]
    assert [a["as_of"] for a in today["assessments"]] == ["2024-07", "2025-01"]
    assert [a["as_of"] for a in then["assessments"]] == ["2024-07"]
    with pytest.raises(UsageError, match="after --as-of 2024"):
        kb.show("dongfeng-2024-gdp-growth-result", as_of="2024")


def test_an_article_later_than_as_of_is_a_usage_error_that_says_so() -> None:
    done = run_cli(
        "targets", "gaoxin", "--article", "fixture-2026", "--as-of", "2025", "--json", "--data", str(FIXTURE)
    )
    assert done.code == 2 and done.stdout == ""
    assert "fixture-2026 is dated 2026-01-31, after --as-of 2025" in done.stderr


def test_an_empty_answer_says_why_and_what_brings_rows_back(kb: Knowledge) -> None:
    before = kb.targets("gaoxin", as_of="2023")
    assert before["records"] == [] and "Without --as-of 2023" in before["explain"]["en"]
    assert "去掉 --as-of 2023" in before["explain"]["zh"]
    nothing = kb.records(year=1999, as_of="2024")
    assert nothing["explain"] is not None and "--year 1999" in nothing["explain"]["en"]


def test_a_city_wide_table_says_which_article_answered_for_each_area() -> None:
    shown = run_cli("targets", "--lang", "en", "--data", str(FIXTURE))
    assert shown.code == 0
    tail = shown.stdout[shown.stdout.index("Each area from its own newest article") :]
    assert "fixture-2024: Liaoyuan City" in tail
    assert "fixture-2025: High-tech Zone, Dongfeng County" in tail


def test_as_of_before_every_article_names_no_later_official(kb: Knowledge) -> None:
    """Red-team round: --as-of 2023 showed the zone's official of 2025 over an empty answer."""
    for answer in (kb.targets("gaoxin", as_of="2023"), kb.metrics("gaoxin", as_of="2023")):
        assert answer["areas"][0]["official"] is None
    assert kb.summarize("gaoxin", as_of="2023")["area"]["official"] is None
    assert kb.targets("gaoxin", as_of="2024")["areas"][0]["official"]["pinyin"] == "Han Liqun"


def test_a_saved_graphic_credits_the_articles_it_was_drawn_from(tmp_path: Path) -> None:
    """A graphic's source line named every article of the knowledge base: at --as-of 2024 it
    credited the 2025 and 2026 pages too (and a corpus of 1,000 would be 1,000 credits)."""
    chart = tmp_path / "c.html"
    done = run_cli(
        "compare", "growth", "--as-of", "2024", "--lang", "en", "--html", str(chart), "--data", str(FIXTURE)
    )
    assert done.code == 0, done.stderr
    saved = chart.read_text(encoding="utf-8")
    assert "Third Session" in saved and "Fourth Session" not in saved and "Fifth Session" not in saved
