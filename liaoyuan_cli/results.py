"""The JSON contract: one TypedDict per command's result, which queries build, renderers read,
mypy checks end to end, and `lycli schema` publishes. Each result also declares its main rows
(ROWS): what jsonl, csv, tsv, markdown and --fields work on.

TypedDicts cost nothing at run time: queries and renderers import this module only for type
checking, so a warm `--json` run never loads it (nor pydantic, which `schema_for` uses).
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, NotRequired

# pydantic derives the JSON Schemas from these, and on Python 3.11 it needs this TypedDict.
from typing_extensions import TypedDict

from liaoyuan_cli import SCHEMA_VERSION

if TYPE_CHECKING:
    from liaoyuan_cli.commands import Command


class Envelope(TypedDict):
    schema_version: int
    command: str


# -- the things results are made of ------------------------------------------------------------


class ArticleRef(TypedDict):
    """A source in the knowledge base; its date as far as stated, and what is inferred."""

    id: str
    title_zh: str
    title_en: str
    title_supplied: bool
    session_zh: str
    session_en: str
    publication_zh: str | None
    publication_en: str | None
    publication_stated: str | None
    date: str
    date_precision: str
    date_inferred: bool
    draft: bool  # items of it are still to review (lycli draft): out of default answers


class PersonRef(TypedDict):
    id: str
    zh: str
    pinyin: str
    role_zh: str
    role_en: str


class AreaRef(TypedDict):
    slug: str
    zh: str
    en: str
    short_zh: str
    short_en: str | None  # where given, tables name the area by its short names
    kind: str
    official: PersonRef | None


class FigureRow(TypedDict):
    """A typed figure, flat, with how it reads (decided once, in figures.py)."""

    record: str
    article: str
    area: str
    metric: str
    metric_zh: str
    metric_en: str
    value: float | None  # a range's lower end (10%—15%: 10)
    value_max: float | None  # a range's upper end (15), else None
    unit: str | None  # as printed: 亿元, %, 个, 家, 万人, 个百分点, 成, 番, …
    year: int
    year_inferred: bool  # the year is read from 今年, 去年, … or the context, not printed with it
    role: str
    comparator: str
    intent: str
    stage: str | None
    threshold_value: float | None
    threshold_unit: str | None
    threshold_comparator: str | None
    threshold_stated: str | None
    threshold_en: str | None
    threshold_base_value: float | None  # in base units, as base_value: 亿元以上 is 100000000 yuan
    threshold_base_unit: str | None
    scope: str | None
    claim: str | None
    approximate: bool
    readings_en: list[str]
    entity: str | None
    base_value: float | None  # in base units: 72亿元 is 7200000000 yuan, 3成 is 30 percent
    base_value_max: float | None  # a range's upper end in base units
    base_unit: str | None  # vocab.BaseUnit (yuan, count, percent, rank, mu, …) or an unknown measure word
    display: str
    display_en: str
    qualifiers_zh: list[str]
    qualifiers_en: list[str]
    series: str
    stated: str
    note_en: str | None
    errata: list[str]


class FigureLine(FigureRow):
    """A figure with the record it stands in: one row of `lycli figures`."""

    kind: str
    category: str
    quote: str


class RecordRow(TypedDict):
    """One claim of an article."""

    id: str
    article: str
    section: str
    area: str
    kind: str
    category: str
    year: int
    year_inferred: bool  # the year is read from 今年, 去年, … or the context, not printed
    zh: str
    en: str
    quote: str
    voice: str
    speaker: str | None
    figures: list[FigureRow]
    entities: list[str]
    frameworks: list[str]
    themes: list[str]
    follows: list[str]
    formerly: list[str]
    note_en: str | None
    errata: list[str]


class ErratumRef(TypedDict):
    """A misprint standing in a quote shown: the record's zh and en use the reading."""

    id: str
    article: str
    kind: str
    printed: str
    printed_en: str
    reading: str | None
    reading_en: str | None
    certainty: str
    note_en: str


class EntityRef(TypedDict):
    id: str
    kind: str
    zh: str
    en: str
    pinyin: str


class LinkOut(TypedDict):
    kind: str
    to: str
    zh: str
    en: str
    note_en: str | None


class Filters(TypedDict):
    """What a listing was narrowed by, as given (None: not narrowed)."""

    areas: list[str]
    article: str | None
    kind: str | None
    category: str | None
    theme: str | None
    year: int | None
    entity: str | None
    metric: str | None
    has_figures: bool | None
    voice: str | None  # whose words: direct, indirect, narration or document
    speakers: list[str]  # person ids
    as_of: str | None  # --as-of: the corpus as it stood then
    verdict: NotRequired[str | None]


class Explain(TypedDict):
    """Why an answer is empty, when lycli can tell, and what to try."""

    en: str
    zh: str


class Kinds(TypedDict):
    result: int
    target: int
    plan: int
    view: int
    event: int


# -- one result per command ------------------------------------------------------------------


class AreaRow(TypedDict):
    slug: str
    zh: str
    short_zh: str
    en: str
    short_en: str | None
    pinyin: str
    kind: str
    aliases: list[str]
    articles: list[str]
    official: PersonRef | None
    headline_zh: str
    headline_en: str
    counts: Kinds


class AreasResult(Envelope):
    areas: list[AreaRow]


class Answered(TypedDict):
    """Which article answered for an area: its own newest that states what was asked."""

    area: str
    article: str


class RecordsResult(Envelope):
    """`targets` and `records`: records in article order, with the misprints in their quotes."""

    areas: list[AreaRef]
    articles: list[ArticleRef]
    filters: Filters
    # Read from the cache as they are written (store.Rows): as long as the corpus, never held.
    records: Sequence[RecordRow]
    errata: Sequence[ErratumRef]
    # Which article answered for each area (targets: each area's own newest that states pledges).
    answered: list[Answered]
    explain: Explain | None


class FiguresResult(Envelope):
    """`metrics` and `figures`: one row per typed figure."""

    areas: list[AreaRef]
    articles: list[ArticleRef]
    filters: Filters
    figures: Sequence[FigureLine]  # as records above
    explain: Explain | None


class Series(TypedDict):
    key: str
    metric: str
    metric_zh: str
    metric_en: str
    year: int
    role: str
    unit: str | None
    threshold_stated: str | None
    threshold_en: str | None
    stage: str | None
    comparable: str
    comparable_zh: str
    level: str  # alone, not, caution or yes: how far the series compares (figures.LEVELS)
    rows: list[FigureLine]


class CompareFigure(TypedDict):
    """One figure in a cell of the comparison: what it says, of which series, from where."""

    record: str
    article: str
    series: str
    year: int
    role: str
    value: float | None
    unit: str | None
    base_value: float | None
    base_unit: str | None
    claim: str | None
    scope: str | None
    display: str
    display_en: str
    qualifiers_zh: list[str]
    qualifiers_en: list[str]
    entity: str | None  # the project or thing whose size this is, with its names
    entity_zh: str | None
    entity_en: str | None
    level: str  # its series' level: whether it compares with the other areas' figures of the row


class Compared(TypedDict):
    """A row of the comparison: a metric, and each area's figures of it (keyed by slug; the
    areas without one are left out). The columns are the result's `areas`, in their order."""

    metric: str
    metric_zh: str
    metric_en: str
    standing: bool  # a standing or rank the article states (领跑全市, 全省第10名)
    cells: dict[str, list[CompareFigure]]


class CompareResult(Envelope):
    topic: str
    topic_zh: str
    topic_en: str
    metrics: list[str]
    articles: list[ArticleRef]
    series: list[Series]
    areas: list[AreaRef]
    comparison: list[Compared]
    topics: list[str]
    explain: Explain | None


class TopicRow(TypedDict):
    id: str
    zh: str
    en: str
    headline: bool
    metrics: list[str]
    metrics_en: list[str]
    figures: int


class TopicsResult(Envelope):
    """`compare` without a topic."""

    topics: list[TopicRow]


class Highlight(TypedDict):
    zh: list[int] | None
    en: list[int] | None


class Hit(TypedDict):
    type: Literal["record", "entity", "framework"]
    id: str
    article: str | None
    area: str | None
    kind: str | None
    category: str | None
    zh: str
    en: str
    matched: list[str]
    highlight: Highlight
    score: int


class SearchResult(Envelope):
    query: str  # as typed
    searched: str  # as searched: folded, and in simplified characters (龍山 is searched as 龙山)
    total: int
    hits: list[Hit]
    themes: list[str]


class EntityRow(EntityRef):
    aliases: list[str]
    areas: list[str]
    articles: list[str]
    mentions: int
    general_knowledge_en: str | None


class EntitiesResult(Envelope):
    entities: list[EntityRow]


class EntityDetail(EntityRow):
    note_en: str | None
    quote: str
    links: list[LinkOut]


class Mention(TypedDict):
    id: str
    article: str
    area: str
    kind: str
    category: str
    year: int
    zh: str
    en: str


class EntityResult(Envelope):
    """`entities NAME`: one entity and the records that name it."""

    entity: EntityDetail
    mentions: list[Mention]


class SectionRef(TypedDict):
    id: str
    article: str
    kind: str
    headline_zh: str
    headline_en: str
    date: str
    date_precision: str
    date_inferred: bool
    date_stated: str | None


class AssessmentOut(TypedDict):
    id: str
    verdict: str
    as_of: str
    evidence: list[str]
    assessor: str
    note_en: str


class ShowResult(Envelope):
    record: RecordRow
    area: AreaRef
    article: ArticleRef
    section: SectionRef
    speaker: PersonRef | None
    interviewee: PersonRef | None
    reporters: list[PersonRef]
    entities: list[EntityRef]
    errata: list[ErratumRef]
    followed_by: list[str]
    assessments: list[AssessmentOut]
    citation: str
    citation_en: str


class CslName(TypedDict):
    family: str
    given: str


class CslDate(TypedDict):
    date_parts: list[list[int]]


class Cited(TypedDict):
    """One entry of a bibliography: the record cited and its citation in the style asked."""

    record: str
    citation: str
    csl: dict[str, Any]


class CiteResult(Envelope):
    """A bibliography of one record or many: `citation` is the whole of it in the style asked
    (each source once, in the style's order); `record` and `csl` are its first entry's."""

    record: str
    style: str
    citation: str
    csl: dict[str, Any]
    records: list[str]
    publication: str | None
    entries: list[Cited]


class Leader(TypedDict):
    series: str
    metric: str
    metric_zh: str
    metric_en: str
    year: int
    role: str
    area: str
    area_zh: str
    area_en: str
    highest: bool  # the highest figure of the series; false where lower is better (the lowest)
    display: str
    display_en: str
    areas_reporting: int
    comparable: str
    comparable_zh: str


class ThemeCount(TypedDict):
    id: str
    zh: str
    en: str
    areas: list[str]
    records: int


class SharedEntity(EntityRef):
    areas: list[str]


class FrameworkOut(TypedDict):
    id: str
    section: str
    area: str
    zh: str
    en: str
    quote: str
    parts: list[dict[str, str]]


class AreaSummary(Envelope):
    area: AreaRef
    articles: list[ArticleRef]
    frameworks: list[FrameworkOut]
    results: list[FigureLine]
    targets: list[FigureLine]
    attributes: list[FigureLine]
    pledges_by_category: dict[str, int]
    counts: Kinds
    entities: list[EntityRef]


class AreaSummaries(Envelope):
    """`summarize` with several areas: each area's summary, in the order asked."""

    areas: list[AreaRef]
    summaries: list[AreaSummary]


class CitySummary(Envelope):
    area: None
    articles: list[ArticleRef]
    leaders: list[Leader]
    standings: list[FigureLine]
    themes: list[ThemeCount]
    shared_entities: list[SharedEntity]
    counts: Kinds


class ThemeRow(TypedDict):
    id: str
    zh: str
    en: str
    keywords_zh: list[str]
    keywords_en: list[str]
    include: list[str]
    exclude: list[str]
    records: int
    areas: list[str]


class ThemesResult(Envelope):
    themes: list[ThemeRow]


class FacetRow(TypedDict):
    """One combination of values and how many rows have it; the keys are those of `by`."""

    values: dict[str, str | int | None]
    count: int
    pledges: int | None  # of the records counted, the targets and plans (None for figures)


class FacetResult(Envelope):
    of: str
    by: list[str]
    filters: Filters
    total: int
    pledges: int | None
    rows: list[FacetRow]


class ProjectStageRow(TypedDict):
    """A stage the article gives a project, reached (result) or aimed at (target) in a year."""

    stage: str
    year: int
    role: str
    words: str  # the article's words naming it (落地), or the figure that states it


class ProjectRow(TypedDict):
    """A project the articles name (or a park, or a programme of works), with who is behind it,
    where, its amounts and the totals it is part of."""

    id: str
    kind: str  # project, park or programme
    zh: str
    en: str
    pinyin: str
    companies: list[EntityRef]
    parks: list[EntityRef]
    areas: list[str]
    articles: list[str]
    records: list[str]
    stages: list[ProjectStageRow]
    amounts: list[FigureLine]  # its own, each with the quote that states it
    amount_yuan: float | None  # the largest of its own amounts in yuan (base units), to sort on
    totals: list[FigureLine]  # figures of a set it is named in: 34 key projects, 265亿元 in all
    links: list[LinkOut]
    named_by_several_areas: bool
    caution_en: str | None
    caution_zh: str | None


class ProjectsResult(Envelope):
    filters: Filters
    kind: str | None  # --kind: project, park or programme (None: all three)
    sort: str  # article (as the articles name them) or amount (the largest first)
    projects: list[ProjectRow]
    explain: Explain | None


class Comparison(TypedDict):
    target: FigureRow
    actual: FigureRow
    outcome: str


class Evidence(TypedDict):
    id: str
    article: str
    zh: str
    en: str
    quote: str


class Tracked(TypedDict):
    record: RecordRow
    verdict: str
    source: Literal["computed", "recorded", "none"]
    as_of: str | None
    comparisons: list[Comparison]
    evidence: list[Evidence]
    history: list[AssessmentOut]


class TrackResult(Envelope):
    areas: list[AreaRef]
    articles: list[ArticleRef]
    filters: Filters
    pledges: list[Tracked]
    explain: Explain | None


class ProblemOut(TypedDict):
    file: str
    line: int | None
    where: str
    message: str
    severity: Literal["error", "warning"]
    text: str


class ReviewOut(TypedDict):
    """An item a person must still review (`lycli draft` marks them): where, and what."""

    file: str
    line: int | None
    where: str
    article: str | None
    field: str
    why: str
    text: str


class ValidateResult(Envelope):
    data_dir: str
    ok: bool
    summary: str
    errors: int  # problems found, each of which makes the knowledge base invalid
    warnings: int  # found, but not making it invalid
    unlisted: int  # found but not listed: errors.LIMIT of each are
    problems: list[ProblemOut]
    review_items: int  # open review items: their articles are drafts
    drafts: list[str]  # the articles with open review items
    reviews: list[ReviewOut]  # listed with --review


class DraftResult(Envelope):
    """What `lycli draft` wrote: the new article's files and how much a person must review."""

    article: str
    data_dir: str
    files: list[str]
    sections: int
    records: int
    figures: int
    people: int
    metrics: int
    entities: int
    review_items: int


class ExportTable(TypedDict):
    name: str
    rows: int


class ExportResult(Envelope):
    path: str
    format: str
    tables: list[ExportTable]


# -- the main rows of each result ---------------------------------------------------------


class Rows(NamedTuple):
    """A kind of answer: its result type (`lycli schema`), and what jsonl, csv, tsv, markdown and
    --fields write of it, a list of flat rows.

    `key` names the result's main list and `row` the TypedDict of one row (its fields are the
    columns, so an empty result still has its header); `rows` derives them where the main list
    is nested (compare's series), `columns` where they depend on the question (facet's `by`).
    """

    result: type
    key: str
    row: type
    rows: Callable[[Any], list[Any]] | None = None
    columns: Callable[[Any], list[str]] | None = None


class SeriesRow(FigureLine):
    comparable: str


class TrackRow(TypedDict):
    record: str
    article: str
    area: str
    kind: str
    category: str
    year: int
    zh: str
    en: str
    verdict: str
    source: str
    as_of: str | None
    targets: list[str]
    actuals: list[str]
    evidence: list[str]


def _series_rows(result: CompareResult) -> list[SeriesRow]:
    return [{**row, "comparable": s["comparable"]} for s in result["series"] for row in s["rows"]]


def _summary_rows(result: AreaSummary) -> list[FigureLine]:
    return [*result["results"], *result["targets"], *result["attributes"]]


def _summaries_rows(result: AreaSummaries) -> list[FigureLine]:
    return [figure for summary in result["summaries"] for figure in _summary_rows(summary)]


def _show_rows(result: ShowResult) -> list[dict[str, Any]]:
    return [{**result["record"], "citation": result["citation"]}]


def _cite_rows(result: CiteResult) -> list[dict[str, Any]]:
    style = result["style"]
    return [{"record": e["record"], "style": style, "citation": e["citation"]} for e in result["entries"]]


def _facet_rows(result: FacetResult) -> list[dict[str, Any]]:
    pledges = result["of"] == "records"
    return [
        {**row["values"], "count": row["count"], **({"pledges": row["pledges"]} if pledges else {})}
        for row in result["rows"]
    ]


def _track_rows(result: TrackResult) -> list[TrackRow]:
    rows: list[TrackRow] = []
    for p in result["pledges"]:
        r = p["record"]
        rows.append(
            {
                "record": r["id"],
                "article": r["article"],
                "area": r["area"],
                "kind": r["kind"],
                "category": r["category"],
                "year": r["year"],
                "zh": r["zh"],
                "en": r["en"],
                "verdict": p["verdict"],
                "source": p["source"],
                "as_of": p["as_of"],
                "targets": [c["target"]["display"] for c in p["comparisons"]],
                "actuals": [c["actual"]["display"] for c in p["comparisons"]],
                "evidence": [e["id"] for e in p["evidence"]],
            }
        )
    return rows


class DraftFile(TypedDict):
    path: str


def _draft_rows(result: DraftResult) -> list[DraftFile]:
    return [{"path": path} for path in result["files"]]


class ShowRow(RecordRow):
    citation: str


class CiteRow(TypedDict):
    record: str
    style: str
    citation: str


# Keyed by the result's `command`, as the command table's `answers` name them: `entity` is
# `entities NAME`, `topics` is `compare` alone, `summarize-city` is `summarize` without an area,
# `summarize-areas` is `summarize` of several.
ROWS: dict[str, Rows] = {
    "areas": Rows(AreasResult, "areas", AreaRow),
    "targets": Rows(RecordsResult, "records", RecordRow),
    "records": Rows(RecordsResult, "records", RecordRow),
    "metrics": Rows(FiguresResult, "figures", FigureLine),
    "figures": Rows(FiguresResult, "figures", FigureLine),
    "compare": Rows(CompareResult, "series", SeriesRow, _series_rows),
    "topics": Rows(TopicsResult, "topics", TopicRow),
    "search": Rows(SearchResult, "hits", Hit),
    "entities": Rows(EntitiesResult, "entities", EntityRow),
    "entity": Rows(EntityResult, "mentions", Mention),
    "show": Rows(ShowResult, "record", ShowRow, _show_rows),
    "cite": Rows(CiteResult, "citation", CiteRow, _cite_rows),
    "summarize": Rows(AreaSummary, "figures", FigureLine, _summary_rows),
    "summarize-city": Rows(CitySummary, "leaders", Leader),
    "summarize-areas": Rows(AreaSummaries, "figures", FigureLine, _summaries_rows),
    "themes": Rows(ThemesResult, "themes", ThemeRow),
    "facet": Rows(
        FacetResult,
        "rows",
        FacetRow,
        _facet_rows,
        lambda result: [*result["by"], "count", *(["pledges"] if result["of"] == "records" else [])],
    ),
    "projects": Rows(ProjectsResult, "projects", ProjectRow),
    "track": Rows(TrackResult, "pledges", TrackRow, _track_rows),
    "validate": Rows(ValidateResult, "problems", ProblemOut),
    "draft": Rows(DraftResult, "files", DraftFile, _draft_rows),
    "export": Rows(ExportResult, "tables", ExportTable),
}


# Shapes a command answers under another name: `compare` alone lists topics, `entities X` one entity.
_ANSWERED_AS = {"TopicsResult": "topics", "EntityResult": "entity"}


def schema_for(command: "Command") -> dict[str, Any]:
    """The JSON Schema of a command's --json output (a oneOf where it has two shapes)."""
    from typing import Union

    from pydantic import TypeAdapter

    types = [ROWS[kind].result for kind in command.answers]
    either: Any = types[0] if len(types) == 1 else Union[tuple(types)]  # noqa: UP007
    schema = TypeAdapter(either).json_schema()
    schema["title"] = f"lycli {command.name} --json (schema version {SCHEMA_VERSION})"
    # The envelope pins its version and command, so a consumer's check fails on a new version.
    envelopes = [schema, *schema.get("$defs", {}).values()]
    for shape in envelopes:
        properties = shape.get("properties", {})
        if "schema_version" in properties and "command" in properties:
            named = _ANSWERED_AS.get(shape.get("title", ""), command.name)
            properties["schema_version"] = {"const": SCHEMA_VERSION, "type": "integer"}
            properties["command"] = {"const": named, "type": "string"}
    return schema
