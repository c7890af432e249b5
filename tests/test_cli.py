"""End to end through lycli's entry point on the bundled knowledge base: the answers only it
can give, the JSON contract, formats and errors. Queries and renderers are tested on the small
invented fixture (test_queries.py, test_render.py)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from liaoyuan_cli.render.table import RENDERERS
from liaoyuan_cli.results import ROWS
from liaoyuan_cli.vocab import Format

from .conftest import SOURCE, fixture_cli, run_cli

COMMANDS = [
    ("areas",),
    ("targets", "gaoxin"),
    ("targets", "all"),
    ("records", "--theme", "new-energy"),
    ("metrics", "gaoxin"),
    ("figures",),
    ("compare", "growth"),
    ("compare", "projects"),
    ("compare",),
    ("search", "tianying"),
    ("entities",),
    ("entities", "天楹"),
    ("show", "gaoxin-2023-gdp"),
    ("cite", "gaoxin-2023-gdp"),
    ("summarize", "gaoxin"),
    ("summarize",),
    ("themes",),
    ("facet", "--by", "area,category"),
    ("projects",),
    ("track",),
    ("validate",),
    ("records", "--voice", "direct"),
    ("facet", "--by", "speaker,voice"),
    ("search", "龍山"),
    ("summarize", "gaoxin", "xian"),
    ("projects", "--sort", "amount", "--kind", "park"),
]


def test_every_format_has_a_writer() -> None:
    from liaoyuan_cli.render import data

    writers = {name.removeprefix("render_") for name in vars(data) if name.startswith("render_")}
    assert writers - {"delimited"} | {Format.table, Format.markdown} == set(Format)  # both draw the table
    for fmt in Format:
        if fmt not in (Format.table, Format.markdown):
            assert callable(data.writer(fmt))


def test_every_result_has_rows_and_a_table_renderer() -> None:
    """A new command without a row declaration or a table renderer fails here, not for a user."""
    from liaoyuan_cli.commands import TABLE

    runners = ("export", "validate", "draft")
    answers = {kind for c in TABLE for kind in c.answers if c.query or c.runner in runners}
    assert set(RENDERERS) == set(ROWS) == answers


def test_each_table_builder_takes_the_result_its_answer_declares() -> None:
    """mypy checks each builder against its own parameter's TypedDict; this holds that type to
    the one results.ROWS gives the kind of answer the builder is registered for."""
    from typing import get_type_hints

    from liaoyuan_cli import results
    from liaoyuan_cli.render import table

    names = {**vars(table), **vars(results)}  # the builders import the results for type checking only
    for kind, builder in RENDERERS.items():
        assert get_type_hints(builder, globalns=names)["result"] is ROWS[kind].result, kind


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_json_validates_against_the_published_schema(args: tuple[str, ...]) -> None:
    result = run_cli(*args, "--json")
    assert result.code == 0, result.stderr
    schema = json.loads(run_cli("schema", args[0]).stdout)
    errors = list(Draft202012Validator(schema).iter_errors(result.json()))
    assert not errors, [e.message for e in errors[:3]]
    future = {**result.json(), "schema_version": result.json()["schema_version"] + 1}
    assert not Draft202012Validator(schema).is_valid(future)  # the version is pinned
    assert not Draft202012Validator(schema).is_valid({**result.json(), "command": "other"})


def test_targets_gaoxin_table_has_both_languages_and_figures() -> None:
    out = run_cli("targets", "gaoxin").stdout
    assert "辽源高新技术产业开发区" in out and "Liaoyuan High-tech Industrial Development Zone" in out
    assert "仇景锐 Qiu Jingrui" in out
    assert "≥5个" in out and "亿元以上" in out and "2400台" in out
    assert "…" not in out


def test_targets_json_carries_typed_figures() -> None:
    data = run_cli("targets", "高新区", "--json").json()
    assert [a["slug"] for a in data["areas"]] == ["gaoxin"]
    figures = [f for r in data["records"] for f in r["figures"]]
    signed = [f for f in figures if f["metric"] == "attracted-projects" and f["value"] == 5]
    assert signed and signed[0]["comparator"] == "at_least" and signed[0]["intent"] == "strive"
    assert (signed[0]["threshold_value"], signed[0]["threshold_unit"], signed[0]["threshold_stated"]) == (
        1,
        "亿元",
        "亿元以上",
    )
    assert signed[0]["display_en"] == "at least 5 signed projects of 100 million yuan or more"
    assert {r["kind"] for r in data["records"]} <= {"target", "plan"}


def test_metrics_gaoxin_has_seven_results_with_growth() -> None:
    data = run_cli("metrics", "gaoxin", "--year", "2023", "--json").json()
    growth = {f["metric"]: f["value"] for f in data["figures"] if f["metric"].endswith("-growth")}
    assert growth == {
        "gdp-growth": 8.5,
        "industrial-output-growth": 8.3,
        "industrial-value-added-growth": 12,
        "retail-sales-growth": 28,
        "external-funds-growth": 31.6,
        "fixed-asset-investment-growth": 41,
        "local-revenue-growth": 93,
    }


def test_compare_growth_shows_every_growth_figure() -> None:
    from liaoyuan_cli import kb

    loaded = kb.load(kb.bundled_data_dir())
    growth = {m.id for m in loaded.metrics if "growth" in m.topics}
    expected = sorted((r.area, f.metric) for r in loaded.records for f in r.figures if f.metric in growth)
    data = run_cli("compare", "growth", "--json").json()
    shown = sorted((row["area"], row["metric"]) for s in data["series"] for row in s["rows"])
    assert shown == expected


def test_compare_keeps_thresholds_apart() -> None:
    data = run_cli("compare", "projects", "--json").json()
    keys = [s["key"] for s in data["series"] if s["metric"] == "key-projects"]
    assert len(keys) == len(set(keys)) >= 2


@pytest.mark.parametrize("query", ["天楹", "tianying", "Tian Ying", "tiān yíng", "TIANYING"])
def test_search_finds_tianying_in_every_area_that_names_it(query: str) -> None:
    data = run_cli("search", query, "--json", "--limit", "50").json()
    areas = {h["area"] for h in data["hits"] if h["type"] == "record"}
    assert {"dongfeng", "gaoxin", "dongliao"} <= areas
    assert data["hits"][0]["type"] == "entity"


def test_search_pinyin_highlights_the_chinese() -> None:
    data = run_cli("search", "meihualu", "--json").json()
    hit = data["hits"][0]
    start, end = hit["highlight"]["zh"]
    assert hit["zh"][start:end] == "梅花鹿"


def test_search_finds_english_inside_compound_words_and_ranks_whole_words_first() -> None:
    """'ethanol' finds 'bioethanol' (not 'methanol'); 'carbon fibre' finds 'carbon-fibre'."""
    ethanol = run_cli("search", "ethanol", "--json").json()["hits"]
    assert ethanol and all("bioethanol" in h["en"].lower() for h in ethanol)
    fibre = run_cli("search", "carbon fibre", "--json", "--limit", "50").json()["hits"]
    assert any("carbon-fibre" in h["en"] for h in fibre) and any("carbon fibre" in h["en"] for h in fibre)


def test_search_filters_and_limit() -> None:
    data = run_cli("search", "项目", "--area", "gaoxin", "--kind", "target", "--limit", "3", "--json").json()
    assert len(data["hits"]) == 3 and data["total"] >= 3
    assert {h["area"] for h in data["hits"]} == {"gaoxin"} and {h["kind"] for h in data["hits"]} == {"target"}


def test_misprinted_area_name_still_resolves() -> None:
    assert run_cli("targets", "西安安区", "--json").json()["areas"][0]["slug"] == "xian"


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("targets", "gaoxn"), 2, "did you mean gaoxin?"),
        (("compare", "grwoth"), 2, "did you mean growth?"),
        (("compare", "bananas"), 2, "choose from: growth"),
        (("show", "gaoxin-2023-gpd"), 1, "did you mean gaoxin-2023-gdp"),
        (("entities", "no-such-thing-at-all"), 1, "no entity"),
        (("targets", "gaoxin", "--kind", "targte"), 2, "did you mean target?"),
        (("targets", "gaoxin", "--category", "nonsense"), 2, "choose from: economy, industry"),
        (("entities", "--kind", "compnay"), 2, "did you mean company?"),
        (("targets", "gaoxin", "--format", "yaml"), 2, "yaml"),
        (("targets", "gaoxin", "--json", "--fields", "id,nope"), 2, "valid fields"),
        (("search", "x", "--limit", "0"), 2, "--limit"),
        (("targets", "gaoxin", "--data", "/no/such/dir"), 2, "not found"),
        (("records", "--theme", "bananas"), 2, "choose from: new-energy"),
        (("targets", "gaoxin", "--article", "session-2099"), 2, "session-2024"),
        (("facet", "--by", "colour"), 2, "choose from: area"),
        (("targets", "gaoxin", "--format", "xml"), 2, "unknown format 'xml' (choose from: table, json"),
        (("targets", "gaoxin", "--year", "abc"), 2, "--year: 'abc' is not a whole number"),
        (("show", " "), 2, "empty record id"),
        (("summarize", ""), 2, "empty area"),
    ],
)
def test_errors_are_one_line_on_stderr_with_a_code(args: tuple[str, ...], code: int, needle: str) -> None:
    result = run_cli(*args, *(() if "--json" in args else ("--json",)))
    assert result.code == code, result.stderr
    assert result.stdout == ""
    assert needle in result.stderr and result.stderr.startswith("lycli: error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "Value error" not in result.stderr and "Input should be" not in result.stderr  # pydantic's words


def test_every_command_summary_is_whole_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """`lycli --help` cuts a long first sentence with '...': each must fit beside its name."""
    monkeypatch.setenv("COLUMNS", "80")
    listing = run_cli("--help").stdout.split("Commands:")[1]
    assert "facet" in listing and "..." not in listing, listing


def test_vocabulary_options_ignore_case() -> None:
    lower = run_cli("targets", "gaoxin", "--category", "industry", "--json").json()
    upper = run_cli("targets", "gaoxin", "--category", "Industry", "--kind", "TARGET", "--json").json()
    assert upper["records"] and {r["category"] for r in upper["records"]} == {"industry"}
    assert {r["id"] for r in upper["records"]} <= {r["id"] for r in lower["records"]}


def test_an_empty_answer_says_why() -> None:
    result = run_cli("targets", "gaoxin", "--year", "2023", "--json")
    assert result.code == 0 and result.json()["records"] == []
    assert "--kind result" in result.json()["explain"]["en"]
    table = run_cli("targets", "gaoxin", "--year", "2023", "--lang", "en").stdout
    assert "--kind result" in " ".join(table.split())


def test_typo_of_a_command_is_suggested_once() -> None:
    result = run_cli("targte", "gaoxin")
    assert result.code == 2 and result.stderr.count("targets") == 1


def _rows(fmt: str, *args: str) -> str:
    result = run_cli(*args, "--format", fmt)
    assert result.code == 0, result.stderr
    return result.stdout


def test_csv_jsonl_tsv_markdown_and_fields() -> None:
    rows = list(
        csv.DictReader(io.StringIO(_rows("csv", "metrics", "gaoxin", "--fields", "metric,value,unit")))
    )
    assert {"metric": "gdp", "value": "72", "unit": "亿元"} in rows
    lines = [json.loads(x) for x in _rows("jsonl", "search", "天楹").splitlines()]
    assert lines and all("id" in x for x in lines)
    tsv = list(csv.DictReader(io.StringIO(_rows("tsv", "figures")), delimiter="\t"))
    assert tsv and tsv[0]["record"] and "base_value" in tsv[0]
    markdown = _rows("markdown", "areas", "--lang", "en")
    assert "| Area | Name | Official | Records |" in markdown and "| gaoxin |" in markdown
    assert "地区" not in markdown  # the table as shown, in the language asked
    narrowed = run_cli("targets", "gaoxin", "--json", "--fields", "id,kind").json()
    assert all(set(r) == {"id", "kind"} for r in narrowed["records"])


def test_csv_is_tidy_one_value_per_cell() -> None:
    """No JSON and no list in any cell; nested values as columns of their own; a list is a long
    table of its own, asked for by name."""
    every = ("targets", "records", "metrics", "figures", "entities", "summarize")
    for args in (
        *((c,) for c in every),
        ("areas",),
        ("projects",),
        ("track",),
        ("themes",),
        ("show", "gaoxin-2023-gdp"),
        ("compare", "growth"),
        ("search", "天楹"),
        ("summarize", "gaoxin", "xian"),
    ):
        text = _rows("csv", *args)
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not any(cell.lstrip().startswith(("{", "[")) for cell in cells), args
        header = next(csv.reader(io.StringIO(text)))
        lists = {"figures", "entities", "themes", "aliases", "articles", "amounts", "totals", "links"}
        assert not lists & set(header) and not {"matched", "readings_en", "qualifiers_zh"} & set(header), args
    areas = list(csv.DictReader(io.StringIO(_rows("csv", "areas"))))
    gaoxin = next(a for a in areas if a["slug"] == "gaoxin")
    assert gaoxin["official_pinyin"] == "Qiu Jingrui" and gaoxin["counts_target"].isdigit()
    assert "aliases" not in gaoxin  # a list: --fields slug,aliases writes its long table
    targets = list(csv.DictReader(io.StringIO(_rows("csv", "targets", "gaoxin"))))
    assert "figures" not in targets[0] and "themes" not in targets[0]
    figures = list(
        csv.DictReader(io.StringIO(_rows("csv", "targets", "gaoxin", "--fields", "id,figures_display")))
    )
    assert [f["figures_display"] for f in figures if f["id"] == "gaoxin-2024-new-signed-projects"] == [
        "≥5个",
        "≥2个",
    ]
    themes = list(csv.DictReader(io.StringIO(_rows("csv", "records", "--fields", "themes"))))
    assert set(themes[0]) == {"id", "themes"} and len(themes) > len({t["id"] for t in themes})


def test_an_empty_csv_still_has_its_header() -> None:
    text = _rows("csv", "targets", "gaoxin", "--year", "1999")
    assert text.splitlines()[0].startswith("id,article,section,area,kind")
    assert len(text.splitlines()) == 1


def test_lang_chooses_the_text() -> None:
    zh = run_cli("targets", "gaoxin", "--lang", "zh").stdout
    en = run_cli("targets", "gaoxin", "--lang", "en").stdout
    assert "新签约" in zh and "Strive to sign" not in zh
    assert "Strive to sign" in en and "新签约亿元" not in en


def test_show_cites_the_section_with_its_own_date() -> None:
    data: dict[str, Any] = run_cli("show", "gaoxin-2023-gdp", "--json").json()
    assert data["record"]["quote"] in SOURCE.read_text(encoding="utf-8").replace("\n", "")
    assert "Chen Bolin" in data["citation"]
    # The interviews are dated by the session; only the group review carries 1月9日.
    assert "1月9日" not in data["citation"] and "January 2024 (inferred)" in data["citation"]
    assert data["section"]["date_stated"] is None or "1月9日" not in data["section"]["date_stated"]
    review = run_cli("show", "liaoyuan-2024-group-review", "--json").json()
    assert "9 January 2024 (year inferred)" in review["citation"]


def test_show_says_whose_words_a_record_carries() -> None:
    direct = run_cli("show", "gaoxin-2024-view-government-work-report", "--json").json()
    assert direct["record"]["voice"] == "direct" and direct["speaker"]["pinyin"] == "Qiu Jingrui"
    reported = run_cli("show", "gaoxin-2023-gdp", "--json").json()
    assert reported["record"]["voice"] == "indirect"
    table = " ".join(run_cli("show", "gaoxin-2023-gdp", "--lang", "en").stdout.split())
    assert "not to be put in quotation marks" in table


def test_entities_name_lists_every_area() -> None:
    data = run_cli("entities", "china-tianying", "--json").json()
    assert {"dongfeng", "gaoxin", "dongliao"} <= set(data["entity"]["areas"])


def test_version() -> None:
    from liaoyuan_cli import __version__

    assert run_cli("--version").stdout == f"lycli {__version__}\n"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("lycli targets gao", "gaoxin"),
        ("lycli compare gr", "growth"),
        ("lycli show gaoxin-2023-g", "gaoxin-2023-gdp"),
        ("lycli entities china-t", "china-tianying"),
        ("lycli targets gaoxin --kind ta", "target"),
        ("lycli records --category live", "livelihood"),
        ("lycli records --theme new", "new-energy"),
        ("lycli targets gaoxin --article sess", "session-2024"),
        ("lycli targets gaoxin --lang e", "en"),
        ("lycli targets gaoxin --format cs", "csv"),
    ],
)
def test_completion_offers_names_from_the_knowledge_base(
    words: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_LYCLI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - 1))
    result = run_cli()
    assert result.code == 0
    assert expected in result.stdout.split()


def test_area_completion_offers_slugs_not_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_LYCLI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "lycli targets ")
    monkeypatch.setenv("COMP_CWORD", "2")
    offered = run_cli().stdout.split()
    assert offered[:6] == ["dongfeng", "longshan", "gaoxin", "dongliao", "xian", "liaoyuan"]
    assert "市" not in offered and len(offered) <= 7


@pytest.mark.parametrize(
    ("words", "expected"), [("lycli targets 高", "高新区"), ("lycli entities 天楹", "天楹集团")]
)
def test_completion_offers_chinese_names_when_typed(
    words: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_LYCLI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", "2")
    assert expected in run_cli().stdout.split()


IMPORTS_AFTER = """
import sys
from liaoyuan_cli.launch import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("rich", "pydantic", "pypinyin", "tomllib", "csv", "typer", "hashlib")
sys.stderr.write(" ".join(sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in heavy})))
"""


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["targets", "gaoxin", "--json"], set()),
        (["search", "天楹", "--json"], set()),
        (["compare", "growth"], set()),  # a table drawn for a pipe: rich only colours a terminal
        (["metrics", "gaoxin", "--format", "csv"], {"csv"}),
    ],
)
def test_a_warm_run_imports_only_what_it_renders_with(
    args: list[str], allowed: set[str], tmp_path: Path
) -> None:
    """Start-up is paid on every call: no typer or pydantic on a warm cache, no rich for machine formats."""
    env = {**__import__("os").environ, "LYCLI_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first run builds the cache (and may import anything)
        run = subprocess.run(
            [sys.executable, "-c", IMPORTS_AFTER, *args], env=env, capture_output=True, text=True
        )
    assert set(run.stderr.split()) == allowed


def test_city_summary_states_standings_and_shared_projects() -> None:
    data = run_cli("summarize", "--json").json()
    standings = {(s["area"], s["metric"], s["value"]) for s in data["standings"]}
    assert ("dongfeng", "county-economy-rank", 10) in standings
    shared = {e["id"]: e["areas"] for e in data["shared_entities"]}
    assert set(shared["china-tianying"]) == {"dongfeng", "gaoxin", "dongliao"}
    assert all(leader["areas_reporting"] >= 2 for leader in data["leaders"])


def test_show_lists_only_the_entities_the_record_names() -> None:
    """A record that names nothing lists nothing (an empty id list once meant 'all')."""
    assert run_cli("show", "gaoxin-2023-gdp", "--json").json()["entities"] == []
    named = run_cli("show", "dongfeng-2024-tianying-project", "--json").json()["entities"]
    assert "china-tianying" in {e["id"] for e in named}


def test_show_flags_a_misprint_in_the_quote() -> None:
    data = run_cli("show", "gaoxin-2024-sock-machines-upgrade", "--json").json()
    assert "万台林机" in data["record"]["quote"]
    assert [(e["printed"], e["reading"], e["certainty"]) for e in data["errata"]] == [
        ("万台林机", "万台袜机", "probable")
    ]


def test_show_accepts_an_id_a_record_had_before() -> None:
    data = run_cli("show", "liaoyuan-2023-jin-fengxiao-enterprise-development", "--json").json()
    assert data["record"]["id"] != "liaoyuan-2023-jin-fengxiao-enterprise-development"
    assert "liaoyuan-2023-jin-fengxiao-enterprise-development" in data["record"]["formerly"]


def test_search_ranks_whole_words_above_pieces_of_words() -> None:
    """'xian' is Xi'an District, not the first letters of 项目 (xiangmu)."""
    hits = run_cli("search", "Xi'an", "--json", "--limit", "10").json()["hits"]
    assert all(h["area"] == "xian" or "xian" in h["id"] for h in hits[:5])
    pieces = run_cli("search", "iangmu", "--json").json()
    assert pieces["total"] == 0  # a match begins a word or a pinyin syllable


def test_fields_narrow_compare_to_flat_rows() -> None:
    data = run_cli("compare", "growth", "--json", "--fields", "area,metric,value").json()
    assert "series" not in data
    assert {"area": "gaoxin", "metric": "gdp-growth", "value": 8.5} in data["rows"]
    summary = fixture_cli("summarize", "gaoxin", "--json", "--fields", "record,metric").json()
    assert summary["rows"] and all(set(r) == {"record", "metric"} for r in summary["rows"])
    assert "targets" not in summary and "results" not in summary  # the rows replace the lists


def _on_a_terminal(*args: str, **env: str) -> str:
    """What lycli writes when its stdout is a terminal (a pseudo-terminal here)."""
    import os
    import pty

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environment.update(TERM="xterm-256color", COLUMNS="100", **env)
    with subprocess.Popen(
        [sys.executable, "-m", "liaoyuan_cli", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    ) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when lycli exits
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_json_is_pretty_on_a_terminal_and_compact_in_a_pipe() -> None:
    pretty = _on_a_terminal("areas", "--json")
    assert pretty.startswith("{") and '\n  "schema_version": 2' in pretty.replace("\r\n", "\n")
    assert "\n" not in run_cli("areas", "--json").stdout.rstrip("\n")


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert "\x1b[" in _on_a_terminal("targets", "gaoxin")
    assert "\x1b[" not in _on_a_terminal("targets", "gaoxin", NO_COLOR="1")
    assert "\x1b[" not in _on_a_terminal("targets", "gaoxin", "--no-color")
    assert "\x1b[" not in run_cli("targets", "gaoxin").stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_exit_4() -> None:
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "liaoyuan_cli", "areas", "--json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert run.returncode == 4
    assert run.stderr == "lycli: error: cannot write: No space left on device\n"


def test_an_unwritable_svg_path_is_exit_4(tmp_path: Path) -> None:
    result = run_cli("areas", "--svg", str(tmp_path / "no" / "such" / "dir" / "a.svg"))
    assert result.code == 4 and "cannot write" in result.stderr and "Traceback" not in result.stderr


def test_machine_formats_of_show_and_summarize_carry_their_content() -> None:
    rows = list(csv.DictReader(io.StringIO(_rows("csv", "show", "gaoxin-2024-five-new-breakthroughs"))))
    assert len(rows) == 1 and rows[0]["zh"].startswith("今年") and "Chen Bolin" in rows[0]["citation"]
    figures = [json.loads(x) for x in _rows("jsonl", "summarize", "gaoxin").splitlines()]
    assert {f["year"] for f in figures} == {2023, 2024}
    markdown = _rows("markdown", "targets", "gaoxin")
    assert markdown.startswith("### ") and "| Record<br>记录 |" in markdown and "≥5个" in markdown


def test_targets_table_says_where_the_text_reads_a_misprint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no column wraps into another's lines
    """In English alone the misprint is told in English, with no Chinese; with both languages
    the English line keeps the Chinese it explains."""
    english = run_cli("targets", "gaoxin", "--lang", "en").stdout
    out = " ".join(english.split())
    assert "printed as ‘ten thousand forestry machines’" in out
    assert "probably ‘ten thousand sock-knitting machines’" in out
    assert not re.search(r"[\u3400-\u9fff]", english)
    both = " ".join(run_cli("targets", "gaoxin").stdout.split())
    assert "printed 万台林机 ‘ten thousand forestry" in both and "万台袜机" in both
    assert {e["id"] for e in run_cli("targets", "gaoxin", "--json").json()["errata"]} >= {"sock-machines"}


def test_compare_growth_is_one_table_with_dongfengs_standing() -> None:
    """Only the bundled page shows this: Dongfeng led the city in GDP, investment-attraction and
    retail growth (a standing, without figures), beside the High-tech Zone's rates."""
    out = run_cli("compare", "growth", "--lang", "en").stdout
    lines = out.splitlines()
    assert len(lines) <= 40 and "only one area" not in out
    header = next(line for line in lines if line.startswith("Metric"))
    assert "Dongfeng County" in header and "High-tech Zone" in header and "gaoxin" not in out
    standing = next(line for line in lines if line.startswith("Standing by GDP growth"))
    assert "led the city · 2023" in standing
    assert not re.search(r"[\u3400-\u9fff]", out)
    data = run_cli("compare", "growth", "--json").json()
    rows = {r["metric"]: r for r in data["comparison"]}
    lead = rows["gdp-growth-rank"]["cells"]["dongfeng"][0]
    assert lead["record"] == "dongfeng-2023-growth-leads-city" and lead["article"] == "session-2024"
    assert rows["gdp-growth-rank"]["standing"] and not rows["gdp-growth"]["standing"]
    assert {"attraction-funds-growth-rank", "retail-sales-growth-rank"} <= set(rows)
    assert [a["slug"] for a in data["areas"]] == ["dongfeng", "gaoxin", "dongliao"]


def test_show_names_the_themes_a_record_belongs_to() -> None:
    records = fixture_cli("records", "--article", "all", "--json").json()["records"]
    themed = next(r for r in records if r["themes"])
    shown = fixture_cli("show", themed["id"], "--lang", "en").stdout
    line = next(ln for ln in shown.splitlines() if ln.startswith("themes"))
    assert all(t in line for t in themed["themes"]), (line, themed["themes"])
    unthemed = next(r for r in records if not r["themes"])
    assert "themes" not in fixture_cli("show", unthemed["id"], "--lang", "en").stdout


# -- the researcher's and the investor's questions (issue 23) ----------------------------------------


def test_whose_words_the_seven_direct_quotes_and_counts_by_speaker() -> None:
    direct = run_cli("records", "--voice", "direct", "--json").json()["records"]
    assert len(direct) == 7 and {r["voice"] for r in direct} == {"direct"}
    assert "gaoxin-2024-view-government-work-report" in {r["id"] for r in direct}
    counted = run_cli("facet", "--by", "speaker", "--json").json()
    by_person = {r["values"]["speaker"]: r["count"] for r in counted["rows"]}
    assert by_person["qiu-jingrui"] == 29 and by_person["xing-shugang"] == 38
    assert sum(by_person.values()) == counted["total"] == 167
    qiu = run_cli("targets", "gaoxin", "--speaker", "仇景锐", "--voice", "indirect", "--json").json()
    assert qiu["records"] and {(r["speaker"], r["voice"]) for r in qiu["records"]} == {
        ("qiu-jingrui", "indirect")
    }
    table = run_cli("facet", "--by", "speaker", "--lang", "en").stdout
    assert "Speaker" in table and "qiu-jingrui" in table


def test_search_finds_the_same_in_any_script() -> None:
    def found(query: str) -> list[str]:
        return [h["id"] for h in run_cli("search", query, "-n", "100", "--json").json()["hits"]]

    assert found("龍山") == found("龙山") and found("龙山")
    assert found("項目") == found("项目") and len(found("项目")) == 42
    assert "tianying-group-integrated-project" in found("天楹")
    assert set(found("天楹")) == set(found("Tian Ying")) == set(found("tianying"))
    shown = run_cli("search", "龍山", "--lang", "zh").stdout
    assert "“龍山” → 龙山" in shown


def test_every_area_filtering_command_takes_a_and_a_positional_shorthand_where_it_had_one() -> None:
    from liaoyuan_cli.commands import AREA, AREAS, TABLE

    taking = {c.name for c in TABLE if any(p.name == AREAS.name for p in c.params)}
    assert taking >= {
        "targets",
        "records",
        "metrics",
        "figures",
        "search",
        "facet",
        "projects",
        "track",
        "summarize",
    }
    assert {c.name for c in TABLE if AREA.name in {p.name for p in c.params}} == {
        "targets",
        "metrics",
        "summarize",
        "track",
    }
    for name in sorted(taking - {"search"}):
        args = (name, "-a", "gaoxin", "-a", "xian", "--json")
        assert run_cli(*args).code == 0, args
    assert run_cli("search", "项目", "-a", "gaoxin", "-a", "xian", "--json").code == 0
    positional = run_cli("targets", "gaoxin", "xian", "--json").json()
    assert positional["filters"]["areas"] == ["gaoxin", "xian"]
    assert positional == run_cli("targets", "-a", "gaoxin", "-a", "xian", "--json").json()
    summaries = run_cli("summarize", "gaoxin", "xian", "--json").json()
    assert [s["area"]["slug"] for s in summaries["summaries"]] == ["gaoxin", "xian"]


def test_every_help_ends_with_an_example() -> None:
    from liaoyuan_cli.commands import TABLE

    for command in TABLE:
        assert command.examples, command.name
        shown = run_cli(command.name, "--help").stdout
        assert "Examples:" in shown and f"lycli {command.examples[0][0]}" in shown, command.name
    assert "lycli targets gaoxin --lang en" in run_cli("--help").stdout


def test_completion_prints_the_script_of_a_shell() -> None:
    bash = run_cli("completion", "bash")
    assert bash.code == 0 and "complete -o default -F _lycli_completion lycli" in bash.stdout
    assert "_LYCLI_COMPLETE=complete_bash" in bash.stdout
    assert run_cli("completion", "zsh").stdout.startswith("#compdef lycli")
    assert "complete --command lycli" in run_cli("completion", "fish").stdout
    tcsh = run_cli("completion", "tcsh")
    assert tcsh.code == 2 and "bash, zsh, fish" in tcsh.stderr and not tcsh.stdout


@pytest.mark.parametrize("option", ["--show-completion", "--install-completion"])
def test_completion_options_outside_a_known_shell_are_a_usage_error(
    option: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import typer._completion_shared

    monkeypatch.setenv("HOME", str(tmp_path))  # nothing may be installed anywhere real
    monkeypatch.setattr(typer._completion_shared, "_get_shell_name", lambda: None)
    result = run_cli(option)
    assert result.code == 2 and not result.stdout
    assert result.stderr.startswith(f"lycli: error: {option}: cannot tell which shell this is")
    assert "lycli completion bash" in result.stderr
    assert not list(tmp_path.iterdir())


def test_projects_show_the_265_total_and_the_parks_with_their_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # no column wraps into another's lines
    result = run_cli("projects", "--json").json()
    rows = {p["id"]: p for p in result["projects"]}
    totals = rows["china-tianying-storage-h2-project"]["totals"]
    total = next(t for t in totals if t["metric"] == "key-projects-investment")
    assert total["base_value"] == 26_500_000_000 and len(total["readings_en"]) == 2
    assert rows["china-tianying-storage-h2-project"]["amount_yuan"] is None  # a total is not its amount
    assert rows["tianying-group-integrated-project"]["amount_yuan"] == 6_400_000_000
    park = rows["edible-fungi-industrial-park"]
    assert park["kind"] == "park" and [(s["stage"], s["words"]) for s in park["stages"]] == [
        ("in_production", "投产达效")
    ]
    table = " ".join(
        run_cli("projects", "--entity", "edible-fungi-industrial-park", "--lang", "en").stdout.split()
    )
    assert "Edible Fungi Industrial Park" in table and "in production" in table
    shown = " ".join(
        run_cli("projects", "--entity", "china-tianying-storage-h2-project", "--lang", "en").stdout.split()
    )
    assert "26.5 billion yuan" in shown and "the total of all 34 key projects" in shown
    assert "265亿元" in run_cli("projects", "--lang", "zh").stdout
    first = run_cli("projects", "--sort", "amount", "--format", "csv", "--fields", "id,amount_yuan").stdout
    assert first.splitlines()[1] == "tianying-group-integrated-project,6400000000"


def test_markdown_is_the_table_as_shown_in_the_language_asked() -> None:
    en = run_cli("records", "--voice", "direct", "--format", "markdown", "--lang", "en").stdout
    zh = run_cli("records", "--voice", "direct", "--format", "markdown", "--lang", "zh").stdout
    assert "| Record | Area · Kind | Text | Figures |" in en and "目标" not in en
    assert "| 记录 | 地区 · 类别 | 内容 | 数据 |" in zh and "Record" not in zh
    assert en.count("\n| ") == 2 + 7  # header, rule, the seven quotes; no raw fields
    ids = run_cli("records", "--voice", "direct", "--format", "markdown", "--lang", "en", "--fields", "id")
    assert "| Record |" in ids.stdout and "| Text |" not in ids.stdout  # --fields chooses its columns
