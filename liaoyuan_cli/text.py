"""Text helpers shared by validation, search and output: whitespace, numerals, folding, safety."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# What could take over a terminal, hide or reorder text, or break a line where none is seen:
# C0 and C1 controls (tab and newline aside), DEL, the Arabic letter mark, zero-width and
# directional marks and overrides, line and paragraph separators, word joiner and invisible
# operators, isolates, the byte-order mark, and interlinear annotation marks.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def neutralise(text: str) -> str:
    """Text from a knowledge base made harmless to show: each unsafe character becomes U+FFFD."""
    return UNSAFE.sub("\ufffd", text)


def escape_unsafe(text: str) -> str:
    """JSON text with every unsafe character written as a \\u escape: the same string to a parser,
    inert on a terminal (json.dumps leaves C1, bidi and separators raw)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def escape_controls(text: str) -> str:
    """Text for a one-line message: unsafe characters, tabs and newlines shown escaped (\\x1b, \\n)."""
    return re.sub(
        r"[\t\n]",
        lambda m: m.group().encode("unicode_escape").decode(),
        UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text),
    )


_DIGITS = "零一二三四五六七八九"


def compact(text: str) -> str:
    """Drop all whitespace: the article breaks lines mid-sentence, quotes may not."""
    return _SPACE.sub("", text)


def format_number(value: float) -> str:
    """72.0 -> '72', 8.5 -> '8.5', 3.98 -> '3.98': as the article prints it."""
    return f"{value:g}" if value != int(value) else str(int(value))


def _chinese_integer(n: int) -> list[str]:
    if n < 0 or n > 99_999:
        return []
    if n == 0:
        return ["零"]
    forms: list[str] = []
    if n < 10:
        forms.append(_DIGITS[n])
        if n == 2:
            forms.append("两")
    elif n < 100:
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else _DIGITS[tens] + "十"
        forms.append(head + (_DIGITS[ones] if ones else ""))
    if n % 10_000 == 0:
        wan = n // 10_000
        forms.append("万" if wan == 1 else _DIGITS[wan] + "万" if wan < 10 else "")
    return [f for f in forms if f]


def numeral_forms(value: float) -> list[str]:
    """How a value may be printed: digits, or Chinese numerals (第十名, 全市第一, 万台)."""
    forms = [format_number(value)]
    if value == int(value):
        forms.extend(_chinese_integer(int(value)))
    return forms


_TONES = str.maketrans({"ü": "v", "Ü": "v"})
_PUNCT = re.compile(r"[\s'’‘\-_·.,，。、;；:：!！?？()（）“”\"《》<>\[\]【】/\\|+*&^%$#@~`=]+")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?![0-9])")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, width- and accent-insensitive form for matching: 'Tiān Yíng' -> 'tianying'.

    Spaces and punctuation go too, so 'Xi'an', 'xi an' and 'xian' meet. Memoised: building
    the search index folds the same words again and again.
    """
    if text.isascii():
        return _PUNCT.sub("", text.casefold())
    text = unicodedata.normalize("NFKC", text).translate(_TONES)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return _PUNCT.sub("", text.casefold())


def fold_query(text: str) -> str:
    """fold(), and tone numbers after pinyin letters dropped: 'tian1ying2' -> 'tianying'."""
    return fold(_TONE_DIGIT.sub("", text.casefold()))


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None
