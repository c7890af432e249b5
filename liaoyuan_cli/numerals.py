"""Numbers as the article prints them: digits and Chinese numerals, read whole, with their place.

Validation (a figure's value must stand in its words) and the drafter read numbers here, so a
query never imports it. A number is read whole: 85 in 85亿元 (never 5), 11 in 第十一名 (never
10), 2400 in 2,400; a 万/亿 scale printed after it (5万, 1.2亿, 三万) is kept apart, so that
5万人 states 5 (unit 万人) and 50000 (unit 人) alike, and nothing else.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from liaoyuan_cli.text import format_number
from liaoyuan_cli.vocab import NUMBER_SCALES, Scale, unit_of

_DIGITS = "零一二三四五六七八九"
_DIGIT = {**{ch: i for i, ch in enumerate(_DIGITS)}, "〇": 0, "两": 2}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_CHINESE_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
# A number printed in digits: runs of digits joined by single points or commas (7.2, 2,400,
# 1.2.3), and a minus sign where it is a sign rather than a dash (增长-2.1%, not 5%-8% or 2023-2024).
# Full-width digits are digits (８．５％ is 8.5%).
_PRINTED = re.compile(r"(?P<sign>(?<![\d%.,．])[-−－])?(?P<digits>\d+(?:[.,．]\d+)*)")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:[.．]\d+)?")
_PLAIN = re.compile(r"\d+(?:[.．]\d+)?")
# Characters that carry a Chinese numeral on (十 in 十一, 一 in 十一).
_CHINESE_NUMERAL = set(_DIGITS + "〇两十百千")


class Printed(NamedTuple):
    """One number as printed: its span in the text, its value, the scale printed after it (万 in
    5万; '' for none) and whether it is written in Chinese numerals."""

    start: int
    end: int  # the number's end; the scale, if any, follows it
    value: Decimal
    scale: str
    chinese: bool

    @property
    def scaled(self) -> Decimal:
        """The value with its scale: 5万 -> 50000."""
        return self.value * Scale(self.scale).factor if self.scale else self.value

    @property
    def stop(self) -> int:
        """Where the number and its scale end."""
        return self.end + len(self.scale)


def _below_wan(text: str) -> int | None:
    """一百零五 -> 105, 十二 -> 12, 两千五 -> 2500 (a digit after a unit is its next place)."""
    total, digit, last_unit = 0, None, 0
    for ch in text:
        if ch in _DIGIT:
            if digit is not None and digit != 0:
                return None  # 二三: not a number of places
            digit = _DIGIT[ch]
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if last_unit and unit >= last_unit:
                return None  # 十百: places out of order
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit:
        total += digit * (last_unit // 10 if last_unit >= 100 and text[-2] in _SMALL else 1)
    return total


def chinese_value(text: str) -> Decimal | None:
    """The value of a Chinese numeral: 十二 12, 两千五百 2500, 三万五千 35000, 一点五 1.5,
    二〇二四 2024 (digit by digit); None for what is not one numeral."""
    if not text:
        return None
    if "点" in text:
        whole, _, fraction = text.partition("点")
        head = chinese_value(whole)
        if head is None or not fraction or any(ch not in _DIGIT for ch in fraction):
            return None
        return head + Decimal("0." + "".join(str(_DIGIT[ch]) for ch in fraction))
    if len(text) > 1 and all(ch in _DIGIT for ch in text):
        return Decimal("".join(str(_DIGIT[ch]) for ch in text))
    for big, factor in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            left, _, right = text.partition(big)
            head = chinese_value(left) if left else Decimal(1)
            if head is None:
                return None
            if not right:
                return head * factor
            if len(right) == 1 and right in _DIGIT and right != "零":  # 三万五: 35000
                return head * factor + _DIGIT[right] * factor // 10
            tail = chinese_value(right.removeprefix("零"))
            return None if tail is None else head * factor + tail
    value = _below_wan(text)
    return None if value is None else Decimal(value)


def _scale_after(text: str, at: int) -> str:
    return next((s for s in NUMBER_SCALES if text.startswith(s, at)), "")


def numbers(text: str) -> list[Printed]:
    """Every number printed in `text`, in order, read whole, with the scale printed after it."""
    found: list[Printed] = []
    for match in _PRINTED.finditer(text):
        digits, negative = match["digits"], match["sign"] is not None
        if _GROUPED.fullmatch(digits):
            parts = [(match.start("digits"), digits.replace(",", ""), len(digits))]
        elif _PLAIN.fullmatch(digits):
            parts = [(match.start("digits"), digits, len(digits))]
        else:  # not one number: a list (3,5) or a version (1.2.3); each plain piece stands alone
            parts, at = [], match.start("digits")
            for piece in digits.split(","):
                if _PLAIN.fullmatch(piece):
                    parts.append((at, piece, len(piece)))
                at += len(piece) + 1
            negative = negative and len(parts) == 1
        for i, (at, number, size) in enumerate(parts):
            value = Decimal(number.replace("．", "."))
            start = at
            if negative and i == 0:
                value, start = -value, match.start()
            found.append(Printed(start, at + size, value, _scale_after(text, at + size), False))
    for match in _CHINESE_RUN.finditer(text):
        run, start = match.group(), match.start()
        if start and (text[start - 1].isdecimal() or text[start - 1] in ".．"):
            continue  # the scale of digits (5万, 3千万), read with them
        if text.startswith("分之", match.end()) and len(run) == 1:
            continue  # 百分之十二: 百 is no number, 十二 follows
        scale = next((s for s in NUMBER_SCALES if run.endswith(s) and len(run) > len(s)), "")
        body = run[: len(run) - len(scale)] if scale else run
        if body in ("万", "亿"):  # 万台: ten thousand, a scale on its own
            body, scale = "一", body
            found.append(Printed(start, start, Decimal(1), scale, True))
            continue
        if scale and any(big in body for big in ("万", "亿")):
            body, scale = run, ""  # 一万亿 reads whole
        read = chinese_value(body)
        if read is None:
            continue
        end = start + len(body)
        found.append(Printed(start, end, read, scale or _scale_after(text, end), True))
    found.sort(key=lambda p: p.start)
    return found


def numeral_forms(value: float) -> list[str]:
    """How a value may be printed: digits, or Chinese numerals (第十名, 全市第一, 万台)."""
    forms = [format_number(value)]
    if math.isfinite(value) and value == int(value) and 0 <= value <= 99_999:
        n = int(value)
        if n < 10:
            forms.append(_DIGITS[n])
            if n == 2:
                forms.append("两")
        elif n < 100:
            tens, ones = divmod(n, 10)
            forms.append(("十" if tens == 1 else _DIGITS[tens] + "十") + (_DIGITS[ones] if ones else ""))
        if n and n % 10_000 == 0 and n // 10_000 < 10:
            forms.extend(("万", "一万") if n == 10_000 else (_DIGITS[n // 10_000] + "万",))
    return forms


def _decimal(value: float) -> Decimal | None:
    if isinstance(value, bool) or not math.isfinite(value):
        return None
    try:
        return Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    except InvalidOperation:
        return None


def states_number(text: str, value: float, unit: str | None = None) -> bool:
    """Whether `text` prints `value` as a whole number, in digits or Chinese numerals.

    A number is matched whole, so that 5 is not found in 85亿元 nor 2 in 7.2%: digits are read as
    the numbers they print (4.0 is 4, 2,400 is 2400, -2.1 is negative), and a Chinese numeral
    whole (十 stands in 第十名, not in 第十一名). A scale printed after the number may stay in
    the unit or move into the value, never both and never neither: 5万人 states 5 in 万人 and
    50000 in 人 (and 万台 states 10000 台). Without a unit, either reading is enough.
    """
    wanted = _decimal(value)
    if wanted is None:
        return False
    read = unit_of(unit) if unit else None
    unit_scale = next((s for s in NUMBER_SCALES if unit and unit.startswith(s)), "") if read else ""
    for number in numbers(text):
        if not number.scale:
            if number.value == wanted and not unit_scale:
                return True
            continue
        stays = number.value == wanted and (unit is None or unit_scale == number.scale)
        moves = number.scaled == wanted and (unit is None or not unit_scale)
        if stays or moves:
            return True
    return False
