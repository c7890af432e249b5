"""Building the cache of a knowledge base: validate it (kb.py) and derive the tables every query
reads, with each record's figures already read by figures.py, so that an answer only reads.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

TYPE_CHECKING = False  # typing is not imported at run time: store.py reads this module's
if TYPE_CHECKING:  # constants on every warm call (3 ms)
    import sqlite3
    from typing import Any

    from liaoyuan_cli.errors import Where
    from liaoyuan_cli.kb import Reading
    from liaoyuan_cli.results import ArticleRef, FigureRow, PersonRef, RecordRow

Row = dict[str, "Any"]


# The fields of a search document, as search.FIELDS names them (kept here: search imports pypinyin).
SEARCH_FIELDS = ("id", "zh", "quote", "en", "pinyin")
# A document's number carries its type in its low bits, so that search can weigh the type of
# thousands of matches without reading their rows; numbers still follow the building order.
DOC_TYPES = {"record": 0, "entity": 1, "framework": 2}
# A search document's columns in the docs table, and the texts a record's document reads from its
# row in the records table (search.document's keys, in its order, are these, then the rest).
DOC_COLUMNS = ("type", "id", "article", "area", "kind", "category")
RECORD_TEXTS = ("zh", "en", "quote")
TYPE_BITS = 2


def build(data_dir: str) -> tuple[sqlite3.Connection, bool]:
    """A fresh cache of the knowledge base (raising InvalidKnowledgeBase on any problem), and
    whether it is a placed file: built into a private temporary file, linked into place and
    sealed, the directory's pointer written; in memory where no file can be written."""
    import os
    import sqlite3
    import tempfile

    from liaoyuan_cli import cache

    directory = cache.private_dir()
    tmp: str | None = None
    try:
        if directory is None:
            raise OSError("no usable cache directory")
        cache.sweep(directory)
        fd, tmp = tempfile.mkstemp(prefix=".kb-", suffix=".tmp", dir=directory)
        os.close(fd)
        conn = sqlite3.connect(tmp)
        try:
            reading = fill(conn, data_dir)
        finally:
            conn.close()
        real = os.path.realpath(data_dir)
        old = cache.known_key(directory, real, fresh=False)
        path = cache.cache_file(directory, reading.digest)
        if cache.place(tmp, path):
            tmp = None
        cache.remember(directory, real, reading)
        if old and old != reading.digest and old not in cache.keys_in_use(directory):
            # This directory's old cache is stale now: never let the cache grow with each edit
            # (unless a copy of the knowledge base elsewhere still uses it).
            cache.discard(cache.cache_file(directory, old))
        opened = cache.connect(path) if tmp is None else None
        if opened is not None:
            return opened, True
        # Another run placed it first, or it changed at once: this run reads its own build, which
        # stays readable once removed (the finally below) for as long as it is open.
        return sqlite3.connect(cache.uri(tmp or path) + "?mode=ro&immutable=1", uri=True), False
    except (OSError, sqlite3.OperationalError):
        memory = sqlite3.connect(":memory:")
        fill(memory, data_dir)
        return memory, False
    finally:
        if tmp is not None:
            try:  # noqa: SIM105
                os.unlink(tmp)
            except OSError:
                pass


def last_day(iso: str) -> str:
    """The last day a date of the calendar allows: 2024 -> 2024-12-31, 2024-02 -> 2024-02-29."""
    import calendar

    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return iso
    year, month = parts[0], parts[1] if len(parts) == 2 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


TABLES = """
CREATE TABLE items (kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,
    json TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, article TEXT NOT NULL,
    area TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, year INTEGER NOT NULL,
    voice TEXT NOT NULL, speaker TEXT, figures INTEGER NOT NULL, article_seq INTEGER NOT NULL,
    json TEXT NOT NULL);
CREATE INDEX records_area ON records (area, article, kind);
-- An area's newest article that states pledges (or any kind asked): read from the newest back.
CREATE INDEX records_newest ON records (area, kind, article_seq);
CREATE INDEX records_article ON records (article, kind);
-- facet's counts of records read this index alone, not the rows (1.1 GB at 1000x): 10x faster
CREATE INDEX records_facet ON records (area, category, kind, voice, year, speaker);
CREATE TABLE formerly (old TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE figures (seq INTEGER PRIMARY KEY, record TEXT NOT NULL, metric TEXT NOT NULL,
    role TEXT NOT NULL, unit TEXT, year INTEGER NOT NULL, area TEXT NOT NULL, series TEXT NOT NULL,
    article_seq INTEGER NOT NULL, json TEXT NOT NULL);
-- Each area's newest statement of a series, found per metric without reading the figures.
CREATE INDEX figures_metric ON figures (metric, area, series, article_seq);
CREATE INDEX figures_record ON figures (record);
CREATE TABLE record_themes (theme TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (theme, record))
    WITHOUT ROWID;
CREATE INDEX record_themes_record ON record_themes (record);
-- The misprints standing in each record's quote: a listing's errata without reading its records.
CREATE TABLE record_errata (record TEXT NOT NULL, erratum TEXT NOT NULL, PRIMARY KEY (record, erratum))
    WITHOUT ROWID;
CREATE TABLE entities (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL);
CREATE TABLE mentions (entity TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (entity, record))
    WITHOUT ROWID;
CREATE INDEX mentions_record ON mentions (record);
CREATE TABLE frameworks (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, area TEXT NOT NULL,
    article TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE follows (target TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (target, record))
    WITHOUT ROWID;
CREATE TABLE verdicts (seq INTEGER PRIMARY KEY, record TEXT UNIQUE NOT NULL, verdict TEXT NOT NULL,
    json TEXT NOT NULL);
-- Oldest first (by date, then id); date_end is the last day the date allows (2024-01: 2024-01-31),
-- what --as-of compares; a draft has items still to review (issue 19).
CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, date_end TEXT NOT NULL,
    draft INTEGER NOT NULL, json TEXT NOT NULL);
-- Every article's id in order without reading the articles (1,000 of them at 1000x).
CREATE INDEX articles_order ON articles (seq, id);
CREATE TABLE appearances (seq INTEGER PRIMARY KEY, area TEXT NOT NULL, article TEXT NOT NULL,
    json TEXT NOT NULL);
CREATE INDEX appearances_area ON appearances (area, seq);
CREATE INDEX appearances_article ON appearances (area, article, seq);
CREATE TABLE errata (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL);
CREATE TABLE names (kind TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (kind, name)) WITHOUT ROWID;
-- A search document: its columns, where each word or syllable of its folded fields (f_*) starts
-- (`starts`, search.haystack), and the rest of it (`json`): a record's texts are its row's.
CREATE TABLE docs (doc INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL, article TEXT,
    area TEXT, kind TEXT, category TEXT, starts TEXT NOT NULL,
    json TEXT NOT NULL, f_id TEXT NOT NULL, f_zh TEXT NOT NULL,
    f_quote TEXT NOT NULL, f_en TEXT NOT NULL, f_pinyin TEXT NOT NULL);
CREATE INDEX docs_article ON docs (article);
CREATE INDEX docs_area ON docs (area);
-- lycli makes and folds the grams itself (search.field_grams): the 'ascii' tokenizer only splits
-- them at the spaces, with no Unicode tables of its own to disagree with Python's.
CREATE VIRTUAL TABLE grams USING fts5 (id, zh, quote, en, pinyin, whole, content = '',
    detail = column, columnsize = 0, tokenize = 'ascii');
"""


def fill(conn: sqlite3.Connection, data_dir: str) -> Reading:
    """Validate the knowledge base (raising on any problem) and fill the cache's tables."""
    from liaoyuan_cli.errors import InvalidKnowledgeBase
    from liaoyuan_cli.kb import read

    conn.executescript(TABLES)
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
        self.drafts: set[str] = {
            x["article"] for key in ("people", "errata") for x in self.small[key] if x.get("review")
        } | {self.sections[x["id"]]["article"] for x in self.small["sections"] if x.get("review")}
        self._records()
        self._appearances()
        self._verdicts()
        self._entities()
        self._frameworks()
        self._names()
        self.conn.executemany(
            "UPDATE articles SET draft = 1, json = json_set(json, '$.draft', json('true')) WHERE id = ?",
            ((a,) for a in self.drafts),
        )

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
            "INSERT INTO appearances VALUES (?, ?, ?, ?)",
            ((i, a["area"], a["article"], _dumps(a)) for i, a in enumerate(rows)),
        )

    def _items(self) -> None:
        """The small tables, one `items` table: articles oldest first."""
        small = self.small
        articles = sorted(small["articles"], key=lambda a: (a["date"]["iso"], a["id"]))
        self.article_seq = {a["id"]: i for i, a in enumerate(articles)}
        items: list[tuple[str, str, int, Any]] = [("key", "", 0, self.key)]

        items += [("person", p["id"], i, _person_ref(p)) for i, p in enumerate(small["people"])]
        # Whole, as the knowledge base gives them: what an export writes.
        items += [("person-whole", p["id"], i, p) for i, p in enumerate(small["people"])]
        items += [("article-whole", a["id"], i, a) for i, a in enumerate(articles)]

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
            "INSERT INTO items VALUES (?, ?, ?, ?)", ((k, i, s, _dumps(v)) for k, i, s, v in items)
        )
        self.conn.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?)",
            (
                (i, a["id"], last_day(a["date"]["iso"]), 0, _dumps(_article_ref(a)))
                for i, a in enumerate(articles)
            ),
        )
        self.conn.executemany(
            "INSERT INTO errata VALUES (?, ?, ?)",
            ((i, e["id"], _dumps(e)) for i, e in enumerate(small["errata"])),
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
                "year_inferred": r.get("year_inferred", False),
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
                r.get("speaker"),
                len(rows),
                self.article_seq[article],
            )
            if r.get("review"):
                self.drafts.add(article)
            self.conn.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, *columns, _dumps(record)),
            )
            for fig in rows:
                line = {**fig, "kind": r["kind"], "category": r["category"], "quote": r["quote"]}
                self.conn.execute(
                    "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        figure_seq,
                        r["id"],
                        fig["metric"],
                        fig["role"],
                        fig["unit"],
                        fig["year"],
                        r["area"],
                        fig["series"],
                        self.article_seq[article],
                        _dumps(line),
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
            errata = ((r["id"], e) for e in record["errata"])
            many("INSERT OR IGNORE INTO record_errata VALUES (?, ?)", errata)
            doc = document(
                "record", r["id"], article, r["area"], r["kind"], r["category"], r["zh"], r["en"], r["quote"]
            )
            self._index(doc)

    def _figures_of(self, sql: str, ident: str, seqs: dict[int, int]) -> list[FigureRow]:
        """Figures as the records table holds them, without the record's columns of a figure line;
        `seqs` learns each one's number in the figures table (the export's figure id, less one)."""
        out: list[FigureRow] = []
        for seq, text in self.conn.execute(sql, (ident,)):
            line = json.loads(text)
            for key in ("kind", "category", "quote"):
                del line[key]
            seqs[id(line)] = seq
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
            seqs: dict[int, int] = {}
            rows = self._figures_of(
                "SELECT seq, json FROM figures WHERE record = ? ORDER BY seq", ident, seqs
            )
            followers = [
                r for (r,) in self.conn.execute("SELECT record FROM follows WHERE target = ?", (ident,))
            ]
            results = self._figures_of(
                "SELECT f.seq, f.json FROM follows w JOIN figures f ON f.record = w.record"
                " WHERE w.target = ? ORDER BY f.seq",
                ident,
                seqs,
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
                # For the export: the assessment that stands, and each comparison's figures by number.
                "assessment": settled.assessment["id"] if settled.assessment else None,
                "pairs": [[seqs[id(t)], seqs[id(a)]] for t, a, _ in settled.pairs],
            }
            self.conn.execute("INSERT INTO verdicts VALUES (?, ?, ?, ?)", (seq, ident, verdict, _dumps(row)))

    def _entities(self) -> None:
        from liaoyuan_cli.search import document, entity_names

        for seq, e in enumerate(self.staged("entities")):
            if e.get("review"):
                self.drafts.add(e["article"])
            self.conn.execute("INSERT INTO entities VALUES (?, ?, ?)", (seq, e["id"], _dumps(e)))
            names = entity_names(e)  # its names, and the Chinese its English name spells (search.py)
            self._index(document("entity", e["id"], None, None, None, None, e["zh"], e["en"], names))

    def _frameworks(self) -> None:
        from liaoyuan_cli.search import document

        for seq, f in enumerate(self.staged("frameworks")):
            section = self.sections[f["section"]]
            if f.get("review"):
                self.drafts.add(section["article"])
            row = {**f, "area": section["area"], "article": section["article"]}
            self.conn.execute(
                "INSERT INTO frameworks VALUES (?, ?, ?, ?, ?)",
                (seq, f["id"], section["area"], section["article"], _dumps(row)),
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

        self.conn.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)", found())

    def _index(self, item: Row) -> None:
        from liaoyuan_cli import search

        hay = search.haystack(item)
        columns = tuple(item[name] for name in DOC_COLUMNS)
        folded = tuple(hay["fields"][name] for name in search.FIELDS)
        doc = self.docs << TYPE_BITS | DOC_TYPES[item["type"]]
        # Nothing twice: the columns, the folded fields and a record's texts are held once.
        dropped = DOC_COLUMNS + (RECORD_TEXTS if item["type"] == "record" else ())
        rest = {k: v for k, v in item.items() if k not in dropped}
        self.conn.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc, *columns, _dumps(hay["starts"]), _dumps(rest), *folded),
        )
        self.conn.execute(
            f"INSERT INTO grams (rowid, {', '.join(SEARCH_FIELDS)}, whole) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        "draft": False,  # set once the build has seen every item of it (an open review makes a draft)
    }


def _person_ref(p: Row) -> PersonRef:
    return {k: p[k] for k in ("id", "zh", "pinyin", "role_zh", "role_en")}  # type: ignore[return-value]
