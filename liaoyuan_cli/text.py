"""Text helpers shared by validation, search and output: whitespace, numerals, folding, safety."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# What could take over a terminal, hide or reorder text, or break a line where none is seen:
# every control (Cc: C0, DEL, C1; tab and newline aside), format character (Cf: bidi marks,
# overrides and isolates, zero-width characters, the BOM, soft hyphen, tag characters, ...),
# surrogate (Cs), line or paragraph separator (Zl, Zp), and every other Default_Ignorable_Code_Point
# (combining grapheme joiner, Hangul fillers, variation selectors, Mongolian selectors, ...): all
# are invisible or act on their neighbours, so they could hide a word. ZWJ (U+200D) and the
# variation selectors go too: emoji need them, Chinese and English text do not. Tests check the
# list against unicodedata's categories and Unicode's Default_Ignorable_Code_Point.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164"
    "\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def neutralise(text: str) -> str:
    """Text from a knowledge base made harmless to show: each unsafe character becomes U+FFFD."""
    return UNSAFE.sub("\ufffd", text)


def escape_unsafe(text: str) -> str:
    """JSON text with every unsafe character written as a \\u escape: the same string to a parser,
    inert on a terminal (json.dumps leaves C1, bidi and separators raw). A character beyond
    U+FFFF (a tag character) is written as JSON spells it, a surrogate pair of escapes."""
    return UNSAFE.sub(lambda m: _json_escape(m.group()), text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape_controls(text: str) -> str:
    """Text for a one-line message: unsafe characters, tabs and newlines shown escaped (\\x1b, \\n)."""
    return re.sub(
        r"[\t\n]",
        lambda m: m.group().encode("unicode_escape").decode(),
        UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text),
    )


def listed(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C': a list in an English sentence."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 assessment', '27 results', '2 session events': a count with its noun in English."""
    if n == 1:
        return f"{n} {noun}"
    if plural is None:
        plural = noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")
    return f"{n} {plural}"


def compact(text: str) -> str:
    """Drop all whitespace: the article breaks lines mid-sentence, quotes may not."""
    return _SPACE.sub("", text)


# The largest integer a float (and so a cached or exported value) holds exactly: 2**53. A base
# value beyond it could only be printed with made-up digits, so the models refuse one.
EXACT_INTEGER = 2**53


def format_number(value: float) -> str:
    """72.0 -> '72', 8.5 -> '8.5', 3.98 -> '3.98': as the article prints it, every digit the value
    holds and none it does not (1e28 stays '1e+28', never 28 digits of which 12 are invented)."""
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)  # 'nan', 'inf': never valid data, but never a crash either
    if value.is_integer():
        return str(int(value)) if abs(value) <= EXACT_INTEGER else f"{value:.15g}"
    text = repr(value)  # the shortest digits that give the value back
    if "e" not in text:
        return text
    from decimal import Decimal  # rare (1e-05), and 1 ms to import on every run

    return format(Decimal(text), "f")


_TONES = str.maketrans({"ü": "v", "Ü": "v"})
_PUNCT = re.compile(r"[\s'’‘\-_·.,，。、;；:：!！?？()（）“”\"《》<>\[\]【】/\\|+*&^%$#@~`=]+")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?![0-9])")


# British spellings, read as the American a reader may type: fibre/fiber, centre/center,
# -ise/-ize, -isation/-ization, analyse/analyze. Word by word (a boundary is needed, so it runs
# before spaces go) and letter for letter (each replacement the same length, so a match's place
# in the respelled text is its place in the text). Pinyin has no such words.
_RESPELL = (
    (r"(?<=fib|ent|met|lit|eat|lib)re(?=[sd]?\b)", "er"),
    (r"(?<=\wi)s(?=(?:e|es|ed|ing|ation|ations)\b)", "z"),
    (r"(?<=ly)s(?=(?:e|es|ed|ing)\b)", "z"),
)


@lru_cache(maxsize=1)
def _respellers() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled on first need: most calls (an area's slug) never need them, and start-up pays."""
    return tuple((re.compile(pattern, re.IGNORECASE), american) for pattern, american in _RESPELL)


def respell(text: str) -> str:
    """British spellings as American ones, letter for letter: 'Carbon-Fibre' -> 'Carbon-Fiber'."""
    low = text.casefold()
    if "re" not in low and "is" not in low and "ys" not in low:
        return text
    for pattern, american in _respellers():
        text = pattern.sub(american, text)
    return text


@lru_cache(maxsize=1 << 12)
def fold(text: str) -> str:
    """Case-, width-, accent- and spelling-insensitive form for matching: 'Tiān Yíng' ->
    'tianying', 'fibre' -> 'fiber'.

    Spaces and punctuation go too, so 'Xi'an', 'xi an' and 'xian' meet. Memoised: building
    the search index folds the same words again and again.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TONES)
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return _PUNCT.sub("", respell(text).casefold())


def fold_query(text: str) -> str:
    """fold(), and tone numbers after pinyin letters dropped: 'tian1ying2' -> 'tianying'."""
    return fold(_TONE_DIGIT.sub("", text.casefold()))
