"""Organisation and place mentions, found over the backbone's words.

A unit's name starts and ends on a word boundary (or where a unit suffix ends inside one of the
analyser's names) and is made of name-like words:
- a name the analyser found (LOC / ORG) is split into the units it nests:
  甲省乙市青河街道办事处 -> 甲省 | 乙市 | 青河街道办事处, each inside the one before;
- name-like words followed by a unit suffix word make one unit: 柳林/LOC 社区/n -> 柳林社区,
  茶叶/n 产业园/n -> 茶叶产业园; ordinary words (各, 部分, 重点, 认真, 聆听 ...) never do;
- a bare suffix after 该 / 本 / 我 or at the start of a clause (该镇, 镇党委, 街道) is a reference,
  resolved later to the unit it stands for;
- a name the analyser found without any suffix (石湾, 东岭) is the same entity as a unit of the
  article whose stem it is, else a place of its own.
Bodies (committees, departments, service centres, companies) keep the place written right
before them in their name (东岭县教育局, 石山社区党委); places are named by themselves and
nested (membership) in the place before them. Shared prefixes over a list (甲镇乙村、丙村) give
every item the parent of the first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import Suffix, is_cjk, lexicon
from kg.extract.state import COMMITTEES, PLACE_LEVEL, Unit, Word, state

NAME_TAGS = frozenset({"LOC", "ORG", "nz", "nw"})
# words a stem may be made of besides the analyser's names
_STEM_TAGS = frozenset({"LOC", "ORG", "nz", "nw", "PER", "n", "vn", "m", "an", "a", "s", "f"})
BODIES = frozenset({"PartyCommittee", "Branch", "Department", "ServiceCenter", "Enterprise"})
_REF_BEFORE = frozenset("该本此我其")  # 该镇, 本村, 我县
_RANK = {"District": 0, "Place": 0, "Office": 1, "Village": 2, "Community": 2, "ServiceCenter": 3,
         "Enterprise": 3, "Site": 3, "Department": 3}
# committees written with the place they belong to: 甲市委 is 甲市 and its committee
_PLACE_COMMITTEES = {"省委": "省", "市委": "市", "县委": "县", "区委": "区"}


@lru_cache(maxsize=1)
def _suffix_index() -> tuple[dict[str, list[Suffix]], frozenset[str], int]:
    """Suffixes by first character (longest first), the set of suffix texts, the longest."""
    lex = lexicon()
    texts = frozenset(s.text for v in lex.suffixes.values() for s in v)
    return lex.suffixes, texts, max(map(len, texts))


def _generic(stem: str) -> bool:
    """A stem that is an ordinary word, or made of them, not a name (行政, 各, 美丽乡 + 村)."""
    lex = lexicon()
    if not stem or not all(is_cjk(c) or c.isdigit() for c in stem) or stem[0] in lex.stop_chars:
        return True
    return _ordinary_words(stem)


@lru_cache(maxsize=8192)
def _ordinary_words(stem: str) -> bool:
    """Whether the stem is a run of generic stems and stop words, nothing else."""
    lex = lexicon()
    words = lex.generic_stems
    ok = [True] + [False] * len(stem)
    for e in range(1, len(stem) + 1):
        for s in range(max(0, e - 6), e):
            if ok[s] and (stem[s:e] in words or stem[s:e] in lex.stop_words_set):
                ok[e] = True
                break
    return ok[-1]


def _lookalike(text: str, start: int, suffix_start: int, end: int) -> bool:
    """乡村, 辖区, 各村, 美丽乡村: the suffix and what is written before it make a common word,
    with nothing but ordinary words before that."""
    words = lexicon().lookalikes
    return any(text[k:end] in words and (k == start or _generic(text[start:k]))
               for k in range(max(start, suffix_start - 3), suffix_start))


def _continues(text: str, end: int) -> bool:
    """A suffix followed by this character is part of a word (村民, 镇长, 市场)."""
    return text[end - 1:end + 1] in lexicon().continuations


# --- names the analyser found, split into the units they nest ----------------------------------


def _pieces_at(text: str, pos: int, end: int, first: bool) -> list[tuple[int, Suffix]]:
    """Every (end, suffix) of a unit that can start at `pos` inside text[:end]."""
    by_first, _, _ = _suffix_index()
    out = []
    for i in range(pos, end):
        for suf in by_first.get(text[i], ()):
            e = i + len(suf.text)
            stem = i - pos
            if e > end or text[i:e] != suf.text or stem > suf.max_stem:
                continue
            # 镇 + 党委, 县 + 博物馆: a body of a place the article names elsewhere
            of_place = stem == 1 and text[pos] in _PLACE_REFS and suf.label in BODIES | {"Site"}
            if (stem < suf.min_stem and not of_place) or (stem == 0 and first):
                continue
            if e < end and _continues(text, e):
                continue
            if stem and text[i - 1] in "省市县区" and suf.label in ("Village", "Community"):
                continue  # 东岭县村(社区): the county's villages, not a village
            if stem and (_generic(text[pos:i]) or _lookalike(text, pos, i, e)) and not of_place:
                continue
            out.append((e, suf))
    return out


def decompose(text: str, start: int, end: int) -> list[tuple[int, int, Suffix | None]]:
    """(start, end, suffix) of the units a name nests, outermost first: as many units as the
    name holds with no character left over, else the fewest left over (a last piece without a
    suffix has None)."""
    # pos -> (-characters left over, pieces (a one-character stem counts less than none),
    # characters of suffixes, the pieces)
    best: dict[int, tuple[int, float, int, list]] = {end: (0, 0.0, 0, [])}
    for pos in range(end - 1, start - 1, -1):
        options = []
        for e, suf in _pieces_at(text, pos, end, first=pos == start):
            if e in best:
                left, count, size, rest = best[e]
                stem = e - pos - len(suf.text)
                options.append((left, count + (1 if stem != 1 else -0.5), size + len(suf.text),
                                [(pos, e, suf), *rest]))
        # or the rest of the name is one piece without a suffix
        options.append((-(end - pos), 0, 0, [(pos, end, None)]))
        best[pos] = max(options, key=lambda o: o[:3])
    return best[start][3]


# --- the finder --------------------------------------------------------------------------------


def _suffix_words(words: list[Word], j: int, text: str) -> tuple[int, Suffix] | None:
    """The longest unit suffix that words j.. spell out exactly: (index after it, suffix)."""
    by_first, texts, longest = _suffix_index()
    best = None
    joined, k = "", j
    while k < len(words) and len(joined) < longest and words[k].tag not in ("w", "_SP"):
        joined += words[k].text
        k += 1
        if joined in texts:
            suf = next(s for s in by_first[joined[0]] if s.text == joined)
            best = (k, suf)
    if best and best[0] < len(words) and _continues(text, words[best[0] - 1].end):
        return None
    return best


def _is_unit_word(w: Word) -> bool:
    """An analyser's name that ends in a unit suffix: a unit of its own, never part of a stem
    (a street is: 长安街 + 社区)."""
    _, texts, longest = _suffix_index()
    if w.text.endswith(("街", "路", "巷")):
        return False
    return w.tag in ("LOC", "ORG") and any(w.text.endswith(w.text[-n:]) and w.text[-n:] in texts
                                          for n in range(1, min(longest, len(w.text) - 1) + 1))


_ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]+")


def _stem_word(w: Word) -> bool:
    if w.tag not in _STEM_TAGS or not all(is_cjk(c) or c.isdigit() for c in w.text):
        return False
    if _ORDINAL.fullmatch(w.text):
        return True  # 第二 + 督导组, 第三 + 网格党支部
    if w.tag == "m" and (not all(map(is_cjk, w.text)) or w.text[-1] in _COUNTERS):
        return False  # 26个 + 村, 两 + 镇: counted, not named
    if w.tag not in NAME_TAGS and w.tag != "PER" and (_generic(w.text) or
                                                      w.text in lexicon().lookalikes):
        return False
    return not _is_unit_word(w)


_COUNTERS = frozenset("个位名家所座条两几多余")


def _stem_start(words: list[Word], j: int, suf: Suffix, text: str) -> int | None:
    """The first word of the stem before words[j] (a suffix), or None when no name is there."""
    i = j
    size = 0
    while i > 0:
        w = words[i - 1]
        if not _stem_word(w) or size + len(w.text) > suf.max_stem:
            break
        size += len(w.text)
        i -= 1
        if w.tag in NAME_TAGS or w.tag == "PER":
            break  # an analyser's name is the start of the stem
    if i == j or size < max(suf.min_stem, 1):
        return None
    stem = text[words[i].start:words[j].start]
    if _generic(stem) or _lookalike(text, words[i].start, words[j].start, words[j].end):
        return None
    # a weak stem (ordinary words only) needs a short name and a noun for a suffix
    if all(words[k].tag in ("n", "vn", "m", "an", "a", "s", "f") for k in range(i, j)):
        if not 2 <= len(stem) <= 4 or (words[j].tag not in ("n", "nz", "LOC", "ORG") and
                                        words[j].text not in ("办", "室", "科")):
            return None  # (党建/vn 办/v: the analyser takes 办 for a verb)
    return i


_REFERRED = frozenset({"District", "Office", "Village", "Community", "PartyCommittee"})
_MEDIA = ("网", "报", "电视台", "广播电视台", "融媒体中心", "新闻")
_PLACE_REFS = frozenset("省市县区镇乡村")
_PLACE_REF_WORDS = _PLACE_REFS | {"街道", "社区"}


def split_glued(words: list[Word]) -> list[Word]:
    """Words with a suffix's beginning glued onto the name before it split off: 湖滨公园党群/ORG
    服务/vn 中心/n -> 湖滨公园/ORG 党群/n 服务/vn 中心/n (党群服务中心 is one suffix)."""
    _, texts, longest = _suffix_index()
    out: list[Word] = []
    for i, w in enumerate(words):
        if w.tag in ("LOC", "ORG") and len(w.text) >= 3 and w.text[0] in "和与及" and \
                i and words[i - 1].text in "、,,":
            out.append(Word(w.start, w.start + 1, w.text[0], "c"))  # 、和柳村: 和 + 柳村
            w = Word(w.start + 1, w.end, w.text[1:], w.tag)
        if w.tag in ("LOC", "ORG") and i + 1 < len(words):
            follow = ""
            for nxt in words[i + 1:i + 4]:
                follow += nxt.text
                for k in range(1, min(6, len(w.text) - 1)):
                    if w.text[-k:] + follow in texts and len(w.text[-k:] + follow) <= longest:
                        cut = w.end - k
                        out += [Word(w.start, cut, w.text[:-k], w.tag), Word(cut, w.end, w.text[-k:], "n")]
                        break
                else:
                    continue
                break
            else:
                out.append(w)
            continue
        out.append(w)
    return out


def split_at_units(words: list[Word], units: list[Unit]) -> list[Word]:
    """The analyser's names cut where the units they nest meet (东岭区青松科技 -> 东岭区 |
    青松科技), so later readers see each unit as words of its own."""
    cuts = {u.start for u in units} | {u.end for u in units}
    out = []
    for w in words:
        inner = sorted(c for c in cuts if w.start < c < w.end) if w.tag in ("LOC", "ORG") else []
        pos = w.start
        for c in inner + [w.end]:
            out.append(Word(pos, c, w.text[pos - w.start:c - w.start], w.tag))
            pos = c
    return out


def find_units(text: str, words: list[Word]) -> list[Unit]:
    units: list[Unit] = []
    n = len(words)
    j = 0
    while j < n:
        w = words[j]
        composed = _suffix_words(words, j, text)
        if composed is not None:
            k, suf = composed
            end = words[k - 1].end
            start = _stem_start(words, j, suf, text)
            if start is not None:
                s = words[start].start
                _drop_covered(units, s)
                _add(units, Unit(s, end, suf.label, text[s:end]))
                j = k
                continue
            prev = units[-1] if units else None
            if prev is not None and prev.end == w.start and (suf.label in BODIES or
                                                              suf.min_stem == 0):
                # a body right after a unit: 甲镇 + 党委, 乙村 + 党群服务中心
                _add(units, Unit(w.start, end, suf.label, suf.text))
                j = k
                continue
            if j and words[j - 1].text in _PLACE_REF_WORDS and suf.label in BODIES | {"Site"} and \
                    words[j - 1].end == w.start:
                # 县 + 博物馆, 区 + 农业农村局: a body of a place the article names elsewhere
                s = words[j - 1].start
                _add(units, Unit(s, end, suf.label, text[s:end]))
                j = k
                continue
            if suf.label in _REFERRED and _reference(words, j, text):
                # 镇党委, 该镇: a reference; 省委 / 市委 alone: the committee itself
                _add(units, Unit(w.start, end, suf.label, suf.text,
                                 generic=suf.text not in _PLACE_COMMITTEES))
                j = k
                continue
        if w.tag == "r" and len(w.text) >= 2 and w.text[0] in _REF_BEFORE:
            suf = next((s for s in _suffix_index()[0].get(w.text[1], ()) if s.text == w.text[1:]),
                       None)
            if suf is not None and suf.label in _REFERRED:  # 该镇, 我县, 本村: one word
                _add(units, Unit(w.start + 1, w.end, suf.label, suf.text, generic=True))
                j += 1
                continue
        if w.tag in ("LOC", "ORG") and len(w.text) >= 2 and not w.text.endswith(_MEDIA):
            _name_word(text, words, j, units)
        j += 1
    return _settle(text, units)


def _name_word(text: str, words: list[Word], j: int, units: list[Unit]) -> None:
    """The units of one name the analyser found."""
    w = words[j]
    pieces = decompose(text, w.start, w.end)
    if len(pieces) > 1 and pieces[-1][2] is None and pieces[-1][1] - pieces[-1][0] < 2:
        pieces = pieces[:-1]  # 东岭区委 + 书记: the title after a name is not a unit
    for s, e, suf in pieces:
        if suf is not None:
            if s == w.start and text[s] in _PLACE_REFS and e - s > len(suf.text) and \
                    text[s + 1:e] == suf.text:
                pass
            _add(units, Unit(s, e, suf.label, text[s:e]))
            continue
        name = text[s:e]
        if e - s < 2 or _generic(name) or name in lexicon().lookalikes or \
                lexicon_title(name):
            continue
        nxt = words[j + 1] if j + 1 < len(words) else None
        if s == w.start and nxt is not None and nxt.tag in ("n", "vn", "nz") and \
                not _suffix_words(words, j + 1, text):
            continue  # 沂蒙 + 农村: a name used as a modifier, not a place named
        _add(units, Unit(s, e, "Enterprise" if w.tag == "ORG" else "Place", name, bare=True))


def lexicon_title(name: str) -> bool:
    return any(name.endswith(t) for t in lexicon().titles)


def _reference(words: list[Word], j: int, text: str) -> bool:
    """A bare suffix that stands for a unit named elsewhere: 该镇, 我县, 镇党委, 街道 ..."""
    before = words[j - 1] if j else None
    if before is None or before.tag in ("w", "_SP"):
        return True
    return before.text[-1] in _REF_BEFORE or before.tag in ("p", "v", "c", "u")


def _drop_covered(units: list[Unit], start: int) -> None:
    while units and units[-1].start >= start:
        units.pop()


def _add(units: list[Unit], unit: Unit) -> None:
    """Append a unit; one written right after another is nested in it, unless it is the
    larger place (石山社区 | 乙市…公司: the city names the company, it is not in the community)."""
    prev = units[-1] if units else None
    if unit.parent is None and prev is not None and prev.end == unit.start and \
            (not prev.generic or prev.label in _PLACE_LABELS) and \
            _RANK.get(unit.label, 3) >= _RANK.get(prev.label, 3) - (unit.label in BODIES):
        unit.parent = len(units) - 1
    units.append(unit)


_PLACE_LABELS = frozenset({"District", "Office"})


def _settle(text: str, units: list[Unit]) -> list[Unit]:
    """Names of bodies with their place; place committees split off their place."""
    out: list[Unit] = []
    remap: dict[int, int] = {}
    for k, u in enumerate(units):
        parent = remap.get(u.parent) if u.parent is not None else None
        # 甲市委 / 甲县委 as one piece: the place and its committee
        for suffix in _PLACE_COMMITTEES:
            if u.label == "PartyCommittee" and u.name.endswith(suffix) and \
                    len(u.name) > len(suffix) + 1:
                out.append(Unit(u.start, u.end - 1, "District", text[u.start:u.end - 1], parent))
                parent = len(out) - 1
                break
        if u.label in BODIES and parent is not None and not u.generic:
            p = out[parent]
            if p.end == u.start and p.label in (*PLACE_LEVEL, "Place", "Site", "PartyCommittee"):
                owner = parent
                if u.label == "Enterprise" and p.label == "District" and p.parent is None and \
                        parent and out[parent - 1].end == p.start:
                    owner = parent - 1  # 石山社区 | 乙市某某公司: the company is in the community
                u = Unit(p.start, u.end, u.label, text[p.start:u.end], owner)
        u.parent = parent
        remap[k] = len(out)
        out.append(u)
    return out


def list_parents(text: str, units: list[Unit]) -> None:
    """甲镇乙村、丙村: an item after 、 without a parent gets the parent of the item before when
    it is of the same kind (the shared prefix)."""
    for k in range(1, len(units)):
        u = units[k]
        if u.generic and u.ref is not None and units[u.ref].parent is None:
            u = units[u.ref] if u.parent is None else u
        if u.parent is not None or u.generic or u.label in COMMITTEES:
            if u.generic and u.parent is not None and u.ref is not None and \
                    units[u.ref].parent is None:
                units[u.ref].parent = u.parent  # 甲市东岭: 东岭县 is in 甲市
            continue
        if u.start == 0 or text[u.start - 1] not in "、和及":
            continue
        prev = next((p for p in reversed(units[:k]) if p.end == u.start - 1), None)
        if prev is None:
            continue
        if prev.label != u.label:
            continue  # 乙镇甲村和丙社区: a list of another kind starts over
        rank = _RANK.get(u.label, 3)
        anc = prev.parent
        while anc is not None:
            a = units[anc]
            if _RANK.get(a.label, 3) < rank and a.label in PLACE_LEVEL:
                u.parent = anc
                break
            anc = a.parent


_MOVES_TO = ("赴", "到", "在", "来到", "前往", "走进", "从", "挺进", "抵达", "深入", "走访", "途经")


def resolve_names(text: str, units: list[Unit]) -> list[Unit]:
    """A bare name (石湾, 东岭) that is the stem of a unit of the article is that unit; one
    written before another unit is its place; one a group goes to or is in (赴某地, 在某地) is a
    place of its own. Other bare names are modifiers (沂蒙农村) and go."""
    stems: dict[str, int] = {}
    for k, u in enumerate(units):
        if u.label not in ("Place", "Site") and not u.generic:
            stems.setdefault(_stem_of(u), k)
    parents = {u.parent for u in units}
    keep: list[int] = []
    for k, u in enumerate(units):
        if u.label in ("Village", "Office") and not u.generic and u.name in stems and \
                units[stems[u.name]].label == u.label:
            u.generic, u.ref = True, stems[u.name]  # 石湾 (湾 a suffix too) and 石湾村: one village
        if u.label == "Place":
            target = stems.get(u.name)
            if target is not None:
                u.generic, u.ref, u.label = True, target, units[target].label
                if u.parent is not None and units[target].parent is None and target != u.parent:
                    units[target].parent = u.parent  # 甲市东岭: 东岭县 is in 甲市
                elif u.parent is None and text[u.start - 1:u.start] == "、" and k:
                    prev = next((v for v in reversed(units[:k]) if v.end == u.start - 1), None)
                    if prev is not None and prev.parent is not None and \
                            units[target].parent is None:
                        units[target].parent = prev.parent  # 甲市东岭、西岭: both in 甲市
            elif k in parents or any(text.endswith(m, 0, u.start) for m in _MOVES_TO) or \
                    _listed_after_place(text, units, k):
                u.label = "District"
            else:
                continue
        keep.append(k)
    return keep_units(units, keep)


def _listed_after_place(text: str, units: list[Unit], k: int) -> bool:
    """赴甲区、乙区、某某城: a bare name listed after places is one of them."""
    u = units[k]
    if text[u.start - 1:u.start] not in "、和":
        return False
    return any(v.end == u.start - 1 and v.label in ("District", "Office") for v in units[:k])


def alias_bodies(units: list[Unit]) -> None:
    """县水利局 / 乙县水利局, 市档案馆 / 甲市档案馆: a body written with a one-character
    place is the body the article names with its place in full."""
    for k, u in enumerate(units):
        if u.generic or len(u.name) < 3 or u.name[0] not in _PLACE_REFS or u.label not in BODIES:
            continue
        for j, v in enumerate(units):
            if j != k and not v.generic and v.label == u.label and len(v.name) > len(u.name) \
                    and v.name.endswith(u.name):
                u.generic, u.ref = True, j
                break


def keep_units(units: list[Unit], keep: list[int]) -> list[Unit]:
    """The units at these indices, their parent and reference indices renumbered (a dropped
    parent or reference is no longer one)."""
    if len(keep) == len(units):
        return units
    new = {old: i for i, old in enumerate(keep)}
    out = []
    for old in keep:
        u = units[old]
        u.parent = new.get(u.parent) if u.parent is not None else None
        u.ref = new.get(u.ref) if u.ref is not None else None
        out.append(u)
    return out


def _stem_of(u: Unit) -> str:
    by_first, texts, _ = _suffix_index()
    for n in range(len(u.name) - 1, 0, -1):
        if u.name[n:] in texts:
            return u.name[:n]
    return u.name


@Language.component("kg_organisations")
def organisations(doc):
    st = state(doc)
    text = st.text
    if not st.words:
        st.words = split_glued([Word(t.idx, t.idx + len(t.text), t.text, t.tag_) for t in doc])
    st.units = find_units(text, st.words)
    st.words = split_at_units(st.words, st.units)
    list_parents(text, st.units)
    st.units = resolve_names(text, st.units)
    alias_bodies(st.units)
    st.main = main_unit(text, st.units)
    mark_titles(text, st.units)
    return doc


def mark_titles(text: str, units: list[Unit]) -> None:
    """党工委书记, 管委会副主任: a body named inside a post title is not an entity by itself."""
    titles = _titles_after()
    for u in units:
        if u.label in ("PartyCommittee", "Department", "Branch") and \
                any(text.startswith(t, u.end) for t in titles.get(text[u.end:u.end + 1], ())):
            u.in_title = True


@lru_cache(maxsize=1)
def _titles_after() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for t in lexicon().titles:
        out.setdefault(t[0], []).append(t)
    return {k: tuple(v) for k, v in out.items()}


_GROUP = ("观摩团", "考察团", "观摩组", "学习团", "考察组", "调研组", "督导组", "学习组")


def place_of(units: list[Unit], k: int) -> int | None:
    """The place-level unit of a mention: itself, or the nearest place-level ancestor."""
    cur: int | None = k
    while cur is not None:
        if units[cur].label in ("District", "Office") and not units[cur].generic:
            return cur
        cur = units[cur].parent
    return None


def main_unit(text: str, units: list[Unit]) -> int | None:
    """The unit the article is about: the group's sender (X考察团), else the first office,
    district or body named outside a list of visited places."""
    for k, u in enumerate(units):
        if u.generic:
            continue
        after = text[u.end:u.end + 4]
        if any(after.startswith(g) for g in _GROUP):
            p = place_of(units, k)
            if p is not None:
                return p
    for k, u in enumerate(units):
        if u.generic:
            continue
        leaf = k
        while leaf + 1 < len(units) and units[leaf + 1].parent == leaf:
            leaf += 1
        if units[leaf].label in ("Village", "Community", "ServiceCenter", "Enterprise", "Site"):
            continue
        p = place_of(units, leaf)
        if p is not None:
            return p
    return None
