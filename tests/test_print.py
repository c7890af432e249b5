"""What a newsroom prints as it is (issue 22), on the invented fixture: a comparison as one table
and as a chart, areas by name, columns chosen with --fields, bars exactly proportional, English
without Chinese, the publication the user names, and several records in one bibliography."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli.api import Knowledge
from liaoyuan_cli.render import Options, emit
from liaoyuan_cli.render.table import area_names

from .conftest import fixture_cli

HAN = re.compile(r"[\u3400-\u9fff]")
NS = "{http://www.w3.org/2000/svg}"


def draw(store: Any, result: Any, lang: str, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """A result as a table, named as the command line names it (the store's areas)."""
    out = io.StringIO()
    monkeypatch.setenv("COLUMNS", str(width))
    emit(result, Options(lang=lang, color=False, out=out, names=area_names(store.areas())))
    return out.getvalue()


# -- compare: one table, a row per metric, a column per area ----------------------------------------


def test_compare_has_a_row_per_metric_and_each_areas_figures_in_its_cell(store: Any) -> None:
    result = Knowledge(store).compare("growth", article="all")
    rows = {r["metric"]: r for r in result["comparison"]}
    assert list(rows) == ["gdp-growth", "fai-growth", "industrial-output-growth"]
    assert [a["slug"] for a in result["areas"]] == ["gaoxin", "dongfeng"]
    assert result["areas"][0]["short_en"] == "High-tech Zone"
    dongfeng = rows["gdp-growth"]["cells"]["dongfeng"]
    assert [(f["display"], f["year"], f["role"], f["level"]) for f in dongfeng] == [
        ("5.2%", 2024, "result", "yes"),
        ("≥6.5%", 2024, "target", "alone"),
    ]
    # Every figure of every series stands in one cell, with its record and article.
    cells = [f for r in result["comparison"] for cell in r["cells"].values() for f in cell]
    assert sorted(f["record"] for f in cells) == sorted(
        r["record"] for s in result["series"] for r in s["rows"]
    )
    assert all(f["article"].startswith("fixture-") for f in cells)
    assert rows["fai-growth"]["cells"]["gaoxin"][0]["claim"] == "lead"  # a standing the page states


def test_compare_table_names_its_areas_marks_what_compares_and_keeps_one_legend(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = Knowledge(store).compare("growth", article="all")
    shown = draw(store, result, "en", 120, monkeypatch)
    header = next(line for line in shown.splitlines() if line.startswith("Metric"))
    assert header.index("High-tech Zone") < header.index("Dongfeng County")
    assert "gaoxin" not in shown and "dongfeng" not in shown  # no slug, no record id
    for cell in (
        "● 6.8% · 2024",
        "● 5.2% · 2024",
        "at least 6.5% · ensure · 2024 target",
        "led the city · 2023",
    ):
        assert cell in shown, cell
    assert "7.2% · 2023" in shown and "● 7.2%" not in shown  # alone in its series: unmarked
    assert shown.count("● compares with") == 1 and "only one area" not in shown
    assert not HAN.search(shown)
    chinese = draw(store, result, "zh", 120, monkeypatch)
    assert "高新区" in chinese and "东丰县" in chinese and "● 5.2% · 2024年" in chinese
    assert not re.search("[A-Za-z]{4,}", chinese.replace("fixture", ""))


def test_compare_growth_of_one_area_each_says_so_in_one_line(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = Knowledge(store).compare("growth", article="fixture-2024")
    shown = draw(store, result, "en", 100, monkeypatch)
    assert "No two areas give the same figure" in shown and "●" not in shown


# -- the chart --------------------------------------------------------------------------------------


def _bars(svg: str) -> list[tuple[float, bool]]:
    """Each bar of a chart: its outer length (a hollow bar's stroke is outside its box) and
    whether it is hollow."""
    root = ET.fromstring(svg)
    out = []
    for rect in root.iter(f"{NS}rect"):
        cls = rect.get("class") or ""
        if cls.startswith("bar"):
            hollow = "target" in cls
            out.append((float(rect.get("width", 0)) + (1.5 if hollow else 0.0), hollow))
    return out


def test_the_chart_draws_each_bar_exactly_as_long_as_its_value(tmp_path: Path) -> None:
    path = tmp_path / "growth.svg"
    run = fixture_cli("compare", "growth", "--article", "all", "--lang", "en", "--chart", str(path))
    assert run.code == 0, run.stderr
    svg = path.read_text(encoding="utf-8")
    data = fixture_cli("compare", "growth", "--article", "all", "--json").json()
    values = [
        (f["base_value"], f["role"] == "target")
        for row in data["comparison"]
        for area in data["areas"]
        for f in row["cells"].get(area["slug"], [])
        if f["base_value"] is not None
    ]
    bars = _bars(svg)
    assert [hollow for _, hollow in bars] == [target for _, target in values]  # targets in outline
    scale = {round(length / abs(value), 1) for (length, _), (value, _) in zip(bars, values, strict=True)}
    assert len(scale) == 1  # one scale, to a tenth of a pixel: 7.2 and 6.8 are drawn apart
    assert any(value < 0 for value, _ in values) and 'class="zero"' in svg  # below zero, leftwards
    root = ET.fromstring(svg)
    texts = [("".join(t.itertext())) for t in root.iter(f"{NS}text")]
    assert {"High-tech Zone", "Dongfeng County"} <= set(texts)  # named, each once per metric
    assert texts.count("Dongfeng County") == 2 and "gaoxin" not in svg
    assert any(t.startswith("led the city") for t in texts)  # a standing, set without a bar
    source = next(i for i, t in enumerate(texts) if t.startswith("Source:"))  # the source line beneath,
    assert source > texts.index("Dongfeng County") and texts[-1].endswith(".")  # wrapped to the end
    assert "Fifth Session" in " ".join(texts[source:])  # naming every article compared
    assert not HAN.search(" ".join(texts))


def test_a_chart_needs_a_topic(tmp_path: Path) -> None:
    path = tmp_path / "topics.svg"
    run = fixture_cli("compare", "--chart", str(path))
    assert run.code == 2 and "--chart draws a topic's comparison" in run.stderr
    assert not path.exists()


# -- areas by name, columns by --fields -------------------------------------------------------------


def test_tables_and_graphics_name_areas_and_machine_formats_keep_slugs(tmp_path: Path) -> None:
    svg, html = tmp_path / "f.svg", tmp_path / "f.html"
    run = fixture_cli("facet", "--by", "area", "--lang", "en", "--svg", str(svg), "--html", str(html))
    assert run.code == 0, run.stderr
    for shown in (run.stdout, svg.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")):
        assert "High-tech Zone" in shown and "Dongfeng County" in shown
        assert not re.search(r"\b(gaoxin|dongfeng)\b", shown)
    rows = fixture_cli("facet", "--by", "area", "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("area,") and any(r.startswith("gaoxin,") for r in rows)
    both = fixture_cli("records", "--article", "all", "--kind", "target").stdout
    assert "高新区" in both and "High-tech Zone" in both


def test_fields_choose_the_columns_of_a_table_and_of_its_graphics(tmp_path: Path) -> None:
    svg, html = tmp_path / "t.svg", tmp_path / "t.html"
    args = ("targets", "gaoxin", "--article", "fixture-2024", "--lang", "en", "--fields", "figures,en")
    run = fixture_cli(*args, "--svg", str(svg), "--html", str(html))
    assert run.code == 0, run.stderr
    header = next(line for line in run.stdout.splitlines() if "Figures" in line)
    assert header.index("Figures") < header.index("Text")  # in the order asked
    for shown in (run.stdout, svg.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")):
        assert "gaoxin-2024-" not in shown  # the ids left out
        assert "Kind" not in shown
    bad = fixture_cli("targets", "gaoxin", "--fields", "quote")
    assert bad.code == 2 and "its columns show" in bad.stderr and "figures" in bad.stderr


def test_eighth_blocks_on_a_terminal() -> None:
    from liaoyuan_cli.render.table import _bar

    def drawn(n: float) -> str:
        return "".join(s.text for ln in _bar(n, 26) for s in ln)

    assert drawn(26) == "█" * 12 and drawn(25) != drawn(26)
    assert drawn(18) == "████████▎"  # 18/26 of 12 cells: 8.31, to the nearest eighth
    assert _bar(18, 26)[0][0].share == pytest.approx(18 / 26)


# -- English without Chinese ------------------------------------------------------------------------


def test_a_misprint_in_english_is_told_in_english(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for record in ("dongfeng-2025-deer-processing", "gaoxin-2024-key-projects"):
        result = Knowledge(store).show(record)
        english = draw(store, result, "en", 120, monkeypatch)
        assert not HAN.search(english) and "printed as ‘" in english, record
        both = draw(store, result, "both", 120, monkeypatch)
        assert result["errata"][0]["printed"] in both


# -- the publication, and a bibliography --------------------------------------------------------------


def test_the_publication_the_user_names_is_the_source_and_the_citations(tmp_path: Path) -> None:
    html = tmp_path / "t.html"
    run = fixture_cli("targets", "gaoxin", "--html", str(html), "--publication", "Liaoyuan  Daily")
    assert run.code == 0, run.stderr
    footer = html.read_text(encoding="utf-8").split('<footer class="source">')[1]
    assert "Liaoyuan Daily" in footer and "not named" not in footer and "未具名" not in footer
    apa = fixture_cli("cite", "gaoxin-2024-view-report", "--style", "apa", "--publication", "Liaoyuan Daily")
    assert apa.stdout.rstrip().endswith("]. Liaoyuan Daily.")  # a name, not a bracketed description
    csl = fixture_cli(
        "cite", "gaoxin-2024-view-report", "--style", "csl-json", "--publication", "Liaoyuan Daily", "--json"
    ).json()
    assert csl["csl"]["container-title"] == "Liaoyuan Daily" and csl["publication"] == "Liaoyuan Daily"
    show = fixture_cli("show", "gaoxin-2024-view-report", "--lang", "en", "--publication", "Liaoyuan Daily")
    assert "Liaoyuan Daily" in " ".join(show.stdout.split())


def test_a_publication_needs_a_place_to_stand() -> None:
    assert fixture_cli("targets", "gaoxin", "--publication", "X").code == 2
    empty = fixture_cli("cite", "gaoxin-2024-view-report", "--publication", " ")
    assert empty.code == 2 and "--publication is empty" in empty.stderr


def test_cite_takes_several_ids_as_one_bibliography(store: Any) -> None:
    kb = Knowledge(store)
    one = kb.cite("gaoxin-2024-view-report", "apa")
    assert one["records"] == ["gaoxin-2024-view-report"] and len(one["entries"]) == 1
    ids = ["gaoxin-2024-view-report", "dongfeng-2023-county-rank", "gaoxin-2023-gdp"]
    apa = kb.cite(ids, "apa")
    assert apa["records"] == ids and [e["record"] for e in apa["entries"]] == ids
    # Two sections, two entries: a section's records cite it once; in alphabetical order.
    entries = apa["citation"].split("\n")
    sections = {store.record(i)["section"] for i in ids}
    assert len(entries) == len(sections) == 2 and entries == sorted(entries, key=str.casefold)
    text = kb.cite(ids, "text")["citation"].split("\n")
    assert len(text) == 3  # lycli's own line carries each record's words
    items = json.loads(kb.cite(ids, "csl-json")["citation"])
    assert [i["id"] for i in items] == ids
    run = fixture_cli("cite", *ids, "--style", "bibtex")
    assert run.code == 0 and run.stdout.count("@misc{") == 3


def test_cite_an_area_or_an_article_as_a_set() -> None:
    area = fixture_cli("cite", "--area", "gaoxin", "--style", "chicago", "--json").json()
    assert area["records"] and all(r.startswith("gaoxin-") for r in area["records"])
    assert len(area["citation"].split("\n")) == len({e["citation"] for e in area["entries"]})
    article = fixture_cli("cite", "--article", "fixture-2025", "--style", "apa", "--json").json()
    listed = fixture_cli("records", "--article", "fixture-2025", "--json").json()["records"]
    assert article["records"] == [r["id"] for r in listed]
    nothing = fixture_cli("cite")
    assert nothing.code == 2 and "--area" in nothing.stderr
