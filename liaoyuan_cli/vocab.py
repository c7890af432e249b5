"""The closed vocabularies, once: each word with its Chinese and English labels (stdlib only).

Models validate against these enums, queries filter by them, renderers print their labels and
the CLI offers them for completion; nothing else spells them out.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

TYPE_CHECKING = False  # typing is not imported at run time: vocab is on the warm path
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Self


class Term(StrEnum):
    """A word of a closed vocabulary: its value as the data spells it, and labels to print."""

    zh: str
    en: str

    def __new__(cls, value: str, zh: str | None = None, en: str | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = value if zh is None else zh
        member.en = value.replace("_", " ") if en is None else en
        return member

    def label(self, lang: str) -> str:
        """The word for a reader of `lang` (zh, en, or both as 'zh en')."""
        if lang == "zh":
            return self.zh
        if lang == "en":
            return self.en
        return f"{self.zh} {self.en}"

    @classmethod
    def parse(cls, text: str) -> Self | None:
        """The member a user typed, ignoring case, spaces and the difference of - and _."""
        wanted = _plain(text)
        for member in cls:
            if wanted in (_plain(member.value), _plain(member.en), member.zh):
                return member
        return None


def _plain(text: str) -> str:
    return text.strip().casefold().replace("-", "_").replace(" ", "_")


class AreaKind(Term):
    county = "county", "县", "county"
    district = "district", "区", "district"
    development_zone = "development_zone", "开发区", "development zone"
    city = "city", "市", "city"


class RecordKind(Term):
    """What a claim is. The rule between target and plan is in docs/data-model.md."""

    result = "result", "成绩", "result"
    target = "target", "目标", "target"
    plan = "plan", "举措", "plan"
    view = "view", "观点", "view"
    event = "event", "会议活动", "session event"


# Kinds that pledge something for the coming year: what `targets` and `track` list.
PLEDGE_KINDS = (RecordKind.target, RecordKind.plan)
PLEDGE_VALUES: tuple[str, ...] = tuple(k.value for k in PLEDGE_KINDS)  # as stored and filtered
# The word --kind takes for both at once (`--kind pledge`: targets and plans).
PLEDGE = "pledge"


class Category(Term):
    economy = "economy", "经济", "economy"
    industry = "industry", "产业", "industry"
    projects = "projects", "项目建设", "projects"
    investment_attraction = "investment_attraction", "招商引资", "investment attraction"
    agriculture = "agriculture", "农业农村", "agriculture"
    ecology = "ecology", "生态环境", "ecology"
    livelihood = "livelihood", "民生", "livelihood"
    culture_tourism = "culture_tourism", "文化旅游", "culture and tourism"
    urban_infrastructure = "urban_infrastructure", "城乡建设", "urban infrastructure"
    innovation_talent = "innovation_talent", "科技创新与人才", "innovation and talent"
    consumption_services = "consumption_services", "消费与服务业", "consumption and services"
    governance = "governance", "治理", "governance"
    opening_up = "opening_up", "对外开放", "opening up"
    overall = "overall", "总体", "overall"


class Role(Term):
    """What a figure does: report what happened, aim at something, or describe a thing's size."""

    result = "result", "实绩", "result"
    target = "target", "目标", "target"
    attribute = "attribute", "属性", "attribute"


class Comparator(Term):
    """How the value bounds the quantity: 不低于 and 以上 are at_least (the number included)."""

    exact = "exact", "", ""
    at_least = "at_least", "不低于", "at least"
    more_than = "more_than", "超过", "more than"
    at_most = "at_most", "不超过", "at most"
    less_than = "less_than", "不到", "less than"
    nearly = "nearly", "近", "nearly"

    @property
    def symbol(self) -> str:
        """How a compact display writes it: ≥5个, >30亿元, ≤3.5%, <2%, ≲10000台."""
        return _COMPARATOR_SYMBOL[self.value]


_COMPARATOR_SYMBOL = {
    "exact": "",
    "at_least": "≥",
    "more_than": ">",
    "at_most": "≤",
    "less_than": "<",
    "nearly": "≲",
}

# The words that signal a comparator, before the number (不低于5个) or after it and its unit
# (80个以上, 3.5%以内); 余 and 多 stand between the number and its measure word (100余个, 50多家)
# or after the unit (1万余人). Longest first wherever they are matched.
COMPARATOR_BEFORE: dict[Comparator, tuple[str, ...]] = {
    Comparator.at_least: ("不低于", "不少于", "不下于", "至少", "最少"),
    Comparator.more_than: ("超过", "突破", "高于", "多于", "大于", "逾", "超"),
    Comparator.at_most: ("不超过", "不高于", "不多于", "最多", "至多"),
    Comparator.less_than: ("不到", "不足", "低于", "少于", "小于"),
    Comparator.nearly: ("将近", "接近", "逼近", "近"),
}
COMPARATOR_AFTER: dict[Comparator, tuple[str, ...]] = {
    Comparator.at_least: ("及以上", "以上"),
    Comparator.at_most: ("以内", "以下"),
    Comparator.more_than: ("余", "多"),
}
# A round number or an estimate: 约10亿元, 10亿元左右.
APPROXIMATE_BEFORE = ("大约", "约", "大概")
APPROXIMATE_AFTER = ("左右", "上下")
# Words that state a negative change with a positive number (下降2.1% is a growth of -2.1%).
DECLINE = ("下降", "减少", "下滑", "回落", "负增长", "降低", "缩减", "压缩", "缩短")


class Intent(Term):
    """The commitment a target carries: 确保 ensure, 力争 strive for, 努力/着力/争取 aim; plain
    otherwise. An intent word carries to the end of its clause."""

    plain = "plain", "", ""
    ensure = "ensure", "确保", "ensure"
    strive = "strive", "力争", "strive for"
    aim = "aim", "争取", "aim for"


INTENT_WORDS: dict[Intent, tuple[str, ...]] = {
    Intent.ensure: ("确保", "保证"),
    Intent.strive: ("力争",),
    Intent.aim: ("争取", "努力", "着力"),
}


class Stage(Term):
    """The stage of a project (or of the projects a count refers to), where the article names
    one: reached (a result) or aimed at (a target)."""

    planned = "planned", "谋划", "planned"
    reserved = "reserved", "储备", "held in reserve"
    signed = "signed", "签约", "signed"
    attracted = "attracted", "引进", "attracted"
    implemented = "implemented", "实施", "under way"
    started = "started", "开工", "started"
    construction = "construction", "建设", "under construction"
    landed = "landed", "落地", "landed"
    completed = "completed", "建成", "completed"
    in_production = "in_production", "投产", "in production"
    full_production = "full_production", "达产", "at full capacity"


class BaseUnit(Term):
    """What amounts add up in: a figure's `base_value` is in one of these (72亿元 is 7200000000
    yuan, 3成 is 30 percent, 5万人 is 50000 count). An unknown measure word is its own base."""

    yuan = "yuan", "元", "yuan"
    us_dollar = "US dollar", "美元", "US dollars"
    percent = "percent", "%", "percent"
    percentage_point = "percentage point", "个百分点", "percentage points"
    counted = "count", "个", "count"
    rank = "rank", "名", "rank"
    mu = "mu", "亩", "mu"
    square_metre = "square metre", "平方米", "square metres"
    metre = "metre", "米", "metres"
    kilogram = "kilogram", "千克", "kilograms"
    cubic_metre = "cubic metre", "立方米", "cubic metres"
    microgram_per_cubic_metre = "microgram per cubic metre", "微克/立方米", "micrograms per cubic metre"
    watt = "watt", "瓦", "watts"
    kilowatt_hour = "kilowatt-hour", "千瓦时", "kilowatt-hours"
    day = "day", "天", "days"
    hour = "hour", "小时", "hours"
    month = "month", "个月", "months"


# The words that name a stage where a figure counts projects at it (实施…重点项目86个, 新签约…
# 项目不低于5个, 谋划储备项目80个以上), longest first when matched.
STAGE_WORDS: dict[Stage, tuple[str, ...]] = {
    Stage.reserved: ("谋划储备", "储备"),
    Stage.planned: ("谋划", "策划"),
    Stage.signed: ("新签约", "签约"),
    Stage.attracted: ("引进", "招引"),
    Stage.implemented: ("实施", "推进"),
    Stage.started: ("新开工", "开工"),
    Stage.construction: ("在建", "续建"),
    Stage.landed: ("落地",),
    Stage.completed: ("建成", "竣工"),
    Stage.in_production: ("投产",),
    Stage.full_production: ("达产",),
}


class Unit(Term):
    """Units and measure words as the article prints them, without a scale (and the money units
    that are always printed with one); a printed unit is one of these, or a scale before one
    (万人, 亿斤, 万平方米): `unit_of`. Each has a base unit and a factor to it."""

    yi_yuan = "亿元", "亿元", "yuan"
    wan_yuan = "万元", "万元", "yuan"
    yuan = "元", "元", "yuan"
    us_dollar = "美元", "美元", "US dollars"
    wan_us_dollar = "万美元", "万美元", "US dollars"
    yi_us_dollar = "亿美元", "亿美元", "US dollars"
    percent = "%", "%", "percent"
    percent_full = "％", "％", "percent"
    per_mille = "‰", "‰", "per mille"
    percentage_point = "个百分点", "个百分点", "percentage points"
    percentage_point_bare = "百分点", "百分点", "percentage points"
    cheng = "成", "成", "tenths"
    bei = "倍", "倍", "times"
    fan = "番", "番", "doublings"
    rank = "名", "名", "rank"
    ge = "个", "个", "count"
    tai = "台", "台", "machines"
    jia = "家", "家", "enterprises"
    hu = "户", "户", "households"
    ren = "人", "人", "people"
    renci = "人次", "人次", "person-times"
    wei = "位", "位", "people"
    tao = "套", "套", "sets"
    xiang = "项", "项", "items"
    zuo = "座", "座", "structures"
    suo = "所", "所", "institutions"
    tiao = "条", "条", "lines"
    chu = "处", "处", "sites"
    liang = "辆", "辆", "vehicles"
    jia_aircraft = "架", "架", "aircraft"
    sou = "艘", "艘", "vessels"
    dong = "栋", "栋", "buildings"
    jian = "间", "间", "rooms"
    zhang = "张", "张", "sheets"
    jian_item = "件", "件", "items"
    ci = "次", "次", "times"
    pi = "批", "批", "batches"
    chang = "场", "场", "events"
    changci = "场次", "场次", "events"
    geci = "个次", "个次", "times"
    huci = "户次", "户次", "household-times"
    taitao = "台套", "台套", "sets"
    dai = "袋", "袋", "bags"
    zhan = "盏", "盏", "lamps"
    xiang_box = "箱", "箱", "boxes"
    yu = "羽", "羽", "birds"
    zhi = "只", "只", "animals"
    tou = "头", "头", "head"
    pi_horse = "匹", "匹", "head"
    zhu = "株", "株", "plants"
    ke = "棵", "棵", "trees"
    kou = "口", "口", "units"
    bu = "部", "部", "units"
    kuan = "款", "款", "models"
    zhong = "种", "种", "kinds"
    lei = "类", "类", "categories"
    li = "例", "例", "cases"
    qi = "起", "起", "cases"
    zong = "宗", "宗", "plots"
    bi = "笔", "笔", "transactions"
    mu = "亩", "亩", "mu"
    hectare = "公顷", "公顷", "hectares"
    square_metre = "平方米", "平方米", "square metres"
    square_km = "平方公里", "平方公里", "square kilometres"
    square_km_alt = "平方千米", "平方千米", "square kilometres"
    km = "公里", "公里", "kilometres"
    km_alt = "千米", "千米", "kilometres"
    metre = "米", "米", "metres"
    tonne = "吨", "吨", "tonnes"
    kg = "公斤", "公斤", "kilograms"
    kg_alt = "千克", "千克", "kilograms"
    jin = "斤", "斤", "jin"
    cubic_metre = "立方米", "立方米", "cubic metres"
    microgram_per_cubic_metre = "微克/立方米", "微克/立方米", "micrograms per cubic metre"
    watt = "瓦", "瓦", "watts"
    kw = "千瓦", "千瓦", "kilowatts"
    mw = "兆瓦", "兆瓦", "megawatts"
    gw = "吉瓦", "吉瓦", "gigawatts"
    kwh = "千瓦时", "千瓦时", "kilowatt-hours"
    du = "度", "度", "kilowatt-hours"
    day = "天", "天", "days"
    working_day = "个工作日", "个工作日", "working days"
    working_day_bare = "工作日", "工作日", "working days"
    hour = "小时", "小时", "hours"
    month = "个月", "个月", "months"

    @property
    def base(self) -> str:
        """The unit `base_value` is given in: yuan, count, percent, rank, mu, ..."""
        return _MEASURE[self.value][0].value

    @property
    def factor(self) -> Decimal:
        """What one of this unit is in base units (亿元: 100000000 yuan; 成: 10 percent), exact."""
        from decimal import Decimal  # not on the query path's start-up: only figures need it

        return Decimal(_MEASURE[self.value][1])


# Each unit's base and what one of it is in that base (exact, as decimal text).
_B = BaseUnit
_MEASURE: dict[str, tuple[BaseUnit, str]] = {
    "亿元": (_B.yuan, "100000000"),
    "万元": (_B.yuan, "10000"),
    "元": (_B.yuan, "1"),
    "美元": (_B.us_dollar, "1"),
    "万美元": (_B.us_dollar, "10000"),
    "亿美元": (_B.us_dollar, "100000000"),
    "%": (_B.percent, "1"),
    "％": (_B.percent, "1"),
    "‰": (_B.percent, "0.1"),
    "个百分点": (_B.percentage_point, "1"),
    "百分点": (_B.percentage_point, "1"),
    "成": (_B.percent, "10"),
    "倍": (_B.percent, "100"),
    "番": (_B.percent, "100"),  # 翻一番: doubled, +100 percent; n 番 is (2**n - 1) * 100 (`to_base`)
    "名": (_B.rank, "1"),
    "亩": (_B.mu, "1"),
    "公顷": (_B.square_metre, "10000"),
    "平方米": (_B.square_metre, "1"),
    "平方公里": (_B.square_metre, "1000000"),
    "平方千米": (_B.square_metre, "1000000"),
    "公里": (_B.metre, "1000"),
    "千米": (_B.metre, "1000"),
    "米": (_B.metre, "1"),
    "吨": (_B.kilogram, "1000"),
    "公斤": (_B.kilogram, "1"),
    "千克": (_B.kilogram, "1"),
    "斤": (_B.kilogram, "0.5"),
    "立方米": (_B.cubic_metre, "1"),
    "微克/立方米": (_B.microgram_per_cubic_metre, "1"),
    "瓦": (_B.watt, "1"),
    "千瓦": (_B.watt, "1000"),
    "兆瓦": (_B.watt, "1000000"),
    "吉瓦": (_B.watt, "1000000000"),
    "千瓦时": (_B.kilowatt_hour, "1"),
    "度": (_B.kilowatt_hour, "1"),
    "天": (_B.day, "1"),
    "个工作日": (_B.day, "1"),
    "工作日": (_B.day, "1"),
    "小时": (_B.hour, "1"),
    "个月": (_B.month, "1"),
}
# Every other unit is a measure word: it counts.
for _unit in Unit:
    _MEASURE.setdefault(_unit.value, (_B.counted, "1"))
del _unit


class Scale(Term):
    """A 万/亿 scale printed before a unit (5万人) or after a number (5万): either way the same
    base value (5 万人 and 50000 人 are both 50000 people)."""

    ten = "十", "十", "ten"
    hundred = "百", "百", "hundred"
    thousand = "千", "千", "thousand"
    wan = "万", "万", "ten thousand"
    hundred_thousand = "十万", "十万", "hundred thousand"
    million = "百万", "百万", "million"
    ten_million = "千万", "千万", "ten million"
    yi = "亿", "亿", "hundred million"
    billion = "十亿", "十亿", "billion"
    ten_billion = "百亿", "百亿", "ten billion"
    hundred_billion = "千亿", "千亿", "hundred billion"
    trillion = "万亿", "万亿", "trillion"

    @property
    def factor(self) -> int:
        return _SCALE[self.value]


_SCALE = {
    "十": 10,
    "百": 100,
    "千": 1000,
    "万": 10**4,
    "十万": 10**5,
    "百万": 10**6,
    "千万": 10**7,
    "亿": 10**8,
    "十亿": 10**9,
    "百亿": 10**10,
    "千亿": 10**11,
    "万亿": 10**12,
}
# The scales a printed number may carry after it (5万, 1.2亿): the small ones (十 百 千) are
# part of a Chinese numeral or a unit (千瓦), never a scale after digits.
NUMBER_SCALES = ("万亿", "千万", "百万", "十万", "万", "亿")


class UnitOf:
    """A unit as printed, read: its scale (1 for none), its unit, its base and factor."""

    __slots__ = ("base", "factor", "printed", "scale", "unit")

    def __init__(self, printed: str, scale: int, unit: Unit | None, base: str, factor: Decimal) -> None:
        self.printed, self.scale, self.base = printed, scale, base
        self.unit = unit  # None: a measure word the vocabulary does not know (its own base)
        self.factor = factor  # one printed unit in base units, the scale included

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnitOf) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[object, ...]:
        return (self.printed, self.scale, self.unit, self.base, self.factor)

    @property
    def en(self) -> str:
        return self.unit.en if self.unit is not None else self.printed

    def to_base(self, value: Decimal) -> Decimal:
        """A value in this unit, in base units: 72 亿元 -> 7200000000 yuan; 2 番 -> 300 percent
        (doubled twice: four times as much)."""
        if self.unit == Unit.fan and value == value.to_integral_value() and 0 <= value <= 64:
            doubled: Decimal = (2 ** int(value) - 1) * self.factor
            return doubled
        based: Decimal = (value * self.factor).normalize()
        return based


def _han_word(text: str) -> bool:
    return 1 <= len(text) <= 4 and all("\u3400" <= ch <= "\u9fff" for ch in text)


@lru_cache(maxsize=512)
def unit_of(printed: str) -> UnitOf | None:
    """Read a unit as printed: a known unit (亿元, 家, 个百分点), a scale before one (万人, 亿斤,
    万平方米, 千万元), or a measure word the vocabulary does not know (1 to 4 Han characters,
    perhaps after a scale), which is its own base. None for what is no unit (digits, spaces)."""
    from decimal import Decimal

    try:
        unit = Unit(printed)
    except ValueError:
        pass
    else:  # 万元 and 亿元 are units of their own, printed with their scale
        own = next(
            (f for s, f in _SCALE.items() if printed.startswith(s) and printed[len(s) :] in _MEASURE), 1
        )
        return UnitOf(printed, own, unit, unit.base, unit.factor)
    for scale in sorted(_SCALE, key=len, reverse=True):
        rest = printed.removeprefix(scale)
        if rest == printed or not rest:
            continue
        try:
            unit = Unit(rest)
        except ValueError:
            continue
        return UnitOf(printed, _SCALE[scale], unit, unit.base, (unit.factor * _SCALE[scale]).normalize())
    if _han_word(printed):
        for scale in sorted(_SCALE, key=len, reverse=True):
            rest = printed.removeprefix(scale)
            if rest != printed and rest:
                return UnitOf(printed, _SCALE[scale], None, rest, Decimal(_SCALE[scale]))
        return UnitOf(printed, 1, None, printed, Decimal(1))
    return None


def to_base(value: float | int | Decimal, printed: str) -> tuple[Decimal, str] | None:
    """A value in a printed unit, in base units and the base unit's name: (7200000000, 'yuan')
    for 72 亿元; None where the unit is no unit."""
    unit = unit_of(printed)
    if unit is None:
        return None
    from decimal import Decimal

    if isinstance(value, Decimal):
        amount = value
    else:
        amount = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    return unit.to_base(amount), unit.base


class Scope(Term):
    """What a ranking or a standing is among."""

    province = "province", "全省", "the province"
    city = "city", "全市", "the city"
    county = "county", "全县", "the county"
    country = "country", "全国", "the country"


# The words that name a scope (全市第一, 位列全省第十, 领跑全市).
SCOPE_WORDS: dict[Scope, tuple[str, ...]] = {
    Scope.province: ("全省",),
    Scope.city: ("全市",),
    Scope.county: ("全县",),
    Scope.country: ("全国",),
}


class Claim(Term):
    """What a figure stated without a number claims: the article's words are in `stated`."""

    lead = "lead", "领跑", "leads"
    front_rank = "front_rank", "前列", "among the front-runners"
    new_high = "new_high", "新高", "a new high"
    increase = "increase", "增长", "an increase"
    on_schedule = "on_schedule", "如期", "on schedule"


# The words that make each claim (领跑全市, 位居全省前列, 再创新高, 粮食增产, 如期开工).
CLAIM_WORDS: dict[Claim, tuple[str, ...]] = {
    Claim.lead: ("领跑", "领先"),
    Claim.front_rank: ("前列", "第一方阵"),
    Claim.new_high: ("再创新高", "创历史新高", "创新高"),
    Claim.increase: ("增产", "正增长"),
    Claim.on_schedule: ("如期",),
}


class EntityKind(Term):
    company = "company", "企业", "company"
    project = "project", "项目", "project"
    park = "park", "园区", "park"
    programme = "programme", "工程或行动", "programme"
    place = "place", "地点", "place"
    event = "event", "会议活动", "event"
    organisation = "organisation", "机构", "organisation"
    product = "product", "产品", "product"
    document = "document", "文件", "document"
    region = "region", "区域", "region"


class Link(Term):
    """How one entity stands to another, as far as the article says (docs/data-model.md)."""

    part_of = "part_of", "属于", "part of"
    related = "related", "相关", "may be the same as or related to"
    by = "by", "投资建设方", "carried out by"
    located_in = "located_in", "位于", "located in"


class ErratumKind(Term):
    """A misprint (a wrong character), an omission (something missing), or a variant spelling."""

    misprint = "misprint", "错字", "misprint"
    omission = "omission", "缺漏", "omission"
    variant = "variant", "异写", "variant spelling"


class Certainty(Term):
    """How sure a reading of a misprint is: certain, probable, or only possible."""

    certain = "certain", "确定", "certain"
    probable = "probable", "很可能", "probable"
    possible = "possible", "可能", "possible"


class SectionKind(Term):
    interview = "interview", "专访", "interview"
    report = "report", "报道", "news report"


class Voice(Term):
    """Whose words a record carries, so a journalist knows what may go in quotation marks."""

    direct = "direct", "直接引语", "the speaker's own words, in quotation marks"
    indirect = "indirect", "转述", "the speaker's words as the reporter gives them"
    narration = "narration", "记者叙述", "the reporter's account"
    document = "document", "文件转述", "a document's content as the report gives it"


class Verdict(Term):
    """Where a pledge stands, on the scale of promise trackers (docs/data-model.md)."""

    met = "met", "已完成", "met"
    partly_met = "partly_met", "部分完成", "partly met"
    not_met = "not_met", "未完成", "not met"
    in_progress = "in_progress", "推进中", "in progress"
    dropped = "dropped", "已放弃", "dropped"
    not_assessed = "not_assessed", "尚未评估", "not yet assessed"


class Precision(Term):
    """How much of a date the source states or allows us to infer."""

    day = "day", "日", "day"
    month = "month", "月", "month"
    year = "year", "年", "year"


def names(vocabulary: type[Term]) -> list[str]:
    """Every value of a vocabulary, in declaration order: for help, errors and completion."""
    return [member.value for member in vocabulary]


class Format(Term):
    """How an answer is written: a table for people, the rest for programs."""

    table = "table", "表格", "table"
    json = "json", "JSON", "JSON"
    jsonl = "jsonl", "JSON Lines", "JSON Lines"
    csv = "csv", "CSV", "CSV"
    tsv = "tsv", "TSV", "TSV"
    markdown = "markdown", "Markdown", "Markdown"


class Lang(Term):
    """The language of a table's text and labels."""

    chinese = "zh", "中文", "Chinese"
    english = "en", "英文", "English"
    both = "both", "中英文", "Chinese and English"


class Style(Term):
    """A citation style (cite.py writes each)."""

    text = "text", "文本", "plain text"
    apa = "apa", "APA", "APA"
    chicago = "chicago", "Chicago", "Chicago"
    bibtex = "bibtex", "BibTeX", "BibTeX"
    csl_json = "csl-json", "CSL-JSON", "CSL-JSON"


class ExportFormat(Term):
    """What `lycli export` writes."""

    sqlite = "sqlite", "SQLite", "SQLite"
    csv = "csv", "CSV", "CSV package"


class Counted(Term):
    """What `lycli facet` counts."""

    records = "records", "记录", "records"
    figures = "figures", "数据", "figures"


class ProjectOrder(Term):
    """How `lycli projects` orders its rows."""

    article = "article", "按文章顺序", "as the articles name them"
    amount = "amount", "按金额", "the largest amount first"


class Shell(Term):
    """A shell `lycli completion` writes a script for (Typer's completion, as the app runs it)."""

    bash = "bash", "bash", "bash"
    zsh = "zsh", "zsh", "zsh"
    fish = "fish", "fish", "fish"
    powershell = "powershell", "powershell", "PowerShell"
    pwsh = "pwsh", "pwsh", "PowerShell 7 (pwsh)"


class FacetField(Term):
    """A field `lycli facet --by` counts by, with the SQL column that holds it (store.py joins
    the table the column's alias names)."""

    column: str

    def __new__(cls, value: str, zh: str, en: str, column: str) -> Self:
        member = str.__new__(cls, value)
        member._value_, member.zh, member.en, member.column = value, zh, en, column
        return member

    area = "area", "地区", "Area", "r.area"
    article = "article", "文章", "Article", "r.article"
    kind = "kind", "类别", "Kind", "r.kind"
    category = "category", "领域", "Category", "r.category"
    theme = "theme", "主题", "Theme", "t.theme"
    year = "year", "年份", "Year", "r.year"
    voice = "voice", "话语", "Voice", "r.voice"
    speaker = "speaker", "讲话人", "Speaker", "r.speaker"
    entity = "entity", "实体", "Entity", "m.entity"
    metric = "metric", "指标", "Metric", "f.metric"
    role = "role", "性质", "Role", "f.role"
    unit = "unit", "单位", "Unit", "f.unit"
    verdict = "verdict", "结论", "Verdict", "v.verdict"
