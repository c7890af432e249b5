"""Where a line of Chinese and English may break: never inside an id, a word, a number with its
unit; never before closing or after opening punctuation (Chinese typesetting)."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from liaoyuan_cli.render.wrap import atoms, breaks, widest

CLOSING = "，。、；：？！）》”"
OPENING = "（《“"


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines(text: str, width: int) -> list[str]:
    cut = [0, *breaks(text, width, cells), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cut)]


def test_ids_words_and_numbers_with_units_stay_whole() -> None:
    text = "gaoxin-2023-gdp 地区生产总值完成72亿元，增长8.5%。新增智能袜机2400台 wind-solar-storage"
    pieces = [text[a:b].strip() for a, b in atoms(text)]
    for whole in ("gaoxin-2023-gdp", "72亿元，", "8.5%。", "2400台", "wind-solar-storage"):
        assert whole in pieces, (whole, pieces)


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    text = "聚力实现“五个新突破”，加快（现代）产业体系示范区建设。其中，亿元以上项目26个，总投资265亿元。"
    for width in range(widest(text, cells), 40):  # narrower, a piece must be cut: the last resort
        for line in lines(text, width):
            assert line[:1] not in CLOSING, (width, line)
            assert line.rstrip()[-1:] not in OPENING, (width, line)


def test_the_widest_piece_is_what_a_column_needs() -> None:
    assert widest("gaoxin-2024-zero-carbon-supporting-park 今年", cells) == len(
        "gaoxin-2024-zero-carbon-supporting-park"
    )
    assert widest("增长8.5%，", cells) == cells("8.5%，")


WORDS = st.sampled_from(["gaoxin-2023-gdp", "Tianying", "8.5%", "72亿元", "2,400", "yuan", "the", "x"])
HAN = st.text(alphabet="地区生产总值完成增长新增智能袜机项目建设", min_size=1, max_size=8)
PUNCT = st.sampled_from(list(CLOSING + OPENING))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.one_of(WORDS, HAN, PUNCT, st.just(" ")), min_size=1, max_size=30), st.integers(2, 60))
def test_lines_fit_and_keep_their_pieces(parts: list[str], width: int) -> None:
    text = "".join(parts)
    shown = lines(text, width)
    assert "".join(shown) == text  # nothing lost, nothing added
    for a, b in atoms(text):
        piece = text[a:b].rstrip(" ")
        if cells(piece) <= width:
            assert any(piece in line for line in shown), (piece, shown)
    for line in shown:
        longest_atom = max((cells(text[a:b].rstrip(" ")) for a, b in atoms(line)), default=0)
        assert cells(line.rstrip(" ")) <= max(width, longest_atom)
