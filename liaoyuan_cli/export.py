"""`lycli export`: the whole knowledge base as a SQLite database or as CSV files with a datapackage.json.

One schema, declared once below (`TABLES`, `VIEWS`), makes both: the SQLite tables with their
keys, checks and column comments, the `_tables` and `_columns` documentation tables, and the
Frictionless Table Schema of each CSV file. The rows come from the validated knowledge base;
everything derived (a figure's display and base value, theme membership, pinyin, verdicts) is
asked of the module that owns it. CSV files are written from the same SQLite database (built in
memory), so the constraints SQLite enforces hold for the CSV package too.

docs/export.md documents the result.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from liaoyuan_cli import SCHEMA_VERSION, __version__, place
from liaoyuan_cli.errors import CannotWrite, InvalidKnowledgeBase, Problem, UsageError
from liaoyuan_cli.text import EXACT_INTEGER
from liaoyuan_cli.vocab import (
    PLEDGE_VALUES,
    AreaKind,
    BaseUnit,
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
    Term,
    Verdict,
    Voice,
)

if TYPE_CHECKING:
    from liaoyuan_cli.results import ExportResult, ExportTable

# Bump when a table, column or view changes meaning or goes away (docs/export.md); it is the
# database's `PRAGMA user_version` and the datapackage's `x-lycli.export_format`.
EXPORT_FORMAT = 3
FORMATS = ("sqlite", "csv")
PACKAGE = place.PACKAGE
# Integers a float holds exactly: beyond, a CSV cell is written as the float it is (1e+28).
# A temporary export this old, beside the target and owned by us, was left by a killed run.
STALE_SECONDS = 3600
# What the FTS5 tables index, for records, entities and frameworks alike.
SEARCHED = ("zh", "en", "quote", "pinyin")
Row = dict[str, Any]

# The closed vocabularies a column may take its values from: `terms` holds their labels.
VOCABULARIES: dict[str, type[Term]] = {
    "area_kind": AreaKind,
    "section_kind": SectionKind,
    "record_kind": RecordKind,
    "category": Category,
    "voice": Voice,
    "role": Role,
    "comparator": Comparator,
    "intent": Intent,
    "stage": Stage,
    "base_unit": BaseUnit,
    "scope": Scope,
    "claim": Claim,
    "entity_kind": EntityKind,
    "link": Link,
    "erratum_kind": ErratumKind,
    "certainty": Certainty,
    "verdict": Verdict,
    "precision": Precision,
}
LANGUAGES = ("zh", "en")
VERDICT_SOURCES = ("recorded", "computed", "none")
OUTCOMES = ("met", "partly_met", "not_met")
ISO_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"

# -- the schema ------------------------------------------------------------------------------

# SQLite storage class and Table Schema type of each column type; booleans are 0/1 in SQLite.
_SQL = {"text": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
_FRICTIONLESS = {"text": "string", "integer": "integer", "number": "number", "boolean": "boolean"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, integer, number or boolean
    description: str
    null: bool = False
    references: tuple[str, str] | None = None  # (table, column)
    vocabulary: str | None = None  # a key of VOCABULARIES
    values: tuple[str, ...] = ()  # a closed set that is not a vocabulary of the knowledge base
    pattern: str | None = None
    minimum: int | None = None

    def allowed(self) -> tuple[str, ...]:
        if self.vocabulary is not None:
            return tuple(member.value for member in VOCABULARIES[self.vocabulary])
        return self.values


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...] = ()
    search: bool = False  # an FTS5 index over SEARCHED

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, description: str, type_: str = "text", **options: Any) -> Column:
    return Column(name, type_, description, **options)


def _ref(
    name: str, table: str, description: str, column: str = "id", type_: str = "text", **options: Any
) -> Column:
    return Column(name, type_, description, references=(table, column), **options)


def _position(of: str) -> Column:
    return _c(
        "position", f"Order of the {of}, from 1, as the knowledge base lists them.", "integer", minimum=1
    )


def _date(prefix: str, what: str) -> tuple[Column, ...]:
    return (
        _c(
            f"{prefix}_iso",
            f"{what}: YYYY, YYYY-MM or YYYY-MM-DD, as far as `{prefix}_precision`.",
            pattern=ISO_DATE,
        ),
        _c(
            f"{prefix}_precision",
            f"How much of {what.lower()} is known: day, month or year.",
            vocabulary="precision",
        ),
        _c(
            f"{prefix}_inferred",
            f"True when any part of {prefix}_iso is not stated by the source.",
            "boolean",
        ),
        _c(f"{prefix}_stated", "The source's own words for the date, if it gives any.", null=True),
        _c(f"{prefix}_note_en", "How the date was established.", null=True),
    )


_ZH = _c("zh", "In Chinese.")
_EN = _c("en", "In English.")
_QUOTE = "The exact words of the article this rests on (whitespace aside)."
_PINYIN_DERIVED = (
    "Pinyin of `zh` without tones, one capitalised syllable after another, a space where the Chinese "
    "breaks ('TianYingJiTuan'): derived, for search."
)

TABLES: tuple[Table, ...] = (
    Table(
        "terms",
        "The closed vocabularies: every value a column marked with a vocabulary in _columns may take, "
        "with its labels.",
        (
            _c("vocabulary", "The vocabulary's name, e.g. category, record_kind, unit."),
            _c("value", "The value as the data spells it."),
            _c(
                "zh",
                "Its label in Chinese; empty where the value needs none (an exact comparator).",
                null=True,
            ),
            _c("en", "Its label in English; empty where the value needs none.", null=True),
        ),
        ("vocabulary", "value"),
    ),
    Table(
        "articles",
        "The sources: a newspaper page or report, with the session it reports and its provenance.",
        (
            _c("id", "The article's id."),
            _c("title_zh", "Its title in Chinese, as printed or supplied."),
            _c("title_en", "Its title in English."),
            _c(
                "title_supplied",
                "True when the source prints no title and the knowledge base supplies one.",
                "boolean",
            ),
            _c("session_zh", "The session the article reports, in Chinese."),
            _c("session_en", "The session, in English."),
            _c("publication_zh", "The publication, only where the source names it.", null=True),
            _c("publication_en", "The publication, in English.", null=True),
            _c("publication_stated", "How the source refers to itself (本报).", null=True),
            *_date("date", "The article's date"),
            _c("source_file", "The article's text file, relative to the knowledge base's directory."),
            _c("source_text", "The article's full text, as the file holds it (UTF-8)."),
            _c(
                "draft",
                "True while items of it are still to review (lycli draft; lycli validate --review): "
                "lycli's default answers leave it out.",
                "boolean",
            ),
        ),
        ("id",),
    ),
    Table(
        "people",
        "Everyone the articles name: officials, reporters and photographers, with the role as stated.",
        (
            _c("id", "The person's id."),
            _c("zh", "Name in Chinese."),
            _c("pinyin", "Name in pinyin."),
            _c("role_zh", "Role as the article states it, in Chinese."),
            _c("role_en", "Role in English."),
            _ref("article", "articles", "The article that states the role."),
            _c("quote", _QUOTE),
        ),
        ("id",),
    ),
    Table(
        "article_photographers",
        "The photographers each article credits.",
        (
            _ref("article", "articles", "The article."),
            _position("photographers"),
            _ref("person", "people", "The photographer."),
        ),
        ("article", "position"),
    ),
    Table(
        "areas",
        "The counties, districts, zones and the city: each stands on its own, interviewed in any article.",
        (
            _c("slug", "The area's id, as commands take it (gaoxin, xian)."),
            _c("zh", "Full name in Chinese."),
            _c("short_zh", "Short name in Chinese."),
            _c("en", "Name in English."),
            _c("pinyin", "Name in pinyin."),
            _c("kind", "County, district, development zone or city.", vocabulary="area_kind"),
        ),
        ("slug",),
    ),
    Table(
        "area_aliases",
        "Other names an area answers to.",
        (
            _ref("area", "areas", "The area.", "slug"),
            _position("aliases"),
            _c("alias", "Another name of the area."),
        ),
        ("area", "position"),
    ),
    Table(
        "sections",
        "The pieces of an article: an interview with an area's leader, or the report of the session.",
        (
            _c("id", "The section's id."),
            _ref("article", "articles", "The article it is part of."),
            _c("kind", "Interview or news report.", vocabulary="section_kind"),
            _ref("area", "areas", "The area it is about.", "slug"),
            _c("headline_zh", "Its headline in Chinese."),
            _c("headline_en", "Its headline in English."),
            _ref("interviewee", "people", "The person interviewed, for an interview.", null=True),
            *_date("date", "The section's date"),
            _c("quote", _QUOTE),
        ),
        ("id",),
    ),
    Table(
        "section_reporters",
        "The reporters each section credits.",
        (
            _ref("section", "sections", "The section."),
            _position("reporters"),
            _ref("person", "people", "The reporter."),
        ),
        ("section", "position"),
    ),
    Table(
        "errata",
        "Misprints, omissions and variant spellings of the articles; quotes keep the printed form.",
        (
            _c("id", "The erratum's id."),
            _ref("article", "articles", "The article it is found in."),
            _c("kind", "Misprint, omission or variant spelling.", vocabulary="erratum_kind"),
            _c("printed", "The words as printed."),
            _c("printed_en", "What the printed words say, in English."),
            _c("reading", "What the text means to say; empty for an omission.", null=True),
            _c("reading_en", "The reading in English.", null=True),
            _c("occurrences", "How often the printed words occur in the article.", "integer", minimum=1),
            _c("certainty", "How sure the reading is.", vocabulary="certainty"),
            _c("note_en", "Why this is an erratum, and what is known."),
            _c("quote", _QUOTE),
        ),
        ("id",),
    ),
    Table(
        "topics",
        "What `lycli compare TOPIC` gathers; headline topics lead the city summary.",
        (
            _c("id", "The topic's id."),
            _ZH,
            _EN,
            _c("headline", "True for a topic the city summary leads with.", "boolean"),
        ),
        ("id",),
    ),
    Table(
        "metrics",
        "What a figure measures. A level and its growth are different metrics, never compared.",
        (
            _c("id", "The metric's id."),
            _ZH,
            _EN,
            _c("noun_en", "What a count counts, plural ('key projects').", null=True),
            _c("higher_is_better", "True when more is better (a rank: less is better).", "boolean"),
        ),
        ("id",),
    ),
    Table(
        "metric_topics",
        "The topics each metric is compared under.",
        (
            _ref("metric", "metrics", "The metric."),
            _ref("topic", "topics", "A topic of the metric."),
            _position("topics"),
        ),
        ("metric", "topic"),
    ),
    Table(
        "themes",
        "Subjects across areas; membership (record_themes) follows keywords, inclusions and exclusions.",
        (_c("id", "The theme's id."), _ZH, _EN),
        ("id",),
    ),
    Table(
        "theme_keywords",
        "Words that put a record in a theme: a Chinese keyword in its zh or quote, an English one as a "
        "whole word of its en.",
        (
            _ref("theme", "themes", "The theme."),
            _c("language", "zh or en.", values=LANGUAGES),
            _position("keywords of this language"),
            _c("keyword", "The keyword."),
        ),
        ("theme", "language", "position"),
    ),
    Table(
        "entities",
        "Companies, projects, parks, programmes, places and other things the articles name.",
        (
            _c("id", "The entity's id."),
            _c("kind", "What it is: company, project, park, ...", vocabulary="entity_kind"),
            _c("zh", "Its name in Chinese."),
            _c("en", "Its name in English."),
            _c("pinyin", "Its name in pinyin, as the knowledge base writes it."),
            _ref("article", "articles", "The article the quote stands in."),
            _c("quote", _QUOTE),
            _c("note_en", "A note on the entity.", null=True),
            _c(
                "general_knowledge_en",
                "Context from outside the articles, not from them: label it as such when you use it.",
                null=True,
            ),
        ),
        ("id",),
        search=True,
    ),
    Table(
        "entity_aliases",
        "Other names an entity is known by.",
        (
            _ref("entity", "entities", "The entity."),
            _position("aliases"),
            _c("alias", "Another name of the entity."),
        ),
        ("entity", "position"),
    ),
    Table(
        "entity_links",
        "How one entity stands to another, as far as the article says: part of, carried out by, "
        "located in, related.",
        (
            _ref("entity", "entities", "The entity."),
            _position("links"),
            _c("kind", "How it stands to the target.", vocabulary="link"),
            _ref("target", "entities", "The other entity."),
            _c("note_en", "A note on the link.", null=True),
        ),
        ("entity", "position"),
    ),
    Table(
        "entity_stages",
        "The stages the article gives a project: reached (result) or aimed at (target) in a year.",
        (
            _ref("entity", "entities", "The project."),
            _position("stages"),
            _c("stage", "The stage.", vocabulary="stage"),
            _c("year", "The year it is reached or aimed at.", "integer"),
            _c("role", "result (reached) or target (aimed at).", values=("result", "target")),
            _c("words", "The words of the entity's quote that name the stage."),
        ),
        ("entity", "position"),
    ),
    Table(
        "frameworks",
        "Slogans, frameworks and enumerations (六县建设, 五个新突破), broken into their parts.",
        (
            _c("id", "The framework's id."),
            _ref("section", "sections", "The section that states it."),
            _ref("article", "articles", "The article of its section (derived)."),
            _ref("area", "areas", "The area of its section (derived).", "slug"),
            _ZH,
            _EN,
            _c("quote", _QUOTE),
            _c("pinyin", _PINYIN_DERIVED),
        ),
        ("id",),
        search=True,
    ),
    Table(
        "framework_parts",
        "The parts of each framework, in order.",
        (_ref("framework", "frameworks", "The framework."), _position("parts"), _ZH, _EN),
        ("framework", "position"),
    ),
    Table(
        "records",
        "The claims of the articles: what an area reported (result), aims at (target), will do (plan) "
        "or holds (view).",
        (
            _c("id", "The record's id, as `lycli show` takes it."),
            _ref("article", "articles", "The article of its section (derived)."),
            _ref("section", "sections", "The section it stands in."),
            _ref("area", "areas", "The area it is about.", "slug"),
            _c("kind", "Result, target, plan, view or session event.", vocabulary="record_kind"),
            _c("category", "Its subject.", vocabulary="category"),
            _c("year", "The year it is about.", "integer"),
            _c(
                "year_inferred",
                "True when the year is read from 过去一年, 今年 or the context, not printed.",
                "boolean",
            ),
            _c("zh", "The claim in Chinese."),
            _c("en", "The claim in English."),
            _c("quote", _QUOTE),
            _c("pinyin", _PINYIN_DERIVED),
            _c("voice", "Whose words these are: may they go in quotation marks?", vocabulary="voice"),
            _ref("speaker", "people", "Who speaks, for direct and indirect speech.", null=True),
            _c("note_en", "A note on the record.", null=True),
        ),
        ("id",),
        search=True,
    ),
    Table(
        "record_former_ids",
        "Ids a record had before; `lycli show` still accepts them.",
        (_ref("record", "records", "The record."), _c("former_id", "An id it had before.")),
        ("record", "former_id"),
    ),
    Table(
        "mentions",
        "Which records name which entities.",
        (
            _ref("record", "records", "The record."),
            _ref("entity", "entities", "An entity it names."),
            _position("entities"),
        ),
        ("record", "entity"),
    ),
    Table(
        "record_frameworks",
        "Which records belong to which frameworks.",
        (
            _ref("record", "records", "The record."),
            _ref("framework", "frameworks", "A framework it belongs to."),
            _position("frameworks"),
        ),
        ("record", "framework"),
    ),
    Table(
        "record_themes",
        "Which records belong to which themes (derived from the themes' keywords, inclusions and "
        "exclusions).",
        (_ref("record", "records", "The record."), _ref("theme", "themes", "A theme it belongs to.")),
        ("record", "theme"),
    ),
    Table(
        "theme_overrides",
        "Records a theme includes or excludes whatever its keywords say.",
        (
            _ref("theme", "themes", "The theme."),
            _ref("record", "records", "The record."),
            _c("rule", "include or exclude.", values=("include", "exclude")),
        ),
        ("theme", "record"),
    ),
    Table(
        "record_errata",
        "The errata whose printed words stand in a record's quote (derived).",
        (_ref("record", "records", "The record."), _ref("erratum", "errata", "An erratum in its quote.")),
        ("record", "erratum"),
    ),
    Table(
        "follows",
        "Later records that report on earlier targets and plans.",
        (
            _ref("record", "records", "The later record."),
            _ref("target", "records", "The earlier target or plan it reports on."),
            _position("followed records"),
        ),
        ("record", "target"),
    ),
    Table(
        "figures",
        "Every typed number of a record: the value as printed and in base units, and what decides "
        "comparability.",
        (
            _c(
                "id",
                "The figure's number in this export (knowledge-base order); (record, position) is its "
                "stable key.",
                "integer",
            ),
            _ref("record", "records", "The record it belongs to."),
            _position("record's figures"),
            _ref("metric", "metrics", "What it measures."),
            _c("year", "The year it is about.", "integer"),
            _c("role", "Result, target, or the size of something (attribute).", vocabulary="role"),
            _c(
                "value",
                "The number as printed (72 for 72亿元); empty when the words claim without a number.",
                "number",
                null=True,
            ),
            _c(
                "value_max",
                "A range's upper end as printed (15 for 10%—15%); empty for a single value.",
                "number",
                null=True,
            ),
            _c(
                "unit",
                "The unit or measure word as printed, with its 万/亿 scale where printed "
                "(亿元, 万人, 个百分点).",
                null=True,
            ),
            _c(
                "base_value",
                "The value in its base unit, where amounts add up: 72亿元 is 7200000000 (yuan).",
                "number",
                null=True,
            ),
            _c("base_value_max", "A range's upper end in the base unit.", "number", null=True),
            _c(
                "base_unit",
                "yuan, count, percent, rank or another base (terms: base_unit); an unknown measure word "
                "is its own.",
                null=True,
            ),
            _c(
                "year_inferred",
                "True when the year is not printed with the figure but read from 今年, 过去一年 or "
                "the context.",
                "boolean",
            ),
            _c("display", "The figure as a Chinese reader writes it: ≥5个, 72亿元, 全省第10名, 领跑全市."),
            _c("display_en", "The figure as English copy writes it, qualifiers in words."),
            _c(
                "comparator",
                "How the value bounds the quantity: exact, at least, more than, at most.",
                vocabulary="comparator",
            ),
            _c(
                "intent",
                "The commitment a target carries: plain, ensure (确保), strive (力争).",
                vocabulary="intent",
            ),
            _c(
                "stage",
                "The stage of the projects a count refers to, where named.",
                vocabulary="stage",
                null=True,
            ),
            _c(
                "threshold_value",
                "The size that defines what is counted (500 for 500万元以上), as printed.",
                "number",
                null=True,
            ),
            _c("threshold_unit", "The threshold's unit as printed.", null=True),
            _c("threshold_comparator", "How the threshold bounds.", vocabulary="comparator", null=True),
            _c("threshold_stated", "The threshold as the article words it (500万元以上).", null=True),
            _c("threshold_base_value", "The threshold in its base unit (5000000 yuan).", "number", null=True),
            _c("threshold_base_unit", "The threshold's base unit.", null=True),
            _c(
                "scope",
                "What a rank or a standing is among: the province or the city.",
                vocabulary="scope",
                null=True,
            ),
            _c(
                "claim",
                "What the words claim without a number (leads, front rank, a new high, ...).",
                vocabulary="claim",
                null=True,
            ),
            _c("approximate", "True for a round number stated as such (万台).", "boolean"),
            _ref("entity", "entities", "The project or thing whose attribute this is.", null=True),
            _c("series", "Figures compare only within one series: metric|year|role|threshold|stage."),
            _c("stated", "The words of the quote that state the figure."),
            _c("note_en", "A note on the figure.", null=True),
        ),
        ("id",),
        unique=(("record", "position"),),
    ),
    Table(
        "figure_readings",
        "The readings an ambiguous figure allows (two or more).",
        (
            _ref("figure", "figures", "The figure.", type_="integer"),
            _position("readings"),
            _c("reading_en", "One reading, in English."),
        ),
        ("figure", "position"),
    ),
    Table(
        "figure_qualifiers",
        "What a reader needs beside a figure's display: threshold, stage, intent, ambiguity (derived).",
        (
            _ref("figure", "figures", "The figure.", type_="integer"),
            _c("language", "zh (beside display) or en (beside display_en).", values=LANGUAGES),
            _position("qualifiers of this language"),
            _c("qualifier", "The qualifier."),
        ),
        ("figure", "language", "position"),
    ),
    Table(
        "figure_errata",
        "The errata whose printed words stand in a figure's stated words (derived).",
        (
            _ref("figure", "figures", "The figure.", type_="integer"),
            _ref("erratum", "errata", "An erratum in its words."),
        ),
        ("figure", "erratum"),
    ),
    Table(
        "assessments",
        "A person's verdict on a target or plan, as of a date, resting on later records.",
        (
            _c("id", "The assessment's id."),
            _ref("target", "records", "The target or plan assessed."),
            _c("verdict", "Where the pledge stands.", vocabulary="verdict"),
            _c("as_of", "The date of the assessment: YYYY, YYYY-MM or YYYY-MM-DD.", pattern=ISO_DATE),
            _c("assessor", "Who assessed it."),
            _c("note_en", "The reasoning."),
        ),
        ("id",),
    ),
    Table(
        "assessment_evidence",
        "The records an assessment rests on.",
        (
            _ref("assessment", "assessments", "The assessment."),
            _ref("record", "records", "A record it rests on."),
            _position("evidence"),
        ),
        ("assessment", "record"),
    ),
    Table(
        "verdicts",
        "Where every target and plan stands (derived): the latest assessment, else computed from later "
        "results of the same series, else not yet assessed.",
        (
            _ref("record", "records", "The target or plan."),
            _c("verdict", "Where it stands.", vocabulary="verdict"),
            _c(
                "source", "recorded (an assessment), computed (from figures) or none.", values=VERDICT_SOURCES
            ),
            _c("as_of", "The date of the assessment, for a recorded verdict.", null=True, pattern=ISO_DATE),
            _ref("assessment", "assessments", "The assessment that gives a recorded verdict.", null=True),
        ),
        ("record",),
    ),
    Table(
        "verdict_comparisons",
        "Each target figure of a pledge beside the later result of the same series (whether the verdict "
        "is computed from them or recorded by a person).",
        (
            _ref("record", "verdicts", "The target or plan.", "record"),
            _position("comparisons"),
            _ref("target_figure", "figures", "The target figure.", type_="integer"),
            _ref("actual_figure", "figures", "The later result of the same series.", type_="integer"),
            _c("outcome", "met, partly_met or not_met.", values=OUTCOMES),
        ),
        ("record", "position"),
    ),
)
TABLE = {t.name: t for t in TABLES}
FIGURES = TABLE["figures"]

# -- views: the common questions, answered with joins ----------------------------------------

_PLEDGES = ", ".join(f"'{k}'" for k in PLEDGE_VALUES)
_COMMON = {
    "record": "The record (records.id).",
    "article": "The article (articles.id).",
    "area": "The area (areas.slug).",
    "area_zh": "The area's name in Chinese.",
    "area_en": "The area's name in English.",
    "category": "The record's category (terms: category).",
    "category_zh": "The category in Chinese.",
    "category_en": "The category in English.",
    "record_kind": "The record's kind (terms: record_kind).",
    "record_zh": "The record in Chinese.",
    "record_en": "The record in English.",
    "year": "The year it is about.",
    "figure": "The figure (figures.id).",
    "metric": "The metric (metrics.id).",
    "metric_zh": "The metric in Chinese.",
    "metric_en": "The metric in English.",
    "entity": "The entity (entities.id).",
    "entity_kind": "The entity's kind (terms: entity_kind).",
    "entity_zh": "The entity's name in Chinese.",
    "entity_en": "The entity's name in English.",
    "display": "The figure as a Chinese reader writes it.",
    "display_en": "The figure as English copy writes it.",
    "role": "Result, target or attribute.",
    "stage": "The stage of the projects a count refers to.",
    "threshold_stated": "The size threshold as the article words it.",
}


@dataclass(frozen=True)
class View:
    name: str
    description: str
    sql: str
    columns: Mapping[str, str]  # descriptions beyond _COMMON

    def describe(self, column: str) -> str:
        return self.columns.get(column) or _COMMON[column]


VIEWS: tuple[View, ...] = (
    View(
        "figures_with_records",
        "Every figure with its record, area and metric: the table to load for charts and comparisons.",
        """SELECT f.id AS figure, f.record, r.article, r.area, a.zh AS area_zh, a.en AS area_en,
       r.kind AS record_kind, r.category, f.metric, m.zh AS metric_zh, m.en AS metric_en,
       f.year, f.role, f.display, f.display_en, f.value, f.unit, f.base_value, f.base_unit,
       f.comparator, f.intent, f.stage, f.threshold_stated, f.threshold_base_value,
       f.threshold_base_unit, f.scope, f.claim, f.approximate, f.entity, f.series,
       r.zh AS record_zh, r.en AS record_en, r.quote
FROM figures AS f
JOIN records AS r ON r.id = f.record
JOIN areas AS a ON a.slug = r.area
JOIN metrics AS m ON m.id = f.metric
ORDER BY f.id""",
        {
            "value": "The number as printed.",
            "unit": "The unit as printed.",
            "base_value": "The value in its base unit (yuan, count, percent, rank).",
            "base_unit": "yuan, count, percent or rank.",
            "comparator": "exact, at_least, more_than or at_most.",
            "intent": "plain, ensure or strive.",
            "threshold_base_value": "The size threshold in its base unit.",
            "threshold_base_unit": "The threshold's base unit.",
            "scope": "What a rank is among.",
            "claim": "What the words claim without a number.",
            "approximate": "1 for a round number stated as such.",
            "series": "Figures compare only within one series.",
            "quote": "The record's quote.",
        },
    ),
    View(
        "pledges_per_category",
        "How many targets and plans each area made in each category and year.",
        f"""SELECT r.area, a.zh AS area_zh, a.en AS area_en, r.year, r.category,
       c.zh AS category_zh, c.en AS category_en,
       SUM(r.kind = 'target') AS targets, SUM(r.kind = 'plan') AS plans, COUNT(*) AS pledges,
       SUM(EXISTS (SELECT 1 FROM figures AS f WHERE f.record = r.id
                   AND f.role = 'target' AND f.value IS NOT NULL)) AS with_numeric_target
FROM records AS r
JOIN areas AS a ON a.slug = r.area
JOIN terms AS c ON c.vocabulary = 'category' AND c.value = r.category
WHERE r.kind IN ({_PLEDGES})
GROUP BY r.area, r.year, r.category
ORDER BY r.area, r.year, r.category""",
        {
            "targets": "How many targets.",
            "plans": "How many plans.",
            "pledges": "Targets and plans together.",
            "with_numeric_target": "How many of them carry a target figure with a number.",
        },
    ),
    View(
        "investment_projects",
        "Which projects, companies and parks each area names, with the amounts (in yuan), counts and stages "
        "its records give: one row per mention and money or count figure. Do not sum amount_yuan "
        "across rows: a record naming a company and its project repeats its figure on both rows.",
        f"""SELECT r.area, a.zh AS area_zh, a.en AS area_en,
       e.id AS entity, e.kind AS entity_kind, e.zh AS entity_zh, e.en AS entity_en,
       r.id AS record, r.kind AS record_kind, r.category, r.year,
       f.id AS figure, CASE WHEN f.id IS NOT NULL THEN f.entity IS NOT NULL END AS of_entity,
       f.metric, f.role, f.stage, f.display, f.display_en,
       CASE WHEN f.base_unit = 'yuan' THEN f.base_value END AS amount_yuan,
       CASE WHEN f.base_unit = 'count' THEN f.base_value END AS quantity,
       f.threshold_stated,
       CASE WHEN f.threshold_base_unit = 'yuan' THEN f.threshold_base_value END AS threshold_yuan,
       r.zh AS record_zh, r.en AS record_en
FROM mentions AS m
JOIN entities AS e ON e.id = m.entity
JOIN records AS r ON r.id = m.record
JOIN areas AS a ON a.slug = r.area
LEFT JOIN figures AS f ON f.record = r.id AND (f.entity IS NULL OR f.entity = e.id)
                       AND f.base_unit IN ('yuan', 'count')
WHERE e.kind IN ('{EntityKind.project.value}', '{EntityKind.company.value}', '{EntityKind.park.value}')
ORDER BY r.rowid, m.position, f.position""",
        {
            "figure": "A money or count figure of the record (figures.id), if it has one.",
            "of_entity": "1 when the figure is typed as this entity's own (figures.entity), 0 when it is "
            "the record's (a total, a count of projects), empty without a figure.",
            "amount_yuan": "The figure's amount in yuan, for a money figure.",
            "quantity": "The figure's count, for a count figure.",
            "threshold_yuan": "The size threshold of what is counted, in yuan.",
        },
    ),
    View(
        "pledge_verdicts",
        "Every target and plan with where it stands and what it rests on.",
        """SELECT r.id AS record, r.article, r.area, a.en AS area_en, r.kind AS record_kind, r.category,
       r.year, v.verdict, t.zh AS verdict_zh, t.en AS verdict_en, v.source AS verdict_source, v.as_of,
       (SELECT COUNT(*) FROM figures AS f WHERE f.record = r.id AND f.role = 'target') AS target_figures,
       (SELECT COUNT(*) FROM follows AS o WHERE o.target = r.id) AS followed_by,
       r.zh AS record_zh, r.en AS record_en
FROM verdicts AS v
JOIN records AS r ON r.id = v.record
JOIN areas AS a ON a.slug = r.area
JOIN terms AS t ON t.vocabulary = 'verdict' AND t.value = v.verdict
ORDER BY r.rowid""",
        {
            "verdict": "Where it stands (terms: verdict).",
            "verdict_zh": "The verdict in Chinese.",
            "verdict_en": "The verdict in English.",
            "verdict_source": "recorded, computed or none.",
            "as_of": "The date of a recorded verdict.",
            "target_figures": "How many target figures the pledge carries.",
            "followed_by": "How many later records report on it.",
        },
    ),
    View(
        "entity_network",
        "How entities stand to one another (entity_links), with both ends named: who carries out "
        "which project, in which park.",
        """SELECT l.entity, e.kind AS entity_kind, e.zh AS entity_zh, e.en AS entity_en,
       l.kind AS link, t.en AS link_en, l.target, o.kind AS target_kind, o.zh AS target_zh,
       o.en AS target_en, l.note_en
FROM entity_links AS l
JOIN entities AS e ON e.id = l.entity
JOIN entities AS o ON o.id = l.target
JOIN terms AS t ON t.vocabulary = 'link' AND t.value = l.kind
ORDER BY l.rowid""",
        {
            "link": "How the entity stands to the target (terms: link).",
            "link_en": "The link in English.",
            "target": "The other entity (entities.id).",
            "target_kind": "Its kind.",
            "target_zh": "Its name in Chinese.",
            "target_en": "Its name in English.",
            "note_en": "A note on the link.",
        },
    ),
)

# The documentation tables of the SQLite database (not part of the CSV package, whose
# datapackage.json says the same).
DOC_TABLES: tuple[Table, ...] = (
    Table(
        "_tables",
        "What each table and view of this database holds.",
        (
            _c("name", "The table or view."),
            _c("type", "table or view.", values=("table", "view")),
            _c("description", "What it holds."),
        ),
        ("name",),
    ),
    Table(
        "_columns",
        "What each column of each table and view holds.",
        (
            _c("table_name", "The table or view."),
            _position("columns"),
            _c("name", "The column."),
            _c(
                "type",
                "Its SQLite type (booleans are INTEGER 0 or 1); empty for a computed view column.",
                null=True,
            ),
            _c("required", "True when it is never empty.", "boolean"),
            _c("key", "'primary key' where it is (part of) the primary key.", null=True),
            _c("refers_to", "table.column it refers to, where it is a foreign key.", null=True),
            _c("vocabulary", "The vocabulary of `terms` its values come from.", null=True),
            _c("description", "What it holds."),
        ),
        ("table_name", "name"),
    ),
    Table(
        "_export",
        "How this database was made.",
        (_c("name", "What is described."), _c("value", "Its value.")),
        ("name",),
    ),
)

# -- rows: the knowledge base, flat ----------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"\w+")


def pinyin(zh: str) -> str:
    """天楹集团总投资64亿元 -> 'TianYingJiTuanZongTouZi 64 YiYuan': each run of Chinese as one word
    of capitalised syllables (readable, and a substring search finds 'tianying' and 'tian ying')."""
    from liaoyuan_cli.search import pinyin_tokens

    words: list[str] = []
    end = 0
    for run in _CJK.finditer(zh):
        words += _WORD.findall(zh[end : run.start()])
        words.append("".join(token.capitalize() for token in pinyin_tokens(run.group())))
        end = run.end()
    words += _WORD.findall(zh[end:])
    return " ".join(word for word in words if word)


def _date_row(prefix: str, date: Mapping[str, Any]) -> Row:
    return {
        f"{prefix}_iso": date["iso"],
        f"{prefix}_precision": date["precision"],
        f"{prefix}_inferred": date["inferred"],
        f"{prefix}_stated": date.get("stated"),
        f"{prefix}_note_en": date.get("note_en"),
    }


def _listed(values: Iterable[str]) -> list[tuple[int, str]]:
    """(position, value) of each distinct value of a list, in its order."""
    return list(enumerate(dict.fromkeys(values), start=1))


def rows(cache: sqlite3.Connection, data_dir: Path) -> Iterator[tuple[str, Row]]:
    """Every table's rows as (table, row), read one at a time from the validated cache of the
    knowledge base (build.py): nothing is parsed or validated again, nothing held but a row.
    Derived columns come as the cache's builder made them (figures.py, themes, verdicts); pinyin
    and the articles' texts are made here. Tables come in any order: their keys are checked once
    every row is in (fill)."""

    def items(kind: str) -> Iterator[Row]:
        sql = "SELECT json FROM items WHERE kind = ? ORDER BY seq"
        return (json.loads(text) for (text,) in cache.execute(sql, (kind,)))

    def table(name: str) -> Iterator[Row]:
        return (json.loads(text) for (text,) in cache.execute(f"SELECT json FROM {name} ORDER BY seq"))

    for name, vocabulary in VOCABULARIES.items():
        for member in vocabulary:
            yield (
                "terms",
                {"vocabulary": name, "value": member.value, "zh": member.zh or None, "en": member.en or None},
            )
    drafts = {a for (a,) in cache.execute("SELECT id FROM articles WHERE draft")}
    for a in items("article-whole"):
        yield (
            "articles",
            {
                **{
                    k: a.get(k)
                    for k in ("id", "title_zh", "title_en", "title_supplied", "session_zh", "session_en")
                },
                **{k: a.get(k) for k in ("publication_zh", "publication_en", "publication_stated")},
                **_date_row("date", a["date"]),
                "source_file": a["source_file"],
                "source_text": _source_text(data_dir, a["source_file"]),
                "draft": a["id"] in drafts,
            },
        )
        for i, person in _listed(a["photographers"]):
            yield "article_photographers", {"article": a["id"], "position": i, "person": person}
    for p in items("person-whole"):
        yield "people", {k: p[k] for k in ("id", "zh", "pinyin", "role_zh", "role_en", "article", "quote")}
    for area in items("area"):
        yield "areas", {k: area[k] for k in ("slug", "zh", "short_zh", "en", "pinyin", "kind")}
        for i, alias in _listed(area["aliases"]):
            yield "area_aliases", {"area": area["slug"], "position": i, "alias": alias}
    for sec in items("section"):
        yield (
            "sections",
            {
                **{k: sec[k] for k in ("id", "article", "kind", "area", "headline_zh", "headline_en")},
                "interviewee": sec.get("interviewee"),
                **_date_row("date", sec["date"]),
                "quote": sec["quote"],
            },
        )
        for i, person in _listed(sec["reporters"]):
            yield "section_reporters", {"section": sec["id"], "position": i, "person": person}
    for e in table("errata"):
        yield (
            "errata",
            {
                **{k: e[k] for k in ("id", "article", "kind", "printed", "printed_en")},
                "reading": e.get("reading"),
                "reading_en": e.get("reading_en"),
                **{k: e[k] for k in ("occurrences", "certainty", "note_en", "quote")},
            },
        )
    for t in items("topic"):
        yield "topics", {"id": t["id"], "zh": t["zh"], "en": t["en"], "headline": t["headline"]}
    for m in items("metric"):
        yield (
            "metrics",
            {
                **{k: m[k] for k in ("id", "zh", "en", "higher_is_better")},
                "noun_en": m.get("noun_en"),
            },
        )
        for i, topic in _listed(m["topics"]):
            yield "metric_topics", {"metric": m["id"], "topic": topic, "position": i}
    for t in items("theme"):
        yield "themes", {"id": t["id"], "zh": t["zh"], "en": t["en"]}
        for language in LANGUAGES:
            for i, keyword in _listed(t[f"keywords_{language}"]):
                yield (
                    "theme_keywords",
                    {"theme": t["id"], "language": language, "position": i, "keyword": keyword},
                )
        for rule_name in ("include", "exclude"):
            for record in dict.fromkeys(t[rule_name]):
                yield "theme_overrides", {"theme": t["id"], "record": record, "rule": rule_name}
    for e in table("entities"):
        yield (
            "entities",
            {
                **{k: e[k] for k in ("id", "kind", "zh", "en", "pinyin", "article", "quote")},
                "note_en": e.get("note_en"),
                "general_knowledge_en": e.get("general_knowledge_en"),
            },
        )
        for i, alias in _listed(e["aliases"]):
            yield "entity_aliases", {"entity": e["id"], "position": i, "alias": alias}
        for i, link in enumerate(e["links"], start=1):
            yield (
                "entity_links",
                {
                    "entity": e["id"],
                    "position": i,
                    "kind": link["kind"],
                    "target": link["to"],
                    "note_en": link.get("note_en"),
                },
            )
        for i, st in enumerate(e.get("stages", []), start=1):
            yield (
                "entity_stages",
                {"entity": e["id"], "position": i, **{k: st[k] for k in ("stage", "year", "role", "words")}},
            )
    for f in table("frameworks"):
        yield (
            "frameworks",
            {
                **{k: f[k] for k in ("id", "section", "article", "area", "zh", "en", "quote")},
                "pinyin": pinyin(f["zh"]),
            },
        )
        for i, part in enumerate(f["parts"], start=1):
            yield "framework_parts", {"framework": f["id"], "position": i, "zh": part["zh"], "en": part["en"]}
    figure = 0
    for r in table("records"):
        yield (
            "records",
            {
                **{k: r[k] for k in ("id", "article", "section", "area", "kind", "category", "year")},
                "year_inferred": r["year_inferred"],
                **{k: r[k] for k in ("zh", "en")},
                "quote": r["quote"],
                "pinyin": pinyin(r["zh"]),
                **{k: r[k] for k in ("voice", "speaker", "note_en")},
            },
        )
        for old in dict.fromkeys(r["formerly"]):
            yield "record_former_ids", {"record": r["id"], "former_id": old}
        for i, entity in _listed(r["entities"]):
            yield "mentions", {"record": r["id"], "entity": entity, "position": i}
        for i, framework in _listed(r["frameworks"]):
            yield "record_frameworks", {"record": r["id"], "framework": framework, "position": i}
        for theme in r["themes"]:
            yield "record_themes", {"record": r["id"], "theme": theme}
        for erratum in r["errata"]:
            yield "record_errata", {"record": r["id"], "erratum": erratum}
        for i, target in _listed(r["follows"]):
            yield "follows", {"record": r["id"], "target": target, "position": i}
        for i, flat in enumerate(r["figures"], start=1):
            figure += 1  # the cache's figure number, plus one: verdicts name figures by it
            own = {"id": figure, "record": r["id"], "position": i}
            yield "figures", {c.name: own[c.name] if c.name in own else flat[c.name] for c in FIGURES.columns}
            for j, reading in enumerate(flat["readings_en"], start=1):
                yield "figure_readings", {"figure": figure, "position": j, "reading_en": reading}
            for language in LANGUAGES:
                for j, qualifier in enumerate(flat[f"qualifiers_{language}"], start=1):
                    yield (
                        "figure_qualifiers",
                        {"figure": figure, "language": language, "position": j, "qualifier": qualifier},
                    )
            for erratum in dict.fromkeys(flat["errata"]):
                yield "figure_errata", {"figure": figure, "erratum": erratum}
    for a in items("assessment"):
        yield "assessments", {k: a[k] for k in ("id", "target", "verdict", "as_of", "assessor", "note_en")}
        for i, record in _listed(a["evidence"]):
            yield "assessment_evidence", {"assessment": a["id"], "record": record, "position": i}
    for v in table("verdicts"):
        yield "verdicts", {k: v[k] for k in ("record", "verdict", "source", "as_of", "assessment")}
        for i, ((aim, got), comparison) in enumerate(zip(v["pairs"], v["comparisons"], strict=True), start=1):
            yield (
                "verdict_comparisons",
                {
                    "record": v["record"],
                    "position": i,
                    "target_figure": aim + 1,
                    "actual_figure": got + 1,
                    "outcome": comparison["outcome"],
                },
            )


def _source_text(data_dir: Path, name: str) -> str:
    """An article's text, read only from inside the knowledge base's directory: a symlink out of it
    would put any file the user can read (/etc/shadow) into a database they then share."""
    from liaoyuan_cli.files import NotReadable, read_regular

    try:
        data, _ = read_regular(data_dir / name, within=data_dir)
        return data.decode("utf-8")
    except (NotReadable, UnicodeDecodeError) as exc:
        raise InvalidKnowledgeBase([Problem(name, f"cannot read: {exc}")], str(data_dir)) from None


# -- SQLite --------------------------------------------------------------------------------


def _comment(text: str) -> str:
    return " ".join(text.split())


def table_sql(table: Table, strict: bool = True) -> str:
    """CREATE TABLE with types, checks and keys, each column's description as an SQL comment
    (SQLite keeps them: `.schema` and datasette's table pages show them)."""
    items: list[tuple[str, str | None]] = []
    for c in table.columns:
        decl = f"{c.name} {_SQL[c.type]}" + ("" if c.null else " NOT NULL")
        checks = []
        if c.type == "boolean":
            checks.append(f"{c.name} IN (0, 1)")
        if c.allowed():
            checks.append(f"{c.name} IN ({', '.join(_quote(v) for v in c.allowed())})")
        if c.minimum is not None:
            checks.append(f"{c.name} >= {c.minimum}")
        for check in checks:
            decl += f" CHECK ({check})"
        items.append((decl, c.description))
    items.append((f"PRIMARY KEY ({', '.join(table.key)})", None))
    items += [(f"UNIQUE ({', '.join(u)})", None) for u in table.unique]
    items += [
        (f"FOREIGN KEY ({c.name}) REFERENCES {c.references[0]} ({c.references[1]})", None)
        for c in table.columns
        if c.references
    ]
    lines = [f"CREATE TABLE {table.name} (  -- {_comment(table.description)}"]
    for i, (text, comment) in enumerate(items):
        line = "    " + text + ("," if i < len(items) - 1 else "")
        lines.append(line + (f"  -- {_comment(comment)}" if comment else ""))
    return "\n".join(lines) + "\n)" + (" STRICT" if strict else "")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _indexes(table: Table) -> Iterator[str]:
    """An index on each foreign key that its table's primary key does not already lead with."""
    for c in table.columns:
        if c.references and table.key[0] != c.name:
            yield f"CREATE INDEX {table.name}_{c.name} ON {table.name} ({c.name})"


def _search_sql(table: str) -> str:
    """An FTS5 index over the table's SEARCHED columns, found by datasette and sqlite-utils through
    `content="TABLE"`. It indexes the words `_search_text` makes, not the table's text: rowid and
    MATCH work as with any index; reading columns, highlight(), snippet() and 'rebuild' do not."""
    return (
        f"CREATE VIRTUAL TABLE {table}_fts USING fts5 ({', '.join(SEARCHED)}, "
        f'content="{table}", tokenize="{TOKENIZER}")'
    )


# How many bytes of words FTS5 gathers in memory before it writes them out as a segment (its
# 'hashsize', 1 MiB unless set): each segment written is merged again and again with the next
# ones. 4 MiB took the records' index at 100x the article from about 8 to 6 s, for 4 MiB more
# at the peak (8 or 32 MiB were no faster, and 12 or 50 MiB larger). Set back once filled.
FTS_HASHSIZE = 4 * 1024 * 1024
FTS_DEFAULT_HASHSIZE = 1024 * 1024


def _index(conn: sqlite3.Connection, table: str) -> None:
    """Fill a table's FTS5 index with the words of each row (`_search_text`), under its rowid, as
    the rows are read."""
    fts = f"{table}_fts"
    conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', {FTS_HASHSIZE})")
    rows = conn.execute(f"SELECT rowid, zh, en, quote, pinyin FROM {table} ORDER BY rowid")
    conn.executemany(
        f"INSERT INTO {fts} (rowid, zh, en, quote, pinyin) VALUES (?, ?, ?, ?, ?)",
        (
            (rowid, _search_text(zh), _search_text(en), _search_text(quote), _search_pinyin(zh, py))
            for rowid, zh, en, quote, py in rows
        ),
    )
    conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('hashsize', {FTS_DEFAULT_HASHSIZE})")


# The FTS5 tokenizer: words of letters and digits, case and accents folded. It keeps a run of
# Chinese characters as one word, as it does a query: so the index holds every run of up to
# SEARCH_SPAN characters (and pinyin syllables) as a word of its own (_search_text).
TOKENIZER = "unicode61 remove_diacritics 2"
SEARCH_SPAN = 16
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# What unicode61 takes for one word (letters and digits, Chinese included), and its parts here:
# each Chinese character, and each run of other letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_UNIT = re.compile(f"[{_HAN}]|[^\\W_{_HAN}]+")
_HAN_RUN = re.compile(f"[{_HAN}]+")


def _spans(units: Sequence[str]) -> list[str]:
    """Every run of 1 to SEARCH_SPAN consecutive units, joined: 天楹集团 gives 天, 天楹, 天楹集,
    天楹集团, 楹, 楹集, ... A single unit (an English word) is itself, and only itself."""
    size = len(units)
    if size == 1:
        return [units[0]]
    # Units of one character each (a run of Chinese) are cut from the run itself: a slice, not a join.
    text = "".join(units)
    if len(text) == size:
        return [text[i : i + n] for i in range(size) for n in range(1, min(SEARCH_SPAN, size - i) + 1)]
    return ["".join(units[i : i + n]) for i in range(size) for n in range(1, min(SEARCH_SPAN, size - i) + 1)]


def _search_text(text: str | None) -> str:
    """The words an FTS5 unicode61 index needs to find any word of text, in Chinese as typed: an
    English word or number as itself (`ethanol` is not `methanol`), and every run of up to
    SEARCH_SPAN characters of Chinese (with any digits or letters in it: 64亿元), so that the
    query 天楹, which unicode61 reads as one word, finds 中国天楹集团."""
    if not text:
        return ""
    words: list[str] = []
    for token in _TOKEN.findall(text):
        words.extend(_spans(_UNIT.findall(token)))
    return " ".join(words)


def _search_pinyin(zh: str, pinyin_text: str | None) -> str:
    """The pinyin words: the row's own pinyin column, and every run of up to SEARCH_SPAN syllables of
    each run of Chinese in zh, joined (tianying, tianyingjituan), as the Chinese is indexed."""
    from liaoyuan_cli.search import pinyin_tokens

    words = _TOKEN.findall(pinyin_text or "")
    for run in _HAN_RUN.findall(zh):
        words.extend(_spans([s for s in pinyin_tokens(run) if s]))
    return " ".join(words)


def _values(table: Table, row: Row) -> tuple[Any, ...]:
    return tuple(_sql(c, row[c.name]) for c in table.columns)


def _sql(column: Column, value: Any) -> Any:
    """A value as its column stores it. A number is bound as a float: SQLite cannot bind a Python int
    beyond its 64-bit INTEGER (1e20 亿元 is 10**28 yuan), and a REAL column would convert it anyway."""
    if value is None:
        return None
    if column.type == "boolean":
        return int(value)
    if column.type == "number" and isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # beyond any float: the nearest REAL is infinity
            return math.inf if value > 0 else -math.inf
    return value


def fill(conn: sqlite3.Connection, data: Iterable[tuple[str, Row]], extras: bool = True) -> None:
    """Create the schema in an empty database and insert every row as it comes, a few thousand at
    a time, foreign keys checked once all are in; with `extras`, the full-text indexes and the
    documentation tables too (the CSV package needs neither)."""
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA user_version = {EXPORT_FORMAT}")
    with conn:
        for table in TABLES:
            conn.execute(table_sql(table))
            # The foreign keys' indexes before the rows: a row whose key refers to one not yet in
            # is counted until its parent comes, and SQLite finds the children of each parent
            # inserted meanwhile through them (without, a scan of the child table per parent row).
            for statement in _indexes(table):
                conn.execute(statement)
        conn.execute("PRAGMA defer_foreign_keys = ON")  # a later article's follow-up may come first
        batches: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in TABLES}

        def flush(name: str) -> None:
            table = TABLE[name]
            conn.executemany(
                f"INSERT INTO {name} VALUES ({', '.join('?' * len(table.columns))})", batches[name]
            )
            batches[name].clear()

        for name, row in data:
            batches[name].append(_values(TABLE[name], row))
            if len(batches[name]) >= BATCH:
                flush(name)
        for name in batches:
            flush(name)
        for table in TABLES:
            if extras and table.search:
                conn.execute(_search_sql(table.name))
                _index(conn, table.name)
        for view in VIEWS:
            conn.execute(f"CREATE VIEW {view.name} AS\n{view.sql}")
        if extras:
            _document(conn)


# Rows inserted at once: enough to keep SQLite busy, few enough to hold little memory.
BATCH = 5000


def _document(conn: sqlite3.Connection) -> None:
    """The _tables, _columns and _export tables: the schema in words, inside the database."""
    for table in DOC_TABLES:
        conn.execute(table_sql(table))
    listed: list[tuple[Any, ...]] = []
    columns: list[tuple[Any, ...]] = []
    for table in (*TABLES, *DOC_TABLES):
        listed.append((table.name, "table", table.description))
        for i, c in enumerate(table.columns, start=1):
            ref = f"{c.references[0]}.{c.references[1]}" if c.references else None
            key = "primary key" if c.name in table.key else None
            columns.append(
                (table.name, i, c.name, _SQL[c.type], int(not c.null), key, ref, c.vocabulary, c.description)
            )
    for view in VIEWS:
        listed.append((view.name, "view", view.description))
        for cid, name, type_, *_ in conn.execute(f"PRAGMA table_info({view.name})"):
            columns.append(
                (view.name, cid + 1, name, type_ or None, 0, None, None, None, view.describe(name))
            )
    conn.executemany("INSERT INTO _tables VALUES (?, ?, ?)", listed)
    conn.executemany("INSERT INTO _columns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", columns)
    about = {
        "export_format": str(EXPORT_FORMAT),
        "lycli_version": __version__,
        "full_text_search": f"FTS5 ({TOKENIZER}) over {', '.join(SEARCHED)}: records_fts, entities_fts, "
        f"frameworks_fts. Chinese is indexed as every run of up to {SEARCH_SPAN} characters, pinyin as "
        "every run of syllables, so a query finds Chinese words as typed and English words whole. "
        "Written once by lycli: no triggers, and 'rebuild' would lose the Chinese words.",
        "documentation": "docs/export.md of lycli",
    }
    conn.executemany("INSERT INTO _export VALUES (?, ?)", about.items())


def table_counts(conn: sqlite3.Connection, tables: Iterable[Table]) -> list[ExportTable]:
    return [
        {"name": t.name, "rows": int(conn.execute(f"SELECT COUNT(*) FROM {t.name}").fetchone()[0])}
        for t in tables
    ]


# -- CSV and the datapackage.json ------------------------------------------------------------


def _cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.type == "boolean":
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else "INF" if value > 0 else "-INF"  # Table Schema's words
        # Digits a float does not hold are not written: 1e28, never 9999999999999999583119736832.
        return str(int(value)) if value.is_integer() and abs(value) < EXACT_INTEGER else repr(value)
    return str(value)


def _field(table: Table, column: Column) -> Row:
    field: Row = {"name": column.name, "type": _FRICTIONLESS[column.type], "description": column.description}
    constraints: Row = {}
    if not column.null:
        constraints["required"] = True
    if column.allowed():
        constraints["enum"] = list(column.allowed())
    if column.pattern:
        constraints["pattern"] = column.pattern
    if column.minimum is not None:
        constraints["minimum"] = column.minimum
    if table.key == (column.name,):
        constraints["unique"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def _schema(table: Table) -> Row:
    schema: Row = {
        "fields": [_field(table, c) for c in table.columns],
        "primaryKey": list(table.key),
        "missingValues": [""],
    }
    keys = [
        {"fields": c.name, "reference": {"resource": c.references[0], "fields": c.references[1]}}
        for c in table.columns
        if c.references
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _write_csv(directory: Path, conn: sqlite3.Connection) -> list[Row]:
    """One CSV file per table, written from the database row by row; the datapackage resources
    describing them."""
    resources: list[Row] = []
    for table in TABLES:
        name = f"{table.name}.csv"
        names = ", ".join(c.name for c in table.columns)
        digest = hashlib.sha256()
        size = 0
        with place.new_file(directory, name) as out:
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer)
            writer.writerow([c.name for c in table.columns])
            for i, row in enumerate(conn.execute(f"SELECT {names} FROM {table.name} ORDER BY rowid"), 1):
                writer.writerow([_cell(c, v) for c, v in zip(table.columns, row, strict=True)])
                if i % BATCH == 0:
                    size += _spill(buffer, digest, out)
            size += _spill(buffer, digest, out)
        resources.append(
            {
                "name": table.name,
                "path": name,
                "profile": "tabular-data-resource",
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": size,
                "hash": "sha256:" + digest.hexdigest(),
                "schema": _schema(table),
            }
        )
    return resources


def _spill(buffer: io.StringIO, digest: Any, out: BinaryIO) -> int:
    """Write what the CSV writer buffered, hashing it; how many bytes."""
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    digest.update(data)
    out.write(data)
    return len(data)


def package(resources: list[Row]) -> Row:
    return {
        "profile": "tabular-data-package",
        "name": "lycli-knowledge-base",
        "title": (
            "What Liaoyuan's county and district leaders reported and pledged at the city's People's Congress"
        ),
        "description": (
            "The lycli knowledge base as tidy tables: articles, areas, people, sections, records and their "
            "typed figures (with amounts in base units), entities, mentions, frameworks, errata, themes, "
            "assessments and verdicts. Chinese and English text; UTF-8 without a byte-order mark. "
            "Made for programs: cells are not escaped against spreadsheet formulas. "
            "See docs/export.md of lycli."
        ),
        "x-lycli": {"export_format": EXPORT_FORMAT, "lycli_version": __version__},
        "resources": resources,
    }


# -- writing ---------------------------------------------------------------------------------


def _format(fmt: str) -> str:
    chosen = fmt.strip().lower()
    if chosen not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint="--format sqlite or --format csv")
    return chosen


def _closed(fd: int | None) -> None:
    """Close an export's descriptor (again, after an interruption: then it may be closed already)."""
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def _removed(work: Path | None) -> None:
    """Remove an export's temporary directory (again, after an interruption: what is left of it)."""
    if work is not None:
        place.remove(work)


def export(data_dir: str | Path, path: str, fmt: str, force: bool) -> ExportResult:
    """Write the knowledge base at data_dir to path as SQLite or CSV; say what was written.

    The rows come from the knowledge base's validated cache (building it if need be), and the
    database is built on disk inside a private directory beside the target, so that memory stays
    flat however large the knowledge base, and nothing another user could plant there is opened."""
    from liaoyuan_cli.cache import uri
    from liaoyuan_cli.store import open_store

    chosen = _format(fmt)
    target, empty = place.destination(path, chosen, force)
    cache = open_store(str(data_dir)).conn
    work: Path | None = None
    fd: int | None = None
    with place.terminable():
        try:
            place.sweep(target)
            work, fd = place.temporary(target, directory=True)
            database = work / "export.sqlite"
            conn = sqlite3.connect(uri(str(database)), uri=True)
            try:
                conn.execute("PRAGMA journal_mode = OFF")  # a failed export is deleted, not recovered
                conn.execute("PRAGMA synchronous = OFF")
                fill(conn, rows(cache, Path(data_dir)), extras=chosen == "sqlite")
                counts = table_counts(conn, (*TABLES, *DOC_TABLES) if chosen == "sqlite" else TABLES)
                if chosen == "csv":
                    made = work / "package"
                    os.mkdir(made, 0o700)
                    text = json.dumps(package(_write_csv(made, conn)), ensure_ascii=False, indent=2) + "\n"
                    with place.new_file(made, PACKAGE) as out:
                        out.write(text.encode("utf-8"))
            finally:
                conn.close()
            if chosen == "csv":
                database.unlink()
                finished = work / "package"
                os.chmod(finished, 0o777 & ~place.umask())
            else:
                finished = database
                os.chmod(finished, 0o666 & ~place.umask())
            with place.held():
                place.place(finished, target, force, empty)
        except (sqlite3.IntegrityError, OverflowError) as exc:
            raise InvalidKnowledgeBase(
                [Problem(str(data_dir), f"cannot be exported: {exc}")], str(data_dir)
            ) from None
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CannotWrite(f"cannot write {path}: {reason}") from None
        finally:
            try:
                _closed(fd)
                fd = None
                _removed(work)
                work = None
            except BaseException:  # Ctrl-C or SIGTERM just now: finish the cleanup, then stop
                _closed(fd)
                _removed(work)
                raise
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "export",
        "path": path,
        "format": chosen,
        "tables": counts,
    }
