"""People: byline names (记者 / 通讯员, media bylines, "(某某 某某/文图)"), names right after a
post title (党工委书记路某某), and every later mention of a name found so."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import alternation, is_cjk, lexicon
from kg.extract.state import Person, state
from kg.read.page import is_byline

_NAME_TOKEN = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_TRAILER = re.compile(r"[((]\s*([\u4e00-\u9fff]{2,4}(?:[\s、]+[\u4e00-\u9fff]{2,4})*)\s*"
                      r"(?:/?\s*(?:文/图|图/文|文图|文|图|摄))?\s*[))]\s*$")
_NOT_FIRST_GIVEN = set("的了和与及等第一在对是为都也就、,,。")
_NOT_NAMES = {"文图", "编辑", "摄影", "图片"}
_BYLINE_WORD = re.compile(r"记者|通讯员|[\u4e00-\u9fff·]+")
_TRAILER_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def read_name(text: str, p: int) -> int:
    """Length of a person's name starting at p (0 if none)."""
    lex = lexicon()
    if text[p:p + 2] in lex.compound_surnames:
        sur = 2
    elif p < len(text) and text[p] in lex.surnames:
        sur = 1
    else:
        return 0
    q = p + sur
    if q >= len(text) or not is_cjk(text[q]) or text[q] in _NOT_FIRST_GIVEN:
        return 0
    if q + 1 < len(text) and is_cjk(text[q + 1]) and text[q + 1] not in lex.name_stops:
        return sur + 2
    return sur + 1


def byline_people(text: str) -> list[Person]:
    out: list[Person] = []
    pos = 0
    lines = text.split("\n") if ("记者" in text or "通讯员" in text) else ()
    for line in lines:  # (a line without 记者 / 通讯员 is skipped)
        if ("记者" in line or "通讯员" in line) and is_byline(line):
            role = "Reporter"
            for m in _BYLINE_WORD.finditer(line):
                w = m.group()
                if w.endswith("记者") or w == "记者":
                    role = "Reporter"
                    continue
                if w == "通讯员":
                    role = "Correspondent"
                    continue
                if _NAME_TOKEN.fullmatch(w) and w not in _NOT_NAMES:
                    out.append(Person(pos + m.start(), pos + m.end(), w, role))
        pos += len(line) + 1
    # a trailer's "(" is the text's last: the names and 文/图 between the parentheses hold none
    p = text.rfind("(")
    m = _TRAILER.search(text, p) if p >= 0 else None
    if m:
        for n in _TRAILER_NAME.finditer(m.group(1)):
            if n.group() not in _NOT_NAMES:
                out.append(Person(m.start(1) + n.start(), m.start(1) + n.end(), n.group(),
                                  "Reporter"))
    return out


@lru_cache(maxsize=1)
def _titles():
    """Post titles as a regex (longest first, so a match is the longest title there) and as
    sets by length (longest first)."""
    titles = lexicon().titles
    by_len: dict[int, set[str]] = {}
    for t in titles:
        by_len.setdefault(len(t), set()).add(t)
    rx = re.compile(alternation(titles))
    return rx, tuple((n, frozenset(ws)) for n, ws in sorted(by_len.items(), reverse=True)), \
        frozenset(titles)


@lru_cache(maxsize=1)
def _title_last_chars() -> frozenset[str]:
    return frozenset(t[-1] for t in lexicon().titles if t)


def title_at_end(text: str, end: int) -> str | None:
    """The post title that ends at `end`, longest first."""
    if text[end - 1:end] not in _title_last_chars():  # (few characters end a title)
        return None
    for n, words in _titles()[1]:
        if end >= n and text[end - n:end] in words:
            return text[end - n:end]
    return None


def titled_people(text: str, skip: set[int]) -> list[Person]:
    out = []
    rx, _, titles = _titles()
    i, n = 0, len(text)
    while i < n:
        m = rx.search(text, i)
        if m is None:
            break
        i = m.start()
        if i in skip:
            i += 1
            continue
        best = m.group()
        p = i + len(best)
        k = read_name(text, p) if p < n else 0
        if k and text[p:p + k] not in titles and not title_at_end(text, p + k):
            out.append(Person(p, p + k, text[p:p + k]))
            i = p + k
        else:
            i = p
    return out


@Language.component("kg_people")
def people(doc):
    st = state(doc)
    text = st.text
    found = byline_people(text)
    skip = {i for p in found for i in range(p.start, p.end)}
    found += titled_people(text, skip)
    names = {p.name for p in found}
    taken = {(p.start, p.end) for p in found}
    covered = set(skip) | {i for p in found for i in range(p.start, p.end)}
    for name in sorted(names, key=len, reverse=True):
        # every occurrence, left to right, not overlapping (what finditer of the name gives)
        n = len(name)
        a = text.find(name) if n else -1
        while a >= 0:
            if (a, a + n) not in taken and a not in covered:
                found.append(Person(a, a + n, name))
                taken.add((a, a + n))
                covered.update(range(a, a + n))
            a = text.find(name, a + n)
    found.sort(key=lambda p: p.start)
    st.people = found
    return doc
