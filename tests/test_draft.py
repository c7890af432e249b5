"""`lycli draft`'s engine (liaoyuan_cli.draft): what it types as a figure and what it leaves alone,
how it reads time, intent and thresholds, and the article it writes: valid, unique in its ids,
marked for review, refused where it must be. Pages here are invented (tests/fixtures/draft-examples)."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import draft, kb
from liaoyuan_cli.draft import compose, page, quantities
from liaoyuan_cli.errors import UsageError
from tests.conftest import DATA, ROOT, copy_kb, run_cli

EXAMPLES = ROOT / "tests" / "fixtures" / "draft-examples"
PAGE_2026 = EXAMPLES / "page-2026.txt"
PAGES = ROOT / "tests" / "fixtures" / "pages" / "kb"
PAGES2 = ROOT / "tests" / "fixtures" / "pages2" / "kb"


def typed(text: str) -> list[tuple[Any, ...]]:
    """(value, value_max, unit, comparator, approximate, threshold words) of each figure found."""
    out = []
    for q in quantities.quantities(text):
        if q.aspect == "threshold-only":
            continue
        value = None if q.value is None else float(q.value)
        high = None if q.value_max is None else float(q.value_max)
        out.append(
            (value, high, q.unit, q.comparator.value, q.approximate, (q.threshold or {}).get("stated"))
        )
    return out


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        (
            "地区生产总值完成72亿元，增长8.5%",
            [(72, None, "亿元", "exact", False, None), (8.5, None, "%", "exact", False, None)],
        ),
        ("固定资产投资增长10%—15%", [(10, 15, "%", "exact", False, None)]),
        ("完成农村危房改造3至5户", [(3, 5, "户", "exact", False, None)]),
        ("地区生产总值增长6%左右", [(6, None, "%", "exact", True, None)]),
        ("城镇登记失业率控制在3.5%以内", [(3.5, None, "%", "at_most", False, None)]),
        ("力争新签约亿元以上项目不低于5个", [(5, None, "个", "at_least", False, "亿元以上")]),
        ("实施500万元以上重点项目86个", [(86, None, "个", "exact", False, "500万元以上")]),
        ("谋划储备项目80个以上", [(80, None, "个", "at_least", False, None)]),
        ("招商引资到位资金突破40亿元", [(40, None, "亿元", "more_than", False, None)]),
        ("惠及群众近3万人次", [(3, None, "万人次", "nearly", False, None)]),
        ("为1200余户困难家庭送去物资", [(1200, None, "户", "more_than", False, None)]),
        ("固定资产投资下降3.4%", [(-3.4, None, "%", "exact", False, None)]),
        ("增速高于全市平均水平1.2个百分点", [(1.2, None, "个百分点", "exact", False, None)]),
        ("确保项目开复工率达到百分之九十五", [(95, None, "%", "exact", False, None)]),
        ("农产品加工转化率提高到七成", [(7, None, "成", "exact", False, None)]),
        ("电商交易额增长一倍", [(1, None, "倍", "exact", False, None)]),
        ("园区产值实现翻一番", [(1, None, "番", "exact", False, None)]),
        ("新建两个养老服务中心", [(2, None, "个", "exact", False, None)]),
        ("新建高标准农田8.5万亩", [(8.5, None, "万亩", "exact", False, None)]),
        ("推动万台林机数智化改造", [(10000, None, "台", "exact", True, None)]),
        ("县域经济发展考核位列全省第七", [(7, None, "名", "exact", False, None)]),
        ("县域经济考核力争进入全省前五", [(5, None, "名", "at_most", False, None)]),
        ("固定资产投资、规上工业总产值总量全市第一", [(1, None, "名", "exact", False, None)]),
        ("总投资64亿元的风光储氢氨醇一体化项目", [(64, None, "亿元", "exact", False, None)]),
        ("实现地区生产总值突破百亿元大关", [(100, None, "亿元", "more_than", False, None)]),
        ("引进亿元级项目15个", [(15, None, "个", "exact", False, "亿元级")]),
        ("增长８．５％", [(8.5, None, "％", "exact", False, None)]),
        ("综合治理完成投资3亿—5亿元", [(3, 5, "亿元", "exact", False, None)]),
        ("西安区将实施十个重点项目", [(10, None, "个", "exact", False, None)]),
    ],
)
def test_what_is_typed(text: str, figures: list[tuple[Any, ...]]) -> None:
    assert typed(text) == figures


@pytest.mark.parametrize(
    "text",
    [
        "1月9日，出席辽源市九届人民代表大会第三次会议的代表分组审议报告",
        "“十四五”规划确定的主要指标完成良好",
        "深入贯彻市委八届五次全会精神",
        "聚力实现“五个新突破”",
        "突出抓好新能源、新材料、新旅游、新电商四个新兴产业",
        "全面落实“一老一小”服务",
        "落实好2号线配套工程",
        "建成5G网络",
        "东丰县要抓好四项重点工作",
        "在四个方面持续发力",
        "推动今后一个时期经济社会发展",
        "成功举办2023梅花鹿产业高质量发展大会",
        "1—11月，全市经济运行平稳",
        "千方百计稳就业",
        "实现“二十连丰”",
        "新引进亿元以上项目",
        "新建数十个项目，上百家企业参展",
        "实现两位数增长",
    ],
)
def test_what_is_left_alone(text: str) -> None:
    assert typed(text) == []


def test_claims_without_a_number() -> None:
    found = [
        (c.claim.value, c.scope.value if c.scope else None)
        for c in quantities.claims(
            "增速领跑全市，项目建设“四率”位全市前列，开工率再创新高，确保粮食增产，确保重点项目如期开工"
        )
    ]
    assert found == [
        ("lead", "city"),
        ("front_rank", "city"),
        ("new_high", None),
        ("increase", None),
        ("on_schedule", None),
    ]


def test_years_relative_and_compared() -> None:
    marks = [
        (w.year, w.explicit) for _, w in compose.time_marks("过去一年，全县增长5%；今年力争6%；明年", 2025, 1)
    ]
    assert marks == [(2024, False), (2025, False), (2026, False)]
    assert [w.year for _, w in compose.time_marks("是2020年的2.3倍，比上年增长3%", 2025, 1)] == []
    assert [w.year for _, w in compose.time_marks("1—11月，全市增长5%", 2024, 12)] == [2024]
    assert [w.year for _, w in compose.time_marks("1—11月，全市增长5%", 2025, 1)] == [2024]
    assert [(w.year, w.carries) for _, w in compose.time_marks("“十五五”期间翻一番", 2025, 1)] == [
        (2030, False)
    ]


def test_a_time_something_is_moved_to_does_not_carry() -> None:
    marks = compose.time_marks("部分企业的申报工作将延续到今年；谈到今年的打算", 2025, 1)
    assert [(w.year, w.carries) for _, w in marks] == [(2025, False), (2025, True)]


def test_a_past_year_does_not_carry_into_words_that_look_ahead(examples: Path, tmp_path: Path) -> None:
    page = tmp_path / "midyear.txt"
    page.write_text(
        "本文为测试虚构文本，非真实报道（INVENTED TEST FIXTURE, not a real article）\n\n"
        "东丰县畜牧业稳步发展\n\n"
        "本报讯（记者 葛晓冬）去年，全县新建标准化养牛场3个。"
        "全县将新建标准化养牛场2个，力争全年肉牛饲养量突破20万头。"
        "区里还出台了《促进消费十条措施》，组织促消费活动26场次。\n",
        encoding="utf-8",
    )
    draft.write_article(page, "midyear-2024", "2024-07", examples)
    base = kb.load(examples)
    mine = {s.id for s in base.sections if s.article == "midyear-2024"}
    figures = {
        f.stated: (f.year, f.role.value, f.unit) for r in base.records if r.section in mine for f in r.figures
    }

    def of(ending: str) -> tuple[Any, ...]:
        return next(v for k, v in figures.items() if k.endswith(ending))

    assert of("新建标准化养牛场3个")[:2] == (2023, "result")
    assert of("新建标准化养牛场2个")[:2] == (2024, "target")
    assert of("突破20万头")[:2] == (2024, "target")
    assert of("26场次")[2] == "场次"
    assert len(figures) == 4, "a number in a title (《…十条措施》) is no figure"


@pytest.mark.parametrize(
    ("sentence", "figure", "intent"),
    [
        ("力争新签约亿元以上项目不低于5个，10亿元以上项目不低于2个", "2个", "strive"),
        ("力争GDP增长6%、投资增长10%", "10%", "strive"),
        ("着力扩大有效投资，抢抓新时代东北振兴机遇，谋划储备项目80个以上", "80个", "plain"),
        ("吸引头部企业入驻，确保到位资金增长30%", "30%", "ensure"),
        ("争取新增规上企业10户", "10户", "aim"),
    ],
)
def test_an_intent_carries_to_the_end_of_its_clause(sentence: str, figure: str, intent: str) -> None:
    found, _ = compose.intent_at(sentence, sentence.index(figure))
    assert found.value == intent


def test_a_page_is_read_into_sections_speakers_and_sentences() -> None:
    read = page.read((DATA / "articles" / "session-2024" / "source.txt").read_text(encoding="utf-8"))
    assert [s.kind for s in read.sections] == ["interview"] * 5 + ["report"]
    assert [page.interviewee_name(s) for s in read.sections][:2] == ["邢树纲", "崔晓飞"]
    assert [page.reporters(c.text) for c in read.credits] == [["刘鹰", "魏利军"]]
    first = read.sections[0].sentences
    assert (first[0].voice, first[0].speaker) == ("direct", "邢树纲")
    assert first[2].attribution and (first[3].voice, first[3].speaker) == ("indirect", "邢树纲")
    report = read.sections[-1]
    assert [c.text for c in report.captions] == ["代表审议报告。"]
    voices = [(s.voice, s.speaker) for s in report.sentences]
    assert ("document", None) in voices and ("indirect", "张凤栋") in voices


def test_a_question_and_answer_interview() -> None:
    text = (EXAMPLES / "kb" / "articles" / "qa-2025" / "source.txt").read_text(encoding="utf-8")
    read = page.read(text)
    (section,) = read.sections
    assert section.kind == "interview" and page.interviewee_name(section) == "苗志强"
    assert [s.question for s in section.sentences].count(True) == 3
    assert {s.speaker for s in section.sentences if not s.question} == {"苗志强"}


# -- the article written ------------------------------------------------------------------------


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    return copy_kb(tmp_path / "kb", EXAMPLES / "kb")


def test_a_draft_is_a_valid_article_marked_for_review(examples: Path) -> None:
    summary = draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    assert summary["sections"] == 1 and summary["figures"] == 8 and summary["review_items"] > 0
    assert (examples / "articles" / "followup-2026" / "source.txt").read_bytes() == PAGE_2026.read_bytes()
    base = kb.load(examples)
    records = [r for r in base.records if r.section.startswith("dongfeng")]
    drafted = [r for r in records if r.id not in {x.id for x in kb.load(EXAMPLES / "kb").records}]
    figs = [(f.value, f.unit, f.year, f.role.value) for r in drafted for f in r.figures]
    assert (6.3, "%", 2025, "result") in figs and (6.5, "%", 2026, "target") in figs
    assert (2, "个", 2025, "result") in figs  # 服务站两个
    # a 2025 result follows the 2025 pledge of the same series on the earlier page
    follows = {t for r in drafted for t in r.follows}
    assert "dfr-2025-main-targets" in follows
    reviews = kb.review_items(examples)
    assert {r.article for r in reviews} == {"followup-2026"} and len(reviews) == summary["review_items"]
    assert all(r.line and r.file.startswith("articles/followup-2026/") for r in reviews)


def test_a_draft_answers_commands(examples: Path) -> None:
    draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    shown = run_cli("figures", "--data", str(examples), "--article", "followup-2026", "--json")
    assert shown.code == 0, shown.stderr
    rows = shown.json()["figures"]
    assert {"value_max", "base_value_max", "year_inferred"} <= set(rows[0])
    assert any(r["stated"] == "固定资产投资增长12%" and r["year"] == 2025 for r in rows)
    checked = run_cli("validate", str(examples))
    assert checked.code == 0, checked.stdout + checked.stderr


def test_the_bundled_page_redrafted_beside_itself(tmp_path: Path) -> None:
    data = copy_kb(tmp_path / "kb", DATA)
    summary = draft.write_article(
        DATA / "articles" / "session-2024" / "source.txt", "session-2024-redraft", "2024-01", data
    )
    assert summary["figures"] == 41 and summary["people"] == 0  # every person is known by name
    base = kb.load(data)
    assert len({r.id for r in base.records}) == len(base.records)
    mine = {s.id for s in base.sections if s.article == "session-2024-redraft"}
    assert len(mine) == 6 and not mine & {s.id for s in base.sections if s.article == "session-2024"}


@pytest.mark.parametrize(
    ("article", "date", "message"),
    [
        ("all", "2025-01", "word of the command line"),
        ("latest", "2025-01", "word of the command line"),
        ("Session 2025", "2025-01", "invalid article id"),
        ("x" * 41, "2025-01", "invalid article id"),
        ("ok-id", "2025", "invalid date"),
        ("ok-id", "2025-13", "not a date of the calendar"),
        ("ok-id", "2025-02-30", "not a date of the calendar"),
        ("report-2025", "2025-01", "already exists"),
    ],
)
def test_refusals(examples: Path, article: str, date: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        draft.write_article(PAGE_2026, article, date, examples)


def test_an_existing_article_is_replaced_only_with_force(examples: Path) -> None:
    draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    with pytest.raises(UsageError, match="already exists"):
        draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    again = draft.write_article(PAGE_2026, "followup-2026", "2026-02", examples, force=True)
    assert again["article"] == "followup-2026"
    assert kb.load(examples).articles[-1].date.iso == "2026-02" or any(
        a.date.iso == "2026-02" for a in kb.load(examples).articles
    )


def test_force_replaces_only_a_draft_and_only_its_own_files(examples: Path) -> None:
    """Red-team round: --force deleted a whole article directory, files lycli never wrote
    included, and replaced a reviewed article as readily as a draft."""
    draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    mine = examples / "articles" / "followup-2026" / "NOTES.md"
    mine.write_text("a reviewer's notes", encoding="utf-8")
    with pytest.raises(UsageError, match=r"holds NOTES\.md"):
        draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples, force=True)
    assert mine.read_text(encoding="utf-8") == "a reviewer's notes"
    mine.unlink()
    reviewed = next(p for p in (examples / "articles").iterdir() if p.name != "followup-2026")
    with pytest.raises(UsageError, match="no open review item: it is no draft"):
        draft.write_article(PAGE_2026, reviewed.name, "2026-01", examples, force=True)
    (examples / "articles" / "linked").symlink_to("followup-2026")
    with pytest.raises(UsageError, match="is a symlink"):
        draft.write_article(PAGE_2026, "linked", "2026-01", examples, force=True)


def test_an_article_whose_review_lists_are_emptied_is_reviewed_not_a_draft(examples: Path) -> None:
    """Review of the change: `review = []` left by a reviewer was taken for an open item, and
    --force replaced the reviewed article."""
    import re

    draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    where = examples / "articles" / "followup-2026"
    for path in where.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^review = .*$", "review = []", text), encoding="utf-8")
    with pytest.raises(UsageError, match="it is no draft"):
        draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples, force=True)


def test_force_on_a_base_invalid_as_it_stands_is_exit_3_not_the_article_s_fault(examples: Path) -> None:
    from liaoyuan_cli.errors import InvalidKnowledgeBase

    draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    with open(examples / "people.toml", "a", encoding="utf-8") as out:
        out.write("garbage = [\n")
    with pytest.raises(InvalidKnowledgeBase):
        draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples, force=True)


def test_a_page_with_no_chinese_name_for_a_figure_or_title_still_drafts(
    examples: Path, tmp_path: Path
) -> None:
    """Red-team round: ① in a figure's words, or a headline of Latin letters, made a proposed
    metric or the title hold no Chinese, and the whole draft failed (exit 4)."""
    page_text = PAGE_2026.read_text(encoding="utf-8")
    odd = tmp_path / "odd.txt"
    odd.write_text(
        "ABC 123 !!!\n" + page_text + "\n邢树纲说：“增长6%，①亿元。½亿元，Ⅲ个。”\n", encoding="utf-8"
    )
    done = draft.write_article(odd, "odd-2026", "2026-01", examples)
    assert done["records"] > 0
    assert kb.load(examples)  # the knowledge base with the draft is valid


@pytest.mark.parametrize(
    ("text", "message"),
    [("增长6.5%，" * 60000, "more than a page"), ("增长6.5%，" * 2000, "a line of 14,000 characters")],
)
def test_a_text_far_beyond_a_page_is_refused_at_once(
    examples: Path, tmp_path: Path, text: str, message: str
) -> None:
    """Red-team round: reading is quadratic in a paragraph's length; a 3 MB line ran for minutes."""
    big = tmp_path / "big.txt"
    big.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        draft.write_article(big, "big-page", "2026-01", examples)


def test_a_date_of_other_digits_and_a_broken_base_named_as_given(examples: Path) -> None:
    with pytest.raises(UsageError, match="invalid date"):
        draft.write_article(PAGE_2026, "wide-2026", "２０２６-０１", examples)
    with open(examples / "people.toml", "a", encoding="utf-8") as out:
        out.write("garbage = [\n")
    from liaoyuan_cli.errors import InvalidKnowledgeBase

    with pytest.raises(InvalidKnowledgeBase) as caught:
        draft.write_article(PAGE_2026, "broken-2026", "2026-01", examples)
    assert str(examples) in caught.value.message and "lycli-draft-" not in caught.value.message


def test_a_page_that_is_not_utf8_or_not_chinese_is_refused(examples: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("地区生产总值增长5%".encode("gb18030"))
    with pytest.raises(UsageError, match="not UTF-8"):
        draft.write_article(gbk, "gbk-page", "2025-01", examples)
    latin = tmp_path / "latin.txt"
    latin.write_text("no Chinese here", encoding="utf-8")
    with pytest.raises(UsageError, match="no Chinese text"):
        draft.write_article(latin, "latin-page", "2025-01", examples)
    with pytest.raises(UsageError, match="cannot read the page"):
        draft.write_article(tmp_path / "missing.txt", "missing-page", "2025-01", examples)


def test_the_installed_wheels_own_data_is_refused(monkeypatch: pytest.MonkeyPatch, examples: Path) -> None:
    monkeypatch.setattr(draft, "package_data_dir", lambda: examples.resolve())
    with pytest.raises(UsageError, match="installed lycli's own knowledge base"):
        draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)


def test_a_directory_that_is_no_knowledge_base_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        draft.write_article(PAGE_2026, "p", "2026-01", tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="not a knowledge base"):
        draft.write_article(PAGE_2026, "p", "2026-01", tmp_path / "empty")


def test_the_draft_is_off_the_query_paths_start_up() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import liaoyuan_cli.launch, liaoyuan_cli.store, liaoyuan_cli.queries, sys;"
         "print(sorted(m for m in sys.modules if 'draft' in m or m.startswith('pypinyin')))"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert out.stdout.strip() == "[]"


# -- the measure ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("data", "article"),
    [
        (EXAMPLES / "kb", "report-2025"),
        (EXAMPLES / "kb", "news-2024"),
        (EXAMPLES / "kb", "qa-2025"),
        (EXAMPLES / "kb", "followup-2025"),
        (EXAMPLES / "kb", "cityreport-2025"),
        (EXAMPLES / "kb", "interview-2025"),
        (EXAMPLES / "kb", "review-2025"),
        (DATA, "session-2024"),
        # coded before any drafter code existed (tests/fixtures/pages/CODING.md); the drafter's
        # rules were revised after measuring on them, so they are no longer held out
        (PAGES, "gwr-dongliao-2024"),
        (PAGES, "interviews-2024-07"),
        (PAGES, "followup-dongliao-2025"),
        (PAGES, "briefs-2024-11"),
        # held out: written and coded by someone who never saw the drafter, measured once as
        # they came (tests/fixtures/pages2/CODING.md); a drafter change measured on them since
        # would make them tuned, not held out
        (PAGES2, "interviews-2025-08"),
        (PAGES2, "followup-xian-2026"),
        (PAGES2, "gwr-longshan-2025"),
    ],
)
def test_the_measure_meets_the_issues_bar_on_the_invented_and_bundled_pages(data: Path, article: str) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import draft_quality
    finally:
        sys.path.pop(0)
    result = draft_quality.measure(data, article)
    figures = result["figures"]
    assert figures["recall"] >= 0.9 and figures["precision"] >= 0.9, result["missed"] + result["extra"]
    for name in ("year", "role", "comparator", "intent", "threshold"):
        assert figures["fields"][name] >= 0.85, (name, result["wrong_fields"])


def test_the_measure_matches_by_place_and_amount() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import draft_quality
    finally:
        sys.path.pop(0)
    hand = [
        {"spans": [(0, 6)], "value": 5, "unit": "万人", "stated": "a"},
        {"spans": [(10, 14)], "value": 3, "unit": "%"},
    ]
    drafted = [
        {"spans": [(2, 8)], "value": 50000, "unit": "人"},
        {"spans": [(11, 13)], "value": 4, "unit": "%"},
    ]
    good, wrong = draft_quality.match(hand, drafted)
    assert [(h["value"], d["value"]) for h, d in good] == [(5, 50000)]
    assert [(h["value"], d["value"]) for h, d in wrong] == [(3, 4)]
    assert draft_quality.same_amount({"value": 1, "unit": "番"}, {"value": 100, "unit": "%"})
    assert Decimal(1) == 1


def test_a_record_that_would_not_validate_is_left_out_and_noted(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = compose.Composer.compose

    def spoiled(self: compose.Composer) -> compose.Draft:
        drafted = original(self)
        first = next(iter(drafted.records.values()))[0]
        first["quote"] = "此话不在原文之中"
        return drafted

    monkeypatch.setattr(compose.Composer, "compose", spoiled)
    summary = draft.write_article(PAGE_2026, "followup-2026", "2026-01", examples)
    article = next(a for a in kb.load(examples).articles if a.id == "followup-2026")
    assert any(r.field == "records" and "left out" in r.why for r in article.review)
    assert summary["records"] >= 1


def test_a_draft_is_the_same_whatever_the_hash_seed() -> None:
    script = (
        "import hashlib, json; from pathlib import Path; from liaoyuan_cli import draft, kb;"
        "page = Path('data/articles/session-2024/source.txt').read_text();"
        "files = draft.draft_files(page, 'again', '2024-01', kb.load(Path('data')));"
        "print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert len(digests) == 1


# -- the command ---------------------------------------------------------------------------------


def test_the_command_drafts_and_validate_review_lists_what_to_review(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LYCLI_DATA", raising=False)
    args = ("draft", str(PAGE_2026), "--article", "followup-2026", "--date", "2026-01")
    wrote = run_cli(*args, "--data", str(examples), "--json")
    assert wrote.code == 0, wrote.stderr
    summary = wrote.json()
    assert summary["command"] == "draft" and summary["article"] == "followup-2026"
    assert summary["figures"] == 8 and summary["review_items"] > 0
    assert all((examples / f).is_file() for f in summary["files"])
    checked = run_cli("validate", "--review", "--data", str(examples), "--json").json()
    assert checked["ok"] and checked["drafts"] == ["followup-2026"]
    assert checked["review_items"] == summary["review_items"] == len(checked["reviews"])
    assert all(r["file"].startswith("articles/followup-2026/") and r["line"] for r in checked["reviews"])
    plain = run_cli("validate", "--data", str(examples), "--json").json()
    assert plain["review_items"] == summary["review_items"] and plain["reviews"] == []
    table = run_cli("validate", "--review", "--data", str(examples))
    assert "followup-2026" in table.stdout and "review" in table.stdout.lower()
    # a draft is left out of default answers and brought in by --drafts
    default = run_cli("figures", "--data", str(examples), "--json").json()["figures"]
    drafted = run_cli("figures", "--data", str(examples), "--drafts", "--json").json()["figures"]
    assert not any(f["article"] == "followup-2026" for f in default)
    assert any(f["article"] == "followup-2026" for f in drafted)
    again = run_cli(*args, "--data", str(examples), "--json")
    assert again.code == 2 and again.stdout == "" and "already exists" in again.stderr


def test_the_command_needs_a_knowledge_base_named(monkeypatch: pytest.MonkeyPatch, examples: Path) -> None:
    monkeypatch.delenv("LYCLI_DATA", raising=False)
    refused = run_cli("draft", str(PAGE_2026), "--article", "followup-2026", "--date", "2026-01", "--json")
    assert refused.code == 2 and refused.stdout == "" and "--data" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    monkeypatch.setenv("LYCLI_DATA", str(examples))
    no_date = run_cli("draft", str(PAGE_2026), "--article", "followup-2026")
    assert no_date.code == 2 and "--date" in no_date.stderr
    assert not (examples / "articles" / "followup-2026").exists()


def test_the_held_out_pages_validate() -> None:
    """The hand-coded pages the drafter is measured on (tests/fixtures/pages) are a valid
    knowledge base: the measure compares a draft with a coding the validator accepts."""
    checked = run_cli("validate", "--data", str(ROOT / "tests" / "fixtures" / "pages" / "kb"), "--json")
    assert checked.code == 0, checked.stdout
    assert checked.json()["ok"] and checked.json()["errors"] == 0
