"""Values: dates (6月22日, 2022年6月22日; a range 7月5日至6日 or 7月5-6日 by its first day), head
counts (30余人), campaigns (quoted programme names right before 观摩/活动)."""

from __future__ import annotations

import re

from spacy.language import Language

from kg.extract.state import Value, state

_CN = "一二两三四五六七八九十百"
_CAMPAIGN = re.compile(r"“([^“”]{2,40})”(?=[^。,]{0,8}(?:观摩|活动|学习教育))")


_CN_SET = frozenset(_CN)
_NOT_AFTER_REN = frozenset("员民才大")


_RANGE = frozenset("-－—–~～至到、")  # between the two days of 7月5-6日, 7月5至6日


def _day(text: str, e: int) -> int:
    """The end of the 1-2 digits at e (e itself when there are none)."""
    n = len(text)
    if e < n and text[e].isdecimal():
        return e + 2 if e + 1 < n and text[e + 1].isdecimal() else e + 1
    return e


def _dates(text: str) -> list[tuple[int, int, str | None, str, str]]:
    r"""(start, end, year or None, month, day) of each (?:(\d{4})年)?(\d{1,2})月(\d{1,2})日, or
    of a range of days (\d{1,2})[-—至到、…](\d{1,2})日 after 月 (its first day), read around each
    月 (as _counts): day 1-2 digits + 日 after it; before it 4 digits + 年 + the 1-2 digits of
    the month, else the last 1-2 digits of the run before 月. The characters before a 月 that
    a match takes are digits and 年, so matches never overlap."""
    out = []
    n = len(text)
    r = text.find("月")
    while r >= 0:
        e = r + 1
        d = _day(text, e)
        if d > e:
            day, end = text[e:d], None
            if d < n and text[d] == "日":
                end = d + 1
            elif d < n and text[d] in _RANGE:
                last = _day(text, d + 1)
                if last > d + 1 and last < n and text[last] == "日":
                    end = last + 1
            if end is not None:
                k = r
                while k and r - k < 3 and text[k - 1].isdecimal():
                    k -= 1
                run = r - k  # 3 stands for 3 or more
                if run:
                    if run < 3 and k >= 5 and text[k - 1] == "年" and \
                            text[k - 5:k - 1].isdecimal():
                        out.append((k - 5, end, text[k - 5:k - 1], text[k:r], day))
                    else:
                        a = r - min(run, 2)
                        out.append((a, end, None, text[a:r], day))
        r = text.find("月", r + 1)
    return out


def _counts(text: str) -> list[tuple[int, int]]:
    r"""(start, end) of each (\d+|[一…百]+)(余|多)?名?人(?![员民才大]), read leftwards from each 人 (a
    literal the engine finds fast; scanning for a start character is slow on CJK text): a
    match is one number run (digits, or Chinese numerals) + 余|多? + 名? + 人. A run cannot
    hold 人, so the matches before different 人 never overlap, and a start inside a run fails
    when the run's first character does."""
    out = []
    n = len(text)
    r = text.find("人")
    while r >= 0:
        if r + 1 >= n or text[r + 1] not in _NOT_AFTER_REN:
            k = r
            if k and text[k - 1] == "名":
                k -= 1
            if k and text[k - 1] in "余多":
                k -= 1
            if k:
                c = text[k - 1]
                if c.isdecimal():  # what \d matches in a str pattern
                    j = k - 1
                    while j and text[j - 1].isdecimal():
                        j -= 1
                    out.append((j, r + 1))
                elif c in _CN_SET:
                    j = k - 1
                    while j and text[j - 1] in _CN_SET:
                        j -= 1
                    out.append((j, r + 1))
        r = text.find("人", r + 1)
    return out


def find_values(text: str) -> list[Value]:
    out = []
    for a, b, y, mo, d in _dates(text):
        mo, d = int(mo), int(d)
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        norm = f"{y}-{mo:02d}-{d:02d}" if y else f"{mo:02d}-{d:02d}"
        out.append(Value(a, b, "Date", text[a:b], norm))
    for a, b in _counts(text):
        out.append(Value(a, b, "HeadCount", text[a:b], text[a:b]))
    for m in _CAMPAIGN.finditer(text):
        out.append(Value(m.start(1), m.end(1), "Campaign", m.group(1), m.group(1)))
    out.sort(key=lambda v: v.start)
    return out


@Language.component("kg_values")
def values(doc):
    st = state(doc)
    st.values = find_values(st.text)
    return doc
