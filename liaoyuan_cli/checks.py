"""What types cannot say: unique ids, resolving references, quotes that stand in their article.

One checker per item type. Items arrive one at a time (kb.read streams them); a check that
needs an item not yet seen (a reference, the text of an article read later) waits until
`finish`, so the order of files never changes the verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from liaoyuan_cli import tracking
from liaoyuan_cli.errors import Problem, Problems, Where
from liaoyuan_cli.models import ITEMS
from liaoyuan_cli.numerals import states_number
from liaoyuan_cli.text import compact, fold, format_number
from liaoyuan_cli.vocab import (
    DECLINE,
    PLEDGE_KINDS,
    Comparator,
    EntityKind,
    ErratumKind,
    RecordKind,
    Role,
    Voice,
)

if TYPE_CHECKING:
    from liaoyuan_cli.models import (
        Area,
        Article,
        Assessment,
        Entity,
        Erratum,
        Figure,
        Framework,
        Metric,
        Person,
        Record,
        Section,
        Theme,
        Topic,
    )


# What is built or carried out, and so may have stages: a project, a park, a programme of works.
STAGED = (EntityKind.project, EntityKind.park, EntityKind.programme)


class Sink(Protocol):
    """Receives every item that validated, in the order read."""

    def add(self, key: str, item: Any, where: Where) -> None: ...

    def record(self, ident: str) -> Record | None:
        """A record received earlier, for the checks that need one at the end (verdicts)."""
        ...


__all__ = ["DECLINE", "RESERVED", "Checker", "ReviewItem", "Sink"]


class ReviewItem(NamedTuple):
    """One thing a person must still do to a drafted item, where it stands: `validate --review`."""

    file: str
    line: int | None
    where: str  # the item: "record dongfeng-2024-gdp"
    # The article it belongs to (a draft until none of its items is open): the item's own, or
    # for an item without one (a proposed metric), the article whose directory holds it.
    article: str | None
    field: str  # kind, en, figures[1].metric, …
    why: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where}: {self.field}: {self.why}"


# Words that name a year by the page's date, not by its number: a year so named is read, not printed.
RELATIVE_YEAR = ("过去一年", "过去的一年", "今年", "去年", "明年", "新的一年", "新一年")

# The figure roles each kind of record may carry: a result record reports, a pledge aims, and
# either may describe the size of what it names.
ROLES = {
    RecordKind.result: {Role.result, Role.attribute},
    RecordKind.target: {Role.target, Role.attribute},
    RecordKind.plan: {Role.target, Role.attribute},
}


# Words the command line gives a meaning of its own: an area or article so named could not be asked for.
RESERVED = frozenset({"all", "latest"})


# Which method checks each item type. Names, not bound methods kept on the instance: those would
# make a reference cycle that keeps a large knowledge base's checker alive until the next full
# garbage collection, long after reading is done.
_CHECK = {
    "articles": "article",
    "people": "person",
    "areas": "area",
    "sections": "section",
    "errata": "erratum",
    "topics": "topic",
    "metrics": "metric",
    "themes": "theme",
    "entities": "entity",
    "frameworks": "framework",
    "records": "record",
    "assessments": "assessment",
}


def has(item: Any, *names: str) -> bool:
    """Whether an item holds these fields. One that did not validate is checked for what of it is
    sound (kb._salvage): a field with a problem is not set, and the checks that need it are skipped."""
    held = item.__dict__
    return all(name in held for name in names)


# How many records that did not validate are kept for the checks of follow-ups and verdicts.
_PARTIAL_RECORDS = 10_000


class Checker:
    """Checks each item as it arrives; `finish` settles what had to wait."""

    def __init__(
        self, problems: Problems | list[Problem], sources: dict[str, str], warnings: Problems | None = None
    ) -> None:
        self.problems = problems
        self.warnings = warnings if warnings is not None else Problems()
        self.sources = sources
        # Every id of each kind, and where it stands: files[index], header line, as one number.
        self.ids: dict[str, dict[str, int]] = {}
        self.files: list[str] = []
        self.whole = True  # whether the item being checked validated (else: has)
        self.tentative: dict[str, Problem] = {}  # references of that item that are not even ids
        self.malformed: list[tuple[str, str, Problem]] = []  # key, value, problem if not unknown
        self.partial: dict[str, Record] = {}  # records that did not validate, for follow-ups
        self.sections: dict[str, str] = {}  # section -> article
        self.dates: dict[str, str] = {}  # article -> ISO date, for "earlier" and "later"
        self.higher: dict[str, bool] = {}  # metric -> higher is better
        # Names of areas and entities, kept small for a knowledge base of 100,000 entities: the hash
        # of each (kind, folded name) -> the first item (an index into claimants) that claims it, the
        # item whose id it is, and only where two items claim one name, the others with their spelling
        # (the first one's is not kept: its name is shown folded).
        self.claimants: list[Where] = []  # of each area and entity
        self.names: dict[int, int] = {}
        self.id_names: dict[int, int] = {}
        self.clashes: dict[int, tuple[str, list[tuple[int, str]]]] = {}
        self.misprints: list[tuple[str, str, Where]] = []  # printed, reading, where: names too
        self.former: dict[str, list[tuple[str, Where]]] = {}  # former id -> the records that claim it
        self.pending: list[tuple[str, str, Where, str]] = []
        self.quotes: list[tuple[str, str, Where, str]] = []
        self.follows: list[tuple[str, str, Where]] = []
        self.assessments: list[tuple[Assessment, Where]] = []
        # Open review items: (where, article or "section:ID" until sections are known, field, why).
        self.reviews: list[tuple[Where, str | None, str, str]] = []

    # -- shared -------------------------------------------------------------------------------

    def add(self, where: Where, message: str) -> None:
        self.problems.append(Problem(where.file, message, where.line, where.label))

    def warn(self, where: Where, message: str) -> None:
        self.warnings.append(Problem(where.file, message, where.line, where.label, severity="warning"))

    def _has(self, item: Any, *names: str) -> bool:
        return self.whole or has(item, *names)

    def known(self, key: str, ident: str, where: Where) -> str | None:
        """Register an id; if it was already taken, where the first one stands (file:line)."""
        ids = self.ids.setdefault(key, {})
        first = ids.get(ident)
        if first is not None:
            index, line = divmod(first, 1 << 32)
            return f"{self.files[index]}:{line}" if line else self.files[index]
        ids[ident] = self._file(where.file) * (1 << 32) + (where.line or 0)
        return None

    def _file(self, name: str) -> int:
        if not self.files or self.files[-1] != name:
            self.files.append(name)  # files are read one after another: each is appended once
        return len(self.files) - 1

    def ref(self, where: Where, field: str, key: str, value: str | None) -> None:
        """A reference to another item; checked at once if it is known, else at the end."""
        if value is None:
            return
        malformed = self.tentative.pop(value, None) if self.tentative else None
        if malformed is not None:
            self.malformed.append((key, value, malformed))
        if value not in self.ids.get(key, ()):
            self.pending.append((key, value, where, field))

    def quoted(self, where: Where, field: str, article: str | None, quote: str | None) -> None:
        """Words that must stand in an article's text (whitespace aside)."""
        if quote is None or article is None:
            return
        if article in self.sources:
            if compact(quote) not in self.sources[article]:
                self.add(where, f"{field}: not found in the source text of {article}: {quote[:40]!r}")
        elif article not in self.ids.get("articles", ()):
            self.quotes.append((article, quote, where, field))

    def quoted_in_section(self, where: Where, field: str, section: str, quote: str) -> None:
        """Words that must stand in the article of a section (perhaps not read yet)."""
        if section in self.sections:
            self.quoted(where, field, self.sections[section], quote)
        else:
            self.quotes.append(("section:" + section, quote, where, field))

    def check(
        self, key: str, item: Any, where: Where, ident: Any, tentative: dict[str, Problem] | None = None
    ) -> None:
        """Check an item: one that validated, or (with `tentative`, the problems of its references
        that are not even ids) what of one that did not is sound."""
        if isinstance(ident, str):
            first = self.known(key, ident, where)
            if first is not None:
                self.add(where, f"{ITEMS[key].id_field}: duplicate id {ident!r} (the first is at {first})")
        self.whole = tentative is None
        self.tentative = tentative or {}
        try:
            getattr(self, _CHECK[key])(item, where)
            if tentative is None and (getattr(item, "review", None) or key == "records"):
                self._reviews(key, item, where)
        except (AttributeError, TypeError):
            # What of an item that did not validate was not as a check expects: it is reported
            # already, and the knowledge base refused; its other checks are given up, never a crash.
            if self.whole:
                raise
        finally:
            self.whole = True
        # A reference no check took (its item's type has none there) is reported as it is.
        for problem in self.tentative.values():
            self.problems.append(problem)
        self.tentative = {}

    def _reviews(self, key: str, item: Any, where: Where) -> None:
        """Note the item's open review items (and its figures'), with the article they belong to."""
        article: str | None = None
        if key == "articles":
            article = item.id
        elif key in ("records", "frameworks"):
            article = "section:" + item.section
        else:
            article = getattr(item, "article", None)
        for review in item.review:
            self.reviews.append((where, article, review.field, review.why))
        for j, fig in enumerate(getattr(item, "figures", ()) if key == "records" else ()):
            for review in fig.review:
                self.reviews.append((where, article, f"figures[{j}].{review.field}", review.why))

    def review_items(self) -> list[ReviewItem]:
        """Every open review item seen, in the order read, with its article resolved."""
        out = []
        articles = set(self.ids.get("articles", {}))
        for where, article, field, why in self.reviews:
            if article is not None and article.startswith("section:"):
                article = self.sections.get(article.removeprefix("section:"))
            parts = where.file.split("/")
            if article is None and len(parts) > 2 and parts[0] == "articles" and parts[1] in articles:
                article = parts[1]  # a metric or topic a draft proposes, in the draft's directory
            out.append(ReviewItem(where.file, where.line, where.label, article, field, why))
        return out

    # -- one checker per item type ------------------------------------------------------------
    # Each check runs where the fields it needs are sound (`_has`): on every item that validated,
    # and on what of an item that did not validate holds them.

    def article(self, a: Article, where: Where) -> None:
        if self._has(a, "id") and a.id in RESERVED:
            self.add(where, f"id: {a.id!r} is a word of the command line (--article {a.id}), not an id")
        if self._has(a, "id", "date"):
            self.dates[a.id] = a.date.iso
            self.quoted(where, "date.stated", a.id, a.date.stated)
        if self._has(a, "photographers"):
            for person in a.photographers:
                self.ref(where, "photographers", "people", person)

    def person(self, p: Person, where: Where) -> None:
        if self._has(p, "article"):
            self.ref(where, "article", "articles", p.article)
        if self._has(p, "article", "quote"):
            self.quoted(where, "quote", p.article, p.quote)

    def area(self, a: Area, where: Where) -> None:
        fields = ("slug", "zh", "short_zh", "en", "pinyin")
        names = [getattr(a, n) for n in fields if self._has(a, n)]
        names += list(a.aliases) if self._has(a, "aliases") else []
        taken = sorted(n for n in names if fold(n) in RESERVED)
        if taken:
            self.add(where, f"{taken[0]!r} is a word of the command line (`lycli targets all`), not a name")
        if self._has(a, "slug"):
            self._names("area", where, a.slug, names)

    def section(self, s: Section, where: Where) -> None:
        if self._has(s, "id", "article"):
            self.sections[s.id] = s.article
        for name, key in (("article", "articles"), ("area", "areas"), ("interviewee", "people")):
            if self._has(s, name):
                self.ref(where, name, key, getattr(s, name))
        if self._has(s, "reporters"):
            for reporter in s.reporters:
                self.ref(where, "reporters", "people", reporter)
        if self._has(s, "article", "quote"):
            self.quoted(where, "quote", s.article, s.quote)
        if self._has(s, "article", "date"):
            self.quoted(where, "date.stated", s.article, s.date.stated)
        for j, caption in enumerate(s.captions if self._has(s, "captions") else ()):
            field = f"captions[{j}]"
            if self._has(s, "article"):
                self.quoted(where, f"{field}.quote", s.article, caption.quote)
                self.quoted(where, f"{field}.credit", s.article, caption.credit)
            for person in caption.photographers:
                self.ref(where, f"{field}.photographers", "people", person)

    def erratum(self, e: Erratum, where: Where) -> None:
        if self._has(e, "article"):
            self.ref(where, "article", "articles", e.article)
        if self._has(e, "article", "quote"):
            self.quoted(where, "quote", e.article, e.quote)
        if self._has(e, "printed", "quote") and e.printed not in e.quote:
            self.add(where, "printed: the misprinted words do not stand in its quote")
        if self._has(e, "reading", "kind") and (e.reading is None) != (e.kind == ErratumKind.omission):
            self.add(where, "reading: a misprint or variant gives its reading; an omission has none")
        if self._has(e, "reading", "reading_en") and (e.reading is None) != (e.reading_en is None):
            self.add(where, "reading_en: give it exactly when there is a reading")
        if self._has(e, "printed", "reading") and e.reading is not None:
            self.misprints.append((e.printed, e.reading, where))
        source = self.sources.get(e.article) if self._has(e, "article", "printed", "occurrences") else None
        if source is not None:
            count = source.count(compact(e.printed))
            if count != e.occurrences:
                self.add(where, f"occurrences: {e.occurrences} given, {count} in the source")

    def topic(self, t: Topic, where: Where) -> None:
        pass  # a topic is a name; metrics refer to it

    def metric(self, m: Metric, where: Where) -> None:
        if self._has(m, "id", "higher_is_better"):
            self.higher[m.id] = m.higher_is_better
        if self._has(m, "topics"):
            for topic in m.topics:
                self.ref(where, "topics", "topics", topic)

    def theme(self, t: Theme, where: Where) -> None:
        for name in ("include", "exclude"):
            if self._has(t, name):
                for record in getattr(t, name):
                    self.ref(where, name, "records", record)
        overlap = set(t.include) & set(t.exclude) if self._has(t, "include", "exclude") else set()
        if overlap:
            self.add(where, f"exclude: both included and excluded: {', '.join(sorted(overlap))}")

    def entity(self, e: Entity, where: Where) -> None:
        if self._has(e, "article"):
            self.ref(where, "article", "articles", e.article)
        if self._has(e, "article", "quote"):
            self.quoted(where, "quote", e.article, e.quote)
        if self._has(e, "id"):
            names = [getattr(e, n) for n in ("id", "zh", "en", "pinyin") if self._has(e, n)]
            names += list(e.aliases) if self._has(e, "aliases") else []
            self._names("entity", where, e.id, names)
        for j, link in enumerate(e.links if self._has(e, "links") else ()):
            if self._has(link, "to"):
                self.ref(where, f"links[{j}].to", "entities", link.to)
                if self._has(e, "id") and link.to == e.id:
                    self.add(where, f"links[{j}].to: an entity cannot link to itself")
        stages = e.stages if self._has(e, "stages") else ()
        if stages and self._has(e, "kind") and e.kind not in STAGED:
            self.add(where, f"stages: only a project, park or programme has stages, not a {e.kind.value}")
        for j, stage in enumerate(stages):
            if self._has(stage, "role") and stage.role == Role.attribute:
                self.add(
                    where,
                    f"stages[{j}].role: a stage is reached (result) or aimed at (target), not an attribute",
                )
            if (
                self._has(stage, "words")
                and self._has(e, "quote")
                and compact(stage.words) not in compact(e.quote)
            ):
                self.add(where, f"stages[{j}].words: {stage.words!r} does not stand in the entity's quote")

    def framework(self, f: Framework, where: Where) -> None:
        if self._has(f, "section"):
            self.ref(where, "section", "sections", f.section)
        if self._has(f, "section", "quote"):
            self.quoted_in_section(where, "quote", f.section, f.quote)

    def record(self, r: Record, where: Where) -> None:
        for name, key in (("section", "sections"), ("area", "areas"), ("speaker", "people")):
            if self._has(r, name):
                self.ref(where, name, key, getattr(r, name))
        for name in ("entities", "frameworks"):
            if self._has(r, name):
                for value in getattr(r, name):
                    self.ref(where, name, name, value)
        if self._has(r, "follows"):
            for target in r.follows:
                self.ref(where, "follows", "records", target)
                if self._has(r, "id"):
                    self.follows.append((r.id, target, where))
        if self._has(r, "formerly", "id"):
            for old in dict.fromkeys(r.formerly):
                self.former.setdefault(old, []).append((r.id, where))
        if self._has(r, "section", "quote"):
            self.quoted_in_section(where, "quote", r.section, r.quote)
        if self._has(r, "voice", "speaker"):
            if r.voice in (Voice.direct, Voice.indirect) and r.speaker is None:
                self.add(where, f"speaker: {r.voice.value} speech needs the person who speaks")
            if r.voice in (Voice.narration, Voice.document) and r.speaker is not None:
                self.add(where, f"speaker: {r.voice.value} has no speaker")
        quote = compact(r.quote) if self._has(r, "quote") else None
        if quote is not None and self._has(r, "year", "year_inferred"):
            self._year(where, "year_inferred", r.year, r.year_inferred, quote)
        for j, fig in enumerate(r.figures if self._has(r, "figures") else ()):
            self._figure(r, fig, f"figures[{j}]", quote, where)
        if not self.whole and len(self.partial) < _PARTIAL_RECORDS and _traceable(r):
            self.partial.setdefault(r.id, r)  # its follow-ups and verdicts are checked too

    def _year(self, where: Where, field: str, year: int, inferred: bool, words: str) -> None:
        """A year the words print is not inferred; one they name as 今年 or 过去一年 is."""
        printed = prints_year(words, year)
        if inferred and printed:
            self.add(where, f"{field}: the words print {year}: the year is not inferred")
        relative = next((w for w in RELATIVE_YEAR if w in words), None)
        if not inferred and not printed and relative is not None:
            problem = f"{field}: the words say {relative}, not {year}: "
            problem += "the year is read (year_inferred = true)"
            # 去年 may name only a comparison (比去年增长) in a record of this year: a warning.
            (self.warn if relative == "去年" else self.add)(where, problem)

    def _figure(self, r: Record, fig: Figure, field: str, quote: str | None, where: Where) -> None:
        """A figure's words stand in the quote and hold its value; its role suits the record."""
        if self._has(fig, "metric"):
            self.ref(where, f"{field}.metric", "metrics", fig.metric)
        stated = compact(fig.stated) if self._has(fig, "stated") else None
        if stated is not None and quote is not None and stated not in quote:
            self.add(where, f"{field}.stated: {fig.stated!r} is not in the quote")
        if self._has(fig, "value", "unit", "claim"):
            if fig.value is None:
                if fig.unit is not None:
                    self.add(where, f"{field}.unit: a figure without a value has no unit")
                if fig.claim is None:
                    self.add(where, f"{field}.claim: a figure without a value says what it claims")
            else:
                if fig.unit is None:
                    self.add(where, f"{field}.unit: a value needs a unit")
                if fig.claim is not None:
                    self.add(where, f"{field}.claim: only a figure without a value makes a claim")
        if stated is not None and self._has(fig, "value") and fig.value is not None:
            # 下降2.1% is a growth of -2.1%
            declined = any(word in stated for word in DECLINE)
            for name, value in (("value", fig.value), ("value_max", fig.value_max)):
                if value is None:
                    continue
                if not (
                    states_number(stated, value, fig.unit)
                    or (declined and value < 0 and states_number(stated, -value, fig.unit))
                ):
                    unit = (
                        f" (a number of {fig.unit}: a 万/亿 scale stays in the unit or moves into the value)"
                    )
                    self.add(
                        where,
                        f"{field}.{name}: {format_number(value)} does not appear in {fig.stated!r}"
                        + (unit if fig.unit and any(s in stated for s in ("万", "亿")) else ""),
                    )
            if fig.value_max is not None and fig.value_max <= fig.value:
                self.add(
                    where,
                    f"{field}.value_max: a range's upper end {format_number(fig.value_max)} is not above "
                    f"its lower end {format_number(fig.value)}",
                )
        if self._has(fig, "value", "value_max") and fig.value is None and fig.value_max is not None:
            self.add(where, f"{field}.value_max: a range needs its lower end in value")
        threshold = fig.threshold if self._has(fig, "threshold") else None
        if threshold is not None:
            th = compact(threshold.stated)
            if quote is not None and th not in quote:
                self.add(where, f"{field}.threshold.stated: {threshold.stated!r} is not in the quote")
            implicit_one = threshold.value == 1 and th.startswith(threshold.unit)
            if not implicit_one and not states_number(th, threshold.value, threshold.unit):
                size = format_number(threshold.value)
                self.add(where, f"{field}.threshold.value: {size} is not in its stated words")
        if stated is not None and self._has(fig, "year", "year_inferred"):
            self._year(where, f"{field}.year_inferred", fig.year, fig.year_inferred, stated)
            if (
                self._has(r, "year", "year_inferred")
                and fig.year == r.year
                and r.year_inferred
                and not fig.year_inferred
                and not prints_year(stated, fig.year)
            ):
                self.add(
                    where,
                    f"{field}.year_inferred: the record's year {r.year} is read, not printed, "
                    "and the figure's words do not print it either",
                )
        allowed = ROLES.get(r.kind) if self._has(r, "kind") else None
        if allowed is not None and self._has(fig, "role") and fig.role not in allowed:
            self.add(where, f"{field}.role: a {fig.role.value} in a {r.kind.value} record")
        if self._has(fig, "readings_en") and len(fig.readings_en) == 1:
            self.add(where, f"{field}.readings_en: an ambiguous figure gives at least two readings")
        entity = fig.entity if self._has(fig, "entity") else None
        if entity is not None and self._has(r, "entities") and entity not in r.entities:
            self.add(where, f"{field}.entity: {fig.entity!r} is not among the record's entities")

    def assessment(self, a: Assessment, where: Where) -> None:
        if self._has(a, "target"):
            self.ref(where, "target", "records", a.target)
        if self._has(a, "evidence"):
            for record in a.evidence:
                self.ref(where, "evidence", "records", record)
        if self._has(a, "id", "target", "verdict", "as_of", "evidence"):
            self.assessments.append((a, where))

    def _names(self, kind: str, where: Where, ident: str, names: Iterable[str]) -> None:
        """Every name the cache indexes for an area or entity (store._Finisher._names), folded as
        lookups fold them; collisions are settled in `finish`, once every id is known."""
        me = len(self.claimants)
        self.claimants.append(where)
        for name in dict.fromkeys(names):
            folded = fold(name)
            if not folded:  # what folds to nothing is not indexed, and names nothing
                continue
            key = hash((kind, folded))  # a number, not the text: 100,000 entities have 500,000 names
            if name == ident:
                self.id_names[key] = me
            if self.names.setdefault(key, me) != me:
                self.clashes.setdefault(key, (folded, []))[1].append((me, name))

    # -- what had to wait ---------------------------------------------------------------------

    def finish(self, sink: Sink, references: bool = True) -> None:
        """Quotes of articles read late, names, former ids, references, follow-ups and verdicts."""
        for article, quote, where, field in self.quotes:
            if article.startswith("section:"):
                article = self.sections.get(article.removeprefix("section:"), "")
            if article in self.sources and compact(quote) not in self.sources[article]:
                self.add(where, f"{field}: not found in the source text of {article}: {quote[:40]!r}")
        self._collisions()
        self._former()
        # A reference that is not even an id is reported as unknown, with the closest id, below;
        # where references go unchecked, or it names an item that did not validate, as it is.
        for key, value, problem in self.malformed:
            if not references or value in self.ids.get(key, ()):
                self.problems.append(problem)
        if not references:
            return
        # One missing item (an article whose article.toml is gone) is named by hundreds of
        # others: reported once, at its first reference, with how many more there are.
        unknown: dict[tuple[str, str], list[tuple[Where, str]]] = {}
        for key, value, where, field in self.pending:
            if value not in self.ids.get(key, ()):
                unknown.setdefault((key, value), []).append((where, field))
        for (key, value), places in unknown.items():
            from difflib import get_close_matches

            close = get_close_matches(value, sorted(self.ids.get(key, ())), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            more = f"; {len(places) - 1} more reference(s) to it" if len(places) > 1 else ""
            where, field = places[0]
            self.add(where, f"{field}: unknown {ITEMS[key].singular} {value!r}{hint}{more}")
        followers: dict[str, list[tuple[str, Where]]] = {}
        for ident, target, where in self.follows:
            self._follow(sink, ident, target, where)
            followers.setdefault(target, []).append((ident, where))
        for target, those in followers.items():
            self._conflicts(sink, target, those)
        latest: dict[str, Assessment] = {}
        for assessment, where in sorted(self.assessments, key=lambda aw: aw[0].as_of):
            earlier = latest.get(assessment.target)
            if (
                earlier is not None
                and earlier.as_of == assessment.as_of
                and earlier.verdict != assessment.verdict
            ):
                self.add(
                    where,
                    f"as_of: {earlier.id} assesses {assessment.target} as of the same date, "
                    f"as {earlier.verdict.value}: which stands would depend on file order",
                )
            latest[assessment.target] = assessment
        for assessment, where in self.assessments:
            standing = latest[assessment.target] is assessment
            ids = [ident for ident, _ in followers.get(assessment.target, [])]
            self._assessment(sink, assessment, where, ids, standing)

    def _collisions(self) -> None:
        """A name that stands for two areas (or two entities) would make a lookup depend on file
        order; an id is its own item's before it is anyone's alias, so the alias is blamed."""
        for key, (folded, others) in self.clashes.items():
            first, spelt = self.names[key], folded  # its spelling is not kept: the name as folded
            owner = self.id_names.get(key, first)
            blamed: set[int] = set()
            spellings: list[tuple[int, str | None]] = [(first, None), *others]
            for claimant, name in spellings:
                if claimant != owner and claimant not in blamed:
                    blamed.add(claimant)
                    said = (
                        f"alias {name!r}"
                        if name
                        else f"a name of it ({spelt!r}, case, spaces and hyphens aside)"
                    )
                    self.add(self.claimants[claimant], f"{said} also names {self.claimants[owner].label}")
        # A misprint of an area's name is looked up as the area it misprints (西安安区).
        misread: dict[str, str] = {}
        for printed, reading, where in self.misprints:
            meant = self._owner("area", reading)
            if meant is None or not fold(printed):
                continue
            taken = self._owner("area", printed) or misread.setdefault(fold(printed), meant)
            if taken != meant:
                self.add(where, f"printed {printed!r} also names {taken}; its reading names {meant}")

    def _owner(self, kind: str, name: str) -> str | None:
        key = hash((kind, fold(name)))
        claimant = self.id_names.get(key, self.names.get(key))
        return None if claimant is None else self.claimants[claimant].label

    def _former(self) -> None:
        """`show OLD` finds the one record that was OLD: never a record whose id OLD is now."""
        current = self.ids.get("records", {})
        for old, claims in self.former.items():
            first = claims[0][0]
            for ident, where in claims:
                if old in current and old != ident:
                    self.add(where, f"formerly: {old!r} is the id of another record")
                elif ident != first:
                    self.add(where, f"formerly: {old!r} is also a former id of {first}")

    def _record(self, sink: Sink, ident: str) -> Record | None:
        """A record by its id: one that validated, else what of one that did not could be traced."""
        return sink.record(ident) or self.partial.get(ident)

    def _article_of(self, record: Record | None) -> str | None:
        return self.sections.get(record.section) if record is not None else None

    def _earlier(self, first: Record | None, then: Record | None) -> bool:
        a, b = self._article_of(first), self._article_of(then)
        return a is not None and b is not None and a != b and self.dates.get(a, "") < self.dates.get(b, "")

    def _follow(self, sink: Sink, ident: str, target: str, where: Where) -> None:
        earlier, later = self._record(sink, target), self._record(sink, ident)
        if earlier is None:
            return  # reported as an unknown record
        if earlier.kind not in PLEDGE_KINDS:
            self.add(where, f"follows: {target} is a {earlier.kind.value}, not a target or plan")
        if self._article_of(earlier) is None or self._article_of(later) is None:
            return  # a section that did not validate is reported as such, not once per follower
        if not self._earlier(earlier, later):
            self.add(where, f"follows: {target} is not in an earlier article")
        if later is not None and earlier.kind in PLEDGE_KINDS:
            self._shares_series(earlier, later, where)

    def _shares_series(self, pledge: Record, follower: Record, where: Where) -> None:
        """A follow-up whose results share no series with the pledge's numeric targets does not
        decide its verdict: the pledge stays not assessed. Often a threshold or a stage was
        forgotten, so it is a warning, at the result nearest to a target."""
        targets = [f for f in pledge.figures if f.role == Role.target and f.value is not None]
        results = [
            (j, f) for j, f in enumerate(follower.figures) if f.role == Role.result and f.value is not None
        ]
        if not targets or not results:
            return
        aims = [(t, tracking.series(t.model_dump(mode="json"))) for t in targets]
        got = [(j, f, tracking.series(f.model_dump(mode="json"))) for j, f in results]
        if any(s == aim for _, _, s in got for _, aim in aims):
            return
        j, fig, _, target, _ = min(
            ((j, f, s, t, aim) for j, f, s in got for t, aim in aims),
            key=lambda pair: sum(a != b for a, b in zip(pair[2], pair[4], strict=True)),
        )
        if fig.metric != target.metric:
            mine = ", ".join(dict.fromkeys(f.metric for _, f in results))
            theirs = ", ".join(dict.fromkeys(t.metric for t in targets))
            self.warn(
                where,
                f"follows: none of its results is of a metric of {pledge.id}'s targets "
                f"({mine} here, {theirs} there): they do not decide its verdict",
            )
            return
        differ = [
            f"{name} {a} here, {b} there"
            for name, a, b in (
                ("year", fig.year, target.year),
                ("threshold", _threshold(fig), _threshold(target)),
                ("stage", _stage(fig), _stage(target)),
            )
            if a != b
            and not (
                name == "threshold"
                and tracking.threshold(_dumped(fig)) == tracking.threshold(_dumped(target))
            )
        ]
        self.warn(
            where,
            f"figures[{j}]: a result of {fig.metric} but not of the series of {pledge.id}'s target "
            f"({'; '.join(differ)}): it does not decide the verdict, which stays not assessed",
        )

    def _results(self, records: Iterable[Record]) -> list[dict[str, Any]]:
        """The figures of records as tracking takes them: with their record and article, so that
        the newest result of a series is the one judged (tracking.chronological)."""
        return [
            {**f.model_dump(mode="json"), "record": r.id, "article": self._article_of(r)}
            for r in records
            for f in r.figures
        ]

    def _conflicts(self, sink: Sink, target: str, followers: list[tuple[str, Where]]) -> None:
        """One article states one result of a series: two different ones leave the verdict to the
        order of records in a file."""
        seen: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
        for ident, where in followers:
            record = self._record(sink, ident)
            if record is None:
                continue
            for fig in self._results([record]):
                if fig["role"] != Role.result or fig["value"] is None:
                    continue
                said = (fig["value"], fig["unit"], fig["comparator"])
                other, before = seen.setdefault((fig["article"], tracking.series(fig)), (ident, said))
                if before != said:
                    both = f"{_said(before)} and {_said(said)}"
                    self.add(
                        where,
                        f"follows: {other} and {ident} report different results of one series of {target}"
                        f" in {fig['article']}: {both}"
                        if other != ident
                        else f"follows: {ident} reports two results of one series of {target}: {both}",
                    )

    @staticmethod
    def _after(day: str, as_of: str) -> bool:
        """Whether a date falls after another, to the precision both give: 2025-01-09 is not
        after 2025-01."""
        n = min(len(day), len(as_of))
        return day[:n] > as_of[:n]

    def _assessment(
        self, sink: Sink, a: Assessment, where: Where, followers: list[str], standing: bool
    ) -> None:
        """A recorded verdict rests on records of later articles about the pledge, and the figures
        of those records, and of every record that follows the pledge, must not contradict it.

        The standing (latest) assessment is what `track` shows beside the comparisons, so it is
        judged by every follower; an earlier one by what was published by its `as_of`.
        """
        target = self._record(sink, a.target)
        if target is None:
            return
        if target.kind not in PLEDGE_KINDS:
            self.add(where, f"target: {a.target} is a {target.kind.value}, not a target or plan")
        evidence = [r for r in (self._record(sink, e) for e in a.evidence) if r is not None]
        for record in evidence:
            published = self.dates.get(self._article_of(record) or "", "")
            if None in (self._article_of(target), self._article_of(record)):
                pass  # a section that did not validate is reported as such
            elif not self._earlier(target, record):
                self.add(where, f"evidence: {record.id} is not in an article later than {a.target}")
            elif a.target not in record.follows and record.area != target.area:
                self.add(
                    where,
                    f"evidence: {record.id} neither follows {a.target} nor concerns its area {target.area}",
                )
            if published and self._after(published, a.as_of):
                self.add(
                    where, f"evidence: {record.id} is in an article of {published}, after as_of {a.as_of}"
                )
        known = {r.id: r for r in evidence}
        known.update((r.id, r) for r in (self._record(sink, f) for f in followers) if r is not None)
        if not standing:
            known = {
                ident: r
                for ident, r in known.items()
                if not self._after(self.dates.get(self._article_of(r) or "", ""), a.as_of)
            }
        targets = [f.model_dump(mode="json") for f in target.figures]
        said = set()
        for pool in (list(known.values()), [r for r in known.values() if r.id in followers]):
            computed, _ = tracking.verdict(
                targets, self._results(pool), lambda metric: self.higher.get(metric, True), self.dates
            )
            if computed is not None:
                said.add(computed)
        for computed in sorted(said - {a.verdict.value}):
            records = ", ".join(sorted(known))
            self.add(
                where, f"verdict: recorded {a.verdict.value}, but the figures say {computed} ({records})"
            )


def _dumped(fig: Figure) -> dict[str, Any]:
    return fig.model_dump(mode="json")


def _threshold(fig: Figure) -> str:
    return repr(fig.threshold.stated) if fig.threshold is not None else "none"


def _stage(fig: Figure) -> str:
    return fig.stage.value if fig.stage is not None else "none"


def _traceable(r: Record) -> bool:
    """Whether a record that did not validate holds all that follow-ups and verdicts read of it."""
    return has(r, "id", "section", "kind", "area", "follows", "figures") and all(
        len(f.__dict__) == len(type(f).model_fields) for f in r.figures
    )


def prints_year(words: str, year: int) -> bool:
    """Whether the words print the year as a number of its own: 2024年, 2023梅花鹿, not 12024."""
    return re.search(rf"(?<![0-9.]){year}(?![0-9.])", words) is not None


def _said(fig: tuple[Any, ...]) -> str:
    """A result as the problem names it: 46个, ≥30亿元."""
    value, unit, comparator = fig
    symbol = Comparator(comparator).symbol if comparator in Comparator.__members__ else ""
    return f"{symbol}{format_number(value)}{unit or ''}"
