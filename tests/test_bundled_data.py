"""What only the bundled knowledge base can show: the modelling rules of issue 11 hold on the
real article, its pledges are honestly not yet assessed (issue 14), and its English reads
without Chinese but where a misprint is quoted as printed (issue 10)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import run_cli

HAN = re.compile(r"[\u3400-\u9fff]")


def figures_of(record: str) -> list[dict[str, Any]]:
    result = run_cli("show", record, "--json")
    assert result.code == 0, result.stderr
    figures: list[dict[str, Any]] = result.json()["record"]["figures"]
    return figures


def test_a_projects_size_is_an_attribute_not_a_target() -> None:
    """64亿元 describes the Tianying project Dongfeng names; it is no 2024 target of Dongfeng's."""
    (size,) = figures_of("dongfeng-2024-tianying-project")
    assert size["role"] == "attribute" and size["entity"] and size["unit"] == "亿元"
    attributes = run_cli("summarize", "dongfeng", "--json").json()["attributes"]
    assert any(f["record"] == "dongfeng-2024-tianying-project" for f in attributes)


def test_an_ambiguous_total_carries_both_readings_and_asserts_no_threshold() -> None:
    total = next(f for f in figures_of("gaoxin-2024-key-projects") if f["unit"] == "亿元")
    assert total["role"] == "attribute" and total["threshold_stated"] is None
    assert len(total["readings_en"]) == 2


def test_session_events_and_deputies_pledges_are_not_results_or_plans() -> None:
    records = {r["id"]: r for r in run_cli("records", "--area", "liaoyuan", "--json").json()["records"]}
    assert records["liaoyuan-2024-group-review"]["kind"] == "event"
    for pledge in ("liaoyuan-2024-zhang-fengdong-pledge", "liaoyuan-2024-jin-fengxiao-pledge"):
        assert (records[pledge]["kind"], records[pledge]["category"]) == ("view", "overall")


def test_every_bundled_pledge_is_not_yet_assessed() -> None:
    """One article only: no later session speaks, so no verdict is guessed."""
    result = run_cli("track", "--json")
    assert result.code == 0
    pledges = result.json()["pledges"]
    targets = run_cli("targets", "--json").json()["records"]
    assert pledges and len(pledges) == len(targets)
    assert {p["verdict"] for p in pledges} == {"not_assessed"}


def test_general_knowledge_is_marked_wherever_an_entity_is_shown() -> None:
    entities = run_cli("entities", "--json").json()["entities"]
    marked = [e for e in entities if e["general_knowledge_en"]]
    assert marked, "the bundled data marks some entity's context as general knowledge"
    for entity in marked[:2]:
        table = " ".join(run_cli("entities", entity["id"], "--lang", "en").stdout.split())
        assert "general knowledge" in table.lower(), entity["id"]


@pytest.mark.parametrize(
    "args",
    [
        ("targets", "gaoxin"),
        ("compare", "growth"),
        ("summarize",),
        ("summarize", "dongfeng"),
        ("track",),
        ("projects",),
        ("entities",),
        ("themes",),
        ("areas",),
        ("facet", "--by", "area,category"),
    ],
    ids=" ".join,
)
def test_english_tables_have_no_chinese_but_a_misprint_quoted_as_printed(args: tuple[str, ...]) -> None:
    out = run_cli(*args, "--lang", "en").stdout
    for line in out.splitlines():
        if HAN.search(line):
            assert re.search(r"printed|probably|possibly|‘", line), line
