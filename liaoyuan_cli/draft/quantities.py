"""Every number of a sentence, typed as the data model types it, or deliberately left alone.

A number is a figure when a unit or measure word follows it (72亿元, 86个, 8.5%), or it is a
rank (全市第一, 位列全省第十名, 前三), a percent in words (百分之十二) or a doubling (翻一番).
Dates (1月9日, 2024年), plan names (十四五), ordinals of bodies and sessions (第九届, 三次会议),
slogans and enumerations (五个新突破, 两个优势产业 after two named industries, 一老一小) and
names with numbers (2号线, 5G) are not. Units, comparators, intents, stages and claims are read
from liaoyuan_cli.vocab, never from a copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from liaoyuan_cli.numerals import Printed, numbers
from liaoyuan_cli.vocab import (
    APPROXIMATE_AFTER,
    APPROXIMATE_BEFORE,
    CLAIM_WORDS,
    COMPARATOR_AFTER,
    COMPARATOR_BEFORE,
    DECLINE,
    INTENT_WORDS,
    SCOPE_WORDS,
    STAGE_WORDS,
    BaseUnit,
    Claim,
    Comparator,
    Intent,
    Scope,
    Stage,
    Unit,
    unit_of,
)

# Units longest first, so that 个百分点 wins over 个 and 平方公里 over 公里.
UNITS = sorted((u.value for u in Unit), key=len, reverse=True)
_RANGE = ("—", "－", "-", "–", "~", "～", "至", "到")
# Nouns after a small Chinese count that make it a slogan or an outline, not a figure
# (三个显著跃升, 四项重点工作, 在四个方面, 两个优势产业).
_ABSTRACT = (
    "方面",
    "工作",
    "任务",
    "目标",
    "突破",
    "跃升",
    "转变",
    "重点",
    "举措",
    "行动",
    "战略",
    "体系",
    "主线",
    "核心",
    "文章",
    "时期",
    "环节",
    "关键",
    "优势",
    "问题",
    "领域",
    "理念",
    "机遇",
    "产业",
    "板块",
    "定位",
    "格局",
    "路径",
    "篇章",
    "短板",
    "底线",
    "原则",
    "精神",
    "意识",
    "能力",
    "作风",
    "功夫",
    "机制",
    "集群",
)
# Idioms with numbers and measure words in them.
_IDIOMS = ("一成不变", "三番五次", "千方百计", "一张蓝图", "一以贯之", "百倍", "万众一心", "一批又一批")
# Words before a rank (位列全省第十, 排名全市第一) or a size that describes (总投资64亿元).
_RANK_CONTEXT = ("位列", "排名", "位居", "名列", "列", "居", "位", "排", "跻身", "进入", "保持")
_ATTRIBUTE_BEFORE = (
    "计划总投资",
    "总投资",
    "投资总额",
    "总规模",
    "占地面积",
    "建筑面积",
    "总面积",
    "占地",
    "总长",
    "全长",
    "年产",
    "设计产能",
)
# Durations are figures only where something is cut to them (审批时限压缩至3天).
_DURATIONS = {
    Unit.day.value,
    Unit.hour.value,
    Unit.month.value,
    Unit.working_day.value,
    Unit.working_day_bare.value,
}


@dataclass
class Quantity:
    """A figure found in a sentence, in the sentence's coordinates."""

    start: int  # where its stated words start
    end: int  # and end
    number: int  # where the number is printed
    value: Decimal | None
    unit: str | None
    value_max: Decimal | None = None
    comparator: Comparator = Comparator.exact
    approximate: bool = False
    claim: Claim | None = None
    scope: Scope | None = None
    stage: Stage | None = None
    threshold: dict[str, Any] | None = None
    attribute: bool = False
    subject: str = ""  # the words before it that may name what it measures
    noun: str = ""  # for a count, the noun after its measure word (34个重点项目)
    aspect: str = "level"  # level, growth, rank, count, growth-rank
    intent: Intent = Intent.plain
    reasons: list[str] = field(default_factory=list)


def _ends_with(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if text.endswith(w)), None)


def _starts_with(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if text.startswith(w)), None)


def _unit_at(text: str, at: int) -> str | None:
    return next((u for u in UNITS if text.startswith(u, at)), None)


def _in_short_quote(text: str, at: int) -> bool:
    """Whether position `at` stands inside a short quotation (“五个新突破”): a slogan."""
    opened = text.rfind("“", 0, at)
    if opened < 0 or text.rfind("”", 0, at) > opened:
        return False
    closed = text.find("”", at)
    return closed >= 0 and closed - opened <= 16


def _in_title(text: str, at: int) -> bool:
    """Whether position `at` stands inside a title in 《》 (a title cut off by the sentence's end
    counts): 《促进消费十条措施》 names a document, it does not count measures."""
    opened = text.rfind("《", 0, at)
    return opened >= 0 and text.rfind("》", 0, at) < opened


def _listed_before(text: str, at: int) -> int:
    """How many items a list just before `at` names (新能源、新材料、新旅游、新电商四个…: 4),
    0 where the list says it is not all (…等10个) or there is none."""
    start = max(text.rfind(ch, 0, at) for ch in "，；：。")
    head = text[start + 1 : at]
    if head.endswith("等") or "等" in head[-3:]:
        return 0
    head = re.sub(
        r"^(突出抓好|抓好|打造|培育|推动|发展|做强|实施|形成|坚持|聚焦|围绕|锚定|紧盯|升级|建设)", "", head
    )
    items = [i for i in re.split(r"[、]|和|及|与", head) if i]
    return len(items) if len(items) >= 2 else 0


def _noun_after(text: str, at: int) -> str:
    """The noun a count counts, printed after its measure word: 34个重点项目建设 -> 重点项目."""
    found = re.match(r"[\u4e00-\u9fff“”]{1,10}", text[at:])
    noun = found.group() if found else ""
    return re.split(r"[，。、；“”的]|建设|落地|开工|投产|以上|以内|以下|左右", noun)[0]


def quantities(text: str) -> list[Quantity]:
    """Every figure with a value in `text` (one sentence), before context decides year, role and
    intent; thresholds are attached to the counts they qualify."""
    found: list[Quantity] = []
    tokens = numbers(text)
    used: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.start in used:
            continue
        q = _quantity(text, tok, tokens[i + 1 :])
        if q is None:
            continue
        if q.value_max is not None:
            used.update(t.start for t in tokens[i + 1 :] if t.start < q.end)
        found.append(q)
    return _thresholds(text, found)


def _time_like(text: str, tok: Printed) -> bool:
    """Dates, years and periods: 2024年, 1月9日, 1—11月, 2023梅花鹿…大会."""
    after = text[tok.stop : tok.stop + 2]
    if after[:1] in ("月", "日", "号", "时") or after.startswith(("季度", "周年", "世纪", "年代")):
        return True
    whole = not tok.chinese and tok.value == tok.value.to_integral_value()
    if whole and 1900 <= tok.value <= 2100 and not _unit_at(text, tok.stop):
        return True
    if after[:1] == "年" and not text.startswith("年产", tok.stop):
        return True
    return after[:1] in _RANGE and bool(re.match(r"\d{1,2}月", text[tok.stop + 1 : tok.stop + 4]))


def _quantity(text: str, tok: Printed, rest: list[Printed]) -> Quantity | None:
    start, stop = tok.start, tok.stop
    before = text[:start]
    if re.search(r"[A-Za-z]$", before) or re.match(r"[A-Za-z.]", text[stop : stop + 1]):
        return None  # 5G, PPE, 6S店
    if _time_like(text, tok):
        return None
    if any(text.find(idiom) <= start < text.find(idiom) + len(idiom) for idiom in _IDIOMS if idiom in text):
        return None
    value = tok.value
    unit: str | None = None
    q_end = stop
    comparator, approximate = Comparator.exact, False
    aspect = "level"
    # A rank: 第十名, 全市第一, 位列全省第十, 前三
    if before.endswith("第") or (before.endswith("前") and tok.chinese is not None):
        ordinal = before.endswith("第")
        tail = text[stop : stop + 2]
        window = before[-10:-1]
        scoped = any(w in window for words in SCOPE_WORDS.values() for w in words)
        ranked = any(w in window for w in _RANK_CONTEXT)
        if tail[:1] in ("名", "位") and not re.match(r"[\u4e00-\u9fff]", text[stop + 1 : stop + 2] or "，"):
            q_end = stop + 1
        elif tail[:1] and re.match(r"[\u4e00-\u9fff]", tail[:1]) and tail[:1] not in "，。；、名位":
            return None  # 第九届, 第二期, 前三季度, 第一时间
        if not (scoped or ranked or q_end > stop):
            return None
        q = Quantity(start - 1, q_end, start, value, Unit.rank.value, aspect="rank")
        if not ordinal:
            q.comparator = Comparator.at_most
        q.scope = _scope_in(before[-10:])
        if q.scope is not None:
            scope_word = next(w for w in SCOPE_WORDS[q.scope] if w in before[-10:])
            q.start = before.rfind(scope_word)
        q.subject = before
        return q
    if before.endswith("百分之"):
        q = Quantity(start - 3, stop, start, value, Unit.percent.value)
        return _finish(text, q, tok, rest)
    if before.endswith(("翻", "翻了")) and text.startswith("番", stop):
        q = Quantity(start - (1 if before.endswith("翻") else 2), stop + 1, start, value, Unit.fan.value)
        q.aspect = "growth"
        return q
    # the measure word, with 余/多 (more than) between the number and it
    at = stop
    if text[at : at + 1] in ("余", "多") and _unit_at(text, at + 1):
        comparator = Comparator.more_than
        at += 1
    word = _unit_at(text, at)
    if word is None:
        return _range_without_unit(text, tok, rest)
    if word in (Unit.fan.value,) or (word == Unit.bei.value and tok.chinese and tok.value >= 100):
        return None
    if word == Unit.cheng.value and re.match(r"[为功立果本长熟交都效片型]", text[at + 1 : at + 2]):
        return None  # 成为, 成效: not 成 as tenths
    if word == "次" and (
        text.startswith(("会", "全会", "党代会", "大会", "常委会"), at + 1) or "届" in before[-4:]
    ):
        return None  # 三次会议, 八届五次全会
    if word in _DURATIONS and not re.search(r"(压缩|缩短|控制|减少|提速|提前)(至|到|在)?$", before):
        return None
    if tok.chinese and tok.value == 1 and not tok.scale and word not in (Unit.cheng, Unit.bei, Unit.rank):
        return None  # 一个时期, 一批, 一条主线: an article, not a count
    if tok.chinese and (before.endswith(("数", "几", "上")) or text.startswith("位数", at)):
        return None  # 数十个, 上百家: no number; 两位数增长: digits, not people
    unit = (tok.scale + word) if tok.scale else word
    q_end = at + len(word)
    if tok.chinese and tok.start == tok.end and tok.scale:  # 万台: ten thousand, a round number
        value, unit, approximate = tok.scaled, word, True
    q = Quantity(start, q_end, start, value, unit, comparator=comparator, approximate=approximate)
    read = unit_of(unit)
    if read is not None and read.base == BaseUnit.counted:
        q.noun = _noun_after(text, q_end)
        if not tok.scale and tok.chinese and tok.value <= 10:
            listed = _listed_before(text, start)
            if listed == int(tok.value) or _abstract(q.noun):
                return None  # 两个优势产业 after two named ones; 四项重点工作
        aspect = "count"
    if _in_short_quote(text, start) or _in_title(text, start):
        return None  # “五个新突破”, “确保增长30%”, 《…十条措施》: a slogan, a pledge named, a title
    q.aspect = aspect
    return _finish(text, q, tok, rest)


_CONCRETE = (
    "项目",
    "园",
    "区",
    "企业",
    "公司",
    "基地",
    "中心",
    "学校",
    "医院",
    "工厂",
    "小区",
    "村",
    "镇",
    "站",
    "馆",
    "路",
)


def _abstract(noun: str) -> bool:
    """An outline's noun (四项重点工作, 在四个方面持续发力, 三个显著跃升), not a thing counted
    (十个重点项目, 两个产业园)."""
    for word in _ABSTRACT:
        if noun.endswith(word):
            return True
        if noun.startswith(word) and not noun[len(word) :].startswith(_CONCRETE):
            return True
    return False


def _range_without_unit(text: str, tok: Printed, rest: list[Printed]) -> Quantity | None:
    """3至5户, 10—15个, 3亿—5亿元: a range whose unit follows its upper end."""
    nxt = rest[0] if rest else None
    if nxt is None or (tok.scale and tok.scale != nxt.scale):
        return None
    between = text[tok.stop : nxt.start]
    if between not in _RANGE:
        return None
    if _time_like(text, nxt):
        return None
    upper = _quantity(text, nxt, rest[1:])
    if upper is None or upper.unit is None or upper.value is None or upper.value <= tok.value:
        return None
    upper.start, upper.number = tok.start, tok.start
    upper.value_max, upper.value = upper.value, tok.value
    return upper


def _finish(text: str, q: Quantity, tok: Printed, rest: list[Printed]) -> Quantity:
    """Comparator and approximation words around the number, a range, a decline, a size."""
    before = text[: q.start]
    lead = before
    for joint in ("了", "达", "到", "达到"):
        if lead.endswith(joint) and not _ends_with(
            lead, tuple(w for ws in COMPARATOR_BEFORE.values() for w in ws)
        ):
            lead = lead[: -len(joint)]
    signals = sorted(((w, c) for c, ws in COMPARATOR_BEFORE.items() for w in ws), key=lambda wc: -len(wc[0]))
    for word, comparator in signals:
        if not lead.endswith(word):
            continue
        if word == "近" and lead.endswith(("最近", "附近", "临近", "就近")):
            break
        q.comparator = comparator
        q.start = len(lead) - len(word)
        break
    approx = _ends_with(lead, APPROXIMATE_BEFORE)
    if approx == "约" and lead[-2:-1] in tuple("签制节公条合预契履邀"):
        approx = None  # 新签约, 制约: not 约 as about
    if approx:
        q.approximate = True
        q.start = min(q.start, len(lead) - len(approx))
    after = text[q.end :]
    # a range: 10%—15%, 3亿—5亿元
    if after[:1] in _RANGE and rest and rest[0].start == q.end + 1 and q.unit is not None:
        upper = rest[0]
        uword = _unit_at(text, upper.stop)
        if (
            uword is not None
            and (upper.scale + uword) == q.unit
            and q.value is not None
            and upper.value > q.value
        ):
            q.value_max = upper.value
            q.end = upper.stop + len(uword)
            after = text[q.end :]
    for comparator, words in COMPARATOR_AFTER.items():
        signal = _starts_with(after, words)
        if signal is None:
            continue
        word = signal
        if comparator != Comparator.more_than:
            q.comparator = comparator
            q.end += len(word)
            break
        if comparator == Comparator.more_than and q.comparator == Comparator.exact:
            nxt = after[len(word) : len(word) + 1]
            if not re.match(r"[\u4e00-\u9fff]", nxt) or nxt in "，。；":
                q.comparator = comparator
                q.end += len(word)
                break
    approx = _starts_with(text[q.end :], APPROXIMATE_AFTER)
    if approx:
        q.approximate = True
        q.end += len(approx)
    if q.noun:
        q.noun = _noun_after(text, q.end)
    decline = _ends_with(before[-6:], DECLINE) or _ends_with(before[-8:].removesuffix("了"), DECLINE)
    if decline and q.value is not None:
        q.value = -q.value
        if q.value_max is not None:
            q.value, q.value_max = -q.value_max, q.value
        q.start = min(q.start, before.rfind(decline))
    if q.unit is not None:
        read = unit_of(q.unit)
        money_or_size = read is not None and read.base not in (
            BaseUnit.percent,
            BaseUnit.counted,
            BaseUnit.rank,
        )
        before = text[: q.start]
        if _ends_with(before[-8:].rstrip("约达为了"), _ATTRIBUTE_BEFORE) or (
            money_or_size
            and text[q.end : q.end + 1] == "的"
            and read is not None
            and read.base != BaseUnit.percentage_point
        ):
            q.attribute = True
            size = _ends_with(before.rstrip("约达为了"), _ATTRIBUTE_BEFORE)
            if size:
                q.start = min(q.start, before.rstrip("约达为了").rfind(size))
        if q.approximate and tok.chinese and tok.start == tok.end:
            q.attribute = True  # 万台林机: the size of a fleet, stated round
        if read is not None and read.base in (BaseUnit.percent, BaseUnit.percentage_point):
            near = text[max(0, tok.start - 8) : tok.start]
            change = re.search(
                r"(增长|增速|增幅|提高|提升|上升|下降|减少|回落|增加|降低|加快|回升|涨幅)(?!到|至|为)", near
            )
            if change:
                q.aspect = "growth"  # 增长8.5%, 提高2个百分点; not 提高到七成
    return q


def _scope_in(text: str) -> Scope | None:
    found = [(text.rfind(w), scope) for scope, words in SCOPE_WORDS.items() for w in words if w in text]
    return max(found)[1] if found else None


def _thresholds(text: str, found: list[Quantity]) -> list[Quantity]:
    """A size followed by 以上/以下 and a noun (500万元以上重点项目86个, 亿元以上项目不低于5个)
    is the threshold of the count after it in its clause, not a figure of its own."""
    kept = list(found)
    for q in found:
        if text.startswith("级", q.end) and q.comparator == Comparator.exact:
            q.comparator, q.end = Comparator.at_least, q.end + 1  # 亿元级项目: of a hundred million or more
        if q.comparator == Comparator.exact or q.unit is None:
            continue
        if q.value is None or q.value <= 0:
            continue
        nxt = text[q.end : q.end + 1]
        if not re.match(r"[\u4e00-\u9fff\d]", nxt or "，"):
            continue
        read = unit_of(q.unit)
        if read is None or read.base in (BaseUnit.counted, BaseUnit.rank, BaseUnit.percent):
            continue
        clause_end = min([p for p in (text.find(ch, q.end) for ch in "，。；") if p >= 0] or [len(text)])
        after = [
            c for c in found if c is not q and q.end <= c.number < clause_end and c.comparator is not None
        ]
        counts = [c for c in after if c.aspect == "count"] or [c for c in after if c.unit != q.unit]
        stated = text[q.start : q.end]
        value = q.value
        threshold = {"value": value, "unit": q.unit, "comparator": q.comparator.value, "stated": stated}
        if counts:
            counts[0].threshold = threshold
            counts[0].start = min(counts[0].start, q.start)
        elif q.comparator in (Comparator.at_least, Comparator.at_most):
            q.threshold = threshold  # kept for a claim after it (…以上重点项目如期开工)
            q.aspect = "threshold-only"
            continue
        else:
            continue  # 突破百亿元大关: a figure of its own
        kept.remove(q)
    return kept


# -- claims without a number -----------------------------------------------------------------


@dataclass
class ClaimFound:
    start: int
    end: int
    claim: Claim
    scope: Scope | None
    stage: Stage | None


def claims(text: str) -> list[ClaimFound]:
    """领跑全市, 位居全省前列, 再创新高, 粮食增产, 如期开工: claims a person can check later."""
    out: list[ClaimFound] = []
    for claim, words in CLAIM_WORDS.items():
        for word in words:
            for match in re.finditer(re.escape(word), text):
                start, end = match.start(), match.end()
                if any(c.start <= start < c.end for c in out):
                    continue
                scope = None
                if claim == Claim.lead:
                    scope = _scope_in(text[end : end + 2])
                    if scope is None:
                        continue
                    end += 2
                elif claim == Claim.front_rank:
                    scope = _scope_in(text[max(0, start - 2) : start])
                    if scope is None:
                        continue
                elif claim == Claim.on_schedule:
                    stage_word = re.match(r"(开工|完成|投产|竣工|建成|交付|落地|达产)", text[end:])
                    if stage_word is None:
                        continue
                    end += stage_word.end()
                elif (
                    claim == Claim.increase
                    and word == "增产"
                    and re.match(r"[\d一二三四五六七八九十百千万两]", text[end : end + 1])
                ):
                    continue
                stage = None
                if claim == Claim.on_schedule:
                    stage = stage_of(text[start:end])
                out.append(ClaimFound(start, end, claim, scope, stage))
    return sorted(out, key=lambda c: c.start)


def stage_of(text: str) -> Stage | None:
    """The stage a count's words name, the last one before the number (谋划实施91个: implemented)."""
    best: tuple[int, Stage] | None = None
    for stage, words in STAGE_WORDS.items():
        for word in words:
            at = text.rfind(word)
            if at >= 0 and (best is None or at + len(word) > best[0]):
                best = (at + len(word), stage)
    return best[1] if best else None


def intent_words() -> list[tuple[str, Intent]]:
    return sorted(((w, i) for i, ws in INTENT_WORDS.items() for w in ws), key=lambda wi: -len(wi[0]))
