"""Text helpers shared by validation, search and output: whitespace, numerals, folding, safety."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
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


_DIGITS = "零一二三四五六七八九"


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
    return format(Decimal(text), "f") if "e" in text else text


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
        forms.extend(("万", "一万") if wan == 1 else (_DIGITS[wan] + "万",) if wan < 10 else ())
    return [f for f in forms if f]


def numeral_forms(value: float) -> list[str]:
    """How a value may be printed: digits, or Chinese numerals (第十名, 全市第一, 万台)."""
    forms = [format_number(value)]
    if math.isfinite(value) and value == int(value):
        forms.extend(_chinese_integer(int(value)))
    return forms


# A number printed in digits: runs of digits joined by single points or commas (7.2, 2,400,
# 1.2.3), and a minus sign where it is a sign rather than a dash (增长-2.1%, not 5%-8% or 2023-2024).
_PRINTED = re.compile(r"(?P<sign>(?<![\d%.,])[-−－])?(?P<digits>\d+(?:[.,]\d+)*)")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
# Characters that carry a Chinese numeral on (十 in 十一, 一 in 十一): 万 and 亿 are not among
# them, since they belong to units as well (三万元 is 3 in 万元).
_CHINESE_NUMERAL = set(_DIGITS + "〇两十百千")


def _printed_numbers(text: str) -> list[Decimal]:
    """Every number printed in digits in `text`, whole: 85 in 85亿元 (never 5), 2400 in 2,400."""
    found: list[Decimal] = []
    for match in _PRINTED.finditer(text):
        digits, negative = match["digits"], match["sign"] is not None
        if _GROUPED.fullmatch(digits):
            parts = [digits.replace(",", "")]
        elif _PLAIN.fullmatch(digits):
            parts = [digits]
        else:  # not one number: a list (3,5) or a version (1.2.3); each plain piece stands alone
            parts = [p for p in digits.split(",") if _PLAIN.fullmatch(p)]
            negative = negative and len(parts) == 1
        found += [-Decimal(p) if negative and i == 0 else Decimal(p) for i, p in enumerate(parts)]
    return found


def states_number(text: str, value: float) -> bool:
    """Whether `text` prints `value` as a whole number, in digits or Chinese numerals.

    A number is matched whole, so that 5 is not found in 85亿元 nor 2 in 7.2%: digits are read as
    the numbers they print (4.0 is 4, 2,400 is 2400, -2.1 is negative), and a Chinese numeral
    counts only where no other numeral carries it on (十 stands in 第十名, not in 第十一名).
    """
    if isinstance(value, bool) or not math.isfinite(value):
        return False
    wanted = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if wanted in _printed_numbers(text):
        return True
    for form in numeral_forms(value)[1:]:  # the Chinese forms; digits were read above
        at = text.find(form)
        while at >= 0:
            before, after = text[at - 1 : at], text[at + len(form) : at + len(form) + 1]
            if not ({before, after} & _CHINESE_NUMERAL or before.isdecimal() or after.isdecimal()):
                return True
            at = text.find(form, at + 1)
    return False


_TONES = str.maketrans({"ü": "v", "Ü": "v"})
_PUNCT = re.compile(r"[\s'’‘\-_·.,，。、;；:：!！?？()（）“”\"《》<>\[\]【】/\\|+*&^%$#@~`=]+")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5](?![0-9])")


@lru_cache(maxsize=1 << 12)
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
