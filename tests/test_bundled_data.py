"""What only the bundled knowledge base can show: the modelling rules of issue 11 hold on the
real article, its pledges are honestly not yet assessed (issue 14), and its English reads
without Chinese but where a misprint is quoted as printed (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import copy_kb, run_cli

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


# -- issue 24 ------------------------------------------------------------------------------------


def theme(theme_id: str) -> set[str]:
    result = run_cli("records", "--theme", theme_id, "--json")
    assert result.code == 0, result.stderr
    return {r["id"] for r in result.json()["records"]}


@pytest.mark.parametrize(
    ("theme_id", "members", "strangers"),
    [
        # 医疗器械产业园 is an industrial park; 一实验小学 a school
        ("education-health", {"longshan-2024-school-relocation"}, {"dongfeng-2024-medical-park-phase-two"}),
        ("elderly-care", {"dongfeng-2024-left-behind-care", "xian-2024-key-small-matters"}, set()),
        (
            "agriculture-food",
            {
                "dongfeng-2024-pine-nut-park-upgrade",  # 松籽加工向食品健康产业
                "dongfeng-2024-agri-food-incubation",  # 农林食品产业园
                "longshan-2024-prepared-food",  # 周家酸菜, 预制菜
                "dongliao-2024-advantage-projects",  # 金翼蛋液, 奥泉冷冻蔬菜
            },
            set(),
        ),
        # 现代零碳高地 is the city's slogan in Dongfeng's closing resolve, not a new-energy measure
        ("new-energy", {"gaoxin-2024-zero-carbon-supporting-park"}, {"dongfeng-2024-closing-resolve"}),
        ("pharmaceuticals", {"dongfeng-2024-medical-park-phase-two"}, set()),
    ],
)
def test_theme_membership_of_issue_24(theme_id: str, members: set[str], strangers: set[str]) -> None:
    held = theme(theme_id)
    assert members <= held, members - held
    assert not strangers & held, strangers & held


def test_a_counted_stage_is_not_said_twice_and_a_past_year_is_not_under_way() -> None:
    rows = {
        (r["record"], r["metric"]): r
        for r in run_cli("figures", "--json").json()["figures"]
        if r["record"] in ("dongliao-2024-reserve-projects", "dongfeng-2023-key-projects")
    }
    reserve = rows["dongliao-2024-reserve-projects", "reserve-projects"]["display_en"]
    assert reserve == "at least 80 projects held in reserve"
    done = rows["dongfeng-2023-key-projects", "key-projects"]["display_en"]
    assert done.endswith("carried out") and "under way" not in done
    pledged = run_cli("figures", "--json").json()["figures"]
    assert any(
        r["record"] == "longshan-2024-key-projects" and "under way" in r["display_en"] for r in pledged
    )


def test_a_year_read_from_the_past_year_must_be_marked_as_read(tmp_path: Path) -> None:
    """过去一年 names 2023 by the page's date; a record that drops year_inferred is refused."""
    kb = copy_kb(tmp_path / "kb")
    path = kb / "articles" / "session-2024" / "records" / "dongfeng.toml"
    text = path.read_text(encoding="utf-8")
    marked = 'id = "dongfeng-2023-three-significant-leaps"'
    head, tail = text.split(marked)
    path.write_text(head + marked + tail.replace("year_inferred = true\n", "", 1), encoding="utf-8")
    result = run_cli("validate", str(kb))
    assert result.code == 3
    assert (
        "dongfeng-2023-three-significant-leaps: year_inferred: the words say 过去一年"
        in result.stdout + result.stderr
    )


def test_the_report_photo_caption_is_kept_as_a_caption_credited_jointly(bundled: Any) -> None:
    """代表审议报告。 stands under the report's headline; the page credits its pictures jointly."""
    (caption,) = bundled.sections()["session-report"]["captions"]
    assert caption["quote"] == "代表审议报告。" and caption["en"] == "Deputies review the report."
    assert caption["photographers"] == ["liu-ying", "wei-lijun"]
    assert caption["credit"] == "本版图片由本报记者 刘鹰 魏利军 摄"
    records = run_cli("records", "--json").json()["records"]
    assert not any("代表审议报告" in r["quote"] for r in records)  # a caption, never a claim


def test_a_caption_must_stand_in_the_page_and_credit_known_people(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path / "kb")
    path = kb / "articles" / "session-2024" / "article.toml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace('quote = "代表审议报告。"', 'quote = "代表们审议报告。"').replace(
        'photographers = ["liu-ying", "wei-lijun"]\ncredit', 'photographers = ["liu-ying", "nobody"]\ncredit'
    )
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    result = run_cli("validate", str(kb))
    said = result.stdout + result.stderr
    assert result.code == 3
    assert "captions[0].quote: not found in the source text" in said
    assert "captions[0].photographers: unknown person 'nobody'" in said
