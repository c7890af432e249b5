"""The library: the same typed results as --json, in process, for notebooks."""

from __future__ import annotations

import json

import pytest

from liaoyuan_cli import api
from liaoyuan_cli.errors import InvalidKnowledgeBase, NotFound, UsageError

from .conftest import FIXTURE, fixture_cli


def test_the_library_answers_exactly_as_json() -> None:
    kb = api.open(FIXTURE)
    pairs = [
        (kb.targets("gaoxin", article="fixture-2024"), ("targets", "gaoxin", "--article", "fixture-2024")),
        (kb.records(["dongfeng"], has_figures=True), ("records", "--area", "dongfeng", "--has-figures")),
        (kb.track("gaoxin"), ("track", "gaoxin")),
        (kb.compare("growth", article="all"), ("compare", "growth", "--article", "all")),
        (kb.facet(["area", "verdict"]), ("facet", "--by", "area,verdict")),
    ]
    for result, args in pairs:
        assert json.loads(json.dumps(result)) == fixture_cli(*args, "--json").json(), args


def test_rows_are_the_flat_rows_of_csv() -> None:
    rows = api.rows(api.open(FIXTURE).figures())
    assert rows and all(not isinstance(v, dict) for row in rows for v in row.values())
    assert {"record", "value", "base_value", "threshold_stated"} <= set(rows[0])


def test_errors_are_raised_not_printed(tmp_path: object) -> None:
    kb = api.open(FIXTURE)
    with pytest.raises(UsageError):
        kb.targets("nowhere")
    with pytest.raises(NotFound):
        kb.show("no-such-record")
    assert api.validate(FIXTURE)["ok"]
    assert len(api.load(FIXTURE).articles) == 3
    with pytest.raises((InvalidKnowledgeBase, UsageError)):
        api.load("/nonexistent")
