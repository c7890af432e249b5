"""`lycli export`, checked for real: the SQLite database passes SQLite's own checks and datasette
serves it, every count matches the knowledge base, derived tables agree with the cache, and the
CSV package validates against its own datapackage.json (Frictionless)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import io
import json
import re
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import SCHEMA_VERSION, export, figures, kb
from liaoyuan_cli.errors import CannotWrite, InvalidKnowledgeBase, UsageError
from liaoyuan_cli.models import KnowledgeBase
from liaoyuan_cli.text import compact
from liaoyuan_cli.themes import ThemeRule
from liaoyuan_cli.vocab import PLEDGE_KINDS
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
# The bundled knowledge base, and the small invented one where it exists.
KBS = [p for p in (ROOT / "data", ROOT / "tests" / "fixtures" / "kb") if (p / "areas.toml").is_file()]
NAMES = [p.parent.name if p.name == "kb" else p.name for p in KBS]
TABLE_NAMES = [t.name for t in export.TABLES]


@pytest.fixture(scope="module", params=KBS, ids=NAMES)
def kb_dir(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


@pytest.fixture(scope="module")
def base(kb_dir: Path) -> KnowledgeBase:
    return kb.load(kb_dir)


@pytest.fixture(scope="module")
def exported(kb_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("sqlite") / "kb.db"
    result = export.export(kb_dir, str(path), "sqlite", False)
    return path, dict(result)


@pytest.fixture(scope="module")
def package(kb_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("csv") / "kb"
    result = export.export(kb_dir, str(path), "csv", False)
    return path, dict(result)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def expected_counts(base: KnowledgeBase) -> dict[str, int]:
    """Every table's row count, worked out from the knowledge base without the exporter."""

    def distinct(values: Any) -> int:
        return len(dict.fromkeys(values))

    records = [r.model_dump(mode="json") for r in base.records]
    rules = [ThemeRule(t.model_dump(mode="json")) for t in base.themes]
    article_of = {s.id: s.article for s in base.sections}
    errata_of: dict[str, list[str]] = {}
    for e in base.errata:
        errata_of.setdefault(e.article, []).append(compact(e.printed))
    figs = [f for r in records for f in r["figures"]]
    qualifiers = [figures.qualifiers(f) for f in figs]
    return {
        "terms": sum(len(v) for v in export.VOCABULARIES.values()),
        "articles": len(base.articles),
        "people": len(base.people),
        "article_photographers": sum(distinct(a.photographers) for a in base.articles),
        "areas": len(base.areas),
        "area_aliases": sum(distinct(a.aliases) for a in base.areas),
        "sections": len(base.sections),
        "section_reporters": sum(distinct(s.reporters) for s in base.sections),
        "errata": len(base.errata),
        "topics": len(base.topics),
        "metrics": len(base.metrics),
        "metric_topics": sum(distinct(m.topics) for m in base.metrics),
        "themes": len(base.themes),
        "theme_keywords": sum(distinct(t.keywords_zh) + distinct(t.keywords_en) for t in base.themes),
        "entities": len(base.entities),
        "entity_aliases": sum(distinct(e.aliases) for e in base.entities),
        "entity_links": sum(len(e.links) for e in base.entities),
        "entity_stages": sum(len(e.stages) for e in base.entities),
        "frameworks": len(base.frameworks),
        "framework_parts": sum(len(f.parts) for f in base.frameworks),
        "records": len(records),
        "record_former_ids": sum(distinct(r["formerly"]) for r in records),
        "mentions": sum(distinct(r["entities"]) for r in records),
        "record_frameworks": sum(distinct(r["frameworks"]) for r in records),
        "record_themes": sum(rule.holds(r) for r in records for rule in rules),
        "theme_overrides": sum(distinct(t.include) + distinct(t.exclude) for t in base.themes),
        "record_errata": sum(
            compact(p) in compact(r["quote"])
            for r in records
            for p in errata_of.get(article_of[r["section"]], [])
        ),
        "follows": sum(distinct(r["follows"]) for r in records),
        "figures": len(figs),
        "figure_readings": sum(len(f["readings_en"]) for f in figs),
        "figure_qualifiers": sum(len(zh) + len(en) for zh, en in qualifiers),
        "figure_errata": sum(
            compact(p) in compact(f["stated"])
            for r in records
            for f in r["figures"]
            for p in errata_of.get(article_of[r["section"]], [])
            if compact(p) in compact(r["quote"])
        ),
        "assessments": len(base.assessments),
        "assessment_evidence": sum(distinct(a.evidence) for a in base.assessments),
        "verdicts": sum(r["kind"] in PLEDGE_KINDS for r in records),
    }


# -- SQLite ----------------------------------------------------------------------------------


def test_sqlite_passes_sqlites_own_checks(exported: tuple[Path, dict[str, Any]]) -> None:
    conn = _connect(exported[0])
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in ("records", "entities", "frameworks"):
        conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == export.EXPORT_FORMAT
    strict = {
        name: bool(s) for _, name, kind, _, _, s in conn.execute("PRAGMA table_list") if kind == "table"
    }
    assert all(strict[name] for name in TABLE_NAMES), "every data table is STRICT"
    declared = {
        r[0] for r in conn.execute("SELECT tbl_name FROM sqlite_master WHERE sql LIKE '%FOREIGN KEY%'")
    }
    assert {"figures", "records", "mentions", "follows", "verdicts"} <= declared


def test_sqlite_counts_match_the_knowledge_base(
    exported: tuple[Path, dict[str, Any]], base: KnowledgeBase
) -> None:
    path, result = exported
    conn = _connect(path)
    actual = {name: _count(conn, name) for name in TABLE_NAMES}
    expected = expected_counts(base)
    assert {k: actual[k] for k in expected} == expected
    assert result["schema_version"] == SCHEMA_VERSION and result["format"] == "sqlite"
    assert result["path"] == str(path)
    reported = {t["name"]: t["rows"] for t in result["tables"]}
    assert {k: reported[k] for k in TABLE_NAMES} == actual
    assert set(reported) == set(TABLE_NAMES) | {"_tables", "_columns", "_export"}


def test_derived_tables_agree_with_the_cache(exported: tuple[Path, dict[str, Any]], kb_dir: Path) -> None:
    """Figures, themes, errata and verdicts are derived once; the export and lycli's cache agree."""
    from liaoyuan_cli.store import open_store

    store = open_store(kb_dir)
    conn = _connect(exported[0])
    records = store.records()
    assert set(conn.execute("SELECT id, article FROM records")) == {(r["id"], r["article"]) for r in records}
    assert set(conn.execute("SELECT record, theme FROM record_themes")) == {
        (r["id"], t) for r in records for t in r["themes"]
    }
    assert set(conn.execute("SELECT record, erratum FROM record_errata")) == {
        (r["id"], e) for r in records for e in r["errata"]
    }
    columns = ("record", "metric", "display", "display_en", "base_value", "base_unit", "series", "stage")
    assert conn.execute(f"SELECT {', '.join(columns)} FROM figures ORDER BY id").fetchall() == [
        tuple(dict(f)[c] for c in columns) for f in store.figures()
    ]
    verdicts = store.verdicts(store.record_ids())
    assert {r: (v, s) for r, v, s in conn.execute("SELECT record, verdict, source FROM verdicts")} == {
        r: (v["verdict"], v["source"]) for r, v in verdicts.items()
    }
    assert _count(conn, "verdict_comparisons") == sum(len(v["comparisons"]) for v in verdicts.values())


def test_figures_hold_printed_and_base_amounts(exported: tuple[Path, dict[str, Any]]) -> None:
    conn = _connect(exported[0])
    rows = conn.execute("SELECT value, unit, base_value, base_unit, threshold_value, threshold_unit, "
                        "threshold_base_value FROM figures").fetchall()  # fmt: skip
    assert rows
    for value, unit, base_value, base_unit, th_value, th_unit, th_base in rows:
        assert (value is None) == (base_value is None)
        if value is not None:
            factor = {"亿元": 1e8, "万元": 1e4}.get(unit, 1)
            assert base_value == pytest.approx(value * factor)
            assert base_unit == {"亿元": "yuan", "万元": "yuan", "%": "percent", "名": "rank"}.get(
                unit, "count"
            )
        if th_value is not None:
            assert th_base == pytest.approx(th_value * {"亿元": 1e8, "万元": 1e4}.get(th_unit, 1))
    types = conn.execute("SELECT DISTINCT typeof(base_value), typeof(value), typeof(year) FROM figures")
    assert {t[0] for t in types} <= {"real", "null"}, "amounts are numbers, not text"


def test_no_cell_holds_a_list(exported: tuple[Path, dict[str, Any]]) -> None:
    """Tidy: lists are rows of their own tables, never JSON in a cell."""
    conn = _connect(exported[0])
    for table in TABLE_NAMES:
        for row in conn.execute(f"SELECT * FROM {table}"):
            for cell in row:
                if isinstance(cell, str) and cell[:1] in "[{":
                    with contextlib.suppress(ValueError):
                        assert not isinstance(json.loads(cell), (list, dict)), (table, cell)


def test_every_table_view_and_column_is_documented(exported: tuple[Path, dict[str, Any]]) -> None:
    conn = _connect(exported[0])
    listed = dict(conn.execute("SELECT name, type FROM _tables"))
    objects = {
        name: kind
        for name, kind in conn.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")
        if not name.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config"))
    }
    assert listed == objects
    assert {v.name for v in export.VIEWS} == {n for n, k in listed.items() if k == "view"}
    documented = {(t, c): d for t, c, d in conn.execute("SELECT table_name, name, description FROM _columns")}
    for name in objects:
        for column in conn.execute(f"PRAGMA table_info({name})"):
            assert documented.get((name, column[1])), f"{name}.{column[1]} is not documented"
    for table in export.TABLES:  # a foreign key has the type of the key it refers to
        for c in table.columns:
            if c.references:
                assert export.TABLE[c.references[0]].column(c.references[1]).type == c.type, (
                    table.name,
                    c.name,
                )
    schema = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'figures'").fetchone()[0]
    assert "-- The value in its base unit" in schema, "column descriptions are kept as SQL comments"


def test_views_answer_the_common_questions(
    exported: tuple[Path, dict[str, Any]], base: KnowledgeBase
) -> None:
    conn = _connect(exported[0])
    assert _count(conn, "figures_with_records") == _count(conn, "figures")
    pledges = sum(r.kind in PLEDGE_KINDS for r in base.records)
    assert conn.execute(
        "SELECT SUM(pledges), SUM(targets) + SUM(plans) FROM pledges_per_category"
    ).fetchone() == ((pledges, pledges) if pledges else (None, None))
    assert _count(conn, "pledge_verdicts") == pledges
    kinds = {k for (k,) in conn.execute("SELECT DISTINCT entity_kind FROM investment_projects")}
    assert kinds <= {"project", "company", "park"}
    money = conn.execute("SELECT amount_yuan, figure FROM investment_projects WHERE amount_yuan IS NOT NULL")
    for amount, figure in money:
        assert conn.execute("SELECT base_value FROM figures WHERE id = ?", (figure,)).fetchone()[0] == amount
    assert _count(conn, "entity_network") == _count(conn, "entity_links")


def test_full_text_search_finds_chinese_english_and_pinyin(exported: tuple[Path, dict[str, Any]]) -> None:
    """Chinese of one character or more, whole English words and pinyin, quoted as datasette quotes
    them (tests/test_export_fts.py checks every kind of query against a plain substring search)."""
    conn = _connect(exported[0])
    for table in ("records", "entities", "frameworks"):
        rows = conn.execute(f"SELECT rowid, zh, en, pinyin FROM {table}").fetchall()
        assert rows
        for rowid, zh, en, pinyin in rows[:25]:
            run = max(re.findall(r"[\u3400-\u9fff]+", zh), key=len)
            word = max(re.findall(r"[A-Za-z]{4,}", en), key=len, default=None)
            spelled = max(re.findall(r"[A-Za-z]+", pinyin), key=len, default=None)
            syllables = "".join(re.findall(r"[A-Z][a-z]*", spelled or "")[:2]).lower()
            queries = [run[:1], run[:2], run[:3], run[-2:], run[:16], word, spelled]
            if table != "entities":  # their pinyin is derived from zh, syllable by syllable
                queries.append(syllables)
            for query in queries:
                if query:
                    hits = conn.execute(
                        f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?", (f'"{query}"',)
                    )
                    assert (rowid,) in hits.fetchall(), (table, query)


def test_datasette_serves_tables_and_search(exported: tuple[Path, dict[str, Any]]) -> None:
    from datasette.app import Datasette

    path = exported[0]
    conn = _connect(path)
    record, zh, pinyin = conn.execute("SELECT id, zh, pinyin FROM records ORDER BY rowid LIMIT 1").fetchone()
    entity, name = conn.execute("SELECT id, zh FROM entities WHERE length(zh) >= 3 LIMIT 1").fetchone()
    chinese = max(re.findall(r"[\u3400-\u9fff]+", zh), key=len)[:4]

    async def visit() -> None:
        ds = Datasette([str(path)])
        versions = (await ds.client.get("/-/versions.json")).json()
        assert "FTS5" in versions["sqlite"]["fts_versions"]
        page = await ds.client.get("/kb/records")
        assert page.status_code == 200 and 'name="_search"' in page.text
        for table, query, wanted in (
            ("records", chinese, record),
            ("records", chinese[:2], record),
            ("records", "".join(re.findall(r"[A-Z][a-z]*", max(pinyin.split(), key=len))[:2]), record),
            ("entities", name, entity),
        ):
            resp = await ds.client.get(
                f"/kb/{table}.json", params={"_search": query, "_shape": "array", "_size": "max"}
            )
            assert resp.status_code == 200, resp.text
            assert wanted in [row["id"] for row in resp.json()], (table, query)
        view = await ds.client.get(
            "/kb/figures_with_records.json", params={"_shape": "array", "_size": "max"}
        )
        assert view.status_code == 200 and len(view.json()) == _count(conn, "figures")
        labelled = await ds.client.get(
            "/kb/figures.json", params={"_shape": "array", "_labels": "on", "_size": "1"}
        )
        assert labelled.status_code == 200

    asyncio.run(visit())


# -- CSV and the datapackage -----------------------------------------------------------------


def test_csv_package_validates_against_its_datapackage(package: tuple[Path, dict[str, Any]]) -> None:
    from frictionless import Package

    directory, _ = package
    report = Package(str(directory / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resource", "rowNumber", "fieldName", "type", "note"])[:10]


def test_csv_files_are_tidy_and_match_the_database(
    package: tuple[Path, dict[str, Any]], exported: tuple[Path, dict[str, Any]], base: KnowledgeBase
) -> None:
    directory, result = package
    described = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in described["resources"]}
    assert list(resources) == TABLE_NAMES
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        ["datapackage.json", *(f"{n}.csv" for n in TABLE_NAMES)]
    )
    conn = _connect(exported[0])
    counts = {t["name"]: t["rows"] for t in result["tables"]}
    expected = expected_counts(base)
    assert list(counts) == TABLE_NAMES and {k: counts[k] for k in expected} == expected
    for name, resource in resources.items():
        raw = (directory / resource["path"]).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 without a byte-order mark"
        assert (
            resource["bytes"] == len(raw) and resource["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
        )
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert all(f.get("description") for f in resource["schema"]["fields"])
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
        assert rows[0] == fields, "a header row, even for an empty table"
        assert len(rows) - 1 == counts[name] == _count(conn, name)
        in_db = conn.execute(f"SELECT {', '.join(fields)} FROM {name} ORDER BY rowid").fetchall()
        for line, row in zip(rows[1:], in_db, strict=True):
            for cell, value, field in zip(line, row, resource["schema"]["fields"], strict=True):
                if value is None:
                    assert cell == ""
                elif field["type"] == "boolean":
                    assert cell == ("true" if value else "false")
                elif field["type"] in ("number", "integer"):
                    assert float(cell) == value
                else:
                    assert cell == value, "text, newlines and quotes included, comes back whole"


def test_csv_validation_catches_a_dangling_reference(
    package: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """The datapackage's foreign keys are checked, not decoration."""
    from frictionless import Package

    copy = shutil.copytree(package[0], tmp_path / "kb")
    path = copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) < 2:
        pytest.skip("no figures")
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    row[header.index("metric")] = "no-such-metric"
    out = io.StringIO()
    csv.writer(out).writerow(row)
    path.write_text(lines[0] + out.getvalue() + "".join(lines[2:]), encoding="utf-8")
    described = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in described["resources"] if r["name"] == "figures")
    raw = path.read_bytes()
    resource["bytes"], resource["hash"] = len(raw), "sha256:" + hashlib.sha256(raw).hexdigest()
    (copy / "datapackage.json").write_text(json.dumps(described), encoding="utf-8")
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
    assert {error[0] for error in report.flatten(["type"])} == {"foreign-key"}


def test_the_doc_lists_every_table_with_its_keys_and_every_view() -> None:
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\w+)` \|([^|]*)\|([^|]*)\|$", text, re.M)
    assert [name for name, _, _ in listed] == TABLE_NAMES
    for name, key, references in listed:
        table = export.TABLE[name]
        assert key.strip() == ", ".join(table.key), name
        fks = ", ".join(f"{c.name} → {c.references[0]}" for c in table.columns if c.references)
        assert references.strip() == fks, name
    for view in export.VIEWS:
        assert f"| `{view.name}` |" in text


# -- where it writes, and what it refuses ----------------------------------------------------

SMALL = KBS[-1]  # the fixture where there is one: quicker


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def test_an_existing_path_needs_force_and_force_replaces_it(tmp_path: Path) -> None:
    target = tmp_path / "kb.db"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists"):
        export.export(SMALL, str(target), "sqlite", False)
    assert target.read_text(encoding="utf-8") == "keep me"
    export.export(SMALL, str(target), "sqlite", True)
    assert _connect(target).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _leftovers(tmp_path) == []


def test_csv_replaces_only_a_previous_export(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    export.export(SMALL, str(empty), "csv", False)  # an empty directory is used as it is
    with pytest.raises(UsageError, match="already exists"):
        export.export(SMALL, str(empty), "csv", False)
    export.export(SMALL, str(empty), "csv", True)  # a previous export is replaced with --force
    assert (empty / "datapackage.json").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="other than a lycli CSV export"):
        export.export(SMALL, str(mine), "csv", True)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    with pytest.raises(UsageError, match="is a directory"):
        export.export(SMALL, str(mine), "sqlite", True)
    assert _leftovers(tmp_path) == []


def test_bad_format_unwritable_path_and_invalid_knowledge_base(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown export format"):
        export.export(SMALL, str(tmp_path / "x"), "parquet", False)
    with pytest.raises(CannotWrite):
        export.export(SMALL, str(tmp_path / "no" / "such" / "kb.db"), "sqlite", False)
    broken = shutil.copytree(SMALL, tmp_path / "broken")
    (broken / "topics.toml").write_text("[[topics]]\nid = 'Not A Slug'\n", encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase):
        export.export(broken, str(tmp_path / "kb.db"), "sqlite", False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"], "nothing written, no temporary file left"


def _lycli(*args: str) -> tuple[int, str, str]:
    """The real entry point, in-process."""
    from liaoyuan_cli.launch import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def test_the_command_exports_and_reports_in_json(tmp_path: Path) -> None:
    target = tmp_path / "kb.db"
    code, out, err = _lycli("export", str(target), "--data", str(SMALL), "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["command"] == "export" and answer["format"] == "sqlite"
    assert {t["name"]: t["rows"] for t in answer["tables"]}["records"] == len(kb.load(SMALL).records)
    code, out, err = _lycli("export", str(target), "--data", str(SMALL))
    assert code == 2 and out == "" and "--force" in err and "Traceback" not in err
    code, _, err = _lycli("export", str(tmp_path / "csv"), "--format", "csv", "--data", str(SMALL), "--json")
    assert code == 0, err
    code, _, err = _lycli("export", str(tmp_path / "no" / "kb.db"), "--data", str(SMALL))
    assert code == 4 and "Traceback" not in err


def test_ranges_inferred_years_and_open_units_are_exported(tmp_path: Path) -> None:
    """The figure model v2 reaches the database: a range's upper end (in printed and base units),
    a year read rather than printed, and a unit the vocabulary does not list."""
    pages = ROOT / "tests" / "fixtures" / "pages" / "kb"
    out = tmp_path / "pages.sqlite"
    done = run_cli("export", str(out), "--data", str(pages), "--json")
    assert done.code == 0, done.stderr
    base = kb.load(pages)
    figures = [f for r in base.records for f in r.figures]
    conn = _connect(out)
    ranges = conn.execute(
        "SELECT value, value_max, unit, base_value, base_value_max FROM figures WHERE value_max IS NOT NULL"
    ).fetchall()
    assert len(ranges) == sum(f.value_max is not None for f in figures) > 0
    for value, high, _unit, low_base, high_base in ranges:
        assert high > value and high_base == pytest.approx(low_base * high / value)
    inferred = conn.execute("SELECT count(*) FROM records WHERE year_inferred").fetchone()[0]
    assert inferred == sum(r.year_inferred for r in base.records) > 0
    assert conn.execute("SELECT count(*) FROM figures WHERE year_inferred").fetchone()[0] == sum(
        f.year_inferred for f in figures
    )
    units = {u for (u,) in conn.execute("SELECT DISTINCT unit FROM figures WHERE unit IS NOT NULL")}
    assert "微克/立方米" in units and units == {f.unit for f in figures if f.unit}
