"""The knowledge base as queries see it: a Store over the cache (cache.py, build.py), whose rows
hold render-ready JSON (figures already read by figures.py), filtered and counted in SQL.

Opening is the warm path of every call: a pointer read, the knowledge base's files stat'ed, the
cache file's seal checked, and neither pydantic nor hashlib imported. A cache file SQLite finds
damaged while a query reads it is built again and the query asked once more (`answer`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence

from liaoyuan_cli.build import DOC_COLUMNS, DOC_TYPES, RECORD_TEXTS, SEARCH_FIELDS, TYPE_BITS

TYPE_CHECKING = False  # typing itself is not imported at run time (3 ms a call)
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
    from typing import Any, TypeVar

    from liaoyuan_cli.results import ArticleRef, FigureLine, FrameworkOut, PersonRef, RecordRow

    Row = dict[str, Any]
    T = TypeVar("T")


def open_store(data_dir: str) -> Store:
    """The knowledge base's cache, built first if it is missing, stale, damaged or untrusted."""
    found = open_cached(data_dir)
    if found is not None:
        return found
    from liaoyuan_cli.build import build

    conn, _ = build(data_dir)
    return Store(conn, data_dir)


def open_cached(data_dir: str) -> Store | None:
    """The knowledge base's cache if it is current and sealed; None, never a build."""
    from liaoyuan_cli import cache

    directory = cache.private_dir()
    if directory is None:
        return None
    try:
        key = cache.known_key(directory, os.path.realpath(data_dir))
    except (OSError, ValueError):
        return None
    conn = cache.connect(cache.cache_file(directory, key)) if key is not None else None
    return Store(conn, data_dir) if conn is not None else None


def answer(store: Store, question: Callable[[Store], T]) -> T:
    """A question's answer; where SQLite finds the cache damaged, the answer of a fresh build."""
    try:
        return question(store)
    except sqlite3.DatabaseError:
        return question(store.rebuilt())


def _sql_text(value: str) -> str:
    """A string literal for SQL (our own vocabulary words, never user input)."""
    return "'" + value.replace("'", "''") + "'"


def _holding(table: str) -> tuple[list[str], str]:
    """SQL of whether each folded field of a document holds a text, and of whether one is it:
    each takes the text as a parameter per field."""
    held = [f"(instr({table}f_{name}, ?) > 0)" for name in SEARCH_FIELDS]
    return held, " OR ".join(f"{table}f_{name} = ?" for name in SEARCH_FIELDS)


def _phrase(gram: str) -> str:
    """A gram as an FTS5 string, which nothing in it can end or turn into syntax."""
    return '"' + gram.replace('"', '""') + '"'


class Window:
    """Which articles may answer: none whose date allows a day after `until` (the last day that
    --as-of allows), and no draft but those named (or every draft, with --drafts)."""

    __slots__ = ("drafts", "until")

    def __init__(self, until: str | None = None, drafts: Sequence[str] | bool = ()) -> None:
        self.until, self.drafts = until, drafts

    def sql(self, seq: str, params: list[Any]) -> str:
        """The condition on an article's number (articles.seq), its parameters added to params."""
        conditions = []
        if self.until is not None:
            conditions.append("date_end <= ?")
            params.append(self.until)
        if self.drafts is not True:
            named = list(self.drafts) if self.drafts else []
            conditions.append(
                f"(draft = 0 OR id IN ({', '.join('?' * len(named))}))" if named else "draft = 0"
            )
            params.extend(named)
        return f"{seq} IN (SELECT seq FROM articles WHERE {' AND '.join(conditions) or '1'})"


class Select:
    """What a listing of records or figures is narrowed to; None or empty means all."""

    __slots__ = (
        "areas",
        "article",
        "category",
        "entity",
        "has_figures",
        "ids",
        "kinds",
        "metric",
        "pairs",
        "speakers",
        "theme",
        "voice",
        "window",
        "year",
    )

    def __init__(
        self,
        areas: Sequence[str] = (),
        article: str | None = None,
        kinds: Sequence[str] = (),
        category: str | None = None,
        theme: str | None = None,
        year: int | None = None,
        entity: str | None = None,
        metric: str | None = None,
        has_figures: bool | None = None,
        ids: Sequence[str] = (),
        voice: str | None = None,
        speakers: Sequence[str] = (),
        window: Window | None = None,
        pairs: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.areas, self.article, self.kinds, self.category = areas, article, kinds, category
        self.theme, self.year, self.entity, self.metric = theme, year, entity, metric
        self.has_figures, self.ids = has_figures, ids
        self.voice, self.speakers = voice, speakers  # whose words: a Voice, person ids
        self.window = window  # which articles may answer at all (--as-of, drafts)
        self.pairs = pairs  # (area, article): each area from the article that answers for it

    def changed(self, **changes: Any) -> Select:
        """The same selection with some conditions changed (an empty answer's relaxations)."""
        fields = {k: getattr(self, k) for k in Select.__slots__}
        fields.update(changes)
        return Select(**fields)

    def where(self, prefix: str = "r") -> tuple[str, list[Any]]:
        """The SQL condition on records (aliased `prefix`) and its parameters."""
        sql: list[str] = []
        params: list[Any] = []

        def among(column: str, values: Sequence[Any]) -> None:
            if values:
                sql.append(f"{prefix}.{column} IN ({','.join('?' * len(values))})")
                params.extend(values)

        among("area", self.areas)
        among("kind", self.kinds)
        among("id", self.ids)
        among("speaker", self.speakers)
        for column, value in (
            ("article", self.article),
            ("category", self.category),
            ("year", self.year),
            ("voice", self.voice),
        ):
            if value is not None:
                sql.append(f"{prefix}.{column} = ?")
                params.append(value)
        if self.has_figures is not None:
            sql.append(f"{prefix}.figures {'>' if self.has_figures else '='} 0")
        if self.theme is not None:
            sql.append(f"{prefix}.id IN (SELECT record FROM record_themes WHERE theme = ?)")
            params.append(self.theme)
        if self.entity is not None:
            sql.append(f"{prefix}.id IN (SELECT record FROM mentions WHERE entity = ?)")
            params.append(self.entity)
        if self.metric is not None:
            sql.append(f"{prefix}.id IN (SELECT record FROM figures WHERE metric = ?)")
            params.append(self.metric)
        if self.window is not None:
            sql.append(self.window.sql(f"{prefix}.article_seq", params))
        if self.pairs:
            # The articles alone first, which an index answers (a row value IN VALUES is no
            # index's: at 1000x it scanned every pledge of the area, 30 ms); then the pairs.
            articles = list(dict.fromkeys(article for _, article in self.pairs))
            sql.append(f"{prefix}.article IN ({', '.join('?' * len(articles))})")
            params.extend(articles)
            sql.append(
                f"({prefix}.area, {prefix}.article) IN (VALUES {', '.join(['(?, ?)'] * len(self.pairs))})"
            )
            params.extend(x for pair in self.pairs for x in pair)
        return (" WHERE " + " AND ".join(sql)) if sql else "", params


class Rows(Sequence["Any"]):
    """The rows of one query of the cache, read as they are iterated and never held whole: a
    corpus-sized answer (`records --article all`, 165,000 records at 1000x) is written as it is
    read (render/data.py). Iterating reads the cache afresh each time; counting, indexing or
    comparing reads the rows once and keeps them (a table, a test). A cache SQLite finds damaged
    in the middle of the rows is built again and the rows go on from where they stopped (the
    build is deterministic: the same rows in the same order)."""

    __slots__ = ("_held", "_keys", "_params", "_sql", "_store")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, store: Store, sql: str, params: Sequence[Any] = (), keys: Sequence[str] = ()) -> None:
        self._store, self._sql, self._params = store, sql, tuple(params)
        self._keys = tuple(keys)  # each row narrowed to these keys (None where it has none), if any
        self._held: list[Any] | None = None

    def texts(self) -> Iterator[str]:
        """Each row's JSON as the cache holds it: compact, non-ASCII as itself (build._dumps), the
        very text json.dumps writes of the row with those settings."""
        if self._held is not None or self._keys:
            yield from (json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in self)
            return
        yield from self._read()

    def __iter__(self) -> Iterator[Any]:
        if self._held is not None:
            return iter(self._held)
        return (self._row(text) for text in self._read())

    def _row(self, text: str) -> Any:
        row = json.loads(text)
        return {k: row.get(k) for k in self._keys} if self._keys else row

    def _read(self) -> Iterator[str]:
        done, store = 0, self._store
        while True:
            try:
                for i, (text,) in enumerate(store.conn.execute(self._sql, self._params)):
                    if i >= done:
                        done += 1
                        yield text
                return
            except sqlite3.DatabaseError:
                if store is not self._store:
                    raise
                store = store.rebuilt()

    def _hold(self) -> list[Any]:
        if self._held is None:
            self._held = list(iter(self))  # not list(self): that asks len(), which holds
        return self._held

    def __bool__(self) -> bool:
        if self._held is not None:
            return bool(self._held)
        return self._store.conn.execute(self._sql, self._params).fetchone() is not None

    def __len__(self) -> int:
        return len(self._hold())

    def __getitem__(self, index: Any) -> Any:
        return self._hold()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            other = other._hold()
        return self._hold() == other if isinstance(other, list) else NotImplemented

    def __repr__(self) -> str:
        return f"Rows({self._hold()!r})"


def held(result: T) -> T:
    """A result with its Rows read into lists: what the Python API hands out (plain data, as
    `--json` prints it, that json.dumps and pandas take)."""
    if isinstance(result, dict) and any(isinstance(v, Rows) for v in result.values()):
        return type(result)((k, list(iter(v)) if isinstance(v, Rows) else v) for k, v in result.items())
    return result


class Store:
    """Read access to one knowledge base; every method answers from the cache's tables."""

    def __init__(self, conn: sqlite3.Connection, data_dir: str | None = None) -> None:
        self.conn = conn
        self.data_dir = data_dir
        self._memo: dict[str, Any] = {}

    def rebuilt(self) -> Store:
        """A fresh build of the knowledge base, for a cache SQLite found damaged while reading."""
        if self.data_dir is None:
            raise sqlite3.DatabaseError("no knowledge base to rebuild from")
        from liaoyuan_cli.build import build

        conn, _ = build(self.data_dir)
        return Store(conn, self.data_dir)

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return [json.loads(text) for (text,) in self.conn.execute(sql, tuple(params))]

    def _memoised(self, key: str, load: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = load()
        value: T = self._memo[key]
        return value

    def _items(self, kind: str) -> list[Any]:
        return self._memoised(
            kind, lambda: self._rows("SELECT json FROM items WHERE kind = ? ORDER BY seq", (kind,))
        )

    # -- articles, areas, people, sections, metrics, topics, themes, errata --------------------

    def key(self) -> str:
        return str(self._rows("SELECT json FROM items WHERE kind = 'key'")[0])

    def articles(self) -> list[ArticleRef]:
        """Every article, oldest first."""
        return self._memoised("articles", lambda: self._rows("SELECT json FROM articles ORDER BY seq"))

    def areas(self) -> list[Row]:
        return self._items("area")

    def area(self, slug: str) -> Row | None:
        return next((a for a in self._items("area") if a["slug"] == slug), None)

    def appearances(self, area: str | None = None) -> list[Row]:
        """Where areas are interviewed or reported (area, article, section, interviewee), oldest
        article first; of one area, or of all."""
        if area is None:
            return self._memoised(
                "appearances", lambda: self._rows("SELECT json FROM appearances ORDER BY seq")
            )
        return self._rows("SELECT json FROM appearances WHERE area = ? ORDER BY seq", (area,))

    def interview(
        self, area: str, article: str | None = None, among: Collection[str] | None = None
    ) -> Row | None:
        """The newest appearance of an area with an interviewee (in one article, if given; in one
        of `among`, if given): read from the newest back, so 1,000 articles about an area cost
        one row, not 1,000."""
        sql = "SELECT article, json FROM appearances WHERE area = ?"
        params: list[Any] = [area]
        if article is not None:
            sql += " AND article = ?"
            params.append(article)
        for found, text in self.conn.execute(sql + " ORDER BY seq DESC", params):
            if among is not None and found not in among:
                continue
            row: Row = json.loads(text)
            if row["interviewee"]:
                return row
        return None

    def article(self, ident: str) -> ArticleRef | None:
        found = self._rows("SELECT json FROM articles WHERE id = ?", (ident,))
        return found[0] if found else None

    def article_ids(self) -> list[str]:
        """Every article's id, oldest first, without reading the articles."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY seq")]

    def dated(self, ident: str) -> tuple[str, bool] | None:
        """An article's last possible day (what --as-of compares) and whether it is a draft."""
        row = self.conn.execute("SELECT date_end, draft FROM articles WHERE id = ?", (ident,)).fetchone()
        return (str(row[0]), bool(row[1])) if row else None

    def has_drafts(self) -> bool:
        return self._memoised(
            "drafts",
            lambda: (
                self.conn.execute("SELECT 1 FROM articles WHERE draft = 1 LIMIT 1").fetchone() is not None
            ),
        )

    def window_ids(self, window: Window | None) -> list[str]:
        """The ids of the articles a window lets answer, oldest first."""
        params: list[Any] = []
        where = f" WHERE {window.sql('seq', params)}" if window is not None else ""
        return [r[0] for r in self.conn.execute(f"SELECT id FROM articles{where} ORDER BY seq", params)]

    def newest_stating(self, area: str, kinds: Sequence[str], window: Window | None) -> str | None:
        """The newest article, of those the window lets answer, with records of these kinds about
        the area: a page of results alone does not hide the pledges of an older one."""
        found = self.newest_articles(area, kinds, window, 1)
        return found[0] if found else None

    def newest_articles(
        self, area: str, kinds: Sequence[str], window: Window | None, count: int
    ) -> list[str]:
        """The `count` newest such articles, newest first."""
        params: list[Any] = [area, *kinds]
        marks = ", ".join("?" * len(kinds))
        sql = f"SELECT r.article_seq FROM records r WHERE r.area = ? AND r.kind IN ({marks})"
        if window is not None:
            sql += " AND " + window.sql("r.article_seq", params)
        sql = f"SELECT a.id FROM articles a WHERE a.seq IN ({sql}) ORDER BY a.seq DESC LIMIT ?"
        return [str(r[0]) for r in self.conn.execute(sql, [*params, count])]

    def newest_figures(self, select: Select, metrics: Sequence[str] = ()) -> list[FigureLine]:
        """Figures of the selected records, each series of each area from the newest article
        that states it (older series stay), in article order: found per metric from the index,
        then read."""
        where, params = select.where()
        conditions = [where.removeprefix(" WHERE ")] if where else []
        if metrics:
            conditions.append(f"f.metric IN ({', '.join('?' * len(metrics))})")
            params += list(metrics)
        joined = " JOIN records r ON r.id = f.record" if where else ""
        condition = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = (
            "WITH newest AS (SELECT f.metric AS metric, f.area AS area, f.series AS series, "
            f"max(f.article_seq) AS seq FROM figures f{joined}{condition} "
            "GROUP BY f.metric, f.area, f.series) "
            f"SELECT f.json FROM newest n JOIN figures f ON f.metric = n.metric AND f.area = n.area "
            f"AND f.series = n.series AND f.article_seq = n.seq{joined}{condition} ORDER BY f.seq"
        )
        return self._rows(sql, params + params)

    def latest(self, areas: Sequence[str] = ()) -> str | None:
        """The newest article in which any of the areas appears (the newest of all without areas)."""
        if areas:
            marks = ",".join("?" * len(areas))
            sql = f"SELECT article FROM appearances WHERE area IN ({marks}) ORDER BY seq DESC LIMIT 1"
            row = self.conn.execute(sql, list(areas)).fetchone()
        else:
            row = self.conn.execute("SELECT id FROM articles ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else None

    def people(self) -> dict[str, PersonRef]:
        return self._memoised("people", lambda: {p["id"]: p for p in self._items("person")})

    def sections(self) -> dict[str, Row]:
        return self._memoised("sections", lambda: {s["id"]: s for s in self._items("section")})

    def metrics(self) -> dict[str, Row]:
        return self._memoised("metrics", lambda: {m["id"]: m for m in self._items("metric")})

    def topics(self) -> list[Row]:
        return self._items("topic")

    def themes(self) -> list[Row]:
        return self._items("theme")

    def errata(self, ids: Iterable[str]) -> list[Row]:
        """The errata with these ids, in declaration order."""
        wanted = list(ids)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        return self._rows(f"SELECT json FROM errata WHERE id IN ({marks}) ORDER BY seq", wanted)

    def assessments(self) -> list[Row]:
        return self._items("assessment")

    def named(self, kind: str, folded: str) -> str | None:
        """The id an area or entity name (folded) stands for; None only if it names nothing."""
        row = self.conn.execute("SELECT id FROM names WHERE kind = ? AND name = ?", (kind, folded)).fetchone()
        return None if row is None else str(row[0])

    def names(self, kind: str) -> dict[str, str]:
        """Every folded name of areas or entities, for suggestions when a lookup misses."""
        return dict(self.conn.execute("SELECT name, id FROM names WHERE kind = ?", (kind,)).fetchall())

    # -- records and figures -----------------------------------------------------------------

    def records(self, select: Select | None = None) -> list[RecordRow]:
        """Records in article order, filtered in SQL so a large knowledge base is not scanned."""
        chosen = select or Select()
        where, params = chosen.where()
        return self._rows(f"SELECT r.json FROM records r{where} ORDER BY r.seq", params)

    def record_rows(self, select: Select | None = None) -> Sequence[RecordRow]:
        """Records in article order, read as they are written (Rows): a listing of any size."""
        where, params = (select or Select()).where()
        return Rows(self, f"SELECT r.json FROM records r{where} ORDER BY r.seq", params)

    def errata_of(self, select: Select | None = None, keys: Sequence[str] = ()) -> Sequence[Row]:
        """The errata standing in the quotes of the selected records, in declaration order, each
        narrowed to `keys`: read as they are written (Rows), 15,000 of them at 1000x."""
        where, params = (select or Select()).where()
        sql = (
            "SELECT json FROM errata WHERE id IN (SELECT e.erratum FROM record_errata e"
            f" JOIN records r ON r.id = e.record{where}) ORDER BY seq"
        )
        return Rows(self, sql, params, keys)

    def record(self, ident: str) -> RecordRow | None:
        """A record by its id, or by an id it had before."""
        found = self._rows(  # a current id before a former one
            "SELECT json FROM records WHERE id = ? OR id = (SELECT id FROM formerly WHERE old = ?)"
            " ORDER BY id <> ?",
            (ident, ident, ident),
        )
        return found[0] if found else None

    def record_ids(self, prefix: str = "") -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM records WHERE id >= ? AND id < ? ORDER BY id", (prefix, prefix + "\uffff")
        )
        return [r[0] for r in rows]

    def figures(self, select: Select | None = None, metrics: Sequence[str] = ()) -> list[FigureLine]:
        """Figures of the selected records (of the given metrics), in article order."""
        return list(iter(self.figure_rows(select, metrics)))

    def figure_rows(
        self, select: Select | None = None, metrics: Sequence[str] = (), year: int | None = None
    ) -> Sequence[FigureLine]:
        """Figures of the selected records (of the given metrics, of the figure's own year), in
        article order, read as they are written (Rows): a listing of any size."""
        where, params = (select or Select()).where()
        if metrics:
            where += (" AND " if where else " WHERE ") + f"f.metric IN ({','.join('?' * len(metrics))})"
            params += list(metrics)
        if year is not None:
            where += (" AND " if where else " WHERE ") + "f.year = ?"
            params.append(year)
        sql = f"SELECT f.json FROM figures f JOIN records r ON r.id = f.record{where} ORDER BY f.seq"
        return Rows(self, sql, params)

    def counts(
        self,
        fields: Sequence[str],
        select: Select | None = None,
        of: str = "records",
        pledges: Sequence[str] = (),
        total: bool = False,
    ) -> list[tuple[Any, ...]]:
        """How many records (or figures) have each combination of values of `fields`, in SQL;
        with `pledges` (record kinds), a second count: how many of those records are of them.
        With `total`, one row: how many records (or figures) the combinations hold, each once
        (a record of two themes is in two rows, and once in the total)."""
        from liaoyuan_cli.vocab import FacetField

        columns = {field.value: field.column for field in FacetField}
        joins = ""
        if "theme" in fields:
            joins += " JOIN record_themes t ON t.record = r.id"
        if "entity" in fields:
            joins += " JOIN mentions m ON m.record = r.id"
        if of == "figures" or {"metric", "role", "unit"} & set(fields):
            joins += " JOIN figures f ON f.record = r.id"
        if "verdict" in fields:
            joins += " JOIN verdicts v ON v.record = r.id"
        picked = ", ".join(columns[f] for f in fields)
        chosen = select or Select()
        if of == "figures":
            # Figures are narrowed as `lycli figures` narrows them: by their own metric and year.
            record_level = Select(
                **{k: getattr(chosen, k) for k in Select.__slots__ if k not in ("metric", "year")}
            )
            where, params = record_level.where()
            for column, value in (("metric", chosen.metric), ("year", chosen.year)):
                if value is not None:
                    where += (" AND " if where else " WHERE ") + f"f.{column} = ?"
                    params.append(value)
            tally = "COUNT(DISTINCT f.seq)" if total else "COUNT(*)"
        else:
            where, params = chosen.where()
            marks = ",".join("?" * len(pledges))
            if joins:  # a record with two figures of a metric is one record
                tally = "COUNT(DISTINCT r.id)"
                if pledges:
                    tally += f", COUNT(DISTINCT CASE WHEN r.kind IN ({marks}) THEN r.id END)"
            else:  # one row a record: counting needs no set of ids (165,000 of them at 1000x)
                tally = "COUNT(*)"
                if pledges:
                    tally += f", COALESCE(SUM(r.kind IN ({marks})), 0)"
            if pledges:
                params = [*pledges, *params]
        if total:
            return [
                tuple(self.conn.execute(f"SELECT {tally} FROM records r{joins}{where}", params).fetchone())
            ]
        sql = f"SELECT {picked}, {tally} FROM records r{joins}{where} GROUP BY {picked} ORDER BY {picked}"
        return [tuple(row) for row in self.conn.execute(sql, params)]

    def count(self, select: Select | None = None) -> int:
        """How many records a selection holds (without reading them)."""
        where, params = (select or Select()).where()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM records r{where}", params).fetchone()[0])

    def verdicts(self, ids: Sequence[str]) -> dict[str, Row]:
        """These pledges' verdicts, as computed at build time from figures and assessments: read
        for the pledges asked about, not for every pledge of every article."""
        out: dict[str, Row] = {}
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            sql = f"SELECT json FROM verdicts WHERE record IN ({', '.join('?' * len(chunk))})"
            out.update((v["record"], v) for v in self._rows(sql, chunk))
        return out

    def followers(self, target: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT record FROM follows WHERE target = ? ORDER BY record", (target,)
            )
        ]

    # -- entities and frameworks -------------------------------------------------------------

    def entities(self, ids: Iterable[str] | None = None) -> list[Row]:
        """All entities, or those with the given ids, in declaration order."""
        if ids is None:
            return self._rows("SELECT json FROM entities ORDER BY seq")
        wanted = list(ids)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        return self._rows(f"SELECT json FROM entities WHERE id IN ({marks}) ORDER BY seq", wanted)

    def mentions(self, entity: str) -> list[RecordRow]:
        """Records that name an entity, in article order."""
        return self._rows(
            "SELECT r.json FROM mentions m JOIN records r ON r.id = m.record"
            " WHERE m.entity = ? ORDER BY r.seq",
            (entity,),
        )

    def mention_summary(self, window: Window | None = None) -> dict[str, tuple[list[str], list[str], int]]:
        """Entity id -> (the areas whose records name it, the articles, how many records): of the
        articles the window lets answer, if one is given."""
        out: dict[str, tuple[list[str], list[str], int]] = {}
        params: list[Any] = []
        where = f" WHERE {window.sql('r.article_seq', params)}" if window is not None else ""
        rows = self.conn.execute(
            "SELECT m.entity, r.area, r.article FROM mentions m JOIN records r ON r.id = m.record"
            f"{where} ORDER BY r.seq",
            params,
        )
        for entity, area, article in rows:
            areas, articles, count = out.get(entity, ([], [], 0))
            if area not in areas:
                areas.append(area)
            if article not in articles:
                articles.append(article)
            out[entity] = (areas, articles, count + 1)
        return out

    def frameworks(self, area: str | None = None, article: str | None = None) -> list[FrameworkOut]:
        sql, params = "SELECT json FROM frameworks", []
        conditions = []
        for column, value in (("area", area), ("article", article)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        return self._rows(sql + " ORDER BY seq", params)

    # -- search --------------------------------------------------------------------------------

    def candidates(
        self, grams: list[str], select: Select | None = None, types: Sequence[str] = ()
    ) -> Iterator[tuple[int, str, Any]]:
        """(doc, type, folded texts) of documents holding every gram, for search to confirm."""
        where, params = self._doc_filter(grams, select, types)
        fields = ", ".join(f"d.f_{name}" for name in SEARCH_FIELDS)
        sql = f"SELECT d.doc, d.type, d.starts, {fields} FROM docs d" + (
            f" WHERE {' AND '.join(where)}" if where else ""
        )
        for doc, type_, starts, *folded in self.conn.execute(sql + " ORDER BY d.doc", params):
            fields_ = dict(zip(SEARCH_FIELDS, folded, strict=True))
            yield doc, type_, {"fields": fields_, "starts": json.loads(starts)}

    def containing(
        self, folded: str, grams: list[str], select: Select | None = None
    ) -> list[tuple[int, str, tuple[bool, ...], bool]]:
        """(doc, type, whether each field of search.FIELDS holds the text, whether one is it) of
        the documents holding it: in SQL, for a query where holding is matching (Chinese)."""
        where, params = self._doc_filter(grams, select, ())
        flags, exact = _holding("d.")
        held = ", ".join(flags)
        sql = f"SELECT d.doc, d.type, {held}, ({exact}) FROM docs d" + (
            f" WHERE {' AND '.join(where)}" if where else ""
        )
        rows = self.conn.execute(sql + " ORDER BY d.doc", [folded] * (2 * len(SEARCH_FIELDS)) + params)
        return [(doc, type_, tuple(bool(x) for x in rest[:-1]), bool(rest[-1])) for doc, type_, *rest in rows]

    def ranked(
        self,
        folded: str,
        grams: list[str],
        select: Select | None,
        weights: Mapping[str, int],
        kinds: Mapping[str, int],
        whole: int,
        limit: int,
    ) -> tuple[int, list[tuple[int, str, int, tuple[bool, ...]]]]:
        """How many documents hold the text, and the best `limit` of them as (doc, type, points,
        whether each field holds it): scored, ordered and counted in SQL, so a query that 1,000
        articles answer reads ten rows, not ten thousand. Points: the weight of each field that
        holds the text, the weight of the kind of document, `whole` where a field is the text."""
        gains = [*(weights[name] for name in SEARCH_FIELDS), whole]
        limit = min(limit, 2**62)  # a limit beyond SQLite's integers is no limit
        if grams == [folded]:
            total, top = self._ranked_by_index(folded, select, gains, kinds, limit)
        else:
            total, top = self._ranked_by_text(folded, grams, select, gains, kinds, limit)
        return (total, top) if top else (0, [])

    def _ranked_by_index(
        self, gram: str, select: Select | None, gains: list[int], kinds: Mapping[str, int], limit: int
    ) -> tuple[int, list[tuple[int, str, int, tuple[bool, ...]]]]:
        """A query that is one gram, ranked from the index alone: a field's column holds the gram
        exactly where the field holds the text (search.field_grams), `whole` where a field is it,
        and a document's number gives its type. Only the rows shown (confirmed on them) and a
        filter read the documents' rows.

        The matches of each column come as one bit of `held`; the count is a query of its own,
        which costs less than counting the ranked rows (7,001 documents at 1000x)."""
        columns = [*SEARCH_FIELDS, "whole"]
        phrase = _phrase(gram)
        hits = " UNION ALL ".join(
            f"SELECT rowid AS doc, {1 << i} AS bit FROM grams WHERE grams MATCH ?"
            for i in range(len(columns))
        )
        mask = (1 << TYPE_BITS) - 1
        kind = " ".join(f"WHEN {DOC_TYPES[t]} THEN {w}" for t, w in kinds.items())
        points = " + ".join(f"(g.held >> {i} & 1) * {gain}" for i, gain in enumerate(gains))
        where, params = self._doc_filter([], select, ())
        narrow = f" JOIN docs d ON d.doc = g.doc WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(
            f"SELECT g.doc, g.held, {points} + (CASE g.doc & {mask} {kind} ELSE 0 END) AS points"
            f" FROM (SELECT h.doc AS doc, sum(h.bit) AS held FROM ({hits}) h GROUP BY h.doc) g{narrow}"
            " ORDER BY points DESC, g.doc LIMIT ?",
            [*(f"{{{name}}} : {phrase}" for name in columns), *params, limit],
        ).fetchall()
        if not rows:
            return 0, []
        matching = "SELECT rowid FROM grams WHERE grams MATCH ?"  # in any column
        count = f"SELECT count(*) FROM ({matching})"
        if where:
            count = f"SELECT count(*) FROM docs d WHERE d.doc IN ({matching}) AND {' AND '.join(where)}"
        total = int(self.conn.execute(count, [phrase, *params]).fetchone()[0])
        named = {code: t for t, code in DOC_TYPES.items()}
        return total, [
            (doc, named[doc & mask], int(p), tuple(bool(held >> i & 1) for i in range(len(SEARCH_FIELDS))))
            for doc, held, p in rows
        ]

    def _ranked_by_text(
        self,
        folded: str,
        grams: list[str],
        select: Select | None,
        gains: list[int],
        kinds: Mapping[str, int],
        limit: int,
    ) -> tuple[int, list[tuple[int, str, int, tuple[bool, ...]]]]:
        """Any other Chinese query (longer than one gram, or without a gram, as ䷀): the documents
        that hold all its grams, confirmed and scored on the text."""
        where, params = self._doc_filter(grams, select, ())
        held, exact = _holding("d.")
        score = " + ".join(f"{g} * {h}" for g, h in zip(gains[:-1], held, strict=True))
        kind = " ".join(f"WHEN {_sql_text(t)} THEN {w}" for t, w in kinds.items())
        inner = (
            f"SELECT d.doc AS doc, d.type AS type, {', '.join(f'{h} AS h{i}' for i, h in enumerate(held))}, "
            f"({score}) + (CASE d.type {kind} ELSE 0 END) + {gains[-1]} * ({exact}) AS points FROM docs d"
            + (f" WHERE {' AND '.join(where)}" if where else "")
        )
        flags = [f"h{i}" for i in range(len(SEARCH_FIELDS))]
        sql = (
            f"SELECT doc, type, points, {', '.join(flags)}, count(*) OVER () FROM ({inner})"
            f" WHERE {' OR '.join(flags)} ORDER BY points DESC, doc LIMIT ?"
        )
        rows = self.conn.execute(sql, [folded] * (3 * len(SEARCH_FIELDS)) + params + [limit]).fetchall()
        if not rows:
            return 0, []
        return int(rows[0][-1]), [
            (doc, t, int(p), tuple(bool(x) for x in rest[:-1])) for doc, t, p, *rest in rows
        ]

    def _doc_filter(
        self, grams: list[str], select: Select | None, types: Sequence[str]
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if grams:
            # Every gram must occur: an FTS5 AND query over the n-gram tokens.
            where.append("d.doc IN (SELECT rowid FROM grams WHERE grams MATCH ?)")
            params.append(" AND ".join(_phrase(g) for g in grams))
        s = select or Select()
        for column, values in (("area", s.areas), ("kind", s.kinds)):
            if values:
                where.append(f"d.{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        for column, value in (("article", s.article), ("category", s.category)):
            if value is not None:
                where.append(f"d.{column} = ?")
                params.append(value)
        if s.theme is not None:
            where.append("d.type = 'record' AND d.id IN (SELECT record FROM record_themes WHERE theme = ?)")
            params.append(s.theme)
        if s.window is not None:
            # A record or framework of an article the window lets answer; an entity (of no article)
            # that a record of such an article names.
            articles = s.window.sql("seq", params)
            named = s.window.sql("r.article_seq", params)
            where.append(
                f"(d.article IN (SELECT id FROM articles WHERE {articles}) OR (d.type = 'entity' AND d.id IN"
                f" (SELECT m.entity FROM mentions m JOIN records r ON r.id = m.record WHERE {named})))"
            )
        if types:
            where.append(f"d.type IN ({','.join('?' * len(types))})")
            params.extend(types)
        return where, params

    def documents(self, docs: list[int]) -> dict[int, Row]:
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        texts = ", ".join(f"json_extract(r.json, '$.{name}')" for name in RECORD_TEXTS)
        rows = self.conn.execute(
            f"SELECT d.doc, {', '.join(f'd.{c}' for c in DOC_COLUMNS)}, {texts}, d.json FROM docs d"
            f" LEFT JOIN records r ON d.type = 'record' AND r.id = d.id WHERE d.doc IN ({marks})",
            docs,
        )
        out: dict[int, Row] = {}
        for doc, *values, rest in rows:
            split = len(DOC_COLUMNS)
            item: Row = dict(zip(DOC_COLUMNS, values[:split], strict=True))
            if item["type"] == "record":  # a record's texts are its row's (build: nothing twice)
                item.update(zip(RECORD_TEXTS, values[split:], strict=True))
            item.update(json.loads(rest))
            out[doc] = item
        return out
