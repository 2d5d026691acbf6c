"""Values: dates (6月22日, 2022年6月22日), head counts (30余人), campaigns (quoted programme
names right before 观摩/活动)."""

from __future__ import annotations

import re

from spacy.language import Language

from kg.annotate.state import Value, state

# Both patterns start with a character class (not an optional group or an alternation), so the
# regex engine skips to the next digit in C instead of trying every position; they match exactly
# what (?:(\d{4})年)?(\d{1,2})月(\d{1,2})日 and (\d+|[一…百]+)(余|多)?名?人(?!…) match.
_DATE = re.compile(r"(\d)(?:(\d{3})年(\d{1,2})|(\d?))月(\d{1,2})日")  # year in 1+2, month 3 or 1+4
_CN = "一二两三四五六七八九十百"
_COUNT = re.compile(rf"([\d{_CN}](?:(?<=\d)\d*|(?<=[{_CN}])[{_CN}]*))(余|多)?名?人(?![员民才大])")
_CAMPAIGN = re.compile(r"“([^“”]{2,40})”(?=[^。,]{0,8}(?:观摩|活动|学习教育))")


_CN_SET = frozenset(_CN)
_NOT_AFTER_REN = frozenset("员民才大")


def _counts(text: str) -> list[tuple[int, int]]:
    """(start, end) of what _COUNT.finditer(text) matches, read leftwards from each 人 (a
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
    for m in _DATE.finditer(text):
        if m.group(2) is not None:
            y, mo = m.group(1) + m.group(2), int(m.group(3))
        else:
            y, mo = None, int(m.group(1) + m.group(4))
        d = int(m.group(5))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        norm = f"{y}-{mo:02d}-{d:02d}" if y else f"{mo:02d}-{d:02d}"
        out.append(Value(m.start(), m.end(), "Date", m.group(), norm))
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
