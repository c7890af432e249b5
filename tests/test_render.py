"""Renderers on results: a literal one, and the fixture's answers at every width and language.

Tables never split an id, a word or a number with its unit; --lang en has no Chinese at all;
--lang zh labels in Chinese; machine formats are tidy.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from wcwidth import wcswidth

from liaoyuan_cli.api import Knowledge
from liaoyuan_cli.render import Options, emit
from liaoyuan_cli.vocab import Format, Lang

HAN = re.compile(r"[\u3400-\u9fff]")


def draw(
    result: Any, lang: str = "both", width: int = 100, fmt: Format = Format.table, monkeypatch: Any = None
) -> str:
    out = io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setenv("COLUMNS", str(width))
    emit(result, Options(format=fmt, lang=Lang(lang), color=False, out=out))
    return out.getvalue()


def literal() -> dict[str, Any]:
    """A `records` result written out by hand: one record with a figure and a misprint."""
    figure = {
        "record": "x-2024-one", "article": "a", "area": "x", "metric": "m", "metric_zh": "项目数",
        "metric_en": "Projects", "value": 5, "unit": "个", "year": 2024, "role": "target",
        "comparator": "at_least", "intent": "strive", "stage": "signed", "threshold_value": 1,
        "threshold_unit": "亿元", "threshold_comparator": "at_least", "threshold_stated": "亿元以上",
        "scope": None, "claim": None, "approximate": False, "readings_en": [], "entity": None,
        "base_value": 5, "base_unit": "count", "display": "≥5个",
        "display_en": "at least 5 signed projects of 100 million yuan or more",
        "qualifiers_zh": ["亿元以上", "签约", "力争"], "qualifiers_en": ["strive for"],
        "series": "m|2024|target|1亿元+|signed",
        "stated": "亿元以上项目不低于5个", "note_en": None, "errata": [],
    }  # fmt: skip
    record = {
        "id": "x-2024-one", "article": "a", "section": "s", "area": "x", "kind": "target",
        "category": "projects", "year": 2024, "zh": "力争新签约亿元以上项目不低于5个。",
        "en": "Strive to sign at least 5 new projects of 100 million yuan or more.",
        "quote": "力争新签约亿元以上项目不低于5个", "voice": "indirect", "speaker": "p", "figures": [figure],
        "entities": ["e1", "e2"], "frameworks": [], "themes": ["t"], "follows": [], "formerly": [],
        "note_en": None, "errata": ["typo"],
    }  # fmt: skip
    erratum = {
        "id": "typo", "article": "a", "kind": "misprint", "printed": "林业", "printed_en": "forestry",
        "reading": "袜业", "reading_en": "sock industry", "certainty": "probable",
        "note_en": "A likely slip.",
    }  # fmt: skip
    return {
        "schema_version": 2, "command": "records", "areas": [], "articles": [],
        "filters": {"areas": [], "article": None, "kind": None, "category": None, "theme": None, "year": None,
                    "entity": None, "metric": None, "has_figures": None},
        "records": [record], "errata": [erratum], "answered": [], "explain": None,
    }  # fmt: skip


def test_a_literal_result_as_a_table(monkeypatch: pytest.MonkeyPatch) -> None:
    both = draw(literal(), "both", 120, monkeypatch=monkeypatch)
    assert "x-2024-one" in both and "≥5个 · 亿元以上 · 签约 · 力争" in both
    words = both.split()
    for phrase in (
        "at least 5 signed projects of 100 million yuan or more · strive for",
        "printed 林业 ‘forestry’, probably 袜业 ‘sock industry’",
    ):
        assert all(word in words for word in phrase.split()), phrase
    stacked = " ".join(draw(literal(), "both", 24, monkeypatch=monkeypatch).split())  # one cell after another
    assert "at least 5 signed projects of 100 million yuan or more · strive for" in stacked
    english = draw(literal(), "en", 120, monkeypatch=monkeypatch)
    assert "≥5个" not in english and "Strive to sign" in english
    chinese = draw(literal(), "zh", 120, monkeypatch=monkeypatch)
    assert "Strive to sign" not in chinese and "目标" in chinese and "target" not in chinese


def test_a_literal_result_in_every_machine_format(monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import json

    rows = list(csv.DictReader(io.StringIO(draw(literal(), fmt=Format.csv))))
    assert rows[0]["id"] == "x-2024-one" and not {"figures", "entities", "errata"} & set(rows[0])
    assert json.loads(draw(literal(), fmt=Format.jsonl))["entities"] == ["e1", "e2"]
    markdown = draw(literal(), fmt=Format.markdown)
    assert "| x-2024-one | **x**<br>目标 target<br>项目建设 projects |" in markdown
    tsv = list(csv.DictReader(io.StringIO(draw(literal(), fmt=Format.tsv)), delimiter="\t"))
    assert tsv == rows


def test_a_list_of_items_is_a_long_table_of_their_columns(store: Any) -> None:
    """A project's links, asked for by name: one row a link, its kind and target in cells of
    their own, beside the project's id."""
    import csv

    from liaoyuan_cli.render.data import tidy

    found = Knowledge(store).projects(entity="hydrogen-storage-supporting-project")
    names, _ = tidy(found, ["links"])
    assert names[:3] == ["id", "links_kind", "links_to"]
    out = io.StringIO()
    emit(found, Options(format=Format.csv, fields=["id", "links_kind", "links_to"], out=out))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    links = {
        (r["links_kind"], r["links_to"]) for r in rows if r["id"] == "hydrogen-storage-supporting-project"
    }
    assert {("by", "jiyuan-hydrogen"), ("related", "hydrogen-equipment-project")} <= links


def test_two_lists_at_once_would_multiply_and_are_refused(store: Any) -> None:
    from liaoyuan_cli.errors import UsageError
    from liaoyuan_cli.render.data import tidy

    with pytest.raises(UsageError, match="each is a list"):
        tidy(Knowledge(store).records(), ["id", "themes", "entities"])


# -- the fixture's answers, every language and width ----------------------------------------------


def answers(store: Any) -> Iterator[tuple[str, Any]]:
    yield "targets", Knowledge(store).targets("all", article="all")
    yield "metrics", Knowledge(store).metrics("gaoxin", article="all")
    yield "figures", Knowledge(store).figures()
    yield "compare", Knowledge(store).compare("projects", article="all")
    yield "track", Knowledge(store).track()
    yield "projects", Knowledge(store).projects()
    yield "show", Knowledge(store).show("gaoxin-2024-key-projects")
    yield "entities", Knowledge(store).entities()
    yield "areas", Knowledge(store).areas()
    yield "summarize", Knowledge(store).summarize("gaoxin", article="fixture-2024")
    yield "city", Knowledge(store).summarize(article="all")
    yield "themes", Knowledge(store).themes()
    yield "facet", Knowledge(store).facet(["area", "verdict"])
    yield "search", Knowledge(store).search("hydrogen")


def test_english_tables_hold_no_chinese(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not even a misprint's: in English alone it is told in English (its Chinese is --lang both's)."""
    for name, result in answers(store):
        shown = draw(result, "en", 160, monkeypatch=monkeypatch)
        assert not HAN.search(shown), (name, [line for line in shown.splitlines() if HAN.search(line)][:3])


LABELS_EN = (
    "Record",
    "Kind",
    "Text",
    "Figure",
    "Verdict",
    "Compare",
    "only one area",
    "2024 target",
    "not yet assessed",
)


def test_chinese_tables_are_labelled_in_chinese(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, result in answers(store):
        shown = draw(result, "zh", 160, monkeypatch=monkeypatch)
        assert not [label for label in LABELS_EN if label in shown], name


def _pieces(result: Any) -> tuple[set[str], set[str]]:
    """The ids and the figures an answer's table shows, as they must appear: whole."""
    command = result["command"]
    ids: set[str] = set()
    figures: list[Any] = []
    if command in ("targets", "records"):
        ids = {r["id"] for r in result["records"]}
        figures = [f for r in result["records"] for f in r["figures"]]
    elif command in ("metrics", "figures"):
        ids = {f["record"] for f in result["figures"]}
        figures = result["figures"]
    elif command == "compare":  # a comparison shows figures by area, no record ids
        figures = [f for s in result["series"] for f in s["rows"]]
    elif command == "track":
        ids = {p["record"]["id"] for p in result["pledges"]} | {
            e["id"] for p in result["pledges"] for e in p["evidence"]
        }
        figures = [
            c[side] for p in result["pledges"] for c in p["comparisons"] for side in ("target", "actual")
        ]
    elif command == "projects":
        ids = {p["id"] for p in result["projects"]}
        figures = [f for p in result["projects"] for f in p["amounts"]]
    elif command == "entities":
        ids = {e["id"] for e in result["entities"]}
    elif command == "search":
        ids = {h["id"] for h in result["hits"]}
    pieces = {f["display"] for f in figures}
    if command != "track":  # track sets target beside actual, compactly
        pieces |= {word for f in figures for word in f["display_en"].split()}
    return ids, pieces


def _unbroken(result: Any, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = draw(result, "both", width, monkeypatch=monkeypatch)
    assert all(wcswidth(line) <= width or not line.strip() for line in shown.splitlines()) or width < 40
    ids, figures = _pieces(result)
    lines = shown.splitlines()
    for piece in ids | figures:
        assert any(piece in line for line in lines), (width, piece)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160, 200])
def test_no_table_splits_an_id_or_a_figure(store: Any, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for _, result in answers(store):
        _unbroken(result, width, monkeypatch)


@pytest.mark.slow
def test_no_table_splits_an_id_or_a_figure_at_any_width(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every width from 40 to 200 (the quick loop runs a few of them)."""
    results = [
        result for name, result in answers(store) if name in ("targets", "compare", "track", "metrics")
    ]
    for width in range(40, 201):
        for result in results:
            _unbroken(result, width, monkeypatch)


def test_lines_never_exceed_the_terminal(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for width in (40, 60, 80, 160):
        for name, result in answers(store):
            shown = draw(result, "both", width, monkeypatch=monkeypatch)
            assert max(len(line) for line in shown.splitlines()) <= width, (name, width)


def test_facet_headings_name_their_fields_in_the_language_asked(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = Knowledge(store).facet(["area", "category"], article="all")
    zh = draw(result, "zh", 120, monkeypatch=monkeypatch)
    assert "按地区、领域计数" in zh and "area" not in zh and "承诺" in zh
    en = draw(result, "en", 120, monkeypatch=monkeypatch)
    assert "Records by area and category" in en and "Pledges" in en


def test_a_table_of_several_areas_heads_its_area_column_so(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    several = draw(Knowledge(store).records(article="all"), "en", 160, monkeypatch=monkeypatch)
    one = draw(Knowledge(store).records(["gaoxin"], article="all"), "en", 160, monkeypatch=monkeypatch)
    assert "Area · Kind" in several and "Area · Kind" not in one and "Kind" in one


def test_the_areas_table_says_which_articles_speak_of_each(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = draw(Knowledge(store).areas(), "en", 160, monkeypatch=monkeypatch)
    assert "in fixture-2024, fixture-2025" in shown  # what --article takes
