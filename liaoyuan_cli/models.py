"""The knowledge base's schema: pydantic models that validate the hand-written TOML; no I/O."""

from __future__ import annotations

import datetime
import math
from typing import Annotated, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)

from liaoyuan_cli.text import EXACT_INTEGER, format_number
from liaoyuan_cli.vocab import (
    AreaKind,
    Category,
    Certainty,
    Claim,
    Comparator,
    EntityKind,
    ErratumKind,
    Intent,
    Link,
    Precision,
    RecordKind,
    Role,
    Scope,
    SectionKind,
    Stage,
    Verdict,
    Voice,
    to_base,
    unit_of,
)

# Ids are copied into `lycli show` and must fit a 40-column terminal whole.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
Zh = Annotated[str, StringConstraints(min_length=1, pattern=r"[\u3400-\u9fff]")]
En = Annotated[
    str, StringConstraints(min_length=1, pattern=r"^[^\u3400-\u9fff]*[A-Za-z0-9][^\u3400-\u9fff]*$")
]
# English that may quote the Chinese it explains (an erratum's note, a figure's note).
Note = Annotated[str, StringConstraints(min_length=1, pattern=r"[A-Za-z]")]
Quote = Annotated[str, StringConstraints(min_length=2)]


def _calendar(iso: str) -> str:
    """A date of the calendar: citations name its month, and 2024-13 has none to name."""
    year, month, day = ([int(p) for p in iso.split("-")] + [1, 1])[:3]
    try:
        datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{iso} is not a date of the calendar (month 01-12, a day the month has)") from None
    return iso


# ASCII digits: \d would take full-width ones, which then compare as text with the others.
_ISO = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
IsoDate = Annotated[str, StringConstraints(pattern=_ISO), AfterValidator(_calendar)]


def _number(value: object) -> float | int:
    """A TOML number ("72" is a string, true is not 1), finite, and at most 2**53 in size: TOML
    allows nan and inf, and 1e400 reads as inf; neither can be printed, compared or exported."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("should be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"should be a finite number, not {value}")
    if abs(value) > EXACT_INTEGER:
        size = (
            format_number(value) if isinstance(value, float) else f"a number of {len(str(abs(value)))} digits"
        )
        raise ValueError(f"{size} is larger than 2**53, beyond what a float holds exactly")
    return value


Number = Annotated[StrictFloat | StrictInt, BeforeValidator(_number)]


def _unit(printed: str) -> str:
    """A unit or measure word as printed (亿元, 家, 万人, 个百分点, 番): vocab.unit_of reads it."""
    if unit_of(printed) is None:
        raise ValueError(
            f"{printed!r} is not a unit: a unit or measure word as printed (亿元, %, 个, 家, 万人, 亩, …)"
        )
    return printed


# NOW OPEN (figure model v2): any unit or measure word as printed, with its 万/亿 scale if
# printed with it; vocab.Unit lists the known ones, with their base units.
PrintedUnit = Annotated[str, StringConstraints(min_length=1, max_length=8), AfterValidator(_unit)]


def _base_bounded(value: float | int | None, unit: str | None, field: str = "value") -> None:
    """A value in base units (72亿元 is 7.2e9 yuan) stays an exact integer: at most 2**53."""
    if value is None or unit is None:
        return
    based = to_base(value, unit)
    if based is not None and abs(based[0]) > EXACT_INTEGER:
        size = format_number(float(abs(based[0])))
        raise ValueError(
            f"{field}: {format_number(value)}{unit} is {size} {based[1]}, larger than 2**53, "
            "beyond what a float holds exactly"
        )


class Strict(BaseModel):
    """Frozen and closed: a misspelt key in hand-written TOML must fail, not vanish.

    Numbers and flags are strict (TOML "72" is a string, not 72); enums and arrays are lax
    because TOML has no enums or tuples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Review(Strict):
    """What a person must still do to an item (the drafter's guesses): `lycli validate --review`
    lists each with its file and line, and an article with any is a draft."""

    field: str = Field(min_length=1, description="The field to review: kind, en, figures[1].metric, ….")
    why: str = Field(min_length=1, description="Why: the guess and its reason, or what is missing.")


Reviews = Annotated[tuple[Review, ...], Field(description="Open review items; none once reviewed.")]


class DateOf(Strict):
    """A date as far as the source states it, and what is inferred beyond that."""

    stated: Zh | None = Field(None, description="The source's own words for the date, if any (1月9日).")
    iso: IsoDate = Field(description="YYYY, YYYY-MM or YYYY-MM-DD, to `precision`.")
    precision: Precision
    inferred: StrictBool = Field(
        description="True when any part of `iso` is not stated (the year of 1月9日)."
    )
    note_en: Note | None = None

    @model_validator(mode="after")
    def _as_precise_as_stated(self) -> Self:
        """`iso` gives exactly the parts `precision` names: a citation prints what `iso` holds."""
        given = (Precision.year, Precision.month, Precision.day)[self.iso.count("-")]
        if given != self.precision:
            raise ValueError(
                f"precision: {self.precision.value}, but iso {self.iso} is given to the {given.value}"
            )
        return self


class Article(Strict):
    """One source: a newspaper page or report, with the session it reports and its provenance."""

    id: Slug
    title_zh: Zh
    title_en: En
    title_supplied: StrictBool = Field(
        description="True when the source prints no title of its own and the knowledge base supplies one."
    )
    session_zh: Zh
    session_en: En
    publication_zh: Zh | None = Field(None, description="The publication, only where the source names it.")
    publication_en: En | None = None
    publication_stated: Zh | None = Field(None, description="How the source refers to itself (本报).")
    date: DateOf
    photographers: tuple[Slug, ...] = ()
    source_file: str = Field(
        # Relative, '/'-separated, no segment starting with '.': it cannot leave the directory.
        pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$",
        description="The article's text, relative to the knowledge base's directory.",
    )
    review: Reviews = ()


class Person(Strict):
    """Someone the article names; the role is as stated in `article`."""

    id: Slug
    zh: Zh
    pinyin: En
    role_zh: Zh
    role_en: En
    article: Slug
    quote: Quote
    review: Reviews = ()


class Area(Strict):
    """A county, district, zone or the city: it stands on its own, interviewed in any article."""

    slug: Slug
    zh: Zh
    short_zh: Zh
    en: En
    short_en: En | None = Field(
        None, description="A short English name (High-tech Zone): tables then use the short names."
    )
    pinyin: En
    kind: AreaKind
    aliases: tuple[str, ...] = ()


class Caption(Strict):
    """A picture's caption as the page prints it: it describes the picture, never a claim. It is
    known by its section and its place there (the first caption of session-report)."""

    zh: Zh = Field(description="The caption, tidied (代表审议报告。).")
    en: En
    quote: Quote = Field(description="The caption's words as printed.")
    photographers: tuple[Slug, ...] = Field(
        min_length=1, description="Whom the page credits with the picture; a joint credit names them all."
    )
    credit: Zh | None = Field(None, description="The page's credit line, as printed (本版图片由…摄).")
    note_en: Note | None = None


class Section(Strict):
    """One piece of an article: an interview, or the report of the session."""

    id: Slug
    article: Slug
    kind: SectionKind
    area: Slug
    headline_zh: Zh
    headline_en: En
    interviewee: Slug | None = None
    reporters: tuple[Slug, ...]
    date: DateOf
    quote: Quote
    captions: tuple[Caption, ...] = Field((), description="The captions of the pictures it shows.")
    review: Reviews = ()


class Erratum(Strict):
    """A misprint, omission or variant spelling of the article; quotes keep the printed form."""

    id: Slug
    article: Slug
    kind: ErratumKind = ErratumKind.misprint
    printed: Zh
    printed_en: Note = Field(description="What the printed words say, in English.")
    reading: Zh | None = Field(None, description="What the text means to say; none for an omission.")
    reading_en: Note | None = None
    occurrences: StrictInt = Field(ge=1)
    certainty: Certainty
    note_en: Note
    quote: Quote


class Topic(Strict):
    """What `lycli compare TOPIC` gathers; headline topics lead the city summary."""

    id: Slug
    zh: Zh
    en: En
    headline: StrictBool = False


class Metric(Strict):
    """What a figure measures. Level and growth are different metrics, never compared."""

    id: Slug
    zh: Zh
    en: En
    topics: tuple[Slug, ...] = Field(min_length=1)
    noun_en: En | None = Field(None, description="What a count counts, plural: 'key projects'.")
    higher_is_better: StrictBool = True
    review: Reviews = ()


class Theme(Strict):
    """A subject across areas; membership is reviewable: keywords, plus inclusions and exclusions."""

    id: Slug
    zh: Zh
    en: En
    keywords_zh: tuple[Zh, ...] = ()
    keywords_en: tuple[En, ...] = ()
    include: tuple[Slug, ...] = ()
    exclude: tuple[Slug, ...] = ()


class EntityLink(Strict):
    kind: Link
    to: Slug
    note_en: Note | None = None


class ProjectStage(Strict):
    """A stage the article gives a project, park or programme: reached (a result) or aimed at
    (a target)."""

    stage: Stage
    year: StrictInt = Field(ge=1900, le=2100)
    role: Role = Field(description="result (reached) or target (aimed at); never attribute.")
    words: Zh = Field(description="The words of the entity's quote that name the stage, e.g. 落地.")


class Entity(Strict):
    """A company, project, park, programme or place the article names."""

    id: Slug
    kind: EntityKind
    zh: Zh
    en: En
    pinyin: En
    aliases: tuple[str, ...] = ()
    article: Slug
    quote: Quote
    note_en: Note | None = None
    general_knowledge_en: Note | None = Field(
        None, description="Context from outside the article; every output labels it as such."
    )
    links: tuple[EntityLink, ...] = ()
    stages: tuple[ProjectStage, ...] = Field(
        (), description="A project's, park's or programme's stages; other kinds have none."
    )
    review: Reviews = ()


class FrameworkPart(Strict):
    zh: Zh
    en: En


class Framework(Strict):
    """A slogan, framework or enumeration (六县建设, 五个新突破), broken into its parts."""

    id: Slug
    section: Slug
    zh: Zh
    en: En
    quote: Quote
    parts: tuple[FrameworkPart, ...] = ()
    review: Reviews = ()


class Threshold(Strict):
    """The size that defines what is counted: 500万元以上 and 亿元以上 are different series."""

    value: Number = Field(gt=0)
    unit: PrintedUnit
    comparator: Comparator = Comparator.at_least
    stated: Zh = Field(description="The threshold as the article words it, e.g. 500万元以上.")

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        _base_bounded(self.value, self.unit)
        return self


class Figure(Strict):
    """One typed number; without a value, `claim` says what the words claim instead."""

    metric: Slug
    value: Number | None = Field(None, description="The number; a range's lower end; negative for a decline.")
    value_max: Number | None = Field(None, description="A range's upper end (10%—15%, 3至5户).")
    unit: PrintedUnit | None = None
    year: StrictInt = Field(ge=1900, le=2100)
    year_inferred: StrictBool = Field(
        False,
        description="The year is not printed with the figure but read from 今年, 去年, … or the context.",
    )
    role: Role
    comparator: Comparator = Comparator.exact
    intent: Intent = Intent.plain
    stage: Stage | None = None
    threshold: Threshold | None = None
    scope: Scope | None = None
    claim: Claim | None = None
    approximate: StrictBool = Field(False, description="A round number stated as such (万台).")
    readings_en: tuple[Note, ...] = Field(
        (), description="Two or more readings the words allow: the figure is ambiguous."
    )
    entity: Slug | None = Field(None, description="The project or thing whose attribute this is.")
    stated: Zh = Field(description="The words of the quote that state this figure.")
    note_en: Note | None = None
    review: Reviews = ()

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        _base_bounded(self.value, self.unit)
        _base_bounded(self.value_max, self.unit, "value_max")
        return self


class Record(Strict):
    """One claim of an article, in Chinese and English, with the quote it rests on."""

    id: Slug
    section: Slug
    area: Slug
    kind: RecordKind
    category: Category
    year: StrictInt = Field(ge=1900, le=2100)
    year_inferred: StrictBool = Field(
        False, description="The year is not printed in the quote but read from 今年, 去年, … or the context."
    )
    zh: Zh
    en: En
    quote: Quote
    voice: Voice
    speaker: Slug | None = None
    figures: tuple[Figure, ...] = ()
    entities: tuple[Slug, ...] = ()
    frameworks: tuple[Slug, ...] = ()
    follows: tuple[Slug, ...] = Field((), description="Earlier targets or plans this record reports on.")
    formerly: tuple[str, ...] = Field((), description="Ids this record had before, still accepted by show.")
    note_en: Note | None = None
    review: Reviews = ()


class Assessment(Strict):
    """A person's verdict on a target or plan, as of a date, resting on later records."""

    id: Slug
    target: Slug
    verdict: Verdict
    as_of: IsoDate
    evidence: tuple[Slug, ...] = ()
    assessor: En
    note_en: Note


class KnowledgeBase(Strict):
    """Everything under one data directory, after loading; cross-references checked in kb.py."""

    articles: tuple[Article, ...]
    people: tuple[Person, ...]
    sections: tuple[Section, ...]
    errata: tuple[Erratum, ...]
    areas: tuple[Area, ...]
    topics: tuple[Topic, ...]
    metrics: tuple[Metric, ...]
    themes: tuple[Theme, ...]
    entities: tuple[Entity, ...]
    frameworks: tuple[Framework, ...]
    records: tuple[Record, ...]
    assessments: tuple[Assessment, ...]


class ItemType(NamedTuple):
    model: type[BaseModel]
    id_field: str
    singular: str


# The lists a knowledge-base file may hold: the model of each item, its id field and what one
# is called in a problem report.
ITEMS: dict[str, ItemType] = {
    "articles": ItemType(Article, "id", "article"),
    "people": ItemType(Person, "id", "person"),
    "areas": ItemType(Area, "slug", "area"),
    "sections": ItemType(Section, "id", "section"),
    "errata": ItemType(Erratum, "id", "erratum"),
    "topics": ItemType(Topic, "id", "topic"),
    "metrics": ItemType(Metric, "id", "metric"),
    "themes": ItemType(Theme, "id", "theme"),
    "entities": ItemType(Entity, "id", "entity"),
    "frameworks": ItemType(Framework, "id", "framework"),
    "records": ItemType(Record, "id", "record"),
    "assessments": ItemType(Assessment, "id", "assessment"),
}
