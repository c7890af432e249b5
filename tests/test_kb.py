"""The bundled knowledge base: it loads, it holds the article's figures, validation bites."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from liaoyuan_cli import kb
from liaoyuan_cli.errors import InvalidKnowledgeBase
from liaoyuan_cli.numerals import numeral_forms
from liaoyuan_cli.text import compact, fold, fold_query

from .conftest import DATA, SOURCE

RECORDS = Path("articles/session-2024/records")


@pytest.fixture(scope="module")
def bundled() -> kb.KnowledgeBase:
    return kb.load(DATA)


def test_bundled_knowledge_base_is_the_top_level_data_directory() -> None:
    from importlib.resources import files

    assert Path(kb.bundled_data_dir()).resolve() in {
        DATA.resolve(),
        (Path(str(files("liaoyuan_cli"))) / "data").resolve(),
    }
    assert (Path(kb.bundled_data_dir()) / RECORDS / "gaoxin.toml").is_file()


def test_all_areas_and_sections(bundled: kb.KnowledgeBase) -> None:
    assert [a.slug for a in bundled.areas] == [
        "dongfeng",
        "longshan",
        "gaoxin",
        "dongliao",
        "xian",
        "liaoyuan",
    ]
    assert {s.area for s in bundled.sections} == {a.slug for a in bundled.areas}
    [article] = bundled.articles
    assert article.date.iso == "2024-01" and article.date.inferred
    report = next(s for s in bundled.sections if s.kind == "report")
    assert report.date.stated == "1月9日" and report.date.iso == "2024-01-09" and report.date.inferred
    # The interviews are dated by the session, never by the group review's day.
    assert all(s.date.iso == "2024-01" for s in bundled.sections if s.kind == "interview")


def test_every_number_in_the_article_is_a_figure(bundled: kb.KnowledgeBase) -> None:
    """Each Arabic number printed (dates aside) is a figure's value, or counts a framework's parts."""
    source = SOURCE.read_text(encoding="utf-8")
    printed = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", source)}
    printed -= {2023.0, 2024.0, 1.0, 9.0}  # years, and 1月9日
    values = {f.value for r in bundled.records for f in r.figures if f.value is not None}
    values |= {f.threshold.value for r in bundled.records for f in r.figures if f.threshold}
    counts = {f.zh + "".join(p.zh for p in f.parts) for f in bundled.frameworks}
    values |= {float(n) for text in counts for n in re.findall(r"\d+", text)}
    missing = sorted(printed - values)
    assert not missing, f"numbers of the article with no figure: {missing}"


def test_gaoxin_2023_results_are_typed(bundled: kb.KnowledgeBase) -> None:
    figures = {
        f.metric: (f.value, f.unit)
        for r in bundled.records
        if r.area == "gaoxin"
        for f in r.figures
        if f.year == 2023 and f.role == "result"
    }
    assert figures["gdp"] == (72, "亿元") and figures["gdp-growth"] == (8.5, "%")
    assert figures["industrial-output"] == (42.3, "亿元") and figures["industrial-output-growth"] == (
        8.3,
        "%",
    )
    assert figures["industrial-value-added"] == (12.3, "亿元")
    assert figures["retail-sales"] == (3.98, "亿元") and figures["retail-sales-growth"] == (28, "%")
    assert figures["external-funds-growth"] == (31.6, "%")
    assert figures["fixed-asset-investment"] == (17.3, "亿元") and figures[
        "fixed-asset-investment-growth"
    ] == (41, "%")
    assert figures["local-revenue"] == (1.7, "亿元") and figures["local-revenue-growth"] == (93, "%")


def test_rankings_in_words_are_numbers(bundled: kb.KnowledgeBase) -> None:
    ranks = {(f.metric, f.value, f.scope) for r in bundled.records for f in r.figures if f.unit == "名"}
    assert ("county-economy-rank", 10, "province") in ranks
    assert ("fixed-asset-investment-rank", 1, "city") in ranks


def test_stated_without_a_figure_is_explicit(bundled: kb.KnowledgeBase) -> None:
    wordy = [f for r in bundled.records for f in r.figures if f.value is None]
    assert wordy and all(f.claim is not None and f.unit is None for f in wordy)
    assert all(f.value is not None or f.claim for r in bundled.records for f in r.figures)


def test_thresholds_separate_series(bundled: kb.KnowledgeBase) -> None:
    thresholds = {
        (r.area, f.threshold.value, f.threshold.unit)
        for r in bundled.records
        for f in r.figures
        if f.metric == "key-projects" and f.threshold
    }
    assert ("dongfeng", 500, "万元") in thresholds


def test_errata_keep_the_printed_form(bundled: kb.KnowledgeBase) -> None:
    xian = next(e for e in bundled.errata if e.printed == "西安安区")
    assert xian.reading == "西安区" and xian.occurrences == 5
    assert any("西安安区" in r.quote for r in bundled.records if r.area == "xian")


def test_numerals() -> None:
    assert numeral_forms(10) == ["10", "十"]
    assert "一" in numeral_forms(1) and "万" in numeral_forms(10000)
    assert numeral_forms(8.5) == ["8.5"]
    assert compact("不\n低于 5个") == "不低于5个"
    assert fold("Tiān Yíng") == "tianying" == fold_query("tian1 ying2") == fold("Xi'an") * 0 + "tianying"
    assert fold("Xi'an") == fold("xi an") == "xian"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(DATA, target)
    return target


def _records_file(data: Path, area: str = "gaoxin") -> Path:
    return data / RECORDS / f"{area}.toml"


def test_validation_names_file_line_record_and_field(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = _records_file(data)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('metric = "gdp"\n', 'metric = "gpd"\n', 1), encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    [problem] = caught.value.problems
    assert problem.file == (RECORDS / "gaoxin.toml").as_posix() and problem.line is not None
    assert problem.where == "record gaoxin-2023-gdp"
    assert "unknown metric 'gpd'" in problem.message and "did you mean 'gdp'" in problem.message
    # At the field's own line (the first figure's metric), not at the record's header.
    lines = text.splitlines()
    header = lines.index('id = "gaoxin-2023-gdp"') - 1
    assert lines[header] == "[[records]]" and lines[problem.line - 1] == 'metric = "gdp"'
    assert lines[header:].index('metric = "gdp"') == problem.line - 1 - header


def test_a_quote_that_is_not_in_the_source_fails(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = _records_file(data)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("增长8.5%", "增长9.5%"), encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    messages = [str(p) for p in caught.value.problems]
    assert any("gaoxin-2023-gdp" in m and "not found in the source text" in m for m in messages)
    assert any("8.5 does not appear" in m for m in messages)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / RECORDS / "broken.toml").write_text("[[records]\nid = 1\n", encoding="utf-8")
    (data / "areas.toml").write_text(
        (data / "areas.toml").read_text(encoding="utf-8").replace('kind = "county"', 'kind = "country"', 1),
        encoding="utf-8",
    )
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    files = {p.file for p in caught.value.problems}
    assert (RECORDS / "broken.toml").as_posix() in files  # syntax errors are collected, not the first only
    broken = next(p for p in caught.value.problems if p.file == (RECORDS / "broken.toml").as_posix())
    assert broken.line == 1
    assert any(p.file == "areas.toml" and p.where == "area dongfeng" for p in caught.value.problems)


def test_a_syntax_error_elsewhere_does_not_hide_a_wrong_quote(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / RECORDS / "zz.toml").write_text("[[records]\n", encoding="utf-8")
    path = _records_file(data)
    path.write_text(path.read_text(encoding="utf-8").replace("增长8.5%", "增长9.5%"), encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase) as caught:
        kb.load(data)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"{(RECORDS / 'zz.toml').as_posix()}:1: TOML syntax") for m in messages)
    assert any("gaoxin-2023-gdp" in m and "not found in the source text" in m for m in messages)


def test_british_and_american_spellings_meet_and_pinyin_is_untouched() -> None:
    from liaoyuan_cli.search import highlight

    assert fold("carbon fibre") == fold_query("Carbon Fiber") == "carbonfiber"
    assert fold("elderly-care centres") == "elderlycarecenters" and fold("litre") == "liter"
    assert fold("revitalisation") == fold("revitalization") and fold("Materialise") == fold("materialize")
    assert fold("analysed") == fold("analyzed") and fold("modernising") == fold("modernizing")
    assert fold("this experience") == "thisexperience"  # word by word: "this" is not "thiz"
    assert fold("Tiān Yíng") == "tianying" and fold("Shi Re") == "shire"  # pinyin as it was
    doc = {"zh": "碳纤维", "en": "The carbon-fibre centre", "pinyin": []}
    assert highlight(doc, fold_query("carbon fiber"))["en"] == [4, 16]  # places in the text hold
    assert highlight(doc, fold_query("center"))["en"] == [17, 23]
