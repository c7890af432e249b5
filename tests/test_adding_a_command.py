"""docs/architecture.md's "Adding a command", done: a toy command declared in the table, with
its query, its result type and its table builder, and nothing else, answers on both paths, in
every format, in `--help`, in TAB completion, in `lycli schema` and in the Python API."""

from __future__ import annotations

import pytest
from typing_extensions import TypedDict  # what pydantic needs on 3.11 (as results.py)

from liaoyuan_cli import api, cli, commands, queries, results
from liaoyuan_cli.commands import OUTPUT, Command, Param
from liaoyuan_cli.render import table
from liaoyuan_cli.render.sheet import Column, Table, heading, label, plain
from liaoyuan_cli.store import Select, Store
from tests.conftest import FIXTURE, fixture_cli


class TallyRow(TypedDict):  # (2) the result type: one row ...
    area: str
    records: int


class TallyResult(results.Envelope):  # ... and the envelope
    tallies: list[TallyRow]


def tally(store: Store, *, kind: str | None = None) -> TallyResult:  # (3) the query
    """Records per area, of one kind if asked: counted in SQL by the store."""
    select = Select(kinds=(kind,) if kind else ())
    rows: list[TallyRow] = [{"area": a, "records": n} for a, n in store.counts(["area"], select)]
    return {"schema_version": results.SCHEMA_VERSION, "command": "tally", "tallies": rows}


def _tally(result: TallyResult, lang: str) -> table.Blocks:  # (4) the table builder
    sheet = Table(
        label(lang, "各地区记录数", "Records per area"),
        [
            Column(heading(lang, "地区", "Area"), key=True, fields=("area",)),
            Column(heading(lang, "记录", "Records"), numeric=True, fields=("records",)),
        ],
    )
    for row in result["tallies"]:
        sheet.add(plain(row["area"], "id"), plain(row["records"]))
    return [sheet]


TALLY = Command(  # (1) the declaration
    "tally",
    "Records per area, of one kind if asked.",
    (Param("kind", "--kind", help="Only records of this kind.", kind="choice", vocabulary="RecordKind"),),
    query="tally",
    output=OUTPUT,  # --json, --format, --lang, --svg, ...: what every table command takes
    examples=(("tally --kind target", "Targets per area."),),
)


@pytest.fixture
def with_tally(monkeypatch: pytest.MonkeyPatch) -> None:
    """The four edits, made for the length of a test."""
    table_ = (*commands.TABLE, TALLY)
    monkeypatch.setattr(commands, "TABLE", table_)
    monkeypatch.setattr(commands, "BY_NAME", {c.name: c for c in table_})
    monkeypatch.setattr(queries, "tally", tally, raising=False)
    monkeypatch.setitem(results.ROWS, "tally", results.Rows(TallyResult, "tallies", TallyRow))
    monkeypatch.setitem(table.RENDERERS, "tally", _tally)
    monkeypatch.setattr(cli, "app", cli.build(table_))


def test_the_declaration_is_all_the_command_line_needs(with_tally: None) -> None:
    fast = fixture_cli("tally", "--kind", "target", "--json")
    assert fast.code == 0, fast.stderr
    tallies = fast.json()["tallies"]
    assert tallies and all(t["records"] > 0 for t in tallies)
    every = {t["area"]: t["records"] for t in fixture_cli("tally", "--json").json()["tallies"]}
    assert all(t["records"] <= every[t["area"]] for t in tallies)
    # Typer's path (a misspelt option goes there) says the same about the same option
    wrong = fixture_cli("tally", "--kid", "target")
    assert wrong.code == 2 and "--kind" in wrong.stderr
    drawn = fixture_cli("tally", "--kind", "target", "--lang", "en")
    assert "Records per area" in drawn.stdout and tallies[0]["area"] in drawn.stdout
    csv = fixture_cli("tally", "--format", "csv").stdout.splitlines()
    assert csv[0] == "area,records" and len(csv) == len(every) + 1
    bad = fixture_cli("tally", "--kind", "wish")
    assert bad.code == 2 and "target" in bad.stderr  # the vocabulary lists what it takes


def test_help_completion_schema_and_api_follow(with_tally: None) -> None:
    from liaoyuan_cli import complete
    from tests.conftest import run_cli

    assert "tally" in run_cli("--help").stdout
    assert "tally" in complete.values("command", "ta")
    schema = run_cli("schema", "tally").json()
    assert schema["properties"]["tallies"]["type"] == "array"
    knowledge = api.open(FIXTURE)
    assert (
        knowledge.tally("target")["tallies"]
        == fixture_cli("tally", "--kind", "target", "--json").json()["tallies"]
    )
