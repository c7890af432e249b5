"""The argument vectors the fuzz (test_robustness.py) and the differential test of the fast
path (test_launch.py) both run: a command, maybe a positional, options, flags, stray tokens."""

from __future__ import annotations

from hypothesis import strategies as st

from .conftest import COMMAND_NAMES

FUZZ_COMMANDS = [
    *COMMAND_NAMES,
    "",
    "nope",
    "-V",
    "--help",
]
FUZZ_VALUE_OPTIONS = [
    "--format",
    "-f",
    "--lang",
    "--fields",
    "--kind",
    "--category",
    "--year",
    "--limit",
    "-n",
    "--area",
    "-a",
    "--article",
    "--theme",
    "--entity",
    "--metric",
    "--by",
    "--of",
    "--style",
    "--verdict",
    "--width",
    "--to",
]
FUZZ_FLAGS = [
    "--json",
    "--no-color",
    "--help",
    "-h",
    "--",
    "-",
    "--nope",
    "--has-figures",
    "--no-figures",
    "--raw",
]
FUZZ_VALUES = [
    "gaoxin",
    "高新区",
    "High-tech Zone",
    "西安安区",
    "天楹",
    "tianying",
    "Tian Ying",
    "growth",
    "gdp",
    "projects",
    "gaoxin-2023-gdp",
    "项目",
    "dongfeng",
    "result",
    "target",
    "plan",
    "industry",
    "livelihood",
    "2023",
    "2024",
    "json",
    "jsonl",
    "csv",
    "markdown",
    "table",
    "zh",
    "en",
    "both",
    "id,zh",
    "slug",
    "nope",
    "",
    " ",
    "x" * 300,
    "\x1b[31m",
    "\u202e",
    "\u200b",
    "😀",
    "👨‍👩‍👧",
    "\t",
    "\n",
    "%s",
    "{}",
    "[bold]x[/bold]",
    "'",
    '"',
    "\\",
    "-1",
    "0",
    "1",
    "99999",
    "1e3",
    "nan",
    "0x10",
    "session-2024",
    "all",
    "latest",
    "new-energy",
    "area,category",
    "area,verdict",
    "kind,theme",
    "records",
    "figures",
    "apa",
    "bibtex",
    "csl-json",
    "met",
    "not_assessed",
    "gdp-growth",
    "china-tianying",
    "tsv",
    "Industry",
    "TARGET",
    "JSON",
    "960",
]
# A real argv holds no NUL. Arguments that are not valid Unicode (surrogate escapes), numbers
# beyond SQLite's 64 bits and absolute --data paths (which would make the fuzz walk the real
# filesystem) are tested one by one above, each with its bug.
FUZZ_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
FUZZ_VALUE = st.one_of(
    st.sampled_from(FUZZ_VALUES),
    FUZZ_TEXT,
    st.integers(min_value=-(10**9), max_value=10**9).map(str),
)
FUZZ_DATA = ["missing-dir", "a-file", "empty-dir", "KB", ".", ""]


@st.composite
def argv_strategy(draw: st.DrawFn) -> list[str]:
    """A command, maybe a positional, then options with values, flags and stray tokens."""
    argv = [draw(st.sampled_from(FUZZ_COMMANDS))]
    if draw(st.booleans()):
        argv.append(draw(FUZZ_VALUE))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            argv += ["--data", draw(st.sampled_from(FUZZ_DATA))]
        elif kind <= 5:
            argv += [draw(st.sampled_from(FUZZ_VALUE_OPTIONS)), draw(FUZZ_VALUE)]
        elif kind <= 7:
            argv.append(draw(st.sampled_from(FUZZ_FLAGS)))
        else:
            argv.append(draw(FUZZ_VALUE))
    return argv
