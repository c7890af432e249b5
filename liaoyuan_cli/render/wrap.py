"""Where a line of mixed Chinese and English may break (stdlib only; terminal and SVG use it).

The rules, a small subset of UAX #14 with the Chinese typesetting rules (禁则) that matter here:
- never inside a run of non-space, non-Chinese characters: an English word, a number, an id
  or a slug (gaoxin-2023-gdp) stays whole;
- a number keeps the unit that follows it (72亿元, 2400台, 8.5%);
- between Chinese characters a line may break, but no line begins with closing punctuation
  (，。、；：）》” …) and none ends with opening punctuation (（《“ …);
- after spaces.
Only a unit wider than the whole line is cut, as a last resort.
"""

from __future__ import annotations

from collections.abc import Callable
from unicodedata import combining, east_asian_width

_WIDTHS: dict[str, int] = {}
_CELLS: dict[str, int] = {}


def cells(text: str) -> int:
    """How many terminal cells a text takes: two for a wide (Chinese) character, none for a
    combining mark, one for the rest (unsafe characters are U+FFFD by now)."""
    found = _CELLS.get(text)
    if found is None:
        found = _CELLS[text] = _cells(text)
    return found


def _cells(text: str) -> int:
    total = 0
    for ch in text:
        width = _WIDTHS.get(ch)
        if width is None:
            width = 0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1
            _WIDTHS[ch] = width
        total += width
    return total


_CLOSING = set("，。、；：？！）》」』】〕〉…’”%％·,.;:?!)]}—")
_OPENING = set("（《「『【〔〈‘“([{")
_UNITS = set("亿万千百元个台名年月日%％")


def _cjk(ch: str) -> bool:
    """Characters between which a line may break (ideographs and full-width punctuation)."""
    return (
        "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
    )


_ATOMS: dict[str, list[tuple[int, int]]] = {}


def atoms(text: str) -> list[tuple[int, int]]:
    """The unbreakable pieces of a line, as (start, end) offsets; spaces end the piece before them.
    A layout measures each text several times (its widest piece, each candidate width): kept."""
    found = _ATOMS.get(text)
    if found is None:
        found = _ATOMS[text] = _atoms(text)
    return found


def _atoms(text: str) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    i, n = 0, len(text)
    glue_next = False  # the previous piece ended with opening punctuation
    while i < n:
        ch = text[i]
        if ch == " ":
            if out:
                out[-1][1] = i + 1
            else:
                out.append([i, i + 1])
            i += 1
            continue
        if _cjk(ch):
            end = i + 1
        else:
            end = i
            while end < n and text[end] != " " and not _cjk(text[end]):
                end += 1
        previous = text[out[-1][1] - 1] if out else ""
        joins = (
            bool(out)
            and out[-1][1] == i
            and (glue_next or ch in _CLOSING or (ch in _UNITS and (previous.isdigit() or previous in _UNITS)))
        )
        if joins:
            out[-1][1] = end
        else:
            out.append([i, end])
        glue_next = text[end - 1] in _OPENING
        i = end
    return [(a, b) for a, b in out]


def breaks(text: str, width: int, measure: Callable[[str], int]) -> list[int]:
    """Offsets at which to break `text` (one line, no newlines) so each piece fits in `width`."""
    offsets: list[int] = []
    used = 0
    for start, end in atoms(text):
        piece = text[start:end]
        size = measure(piece.rstrip(" "))
        if used and used + size > width:
            offsets.append(start)
            used = 0
        if size > width:
            # Wider than a whole line: cut it, the only way to show it at all.
            used = 0
            for i in range(start, end):
                step = measure(text[i])
                if used and used + step > width:
                    offsets.append(i)
                    used = 0
                used += step
            continue
        used += measure(piece)
    return offsets


def widest(text: str, measure: Callable[[str], int]) -> int:
    """The width of the widest unbreakable piece: below it a column must cut something."""
    return max((measure(text[a:b].rstrip(" ")) for line in [text] for a, b in atoms(line)), default=0)
