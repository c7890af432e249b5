"""From a page read (page.py) and a knowledge base's names (lexicon.py) to the items of a draft:
the article, its sections, people, metrics and entities it proposes, and its records with their
figures, each guess with its reason and each doubt marked for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from liaoyuan_cli import tracking
from liaoyuan_cli.checks import prints_year
from liaoyuan_cli.draft import page as pages
from liaoyuan_cli.draft import quantities
from liaoyuan_cli.draft.lexicon import Lexicon, name_pinyin, slug
from liaoyuan_cli.text import compact, fold
from liaoyuan_cli.vocab import INTENT_WORDS, Claim, Intent, Role, Stage

_HAN_ANY = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

Item = dict[str, Any]

# -- time ---------------------------------------------------------------------------------------

_PAST_WORDS = ("同比", "累计", "比上年", "较上年", "已经", "已", "荣获", "入选", "被评为", "成功举办", "截至")
# Words that look ahead beyond doubt: a past year said in an earlier sentence does not carry
# into a sentence with one of these (去年…。今年将…, …。力争全年…).
_AHEAD = re.compile(r"(?<![即])将(?![近其])|力争|确保|争取|预计|还要|我们要|拟")
_NAMED_GOAL = re.compile(r"“[^”]*”(?=目标|任务|要求)")
# A time something is moved to, not the time the words speak of: 延续到今年, 推迟至明年.
_ONTO = re.compile(r"(?:延续|推迟|延期|顺延|延长|推后|结转|移)(?:到|至)$")
_FUTURE_WORDS = (
    "将",
    "要",
    "力争",
    "确保",
    "争取",
    "计划",
    "预计",
    "目标",
    "努力",
    "着力",
    "推动",
    "加快",
    "全力",
)


@dataclass
class When:
    """The year a sentence speaks of, how it is known, and whether it looks back or ahead."""

    year: int | None = None
    explicit: bool = False
    past: bool | None = None
    carries: bool = True  # on to the sentences after it (a plan's period does not: 十五五期间)


def time_marks(text: str, year: int, month: int) -> list[tuple[int, When]]:
    """Where `text` names the time it speaks of: 2024年, 今年, 去年, 过去一年, 1—11月, 新的一年."""
    marks: list[tuple[int, When]] = []
    titled = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]

    def titled_at(at: int) -> bool:
        return any(a <= at < b for a, b in titled)

    for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)年(?!代)", text):
        compared = text[max(0, m.start() - 2) : m.start()].endswith(
            ("是", "比", "较", "与", "同", "于", "为", "相比")
        )
        if compared or text.startswith("同期", m.end()):
            continue  # 是2020年的2.3倍, 比2023年: a year compared with, not the year spoken of
        if not titled_at(m.start()):
            y = int(m.group(1))
            marks.append((m.start(), When(y, True, y < year if y != year else None)))
    compared_words = ("比", "较", "于", "同", "是", "与")
    words = (
        (("过去的一年", "过去一年", "去年", "上年", "上一年", "一年来"), year - 1, True),
        (("前年",), year - 2, True),
        (("今年",), year, None),
        (("明年",), year + 1, False),
        (("新的一年", "新一年"), year if month <= 6 else year + 1, False),
    )
    for options, y, past in words:
        for word in options:
            for m in re.finditer(word, text):
                if text[max(0, m.start() - 1) : m.start()] in compared_words or text.startswith(
                    "同期", m.end()
                ):
                    continue  # 比上年增长, 较去年同期: the year compared with
                if not titled_at(m.start()) and not any(a <= m.start() < a + 4 for a, _ in marks):
                    # 延续到今年, 推迟至明年: where something goes, not the time the words speak of
                    onto = bool(_ONTO.search(text, max(0, m.start() - 3), m.start()))
                    marks.append((m.start(), When(y, False, past, carries=not onto)))
    for m in re.finditer(r"截至(\d{1,2})月(?:底|末)?", text):
        y = year if int(m.group(1)) <= month else year - 1
        marks.append((m.start(), When(y, False, True)))
    for m in re.finditer(r"(\d{1,2})\s*[—\-－~～至到]\s*(\d{1,2})月|前三季度|上半年|今年以来|年初以来", text):
        end_month = int(m.group(2)) if m.group(2) else {"前三季度": 9, "上半年": 6}.get(m.group(), month - 1)
        y = year if end_month < month else year - 1
        marks.append((m.start(), When(y, False, True)))
    for m in re.finditer(
        r"(?<![\d—\-－~～至到])(\d{1,2})月(\d{1,2})日|近日|日前", text
    ):  # a news item's day: done
        if m.group(1) is None or int(m.group(1)) <= month:
            marks.append((m.start(), When(year, False, True)))
    for m in re.finditer(
        r"“?(十[一二三四五六七八九])五”?(?:规划)?期间|“?(十[一二三四五六七八九])五”?末", text
    ):
        plan = 10 + "一二三四五六七八九".index((m.group(1) or m.group(2))[1]) + 1
        marks.append(
            (m.start(), When(1970 + 5 * (plan - 3), False, False, False))
        )  # the 3rd plan ended in 1970
    return sorted(marks, key=lambda m: m[0])


# -- clauses ------------------------------------------------------------------------------------

# Verbs (and the adverbs before them) that begin a clause of their own: an intent word does not
# carry past one (着力扩大有效投资，…，谋划储备项目80个以上: plain).
_ADVERBS = (
    "全力",
    "积极",
    "大力",
    "持续",
    "深入",
    "全面",
    "不断",
    "切实",
    "进一步",
    "坚决",
    "稳步",
    "主动",
    "高质量",
    "加速",
)
_VERBS = frozenset(
    " ".join(
        (
            "推动 推进 加快 实施 谋划 吸引 抢抓 建设 完成 实现 打造 提升 加大 加强 深化 坚持",
            "培育 引进 新增 开展 支持 鼓励 发展 落实 扩大 巩固 做强 做好 用活 出台 强化 提高",
            "促进 优化 聚焦 围绕 突出 统筹 保持 稳定 抓好 确保 力争 争取 努力 着力 构建 完善",
            "整合 织密 管好 提供 助力 发挥 释放 增强 采取 聚力 锚定 紧盯 探索 细化 兜牢 守住",
            "维护 扛起 解决 用心 加速 激活 升级 推出 开发 申报 召开 举办 组织 编制 启动 新建",
            "改造 开工 投产 招引 签约 储备 创建 引导 带动 形成 满足 服务 保障 提质 拓展 延伸",
            "承接 对接 参与 贯彻 践行 运用 综合 采用 成立",
        )
    ).split(" ")
)


def clause_starts_new(clause: str) -> bool:
    """Whether a clause begins with a verb of its own rather than continuing the one before it
    (10亿元以上项目不低于2个 continues 力争新签约亿元以上项目不低于5个)."""
    text = clause
    for adverb in _ADVERBS:
        text = text.removeprefix(adverb)
    return text[:2] in _VERBS or text[:1] in ("抓", "把", "让", "使", "以", "向", "对", "为")


def intent_at(sentence: str, at: int) -> tuple[Intent, str | None]:
    """The intent word that governs a figure at `at`: the nearest before it in its clause, or in
    clauses before that it continues; it carries to the end of its clause."""
    words = sorted(((w, i) for i, ws in INTENT_WORDS.items() for w in ws), key=lambda wi: -len(wi[0]))
    cut = max(sentence.rfind(ch, 0, at) for ch in "，；：")
    start = cut + 1
    while True:
        segment = sentence[start:at] if start <= at else ""
        best: tuple[int, Intent, str] | None = None
        for word, intent in words:
            pos = segment.rfind(word)
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, intent, word)
        if best is not None:
            return best[1], best[2]
        if start == 0 or clause_starts_new(sentence[start:at]):
            return Intent.plain, None
        at = start - 1
        start = max(sentence.rfind(ch, 0, at) for ch in "，；：") + 1


# -- metrics -------------------------------------------------------------------------------------

_STRIP_STAGE = (
    "谋划储备",
    "谋划实施",
    "新开工",
    "新签约",
    "新引进",
    "实施",
    "开工",
    "签约",
    "引进",
    "谋划",
    "储备",
)
_STRIP_HEAD = (
    "全区",
    "全市",
    "全县",
    "全省",
    "全国",
    "全年",
    "全镇",
    "其中",
    "我市",
    "本市",
    "今年",
    "去年",
    "累计",
    "实现",
    "完成",
)
_STRIP_TAIL = (
    "同比增长",
    "同比下降",
    "增长",
    "下降",
    "完成",
    "实现",
    "达到",
    "达",
    "为",
    "是",
    "突破",
    "超过",
    "总量",
    "等指标增速",
    "等指标",
    "增速",
    "位列",
    "位居",
    "排名",
    "位",
    "保持",
    "走在",
    "稳定在",
    "稳定",
    "控制在",
    "保持在",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "达到",
    "不低于",
    "不少于",
    "高于",
    "提高",
    "提升",
    "第",
    "全市",
    "全省",
    "全国",
    "全县",
    "位居",
    "位列",
    "进入",
)


def _lcs(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _dice(a: str, b: str) -> float:
    """How alike two names are by the characters they share (县域经济发展考核, 县域经济振兴发展考核: 0.89)."""
    from collections import Counter

    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def metric_phrase(words: str, lex: Lexicon) -> tuple[str | None, bool]:
    """The knowledge base's quantity that `words` name, and whether whole: a phrase the words end
    with once their verbs and qualifiers are stripped (全区地区生产总值完成 -> 地区生产总值), else
    the most alike phrase sharing most of their characters (粮食产量 ~ 粮食总产量), else none."""
    own = own_phrase(words)
    if len(own) >= 2:
        for phrase in lex.phrases:
            if phrase and own.endswith(phrase) and len(phrase) >= 2:
                return phrase, True
    best, score = None, 0.75
    for phrase in lex.phrases:
        alike = _dice(own, phrase)
        if alike > score:
            best, score = phrase, alike
    return best, False


def own_phrase(words: str) -> str:
    """A quantity's name from the words before a figure: its verbs, qualifiers and size
    thresholds stripped (实施500万元以上重点项目 -> 重点项目; 粮食产量稳定在 -> 粮食产量)."""
    text = re.split(r"[，。；：、]", words)[-1] if words else ""
    text = re.sub(r"[\d.]*[十百千万亿]*(?:万元|亿元|元)(?:以上|以下|及以上)?|[\d.%]+", "", text)
    for _ in range(3):
        for head in _STRIP_HEAD + _STRIP_STAGE:
            text = text.removeprefix(head)
        for adverb in _ADVERBS:
            text = text.removeprefix(adverb)
        for tail in _STRIP_TAIL:
            text = text.removesuffix(tail)
        for words_ in INTENT_WORDS.values():
            for word in words_:
                text = text.removeprefix(word)
    return text.strip("“”")[-12:]


# The aspects a figure of each aspect may be recorded in: a count of things is a level of them.
_FITS = {
    "count": ("count", "level"),
    "level": ("level", "count"),
    "growth": ("growth",),
    "rank": ("rank", "growth-rank"),
    "growth-rank": ("growth-rank", "rank"),
}
_SUFFIX_ZH = {"growth": "增速", "rank": "排名", "growth-rank": "增速排名", "count": "数", "level": ""}
_SUFFIX_ID = {"growth": "-growth", "rank": "-rank", "growth-rank": "-growth-rank", "count": "", "level": ""}


# -- kinds and categories -----------------------------------------------------------------------

_EVENT = re.compile(r"分组审议|审议了|审议《|召开|举行|开幕|闭幕|出席.*会议|表决通过|选举产生")
_VIEW = re.compile(
    r"《政府工作报告》.*(鲜明|客观|实在|务实|指明|指导性|振奋|好报告|高瞻远瞩)|一致认为|相信|贡献.{0,6}力量|谱写.*篇章|不懈奋斗|"
    r"添砖加瓦|应有的贡献|重要会议|我将|体现.*担当|越来越好|年年向好|报告总结|主题鲜明|凝聚.*合力|奋斗正当时"
)
_WORKS = re.compile(
    r"建设|进度|完成|落地|开工|投产|达产|达效|提档升级|优化升级|申报|构建.*平台|新建|建成|竣工|扩建|续建|创建"
)
_PLAN = re.compile(
    r"推动.*(转型|升级|延伸|上市|拓展|发展|合作|融合|协同)|鼓励|支持|加强|深化|优化|提高.*(承载|能力|水平)|对接|"
    r"实施.*(行动|工程)|坚持|加大.*力度|提升|完善|促进|发挥|聚焦|做好|抓好|兜牢|守住|维护|探索|整合|织密|用活|出台"
)
_NAMED = re.compile(
    r"[\u4e00-\u9fff]{2,}(项目|园区|产业园|基地|小区|路网|学校|小学|中学|医院|中心|工程|二期|一期|平台|酒店|商业街|机场|高铁)"
)

CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("investment_attraction", ("招商", "签约", "引进", "到位资金", "招引", "双招双引")),
    ("projects", ("重点项目", "项目建设", "开工", "项目")),
    (
        "agriculture",
        (
            "农业",
            "粮食",
            "农田",
            "种业",
            "肉牛",
            "柞蚕",
            "玉米",
            "乡村振兴",
            "三农",
            "畜牧",
            "养殖",
            "食用菌",
            "梅花鹿",
        ),
    ),
    ("ecology", ("生态", "环境", "河湖", "保卫战", "河长制", "绿化", "污染", "低碳", "黑土地", "水质")),
    ("culture_tourism", ("旅游", "文旅", "文化", "民宿", "体育", "冰雪")),
    (
        "livelihood",
        (
            "民生",
            "教育",
            "医疗",
            "养老",
            "就业",
            "救助",
            "社会保障",
            "学校",
            "小学",
            "医共体",
            "关爱",
            "群众",
            "惠民",
        ),
    ),
    (
        "urban_infrastructure",
        ("城区", "小区", "路网", "高铁", "机场", "道路", "住宅", "棚户区", "城乡建设", "供热", "管网"),
    ),
    ("innovation_talent", ("科技", "创新", "人才", "研发", "科学家", "孵化")),
    ("consumption_services", ("消费", "电商", "物流", "商业", "服务业", "零售", "酒店", "银发经济")),
    ("governance", ("治理", "风险", "稳定", "审议", "防灾", "应急", "安全生产", "营商环境")),
    ("opening_up", ("开放", "对接", "合作", "产业转移", "大湾区", "长三角")),
    ("industry", ("产业", "工业", "企业", "制造", "产业园", "集群", "袜", "产值", "达产")),
    ("economy", ("地区生产总值", "经济", "财政", "固定资产投资", "GDP", "增加值", "收入", "投资")),
)


def guess_category(text: str) -> tuple[str, str, bool]:
    """(category, reason, sure): the first category whose words the text holds, in the order
    above; overall where none does."""
    for category, words in CATEGORIES:
        for word in words:
            if word in text:
                return category, f"the words {word}", True
    return "overall", "no category's words", False


def guess_kind(
    text: str, roles: set[str], claim_count: int, past: bool, section_kind: str, voice: str, named: bool
) -> tuple[str, str, bool]:
    """(kind, reason, sure) by the rule of docs/data-model.md ("Target or plan, view or event")."""
    event = _EVENT.search(text)
    if section_kind == "report" and voice == "narration" and event:
        return "event", f"something the session did: {event.group()}", True
    view = _VIEW.search(text)
    if view and Role.target.value not in roles:
        return "view", f"an opinion or a resolve: {view.group()}", True
    if Role.result.value in roles or (past and Role.target.value not in roles):
        return "result", "a past year's result" + (" figure" if roles else ""), True
    if Role.target.value in roles or claim_count:
        return (
            "target",
            "a target figure" if Role.target.value in roles else "a claim a later source can check",
            True,
        )
    works = _WORKS.search(text)
    if named and works:
        return "target", f"works on a named thing: {works.group()}", True
    plan = _PLAN.search(text)
    if plan:
        return "plan", f"a direction or an effort: {plan.group()}", True
    if works:
        return "plan", f"works ({works.group()}) on nothing the tool could name", False
    return "plan", "a pledge whose completion its words do not define", False


# -- the draft -----------------------------------------------------------------------------------


@dataclass
class Draft:
    article: Item = field(default_factory=dict)
    sections: list[Item] = field(default_factory=list)
    people: list[Item] = field(default_factory=list)
    metrics: list[Item] = field(default_factory=list)
    topics: list[Item] = field(default_factory=list)
    entities: dict[str, list[Item]] = field(default_factory=dict)  # area -> new entities
    records: dict[str, list[Item]] = field(default_factory=dict)  # area -> records
    comments: dict[str, str] = field(default_factory=dict)  # record id -> why its kind and category


@dataclass
class _Context:
    year: int | None = None
    explicit_at: int = -1
    past: bool | None = None


class Composer:
    def __init__(self, page: pages.Page, lex: Lexicon, article_id: str, date: str) -> None:
        self.page, self.lex, self.article_id = page, lex, article_id
        self.date = date
        self.year = int(date[:4])
        self.month = int(date[5:7]) if len(date) >= 7 else 1
        self.draft = Draft()
        self.people_ids: dict[str, str] = {}
        self.proposed_metrics: dict[tuple[str, str], str] = {}
        self.entity_ids: dict[str, str] = {}  # proposed entity zh -> id
        # pledge -> the results its followers in this draft state, by series
        self.followed: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]] = {}

    # -- people ---------------------------------------------------------------------------

    def person(self, name: str, role_zh: str, quote: str) -> str:
        if name in self.lex.people:
            return self.lex.people[name]
        if name in self.people_ids:
            return self.people_ids[name]
        ident = self.lex.take("people", slug(name))
        self.people_ids[name] = ident
        self.draft.people.append(
            {
                "id": ident,
                "zh": name,
                "pinyin": name_pinyin(name),
                "role_zh": role_zh or "记者",
                "role_en": "To be translated: the role as stated",
                "article": self.article_id,
                "quote": quote,
                "review": [
                    {"field": "role_en", "why": f"proposed person {name}: give the role in English"},
                    {
                        "field": "pinyin",
                        "why": "check the pinyin of the name (surnames read differently: 仇 Qiu)",
                    },
                ],
            }
        )
        return ident

    # -- areas ------------------------------------------------------------------------------

    def area_of(self, section: pages.Section) -> tuple[str, str]:
        """The area a section is about, and why."""
        counts: dict[str, int] = {}
        for weight, text in (
            (5, section.subtitle.text if section.subtitle else ""),
            (3, section.headline.text if section.headline else ""),
            (1, self.page.text(section.start, section.end)),
        ):
            rest = compact(text)
            for name, area in self.lex.areas:
                # a long name is found with one character misprinted too (辽源高薪技术产业开发区)
                pattern = "|".join(
                    [re.escape(name)]
                    + (
                        [
                            re.escape(name[:i]) + "[\u4e00-\u9fff]" + re.escape(name[i + 1 :])
                            for i in range(1, len(name))
                        ]
                        if len(name) >= 6
                        else []
                    )
                )
                n = len(re.findall(pattern, rest))
                if n:
                    counts[area] = counts.get(area, 0) + weight * n
                    rest = re.sub(pattern, "|", rest)
        if counts:
            best = max(counts.values())
            top = sorted(a for a, c in counts.items() if c == best)
            if len(top) == 1 or self.lex.city not in top:
                return top[0], f"named most ({best})"
            return self.lex.city, "named as often as others: the city"
        if self.lex.city:
            return self.lex.city, "no area named: the city"
        return self.lex.areas[0][1] if self.lex.areas else "city", "no area named"

    # -- the whole page ---------------------------------------------------------------------

    def compose(self) -> Draft:
        page = self.page
        photographers = []
        for line in page.credits:
            photographers += [self.person(n, "本报记者", line.text) for n in pages.reporters(line.text)]
        headlines = [s.headline.text for s in page.sections if s.headline]
        session = re.search(
            r"[市省县区]?[一二三四五六七八九十\d]+届人大[一二三四五六七八九十\d]+次会议", page.compact
        )
        title = (
            headlines[0] if len(headlines) == 1 else (headlines[0] + "等" if headlines else page.compact[:30])
        )
        if not _HAN_ANY.search(title):  # a headline of Latin letters and digits: no Chinese title
            title = "标题待定"
        self.draft.article = {
            "id": self.article_id,
            "title_zh": title,
            "title_en": "To be translated: the page's title",
            "title_supplied": len(headlines) != 1,
            "session_zh": session.group() if session else title,
            "session_en": "To be translated: the session",
            "publication_stated": "本报" if "本报" in page.compact else None,
            "photographers": list(dict.fromkeys(photographers)),
            "source_file": f"articles/{self.article_id}/source.txt",
            "date": self.date_block(None),
            "review": [
                {"field": "title_en", "why": "give the title in English"},
                {"field": "session_en", "why": "give the session's name in English"},
            ],
        }
        for section in page.sections:
            self.section(section)
        used = {f["metric"] for records in self.draft.records.values() for r in records for f in r["figures"]}
        self.draft.metrics = [m for m in self.draft.metrics if m["id"] in used]
        return self.draft

    def date_block(self, stated: str | None, day: tuple[int, int] | None = None) -> Item:
        precision = {4: "year", 7: "month", 10: "day"}[len(self.date)]
        iso = self.date
        if day is not None:
            import datetime

            try:
                datetime.date(self.year, *day)
            except ValueError:
                day = None
            else:
                iso, precision = f"{self.year:04d}-{day[0]:02d}-{day[1]:02d}", "day"
        block: Item = {"iso": iso, "precision": precision, "inferred": True}
        if stated:
            block = {"stated": stated, **block}
        block["note_en"] = (
            "Dated by the drafter from the date given for the page"
            + (f" and the words {stated}" if stated else "")
            + "; the year is inferred."
        )
        return block

    def section(self, section: pages.Section) -> None:
        page = self.page
        area, why_area = self.area_of(section)
        kind = section.kind
        headline = section.headline.text if section.headline else ""
        if len(compact(headline)) < 2 or not re.search(r"[\u4e00-\u9fff]", headline):
            body = page.text(section.start, section.end)
            first = re.search(r"[\u4e00-\u9fff][^，。；！？]{1,19}", body)
            if first is None:
                return  # no Chinese words to name it by, nor claims to draft
            headline = first.group()
        ident = self.lex.take("sections", f"{area}-{kind}", 40)
        interviewee = None
        name = pages.interviewee_name(section)
        if name and section.subtitle:
            role = section.subtitle.text.lstrip("—─－ ").removeprefix("访")
            role = role[: role.rfind(name)].strip()
            interviewee = self.person(name, role, section.subtitle.text)
        reporters = []
        for line in section.reporter_lines:
            reporters += [self.person(n, "本报记者", line.text) for n in pages.reporters(line.text)]
        for reporter, words in pages.newsflash_reporters(page, section):
            reporters.append(self.person(reporter, "本报记者", words))
        body = page.text(section.start, section.end)
        stated = re.search(r"[^，。“”]{0,16}(?:会议|大会)(?:召开)?期间", body)
        day = re.search(r"(\d{1,2})月(\d{1,2})日", body[:60]) if section.kind == "report" else None
        date = self.date_block(
            day.group() if day else (stated.group() if stated else None),
            (int(day.group(1)), int(day.group(2))) if day else None,
        )
        item: Item = {
            "id": ident,
            "article": self.article_id,
            "kind": kind,
            "area": area,
            "headline_zh": headline,
            "headline_en": "To be translated: the headline",
            "interviewee": interviewee,
            "reporters": list(dict.fromkeys(reporters)),
            "quote": headline,
            "date": date,
            "review": [
                {"field": "headline_en", "why": "give the headline in English"},
                {"field": "area", "why": f"guessed {area}: {why_area}"},
            ],
        }
        self.draft.sections.append(item)
        self.records(section, item)

    # -- records ----------------------------------------------------------------------------

    _news = False  # a news report: what it tells has happened unless its words look ahead

    def records(self, section: pages.Section, item: Item) -> None:
        page = self.page
        context = _Context()
        # a year its headline names is the year the section speaks of until its text says
        # otherwise (——龙山区2024年民生实事完成情况回眸)
        titles = " ".join(line.text for line in (section.headline, section.subtitle) if line is not None)
        named = [w for _, w in time_marks(titles, self.year, self.month) if w.explicit and w.carries]
        if named:
            context.year, context.past = named[-1].year, named[-1].past
        self._news = section.kind == "report" and page.text(section.start, section.start + 3) == "本报讯"
        units: list[tuple[int, int, pages.Sentence]] = []
        carry: int | None = None
        for sentence in section.sentences:
            text = page.text(sentence.start, sentence.end)
            if sentence.attribution or sentence.question:
                carry = None
                continue
            start = sentence.start + pages.speech_prefix(text)
            text = page.text(start, sentence.end)
            if not text:
                continue
            figures_here = quantities.quantities(text) or quantities.claims(text)
            short = len(text) <= 12 and "，" not in text and not figures_here
            if sentence.heading or short:
                carry = start if carry is None else carry
                continue
            if text.startswith("其中") and units and units[-1][2].voice == sentence.voice:
                last = units.pop()
                units.append((last[0], sentence.end, last[2]))
                continue
            units.append((carry if carry is not None else start, sentence.end, sentence))
            carry = None
        for start, end, sentence in units:
            self._unit = (start, end)
            for chunk_start, chunk_end in self.chunks(start, end):
                self.record(section, item, sentence, chunk_start, chunk_end, context)

    _unit = (0, 0)  # the sentence a record is cut from: an intent word carries within it

    def intent(self, at: int) -> Intent:
        """The intent of a figure at `at` of the record's text, read in its whole sentence."""
        start, end = self._unit
        intent, _ = intent_at(self.page.text(start, end), self._at - start + at)
        return intent

    def chunks(self, start: int, end: int) -> list[tuple[int, int]]:
        """A sentence split at its commas where its clauses are different claims: each with its
        own figure, or of different kinds (a target beside a plan)."""
        text = self.page.text(start, end)
        cuts = [m.start() for m in re.finditer("，", text) if not _inside_quote(text, m.start())]
        if not cuts:
            return [(start, end)]
        bounds = [0, *[c + 1 for c in cuts]]
        clauses = [(a, (cuts[i] if i < len(cuts) else len(text))) for i, a in enumerate(bounds)]
        hints = [self.hint(text[a:b]) for a, b in clauses]
        out: list[tuple[int, int]] = []
        group_start, group_hint = 0, hints[0]
        for i in range(1, len(clauses)):
            a, b = clauses[i]
            hint = hints[i]
            clause = text[a:b]
            continues = clause.startswith(
                ("增长", "同比", "增速", "下降", "较", "比", "其中", "总投资", "占")
            ) or (hint[1] and not hint[2] and not clause_starts_new(clause))
            kinds_differ = bool(group_hint[0] and hint[0] and group_hint[0] != hint[0])
            two_claims = bool((group_hint[1] or group_hint[3]) and (hint[1] or hint[3]) and not continues)
            if kinds_differ or two_claims:
                out.append((start + group_start, start + clauses[i - 1][1]))
                group_start, group_hint = a, hint
            else:
                group_hint = (
                    group_hint[0] or hint[0],
                    group_hint[1] or hint[1],
                    group_hint[2],
                    group_hint[3] or hint[3],
                )
        out.append((start + group_start, end))
        return out

    def hint(self, clause: str) -> tuple[str | None, bool, bool, bool]:
        """(kind the clause alone suggests, has a figure, has only a growth figure, names a thing
        it works on)."""
        found = quantities.quantities(clause)
        claimed = quantities.claims(clause)
        figure = bool(found or claimed)
        growth_only = bool(found) and all(q.aspect == "growth" for q in found)
        named = bool(self.known_entities(clause)) or bool(_NAMED.search(clause))
        works = bool(_WORKS.search(clause))
        if figure:
            return "target", True, growth_only, named and works
        if named and works:
            return "target", False, False, True
        if _PLAN.search(clause):
            return "plan", False, False, False
        return None, False, False, False

    def known_entities(self, text: str) -> list[str]:
        found: list[str] = []
        rest = text
        for name, ident in self.lex.entities:
            if name in rest:
                found.append(ident)
                rest = rest.replace(name, "|" * len(name))
        return list(dict.fromkeys(found))

    def record(
        self,
        section: pages.Section,
        item: Item,
        sentence: pages.Sentence,
        start: int,
        end: int,
        context: _Context,
    ) -> None:
        page = self.page
        text = page.text(start, end)
        self._at = start
        # time: the marks before each figure decide its year; the last one carries on
        marks = time_marks(text, self.year, self.month)
        figures: list[Item] = []
        roles: set[str] = set()
        found = quantities.quantities(text)
        claimed = quantities.claims(text)
        threshold_only = [q for q in found if q.aspect == "threshold-only"]
        values = [q for q in found if q.aspect != "threshold-only"]
        previous_phrase: str | None = None
        entries: list[tuple[int, Item]] = []
        ends = sorted((q.end, q.start) for q in found)
        for q in values:
            when = self.when(marks, q.number, context, text)
            floor = max([e for e, _ in ends if e <= q.start] or [0])
            if not re.search(r"[\u4e00-\u9fff]", text[floor : q.start].strip("和及与、，")):
                # 分别增长18%和21.5%: the words before the first figure state the second too
                floor = max([s for e, s in ends if e <= q.start] or [0])
            for stated_start, words in self.subjects(
                text, q.start, q.number, multi=q.unit == "名", floor=floor
            ):
                fig, phrase = self.figure_of(text, q, words, when, previous_phrase, stated_start)
                previous_phrase = phrase or previous_phrase
                entries.append((q.number, fig))
        for c in claimed:
            when = self.when(marks, c.start, context, text)
            multi = c.claim in (Claim.lead, Claim.front_rank, Claim.new_high)
            for stated_start, words in self.subjects(text, max(0, c.start), c.start, multi=multi, claim=True):
                fig = self.claim_of(text, c, words, when, stated_start, threshold_only)
                entries.append((c.start, fig))
        entries.sort(key=lambda e: e[0])
        counted: Item | None = None
        for at, fig in entries:
            clause = text[max(text.rfind(ch, 0, at) for ch in "，；：") + 1 : at]
            inherits = counted is not None and fig.get("threshold") is None and clause.startswith("其中")
            if inherits and counted and fig.get("unit") and _base_unit(fig) == _base_unit(counted):
                fig["threshold"] = counted.get("threshold")  # of those (其中新开工…): the same size
            if fig.get("value") is not None and _base_unit(fig) == "count":
                counted = fig
            figures.append(fig)
            roles.add(fig["role"])
        carrying = [w for _, w in marks if w.carries]
        if carrying:
            context.year, context.past = carrying[-1].year, carrying[-1].past
        record_when = self.when(marks, 0, context, text) if not figures else None
        year = (
            figures[0]["year"]
            if figures
            else (record_when.year if record_when and record_when.year else self.year)
        )
        past = (year < self.year) if figures else bool(record_when and record_when.past)
        explicit = any(w.explicit for _, w in marks)
        entities = self.known_entities(text)
        area = item["area"]
        proposed = self.propose_entities(text, start, end, area)
        entities += [e for e in proposed if e not in entities]
        named = bool(entities) or bool(_NAMED.search(text))
        kind, why_kind, sure_kind = guess_kind(
            text, roles, sum(1 for f in figures if f.get("claim")), past, section.kind, sentence.voice, named
        )
        if kind == "result":
            for fig in figures:
                if fig["role"] == Role.target.value:
                    fig["role"] = Role.result.value
        if kind in ("target", "plan"):
            for fig in figures:
                if fig["role"] == Role.result.value:
                    fig["role"] = Role.target.value
        quote = page.verbatim(start, end)
        untyped = [f["stated"] for f in figures if not _valid(f, quote)]
        figures = [f for f in figures if _valid(f, quote)]
        metric_words = " ".join(self.lex.metric_zh.get(f["metric"], "") for f in figures)
        category, why_category, sure_category = guess_category(metric_words + text)
        slug_part = figures[0]["metric"] if figures else (entities[0] if entities else kind)
        ident = self.lex.take("records", f"{area}-{year}-{slug_part}", 40)
        voice = sentence.voice
        speaker = self.speaker(sentence, section)
        if voice in ("direct", "indirect") and speaker is None:
            voice = "narration"
        if voice in ("narration", "document"):
            speaker = None
        zh = text if text[-1:] in "。！？”" else text + "。"
        if not re.search(r"[\u4e00-\u9fff]", text) or len(compact(quote)) < 2:
            return  # no words to make a claim of
        review = [{"field": "en", "why": "give the record in English"}]
        review += [
            {"field": "figures", "why": f"a number the tool could not type: {words}"} for words in untyped
        ]
        if not sure_kind:
            review.append({"field": "kind", "why": f"guessed {kind}: {why_kind}"})
        if not sure_category:
            review.append({"field": "category", "why": f"guessed {category}: {why_category}"})
        record: Item = {
            "id": ident,
            "section": item["id"],
            "area": area,
            "kind": kind,
            "category": category,
            "year": year,
            # As validation reads it: a year the quote prints is not inferred (2023梅花鹿…大会).
            "year_inferred": not explicit and not prints_year(quote, year),
            "zh": zh,
            "en": self.english(figures),
            "quote": quote,
            "voice": voice,
            "speaker": speaker,
            "entities": entities,
            "follows": self.follows(area, figures, ident),
            "review": review,
            "figures": figures,
        }
        self.draft.records.setdefault(area, []).append(record)
        self.draft.comments[ident] = f"kind {kind}: {why_kind}; category {category}: {why_category}"

    def speaker(self, sentence: pages.Sentence, section: pages.Section) -> str | None:
        if sentence.speaker is None:
            return None
        if sentence.speaker in self.lex.people or sentence.speaker in self.people_ids:
            return self.person(sentence.speaker, "", "")
        text = self.page.text(section.start, section.end)
        found = re.search(
            r"("
            + "|".join(pages.TITLES)
            + r")"
            + re.escape(sentence.speaker)
            + r"(?:"
            + "|".join(pages.SPEECH)
            + ")",
            text,
        )
        if found is None:
            return None
        return self.person(sentence.speaker, found.group(1), found.group())

    def subjects(
        self, text: str, stated_start: int, number: int, multi: bool, claim: bool = False, floor: int = 0
    ) -> list[tuple[int, str]]:
        """The words before a figure that name what it measures, from its clause's start (or the
        figure before it in the clause); for a rank or a claim over a list (固定资产投资、规上工业
        总产值总量全市第一), one per item."""
        cut = max(text.rfind(ch, 0, number) for ch in "，；：。")
        head_start = max(cut + 1, floor)
        while head_start < number and text[head_start] in "、，和及与":
            head_start += 1
        words = text[head_start:number]
        start = min(stated_start, head_start)
        if not multi or "、" not in words:
            return [(start, words)]
        parts = words.split("、")
        if len(parts) < 2 or not all(self.metricish(p) for p in parts[:-1]):
            return [(start, words)]
        # what the last item says after its name is said of every item (…等指标增速, …总量)
        last = parts[-1]
        phrase, _ = metric_phrase(last, self.lex)
        tail = last[last.find(phrase) + len(phrase) :] if phrase and phrase in last else ""
        tail = re.sub(r"^等(指标)?", "", tail)
        items = []
        at = head_start
        for part in parts:
            items.append((at, part if part == last else part + tail))
            at += len(part) + 1
        return items

    def metricish(self, words: str) -> bool:
        _, whole = metric_phrase(words, self.lex)
        return whole or bool(re.search(r"(率|额|值|投资|收入|总量|产值|总额)$", words))

    def when(self, marks: list[tuple[int, When]], at: int, context: _Context, text: str) -> When:
        before = [w for pos, w in marks if pos <= at]
        if before:
            return before[-1]
        if context.year is not None:
            if context.past and self._ahead(text):
                # 去年… then 今年将…/力争全年…: a past year said before does not carry into words
                # that look ahead; they speak of the page's own year.
                return When(self.year, False, False)
            return When(context.year, False, context.past)
        return When(None, False, None)

    @staticmethod
    def _ahead(text: str) -> bool:
        """Words that plainly look ahead (将, 力争, not 要 of 主要) and none that look back; a
        goal named in quotation marks (完成年初确定的“确保增长30%”目标) is not the words' own."""
        words = _NAMED_GOAL.sub("", text)
        return bool(_AHEAD.search(words)) and not any(w in words for w in _PAST_WORDS)

    def role_year(self, when: When, text: str, attribute: bool) -> tuple[str, int, bool, str | None]:
        """(role, year, year inferred, doubt) of a figure from the time its words speak of."""
        doubt = None
        year = when.year
        if year is None:
            future = any(w in text for w in _FUTURE_WORDS)
            past = (any(w in text for w in _PAST_WORDS) or self._news) and not future
            year = self.year - 1 if past and self.month <= 3 else self.year
            role = Role.result.value if past else Role.target.value
            doubt = f"no year stated: read as {year} ({'past' if past else 'ahead'})"
        elif year < self.year:
            role = Role.result.value
        elif year > self.year:
            role = Role.target.value
        elif when.past:
            role = Role.result.value
        elif self.month <= 3:
            role = (
                Role.result.value if any(w in text for w in ("同比", "累计", "已经")) else Role.target.value
            )
        else:
            future = any(w in text for w in _FUTURE_WORDS)
            role = Role.target.value if future else Role.result.value
        if attribute:
            role = Role.attribute.value
        return role, year, not when.explicit, doubt

    def figure_of(
        self,
        text: str,
        q: quantities.Quantity,
        words: str,
        when: When,
        previous: str | None,
        stated_start: int,
    ) -> tuple[Item, str | None]:
        role, year, inferred, doubt = self.role_year(when, text, q.attribute)
        intent = self.intent(q.number)
        aspect = q.aspect
        if aspect == "rank" and "增速" in words:
            aspect = "growth-rank"
        subject = (q.noun + " " + words) if aspect == "count" and q.noun else words
        inherits = aspect in ("growth", "rank", "growth-rank")
        metric, phrase, metric_doubt = self.metric(subject, aspect, previous if inherits else None)
        stage = quantities.stage_of(text[: q.number]) if aspect == "count" else None
        if aspect == "level" and "签约" in words:
            stage = Stage.signed
        fig: Item = {
            "metric": metric,
            "value": _number(q.value),
            "value_max": _number(q.value_max),
            "unit": q.unit,
            "year": year,
            "year_inferred": inferred,
            "role": role,
            "comparator": q.comparator.value,
            "approximate": q.approximate or None,
            "intent": intent.value,
            "stage": stage.value if stage else None,
            "threshold": _threshold(q.threshold),
            "scope": q.scope.value if q.scope else None,
            "stated": self.page.verbatim(
                *self._span(text, stated_start, q.end + (len(q.noun) if aspect == "count" else 0))
            ),
        }
        review = []
        if metric_doubt:
            review.append({"field": "metric", "why": metric_doubt})
        if doubt:
            review.append({"field": "year", "why": doubt})
        if review:
            fig["review"] = review
        return fig, phrase

    def claim_of(
        self,
        text: str,
        c: quantities.ClaimFound,
        words: str,
        when: When,
        stated_start: int,
        thresholds: list[Any],
    ) -> Item:
        role, year, inferred, doubt = self.role_year(when, text, False)
        intent = self.intent(c.start)
        aspect = {Claim.lead: "growth-rank" if "增速" in words else "rank", Claim.front_rank: "rank"}.get(
            c.claim, "level"
        )
        metric, _, metric_doubt = self.metric(words or text[: c.start], aspect, None)
        threshold = None
        for q in thresholds:
            if stated_start <= q.start < c.start:
                threshold = _threshold(q.threshold)
        start = min([stated_start] + [q.start for q in thresholds if stated_start <= q.start < c.start])
        fig: Item = {
            "metric": metric,
            "year": year,
            "year_inferred": inferred,
            "role": role,
            "intent": intent.value,
            "stage": c.stage.value if c.stage else None,
            "threshold": threshold,
            "scope": c.scope.value if c.scope else None,
            "claim": c.claim.value,
            "stated": self.page.verbatim(*self._span(text, start, c.end)),
        }
        review = []
        if metric_doubt:
            review.append({"field": "metric", "why": metric_doubt})
        if doubt:
            review.append({"field": "year", "why": doubt})
        if review:
            fig["review"] = review
        return fig

    def _span(self, text: str, start: int, end: int) -> tuple[int, int]:
        """A span of the record's text in page coordinates (the record's text is a slice of the
        page's, from `_at`)."""
        return self._at + start, self._at + end

    _at = 0

    def metric(self, words: str, aspect: str, previous: str | None) -> tuple[str, str | None, str | None]:
        """(metric id, the quantity's phrase, a doubt to review) for a figure's words and aspect:
        a metric of the knowledge base whose quantity the words name, in an aspect that fits
        (a count or a level; growth; a rank), else a proposed one."""
        phrase, whole = metric_phrase(words, self.lex)
        own = own_phrase(words)
        if previous and not whole and len(own) < 2:
            phrase, whole = previous, True  # 增长8.5% after 地区生产总值完成72亿元: its growth
        if phrase is not None:
            for fits in _FITS.get(aspect, (aspect,)):
                ident = self.lex.metrics.get((phrase, fits))
                if ident is not None:
                    doubt = None if whole else f"matched {self.lex.metric_zh[ident]} by shared words"
                    return ident, phrase, doubt
        if aspect in ("count", "level") and (own.endswith("项目") or (not own and "项目" in words)):
            counted = self.projects_metric(words)
            if counted is not None:
                return (
                    counted,
                    self.lex.metric_zh[counted],
                    f"matched {self.lex.metric_zh[counted]} as a count of projects",
                )
        name = phrase if phrase is not None and whole else (own or "未识别指标")
        if not _HAN_ANY.search(name):  # ①, ½, Ⅲ: no Chinese to name a metric by
            name = "未识别指标"
        key = (name, aspect)
        if key in self.lex.metrics:
            return self.lex.metrics[key], name, None
        if key not in self.proposed_metrics:
            zh = name + _SUFFIX_ZH.get(aspect, "")
            base_id = slug(name, 28) + _SUFFIX_ID.get(aspect, "")
            existing = self.lex.metrics.get((name, "level"))
            if existing:
                base_id = existing + _SUFFIX_ID.get(aspect, "")
            ident = self.lex.take("metrics", base_id, 40)
            topics = self.topics_for(aspect, name)
            self.draft.metrics.append(
                {
                    "id": ident,
                    "zh": zh,
                    "en": f"{name_pinyin(zh)} (to translate)",
                    "topics": topics,
                    "review": [
                        {
                            "field": "en",
                            "why": f"proposed metric {zh}: name it in English, check its id and topics",
                        }
                    ],
                }
            )
            self.proposed_metrics[key] = ident
            self.lex.metrics[key] = ident
            self.lex.metric_zh[ident] = zh
        ident = self.proposed_metrics.get(key, self.lex.metrics.get(key, ""))
        return ident, name, f"proposed metric {self.lex.metric_zh.get(ident, name)}"

    def projects_metric(self, words: str) -> str | None:
        """The knowledge base's count of projects that the words (and their stage) fit best:
        引进…项目 the attracted, 谋划储备项目 the reserved, else key projects."""
        best: tuple[float, int, str] | None = None
        for (phrase, aspect), ident in self.lex.metrics.items():
            if aspect not in ("count", "level") or not phrase.endswith("项目"):
                continue
            zh = self.lex.metric_zh.get(ident, phrase)
            shared = sum(1 for ch in set(zh) if ch in words and ch not in "项目数")
            rank = (shared, -len(phrase), ident)
            if best is None or rank > best:
                best = rank
        return best[2] if best is not None else None

    def topics_for(self, aspect: str, name: str) -> list[str]:
        wanted = {"growth": "growth", "rank": "ranking", "growth-rank": "ranking"}.get(aspect)
        topics = self.lex.topics
        if "项目" in name and "projects" in topics:
            return ["projects"]
        if wanted is not None and wanted in topics:
            return [wanted]
        if not topics:
            ident = self.lex.take("topics", "draft-metrics")
            self.draft.topics.append(
                {"id": ident, "zh": "待归类指标", "en": "Metrics to be sorted into topics"}
            )
            self.lex.topics.append(ident)
            return [ident]
        return [topics[0]]

    def english(self, figures: list[Item]) -> str:
        from liaoyuan_cli.figures import display_en

        shown = []
        for fig in figures:
            try:
                words = display_en({k: v for k, v in fig.items() if v is not None})
            except (KeyError, ValueError):
                continue
            if not re.search(r"[\u3400-\u9fff]", words):
                shown.append(words)
        return "To be translated." + (f" Figures: {'; '.join(shown)}." if shown else "")

    # -- entities ---------------------------------------------------------------------------

    _SUFFIXES = (
        ("集团", "company"),
        ("公司", "company"),
        ("产业园", "park"),
        ("工业园", "park"),
        ("园区", "park"),
        ("基地", "park"),
        ("示范区", "park"),
        ("项目", "project"),
    )
    # The last of these words before a name ends what comes before it (全力推进天楹集团: 天楹集团).
    _BAD_HEAD = re.compile(
        r"^.*(推进|推动|加快|实施|建设|支持|鼓励|引进|打造|构建|完成|开工|启动|谋划|建成|投产|新建|扩建|全力|积极|大力|"
        r"有序|重点|围绕|依托|发挥|提升|提高|用好|做强|申报|落地|服务|加强|坚持|做好|全面|持续|发力|力争|聚力|助力|更多|"
        r"与|和|及|、|的|以|在|对|为|把|将|让|等|了|是|由|向|从|上|年度|一批|其中)"
    )
    # Words a name made only of is no name (产业配套园区, 现代产业体系示范区, 省级园区).
    _GENERIC = frozenset(
        " ".join(
            (
                "产业 配套 现代 综合 重点 特色 新兴 传统 体系 省级 国家级 市级 县级 集中 开工 项目 园区 示范",
                "零碳 绿色 智能 数字 高新 科技 创新 服务 基础 设施 民生 招商 储备 各类 相关 这些 该 本 新 大",
            )
        ).split(" ")
    )

    def propose_entities(self, text: str, start: int, end: int, area: str) -> list[str]:
        out: list[str] = []
        for suffix, kind in self._SUFFIXES:
            for m in re.finditer(r"[\u4e00-\u9fffA-Za-z“”]{2,24}?" + suffix, text):
                name = self._BAD_HEAD.sub("", m.group())
                name = name.strip("“”")
                if len(name) < len(suffix) + 2 or len(name) > 18:
                    continue
                head = name[: -len(suffix)]
                if head.endswith(("以上", "以下", "级")) or not re.sub(
                    "|".join(sorted(self._GENERIC, key=len, reverse=True)), "", head
                ):
                    continue
                if re.search(r"[一二三四五六七八九十两几多个]", name[:1]) or name[: -len(suffix)] in (
                    "重点",
                    "产业",
                    "民生",
                    "该",
                    "本",
                    "这些",
                    "各类",
                    "项目",
                    "储备",
                    "招商",
                ):
                    continue
                if any(name in n or n in name for n, _ in self.lex.entities if len(n) >= len(name) - 1):
                    continue
                if name in self.entity_ids:
                    out.append(self.entity_ids[name])
                    continue
                if fold(name) in self.lex.entity_names:
                    continue
                ident = self.lex.take("entities", slug(name, 40))
                pinyin = name_pinyin(name)
                en = f"{pinyin} (to translate)"
                folded = {fold(ident), fold(name), fold(pinyin), fold(en)}
                if folded & self.lex.entity_names:
                    continue
                self.lex.entity_names |= folded
                self.entity_ids[name] = ident
                self.draft.entities.setdefault(area, []).append(
                    {
                        "id": ident,
                        "kind": kind,
                        "zh": name,
                        "en": en,
                        "pinyin": pinyin,
                        "article": self.article_id,
                        "quote": self.page.verbatim(start, end),
                        "review": [
                            {
                                "field": "en",
                                "why": f"proposed {kind} {name}: name it in English, check its kind and id",
                            }
                        ],
                    }
                )
                out.append(ident)
        return out

    # -- follows ----------------------------------------------------------------------------

    def adopt(self, area: str, fig: Item) -> None:
        """A result whose metric the tool was unsure of takes the metric of the one earlier pledge
        of its area with the same year, size threshold, stage and kind of unit, if there is one."""
        wanted = (fig["year"], tracking.threshold(fig), fig.get("stage"), _base_unit(fig))
        found = {
            t.figure["metric"]
            for t in self.lex.targets
            if t.area == area
            and t.date
            and t.date < self.date
            and (t.figure["year"], tracking.threshold(t.figure), t.figure.get("stage"), _base_unit(t.figure))
            == wanted
        }
        if len(found) == 1:
            metric = found.pop()
            fig["metric"] = metric
            fig["review"] = [r for r in fig.get("review", ()) if r["field"] != "metric"] + [
                {"field": "metric", "why": f"took {metric} from the earlier pledge of the same series"}
            ]

    def follows(self, area: str, figures: list[Item], ident: str) -> list[str]:
        """Earlier pledges of the area whose target figures share a series with this record's
        results: `lycli track` then computes the verdict. A pledge's followers state one result
        per series in this article (validation refuses two), so a record whose results would
        contradict another follower's, or its own, does not follow."""
        results = [f for f in figures if f["role"] == Role.result.value and f.get("value") is not None]
        for fig in results:
            if any(r["field"] == "metric" for r in fig.get("review", ())):
                self.adopt(area, fig)
        said: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for fig in results:
            key = tracking.series({k: v for k, v in fig.items() if v is not None})
            result = (fig["value"], fig["unit"], fig.get("comparator", "exact"))
            if said.setdefault(key, result) != result:
                return []  # two results of one series: which reports on a pledge is a person's call
        out: list[str] = []
        for target in self.lex.targets:
            if target.area != area or not target.date or target.date >= self.date:
                continue
            if tracking.series(target.figure) not in said or target.record in out:
                continue
            known = self.followed.setdefault(target.record, {})
            if any(known.get(series, result) != result for series, result in said.items()):
                continue
            known.update(said)
            out.append(target.record)
        return out


def _base_unit(fig: Item) -> str | None:
    from liaoyuan_cli.vocab import unit_of

    read = unit_of(fig["unit"]) if fig.get("unit") else None
    return read.base if read else None


def _valid(fig: Item, quote: str) -> bool:
    """Whether a figure passes what validation asks of it (its words stand in the quote and print
    its value; its threshold likewise): a last guard, so that a draft is always valid."""
    from liaoyuan_cli.numerals import states_number
    from liaoyuan_cli.vocab import DECLINE, unit_of

    stated = compact(fig["stated"])
    if not re.search(r"[\u3400-\u9fff]", stated) or stated not in compact(quote):
        return False
    if fig.get("unit") is not None and unit_of(fig["unit"]) is None:
        return False
    declined = any(word in stated for word in DECLINE)
    for key in ("value", "value_max"):
        value = fig.get(key)
        if value is None:
            continue
        if not (
            states_number(stated, value, fig["unit"])
            or (declined and states_number(stated, -value, fig["unit"]))
        ):
            return False
    if fig.get("value") is None and not fig.get("claim"):
        return False
    th = fig.get("threshold")
    if th:
        words = compact(th["stated"])
        implicit = th["value"] == 1 and words.startswith(th["unit"])
        if words not in compact(quote) or not (implicit or states_number(words, th["value"], th["unit"])):
            return False
    return True


def _inside_quote(text: str, at: int) -> bool:
    return text.count("“", 0, at) > text.count("”", 0, at)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _threshold(th: dict[str, Any] | None) -> Item | None:
    if not th:
        return None
    return {
        "value": _number(th["value"]),
        "unit": th["unit"],
        "comparator": th["comparator"],
        "stated": th["stated"],
    }
