"""Numbers as the article prints them: digits and Chinese numerals, read whole.

Validation only (a figure's value must stand in its quote), so a query never imports it.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from liaoyuan_cli.text import format_number

_DIGITS = "零一二三四五六七八九"


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
