"""Literal values written in Chinese news: dates, head counts, star ratings."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from rdflib import XSD, Literal

_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^--(\d{2})-(\d{2})$")
_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


# time words that say when without giving a day: a Date span on one of them gives no date
NO_DAY = frozenset({"近日", "日前", "近期", "前不久", "不久前", "最近", "近来", "连日来",
                    "前段时间", "近段时间"})
# how far after publication a month and day may still fall (an announcement: 将于7月5日 in an
# article of 07-01); a day farther ahead is a year earlier (a look back: 12月30日 in an article
# of 01-05)
AHEAD = timedelta(days=31)


def parse_date(text: str) -> str | None:
    """'6月22日' -> '--06-22' (xsd:gMonthDay); '2022年6月22日' -> '2022-06-22'; a range
    '7月5日至6日' or '7月5-6日' gives its first day; else None."""
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


_DATE_FORMS = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD.date), (re.compile(r"^--\d{2}-\d{2}$"), XSD.gMonthDay))
DATE_TYPES = frozenset(datatype for _, datatype in _DATE_FORMS)


def typed_date(value: str) -> Literal:
    """A date as RDF out types it: 'YYYY-MM-DD' xsd:date, '--MM-DD' xsd:gMonthDay (a day
    without its year); anything else stays a plain string. Inside, dates are plain strings so
    that they pass a property-graph store unchanged (the ontology's kg:date and kg:published)."""
    for form, datatype in _DATE_FORMS:
        if form.match(value):
            return Literal(value, datatype=datatype)
    return Literal(value)


def plain_date(lit: Literal) -> Literal:
    """typed_date backwards: an xsd:date or xsd:gMonthDay as the plain string stored inside."""
    return Literal(str(lit)) if lit.datatype in DATE_TYPES else lit


def gives_no_day(text: str) -> bool:
    """'近日', '日前': a time word that gives no day, so there is no date to write."""
    return unicodedata.normalize("NFKC", text).strip() in NO_DAY


def resolve_date(value: str, published: str | None) -> tuple[str, bool]:
    """A parsed date with the year the article implies: (date, whether the year is inferred).

    The latest such day at most AHEAD after publication: '--06-22' published 2022-07-01 ->
    ('2022-06-22', True), the year of publication; '--12-30' published 2022-01-05 ->
    '2021-12-30', the year before (a look back); '--01-05' published 2022-12-20 ->
    '2023-01-05' (an announcement). A date with its year, a date of an article with no
    publication date, or a day that neither candidate year has (02-29) stay as they are, not
    inferred. `published` is ISO 'YYYY-MM-DD'; ValueError if it is not a date."""
    if published is None or not value.startswith("--"):
        return value, False
    latest = date.fromisoformat(published) + AHEAD
    month, day = int(value[2:4]), int(value[5:7])
    for year in (latest.year, latest.year - 1):
        try:
            full = date(year, month, day)
        except ValueError:  # 02-29 outside a leap year
            continue
        if full <= latest:
            return full.isoformat(), True
    return value, False


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
