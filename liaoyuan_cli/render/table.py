"""What each command's answer looks like as tables, in the reader's language: one builder per
result, from the typed result to a Sheet that the terminal, HTML and SVG draw alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from liaoyuan_cli.errors import and_more
from liaoyuan_cli.figures import role_label
from liaoyuan_cli.render.sheet import (
    Cell,
    Column,
    Note,
    Sheet,
    Span,
    Table,
    both,
    heading,
    label,
    line,
    plain,
    span,
)
from liaoyuan_cli.text import fold_query, listed
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
        AreaRef,
        AreasResult,
        AreaSummaries,
        AreaSummary,
        ArticleRef,
        CiteResult,
        CitySummary,
        CompareResult,
        EntitiesResult,
        EntityResult,
        ErratumRef,
        Explain,
        ExportResult,
        FacetResult,
        FigureRow,
        FiguresResult,
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


def erratum_lines(e: ErratumRef, lang: str, note: bool = False) -> Cell:
    """'printed 万台林机 ‘ten thousand forestry machines’, probably 万台袜机 ‘… sock-knitting machines’'.

    The English line keeps the Chinese it explains, as an erratum must."""
    certainty = Certainty(e["certainty"])
    how_en = {"certain": "read", "probable": "probably", "possible": "possibly"}[certainty.value]
    how_zh = {"certain": "应为", "probable": "很可能为", "possible": "或为"}[certainty.value]
    if e["reading"] is None:
        en = f"printed {e['printed']} ‘{e['printed_en']}’: {how_en} something is missing"
        zh = f"原文作“{e['printed']}”，{how_zh.replace('为', '有')}脱漏"
    else:
        en = f"printed {e['printed']} ‘{e['printed_en']}’, {how_en} {e['reading']} ‘{e['reading_en']}’"
        zh = f"原文作“{e['printed']}”，{how_zh}“{e['reading']}”"
    if note:
        en += f": {e['note_en']}"
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
        return label(lang, f"{len(articles)}篇文章", f"{len(articles)} articles")
    a = articles[0]
    return label(lang, f"{a['session_zh']}（{a['id']}）", f"{a['session_en']} ({a['id']})")


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


def _years(records: Sequence[RecordRow]) -> str:
    years = sorted({r["year"] for r in records})
    return "–".join(str(y) for y in (years[:1] + years[-1:] if len(years) > 1 else years))


def _bar(value: float | None, top: float, width: int = 12) -> Cell:
    """A bar proportional to the largest value of its group (none where nothing compares)."""
    if value is None or top <= 0 or value <= 0:
        return [[]]
    return [[Span("█" * max(1, round(width * value / top)), None, "bar")]]


# -- one builder per result -------------------------------------------------------------------


def _areas(result: AreasResult, lang: str) -> Blocks:
    table = Table(
        label(lang, "地区", "Areas"),
        [
            Column(heading(lang, "代码", "Area"), key=True),
            Column(heading(lang, "名称", "Name"), 3),
            Column(heading(lang, "负责人", "Official"), 3),
            Column(heading(lang, "记录", "Records"), 2),
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
                f"{years}年{term(RecordKind, kind, 'zh')}",
                f"{years} {term(RecordKind, kind, 'en')} records".strip(),
            )
            if kind and kind != PLEDGE
            else label(lang, f"{years}年目标与举措", f"{years} targets and plans".strip())
        )
    else:
        what = label(lang, "记录", "records")
    area = result["areas"][0] if len(result["areas"]) == 1 else None
    title = area_title(area, what, lang) + "\n" + _scope_note(result["articles"], lang)
    several_areas = area is None
    table = Table(
        title,
        [
            Column(heading(lang, "记录", "Record"), key=True),
            Column(
                heading(lang, "地区 · 类别", "Area · Kind")
                if several_areas
                else heading(lang, "类别", "Kind"),
                1,
            ),
            Column(heading(lang, "内容", "Text"), 5),
            Column(heading(lang, "数据", "Figures"), 3),
        ],
    )
    errata = {e["id"]: e for e in result["errata"]}
    for r in records:
        kinds: Cell = [
            [span(term(RecordKind, r["kind"], lang))],
            [span(term(Category, r["category"], lang), "muted")],
        ]
        if several_areas:
            kinds.insert(0, [span(r["area"], "strong")])
        text = both(r["zh"], r["en"], lang)
        for ident in r["errata"]:
            text += erratum_lines(errata[ident], lang)
        figures: Cell = [ln for f in r["figures"] for ln in figure_cell(f, lang)] or plain("—", "muted")
        table.add(plain(r["id"], "id"), kinds, text, figures)
    if not records:
        table.caption = _explain(result["explain"], lang, "没有符合条件的记录。", "No records match.")
    return [table]


def _figures(result: FiguresResult, lang: str) -> Blocks:
    area = result["areas"][0] if len(result["areas"]) == 1 else None
    title = (
        area_title(area, label(lang, "数据", "figures"), lang) + "\n" + _scope_note(result["articles"], lang)
    )
    columns = [
        Column(heading(lang, "记录", "Record"), key=True),
        Column(heading(lang, "指标", "Metric"), 3),
        Column(heading(lang, "数据", "Figure"), 4),
        Column(heading(lang, "性质", "Role"), 1),
    ]
    if area is None:
        columns.insert(1, Column(heading(lang, "地区", "Area")))
    table = Table(title, columns)
    for f in result["figures"]:
        cells = [
            plain(f["record"], "id"),
            both(f["metric_zh"], f["metric_en"], lang),
            figure_cell(f, lang),
            plain(role_label(f["role"], f["year"], lang)),
        ]
        if area is None:
            cells.insert(1, plain(f["area"], "strong"))
        table.add(*cells)
    if not result["figures"]:
        table.caption = _explain(result["explain"], lang, "没有符合条件的数据。", "No figures match.")
    return [table]


def _compare(result: CompareResult, lang: str) -> Blocks:
    topic = label(lang, result["topic_zh"], result["topic_en"])
    count = len(result["series"])
    title = label(
        lang,
        f"比较：{result['topic_zh']}（{count}个系列）",
        f"Compare: {result['topic_en']} ({count} series)",
    )
    title += "\n" + _scope_note(result["articles"], lang)
    table = Table(
        title,
        [
            Column(heading(lang, "系列", "Series"), 3),
            Column(heading(lang, "地区", "Area")),
            Column(heading(lang, "数据", "Figure"), 3, host=True),
            Column("", bar=True),
            Column(heading(lang, "记录", "Record"), key=True),
        ],
    )
    for s in result["series"]:
        # Bars only where two areas give numbers in one series: a bar invites comparison.
        numeric = [
            r["value"]
            for r in s["rows"]
            if r["value"] is not None and r["unit"] != "名" and r["role"] != Role.attribute
        ]
        areas = {r["area"] for r in s["rows"] if r["value"] is not None}
        top = max(numeric) if numeric and len(areas) > 1 else 0.0
        head = both(s["metric_zh"], s["metric_en"], lang)
        if lang in ("zh", "both"):
            zh = [role_label(s["role"], s["year"], "zh"), *(q for q in (s["threshold_stated"],) if q)]
            head.append([span(" · ".join(zh), "muted", "zh")])
        if lang in ("en", "both"):
            en = [role_label(s["role"], s["year"], "en"), *(q for q in (s["threshold_en"],) if q)]
            head.append([span(" · ".join(en), "muted", "en")])
        head += both(s["comparable_zh"], s["comparable"], lang, style="note")
        for i, r in enumerate(s["rows"]):
            table.add(
                head if i == 0 else [[]],
                plain(r["area"], "strong"),
                figure_cell(r, lang),
                _bar(r["value"], top) if r["unit"] != "名" else [[]],
                plain(r["record"], "id"),
                end=i == len(s["rows"]) - 1,
            )
    if not result["series"]:
        table.caption = label(lang, f"没有关于{topic}的数据。", f"No figures on {topic}.")
    return [table]


def _topics(result: TopicsResult, lang: str) -> Blocks:
    table = Table(
        label(lang, "lycli compare TOPIC 的主题", "Topics of lycli compare TOPIC"),
        [
            Column(heading(lang, "主题", "Topic"), key=True),
            Column(heading(lang, "名称", "Name"), 2),
            Column(heading(lang, "指标", "Metrics"), 4),
            Column(heading(lang, "数据数", "Figures"), numeric=True),
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
        f"{len(result['hits'])} of {result['total']} matches",
    )
    table = Table(
        title,
        [
            Column(heading(lang, "结果", "Hit"), key=True),
            Column(heading(lang, "类别", "Kind")),
            Column(heading(lang, "地区", "Area")),
            Column(heading(lang, "内容", "Text"), 5),
            Column(heading(lang, "匹配", "Matched")),
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
            plain(h["area"] or "—"),
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
            Column(heading(lang, "实体", "Entity"), key=True),
            Column(heading(lang, "类别", "Kind")),
            Column(heading(lang, "名称", "Name"), 4),
            Column(heading(lang, "地区", "Areas"), 2),
            Column(heading(lang, "提及", "Mentions"), numeric=True),
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
            plain(", ".join(e["areas"]) or "—"),
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
    head.add(plain(label(lang, "地区", "areas")), plain(", ".join(e["areas"]) or "—"))
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
            Column(heading(lang, "记录", "Record"), key=True),
            Column(heading(lang, "地区", "Area")),
            Column(heading(lang, "内容", "Text"), 5),
        ],
    )
    for r in result["mentions"]:
        table.add(plain(r["id"], "id"), plain(r["area"]), both(r["zh"], r["en"], lang))
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
    counts = ", ".join(f"{n} {term(RecordKind, k, lang)}" for k, n in result["counts"].items() if n)
    what = label(lang, f"概况（{counts}）", f"summary ({counts})")
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
                    Column(heading(lang, "数据", "Figure"), 3),
                    Column(heading(lang, "指标", "Metric"), 3),
                    Column(heading(lang, "记录", "Record"), key=True),
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
    counts = ", ".join(f"{n} {term(RecordKind, k, lang)}" for k, n in result["counts"].items() if n)
    blocks: list[Table | Note] = [
        Note(
            [
                line(
                    span(
                        label(lang, f"辽源全市概况（{counts}）", f"Liaoyuan at a glance ({counts})"), "strong"
                    )
                ),
                line(span(_scope_note(result["articles"], lang), "muted")),
            ],
            heading=True,
        )
    ]
    leaders = Table(
        label(lang, "两个以上地区给出数据时谁领先", "Who leads where two or more areas give a figure"),
        [
            Column(heading(lang, "指标", "Metric"), 3),
            Column(heading(lang, "年份", "Year")),
            Column(heading(lang, "领先", "Leader"), 3),
            Column(heading(lang, "地区数", "Of"), numeric=True),
            Column(heading(lang, "说明", "Caveat"), 3),
        ],
    )
    for row in result["leaders"]:
        figure = f"{row['area']} " + (row["display_en"] if lang == "en" else row["display"])
        leaders.add(
            both(row["metric_zh"], row["metric_en"], lang),
            plain(role_label(row["role"], row["year"], lang if lang != "both" else "en")),
            plain(figure, "strong"),
            plain(row["areas_reporting"]),
            both(row["comparable_zh"], row["comparable"], lang, style="muted"),
        )
    standings = Table(
        label(lang, "文章所述排名与位次", "Standings the articles state"),
        [
            Column(heading(lang, "地区", "Area")),
            Column(heading(lang, "位次", "Standing"), 3),
            Column(heading(lang, "指标", "Metric"), 3),
            Column(heading(lang, "记录", "Record"), key=True),
        ],
    )
    for f in result["standings"]:
        standings.add(
            plain(f["area"], "strong"),
            figure_cell(f, lang, role=True),
            both(f["metric_zh"], f["metric_en"], lang),
            plain(f["record"], "id"),
        )
    themes = Table(
        label(lang, "共同主题", "Shared themes"),
        [
            Column(heading(lang, "主题", "Theme"), key=True),
            Column(heading(lang, "名称", "Name"), 2),
            Column(heading(lang, "地区", "Areas"), 2),
            Column(heading(lang, "记录", "Records"), numeric=True),
        ],
    )
    for t in result["themes"]:
        themes.add(
            plain(t["id"], "id"),
            both(t["zh"], t["en"], lang),
            plain(", ".join(t["areas"])),
            plain(t["records"]),
        )
    shared = Table(
        label(lang, "多地提及", "Named by several areas"),
        [
            Column(heading(lang, "实体", "Entity"), key=True),
            Column(heading(lang, "名称", "Name"), 3),
            Column(heading(lang, "地区", "Areas"), 2),
        ],
    )
    for e in result["shared_entities"]:
        shared.add(plain(e["id"], "id"), both(e["zh"], e["en"], lang), plain(", ".join(e["areas"])))
    return [*blocks, leaders, standings, themes, shared]


def _summarize_areas(result: AreaSummaries, lang: str) -> Blocks:
    """Several areas: each one's summary, one after the other."""
    return [block for summary in result["summaries"] for block in _summarize(summary, lang)]


def _themes(result: ThemesResult, lang: str) -> Blocks:
    table = Table(
        label(
            lang, "主题（records --theme ID 列出其记录）", "Themes (records --theme ID lists their records)"
        ),
        [
            Column(heading(lang, "主题", "Theme"), key=True),
            Column(heading(lang, "名称", "Name"), 2),
            Column(heading(lang, "记录", "Records"), numeric=True),
            Column(heading(lang, "地区", "Areas"), 2),
            Column(heading(lang, "规则", "Rule"), 4),
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
            plain(", ".join(t["areas"]) or "—"),
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
            *(Column(heading(lang, *_FACET_NAMES[name])) for name in result["by"]),
            Column(heading(lang, "数量", "Count"), numeric=True),
            *([Column(heading(lang, "承诺", "Pledges"), numeric=True)] if records else []),
            Column("", bar=True),
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
            plain(
                "—"
                if row["values"][f] is None
                else term(vocab[f], str(row["values"][f]), lang)
                if f in vocab
                else row["values"][f]
            )
            for f in result["by"]
        ]
        pledges = [plain(row["pledges"])] if records else []
        table.add(*values, plain(row["count"]), *pledges, _bar(row["count"], top))
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
            Column(heading(lang, "项目", "Project"), key=True),
            Column(heading(lang, "名称", "Name"), 3),
            Column(heading(lang, "地区", "Areas")),
            Column(heading(lang, "金额、总数与阶段", "Amounts, totals, stages"), 3),
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
        table.add(plain(p["id"], "id"), name, plain(", ".join(p["areas"]) or "—"), amounts)
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
            Column(heading(lang, "承诺", "Pledge"), key=True),
            Column(heading(lang, "结论", "Verdict"), 2),
            Column(heading(lang, "内容", "Text"), 4),
            Column(heading(lang, "目标与实际", "Target vs actual"), 3),
            Column(heading(lang, "依据", "Evidence"), 4),
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
            f"✗ {result['data_dir']}: {result['errors']:,} " + label(lang, "个问题", "problem(s)"), "bad"
        )
    lines = [line(head)]
    lines += [line(span(p["text"])) for p in result["problems"]]
    for kind, total in (("error", result["errors"]), ("warning", result["warnings"])):
        more = total - sum(p["severity"] == kind for p in result["problems"])
        if more:
            lines.append(line(span(and_more(more, "problem" if kind == "error" else "warning"))))
    return [Note(lines, whole=True)]


def _export(result: ExportResult, lang: str) -> Blocks:
    table = Table(
        label(
            lang,
            f"已导出到 {result['path']}（{result['format']}）",
            f"Exported to {result['path']} ({result['format']})",
        ),
        [Column(heading(lang, "表", "Table"), key=True), Column(heading(lang, "行数", "Rows"), numeric=True)],
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
    "export": _export,
}


def sheet(result: Mapping[str, Any], lang: str, source: str = "") -> Sheet:
    """The Sheet of a result: what every drawing of it shows."""
    from liaoyuan_cli.render import kind

    blocks = RENDERERS[kind(result)](result, lang)
    first = next((b for b in blocks if isinstance(b, Table)), None)
    title = first.title.split("\n")[0] if first else f"lycli {result['command']}"
    return Sheet(title, blocks, source, lang)
