"""Posts: the title a named person holds and the organisation it belongs to.

The title is read leftwards from the name: segments separated by 、 that each end with a post
title word (副书记, 主任, 镇长 …); a segment that starts at a place-level unit belongs to it
(某某办事处 | 党工委副书记), a generic one (镇 / 街道 / 办事处) to the unit it refers to; a segment
without one shares the organisation of its neighbour, or of the previous post in the sentence
(李某某副镇长、武装部长王某某). Bodies named inside a title (党工委, 人大工委, 组织部) are marked
as such and are not entities on their own.
"""

from __future__ import annotations

from spacy.language import Language

from kg.extract.lexicon import is_cjk
from kg.extract.people import title_at_end
from kg.extract.state import PLACE_LEVEL, Post, state

_SEG_STOP = set("由的和与及在同对向为是了到赴将")
_PLACEISH = set(PLACE_LEVEL) | {"Enterprise", "ServiceCenter"}
_MAX_SEG = 12


def resolve(st, k: int | None) -> int | None:
    """The unit a generic reference (办事处, 该镇, 街道) stands for."""
    if k is None:
        return None
    u = st.units[k]
    if not u.generic:
        return k
    if u.ref is not None:
        return u.ref
    if st.main is not None and st.units[st.main].label == u.label:
        u.ref = st.main
        return st.main
    for j in range(k - 1, -1, -1):
        v = st.units[j]
        if v.label == u.label and not v.generic:
            u.ref = j
            return j
    u.ref = st.main
    return st.main


def _unit_ends(st) -> dict[int, list[int]]:
    ends: dict[int, list[int]] = {}
    for k, u in enumerate(st.units):
        ends.setdefault(u.end, []).append(k)
    return ends


def _segments(text: str, st, name_start: int, ends: dict[int, list[int]] | None = None):
    """[(seg_start, seg_end, org unit or None)] in text order, for the titles before a name
    (`ends`: unit indices by end offset, see _unit_ends)."""
    if ends is None:
        ends = _unit_ends(st)
    segs = []
    end = name_start
    while True:
        t = title_at_end(text, end)
        if not t:
            break
        s = end - len(t)
        org = None
        while s > 0 and end - s < _MAX_SEG:
            at = [k for k in ends.get(s, []) if st.units[k].label in _PLACEISH
                  or st.units[k].generic]
            if at:
                org = at[0]
                break
            ch = text[s - 1]
            if not is_cjk(ch) or ch in _SEG_STOP:
                break
            s -= 1
        if org is not None and st.units[org].start >= s:
            org = None
        # X市委常委: the committee's 市 belongs to the title
        if org is not None and text.startswith("委", s) and st.units[org].label == "District":
            s -= 1
        for k, u in enumerate(st.units):
            if u.start >= s and u.end <= end and not u.generic and u.label not in _PLACEISH:
                u.in_title = True
            if u.label in ("PartyCommittee", "Department") and s <= u.end - 1 < end and \
                    u.start < s:
                u.in_title = True
        segs.append((s, end, org))
        if s > 0 and text[s - 1] == "、" and title_at_end(text, s - 1):
            end = s - 1
            continue
        break
    segs.reverse()
    return segs


@Language.component("kg_posts")
def posts(doc):
    st = state(doc)
    text = st.text
    out: list[Post] = []
    last_org: int | None = None
    last_sentence = -1
    ends = _unit_ends(st)  # units do not change while posts are read (only their in_title)
    for pi, person in enumerate(st.people):
        if person.role:
            continue
        segs = _segments(text, st, person.start, ends)
        if not segs:
            continue
        sent = text.rfind("。", 0, person.start)
        carry = last_org if sent == last_sentence else None
        orgs = [resolve(st, o) for _, _, o in segs]
        for i in range(len(orgs)):
            if orgs[i] is None:
                orgs[i] = orgs[i - 1] if i else None
        for i in range(len(orgs) - 1, -1, -1):
            if orgs[i] is None and i + 1 < len(orgs) and i == 0 and carry is None:
                orgs[i] = orgs[i + 1]
        orgs = [o if o is not None else (carry if carry is not None else st.main) for o in orgs]
        # one post per organisation: consecutive segments of the same organisation together
        group_start = 0
        for i in range(1, len(segs) + 1):
            if i == len(segs) or orgs[i] != orgs[group_start]:
                s, e = segs[group_start][0], segs[i - 1][1]
                out.append(Post(pi, s, e, text[s:e], orgs[group_start]))
                group_start = i
        last_org = orgs[-1]
        last_sentence = sent
    st.posts = out
    return doc
