"""A page as the drafter reads it: its lines, sections (interviews, 本报讯 reports), bylines,
credit lines and captions, and the sentences of each section with whose words they are.

Positions are in the page's text with whitespace dropped (`Page.compact`), the text quotes are
matched in; `Page.verbatim` gives the original words of a span, layout line breaks dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s")
_END = "。！？；!?;"
_INNER = "，、：:,"
# Words that say whose words follow (X说，…), or close a quotation (”…X在接受记者采访时说。).
SPEECH = (
    "在接受记者采访时说",
    "在接受记者采访时表示",
    "接受记者采访时说",
    "说",
    "表示",
    "指出",
    "介绍",
    "认为",
    "强调",
    "谈到",
    "提到",
)
# Titles before a name (人大代表张凤栋说) and at the end of a role (东丰县县长 邢树纲).
TITLES = (
    "人大代表",
    "政协委员",
    "代表",
    "委员",
    "县长",
    "区长",
    "市长",
    "省长",
    "镇长",
    "乡长",
    "村长",
    "书记",
    "主任",
    "局长",
    "主席",
    "董事长",
    "总经理",
    "经理",
    "校长",
    "院长",
    "厂长",
    "社长",
    "部长",
    "处长",
    "科长",
    "所长",
    "站长",
    "负责人",
)
_NAME = r"[\u4e00-\u9fff]{2,3}"


@dataclass
class Line:
    text: str  # as printed, stripped
    start: int  # in Page.compact
    end: int
    kind: str = "body"  # headline, subtitle, reporter, credit, caption, heading, body


@dataclass
class Sentence:
    start: int
    end: int  # without its closing punctuation
    voice: str = "narration"
    speaker: str | None = None  # a person's name (zh), for direct and indirect speech
    attribution: bool = False  # ”…X在接受记者采访时说: whose words, not a claim
    question: bool = False  # 记者：…？ in a question-and-answer interview
    heading: bool = False
    paragraph: bool = False  # begins a paragraph


@dataclass
class Section:
    kind: str  # interview or report
    headline: Line | None = None
    subtitle: Line | None = None  # ——访市人大代表、东丰县县长 邢树纲
    reporter_lines: list[Line] = field(default_factory=list)
    captions: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.body[0].start if self.body else (self.headline.end if self.headline else 0)

    @property
    def end(self) -> int:
        return self.body[-1].end if self.body else self.start


@dataclass
class Page:
    source: str
    compact: str = ""
    at: list[int] = field(default_factory=list)  # compact index -> index in source
    lines: list[Line] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    credits: list[Line] = field(default_factory=list)

    def text(self, start: int, end: int) -> str:
        return self.compact[start:end]

    def verbatim(self, start: int, end: int) -> str:
        """The source's words from compact `start` to `end`: line breaks and the space around
        them dropped, spaces within a line kept (本报记者 于蕊)."""
        if start >= end:
            return ""
        raw = self.source[self.at[start] : self.at[end - 1] + 1]
        return re.sub(r"[ \t\u3000]*[\r\n]+[ \t\u3000\r\n]*", "", raw)


def read(source: str) -> Page:
    page = Page(source)
    chars, at = [], []
    for i, ch in enumerate(source):
        if not _SPACE.match(ch):
            chars.append(ch)
            at.append(i)
    page.compact, page.at = "".join(chars), at
    pos = 0
    for raw in source.splitlines():
        text = raw.strip()
        size = len(_SPACE.sub("", text))
        if size:
            page.lines.append(Line(text, pos, pos + size))
        pos += size
    _classify(page.lines)
    _sections(page)
    for section in page.sections:
        section.sentences = _sentences(page, section)
    return page


def _ends_sentence(text: str) -> bool:
    return bool(text) and text[-1] in _END + '”"）)'


def _headline_like(line: Line) -> bool:
    text = line.text
    return (
        len(line.text) <= 64
        and not any(p in text for p in "，。；！？,;")
        and not text.startswith(("本报讯", "——", "—", "本报记者", "记者"))
    )


# Page furniture: editors' names, page numbers, datelines, a fixture's note that it is invented.
_FURNITURE = re.compile(
    r"^(本文为测试虚构文本|责任编辑|编辑[:：]|校对[:：]|美编[:：]|版式[:：]|组版[:：]|第\s*\d+\s*版|"
    r"\d{4}年\d{1,2}月\d{1,2}日\s*星期)|INVENTED TEST FIXTURE"
)


def _classify(lines: list[Line]) -> None:
    """What each line of the page is, from its words and the lines around it."""
    for line in lines:
        text = line.text
        if _FURNITURE.search(text) and len(text) <= 80:
            line.kind = "furniture"
        elif (
            re.match(r"^(本版)?(图片|图|摄影)?由?.*记者.*摄\)?）?$", text)
            and len(text) <= 60
            and "摄" in text[-3:]
        ):
            line.kind = "credit"
        elif text.startswith(("——", "—", "──", "－－")):
            line.kind = "subtitle"
        elif (
            re.match(r"^(本报)?(记者|通讯员)[\s\u3000]*" + _NAME, text)
            and len(text) <= 40
            and "，" not in text
        ):
            line.kind = "reporter"
    for i, line in enumerate(lines):
        if line.kind != "body" or not _headline_like(line):
            continue
        following = [x for x in lines[i + 1 : i + 4]]
        nxt = following[0] if following else None
        before = lines[i - 1] if i else None
        if nxt is None:
            continue
        if nxt.kind in ("subtitle", "reporter") or nxt.text.startswith("本报讯"):
            line.kind = "headline"
        elif (
            len(following) > 1
            and len(nxt.text) <= 40
            and nxt.text.endswith("。")
            and following[1].text.startswith("本报讯")
        ):
            line.kind = "headline"
            nxt.kind = "caption"
        elif before is None or before.kind in ("credit", "caption", "furniture"):
            line.kind = "headline"  # a title over a text that starts without a byline
        if (
            line.kind == "body"
            and before is not None
            and _ends_sentence(before.text)
            and len(line.text) <= 30
        ):
            line.kind = "heading"  # 一、2023年工作回顾: a heading within the text


def _sections(page: Page) -> None:
    current: Section | None = None
    for line in page.lines:
        if line.kind == "furniture":
            continue
        if line.kind == "credit":
            page.credits.append(line)
            continue
        if line.kind == "headline" and "——" in line.text.strip(
            "—"
        ):  # a headline and its subtitle on one line
            at = line.text.index("——", 1)
            head = line.text[:at].rstrip()
            size = len(_SPACE.sub("", head))
            current = Section("report", headline=Line(head, line.start, line.start + size, "headline"))
            current.subtitle = Line(line.text[at:], line.start + size, line.end, "subtitle")
            if "访" in current.subtitle.text[:4]:
                current.kind = "interview"
            page.sections.append(current)
            continue
        if line.kind == "headline":
            if (
                current is not None
                and current.headline is not None
                and not current.body
                and current.subtitle is None
                and current.headline.end == line.start  # nothing between them: one quote
            ):
                # two headline lines: a main title and its second line
                current.headline = Line(
                    current.headline.text + " " + line.text, current.headline.start, line.end, "headline"
                )
                continue
            current = Section("report", headline=line)
            page.sections.append(current)
            continue
        if current is None:
            current = Section("report")
            page.sections.append(current)
        if line.kind == "subtitle" and not current.body:
            current.subtitle = line
            if "访" in line.text[:4]:
                current.kind = "interview"
        elif line.kind == "reporter" and not current.body:
            current.reporter_lines.append(line)
        elif line.kind == "caption":
            current.captions.append(line)
        else:
            if line.text.startswith("本报讯") and current.body:
                current = Section("report")
                page.sections.append(current)
            current.body.append(line)
    page.sections = [s for s in page.sections if s.body]


def _quote_blocks(text: str) -> list[tuple[int, int]]:
    """Quotations that are speech (“…。…。”), as (start, end) of their words, in a section's text."""
    blocks: list[tuple[int, int]] = []
    i = 0
    while True:
        i = text.find("“", i)
        if i < 0:
            return blocks
        depth, j = 0, i
        while j < len(text):
            if text[j] == "“":
                depth += 1
            elif text[j] == "”":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        inner = text[i + 1 : j]
        if j < len(text) and (any(p in inner for p in "。！？") or (len(inner) > 40 and "，" in inner)):
            blocks.append((i + 1, j))
        i = j + 1 if j > i else i + 1


# Two characters before 说 that are no one's name (报告指出, 他们说, 代表们说).
NOT_NAMES = (
    "报告",
    "他们",
    "我们",
    "代表",
    "大家",
    "记者",
    "群众",
    "专家",
    "企业",
    "会议",
    "文件",
    "规划",
    "数据",
)


def _speaker_before(text: str) -> str | None:
    """X说： or 人大代表X说，at the start of a sentence: the name."""
    found = re.match(
        r"^(?:[^，。“”]{0,14}，)?(?:"
        + "|".join(TITLES)
        + r")?("
        + _NAME
        + r")(?:"
        + "|".join(SPEECH)
        + r")[，：:]",
        text,
    )
    if found is None or found.group(1)[:2] in NOT_NAMES or found.group(1).endswith(("们", "人")):
        return None
    return found.group(1)


def _attribution(text: str) -> tuple[str, bool]:
    """The words of an attribution after a quotation, and whether they are one (…在接受记者采访时说;
    记者采访了…王飞)."""
    stripped = text.rstrip(_END)
    said = any(stripped.endswith(v) for v in SPEECH) or "采访" in stripped
    return stripped, said and len(stripped) <= 80


def _sentences(page: Page, section: Section) -> list[Sentence]:
    start, end = section.start, section.end
    text = page.compact[start:end]
    headings = {line.start - start for line in section.body if line.kind == "heading"}
    heading_ends = {line.end - start for line in section.body if line.kind == "heading"}
    paragraph_starts = {0}
    for prev, line in zip(section.body, section.body[1:], strict=False):
        if _ends_sentence(prev.text):
            paragraph_starts.add(line.start - start)
    blocks = _quote_blocks(text)
    inside = {k for a, b in blocks for k in range(a, b)}
    out: list[Sentence] = []
    begin = 0
    for k, ch in enumerate(text + "。"):
        boundary = k == len(text) or ch in _END or k in heading_ends or (k in headings and k > begin)
        if k in {b for _, b in blocks} and k > begin:  # a quotation ends: its last sentence too
            boundary = True
        if not boundary:
            continue
        a, b = begin, k
        while a < b and text[a] in "“”" and (text[a] == "”" or text.count("“", a, b) > text.count("”", a, b)):
            a += 1
        while (
            b > a
            and text[b - 1] in "“”"
            and (text[b - 1] == "“" or text.count("”", a, b) > text.count("“", a, b))
        ):
            b -= 1
        if b > a:
            sentence = Sentence(start + a, start + b)
            sentence.heading = a in headings
            sentence.paragraph = any(begin <= p <= a for p in paragraph_starts)
            if a in inside:
                sentence.voice = "direct"
            out.append(sentence)
        begin = k + 1 if (k < len(text) and (ch in _END or text[k] == "”")) else k
        if k in {b for _, b in blocks}:
            begin = k + 1
    _voices(page, section, out)
    return out


def _voices(page: Page, section: Section, sentences: list[Sentence]) -> None:
    """Whose words each sentence is: a quotation is direct speech of whoever the attribution
    after it (or X说： before it) names; X说，… is indirect speech of X, and so is what follows
    in an interview until someone else speaks; 报告指出 gives a document; what a reporter says of
    deputies (代表们…) is narration."""
    interviewee = interviewee_name(section)
    current: tuple[str, str | None] = ("narration", None)
    pending: list[Sentence] = []
    for sentence in sentences:
        text = page.text(sentence.start, sentence.end)
        if sentence.voice == "direct":
            pending.append(sentence)
            continue
        if pending:
            words, is_attribution = _attribution(text)
            name = _name_in(words, section) if is_attribution else None
            before = page.text(max(section.start, pending[0].start - 12), pending[0].start)
            named = name or _speaker_before(before[before.rfind("。") + 1 :] + "，") or interviewee
            for quoted in pending:
                quoted.speaker = named
                if named is None:
                    quoted.voice = "narration"
            pending = []
            if is_attribution:
                sentence.attribution = True
                current = ("narration", None)
                continue
        if section.kind == "report" and sentence.paragraph and current[0] == "document":
            current = ("narration", None)
        name = _speaker_before(text)
        asked = re.match(r"^(?:(?:本报)?记者|问)[：:]", text)
        answered = re.match(r"^(" + _NAME + r")[：:]", text)
        if answered is None and interviewee and re.match(r"^答[：:]", text):
            answered = re.match(r"^(答)", text)
        if asked:
            sentence.question = True
            current = ("narration", None)
        elif (
            answered
            and answered.group(1) not in NOT_NAMES
            and (answered.group(1) in (interviewee, "答") or section.kind == "interview")
        ):
            current = ("indirect", interviewee if answered.group(1) == "答" else answered.group(1))
        elif name is not None:
            current = ("indirect", name)
        elif re.match(
            r"^(?:[^，。]{0,10}，)?(?:报告|《政府工作报告》|规划|方案|意见|计划)(?:指出|提出|明确|显示|要求)",
            text,
        ):
            current = ("document", None)
        elif text.startswith(("代表们", "记者", "会议", "审议中", "与会")):
            current = ("narration", None)
        sentence.voice, sentence.speaker = current
    for quoted in pending:
        quoted.speaker = quoted.speaker or interviewee
        if quoted.speaker is None:
            quoted.voice = "narration"


def interviewee_name(section: Section) -> str | None:
    """The name at the end of an interview's subtitle: ——访市人大代表、东丰县县长 邢树纲."""
    if section.subtitle is None or section.kind != "interview":
        return None
    text = section.subtitle.text.lstrip("—─－ ")
    parts = text.split()
    if len(parts) > 1 and re.fullmatch(_NAME, parts[-1]):
        return parts[-1]
    for title in sorted(TITLES, key=len, reverse=True):
        at = text.rfind(title)
        if at >= 0 and re.fullmatch(_NAME, text[at + len(title) :]):
            return text[at + len(title) :]
    return None


def _name_in(words: str, section: Section) -> str | None:
    """The speaker an attribution names: the interviewee, or a title and a name before a verb."""
    interviewee = interviewee_name(section)
    if interviewee and interviewee in words:
        return interviewee
    found = re.search(
        r"(?:"
        + "|".join(TITLES)
        + r")("
        + _NAME
        + r")(?:在接受记者采访时|接受记者采访时)?(?:"
        + "|".join(SPEECH)
        + r")$",
        words,
    )
    return found.group(1) if found else None


def speech_prefix(text: str) -> int:
    """How many characters of a sentence say whose words follow (邢树纲说，): left out of its quote."""
    found = re.match(
        r"^(?:本报讯\s*[(（][^)）]*[)）]|(?:(?:"
        + "|".join(TITLES)
        + r")?"
        + _NAME
        + r"(?:"
        + "|".join(SPEECH)
        + r")|报告指出)[，：:]|"
        + _NAME
        + r"[：:]|[问答][：:])",
        text,
    )
    return found.end() if found else 0


def reporters(line_text: str) -> list[str]:
    """The names of a byline or credit: 本报记者 于蕊; 本报讯(记者 陈博琳 刘鹰); 本版图片由本报记者
    刘鹰 魏利军 摄."""
    text = re.sub(r"^(本版)?(图片|图)?由?", "", line_text)
    text = re.sub(r"(本报)?(记者|通讯员|实习生)", " ", text)
    text = re.sub(r"摄[)）]?$", " ", text)
    return [t for t in re.split(r"[\s\u3000、，,()（）]+", text) if re.fullmatch(_NAME, t)]


def newsflash_reporters(page: Page, section: Section) -> list[tuple[str, str]]:
    """本报讯(记者 陈博琳 刘鹰 …): each name and the words that name it."""
    if not section.body or not section.body[0].text.startswith("本报讯"):
        return []
    found = re.match(r"^本报讯\s*[(（]([^)）]*)[)）]", section.body[0].text)
    if not found:
        return []
    return [(name, found.group(0)) for name in reporters(found.group(1))]
