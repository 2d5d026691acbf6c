"""Organisation and place mentions found by their forms: a name part (stem) followed by a unit
suffix (…办事处, …街道, …镇, …村, …社区, …党群服务中心, …集团, …局/办/室, 党工委, 党支部 …).

Nested names are split into their units (甲市乙镇丙村 -> 甲市 / 乙镇 / 丙村, each
nested in the one before); a bare 办事处 / 该镇 / 街道 is kept as a generic reference, resolved
later to the unit the article is about. Shared prefixes over a list (唐庄镇南社村、仁里屯村) give
every item the parent of the first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import alternation, is_cjk, lexicon
from kg.extract.state import COMMITTEES, PLACE_LEVEL, Unit, state

_COMMITTEE_OR_DEPT = frozenset(COMMITTEES | {"Department"})
_REF_BEFORE = set("该本此到在由")  # 该办事处, 到办事处…, 由镇党委…
_LIST_AFTER = set("、,,。;;等和与及")
_RANK = {"District": 0, "Office": 1, "Village": 2, "Community": 2, "ServiceCenter": 3,
         "Enterprise": 3, "Site": 3, "Department": 3}


def _by_len(by_last: dict[str, tuple[str, ...]]) -> dict[str, dict[int, frozenset[str]]]:
    out: dict[str, dict[int, set[str]]] = {}
    for ch, words in by_last.items():
        for w in words:
            out.setdefault(ch, {}).setdefault(len(w), set()).add(w)
    return {ch: {n: frozenset(ws) for n, ws in sorted(d.items())} for ch, d in out.items()}


_STOPS_BY_LAST = _by_len(lexicon().stop_by_last)
_GENERIC_BY_LAST = _by_len(lexicon().generic_by_last)
_WORD_FINAL = frozenset(_STOPS_BY_LAST) | frozenset(_GENERIC_BY_LAST)


def _word_ends_at(text: str, end: int, room: int, by_len: dict | None) -> bool:
    """Whether one of these words (by length, all with the same last character) ends at `end`,
    within `room` characters."""
    if by_len:
        for w, words in by_len.items():
            if w <= room and text[end - w:end] in words:
                return True
    return False


_GENERIC_EDGE = re.compile("|".join(re.escape(g) for g in lexicon().generic_words) or "(?!)")


@lru_cache(maxsize=4096)
def _generic_stem_cached(stem: str) -> bool:
    lex = lexicon()
    if stem in lex.generic_stems:
        return True
    # a generic word at either end of the stem
    if _GENERIC_EDGE.match(stem):
        return True
    return any(stem.endswith(g) for g in _GENERIC_ENDS.get(stem[-1], ())) if stem else False


_GENERIC_ENDS = lexicon().generic_by_last


@lru_cache(maxsize=1)
def _scan() -> re.Pattern:
    """Where a unit suffix starts. Every alternative starts with a literal, so the engine
    skips to the next possible first character in C."""
    lex = lexicon()
    sufs = sorted({s.text for v in lex.suffixes.values() for s in v}, key=len, reverse=True)
    # find_units bounds a stem only by accepted/rejected units: a character outside CJK needs
    # no boundary of its own, since the stem scan stops at it and no stop or generic word
    # (all CJK) can reach across it
    assert all(all(map(is_cjk, w)) for w in (*lex.stop_words, *lex.generic_words))
    return re.compile(alternation(sufs))


@lru_cache(maxsize=1)
def _candidates() -> dict[str, tuple]:
    """For each suffix (what _scan matches: the longest suffix at a position): the suffixes
    it starts with (itself included), longest first, with their lengths."""
    lex = lexicon()
    out = {}
    for cands in lex.suffixes.values():
        for longest in cands:
            out[longest.text] = tuple((suf, len(suf.text)) for suf in cands
                                      if len(suf.text) <= len(longest.text)
                                      and longest.text.startswith(suf.text))
    return out


def find_units(text: str) -> list[Unit]:
    lex = lexicon()
    units: list[Unit] = []
    boundary = 0
    last_end = -1  # end of the last accepted unit
    i, n = 0, len(text)
    scan = _scan().search
    continuations = lex.continuations
    stop_chars, stops, generics, final = lex.stop_chars, _STOPS_BY_LAST, _GENERIC_BY_LAST, _WORD_FINAL
    cands_of = _candidates()
    while i < n:
        # the next place a unit suffix starts (see _scan)
        m = scan(text, i)
        if m is None:
            break
        i = m.start()
        accepted = False
        # the suffixes that start there: those that the longest one there (the match) starts
        # with, longest first
        for suf, k in cands_of[m.group()]:
            end = i + k
            if end < n and text[end - 1:end + 1] in continuations:
                continue
            # the stem: CJK characters back from i, to a stop character or a stop or generic word
            s = i
            lo = i - suf.max_stem
            if lo < boundary:
                lo = boundary
            while s > lo:
                ch = text[s - 1]
                if not ("\u4e00" <= ch <= "\u9fff") or ch in stop_chars:
                    break
                if ch in final:  # only then can a stop or generic word end here
                    room = s - boundary
                    if _word_ends_at(text, s, room, stops.get(ch)) or \
                            (s < i and _word_ends_at(text, s, room, generics.get(ch))):
                        break
                s -= 1
            stem = text[s:i]
            prev = units[-1] if units and last_end == i else None
            if not stem:
                if prev is not None and not prev.generic:
                    unit = _attach(prev, len(units) - 1, suf, i, end, text, units)
                    if unit is not None:
                        units.append(unit)
                        boundary = last_end = end
                        accepted = True
                        break
                if prev is not None and prev.generic and suf.label in _COMMITTEE_OR_DEPT:
                    units.append(Unit(i, end, suf.label, suf.text))
                    boundary = last_end = end
                    accepted = True
                    break
                if suf.min_stem == 0:
                    units.append(Unit(i, end, suf.label, suf.text))
                    boundary = last_end = end
                    accepted = True
                    break
                before = text[i - 1] if i else "\n"
                if suf.label in ("Office", "District") and (
                        not ("\u4e00" <= before <= "\u9fff") or before in _REF_BEFORE):
                    units.append(Unit(i, end, suf.label, suf.text, generic=True))
                    boundary = last_end = end
                    accepted = True
                    break
                if end > boundary:
                    boundary = end
                continue
            if _generic_stem_cached(stem):
                if end > boundary:
                    boundary = end
                continue
            if len(stem) < suf.min_stem:
                continue
            if len(stem) == 1 and len(suf.text) == 1:
                after = text[end] if end < n else "。"
                if s != last_end and after not in _LIST_AFTER:
                    continue
            parent = len(units) - 1 if units and s == last_end else None
            if parent is not None and units[parent].generic:
                parent = None
            if suf.label in ("PartyCommittee",) and suf.text in ("省委", "市委", "县委", "区委"):
                # 甲市委: the place (甲市) and its committee
                units.append(Unit(s, i + 1, "District", text[s:i + 1], parent=parent))
                parent = len(units) - 1
            units.append(Unit(s, end, suf.label, text[s:end], parent))
            boundary = last_end = end
            accepted = True
            break
        i = boundary if accepted else i + 1
        if accepted and i <= units[-1].start:
            i = units[-1].end
    return units


def _attach(prev: Unit, pi: int, suf, i: int, end: int, text: str, units: list[Unit]) -> Unit | None:
    """A suffix right after a unit, with no name of its own."""
    if suf.label in COMMITTEES or suf.text in ("人大工委", "管委会"):
        return Unit(prev.start if not prev.generic else i, end, suf.label,
                    text[prev.start:end], parent=pi)
    if prev.label == "Site":  # 体育公园 + 党群服务中心, 海马公园 + 社区
        units.pop()
        return Unit(prev.start, end, suf.label, text[prev.start:end], parent=prev.parent)
    if suf.label == "ServiceCenter" and prev.label in ("Village", "Community"):
        return Unit(prev.start, end, suf.label, text[prev.start:end], parent=pi)
    if suf.min_stem == 0:
        return Unit(i, end, suf.label, suf.text, parent=pi)
    return None


def list_parents(text: str, units: list[Unit]) -> None:
    """唐庄镇南社村、仁里屯村: an item after 、 without a parent gets the parent of the item
    before when it is of the same kind (the shared prefix)."""
    for k in range(1, len(units)):
        u = units[k]
        if u.parent is not None or u.generic or u.label in COMMITTEES:
            continue
        # the previous list item: the unit ending right before "、"
        if u.start == 0 or text[u.start - 1] != "、":
            continue
        prev = next((p for p in reversed(units[:k]) if p.end == u.start - 1), None)
        if prev is None:
            continue
        top = prev
        anc = prev.parent
        rank = _RANK.get(u.label, 3)
        while anc is not None:
            a = units[anc]
            if _RANK.get(a.label, 3) < rank and a.label in PLACE_LEVEL:
                u.parent = anc
                break
            anc = a.parent
        del top


@Language.component("kg_organisations")
def organisations(doc):
    st = state(doc)
    text = st.text
    st.units = find_units(text)
    list_parents(text, st.units)
    st.main = main_unit(text, st.units)
    title_at = _title_start().match
    for u in st.units:  # 党工委书记, 管委会副主任: a body named inside a post title
        if u.label in ("PartyCommittee", "Department", "Branch") and title_at(text, u.end):
            u.in_title = True
    return doc


@lru_cache(maxsize=1)
def _title_start() -> re.Pattern:
    """Matches where some post title starts."""
    return re.compile(alternation(lexicon().titles))


_GROUP = ("观摩团", "考察团", "观摩组", "学习团", "考察组")
_GROUP_RE = re.compile("|".join(_GROUP))


def place_of(units: list[Unit], k: int) -> int | None:
    """The place-level unit of a mention: itself, or the nearest place-level ancestor."""
    cur: int | None = k
    while cur is not None:
        if units[cur].label in ("District", "Office") and not units[cur].generic:
            return cur
        cur = units[cur].parent
    return None


def main_unit(text: str, units: list[Unit]) -> int | None:
    """The unit the article is about: the group's sender (X…观摩团), else the first office,
    district or body named outside a list of visited places."""
    group_in = _GROUP_RE.search
    for k, u in enumerate(units):
        if group_in(text, u.end, u.end + 10) is None:  # no group word in the 10 characters after
            continue
        after = text[u.end:u.end + 10]
        if any(g in after for g in _GROUP) and not any(
                units[j].start >= u.end and units[j].start < u.end + after.find(g)
                for g in _GROUP if g in after for j in range(len(units))):
            p = place_of(units, k)
            if p is not None:
                return p
    for k, u in enumerate(units):
        if u.generic:
            continue
        # the leaf of this chain
        leaf = k
        while leaf + 1 < len(units) and units[leaf + 1].parent == leaf:
            leaf += 1
        if units[leaf].label in ("Village", "Community", "ServiceCenter", "Enterprise", "Site"):
            continue
        p = place_of(units, leaf)
        if p is not None:
            return p
    return None
