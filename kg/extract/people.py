"""People: the analyser's person names (PER), bylines, and names right after a post title.

Bylines are read where news puts them: a byline line (记者 某某 通讯员 某某), a bracket at the
start or the very end of the article ((通讯员 某某), (某某), (作者:某某 审核人:某某)), or a
bare name after the last sentence. A role word sets the role of the names after it (记者, 作者,
文/图 -> reporter; 通讯员 -> correspondent; 编辑, 审核 -> neither); a byline without one names
reporters. A name written as surname + title (王部长) is the person of that surname the article
names in full, if there is one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import alternation, is_cjk, lexicon
from kg.extract.organisations import keep_units
from kg.extract.state import Person, Word, state
from kg.read.page import is_byline

_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,3}")
_ROLE = re.compile(r"(全媒体记者|首席记者|特约记者|见习记者|记者|通讯员|实习生|作者|审核人|审核|"
                   r"责任编辑|责编|编辑|校对|摄影|摄|图/文|文/图|图文|文图|文|图)")
_ROLE_OF = {"通讯员": "Correspondent", "实习生": "Correspondent", "审核人": None, "审核": None,
            "责任编辑": None, "责编": None, "编辑": None, "校对": None}
_SPLIT = re.compile(r"[\s,,、/::;;]+")
_BRACKET = re.compile(r"[((]([^()()\n]{2,60})[))]")
_TRAIL = re.compile(r"[。!?!?”]\s+([\u4e00-\u9fff]{2,4}(?:\s+[\u4e00-\u9fff]{2,4}){0,2})\s*$")
_NOT_NAMES = frozenset({"文图", "编辑", "摄影", "图片", "报道", "来源", "本报", "记者", "通讯员"})
_TRIM = "和与及等在"
_FUNCTION_STARTS = ("关于", "对于", "按照", "通过", "为了", "由于", "根据", "围绕")


def read_name(text: str, p: int) -> int:
    """Length of a person's name starting at p by its form (surname + one or two), 0 if none."""
    lex = lexicon()
    if text[p:p + 2] in lex.compound_surnames:
        sur = 2
    elif p < len(text) and text[p] in lex.surnames:
        sur = 1
    else:
        return 0
    q = p + sur
    if q >= len(text) or not is_cjk(text[q]) or text[q] in "的了和与及等第一在对是为都也就、,,。":
        return 0
    if q + 1 < len(text) and is_cjk(text[q + 1]) and text[q + 1] not in lex.name_stops:
        return sur + 2
    return sur + 1


def _byline_names(segment: str, offset: int) -> list[Person]:
    """The people a byline segment names, with their roles."""
    out: list[Person] = []
    role: str | None = "Reporter"
    pos = 0
    for m in _ROLE.finditer(segment):
        _chunk_names(segment[pos:m.start()], offset + pos, role, out)
        role = _ROLE_OF.get(m.group(), "Reporter")
        pos = m.end()
    _chunk_names(segment[pos:], offset + pos, role, out)
    return out


def _chunk_names(chunk: str, offset: int, role: str | None, out: list[Person]) -> None:
    start = 0
    for m in _SPLIT.finditer(chunk + " "):
        piece = chunk[start:m.start()]
        a = offset + start
        start = m.end()
        if not piece or not _NAME.fullmatch(piece) or piece in _NOT_NAMES:
            continue
        if any(piece.endswith(s) for s in _ORG_ENDS):
            continue  # (东岭县教育局 某某): the outlet or office, not a name
        out.append(Person(a, a + len(piece), piece, role or "Editor"))


_ORG_ENDS = ("局", "镇", "乡", "县", "市", "区", "街道", "办", "部", "委", "网", "报", "台", "社", "中心",
             "新闻", "报道", "讯")


def byline_people(text: str) -> list[Person]:
    """People named in the article's bylines (role Reporter, Correspondent or Editor)."""
    out: list[Person] = []
    pos = 0
    for line in text.split("\n"):
        if _ROLE.search(line) and is_byline(line) or re.match(r"^\s*(?:作者|文|图)\s*[::]", line):
            out += _byline_names(line, pos)
        pos += len(line) + 1
    # a bracket right after the lead (本报讯 (通讯员 某某)) or at the very end of the text
    for m in _BRACKET.finditer(text):
        inner = m.group(1)
        at_start = m.start() < 40 and re.search(r"讯\s*$|报道\s*$|^\s*$", text[:m.start()])
        at_end = not text[m.end():].strip(" \n。")
        if not (at_start or at_end):
            continue
        if not (_ROLE.search(inner) or all(_NAME.fullmatch(p) or any(p.endswith(s) for s in _ORG_ENDS)
                                           for p in _SPLIT.split(inner.strip()) if p)):
            continue
        found = _byline_names(inner, m.start(1))
        out += [p for p in found if all(q.start != p.start for q in out)]
    m = _TRAIL.search(text)
    if m and not out:
        out += _byline_names(m.group(1), m.start(1))
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
    """Names right after a post title, by their form (for names the analyser missed)."""
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
        p = i + len(m.group())
        k = read_name(text, p) if p < n else 0
        if k and text[p:p + k] not in titles and not title_at_end(text, p + k):
            out.append(Person(p, p + k, text[p:p + k]))
            i = p + k
        else:
            i = p
    return out


def analysed_people(text: str, words: list[Word], skip: set[int]) -> list[Person]:
    """The analyser's person names, trimmed of a function word it glued on (张某和); not one in
    quotes (a nickname, a robot) or inside a unit's name (含光社区)."""
    out = []
    for w in words:
        if w.tag != "PER" or w.start in skip or text[w.start - 1:w.start] == "“" or \
                text.startswith(("新时代", "思想"), w.end) or \
                any(w.text.startswith(s) for s in _FUNCTION_STARTS):
            continue  # (a nickname in quotes; 某某新时代…思想: a doctrine's name; 关于社…)
        name, end = w.text, w.end
        while len(name) > 2 and name[-1] in _TRIM:
            name, end = name[:-1], end - 1
        if len(name) == 2 and read_name(text, w.start) == 3 and _given_char(words, w):
            name, end = text[w.start:w.start + 3], w.start + 3  # 周建/PER 国/n 到: 周建国
        if _NAME.fullmatch(name) and name not in _NOT_NAMES:
            out.append(Person(w.start, end, name))
    return out


def _given_char(words: list[Word], w: Word) -> bool:
    """Whether the one-character word after a two-character name is the name's last character
    (the analyser cut it off): a word of one character, followed by a word a name is."""
    i = words.index(w)
    nxt = words[i + 1] if i + 1 < len(words) else None
    after = words[i + 2] if i + 2 < len(words) else None
    return nxt is not None and len(nxt.text) == 1 and nxt.tag in ("v", "n", "a", "vn") and \
        is_cjk(nxt.text) and (after is None or after.tag in ("v", "w", "p", "u", "c", "d", "n")
                             and after.text[0] in "带到陪参主讲率为在,,、。一同等和与及")


def titled_form(name: str) -> int:
    """The surname's length when the name is surname + title (王部长), else 0."""
    titles = _titles()[2]
    return next((n for n in (1, 2) if name[n:] in titles), 0)


@Language.component("kg_people")
def people(doc):
    st = state(doc)
    text = st.text
    if not st.words:
        st.words = [Word(t.idx, t.idx + len(t.text), t.text, t.tag_) for t in doc]
    found = byline_people(text)
    # a byline's names are people, whatever else a name there looked like
    keep = [k for k, u in enumerate(st.units)
            if not any(p.start < u.end and u.start < p.end for p in found)]
    main = st.units[st.main] if st.main is not None else None
    st.units = keep_units(st.units, keep)
    st.main = next((k for k, u in enumerate(st.units) if u is main), None)
    covered = {i for p in found for i in range(p.start, p.end)}
    covered |= {i for u in st.units if not u.generic for i in range(u.start, u.end)}
    found += analysed_people(text, st.words, covered)
    covered |= {i for p in found for i in range(p.start, p.end)}
    found += [p for p in titled_people(text, covered)
              if not any(i in covered for i in range(p.start, p.end))]
    # surname + title (王部长) stands for the full name
    full: dict[str, str] = {}
    for p in sorted(found, key=lambda p: p.start):
        if p.role is None and not titled_form(p.name):
            for n in (1, 2):
                full.setdefault(p.name[:n], p.name)
    for p in found:
        n = titled_form(p.name) if p.role is None else 0
        if n and p.name[:n] in full:
            p.ref = full[p.name[:n]]
    # every later mention of a name found so
    names = {p.name for p in found if p.ref is None}
    taken = {(p.start, p.end) for p in found}
    covered = {i for p in found for i in range(p.start, p.end)}
    for name in sorted(names, key=len, reverse=True):
        a = text.find(name)
        while a >= 0:
            if (a, a + len(name)) not in taken and a not in covered:
                found.append(Person(a, a + len(name), name))
                taken.add((a, a + len(name)))
                covered.update(range(a, a + len(name)))
            a = text.find(name, a + len(name))
    found.sort(key=lambda p: p.start)
    st.people = found
    return doc
