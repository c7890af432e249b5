"""What types cannot say: unique ids, resolving references, quotes that stand in their article.

One checker per item type. Items arrive one at a time (kb.read streams them); a check that
needs an item not yet seen (a reference, the text of an article read later) waits until
`finish`, so the order of files never changes the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from liaoyuan_cli import tracking
from liaoyuan_cli.errors import Problem, Where
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


class Checker:
    """Checks each item as it arrives; `finish` settles what had to wait."""

    def __init__(self, problems: list[Problem], sources: dict[str, str]) -> None:
        self.problems = problems
        self.sources = sources
        self.ids: dict[str, set[str]] = {}
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

    def known(self, key: str, ident: str) -> bool:
        """Register an id; False if it was already taken."""
        ids = self.ids.setdefault(key, set())
        if ident in ids:
            return False
        ids.add(ident)
        return True

    def ref(self, where: Where, field: str, key: str, value: str | None) -> None:
        """A reference to another item; checked at once if it is known, else at the end."""
        if value is not None and value not in self.ids.get(key, ()):
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

    def check(self, key: str, item: Any, where: Where) -> None:
        ident = str(getattr(item, "slug", None) or getattr(item, "id", ""))
        if not self.known(key, ident):
            self.add(where, f"duplicate id {ident!r}")
        getattr(self, _CHECK[key])(item, where)
        if getattr(item, "review", None) or key == "records":
            self._reviews(key, item, where)

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
        articles = self.ids.get("articles", set())
        for where, article, field, why in self.reviews:
            if article is not None and article.startswith("section:"):
                article = self.sections.get(article.removeprefix("section:"))
            parts = where.file.split("/")
            if article is None and len(parts) > 2 and parts[0] == "articles" and parts[1] in articles:
                article = parts[1]  # a metric or topic a draft proposes, in the draft's directory
            out.append(ReviewItem(where.file, where.line, where.label, article, field, why))
        return out

    # -- one checker per item type ------------------------------------------------------------

    def article(self, a: Article, where: Where) -> None:
        if a.id in RESERVED:
            self.add(where, f"id: {a.id!r} is a word of the command line (--article {a.id}), not an id")
        self.dates[a.id] = a.date.iso
        for person in a.photographers:
            self.ref(where, "photographers", "people", person)
        self.quoted(where, "date.stated", a.id, a.date.stated)

    def person(self, p: Person, where: Where) -> None:
        self.ref(where, "article", "articles", p.article)
        self.quoted(where, "quote", p.article, p.quote)

    def area(self, a: Area, where: Where) -> None:
        taken = sorted(
            n for n in (a.slug, a.zh, a.short_zh, a.en, a.pinyin, *a.aliases) if fold(n) in RESERVED
        )
        if taken:
            self.add(where, f"{taken[0]!r} is a word of the command line (`lycli targets all`), not a name")
        self._names("area", where, a.slug, (a.slug, a.zh, a.short_zh, a.en, a.pinyin, *a.aliases))

    def section(self, s: Section, where: Where) -> None:
        self.sections[s.id] = s.article
        self.ref(where, "article", "articles", s.article)
        self.ref(where, "area", "areas", s.area)
        self.ref(where, "interviewee", "people", s.interviewee)
        for reporter in s.reporters:
            self.ref(where, "reporters", "people", reporter)
        self.quoted(where, "quote", s.article, s.quote)
        self.quoted(where, "date.stated", s.article, s.date.stated)

    def erratum(self, e: Erratum, where: Where) -> None:
        self.ref(where, "article", "articles", e.article)
        self.quoted(where, "quote", e.article, e.quote)
        if e.printed not in e.quote:
            self.add(where, "printed: the misprinted words do not stand in its quote")
        if (e.reading is None) != (e.kind == ErratumKind.omission):
            self.add(where, "reading: a misprint or variant gives its reading; an omission has none")
        if (e.reading is None) != (e.reading_en is None):
            self.add(where, "reading_en: give it exactly when there is a reading")
        if e.reading is not None:
            self.misprints.append((e.printed, e.reading, where))
        source = self.sources.get(e.article)
        if source is not None:
            count = source.count(compact(e.printed))
            if count != e.occurrences:
                self.add(where, f"occurrences: {e.occurrences} given, {count} in the source")

    def topic(self, t: Topic, where: Where) -> None:
        pass  # a topic is a name; metrics refer to it

    def metric(self, m: Metric, where: Where) -> None:
        self.higher[m.id] = m.higher_is_better
        for topic in m.topics:
            self.ref(where, "topics", "topics", topic)

    def theme(self, t: Theme, where: Where) -> None:
        for record in (*t.include, *t.exclude):
            self.ref(where, "include/exclude", "records", record)
        overlap = set(t.include) & set(t.exclude)
        if overlap:
            self.add(where, f"both included and excluded: {', '.join(sorted(overlap))}")

    def entity(self, e: Entity, where: Where) -> None:
        self.ref(where, "article", "articles", e.article)
        self.quoted(where, "quote", e.article, e.quote)
        self._names("entity", where, e.id, (e.id, e.zh, e.en, e.pinyin, *e.aliases))
        for link in e.links:
            self.ref(where, f"links.{link.kind.value}", "entities", link.to)
            if link.to == e.id:
                self.add(where, "links: an entity cannot link to itself")
        if e.stages and e.kind != EntityKind.project:
            self.add(where, f"stages: only a project has stages, not a {e.kind.value}")
        for stage in e.stages:
            if stage.role == Role.attribute:
                self.add(where, "stages: a stage is reached (result) or aimed at (target), not an attribute")
            if compact(stage.words) not in compact(e.quote):
                self.add(where, f"stages: {stage.words!r} does not stand in the entity's quote")

    def framework(self, f: Framework, where: Where) -> None:
        self.ref(where, "section", "sections", f.section)
        self.quoted_in_section(where, "quote", f.section, f.quote)

    def record(self, r: Record, where: Where) -> None:
        self.ref(where, "section", "sections", r.section)
        self.ref(where, "area", "areas", r.area)
        self.ref(where, "speaker", "people", r.speaker)
        for ent in r.entities:
            self.ref(where, "entities", "entities", ent)
        for fw in r.frameworks:
            self.ref(where, "frameworks", "frameworks", fw)
        for target in r.follows:
            self.ref(where, "follows", "records", target)
            self.follows.append((r.id, target, where))
        for old in dict.fromkeys(r.formerly):
            self.former.setdefault(old, []).append((r.id, where))
        self.quoted_in_section(where, "quote", r.section, r.quote)
        if r.voice in (Voice.direct, Voice.indirect) and r.speaker is None:
            self.add(where, f"speaker: {r.voice.value} speech needs the person who speaks")
        if r.voice in (Voice.narration, Voice.document) and r.speaker is not None:
            self.add(where, f"speaker: {r.voice.value} has no speaker")
        quote = compact(r.quote)
        for j, fig in enumerate(r.figures):
            self._figure(r, fig, f"figures[{j}]", quote, where)

    def _figure(self, r: Record, fig: Figure, field: str, quote: str, where: Where) -> None:
        """A figure's words stand in the quote and hold its value; its role suits the record."""
        self.ref(where, f"{field}.metric", "metrics", fig.metric)
        stated = compact(fig.stated)
        if stated not in quote:
            self.add(where, f"{field}.stated: {fig.stated!r} is not in the quote")
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
        if fig.value is None and fig.value_max is not None:
            self.add(where, f"{field}.value_max: a range needs its lower end in value")
        if fig.threshold is not None:
            th = compact(fig.threshold.stated)
            if th not in quote:
                self.add(where, f"{field}.threshold.stated: {fig.threshold.stated!r} is not in the quote")
            implicit_one = fig.threshold.value == 1 and th.startswith(fig.threshold.unit)
            if not implicit_one and not states_number(th, fig.threshold.value, fig.threshold.unit):
                size = format_number(fig.threshold.value)
                self.add(where, f"{field}.threshold.value: {size} is not in its stated words")
        allowed = ROLES.get(r.kind)
        if allowed is not None and fig.role not in allowed:
            self.add(where, f"{field}.role: a {fig.role.value} in a {r.kind.value} record")
        if len(fig.readings_en) == 1:
            self.add(where, f"{field}.readings_en: an ambiguous figure gives at least two readings")
        if fig.entity is not None and fig.entity not in r.entities:
            self.add(where, f"{field}.entity: {fig.entity!r} is not among the record's entities")

    def assessment(self, a: Assessment, where: Where) -> None:
        self.ref(where, "target", "records", a.target)
        for record in a.evidence:
            self.ref(where, "evidence", "records", record)
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
        current = self.ids.get("records", set())
        for old, claims in self.former.items():
            first = claims[0][0]
            for ident, where in claims:
                if old in current and old != ident:
                    self.add(where, f"formerly: {old!r} is the id of another record")
                elif ident != first:
                    self.add(where, f"formerly: {old!r} is also a former id of {first}")

    def _article_of(self, record: Record | None) -> str | None:
        return self.sections.get(record.section) if record is not None else None

    def _earlier(self, first: Record | None, then: Record | None) -> bool:
        a, b = self._article_of(first), self._article_of(then)
        return a is not None and b is not None and a != b and self.dates.get(a, "") < self.dates.get(b, "")

    def _follow(self, sink: Sink, ident: str, target: str, where: Where) -> None:
        earlier, later = sink.record(target), sink.record(ident)
        if earlier is None:
            return  # reported as an unknown record
        if earlier.kind not in PLEDGE_KINDS:
            self.add(where, f"follows: {target} is a {earlier.kind.value}, not a target or plan")
        if self._article_of(earlier) is None or self._article_of(later) is None:
            return  # a section that did not validate is reported as such, not once per follower
        if not self._earlier(earlier, later):
            self.add(where, f"follows: {target} is not in an earlier article")

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
            record = sink.record(ident)
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
        target = sink.record(a.target)
        if target is None:
            return
        if target.kind not in PLEDGE_KINDS:
            self.add(where, f"target: {a.target} is a {target.kind.value}, not a target or plan")
        evidence = [r for r in (sink.record(e) for e in a.evidence) if r is not None]
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
        known.update((r.id, r) for r in (sink.record(f) for f in followers) if r is not None)
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


def _said(fig: tuple[Any, ...]) -> str:
    """A result as the problem names it: 46个, ≥30亿元."""
    value, unit, comparator = fig
    symbol = Comparator(comparator).symbol if comparator in Comparator.__members__ else ""
    return f"{symbol}{format_number(value)}{unit or ''}"
