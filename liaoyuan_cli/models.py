"""The knowledge base's schema: pydantic models that validate the hand-written TOML."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Zh = Annotated[str, StringConstraints(min_length=1, pattern=r"[\u3400-\u9fff]")]
En = Annotated[
    str, StringConstraints(min_length=1, pattern=r"^[^\u3400-\u9fff]*[A-Za-z0-9][^\u3400-\u9fff]*$")
]
Note = Annotated[str, StringConstraints(min_length=1, pattern=r"[A-Za-z]")]
Quote = Annotated[str, StringConstraints(min_length=2)]


class Strict(BaseModel):
    """Frozen and closed: a misspelt key in hand-written TOML must fail, not vanish.

    Numbers and flags are strict (TOML "72" is a string, not 72); enums and arrays are lax
    because TOML has no enums or tuples.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class AreaKind(StrEnum):
    county = "county"
    district = "district"
    development_zone = "development_zone"
    city = "city"


class RecordKind(StrEnum):
    """What a claim is: a 2023 result, a 2024 target or pledge, a plan or framework, a view."""

    result = "result"
    target = "target"
    plan = "plan"
    view = "view"


class Category(StrEnum):
    economy = "economy"
    industry = "industry"
    projects = "projects"
    investment_attraction = "investment_attraction"
    agriculture = "agriculture"
    ecology = "ecology"
    livelihood = "livelihood"
    culture_tourism = "culture_tourism"
    urban_infrastructure = "urban_infrastructure"
    innovation_talent = "innovation_talent"
    consumption_services = "consumption_services"
    governance = "governance"
    opening_up = "opening_up"
    overall = "overall"


class Status(StrEnum):
    """A figure reports what happened (result) or what is aimed at (target)."""

    result = "result"
    target = "target"


class Comparator(StrEnum):
    """How the value bounds the quantity: 不低于 at_least, 以上 at_least, exact otherwise."""

    exact = "exact"
    at_least = "at_least"
    more_than = "more_than"
    at_most = "at_most"


class Intent(StrEnum):
    """The commitment a target carries: 确保 ensure, 力争 strive, 努力/争取 aim; plain for results."""

    plain = "plain"
    ensure = "ensure"
    strive = "strive"


class Stage(StrEnum):
    """The stage of a project a count refers to, where the article names one."""

    planned = "planned"
    reserved = "reserved"
    signed = "signed"
    attracted = "attracted"
    implemented = "implemented"
    started = "started"
    landed = "landed"
    in_production = "in_production"


class Unit(StrEnum):
    yi_yuan = "亿元"
    wan_yuan = "万元"
    percent = "%"
    ge = "个"
    tai = "台"
    rank = "名"


class Scope(StrEnum):
    """What a ranking is among."""

    province = "province"
    city = "city"


class EntityKind(StrEnum):
    company = "company"
    project = "project"
    park = "park"
    programme = "programme"
    place = "place"
    event = "event"
    organisation = "organisation"
    product = "product"
    document = "document"
    region = "region"


class Certainty(StrEnum):
    certain = "certain"
    probable = "probable"


class SectionKind(StrEnum):
    interview = "interview"
    report = "report"


class Threshold(Strict):
    """The size that defines what is counted: 500万元以上 and 亿元以上 are different series."""

    value: StrictFloat | StrictInt = Field(gt=0)
    unit: Unit
    comparator: Comparator = Comparator.at_least
    stated: Zh = Field(description="The threshold as the article words it, e.g. 500万元以上.")


class Figure(Strict):
    """One typed number; value None means the article states it without a figure."""

    metric: Slug
    value: StrictFloat | StrictInt | None = None
    unit: Unit | None = None
    year: StrictInt = Field(ge=2000, le=2100)
    status: Status
    comparator: Comparator = Comparator.exact
    intent: Intent = Intent.plain
    stage: Stage | None = None
    threshold: Threshold | None = None
    scope: Scope | None = None
    stated: Zh = Field(description="The words of the quote that state this figure.")
    note_en: Note | None = None


class Record(Strict):
    """One claim of the article, in Chinese and English, with the quote it rests on."""

    id: Slug
    area: Slug
    kind: RecordKind
    category: Category
    year: StrictInt = Field(ge=2000, le=2100)
    zh: Zh
    en: En
    quote: Quote
    figures: tuple[Figure, ...] = ()
    entities: tuple[Slug, ...] = ()
    frameworks: tuple[Slug, ...] = ()


class FrameworkPart(Strict):
    zh: Zh
    en: En


class Framework(Strict):
    """A slogan or framework (六县建设, 五个新突破), broken into its parts."""

    id: Slug
    area: Slug
    zh: Zh
    en: En
    quote: Quote
    parts: tuple[FrameworkPart, ...] = ()


class Entity(Strict):
    """A company, project, park, programme or place the article names."""

    id: Slug
    kind: EntityKind
    zh: Zh
    en: En
    pinyin: En
    aliases: tuple[str, ...] = ()
    quote: Quote
    note_en: Note | None = None


class Person(Strict):
    id: Slug
    zh: Zh
    pinyin: En
    role_zh: Zh
    role_en: En
    quote: Quote


class Official(Strict):
    person: Slug


class Area(Strict):
    slug: Slug
    zh: Zh
    short_zh: Zh
    en: En
    pinyin: En
    kind: AreaKind
    aliases: tuple[str, ...] = ()
    official: Slug | None = None
    section: Slug


class Section(Strict):
    """One piece of the newspaper page: an interview, or the report of the session."""

    id: Slug
    kind: SectionKind
    area: Slug
    headline_zh: Zh
    headline_en: En
    interviewee: Slug | None = None
    reporters: tuple[Slug, ...]
    quote: Quote


class Erratum(Strict):
    """A misprint of the article, kept verbatim in quotes and recorded here with its reading."""

    id: Slug
    printed: Zh
    reading: Zh
    occurrences: StrictInt = Field(ge=1)
    certainty: Certainty
    note_en: Note
    quote: Quote


class Metric(Strict):
    """What a figure measures; topics group metrics for `lycli compare`."""

    id: Slug
    zh: Zh
    en: En
    topics: tuple[Slug, ...] = Field(min_length=1)


class Article(Strict):
    """Provenance: the session, the date and who wrote and photographed the page."""

    session_zh: Zh
    session_en: En
    date_stated: Zh
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    year_inferred: StrictBool
    date_note_en: Note
    photographers: tuple[Slug, ...] = ()
    source_file: str = Field(
        pattern=r"^source/[^/\\]+$", description="The article's text, under source/ of the data directory."
    )


class KnowledgeBase(Strict):
    """Everything under one data directory, after loading; cross-references checked in kb.py."""

    article: Article
    people: tuple[Person, ...]
    sections: tuple[Section, ...]
    errata: tuple[Erratum, ...]
    areas: tuple[Area, ...]
    metrics: tuple[Metric, ...]
    entities: tuple[Entity, ...]
    frameworks: tuple[Framework, ...]
    records: tuple[Record, ...]
