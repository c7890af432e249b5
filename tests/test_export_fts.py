"""The SQLite export's full-text search, queried as datasette's `?_search=` queries it (its own
escape_fts, then MATCH): Chinese words of one character or more as typed, English words whole,
pinyin by syllables. Every kind of query is checked against a plain substring or whole-word
search of the same rows, so the index finds exactly what the text holds.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli import export

ROOT = Path(__file__).resolve().parent.parent
KBS = [p for p in (ROOT / "data", ROOT / "tests" / "fixtures" / "kb") if (p / "areas.toml").is_file()]
NAMES = [p.parent.name if p.name == "kb" else p.name for p in KBS]
FIXTURE = KBS[-1]
SEARCHED_TABLES = [t.name for t in export.TABLES if t.search]
HAN = "\u3400-\u9fff\uf900-\ufaff"
# A Latin word ends where no Latin letter or digit follows: a Chinese character, as in unicode61,
# starts a word of its own (the texts' accents are taken off first).
WORD_EDGE = "[A-Za-z0-9]"


@pytest.fixture(scope="module", params=KBS, ids=NAMES)
def conn(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("fts") / "kb.db"
    export.export(request.param, str(path), "sqlite", False)
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def _search(conn: sqlite3.Connection, table: str, query: str, columns: str = "") -> set[int]:
    """The rowids `/kb/TABLE?_search=QUERY` finds (or `_search_COLUMN=`, for one column)."""
    from datasette.utils import escape_fts

    match = escape_fts(query)
    if columns:
        match = f"{{{columns}}} : ({match})"
    sql = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?"
    return {rowid for (rowid,) in conn.execute(sql, (match,))}


def _texts(conn: sqlite3.Connection, table: str) -> dict[int, str]:
    """Each row's zh, en and quote, one per line."""
    rows = conn.execute(f"SELECT rowid, zh, en, quote FROM {table}")
    return {rowid: "\n".join(t for t in texts if t) for rowid, *texts in rows}


def _sample(items: set[str], most: int) -> list[str]:
    ordered = sorted(items)
    return ordered[:: max(1, len(ordered) // most)]


@pytest.mark.parametrize("table", SEARCHED_TABLES)
def test_any_run_of_chinese_is_found_exactly_where_it_stands(conn: sqlite3.Connection, table: str) -> None:
    """天楹, 袜业, 新能源: one character or more, up to SEARCH_SPAN, the same rows as a substring
    search (`zh LIKE '%天楹%'`): none missing, none extra."""
    texts = _texts(conn, table)
    runs = {run for text in texts.values() for run in re.findall(f"[{HAN}]+", text)}
    queries: set[str] = set()
    for n in (1, 2, 3, 4, 6):
        queries.update(_sample({run[i : i + n] for run in runs for i in range(len(run) - n + 1)}, 80))
    queries |= {run for run in runs if len(run) <= export.SEARCH_SPAN}
    assert queries
    for query in queries:
        expected = {rowid for rowid, text in texts.items() if query in text}
        assert _search(conn, table, query, "zh en quote") == expected, query
        assert expected <= _search(conn, table, query), query


def _plain(text: str) -> str:
    """Text without accents, as unicode61 (remove_diacritics 2) reads it."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@pytest.mark.parametrize("table", SEARCHED_TABLES)
def test_english_words_are_found_whole(conn: sqlite3.Connection, table: str) -> None:
    """`ethanol` finds the word ethanol, in any case, and not methanol or bioethanol."""
    texts = {rowid: _plain(text) for rowid, text in _texts(conn, table).items()}
    words = {w for text in texts.values() for w in re.findall(r"[A-Za-z]{3,}", text)}
    assert words
    for word in _sample(words, 150):
        whole = re.compile(f"(?<!{WORD_EDGE}){word}(?!{WORD_EDGE})", re.IGNORECASE)
        expected = {rowid for rowid, text in texts.items() if whole.search(text)}
        assert _search(conn, table, word, "zh en quote") == expected, word
        assert _search(conn, table, word.upper(), "zh en quote") == expected, word


@pytest.mark.parametrize("table", ["records", "frameworks"])
def test_pinyin_is_found_by_syllables(conn: sqlite3.Connection, table: str) -> None:
    """The pinyin of any run of Chinese, its syllables joined (tianying) or apart (tian ying)."""
    rows = conn.execute(f"SELECT rowid, pinyin FROM {table}").fetchall()
    for rowid, pinyin in rows[:40]:
        for word in re.findall(r"[A-Za-z]+", pinyin):
            syllables = re.findall(r"[A-Z][a-z]*", word)
            for query in (
                word,
                "".join(syllables[:2]),
                "".join(syllables[-3:]),
                " ".join(syllables[:2]),
            ):
                assert rowid in _search(conn, table, query.lower()), query


# -- the examples docs/export.md gives, on rows written for them ------------------------------

LONG = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸"  # 20 characters, no break
EXAMPLES = (
    (
        "推进中国天楹氢能项目，做强袜业和新能源汽车产业。",
        "China Tianying's hydrogen project; a bioethanol plant.",
    ),
    ("甲醇项目。", "Methanol from green hydrogen."),
    ("乙醇产量。", "Ethanol output rose; 64亿元 invested."),
    (LONG, "A long run."),
)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The fixture knowledge base with its first records' texts replaced by EXAMPLES, exported as
    lycli exports; and the ids of those records."""
    from liaoyuan_cli.store import open_store

    data = list(export.rows(open_store(str(FIXTURE)).conn, FIXTURE))
    records = [row for table, row in data if table == "records"][: len(EXAMPLES)]
    assert len(records) == len(EXAMPLES)
    for row, (zh, en) in zip(records, EXAMPLES, strict=True):
        row.update(zh=zh, en=en, quote=zh, pinyin=export.pinyin(zh))
    path = tmp_path_factory.mktemp("examples") / "kb.db"
    conn = sqlite3.connect(":memory:")
    export.fill(conn, data)
    path.write_bytes(conn.serialize())
    conn.close()
    return path, [row["id"] for row in records]


def _datasette(
    path: Path, table: str, queries: list[str], extra: dict[str, str] | None = None
) -> list[set[str]]:
    """The ids the real datasette finds for each `?_search=`."""
    from datasette.app import Datasette

    async def visit() -> list[set[str]]:
        ds = Datasette([str(path)])
        found = []
        for query in queries:
            params: dict[str, Any] = {"_search": query, "_shape": "array", "_size": "max", "_col": "id"}
            resp = await ds.client.get(f"/kb/{table}.json", params={**params, **(extra or {})})
            assert resp.status_code == 200, resp.text
            found.append({row["id"] for row in resp.json()})
        return found

    return asyncio.run(visit())


def test_datasette_finds_the_documented_examples(examples: tuple[Path, list[str]]) -> None:
    path, (A, B, C, D) = examples
    found = [
        "天楹",
        "袜业",
        "氢能",
        "新能源",
        "氢",
        "新能源汽车",
        "天楹氢能项目",
        "天楹 袜业",
        "Tianying",
        "tianying",
        "tian ying",
        "TianYing",
        "qingneng",
        "xinnengyuan",
        "bioethanol",
        "LONG16",
        "LONG17 SPLIT",
    ]
    missed = ["天楹袜业", "目做", "ethanol", "methanol", "hydro", "LONG17"]
    long_queries = {"LONG16": LONG[:16], "LONG17": LONG[:17], "LONG17 SPLIT": f"{LONG[:9]} {LONG[9:17]}"}
    queries = [long_queries.get(q, q) for q in found + missed]
    results = dict(zip(found + missed, _datasette(path, "records", queries), strict=True))
    for query in found:
        assert results[query] & {A, D}, f"{query} should find its record"
    for query in missed:
        assert not results[query] & {A, D}, f"{query} should not find A or D"
    assert results["ethanol"] & {A, B, C} == {C}, "a whole word: not bioethanol, not methanol"
    assert results["methanol"] & {A, B, C} == {B}
    numbers = _datasette(path, "records", ["64亿元", "亿元", "64", "4亿元"])
    assert [hits & {A, B, C} for hits in numbers] == [{C}, {C}, {C}, set()], "a number is one word"
    # Raw mode: FTS5's own syntax, a prefix query among it.
    raw = _datasette(path, "records", ["hydro*", "天楹 OR 甲醇"], {"_searchmode": "raw"})
    assert raw[0] >= {A, B} and raw[1] >= {A, B}


def test_the_index_is_found_by_datasette_and_has_no_triggers(examples: tuple[Path, list[str]]) -> None:
    from datasette.utils import detect_fts

    conn = sqlite3.connect(examples[0])
    for table in SEARCHED_TABLES:
        assert detect_fts(conn, table) == f"{table}_fts"
    triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    assert triggers == [], "SQL cannot split Chinese: a trigger would index it unsplit"
    conn.execute("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
    about = dict(conn.execute("SELECT name, value FROM _export"))
    assert "unicode61" in about["full_text_search"] and "rebuild" in about["full_text_search"]
    conn.close()


def test_search_text_spans_chinese_and_keeps_other_words_whole() -> None:
    assert export._search_text("天楹集团") == "天 天楹 天楹集 天楹集团 楹 楹集 楹集团 集 集团 团"
    assert (
        export._search_text("A bioethanol plant, 64亿元.") == "A bioethanol plant 64 64亿 64亿元 亿 亿元 元"
    )
    assert export._search_text("snake_case PM2.5") == "snake case PM2 5"
    assert export._search_text(None) == ""
    spans = export._search_text(LONG).split()
    assert LONG[:16] in spans and LONG[:17] not in spans
    assert len(spans) == sum(min(export.SEARCH_SPAN, len(LONG) - i) for i in range(len(LONG)))
    assert export._search_pinyin("天楹", "Zhongguo Tianying") == "Zhongguo Tianying tian tianying ying"
