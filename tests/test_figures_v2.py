"""The figure model, version 2 (issue 19): open units with scales and base units, ranges, the new
comparators and intents, numbers in words, and review markers listed with file and line."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from liaoyuan_cli import figures, kb, tracking
from liaoyuan_cli.errors import InvalidKnowledgeBase
from liaoyuan_cli.numerals import chinese_value, numbers, states_number
from liaoyuan_cli.vocab import Comparator, Intent, Scope, Unit, Verdict, to_base, unit_of

FIXTURE = Path(__file__).parent / "fixtures" / "kb"
EXAMPLES = Path(__file__).parent / "fixtures" / "draft-examples" / "kb"


# -- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "base", "factor"),
    [
        ("亿元", "yuan", 10**8),
        ("万元", "yuan", 10**4),
        ("千万元", "yuan", 10**7),
        ("亿美元", "US dollar", 10**8),
        ("万人", "count", 10**4),
        ("家", "count", 1),
        ("个百分点", "percentage point", 1),
        ("亿斤", "kilogram", Decimal("5E+7")),
        ("万平方米", "square metre", 10**4),
        ("万千瓦", "watt", 10**7),
        ("公里", "metre", 1000),
        ("成", "percent", 10),
        ("倍", "percent", 100),
        ("名", "rank", 1),
    ],
)
def test_a_printed_unit_is_read_with_its_scale_and_base(printed: str, base: str, factor: int) -> None:
    read = unit_of(printed)
    assert read is not None and read.base == base and read.factor == factor


def test_an_unknown_measure_word_is_its_own_base_and_digits_are_no_unit() -> None:
    read = unit_of("万辆吨")
    assert read is not None and read.base == "辆吨" and read.factor == 10**4
    assert unit_of("5个") is None and unit_of("") is None


def test_a_scale_in_the_unit_or_in_the_value_gives_the_same_base_value() -> None:
    assert to_base(5, "万人") == to_base(50000, "人") == (Decimal(50000), "count")
    assert figures.base({"value": 1.2, "unit": "亿元"}) == figures.base({"value": 12000, "unit": "万元"})


def test_percent_equivalents_of_cheng_bei_and_fan() -> None:
    assert to_base(3, "成") == (Decimal(30), "percent")
    assert to_base(1, "倍") == (Decimal(100), "percent")
    assert to_base(1, "番") == (Decimal(100), "percent")  # 翻一番: doubled
    assert to_base(2, "番") == (Decimal(300), "percent")  # 翻两番: four times as much


def test_the_cache_and_tracking_agree_with_the_vocabulary_on_every_unit() -> None:
    for unit in Unit:
        amount, base, _ = tracking.threshold({"threshold": {"value": 1, "unit": unit.value}}) or (
            None,
            "",
            "",
        )
        assert (amount, base) == (unit.factor, unit.base)


def test_a_result_in_another_scale_judges_a_target() -> None:
    target = {"metric": "jobs", "value": 5, "unit": "万人", "role": "target", "year": 2024}
    assert tracking.judge(target, {**target, "role": "result", "value": 52000, "unit": "人"}) == Verdict.met
    assert (
        tracking.judge(target, {**target, "role": "result", "value": 4.8, "unit": "万人"})
        == Verdict.partly_met
    )
    assert tracking.judge(target, {**target, "role": "result", "value": 5, "unit": "万元"}) is None


# -- numbers as printed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二", 12),
        ("两千五百", 2500),
        ("三万五千", 35000),
        ("一百零五", 105),
        ("二〇二四", 2024),
        ("三万五", 35000),
    ],
)
def test_chinese_numerals_are_read(text: str, value: int) -> None:
    assert chinese_value(text) == value


def test_numbers_keep_the_scale_printed_after_them_apart() -> None:
    assert [(n.value, n.scale) for n in numbers("5万人，72亿元，三万人，第十一名")] == [
        (5, "万"),
        (72, "亿"),
        (3, "万"),
        (11, ""),
    ]
    assert [n.value for n in numbers("百分之十二")] == [12]


@pytest.mark.parametrize(
    ("stated", "value", "unit", "states"),
    [
        ("5万人", 5, "万人", True),
        ("5万人", 50000, "人", True),
        ("5万人", 50000, "万人", False),  # the scale counted twice
        ("5万人", 5, "人", False),  # the scale dropped
        ("万台林机", 10000, "台", True),
        ("第十一名", 10, "名", False),
        ("85亿元", 5, "亿元", False),
        ("百分之十二", 12, "%", True),
        ("翻一番", 1, "番", True),
        ("三成", 3, "成", True),
        ("前三", 3, "名", True),
        ("增长10%—15%", 15, "%", True),
        ("5千瓦", 5, "千瓦", True),
    ],
)
def test_stated_words_print_the_value_in_its_unit(stated: str, value: float, unit: str, states: bool) -> None:
    assert states_number(stated, value, unit) is states


# -- how a figure reads ---------------------------------------------------------------------------


def test_ranges_open_units_and_the_new_comparators_read_in_both_languages() -> None:
    growth = {"value": 10, "value_max": 15, "unit": "%", "comparator": "exact"}
    assert figures.display(growth) == "10%—15%"
    assert figures.display_en(growth) == "10–15%"
    assert figures.base(growth, "value_max") == (15, "percent")
    households = {"value": 3, "value_max": 5, "unit": "户"}
    assert figures.display(households) == "3—5户"
    assert figures.display_en(households) == "3 to 5 households"
    assert (
        figures.display({"value": 3, "unit": "名", "comparator": "at_most", "scope": "province"})
        == "全省前3名"
    )
    assert figures.display_en({"value": 3, "unit": "名", "comparator": "at_most", "scope": "city"}) == (
        "in the top 3 in the city"
    )
    assert figures.display({"value": 1, "unit": "番"}) == "翻1番"
    assert figures.display_en({"value": 1, "unit": "番"}) == "doubled (+100%)"
    assert figures.display_en({"value": 3, "unit": "成"}) == "3 tenths (30%)"
    assert (
        figures.display_en({"value": 5, "unit": "万人", "comparator": "less_than"})
        == "less than 50,000 people"
    )
    assert figures.display({"value": 10000, "unit": "台", "comparator": "nearly"}) == "≲10000台"
    assert figures.display_en({"value": 2, "unit": "个百分点"}) == "2 percentage points"
    assert figures.display_en({"value": 8.5, "unit": "万亩"}) == "85,000 mu"


def test_the_new_vocabulary_has_labels() -> None:
    assert Comparator.nearly.symbol and Comparator.less_than.symbol == "<"
    assert Intent.aim.en == "aim for" and Scope.county.zh == "全县" and Scope.country.en == "the country"


def test_a_figure_row_carries_the_range_the_inferred_year_and_base_values() -> None:
    fig = {
        "metric": "fai-growth",
        "value": 10,
        "value_max": 15,
        "unit": "%",
        "year": 2025,
        "year_inferred": True,
        "role": "target",
        "stated": "增长10%—15%",
    }
    row = figures.row(fig, {"id": "r", "area": "a"}, "art", {"zh": "投资", "en": "investment"})
    assert (row["value_max"], row["base_value_max"], row["year_inferred"]) == (15, 15, True)


# -- validation ---------------------------------------------------------------------------------


def test_the_invented_examples_use_every_part_of_the_model_and_validate() -> None:
    base = kb.load(EXAMPLES)
    figs = [f for r in base.records for f in r.figures]
    units = {f.unit for f in figs}
    assert {"番", "成", "倍", "个百分点", "万亩", "亿斤", "万人次", "个工作日"} <= units
    assert {f.comparator for f in figs} >= {Comparator.nearly, Comparator.at_most, Comparator.more_than}
    assert any(f.value_max is not None for f in figs) and any(
        f.value is not None and f.value < 0 for f in figs
    )


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "kb"
    shutil.copytree(FIXTURE, data)
    return data


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_range_prints_both_ends_and_rises(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    records = data / "articles" / "fixture-2024" / "records" / "gaoxin.toml"
    _replace(records, 'value = 85\nunit = "亿元"', 'value = 85\nvalue_max = 90\nunit = "亿元"')
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    assert any("value_max: 90 does not appear" in str(p) for p in caught.value.problems)
    _replace(records, "value_max = 90", "value_max = 80")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    messages = [str(p) for p in caught.value.problems]
    assert any("is not above its lower end" in m for m in messages)


def test_a_scale_counted_twice_is_a_problem(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    records = data / "articles" / "fixture-2025" / "records" / "dongfeng.toml"
    _replace(records, 'value = 650\nunit = "万元"', 'value = 6500000\nunit = "元"')
    kb.load(data)  # the scale moved into the value: 6500000 元 is what 650万元 states
    _replace(records, 'value = 6500000\nunit = "元"', 'value = 6500000\nunit = "万元"')
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    assert any("6500000 does not appear" in str(p) for p in caught.value.problems)


def test_an_unknown_unit_is_accepted_as_printed_and_a_non_unit_refused(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    records = data / "articles" / "fixture-2024" / "records" / "gaoxin.toml"
    _replace(records, 'unit = "亿元"', 'unit = "12"')
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    assert any("'12' is not a unit" in str(p) for p in caught.value.problems)


def test_review_items_are_listed_with_file_line_and_article(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    records = data / "articles" / "fixture-2025" / "records" / "gaoxin.toml"
    _replace(
        records,
        'speaker = "miao-zhiqiang"\n',
        'speaker = "miao-zhiqiang"\nreview = [{ field = "kind", why = "guessed result: a past figure" }]\n',
    )
    _replace(
        records, 'stated = "增长6.8%"', 'stated = "增长6.8%"\nreview = [{ field = "metric", why = "unsure" }]'
    )
    items = kb.review_items(data)
    assert [(i.where, i.field, i.article) for i in items] == [
        ("record gaoxin-2024-gdp", "kind", "fixture-2025"),
        ("record gaoxin-2024-gdp", "figures[1].metric", "fixture-2025"),
    ]
    text = records.read_text(encoding="utf-8").splitlines()
    assert text[items[0].line - 1] == "[[records]]"
    assert str(items[0]).startswith("articles/fixture-2025/records/gaoxin.toml:")
    assert kb.review_items(FIXTURE) == []
