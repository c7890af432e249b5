"""How a figure reads, decided once: its display in Chinese and English, qualifiers, base value,
series and comparability. The cache stores what this module makes; renderers only print it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from liaoyuan_cli import tracking
from liaoyuan_cli.text import EXACT_INTEGER, compact, format_number
from liaoyuan_cli.vocab import BaseUnit, Claim, Comparator, Intent, Role, Scope, Stage, Unit, to_base, unit_of

if TYPE_CHECKING:
    from liaoyuan_cli.results import FigureRow

Raw = Mapping[str, Any]

# What a claim without a number says, in Chinese, around its scope (领跑全市, 全省前列).
_CLAIM_ZH = {
    Claim.lead: "领跑{scope}",
    Claim.front_rank: "{scope}前列",
    Claim.new_high: "再创新高",
    Claim.increase: "增长",
    Claim.on_schedule: "如期",
}


def amount_en(value: float | Decimal, unit: str) -> str:
    """An amount as English copy writes it: 72亿元 -> '7.2 billion yuan', 500万元 -> '5 million
    yuan', 3亿美元 -> '300 million US dollars'."""
    read = unit_of(unit)
    if read is None:
        return f"{_grouped(value)} {unit}"
    base = _decimal(value) * read.factor
    word = "yuan" if read.base == BaseUnit.yuan else BaseUnit(read.base).en
    return f"{_magnitude(base)} {word}"


def _magnitude(number: Decimal) -> str:
    """7200000000 -> '7.2 billion', 50000 -> '50,000'."""
    for size, word in (
        (Decimal(10) ** 12, "trillion"),
        (Decimal(10) ** 9, "billion"),
        (Decimal(10) ** 6, "million"),
    ):
        if abs(number) >= size:
            return f"{_plain(number / size)} {word}"
    return _grouped(number)


def _decimal(value: float | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _grouped(number: Decimal | float) -> str:
    """10000 -> '10,000', 8.5 -> '8.5'."""
    value = Decimal(str(number)).normalize()
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return format(value, "f")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _quantity_en(value: float, unit: str, value_max: float | None = None) -> str:
    """A quantity in a unit other than money or a count, in English: '30,000 mu', '2 percentage
    points', '30% (3 tenths)', '10–15%'."""
    read = unit_of(unit)
    number = (
        format_number(value) if value_max is None else f"{format_number(value)}–{format_number(value_max)}"
    )
    if read is None:
        return f"{number} {unit}"
    if read.base == BaseUnit.percent and read.unit in (Unit.percent, Unit.percent_full):
        return f"{number}%"
    if read.unit in (Unit.cheng, Unit.bei, Unit.fan):
        low = _percent(value, unit)
        high = f"–{_percent(value_max, unit)}" if value_max is not None else ""
        words = {Unit.cheng: "tenths", Unit.bei: "times", Unit.fan: "doublings"}[read.unit]
        if read.unit == Unit.fan and value == 1 and value_max is None:
            return "doubled (+100%)"
        return f"{number} {words} ({low}{high}%)"
    scale = Decimal(read.scale)
    if value_max is None:
        amount = _magnitude(_decimal(value) * scale)
    else:
        amount = f"{_magnitude(_decimal(value) * scale)}–{_magnitude(_decimal(value_max) * scale)}"
    if read.unit == Unit.percentage_point or read.unit == Unit.percentage_point_bare:
        return f"{amount} percentage point{'s' if value != 1 or value_max is not None else ''}"
    return f"{amount} {read.en}"


def _percent(value: float | None, unit: str) -> str:
    based = to_base(value, unit) if value is not None else None
    return _grouped(based[0]) if based else ""


def _threshold_en(th: Raw) -> str:
    """亿元以上 -> 'of 100 million yuan or more'."""
    read = unit_of(th["unit"])
    money = read is not None and read.base in (BaseUnit.yuan, BaseUnit.us_dollar)
    size = amount_en(th["value"], th["unit"]) if money else _quantity_en(th["value"], th["unit"])
    comparator = Comparator(th.get("comparator", "at_least"))
    if comparator == Comparator.at_least:
        return f"of {size} or more"
    if comparator == Comparator.more_than:
        return f"of more than {size}"
    if comparator == Comparator.at_most:
        return f"of {size} or less"
    if comparator == Comparator.less_than:
        return f"of less than {size}"
    return f"of {size}"


def stage_en(stage: Stage, role: str) -> str:
    """A stage in English as the figure's role has it: 实施 of a pledge is 'under way', of a past
    year's result 'carried out' (a finished year's projects are not shown as still going on)."""
    if stage == Stage.implemented and role == Role.result:
        return "carried out"
    return stage.en


def _counted(fig: Raw, noun: str | None, value: float, value_max: float | None = None) -> str:
    """'5 signed projects of 100 million yuan or more', '34 key projects under way': a stage
    that is one word ending -ed goes before the noun, others after the threshold. A measure
    word other than 个 and 台 names what it counts where the metric does not (households)."""
    read = unit_of(fig["unit"])
    own = read.en if read is not None and read.unit not in (Unit.ge, Unit.tai) else None
    words = noun or own or "items"
    if value == 1 and value_max is None and words.endswith("s"):
        words = words[:-1]
    stage = Stage(fig["stage"]) if fig.get("stage") else None
    said = stage_en(stage, fig["role"]) if stage is not None else ""
    before = after = ""
    if stage is not None and " " not in said and said.endswith("ed"):
        before = f"{said} "
    elif stage is not None:
        after = f" {said}"
    threshold = f" {_threshold_en(fig['threshold'])}" if fig.get("threshold") else ""
    scale = Decimal(read.scale) if read is not None else Decimal(1)
    number = _grouped(_decimal(value) * scale)
    if value_max is not None:
        number += f" to {_grouped(_decimal(value_max) * scale)}"
    return f"{number} {before}{words}{threshold}{after}"


def display(fig: Raw) -> str:
    """The figure as a Chinese reader writes it: '≥5个', '72亿元', '全省第10名', '领跑全市',
    '10%—15%', '3—5户', '翻1番', '全市前3名'."""
    scope = Scope(fig["scope"]) if fig.get("scope") else None
    if fig.get("value") is None:
        claim = Claim(fig["claim"]) if fig.get("claim") else None
        if claim is None:
            return str(fig["stated"])
        return _CLAIM_ZH[claim].format(scope=scope.zh if scope else "")
    number = format_number(fig["value"])
    unit = str(fig["unit"])
    comparator = Comparator(fig.get("comparator", "exact"))
    if unit == Unit.rank:
        if comparator in (Comparator.at_most, Comparator.less_than):
            return f"{scope.zh if scope else ''}前{number}名"
        return f"{scope.zh if scope else ''}第{number}名"
    about = "约" if fig.get("approximate") else ""
    if fig.get("value_max") is not None:
        high = format_number(fig["value_max"])
        repeated = unit if unit in (Unit.percent, Unit.percent_full, Unit.per_mille) else ""
        number = f"{number}{repeated}—{high}"
    if unit == Unit.fan:
        return f"{about}{comparator.symbol}翻{number}番"
    return f"{about}{comparator.symbol}{number}{unit}"


def display_en(fig: Raw, noun: str | None = None) -> str:
    """The figure as English copy writes it, qualifiers in words: 'at least 5 signed projects of
    100 million yuan or more', '7.2 billion yuan', '10th in the province', 'leads the city'."""
    scope = Scope(fig["scope"]) if fig.get("scope") else None
    where = f" in {scope.en}" if scope else ""
    if fig.get("value") is None:
        claim = Claim(fig["claim"]) if fig.get("claim") else None
        if claim == Claim.lead and scope:  # a result led; a target (or a standing held) leads
            return f"{'led' if fig.get('role') == Role.result else 'leads'} {scope.en}"
        return f"{claim.en}{where}" if claim else "stated without a figure"
    value, value_max = fig["value"], fig.get("value_max")
    unit = str(fig["unit"])
    read = unit_of(unit)
    comparator = Comparator(fig.get("comparator", "exact"))
    if unit == Unit.rank:
        if comparator in (Comparator.at_most, Comparator.less_than):
            return f"in the top {format_number(value)}{where}"
        return f"{ordinal(int(value))}{where}"
    lead = f"{comparator.en} " if comparator.en else ""
    if fig.get("approximate"):
        lead += "about "
    if read is not None and read.base == BaseUnit.counted:
        return lead + _counted(fig, noun, value, value_max)
    if read is not None and read.base in (BaseUnit.yuan, BaseUnit.us_dollar):
        text = amount_en(value, unit)
        if value_max is not None:
            low, high = amount_en(value, unit).split(" ", 1), amount_en(value_max, unit).split(" ", 1)
            text = (
                f"{low[0]}–{high[0]} {high[1]}"
                if low[1] == high[1]
                else f"{text}–{amount_en(value_max, unit)}"
            )
    else:
        text = _quantity_en(value, unit, value_max)
    if fig.get("threshold"):
        text += " " + _threshold_en(fig["threshold"])
    return lead + text


def qualifiers(fig: Raw) -> tuple[list[str], list[str]]:
    """What a reader needs beside the display, in Chinese and English.

    The Chinese display is compact (≥5个), so its threshold and stage follow it; the English
    display already says them in words, so only the intent and any ambiguity follow it.
    """
    zh: list[str] = []
    en: list[str] = []
    if fig.get("threshold"):
        zh.append(fig["threshold"]["stated"])
    if fig.get("stage"):
        zh.append(Stage(fig["stage"]).zh)
    intent = Intent(fig.get("intent", "plain"))
    if intent != Intent.plain:
        zh.append(intent.zh)
        en.append(intent.en)
    if fig.get("readings_en"):
        zh.append("有歧义")
        en.append("ambiguous: " + " / ".join(fig["readings_en"]))
    return zh, en


def base(fig: Raw, key: str = "value") -> tuple[float | None, str | None]:
    """The value in base units, where amounts add up: 72亿元 -> (7200000000, 'yuan'); 5万人 ->
    (50000, 'count'); 3成 -> (30, 'percent'); with key="value_max", a range's upper end.

    Exact (Decimal, never float arithmetic), an int only where the value is a whole number a float
    holds exactly (at most 2**53, as validation requires); beyond that a float, which says what it
    knows and no more. Never raises: a value that is not a finite number has no base value.
    """
    if fig.get(key) is None or not fig.get("unit"):
        return None, None
    raw = fig[key]
    if isinstance(raw, float) and not math.isfinite(raw):
        return None, None
    based = to_base(raw, str(fig["unit"]))
    if based is None:
        return None, None
    value, unit = based
    if value == value.to_integral_value() and abs(value) <= EXACT_INTEGER:
        return int(value), unit
    return float(value), unit


def _size(amount: Decimal, unit: str) -> str:
    """A threshold's size in the largest unit that states it whole: 100000000 yuan -> '1亿元'."""
    if unit != "yuan":
        return f"{format_number(float(amount))}{unit}"
    for factor, word in ((Decimal(10) ** 8, "亿元"), (Decimal(10) ** 4, "万元")):
        if amount % factor == 0:
            return f"{format(amount / factor, 'f')}{word}"
    return f"{format(amount, 'f')}元"


# How a series key writes a threshold's comparator: '1亿元+' (the common 以上) as before.
_BOUND = {"at_least": "{}+", "more_than": ">{}", "at_most": "≤{}", "exact": "={}"}


def series_key(fig: Raw) -> str:
    """Figures compare only within one series: same metric, year, role, threshold and stage. The
    threshold is tracking's (its size in base units and its comparator), so 10000万元以上 and
    亿元以上 are one series and 500万元以上 and 500万元以下 two, as verdicts see them."""
    threshold = tracking.threshold(fig)
    th = _BOUND.get(threshold[2], "{}?").format(_size(*threshold[:2])) if threshold else "any"
    return f"{fig['metric']}|{fig['year']}|{fig['role']}|{th}|{fig.get('stage') or '-'}"


def row(fig: Raw, record: Raw, article: str, metric: Raw, errata: Iterable[Raw] = ()) -> FigureRow:
    """A figure with everything a reader or a program needs beside it, flat."""
    th = fig.get("threshold") or {}
    zh, en = qualifiers(fig)
    value, unit = base(fig)
    value_max, _ = base(fig, "value_max")
    th_value, th_unit = base(th) if th else (None, None)
    stated = compact(fig["stated"])
    return {
        "record": record["id"],
        "article": article,
        "area": record["area"],
        "metric": fig["metric"],
        "metric_zh": metric["zh"],
        "metric_en": metric["en"],
        "value": fig.get("value"),
        "value_max": fig.get("value_max"),
        "unit": fig.get("unit"),
        "year": fig["year"],
        "year_inferred": bool(fig.get("year_inferred")),
        "role": fig["role"],
        "comparator": fig.get("comparator", "exact"),
        "intent": fig.get("intent", "plain"),
        "stage": fig.get("stage"),
        "threshold_value": th.get("value"),
        "threshold_unit": th.get("unit"),
        "threshold_comparator": th.get("comparator"),
        "threshold_stated": th.get("stated"),
        "threshold_en": _threshold_en(th) if th else None,
        "threshold_base_value": th_value,
        "threshold_base_unit": th_unit,
        "scope": fig.get("scope"),
        "claim": fig.get("claim"),
        "approximate": bool(fig.get("approximate")),
        "readings_en": list(fig.get("readings_en") or ()),
        "entity": fig.get("entity"),
        "base_value": value,
        "base_value_max": value_max,
        "base_unit": unit,
        "display": display(fig),
        "display_en": display_en(fig, metric.get("noun_en")),
        "qualifiers_zh": zh,
        "qualifiers_en": en,
        "series": series_key(fig),
        "stated": fig["stated"],
        "note_en": fig.get("note_en"),
        "errata": [e["id"] for e in errata if compact(e["printed"]) in stated],
    }


def role_label(role: str, year: int, lang: str) -> str:
    """'2024 target', '2023年实绩'."""
    term = Role(role)
    return f"{year}年{term.zh}" if lang == "zh" else f"{year} {term.en}"


# The levels of comparable_level: a series one area gives (alone), sizes of different things
# (not), figures that compare only with a caution (caution), and those that compare (yes).
LEVELS = ("alone", "not", "caution", "yes")


def comparable_level(rows: list[FigureRow]) -> str:
    """How far a series may be compared, as one of LEVELS (comparability says why in words)."""
    return _how_comparable(rows)[0]


def _how_comparable(rows: list[FigureRow]) -> tuple[str, str, str]:
    areas = {r["area"] for r in rows}
    if len(areas) < 2:
        return "alone", "only one area in this series", "本系列仅一个地区"
    if any(r["role"] == Role.attribute for r in rows):
        return "not", "sizes of different things, not comparable", "描述不同对象的规模，不可比较"
    if any(r["value"] is None for r in rows):
        return "caution", "partly stated without a figure", "部分未给出数字"
    if any(r["readings_en"] for r in rows):
        return "caution", "comparable with caution: a figure is ambiguous", "慎比：有数字存在歧义"
    if {r["comparator"] for r in rows} != {"exact"}:
        return "caution", "comparable as bounds only (some figures are minimums)", "仅可作为下限比较"
    if rows[0]["base_unit"] == BaseUnit.counted and rows[0]["threshold_value"] is None:
        return (
            "caution",
            "comparable with caution: no size threshold stated, counts may differ in scope",
            "慎比：未说明规模门槛，统计口径可能不同",
        )
    return "yes", "comparable", "可比"


# What the other series of a metric may differ in, that the reader should know: (key, en, zh).
_DIMENSIONS = (
    ("year", "year", "年份"),
    ("role", "result or target", "实绩或目标"),
    ("threshold_stated", "size threshold", "规模门槛"),
    ("stage", "stage", "阶段"),
)


def comparability(rows: list[FigureRow], siblings: list[list[FigureRow]]) -> tuple[str, str]:
    """Say in both languages how far a series may be compared; `siblings` are the other series
    of its metric, which differ in something the reader should know."""
    _, en, zh = _how_comparable(rows)
    first = rows[0]
    differ = [
        (label_en, label_zh)
        for key, label_en, label_zh in _DIMENSIONS
        if any(other and other[0].get(key) != first.get(key) for other in siblings)
    ]
    if differ:
        en += f"; other series of this metric differ in {', '.join(d[0] for d in differ)}"
        zh += f"；本指标其他系列在{'、'.join(d[1] for d in differ)}上不同"
    return en, zh
