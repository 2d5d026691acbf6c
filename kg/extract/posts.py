"""Posts: the titles a named person holds and the organisation each belongs to.

The titles are read leftwards from the name: segments separated by 、 (or by a comma when
a title ends right before it), each a title word (副书记, 主任, 镇长 ...) with the bodies
written before it (党委副书记, 人大工委主任) and, before those, the organisation it belongs to
(新港办事处 | 党工委书记; 市委组织部 | 副部长). A segment that names no organisation shares that
of its neighbour, or of the post before it in the same sentence (李某副镇长、武装部长王某); a
reference (镇, 该县) is the unit it stands for. Consecutive segments of one organisation are one
post (党委副书记、镇长). Bodies named inside a title are not entities of their own.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import DATA, is_cjk, lexicon
from kg.extract.people import title_at_end
from kg.extract.state import PLACE_LEVEL, Post, Unit, state

_ORG_LABELS = set(PLACE_LEVEL) | {"Enterprise", "ServiceCenter", "Department", "PartyCommittee",
                                  "Branch", "Site"}
_MAX_SEG = 16


def resolve(st, k: int | None) -> int | None:
    """The unit a generic reference (办事处, 该镇, 街道) stands for."""
    if k is None:
        return None
    u = st.units[k]
    if not u.generic:
        return k
    if u.ref is not None:
        return u.ref
    if u.name in _PLACE_COMMITTEES:
        return k  # 市委 written alone: the committee as written
    if st.main is not None and st.units[st.main].label == u.label:
        u.ref = st.main
        return st.main
    for j in range(k - 1, -1, -1):
        v = st.units[j]
        if v.label == u.label and not v.generic:
            u.ref = j
            return j
    if u.label in ("Village", "Community"):
        return None  # 各村, 该社区 with no village named: no unit to stand for
    u.ref = st.main
    return st.main


@lru_cache(maxsize=1)
def _bodies() -> tuple[str, ...]:
    lines = (DATA / "title_bodies.txt").read_text(encoding="utf-8").splitlines()
    return tuple(sorted((w.strip() for w in lines if w.strip() and not w.startswith("#")),
                        key=len, reverse=True))


def _segment(text: str, st, end: int, ends: dict[int, list[int]]) -> tuple[int, int | None] | None:
    """(start, organisation) of the title segment ending at `end`, or None if no title ends
    there."""
    t = title_at_end(text, end)
    if not t:
        return None
    s = end - len(t)
    while True:  # the bodies before the title word: 党委 | 副书记, 市委 | 常委
        body = next((b for b in _bodies() if text.endswith(b, 0, s)), None)
        if body is None or end - s + len(body) > _MAX_SEG:
            break
        units_here = [k for k in ends.get(s, []) if st.units[k].label in _ORG_LABELS
                      and not st.units[k].generic and st.units[k].start < s - len(body)]
        if units_here:
            break  # 青河镇党委 | 书记: the unit's own committee
        s -= len(body)
    org = None
    for k in ends.get(s, []):
        u = st.units[k]
        if u.label in _ORG_LABELS or u.generic:
            org = k
            break
    if org is None:
        org = _written_org(text, st, s)
    if org is None:
        # the unit written into the body: 镇党委 | 副书记 (镇 a reference), 市委 | 常委
        for k, u in enumerate(st.units):
            if s <= u.start < end and u.end <= end and u.label == "PartyCommittee" \
                    and (u.generic or u.name in _PLACE_COMMITTEES):
                org = k
                break
    if org is None:  # a body written into the title: 镇党委 | 副书记
        org = next((k for k, u in enumerate(st.units) if u.start == s and u.end <= end and
                    u.label in ("PartyCommittee", "Department", "Branch")), None)
    if org is None:
        body = next((b for b in _PLACE_COMMITTEES if text.startswith(b, s)), None)
        if body is not None:  # 区委书记: the committee of the article's 区
            org = _committee(st, s, body)
    for k, u in enumerate(st.units):  # bodies named inside the title are part of it
        if s <= u.start and u.end <= end and not u.generic and u.label not in PLACE_LEVEL:
            u.in_title = True
    if org is not None and st.units[org].start < s:
        s = st.units[org].start
        st.units[org].in_title = st.units[org].in_title or st.units[org].label in (
            "PartyCommittee", "Branch") and st.units[org].generic
    return s, org


_PLACE_COMMITTEES = ("省委", "市委", "县委", "区委")
# a title that says its level: 县长 is the county's, 镇长 the town's
_LEVEL = {"省长": "省", "市长": "市", "县长": "县", "区长": "区", "镇长": "镇", "乡长": "乡"}


def _written_org(text: str, st, s: int) -> int | None:
    """An organisation written before a title that the finder did not take for a unit (市高层次
    人才服务中心 | 主任): the words back to the last separator, when they end in a body's suffix."""
    a = s
    while a > 0 and text[a - 1] not in "、,,。;;:: \n“”\"" and s - a < 14:
        a -= 1
    phrase = text[a:s]
    if len(phrase) < 3 or not all(is_cjk(c) for c in phrase):
        return None
    suffix = next((x for v in lexicon().suffixes.values() for x in v
                   if phrase.endswith(x.text) and (len(phrase) > len(x.text) or not x.min_stem)),
                  None)
    if suffix is None or suffix.label not in ("Department", "ServiceCenter", "Enterprise"):
        return None
    st.units.append(Unit(a, s, suffix.label, phrase, in_title=False))
    return len(st.units) - 1


def _committee(st, s: int, body: str) -> int:
    """A place's committee written only in a title (区委书记): the committee, named as written."""
    st.units.append(Unit(s, s + len(body), "PartyCommittee", body, in_title=True))
    return len(st.units) - 1


def level_place(st, title: str) -> int | None:
    """The article's unit of the level a title names (县长: the first 县 of the article)."""
    level = next((v for k, v in _LEVEL.items() if title.endswith(k)), None)
    if level is None:
        return None
    label = "Office" if level in "镇乡" else "District"
    return next((k for k, u in enumerate(st.units) if not u.generic and u.label == label
                 and u.name.endswith(level)), None)


def place_org(st, k: int | None) -> int | None:
    """A post's organisation as FACTS.md names it: a place's committee is the place."""
    if k is None:
        return None
    u = st.units[k]
    if u.label in ("PartyCommittee", "Branch") and u.parent is not None and \
            st.units[u.parent].label in PLACE_LEVEL:
        return u.parent
    if u.label in ("PartyCommittee", "Department") and u.parent is None and \
            u.name[0] in "镇乡区县市" and u.name[1:] in ("党委", "党工委", "人大工委", "管委会"):
        # 镇党委 | 副书记, 区党工委: the committee of the article's town, district
        place = level_place(st, u.name[0] + "长")
        return next((x for x in (place, st.main) if x is not None), k)
    return k


def _title_start(st, s: int, e: int, written: int | None, org: int | None) -> int:
    """Where the title proper starts: after the place written before it, the bodies written
    into it kept (新港办事处 | 党工委书记; 镇 | 党委副书记; 市委组织部 | 副部长)."""
    if written is not None:
        u = st.units[written]
        if u.label in ("PartyCommittee", "Branch") and not u.generic:
            if u.parent is not None and st.units[u.parent].end <= u.end:
                return max(s, st.units[u.parent].end)
            if u.name[0] in "省市县区镇乡村" and len(u.name) <= 4:
                return u.start + 1  # 镇党委, 县委 | 常委: the place written as one character
            return u.start
        if s <= u.end <= e:
            return u.end
    if org is not None and s <= st.units[org].end <= e and st.units[org].start <= s:
        return st.units[org].end
    return s


def _unit_ends(st) -> dict[int, list[int]]:
    ends: dict[int, list[int]] = {}
    for k, u in enumerate(st.units):
        ends.setdefault(u.end, []).append(k)
    for v in ends.values():
        v.sort(key=lambda k: st.units[k].start)  # the longest name ending there first
    return ends


def segments(text: str, st, name_start: int,
             ends: dict[int, list[int]] | None = None) -> list[tuple[int, int, int | None]]:
    """[(start, end, organisation or None)] of the titles before a name, in text order."""
    if ends is None:
        ends = _unit_ends(st)
    out = []
    end = name_start
    while True:
        seg = _segment(text, st, end, ends)
        if seg is None:
            break
        s, org = seg
        out.append((s, end, org))
        if s > 0 and text[s - 1] in "、" and title_at_end(text, s - 1):
            end = s - 1
            continue
        break
    out.reverse()
    return out


@Language.component("kg_posts")
def posts(doc):
    st = state(doc)
    text = st.text
    found: list[Post] = []
    last_org: int | None = None
    last_sentence = -1
    ends = _unit_ends(st)
    for pi, person in enumerate(st.people):
        if person.role:
            continue
        segs = segments(text, st, person.start, ends)
        if not segs:
            continue
        sent = max(text.rfind("。", 0, person.start), text.rfind("\n", 0, person.start))
        carry = last_org if sent == last_sentence else None
        orgs = [o if o is not None and st.units[o].generic and st.units[o].name in
                _PLACE_COMMITTEES else resolve(st, o) for _, _, o in segs]
        for i in range(1, len(orgs)):  # 市委常委、组织部部长: the committee's own department
            o, left = orgs[i], orgs[i - 1]
            if o is not None and left is not None and st.units[left].label == "PartyCommittee" \
                    and st.units[o].label == "Department" and st.units[o].parent is None:
                orgs[i] = left
        for i in range(1, len(orgs)):  # a segment without organisation: its left neighbour's
            if orgs[i] is None:
                orgs[i] = orgs[i - 1]
        for i in range(len(orgs) - 2, -1, -1):  # or its right neighbour's
            if orgs[i] is None:
                orgs[i] = orgs[i + 1]
        for i, (s, e, o) in enumerate(segs):
            if orgs[i] is None:  # 县长 alone: the article's county, before any carried one
                orgs[i] = level_place(st, text[s:e])
        orgs = [place_org(st, o if o is not None else (carry if carry is not None else st.main))
                for o in orgs]
        for o in orgs:  # 某某服务中心 | 主任: a centre with posts is an institution, not a venue
            if o is not None and st.units[o].label in ("ServiceCenter", "Site"):
                st.units[o].label = "Department"
        start = 0
        for i in range(1, len(segs) + 1):
            if i == len(segs) or orgs[i] != orgs[start]:
                s, e = segs[start][0], segs[i - 1][1]
                org = orgs[start]
                title_from = _title_start(st, s, e, segs[start][2], org)
                found.append(Post(pi, title_from, e, text[title_from:e], org))
                start = i
        last_org = orgs[-1]
        last_sentence = sent
    st.posts = found
    return doc
