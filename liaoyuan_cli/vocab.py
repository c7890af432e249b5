"""The closed vocabularies, once: each word with its Chinese and English labels (stdlib only).

Models validate against these enums, queries filter by them, renderers print their labels and
the CLI offers them for completion; nothing else spells them out.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False
if TYPE_CHECKING:
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

    @property
    def symbol(self) -> str:
        return {"exact": "", "at_least": "≥", "more_than": ">", "at_most": "≤"}[self.value]


class Intent(Term):
    """The commitment a target carries: 确保 ensure, 力争 strive for; plain otherwise."""

    plain = "plain", "", ""
    ensure = "ensure", "确保", "ensure"
    strive = "strive", "力争", "strive for"


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


class Unit(Term):
    """Units as the article prints them; each has a base unit in which amounts add up."""

    yi_yuan = "亿元", "亿元", "yuan"
    wan_yuan = "万元", "万元", "yuan"
    percent = "%", "%", "percent"
    ge = "个", "个", "count"
    tai = "台", "台", "count"
    rank = "名", "名", "rank"

    @property
    def base(self) -> str:
        """The unit `base_value` is given in: yuan, count, percent or rank."""
        return self.en

    @property
    def factor(self) -> float:
        return {"亿元": 1e8, "万元": 1e4}.get(self.value, 1.0)


class Scope(Term):
    """What a ranking or a standing is among."""

    province = "province", "全省", "the province"
    city = "city", "全市", "the city"


class Claim(Term):
    """What a figure stated without a number claims: the article's words are in `stated`."""

    lead = "lead", "领跑", "leads"
    front_rank = "front_rank", "前列", "among the front-runners"
    new_high = "new_high", "新高", "a new high"
    increase = "increase", "增长", "an increase"
    on_schedule = "on_schedule", "如期", "on schedule"


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
