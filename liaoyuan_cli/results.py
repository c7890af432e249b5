"""The JSON contract: one pydantic model per command's --json output, published by `lycli schema`.

queries.py builds plain dicts of exactly these shapes (pydantic stays off the fast path); the
tests validate every command's real output against these models' JSON Schemas.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from liaoyuan_cli.models import Framework, Record, Threshold
from liaoyuan_cli.queries import SCHEMA_VERSION


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Envelope(Out):
    schema_version: Literal[1]


class PersonOut(Out):
    id: str
    zh: str
    pinyin: str
    role_zh: str
    role_en: str


class AreaOut(Out):
    slug: str
    zh: str
    en: str
    kind: str
    official: PersonOut | None


class Filters(Out):
    kind: str | None
    category: str | None
    year: int | None


class AreaRow(AreaOut):
    short_zh: str
    pinyin: str
    aliases: list[str]
    headline_zh: str
    headline_en: str
    counts: dict[str, int]


class AreasResult(Envelope):
    command: Literal["areas"]
    areas: list[AreaRow]


class ErratumOut(Out):
    """A misprint that stands in the record's quote, with the reading its `zh` text uses."""

    id: str
    printed: str
    reading: str
    certainty: str
    note_en: str


class TargetsResult(Envelope):
    command: Literal["targets"]
    area: AreaOut
    filters: Filters
    records: list[Record]
    errata: list[ErratumOut]


class FigureRow(Out):
    """A Figure flattened with its record, area and what its metric means."""

    record: str
    area: str
    metric: str
    metric_zh: str
    metric_en: str
    value: float | None
    unit: str | None
    year: int
    status: str
    comparator: str
    intent: str
    stage: str | None
    threshold: Threshold | None
    scope: str | None
    stated: str
    note_en: str | None
    display: str


class MetricsResult(Envelope):
    command: Literal["metrics"]
    area: AreaOut
    filters: Filters
    figures: list[FigureRow]


class Series(Out):
    key: str
    metric: str
    metric_zh: str
    metric_en: str
    year: int
    status: str
    unit: str | None
    threshold: Threshold | None
    stage: str | None
    comparable: str
    rows: list[FigureRow]


class CompareResult(Envelope):
    command: Literal["compare"]
    topic: str
    metrics: list[str]
    topics: list[str]
    series: list[Series]


class TopicRow(Out):
    topic: str
    metrics: list[str]
    metrics_en: list[str]
    figures: int


class TopicsResult(Envelope):
    """`lycli compare` without a topic."""

    command: Literal["topics"]
    topics: list[TopicRow]


class Highlight(Out):
    zh: list[int] | None
    en: list[int] | None


class Hit(Out):
    type: Literal["record", "entity", "framework"]
    id: str
    area: str | None
    kind: str | None
    category: str | None
    zh: str
    en: str
    matched: list[str]
    highlight: Highlight
    score: int


class SearchResult(Envelope):
    command: Literal["search"]
    query: str
    total: int
    hits: list[Hit]


class EntityRef(Out):
    id: str
    kind: str
    zh: str
    en: str
    pinyin: str


class EntityRow(EntityRef):
    aliases: list[str]
    areas: list[str]
    mentions: int


class EntitiesResult(Envelope):
    command: Literal["entities"]
    entities: list[EntityRow]


class EntityDetail(EntityRef):
    aliases: list[str]
    note_en: str | None
    quote: str
    areas: list[str]


class Mention(Out):
    id: str
    area: str
    kind: str
    category: str
    year: int
    zh: str
    en: str


class EntityResult(Envelope):
    command: Literal["entity"]
    entity: EntityDetail
    mentions: list[Mention]


class SectionOut(Out):
    id: str
    kind: str
    headline_zh: str
    headline_en: str


class ShowResult(Envelope):
    command: Literal["show"]
    record: Record
    figures: list[FigureRow]
    area: AreaOut
    section: SectionOut
    interviewee: PersonOut | None
    reporters: list[PersonOut]
    entities: list[EntityRef]
    errata: list[ErratumOut]
    citation: str


class AreaSummary(Envelope):
    command: Literal["summarize"]
    area: AreaOut
    frameworks: list[Framework]
    results: list[FigureRow]
    targets: list[FigureRow]
    pledges_by_category: dict[str, int]
    counts: dict[str, int]
    entities: list[EntityRef]


class Leader(Out):
    key: str
    metric: str
    metric_en: str
    year: int
    status: str
    area: str
    display: str
    areas_reporting: int
    comparable: str


class Theme(Out):
    theme: str
    keywords: list[str]
    areas: list[str]
    records: int


class SharedEntity(EntityRef):
    areas: list[str]


class CitySummary(Envelope):
    command: Literal["summarize"]
    area: None
    leaders: list[Leader]
    standings: list[FigureRow]
    themes: list[Theme]
    shared_entities: list[SharedEntity]
    counts: dict[str, int]


class ProblemOut(Out):
    file: str
    line: int | None
    where: str
    message: str
    text: str


class ValidateResult(Envelope):
    command: Literal["validate"]
    data_dir: str
    ok: bool
    summary: str
    problems: list[ProblemOut]


# `entities NAME` answers with EntityResult, `summarize` without an area with CitySummary,
# `compare` without a topic with TopicsResult.
MODELS: dict[str, list[type[BaseModel]]] = {
    "areas": [AreasResult],
    "targets": [TargetsResult],
    "metrics": [MetricsResult],
    "compare": [CompareResult, TopicsResult],
    "search": [SearchResult],
    "entities": [EntitiesResult, EntityResult],
    "show": [ShowResult],
    "summarize": [AreaSummary, CitySummary],
    "validate": [ValidateResult],
}


def schema_for(command: str) -> dict[str, Any]:
    """The JSON Schema of a command's output (a oneOf where it has two shapes)."""
    from pydantic import TypeAdapter

    models = MODELS.get(command)
    if models is None:
        from liaoyuan_cli.queries import suggest

        raise suggest(command, sorted(MODELS), "command")
    if len(models) == 1:
        schema = models[0].model_json_schema()
    else:
        from typing import Union

        either: Any = Union[tuple(models)]  # noqa: UP007  (a Union built at run time)
        schema = TypeAdapter(either).json_schema()
    schema["title"] = f"lycli {command} --json (schema version {SCHEMA_VERSION})"
    return schema
