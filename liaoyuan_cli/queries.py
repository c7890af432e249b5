"""The answers: pure functions from the knowledge base to typed results; never print or exit.

Each returns the TypedDict of results.py that its command publishes. They read the knowledge
base through a Store and never learn that it is a cache.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from liaoyuan_cli import SCHEMA_VERSION
from liaoyuan_cli.errors import NotFound, UsageError, suggest
from liaoyuan_cli.store import Select, Window
from liaoyuan_cli.text import counted, fold, fold_query, listed

# The vocabularies (vocab.py) are imported where a value is read: a warm `--json` answer that
# names none of them does not pay for building their classes. typing likewise (3 ms a call).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TypedDict, Unpack, cast

    from liaoyuan_cli.results import (
        AreaRef,
        AreaRow,
        AreasResult,
        AreaSummaries,
        AreaSummary,
        ArticleRef,
        AssessmentOut,
        Cited,
        CiteResult,
        CitySummary,
        Compared,
        CompareResult,
        EntitiesResult,
        EntityRef,
        EntityResult,
        EntityRow,
        ErratumRef,
        Evidence,
        Explain,
        FacetResult,
        FacetRow,
        FigureLine,
        FiguresResult,
        Filters,
        Hit,
        Kinds,
        Leader,
        LinkOut,
        Mention,
        ProblemOut,
        ProjectRow,
        ProjectsResult,
        ProjectStageRow,
        RecordRow,
        RecordsResult,
        SearchResult,
        Series,
        SharedEntity,
        ShowResult,
        ThemeCount,
        ThemeRow,
        ThemesResult,
        TopicRow,
        TopicsResult,
        Tracked,
        TrackResult,
        ValidateResult,
    )
    from liaoyuan_cli.store import Row, Store
    from liaoyuan_cli.vocab import Term

    class Asked(TypedDict, total=False):
        """The filters a listing takes, by the names the command table gives them."""

        areas: Sequence[str]
        article: str | None
        kind: str | None
        category: str | None
        theme: str | None
        year: int | None
        entity: str | None
        metric: str | None
        has_figures: bool | None
        voice: str | None
        speakers: Sequence[str]
        as_of: str | None
        drafts: bool

else:

    def cast(_type: object, value: object) -> object:
        return value  # typing.cast, without importing typing


ALL = "all"
LATEST = "latest"
# The default of what a session's view answers: each area from its own newest article that
# states what is asked (docs/data-model.md, "Which article answers").
NEWEST = "newest"
# The same for figures: each series of each area from the newest article that states it.
SERIES = "series"


# -- choosing: every value a user types is checked here, with the valid values to hand --------


def choose(vocabulary: type[Term], value: str | None, what: str) -> str | None:
    """A vocabulary's value as the user typed it, in any case; None passes through."""
    if value is None:
        return None
    found = vocabulary.parse(value)
    if found is None:
        raise suggest(value, [member.value for member in vocabulary], what)
    return found.value


def choose_kind(value: str | None) -> str | None:
    """A record kind as typed, or `pledge` (targets and plans together)."""
    if value is None:
        return None
    from liaoyuan_cli.vocab import PLEDGE, RecordKind, names

    if value.strip().casefold() in (PLEDGE, "pledges", "承诺"):
        return PLEDGE
    found = RecordKind.parse(value)
    if found is None:
        raise suggest(value, [*names(RecordKind), PLEDGE], "kind")
    return found.value


def kinds_of(kind: str | None) -> tuple[str, ...]:
    """The record kinds a --kind value stands for."""
    if kind is None:
        return ()
    from liaoyuan_cli.vocab import PLEDGE, PLEDGE_VALUES

    return PLEDGE_VALUES if kind == PLEDGE else (kind,)


def _choose_id(value: str | None, ids: list[str], what: str) -> str | None:
    if value is None:
        return None
    wanted = value.strip().casefold()
    if wanted in ids:
        return wanted
    raise suggest(value, ids, what)


def _year(year: int | None) -> int | None:
    if year is not None and not 1000 <= year <= 9999:
        raise UsageError(f"--year {year} is not a year", hint="a four-digit year")
    return year


# -- areas and articles -----------------------------------------------------------------------


def resolve_area(store: Store, name: str) -> Row:
    """An area from any of its names, case-, space- and accent-insensitively."""
    if not fold(name):
        raise UsageError("empty area", hint="an area's slug or name, or all")
    slug = store.named("area", fold(name))
    if slug is None:
        from difflib import get_close_matches

        known = store.names("area")
        close = get_close_matches(fold(name), list(known), n=1, cutoff=0.6)
        if close:
            raise UsageError(f"unknown area {name!r}", hint=f"did you mean {known[close[0]]}?")
        slugs = [a["slug"] for a in store.areas()]
        raise UsageError(f"unknown area {name!r}", hint=f"choose from: {', '.join(slugs)}, or all")
    area = store.area(slug)
    assert area is not None, slug  # the names table points only at areas it holds
    return area


def _areas(store: Store, given: list[str]) -> list[str]:
    """Area slugs from what the user typed; `all` (or nothing) is every area."""
    if any(not fold(a) for a in given):
        raise UsageError("empty area", hint="an area's slug or name, or all")
    if not given or any(fold(a) == ALL for a in given):
        return []
    return list(dict.fromkeys(resolve_area(store, a)["slug"] for a in given))


def _until(as_of: str | None) -> str | None:
    """The last day --as-of allows (2024: 2024-12-31; 2024-05: 2024-05-31), checked."""
    if as_of is None:
        return None
    import re

    from liaoyuan_cli.build import last_day

    text = as_of.strip()
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", text):  # ASCII digits, as --year
        raise UsageError(
            f"--as-of {as_of!r} is not a date",
            hint="YYYY, YYYY-MM or YYYY-MM-DD: a year or month means its end",
        )
    try:
        import datetime

        year, month, day = ([int(p) for p in text.split("-")] + [1, 1])[:3]
        datetime.date(year, month, day)
    except ValueError:
        raise UsageError(
            f"--as-of {as_of} is not a date of the calendar", hint="a month 01-12, a day the month has"
        ) from None
    return last_day(text)


def window(
    store: Store, as_of: str | None = None, drafts: bool = False, article: str | None = None
) -> Window | None:
    """Which articles may answer: none dated after --as-of, no draft unless --drafts or --article
    names it. None where that is every article (no draft, no --as-of): no condition to test."""
    until = _until(as_of)
    named = (
        article.strip().casefold() if article and article.strip().casefold() not in (ALL, LATEST) else None
    )
    if named is not None and until is not None:
        found = store.dated(named)
        if found is not None and found[0] > until:
            raise UsageError(
                f"--article {named} is dated {found[0]}, after --as-of {as_of}",
                hint="drop one of them, or give a later --as-of",
            )
    if until is None and (drafts or not store.has_drafts()):
        return None
    return Window(until, True if drafts else ([named] if named else []))


def _scope_ids(
    store: Store, article: str | None, areas: list[str], default: str, within: Window | None = None
) -> list[str]:
    """The ids of the articles a question is about: `--article ID`, `all`, `latest`, else the
    default, of those the window lets answer. Ids only, so a question about every article of a
    large knowledge base reads none. (`newest`, each area's own, is worked out by Ask.)

    `latest` is the newest article in which any of the areas is interviewed or reported (the
    newest of all where no area is named): one session's own view.
    """
    if article is not None and not article.strip():
        raise UsageError("--article is empty", hint="an article id, latest or all")
    wanted = (article or default).strip().casefold()
    allowed = store.window_ids(within)
    if wanted in (ALL, NEWEST, SERIES):
        return allowed
    if wanted == LATEST:
        seen = {
            a["article"]
            for a in (store.appearances() if not areas else [x for s in areas for x in store.appearances(s)])
        }
        newest = [i for i in allowed if i in seen] or allowed
        return newest[-1:]
    found = store.article(wanted)
    ident = found["id"] if found else _choose_id(wanted, store.article_ids(), "article")
    return [ident] if ident else []


def _refs(store: Store, ids: list[str]) -> list[ArticleRef]:
    """The articles of a scope, oldest first."""
    if len(ids) > 64:  # most of a corpus: one pass over the articles
        return [a for a in store.articles() if a["id"] in set(ids)]
    # A few (each area's own newest): read those alone, not 1,000 articles' JSON. Ids come in
    # article order (window_ids), which the answer keeps.
    return [found for found in (store.article(i) for i in ids) if found]


def _scope(store: Store, article: str | None, areas: list[str], default: str) -> list[ArticleRef]:
    return _refs(store, _scope_ids(store, article, areas, default))


def _one(ids: list[str], store: Store) -> str | None:
    """The article id a selection is limited to, or None when it covers every article."""
    return ids[0] if len(ids) == 1 and len(store.article_ids()) > 1 else None


def area_ref(store: Store, area: Row, article: str | None = None, within: Window | None = None) -> AreaRef:
    """An area with its official as of the article (else the newest article naming one, of those
    the window lets answer: --as-of 2023 names no official of 2025)."""
    among = set(store.window_ids(within)) if article is None and within is not None else None
    seen = store.interview(area["slug"], article, among)
    official = store.people().get(seen["interviewee"]) if seen else None
    return {
        "slug": area["slug"],
        "zh": area["zh"],
        "en": area["en"],
        "short_zh": area["short_zh"],
        "short_en": area.get("short_en"),
        "kind": area["kind"],
        "official": official,
    }


def _kinds(counter: Counter[str]) -> Kinds:
    from liaoyuan_cli.vocab import RecordKind

    return cast("Kinds", {kind.value: counter[kind] for kind in RecordKind})


def areas(store: Store) -> AreasResult:
    """Every area with its names, the articles that speak of it, its official and its record counts."""
    counts = {(area, kind): n for area, kind, n in store.counts(["area", "kind"])}
    sections = store.sections()
    rows: list[AreaRow] = []
    for area in store.areas():
        seen = store.appearances(area["slug"])
        own = [a for a in seen if sections[a["section"]]["area"] == area["slug"]] or seen  # its interview
        latest = sections[own[-1]["section"]] if own else {"headline_zh": "", "headline_en": ""}
        ref = area_ref(store, area)
        rows.append(
            {
                "slug": area["slug"],
                "zh": area["zh"],
                "short_zh": area["short_zh"],
                "en": area["en"],
                "short_en": area.get("short_en"),
                "pinyin": area["pinyin"],
                "kind": area["kind"],
                "aliases": area["aliases"],
                "articles": list(dict.fromkeys(a["article"] for a in seen)),
                "official": ref["official"],
                "headline_zh": latest["headline_zh"],
                "headline_en": latest["headline_en"],
                "counts": _kinds(Counter({k: n for (slug, k), n in counts.items() if slug == area["slug"]})),
            }
        )
    return {"schema_version": SCHEMA_VERSION, "command": "areas", "areas": rows}


# -- records and figures --------------------------------------------------------------------


def _speakers(store: Store, given: Sequence[str]) -> list[str]:
    """Person ids from what the user typed: an id, a Chinese name or pinyin (仇景锐, Qiu Jingrui)."""
    people = store.people()
    known: dict[str, str] = {}
    for p in people.values():
        for name in (p["id"], p["zh"], p["pinyin"]):
            known.setdefault(fold(name), p["id"])
    out: list[str] = []
    for name in given:
        if not fold(name):
            raise UsageError("empty speaker", hint="a person's id or name, e.g. qiu-jingrui or 仇景锐")
        ident = known.get(fold(name))
        if ident is None:
            raise suggest(name, sorted(people), "speaker")
        if ident not in out:
            out.append(ident)
    return out


class Ask:
    """The filters every listing takes, checked against the vocabularies and the knowledge base."""

    def __init__(
        self,
        store: Store,
        *,
        areas: Sequence[str] = (),
        article: str | None = None,
        kind: str | None = None,
        category: str | None = None,
        theme: str | None = None,
        year: int | None = None,
        entity: str | None = None,
        metric: str | None = None,
        has_figures: bool | None = None,
        voice: str | None = None,
        speakers: Sequence[str] = (),
        as_of: str | None = None,
        drafts: bool = False,
        default_article: str = ALL,
        default_kinds: tuple[str, ...] = (),
        sessions: int = 1,
    ) -> None:
        self.areas = _areas(store, list(areas))
        self.window = window(store, as_of, drafts, article)
        self.as_of = as_of
        self.article_ids = _scope_ids(store, article, self.areas, default_article, self.window)
        self._store = store
        self.kind = choose_kind(kind)
        self.category = category  # a word of vocab.Category: the command table read it
        self.theme = _choose_id(theme, [t["id"] for t in store.themes()], "theme")
        self.year = _year(year)
        self.entity = _entity_id(store, entity) if entity is not None else None
        self.metric = _choose_id(metric, list(store.metrics()), "metric")
        self.has_figures = has_figures
        self.voice = voice  # a word of vocab.Voice: the command table read it
        self.speakers = _speakers(store, speakers)
        self.kinds = kinds_of(self.kind) or default_kinds
        self.default_kinds = default_kinds
        self.default = default_article
        self.given_article = article
        # Each area from its own newest article that states what is asked, never another's.
        self.pairs: list[tuple[str, str]] = []
        if article is None and default_article == NEWEST:
            from liaoyuan_cli.vocab import RecordKind
            from liaoyuan_cli.vocab import names as terms

            kinds = self.kinds or tuple(terms(RecordKind))
            for slug in self.areas or [a["slug"] for a in store.areas()]:
                self.pairs += [
                    (slug, found) for found in store.newest_articles(slug, kinds, self.window, sessions)
                ]
            answering = {a for _, a in self.pairs}
            self.article_ids = [i for i in self.article_ids if i in answering]
        self.select = Select(
            window=self.window,
            pairs=self.pairs,
            areas=self.areas,
            article=_one(self.article_ids, store) if not self.pairs else None,
            kinds=self.kinds,
            category=self.category,
            theme=self.theme,
            year=self.year,
            entity=self.entity,
            metric=self.metric,
            has_figures=has_figures,
            voice=self.voice,
            speakers=self.speakers,
        )

    def filters(self, verdict: str | None = None) -> Filters:
        out: Filters = {
            "areas": self.areas,
            "article": self.select.article,
            "kind": self.kind,
            "category": self.category,
            "theme": self.theme,
            "year": self.year,
            "entity": self.entity,
            "metric": self.metric,
            "has_figures": self.has_figures,
            "voice": self.voice,
            "speakers": self.speakers,
            "as_of": self.as_of,
        }
        if verdict is not None:
            out["verdict"] = verdict
        return out

    @cached_property
    def articles(self) -> list[ArticleRef]:
        """The articles in scope, read when an answer lists them (a search does not)."""
        return _refs(self._store, self.article_ids)

    def area_refs(self, store: Store) -> list[AreaRef]:
        """The areas asked, each with its official as of the article that answers for it."""
        newest = self.article_ids[-1] if self.article_ids else None
        own: dict[str, str] = {}
        for slug, article in self.pairs:  # newest first
            own.setdefault(slug, article)
        return [
            area_ref(store, store.area(slug) or {}, own.get(slug, newest), self.window) for slug in self.areas
        ]

    def relaxations(self, year: bool = True) -> list[tuple[str, str, Select]]:
        """Each condition dropped in turn (or the one change likeliest to help), as new selections."""
        s = self.select
        tries: list[tuple[str, str, Select]] = []

        def without(label_en: str, label_zh: str, **changes: Any) -> None:
            fields = {k: getattr(s, k) for k in Select.__slots__}
            fields.update(changes)
            tries.append((label_en, label_zh, Select(**fields)))

        from liaoyuan_cli.vocab import PLEDGE_VALUES

        pledges_only = bool(s.kinds) and set(s.kinds) <= set(PLEDGE_VALUES)
        if year and s.year is not None:
            without(f"without --year {s.year}", f"去掉 --year {s.year}", year=None)
            if pledges_only:
                without("with --kind result", "加上 --kind result", kinds=("result",))
        if self.kind and tuple(s.kinds) != tuple(self.default_kinds):
            # Without --kind is the command's own default (targets: the pledges), not every kind.
            without(f"without --kind {self.kind}", f"去掉 --kind {self.kind}", kinds=self.default_kinds)
        for name in ("category", "theme", "entity", "metric", "has_figures", "voice"):
            if getattr(s, name) is not None:
                flag = f"--{name.replace('_', '-')}"
                without(f"without {flag}", f"去掉 {flag}", **{name: None})
        if s.speakers:
            without("without --speaker", "去掉 --speaker", speakers=())
        if (s.article is not None or s.pairs) and not self.given_article:
            without(
                "with --article all (older articles)",
                "加上 --article all（更早的文章）",
                article=None,
                pairs=(),
            )
        if self.as_of is not None:
            without(f"without --as-of {self.as_of}", f"去掉 --as-of {self.as_of}", window=None, pairs=())
        if self.given_article and s.article is not None:
            without("with --article all", "改为 --article all", article=None, pairs=())
        return tries

    def explain(self, store: Store) -> Explain:
        """Why no record matched: what dropping one condition would find, else what there is."""
        tries = [(en, zh, store.count(sel)) for en, zh, sel in self.relaxations()]
        found = _explained(tries, "record", "条")
        if found is not None:
            return found
        named = {a["slug"]: a for a in store.areas()}
        places = [named[a] for a in self.areas if a in named]
        of_en = f" of {', '.join(a['en'] for a in places)}" if places else ""
        of_zh = "、".join(a["zh"] for a in places)
        article = self.select.article
        dated_en, dated_zh = (f" dated by {self.as_of}", f"截至 {self.as_of} 的") if self.as_of else ("", "")
        where_zh = f"{article}中" if article else f"{dated_zh}各篇文章中"
        whose_zh = f"{of_zh}的" if of_zh else ""
        flags = "".join(f" -a {a}" for a in self.areas)
        flags += f" --article {article}" if article else (f" --as-of {self.as_of}" if self.as_of else "")
        if self.default_kinds and not self.kind:  # a listing of pledges: say what else there is
            others = store.count(Select(window=self.window, areas=self.areas, article=article))
            if others:
                pledged = (
                    f"{article} states no target or plan{of_en}"
                    if article
                    else f"No article{dated_en} states a target or plan{of_en}"
                )
                return {
                    "en": f"{pledged}; {counted(others, 'record')} of other kinds: lycli records{flags}.",
                    "zh": f"{where_zh}没有{whose_zh}目标或举措；"
                    f"其他类别的记录{others}条：lycli records{flags}。",
                }
        had = (
            f"{article} has no such record{of_en}"
            if article
            else f"No article{dated_en} has such a record{of_en}"
        )
        return {"en": f"{had}.", "zh": f"{where_zh}没有{whose_zh}这样的记录。"}


def _explained(tries: list[tuple[str, str, int]], noun: str, measure_zh: str) -> Explain | None:
    """`Nothing matches every condition. without --year 2023: 18 records.`, or None."""
    found = [(en, zh, n) for en, zh, n in tries if n]
    if not found:
        return None
    en = "; ".join(f"{how}: {n} {noun}{'s' if n != 1 else ''}" for how, _, n in found)
    en = en[0].upper() + en[1:]  # a sentence: "… every condition. Without --year 2023: …"
    zh = "；".join(f"{how}：{n}{measure_zh}" for _, how, n in found)
    what_zh = {"figure": "数据", "pledge": "承诺", "project": "项目"}.get(noun, "记录")
    return {"en": f"Nothing matches every condition. {en}.", "zh": f"没有同时满足所有条件的{what_zh}。{zh}。"}


# What a listing says of each misprint in its quotes (results.ErratumRef).
ERRATUM_KEYS = (
    "id", "article", "kind", "printed", "printed_en", "reading", "reading_en", "certainty", "note_en",
)  # fmt: skip


def _errata(store: Store, records: list[RecordRow]) -> list[ErratumRef]:
    """The misprints standing in these records' quotes: their zh and en use the reading."""
    wanted = {e for r in records for e in r["errata"]}
    return [cast("ErratumRef", {k: e.get(k) for k in ERRATUM_KEYS}) for e in store.errata(sorted(wanted))]


def _errata_of(store: Store, select: Select) -> Sequence[ErratumRef]:
    """The misprints standing in the selected records' quotes, found in SQL (no record read) and
    read as they are written."""
    return cast("Sequence[ErratumRef]", store.errata_of(select, ERRATUM_KEYS))


def targets(store: Store, **asked: Unpack[Asked]) -> RecordsResult:
    """An area's targets and plans (or one kind), each with its figures; `all` for every area."""
    from liaoyuan_cli.vocab import PLEDGE_VALUES

    ask = Ask(store, **asked, default_article=NEWEST, default_kinds=PLEDGE_VALUES)
    return _records_result("targets", store, ask)


def records(store: Store, **asked: Unpack[Asked]) -> RecordsResult:
    """Every record of the knowledge base, narrowed by any combination of filters."""
    return _records_result("records", store, Ask(store, **asked))


def _records_result(command: str, store: Store, ask: Ask) -> RecordsResult:
    # Read as they are written: a listing of every record of 1,000 articles is never held whole.
    found = store.record_rows(ask.select)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "areas": ask.area_refs(store),
        "articles": ask.articles,
        "filters": ask.filters(),
        "records": found,
        "errata": _errata_of(store, ask.select),
        "answered": [{"area": area, "article": article} for area, article in ask.pairs],
        "explain": None if found else ask.explain(store),
    }


def metrics(store: Store, **asked: Unpack[Asked]) -> FiguresResult:
    """Every typed figure of an area (or all), one row per figure, with what it measures."""
    year = asked.pop("year", None)  # the figure's own year, not its record's
    return _figures_result("metrics", store, Ask(store, **asked, default_article=SERIES), year)


def figures(store: Store, **asked: Unpack[Asked]) -> FiguresResult:
    """Every typed figure, flat: the long format for pandas, R and spreadsheets."""
    year = asked.pop("year", None)  # the figure's own year, not its record's
    return _figures_result("figures", store, Ask(store, **asked), year)


def _figures_result(command: str, store: Store, ask: Ask, year: int | None) -> FiguresResult:
    """Figures filter on the figure's own year (a 2023 result stated in a 2024 record)."""
    year = _year(year)
    metrics = [ask.metric] if ask.metric else []
    newest = ask.given_article is None and ask.default == SERIES
    rows: Sequence[FigureLine]
    if newest:  # the articles that answered, and no other
        rows = [f for f in store.newest_figures(ask.select, metrics) if year is None or f["year"] == year]
        answering = {f["article"] for f in rows}
        ask.article_ids = [i for i in ask.article_ids if i in answering]
    else:  # read as they are written: every figure of 1,000 articles is never held whole
        rows = store.figure_rows(ask.select, metrics, year)
    filters = ask.filters()
    filters["year"] = year
    explain = None if rows else _figures_explain(store, ask, year)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "areas": ask.area_refs(store),
        "articles": ask.articles,
        "filters": filters,
        "figures": rows,
        "explain": explain,
    }


def _figures_explain(store: Store, ask: Ask, year: int | None) -> Explain | None:
    """Why no figure matched, counted in figures: the year asked is the figure's own year."""

    def count(select: Select, of_year: int | None) -> int:
        metrics = [select.metric] if select.metric else []
        return sum(1 for f in store.figures(select, metrics) if of_year is None or f["year"] == of_year)

    tries: list[tuple[str, str, int]] = []
    if year is not None:
        metrics = [ask.select.metric] if ask.select.metric else []
        years = ", ".join(str(y) for y in sorted({f["year"] for f in store.figures(ask.select, metrics)}))
        tries.append(
            (
                f"without --year {year} (figures of {years})",
                f"去掉 --year {year}（数据年份{years}）",
                count(ask.select, None),
            )
        )
    tries += [(en, zh, count(sel, year)) for en, zh, sel in ask.relaxations(year=False)]
    return _explained(tries, "figure", "个数据")


# -- compare --------------------------------------------------------------------------------


def topics(store: Store) -> dict[str, list[str]]:
    """Topic -> the metrics it gathers, in the order metrics are declared."""
    out: dict[str, list[str]] = {t["id"]: [] for t in store.topics()}
    for metric in store.metrics().values():
        for topic in metric["topics"]:
            out.setdefault(topic, []).append(metric["id"])
    return out


def topic_list(store: Store) -> TopicsResult:
    """What `lycli compare` knows: each topic with its metrics and how many figures it holds."""
    counted = {metric: n for metric, n in store.counts(["metric"], of="figures")}
    known = store.metrics()
    rows: list[TopicRow] = [
        {
            "id": t["id"],
            "zh": t["zh"],
            "en": t["en"],
            "headline": t["headline"],
            "metrics": ids,
            "metrics_en": [known[i]["en"] for i in ids],
            "figures": sum(counted.get(i, 0) for i in ids),
        }
        for t in store.topics()
        for ids in [topics(store)[t["id"]]]
    ]
    return {"schema_version": SCHEMA_VERSION, "command": "topics", "topics": rows}


def compare(
    store: Store,
    *,
    topic: str | None = None,
    article: str | None = None,
    as_of: str | None = None,
    drafts: bool = False,
) -> CompareResult | TopicsResult:
    """One topic across all areas: its figures in series that can be compared, and the same
    figures as a comparison, a row per metric and a column per area (the standings the articles
    state included): each series of each area from the newest article that states it, unless
    --article says otherwise."""

    if topic is None:
        return topic_list(store)
    ident = _choose_id(topic, list(topics(store)), "topic")
    assert ident is not None
    return _compare(store, ident, article, window(store, as_of, drafts, article), as_of)


def _compare(
    store: Store, ident: str, article: str | None, within: Window | None, as_of: str | None = None
) -> CompareResult:
    from liaoyuan_cli.figures import comparability, comparable_level

    known = topics(store)
    ids = _scope_ids(store, article, [], SERIES, within)
    if article is None:
        found = store.newest_figures(Select(window=within), known[ident])
        answering = {f["article"] for f in found}
        ids = [i for i in ids if i in answering]
    else:
        found = store.figures(Select(article=_one(ids, store), window=within), known[ident])
    articles = _refs(store, ids)
    info = next(t for t in store.topics() if t["id"] == ident)
    area_order = {a["slug"]: i for i, a in enumerate(store.areas())}
    grouped: dict[str, list[FigureLine]] = {}
    for row in found:
        grouped.setdefault(row["series"], []).append(row)
    metric_order = known[ident]
    keys = sorted(
        grouped,
        key=lambda k: (
            metric_order.index(grouped[k][0]["metric"]),
            grouped[k][0]["year"],
            grouped[k][0]["role"],
            k,
        ),
    )
    series: list[Series] = []
    for key in keys:
        rows = sorted(grouped[key], key=lambda r: area_order.get(r["area"], len(area_order)))
        first = rows[0]
        siblings = [grouped[k] for k in keys if k != key and grouped[k][0]["metric"] == first["metric"]]
        en, zh = comparability(list(rows), [list(s) for s in siblings])
        series.append(
            {
                "key": key,
                "metric": first["metric"],
                "metric_zh": first["metric_zh"],
                "metric_en": first["metric_en"],
                "year": first["year"],
                "role": first["role"],
                "unit": next((r["unit"] for r in rows if r["unit"]), None),
                "threshold_stated": first["threshold_stated"],
                "threshold_en": first["threshold_en"],
                "stage": first["stage"],
                "comparable": en,
                "comparable_zh": zh,
                "level": comparable_level(list(rows)),
                "rows": rows,
            }
        )
    things = {
        e["id"]: e for e in store.entities({f["entity"] for s in series for f in s["rows"] if f["entity"]})
    }
    comparison = _comparison(series, area_order, things)
    shown = {area for row in comparison for area in row["cells"]}
    areas = [area_ref(store, a, articles[-1]["id"] if articles else None) for a in store.areas()]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "compare",
        "topic": ident,
        "topic_zh": info["zh"],
        "topic_en": info["en"],
        "metrics": known[ident],
        "articles": articles,
        "series": series,
        "areas": [a for a in areas if a["slug"] in shown],
        "comparison": comparison,
        "topics": list(known),
        "explain": None if series else _compare_explain(store, ident, known[ident], within, as_of),
    }


def _compare_explain(
    store: Store, topic: str, metrics: list[str], within: Window | None, as_of: str | None
) -> Explain:
    """Why a topic compares nothing: no article dated that early, or no figure of it at all, or
    none in the articles asked about."""
    if not store.window_ids(within):
        first = store.articles()[0]["date"] if store.articles() else "none"
        return {
            "en": f"No article is dated by {as_of} (the oldest: {first}): try a later --as-of.",
            "zh": f"没有{as_of}以前的文章（最早的：{first}）：请把 --as-of 推后。",
        }
    every = len(store.figures(Select(), metrics))
    if not every:
        return {
            "en": f"No figure of {topic} in the knowledge base: lycli compare lists the topics.",
            "zh": f"知识库中没有{topic}的数据：lycli compare 列出所有主题。",
        }
    return {
        "en": f"Nothing in the articles asked about; with --article all, no --as-of: {every} figures.",
        "zh": f"所问文章中没有；加上 --article all（去掉 --as-of）：{every}个数据。",
    }


def _comparison(series: list[Series], area_order: dict[str, int], things: dict[str, Row]) -> list[Compared]:
    """The series as a comparison: a row per metric (in the topic's order), in each area's cell
    its figures of that metric, each marked with how far its series compares."""
    rows: dict[str, Compared] = {}
    for s in series:
        row = rows.setdefault(
            s["metric"],
            {
                "metric": s["metric"],
                "metric_zh": s["metric_zh"],
                "metric_en": s["metric_en"],
                "standing": False,
                "cells": {},
            },
        )
        for f in s["rows"]:
            row["standing"] = row["standing"] or bool(f["scope"])
            row["cells"].setdefault(f["area"], []).append(
                {
                    "record": f["record"],
                    "article": f["article"],
                    "series": f["series"],
                    "year": f["year"],
                    "role": f["role"],
                    "value": f["value"],
                    "unit": f["unit"],
                    "base_value": f["base_value"],
                    "base_unit": f["base_unit"],
                    "claim": f["claim"],
                    "scope": f["scope"],
                    "display": f["display"],
                    "display_en": f["display_en"],
                    "qualifiers_zh": f["qualifiers_zh"],
                    "qualifiers_en": f["qualifiers_en"],
                    "entity": f["entity"],
                    "entity_zh": things[f["entity"]]["zh"] if f["entity"] in things else None,
                    "entity_en": things[f["entity"]]["en"] if f["entity"] in things else None,
                    "level": s["level"],
                }
            )
    for row in rows.values():
        ordered = sorted(row["cells"].items(), key=lambda kv: area_order.get(kv[0], len(area_order)))
        row["cells"] = {area: sorted(cell, key=lambda f: (f["year"], f["role"])) for area, cell in ordered}
    return list(rows.values())


# -- search -----------------------------------------------------------------------------------


def search(store: Store, *, query: str, limit: int = 20, **asked: Unpack[Asked]) -> SearchResult:
    """Records, entities and frameworks matching a query in Chinese, English or pinyin; a query
    in traditional characters finds the simplified text (龍山 finds 龙山).

    `theme` widens the answer by every record of the theme (a query names a theme's
    keyword, its members need not); `voice` and `speakers` keep only the records in those words.
    """
    from liaoyuan_cli import search as room

    folded = fold_query(query)
    if not folded:
        raise UsageError(
            "empty search query", hint="search for Chinese, English or pinyin, e.g. 天楹 or tianying"
        )
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, not {limit}")
    ask = Ask(store, **asked)
    # --article as given; --as-of and drafts as the window (which names no article of its own).
    article = ask.select.article if ask.given_article is not None else None
    plain = Select(
        areas=ask.areas, article=article, kinds=ask.select.kinds, category=ask.category, window=ask.window
    )
    # Whose words: only records qualify, those the listing's selection holds.
    spoken = ask.voice is not None or bool(ask.speakers)
    total, scored = _matching(store, folded, plain, limit, ranked=ask.theme is None and not spoken)
    if not total:
        # Nothing as typed: in traditional characters, perhaps (OpenCC is loaded only then).
        simplified = room.simplified(folded)
        if simplified != folded:
            folded = simplified
            total, scored = _matching(store, folded, plain, limit, ranked=ask.theme is None and not spoken)
    if ask.theme is not None:
        theme_select = Select(
            areas=ask.areas,
            article=article,
            kinds=ask.select.kinds,
            category=ask.category,
            theme=ask.theme,
            window=ask.window,
        )
        for doc, _, _hay in store.candidates([], theme_select, types=("record",)):
            points, matched = scored.get(doc, (0, []))
            scored[doc] = (points + 10, [*matched, "theme"])
    if spoken:
        said = {
            r["id"]
            for r in store.records(
                Select(
                    areas=ask.areas,
                    article=article,
                    kinds=ask.select.kinds,
                    category=ask.category,
                    voice=ask.voice,
                    speakers=ask.speakers,
                    window=ask.window,
                )
            )
        }
        found = store.documents(list(scored))
        scored = {
            doc: hit
            for doc, hit in scored.items()
            if found[doc]["type"] == "record" and found[doc]["id"] in said
        }
    ranked = sorted(scored.items(), key=lambda hit: (-hit[1][0], hit[0]))
    shown = ranked[:limit]
    docs = store.documents([doc for doc, _ in shown])
    hits: list[Hit] = []
    for doc, (points, matched) in shown:
        item = docs[doc]
        hits.append(
            {
                "type": item["type"],
                "id": item["id"],
                "article": item["article"],
                "area": item["area"],
                "kind": item["kind"],
                "category": item["category"],
                "zh": item["zh"],
                "en": item["en"],
                "matched": matched,
                "highlight": room.highlight(item, folded),
                "score": points,
            }
        )
    themes = [
        t["id"]
        for t in store.themes()
        if folded in {fold(k) for k in (*t["keywords_zh"], *t["keywords_en"], t["en"], t["zh"], t["id"])}
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "search",
        "query": query,
        "searched": folded,
        "total": total if ask.theme is None and not spoken else len(scored),
        "hits": hits,
        "themes": themes,
    }


def _matching(
    store: Store, folded: str, plain: Select, limit: int, ranked: bool
) -> tuple[int, dict[int, tuple[int, list[str]]]]:
    """The documents a folded query matches: how many, and each one's points and the fields it
    matched in. `ranked`: only the best `limit` are scored, in SQL, and the store counts the
    rest (a Chinese query, with nothing to add or take away)."""
    from liaoyuan_cli import search as room

    scored: dict[int, tuple[int, list[str]]] = {}
    if room.chinese(folded) and ranked:
        # Scored, ordered and counted in SQL with the weights of search.points: ten rows read.
        total, top = store.ranked(
            folded,
            room.query_grams(folded),
            plain,
            room.FIELD_WEIGHT,
            room.TYPE_WEIGHT,
            room.EXACT_BONUS,
            limit,
        )
        scored = {
            doc: (points, [name for name, has in zip(room.FIELDS, held, strict=True) if has])
            for doc, _, points, held in top
        }
        return total, scored
    if room.chinese(folded):
        # Holding is matching: the store tells which fields hold the query, without decoding.
        for doc, type_, held, exact in store.containing(folded, room.query_grams(folded), plain):
            fit = {name: 1.0 for name, has in zip(room.FIELDS, held, strict=True) if has}
            if fit:
                scored[doc] = (room.points(type_, fit, exact), list(fit))
    else:
        for doc, type_, hay in store.candidates(room.query_grams(folded), plain):
            points, matched = room.score(type_, hay, folded)
            if matched:
                scored[doc] = (points, matched)
    return len(scored), scored


# -- entities and projects ----------------------------------------------------------------------


def _entity_ref(e: Row) -> EntityRef:
    return {"id": e["id"], "kind": e["kind"], "zh": e["zh"], "en": e["en"], "pinyin": e["pinyin"]}


def _entity_id(store: Store, name: str) -> str:
    """An entity from any of its names, or a part of one that names only it."""
    if not fold(name):
        raise UsageError("empty entity name", hint="`lycli entities` lists them all")
    ident = store.named("entity", fold(name))
    if ident is not None:
        return ident
    area = store.named("area", fold(name))
    if area is not None:  # a whole area name is not part of an entity's name
        raise NotFound(f"no entity {name!r}", hint=f"{area} is an area: --area {area} narrows to it")
    known = store.names("entity")
    partial = sorted({v for k, v in known.items() if fold(name) in k})
    if len(partial) == 1:
        return partial[0]
    from difflib import get_close_matches

    close = get_close_matches(fold(name), list(known), n=3, cutoff=0.6)
    options = partial[:5] or list(dict.fromkeys(known[c] for c in close))
    raise NotFound(
        f"no entity {name!r}" + (" (ambiguous)" if len(partial) > 1 else ""),
        hint=f"did you mean {' or '.join(options)}?" if options else "`lycli entities` lists them all",
    )


def _pointing(everything: dict[str, Row]) -> dict[str, list[tuple[Row, Row]]]:
    """For each entity, the (other entity, link) pairs that relate to it or make it whole."""
    out: dict[str, list[tuple[Row, Row]]] = {}
    for other in everything.values():
        for link in other["links"]:
            if link["kind"] in ("related", "part_of"):
                out.setdefault(link["to"], []).append((other, link))
    return out


def _links(
    store: Store,
    entity: Row,
    everything: dict[str, Row] | None = None,
    pointing: dict[str, list[tuple[Row, Row]]] | None = None,
) -> list[LinkOut]:
    """An entity's links, and those of other entities to it, with the names of both ends
    (`everything` and `pointing` passed by a caller that asks for many entities' links)."""
    if everything is None:
        everything = {e["id"]: e for e in store.entities()}
    if pointing is None:
        pointing = _pointing(everything)
    out: list[LinkOut] = []
    for link in entity["links"]:
        other = everything.get(link["to"], {})
        out.append(
            {
                "kind": link["kind"],
                "to": link["to"],
                "zh": other.get("zh", ""),
                "en": other.get("en", ""),
                "note_en": link.get("note_en"),
            }
        )
    for other, link in pointing.get(entity["id"], []):
        out.append(
            {
                "kind": "related" if link["kind"] == "related" else "has_part",
                "to": other["id"],
                "zh": other["zh"],
                "en": other["en"],
                "note_en": link.get("note_en"),
            }
        )
    return out


def entities(
    store: Store, *, name: str | None = None, kind: str | None = None
) -> EntitiesResult | EntityResult:
    """All entities with the areas that name them; or one entity with every mention."""
    from liaoyuan_cli.vocab import EntityKind

    kind = choose(EntityKind, kind, "entity kind")
    summary = store.mention_summary()
    if name is None:
        rows: list[EntityRow] = [
            {
                **_entity_ref(e),
                "aliases": e["aliases"],
                "areas": summary.get(e["id"], ([], [], 0))[0],
                "articles": summary.get(e["id"], ([], [], 0))[1],
                "mentions": summary.get(e["id"], ([], [], 0))[2],
                "general_knowledge_en": e.get("general_knowledge_en"),
            }
            for e in store.entities()
            if kind is None or e["kind"] == kind
        ]
        return {"schema_version": SCHEMA_VERSION, "command": "entities", "entities": rows}
    ident = _entity_id(store, name)
    entity = store.entities([ident])[0]
    if kind is not None and entity["kind"] != kind:
        raise NotFound(
            f"{name!r} is a {entity['kind']}, not a {kind}",
            hint=f"drop --kind, or `lycli entities --kind {kind}`",
        )
    areas_, articles_, count = summary.get(ident, ([], [], 0))
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "entity",
        "entity": {
            **_entity_ref(entity),
            "aliases": entity["aliases"],
            "areas": areas_,
            "articles": articles_,
            "mentions": count,
            "general_knowledge_en": entity.get("general_knowledge_en"),
            "note_en": entity.get("note_en"),
            "quote": entity["quote"],
            "links": _links(store, entity),
        },
        "mentions": [_mention(r) for r in store.mentions(ident)],
    }


def _mention(r: RecordRow) -> Mention:
    return {
        "id": r["id"],
        "article": r["article"],
        "area": r["area"],
        "kind": r["kind"],
        "category": r["category"],
        "year": r["year"],
        "zh": r["zh"],
        "en": r["en"],
    }


def _assessment(a: Row) -> AssessmentOut:
    return {
        "id": a["id"],
        "verdict": a["verdict"],
        "as_of": a["as_of"],
        "evidence": a["evidence"],
        "assessor": a["assessor"],
        "note_en": a["note_en"],
    }


def _evidence(r: RecordRow) -> Evidence:
    return {"id": r["id"], "article": r["article"], "zh": r["zh"], "en": r["en"], "quote": r["quote"]}


# What `lycli projects` lists: what is built or carried out. A project always; a park always (its
# projects are located in it); a programme where the article treats it as works: it gives it a
# stage or an amount, or counts it among a set of projects (四好农村路, one of 10 livelihood projects).
SCREENED = ("project", "park", "programme")  # of vocab.EntityKind (a test holds them to it)
# The topic whose metrics count or size a set of projects (topics.toml): a figure of it in a
# record that names a project, and not the project's own, is a total the project is part of.
PROJECTS_TOPIC = "projects"


def projects(
    store: Store, *, entity_kind: str | None = None, sort: str = "article", **asked: Unpack[Asked]
) -> ProjectsResult:
    """Each project, park and programme of works with the companies behind it, its park, the
    areas that name it, its amounts (and the largest in yuan, to sort on), the totals it is part
    of (265亿元 for the High-tech Zone's 34 key projects), its stages, and a caution where the
    articles' names may denote one project. An empty answer says why."""
    from liaoyuan_cli.vocab import EntityKind, ProjectOrder

    chosen_kind = choose(EntityKind, entity_kind, "kind")
    if chosen_kind is not None and chosen_kind not in SCREENED:
        raise UsageError(
            f"--kind {chosen_kind}: projects lists projects, parks and programmes",
            hint=f"`lycli entities --kind {chosen_kind}` lists those",
        )
    order = choose(ProjectOrder, sort, "sort") or ProjectOrder.article
    ask = Ask(store, **asked)
    screen = _Screen(store, ask)
    kinds = (chosen_kind,) if chosen_kind else SCREENED
    said = screen.said(ask.voice, ask.speakers)
    rows = screen.rows(ask.areas, ask.select.article, ask.entity, kinds, said)
    if order == ProjectOrder.amount:
        rows.sort(key=lambda r: -(r["amount_yuan"] or 0.0))  # stable: the largest first, as named after
    explain: Explain | None = None
    if not rows:
        tries: list[tuple[str, str, int]] = []
        if ask.entity is not None:
            n = len(screen.rows(ask.areas, ask.select.article, None, kinds, said))
            tries.append(("without --entity", "去掉 --entity", n))
        if ask.areas:
            n = len(screen.rows([], ask.select.article, ask.entity, kinds, said))
            tries.append(("without --area", "去掉 --area", n))
        if chosen_kind is not None:
            n = len(screen.rows(ask.areas, ask.select.article, ask.entity, SCREENED, said))
            tries.append((f"without --kind {chosen_kind}", f"去掉 --kind {chosen_kind}", n))
        if said is not None:
            n = len(screen.rows(ask.areas, ask.select.article, ask.entity, kinds, None))
            tries.append(("without --voice and --speaker", "去掉 --voice 与 --speaker", n))
        if ask.select.article is not None and not asked.get("article"):
            n = len(screen.rows(ask.areas, None, ask.entity, kinds, said))
            tries.append(("with --article all (older articles)", "加上 --article all（更早的文章）", n))
        if ask.as_of is not None:
            unbounded: Asked = {**asked, "as_of": None}
            later = Ask(store, **unbounded)
            every = _Screen(store, later)
            n = len(every.rows(later.areas, later.select.article, later.entity, kinds, said))
            tries.append((f"without --as-of {ask.as_of}", f"去掉 --as-of {ask.as_of}", n))
        unlinked = ask.entity is not None and not screen.rows([], None, ask.entity, SCREENED, None)
        explain = _unscreened(store, ask.entity) if unlinked else _explained(tries, "project", "项")
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "projects",
        "filters": ask.filters(),
        "kind": chosen_kind,
        "sort": order,
        "projects": rows,
        "explain": explain,
    }


def _unscreened(store: Store, entity: str | None) -> Explain | None:
    """Why an entity that nothing else hides has no row: it is no project, park or programme of
    works, and none is linked to it."""
    if entity is None:
        return None
    from liaoyuan_cli.vocab import EntityKind

    found = store.entities([entity])[0]
    kind = EntityKind(found["kind"])
    return {
        "en": f"{entity} is a {kind.en}, and no project, park or programme of works is linked to it: "
        f"`lycli entities {entity}` shows the records that name it.",
        "zh": f"{entity}为{kind.zh}，没有与之相关的项目、园区或工程："
        f"`lycli entities {entity}` 列出提及它的记录。",
    }


class _Screen:
    """What `projects` reads once, and the rows it makes of it under any filters (an empty
    answer tries each filter dropped)."""

    def __init__(self, store: Store, ask: Ask) -> None:
        self.store = store
        self.everything = {e["id"]: e for e in store.entities()}
        # --as-of and drafts: only what the articles the window lets answer say (None: every article).
        self.allowed = set(store.window_ids(ask.window)) if ask.window is not None else None
        self.summary = store.mention_summary(ask.window)
        self.pointing = _pointing(self.everything)
        self.kinship = _kinship(self.pointing)
        self.of_projects = {m for m, metric in store.metrics().items() if PROJECTS_TOPIC in metric["topics"]}
        self.figures = store.figures(Select(article=ask.select.article, window=ask.window))

    def said(self, voice: str | None, speakers: list[str]) -> set[str] | None:
        """The records in the words asked for (None: any words)."""
        if voice is None and not speakers:
            return None
        return {r["id"] for r in self.store.records(Select(voice=voice, speakers=speakers))}

    def rows(
        self,
        areas: list[str],
        article: str | None,
        entity: str | None,
        kinds: Sequence[str],
        said: set[str] | None,
    ) -> list[ProjectRow]:
        store, everything, summary, allowed = self.store, self.everything, self.summary, self.allowed
        amounts: dict[str, list[FigureLine]] = {}
        sets: dict[str, list[FigureLine]] = {}  # record -> its figures of a set of projects
        for fig in self.figures:
            if article is not None and fig["article"] != article:
                continue
            if fig["entity"]:
                amounts.setdefault(fig["entity"], []).append(fig)
            elif fig["metric"] in self.of_projects and fig["value"] is not None:
                sets.setdefault(fig["record"], []).append(fig)
        rows: list[ProjectRow] = []
        for e in everything.values():
            if e["kind"] not in kinds:
                continue
            if entity and entity != e["id"] and entity not in {x["to"] for x in e["links"]}:
                continue  # --entity: the project itself, or its company, its park, a related project
            areas_, articles_, _ = summary.get(e["id"], ([], [], 0))
            if allowed is not None and not articles_ and e["article"] not in allowed:
                continue  # named only after --as-of (or only by a draft)
            if areas and not set(areas) & set(areas_):
                continue
            if article and article not in articles_:
                continue
            mentions = [
                r
                for r in store.mentions(e["id"])
                if article in (None, r["article"]) and (allowed is None or r["article"] in allowed)
            ]
            if said is not None and not any(r["id"] in said for r in mentions):
                continue
            own = amounts.get(e["id"], [])
            totals = [f for r in mentions for f in sets.get(r["id"], [])]
            # The stages an entity's own words give it, where its article may answer.
            stages = _stages(e if allowed is None or e["article"] in allowed else {}, own)
            if e["kind"] == "programme" and not (own or totals or stages):
                continue  # a programme that is no works: a campaign, a principle
            group = _kin(e["id"], self.kinship)
            group_areas = sorted({a for ident in group for a in summary.get(ident, ([], [], 0))[0]})
            several = len(group_areas) > 1
            caution_en = caution_zh = None
            if several:
                named = [store.area(a) or {"short_zh": a, "en": a} for a in group_areas]
                caution_en = (
                    f"{listed([a['en'] for a in named])} name this project or one that may be the same or "
                    "part of it: do not add their amounts."
                )
                caution_zh = (
                    f"{'、'.join(a['short_zh'] for a in named)}"
                    "提到本项目或可能相同、相关的项目：金额不可相加。"
                )
            yuan = [f["base_value"] for f in own if f["base_unit"] == "yuan" and f["base_value"] is not None]
            rows.append(
                {
                    "id": e["id"],
                    "kind": e["kind"],
                    "zh": e["zh"],
                    "en": e["en"],
                    "pinyin": e["pinyin"],
                    "companies": [
                        _entity_ref(everything[x["to"]])
                        for x in e["links"]
                        if x["kind"] == "by" and x["to"] in everything
                    ],
                    "parks": [
                        _entity_ref(everything[x["to"]])
                        for x in e["links"]
                        if x["kind"] == "located_in" and x["to"] in everything
                    ],
                    "areas": areas_,
                    "articles": articles_,
                    "records": [r["id"] for r in mentions],
                    "stages": stages,
                    "amounts": own,
                    "amount_yuan": max(yuan) if yuan else None,
                    "totals": totals,
                    "links": _links(store, e, everything, self.pointing),
                    "named_by_several_areas": several,
                    "caution_en": caution_en,
                    "caution_zh": caution_zh,
                }
            )
        return rows


def _kinship(pointing: dict[str, list[tuple[Row, Row]]]) -> dict[str, set[str]]:
    """Which entities may be one another or a part of one another: `_pointing`, both ways."""
    edges: dict[str, set[str]] = {}
    for to, pairs in pointing.items():
        for other, _ in pairs:
            edges.setdefault(other["id"], set()).add(to)
            edges.setdefault(to, set()).add(other["id"])
    return edges


def _kin(ident: str, edges: dict[str, set[str]]) -> set[str]:
    """The projects that may be this one or a part of it, through any chain of such links: if
    A may be B and B may be C, the amounts of A and C must not be added either."""
    seen, todo = {ident}, [ident]
    while todo:
        for other in edges.get(todo.pop(), set()) - seen:
            seen.add(other)
            todo.append(other)
    return seen


def _stages(entity: Row, amounts: list[FigureLine]) -> list[ProjectStageRow]:
    """A project's stages: those the data gives it, then those its figures state."""
    out: list[ProjectStageRow] = [
        {"stage": x["stage"], "year": x["year"], "role": x["role"], "words": x["words"]}
        for x in entity.get("stages", [])
    ]
    out += [
        {"stage": f["stage"], "year": f["year"], "role": f["role"], "words": f["display"]}
        for f in amounts
        if f["stage"]
    ]
    return out


# -- one record ---------------------------------------------------------------------------------


def _record(store: Store, ident: str) -> RecordRow:
    """A record by its id or a former one; ids are lower case, so GAOXIN-2024-GDP finds it too."""
    if not ident.strip():
        raise UsageError("empty record id", hint="`lycli records` lists them all")
    found = store.record(ident) or store.record(ident.strip().casefold())
    if found is None:
        from difflib import get_close_matches

        close = get_close_matches(ident, store.record_ids(), n=3, cutoff=0.6)
        raise NotFound(
            f"no record {ident!r}",
            hint=f"did you mean {' or '.join(close)}?" if close else "`lycli search` finds records by text",
        )
    return found


def _context(store: Store, record: RecordRow) -> dict[str, Any]:
    """What a citation of a record needs: its article, section, area and people."""
    section = store.sections()[record["section"]]
    people = store.people()
    article = store.article(record["article"])
    assert article is not None, record["article"]  # a record's article is checked when the cache is built
    area = store.area(record["area"]) or {}
    return {
        "record": record,
        "article": article,
        "section": section,
        "area": area_ref(store, area, article["id"]),
        "interviewee": people.get(section.get("interviewee") or ""),
        "reporters": [people[p] for p in section["reporters"] if p in people],
        "speaker": people.get(record["speaker"] or ""),
    }


def show(
    store: Store, *, record_id: str, publication: str | None = None, as_of: str | None = None
) -> ShowResult:
    """One record in full, where it stands in the article, who speaks, and a citation (naming
    `publication` where the article does not name its paper). With `as_of`, as the corpus stood
    then: the record's article dated by then, its followers and assessments of no later date."""
    from liaoyuan_cli import cite
    from liaoyuan_cli.build import last_day

    record = _record(store, record_id)
    until = _until(as_of)
    followers = store.followers(record["id"])
    history = [a for a in store.assessments() if a["target"] == record["id"]]
    if until is not None:
        dated = store.dated(record["article"])
        if dated is not None and dated[0] > until:
            raise UsageError(
                f"{record['id']} is in {record['article']}, dated {dated[0]}, after --as-of {as_of}",
                hint="give a later --as-of, or drop it",
            )
        history = [a for a in history if last_day(a["as_of"]) <= until]
    within = window(store, as_of)  # no draft follows a record in a default answer, as in track
    if within is not None and followers:  # (no ids would select every record)
        allowed = set(store.window_ids(within))
        followers = [f["id"] for f in store.records(Select(ids=followers)) if f["article"] in allowed]
    ctx = {**_context(store, record), "publication": _publication(publication)}
    section = ctx["section"]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "show",
        "record": record,
        "area": ctx["area"],
        "article": ctx["article"],
        "section": {
            "id": section["id"],
            "article": section["article"],
            "kind": section["kind"],
            "headline_zh": section["headline_zh"],
            "headline_en": section["headline_en"],
            "date": section["date"]["iso"],
            "date_precision": section["date"]["precision"],
            "date_inferred": section["date"]["inferred"],
            "date_stated": section["date"].get("stated"),
        },
        "speaker": ctx["speaker"],
        "interviewee": ctx["interviewee"],
        "reporters": ctx["reporters"],
        "entities": [_entity_ref(e) for e in store.entities(record["entities"])],
        "errata": _errata(store, [record]),
        "followed_by": followers,
        "assessments": [_assessment(a) for a in history],
        "citation": cite.render("text", ctx)[0],
        "citation_en": cite.render("text", ctx, "en")[0],
    }


def cite(
    store: Store,
    *,
    record_id: Sequence[str] | str = (),
    style: str = "text",
    areas: Sequence[str] = (),
    article: str | None = None,
    lang: str = "both",
    publication: str | None = None,
) -> CiteResult:
    """A bibliography of records, in a style a reference manager or a style guide takes: the
    records named, and with `areas` or `article` every record of that set (of every article
    unless `article` says which). With lang `en`, lycli's own line is in English alone; APA and
    Chicago keep the original headline beside its translation in every language.
    `publication` names where the page appeared, where the article does not say."""
    from liaoyuan_cli import cite
    from liaoyuan_cli.vocab import Style

    wanted = choose(Style, style, "citation style") or Style.text
    paper = _publication(publication)
    asked = [record_id] if isinstance(record_id, str) else list(record_id)
    found = {r["id"]: r for r in (_record(store, ident) for ident in asked)}
    if areas or article is not None:
        ask = Ask(store, areas=areas, article=article)
        found.update({r["id"]: r for r in store.records(ask.select)})
    if not found:
        if asked or areas or article is not None:
            raise NotFound("no record to cite", hint="`lycli records` lists them, with --area and --article")
        raise UsageError(
            "cite takes record ids, or --area or --article for a whole set",
            hint="e.g. lycli cite gaoxin-2023-gdp, or lycli cite --area gaoxin --style apa",
        )
    contexts = [{**_context(store, r), "publication": paper} for r in found.values()]
    text, entries = cite.bibliography(wanted, contexts, lang)
    cited: list[Cited] = [
        {"record": r, "citation": c, "csl": item} for r, (c, item) in zip(found, entries, strict=True)
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "cite",
        "record": cited[0]["record"],
        "style": wanted,
        "citation": text,
        "csl": cited[0]["csl"],
        "records": list(found),
        "publication": paper,
        "entries": cited,
    }


def _publication(name: str | None) -> str | None:
    """--publication as given, trimmed; an empty one is a usage error."""
    if name is None:
        return None
    if not name.strip():
        raise UsageError("--publication is empty", hint='name the paper, e.g. --publication "Liaoyuan Daily"')
    return " ".join(name.split())


# -- summaries, themes, facets ------------------------------------------------------------------


def summarize(
    store: Store,
    *,
    areas: Sequence[str] = (),
    article: str | None = None,
    as_of: str | None = None,
    drafts: bool = False,
) -> AreaSummary | AreaSummaries | CitySummary:
    """An area at a glance, several areas one after the other, or the whole city: each area
    from its own newest articles (its pledges from the newest that states pledges, each series
    from the newest that states it), unless --article says otherwise."""
    chosen = _areas(store, list(areas))
    within = window(store, as_of, drafts, article)
    if len(chosen) > 1:
        summaries = [_summarize_area(store, resolve_area(store, slug), article, within) for slug in chosen]
        return {
            "schema_version": SCHEMA_VERSION,
            "command": "summarize",
            "areas": [s["area"] for s in summaries],
            "summaries": summaries,
        }
    if chosen:
        return _summarize_area(store, resolve_area(store, chosen[0]), article, within)
    return _summarize_city(store, article, within)


def _answering(
    store: Store, slug: str, article: str | None, within: Window | None
) -> tuple[list[RecordRow], list[FigureLine], str | None]:
    """What answers for an area: its records and figures, and the article its pledges come from.

    By default its pledges (and every other record) from the newest article that states
    pledges for it, and each series of its figures from the newest article that states it (a
    later page of results alone hides neither); with --article, that article (or all)."""
    from liaoyuan_cli.vocab import PLEDGE_VALUES

    if article is None:
        own = store.newest_stating(slug, PLEDGE_VALUES, within) or store.newest_stating(
            slug, tuple(t for t in ("result", "view", "event")), within
        )
        found = store.records(Select(areas=[slug], article=own)) if own else []
        lines = store.newest_figures(Select(areas=[slug], window=within))
        return found, lines, own
    ids = _scope_ids(store, article, [slug], ALL, within)
    select = Select(areas=[slug], article=_one(ids, store), window=within)
    return store.records(select), store.figures(select), ids[-1] if ids else None


def _summarize_area(store: Store, area: Row, article: str | None, within: Window | None) -> AreaSummary:
    from liaoyuan_cli.vocab import PLEDGE_VALUES

    found, lines, own = _answering(store, area["slug"], article, within)
    seen = {r["article"] for r in found} | {f["article"] for f in lines}
    articles = [a for a in store.articles() if a["id"] in seen]
    counted = {r["id"]: r["kind"] for r in found}
    counted.update({f["record"]: f["kind"] for f in lines})  # the records the newest figures come from
    mentioned = list(dict.fromkeys(e for r in found for e in r["entities"]))
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "summarize",
        "area": area_ref(store, area, own, within),
        "articles": articles,
        "frameworks": store.frameworks(area["slug"], own) if own else [],
        "results": [f for f in lines if f["role"] == "result"],
        "targets": [f for f in lines if f["role"] == "target"],
        "attributes": [f for f in lines if f["role"] == "attribute"],
        "pledges_by_category": dict(
            Counter(r["category"] for r in found if r["kind"] in PLEDGE_VALUES).most_common()
        ),
        "counts": _kinds(Counter(counted.values())),
        "entities": [_entity_ref(e) for e in store.entities(mentioned)],
    }


def _summarize_city(store: Store, article: str | None, within: Window | None) -> CitySummary:
    leaders: list[Leader] = []
    seen: set[str] = set()
    named = {a["slug"]: a for a in store.areas()}
    for topic in (t["id"] for t in store.topics() if t["headline"]):
        result = _compare(store, topic, article, within)
        seen |= {a["id"] for a in result["articles"]}
        for series in result["series"]:
            numeric = [
                r
                for r in series["rows"]
                if r["value"] is not None and r["unit"] != "名" and r["role"] != "attribute"
            ]
            if any(series["key"] == x["series"] for x in leaders) or len({r["area"] for r in numeric}) < 2:
                continue
            # The leader is the best, not the largest: the lowest unemployment, say.
            better = bool(store.metrics().get(series["metric"], {}).get("higher_is_better", True))
            top = (max if better else min)(numeric, key=lambda r: r["value"] or 0)
            leaders.append(
                {
                    "series": series["key"],
                    "metric": series["metric"],
                    "metric_zh": series["metric_zh"],
                    "metric_en": series["metric_en"],
                    "year": series["year"],
                    "role": series["role"],
                    "area": top["area"],
                    "area_zh": named[top["area"]]["zh"] if top["area"] in named else top["area"],
                    "area_en": named[top["area"]]["en"] if top["area"] in named else top["area"],
                    "highest": better,
                    "display": top["display"],
                    "display_en": top["display_en"],
                    "areas_reporting": len({r["area"] for r in series["rows"]}),
                    "comparable": series["comparable"],
                    "comparable_zh": series["comparable_zh"],
                }
            )
    # Each area from its own newest articles, as an area's summary is.
    found: list[RecordRow] = []
    lines: list[FigureLine] = []
    for a in store.areas():
        records_, figures_, _ = _answering(store, a["slug"], article, within)
        found += records_
        lines += figures_
    seen |= {r["article"] for r in found} | {f["article"] for f in lines}
    select = Select(ids=[r["id"] for r in found]) if found else None
    # Standings the articles themselves state (全省第十名, 全市第一, 领跑全市, 位全市前列).
    standings = [f for f in lines if f["scope"]]
    by_area: dict[str, set[str]] = {}
    totals: Counter[str] = Counter()
    for theme, area_, n in store.counts(["theme", "area"], select) if select else []:
        by_area.setdefault(theme, set()).add(area_)
        totals[theme] += n
    themes: list[ThemeCount] = [
        {
            "id": t["id"],
            "zh": t["zh"],
            "en": t["en"],
            "areas": sorted(by_area.get(t["id"], ())),
            "records": totals[t["id"]],
        }
        for t in store.themes()
        if len(by_area.get(t["id"], ())) >= 2
    ]
    summary = store.mention_summary(within)  # named by then (--as-of), drafts out unless asked
    shared: list[SharedEntity] = []
    for e in store.entities():
        named_by = summary.get(e["id"], ([], [], 0))[0]
        if len(named_by) >= 2:
            ref = _entity_ref(e)
            shared.append(
                {
                    "id": ref["id"],
                    "kind": ref["kind"],
                    "zh": ref["zh"],
                    "en": ref["en"],
                    "pinyin": ref["pinyin"],
                    "areas": named_by,
                }
            )
    counts = Counter(r["kind"] for r in found)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "summarize",
        "area": None,
        "articles": [a for a in store.articles() if a["id"] in seen],
        "leaders": leaders,
        "standings": standings,
        "themes": themes,
        "shared_entities": shared,
        "counts": _kinds(counts),
    }


def themes(store: Store) -> ThemesResult:
    """The themes with their rule and how many records (of which areas) each holds."""
    by_area: dict[str, set[str]] = {}
    totals: Counter[str] = Counter()
    for theme, area_, n in store.counts(["theme", "area"]):
        by_area.setdefault(theme, set()).add(area_)
        totals[theme] += n
    rows: list[ThemeRow] = [
        {
            "id": t["id"],
            "zh": t["zh"],
            "en": t["en"],
            "keywords_zh": t["keywords_zh"],
            "keywords_en": t["keywords_en"],
            "include": t["include"],
            "exclude": t["exclude"],
            "records": totals[t["id"]],
            "areas": sorted(by_area.get(t["id"], ())),
        }
        for t in store.themes()
    ]
    return {"schema_version": SCHEMA_VERSION, "command": "themes", "themes": rows}


def facet(
    store: Store, *, by: str | Sequence[str] = "area", of: str = "records", **asked: Unpack[Asked]
) -> FacetResult:
    """How many records (or figures) have each combination of values: datasette's facets."""
    from liaoyuan_cli.vocab import PLEDGE_VALUES, Category, Counted, FacetField, RecordKind, Verdict, names

    by = [f.strip() for f in by.split(",") if f.strip()] if isinstance(by, str) else list(by)
    if not by:
        raise UsageError(
            "--by names no field",
            hint=f"e.g. --by area,category; choose from: {', '.join(names(FacetField))}",
        )
    fields = [choose(FacetField, f, "facet field") or "" for f in by]
    if len(set(fields)) != len(fields):
        raise UsageError("--by names a field twice")
    of = choose(Counted, of, "--of") or Counted.records
    ask = Ask(store, **asked)
    pledges = PLEDGE_VALUES if of == "records" else ()
    width = len(fields)
    rows: list[FacetRow] = [
        {
            "values": dict(zip(fields, row[:width], strict=True)),
            "count": row[width],
            "pledges": row[width + 1] if pledges else None,
        }
        for row in store.counts(fields, ask.select, of, pledges)
    ]
    tally = store.counts(fields, ask.select, of, pledges, total=True)[0]
    # A scale reads in its own order (met before not met), a vocabulary in its own, areas as
    # `lycli areas` lists them; anything else as SQL sorts it.
    scales: dict[str, list[str]] = {
        "verdict": names(Verdict),
        "kind": names(RecordKind),
        "category": names(Category),
        "area": [a["slug"] for a in store.areas()],
    }

    def order(field: str, value: str | int | None) -> tuple[int, str]:
        if field in scales:
            scale = scales[field]
            return (scale.index(str(value)) if value in scale else len(scale), "")
        if value is None:  # no value (a record no one speaks): last
            return (1, "")
        return (0, f"{value:>20}" if isinstance(value, int) else value)

    rows.sort(key=lambda r: tuple(order(f, v) for f, v in r["values"].items()))
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "facet",
        "of": of,
        "by": fields,
        "filters": ask.filters(),
        "total": tally[0],
        "pledges": tally[1] if pledges else None,
        "rows": rows,
    }


# -- tracking -------------------------------------------------------------------------------------


def track(store: Store, *, verdict: str | None = None, **asked: Unpack[Asked]) -> TrackResult:
    """Each target and plan with its verdict, target beside actual, and the later evidence."""
    from liaoyuan_cli.vocab import PLEDGE_VALUES, Verdict

    chosen = choose(Verdict, verdict, "verdict")
    kind = asked.get("kind")
    if not set(kinds_of(choose_kind(kind))) <= set(PLEDGE_VALUES):
        raise UsageError(
            f"--kind {kind}: only targets and plans are tracked", hint="choose target, plan or pledge"
        )
    # The pledges of each area's two newest articles that state pledges: the newest session's (not
    # yet judged) and those of the session before, which the newest judges.
    ask = Ask(store, **asked, default_article=NEWEST, default_kinds=PLEDGE_VALUES, sessions=2)
    pledged = store.records(ask.select)
    ids = [r["id"] for r in pledged]
    # The cache's verdicts read every article; with --as-of, or a draft to leave out, they are
    # worked out again from the articles the window lets answer.
    verdicts = store.verdicts(ids) if ask.window is None else _verdicts_as_of(store, pledged, ask.window)
    evidence_ids = {e for r in pledged for e in verdicts.get(r["id"], {}).get("evidence", [])}
    evidence = {r["id"]: r for r in store.records(Select(ids=sorted(evidence_ids)))} if evidence_ids else {}
    out: list[Tracked] = []
    for record in pledged:
        v = verdicts.get(
            record["id"],
            {
                "verdict": Verdict.not_assessed,
                "source": "none",
                "as_of": None,
                "comparisons": [],
                "evidence": [],
                "history": [],
            },
        )
        if chosen is not None and v["verdict"] != chosen:
            continue
        out.append(
            {
                "record": record,
                "verdict": v["verdict"],
                "source": v["source"],
                "as_of": v["as_of"],
                "comparisons": v["comparisons"],
                "evidence": [_evidence(evidence[e]) for e in v["evidence"] if e in evidence],
                "history": [_assessment(a) for a in v["history"]],
            }
        )
    explain = None if out else _track_explain(store, ask, chosen, verdicts)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "track",
        "areas": ask.area_refs(store),
        "articles": ask.articles,
        "filters": ask.filters(chosen),
        "pledges": out,
        "explain": explain,
    }


def _verdicts_as_of(store: Store, pledged: list[RecordRow], within: Window) -> dict[str, Row]:
    """Each pledge's verdict as the corpus stood at --as-of (drafts left out unless asked for):
    only the results of articles the window lets answer, only the assessments made by then
    (tracking.settle, as the cache's build decides them for today)."""
    from liaoyuan_cli import tracking

    until = within.until
    metrics = store.metrics()
    dates = {a["id"]: a["date"] for a in store.articles()}
    history: dict[str, list[Row]] = {}
    for a in sorted(store.assessments(), key=lambda a: str(a["as_of"])):
        if until is None or _last_day(a["as_of"]) <= until:
            history.setdefault(a["target"], []).append(a)
    out: dict[str, Row] = {}
    for record in pledged:
        following = store.followers(record["id"])  # none: no records (an empty `ids` selects all)
        followers = store.records(Select(ids=following, window=within)) if following else []
        results = [f for r in followers for f in r["figures"]]
        made = history.get(record["id"], [])
        settled = tracking.settle(
            record["figures"],
            results,
            made,
            lambda metric: bool(metrics.get(metric, {}).get("higher_is_better", True)),
            dates=dates,
        )
        out[record["id"]] = {
            "verdict": settled.verdict,
            "source": settled.source,
            "as_of": settled.as_of,
            "comparisons": [{"target": t, "actual": a, "outcome": o} for t, a, o in settled.pairs],
            "evidence": sorted({e for a in made for e in a["evidence"]} | {r["id"] for r in followers}),
            "history": made,
        }
    return out


def _last_day(iso: str) -> str:
    from liaoyuan_cli.build import last_day

    return last_day(iso)


def _track_explain(store: Store, ask: Ask, verdict: str | None, verdicts: dict[str, Row]) -> Explain | None:
    """Why no pledge is tracked: each condition dropped in turn, the verdict kept unless it is
    the one dropped (a pledge without an assessment is not yet assessed)."""
    if verdict is None:
        return ask.explain(store)
    from liaoyuan_cli.vocab import Verdict

    def holding(select: Select) -> int:
        found = store.records(select)
        ids = [r["id"] for r in found]
        # As track reads them: as of the window's end where the selection keeps a window.
        known = store.verdicts(ids) if select.window is None else _verdicts_as_of(store, found, select.window)
        return sum(known.get(r["id"], {}).get("verdict", Verdict.not_assessed) == verdict for r in found)

    tries = [(en, zh, holding(sel)) for en, zh, sel in ask.relaxations()]
    tries.append((f"without --verdict {verdict}", f"去掉 --verdict {verdict}", store.count(ask.select)))
    return _explained(tries, "pledge", "项")


# -- validation -----------------------------------------------------------------------------------


def validate(data_dir: str, review: bool = False) -> ValidateResult:
    """Every problem of a knowledge base, read from its TOML (never from a cache): the first
    errors.LIMIT of them, then of its warnings, each kind counted whole."""
    import os

    from liaoyuan_cli import kb

    loaded, reading = kb.examine(data_dir)
    found = (*reading.problems, *reading.warnings)
    problems: list[ProblemOut] = [
        {
            "file": p.file,
            "line": p.line,
            "where": p.where,
            "message": p.message,
            "severity": p.severity,
            "text": str(p),
        }
        for p in found
    ]
    errors, warnings = reading.problems.total, reading.warnings.total
    if loaded is not None:
        summary = ", ".join(
            (
                counted(len(loaded.articles), "article"),
                counted(len(loaded.records), "record"),
                counted(len(loaded.entities), "entity", "entities"),
                counted(len(loaded.frameworks), "framework"),
                counted(len(loaded.areas), "area"),
                counted(len(loaded.assessments), "assessment"),
            )
        )
    else:
        files = len(reading.problems.files)
        summary = f"{counted(errors, 'problem')} in {counted(files, 'file')}"
    if warnings:
        summary += f"; {counted(warnings, 'warning')}"
    reviews = reading.reviews if loaded is not None else []
    drafts = sorted({r.article for r in reviews if r.article})
    if reviews:
        summary += f"; {counted(len(reviews), 'item')} to review in {counted(len(drafts), 'draft')}"
    try:
        shown = os.path.relpath(data_dir)
    except OSError:  # the working directory was deleted: the path as it is
        shown = str(data_dir)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "validate",
        "data_dir": str(data_dir) if shown.startswith("..") else shown,
        "ok": loaded is not None,
        "summary": summary,
        "errors": errors,
        "warnings": warnings,
        "unlisted": errors + warnings - len(problems),
        "problems": problems,
        "review_items": len(reviews),
        "drafts": drafts,
        "reviews": [
            {
                "file": r.file,
                "line": r.line,
                "where": r.where,
                "article": r.article,
                "field": r.field,
                "why": r.why,
                "text": str(r),
            }
            for r in (reviews if review else [])
        ],
    }
