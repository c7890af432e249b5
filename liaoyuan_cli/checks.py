"""What types cannot say: unique ids, resolving references, quotes that stand in their article.

One checker per item type. Items arrive one at a time (kb.read streams them); a check that
needs an item not yet seen (a reference, the text of an article read later) waits until
`finish`, so the order of files never changes the verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from liaoyuan_cli import tracking
from liaoyuan_cli.errors import Problem, Where
from liaoyuan_cli.models import ITEMS
from liaoyuan_cli.text import compact, fold, numeral_forms
from liaoyuan_cli.vocab import PLEDGE_KINDS, ErratumKind, RecordKind, Role, Voice

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


# Words that state a negative change with a positive number.
DECLINE = ("下降", "减少", "下滑", "回落", "负增长")

# The figure roles each kind of record may carry: a result record reports, a pledge aims, and
# either may describe the size of what it names.
ROLES = {
    RecordKind.result: {Role.result, Role.attribute},
    RecordKind.target: {Role.target, Role.attribute},
    RecordKind.plan: {Role.target, Role.attribute},
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
        self.owners: dict[str, str] = {}  # folded name -> the area or entity it names
        self.pending: list[tuple[str, str, Where, str]] = []
        self.quotes: list[tuple[str, str, Where, str]] = []
        self.follows: list[tuple[str, str, Where]] = []
        self.assessments: list[tuple[Assessment, Where]] = []
        self._by_key: dict[str, Callable[[Any, Where], None]] = {
            "articles": self.article,
            "people": self.person,
            "areas": self.area,
            "sections": self.section,
            "errata": self.erratum,
            "topics": self.topic,
            "metrics": self.metric,
            "themes": self.theme,
            "entities": self.entity,
            "frameworks": self.framework,
            "records": self.record,
            "assessments": self.assessment,
        }

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
        self._by_key[key](item, where)

    # -- one checker per item type ------------------------------------------------------------

    def article(self, a: Article, where: Where) -> None:
        self.dates[a.id] = a.date.iso
        for person in a.photographers:
            self.ref(where, "photographers", "people", person)
        self.quoted(where, "date.stated", a.id, a.date.stated)

    def person(self, p: Person, where: Where) -> None:
        self.ref(where, "article", "articles", p.article)
        self.quoted(where, "quote", p.article, p.quote)

    def area(self, a: Area, where: Where) -> None:
        self._names(where, {a.slug, a.zh, a.short_zh, a.en, *a.aliases})

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
        self._names(where, {e.id, e.zh, *e.aliases})
        for link in e.links:
            self.ref(where, f"links.{link.kind.value}", "entities", link.to)
            if link.to == e.id:
                self.add(where, "links: an entity cannot link to itself")

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
            forms = numeral_forms(fig.value)
            if fig.value < 0 and any(word in stated for word in DECLINE):
                forms += numeral_forms(-fig.value)  # 下降2.1% is a growth of -2.1%
            if not any(form in stated for form in forms):
                self.add(where, f"{field}.value: {fig.value:g} does not appear in {fig.stated!r}")
        if fig.threshold is not None:
            th = compact(fig.threshold.stated)
            if th not in quote:
                self.add(where, f"{field}.threshold.stated: {fig.threshold.stated!r} is not in the quote")
            implicit_one = fig.threshold.value == 1 and th.startswith(fig.threshold.unit.value)
            if not implicit_one and not any(f in th for f in numeral_forms(fig.threshold.value)):
                self.add(
                    where, f"{field}.threshold.value: {fig.threshold.value:g} is not in its stated words"
                )
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

    def _names(self, where: Where, names: set[str]) -> None:
        """An alias that names two things would make lookups depend on file order."""
        for name in sorted(names):
            other = self.owners.setdefault(fold(name), where.label)
            if other != where.label:
                self.add(where, f"alias {name!r} also names {other}")

    # -- what had to wait ---------------------------------------------------------------------

    def finish(self, sink: Sink, references: bool = True) -> None:
        """Quotes of articles read late, references, follow-ups and verdicts."""
        for article, quote, where, field in self.quotes:
            if article.startswith("section:"):
                article = self.sections.get(article.removeprefix("section:"), "")
            if article in self.sources and compact(quote) not in self.sources[article]:
                self.add(where, f"{field}: not found in the source text of {article}: {quote[:40]!r}")
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
        for ident, target, where in self.follows:
            self._follow(sink, ident, target, where)
        for assessment, where in self.assessments:
            self._assessment(sink, assessment, where)

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
        if not self._earlier(earlier, later):
            self.add(where, f"follows: {target} is not in an earlier article")

    def _assessment(self, sink: Sink, a: Assessment, where: Where) -> None:
        target = sink.record(a.target)
        if target is None:
            return
        if target.kind not in PLEDGE_KINDS:
            self.add(where, f"target: {a.target} is a {target.kind.value}, not a target or plan")
        evidence = [sink.record(e) for e in a.evidence]
        for ident, record in zip(a.evidence, evidence, strict=True):
            if record is not None and not self._earlier(target, record):
                self.add(where, f"evidence: {ident} is not in an article later than {a.target}")
        results = [f.model_dump(mode="json") for r in evidence if r is not None for f in r.figures]
        computed, _ = tracking.verdict(
            [f.model_dump(mode="json") for f in target.figures],
            results,
            lambda metric: self.higher.get(metric, True),
        )
        if computed is not None and computed != a.verdict.value:
            self.add(where, f"verdict: recorded {a.verdict.value}, but the figures say {computed}")
