"""Answers as long as the corpus are read from the cache as they are written (issue 20): the rows
of `records` and `figures` are store.Rows, never a list, and every machine format writes them a
row at a time, byte for byte what json.dumps, the JSON Lines and the CSV writers wrote of a list.
"""

from __future__ import annotations

import io
import json
import sqlite3
from typing import Any

import pytest

from liaoyuan_cli import queries
from liaoyuan_cli.render import Options, emit
from liaoyuan_cli.store import Rows, Store, held


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def written(result: Any, fmt: str, out: io.StringIO | None = None, **options: Any) -> str:
    out = out if out is not None else io.StringIO()
    emit(result, Options(format=fmt, out=out, **options))
    return out.getvalue()


@pytest.mark.parametrize("command", ["records", "figures"])
def test_the_listing_is_read_as_it_is_written(store: Any, command: str) -> None:
    result = getattr(queries, command)(store, article="all")
    listed = result[command]
    assert isinstance(listed, Rows) and not isinstance(listed, list)
    assert list(listed) == list(listed) and len(list(listed)) > 10  # read afresh, the same rows
    assert len(listed) == len(list(listed)) and listed[0] == next(iter(listed))  # held once counted
    errata = queries.records(store, article="all")["errata"]
    assert isinstance(errata, Rows) and list(errata) and set(next(iter(errata))) >= {"id", "printed"}


@pytest.mark.parametrize("command", ["records", "figures"])
@pytest.mark.parametrize("pretty", [False, True])
def test_json_streamed_is_json_dumps_byte_for_byte(store: Any, command: str, pretty: bool) -> None:
    result = getattr(queries, command)(store, article="all")
    plain = held(result)
    assert isinstance(plain[command], list)
    out = Terminal() if pretty else io.StringIO()
    expected = json.dumps(plain, ensure_ascii=False, indent=2 if pretty else None,
                          separators=None if pretty else (",", ":")) + "\n"  # fmt: skip
    assert written(result, "json", out) == expected
    key = "id" if command == "records" else "record"
    narrowed = written(result, "json", Terminal() if pretty else io.StringIO(), fields=[key])
    assert json.loads(narrowed)[command] == [{key: r[key]} for r in plain[command]]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_every_machine_format_writes_the_same_as_from_a_list(store: Any, fmt: str) -> None:
    result = queries.records(store, article="all")
    assert written(result, fmt) == written(held(result), fmt)
    assert written(result, fmt, fields=["id", "themes"]) == written(
        held(result), fmt, fields=["id", "themes"]
    )


def test_an_empty_listing_is_an_empty_array_and_explains_itself(store: Any) -> None:
    result = queries.records(store, article="all", year=1990)
    assert not result["records"] and result["explain"] is not None
    assert json.loads(written(result, "json"))["records"] == []
    assert '"records": []' in written(result, "json", Terminal())


def test_errata_of_a_listing_are_found_without_reading_its_records(store: Any) -> None:
    result = queries.records(store, article="all")
    standing = sorted({e for r in result["records"] for e in r["errata"]})
    assert standing, "the fixture has a record with a misprint"
    assert sorted(e["id"] for e in result["errata"]) == standing


class _Flaky:
    """A connection that fails as a damaged file does, after some rows of a listing."""

    def __init__(self, conn: sqlite3.Connection, after: int) -> None:
        self.conn, self.after = conn, after

    def execute(self, sql: str, params: Any = ()) -> Any:
        rows = self.conn.execute(sql, params).fetchall()

        def some() -> Any:
            for i, row in enumerate(rows):
                if i == self.after:
                    raise sqlite3.DatabaseError("database disk image is malformed")
                yield row

        return some()


def test_a_cache_damaged_in_the_middle_of_the_rows_is_rebuilt_and_the_rows_go_on(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = [r["id"] for r in queries.records(store, article="all")["records"]]
    damaged = Store(_Flaky(store.conn, 5), store.data_dir)  # type: ignore[arg-type]
    monkeypatch.setattr(Store, "rebuilt", lambda self: store)
    rows = damaged.record_rows()
    assert [r["id"] for r in rows] == whole
