"""The publication exports: --html a semantic, self-contained page; --svg a light image that
fetches nothing. Sheets written by hand test the structure of both writers; a few runs of the
CLI on the bundled knowledge base test that every command's answer exports."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaoyuan_cli.errors import CannotWrite, UsageError
from liaoyuan_cli.render import save, svg
from liaoyuan_cli.render.html import render as render_html
from liaoyuan_cli.render.sheet import Column, Note, Sheet, Span, Table
from liaoyuan_cli.render.svg import render as render_svg

from .conftest import ROOT, run_cli, subprocess_env

NS = "{http://www.w3.org/2000/svg}"
XML = "{http://www.w3.org/XML/1998/namespace}"
SOURCE = "Source: Liaoyuan Daily, 2024-01-20 <p. 2> & “this paper”. Compiled with lycli."
HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def sample(lang: str = "both") -> Sheet:
    """A sheet with every kind of content: a heading note, a grouped table whose first cell
    heads its group, ids, figures, bars, a caption, a second table, a plain note, data that
    looks like markup, and a Chinese name followed by its English one."""
    compare = Table(
        "Compare: projects\n比较：项目",
        [
            Column("Series\n系列", 3),
            Column("Area\n地区"),
            Column("Figure\n数据", 3, numeric=True),
            Column("", bar=True),
            Column("Record\n记录", key=True),
        ],
    )
    head = [
        [Span("重点项目数", "zh")],
        [Span("Number of key projects", "en")],
        [Span("2024 target", None, "muted")],
    ]
    compare.add(
        head,
        [[Span("longshan", None, "strong")]],
        [[Span("91个", "zh", "strong")]],
        [[Span("█" * 12, None, "bar")]],
        [[Span("longshan-2024-key-projects", None, "id")]],
    )
    compare.add(
        [[]],
        [[Span("gaoxin", None, "strong")]],
        [[Span("34个", "zh", "strong")]],
        [[Span("█" * 6, None, "bar")]],
        [[Span("gaoxin-2024-key-projects", None, "id")]],
        end=True,
    )
    compare.add([[Span(HOSTILE)]], [[Span("dongfeng")]], [[Span("—", None, "muted")]], [[]],
                [[Span("dongfeng-2024-x", None, "id")]], end=True)  # fmt: skip
    records = Table(
        "辽源 Liaoyuan · records",
        [Column("Record · 记录", key=True), Column("Text · 内容", 5)],
        caption="Figures as the article prints them.",
    )
    records.add(
        [[Span("gaoxin-2024-sock-machines-upgrade", None, "id")]],
        [
            [Span("推动万台袜机数智化改造，新增智能袜机2400台。", "zh")],
            [
                Span("Push the upgrade of ", "en"),
                Span("ten thousand", "en", "mark"),
                Span(" sock-knitting machines.", "en"),
            ],
            [Span("printed 万台林机 ‘ten thousand forestry machines’", "en", "note")],
        ],
    )
    blocks: list[Table | Note] = [
        Note(
            [[Span("辽源 Liaoyuan at a glance", None, "strong")], [Span("session-2024", None, "muted")]],
            heading=True,
        ),
        compare,
        records,
        Note([[Span("Named: ", None, "strong"), Span("中国天楹 (China Tianying)")]]),
    ]
    return Sheet("辽源 Liaoyuan at a glance", blocks, SOURCE, lang)


# -- HTML -----------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The elements of a page with their attributes, the text inside each tag, and its tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.inside: list[tuple[tuple[str, ...], str]] = []  # (open tags, text)
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "meta", "wbr"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (
            f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>"
        )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for tag in self.stack:
            self.text.setdefault(tag, []).append(data)
        self.inside.append((tuple(self.stack), data))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def joined(self, tag: str) -> str:
        return "".join(self.text.get(tag, []))


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert not parser.stack, f"unclosed: {parser.stack}"
    return parser


def test_html_is_a_semantic_page() -> None:
    page = parse(render_html(sample()))
    assert page.doctype.lower() == "doctype html"
    assert page.all("html") == [{"lang": "zh-Hans"}]
    assert {"charset": "utf-8"} in page.all("meta")
    assert page.joined("title") == "辽源 Liaoyuan at a glance"
    assert page.joined("h1") == "辽源 Liaoyuan at a glance"
    # One table per Table block, each with its caption, header and a body per group.
    assert len(page.all("table")) == 2
    assert len(page.all("caption")) == 2 and "Compare: projects" in page.joined("caption")
    assert len(page.all("thead")) == 2
    assert len(page.all("tbody")) == 2 + 1  # two groups, then the second table's one
    assert page.joined("tfoot") == "Figures as the article prints them."
    assert [a.get("scope") for a in page.all("th")].count("col") == 4 + 2  # the bar column has no name
    assert {"scope": "rowgroup", "rowspan": "2", "class": "group"} in page.all("th")
    assert sum(1 for a in page.all("th") if a.get("scope") == "row") == 4  # the ids head their rows
    assert sum(1 for a in page.all("td") if "num" in (a.get("class") or "")) == 3
    assert page.joined("mark") == "ten thousand"


def test_html_marks_the_language_of_every_run() -> None:
    page = parse(render_html(sample("both")))
    english = {text for tags, text in page.inside if "span" in tags}
    assert "Number of key projects" in english
    assert {a.get("lang") for a in page.all("span") if a.get("lang")} == {"en"}  # in a Chinese page
    english = parse(render_html(sample("en")))
    assert english.all("html") == [{"lang": "en"}]
    # The Chinese an English line quotes is marked as Chinese.
    assert {"lang": "zh-Hans"} in english.all("span")
    assert parse(render_html(sample("zh"))).all("html") == [{"lang": "zh-Hans"}]
    # The space between a Chinese name and its English one survives.
    assert "辽源 Liaoyuan" in page.joined("h1")


def test_html_escapes_data_and_cites_its_source() -> None:
    text = render_html(sample())
    assert "<script" not in text and "alert(&quot;x&quot;)" in text
    page = parse(text)
    assert HOSTILE in page.joined("td") + page.joined("th")
    assert page.joined("footer") == SOURCE


def test_html_fetches_nothing() -> None:
    text = render_html(sample())
    page = parse(text)
    assert not re.search(r"https?:|//[a-z]|@import|url\(", text, re.I)
    assert not [tag for tag, attrs in page.tags if "src" in attrs or "href" in attrs]
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not [a for _, a in page.tags if "style" in a]  # classes, not inline style attributes
    assert len(page.all("style")) == 1


def test_html_bars_are_as_long_as_their_values() -> None:
    text = render_html(sample())
    bars = re.findall(r'<span class="bar (w\d+)"', text)
    assert len(bars) == 2
    width = {n: float(w) for n, w in re.findall(r"\.bar\.(w\d+) \{ width: ([\d.]+)rem", text)}
    assert width[bars[0]] == 2 * width[bars[1]]


def test_html_and_svg_bars_are_exactly_proportional_not_rounded() -> None:
    """25 and 26 are drawn apart; 18 of 26 is 18/26 of the longest, not the nearest twelfth."""
    from liaoyuan_cli.render.sheet import Column, Sheet, Table
    from liaoyuan_cli.render.table import _bar

    table = Table("Counts", [Column("n", numeric=True), Column("", bar=True)])
    for n in (26, 25, 18):
        table.add([[Span(str(n))]], _bar(n, 26))
    sheet = Sheet("Counts", [table], SOURCE, "en")
    text = render_html(sheet)
    widths = [float(w) for w in re.findall(r"\.bar\.w\d+ \{ width: ([\d.]+)rem", text)]
    assert sorted(widths) == pytest.approx([6 * 18 / 26, 6 * 25 / 26, 6.0], abs=1e-4)
    root = ET.fromstring(render_svg(sheet, None))
    bars = [float(r.get("width", 0)) for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    assert bars[1] / bars[0] == pytest.approx(25 / 26, abs=0.002)
    assert bars[2] / bars[0] == pytest.approx(18 / 26, abs=0.002)
    assert len(set(bars)) == 3


# -- SVG ------------------------------------------------------------------------------------------


def words(element: ET.Element) -> str:
    return "".join(element.itertext())


def test_svg_is_valid_with_a_title_and_every_text() -> None:
    text = render_svg(sample(), None)
    assert text.startswith("<svg")
    root = ET.fromstring(text)
    assert root.tag == f"{NS}svg"
    assert root.get("width") == "960" and root.get("viewBox", "").startswith("0 0 960 ")
    assert root.get(XML + "space") == "preserve" and root.get(XML + "lang") == "zh-Hans"
    title = root.find(f"{NS}title")
    assert title is not None and title.text == "辽源 Liaoyuan at a glance"
    lines = [words(t) for t in root.iter(f"{NS}text")]
    shown = "\n".join(lines)
    expected = [
        "Compare: projects", "重点项目数", "Number of key projects", "longshan-2024-key-projects", HOSTILE,
        "Figures as the article prints them.", "中国天楹 (China Tianying)",
    ]  # fmt: skip
    assert [e for e in expected if e not in shown] == []
    assert "辽源 Liaoyuan at a glance" in lines  # its space kept, on one line
    assert any(SOURCE.startswith(line) for line in lines)  # the source line closes the image
    assert lines[-1] in SOURCE


def test_svg_width_is_honoured() -> None:
    for width in (320, 480, 1600):
        root = ET.fromstring(render_svg(sample(), width))
        assert root.get("width") == str(width)
        assert root.get("viewBox", "").split()[2] == str(width)


def test_svg_fetches_nothing() -> None:
    text = render_svg(sample(), None)
    assert set(re.findall(r"https?://[^\s\"'<>]*", text)) == {"http://www.w3.org/2000/svg"}
    assert not re.search(r"@import|url\(|href", text, re.I)
    root = ET.fromstring(text)
    assert not list(root.iter(f"{NS}image")) and not list(root.iter(f"{NS}foreignObject"))


def test_svg_bars_are_rects_as_long_as_their_values() -> None:
    root = ET.fromstring(render_svg(sample(), None))
    bars = [float(r.get("width", 0)) for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    assert len(bars) == 2 and bars[0] == pytest.approx(2 * bars[1])
    assert "█" not in words(root)


def _right_edges(text: str) -> list[tuple[str, float]]:
    """Each left-aligned line's right edge, by the writer's own (generous) measure of its runs."""
    root = ET.fromstring(text)
    english = root.get(XML + "lang") == "en"
    out = []
    for t in root.iter(f"{NS}text"):
        if t.get("text-anchor") == "end":
            continue
        size, bold = float(t.get("font-size", 14)), t.get("font-weight") == "700"
        plain = svg.Font(size, bold, False, english)
        width = svg.measure(t.text or "", plain)
        for part in t:
            classes = (part.get("class") or "").split()
            latin = "en" in classes or (english and "zh" not in classes)
            heavy = bold or part.get("font-weight") == "700"
            font = svg.Font(float(part.get("font-size", size)), heavy, "id" in classes, latin)
            width += svg.measure(part.text or "", font) + svg.measure(part.tail or "", plain)
        out.append((words(t), float(t.get("x", 0)) + width))
    return out


@pytest.mark.parametrize("width", [320, 600, 960])
@pytest.mark.parametrize("lang", ["both", "en", "zh"])
def test_svg_text_stays_inside_the_image(width: int, lang: str) -> None:
    sheet = sample(lang)
    long_id = [[Span("x" * 80, None, "id")]]  # wider than any column: cut, not overflowing
    sheet.blocks.append(
        Table("t", [Column("Id", key=True), Column("Text")], [[long_id, [[Span("y " * 200)]]]])
    )
    margin = svg.MARGIN if width >= 600 else svg.MARGIN / 2
    edges = _right_edges(render_svg(sheet, width))
    assert len(edges) > 20
    assert not [(line, edge) for line, edge in edges if edge > width - margin + 0.5]


def test_svg_escapes_data_and_keeps_control_characters_out() -> None:
    sheet = sample()
    sheet.blocks.append(Note([[Span("bell\x07 and \ud800 and tab\there")]]))
    text = render_svg(sheet, None)
    ET.fromstring(text)  # still XML
    assert "<script" not in text
    parse(render_html(sheet))


def test_saving_names_the_file_it_could_not_write(tmp_path: Path) -> None:
    with pytest.raises(CannotWrite, match=f"cannot write {tmp_path}: is a directory"):
        save(render_html(sample()), str(tmp_path))
    with pytest.raises(UsageError, match="/dev/full is a character device"):
        save(render_html(sample()), "/dev/full", force=True)  # a device: refused, and named


def test_empty_sheet_and_note_only_sheet() -> None:
    for blocks in ([], [Note([[Span("✓ data: valid", None, "good")]], whole=True)]):
        sheet = Sheet("lycli validate", list(blocks), "", "en")
        page = parse(render_html(sheet))
        assert not page.all("table") and page.joined("footer")
        root = ET.fromstring(render_svg(sheet, None))
        assert root.find(f"{NS}title") is not None


# -- through the CLI, on the bundled knowledge base -----------------------------------------------

COMMANDS = [
    ("areas",),
    ("targets", "gaoxin"),
    ("targets", "gaoxin", "--lang", "en"),
    ("targets", "gaoxin", "--lang", "zh"),
    ("records", "--theme", "new-energy"),
    ("metrics", "gaoxin"),
    ("figures",),
    ("compare",),
    ("search", "tianying"),
    ("entities",),
    ("entities", "天楹"),
    ("show", "gaoxin-2023-gdp"),
    ("cite", "gaoxin-2023-gdp"),
    ("summarize",),
    ("summarize", "gaoxin"),
    ("themes",),
    ("facet", "--by", "area,category"),
    ("projects",),
    ("track",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_exports(args: tuple[str, ...], tmp_path: Path) -> None:
    page, image = tmp_path / "a.html", tmp_path / "a.svg"
    result = run_cli(*args, "--html", str(page), "--svg", str(image))
    assert result.code == 0, result.stderr
    html = parse(page.read_text(encoding="utf-8"))
    assert html.joined("title") and html.joined("footer").startswith(("Source: ", "来源："))
    assert html.all("html") == [{"lang": "en" if "en" in args else "zh-Hans"}]
    root = ET.fromstring(image.read_text(encoding="utf-8"))
    assert root.find(f"{NS}title") is not None and words(root).strip()


def test_compare_growth_writes_both_files_in_a_subprocess(tmp_path: Path) -> None:
    page, image = tmp_path / "g.html", tmp_path / "g.svg"
    command = ["compare", "growth", "--html", str(page), "--svg", str(image), "--width", "720"]
    done = subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", *command],
        cwd=ROOT, env=subprocess_env(tmp_path / "cache"), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(parse(page.read_text(encoding="utf-8")).all("table")) == 1
    root = ET.fromstring(image.read_text(encoding="utf-8"))
    assert root.get("width") == "720"
    assert "Source: " in words(root)


# -- any sheet at all -----------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    [
        "辽源 Liaoyuan",
        "gaoxin-2024-key-projects",
        "72亿元",
        "“五个新突破”。",
        "wind-solar-storage",
        "█" * 7,
        "",
    ]
)
SPANS = st.builds(
    Span,
    TEXT,
    st.sampled_from([None, "zh", "en"]),
    st.sampled_from(["", "id", "strong", "muted", "mark", "note", "bar", "good", "bad"]),
)
CELLS = st.lists(st.lists(SPANS, max_size=3), max_size=3)


@st.composite
def sheets(draw: st.DrawFn) -> Sheet:
    blocks: list[Table | Note] = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            blocks.append(
                Note(draw(st.lists(st.lists(SPANS, max_size=3), max_size=3)), heading=draw(st.booleans()))
            )
            continue
        columns = [
            Column(
                draw(TEXT),
                draw(st.integers(0, 5)),
                key=draw(st.booleans()),
                numeric=draw(st.booleans()),
                bar=draw(st.booleans()),
            )
            for _ in range(draw(st.integers(1, 5)))
        ]
        rows = [[draw(CELLS) for _ in columns] for _ in range(draw(st.integers(0, 4)))]
        ends = set(draw(st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=3))) if rows else set()
        blocks.append(Table(draw(TEXT), columns, rows, ends, draw(st.none() | TEXT)))
    return Sheet(draw(TEXT), blocks, draw(TEXT), draw(st.sampled_from(["zh", "en", "both"])))


@settings(max_examples=60, deadline=None)
@given(sheets(), st.sampled_from([320, 960]))
def test_any_sheet_gives_a_valid_page_and_image(sheet: Sheet, width: int) -> None:
    page = parse(render_html(sheet))
    assert len(page.all("table")) == sum(isinstance(b, Table) for b in sheet.blocks)
    text = render_svg(sheet, width)
    root = ET.fromstring(text)
    assert root.get("width") == str(width)
    assert not [(line, edge) for line, edge in _right_edges(text) if edge > width]


@settings(max_examples=60, deadline=None)
@given(sheets(), st.sampled_from([320, 600, 960]))
def test_every_line_of_a_cell_fits_its_column(sheet: Sheet, width: int) -> None:
    for table in (b for b in sheet.blocks if isinstance(b, Table)):
        layout = svg._layout(table, "zh-Hans", width - 2 * svg.MARGIN)
        if layout is None:  # rows stacked: test_svg_text_stays_inside_the_image
            continue
        for row in layout.cells:
            for i, lines in enumerate(row):
                assert all(svg.run_width(part, svg.BODY) <= layout.widths[i] + 0.01 for part in lines)
        for i, head in enumerate(layout.heads):
            assert all(svg.run_width(part, svg.HEAD) <= layout.widths[i] + 0.01 for part in head)
