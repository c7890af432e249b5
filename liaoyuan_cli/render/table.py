"""Rich tables for people: the only module that imports rich for output."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from liaoyuan_cli.render import Lang, Options, Result
from liaoyuan_cli.text import compact, display_figure, neutralise

_QUALIFIERS = {"at_least": "at least", "more_than": "more than", "at_most": "at most"}


class _Stream:
    """What the output stream can show; set once per render by render_table."""

    encoding = "utf-8"


def clean(value: Any) -> str:
    """Data made safe to print: no control sequences, and only characters the stream encodes.

    Characters are replaced *before* rich measures them, so an ASCII terminal gets '?' in
    place of Chinese with the table's columns still aligned.
    """
    safe = neutralise("" if value is None else str(value))
    if _Stream.encoding.startswith("utf"):
        return safe
    return safe.encode(_Stream.encoding, "replace").decode(_Stream.encoding)


def text(value: Any, style: str = "") -> Text:
    """Data as a Text object: never parsed as rich markup, whatever brackets it holds."""
    return Text(clean(value), style=style)


def make_console(options: Options) -> Console:
    return Console(
        file=options.out,
        no_color=not options.color,
        color_system="auto" if options.color else None,
        highlight=False,
        emoji=False,
        markup=False,
        record=bool(options.svg or options.html),
    )


def bilingual(
    zh: Any, en: Any, lang: Lang, span: tuple[list[int] | None, list[int] | None] = (None, None)
) -> Text:
    """Chinese and English in one cell, as --lang asks; a search match is emphasised."""
    parts = []
    if lang in (Lang.zh, Lang.both):
        parts.append(_marked(zh, span[0], ""))
    if lang in (Lang.en, Lang.both):
        parts.append(_marked(en, span[1], "dim" if lang == Lang.both else ""))
    return Text("\n").join(parts)


def _marked(value: Any, span: list[int] | None, style: str) -> Text:
    out = text(value, style)
    if span:
        out.stylize("bold reverse", span[0], span[1])
    return out


def new_table(title: str | None, *columns: str, caption: str | None = None) -> Table:
    """A table that wraps every cell (`fold`) and never cuts one short with an ellipsis.

    A column named with a trailing '*' is the wide one (the text); the others share the rest.
    """
    table = Table(
        title=clean(title) if title else None,
        caption=clean(caption) if caption else None,
        box=box.SIMPLE_HEAD,
        show_lines=False,
        title_justify="left",
        caption_justify="left",
        expand=True,
    )
    for name in columns:
        ratio = 4 if name.endswith("*") else 2 if name.endswith("+") else 1
        table.add_column(clean(name.rstrip("*+")), overflow="fold", ratio=ratio)
    return table


def describe_figure(fig: Result, metric: bool = True) -> Text:
    """'≥5个 attracted-projects · 亿元以上 · signed · strive' — value first, qualifiers after."""
    qualifiers = []
    if fig.get("threshold"):
        qualifiers.append(fig["threshold"]["stated"])
    if fig.get("stage"):
        qualifiers.append(fig["stage"])
    if fig.get("intent") and fig["intent"] != "plain":
        qualifiers.append(fig["intent"])
    if fig.get("scope") and fig.get("unit") != "名":
        qualifiers.append(fig["scope"])
    out = text(fig["display"], "bold")
    if metric:
        out.append(" ")
        out.append(clean(fig["metric"]), "cyan")
    if qualifiers:
        out.append(" · " + " · ".join(clean(q) for q in qualifiers), "dim")
    return out


def area_title(area: Result, what: str) -> str:
    official = area.get("official")
    who = f"\n{official['zh']} {official['pinyin']} · {official['role_zh']}" if official else ""
    return f"{area['zh']} {area['en']} · {what}{who}"


# -- one function per command ---------------------------------------------------------------


def _areas(result: Result, o: Options) -> RenderableType:
    table = new_table("Areas interviewed · 受访地区", "Area", "Name*", "Official*", "Records")
    for a in result["areas"]:
        official = a["official"]
        who = (
            bilingual(
                f"{official['zh']} {official['role_zh']}",
                f"{official['pinyin']}, {official['role_en']}",
                o.lang,
            )
            if official
            else text("—")
        )
        counts = "\n".join(f"{n} {k}" for k, n in a["counts"].items() if n)
        table.add_row(text(a["slug"], "bold"), bilingual(a["zh"], a["en"], o.lang), who, text(counts))
    return table


def _records_table(result: Result, o: Options, what: str) -> RenderableType:
    # The id heads the wide column: folded in a narrow one it could not be copied whole.
    table = new_table(area_title(result["area"], what), "Kind", "Record · 内容*", "Figures+")
    for r in result["records"]:
        figures = (
            Text("\n").join(describe_figure(f) for f in _figure_displays(r))
            if r["figures"]
            else text("—", "dim")
        )
        kind = text(f"{r['kind']}\n{r['category']}", "dim")
        cell = Text.assemble(text(r["id"], "bold"), "\n", bilingual(r["zh"], r["en"], o.lang))
        for e in result.get("errata", []):
            if compact(e["printed"]) in compact(r["quote"]):  # the text reads a misprint: say so
                cell.append(
                    text(f"\nprinted {e['printed']}, read {e['reading']} ({e['certainty']})", "dim italic")
                )
        table.add_row(kind, cell, figures)
    if not result["records"]:
        table.caption = "No records match."
    return table


def _figure_displays(record: Result) -> list[Result]:
    return [{**f, "display": display_figure(f)} for f in record["figures"]]


def _targets(result: Result, o: Options) -> RenderableType:
    kind = result["filters"]["kind"]
    return _records_table(result, o, f"{kind} records" if kind else "2024 targets and plans · 2024年目标")


def _metrics(result: Result, o: Options) -> RenderableType:
    table = new_table(
        area_title(result["area"], "figures · 数据"), "Metric*", "Value", "Year", "Qualifiers", "Record"
    )
    for f in result["figures"]:
        qualifiers = [f["status"]]
        qualifiers += [clean(_QUALIFIERS[f["comparator"]])] if f["comparator"] in _QUALIFIERS else []
        qualifiers += [f["threshold"]["stated"]] if f.get("threshold") else []
        qualifiers += [x for x in (f.get("stage"), f["intent"] if f["intent"] != "plain" else None) if x]
        table.add_row(
            bilingual(f["metric_zh"], f["metric_en"], o.lang),
            text(f["display"], "bold"),
            text(f["year"]),
            text(" · ".join(qualifiers), "dim"),
            text(f["record"]),
        )
    return table


def _bar(value: float | None, top: float, width: int = 12) -> Text:
    """A bar proportional to the largest value of its series (none where top is 0)."""
    if value is None or top <= 0 or value <= 0:
        return text("")
    return Text("█" * max(1, round(width * value / top)), style="green")


def _compare(result: Result, o: Options) -> RenderableType:
    title = f"Compare: {result['topic']} · {len(result['series'])} series"
    table = new_table(title, "Series+", "Area", "Figure+", "Bar", "Comparable?+")
    table.columns[1].min_width = 8
    table.columns[3].no_wrap = True
    for s in result["series"]:
        # Bars only where two areas give numbers in one series: a bar invites comparison.
        numeric = [r["value"] for r in s["rows"] if r["value"] is not None and r["unit"] != "名"]
        top = max(numeric) if len({r["area"] for r in s["rows"] if r["value"] is not None}) > 1 else 0.0
        qualifiers = [x for x in ((s.get("threshold") or {}).get("stated"), s.get("stage")) if x]
        series = Text.assemble(
            bilingual(s["metric_zh"], s["metric_en"], o.lang),
            "\n",
            text(" · ".join([f"{s['year']} {s['status']}", *qualifiers]), "dim"),
        )
        for i, r in enumerate(s["rows"]):
            last = i == len(s["rows"]) - 1
            bar = _bar(r["value"], top) if r["unit"] != "名" else text("")
            figure = Text.assemble(describe_figure(r, metric=False), "\n", text(r["record"], "dim"))
            table.add_row(
                series if i == 0 else text(""),
                text(r["area"], "bold"),
                figure,
                bar,
                text(s["comparable"] if i == 0 else "", "dim"),
                end_section=last,
            )
    if not result["series"]:
        table.caption = f"No figures on {result['topic']}."
    return table


def _topics(result: Result, o: Options) -> RenderableType:
    table = new_table("Topics of `lycli compare TOPIC`", "Topic", "Metrics*", "Figures")
    for t in result["topics"]:
        table.add_row(text(t["topic"], "bold"), text("\n".join(t["metrics_en"])), text(t["figures"]))
    return table


def _search(result: Result, o: Options) -> RenderableType:
    title = f"“{result['query']}” · {len(result['hits'])} of {result['total']} matches"
    table = new_table(title, "Kind", "Area", "Hit · 内容*", "Matched in")
    for h in result["hits"]:
        span = h["highlight"]
        table.add_row(
            text(h["kind"] or h["type"], "dim"),
            text(h["area"] or "—"),
            Text.assemble(
                text(h["id"], "bold"), "\n", bilingual(h["zh"], h["en"], o.lang, (span["zh"], span["en"]))
            ),
            text(", ".join(h["matched"]), "dim"),
        )
    return table


def _entities(result: Result, o: Options) -> RenderableType:
    table = new_table("Named in the article · 实体", "Entity", "Kind", "Name*", "Areas", "Mentions")
    for e in result["entities"]:
        table.add_row(
            text(e["id"], "bold"),
            text(e["kind"]),
            Text.assemble(bilingual(e["zh"], e["en"], o.lang), "\n", text(e["pinyin"], "italic")),
            text(", ".join(e["areas"])),
            text(e["mentions"]),
        )
    return table


def _entity(result: Result, o: Options) -> RenderableType:
    e = result["entity"]
    head = new_table(None, "Field", "Value*")
    head.add_row(text("entity"), text(f"{e['id']} ({e['kind']})", "bold"))
    head.add_row(text("name"), bilingual(e["zh"], e["en"], o.lang))
    head.add_row(text("pinyin"), text(e["pinyin"]))
    if e["aliases"]:
        head.add_row(text("aliases"), text(", ".join(e["aliases"])))
    head.add_row(text("areas"), text(", ".join(e["areas"]) or "—"))
    if e.get("note_en"):
        head.add_row(text("note"), text(e["note_en"]))
    table = new_table(f"Mentions of {e['zh']} {e['en']}", "Record", "Area", "What · 内容*")
    for r in result["mentions"]:
        table.add_row(text(r["id"], "bold"), text(r["area"]), bilingual(r["zh"], r["en"], o.lang))
    return Group(head, table)


def _show(result: Result, o: Options) -> RenderableType:
    r = result["record"]
    table = new_table(f"Record {r['id']}", "Field", "Value*")
    table.add_row(text("area"), bilingual(result["area"]["zh"], result["area"]["en"], o.lang))
    table.add_row(text("kind"), text(f"{r['kind']} · {r['category']} · {r['year']}"))
    table.add_row(text("text"), bilingual(r["zh"], r["en"], o.lang))
    table.add_row(text("quote"), text(f"“{r['quote']}”", "italic"))
    if result["figures"]:
        table.add_row(text("figures"), Text("\n").join(describe_figure(f) for f in result["figures"]))
    if result["entities"]:
        names = Text("\n").join(text(f"{e['zh']} {e['en']} ({e['id']})") for e in result["entities"])
        table.add_row(text("entities"), names)
    if r.get("frameworks"):
        table.add_row(text("frameworks"), text(", ".join(r["frameworks"])))
    for e in result["errata"]:
        note = f"printed {e['printed']}, read {e['reading']} ({e['certainty']}): {e['note_en']}"
        table.add_row(text("erratum"), text(note))
    section = result["section"]
    table.add_row(text("section"), bilingual(section["headline_zh"], section["headline_en"], o.lang))
    if result["interviewee"]:
        p = result["interviewee"]
        table.add_row(text("interviewee"), text(f"{p['zh']} {p['pinyin']}, {p['role_en']}"))
    table.add_row(text("reporters"), text(", ".join(f"{p['zh']} {p['pinyin']}" for p in result["reporters"])))
    table.add_row(text("cite as"), text(result["citation"]))
    return table


def _summarize(result: Result, o: Options) -> RenderableType:
    if result["area"] is None:
        return _summarize_city(result, o)
    parts: list[RenderableType] = []
    counts = ", ".join(f"{n} {k}" for k, n in result["counts"].items() if n)
    parts.append(text(area_title(result["area"], f"summary ({counts})"), "bold"))
    if result["frameworks"]:
        fw = new_table("Frameworks and slogans · 发展思路", "Framework", "Parts")
        for f in result["frameworks"]:
            parts_text = (
                Text("\n").join(bilingual(p["zh"], p["en"], o.lang) for p in f["parts"])
                if f["parts"]
                else text("—")
            )
            fw.add_row(bilingual(f["zh"], f["en"], o.lang), parts_text)
        parts.append(fw)
    for key, title in (("results", "2023 results · 2023年成绩"), ("targets", "2024 figures · 2024年目标")):
        if result[key]:
            table = new_table(title, "Figure", "Metric", "Record")
            for f in result[key]:
                table.add_row(
                    describe_figure(f, metric=False),
                    bilingual(f["metric_zh"], f["metric_en"], o.lang),
                    text(f["record"], "dim"),
                )
            parts.append(table)
    if result["pledges_by_category"]:
        pledges = new_table("Targets and plans by category", "Category", "Count")
        for cat, n in result["pledges_by_category"].items():
            pledges.add_row(text(cat), text(n))
        parts.append(pledges)
    if result["entities"]:
        names = ", ".join(
            f"{e['zh']} ({e['en']})" if o.lang == Lang.both else e[o.lang.value] for e in result["entities"]
        )
        parts.append(Text.assemble(("Named · 提及: ", "bold"), clean(names)))
    return Group(*parts)


def _summarize_city(result: Result, o: Options) -> RenderableType:
    parts: list[RenderableType] = []
    counts = ", ".join(f"{n} {k}" for k, n in result["counts"].items() if n)
    parts.append(text(f"辽源 Liaoyuan at a glance ({counts})", "bold"))
    leaders = new_table(
        "Who leads where two or more areas give a figure · 领先", "Metric+", "Year", "Leader", "Of", "Caveat+"
    )
    for row in result["leaders"]:
        leaders.add_row(
            text(row["metric_en"]),
            text(f"{row['year']} {row['status']}"),
            text(f"{row['area']} {row['display']}", "bold"),
            text(row["areas_reporting"]),
            text(row["comparable"], "dim"),
        )
    parts.append(leaders)
    standings = new_table("Standings the article states · 排名与位次", "Area", "Standing+", "Metric+", "Year")
    for f in result["standings"]:
        standings.add_row(
            text(f["area"], "bold"),
            describe_figure(f, metric=False),
            bilingual(f["metric_zh"], f["metric_en"], o.lang),
            text(f"{f['year']} {f['status']}"),
        )
    parts.append(standings)
    themes = new_table("Shared themes · 共同主题", "Theme", "Areas", "Records")
    for t in result["themes"]:
        themes.add_row(text(t["theme"]), text(", ".join(t["areas"])), text(t["records"]))
    parts.append(themes)
    shared = new_table("Named by several areas · 多地提及", "Entity", "Areas")
    for e in result["shared_entities"]:
        shared.add_row(bilingual(e["zh"], e["en"], o.lang), text(", ".join(e["areas"])))
    parts.append(shared)
    return Group(*parts)


def _validate(result: Result, o: Options) -> RenderableType:
    if result["ok"]:
        return text(f"✓ {result['data_dir']}: valid ({result['summary']})", "green")
    lines = [text(f"✗ {result['data_dir']}: {len(result['problems'])} problem(s)", "red bold")]
    lines += [text(p["text"]) for p in result["problems"]]
    return Group(*lines)


RENDERERS: dict[str, Callable[[Result, Options], RenderableType]] = {
    "areas": _areas,
    "targets": _targets,
    "metrics": _metrics,
    "compare": _compare,
    "topics": _topics,
    "search": _search,
    "entities": _entities,
    "entity": _entity,
    "show": _show,
    "summarize": _summarize,
    "validate": _validate,
}


# Below this width a grid cannot show every column: rows are stacked as "Column: value" lines.
STACK_BELOW = 48


def _stacked(renderable: RenderableType) -> RenderableType:
    """A table as a list of its rows, each cell under its column's name, so nothing is lost."""
    if isinstance(renderable, Group):
        return Group(*(_stacked(r) for r in renderable.renderables))
    if not isinstance(renderable, Table):
        return renderable
    lines: list[RenderableType] = []
    if renderable.title:
        lines.append(text(renderable.title, "bold"))
    for row in range(renderable.row_count):
        for column in renderable.columns:
            cell = list(column.cells)[row]
            plain = cell.plain if isinstance(cell, Text) else str(cell)
            if plain.strip():
                label = Text(f"{column.header or '·'}: ", style="dim")
                lines.append(label + (cell if isinstance(cell, Text) else text(cell)))
        lines.append(Text(""))
    if renderable.caption:
        lines.append(text(renderable.caption, "dim"))
    return Group(*lines)


def render_table(result: Result, options: Options) -> None:
    encoding = (getattr(options.out, "encoding", None) or "utf-8").lower().replace("-", "")
    _Stream.encoding = "utf-8" if encoding.startswith(("utf", "gb", "big5")) else encoding
    console = make_console(options)
    renderable = RENDERERS[result["command"]](result, options)
    if console.width < STACK_BELOW:
        renderable = _stacked(renderable)
    # Validation problems stay one per line, whole, so that they can be grepped.
    console.print(renderable, soft_wrap=result["command"] == "validate")
    if options.svg:
        console.save_svg(options.svg, title=f"lycli {result['command']}")
    if options.html:
        console.save_html(options.html)
