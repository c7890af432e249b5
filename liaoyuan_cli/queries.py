"""The answers: pure functions from the knowledge base to JSON-ready results; never print or exit.

Results are plain dicts shaped exactly like the pydantic models in results.py (the JSON
contract, checked by the tests against `lycli schema`), so that a run on a warm cache never
pays for importing pydantic.
"""

from __future__ import annotations

import os
from collections import Counter
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from liaoyuan_cli.errors import InvalidKnowledgeBase, NotFound, UsageError
from liaoyuan_cli.store import CorruptCache, Row, Store
from liaoyuan_cli.text import compact, display_figure, fold, fold_query, format_number

SCHEMA_VERSION = 1
Result = dict[str, Any]
# Copies of models.RecordKind, Category and EntityKind (a test holds them equal): importing the
# models would import pydantic on every run.
KINDS = ("result", "target", "plan", "view")
CATEGORIES = (
    "economy",
    "industry",
    "projects",
    "investment_attraction",
    "agriculture",
    "ecology",
    "livelihood",
    "culture_tourism",
    "urban_infrastructure",
    "innovation_talent",
    "consumption_services",
    "governance",
    "opening_up",
    "overall",
)
ENTITY_KINDS = (
    "company", "project", "park", "programme", "place", "event", "organisation", "product",
    "document", "region",
)  # fmt: skip
TARGET_KINDS = ("target", "plan")


def _envelope(command: str, **body: Any) -> Result:
    return {"schema_version": SCHEMA_VERSION, "command": command, **body}


def suggest(value: str, choices: list[str], what: str) -> UsageError:
    """`unknown area 'gaoxn' (did you mean gaoxin?)`, with the valid choices if nothing is close."""
    close = get_close_matches(value.casefold(), choices, n=3, cutoff=0.5)
    if close:
        return UsageError(f"unknown {what} {value!r}", hint=f"did you mean {' or '.join(close)}?")
    return UsageError(f"unknown {what} {value!r}", hint=f"choose from: {', '.join(choices)}")


def check_choice(value: str | None, choices: tuple[str, ...], what: str) -> str | None:
    if value is None or value in choices:
        return value
    raise suggest(value, list(choices), what)


# -- areas ----------------------------------------------------------------------------------


def resolve_area(store: Store, name: str) -> Row:
    """An area from any of its names, case-, space- and accent-insensitively."""
    slug = store.name("area", fold(name))
    if slug is None:
        store.verify()  # "unknown" must never be the answer of a damaged cache
        names = store.names("area")
        close = get_close_matches(fold(name), list(names), n=1, cutoff=0.6)
        if close:
            raise UsageError(f"unknown area {name!r}", hint=f"did you mean {names[close[0]]}?")
        slugs = [a["slug"] for a in store.areas()]
        raise UsageError(f"unknown area {name!r}", hint=f"choose from: {', '.join(slugs)}")
    found = store.area(slug)
    if found is None:
        raise CorruptCache(f"names table points at a missing area {slug}")
    return found


def area_ref(store: Store, area: Row) -> Result:
    """An area with its official, as every per-area result carries it."""
    official = store.person(area["official"])
    return {
        "slug": area["slug"],
        "zh": area["zh"],
        "en": area["en"],
        "kind": area["kind"],
        "official": _person(official) if official else None,
    }


def _person(p: Row) -> Result:
    return {
        "id": p["id"],
        "zh": p["zh"],
        "pinyin": p["pinyin"],
        "role_zh": p["role_zh"],
        "role_en": p["role_en"],
    }


def areas(store: Store) -> Result:
    counts: Counter[tuple[str, str]] = Counter((r["area"], r["kind"]) for r in store.records())
    rows = []
    for area in store.areas():
        section = store.section(area["section"]) or {"headline_zh": "", "headline_en": ""}
        rows.append(
            {
                **area_ref(store, area),
                "short_zh": area["short_zh"],
                "pinyin": area["pinyin"],
                "aliases": area["aliases"],
                "headline_zh": section["headline_zh"],
                "headline_en": section["headline_en"],
                "counts": {kind: counts[(area["slug"], kind)] for kind in KINDS},
            }
        )
    return _envelope("areas", areas=rows)


# -- targets and metrics --------------------------------------------------------------------


def _filters(kind: str | None, category: str | None, year: int | None) -> Result:
    if year is not None and not 1000 <= year <= 9999:
        raise UsageError(f"--year {year} is not a year", hint="the article speaks of 2023 and 2024")
    check_choice(kind, KINDS, "kind")
    check_choice(category, CATEGORIES, "category")
    return {"kind": kind, "category": category, "year": year}


def targets(
    store: Store,
    area_name: str,
    kind: str | None = None,
    category: str | None = None,
    year: int | None = None,
) -> Result:
    """An area's 2024 targets and plans (or one kind), each with its figures."""
    area = resolve_area(store, area_name)
    filters = _filters(kind, category, year)
    kinds = (kind,) if kind else TARGET_KINDS
    records = store.records(area=area["slug"], kinds=kinds, category=category, year=year)
    return _envelope(
        "targets",
        area=area_ref(store, area),
        filters=filters,
        records=records,
        errata=misprints(store, records),
    )


def metrics(
    store: Store,
    area_name: str,
    kind: str | None = None,
    category: str | None = None,
    year: int | None = None,
) -> Result:
    """Every typed figure of an area, one row per figure, with what it measures."""
    area = resolve_area(store, area_name)
    filters = _filters(kind, category, year)
    records = store.records(area=area["slug"], kinds=(kind,) if kind else (), category=category)
    rows = [row for r in records for row in figure_rows(store, r) if year is None or row["year"] == year]
    return _envelope("metrics", area=area_ref(store, area), filters=filters, figures=rows)


def figure_rows(store: Store, record: Row) -> list[Result]:
    known = store.metrics()
    rows = []
    for fig in record["figures"]:
        metric = known[fig["metric"]]
        rows.append(
            {
                "record": record["id"],
                "area": record["area"],
                "metric": fig["metric"],
                "metric_zh": metric["zh"],
                "metric_en": metric["en"],
                **{k: v for k, v in fig.items() if k != "metric"},
                "display": display_figure(fig),
            }
        )
    return rows


# -- compare --------------------------------------------------------------------------------


def topics(store: Store) -> dict[str, list[str]]:
    """Topic -> the metrics it gathers, in the order metrics are declared."""
    out: dict[str, list[str]] = {}
    for metric in store.metrics().values():
        for topic in metric["topics"]:
            out.setdefault(topic, []).append(metric["id"])
    return out


def topic_list(store: Store) -> Result:
    """What `lycli compare` knows: each topic with its metrics and how many figures it holds."""
    counts: Counter[str] = Counter(f["metric"] for r in store.records() for f in r["figures"])
    metrics_ = store.metrics()
    rows = [
        {
            "topic": topic,
            "metrics": ids,
            "metrics_en": [metrics_[i]["en"] for i in ids],
            "figures": sum(counts[i] for i in ids),
        }
        for topic, ids in sorted(topics(store).items())
    ]
    return _envelope("topics", topics=rows)


def series_key(fig: Row) -> str:
    """Figures compare only within one series: same metric, year, status, threshold and stage.

    A figure stated only in words (增速领跑全市) joins its metric's series, marked as such.
    """
    threshold = fig.get("threshold")
    th = f"{format_number(threshold['value'])}{threshold['unit']}+" if threshold else "any"
    return f"{fig['metric']}|{fig['year']}|{fig['status']}|{th}|{fig.get('stage') or '-'}"


def compare(store: Store, topic: str) -> Result:
    """One topic across all areas, grouped into series of figures that can be compared."""
    known = topics(store)
    if topic not in known:
        raise suggest(topic, sorted(known), "topic")
    wanted = set(known[topic])
    area_order = {a["slug"]: i for i, a in enumerate(store.areas())}
    series: dict[str, Result] = {}
    for record in store.records():
        for row in figure_rows(store, record):
            if row["metric"] not in wanted:
                continue
            key = series_key(row)
            group = series.setdefault(
                key,
                {
                    "key": key,
                    "metric": row["metric"],
                    "metric_zh": row["metric_zh"],
                    "metric_en": row["metric_en"],
                    "year": row["year"],
                    "status": row["status"],
                    "unit": row["unit"],
                    "threshold": row.get("threshold"),
                    "stage": row.get("stage"),
                    "rows": [],
                },
            )
            group["rows"].append(row)
            group["unit"] = group["unit"] or row["unit"]
    ordered = sorted(
        series.values(),
        key=lambda s: (known[topic].index(s["metric"]), s["year"], s["status"], s["key"]),
    )
    for group in ordered:
        group["rows"].sort(key=lambda r: area_order.get(r["area"], 99))
        siblings = [g for g in ordered if g["metric"] == group["metric"] and g is not group]
        group["comparable"] = _comparability(group, siblings)
    return _envelope("compare", topic=topic, metrics=known[topic], series=ordered, topics=sorted(known))


_DIMENSIONS = (
    ("year", "year"),
    ("status", "result or target"),
    ("threshold", "size threshold"),
    ("stage", "stage"),
)


def _comparability(group: Result, siblings: list[Result]) -> str:
    """Say how far the figures of a series may be compared, and why not further."""
    rows = group["rows"]
    areas = {r["area"] for r in rows}
    notes = []
    if len(areas) < 2:
        notes.append("only one area in this series")
    elif any(r["value"] is None for r in rows):
        notes.append("partly stated without a figure")
    elif {r["comparator"] for r in rows} != {"exact"}:
        notes.append("comparable as bounds only (some figures are minimums)")
    elif group["unit"] == "个" and group["threshold"] is None:
        notes.append("comparable with caution: no size threshold stated, counts may differ in scope")
    else:
        notes.append("comparable")
    differ = sorted({label for g in siblings for key, label in _DIMENSIONS if g[key] != group[key]})
    if differ:
        notes.append(f"other series of this metric differ in {', '.join(differ)}")
    return "; ".join(notes)


# -- records, search, entities ---------------------------------------------------------------


def show(store: Store, record_id: str) -> Result:
    """One record in full, where it stands in the article, and a citation line."""
    found = store.records(ids=[record_id])
    if not found:
        store.verify()
        ids = store.record_ids()
        close = get_close_matches(record_id, ids, n=3, cutoff=0.6)
        raise NotFound(
            f"no record {record_id!r}",
            hint=f"did you mean {' or '.join(close)}?" if close else "`lycli search` finds records by text",
        )
    record = found[0]
    area = store.area(record["area"])
    section = store.section(area["section"]) if area else None
    if area is None or section is None:
        raise CorruptCache(f"record {record_id} points at a missing area or section")
    article = store.article
    reporters = [_person(p) for p in map(store.person, section["reporters"]) if p]
    interviewee = store.person(section["interviewee"])
    entities = store.entities(record["entities"])
    by = f"interview with {interviewee['pinyin']} ({interviewee['zh']}), " if interviewee else ""
    names = ", ".join(f"{r['pinyin']} ({r['zh']})" for r in reporters)
    year = article["date"][:4] + (", year inferred" if article["year_inferred"] else "")
    citation = (
        f"“{section['headline_zh']}” ({section['headline_en']}), {by}reported by {names}; "
        f"{article['session_en']} ({article['session_zh']}), {article['date_stated']} [{year}]. "
        f"Record {record['id']}."
    )
    return _envelope(
        "show",
        record=record,
        figures=figure_rows(store, record),
        area=area_ref(store, area),
        section={k: section[k] for k in ("id", "kind", "headline_zh", "headline_en")},
        interviewee=_person(interviewee) if interviewee else None,
        reporters=reporters,
        entities=[_entity_ref(e) for e in entities],
        errata=misprints(store, [record]),
        citation=citation,
    )


def misprints(store: Store, records: list[Row]) -> list[Result]:
    """The errata that stand in these records' quotes: their text uses the reading, say so."""
    quotes = [compact(r["quote"]) for r in records]
    return [
        {k: e[k] for k in ("id", "printed", "reading", "certainty", "note_en")}
        for e in store.errata()
        if any(compact(e["printed"]) in quote for quote in quotes)
    ]


def _entity_ref(e: Row) -> Result:
    return {"id": e["id"], "kind": e["kind"], "zh": e["zh"], "en": e["en"], "pinyin": e["pinyin"]}


_FIELD_WEIGHT = {"id": 50, "zh": 100, "quote": 60, "en": 80, "pinyin": 70}
_TYPE_WEIGHT = {"entity": 30, "framework": 20, "record": 0}


def _alignment(text: str, starts: str, query: str) -> float:
    """How well the query's best occurrence in text sits on word (or syllable) boundaries.

    1 for whole words, 0.6 for the beginning of a word (a prefix, as typed so far), and no
    match at all inside a word: 'xian' is not in 'xiangmu' (项目) and 'ian' is not in
    'Tianying'. Every Chinese character begins a word.
    """
    best = 0.0
    pos = text.find(query)
    while pos >= 0:
        end = pos + len(query)
        if starts[pos] == "^":
            best = max(best, 1.0 if end == len(text) or starts[end] == "^" else 0.6)
        pos = text.find(query, pos + 1)
    return best


def search(
    store: Store,
    query: str,
    area: str | None = None,
    kind: str | None = None,
    category: str | None = None,
    limit: int = 20,
) -> Result:
    """Records, entities and frameworks matching a query in Chinese, English or pinyin."""
    from liaoyuan_cli.index import query_grams

    folded = fold_query(query)
    if not folded:
        raise UsageError(
            "empty search query", hint="search for Chinese, English or pinyin, e.g. 天楹 or tianying"
        )
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    check_choice(kind, KINDS, "kind")
    check_choice(category, CATEGORIES, "category")
    slug = resolve_area(store, area)["slug"] if area else None
    scored = []
    for doc, type_, hay in store.candidates(query_grams(folded), area=slug, kind=kind, category=category):
        fields, starts = hay["fields"], hay["starts"]
        fit = {name: _alignment(text, starts[name], folded) for name, text in fields.items()}
        matched = [name for name, weight in fit.items() if weight]
        if not matched:
            continue
        score = round(sum(_FIELD_WEIGHT[name] * fit[name] for name in matched)) + _TYPE_WEIGHT[type_]
        if any(fields[name] == folded for name in matched):
            score += 200
        scored.append((score, doc, matched))
    if not scored:
        store.verify()
    scored.sort(key=lambda hit: (-hit[0], hit[1]))
    shown = scored[:limit]
    docs = store.documents([doc for _, doc, _ in shown])
    hits = []
    for score, doc, matched in shown:
        item = docs[doc]
        hits.append(
            {
                "type": item["type"],
                "id": item["id"],
                "area": item["area"],
                "kind": item["kind"],
                "category": item["category"],
                "zh": item["zh"],
                "en": item["en"],
                "matched": matched,
                "highlight": _highlight(item, folded),
                "score": score,
            }
        )
    return _envelope("search", query=query, total=len(scored), hits=hits)


def _highlight(doc: Row, folded: str) -> Result:
    """Character spans of the match in the zh and en texts, for a table to emphasise."""
    spans: Result = {"zh": _span(doc["zh"], folded), "en": _span(doc["en"], folded)}
    if spans["zh"] is None:
        spans["zh"] = _pinyin_span(doc["pinyin"], folded)
    return spans


def _span(text: str, folded: str) -> list[int] | None:
    """Find the folded query in text and map it back to text's own character offsets."""
    kept: list[int] = []
    flat = ""
    for i, ch in enumerate(text):
        f = fold(ch) if ch.isalnum() or ch == "_" else ""
        flat += f
        kept.extend([i] * len(f))
    pos = flat.find(folded)
    if pos < 0:
        return None
    return [kept[pos], kept[pos + len(folded) - 1] + 1]


def _pinyin_span(tokens: list[str], folded: str) -> list[int] | None:
    owner: list[int] = []
    for i, token in enumerate(tokens):
        owner.extend([i] * len(token))
    pos = "".join(tokens).find(folded)
    if pos < 0:
        return None
    return [owner[pos], owner[pos + len(folded) - 1] + 1]


def entities(store: Store, name: str | None = None, kind: str | None = None) -> Result:
    """All entities with the areas that name them; or one entity with every mention."""
    check_choice(kind, ENTITY_KINDS, "entity kind")
    if name is not None and not fold(name):
        raise UsageError("empty entity name", hint="`lycli entities` lists them all")
    summary = store.mention_summary()
    where = {ident: areas for ident, (areas, _) in summary.items()}
    if name is None:
        rows = [
            {
                **_entity_ref(e),
                "aliases": e["aliases"],
                "areas": where.get(e["id"], []),
                "mentions": summary.get(e["id"], ([], 0))[1],
            }
            for e in store.entities()
            if kind is None or e["kind"] == kind
        ]
        return _envelope("entities", entities=rows)
    ident = store.name("entity", fold(name))
    if ident is None:
        store.verify()
        names = store.names("entity")
        partial = sorted({v for k, v in names.items() if fold(name) in k})
        if len(partial) == 1:
            ident = partial[0]
        else:
            close = get_close_matches(fold(name), list(names), n=3, cutoff=0.6)
            options = partial[:5] or [names[c] for c in close]
            raise NotFound(
                f"no entity {name!r}" + (" (ambiguous)" if len(partial) > 1 else ""),
                hint=f"did you mean {' or '.join(options)}?"
                if options
                else "`lycli entities` lists them all",
            )
    entity = store.entities([ident])[0]
    mentions = store.mentions(ident)
    return _envelope(
        "entity",
        entity={
            **_entity_ref(entity),
            "aliases": entity["aliases"],
            "note_en": entity.get("note_en"),
            "quote": entity["quote"],
            "areas": where.get(ident, []),
        },
        mentions=[
            {k: r[k] for k in ("id", "area", "kind", "category", "year", "zh", "en")} for r in mentions
        ],
    )


# -- validation -----------------------------------------------------------------------------


def validate(data_dir: Path) -> Result:
    """Every problem of a knowledge base, read from its TOML (never from a cache)."""
    from liaoyuan_cli import kb

    problems: list[Result] = []
    summary = ""
    try:
        loaded = kb.load(data_dir)
        summary = (
            f"{len(loaded.records)} records, {len(loaded.entities)} entities, "
            f"{len(loaded.frameworks)} frameworks, {len(loaded.areas)} areas"
        )
    except InvalidKnowledgeBase as exc:
        problems = [
            {"file": p.file, "line": p.line, "where": p.where, "message": p.message, "text": str(p)}
            for p in exc.problems
        ]
    shown = os.path.relpath(data_dir)
    return _envelope(
        "validate",
        data_dir=str(data_dir) if shown.startswith("..") else shown,
        ok=not problems,
        summary=summary,
        problems=problems,
    )


# -- summaries ------------------------------------------------------------------------------

THEMES = {
    "new energy": ("新能源", "风光储", "氢", "零碳"),
    "new materials": ("新材料", "碳纤维", "复合材料"),
    "tourism": ("旅游", "文旅", "民宿", "冰雪"),
    "pharmaceuticals": ("医药", "医疗器械"),
    "automotive": ("汽车",),
    "agriculture and food": ("农产品", "肉牛", "食用菌", "梅花鹿", "蛋品", "粮食"),
    "e-commerce and logistics": ("电商", "电子商务", "物流"),
    "elderly care": ("养老", "康养", "银发"),
    "education and health": ("教育", "医疗"),
}


def summarize(store: Store, area_name: str | None = None) -> Result:
    if area_name is not None:
        return _summarize_area(store, resolve_area(store, area_name))
    return _summarize_city(store)


def _summarize_area(store: Store, area: Row) -> Result:
    records = store.records(area=area["slug"])
    headline = [row for r in records if r["kind"] == "result" for row in figure_rows(store, r)]
    targets_ = [row for r in records if r["kind"] != "result" for row in figure_rows(store, r)]
    pledges = Counter(r["category"] for r in records if r["kind"] in TARGET_KINDS)
    mentioned: list[str] = []
    for r in records:
        mentioned.extend(e for e in r["entities"] if e not in mentioned)
    return _envelope(
        "summarize",
        area=area_ref(store, area),
        frameworks=store.frameworks(area["slug"]),
        results=headline,
        targets=targets_,
        pledges_by_category=dict(pledges.most_common()),
        counts={kind: sum(1 for r in records if r["kind"] == kind) for kind in KINDS},
        entities=[_entity_ref(e) for e in store.entities(mentioned)],
    )


def _summarize_city(store: Store) -> Result:
    records = store.records()
    leaders = []
    seen: set[str] = set()
    for topic in ("growth", "gdp", "investment", "projects", "revenue", "attraction"):
        for series in compare(store, topic)["series"]:
            numeric = [r for r in series["rows"] if r["value"] is not None and r["unit"] != "名"]
            if series["key"] in seen or len({r["area"] for r in numeric}) < 2:
                continue
            seen.add(series["key"])
            top = max(numeric, key=lambda r: r["value"])
            leaders.append(
                {
                    "key": series["key"],
                    "metric": series["metric"],
                    "metric_en": series["metric_en"],
                    "year": series["year"],
                    "status": series["status"],
                    "area": top["area"],
                    "display": top["display"],
                    "areas_reporting": len({r["area"] for r in series["rows"]}),
                    "comparable": series["comparable"],
                }
            )
    # Standings the article itself states (全省第十名, 全市第一, 增速领跑全市, 位全市前列).
    standings = [row for r in records for row in figure_rows(store, r) if row.get("scope")]
    themes = []
    for theme, words in THEMES.items():
        hits = [r for r in records if any(w in r["zh"] or w in r["quote"] for w in words)]
        areas_ = sorted({r["area"] for r in hits})
        if len(areas_) >= 2:
            themes.append({"theme": theme, "keywords": list(words), "areas": areas_, "records": len(hits)})
    where = {ident: areas for ident, (areas, _) in store.mention_summary().items()}
    shared = [
        {**_entity_ref(e), "areas": where[e["id"]]}
        for e in store.entities()
        if len(where.get(e["id"], [])) >= 2
    ]
    return _envelope(
        "summarize",
        area=None,
        leaders=leaders,
        standings=standings,
        themes=themes,
        shared_entities=shared,
        counts={kind: sum(1 for r in records if r["kind"] == kind) for kind in KINDS},
    )
