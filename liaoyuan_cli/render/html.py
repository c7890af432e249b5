"""A Sheet as a self-contained HTML page for publication (stdlib only; imported only by --html).

One semantic <table> per Table block (<caption>, <thead>, a <tbody> per group of rows), notes
as paragraphs, the source line in a <footer>. Every piece of text carries its language: the
page is `zh-Hans` (Chinese, or both languages) or `en`, and each run of the other language is
marked with `lang`, so that screen readers, browsers' line breaking and CJK glyph choice are
right. A light stylesheet sits in the file, scoped to `.lycli` and written against semantic
class names, so a CMS can restyle it; nothing is fetched (no fonts, no scripts, no URLs).

The helpers that split a line into runs of one style and one language, and that find a
group's heading cell, are shared with render/svg.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from liaoyuan_cli.render import wrap
from liaoyuan_cli.render.sheet import Cell, Line, Note, Sheet, Span, Table
from liaoyuan_cli.text import neutralise

# BCP 47 tags for the Sheet's languages; a page with both languages is a Chinese page.
LANGS = {"zh": "zh-Hans", "en": "en"}
# Chinese text in a CJK font (Linux, its Adobe twin, macOS, Windows, older Linux), English in a
# Latin one, so that its quotes and middle dots stay narrow; the CJK fonts follow as fallback.
FONT_CJK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)
FONT_LATIN = '"Helvetica Neue", Helvetica, Arial, "Liberation Sans", ' + FONT_CJK
FONT_MONO = 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace'
# What belongs to the run after it: opening punctuation ("‘forestry" is English) and a number
# before its unit or word ("91个", "5G").
_LEADING = "‘“\"'([{0123456789.,"
_NUMBER_UNIT = re.compile(r"\d[^\s]*?[\u3400-\u9fff%％]")


def page_lang(lang: str) -> str:
    """The language of the whole page: English for --lang en, else Chinese."""
    return "en" if lang == "en" else LANGS["zh"]


def clean(text: str) -> str:
    """Text safe in HTML and XML 1.0: no controls, bidi overrides, lone surrogates or non-characters."""
    text = neutralise(text.replace("\t", " "))
    return re.sub("[\ud800-\udfff\ufffe\uffff]", "\ufffd", text)


def script(ch: str) -> str | None:
    """'zh' for Chinese characters and full-width punctuation, 'en' for Latin letters, else None."""
    code = ord(ch)
    if (
        0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    ):
        return "zh"
    if ch.isalpha() and code < 0x250:
        return "en"
    return None


@dataclass(frozen=True)
class Run:
    """A piece of a line with one style and one language (a BCP 47 tag, or None for ids and bars)."""

    text: str
    style: str
    lang: str | None


def runs(spans: Line, default: str) -> list[Run]:
    """A line split where its style or its script changes.

    A span's own language holds for its digits and punctuation; its Chinese and Latin letters
    are marked by what they are, so 'printed 万台林机 ‘ten thousand …’' marks the Chinese in an
    English line, and an unmarked title such as 'Record · 记录' gets both tags. Ids and bars
    have no language. `default` is the language of text that says nothing (digits alone)."""
    out: list[Run] = []
    for s in spans:
        text = clean(s.text)
        if not text:
            continue
        if s.style in ("id", "bar"):
            out.append(Run(text, s.style, None))
            continue
        declared = LANGS.get(s.lang or "", default)
        pieces: list[list[str | None]] = []  # [text, script]
        for ch in text:
            kind = script(ch)
            if not pieces:
                pieces.append([ch, kind])
            elif kind is None or pieces[-1][1] in (None, kind):
                pieces[-1][0] = f"{pieces[-1][0]}{ch}"
                if kind is not None:
                    pieces[-1][1] = kind
            else:
                before = str(pieces[-1][0])
                moved = len(before) - len(before.rstrip(_LEADING))
                if moved and moved < len(before):
                    pieces[-1][0], ch = before[:-moved], before[-moved:] + ch
                pieces.append([ch, kind])
        for piece, kind in pieces:
            out.append(Run(str(piece), s.style, LANGS[kind] if kind else declared))
    merged: list[Run] = []
    for r in out:
        if merged and (merged[-1].style, merged[-1].lang) == (r.style, r.lang):
            merged[-1] = Run(merged[-1].text + r.text, r.style, r.lang)
        else:
            merged.append(r)
    return merged


def lines_of(value: Cell) -> list[Line]:
    """A cell's lines, a span holding a newline split into two lines."""
    out: list[Line] = []
    for ln in value:
        current: Line = []
        for s in ln:
            parts = s.text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    out.append(current)
                    current = []
                if part:
                    current.append(Span(part, s.lang, s.style))
        out.append(current)
    return out


def text_lines(value: str, style: str = "") -> list[Line]:
    """A title or header string as lines of one style."""
    return [[Span(part, None, style)] if part else [] for part in value.split("\n")]


def has_text(value: Cell) -> bool:
    return any(s.text.strip() for ln in value for s in ln)


def groups(table: Table) -> list[range]:
    """The table's rows in groups: a group ends after each row in `ends`."""
    out: list[range] = []
    start = 0
    for i in range(len(table.rows)):
        if i in table.ends or i == len(table.rows) - 1:
            out.append(range(start, i + 1))
            start = i + 1
    return out


def group_heads(table: Table) -> dict[int, int]:
    """Rows whose first cell heads its whole group (a compare series named once over its
    rows): row index -> number of rows it spans. Only in grouped tables, only the first
    column, only where the group's other rows leave that cell empty."""
    if not table.ends or len(table.columns) < 2:
        return {}
    first = table.columns[0]
    if first.key or first.bar or first.numeric:
        return {}
    heads: dict[int, int] = {}
    for g in groups(table):
        if (
            len(g) > 1
            and has_text(table.rows[g[0]][0])
            and not any(has_text(table.rows[i][0]) for i in g[1:])
        ):
            heads[g[0]] = len(g)
    return heads


def bar_share(value: Cell) -> float | None:
    """A bar cell's length as a share of its column's longest bar (0 to 1), None if it holds none."""
    spans = [s for ln in value for s in ln if s.text]
    if spans and all(s.style == "bar" for s in spans):
        # A bar made without its share is read off its terminal drawing: 12 cells are the longest.
        share = sum(s.share if s.share is not None else _cells(s.text) / 12 for s in spans)
        return max(0.0, min(1.0, share))
    return None


def _cells(drawing: str) -> float:
    """How many cells a terminal bar fills: █ whole, ▏ to ▉ an eighth to seven eighths."""
    return sum(1.0 if ch == "█" else (" ▏▎▍▌▋▊▉".find(ch) / 8 if ch in "▏▎▍▌▋▊▉" else 0.0) for ch in drawing)


# -- HTML -------------------------------------------------------------------------------------

_TAGS = {"strong": "strong", "mark": "mark"}
_CLASSES = {"id", "muted", "note", "good", "bad", "bar"}
BAR_REM = 6.0  # the longest bar of a column: the terminal's 12 cells of half a rem

STYLESHEET = """\
.lycli { font-family: FONT_CJK; font-size: 15px; line-height: 1.5; max-width: 72rem;
  margin: 0 auto; padding: 1.5rem 1.25rem; color: #1b1b1b; background: #fff;
  -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
.lycli h1, .lycli h2 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .3rem; }
.lycli .dek { margin: 0; color: #555; font-size: .9rem; }
.lycli .sheet-head { margin: 0 0 1.5rem; }
.lycli .remarks { margin: 0 0 1.5rem; }
.lycli .remarks p { margin: 0 0 .35rem; }
.lycli .table-wrap { overflow-x: auto; margin: 0 0 2rem; }
.lycli table { border-collapse: collapse; width: 100%; font-size: .875rem; }
.lycli caption { caption-side: top; text-align: left; padding: 0 0 .6rem; color: #555; font-size: .85rem; }
.lycli caption .title { color: #111; font-size: 1.2rem; font-weight: 700; line-height: 1.35; }
.lycli th, .lycli td { padding: .45rem .75rem .45rem 0; vertical-align: top; text-align: left; }
.lycli th:last-child, .lycli td:last-child { padding-right: 0; }
.lycli thead th, .lycli thead td { border-bottom: 2px solid #222; font-size: .8rem; font-weight: 700;
  color: #333; vertical-align: bottom; word-break: keep-all; }
.lycli tbody th { font-weight: 400; }
.lycli tbody tr > * { border-bottom: 1px solid #e3e3e3; }
.lycli tbody + tbody { border-top: 2px solid #9a9a9a; }
.lycli tbody th.group { font-weight: 400; }
.lycli .num { text-align: right; font-variant-numeric: tabular-nums; }
.lycli .key { white-space: nowrap; }
.lycli:lang(en), .lycli :lang(en) { font-family: FONT_LATIN; }
.lycli :lang(zh) { font-family: FONT_CJK; }
.lycli .id { font-family: FONT_MONO; font-size: .86em; color: #2a4d69; white-space: nowrap; }
.lycli .muted { color: #666; }
.lycli .note { color: #555; }
.lycli .note:lang(en) { font-style: italic; }
.lycli mark { background: #ffeb99; color: inherit; padding: 0 .1em; }
.lycli .good { color: #1a7f37; }
.lycli .bad { color: #b42318; font-weight: 700; }
.lycli .nw { white-space: nowrap; }
.lycli .bar { display: inline-block; height: .8rem; vertical-align: -.1rem; background: #3d7ab8;
  border-radius: 1px; font-size: 0; line-height: 0; color: transparent; overflow: hidden; }
.lycli tfoot td { border: 0; padding-top: .6rem; color: #555; font-size: .85rem; }
.lycli .source { border-top: 1px solid #bbb; margin-top: 1rem; padding-top: .5rem; color: #555;
  font-size: .8rem; }
.lycli .source p { margin: 0; }
"""


def _inline(text: str) -> str:
    """Escaped text in which a number keeps its unit on one line (72亿元, 2400台)."""
    if not _NUMBER_UNIT.search(text):
        return escape(text)
    out = []
    for a, b in wrap.atoms(text):
        piece = text[a:b]
        core = piece.rstrip(" ")
        if len(core) > 1 and _NUMBER_UNIT.search(core) and not core.isascii():
            out.append(f'<span class="nw">{escape(core)}</span>{piece[len(core) :]}')
        else:
            out.append(escape(piece))
    return "".join(out)


def _styled(run: Run, plain_strong: bool) -> str:
    text = _inline(run.text)
    if run.style == "strong" and plain_strong:
        return text
    if run.style in _TAGS:
        tag = _TAGS[run.style]
        return f"<{tag}>{text}</{tag}>"
    if run.style == "id":
        return f'<span class="id" translate="no">{text}</span>'
    if run.style in _CLASSES:
        return f'<span class="{run.style}">{text}</span>'
    if run.style:  # a style this module does not know yet: a class of its name
        name = re.sub(r"[^a-z0-9-]", "", run.style.lower()) or "styled"
        return f'<span class="{name}">{text}</span>'
    return text


def line_html(spans: Line, root: str, plain_strong: bool = False) -> str:
    """One line: runs of another language than the page's wrapped in <span lang>."""
    out: list[str] = []
    group: list[Run] = []
    lang = root

    def flush() -> None:
        inner = "".join(_styled(r, plain_strong) for r in group)
        out.append(inner if lang == root else f'<span lang="{lang}">{inner}</span>')

    for r in runs(spans, root):
        here = r.lang or root
        if group and here != lang:
            flush()
            group = []
        lang = here
        group.append(r)
    if group:
        flush()
    return "".join(out)


def _cell_html(value: Cell, root: str, bars: dict[float, str] | None = None) -> str:
    share = bar_share(value)
    if share is not None and bars is not None:
        # Exactly as long as its value, by a class of its own width (no inline style).
        return f'<span class="bar {bars[share]}" aria-hidden="true"></span>'
    return "<br>".join(line_html(ln, root) for ln in lines_of(value) if ln)


def _table(table: Table, root: str, bars: dict[float, str]) -> list[str]:
    n = len(table.columns)
    classes = [
        " ".join(c for c, on in (("key", col.key), ("num", col.numeric), ("chart", col.bar)) if on)
        for col in table.columns
    ]

    def cls(i: int, extra: str = "") -> str:
        names = " ".join(x for x in (classes[i], extra) if x)
        return f' class="{names}"' if names else ""

    out = ['<div class="table-wrap">', "<table>"]
    title = text_lines(table.title)
    if any(title):
        parts = [f'<span class="title">{line_html(title[0], root, True)}</span>'] if title[0] else []
        parts += [line_html(ln, root) for ln in title[1:] if ln]
        out.append(f"<caption>{'<br>'.join(parts)}</caption>")
    out.append("<thead>")
    heads = []
    for i, col in enumerate(table.columns):
        text = "<br>".join(line_html(ln, root) for ln in text_lines(col.header) if ln)
        heads.append(f'<th scope="col"{cls(i)}>{text}</th>' if text else f"<td{cls(i)}></td>")
    out.append(f"<tr>{''.join(heads)}</tr>")
    out.append("</thead>")
    spanned = group_heads(table)
    covered = {r for start, size in spanned.items() for r in range(start + 1, start + size)}
    for g in groups(table):
        out.append("<tbody>")
        for r in g:
            cells = []
            for i, value in enumerate(table.rows[r]):
                if i == 0 and r in covered:
                    continue
                body = _cell_html(value, root, bars if table.columns[i].bar else None)
                if i == 0 and r in spanned:
                    cells.append(f'<th scope="rowgroup" rowspan="{spanned[r]}"{cls(i, "group")}>{body}</th>')
                elif table.columns[i].key:
                    cells.append(f'<th scope="row"{cls(i)}>{body}</th>')
                else:
                    cells.append(f"<td{cls(i)}>{body}</td>")
            out.append(f"<tr>{''.join(cells)}</tr>")
        out.append("</tbody>")
    if table.caption:
        text = "<br>".join(line_html(ln, root) for ln in text_lines(table.caption) if ln)
        out.append(f'<tfoot><tr><td colspan="{n}">{text}</td></tr></tfoot>')
    out += ["</table>", "</div>"]
    return out


def _note(note: Note, root: str, first: bool) -> list[str]:
    lines = [ln for ln in note.lines if any(s.text for s in ln)]
    if not lines:
        return []
    if note.heading:
        tag = "h1" if first else "h2"
        out = ['<header class="sheet-head">', f"<{tag}>{line_html(lines[0], root, True)}</{tag}>"]
        out += [f'<p class="dek">{line_html(ln, root, True)}</p>' for ln in lines[1:]]
        return [*out, "</header>"]
    return ['<div class="remarks">', *(f"<p>{line_html(ln, root)}</p>" for ln in lines), "</div>"]


def bar_classes(sheet: Sheet) -> dict[float, str]:
    """A class for each length of bar the sheet holds: w1, w2, … from the shortest."""
    shares = sorted(
        {
            share
            for block in sheet.blocks
            if isinstance(block, Table)
            for row in block.rows
            for i, value in enumerate(row)
            if block.columns[i].bar
            for share in (bar_share(value),)
            if share is not None
        }
    )
    return {share: f"w{i}" for i, share in enumerate(shares, 1)}


def _bar_rules(bars: dict[float, str]) -> str:
    return "".join(
        f".lycli .bar.{name} {{ width: {share * BAR_REM:.4f}rem; }}\n" for share, name in bars.items()
    )


def render(sheet: Sheet) -> str:
    """The page, as text."""
    root = page_lang(sheet.lang)
    title = " ".join(clean(sheet.title).split()) or "lycli"
    style = STYLESHEET
    for token, stack in (("FONT_CJK", FONT_CJK), ("FONT_LATIN", FONT_LATIN), ("FONT_MONO", FONT_MONO)):
        style = style.replace(token, stack)
    bars = bar_classes(sheet)
    style += _bar_rules(bars)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{root}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="lycli">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{style}</style>",
        "</head>",
        "<body>",
        '<article class="lycli">',
    ]
    for number, block in enumerate(sheet.blocks):
        out += _table(block, root, bars) if isinstance(block, Table) else _note(block, root, number == 0)
    source = sheet.source.strip() or "Compiled with lycli."
    lines = "".join(f"<p>{line_html(ln, root)}</p>" for ln in text_lines(source) if ln)
    out += [f'<footer class="source">{lines}</footer>', "</article>", "</body>", "</html>", ""]
    return "\n".join(out)
