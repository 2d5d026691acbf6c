"""Literal values written in Chinese news: dates, head counts, star ratings."""

from __future__ import annotations

import re
import unicodedata

_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^--(\d{2})-(\d{2})$")
_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def parse_date(text: str) -> str | None:
    """'6月22日' -> '--06-22' (xsd:gMonthDay); '2022年6月22日' -> '2022-06-22'; else None."""
    text = unicodedata.normalize("NFKC", text)
    m = _ISO.match(text.strip())
    if m:
        return text.strip()
    m = _DATE.search(text)
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def chinese_number(text: str) -> int | None:
    """Digits or simple Chinese numerals (三十, 二十五, 一百二十) to an int; None if neither."""
    text = unicodedata.normalize("NFKC", text)
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    total, current, seen = 0, 0, False
    for ch in text:
        if ch in _NUMERALS:
            current, seen = _NUMERALS[ch], True
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current, seen = 0, True
        elif seen:
            break
    return total + current if seen else None


def parse_head_count(text: str) -> int | None:
    """'30余人' -> 30 (the lower bound written); None when no number is written."""
    return chinese_number(text)


def parse_star_rating(text: str) -> int | None:
    """'五星' / '5星' -> 5, within 1..5."""
    n = chinese_number(text)
    return n if n is not None and 1 <= n <= 5 else None
