"""What the drafter knows from the knowledge base it drafts into: the names of areas, people,
metrics and entities, the ids already taken, and the pledges a later result may follow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liaoyuan_cli.text import fold

if TYPE_CHECKING:
    from liaoyuan_cli.models import KnowledgeBase

_HAN = re.compile(r"[\u3400-\u9fff]")

# How a metric's Chinese name says what aspect of a quantity it measures (地区生产总值增速 is
# the growth of 地区生产总值); the drafter matches the quantity's words, then the aspect.
ASPECTS = (
    ("总量排名", "rank"),
    ("增速排名", "growth-rank"),
    ("排名", "rank"),
    ("增速", "growth"),
    ("增幅", "growth"),
    ("增长率", "growth"),
    ("增长", "growth"),
    ("数", "count"),
)


def aspect_of(zh: str) -> tuple[str, str]:
    """地区生产总值增速 -> ('地区生产总值', 'growth'); 重点项目数 -> ('重点项目', 'count')."""
    for suffix, aspect in ASPECTS:
        if zh.endswith(suffix) and len(zh) > len(suffix) + 1:
            return zh[: -len(suffix)], aspect
    return zh, "level"


def han(text: str) -> bool:
    return bool(_HAN.search(text))


@dataclass
class Target:
    """A target figure of an earlier article: what a later result may follow."""

    record: str
    area: str
    date: str
    figure: dict[str, Any]


@dataclass
class Lexicon:
    """Names and ids of one knowledge base, as the drafter reads them."""

    areas: list[tuple[str, str]] = field(default_factory=list)  # (name, slug), longest first
    city: str | None = None  # the slug of the area of kind city, if any
    people: dict[str, str] = field(default_factory=dict)  # zh -> id
    metrics: dict[tuple[str, str], str] = field(default_factory=dict)  # (phrase, aspect) -> id
    metric_zh: dict[str, str] = field(default_factory=dict)  # id -> zh
    phrases: list[str] = field(default_factory=list)  # metric phrases, longest first
    entities: list[tuple[str, str]] = field(default_factory=list)  # (name, id), longest first
    entity_names: set[str] = field(default_factory=set)  # every entity name, folded
    topics: list[str] = field(default_factory=list)
    taken: dict[str, set[str]] = field(default_factory=dict)  # item key -> ids (records: formerly too)
    targets: list[Target] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # article -> ISO date

    def take(self, key: str, wanted: str, limit: int = 40) -> str:
        """An id of `key` items nobody has: `wanted`, else wanted-2, wanted-3, … within `limit`."""
        ids = self.taken.setdefault(key, set())
        base = wanted[:limit].rstrip("-")
        candidate, n = base, 1
        while candidate in ids:
            n += 1
            suffix = f"-{n}"
            candidate = base[: limit - len(suffix)].rstrip("-") + suffix
        ids.add(candidate)
        return candidate


def read(base: KnowledgeBase, without: str | None = None) -> Lexicon:
    """The lexicon of a knowledge base (leaving out the items of article `without`)."""
    lex = Lexicon()
    sections = {s.id: s.article for s in base.sections}
    for area in base.areas:
        names = {area.zh, area.short_zh, *area.aliases}
        lex.areas.extend((n, area.slug) for n in names if han(n) and len(n) >= 2)
        if area.kind.value == "city" and lex.city is None:
            lex.city = area.slug
    by_name = dict((n, s) for n, s in lex.areas)
    for erratum in base.errata:  # 西安安区 names 西安区
        if erratum.reading in by_name and erratum.printed not in by_name:
            lex.areas.append((erratum.printed, by_name[erratum.reading]))
    lex.areas.sort(key=lambda ns: -len(ns[0]))
    for person in base.people:
        if person.article != without:
            lex.people.setdefault(person.zh, person.id)
    for metric in base.metrics:
        phrase, aspect = aspect_of(metric.zh)
        lex.metrics.setdefault((phrase, aspect), metric.id)
        lex.metric_zh[metric.id] = metric.zh
    lex.phrases = sorted({p for p, _ in lex.metrics}, key=lambda p: (-len(p), p))
    for entity in base.entities:
        if entity.article == without:
            continue
        for name in (entity.zh, *entity.aliases):
            bare = name.strip('“”"《》')
            if han(bare) and (len(bare) >= 3 or name == entity.zh):
                lex.entities.append((bare, entity.id))
        lex.entity_names.update(
            fold(n) for n in (entity.id, entity.zh, entity.en, entity.pinyin, *entity.aliases)
        )
    lex.entities.sort(key=lambda ni: -len(ni[0]))
    lex.topics = [t.id for t in base.topics]
    lex.dates = {a.id: a.date.iso for a in base.articles}
    lex.taken = {
        "articles": {a.id for a in base.articles},
        "sections": {s.id for s in base.sections},
        "people": {p.id for p in base.people},
        "metrics": {m.id for m in base.metrics},
        "entities": {e.id for e in base.entities},
        "records": {r.id for r in base.records} | {old for r in base.records for old in r.formerly},
        "topics": {t.id for t in base.topics},
    }
    for record in base.records:
        article = sections.get(record.section)
        if article is None or record.kind.value not in ("target", "plan"):
            continue
        for fig in record.figures:
            if fig.role.value == "target" and fig.value is not None:
                lex.targets.append(
                    Target(record.id, record.area, lex.dates.get(article, ""), fig.model_dump(mode="json"))
                )
    return lex


def pinyin(text: str) -> list[str]:
    """The pinyin syllables of Chinese text (other characters as they are), for ids and names."""
    from pypinyin import Style, lazy_pinyin

    return [p for p in lazy_pinyin(text, style=Style.NORMAL, errors="default") if p.strip()]


def slug(text: str, limit: int = 40) -> str:
    """An id from Chinese text: 天楹集团 -> tianying-jituan (two syllables a word), at most `limit`."""
    syllables = [re.sub(r"[^a-z0-9]", "", p.lower()) for p in pinyin(text)]
    syllables = [s for s in syllables if s]
    words = ["".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)]
    out = ""
    for word in words:
        nxt = f"{out}-{word}" if out else word
        if len(nxt) > limit:
            break
        out = nxt
    return out or "item"


def name_pinyin(text: str) -> str:
    """Pinyin as a name is written: 邢树纲 -> Xing Shugang; 天楹集团 -> Tianying Jituan."""
    syllables = [re.sub(r"[^a-z0-9]", "", p.lower()) for p in pinyin(text)]
    syllables = [s for s in syllables if s]
    if not syllables:
        return "Unknown"
    if 2 <= len(syllables) <= 3 and len(text) == len(syllables):  # a person's name: surname, given name
        return f"{syllables[0].capitalize()} {''.join(syllables[1:]).capitalize()}"
    words = ["".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)]
    return " ".join(w.capitalize() for w in words)
