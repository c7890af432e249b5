"""The knowledge base as queries see it: a SQLite cache, built from the TOML, keyed by content.

Start-up is paid on every call, so an unchanged knowledge base is answered from a cache
instead of parsing and validating TOML: rows hold render-ready JSON (figures already read by
figures.py), and neither pydantic nor hashlib is imported on that path.

The cache keeps its own defences, so that no query knows it exists:
- its key is a hash of exactly the bytes parsed (kb.Reading), and a pointer file per data
  directory maps the stamps of its directories and files, taken before listing and reading,
  to that key;
- its directory is created 0700, and files or directories that another user owns or could
  write are never read (lycli then answers from memory);
- every row carries a CRC32; a lookup that finds nothing checks the whole cache first, so
  "absent" is never the answer of a damaged cache; a damaged cache is rebuilt and the lookup
  repeated, inside the Store. A cache file lycli built, or checked whole, is vouched for by its
  stamp beside it (`kb-KEY.sound`), so it is checked again only once it has changed;
- a build writes a temporary file and renames it into place (parallel runs see all of a
  cache or none of it); a killed build leaves nothing that a later one does not sweep.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from liaoyuan_cli import __version__
from liaoyuan_cli.files import FORMAT

if TYPE_CHECKING:
    from pathlib import Path

    from liaoyuan_cli.errors import Where
    from liaoyuan_cli.kb import Reading
    from liaoyuan_cli.results import ArticleRef, FigureLine, FigureRow, FrameworkOut, PersonRef, RecordRow

ENV_CACHE = "LYCLI_CACHE_DIR"
Row = dict[str, Any]
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
# The fields of a search document, as search.FIELDS names them (kept here: search imports pypinyin).
_FIELDS = ("id", "zh", "quote", "en", "pinyin")
# A document's number carries its type in its low bits, so that search can weigh the type of
# thousands of matches without reading their rows; numbers still follow the building order.
_TYPE_CODE = {"record": 0, "entity": 1, "framework": 2}
_TYPE_BITS = 2
# Temporary files older than this are left by a killed build, not by one still running.
STALE_SECONDS = 3600


class Damaged(Exception):
    """A cache row failed its checksum or did not parse: the cache must be rebuilt."""


# -- where the cache lives, and whether it may be trusted ----------------------------------------


def cache_dir() -> str | None:
    """$LYCLI_CACHE_DIR, else the platform's user cache directory; None if there is none.

    Written out rather than taken from platformdirs, whose import costs 13 ms a run. With no
    usable home (HOME unset and a uid without a passwd entry, as in containers) there is no
    cache directory, and lycli answers from memory.
    """
    override = os.environ.get(ENV_CACHE)
    if override:
        try:
            return os.path.abspath(override)
        except OSError:  # relative, and the working directory was deleted: no cache, no error
            return None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return os.path.join(base, "lycli", "Cache") if base else None
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        home = ""
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "lycli") if home else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "lycli")
    return os.path.join(home, ".cache", "lycli") if home else None


def _mine(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: nobody else can have planted it."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or (st.st_uid == getuid() and not st.st_mode & 0o022)


def _private_dir() -> str | None:
    """The cache directory, created 0700; None where it is missing, foreign or open to others."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        # lstat: a symlink swapped in by whoever can write the parent could lead lycli to write
        # (and sweep) in a directory of the user's choosing; only a real directory of ours serves.
        st = os.lstat(directory)
        if not stat.S_ISDIR(st.st_mode) or not _mine(st):
            return None
        return directory
    except (OSError, ValueError):
        return None


def _trusted_file(path: str) -> bool:
    """A regular file (no symlink) that is ours: only such a cache file or pointer is read."""
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(st.st_mode) and _mine(st)


# -- the pointer: from the files' stamps to the content key, without reading the files ---------


def _pointer(directory: str, data_dir: str) -> str:
    tag = zlib.crc32(data_dir.encode("utf-8", "surrogateescape"))
    return os.path.join(directory, f"dir-{tag:08x}.key")


def _unchanged(data_dir: str, stamps: list[str], listed: str) -> list[str] | None:
    """The stamps as they are now, if every directory and file the pointer stamps is as it
    was; None at the first change. One stat each, relative to the knowledge base's directory
    so no path is walked twice: at 1000x the article, 3,000 stats, the floor of a warm start.

    A directory whose stamp changed is listed again: the same TOML files and subdirectories in
    it (an editor's swap file came and went) are no change, and its new stamp, taken before
    the listing, is returned in place of the old one."""
    from liaoyuan_cli.files import listing, stamp_line

    fd = os.open(data_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if _RELATIVE_STAT else None
    prefix = os.path.join(data_dir, "")
    directories: Any = None
    now = stamps
    try:
        for index, line in enumerate(stamps):
            name = line.partition("\0")[0]
            renewed = stamp_line(name, os.stat(name, dir_fd=fd) if fd is not None else os.stat(prefix + name))
            if renewed == line:
                continue
            if directories is None:
                directories = json.loads(listed)
            if not isinstance(directories, dict) or list(listing(prefix + name)) != directories.get(name):
                return None
            if now is stamps:
                now = list(stamps)
            now[index] = renewed
        return now
    finally:
        if fd is not None:
            os.close(fd)


_RELATIVE_STAT = os.stat in os.supports_dir_fd


# The pointer: a line `crc` (CRC-32 of all that follows: a pointer cut short is no pointer),
# a few `name value` lines, a blank line, then the stamps (files.stamp_line), of directories
# first. The path is hex-encoded and the stamps end in NUL+LF: a name may hold a newline,
# never a NUL.
_STAMP_END = "\0\n"


def _hex(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").hex()


def _read_pointer(path: str) -> tuple[dict[str, str], list[str]] | None:
    """A pointer's fields and stamps, if it is ours, readable and whole."""
    if not _trusted_file(path):
        return None
    try:
        with open(path, "rb") as handle:
            first, _, rest = handle.read().partition(b"\n")
        if first != f"crc {zlib.crc32(rest):08x}".encode():
            return None
        head, _, body = rest.decode("utf-8", "surrogateescape").partition("\n\n")
        fields = dict(line.split(" ", 1) for line in head.splitlines())
        return fields, body.split(_STAMP_END)[:-1] if body else []
    except (OSError, ValueError):
        return None


def _write_pointer(path: str, fields: dict[str, str], stamps: list[str]) -> None:
    rest = "".join(f"{name} {value}\n" for name, value in fields.items()) + "\n"
    data = (rest + "".join(line + _STAMP_END for line in stamps)).encode("utf-8", "surrogateescape")
    _write_atomically(path, f"crc {zlib.crc32(data):08x}\n".encode() + data)


def _known_key(directory: str, data_dir: str, fresh: bool = True) -> str | None:
    """The content key the pointer remembers, if every file it stamps is as it was (or, with
    fresh=False, whatever the files are now: the key of the cache an edit made stale)."""
    pointer = _pointer(directory, data_dir)
    read = _read_pointer(pointer)
    if read is None:
        return None
    fields, stamps = read
    try:
        if fields.get("path") != _hex(data_dir) or fields.get("format") != f"{FORMAT}:{__version__}":
            return None
        if fresh:
            now = _unchanged(data_dir, stamps, fields.get("dirs", "{}")) if stamps else None
            if now is None:
                return None
            if now is not stamps:  # a directory changed, its TOML files did not: list it once
                _write_pointer(pointer, fields, now)
        return fields["key"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(directory: str, data_dir: str, reading: Reading) -> None:
    """Write the pointer: each directory's stamp taken before it was listed, each file's taken
    before it was read, and the key of their bytes. A file added or written during the read
    changes a stamp after it was taken, so the next run sees the difference and reads again."""
    stamps = [*(stamp for stamp, _, _ in reading.directories.values()), *reading.stamps]
    # Each directory's listing, read only when its stamp changed: one line of ASCII JSON.
    listed = {name: [files, subdirs] for name, (_, files, subdirs) in reading.directories.items()}
    fields = {
        "path": _hex(data_dir),
        "format": f"{FORMAT}:{__version__}",
        "key": reading.digest,
        "dirs": json.dumps(listed, separators=(",", ":")),
    }
    _write_pointer(_pointer(directory, data_dir), fields, stamps)


def _write_atomically(path: str, data: bytes) -> None:
    """Write a private temporary file and rename it over path; give up silently where unwritable."""
    import tempfile

    with _quietly():
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(path))
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError:
            os.unlink(tmp)
            raise


# -- vouching: a cache file found sound is not checked whole again until it changes ---------------


def _file_stamp(path: str) -> str:
    from liaoyuan_cli.files import stamp_line

    return stamp_line(os.path.basename(path), os.stat(path))


def _voucher(path: str) -> str:
    return path.removesuffix(".sqlite") + ".sound"


def _vouch(path: str, stamp: str) -> None:
    """Remember that the cache file, as stamped, is sound: lycli built it, or checked it whole.
    Any write to it changes its stamp (ctime, which no program sets back), and voids this."""
    _write_atomically(_voucher(path), stamp.encode("utf-8", "surrogateescape"))


def _discard(path: str) -> None:
    """Remove a cache file and its voucher."""
    for name in (path, _voucher(path)):
        with _quietly():
            os.unlink(name)


def _vouched(path: str, stamp: str) -> bool:
    voucher = _voucher(path)
    try:
        if not _trusted_file(voucher) or _file_stamp(path) != stamp:
            return False
        with open(voucher, "rb") as handle:
            return handle.read().decode("utf-8", "surrogateescape") == stamp
    except (OSError, ValueError):
        return False


def _connect(path: str) -> tuple[sqlite3.Connection, str | None]:
    """A read-only connection to a cache file, and the file's stamp if the connection surely
    holds that file: the same before and after opening (a rename in between voids it)."""
    before = _file_stamp(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # SQLite opens the file here
    try:
        return conn, before if _file_stamp(path) == before else None
    except OSError:
        return conn, None


class _quietly:
    """Suppress OSError: the cache is an optimisation, never a reason to fail."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, (OSError, ValueError))


# -- reading -------------------------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sql_text(value: str) -> str:
    """A string literal for SQL (our own vocabulary words, never user input)."""
    return "'" + value.replace("'", "''") + "'"


def _holding(table: str) -> tuple[list[str], str]:
    """SQL of whether each folded field of a document holds a text, and of whether one is it:
    each takes the text as a parameter per field."""
    held = [f"(instr({table}f_{name}, ?) > 0)" for name in _FIELDS]
    return held, " OR ".join(f"{table}f_{name} = ?" for name in _FIELDS)


def _phrase(gram: str) -> str:
    """A gram as an FTS5 string, which nothing in it can end or turn into syntax."""
    return '"' + gram.replace('"', '""') + '"'


def _with_crc(value: Any) -> tuple[str, int]:
    text = _dumps(value)
    return text, zlib.crc32(text.encode())


def _load(text: str, crc: int) -> Any:
    if zlib.crc32(text.encode()) != crc:
        raise Damaged("checksum mismatch")
    try:
        return json.loads(text)
    except ValueError:
        raise Damaged("unparsable row") from None


def _healing(method: F) -> F:
    """Run a lookup; if the cache turns out damaged, rebuild it and run the lookup again."""

    @functools.wraps(method)
    def heal(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, Damaged):
            self._rebuild()
            return method(self, *args, **kwargs)

    return cast(F, heal)


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
        "speakers",
        "theme",
        "voice",
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
    ) -> None:
        self.areas, self.article, self.kinds, self.category = areas, article, kinds, category
        self.theme, self.year, self.entity, self.metric = theme, year, entity, metric
        self.has_figures, self.ids = has_figures, ids
        self.voice, self.speakers = voice, speakers  # whose words: a Voice, person ids

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
        if self.speakers:  # no column of its own: read from the record's JSON (json1, in every SQLite)
            sql.append(f"json_extract({prefix}.json, '$.speaker') IN ({','.join('?' * len(self.speakers))})")
            params.extend(self.speakers)
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
        return (" WHERE " + " AND ".join(sql)) if sql else "", params

    def holds(self, r: RecordRow) -> bool:
        """Whether a record, as its JSON says, meets every condition: an answer from the
        indexed columns is checked against it, so a damaged column cannot add a record."""
        return (
            (not self.areas or r["area"] in self.areas)
            and (not self.kinds or r["kind"] in self.kinds)
            and (not self.ids or r["id"] in self.ids)
            and self.article in (None, r["article"])
            and self.category in (None, r["category"])
            and self.year in (None, r["year"])
            and self.voice in (None, r["voice"])
            and (not self.speakers or r["speaker"] in self.speakers)
            and (self.has_figures is None or self.has_figures == bool(r["figures"]))
            and (self.theme is None or self.theme in r["themes"])
            and (self.entity is None or self.entity in r["entities"])
            and (self.metric is None or any(f["metric"] == self.metric for f in r["figures"]))
        )


class Store:
    """Read access to one knowledge base; every method answers from the cache's tables."""

    def __init__(
        self, conn: sqlite3.Connection, data_dir: Path | None = None, file: tuple[str, str] | None = None
    ) -> None:
        self.conn = conn
        self.data_dir = data_dir
        # The cache file and its stamp when opened: a file vouched for as sound is not checked
        # whole on an empty answer (12 s at 1000x the article), unless it changed since.
        self.file = file
        self._memo: dict[str, Any] = {}

    # -- integrity, inside -------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Replace a damaged cache by a fresh build (in memory if it cannot be written)."""
        if self.data_dir is None:
            raise Damaged("no knowledge base to rebuild from")
        fresh = _build(self.data_dir)
        self.conn, self.file, self._memo = fresh.conn, fresh.file, {}

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        """Rows' JSON, each checked; an empty answer only once the whole cache is found sound."""
        rows = [_load(text, crc) for text, crc in self.conn.execute(sql, tuple(params))]
        if not rows:
            self._sound()
        return rows

    def _sound(self) -> None:
        """Check every row against its checksum, and SQLite's own structure: once per run, and
        not at all in a cache file vouched for since it last changed (`_vouch`).

        Lookups by id go through indexes that the row checksums do not cover, so a damaged
        cache could answer "not found" for a row it holds; this runs before any such answer.
        """
        if self._memo.get("sound") or (self.file is not None and _vouched(*self.file)):
            return
        if self.conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise Damaged("quick_check failed")
        for table in (
            "items",
            "articles",
            "appearances",
            "errata",
            "records",
            "figures",
            "entities",
            "frameworks",
            "docs",
        ):
            for text, crc in self.conn.execute(f"SELECT json, crc FROM {table}"):
                _load(text, crc)
        mask = (1 << _TYPE_BITS) - 1
        codes = " ".join(f"WHEN {_sql_text(t)} THEN {code}" for t, code in _TYPE_CODE.items())
        if self.conn.execute(
            f"SELECT 1 FROM docs WHERE doc & {mask} IS NOT CASE type {codes} END"
        ).fetchone():
            raise Damaged("docs numbers")  # search weighs a document's type by its number
        for hay, crc, *folded in self.conn.execute(
            f"SELECT hay, hay_crc, {', '.join('f_' + name for name in _FIELDS)} FROM docs"
        ):
            # The folded fields search matches in SQL must be the haystack's own.
            if tuple(_load(hay, crc)["fields"][name] for name in _FIELDS) != tuple(folded):
                raise Damaged("docs row folded fields")
        for kind, name, ident, crc in self.conn.execute("SELECT kind, name, id, crc FROM names"):
            if zlib.crc32(f"{kind}\0{name}\0{ident}".encode()) != crc:
                raise Damaged(f"names row {name!r}")
        tally = self.conn.execute(
            "SELECT json, crc FROM items WHERE kind = 'tally' AND id = 'names'"
        ).fetchone()
        names = self.conn.execute("SELECT count(*) FROM names").fetchone()[0]
        if tally is None or _load(*tally) != names:
            raise Damaged("names rows missing or added")
        self._derived_sound()
        self._memo["sound"] = True
        if self.file is not None:
            path, stamp = self.file
            with _quietly():
                if _file_stamp(path) == stamp:  # unchanged while it was checked
                    _vouch(path, stamp)

    def _derived_sound(self) -> None:
        """The columns and link tables that filters read must say what the records' JSON says: a
        row lost from `mentions` would otherwise answer "no record names this entity"."""
        columns: set[tuple[Any, ...]] = set()
        links: dict[str, set[tuple[str, str]]] = {t: set() for t in ("mentions", "record_themes", "follows")}
        former: dict[str, str] = {}
        figures: list[tuple[Any, ...]] = []
        for text, crc in self.conn.execute("SELECT json, crc FROM records ORDER BY seq"):
            r = _load(text, crc)
            ident = r["id"]
            columns.add(
                (
                    ident,
                    r["article"],
                    r["area"],
                    r["kind"],
                    r["category"],
                    r["year"],
                    r["voice"],
                    len(r["figures"]),
                )
            )
            links["mentions"] |= {(e, ident) for e in r["entities"]}
            links["record_themes"] |= {(t, ident) for t in r["themes"]}
            links["follows"] |= {(t, ident) for t in r["follows"]}
            for old in r["formerly"]:
                former.setdefault(old, ident)
            figures += [(ident, f["metric"], f["role"], f["unit"], f["year"]) for f in r["figures"]]
        query = "SELECT id, article, area, kind, category, year, voice, figures FROM records"
        if set(self.conn.execute(query)) != columns:
            raise Damaged("records columns")
        for table, expected in links.items():
            if set(self.conn.execute(f"SELECT * FROM {table}")) != expected:
                raise Damaged(f"{table} rows")
        if dict(self.conn.execute("SELECT old, id FROM formerly")) != former:
            raise Damaged("formerly rows")
        query = "SELECT record, metric, role, unit, year FROM figures ORDER BY seq"
        if list(self.conn.execute(query)) != figures:
            raise Damaged("figures columns")

    def _memoised(self, key: str, load: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = load()
        value: T = self._memo[key]
        return value

    def _items(self, kind: str) -> list[Any]:
        return self._memoised(
            kind, lambda: self._rows("SELECT json, crc FROM items WHERE kind = ? ORDER BY seq", (kind,))
        )

    # -- articles, areas, people, sections, metrics, topics, themes, errata --------------------

    @_healing
    def key(self) -> str:
        return str(self._rows("SELECT json, crc FROM items WHERE kind = 'key'")[0])

    @_healing
    def articles(self) -> list[ArticleRef]:
        """Every article, oldest first."""
        return cast(
            "list[ArticleRef]",
            self._memoised("articles", lambda: self._rows("SELECT json, crc FROM articles ORDER BY seq")),
        )

    @_healing
    def areas(self) -> list[Row]:
        return self._items("area")

    @_healing
    def area(self, slug: str) -> Row | None:
        return next((a for a in self._items("area") if a["slug"] == slug), None)

    @_healing
    def appearances(self, area: str | None = None) -> list[Row]:
        """Where areas are interviewed or reported (area, article, section, interviewee), oldest
        article first; of one area, or of all."""
        if area is None:
            return self._memoised(
                "appearances", lambda: self._rows("SELECT json, crc FROM appearances ORDER BY seq")
            )
        return self._rows("SELECT json, crc FROM appearances WHERE area = ? ORDER BY seq", (area,))

    @_healing
    def interview(self, area: str, article: str | None = None) -> Row | None:
        """The newest appearance of an area with an interviewee (in one article, if given): read
        from the newest back, so 1,000 articles about an area cost one row, not 1,000."""
        sql = "SELECT json, crc FROM appearances WHERE area = ?"
        params: list[Any] = [area]
        if article is not None:
            sql += " AND article = ?"
            params.append(article)
        for text, crc in self.conn.execute(sql + " ORDER BY seq DESC", params):
            row: Row = _load(text, crc)
            if row["interviewee"]:
                return row
        self._sound()  # "none" only from a sound cache
        return None

    @_healing
    def article(self, ident: str) -> ArticleRef | None:
        found = self._rows("SELECT json, crc FROM articles WHERE id = ?", (ident,))
        return cast("ArticleRef", found[0]) if found else None

    @_healing
    def article_ids(self) -> list[str]:
        """Every article's id, oldest first, without reading the articles."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY seq")]

    @_healing
    def latest(self, areas: Sequence[str] = ()) -> str | None:
        """The newest article in which any of the areas appears (the newest of all without areas)."""
        if areas:
            marks = ",".join("?" * len(areas))
            sql = f"SELECT article FROM appearances WHERE area IN ({marks}) ORDER BY seq DESC LIMIT 1"
            row = self.conn.execute(sql, list(areas)).fetchone()
        else:
            row = self.conn.execute("SELECT id FROM articles ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else None

    @_healing
    def people(self) -> dict[str, PersonRef]:
        return self._memoised("people", lambda: {p["id"]: p for p in self._items("person")})

    @_healing
    def sections(self) -> dict[str, Row]:
        return self._memoised("sections", lambda: {s["id"]: s for s in self._items("section")})

    @_healing
    def metrics(self) -> dict[str, Row]:
        return self._memoised("metrics", lambda: {m["id"]: m for m in self._items("metric")})

    @_healing
    def topics(self) -> list[Row]:
        return self._items("topic")

    @_healing
    def themes(self) -> list[Row]:
        return self._items("theme")

    @_healing
    def errata(self, ids: Iterable[str]) -> list[Row]:
        """The errata with these ids, in declaration order."""
        wanted = list(ids)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        return self._rows(f"SELECT json, crc FROM errata WHERE id IN ({marks}) ORDER BY seq", wanted)

    @_healing
    def assessments(self) -> list[Row]:
        return self._items("assessment")

    @_healing
    def named(self, kind: str, folded: str) -> str | None:
        """The id an area or entity name (folded) stands for; None only if it names nothing."""
        row = self.conn.execute(
            "SELECT id, crc FROM names WHERE kind = ? AND name = ?", (kind, folded)
        ).fetchone()
        if row is None:
            self._sound()
            return None
        if zlib.crc32(f"{kind}\0{folded}\0{row[0]}".encode()) != row[1]:
            raise Damaged(f"names row {folded!r}")
        return str(row[0])

    @_healing
    def names(self, kind: str) -> dict[str, str]:
        """Every folded name of areas or entities, for suggestions when a lookup misses."""
        return dict(self.conn.execute("SELECT name, id FROM names WHERE kind = ?", (kind,)).fetchall())

    # -- records and figures -----------------------------------------------------------------

    @_healing
    def records(self, select: Select | None = None) -> list[RecordRow]:
        """Records in article order, filtered in SQL so a large knowledge base is not scanned."""
        chosen = select or Select()
        where, params = chosen.where()
        found = cast(
            "list[RecordRow]",
            self._rows(f"SELECT r.json, r.crc FROM records r{where} ORDER BY r.seq", params),
        )
        if not all(chosen.holds(r) for r in found):
            raise Damaged("a record that its filter columns misplace")
        return found

    @_healing
    def record(self, ident: str) -> RecordRow | None:
        """A record by its id, or by an id it had before."""
        found = self._rows(  # a current id before a former one
            "SELECT json, crc FROM records WHERE id = ? OR id = (SELECT id FROM formerly WHERE old = ?)"
            " ORDER BY id <> ?",
            (ident, ident, ident),
        )
        return cast("RecordRow", found[0]) if found else None

    @_healing
    def record_ids(self, prefix: str = "") -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM records WHERE id >= ? AND id < ? ORDER BY id", (prefix, prefix + "\uffff")
        )
        return [r[0] for r in rows]

    @_healing
    def figures(self, select: Select | None = None, metrics: Sequence[str] = ()) -> list[FigureLine]:
        """Figures of the selected records (of the given metrics), in article order."""
        where, params = (select or Select()).where()
        if metrics:
            where += (" AND " if where else " WHERE ") + f"f.metric IN ({','.join('?' * len(metrics))})"
            params += list(metrics)
        sql = f"SELECT f.json, f.crc FROM figures f JOIN records r ON r.id = f.record{where} ORDER BY f.seq"
        return cast("list[FigureLine]", self._rows(sql, params))

    @_healing
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
        columns = {
            "area": "r.area",
            "article": "r.article",
            "kind": "r.kind",
            "category": "r.category",
            "year": "r.year",
            "voice": "r.voice",
            "speaker": "json_extract(r.json, '$.speaker')",
            "theme": "t.theme",
            "entity": "m.entity",
            "metric": "f.metric",
            "role": "f.role",
            "unit": "f.unit",
            "verdict": "v.verdict",
        }
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
            tally = "COUNT(DISTINCT r.id)"  # a record with two figures of a metric is one record
            if pledges:
                marks = ",".join("?" * len(pledges))
                tally += f", COUNT(DISTINCT CASE WHEN r.kind IN ({marks}) THEN r.id END)"
                params = [*pledges, *params]
        if total:
            return [
                tuple(self.conn.execute(f"SELECT {tally} FROM records r{joins}{where}", params).fetchone())
            ]
        sql = f"SELECT {picked}, {tally} FROM records r{joins}{where} GROUP BY {picked} ORDER BY {picked}"
        return [tuple(row) for row in self.conn.execute(sql, params)]

    @_healing
    def count(self, select: Select | None = None) -> int:
        """How many records a selection holds (without reading them)."""
        where, params = (select or Select()).where()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM records r{where}", params).fetchone()[0])

    @_healing
    def verdicts(self) -> dict[str, Row]:
        """Each pledge's verdict as computed at build time from figures and assessments."""
        return self._memoised(
            "verdicts",
            lambda: {v["record"]: v for v in self._rows("SELECT json, crc FROM verdicts ORDER BY seq")},
        )

    @_healing
    def followers(self, target: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT record FROM follows WHERE target = ? ORDER BY record", (target,)
            )
        ]

    # -- entities and frameworks -------------------------------------------------------------

    @_healing
    def entities(self, ids: Iterable[str] | None = None) -> list[Row]:
        """All entities, or those with the given ids, in declaration order."""
        if ids is None:
            return self._rows("SELECT json, crc FROM entities ORDER BY seq")
        wanted = list(ids)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        return self._rows(f"SELECT json, crc FROM entities WHERE id IN ({marks}) ORDER BY seq", wanted)

    @_healing
    def mentions(self, entity: str) -> list[RecordRow]:
        """Records that name an entity, in article order."""
        return cast(
            "list[RecordRow]",
            self._rows(
                "SELECT r.json, r.crc FROM mentions m JOIN records r ON r.id = m.record"
                " WHERE m.entity = ? ORDER BY r.seq",
                (entity,),
            ),
        )

    @_healing
    def mention_summary(self) -> dict[str, tuple[list[str], list[str], int]]:
        """Entity id -> (the areas whose records name it, the articles, how many records)."""
        out: dict[str, tuple[list[str], list[str], int]] = {}
        rows = self.conn.execute(
            "SELECT m.entity, r.area, r.article FROM mentions m JOIN records r ON r.id = m.record"
            " ORDER BY r.seq"
        )
        for entity, area, article in rows:
            areas, articles, count = out.get(entity, ([], [], 0))
            if area not in areas:
                areas.append(area)
            if article not in articles:
                articles.append(article)
            out[entity] = (areas, articles, count + 1)
        return out

    @_healing
    def frameworks(self, area: str | None = None, article: str | None = None) -> list[FrameworkOut]:
        sql, params = "SELECT json, crc FROM frameworks", []
        conditions = []
        for column, value in (("area", area), ("article", article)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        return cast("list[FrameworkOut]", self._rows(sql + " ORDER BY seq", params))

    # -- search --------------------------------------------------------------------------------

    @_healing
    def candidates(
        self, grams: list[str], select: Select | None = None, types: Sequence[str] = ()
    ) -> Iterator[tuple[int, str, Any]]:
        """(doc, type, folded texts) of documents holding every gram, for search to confirm."""
        where, params = self._doc_filter(grams, select, types)
        sql = "SELECT d.doc, d.type, d.hay, d.hay_crc FROM docs d" + (
            f" WHERE {' AND '.join(where)}" if where else ""
        )
        found = False
        for doc, type_, text, crc in self.conn.execute(sql + " ORDER BY d.doc", params):
            found = True
            yield doc, type_, _load(text, crc)
        if not found:
            self._sound()

    @_healing
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
        rows = self.conn.execute(sql + " ORDER BY d.doc", [folded] * (2 * len(_FIELDS)) + params)
        found = [
            (doc, type_, tuple(bool(x) for x in rest[:-1]), bool(rest[-1])) for doc, type_, *rest in rows
        ]
        if not any(any(flags) for _, _, flags, _ in found):
            self._sound()
        return found

    @_healing
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
        gains = [*(weights[name] for name in _FIELDS), whole]
        limit = min(limit, 2**62)  # a limit beyond SQLite's integers is no limit
        if grams == [folded]:
            total, top = self._ranked_by_index(folded, select, gains, kinds, limit)
        else:
            total, top = self._ranked_by_text(folded, grams, select, gains, kinds, limit)
        if not top:
            self._sound()
            return 0, []
        return total, top

    def _ranked_by_index(
        self, gram: str, select: Select | None, gains: list[int], kinds: Mapping[str, int], limit: int
    ) -> tuple[int, list[tuple[int, str, int, tuple[bool, ...]]]]:
        """A query that is one gram, ranked from the index alone: a field's column holds the gram
        exactly where the field holds the text (search.field_grams), `whole` where a field is it,
        and a document's number gives its type. Only the rows shown (confirmed on them) and a
        filter read the documents' rows.

        The matches of each column come as one bit of `held`; the count is a query of its own,
        which costs less than counting the ranked rows (7,001 documents at 1000x)."""
        columns = [*_FIELDS, "whole"]
        phrase = _phrase(gram)
        hits = " UNION ALL ".join(
            f"SELECT rowid AS doc, {1 << i} AS bit FROM grams WHERE grams MATCH ?"
            for i in range(len(columns))
        )
        mask = (1 << _TYPE_BITS) - 1
        kind = " ".join(f"WHEN {_TYPE_CODE[t]} THEN {w}" for t, w in kinds.items())
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
        self._confirm(gram, {doc: held for doc, held, _ in rows})
        named = {code: t for t, code in _TYPE_CODE.items()}
        return total, [
            (doc, named[doc & mask], int(p), tuple(bool(held >> i & 1) for i in range(len(_FIELDS))))
            for doc, held, p in rows
        ]

    def _confirm(self, gram: str, shown: dict[int, int]) -> None:
        """The documents an answer shows must hold the gram where the index says, be of the type
        their number says, and be whole where it says: an index is not covered by the rows'
        checksums, so a damaged one is found here (and the cache rebuilt) rather than shown."""
        flags, whole = _holding("")
        held = ", ".join(flags)
        mask = (1 << _TYPE_BITS) - 1
        docs = list(shown)
        found: dict[int, int] = {}
        for start in range(0, len(docs), 500):
            chunk = docs[start : start + 500]
            rows = self.conn.execute(
                f"SELECT doc, type, {held}, {whole} FROM docs WHERE doc IN ({','.join('?' * len(chunk))})",
                [*[gram] * (2 * len(_FIELDS)), *chunk],
            )
            for doc, type_, *flags in rows:
                if _TYPE_CODE.get(type_) != doc & mask:
                    raise Damaged("search index: a document's type")
                found[doc] = sum(1 << i for i, flag in enumerate(flags) if flag)
        if found != shown:
            raise Damaged("search index: what a document holds")

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
        flags = ", ".join(f"h{i}" for i in range(len(_FIELDS)))
        sql = (
            f"SELECT doc, type, points, {flags}, count(*) OVER () FROM ({inner})"
            f" WHERE {' OR '.join(f'h{i}' for i in range(len(_FIELDS)))} ORDER BY points DESC, doc LIMIT ?"
        )
        rows = self.conn.execute(sql, [folded] * (3 * len(_FIELDS)) + params + [limit]).fetchall()
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
        if types:
            where.append(f"d.type IN ({','.join('?' * len(types))})")
            params.extend(types)
        return where, params

    @_healing
    def documents(self, docs: list[int]) -> dict[int, Row]:
        if not docs:
            return {}
        marks = ",".join("?" * len(docs))
        rows = self.conn.execute(f"SELECT doc, json, crc FROM docs WHERE doc IN ({marks})", docs)
        return {doc: _load(text, crc) for doc, text, crc in rows}


# -- building ------------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE items (kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, article TEXT NOT NULL,
    area TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, year INTEGER NOT NULL,
    voice TEXT NOT NULL, figures INTEGER NOT NULL, json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE INDEX records_area ON records (area, article, kind);
CREATE INDEX records_article ON records (article, kind);
CREATE TABLE formerly (old TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE figures (seq INTEGER PRIMARY KEY, record TEXT NOT NULL, metric TEXT NOT NULL,
    role TEXT NOT NULL, unit TEXT, year INTEGER NOT NULL, json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE INDEX figures_metric ON figures (metric);
CREATE INDEX figures_record ON figures (record);
CREATE TABLE record_themes (theme TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (theme, record))
    WITHOUT ROWID;
CREATE INDEX record_themes_record ON record_themes (record);
CREATE TABLE entities (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL,
    crc INTEGER NOT NULL);
CREATE TABLE mentions (entity TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (entity, record))
    WITHOUT ROWID;
CREATE INDEX mentions_record ON mentions (record);
CREATE TABLE frameworks (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, area TEXT NOT NULL,
    article TEXT NOT NULL, json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE follows (target TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (target, record))
    WITHOUT ROWID;
CREATE TABLE verdicts (seq INTEGER PRIMARY KEY, record TEXT UNIQUE NOT NULL, verdict TEXT NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL,
    crc INTEGER NOT NULL);
-- Every article's id in order without reading the articles (1,000 of them at 1000x).
CREATE INDEX articles_order ON articles (seq, id);
CREATE TABLE appearances (seq INTEGER PRIMARY KEY, area TEXT NOT NULL, article TEXT NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE INDEX appearances_area ON appearances (area, seq);
CREATE INDEX appearances_article ON appearances (area, article, seq);
CREATE TABLE errata (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL,
    crc INTEGER NOT NULL);
CREATE TABLE names (kind TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, crc INTEGER NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
CREATE TABLE docs (doc INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, article TEXT,
    area TEXT, kind TEXT, category TEXT, hay TEXT NOT NULL, hay_crc INTEGER NOT NULL,
    json TEXT NOT NULL, crc INTEGER NOT NULL, f_id TEXT NOT NULL, f_zh TEXT NOT NULL,
    f_quote TEXT NOT NULL, f_en TEXT NOT NULL, f_pinyin TEXT NOT NULL);
CREATE INDEX docs_article ON docs (article);
CREATE INDEX docs_area ON docs (area);
-- lycli makes and folds the grams itself (search.field_grams): the 'ascii' tokenizer only splits
-- them at the spaces, with no Unicode tables of its own to disagree with Python's.
CREATE VIRTUAL TABLE grams USING fts5 (id, zh, quote, en, pinyin, whole, content = '',
    detail = column, columnsize = 0, tokenize = 'ascii');
"""


def open_store(data_dir: Path) -> Store:
    """The knowledge base's cache, built first if it is missing, stale, damaged or untrusted."""
    return open_cached(data_dir) or _build(data_dir)


def open_cached(data_dir: Path) -> Store | None:
    """The knowledge base's cache if it is current and sound to open; None, never a build."""
    directory = _private_dir()
    if directory is not None:
        real = os.path.realpath(data_dir)
        with _quietly():
            key = _known_key(directory, real)
            path = os.path.join(directory, f"kb-{key}.sqlite")
            if key is not None and _trusted_file(path):
                try:
                    conn, stamp = _connect(path)
                    store = Store(conn, data_dir, (path, stamp) if stamp else None)
                    if store.conn.execute(
                        "SELECT json, crc FROM items WHERE kind = 'key'"
                    ).fetchone() == _with_crc(key):
                        return store
                    store.conn.close()
                except sqlite3.DatabaseError:
                    pass
    return None


def _build(data_dir: Path) -> Store:
    """Build into a private temporary file and rename it into place; in memory if that fails."""
    import signal
    import tempfile

    directory = _private_dir()
    tmp: str | None = None
    previous = signal.getsignal(signal.SIGTERM) if hasattr(signal, "SIGTERM") else None
    try:
        if directory is None:
            raise OSError("no usable cache directory")
        _sweep(directory)
        if previous in (signal.SIG_DFL, None):
            # Killed mid-build: leave through the finally below, which removes the file.
            signal.signal(signal.SIGTERM, _terminate)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", suffix=".tmp", dir=directory)
        os.close(fd)
        conn = sqlite3.connect(tmp)
        try:
            reading = build(conn, data_dir)
        finally:
            conn.close()
        real = os.path.realpath(data_dir)
        old = _known_key(directory, real, fresh=False)
        path = os.path.join(directory, f"kb-{reading.digest}.sqlite")
        os.replace(tmp, path)
        tmp = None
        conn, stamp = _connect(path)
        if stamp:
            _vouch(path, stamp)  # built here and now: sound until it changes
        _remember(directory, real, reading)
        if old and old != reading.digest and old not in _keys_in_use(directory):
            # This directory's old cache is stale now: never let the cache grow with each edit
            # (unless a copy of the knowledge base elsewhere still uses it).
            _discard(os.path.join(directory, f"kb-{old}.sqlite"))
        return Store(conn, data_dir, (path, stamp) if stamp else None)
    except (OSError, sqlite3.OperationalError):
        memory = sqlite3.connect(":memory:")
        build(memory, data_dir)
        return Store(memory, data_dir)
    finally:
        if previous is not None and hasattr(signal, "SIGTERM"):
            with _quietly():
                signal.signal(signal.SIGTERM, previous)
        if tmp is not None:
            with _quietly():
                os.unlink(tmp)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _keys_in_use(directory: str) -> set[str]:
    """The content keys that pointers of existing knowledge bases name."""
    keys: set[str] = set()
    with _quietly(), os.scandir(directory) as entries:
        for entry in entries:
            if entry.name.startswith("dir-") and entry.name.endswith(".key"):
                read = _read_pointer(entry.path)
                if read and "key" in read[0]:
                    keys.add(read[0]["key"])
    return keys


def _sweep(directory: str) -> None:
    """Remove what a killed build left, pointers of knowledge bases that are gone, caches no
    pointer names (all old enough not to be a running build's), and vouchers of gone caches."""
    import time

    now = time.time()
    with _quietly(), os.scandir(directory) as entries:
        listing = [e for e in entries if e.is_file(follow_symlinks=False)]

    def old(entry: os.DirEntry[str]) -> bool:
        return now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS

    for entry in listing:
        with _quietly():
            if entry.name.startswith((".kb-", ".tmp-")) and old(entry):
                os.unlink(entry.path)
            elif entry.name.startswith("dir-") and entry.name.endswith(".key"):
                read = _read_pointer(entry.path)
                where = (
                    bytes.fromhex(read[0].get("path", "")).decode("utf-8", "surrogateescape") if read else ""
                )
                if read is not None and not os.path.isdir(where):
                    os.unlink(entry.path)  # its knowledge base was moved or deleted
    used = _keys_in_use(directory)
    for entry in listing:
        if entry.name.startswith("kb-") and entry.name.endswith(".sqlite"):
            with _quietly():
                if entry.name[3:-7] not in used and old(entry):
                    _discard(entry.path)
    for entry in listing:
        if entry.name.startswith("kb-") and entry.name.endswith(".sound"):
            with _quietly():
                if not os.path.exists(entry.path.removesuffix(".sound") + ".sqlite"):
                    os.unlink(entry.path)  # vouches for a cache file that is gone


def build(conn: sqlite3.Connection, data_dir: Path) -> Reading:
    """Validate the knowledge base (raising on any problem) and fill the cache's tables."""
    from liaoyuan_cli.errors import InvalidKnowledgeBase
    from liaoyuan_cli.kb import read

    conn.executescript(_TABLES)
    conn.execute("ATTACH DATABASE '' AS staging")
    conn.execute(
        "CREATE TABLE staging.raw (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, id TEXT, json TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX staging.raw_id ON raw (key, id)")
    # Items of a kind in the order read, from the index: no sort holding every entity's JSON.
    conn.execute("CREATE INDEX staging.raw_key ON raw (key)")
    sink = _Staging(conn)
    reading = read(data_dir, sink)
    if reading.problems:
        raise InvalidKnowledgeBase(reading.problems, str(data_dir))
    reading.sources.clear()  # the texts proved the quotes; the cache is built without them
    _give_back_memory()
    _Finisher(conn, reading.digest).run()
    conn.commit()
    conn.execute("DETACH DATABASE staging")
    return reading


def _give_back_memory() -> None:
    """Hand what the read freed back to the system before the tables are built: glibc keeps
    freed heap memory for reuse, about 40 MiB at 1000x the article, which the build's second
    half would otherwise pile its own on top of (the peak fell from 197 to 189 MiB there)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (ImportError, OSError, AttributeError):  # no ctypes, or not glibc (musl has no malloc_trim)
        pass


class _Staging:
    """A kb.Sink that writes each validated item to a staging table as it comes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.seq = 0

    def add(self, key: str, item: Any, where: Where) -> None:
        self.seq += 1
        ident = getattr(item, "id", None)
        self.conn.execute(
            "INSERT INTO staging.raw VALUES (?, ?, ?, ?)",
            (self.seq, key, ident, _dumps(item.model_dump(mode="json"))),
        )

    def record(self, ident: str) -> Any:
        from liaoyuan_cli.models import Record

        found = self.conn.execute(
            "SELECT json FROM staging.raw WHERE key = 'records' AND id = ?", (ident,)
        ).fetchone()
        return Record.model_validate_json(found[0]) if found else None


class _Finisher:
    """Derive the cache's tables from the staged items: what every query reads, ready to print."""

    SMALL = (
        "articles",
        "people",
        "areas",
        "sections",
        "errata",
        "topics",
        "metrics",
        "themes",
        "assessments",
    )

    def __init__(self, conn: sqlite3.Connection, key: str) -> None:
        self.conn = conn
        self.key = key
        self.docs = 0
        small = {kind: list(self.staged(kind)) for kind in self.SMALL}
        self.small = small
        self.sections = {s["id"]: s for s in small["sections"]}
        self.metrics = {m["id"]: m for m in small["metrics"]}
        self.spoken: set[tuple[str, str]] = set()  # (area, section) of every record
        self.errata: dict[str, list[Row]] = {}
        for e in small["errata"]:
            self.errata.setdefault(e["article"], []).append(e)

    def staged(self, key: str) -> Iterator[Row]:
        for (text,) in self.conn.execute("SELECT json FROM staging.raw WHERE key = ? ORDER BY seq", (key,)):
            yield json.loads(text)

    def run(self) -> None:
        self._items()
        self._records()
        self._appearances()
        self._verdicts()
        self._entities()
        self._frameworks()
        self._names()

    def _appearances(self) -> None:
        """Where each area appears, oldest article first: the sections about it, then sections of
        other areas (the city's report) holding records of it, so "the latest article of an area"
        is the newest that speaks of it at all."""
        articles = sorted(self.small["articles"], key=lambda a: a["date"]["iso"])
        order = {a["id"]: i for i, a in enumerate(articles)}
        position = {s["id"]: i for i, s in enumerate(self.small["sections"])}
        pairs = {(s["area"], s["id"]) for s in self.small["sections"]} | self.spoken
        rows = []
        for area, section_id in pairs:
            section = self.sections[section_id]
            own = area == section["area"]
            rows.append(
                {
                    "area": area,
                    "article": section["article"],
                    "section": section_id,
                    "kind": section["kind"],
                    "interviewee": section.get("interviewee") if own else None,
                }
            )
        rows.sort(
            key=lambda a: (
                order.get(a["article"], 0),
                a["area"] != self.sections[a["section"]]["area"],
                position[a["section"]],
            )
        )
        self.conn.executemany(
            "INSERT INTO appearances VALUES (?, ?, ?, ?, ?)",
            ((i, a["area"], a["article"], *_with_crc(a)) for i, a in enumerate(rows)),
        )

    def _items(self) -> None:
        """The small tables, one `items` table: articles oldest first."""
        small = self.small
        articles = sorted(small["articles"], key=lambda a: a["date"]["iso"])
        items: list[tuple[str, str, int, Any]] = [("key", "", 0, self.key)]

        items += [("person", p["id"], i, _person_ref(p)) for i, p in enumerate(small["people"])]

        for kind, key, ident in (
            ("area", "areas", "slug"),
            ("section", "sections", "id"),
            ("metric", "metrics", "id"),
            ("topic", "topics", "id"),
            ("theme", "themes", "id"),
            ("assessment", "assessments", "id"),
        ):
            items += [(kind, x[ident], i, x) for i, x in enumerate(small[key])]
        self.conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?, ?, ?)", ((k, i, s, *_with_crc(v)) for k, i, s, v in items)
        )
        self.conn.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?)",
            ((i, a["id"], *_with_crc(_article_ref(a))) for i, a in enumerate(articles)),
        )
        self.conn.executemany(
            "INSERT INTO errata VALUES (?, ?, ?, ?)",
            ((i, e["id"], *_with_crc(e)) for i, e in enumerate(small["errata"])),
        )

    def _records(self) -> None:
        """Records and their figures, read by figures.py, written as they come."""
        from liaoyuan_cli import figures
        from liaoyuan_cli.search import document
        from liaoyuan_cli.text import compact
        from liaoyuan_cli.themes import ThemeRule

        themes = [ThemeRule(t) for t in self.small["themes"]]
        figure_seq = 0
        for seq, r in enumerate(self.staged("records")):
            self.spoken.add((r["area"], r["section"]))
            article = self.sections[r["section"]]["article"]
            quote = compact(r["quote"])
            standing = [e for e in self.errata.get(article, []) if compact(e["printed"]) in quote]
            rows = [figures.row(f, r, article, self.metrics[f["metric"]], standing) for f in r["figures"]]
            record: RecordRow = {
                "id": r["id"],
                "article": article,
                "section": r["section"],
                "area": r["area"],
                "kind": r["kind"],
                "category": r["category"],
                "year": r["year"],
                "zh": r["zh"],
                "en": r["en"],
                "quote": r["quote"],
                "voice": r["voice"],
                "speaker": r.get("speaker"),
                "figures": rows,
                "entities": r["entities"],
                "frameworks": r["frameworks"],
                "themes": [t.id for t in themes if t.holds(r)],
                "follows": r["follows"],
                "formerly": r["formerly"],
                "note_en": r.get("note_en"),
                "errata": [e["id"] for e in standing],
            }
            columns = (
                r["id"],
                article,
                r["area"],
                r["kind"],
                r["category"],
                r["year"],
                r["voice"],
                len(rows),
            )
            self.conn.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, *columns, *_with_crc(record)),
            )
            for fig in rows:
                line = {**fig, "kind": r["kind"], "category": r["category"], "quote": r["quote"]}
                self.conn.execute(
                    "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        figure_seq,
                        r["id"],
                        fig["metric"],
                        fig["role"],
                        fig["unit"],
                        fig["year"],
                        *_with_crc(line),
                    ),
                )
                figure_seq += 1
            many = self.conn.executemany
            many("INSERT OR IGNORE INTO formerly VALUES (?, ?)", ((old, r["id"]) for old in r["formerly"]))
            many(
                "INSERT OR IGNORE INTO record_themes VALUES (?, ?)", ((t, r["id"]) for t in record["themes"])
            )
            many("INSERT OR IGNORE INTO mentions VALUES (?, ?)", ((e, r["id"]) for e in r["entities"]))
            many("INSERT OR IGNORE INTO follows VALUES (?, ?)", ((t, r["id"]) for t in r["follows"]))
            doc = document(
                "record", r["id"], article, r["area"], r["kind"], r["category"], r["zh"], r["en"], r["quote"]
            )
            self._index(doc)

    def _figures_of(self, sql: str, ident: str) -> list[FigureRow]:
        """Figures as the records table holds them, without the record's columns of a figure line."""
        out: list[FigureRow] = []
        for (text,) in self.conn.execute(sql, (ident,)):
            line = json.loads(text)
            for key in ("kind", "category", "quote"):
                del line[key]
            out.append(line)
        return out

    def _verdicts(self) -> None:
        """Each pledge's verdict: recorded by a person (the latest assessment), else computed from
        a later result of the same series, else not yet assessed. Pledges and their followers are
        read back from the tables just written, so no record is held in memory meanwhile."""
        from liaoyuan_cli import tracking

        by_target: dict[str, list[Row]] = {}
        for a in sorted(self.small["assessments"], key=lambda a: str(a["as_of"])):
            by_target.setdefault(a["target"], []).append(a)

        def higher(metric: str) -> bool:
            return bool(self.metrics.get(metric, {}).get("higher_is_better", True))

        dates = {a["id"]: a["date"]["iso"] for a in self.small["articles"]}  # the newest result decides
        pledges = [
            ident
            for (ident,) in self.conn.execute(
                "SELECT id FROM records WHERE kind IN ('target', 'plan') ORDER BY seq"
            )
        ]
        for seq, ident in enumerate(pledges):
            rows = self._figures_of("SELECT json FROM figures WHERE record = ? ORDER BY seq", ident)
            followers = [
                r for (r,) in self.conn.execute("SELECT record FROM follows WHERE target = ?", (ident,))
            ]
            results = self._figures_of(
                "SELECT f.json FROM follows w JOIN figures f ON f.record = w.record"
                " WHERE w.target = ? ORDER BY f.seq",
                ident,
            )
            history = by_target.get(ident, [])
            evidence = {e for a in history for e in a["evidence"]} | set(followers)
            settled = tracking.settle(rows, results, history, higher, dates=dates)
            verdict = settled.verdict
            row = {
                "record": ident,
                "verdict": verdict,
                "source": settled.source,
                "as_of": settled.as_of,
                "comparisons": [{"target": t, "actual": a, "outcome": o} for t, a, o in settled.pairs],
                "evidence": sorted(evidence),
                "history": history,
            }
            self.conn.execute(
                "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?)", (seq, ident, verdict, *_with_crc(row))
            )

    def _entities(self) -> None:
        from liaoyuan_cli.search import document, entity_names

        for seq, e in enumerate(self.staged("entities")):
            self.conn.execute("INSERT INTO entities VALUES (?, ?, ?, ?)", (seq, e["id"], *_with_crc(e)))
            names = entity_names(e)  # its names, and the Chinese its English name spells (search.py)
            self._index(document("entity", e["id"], None, None, None, None, e["zh"], e["en"], names))

    def _frameworks(self) -> None:
        from liaoyuan_cli.search import document

        for seq, f in enumerate(self.staged("frameworks")):
            section = self.sections[f["section"]]
            row = {**f, "area": section["area"], "article": section["article"]}
            self.conn.execute(
                "INSERT INTO frameworks VALUES (?, ?, ?, ?, ?, ?)",
                (seq, f["id"], section["area"], section["article"], *_with_crc(row)),
            )
            zh = f"{f['zh']}：{'、'.join(p['zh'] for p in f['parts'])}" if f["parts"] else f["zh"]
            en = f"{f['en']}: {'; '.join(p['en'] for p in f['parts'])}" if f["parts"] else f["en"]
            self._index(
                document(
                    "framework", f["id"], section["article"], section["area"], None, None, zh, en, f["quote"]
                )
            )

    def _names(self) -> None:
        """Every name an area or entity answers to, folded; an area's misprinted name too (西安安区)."""
        from liaoyuan_cli.text import fold

        areas: dict[str, str] = {}
        for a in self.small["areas"]:
            for name in (a["slug"], a["zh"], a["short_zh"], a["en"], a["pinyin"], *a["aliases"]):
                areas.setdefault(fold(name), a["slug"])
        for e in self.small["errata"]:
            if e.get("reading") and fold(e["reading"]) in areas:
                areas.setdefault(fold(e["printed"]), areas[fold(e["reading"])])

        def found() -> Iterator[tuple[str, str, str]]:
            """Streamed: 100,000 entities have half a million names, never held in a list."""
            yield from (("area", name, slug) for name, slug in areas.items() if name)
            for e in self.staged("entities"):
                for name in (e["id"], e["zh"], e["en"], e["pinyin"], *e["aliases"]):
                    if fold(name):
                        yield ("entity", fold(name), e["id"])

        self.conn.executemany(
            "INSERT OR IGNORE INTO names VALUES (?, ?, ?, ?)",
            ((k, n, i, zlib.crc32(f"{k}\0{n}\0{i}".encode())) for k, n, i in found()),
        )
        # How many names there are: a lost row is otherwise invisible (Store._sound checks).
        count = self.conn.execute("SELECT count(*) FROM names").fetchone()[0]
        self.conn.execute("INSERT INTO items VALUES ('tally', 'names', 0, ?, ?)", _with_crc(count))

    def _index(self, item: Row) -> None:
        from liaoyuan_cli import search

        hay = search.haystack(item)
        columns = (item["type"], item["id"], item["article"], item["area"], item["kind"], item["category"])
        folded = tuple(hay["fields"][name] for name in search.FIELDS)
        doc = self.docs << _TYPE_BITS | _TYPE_CODE[item["type"]]
        self.conn.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc, *columns, *_with_crc(hay), *_with_crc(item), *folded),
        )
        self.conn.execute(
            f"INSERT INTO grams (rowid, {', '.join(_FIELDS)}, whole) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc, *search.field_grams(hay)),
        )
        self.docs += 1


def _article_ref(a: Row) -> ArticleRef:
    return {
        "id": a["id"],
        "title_zh": a["title_zh"],
        "title_en": a["title_en"],
        "title_supplied": a["title_supplied"],
        "session_zh": a["session_zh"],
        "session_en": a["session_en"],
        "publication_zh": a.get("publication_zh"),
        "publication_en": a.get("publication_en"),
        "publication_stated": a.get("publication_stated"),
        "date": a["date"]["iso"],
        "date_precision": a["date"]["precision"],
        "date_inferred": a["date"]["inferred"],
    }


def _person_ref(p: Row) -> PersonRef:
    return {k: p[k] for k in ("id", "zh", "pinyin", "role_zh", "role_en")}  # type: ignore[return-value]
