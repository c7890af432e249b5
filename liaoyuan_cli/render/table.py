"""What each command's answer looks like as tables, in the reader's language: one builder per
result, from the typed result to a Sheet that the terminal, HTML and SVG draw alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from liaoyuan_cli.errors import and_more
from liaoyuan_cli.figures import role_label
from liaoyuan_cli.render.sheet import (
    Bar,
    Cell,
    Chart,
    Column,
    Group,
    Line,
    Names,
    Note,
    Sheet,
    Span,
    Table,
    area_span,
    areas_cell,
    both,
    heading,
    label,
    line,
    named_cell,
    plain,
    span,
)
from liaoyuan_cli.text import counted, fold_query, listed
from liaoyuan_cli.vocab import (
    PLEDGE,
    AreaKind,
    Category,
    Certainty,
    EntityKind,
    Link,
    RecordKind,
    Role,
    Stage,
    Term,
    Verdict,
    Voice,
)

if TYPE_CHECKING:
    from liaoyuan_cli.results import (
        Answered,
        AreaRef,
        AreasResult,
        AreaSummaries,
        AreaSummary,
        ArticleRef,
        CiteResult,
        CitySummary,
        CompareFigure,
        CompareResult,
        DraftResult,
        EntitiesResult,
        EntityResult,
        ErratumRef,
        Explain,
        ExportResult,
        FacetResult,
        FigureRow,
        FiguresResult,
        Kinds,
        PersonRef,
        ProjectsResult,
        RecordRow,
        RecordsResult,
        SearchResult,
        ShowResult,
        ThemesResult,
        TopicsResult,
        TrackResult,
        ValidateResult,
    )

Blocks = list[Table | Note]
# The fields a figure's column shows, as --fields names them.
FIGURE_FIELDS = (
    "display", "display_en", "value", "unit", "qualifiers_zh", "qualifiers_en", "base_value", "base_unit",
)  # fmt: skip


def term(vocabulary: type[Term], value: str | None, lang: str) -> str:
    """A vocabulary word for the reader: 'target', '目标', or '目标 target'."""
    if value is None:
        return "—"
    found = vocabulary.parse(value)
    if found is None:
        return value
    return (
        found.label(lang)
        if lang != "both"
        else (f"{found.zh} {found.en}" if found.zh != found.en else found.en)
    )


def figure_cell(fig: FigureRow, lang: str, metric: bool = False, role: bool = False) -> Cell:
    """A figure as each reader writes it: '≥5个 · 亿元以上 · 签约 · 力争' and 'at least 5 signed
    projects of 100 million yuan or more · strive for', decided in figures.py."""
    zh = " · ".join([fig["display"], *fig["qualifiers_zh"]])
    en = " · ".join([fig["display_en"], *fig["qualifiers_en"]])
    if role:
        zh = f"{zh} · {role_label(fig['role'], fig['year'], 'zh')}"
        en = f"{en} · {role_label(fig['role'], fig['year'], 'en')}"
    lines: Cell = []
    if lang in ("zh", "both"):
        lines.append(
            [span(zh, "strong", "zh")] + ([span(" " + fig["metric_zh"], "muted", "zh")] if metric else [])
        )
    if lang == "both" and en == zh and not metric:
        return lines  # 8.5% reads the same in both languages: once is enough
    if lang in ("en", "both"):
        lines.append(
            [span(en, "strong" if lang == "en" else "", "en")]
            + ([span(" " + fig["metric_en"], "muted", "en")] if metric else [])
        )
    return lines


HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def erratum_lines(e: ErratumRef, lang: str, note: bool = False) -> Cell:
    """How a misprint reads, in each language asked.

    With Chinese (both): 'printed 万台林机 ‘ten thousand forestry machines’, probably 万台袜机
    ‘ten thousand sock-knitting machines’': the English line keeps the Chinese it explains. In
    English alone (en) no Chinese is shown: 'printed as ‘ten thousand forestry machines’,
    probably ‘ten thousand sock-knitting machines’'; a note that quotes Chinese is left to
    --lang both, which says so."""
    certainty = Certainty(e["certainty"])
    how_en = {"certain": "read", "probable": "probably", "possible": "possibly"}[certainty.value]
    how_zh = {"certain": "应为", "probable": "很可能为", "possible": "或为"}[certainty.value]
    chinese = lang != "en"
    printed = f"printed {e['printed']} ‘{e['printed_en']}’" if chinese else f"printed as ‘{e['printed_en']}’"
    if e["reading"] is None:
        en = f"{printed}: {how_en} something is missing"
        zh = f"原文作“{e['printed']}”，{how_zh.replace('为', '有')}脱漏"
    else:
        reading = f"{e['reading']} ‘{e['reading_en']}’" if chinese else f"‘{e['reading_en']}’"
        en = f"{printed}, {how_en} {reading}"
        zh = f"原文作“{e['printed']}”，{how_zh}“{e['reading']}”"
    if note and (chinese or not HAN.search(e["note_en"])):
        en += f": {e['note_en']}"
    elif note:
        en += " (its note quotes the Chinese: --lang both shows it)"
    out: Cell = []
    if lang in ("zh", "both"):
        out.append([span(zh, "note", "zh")])
    if lang in ("en", "both"):
        out.append([span(en, "note", "en")])
    return out


def area_title(area: AreaRef | None, what: str, lang: str) -> str:
    if area is None:
        return what
    name = {"zh": area["zh"], "en": area["en"]}.get(lang, f"{area['zh']} {area['en']}")
    official = area.get("official")
    who = ""
    if official:
        who = {
            "zh": f"\n{official['zh']} · {official['role_zh']}",
            "en": f"\n{official['pinyin']}, {official['role_en']}",
        }.get(lang, f"\n{official['zh']} {official['pinyin']} · {official['role_zh']}")
    return f"{name} · {what}{who}"


def _scope_note(articles: Sequence[ArticleRef], lang: str) -> str:
    """Which article an answer comes from, so a default scope is never silent."""
    if len(articles) != 1:
        return label(lang, f"{len(articles)}篇文章", counted(len(articles), "article"))
    a = articles[0]
    draft_zh, draft_en = ("，草稿", ", a draft") if a["draft"] else ("", "")
    return label(
        lang, f"{a['session_zh']}（{a['id']}{draft_zh}）", f"{a['session_en']} ({a['id']}{draft_en})"
    )


def _explain(explain: Explain | None, lang: str, empty_zh: str, empty_en: str) -> str:
    if explain:
        return (
            explain["zh"]
            if lang == "zh"
            else explain["en"]
            if lang == "en"
            else f"{explain['en']}\n{explain['zh']}"
        )
    return label(lang, empty_zh, empty_en)


def _kinds_counted(counts: Kinds) -> tuple[str, str]:
    """'成绩27条、目标33条' and '27 results, 33 targets': how many records of each kind."""
    kinds = [(RecordKind(k), n) for k, n in counts.items() if isinstance(n, int) and n]
    zh = "、".join(f"{k.zh}{n}条" for k, n in kinds)
    en = ", ".join(counted(n, k.en) for k, n in kinds)
    return zh, en


def _years(records: Sequence[RecordRow]) -> str:
    years = sorted({r["year"] for r in records})
    return "–".join(str(y) for y in (years[:1] + years[-1:] if len(years) > 1 else years))


EIGHTHS = " ▏▎▍▌▋▊▉"  # a cell's left one to seven eighths; █ is the whole cell


def _bar(value: float | None, top: float, width: int = 12) -> Cell:
    """A bar proportional to the largest value of its group (none where nothing compares): on a
    terminal `width` cells of █ for the largest, each bar to the nearest eighth of a cell (at
    least one eighth); in HTML and SVG exactly its share of the largest."""
    if value is None or top <= 0 or value <= 0:
        return [[]]
    share = min(value / top, 1.0)
    eighths = max(1, round(width * 8 * share))
    whole, part = divmod(eighths, 8)
    return [[Span("█" * whole + (EIGHTHS[part] if part else ""), None, "bar", share)]]


# -- one builder per result -------------------------------------------------------------------


def _areas(result: AreasResult, lang: str) -> Blocks:
    table = Table(
        label(lang, "地区", "Areas"),
        [
            Column(heading(lang, "代码", "Area"), key=True, fields=("slug",)),
            Column(heading(lang, "名称", "Name"), 3, fields=("zh", "short_zh", "en", "short_en", "kind")),
            Column(heading(lang, "负责人", "Official"), 3, fields=("official",)),
            Column(heading(lang, "记录", "Records"), 2, fields=("counts", "articles")),
        ],
    )
    for a in result["areas"]:
        official = a["official"]
        who = (
            both(
                f"{official['zh']} {official['role_zh']}",
                f"{official['pinyin']}, {official['role_en']}",
                lang,
            )
            if official
            else plain("—")
        )
        counts = [[span(f"{n} {term(RecordKind, kind, lang)}")] for kind, n in a["counts"].items() if n]
        if a["articles"]:  # which articles speak of it: what --article takes
            counts.append([span(label(lang, "见于", "in") + " " + ", ".join(a["articles"]), "muted")])
        name = [*both(a["zh"], a["en"], lang), [span(term(AreaKind, a["kind"], lang), "muted")]]
        table.add(plain(a["slug"], "id"), name, who, counts or plain("—"))
    return [table]


def _records(result: RecordsResult, lang: str) -> Blocks:
    command = result["command"]
    records = result["records"]
    asked = result["filters"].get("year")
    years = _years(records) or (str(asked) if asked else "")  # an empty answer keeps the year asked
    if command == "targets":
        kind = result["filters"]["kind"]
        what = (
            label(
                lang,
                f"{years}年{term(RecordKind, kind, 'zh')}" if years else term(RecordKind, kind, "zh"),
                f"{years} {term(RecordKind, kind, 'en')} records".strip(),
            )
            if kind and kind != PLEDGE
            else label(
                lang, f"{years}年目标与举措" if years else "目标与举措", f"{years} targets and plans".strip()
            )
        )
    else:
        what = label(lang, "记录", "records")
    area = result["areas"][0] if len(result["areas"]) == 1 else None
    title = area_title(area, what, lang) + "\n" + _scope_note(result["articles"], lang)
    several_areas = area is None
    table = Table(
        title,
        [
            Column(heading(lang, "记录", "Record"), key=True, fields=("id",)),
            Column(
                heading(lang, "地区 · 类别", "Area · Kind")
                if several_areas
                else heading(lang, "类别", "Kind"),
                1,
                fields=("area", "kind", "category") if several_areas else ("kind", "category"),
            ),
            Column(heading(lang, "内容", "Text"), 5, fields=("zh", "en", "errata")),
            Column(heading(lang, "数据", "Figures"), 3, fields=("figures",)),
        ],
    )
    errata = {e["id"]: e for e in result["errata"]}
    for r in records:
        kinds: Cell = [
            [span(term(RecordKind, r["kind"], lang))],
            [span(term(Category, r["category"], lang), "muted")],
        ]
        if several_areas:
            kinds.insert(0, [area_span(r["area"], strong=True)])
        text = both(r["zh"], r["en"], lang)
        for ident in r["errata"]:
            text += erratum_lines(errata[ident], lang)
        figures: Cell = [ln for f in r["figures"] for ln in figure_cell(f, lang)] or plain("—", "muted")
        table.add(plain(r["id"], "id"), kinds, text, figures)
    if not records:
        table.caption = _explain(result["explain"], lang, "没有符合条件的记录。", "No records match.")
    return [table, *_answered(result["answered"], lang)]


def _answered(answered: Sequence[Answered], lang: str) -> Blocks:
    """Which article answered for which area, where the areas answer from different articles
    (each from its own newest that states what was asked): a city-wide table never hides it."""
    by_article: dict[str, list[str]] = {}
    for pair in answered:
        by_article.setdefault(pair["article"], []).append(pair["area"])
    if len(by_article) < 2:
        return []
    lines: list[Line] = [
        line(span(label(lang, "各地区据其最新的相关文章", "Each area from its own newest article"), "muted"))
    ]
    for article, slugs in sorted(by_article.items()):
        out: Line = [span(f"{article}: ", "id")]
        for i, slug in enumerate(slugs):
            if i:
                out.append(span("、" if lang == "zh" else ", "))
            out.append(area_span(slug))
        lines.append(out)
    return [Note(lines)]


def _figures(result: FiguresResult, lang: str) -> Blocks:
    area = result["areas"][0] if len(result["areas"]) == 1 else None
    title = (
        area_title(area, label(lang, "数据", "figures"), lang) + "\n" + _scope_note(result["articles"], lang)
    )
    columns = [
        Column(heading(lang, "记录", "Record"), key=True, fields=("record",)),
        Column(heading(lang, "指标", "Metric"), 3, fields=("metric", "metric_zh", "metric_en")),
        Column(heading(lang, "数据", "Figure"), 4, fields=FIGURE_FIELDS),
        Column(heading(lang, "性质", "Role"), 1, fields=("role", "year")),
    ]
    if area is None:
        columns.insert(1, Column(heading(lang, "地区", "Area"), fields=("area",)))
    table = Table(title, columns)
    for f in result["figures"]:
        cells = [
            plain(f["record"], "id"),
            both(f["metric_zh"], f["metric_en"], lang),
            figure_cell(f, lang),
            plain(role_label(f["role"], f["year"], lang)),
        ]
        if area is None:
            cells.insert(1, [[area_span(f["area"], strong=True)]])
        table.add(*cells)
    if not result["figures"]:
        table.caption = _explain(result["explain"], lang, "没有符合条件的数据。", "No figures match.")
    return [table]


# How a figure of a comparison is marked: comparable with the row's other figures of its year
# and role, or comparable with a caution; unmarked, it compares with nothing (figures.LEVELS).
MARKS = {"yes": "●", "caution": "◐"}


def _when(f: CompareFigure, lang: str) -> str:
    """'2023' for a result, '2024 target' otherwise; '2023年', '2024年目标'."""
    if f["role"] == Role.result:
        return f"{f['year']}年" if lang == "zh" else str(f["year"])
    if f["role"] == Role.attribute:  # the size of a thing, as of that year
        return f"{f['year']}年规模" if lang == "zh" else f"{f['year']} size"
    return role_label(f["role"], f["year"], lang)


def compared_lines(f: CompareFigure, lang: str) -> Cell:
    """A figure in its cell: its mark, as each reader writes it, and when: '● 8.5% · 2023',
    '30% · ensure · 2024 target', 'led the city · 2023'."""
    mark = MARKS.get(f["level"])
    texts: list[tuple[str, str, list[str]]] = []
    of_zh = [f["entity_zh"]] if f["entity_zh"] else []  # whose size it is
    of_en = [f"of the {f['entity_en']}"] if f["entity_en"] else []
    if lang in ("zh", "both"):
        texts.append(("zh", f["display"], [*of_zh, *f["qualifiers_zh"], _when(f, "zh")]))
    if lang in ("en", "both"):
        texts.append(("en", f["display_en"], [*of_en, *f["qualifiers_en"], _when(f, "en")]))
    plain_number = f["display"] == f["display_en"] and not (f["qualifiers_zh"] or f["qualifiers_en"] or of_en)
    if lang == "both" and plain_number:
        texts = [("en", f["display"], [_when(f, "en")])]  # 8.5% · 2023 reads alike in both: once
    out: Cell = []
    for i, (tongue, value, rest) in enumerate(texts):
        ln = [span(f"{mark} ", "strong")] if mark and not i else []
        ln.append(span(value, "" if i else "strong", tongue))
        ln.append(span(" · " + " · ".join(rest), "muted", tongue))
        out.append(ln)
    return out


def legend(result: CompareResult, lang: str) -> str:
    """One line that says what the marks mean, and the cautions of the series that carry one."""
    levels = {f["level"] for row in result["comparison"] for cell in row["cells"].values() for f in cell}
    if not levels & set(MARKS):
        return label(
            lang,
            "没有两个地区给出同一数据：各数据均无可比对象。",
            "No two areas give the same figure: none of these compares with another.",
        )
    zh = ["● 与本行同年份、同性质的其他●数据可比"]
    en = ["● compares with the row's other ● figures of its year and role"]
    if "caution" in levels:
        zh.append("◐ 慎比")
        en.append("◐ compares only with care")
    zh.append("无标记：不可比")
    en.append("unmarked: compares with nothing")
    lines = [label(lang, "；".join(zh) + "。", "; ".join(en) + ".")]
    for s in result["series"]:
        if s["level"] == "caution":
            what_zh = f"{s['metric_zh']}（{role_label(s['role'], s['year'], 'zh')}）"
            what_en = f"{s['metric_en']} ({role_label(s['role'], s['year'], 'en')})"
            why_zh, why_en = s["comparable_zh"].split("；")[0], s["comparable"].split(";")[0]
            lines.append(label(lang, f"◐ {what_zh}：{why_zh}", f"◐ {what_en}: {why_en}"))
    return "\n".join(lines)


def _compare(result: CompareResult, lang: str) -> Blocks:
    """A comparison: a row per metric, a column per area (by name), each cell the area's figures
    of that metric marked by how far they compare; one line of legend beneath."""
    topic = label(lang, result["topic_zh"], result["topic_en"])
    title = label(lang, f"比较：{result['topic_zh']}", f"Compare: {result['topic_en']}")
    title += "\n" + _scope_note(result["articles"], lang)
    areas = result["areas"]
    columns = [Column(heading(lang, "指标", "Metric"), 3, fields=("metric", "metric_zh", "metric_en"))]
    for a in areas:
        zh, en = table_name(a)
        columns.append(Column(heading(lang, zh, en), 2, fields=("area", a["slug"])))
    table = Table(title, columns)
    for row in result["comparison"]:
        cells = [both(row["metric_zh"], row["metric_en"], lang)]
        for a in areas:
            found = row["cells"].get(a["slug"], [])
            cells.append([ln for f in found for ln in compared_lines(f, lang)] or [[]])  # blank: none
        table.add(*cells)
    if result["comparison"]:
        table.caption = legend(result, lang)
    else:
        table.caption = label(lang, f"没有关于{topic}的数据。", f"No figures on {topic}.")
    return [table]


_UNITS = {"percent": ("百分比", "rates"), "yuan": ("金额", "amounts"), "count": ("数量", "counts")}


def chart(result: Mapping[str, Any], lang: str, source: str = "", names: Names | None = None) -> Chart:
    """A comparison as a bar chart: a group of bars per metric, a bar per area's figure, each
    exactly as long as its value against the largest of its unit in the chart (ranks and
    figures stated without a number have no bar); areas by name, the source beneath."""
    from liaoyuan_cli.errors import UsageError

    if result.get("command") != "compare":
        raise UsageError(
            "--chart draws a topic's comparison", hint="e.g. lycli compare growth --chart growth.svg"
        )
    compare = cast("CompareResult", result)
    known = {**area_names(compare["areas"]), **(names or {})}
    # Each unit's bars share one scale: from its most negative value (or zero) to its largest.
    highs: dict[str, CompareFigure] = {}
    lows: dict[str, float] = {}
    for row in compare["comparison"]:
        for cell in row["cells"].values():
            for f in cell:
                if not _drawn(f):
                    continue
                unit = f["base_unit"] or ""
                if unit not in highs or _base(f) > _base(highs[unit]):
                    highs[unit] = f
                lows[unit] = min(lows.get(unit, 0.0), _base(f))
    groups: list[Group] = []
    for row in compare["comparison"]:
        bars: list[Bar] = []
        for a in compare["areas"]:
            for i, f in enumerate(row["cells"].get(a["slug"], [])):
                name = named_cell([[area_span(a["slug"])]], known, lang) if not i else []  # named once
                unit = f["base_unit"] or ""
                width = max(_base(highs[unit]), 0.0) - lows[unit] if _drawn(f) else 0.0
                share = _base(f) / width if width > 0 else None
                zero = -lows[unit] / width if width > 0 else 0.0
                bars.append(Bar(name, compared_lines(f, lang), share, f["role"] == Role.target, zero))
        groups.append(Group(both(row["metric_zh"], row["metric_en"], lang), bars))
    scale_zh = "，".join(f"{_UNITS.get(u, ('', ''))[0]}最大{f['display']}" for u, f in highs.items())
    scale_en = ", ".join(f"{_UNITS.get(u, ('', u))[1]} up to {f['display_en']}" for u, f in highs.items())
    notes = legend(compare, lang).split("\n")
    if highs:
        notes.append(
            label(
                lang,
                f"条形按数值比例绘制，每种单位一个比例（{scale_zh}）；排名和未给出数字的表述不画条形。",
                f"Bars are drawn to scale, one scale for each unit ({scale_en}); ranks and claims "
                "stated without a number have none.",
            )
        )
    title = label(lang, f"比较：{compare['topic_zh']}", f"Compare: {compare['topic_en']}")
    sizes = any(
        f["role"] == Role.attribute and _drawn(f)
        for r in compare["comparison"]
        for c in r["cells"].values()
        for f in c
    )
    solid = label(lang, "实绩或规模", "result or size") if sizes else label(lang, "实绩", "result")
    key = (solid, label(lang, "目标", "target"))
    return Chart(title, _scope_note(compare["articles"], lang), groups, key, notes, source, lang)


def _base(f: CompareFigure) -> float:
    return float(f["base_value"] or 0.0)


def _drawn(f: CompareFigure) -> bool:
    """Whether a figure has a bar: a value that is not a rank (a bar for a rank would draw the
    first place shortest)."""
    return f["base_value"] is not None and f["base_unit"] not in (None, "rank")


def _topics(result: TopicsResult, lang: str) -> Blocks:
    table = Table(
        label(lang, "lycli compare TOPIC 的主题", "Topics of lycli compare TOPIC"),
        [
            Column(heading(lang, "主题", "Topic"), key=True, fields=("id",)),
            Column(heading(lang, "名称", "Name"), 2, fields=("zh", "en", "headline")),
            Column(heading(lang, "指标", "Metrics"), 4, fields=("metrics", "metrics_en")),
            Column(heading(lang, "数据数", "Figures"), numeric=True, fields=("figures",)),
        ],
    )
    for t in result["topics"]:
        table.add(
            plain(t["id"], "id"),
            both(t["zh"], t["en"], lang),
            [[span(m, "", "en")] for m in t["metrics_en"]],
            plain(t["figures"]),
        )
    return [table]


def _search(result: SearchResult, lang: str) -> Blocks:
    searched = result["searched"]
    # A query read otherwise than typed (traditional characters as simplified) says so.
    read = "" if searched == fold_query(result["query"]) else f" → {searched}"
    title = f"“{result['query']}”{read} · " + label(
        lang,
        f"{len(result['hits'])}/{result['total']}条",
        f"{len(result['hits'])} of {counted(result['total'], 'match', 'matches')}",
    )
    table = Table(
        title,
        [
            Column(heading(lang, "结果", "Hit"), key=True, fields=("id",)),
            Column(heading(lang, "类别", "Kind"), fields=("type", "kind", "category")),
            Column(heading(lang, "地区", "Area"), fields=("area",)),
            Column(heading(lang, "内容", "Text"), 5, fields=("zh", "en", "highlight")),
            Column(heading(lang, "匹配", "Matched"), fields=("matched", "score")),
        ],
    )
    for h in result["hits"]:
        zh = {"entity": "实体", "framework": "框架"}.get(h["type"], h["type"])
        kind = (
            term(RecordKind, h["kind"], lang)
            if h["kind"]
            else (f"{zh} {h['type']}" if lang == "both" else label(lang, zh, h["type"]))  # as term() writes
        )
        marks = (h["highlight"]["zh"], h["highlight"]["en"])
        table.add(
            plain(h["id"], "id"),
            plain(kind, "muted"),
            [[area_span(h["area"])]] if h["area"] else plain("—"),
            both(h["zh"], h["en"], lang, marks),
            plain(", ".join(h["matched"]), "muted"),
        )
    blocks: list[Table | Note] = [table]
    if result["themes"]:
        hint = ", ".join(result["themes"])
        blocks.append(
            Note(
                [
                    line(
                        span(
                            label(
                                lang,
                                f"相关主题：{hint}（--theme 可列出其全部记录）",
                                f"Themes this query names: {hint} (--theme lists all their records)",
                            ),
                            "note",
                        )
                    )
                ]
            )
        )
    return blocks


def _entities(result: EntitiesResult, lang: str) -> Blocks:
    table = Table(
        label(lang, "文中提及的实体", "Named in the articles"),
        [
            Column(heading(lang, "实体", "Entity"), key=True, fields=("id",)),
            Column(heading(lang, "类别", "Kind"), fields=("kind",)),
            Column(
                heading(lang, "名称", "Name"),
                4,
                fields=("zh", "en", "pinyin", "aliases", "general_knowledge_en"),
            ),
            Column(heading(lang, "地区", "Areas"), 2, fields=("areas",)),
            Column(heading(lang, "提及", "Mentions"), numeric=True, fields=("mentions", "articles")),
        ],
    )
    for e in result["entities"]:
        name = [*both(e["zh"], e["en"], lang), [span(e["pinyin"], "muted", "en")]]
        if e["general_knowledge_en"] and lang != "zh":
            name.append(
                [span("General knowledge, not from the article: " + e["general_knowledge_en"], "note", "en")]
            )
        table.add(
            plain(e["id"], "id"),
            plain(term(EntityKind, e["kind"], lang)),
            name,
            areas_cell(e["areas"]),
            plain(e["mentions"]),
        )
    return [table]


def _entity(result: EntityResult, lang: str) -> Blocks:
    e = result["entity"]
    head = Table(
        f"{e['id']} · {term(EntityKind, e['kind'], lang)}",
        [Column(heading(lang, "项", "Field")), Column(heading(lang, "内容", "Value"), 5)],
    )
    head.add(plain(label(lang, "名称", "name")), both(e["zh"], e["en"], lang))
    head.add(plain(label(lang, "拼音", "pinyin")), plain(e["pinyin"], "", "en"))
    if e["aliases"]:
        head.add(plain(label(lang, "别名", "aliases")), plain(", ".join(e["aliases"])))
    head.add(plain(label(lang, "地区", "areas")), areas_cell(e["areas"]))
    for link in e["links"]:
        kind = "has part" if link["kind"] == "has_part" else Link(link["kind"]).en
        head.add(
            plain(label(lang, "关联", "link")),
            [[span(f"{kind} ", "muted"), span(link["to"], "id")], *both(link["zh"], link["en"], lang)],
        )
    if e["note_en"] and lang != "zh":
        head.add(plain("note"), plain(e["note_en"], "", "en"))
    if e["general_knowledge_en"] and lang != "zh":
        head.add(
            plain("general knowledge"),
            plain("Not from the article: " + e["general_knowledge_en"], "note", "en"),
        )
    if lang != "en":
        head.add(plain(label(lang, "原文", "quote")), plain(f"“{e['quote']}”", "", "zh"))
    table = Table(
        label(lang, f"提及{e['zh']}的记录", f"Records naming {e['en']}"),
        [
            Column(heading(lang, "记录", "Record"), key=True, fields=("id",)),
            Column(heading(lang, "地区", "Area"), fields=("area",)),
            Column(heading(lang, "内容", "Text"), 5, fields=("zh", "en", "kind", "category", "year")),
        ],
    )
    for r in result["mentions"]:
        table.add(plain(r["id"], "id"), [[area_span(r["area"])]], both(r["zh"], r["en"], lang))
    return [head, table]


def _voice(record: RecordRow, speaker: PersonRef | None, lang: str) -> Cell:
    voice = Voice(record["voice"])
    who_en = f" — {speaker['pinyin']}" if speaker else ""
    who_zh = f" — {speaker['zh']}" if speaker else ""
    may = voice == Voice.direct
    hint_en = (
        " (may be quoted as theirs)"
        if may
        else " (not to be put in quotation marks as theirs)"
        if speaker
        else ""
    )
    hint_zh = "（可作为其原话引用）" if may else "（不宜作为其原话加引号）" if speaker else ""
    out: Cell = []
    if lang in ("zh", "both"):
        out.append([span(voice.zh + who_zh + hint_zh, "", "zh")])
    if lang in ("en", "both"):
        out.append([span(voice.en + who_en + hint_en, "", "en")])
    return out


def _show(result: ShowResult, lang: str) -> Blocks:
    r = result["record"]
    table = Table(
        label(lang, f"记录 {r['id']}", f"Record {r['id']}"),
        [Column(heading(lang, "项", "Field")), Column(heading(lang, "内容", "Value"), 5)],
    )
    area = result["area"]
    table.add(plain(label(lang, "地区", "area")), both(area["zh"], area["en"], lang))
    kinds = f"{term(RecordKind, r['kind'], lang)} · {term(Category, r['category'], lang)} · {r['year']}"
    table.add(plain(label(lang, "类别", "kind")), plain(kinds))
    table.add(plain(label(lang, "内容", "text")), both(r["zh"], r["en"], lang))
    if lang != "en":
        table.add(plain(label(lang, "原文", "quote")), plain(f"“{r['quote']}”", "", "zh"))
    table.add(plain(label(lang, "谁的话", "whose words")), _voice(r, result["speaker"], lang))
    if r["figures"]:
        table.add(
            plain(label(lang, "数据", "figures")),
            [ln for f in r["figures"] for ln in figure_cell(f, lang, metric=True, role=True)],
        )
    for f in r["figures"]:
        if f["note_en"] and lang != "zh":
            table.add(plain("figure note"), plain(f["note_en"], "note", "en"))
    if result["entities"]:
        table.add(
            plain(label(lang, "实体", "entities")),
            [
                ln
                for e in result["entities"]
                for ln in [[span(e["id"], "id"), span(" " + label(lang, e["zh"], e["en"]))]]
            ],
        )
    if r["frameworks"]:
        table.add(plain(label(lang, "框架", "frameworks")), plain(", ".join(r["frameworks"]), "id"))
    if r["themes"]:  # by the themes' rules in themes.toml: `lycli records --theme ID` lists the rest
        table.add(plain(label(lang, "主题", "themes")), plain(", ".join(r["themes"]), "id"))
    for e in result["errata"]:
        table.add(plain(label(lang, "勘误", "erratum")), erratum_lines(e, lang, note=lang != "zh"))
    if r["note_en"] and lang != "zh":
        table.add(plain("note"), plain(r["note_en"], "note", "en"))
    section = result["section"]
    table.add(
        plain(label(lang, "版块", "section")), both(section["headline_zh"], section["headline_en"], lang)
    )
    if result["interviewee"]:
        p = result["interviewee"]
        table.add(
            plain(label(lang, "受访者", "interviewee")),
            both(f"{p['zh']} {p['role_zh']}", f"{p['pinyin']}, {p['role_en']}", lang),
        )
    reporters = both(
        "、".join(p["zh"] for p in result["reporters"]),
        ", ".join(p["pinyin"] for p in result["reporters"]),
        lang,
    )
    table.add(plain(label(lang, "记者", "reporters")), reporters)
    if r["follows"]:
        table.add(plain(label(lang, "跟进", "follows")), plain(", ".join(r["follows"]), "id"))
    if result["followed_by"]:
        table.add(plain(label(lang, "后续", "followed by")), plain(", ".join(result["followed_by"]), "id"))
    for a in result["assessments"]:
        verdict = f"{term(Verdict, a['verdict'], lang)} · {a['as_of']} · {a['assessor']}"
        table.add(
            plain(label(lang, "评估", "assessment")),
            plain(verdict) + ([] if lang == "zh" else plain(a["note_en"], "muted", "en")),
        )
    if r["formerly"]:
        table.add(plain(label(lang, "旧编号", "formerly")), plain(", ".join(r["formerly"]), "id"))
    citation = result["citation_en"] if lang == "en" else result["citation"]
    table.add(plain(label(lang, "引用（英文格式）", "cite as")), plain(citation))  # the styles are English
    return [table]


def _cite(result: CiteResult, lang: str) -> Blocks:
    return [Note([line(span(text)) for text in result["citation"].split("\n")], whole=True)]


def _summarize(result: AreaSummary, lang: str) -> Blocks:
    blocks: list[Table | Note] = []
    zh, en = _kinds_counted(result["counts"])
    what = label(lang, f"概况（{zh}）", f"summary ({en})") if zh else label(lang, "概况", "summary")
    blocks.append(
        Note(
            [
                line(span(t, "strong"))
                for t in (
                    area_title(result["area"], what, lang) + "\n" + _scope_note(result["articles"], lang)
                ).split("\n")
            ],
            heading=True,
        )
    )
    if not result["articles"]:
        why = label(
            lang,
            "所读文章中没有关于该地区的记录。",
            "Nothing to summarize: no article read speaks of this area.",
        )
        blocks.append(Note([line(span(why, "muted"))]))
    if result["frameworks"]:
        fw = Table(
            label(lang, "发展思路与提法", "Frameworks and slogans"),
            [Column(heading(lang, "提法", "Framework"), 2), Column(heading(lang, "组成", "Parts"), 3)],
        )
        for f in result["frameworks"]:
            parts = [ln for p in f["parts"] for ln in both(p["zh"], p["en"], lang)] or plain("—")
            fw.add(both(f["zh"], f["en"], lang), parts)
        blocks.append(fw)
    for figures, zh, en in (
        (result["results"], "实绩", "Results"),
        (result["targets"], "目标", "Targets"),
        (result["attributes"], "规模等属性", "Sizes and other attributes"),
    ):
        if figures:
            table = Table(
                label(lang, zh, en),
                [
                    Column(heading(lang, "数据", "Figure"), 3, fields=(*FIGURE_FIELDS, "role", "year")),
                    Column(heading(lang, "指标", "Metric"), 3, fields=("metric", "metric_zh", "metric_en")),
                    Column(heading(lang, "记录", "Record"), key=True, fields=("record",)),
                ],
            )
            for fig in figures:
                table.add(
                    figure_cell(fig, lang, role=True),
                    both(fig["metric_zh"], fig["metric_en"], lang),
                    plain(fig["record"], "id"),
                )
            blocks.append(table)
    if result["pledges_by_category"]:
        pledges = Table(
            label(lang, "目标与举措（按类别）", "Targets and plans by category"),
            [
                Column(heading(lang, "类别", "Category"), 2),
                Column(heading(lang, "数量", "Count"), numeric=True),
                Column("", bar=True),
            ],
        )
        top = max(result["pledges_by_category"].values())
        for cat, n in result["pledges_by_category"].items():
            pledges.add(plain(term(Category, cat, lang)), plain(n), _bar(n, top))
        blocks.append(pledges)
    if result["entities"]:
        names = ", ".join(
            label(lang, e["zh"], e["en"]) if lang != "both" else f"{e['zh']} ({e['en']})"
            for e in result["entities"]
        )
        blocks.append(Note([[span(label(lang, "提及：", "Named: "), "strong"), span(names)]]))
    return blocks


def _summarize_city(result: CitySummary, lang: str) -> Blocks:
    zh, en = _kinds_counted(result["counts"])
    blocks: list[Table | Note] = [
        Note(
            [
                line(
                    span(
                        label(lang, f"辽源全市概况（{zh}）", f"Liaoyuan at a glance ({en})")
                        if zh
                        else label(
                            lang,
                            "辽源全市概况：所读文章中没有记录",
                            "Liaoyuan at a glance: no record in the articles read",
                        ),
                        "strong",
                    )
                ),
                line(span(_scope_note(result["articles"], lang), "muted")),
            ],
            heading=True,
        )
    ]
    # The highest figure (the lowest, where lower is better) of each series two or more areas
    # give: a fact about figures, not a verdict; for a target, the largest pledge, which leads
    # nothing.
    highest = Table(
        label(
            lang,
            "两个以上地区给出的同类数据：数值最高者",
            "Figures two or more areas give: the highest of each",
        ),
        [
            Column(heading(lang, "指标", "Metric"), 3, fields=("metric", "metric_zh", "metric_en")),
            Column(heading(lang, "年份", "Year"), fields=("year", "role")),
            Column(heading(lang, "最高", "Highest"), 3, fields=("area", "display", "display_en")),
            Column(heading(lang, "地区数", "Areas giving it"), numeric=True, fields=("areas_reporting",)),
            Column(
                heading(lang, "可比程度", "How far comparable"), 3, fields=("comparable", "comparable_zh")
            ),
        ],
    )
    for row in result["leaders"]:
        figure = both(row["display"], row["display_en"], lang, style="strong")
        if row["display"] == row["display_en"]:
            figure = figure[:1]  # 8.5% reads the same in both languages
        if not row["highest"]:  # lower is better (unemployment): the lowest is shown
            figure.insert(0, [span(label(lang, "最低：", "lowest:"), "muted")])
        highest.add(
            both(row["metric_zh"], row["metric_en"], lang),
            plain(role_label(row["role"], row["year"], lang if lang != "both" else "en")),
            [[area_span(row["area"], strong=True)], *figure],
            plain(row["areas_reporting"]),
            both(row["comparable_zh"], row["comparable"], lang, style="muted"),
        )
    several = len(result["articles"]) != 1
    standings = Table(
        label(
            lang,
            "文中所述排名与位次",
            "Ranks and standings the articles report"
            if several
            else "Ranks and standings the article reports",
        ),
        [
            Column(heading(lang, "地区", "Area"), fields=("area",)),
            Column(heading(lang, "位次", "Standing"), 3, fields=(*FIGURE_FIELDS, "role", "year")),
            Column(heading(lang, "指标", "Metric"), 3, fields=("metric", "metric_zh", "metric_en")),
            Column(heading(lang, "记录", "Record"), key=True, fields=("record",)),
        ],
    )
    for f in result["standings"]:
        standings.add(
            [[area_span(f["area"], strong=True)]],
            figure_cell(f, lang, role=True),
            both(f["metric_zh"], f["metric_en"], lang),
            plain(f["record"], "id"),
        )
    themes = Table(
        label(lang, "共同主题", "Shared themes"),
        [
            Column(heading(lang, "主题", "Theme"), key=True, fields=("id",)),
            Column(heading(lang, "名称", "Name"), 2, fields=("zh", "en")),
            Column(heading(lang, "地区", "Areas"), 2, fields=("areas",)),
            Column(heading(lang, "记录", "Records"), numeric=True, fields=("records",)),
        ],
    )
    for t in result["themes"]:
        themes.add(
            plain(t["id"], "id"), both(t["zh"], t["en"], lang), areas_cell(t["areas"]), plain(t["records"])
        )
    shared = Table(
        label(lang, "多地提及", "Named by several areas"),
        [
            Column(heading(lang, "实体", "Entity"), key=True, fields=("id",)),
            Column(heading(lang, "名称", "Name"), 3, fields=("zh", "en", "kind", "pinyin")),
            Column(heading(lang, "地区", "Areas"), 2, fields=("areas",)),
        ],
    )
    for e in result["shared_entities"]:
        shared.add(plain(e["id"], "id"), both(e["zh"], e["en"], lang), areas_cell(e["areas"]))
    return [*blocks, highest, standings, themes, shared]


def _summarize_areas(result: AreaSummaries, lang: str) -> Blocks:
    """Several areas: each one's summary, one after the other."""
    return [block for summary in result["summaries"] for block in _summarize(summary, lang)]


def _themes(result: ThemesResult, lang: str) -> Blocks:
    table = Table(
        label(
            lang, "主题（records --theme ID 列出其记录）", "Themes (records --theme ID lists their records)"
        ),
        [
            Column(heading(lang, "主题", "Theme"), key=True, fields=("id",)),
            Column(heading(lang, "名称", "Name"), 2, fields=("zh", "en")),
            Column(heading(lang, "记录", "Records"), numeric=True, fields=("records",)),
            Column(heading(lang, "地区", "Areas"), 2, fields=("areas",)),
            Column(
                heading(lang, "规则", "Rule"), 4, fields=("keywords_zh", "keywords_en", "include", "exclude")
            ),
        ],
    )
    for t in result["themes"]:
        rule: Cell = []
        if t["keywords_zh"] and lang != "en":
            rule.append(
                [
                    span("关键词 " if lang == "zh" else "keywords ", "muted"),
                    span("、".join(t["keywords_zh"]), "", "zh"),
                ]
            )
        if t["keywords_en"]:
            rule.append(
                [
                    span(label(lang, "英文关键词", "English keywords") + " ", "muted"),
                    span(", ".join(t["keywords_en"]), "", "en"),
                ]
            )
        if t["include"]:
            rule.append(
                [span(label(lang, "另含", "plus") + " ", "muted"), span(", ".join(t["include"]), "id")]
            )
        if t["exclude"]:
            rule.append(
                [span(label(lang, "不含", "less") + " ", "muted"), span(", ".join(t["exclude"]), "id")]
            )
        if lang == "en" and t["keywords_zh"] and not t["keywords_en"]:
            rule.append([span(f"{len(t['keywords_zh'])} Chinese keywords (lycli themes --lang zh)", "muted")])
        table.add(
            plain(t["id"], "id"),
            both(t["zh"], t["en"], lang),
            plain(t["records"]),
            areas_cell(t["areas"]),
            rule or plain("—"),
        )
    return [table]


_FACET_NAMES = {
    "area": ("地区", "Area"), "article": ("文章", "Article"), "kind": ("类别", "Kind"),
    "category": ("领域", "Category"), "theme": ("主题", "Theme"), "year": ("年份", "Year"),
    "voice": ("话语", "Voice"), "speaker": ("讲话人", "Speaker"), "entity": ("实体", "Entity"),
    "metric": ("指标", "Metric"),
    "role": ("性质", "Role"), "unit": ("单位", "Unit"), "verdict": ("结论", "Verdict"),
}  # fmt: skip


def _facet(result: FacetResult, lang: str) -> Blocks:
    records = result["of"] == "records"
    of_zh = "记录" if records else "数据"
    by_zh = "、".join(_FACET_NAMES[f][0] for f in result["by"])
    by_en = listed(result["by"])
    pledged_zh = f"，其中承诺{result['pledges']}" if records else ""
    pledged_en = f", {result['pledges']} of them pledges" if records else ""
    table = Table(
        label(
            lang,
            f"{of_zh}按{by_zh}计数（共{result['total']}{pledged_zh}）",
            f"{result['of'].capitalize()} by {by_en} ({result['total']} in all{pledged_en})",
        ),
        [
            *(Column(heading(lang, *_FACET_NAMES[name]), fields=(name,)) for name in result["by"]),
            Column(heading(lang, "数量", "Count"), numeric=True, fields=("count",)),
            Column("", bar=True, fields=("count",)),  # beside the count it draws
            *(
                [Column(heading(lang, "承诺", "Pledges"), numeric=True, fields=("pledges",))]
                if records
                else []
            ),
        ],
    )
    top = max((r["count"] for r in result["rows"]), default=0)
    vocab: dict[str, type[Term]] = {
        "kind": RecordKind,
        "category": Category,
        "verdict": Verdict,
        "voice": Voice,
        "role": Role,
    }
    for row in result["rows"]:
        values = [
            [[area_span(str(row["values"][f]))]]
            if f == "area" and row["values"][f] is not None
            else plain(
                "—"
                if row["values"][f] is None
                else term(vocab[f], str(row["values"][f]), lang)
                if f in vocab
                else row["values"][f]
            )
            for f in result["by"]
        ]
        pledges = [plain(row["pledges"])] if records else []
        table.add(*values, plain(row["count"]), _bar(row["count"], top), *pledges)
    if not result["rows"]:
        table.caption = label(lang, "没有符合条件的记录。", "Nothing matches.")
    elif records and result["filters"]["kind"] is None:
        table.caption = label(
            lang,
            "承诺：其中的目标与举措（--kind pledge 只计承诺）。",
            "Pledges: the targets and plans among them (--kind pledge counts only those).",
        )
    return [table]


def _projects(result: ProjectsResult, lang: str) -> Blocks:
    by_amount = result["sort"] == "amount"
    table = Table(
        label(
            lang,
            "项目、园区与工程：投资方、提及地区、金额、所属总数与阶段"
            + ("（金额从大到小）" if by_amount else ""),
            "Projects, parks and works: who is behind them, which areas name them, how much, "
            "the totals they are part of, at what stage"
            + (" (the largest amount first)" if by_amount else ""),
        ),
        [
            Column(heading(lang, "项目", "Project"), key=True, fields=("id",)),
            Column(
                heading(lang, "名称", "Name"),
                3,
                fields=(
                    "zh",
                    "en",
                    "pinyin",
                    "kind",
                    "companies",
                    "parks",
                    "links",
                    "caution_en",
                    "caution_zh",
                ),
            ),
            Column(heading(lang, "地区", "Areas"), fields=("areas",)),
            Column(
                heading(lang, "金额、总数与阶段", "Amounts, totals, stages"),
                3,
                fields=("amounts", "amount_yuan", "totals", "stages"),
            ),
        ],
    )
    for p in result["projects"]:
        name = both(p["zh"], p["en"], lang)
        if p["kind"] != EntityKind.project:
            name.append([span(term(EntityKind, p["kind"], lang), "muted")])
        for c in p["companies"]:
            name.append(
                [span(label(lang, "投资建设方", "by") + " ", "muted"), span(label(lang, c["zh"], c["en"]))]
            )
        for c in p["parks"]:
            name.append([span(label(lang, "位于", "in") + " ", "muted"), span(label(lang, c["zh"], c["en"]))])
        for link in p["links"]:
            if link["kind"] in ("related", "part_of", "has_part"):
                how = {
                    "related": label(lang, "或同一项目", "may be the same as"),
                    "part_of": label(lang, "属于", "part of"),
                    "has_part": label(lang, "包含", "includes"),
                }[link["kind"]]
                name.append([span(how + " ", "muted"), span(link["to"], "id")])
        if p["caution_en"]:
            name += both(p["caution_zh"] or "", p["caution_en"], lang, style="note")
        amounts = [ln for f in p["amounts"] for ln in figure_cell(f, lang, role=True)]
        for f in p["totals"]:
            amounts += _total_lines(f, lang)
        for st in p["stages"]:
            stage = Stage(st["stage"])
            said = "" if stage.zh in st["words"] else f"（{st['words']}）"  # the article's own verb
            zh = f"{role_label(st['role'], st['year'], 'zh')}：{stage.zh}{said}"
            en = f"{role_label(st['role'], st['year'], 'en')}: {stage.en}"
            amounts += both(zh, en, lang)
        amounts = amounts or plain("—", "muted")
        table.add(plain(p["id"], "id"), name, areas_cell(p["areas"]), amounts)
    if not result["projects"]:
        table.caption = _explain(
            result["explain"], lang, "没有符合条件的项目。", "No projects, parks or works match."
        )
    elif any(p["totals"] for p in result["projects"]):
        table.caption = label(
            lang,
            "所属总数：项目被提及的句子所给的一组项目的数量或总额，不是该项目本身的金额。",
            "Totals (one of): the count or total of a set of projects the project is named in, "
            "not an amount of its own.",
        )
    return [table]


def _total_lines(f: FigureRow, lang: str) -> Cell:
    """A total a project is part of: 'one of: 26.5 billion yuan (total investment of key
    projects) · ambiguous: the total of the 26 … / the total of all 34 … · 2024 attribute'."""
    zh = f"所属：{f['metric_zh']}{f['display']}" + "".join(f" · {q}" for q in f["qualifiers_zh"])
    en = f"one of: {f['display_en']}"
    if f["base_unit"] == "yuan":  # an amount does not say what it totals; a count says what it counts
        en += f" ({f['metric_en'][:1].lower()}{f['metric_en'][1:]})"
    en += "".join(f" · {q}" for q in f["qualifiers_en"])  # its readings, where it has two
    lines: Cell = []
    if lang in ("zh", "both"):
        lines.append([span(zh, "", "zh"), span(" · " + role_label(f["role"], f["year"], "zh"), "muted")])
    if lang in ("en", "both"):
        lines.append([span(en, "", "en"), span(" · " + role_label(f["role"], f["year"], "en"), "muted")])
    return lines


def _track(result: TrackResult, lang: str) -> Blocks:
    area = result["areas"][0] if len(result["areas"]) == 1 else None
    title = (
        area_title(area, label(lang, "承诺跟踪", "pledges tracked"), lang)
        + "\n"
        + _scope_note(result["articles"], lang)
    )
    table = Table(
        title,
        [
            Column(heading(lang, "承诺", "Pledge"), key=True, fields=("record",)),
            Column(heading(lang, "结论", "Verdict"), 2, fields=("verdict", "source", "as_of")),
            Column(heading(lang, "内容", "Text"), 4, fields=("zh", "en")),
            Column(heading(lang, "目标与实际", "Target vs actual"), 3, fields=("targets", "actuals")),
            Column(heading(lang, "依据", "Evidence"), 4, fields=("evidence",)),
        ],
    )
    for p in result["pledges"]:
        r = p["record"]
        source = {
            "computed": label(lang, "据数据计算", "computed from figures"),
            "recorded": label(lang, "人工评估", "a person's assessment"),
            "none": "",
        }[p["source"]]
        verdict = [[span(term(Verdict, p["verdict"], lang), "strong")]] + (
            [[span(source + (f" · {p['as_of']}" if p["as_of"] else ""), "muted")]] if source else []
        )
        for h in p["history"][:-1]:
            verdict.append(
                [
                    span(
                        f"{label(lang, '此前', 'earlier')}: "
                        f"{term(Verdict, h['verdict'], lang)} · {h['as_of']}",
                        "muted",
                    )
                ]
            )
        versus: Cell = []
        for c in p["comparisons"]:
            t, a = c["target"], c["actual"]
            versus.append(
                [
                    span(t["display_en"] if lang == "en" else t["display"]),
                    span(" → ", "muted"),
                    span(a["display_en"] if lang == "en" else a["display"], "strong"),
                    span(f" ({term(Verdict, c['outcome'], lang)})", "muted"),
                ]
            )
        evidence: Cell = []
        for e in p["evidence"]:
            evidence.append([span(e["id"], "id"), span(f" ({e['article']})", "muted")])
            evidence += both(e["zh"], e["en"], lang)
        if p["history"] and lang != "zh":
            evidence.append([span(p["history"][-1]["note_en"], "note", "en")])
        table.add(
            plain(r["id"], "id"),
            verdict,
            both(r["zh"], r["en"], lang),
            versus or plain("—", "muted"),
            evidence or plain("—", "muted"),
        )
    if not result["pledges"]:
        table.caption = _explain(result["explain"], lang, "没有符合条件的目标。", "No pledges match.")
    return [table]


def _validate(result: ValidateResult, lang: str) -> Blocks:
    if result["ok"]:
        head = span(
            f"✓ {result['data_dir']}: " + label(lang, "有效", "valid") + f" ({result['summary']})", "good"
        )
    else:
        head = span(
            f"✗ {result['data_dir']}: "
            + label(lang, f"{result['errors']:,}个问题", counted(result["errors"], "problem")),
            "bad",
        )
    lines = [line(head)]
    lines += [line(span(p["text"])) for p in result["problems"]]
    for kind, total in (("error", result["errors"]), ("warning", result["warnings"])):
        more = total - sum(p["severity"] == kind for p in result["problems"])
        if more:
            lines.append(line(span(and_more(more, "problem" if kind == "error" else "warning"))))
    if result["reviews"]:
        lines.append(line(span(label(lang, "待审：", "To review:"), "strong")))
        lines += [line(span(r["text"])) for r in result["reviews"]]
    elif result["review_items"]:
        lines.append(
            line(
                span(
                    label(lang, "lycli validate --review 列出待审事项", "lycli validate --review lists them"),
                    "muted",
                )
            )
        )
    return [Note(lines, whole=True)]


def _draft(result: DraftResult, lang: str) -> Blocks:
    made = ", ".join(
        (
            counted(result["sections"], "section"),
            counted(result["records"], "record"),
            counted(result["figures"], "figure"),
        )
    )
    new = [
        counted(result["people"], "person", "people") if result["people"] else "",
        counted(result["metrics"], "metric") if result["metrics"] else "",
        counted(result["entities"], "entity", "entities") if result["entities"] else "",
    ]
    proposed = ", ".join(x for x in new if x)
    made_zh = f"{result['sections']}节，{result['records']}条记录，{result['figures']}个数据"
    check = f"lycli validate --review --data {result['data_dir']}"
    lines = [
        line(
            span(
                label(
                    lang,
                    f"已起草 {result['article']}：{made_zh}",
                    f"Drafted {result['article']}: {made}" + (f"; proposed {proposed}" if proposed else ""),
                ),
                "good",
            )
        ),
        line(
            span(
                label(
                    lang,
                    f"{result['review_items']}项待审：{check}",
                    f"{counted(result['review_items'], 'item')} to review: {check}",
                )
            )
        ),
        *(line(span(path, "id")) for path in result["files"]),
    ]
    return [Note(lines, whole=True)]


def _export(result: ExportResult, lang: str) -> Blocks:
    table = Table(
        label(
            lang,
            f"已导出到 {result['path']}（{result['format']}）",
            f"Exported to {result['path']} ({result['format']})",
        ),
        [
            Column(heading(lang, "表", "Table"), key=True, fields=("name",)),
            Column(heading(lang, "行数", "Rows"), numeric=True, fields=("rows",)),
        ],
    )
    for t in result["tables"]:
        table.add(plain(t["name"], "id"), plain(t["rows"]))
    return [table]


# Keyed by the kind of answer, as results.ROWS is; a test holds each builder's result type to
# the one ROWS declares, so mypy's check of a builder is a check against what it is given.
RENDERERS: dict[str, Callable[[Any, str], Blocks]] = {
    "areas": _areas,
    "targets": _records,
    "records": _records,
    "metrics": _figures,
    "figures": _figures,
    "compare": _compare,
    "topics": _topics,
    "search": _search,
    "entities": _entities,
    "entity": _entity,
    "show": _show,
    "cite": _cite,
    "summarize": _summarize,
    "summarize-city": _summarize_city,
    "summarize-areas": _summarize_areas,
    "themes": _themes,
    "facet": _facet,
    "projects": _projects,
    "track": _track,
    "validate": _validate,
    "draft": _draft,
    "export": _export,
}


def table_name(area: Mapping[str, Any]) -> tuple[str, str]:
    """The names a table gives an area, Chinese and English: its short ones where it has a short
    English name (高新区, High-tech Zone), else its full ones (东丰县, Dongfeng County)."""
    if area.get("short_en"):
        return str(area["short_zh"]), str(area["short_en"])
    return str(area["zh"]), str(area["en"])


def area_names(areas: Sequence[Mapping[str, Any]]) -> Names:
    """Each area's table names by slug, from the knowledge base's areas (or a result's)."""
    return {str(a["slug"]): table_name(a) for a in areas}


def sheet(
    result: Mapping[str, Any],
    lang: str,
    source: str = "",
    names: Names | None = None,
    fields: Sequence[str] = (),
) -> Sheet:
    """The Sheet of a result: what every drawing of it shows. Areas are named by `names` (and
    by the areas a result carries); `fields` keeps the columns that show them (--fields)."""
    from liaoyuan_cli.render import kind

    blocks = RENDERERS[kind(result)](result, lang)
    known = {**area_names(result.get("areas") or []), **(names or {})}
    blocks = [_named(b, known, lang) for b in blocks]
    if fields:
        blocks = chosen(blocks, list(fields))
    first = next((b for b in blocks if isinstance(b, Table)), None)
    title = first.title.split("\n")[0] if first else f"lycli {result['command']}"
    return Sheet(title, blocks, source, lang)


def _named(block: Table | Note, names: Names, lang: str) -> Table | Note:
    if isinstance(block, Note):
        return Note(named_cell(block.lines, names, lang), block.heading, block.whole)
    block.rows = [[named_cell(c, names, lang) for c in row] for row in block.rows]
    return block


def _shows(column: Column, field: str) -> bool:
    """Whether a column shows a field (or a flattened part of it: official_pinyin, counts_target)."""
    return any(field == f or field.startswith(f + "_") for f in column.fields)


def chosen(blocks: Blocks, fields: list[str]) -> Blocks:
    """The blocks with only the columns --fields names, in the order it names them (a bar column
    stays beside the number it draws); a table none of whose columns is named is left out, one
    whose columns name no field is kept whole. A field no table shows is a usage error."""
    from liaoyuan_cli.errors import UsageError

    tables = [b for b in blocks if isinstance(b, Table) and any(c.fields for c in b.columns)]
    chosen_ids = {id(t) for t in tables}
    shown = {f for t in tables for c in t.columns for f in c.fields}
    unknown = [f for f in fields if not any(_shows(c, f) for t in tables for c in t.columns)]
    if unknown:
        raise UsageError(
            f"unknown field(s) for this table: {', '.join(unknown)}",
            hint=f"its columns show: {', '.join(sorted(shown))}" if shown else "it has no columns to choose",
        )
    out: Blocks = []
    for block in blocks:
        if not isinstance(block, Table) or id(block) not in chosen_ids:
            out.append(block)
            continue
        # Each column with the bar columns that follow it: a bar goes with its number.
        units: list[list[int]] = []
        for i, c in enumerate(block.columns):
            if c.bar and not c.fields and units:
                units[-1].append(i)
            else:
                units.append([i])
        keep = []
        for unit in units:
            ranks = [fields.index(f) for f in fields if _shows(block.columns[unit[0]], f)]
            if ranks:
                keep.append((min(ranks), unit))
        if not keep:
            continue
        order = [i for _, unit in sorted(keep, key=lambda k: k[0]) for i in unit]
        block.columns = [block.columns[i] for i in order]
        block.rows = [[row[i] for i in order] for row in block.rows]
        out.append(block)
    return out
