"""Knowledge bases that are wrong in ways a type cannot see: each one validated, then crashed or
answered wrongly (red-team findings F1-F3, F18-F21, F23, F25). Each is a copy of the fixture
with one edit, run through the real validation; the problem must be reported where it stands."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import figures, kb, tracking
from liaoyuan_cli.errors import InvalidKnowledgeBase
from liaoyuan_cli.text import format_number
from liaoyuan_cli.vocab import Verdict

from .conftest import FIXTURE, copy_kb, run_cli

R24G = "articles/fixture-2024/records/gaoxin.toml"
R25G = "articles/fixture-2025/records/gaoxin.toml"
GDP = 'metric = "gdp"\nvalue = 85\n'


def hostile(tmp_path: Path, *edits: tuple[str, str, str], sources: dict[str, str] | None = None) -> Path:
    """A copy of the fixture with each (file, old, new) replacement made once (old '' appends new),
    and text added to article sources where new quotes must stand."""
    d = copy_kb(tmp_path / "kb", FIXTURE)
    for rel, old, new in edits:
        path = d / rel
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if old:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        else:
            text += "\n" + new + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for article, line in (sources or {}).items():
        path = d / "articles" / article / "source.txt"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    return d


def problems(d: Path) -> list[str]:
    """Every problem validation reports; the knowledge base must be refused."""
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(d)
    return [str(p) for p in caught.value.problems]


def one(found: list[str], *words: str) -> str:
    """The one problem that holds every word."""
    hits = [p for p in found if all(w in p for w in words)]
    assert len(hits) == 1, (words, found)
    return hits[0]


def record(ident: str, quote: str, *, section: str, area: str, kind: str = "result", extra: str = "") -> str:
    return (
        f'[[records]]\nid = "{ident}"\nsection = "{section}"\narea = "{area}"\nkind = "{kind}"\n'
        f'category = "projects"\nyear = 2024\nzh = "测试记录。"\nen = "Test record."\n'
        f'quote = "{quote}"\nvoice = "narration"\n{extra}\n'
    )


def projects_result(value: int, stated: str) -> str:
    return (
        '[[records.figures]]\nmetric = "key-projects"\n'
        f'value = {value}\nunit = "个"\nyear = 2024\nrole = "result"\nstage = "implemented"\n'
        'threshold = { value = 500, unit = "万元", comparator = "at_least", stated = "500万元以上" }\n'
        f'stated = "{stated}"\n'
    )


def test_the_fixture_itself_is_valid() -> None:
    kb.load(FIXTURE)


# -- F1: nan and inf --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_figure_value_is_a_located_problem(tmp_path: Path, value: str) -> None:
    d = hostile(tmp_path, (R24G, GDP, f'metric = "gdp"\nvalue = {value}\n'))
    found = one(problems(d), "record gaoxin-2023-gdp", "figures[0].value")
    assert "finite number" in found and found.startswith(f"{R24G}:")
    run = run_cli("validate", str(d))
    assert run.code == 3 and "Traceback" not in run.stderr and "figures[0].value" in run.stdout + run.stderr


def test_a_non_finite_threshold_is_a_located_problem(tmp_path: Path) -> None:
    old = 'threshold = { value = 500, unit = "万元", comparator = "at_least", stated = "500万元以上" }'
    d = hostile(tmp_path, (R24G, old, old.replace("value = 500", "value = inf")))
    one(problems(d), "record gaoxin-2024-key-projects", "figures[0].threshold.value", "finite number")


# -- F2: values beyond what a float holds exactly -----------------------------------------------


@pytest.mark.parametrize("value", ["1" + "0" * 400, "100000000000000000000", "1e20"])
def test_a_huge_value_is_refused_not_crashed_on(tmp_path: Path, value: str) -> None:
    stated = "测试产值完成100000000000000000000亿元"
    d = hostile(
        tmp_path,
        (
            R24G,
            "",
            record("gaoxin-2023-huge", stated, section="fixture-2024-gaoxin", area="gaoxin")
            + '[[records.figures]]\nmetric = "gdp"\n'
            f'value = {value}\nunit = "亿元"\nyear = 2023\nrole = "result"\nstated = "{stated}"\n',
        ),
        sources={"fixture-2024": stated},
    )
    found = one(problems(d), "record gaoxin-2023-huge", "value")
    assert "2**53" in found


def test_a_value_within_bounds_but_large_in_base_units_is_refused(tmp_path: Path) -> None:
    """10**8 亿元 is 10**16 yuan: more than a float holds exactly, though the number itself is small."""
    d = hostile(tmp_path, (R24G, GDP, 'metric = "gdp"\nvalue = 100000000\n'))
    assert "2**53" in one(problems(d), "record gaoxin-2023-gdp", "figures[0]", "value")


def test_base_never_overflows_nor_makes_up_digits() -> None:
    assert figures.base({"value": 72, "unit": "亿元"}) == (7_200_000_000, "yuan")
    assert isinstance(figures.base({"value": 8.5, "unit": "亿元"})[0], int)
    value, unit = figures.base({"value": 1e20, "unit": "亿元"})
    assert isinstance(value, float) and value == 1e28 and unit == "yuan"  # not 9999999999999999583119736832
    value, _ = figures.base({"value": 10**400, "unit": "亿元"})
    assert isinstance(value, float) and math.isinf(value)
    assert figures.base({"value": float("nan"), "unit": "%"})[0] is None
    assert format_number(float("nan")) == "nan" and format_number(float("inf")) == "inf"
    assert format_number(1e28) == "1e+28"  # not 28 digits of which 12 are made up
    assert (
        format_number(12345.67) == "12345.67" and format_number(72.0) == "72" and format_number(8.5) == "8.5"
    )


# -- F3: dates of the calendar --------------------------------------------------------------------

GAOXIN_DATE = (
    'quote = "聚力“三个坚持” 加快建设创新型高新区"\n\n[sections.date]\nstated = "市九届人大三次会议期间"\n'
)


@pytest.mark.parametrize("iso", ["2024-13", "2024-00", "2024-02-30", "2023-02-29", "2024-04-31", "0000"])
def test_a_date_not_in_the_calendar_is_a_problem(tmp_path: Path, iso: str) -> None:
    precision = {1: "year", 2: "month", 3: "day"}[len(iso.split("-"))]
    d = hostile(
        tmp_path,
        (
            "articles/fixture-2024/article.toml",
            GAOXIN_DATE + 'iso = "2024-01"\nprecision = "month"',
            GAOXIN_DATE + f'iso = "{iso}"\nprecision = "{precision}"',
        ),
    )
    assert "calendar" in one(problems(d), "section fixture-2024-gaoxin", "date.iso")


def test_a_leap_day_is_a_date(tmp_path: Path) -> None:
    d = hostile(tmp_path, ("assessments.toml", 'as_of = "2024-07"', 'as_of = "2024-02-29"'))
    kb.load(d)


@pytest.mark.parametrize(
    ("iso", "precision"), [("2024-01-09", "month"), ("2024", "month"), ("2024-01", "day")]
)
def test_a_date_says_as_much_as_its_precision(tmp_path: Path, iso: str, precision: str) -> None:
    d = hostile(
        tmp_path,
        (
            "articles/fixture-2024/article.toml",
            'iso = "2024-01"\nprecision = "month"',
            f'iso = "{iso}"\nprecision = "{precision}"',
        ),
    )
    assert "precision" in one(problems(d), "article fixture-2024", "date")


@pytest.mark.parametrize(
    ("iso", "parts"), [("2024-13", [2024]), ("2024-00", [2024]), ("2024-01-32", [2024, 1])]
)
def test_a_citation_never_indexes_a_month_that_is_not_one(store: Any, iso: str, parts: list[int]) -> None:
    """The cache holds only validated dates; should one slip through, cite drops what is not a month."""
    from liaoyuan_cli import cite, queries

    ctx = copy.deepcopy(queries._context(store, store.record("gaoxin-2023-gdp")))
    ctx["section"]["date"]["iso"] = iso
    ctx["article"]["date"] = iso  # the page's date, which the styles give as published
    for style in cite.STYLES:
        text, item = cite.render(style, ctx)
        assert "December" not in text and "dec" not in text.split("month")[-1][:8]
        assert item["issued"]["date-parts"] == [parts] and "32" not in text


# -- F18: a recorded verdict the figures contradict -------------------------------------------

LIE = """
[[assessments]]
id = "assess-lie"
target = "gaoxin-2024-key-projects"
verdict = "not_met"
as_of = "2025-02"
assessor = "Liar"
note_en = "Says not met although the 2025 results show 46 and 23 against 40 and 20."
"""


def test_an_assessment_without_evidence_cannot_contradict_the_followers(tmp_path: Path) -> None:
    d = hostile(tmp_path, ("assessments.toml", "", LIE))
    found = one(problems(d), "assessment assess-lie", "verdict")
    assert "recorded not_met" in found and "say met" in found and found.startswith("assessments.toml:")


def test_an_older_assessment_is_judged_by_what_was_published_by_its_date(tmp_path: Path) -> None:
    """in_progress as of mid-2024, before the 2025 results: true then, and superseded by a later
    assessment that agrees with them. Alone, it would stand beside comparisons that say met."""
    early = LIE.replace("not_met", "in_progress").replace("2025-02", "2024-07").replace("-lie", "-early")
    later = LIE.replace("not_met", "met")
    kb.load(hostile(tmp_path / "superseded", ("assessments.toml", "", early + later)))
    found = one(problems(hostile(tmp_path / "alone", ("assessments.toml", "", early))), "assess-early")
    assert "recorded in_progress, but the figures say met" in found


def test_evidence_must_follow_the_target_or_concern_its_area(tmp_path: Path) -> None:
    d = hostile(
        tmp_path,
        (
            "assessments.toml",
            'evidence = ["gaoxin-2024-hydrogen-started"]',
            'evidence = ["gaoxin-2024-hydrogen-started", "dongfeng-2024-gdp-growth-result"]',
        ),
    )
    found = one(problems(d), "assessment assess-gaoxin-hydrogen-project", "evidence")
    assert "dongfeng-2024-gdp-growth-result" in found and "gaoxin" in found


def test_evidence_dated_after_the_assessment_is_a_problem(tmp_path: Path) -> None:
    d = hostile(
        tmp_path,
        (
            "assessments.toml",
            'as_of = "2025-01"\nevidence = ["gaoxin',
            'as_of = "2024-12"\nevidence = ["gaoxin',
        ),
    )
    assert "after" in one(problems(d), "assessment assess-gaoxin-smart-park-2025-01", "evidence")


# -- F19: the newest result decides; one article states one result per series ---------------------


def test_two_followers_in_one_article_that_disagree_are_a_problem(tmp_path: Path) -> None:
    quote = "据核实，全年实际实施500万元以上项目30个"
    revised = record(
        "gaoxin-2024-key-projects-revised",
        quote,
        section="fixture-2025-gaoxin",
        area="gaoxin",
        extra='follows = ["gaoxin-2024-key-projects"]',
    ) + projects_result(30, "实施500万元以上项目30个")
    for where in ("before", "after"):
        path = FIXTURE / R25G
        text = path.read_text(encoding="utf-8")
        d = hostile(tmp_path / where, sources={"fixture-2025": quote})
        (d / R25G).write_text(revised + text if where == "before" else text + revised, encoding="utf-8")
        found = one(
            problems(d), "follows", "gaoxin-2024-key-projects-revised", "gaoxin-2024-key-projects-result"
        )
        assert "30" in found and "46" in found


def _correction(tmp_path: Path, value: int, directory: str = "a-correction") -> Path:
    """A third article, dated 2026 but in a directory that sorts first, correcting the 2024 count."""
    quote = f"经复核，2024年全区实施500万元以上项目{value}个"
    article = f"""
[[articles]]
id = "{directory}"
title_zh = "测试更正"
title_en = "INVENTED correction"
title_supplied = true
session_zh = "测试会议"
session_en = "Test session"
source_file = "articles/{directory}/source.txt"

[articles.date]
iso = "2026-01"
precision = "month"
inferred = true

[[sections]]
id = "{directory}-gaoxin"
article = "{directory}"
kind = "interview"
area = "gaoxin"
headline_zh = "测试更正"
headline_en = "Correction"
reporters = ["ge-xiaodong"]
quote = "{quote}"

[sections.date]
iso = "2026-01"
precision = "month"
inferred = true
"""
    rec = record(
        "gaoxin-2024-key-projects-corrected",
        quote,
        section=f"{directory}-gaoxin",
        area="gaoxin",
        extra='follows = ["gaoxin-2024-key-projects"]',
    ) + projects_result(value, f"实施500万元以上项目{value}个")
    met = LIE.replace("not_met", "met").replace("2025-02", "2026-02").replace("assess-lie", "assess-met")
    d = hostile(
        tmp_path,
        (f"articles/{directory}/article.toml", "", article),
        (f"articles/{directory}/records/gaoxin.toml", "", rec),
        ("assessments.toml", "", met),
    )
    (d / f"articles/{directory}/source.txt").write_text(quote + "\n", encoding="utf-8")
    return d


def test_the_newest_article_decides_whatever_the_directory_order(tmp_path: Path) -> None:
    """The 2026 correction (30 of 40: partly met) sorts before fixture-2025 (46: met) but is newer."""
    found = one(problems(_correction(tmp_path, 30)), "assessment assess-met", "verdict")
    assert "recorded met" in found and "partly_met" in found
    kb.load(_correction(tmp_path / "agrees", 46))


def _row(value: int, article: str, record: str) -> dict[str, Any]:
    th = {"value": 500, "unit": "万元", "comparator": "at_least", "stated": "500万元以上"}
    return {"metric": "key-projects", "value": value, "unit": "个", "year": 2024, "role": "result",
            "stage": "implemented", "threshold": th, "article": article, "record": record}  # fmt: skip


def test_verdicts_do_not_depend_on_the_order_results_come_in() -> None:
    target = {**_row(40, "a", "t"), "role": "target", "comparator": "exact"}
    old, new = _row(46, "fixture-2025", "r1"), _row(30, "a-correction", "r2")
    dates = {"fixture-2025": "2025-01", "a-correction": "2026-01"}
    for results in ([old, new], [new, old]):
        verdict, pairs = tracking.verdict([target], results, dates=dates)
        assert verdict == Verdict.partly_met and pairs[0][1] is new
        assert tracking.settle([target], results, [], dates=dates).verdict == Verdict.partly_met
    # Without dates the caller's order is oldest to newest: the last result of a series decides.
    assert tracking.verdict([target], [new, old])[0] == Verdict.met
    # On the same date the article id, then the record id, breaks the tie.
    tie = {"fixture-2025": "2025-01", "a-correction": "2025-01"}
    assert tracking.verdict([target], [old, new], dates=tie)[1][0][1] is old
    assert tracking.verdict([target], [new, old], dates=tie)[1][0][1] is old


# -- F20: every name the store answers to is checked for collisions ------------------------------


def test_an_area_pinyin_that_names_another_area_is_a_problem(tmp_path: Path) -> None:
    d = hostile(
        tmp_path, ("areas.toml", 'pinyin = "Liaoyuan Gaoxin Jishu Chanye Kaifaqu"', 'pinyin = "Dongfeng"')
    )
    assert "('dongfeng', case, spaces and hyphens aside) also names area dongfeng" in one(
        problems(d), "areas.toml", "area gaoxin"
    )


def test_an_entity_pinyin_or_english_name_that_names_another_entity_is_a_problem(tmp_path: Path) -> None:
    d = hostile(
        tmp_path,
        ("entities.toml", 'pinyin = "Zhengfu Gongzuo Baogao"', 'pinyin = "Jinhui Park"'),
        ("entities.toml", 'en = "Jinhui New Materials Industrial Park"', 'en = "Jiyuan Hydrogen"'),
    )
    found = problems(d)
    one(found, "entity government-work-report", "'jinhuipark'", "also names entity jinhui-park")
    one(found, "'Jiyuan Hydrogen'", "also names entity")


def test_an_id_is_never_another_items_name(tmp_path: Path) -> None:
    d = hostile(tmp_path, ("entities.toml", 'en = "Government Work Report"', 'en = "Jinhui-Park"'))
    one(problems(d), "entity government-work-report", "'jinhuipark'", "also names entity jinhui-park")


def test_a_misprinted_area_name_that_is_another_areas_name_is_a_problem(tmp_path: Path) -> None:
    """The misprint 辽源高薪技术产业开发区 stands for gaoxin; a real name of dongfeng would take it."""
    d = hostile(
        tmp_path,
        ("areas.toml", 'aliases = ["dongfeng", ', 'aliases = ["辽源高薪技术产业开发区", "dongfeng", '),
    )
    one(problems(d), "erratum fixture-2024-gaoxin-name", "printed", "also names area dongfeng")


# -- F21: former ids ------------------------------------------------------------------------------


def test_a_former_id_that_is_another_records_id_is_a_problem(tmp_path: Path) -> None:
    rel = "articles/fixture-2024/records/dongfeng.toml"
    new = 'id = "dongfeng-2024-reserve-projects"\nformerly = ["gaoxin-2023-gdp"]\n'
    d = hostile(tmp_path, (rel, 'id = "dongfeng-2024-reserve-projects"\n', new))
    assert "gaoxin-2023-gdp" in one(problems(d), "record dongfeng-2024-reserve-projects", "formerly")


def test_two_records_with_one_former_id_are_a_problem(tmp_path: Path) -> None:
    rel = "articles/fixture-2024/records/dongfeng.toml"
    d = hostile(
        tmp_path,
        (
            rel,
            'id = "dongfeng-2024-reserve-projects"\n',
            'id = "dongfeng-2024-reserve-projects"\nformerly = ["old-id"]\n',
        ),
        (R24G, 'id = "gaoxin-2023-gdp"\n', 'id = "gaoxin-2023-gdp"\nformerly = ["old-id"]\n'),
    )
    found = one(problems(d), "formerly", "old-id")
    assert "gaoxin-2023-gdp" in found and "dongfeng-2024-reserve-projects" in found


# -- F23: a series is one threshold: its comparator and its size in base units ---------------------


def _fig(value: float, unit: str, comparator: str = "at_least") -> dict[str, Any]:
    th = {"value": value, "unit": unit, "comparator": comparator, "stated": "x"}
    return {"metric": "key-projects", "year": 2024, "role": "target", "stage": "implemented", "threshold": th}


def test_series_keep_comparators_apart_and_sizes_together() -> None:
    assert figures.series_key(_fig(500, "万元")) != figures.series_key(_fig(500, "万元", "at_most"))
    assert figures.series_key(_fig(10000, "万元")) == figures.series_key(_fig(1, "亿元"))
    assert figures.series_key(_fig(0.5, "亿元")) == figures.series_key(_fig(5000, "万元"))
    assert (
        figures.series_key(_fig(1, "亿元")) == "key-projects|2024|target|1亿元+|implemented"
    )  # as documented
    result = {**_fig(10000, "万元"), "role": "result"}
    assert tracking.same_series(_fig(1, "亿元"), result)
    assert not tracking.same_series(_fig(10000, "万元", "at_most"), result)


def test_the_cache_and_tracking_agree_with_the_vocabulary_on_units() -> None:
    from liaoyuan_cli.vocab import Unit

    for unit in Unit:
        amount, _, _ = tracking.threshold({"threshold": {"value": 1, "unit": unit.value}}) or (None, "", "")
        assert amount == unit.factor


# -- F25: a figure's value stands in its words as a whole number --------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (GDP, 'metric = "gdp"\nvalue = 5\n', "figures[0].value"),
        ("value = 7.2\n", "value = 2\n", "figures[1].value"),
    ],
)
def test_a_value_that_is_only_part_of_a_printed_number_is_a_problem(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    d = hostile(tmp_path, (R24G, old, new))
    assert "does not appear" in one(problems(d), "record gaoxin-2023-gdp", field)


@pytest.mark.parametrize(
    ("text", "value", "found"),
    [
        ("地区生产总值完成85亿元", 85, True),
        ("地区生产总值完成85亿元", 5, False),
        ("增长7.2%", 2, False),
        ("增长7.2%", 7, False),
        ("增长7.2%", 7.2, True),
        ("失业率为4.0%", 4, True),
        ("增长8.50%", 8.5, True),
        ("新增智能袜机2,400台", 2400, True),
        ("新增智能袜机2,400台", 400, False),
        ("新增智能袜机12400台", 2400, False),
        ("增长-2.1%", -2.1, True),
        ("增长-2.1%", 2.1, False),
        ("增长5%-8%", 8, True),
        ("全省第十名", 10, True),
        ("全省第十一名", 10, False),
        ("全省第十一名", 1, False),
        ("全市第一", 1, True),
        ("近万台设备", 10000, True),
        ("近十万台设备", 10000, False),
        ("项目80个以上", 80, True),
        ("亿元以上项目10个", 10, True),
        ("10亿元以上项目不低于2个", 2, True),
    ],
)
def test_a_number_stands_whole(text: str, value: float, found: bool) -> None:
    from liaoyuan_cli.numerals import states_number

    assert states_number(text, value) is found


PROJECT_STAGE = 'stages = [{ stage = "completed", year = 2024, role = "target", words = "建成" }]\n'


@pytest.mark.parametrize(
    ("new", "words"),
    [
        (PROJECT_STAGE.replace("建成", "投产"), ("stages", "投产", "quote")),
        (PROJECT_STAGE.replace('"target"', '"attribute"'), ("stages", "not an attribute")),
    ],
)
def test_a_project_stage_stands_in_its_quote_and_is_reached_or_aimed_at(
    tmp_path: Path, new: str, words: tuple[str, ...]
) -> None:
    d = hostile(tmp_path, ("entities.toml", PROJECT_STAGE, new))
    one(problems(d), "citizen-service-center", *words)


def test_only_a_project_park_or_programme_has_stages(tmp_path: Path) -> None:
    d = hostile(tmp_path)
    path = d / "entities.toml"
    text = path.read_text(encoding="utf-8")
    company = text.index('id = "jiyuan-hydrogen"')
    at = text.index('article = "fixture-2024"\n', company) + len('article = "fixture-2024"\n')
    path.write_text(text[:at] + PROJECT_STAGE.replace("建成", "投资建设") + text[at:], encoding="utf-8")
    one(problems(d), "jiyuan-hydrogen", "only a project, park or programme has stages")
