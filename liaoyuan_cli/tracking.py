"""Verdicts where figures decide them: a later result of the same series against an earlier target.

Stdlib only and on plain figure mappings (as the TOML and the cache hold them), so that the
knowledge base's checks, the cache and the queries all compute a verdict the same way. The
rules are documented in docs/data-model.md ("Tracking pledges").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from liaoyuan_cli.vocab import Verdict, to_base

Figure = Mapping[str, Any]


def threshold(fig: Figure) -> tuple[Decimal, str, str] | None:
    """A figure's size threshold as (size in base units, base unit, comparator), as the TOML nests
    it or as a figure row flattens it: 10000万元以上 and 亿元以上 are one threshold, 500万元以上 and
    500万元以下 two. The one definition of a threshold, for series, verdicts and the cache."""
    th = fig.get("threshold")
    if th:
        value, unit, comparator = th["value"], th["unit"], th.get("comparator")
    elif fig.get("threshold_value") is not None:
        value, unit, comparator = (
            fig["threshold_value"],
            fig["threshold_unit"],
            fig.get("threshold_comparator"),
        )
    else:
        return None
    size = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    based = to_base(size, str(unit))
    if based is not None:
        return based[0].normalize(), based[1], comparator or "at_least"
    return size.normalize(), str(unit), comparator or "at_least"


def series(fig: Figure) -> tuple[Any, ...]:
    """What a result and a target must share to be judged together: metric, year, threshold, stage."""
    return (fig.get("metric"), fig.get("year"), threshold(fig), fig.get("stage"))


def same_series(target: Figure, actual: Figure) -> bool:
    """Whether a result reports on a target: same metric, year, size threshold and stage."""
    return actual.get("role") == "result" and series(actual) == series(target)


def chronological(results: Iterable[Figure], dates: Mapping[str, str]) -> list[Figure]:
    """Results oldest to newest: by the date of their article (`dates`: article id -> ISO date,
    compared as text, so 2025 comes before 2025-01), then by article id, then by record id; a
    record's own figures keep their order. Never file order: the directory a correction sits in
    must not decide whether it counts."""

    def when(fig: Figure) -> tuple[str, str, str]:
        article = str(fig.get("article") or "")
        return dates.get(article, ""), article, str(fig.get("record") or "")

    return sorted(results, key=when)


def judge(target: Figure, actual: Figure, higher_is_better: bool = True) -> str | None:
    """met, partly_met or not_met for one target figure and its result; None if no number decides.

    The target's comparator is honoured (不低于5个 is met by 5; an exact target is met by
    reaching it in the metric's better direction); partly met means progress in that direction
    short of the target, not met means none (a zero count, growth at or below zero). A ceiling
    (at most) is met or not met.
    """
    goal, value = target.get("value"), actual.get("value")
    if goal is None or value is None:
        return None
    if target.get("unit") != actual.get("unit"):  # 5万人 and 50000人 are one amount in base units
        goal_base = to_base(goal, str(target.get("unit")))
        value_base = to_base(value, str(actual.get("unit")))
        if goal_base is None or value_base is None or goal_base[1] != value_base[1]:
            return None
        goal, value = goal_base[0], value_base[0]
    comparator = target.get("comparator", "exact")
    if comparator == "at_least" or (comparator in ("exact", "nearly") and higher_is_better):
        reached, progress = value >= goal, value > 0
    elif comparator == "more_than":
        reached, progress = value > goal, value > 0
    elif comparator == "less_than":
        reached, progress = value < goal, False
    else:  # at_most, or an exact target of a metric where less is better: no partial credit
        reached, progress = value <= goal, False
    if reached:
        return Verdict.met
    return Verdict.partly_met if progress else Verdict.not_met


def verdict(
    targets: Iterable[Figure],
    results: Iterable[Figure],
    higher_is_better: Callable[[str], bool] = lambda metric: True,
    dates: Mapping[str, str] | None = None,
) -> tuple[str | None, list[tuple[Figure, Figure, str]]]:
    """The verdict the figures give on a pledge, and each target figure beside its result.

    Each target is judged by the newest result of its series. With `dates` (article id -> ISO
    date), results that carry `article` and `record` (as figure rows do) are put in order here
    (`chronological`); without, `results` must come oldest to newest, and the last result of a
    series is the newest. None when any numeric target figure has no result of its series (a
    person must judge), or when the pledge has no numeric figure at all.
    """
    numeric = [t for t in targets if t.get("role") == "target" and t.get("value") is not None]
    found = chronological(results, dates) if dates is not None else list(results)
    pairs: list[tuple[Figure, Figure, str]] = []
    for target in numeric:
        match = next((a for a in reversed(found) if same_series(target, a)), None)
        if match is None:
            return None, pairs
        outcome = judge(target, match, higher_is_better(str(target.get("metric"))))
        if outcome is None:
            return None, pairs
        pairs.append((target, match, outcome))
    if not pairs:
        return None, pairs
    outcomes = {outcome for _, _, outcome in pairs}
    if outcomes == {Verdict.met}:
        return Verdict.met, pairs
    if outcomes == {Verdict.not_met}:
        return Verdict.not_met, pairs
    return Verdict.partly_met, pairs


class Settled(NamedTuple):
    """Where a pledge stands, and on what: a person's latest assessment, the figures, or nothing yet."""

    verdict: str
    source: str  # recorded, computed or none
    as_of: str | None
    assessment: Mapping[str, Any] | None
    pairs: list[tuple[Figure, Figure, str]]


def settle(
    targets: Iterable[Figure],
    results: Iterable[Figure],
    history: Sequence[Mapping[str, Any]],
    higher_is_better: Callable[[str], bool] = lambda metric: True,
    dates: Mapping[str, str] | None = None,
) -> Settled:
    """A pledge's verdict: recorded by a person (the latest assessment by date), else computed
    from the newest later result of the same series (`verdict`, `dates` as there), else not yet
    assessed. (A recorded verdict that the figures contradict is refused by validation, so the
    two never disagree.)"""
    computed, pairs = verdict(targets, results, higher_is_better, dates)
    latest = sorted(history, key=lambda a: str(a["as_of"]))[-1:]
    if latest:
        return Settled(str(latest[0]["verdict"]), "recorded", str(latest[0]["as_of"]), latest[0], pairs)
    if computed is not None:
        return Settled(computed, "computed", None, None, pairs)
    return Settled(Verdict.not_assessed, "none", None, None, pairs)
