"""The queries, in process, on the small invented fixture (tests/fixtures/README.md says which
item exercises what): typed results, filters that combine, article scope, verdicts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import queries
from liaoyuan_cli.api import Knowledge
from liaoyuan_cli.errors import NotFound, UsageError

from .conftest import FIXTURE


def ids(result: Any, key: str = "records") -> list[str]:
    return [r["id"] for r in result[key]]


# -- areas, articles and scope --------------------------------------------------------------------


def test_areas_stand_on_their_own_across_articles(store: Any) -> None:
    result = Knowledge(store).areas()
    gaoxin = next(a for a in result["areas"] if a["slug"] == "gaoxin")
    assert gaoxin["articles"] == ["fixture-2024", "fixture-2025", "fixture-2026"]
    # The newest article's interviewee: the 2026 page reports on the zone without interviewing anyone.
    assert gaoxin["official"]["pinyin"] == "Miao Zhiqiang"
    assert sum(gaoxin["counts"].values()) == len(Knowledge(store).records(["gaoxin"])["records"])


def test_targets_answer_from_the_newest_article_unless_asked(store: Any) -> None:
    latest = Knowledge(store).targets("gaoxin")
    assert [a["id"] for a in latest["articles"]] == ["fixture-2025"]
    assert {r["article"] for r in latest["records"]} == {"fixture-2025"}
    older = Knowledge(store).targets("gaoxin", article="fixture-2024")
    assert {r["article"] for r in older["records"]} == {"fixture-2024"}
    assert older["areas"][0]["official"]["pinyin"] == "Han Liqun"  # the official as of that article
    both = Knowledge(store).targets("gaoxin", article="all")
    assert set(ids(both)) == set(ids(latest)) | set(ids(older))
    assert {r["kind"] for r in both["records"]} <= {"target", "plan"}


def test_targets_all_areas(store: Any) -> None:
    everywhere = Knowledge(store).targets("all", article="all")
    assert {r["area"] for r in everywhere["records"]} == {"gaoxin", "dongfeng", "liaoyuan"}
    assert everywhere["areas"] == []


def test_an_unknown_article_lists_the_known_ones(store: Any) -> None:
    with pytest.raises(UsageError) as caught:
        Knowledge(store).targets("gaoxin", article="fixture-2030")
    assert "fixture-2024" in str(caught.value.hint) and "fixture-2025" in str(caught.value.hint)


# -- records: filters combine ---------------------------------------------------------------------


def test_record_filters_combine(store: Any) -> None:
    every = Knowledge(store).records()["records"]
    assert len(every) == 46
    gaoxin_targets = Knowledge(store).records(["gaoxin"], kind="target")["records"]
    assert gaoxin_targets and all(r["area"] == "gaoxin" and r["kind"] == "target" for r in gaoxin_targets)
    two_areas = Knowledge(store).records(["gaoxin", "dongfeng"], article="fixture-2024", has_figures=True)
    assert {r["area"] for r in two_areas["records"]} == {"gaoxin", "dongfeng"}
    assert all(r["figures"] and r["article"] == "fixture-2024" for r in two_areas["records"])
    no_figures = Knowledge(store).records(has_figures=False)["records"]
    assert no_figures and not any(r["figures"] for r in no_figures)
    by_entity = Knowledge(store).records(entity="吉源氢能")["records"]  # any name of the entity
    assert by_entity and all("jiyuan-hydrogen" in r["entities"] for r in by_entity)
    by_metric = Knowledge(store).records(metric="key-projects")["records"]
    assert {"gaoxin-2024-key-projects", "gaoxin-2024-key-projects-result"} <= {r["id"] for r in by_metric}
    assert all(any(f["metric"] == "key-projects" for f in r["figures"]) for r in by_metric)
    by_year = Knowledge(store).records(year=2023)["records"]
    assert by_year and {r["year"] for r in by_year} == {2023}


def test_theme_membership_follows_its_rule(store: Any) -> None:
    hydrogen = ids(Knowledge(store).records(theme="hydrogen"))
    assert "gaoxin-2024-hydrogen-project" in hydrogen  # a Chinese keyword
    assert "gaoxin-2024-attraction-funds" not in hydrogen  # excluded although it names 氢能
    digital = ids(Knowledge(store).records(theme="digital"))
    assert "gaoxin-2024-smart-park" in digital  # an English keyword
    assert "liaoyuan-2025-deputy-view" in digital  # included by id
    deer = ids(Knowledge(store).records(theme="deer"))
    assert "dongfeng-2025-deer-processing" in deer  # its zh reads the misprint's reading
    counts = {t["id"]: t["records"] for t in Knowledge(store).themes()["themes"]}
    assert counts == {"hydrogen": len(hydrogen), "digital": len(digital), "deer": len(deer)}
    for record in Knowledge(store).records()["records"]:
        assert ("hydrogen" in record["themes"]) == (record["id"] in hydrogen)


def test_filters_take_any_case_and_suggest(store: Any) -> None:
    assert Knowledge(store).records(kind="TARGET")["filters"]["kind"] == "target"
    assert (
        Knowledge(store).records(category="Culture and Tourism")["filters"]["category"] == "culture_tourism"
    )
    with pytest.raises(UsageError) as caught:
        Knowledge(store).records(category="economics")
    assert "economy" in str(caught.value.hint)


def test_an_empty_answer_says_which_condition_to_drop(store: Any) -> None:
    empty = Knowledge(store).targets("gaoxin", article="fixture-2024", year=2023)
    assert empty["records"] == [] and empty["explain"] is not None
    assert "--kind result" in empty["explain"]["en"] and "--year 2023" in empty["explain"]["en"]
    assert empty["explain"]["zh"]
    nothing = Knowledge(store).records(["gaoxin"], category="agriculture")
    assert nothing["records"] == [] and nothing["explain"] is not None
    assert "Without --category" in nothing["explain"]["en"]


def test_the_misprinted_name_of_an_area_names_it(store: Any) -> None:
    assert queries.resolve_area(store, "辽源高薪技术产业开发区")["slug"] == "gaoxin"


# -- figures --------------------------------------------------------------------------------------


def test_figures_are_flat_with_base_values(store: Any) -> None:
    rows = Knowledge(store).figures()["figures"]
    gdp = next(f for f in rows if f["record"] == "gaoxin-2023-gdp" and f["metric"] == "gdp")
    assert (gdp["value"], gdp["unit"], gdp["base_value"], gdp["base_unit"]) == (
        85,
        "亿元",
        8_500_000_000,
        "yuan",
    )
    assert gdp["display"] == "85亿元" and gdp["display_en"] == "8.5 billion yuan"
    roads = next(f for f in rows if f["record"] == "dongfeng-2024-rural-roads-result")
    assert (roads["base_value"], roads["display_en"]) == (6_500_000, "6.5 million yuan")
    for row in rows:
        assert not any(isinstance(v, dict) for v in row.values())  # flat: one value per field
        assert row["kind"] and row["quote"]


def test_figure_roles_qualifiers_and_claims(store: Any) -> None:
    rows = {(f["record"], f["metric"]): f for f in Knowledge(store).figures()["figures"]}
    size = rows[("gaoxin-2024-hydrogen-project", "project-investment")]
    assert size["role"] == "attribute" and size["entity"] == "hydrogen-equipment-project"
    signed = rows[("gaoxin-2024-new-enterprises", "new-enterprises")]
    assert (
        signed["display"] == "≥5个"
        and signed["comparator"] == "at_least"
        and "ensure" in signed["qualifiers_en"]
    )
    assert signed["display_en"].startswith("at least 5 ")
    ceiling = rows[("liaoyuan-2024-unemployment", "unemployment-rate")]
    assert ceiling["display"] == "≤3.5%" and ceiling["display_en"] == "at most 3.5%"
    more = rows[("gaoxin-2024-attraction-funds", "attraction-funds")]
    assert more["display_en"] == "more than 3 billion yuan"
    lead = rows[("gaoxin-2023-fai-growth-lead", "fai-growth")]
    assert lead["value"] is None and lead["claim"] == "lead" and lead["display_en"] == "led the city"
    rank = rows[("dongfeng-2023-county-rank", "county-economy-rank")]
    assert (
        rank["value"] == 3 and rank["display_en"] == "3rd in the province" and rank["display"] == "全省第3名"
    )
    about = rows[("gaoxin-2024-equipment-upgrade", "equipment-upgrades")]
    assert about["approximate"] and about["display_en"].startswith("about 10,000 ")
    ambiguous = rows[("dongfeng-2024-reserve-projects", "key-projects-investment")]
    assert len(ambiguous["readings_en"]) == 2 and any(
        q.startswith("ambiguous") for q in ambiguous["qualifiers_en"]
    )
    ceiling_metric = rows[("gaoxin-2024-equipment-upgrade", "equipment-upgrades")]
    assert ceiling_metric["display"] == "约10000台"
    falling = rows[("dongfeng-2024-industrial-output-result", "industrial-output-growth")]
    assert falling["value"] == -2.1


def test_metrics_of_a_year_are_the_figures_of_that_year(store: Any) -> None:
    result = Knowledge(store).metrics("gaoxin", year=2023, article="fixture-2024")
    assert result["figures"] and {f["year"] for f in result["figures"]} == {2023}
    empty = Knowledge(store).metrics("gaoxin", year=1999, article="fixture-2024")
    assert empty["figures"] == [] and "2023" in empty["explain"]["en"]


def test_an_empty_figure_answer_is_explained_in_figures_and_by_the_condition_at_fault(store: Any) -> None:
    """Only the year is at fault: the explanation says so, counted in figures, not in records."""
    every = Knowledge(store).figures(metric="gdp", article="all")["figures"]
    years = {f["year"] for f in every}
    absent = max(years) + 1
    empty = Knowledge(store).figures(metric="gdp", article="all", year=absent)
    assert empty["figures"] == []
    en = empty["explain"]["en"]
    assert f"Without --year {absent}" in en and f": {len(every)} figure" in en
    assert "without --metric" not in en.split(";")[0]  # the year is named first, the metric is not at fault


# -- compare --------------------------------------------------------------------------------------


def test_compare_groups_comparable_series_and_says_why_not(store: Any) -> None:
    result = Knowledge(store).compare("projects", article="fixture-2024")
    series = {s["key"]: s for s in result["series"]}
    thresholds = {s["threshold_stated"] for s in series.values() if s["metric"] == "key-projects"}
    assert {"500万元以上", "亿元以上"} <= thresholds  # two thresholds, two series
    for s in series.values():
        assert s["comparable"] and s["comparable_zh"]
        assert all(row["series"] == s["key"] for row in s["rows"])
    lone = next(s for s in series.values() if len({r["area"] for r in s["rows"]}) == 1)
    assert lone["comparable"].startswith("only one area")


def test_compare_takes_each_series_of_each_area_from_the_newest_article_that_states_it(store: Any) -> None:
    """Issue 20: a later article does not hide an older series it does not restate, and never
    answers for another area; --article all shows every statement."""
    newest = Knowledge(store).compare("growth")
    everything = Knowledge(store).compare("growth", article="all")
    rows = [r for s in everything["series"] for r in s["rows"]]
    order = {a["id"]: i for i, a in enumerate(store.articles())}
    latest: dict[tuple[str, str], int] = {}
    for r in rows:
        latest[(r["area"], r["series"])] = max(latest.get((r["area"], r["series"]), -1), order[r["article"]])
    shown = {(r["area"], r["series"], r["article"]) for s in newest["series"] for r in s["rows"]}
    assert {(a, k) for a, k, _ in shown} == set(latest)  # every series of every area, once
    assert all(order[article] == latest[(a, k)] for a, k, article in shown)


def test_compare_without_a_topic_lists_topics_with_their_counts(store: Any) -> None:
    topics = Knowledge(store).compare()
    assert topics["command"] == "topics"
    growth = next(t for t in topics["topics"] if t["id"] == "growth")
    assert growth["figures"] == sum(
        len(s["rows"]) for s in Knowledge(store).compare("growth", article="all")["series"]
    )


def test_an_unknown_topic_lists_the_topics(store: Any) -> None:
    with pytest.raises(UsageError) as caught:
        Knowledge(store).compare("bananas")
    assert "growth" in str(caught.value.hint) and "gdp" in str(caught.value.hint)


# -- search ---------------------------------------------------------------------------------------


def test_search_in_chinese_english_and_pinyin(store: Any) -> None:
    for query in ("吉源氢能", "Jiyuan Hydrogen", "jiyuanqingneng", "ji yuan qing neng"):
        hits = Knowledge(store).search(query)["hits"]
        assert hits and hits[0]["id"] == "jiyuan-hydrogen", query


def test_search_can_be_widened_by_a_theme(store: Any) -> None:
    narrow = Knowledge(store).search("氢能", limit=50)
    assert "hydrogen" in narrow["themes"] or narrow["themes"] == []
    wide = Knowledge(store).search("氢能", limit=50, theme="hydrogen")
    members = set(ids(Knowledge(store).records(theme="hydrogen")))
    assert members <= {h["id"] for h in wide["hits"]}


def test_search_limit_and_filters(store: Any) -> None:
    result = Knowledge(store).search("2024", limit=2, areas=["gaoxin"])
    assert len(result["hits"]) <= 2 and all(h["area"] in ("gaoxin", None) for h in result["hits"])
    with pytest.raises(UsageError):
        Knowledge(store).search("   ")


# -- entities and projects ------------------------------------------------------------------------


def test_entities_and_their_links_both_ways(store: Any) -> None:
    project = Knowledge(store).entities("hydrogen-equipment-project")
    links = {(link["kind"], link["to"]) for link in project["entity"]["links"]}
    assert ("by", "jiyuan-hydrogen") in links and ("located_in", "jinhui-park") in links
    assert ("has_part", "hydrogen-project-phase-two") in links
    assert project["entity"]["general_knowledge_en"]
    with pytest.raises(NotFound):
        Knowledge(store).entities("no-such-entity-at-all")


def test_projects_warn_where_areas_may_name_one_project(store: Any) -> None:
    projects = {p["id"]: p for p in Knowledge(store).projects()["projects"]}
    equipment = projects["hydrogen-equipment-project"]
    assert [c["id"] for c in equipment["companies"]] == ["jiyuan-hydrogen"]
    assert [p["id"] for p in equipment["parks"]] == ["jinhui-park"]
    assert [f["display_en"] for f in equipment["amounts"]] == ["1.2 billion yuan"]
    assert equipment["named_by_several_areas"] and "do not add" in (equipment["caution_en"] or "")
    assert projects["hydrogen-storage-supporting-project"]["named_by_several_areas"]
    assert equipment["amounts"][0]["quote"]  # an amount comes with the words that state it


def test_projects_of_a_company_are_the_projects_it_is_behind(store: Any) -> None:
    """--entity names the project itself or a company, park or project it links to."""
    by_company = {p["id"] for p in Knowledge(store).projects(entity="jiyuan-hydrogen")["projects"]}
    assert by_company == {"hydrogen-equipment-project", "hydrogen-storage-supporting-project"}
    in_park = {p["id"] for p in Knowledge(store).projects(entity="jinhui-park")["projects"]}
    assert in_park == {"jinhui-park", "hydrogen-equipment-project"}  # the park, and what is in it
    itself = Knowledge(store).projects(entity="hydrogen-project-phase-two")["projects"]
    assert [p["id"] for p in itself][:1] == ["hydrogen-project-phase-two"]


# -- one record -----------------------------------------------------------------------------------


def test_a_record_id_is_found_in_any_case_and_an_empty_one_is_a_usage_error(store: Any) -> None:
    assert Knowledge(store).show("  GAOXIN-2024-VIEW-REPORT ")["record"]["id"] == "gaoxin-2024-view-report"
    for blank in ("", "  "):
        with pytest.raises(UsageError, match="empty record id"):
            Knowledge(store).show(blank)
        with pytest.raises(UsageError, match="empty area"):
            Knowledge(store).summarize(blank)


def test_show_resolves_a_former_id_and_says_whose_words(store: Any) -> None:
    shown = Knowledge(store).show("gaoxin-2024-smart-park-plan")
    assert shown["record"]["id"] == "gaoxin-2024-smart-park"
    direct = Knowledge(store).show("gaoxin-2024-view-report")
    assert direct["record"]["voice"] == "direct" and direct["speaker"]["id"] == direct["interviewee"]["id"]
    deputy = Knowledge(store).show("liaoyuan-2025-deputy-view")
    assert deputy["speaker"]["id"] == "ren-desheng" and deputy["interviewee"] is None
    with pytest.raises(NotFound) as caught:
        Knowledge(store).show("gaoxin-2024-smart-parc")
    assert "gaoxin-2024-smart-park" in str(caught.value.hint)


def test_show_lists_the_misprints_in_its_quote_and_its_follow_ups(store: Any) -> None:
    shown = Knowledge(store).show("dongfeng-2025-deer-processing")
    assert [e["id"] for e in shown["errata"]] == ["fixture-2025-deer-velvet"]
    assert Knowledge(store).show("gaoxin-2024-new-enterprises")["followed_by"] == [
        "gaoxin-2024-new-enterprises-result"
    ]
    assessed = Knowledge(store).show("gaoxin-2024-smart-park")["assessments"]
    assert [a["verdict"] for a in assessed] == ["in_progress", "met"]


def test_citations_date_each_section_as_its_source_does(store: Any) -> None:
    interview = Knowledge(store).cite("gaoxin-2024-view-report", "apa")
    assert "([2024, January])" in interview["citation"]  # the page's date, month and year inferred
    assert interview["csl"]["issued"] == {"date-parts": [[2024, 1]]}
    report = Knowledge(store).cite("liaoyuan-2024-group-review", "chicago")
    assert "[January 2024]" in report["citation"] and "January 8" not in report["citation"]
    assert report["csl"]["event-date"] == {"date-parts": [[2024, 1, 8]]}  # the group review's day
    with pytest.raises(UsageError):
        Knowledge(store).cite("gaoxin-2024-view-report", "mla")


# -- summaries and facets --------------------------------------------------------------------------


def test_area_summary_sorts_figures_by_role(store: Any) -> None:
    summary = Knowledge(store).summarize("gaoxin", article="fixture-2024")
    assert summary["area"]["slug"] == "gaoxin"
    assert {f["role"] for f in summary["results"]} == {"result"}
    assert {f["role"] for f in summary["attributes"]} == {"attribute"}
    assert summary["frameworks"] and summary["frameworks"][0]["id"] == "gaoxin-three-persistences"


def test_city_summary_leads_with_headline_topics(store: Any) -> None:
    summary = Knowledge(store).summarize(article="all")
    assert summary["area"] is None
    assert all(leader["areas_reporting"] >= 2 for leader in summary["leaders"])
    assert all(f["scope"] for f in summary["standings"])


def test_facets_count_what_records_gives(store: Any) -> None:
    facet = Knowledge(store).facet(["area", "category"])
    assert facet["total"] == 46
    for row in facet["rows"]:
        found = Knowledge(store).records([row["values"]["area"]], category=row["values"]["category"])
        assert len(found["records"]) == row["count"]
    figures = Knowledge(store).facet(["role"], of="figures")
    assert figures["total"] == len(Knowledge(store).figures()["figures"])
    with pytest.raises(UsageError):
        Knowledge(store).facet(["area", "area"])


# -- tracking -------------------------------------------------------------------------------------

VERDICTS = {
    "gaoxin-2024-new-enterprises": ("met", "computed"),  # 不低于5个, actual 5: met at the bound
    "gaoxin-2024-key-projects": ("met", "computed"),  # two thresholds, each met
    "dongfeng-2024-gdp-growth": ("partly_met", "computed"),
    "dongfeng-2024-industrial-output-growth": ("not_met", "computed"),
    "liaoyuan-2024-unemployment": ("met", "recorded"),  # a ceiling, lower is better
    "gaoxin-2024-smart-park": ("met", "recorded"),
    "dongfeng-2024-cold-chain": ("in_progress", "recorded"),
    "dongfeng-2024-deer-festival": ("dropped", "recorded"),
    "gaoxin-2024-equipment-upgrade": ("not_assessed", "none"),
}


def test_track_gives_each_pledge_its_verdict(store: Any) -> None:
    tracked = {p["record"]["id"]: p for p in Knowledge(store).track(article="fixture-2024")["pledges"]}
    for ident, (verdict, source) in VERDICTS.items():
        assert (tracked[ident]["verdict"], tracked[ident]["source"]) == (verdict, source), ident
    at_bound = tracked["gaoxin-2024-new-enterprises"]["comparisons"]
    assert [(c["target"]["value"], c["actual"]["value"], c["outcome"]) for c in at_bound] == [(5, 5, "met")]
    pairs = {
        (c["target"]["threshold_stated"], c["actual"]["value"])
        for c in tracked["gaoxin-2024-key-projects"]["comparisons"]
    }
    assert pairs == {("500万元以上", 46), ("亿元以上", 23)}  # each target beside the result of its own series
    history = tracked["gaoxin-2024-smart-park"]["history"]
    assert [(h["verdict"], h["as_of"]) for h in history] == [("in_progress", "2024-07"), ("met", "2025-01")]
    assert tracked["gaoxin-2024-new-enterprises"]["evidence"][0]["article"] == "fixture-2025"


def test_track_filters_by_verdict_and_area(store: Any) -> None:
    met = Knowledge(store).track(verdict="Met")["pledges"]
    assert met and {p["verdict"] for p in met} == {"met"}
    gaoxin = Knowledge(store).track("gaoxin")["pledges"]
    assert {p["record"]["area"] for p in gaoxin} == {"gaoxin"}
    with pytest.raises(UsageError):
        Knowledge(store).track(verdict="excellent")
    scorecard = Knowledge(store).facet(["area", "verdict"])
    assert sum(r["count"] for r in scorecard["rows"]) == 19  # every pledge of both articles


def test_validate_passes_on_the_fixture() -> None:
    result = queries.validate(FIXTURE)
    assert result["ok"] and "3 articles" in result["summary"]


def _alike_in_sql_and_in_python(
    store: Any, query: str, monkeypatch: pytest.MonkeyPatch, **narrow: Any
) -> None:
    from liaoyuan_cli import search

    for limit in (100, 3, 1):  # ranked and cut in SQL, or in Python: the same hits, the same total
        fast = Knowledge(store).search(query, limit=limit, **narrow)
        with monkeypatch.context() as python_only:
            python_only.setattr(search, "chinese", lambda folded: False)
            slow = Knowledge(store).search(query, limit=limit, **narrow)
        assert fast == slow and fast["total"] > 0


# One or two characters are scored from the index alone (a field's column holds the gram); longer
# queries are confirmed on the text. Both must be what the general scorer says.
@pytest.mark.parametrize("query", ["氢能", "吉源氢能", "项目", "东丰", "园", "产业园"])
def test_chinese_queries_score_alike_in_sql_and_in_python(
    store: Any, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Chinese query is matched in SQL; the general scorer must give the very same answer."""
    _alike_in_sql_and_in_python(store, query, monkeypatch)


@pytest.mark.parametrize(
    "narrow",
    [{"areas": ["gaoxin"]}, {"kind": "pledge"}, {"article": "fixture-2025"}, {"category": "projects"}],
)
def test_narrowed_chinese_queries_score_alike_in_sql_and_in_python(
    store: Any, narrow: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _alike_in_sql_and_in_python(store, "项目", monkeypatch, **narrow)


def test_the_index_scores_whole_fields_and_finds_recent_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entity named by two characters earns the bonus of a field that is the query, scored
    from the index; a character that Unicode added in version 14 (U+9FF0) is found alone and in a
    pair, and characters that fold to several or have no reading are found in every field, by
    the index as by the general scorer."""
    from liaoyuan_cli.store import open_store

    kb = tmp_path / "kb"
    shutil.copytree(FIXTURE, kb)
    source = kb / "articles" / "fixture-2024" / "source.txt"
    odd = "会议㏠召开㍻改革中䷀䷁文"  # ㏠ folds to 1日, ㍻ to 平成; pypinyin leaves ䷀䷁ as one token
    source.write_text(
        source.read_text(encoding="utf-8") + f"\n试验新字\u9ff0材料。{odd}。\n", encoding="utf-8"
    )
    with (kb / "entities.toml").open("a", encoding="utf-8") as entities:
        entities.write(
            "\n[[entities]]\n"
            'id = "hydrogen-energy"\nkind = "programme"\nzh = "氢能"\nen = "Hydrogen energy"\n'
            'pinyin = "Qingneng"\nquote = "吉源氢能科技有限公司"\narticle = "fixture-2024"\n'
            "\n[[entities]]\n"
            'id = "new-character-material"\nkind = "programme"\nzh = "新字\u9ff0材料"\n'
            'en = "New-character material"\npinyin = "Xinzi Cailiao"\nquote = "试验新字\u9ff0材料"\n'
            'article = "fixture-2024"\n'
            "\n[[entities]]\n"
            f'id = "odd-characters"\nkind = "programme"\nzh = "{odd}"\nen = "Odd characters"\n'
            f'pinyin = "Qiguai Zifu"\nquote = "{odd}"\narticle = "fixture-2024"\n'
        )
    store = open_store(kb)
    top = Knowledge(store).search("氢能", limit=1)["hits"][0]
    assert top["id"] == "hydrogen-energy" and top["score"] >= 200  # EXACT_BONUS: its zh is the query
    _alike_in_sql_and_in_python(store, "氢能", monkeypatch)
    for query in ("\u9ff0", "字\u9ff0"):
        assert [h["id"] for h in Knowledge(store).search(query)["hits"]] == ["new-character-material"]
        _alike_in_sql_and_in_python(store, query, monkeypatch)
    # In the pinyin field too, every Chinese character begins a word, whatever token it came in.
    for query in ("日", "成", "平", "平成", "䷁", "䷀䷁"):
        assert "odd-characters" in {h["id"] for h in Knowledge(store).search(query, limit=100)["hits"]}
        _alike_in_sql_and_in_python(store, query, monkeypatch)


def test_kind_pledge_is_targets_and_plans_together(store: Any) -> None:
    pledged = Knowledge(store).records(kind="pledge", article="all")
    kinds = {r["kind"] for r in pledged["records"]}
    assert kinds == {"target", "plan"}
    one_by_one = [Knowledge(store).records(kind=k, article="all")["records"] for k in ("target", "plan")]
    assert sorted(ids(pledged)) == sorted(r["id"] for found in one_by_one for r in found)
    assert pledged["filters"]["kind"] == "pledge"
    assert {h["kind"] for h in Knowledge(store).search("项目", kind="pledge", limit=100)["hits"]} <= {
        "target",
        "plan",
    }
    with pytest.raises(UsageError, match="pledge"):
        Knowledge(store).records(kind="pledged-ish")


def test_facets_count_the_pledges_among_the_records(store: Any) -> None:
    facet = Knowledge(store).facet(["area", "category"], article="all")
    for row in facet["rows"]:
        found = Knowledge(store).records(
            [row["values"]["area"]], category=row["values"]["category"], kind="pledge", article="all"
        )
        assert len(found["records"]) == row["pledges"]
    assert facet["pledges"] == sum(r["pledges"] or 0 for r in facet["rows"]) < facet["total"]
    assert Knowledge(store).facet(["role"], of="figures")["rows"][0]["pledges"] is None
    by_entity = Knowledge(store).facet(["entity"], article="all")  # a record may name several
    named = [r for r in Knowledge(store).records(article="all")["records"] if r["entities"]]
    assert by_entity["total"] == len(named) < sum(r["count"] for r in by_entity["rows"])


def test_a_scale_is_faceted_in_its_own_order(store: Any) -> None:
    scale = ["met", "partly_met", "not_met", "in_progress", "dropped", "not_assessed"]
    rows = Knowledge(store).facet(["area", "verdict"], article="all")["rows"]
    areas = [r["values"]["area"] for r in rows]
    order = [a["slug"] for a in store.areas()]
    assert areas == sorted(areas, key=order.index)  # grouped by area, in the order areas lists them
    for area in set(areas):
        seen = [r["values"]["verdict"] for r in rows if r["values"]["area"] == area]
        assert seen == sorted(seen, key=scale.index), area
    assert len({r["values"]["verdict"] for r in rows}) >= 4  # the fixture exercises the scale


def test_a_citation_in_english_leaves_the_chinese_out_but_apa_and_chicago_keep_the_title(
    store: Any,
) -> None:
    """lycli's own line in English has no Chinese; APA 7 and Chicago keep the original title
    beside its bracketed translation in every language, and only that."""
    headline = store.sections()[store.record("gaoxin-2023-gdp")["section"]]["headline_zh"]
    for style in ("text", "apa", "chicago"):
        both = Knowledge(store).cite("gaoxin-2023-gdp", style)["citation"]
        english = Knowledge(store).cite("gaoxin-2023-gdp", style, lang="en")["citation"]
        assert any("\u4e00" <= c <= "\u9fff" for c in both), style
        chinese = "".join(c for c in english if "\u4e00" <= c <= "\u9fff")
        if style == "text":
            assert not chinese
        else:
            assert chinese == "".join(c for c in headline if "\u4e00" <= c <= "\u9fff"), style
            start = english.index(chinese[0])  # the original, then its translation in brackets
            assert english.index(" [Pooling strength", start) > start, english


def test_a_project_has_the_stages_the_article_gives_it(store: Any) -> None:
    found = {p["id"]: p for p in Knowledge(store).projects(article="all")["projects"]}
    assert found["hydrogen-equipment-project"]["stages"] == [
        {"stage": "construction", "year": 2024, "role": "target", "words": "投资建设"}
    ]
    assert [(s["stage"], s["role"]) for s in found["hydrogen-project-phase-two"]["stages"]] == [
        ("planned", "result")
    ]
    assert found["dongfeng-cold-chain-center"]["stages"] == []  # no stage given: none made up


def test_thresholds_come_in_base_units_too(store: Any) -> None:
    factor = {"亿元": 100_000_000, "万元": 10_000}
    with_threshold = [f for f in Knowledge(store).figures(article="all")["figures"] if f["threshold_unit"]]
    assert {f["threshold_unit"] for f in with_threshold} == {"亿元", "万元"}  # the fixture has both
    for f in with_threshold:
        assert f["threshold_base_value"] == f["threshold_value"] * factor[f["threshold_unit"]]
        assert f["threshold_base_unit"] == "yuan"


def test_a_caution_follows_a_chain_of_projects_that_may_be_one(store: Any) -> None:
    found = {p["id"]: p for p in Knowledge(store).projects(article="all")["projects"]}
    # phase two is part of the equipment project, which may be Dongfeng's supporting project
    assert found["hydrogen-project-phase-two"]["named_by_several_areas"]
    assert "Dongfeng" in (found["hydrogen-project-phase-two"]["caution_en"] or "")
    assert not found["citizen-service-center"]["named_by_several_areas"]


def test_an_area_given_as_an_entity_is_pointed_to_area(store: Any) -> None:
    with pytest.raises(NotFound) as caught:
        Knowledge(store).projects(entity="gaoxin")
    assert "gaoxin is an area" in (caught.value.hint or "")
    with pytest.raises(NotFound) as caught:
        Knowledge(store).entities("Dongfeng")
    assert "dongfeng is an area" in (caught.value.hint or "")


# -- whose words ----------------------------------------------------------------------------------


def test_records_by_voice_and_speaker(store: Any) -> None:
    kb = Knowledge(store)
    direct = kb.records(voice="direct")
    assert direct["records"] and {r["voice"] for r in direct["records"]} == {"direct"}
    assert direct["filters"]["voice"] == "direct"
    everyone = {r["speaker"] for r in kb.records()["records"]} - {None}
    by_name = kb.records(speakers=["韩立群", "Shao Wenbo"])  # a Chinese name, a pinyin one
    assert {r["speaker"] for r in by_name["records"]} == {"han-liqun", "shao-wenbo"} < everyone
    assert by_name["filters"]["speakers"] == ["han-liqun", "shao-wenbo"]
    both = kb.records(voice="direct", speakers=["han-liqun"])["records"]
    assert both and all(r["voice"] == "direct" and r["speaker"] == "han-liqun" for r in both)
    # Every listing takes them: figures, targets, track, facet, search, projects.
    assert {f["record"] for f in kb.figures(speakers=["han-liqun"])["figures"]} <= set(ids(by_name))
    assert all(p["record"]["speaker"] == "han-liqun" for p in kb.track(speakers=["han-liqun"])["pledges"])
    with pytest.raises(UsageError) as unknown:
        kb.records(speakers=["nobody"])
    assert "han-liqun" in str(unknown.value.hint)
    with pytest.raises(UsageError):
        kb.records(voice="shouted")


def test_an_empty_answer_by_voice_says_which_condition_to_drop(store: Any) -> None:
    none = Knowledge(store).records(voice="direct", speakers=["ren-desheng"])
    assert none["records"] == []
    assert none["explain"] is not None
    assert "Without --voice: 1 record;" in none["explain"]["en"]
    assert "without --speaker: 6 records" in none["explain"]["en"]


def test_facet_by_speaker_counts_records_by_person(store: Any) -> None:
    kb = Knowledge(store)
    counted = kb.facet(by="speaker")
    by_person = {r["values"]["speaker"]: r["count"] for r in counted["rows"]}
    records = kb.records()["records"]
    for person, n in by_person.items():
        assert n == sum(r["speaker"] == person for r in records), person
    assert list(by_person)[-1] is None  # the records no one speaks, last
    voices = kb.facet(by="speaker,voice", voice="direct")
    assert {r["values"]["voice"] for r in voices["rows"]} == {"direct"}


def test_search_keeps_only_the_words_asked_for(store: Any) -> None:
    kb = Knowledge(store)
    every = kb.search("项目")
    direct = kb.search("项目", voice="direct")
    assert direct["total"] <= every["total"] and {h["type"] for h in direct["hits"]} <= {"record"}
    spoken = {r["id"] for r in kb.records(voice="direct")["records"]}
    assert {h["id"] for h in direct["hits"]} <= spoken


# -- search in any script ---------------------------------------------------------------------------


def test_traditional_characters_find_the_simplified_text(store: Any) -> None:
    kb = Knowledge(store)
    simplified, traditional = kb.search("项目"), kb.search("項目")
    assert simplified["total"] and traditional["total"] == simplified["total"]
    assert [h["id"] for h in traditional["hits"]] == [h["id"] for h in simplified["hits"]]
    assert traditional["query"] == "項目" and traditional["searched"] == "项目"
    # The highlight marks the simplified text the page prints.
    hit = next(h for h in traditional["hits"] if h["highlight"]["zh"])
    a, b = hit["highlight"]["zh"]
    assert hit["zh"][a:b] == "项目"


def test_a_simplified_query_never_loads_the_converter(store: Any) -> None:
    from liaoyuan_cli import search

    search._converter.cache_clear()
    Knowledge(store).search("项目")
    Knowledge(store).search("hydrogen")
    assert search._converter.cache_info().currsize == 0


def test_an_entity_is_found_by_the_chinese_its_english_name_spells() -> None:
    from liaoyuan_cli.search import entity_names, spelled_in

    quote = "全力推进天楹集团总投资64亿元的风光储氢氨醇一体化项目落地"
    assert spelled_in(quote, "Tianying Group's integrated project") == ["天楹"]
    assert spelled_in(quote, "Tian Ying Group") == ["天楹"]  # words written apart
    assert spelled_in(quote, "integrated wind-solar project") == []  # English words spell nothing
    names = entity_names(
        {
            "zh": "一体化项目",
            "en": "Tianying Group's project",
            "pinyin": "Yitihua Xiangmu",
            "aliases": [],
            "quote": quote,
        }
    )
    assert names.split()[-1] == "天楹"


# -- projects for screening -------------------------------------------------------------------------


def test_projects_lists_parks_and_works_with_their_kind(store: Any) -> None:
    kb = Knowledge(store)
    rows = {p["id"]: p for p in kb.projects()["projects"]}
    assert rows["jinhui-park"]["kind"] == "park"
    assert rows["hydrogen-equipment-project"]["kind"] == "project"
    assert "smart-upgrade-action" not in rows  # a campaign, no works: no stage, amount or total
    parks = kb.projects(entity_kind="park")["projects"]
    assert parks and {p["kind"] for p in parks} == {"park"}
    with pytest.raises(UsageError):
        kb.projects(entity_kind="place")


def test_projects_amount_in_yuan_sorts_the_largest_first(store: Any) -> None:
    kb = Knowledge(store)
    equipment = next(p for p in kb.projects()["projects"] if p["id"] == "hydrogen-equipment-project")
    assert equipment["amount_yuan"] == 1_200_000_000  # 12亿元, in base units
    ordered = kb.projects(sort="amount")
    assert ordered["sort"] == "amount" and ordered["projects"][0]["id"] == "hydrogen-equipment-project"
    amounts = [p["amount_yuan"] or 0 for p in ordered["projects"]]
    assert amounts == sorted(amounts, reverse=True)


def test_an_empty_projects_answer_says_why(store: Any) -> None:
    kb = Knowledge(store)
    place = kb.projects(entity="qingshiling")
    assert place["projects"] == [] and place["explain"]
    assert "place" in place["explain"]["en"] and "lycli entities qingshiling" in place["explain"]["en"]
    narrowed = kb.projects(entity="jiyuan-hydrogen", entity_kind="park")
    assert narrowed["projects"] == [] and narrowed["explain"]
    assert "without --kind park" in narrowed["explain"]["en"]


# -- summaries of several areas -------------------------------------------------------------------


def test_summarize_several_areas_summarizes_each_in_turn(store: Any) -> None:
    kb = Knowledge(store)
    several = kb.summarize(["gaoxin", "dongfeng"])
    assert [s["area"]["slug"] for s in several["summaries"]] == ["gaoxin", "dongfeng"]
    assert several["summaries"][0] == kb.summarize("gaoxin")
    assert [a["slug"] for a in several["areas"]] == ["gaoxin", "dongfeng"]
