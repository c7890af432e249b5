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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from liaoyuan_cli import __version__

# Bump when the cache's tables or row shapes change: old caches are then never read.
CACHE_FORMAT = 9
ENV_CACHE = "LYCLI_CACHE_DIR"
Row = dict[str, Any]
T = TypeVar("T")


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


# -- the cache key ----------------------------------------------------------------------------


def _blake2b(data: bytes = b"") -> Any:
    try:  # hashlib would load OpenSSL first (2 ms a run); blake2 is built into CPython
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    return blake2b(data, digest_size=16)


def _files(data_dir: Path) -> list[tuple[str, os.stat_result]]:
    """What a knowledge base is made of, with stats, sorted: its *.toml files and source/.

    The same files the loader reads (kb.data_files and the article's source text, which the
    model keeps under source/). Symlinked directories are not followed, so a link loop or a
    link to elsewhere cannot make a run walk or hash the disk.
    """
    found: list[tuple[str, os.stat_result]] = []
    pending = [(data_dir, "")]
    while pending:
        directory, prefix = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), name + "/"))
                elif entry.is_file() and (name.endswith(".toml") or name.startswith("source/")):
                    found.append((name, entry.stat()))
    return sorted(found, key=lambda item: item[0])


def content_key(data_dir: Path, files: list[tuple[str, os.stat_result]] | None = None) -> str:
    """A hash of every file's name and bytes: the cache is keyed by content, not by mtime."""
    digest = _blake2b(f"{CACHE_FORMAT}:{__version__}".encode())
    for name, _ in files if files is not None else _files(data_dir):
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update((data_dir / name).read_bytes())
        digest.update(b"\0")
    return str(digest.hexdigest())


def cache_key(data_dir: Path, directory: Path) -> str:
    """The content key, without re-reading every byte when no file has changed since last time.

    A pointer file per data directory remembers the content key together with a signature of
    every file's size, mtime, ctime and inode. Any write to a file changes its ctime, which no
    program can set back, so a matching signature means unchanged content; anything else
    (an edit, a new or renamed file, a damaged pointer) hashes the content again.
    """
    files = _files(data_dir)
    signature = _blake2b(f"{CACHE_FORMAT}:{__version__}".encode())
    for name, st in files:
        signature.update(f"{name}\0{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}\0".encode())
    pointer = directory / f"dir-{_blake2b(str(data_dir.resolve()).encode()).hexdigest()}.key"
    previous = ""
    try:
        stored_signature, previous = pointer.read_text(encoding="ascii").split()
        if stored_signature == signature.hexdigest():
            return previous
    except (OSError, ValueError, UnicodeDecodeError):
        pass
    key = content_key(data_dir, files)
    _write_atomically(pointer, f"{signature.hexdigest()} {key}\n".encode("ascii"))
    if previous and previous != key:
        # This directory's old cache is stale now; never let the cache grow with each edit.
        with _quietly():
            (directory / f"kb-{previous}.sqlite").unlink()
    return key


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file and rename it over path; give up silently where unwritable."""
    import tempfile

    with _quietly():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            os.unlink(tmp)
            raise


class _quietly:
    """Suppress OSError: the cache is an optimisation, never a reason to fail."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, OSError)


# -- reading ----------------------------------------------------------------------------------


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

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._article: Row | None = None
        self._memo: dict[str, Any] = {}

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return [_row(text, crc) for text, crc in self.conn.execute(sql, tuple(params))]

    def verify(self) -> None:
        """Check every row against its checksum, and SQLite's own structure; raise if damaged.

        Lookups by id go through indexes that the row checksums do not cover, so a damaged
        cache could answer "not found" for a record it holds. Before any such answer the
        caller verifies the whole cache (O(size), on the not-found path only).
        """
        if self._memo.get("verified"):
            return
        if self.conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise CorruptCache("quick_check failed")
        for table, ident in (("items", "id"), ("records", "id"), ("entities", "id"), ("frameworks", "id")):
            for key, text, crc in self.conn.execute(f"SELECT {ident}, json, crc FROM {table}"):
                value = _row(text, crc)
                if table != "items" and value.get("id") != key:
                    raise CorruptCache(f"{table} row {key!r} holds {value.get('id')!r}")
        for hay, hay_crc, text, crc in self.conn.execute("SELECT hay, hay_crc, json, crc FROM docs"):
            _row(hay, hay_crc)
            _row(text, crc)
        for kind, name, ident, crc in self.conn.execute("SELECT kind, name, id, crc FROM names"):
            if zlib.crc32(f"{kind}\0{name}\0{ident}".encode()) != crc:
                raise CorruptCache(f"names row {name!r}")
        self._memo["verified"] = True

    def _memoised(self, key: str, load: Callable[[], T]) -> T:
        """Tables that queries consult per figure or per record are read once per run."""
        if key not in self._memo:
            self._memo[key] = load()
        value: T = self._memo[key]
        return value

    # -- article, areas, people, sections, metrics: the `items` table -------------------------

    def key(self) -> str:
        found = self.conn.execute("SELECT json, crc FROM items WHERE kind = 'key' AND id = ''").fetchone()
        if found is None:
            raise CorruptCache("no key row")
        return str(_row(*found))

    @property
    def article(self) -> Row:
        found = self._rows("SELECT json, crc FROM items WHERE kind = 'article'")
        if not found:
            raise CorruptCache("no article row")
        return found[0]

    def _item(self, kind: str, ident: str | None) -> Row | None:
        if ident is None:
            return None
        found = self._rows("SELECT json, crc FROM items WHERE kind = ? AND id = ?", (kind, ident))
        return found[0] if found else None

    def _all(self, kind: str) -> list[Row]:
        return self._rows("SELECT json, crc FROM items WHERE kind = ? ORDER BY seq", (kind,))

    def areas(self) -> list[Row]:
        return self._memoised("areas", lambda: self._all("area"))

    def area(self, slug: str) -> Row | None:
        return self._item("area", slug)

    def person(self, ident: str | None) -> Row | None:
        return self._item("person", ident)

    def section(self, ident: str) -> Row | None:
        return self._item("section", ident)

    def errata(self) -> list[Row]:
        return self._memoised("errata", lambda: self._all("erratum"))

    def metrics(self) -> dict[str, Row]:
        return self._memoised("metrics", lambda: {m["id"]: m for m in self._all("metric")})

    def name(self, kind: str, folded: str) -> str | None:
        """The id an area or entity name (folded) stands for, from the names table."""
        row = self.conn.execute(
            "SELECT id, crc FROM names WHERE kind = ? AND name = ?", (kind, folded)
        ).fetchone()
        if row is None:
            return None
        if zlib.crc32(f"{kind}\0{folded}\0{row[0]}".encode()) != row[1]:
            raise CorruptCache(f"names row {folded!r}")
        return str(row[0])

    def names(self, kind: str) -> dict[str, str]:
        """Every folded name of areas or entities, for suggestions when a lookup misses."""
        return dict(self.conn.execute("SELECT name, id FROM names WHERE kind = ?", (kind,)).fetchall())

    # -- records, entities, frameworks --------------------------------------------------------

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

    def entities(self, ids: Iterable[str] | None = None) -> list[Row]:
        """All entities, or those with the given ids, in declaration order."""
        if ids is None:
            return self._rows("SELECT json, crc FROM entities ORDER BY seq")
        wanted = list(ids)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        return self._rows(f"SELECT json, crc FROM entities WHERE id IN ({marks}) ORDER BY seq", wanted)

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

    # -- search -------------------------------------------------------------------------------

    def candidates(
        self,
        grams: list[str],
        area: str | None = None,
        kind: str | None = None,
        category: str | None = None,
    ) -> Iterator[tuple[int, str, dict[str, dict[str, str]]]]:
        """(doc, type, folded texts) of documents holding every gram, for the caller to confirm.

        Only the small folded texts (with their word starts) are read here; whole documents
        only for the hits shown.
        """
        where: list[str] = []
        params: list[Any] = []
        if grams:
            # Every gram must occur: an FTS5 AND query over the n-gram tokens.
            where.append("doc IN (SELECT rowid FROM grams WHERE grams MATCH ?)")
            params.append(" AND ".join(f'"{g}"' for g in grams))
        for column, value in (("area", area), ("kind", kind), ("category", category)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT doc, type, hay, hay_crc FROM docs" + (f" WHERE {' AND '.join(where)}" if where else "")
        for doc, type_, text, crc in self.conn.execute(sql + " ORDER BY doc", params):
            yield doc, type_, _row(text, crc)

    def documents(self, docs: list[int]) -> dict[int, Row]:
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(f"SELECT doc, json, crc FROM docs WHERE doc IN ({marks})", docs)
        return {doc: _row(text, crc) for doc, text, crc in rows}


# -- building ---------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE items (kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
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
CREATE TABLE names (kind TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, crc INTEGER NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
CREATE TABLE docs (doc INTEGER PRIMARY KEY, type TEXT NOT NULL, area TEXT, kind TEXT, category TEXT,
    hay TEXT NOT NULL, hay_crc INTEGER NOT NULL, json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE VIRTUAL TABLE grams USING fts5 (g, detail = none, columnsize = 0);
"""
_ITEMS = (("person", "people", "id"), ("section", "sections", "id"), ("area", "areas", "slug"),
          ("metric", "metrics", "id"), ("erratum", "errata", "id"))  # fmt: skip


def _with_crc(value: Any) -> tuple[str, int]:
    text = _dumps(value)
    return text, zlib.crc32(text.encode())


def build(conn: sqlite3.Connection, data_dir: Path, key: str) -> None:
    """Validate the TOML (raising on any problem) and fill the cache's tables."""
    from liaoyuan_cli import kb as kb_module
    from liaoyuan_cli.index import documents, grams_of, haystacks, names

    dump = kb_module.load(data_dir).model_dump(mode="json")
    conn.executescript(_TABLES)
    items = [("key", "", 0, *_with_crc(key)), ("article", "", 0, *_with_crc(dump["article"]))]
    for kind, table, ident in _ITEMS:
        items += [(kind, x[ident], seq, *_with_crc(x)) for seq, x in enumerate(dump[table])]
    conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", items)
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
    conn.executemany(
        "INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?)",
        ((k, n, i, zlib.crc32(f"{k}\0{n}\0{i}".encode())) for k, n, i in names(dump)),
    )
    for doc, item in enumerate(documents(dump)):
        hay = haystacks(item)
        conn.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc,
                item["type"],
                item["area"],
                item["kind"],
                item["category"],
                *_with_crc(hay),
                *_with_crc(item),
            ),
        )
        grams = " ".join(sorted(grams_of(hay["fields"])))
        conn.execute("INSERT INTO grams (rowid, g) VALUES (?, ?)", (doc, grams))
    conn.commit()


def open_store(data_dir: Path) -> Store:
    """The cache for data_dir, built first if it is missing, stale or damaged."""
    directory = cache_dir()
    key = cache_key(data_dir, directory)
    path = directory / f"kb-{key}.sqlite"
    if path.is_file():
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            if Store(conn).key() == key:
                return Store(conn)
            conn.close()
        except (sqlite3.DatabaseError, CorruptCache):
            pass
    return _build(data_dir, key, directory, path)


def answer(data_dir: Path, query: Callable[[Store], T]) -> T:
    """Run a query on the cache; if the cache turns out damaged mid-query, rebuild it once."""
    try:
        return query(open_store(data_dir))
    except (sqlite3.DatabaseError, CorruptCache):
        directory = cache_dir()
        key = content_key(data_dir)
        with _quietly():
            (directory / f"kb-{key}.sqlite").unlink()
        return query(_build(data_dir, key, directory, directory / f"kb-{key}.sqlite"))


def _build(data_dir: Path, key: str, directory: Path, path: Path) -> Store:
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
        return Store(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    except (OSError, sqlite3.OperationalError):
        memory = sqlite3.connect(":memory:")
        build(memory, data_dir, key)
        return Store(memory)
    finally:
        if tmp is not None:
            with _quietly():
                os.unlink(tmp)
