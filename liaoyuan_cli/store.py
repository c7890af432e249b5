"""The validated knowledge base as a SQLite cache with a search index, keyed by content.

Start-up is paid on every call, so a run on an unchanged knowledge base reads a cache
instead of parsing TOML and validating with pydantic: the cache holds plain JSON, and
pydantic is never imported on that path. The cache file is named by a hash of the data
directory's contents, written to a temporary file and renamed into place (parallel runs see
all of a cache or none of it), checked row by row with CRC32 (a damaged cache is rebuilt),
and kept in memory instead when the cache directory cannot be written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from liaoyuan_cli import __version__

# Bump when the cache's tables or row shapes change: old caches are then never read.
CACHE_FORMAT = 4
ENV_CACHE = "LYCLI_CACHE_DIR"
Row = dict[str, Any]


class CorruptCache(Exception):
    """A cache row failed its checksum or did not parse: rebuild."""


def cache_dir() -> Path:
    """$LYCLI_CACHE_DIR, else the platform's user cache directory (XDG on Linux)."""
    if override := os.environ.get(ENV_CACHE):
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "lycli" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "lycli"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "lycli"


def fingerprint(data_dir: Path) -> str:
    """A hash of every file's name and bytes: content, not mtime, decides staleness."""
    try:  # hashlib would load OpenSSL first (2 ms a run); blake2 is built into CPython
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b

    digest = blake2b(f"{CACHE_FORMAT}:{__version__}".encode(), digest_size=16)
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(data_dir)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _row(text: str, crc: int) -> Any:
    if zlib.crc32(text.encode()) != crc:
        raise CorruptCache("checksum mismatch")
    try:
        return json.loads(text)
    except ValueError:
        raise CorruptCache("unparsable row") from None


class Store:
    """Read access to one knowledge base; every method answers from the cache's tables."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path) -> None:
        self.conn = conn
        self.data_dir = data_dir
        self._meta: dict[str, Any] | None = None
        self._indexes: dict[str, dict[str, Row]] = {}

    # -- small tables: article, people, sections, errata, areas, metrics --------------------

    @property
    def meta(self) -> dict[str, Any]:
        if self._meta is None:
            found = self.conn.execute("SELECT json, crc FROM meta WHERE key='kb'").fetchone()
            if found is None:
                raise CorruptCache("no meta row")
            self._meta = _row(*found)
        return self._meta

    @property
    def article(self) -> Row:
        return dict(self.meta["article"])

    def areas(self) -> list[Row]:
        return list(self.meta["areas"])

    def errata(self) -> list[Row]:
        return list(self.meta["errata"])

    def people(self) -> dict[str, Row]:
        return self._by_id("people")

    def sections(self) -> dict[str, Row]:
        return self._by_id("sections")

    def metrics(self) -> dict[str, Row]:
        return self._by_id("metrics")

    def _by_id(self, key: str) -> dict[str, Row]:
        """Small tables by id, built once per run: queries look them up per figure."""
        found = self._indexes.get(key)
        if found is None:
            found = self._indexes[key] = {item["id"]: item for item in self.meta[key]}
        return found

    def name(self, kind: str, folded: str) -> str | None:
        """The id an area or entity name (folded) stands for, from the names table."""
        row = self.conn.execute("SELECT id FROM names WHERE kind = ? AND name = ?", (kind, folded)).fetchone()
        return None if row is None else str(row[0])

    def names(self, kind: str) -> dict[str, str]:
        """Every folded name of areas or entities, for suggestions when a lookup misses."""
        return dict(self.conn.execute("SELECT name, id FROM names WHERE kind = ?", (kind,)).fetchall())

    # -- records, entities, frameworks ------------------------------------------------------

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return [_row(text, crc) for text, crc in self.conn.execute(sql, tuple(params))]

    def records(
        self,
        area: str | None = None,
        kinds: Iterable[str] = (),
        category: str | None = None,
        year: int | None = None,
        ids: Iterable[str] = (),
    ) -> list[Row]:
        """Records in article order, filtered in SQL so a large knowledge base is not scanned."""
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("area", area), ("category", category), ("year", year)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        for column, values in (("kind", list(kinds)), ("id", list(ids))):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self._rows(f"SELECT json, crc FROM records{clause} ORDER BY seq", params)

    def record_ids(self, prefix: str = "") -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM records WHERE id >= ? AND id < ? ORDER BY id", (prefix, prefix + "\uffff")
        )
        return [r[0] for r in rows]

    def entities(self, ids: Iterable[str] = ()) -> list[Row]:
        wanted = list(ids)
        if wanted:
            marks = ",".join("?" * len(wanted))
            return self._rows(f"SELECT json, crc FROM entities WHERE id IN ({marks}) ORDER BY seq", wanted)
        return self._rows("SELECT json, crc FROM entities ORDER BY seq")

    def mentions(self, entity: str) -> list[Row]:
        """Records that name an entity, in article order."""
        return self._rows(
            "SELECT r.json, r.crc FROM mentions m JOIN records r ON r.id = m.record"
            " WHERE m.entity = ? ORDER BY r.seq",
            (entity,),
        )

    def mention_summary(self) -> dict[str, tuple[list[str], int]]:
        """Entity id -> (the areas whose records name it, in article order; how many records)."""
        out: dict[str, tuple[list[str], int]] = {}
        rows = self.conn.execute(
            "SELECT m.entity, r.area FROM mentions m JOIN records r ON r.id = m.record ORDER BY r.seq"
        )
        for entity, area in rows:
            areas, count = out.get(entity, ([], 0))
            if area not in areas:
                areas.append(area)
            out[entity] = (areas, count + 1)
        return out

    def frameworks(self, area: str | None = None) -> list[Row]:
        if area is None:
            return self._rows("SELECT json, crc FROM frameworks ORDER BY seq")
        return self._rows("SELECT json, crc FROM frameworks WHERE area = ? ORDER BY seq", (area,))

    # -- search -----------------------------------------------------------------------------

    def search_docs(
        self,
        grams: list[str],
        area: str | None = None,
        kind: str | None = None,
        category: str | None = None,
    ) -> Iterator[Row]:
        """Documents holding every gram of the query: candidates, to be confirmed by the caller."""
        where: list[str] = []
        params: list[Any] = []
        if grams:
            # Every gram must occur: an FTS5 AND query over the n-gram tokens.
            where.append("d.doc IN (SELECT rowid FROM grams WHERE grams MATCH ?)")
            params.append(" AND ".join(f'"{g}"' for g in grams))
        for column, value in (("d.area", area), ("d.kind", kind), ("d.category", category)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT d.json, d.crc FROM docs d" + (f" WHERE {' AND '.join(where)}" if where else "")
        for text, crc in self.conn.execute(sql + " ORDER BY d.doc", params):
            yield _row(text, crc)


# -- building -------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, area TEXT NOT NULL,
    kind TEXT NOT NULL, category TEXT NOT NULL, year INTEGER NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE INDEX records_area ON records (area, kind);
CREATE TABLE entities (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE frameworks (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, area TEXT NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE INDEX frameworks_area ON frameworks (area);
CREATE TABLE mentions (entity TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (entity, record))
    WITHOUT ROWID;
CREATE TABLE docs (doc INTEGER PRIMARY KEY, area TEXT, kind TEXT, category TEXT,
    json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE names (kind TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
CREATE VIRTUAL TABLE grams USING fts5 (g, detail = none, columnsize = 0);
"""


def _with_crc(value: Any) -> tuple[str, int]:
    text = _dumps(value)
    return text, zlib.crc32(text.encode())


def build(conn: sqlite3.Connection, data_dir: Path, key: str) -> None:
    """Validate the TOML (raising on any problem) and fill the cache's tables."""
    from liaoyuan_cli import kb as kb_module
    from liaoyuan_cli.index import documents, grams_of, names

    kb = kb_module.load(data_dir)
    dump = kb.model_dump(mode="json")
    conn.executescript(_TABLES)
    small = {k: dump[k] for k in ("article", "people", "sections", "errata", "areas", "metrics")}
    small["key"] = key
    conn.execute("INSERT INTO meta VALUES ('kb', ?, ?)", _with_crc(small))
    conn.executemany(
        "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (seq, r["id"], r["area"], r["kind"], r["category"], r["year"], *_with_crc(r))
            for seq, r in enumerate(dump["records"])
        ),
    )
    conn.executemany(
        "INSERT INTO entities VALUES (?, ?, ?, ?)",
        ((seq, e["id"], *_with_crc(e)) for seq, e in enumerate(dump["entities"])),
    )
    conn.executemany(
        "INSERT INTO frameworks VALUES (?, ?, ?, ?, ?)",
        ((seq, f["id"], f["area"], *_with_crc(f)) for seq, f in enumerate(dump["frameworks"])),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO mentions VALUES (?, ?)",
        ((e, r["id"]) for r in dump["records"] for e in r["entities"]),
    )
    conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", names(dump))
    for doc, item in enumerate(documents(dump)):
        conn.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
            (doc, item["area"], item["kind"], item["category"], *_with_crc(item)),
        )
        conn.execute("INSERT INTO grams (rowid, g) VALUES (?, ?)", (doc, " ".join(sorted(grams_of(item)))))
    conn.commit()


def _check_key(conn: sqlite3.Connection, key: str) -> Store | None:
    store = Store(conn, Path())
    if store.meta.get("key") != key:
        return None
    return store


def open_store(data_dir: Path) -> Store:
    """The cache for data_dir, built first if it is missing, stale or damaged."""
    key = fingerprint(data_dir)
    directory = cache_dir()
    path = directory / f"kb-{key}.sqlite"
    if path.is_file():
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            store = _check_key(conn, key)
            if store is not None:
                store.data_dir = data_dir
                return store
            conn.close()
        except (sqlite3.DatabaseError, CorruptCache):
            pass
    return _build_cached(data_dir, key, directory, path)


def _build_cached(data_dir: Path, key: str, directory: Path, path: Path) -> Store:
    """Build into a temporary file and rename it into place; in memory if that cannot be done."""
    import tempfile

    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", suffix=".tmp", dir=directory)
        os.close(fd)
        conn = sqlite3.connect(tmp)
        try:
            build(conn, data_dir, key)
        finally:
            conn.close()
        os.replace(tmp, path)
        tmp = None
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return Store(conn, data_dir)
    except (OSError, sqlite3.OperationalError):
        memory = sqlite3.connect(":memory:")
        build(memory, data_dir, key)
        return Store(memory, data_dir)
    finally:
        if tmp is not None:
            with _suppress_oserror():
                os.unlink(tmp)


class _suppress_oserror:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return exc[0] is not None and issubclass(exc[0], OSError)  # type: ignore[arg-type]
