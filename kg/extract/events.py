"""Events: trips (observation, inspection), meetings and lectures, built from the words of
kg/extract/data/events.tsv by one builder.

A trip is every trigger clause of one organiser (the article's office touring villages, or a
county leader inspecting a town): its organiser, date, leaders and head count come from its
lead sentence, its stops from the lists after the movement and visit verbs of its sentences
(先后来到 A、B、C; 参观了 D、E). A stop inside a place the group went to (在甲镇, 到乙镇观摩了 X)
is in that place (membership); a group that went to a village or community visited that place,
not the rooms and halls shown there. A meeting (座谈会, 表彰大会 ...) is an event of its own,
with its venue (在 X 召开) and chair (主持); a lecture (党课) with its lecturers, unless it was
given during a meeting or a stop. References to the group (考察团, 一行, 调研组) stand for the
trip's organiser; an official's trip (王某一行到…调研) is organised by the body of the post
they hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import DATA, alternation, is_cjk, lexicon
from kg.extract.people import title_at_end
from kg.extract.posts import resolve
from kg.extract.state import SITE_LABELS, Event, Unit, state
from kg.read.page import is_heading

_LABEL = {"observation": "Observation", "inspection": "Inspection", "meeting": "Meeting",
          "lecture": "Lecture"}
_SENTENCE = re.compile(r"[^。!?!?;;\n]+")
_CLAUSE_END = "。!?!?;;\n,,::"
_PLACE = ("District", "Office")
_BODY = ("ServiceCenter", "Department", "PartyCommittee", "Branch")
_VENUE_END = re.compile(r"(?:项目|基地|园区|产业园|中心|馆|公园|广场|公司|集团|合作社|厂|果园|园)$")
_VENUES = ("ServiceCenter", "Site", "Enterprise")
_RANK = {"District": 0, "Office": 1, "Village": 2, "Community": 2}
_NOUNISH = frozenset({"n", "nz", "LOC", "ORG", "PER", "nw", "vn", "an", "a", "s", "f", "m", "TIME"})
_HEADS = frozenset({"n", "nz", "LOC", "ORG", "nw", "PER"})
_GROUPS = ("考察团", "学习组", "观摩组", "调研组", "考察组", "观摩团", "学习团", "督导组")


@dataclass(frozen=True)
class Vocabulary:
    triggers: dict[str, str]
    cues: dict[str, frozenset[str]]

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    triggers: dict[str, str] = {}
    cues: dict[str, set[str]] = {}
    for line in (DATA / "events.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, what, *kind = line.split("\t")
        if what == "trigger":
            triggers[word] = kind[0]
        else:
            cues.setdefault(what, set()).add(word)
    return Vocabulary(triggers, {k: frozenset(v) for k, v in cues.items()})


@lru_cache(maxsize=1)
def _trigger_pattern() -> re.Pattern:
    return re.compile(alternation(vocabulary().triggers))


@lru_cache(maxsize=8)
def _cue_pattern(name: str) -> re.Pattern:
    return re.compile(alternation(sorted(vocabulary().cue(name), key=len, reverse=True)))


@dataclass
class _Trigger:
    start: int
    end: int
    word: str
    kind: str
    sentence: int


class _Builder:
    """The events of one article, from its state (units, people, posts, values)."""

    def __init__(self, st) -> None:
        self.st = st
        self.text = st.text
        self.sents = [m.span() for m in _SENTENCE.finditer(self.text)]
        self.word_starts = {w.start for w in st.words} | {0}
        self.word_ends = {w.end for w in st.words}
        self.unit_at: dict[int, list[int]] = {}
        for k, u in enumerate(st.units):
            self.unit_at.setdefault(u.start, []).append(k)

    # --- where things are ---------------------------------------------------------------------

    def sentence_of(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.sents):
            if s <= pos < e:
                return i
        return -1

    def paragraph(self, pos: int) -> tuple[int, int]:
        s = self.text.rfind("\n", 0, pos) + 1
        e = self.text.find("\n", pos)
        return s, len(self.text) if e < 0 else e

    def clause_start(self, pos: int) -> int:
        i = pos
        while i > 0 and self.text[i - 1] not in _CLAUSE_END:
            i -= 1
        return i

    def future(self, pos: int) -> bool:
        s = self.clause_start(pos)
        return _cue_pattern("future-before").search(self.text, s, pos) is not None

    def triggers(self) -> list[_Trigger]:
        out = []
        kinds = vocabulary().triggers
        for m in _trigger_pattern().finditer(self.text):
            if m.start() not in self.word_starts:
                continue
            out.append(_Trigger(m.start(), m.end(), m.group(), kinds[m.group()],
                                self.sentence_of(m.start())))
        return out

    # --- who ----------------------------------------------------------------------------------

    def leaders_in(self, s: int, e: int, cues: tuple[str, ...]) -> list[int]:
        """People in text[s:e] written before one of the cues (带队, 一行 ...), the names of a
        list before it included (甲、乙带队; 由甲、乙带队)."""
        st, text = self.st, self.text
        out: list[int] = []
        people = [(pi, p) for pi, p in enumerate(st.people) if s <= p.start < e and p.role is None]
        for i, (pi, p) in enumerate(people):
            after = text[p.end:p.end + 6].lstrip("同志")
            if text[p.end:p.end + 2] == "同志":
                after = text[p.end + 2:p.end + 8]
            if not any(after.startswith(c) for c in cues):
                continue
            out.append(pi)
            # the names before it in the same list (甲、乙带队; 市委某某甲, 某某乙一行)
            j = i - 1
            while j >= 0:
                qi, q = people[j]
                between = text[q.end:people[j + 1][1].start]
                if len(between) > 30 or any(c in between for c in "。;;") or \
                        re.search(r"陪同|参加|出席|[到赴在来]", between):
                    break
                out.append(qi)
                j -= 1
        return out

    def movers(self, s: int, e: int) -> list[int]:
        """People who are the subject of a move in text[s:e] (王某到甲镇调研)."""
        st, text = self.st, self.text
        out = []
        moves = _cue_pattern("move")
        for pi, p in enumerate(st.people):
            if p.role is not None or not s <= p.start < e:
                continue
            m = moves.match(text, p.end)
            if m and re.match(r"[^。,,]{0,30}(?:调研|督导|检查|考察|观摩|慰问|指导)", text[m.end():]):
                out.append(pi)
        return out

    def organizer(self, lead: int, leaders: list[int]) -> int | None:
        """The body that sent the group: the unit before 组织 / 带领 / 开展 in the lead
        sentence, the body of its leader's post, else the article's own unit."""
        st, text = self.st, self.text
        s, e = self.sents[lead]
        for k, u in enumerate(st.units):
            if not s <= u.start < e or u.in_title:
                continue
            if any(v is not u and v.start <= u.start and v.end > u.end for v in st.units):
                continue  # (甲区委 | 组织部组织…: the longer name is the sender)
            if _cue_pattern("move").search(text, self.clause_start(u.start), u.start):
                continue  # (来我县开展: where the group went, not who sent it)
            after = text[u.end:u.end + 4]
            if re.match(r"(?:党委|党工委)?(?:组织|带领|开展|召开|举办|举行|联合|由|考察团|学习组|观摩组|调研组|考察组|观摩团)", after):
                k2 = resolve(st, k)
                if k2 is not None and st.units[k2].label not in SITE_LABELS:
                    return k2
        for pi in sorted(leaders, key=lambda i: st.people[i].start):
            post = next((p for p in st.posts if p.person == pi and p.org is not None), None)
            if post is not None:
                return resolve(st, post.org)
        # X考察团 (the headline's or the lead's): the group of X
        for k, u in enumerate(st.units):
            if not u.generic and any(text.startswith(g, u.end) for g in _GROUPS):
                return resolve(st, k)
        return st.main

    # --- where --------------------------------------------------------------------------------

    def units_in(self, s: int, e: int) -> list[int]:
        return [k for k, u in enumerate(self.st.units) if s <= u.start and u.end <= e]

    def list_after(self, pos: int, limit: int) -> list[tuple[int, int]]:
        """The items of a list starting at pos: (start, end) of each, up to the first clause
        end, verb of doing (进行, 开展 ...) or 等."""
        text = self.text
        end = pos
        while end < limit and text[end] not in _CLAUSE_END:
            end += 1
        span = text[pos:end]
        stop = re.search(r"进行|开展|实地|现场|调研|考察|观摩|参观|学习|察看|查看|了解|召开|听取|"
                         r"开展|等地|等[^级]|详细|专题|,|\d+个|[一二三四五六七八九十两]+个", span)
        if stop:
            end = pos + stop.start()
        items = []
        i = pos
        for m in re.finditer(r"、|以及|和|及|与", text[pos:end]):
            a, b = pos + m.start(), pos + m.end()
            if m.group() in ("和", "及", "与") and (not self._list_joint(a, b) or
                                                  not self._complete(i, a)):
                continue  # 木质家具及人造板检验中心: one name
            items.append((i, a))
            i = b
        items.append((i, end))
        return [(a, b) for a, b in items if b > a]

    def _complete(self, a: int, b: int) -> bool:
        """Whether text[a:b] is a whole name (a unit ends there, or it ends as a venue does)."""
        return any(u.end == b and u.start >= a for u in self.st.units) or \
            _VENUE_END.search(self.text[a:b]) is not None

    def _list_joint(self, a: int, b: int) -> bool:
        """Whether 和 / 及 / 与 at a..b joins two list items (not inside a name: 人造板及...)."""
        return any(w.start == a and w.end == b and w.tag == "c" for w in self.st.words)

    def stop_of(self, a: int, b: int, new: list[Unit] | None) -> int | Unit | None:
        """The stop an item names: its most specific unit (an index), or the item itself
        (after the places written before it) as a new site, not yet among the units: it joins
        them when it is taken as a stop (`new` is None: only say whether there is one)."""
        st, text = self.st, self.text
        while a < b and text[a] in "了 ":
            a += 1
        while b > a and re.search(r"(?:时|后|中|期间)$", text[a:b]) and \
                not re.search(r"中心$", text[a:b]):
            b -= 1 if text[b - 1] != "间" else 2  # 在参观敬老院时
        for w in st.words:  # 非公企业青松集团: ordinary words before a name are not part of it
            if w.start == a and w.end < b and (w.text in _LEADING or w.tag in ("u", "p", "d")):
                a = w.end
        if "的" in text[a:b]:  # 集…为一体的生态果园示范区: the name is after 的
            a = a + text[a:b].rindex("的") + 1
        ks = [k for k in self.units_in(a, b)
              if st.units[k].label not in ("PartyCommittee", "Branch") and not st.units[k].in_title
              and resolve(st, k) is not None]
        if any(not st.units[k].generic for k in ks):
            ks = [k for k in ks if not st.units[k].generic]  # 8个我区…: a reference is no stop
        places = [k for k in ks if st.units[k].label in _PLACE and
                  (not st.units[k].generic or st.units[k].ref is not None)]
        last = ks[-1] if ks else None
        lead = [k for k in places if last is None or st.units[k].end <= st.units[last].start]
        rest = st.units[lead[-1]].end if lead else a
        for w in st.words:  # (东湖街道 | 非公企业 | 青松集团)
            if w.start == rest and w.end < b and (w.text in _LEADING or w.tag in ("u", "p", "d")):
                rest = w.end
        whole = rest < b and self.nominal(rest, b)
        if last is not None:
            u = st.units[last]
            others = [k for k in ks if k != last and k not in lead and not st.units[k].bare]
            says_more = (u.end < b and (u.label not in ("Village", "Community") or
                                        _VENUE_END.search(text[u.end:b]))) or \
                (u.label not in _PLACE and rest < u.start and not others)
            if u.bare and b - u.end == 1 and is_cjk(text[u.end]) and rest <= u.start:
                return Unit(u.start, b, u.label, text[u.start:b])  # 华盛/ORG 达: the name
            if not (whole and says_more):
                joined = self.prefixed(last)
                return joined if joined is not None else resolve(st, last)
        elif not whole:
            return None
        name = text[rest:b].rstrip("等")
        if not 2 <= len(name) <= 24:
            return resolve(st, last) if last is not None else None
        known = self.stem_of_unit(name)
        if known is not None:
            return known  # 赴青河、柳岗: the 青河镇 the article names
        label = st.units[last].label if last is not None and st.units[last].end == rest + len(name) \
            else _site_label(name)
        return Unit(rest, rest + len(name), label, name, resolve(st, lead[-1]) if lead else None)

    def prefixed(self, k: int) -> Unit | None:
        """校场 + 李村, 前 + 柳庄村: a village whose name the analyser cut after its first word."""
        st = self.st
        u = st.units[k]
        if u.label not in ("Village", "Community") or u.parent is not None:
            return None
        prev = next((w for w in st.words if w.end == u.start), None)
        if prev is None or not (prev.tag == "n" and len(prev.text) == 2 or
                                prev.tag in ("f", "LOC") and prev.text in "前后东西南北上下中"):
            return None
        if prev.text in lexicon().generic_stems or prev.text[-1] in "村镇乡区县市":
            return None
        before = next((w for w in st.words if w.end == prev.start), None)
        if before is not None and before.tag in ("n", "nz", "vn") and \
                before.text[-1] not in "村镇乡区县市":
            return None
        return Unit(prev.start, u.end, u.label, prev.text + u.name)

    def stem_of_unit(self, name: str) -> int | None:
        """The unit of the article whose name is `name` plus a unit suffix (青河 -> 青河镇)."""
        for k, u in enumerate(self.st.units):
            if not u.generic and u.name != name and u.name.startswith(name) and \
                    any(u.name[len(name):] == s.text for s in lexicon().suffixes.get(
                        u.name[len(name):len(name) + 1], ())):
                return k
        return None

    def unit(self, k: int | Unit) -> Unit:
        return k if isinstance(k, Unit) else self.st.units[k]

    def taken(self, k: int | Unit) -> int:
        """A candidate stop as a unit index: a new site joins the units now."""
        if isinstance(k, Unit):
            self.st.units.append(k)
            return len(self.st.units) - 1
        return k

    def nominal(self, a: int, b: int) -> bool:
        """Whether text[a:b] reads as the name of a place or venue: noun-like words ending in a
        noun, none of them an ordinary word of reports (情况, 工作, 一处 ...)."""
        words = [w for w in self.st.words if a <= w.start and w.end <= b and w.tag != "_SP"]
        if not words or words[0].start != a or words[-1].end != b:
            return False
        village = re.search(r"(?:社区|村|小区)$", self.text[a:b]) and b - a <= 6
        if (words[-1].tag not in _HEADS and not _VENUE_END.search(words[-1].text)) or \
                (words[0].tag not in _NOUNISH and not village):
            return False
        if any(w.tag == "m" and w.text[-1] in "条个处座家所位名块" for w in words):
            return False  # 美食一条街: counted, not named
        # a verb inside (提升改造项目, 望李社区) only in a name that ends in a venue's or a
        # village's word
        if any(w.tag not in _NOUNISH for w in words) and not \
                _VENUE_END.search(self.text[a:b]) and not village:
            return False
        if title_at_end(self.text, b):
            return False  # 镇党委副书记: a post, not a place
        return not _ORDINARY.search(self.text[a:b])

    # --- building -----------------------------------------------------------------------------

    def build(self) -> list[Event]:
        st = self.st
        trig = [t for t in self.triggers() if not self.future(t.start)]
        trip_trig = [t for t in trig if t.kind in ("observation", "inspection")]
        meet_trig = [t for t in trig if t.kind == "meeting"]
        lect_trig = [t for t in trig if t.kind == "lecture"]
        events: list[Event] = []
        trip = self.trip(trip_trig) if trip_trig else None
        if trip is not None:
            events.append(trip)
        meeting = self.meeting(meet_trig, trip) if meet_trig else None
        if meeting is not None:
            events.append(meeting)
        if lect_trig:
            lecture = self.lecture(lect_trig, meeting, trip)
            if lecture is not None:
                events.append(lecture)
        return events

    def lead_sentence(self, trig: list[_Trigger]) -> int:
        """The sentence that says who went where: the first after the headline with a
        movement or a trigger and a date or a sender (组织, 带队), else the first trigger's."""
        text = self.text
        first = text.split("\n", 1)[0]
        headline_end = len(first) if "\n" in text and is_heading(first) else -1
        last = max(t.sentence for t in trig)
        dates = {self.sentence_of(v.start) for v in self.st.values if v.label == "Date"}
        trig_sents = {t.sentence for t in trig}
        for si, (s, e) in enumerate(self.sents[:last + 1]):
            if headline_end >= 0 and e <= headline_end:
                continue
            moves = any(self.whole(m) for m in _cue_pattern("move").finditer(text, s, e))
            sender = re.search(r"组织|带队|带领|率领|一行|率", text[s:e]) is not None
            if (si in trig_sents or moves) and (si in dates or sender) and \
                    (si in trig_sents or moves and sender):
                return si
        return next((t.sentence for t in trig if not (headline_end >= 0 and
                                                       self.sents[t.sentence][1] <= headline_end)),
                    trig[0].sentence)

    def trip(self, trig: list[_Trigger]) -> Event:
        st, text = self.st, self.text
        lead = self.lead_sentence(trig)
        s, e = self.sents[lead]
        pe = self.paragraph(s)[1]  # who led may be said in the next sentence (观摩由某某带队)
        leaders = self.leaders_in(s, pe, tuple(vocabulary().cue("lead-after")))
        leaders += [pi for pi in self.movers(s, e) if pi not in leaders]
        organizer = self.organizer(lead, leaders)
        words = " ".join(text[t.start - 2:t.end + 2] for t in trig)
        obs = sum(words.count(w) for w in vocabulary().cue("observing"))
        ins = sum(words.count(w) for w in vocabulary().cue("inspecting"))
        kind = "observation" if obs > ins else "inspection"
        t0 = next((t for t in trig if t.sentence >= lead), trig[0])
        ev = Event(t0.start, t0.end, _LABEL[kind], kind, organizer=organizer)
        ev.date = self.date_near(s, e)
        ev.participants = next((i for i, v in enumerate(st.values) if v.label == "HeadCount"
                                and s <= v.start < e), None)
        ev.campaign = next((i for i, v in enumerate(st.values) if v.label == "Campaign"
                            and s <= v.start < e), None)
        seen = set()
        ev.leaders = [pi for pi in sorted(leaders, key=lambda i: st.people[i].start)
                      if not (st.people[pi].name in seen or seen.add(st.people[pi].name))]
        ev.sites = self.stops(lead, organizer)
        return ev

    def date_near(self, s: int, e: int) -> int | None:
        dates = [i for i, v in enumerate(self.st.values) if v.label == "Date"]
        inside = [i for i in dates if s <= self.st.values[i].start < e]
        if inside:
            return inside[0]
        before = [i for i in dates if self.st.values[i].start < s]
        return before[-1] if before else (dates[0] if dates else None)

    def stops(self, lead: int, organizer: int | None) -> list[int]:
        """The places the group went to, in order, from the lead sentence on."""
        st, text = self.st, self.text
        stops: list[int] = []
        region: int | None = None  # the place the group is in (在甲镇, 到乙镇观摩了)
        at: int | None = None  # the village or venue the group is at
        sequenced: set[int] = set()
        for si in range(max(0, lead - 1), len(self.sents)):
            s, e = self.sents[si]
            host = re.search(r"迎来|迎接|接待", text[s:e])
            if host:  # 甲村迎来了…观摩团: the place that hosted the group
                k = self.stop_of_unit(s, s + host.start())
                if k is not None and st.units[k].label not in _PLACE:
                    self._add_stop(stops, k, region)
            if si < lead:
                continue
            if si == lead:  # 考察组在甲区学习交流: the place the trip was in
                m_in = re.search(r"在([^,,。]{2,12}?)(?:学习|考察|调研|观摩|交流|参观)", text[s:e])
                if m_in:
                    k = self.stop_of_unit(s + m_in.start(1), s + m_in.end(1))
                    if k is not None and st.units[k].label in _PLACE:
                        region = k
            moves = [m for m in _cue_pattern("move").finditer(text, s, e) if self.whole(m)
                     and not (m.group() == "来" and text[m.end():m.end() + 1] in "自了说")
                     and text[m.start() - 1:m.start()] != "每"]
            if si > lead and not moves and re.search(r"召开|座谈会|会上|会议", text[s:e]):
                continue
            at_here = None  # a village or venue the sentence places the group at
            m_at = re.match(r"\s*在", text[s:e])
            if m_at:  # 在甲镇乙村, 考察团参观了 ...: the clause's place
                a = s + m_at.end()
                b = a
                while b < e and text[b] not in _CLAUSE_END:
                    b += 1
                k = self.stop_of_unit(a, b)
                if k is not None:
                    if self.unit(k).label in _PLACE:
                        region, at = k, None
                    else:
                        self._add_stop(stops, k, region)
                        at = at_here = k
            for m in moves:
                items = self.list_after(m.end(), e)
                found = [k for a, b in items if (k := self.stop_of(a, b, [])) is not None]
                if not found:
                    continue
                owners = {st.units[self.unit(k).parent].name for k in found
                          if self.unit(k).label in _BODY and self.unit(k).parent is not None}
                if at is not None and st.units[at].name in owners:
                    continue  # 石湾村村委会、敬老院: places inside the village the group is at
                if all(self.unit(k).label in _PLACE for k in found):
                    # places only: where the group went, unless nothing is named inside them
                    if self.objects_follow(items[-1][1], e) or si == lead:
                        found = [self.taken(k) for k in found]
                        region = found[0] if len(found) == 1 else None  # 赴甲区、乙区: no one
                        at = None
                        if si == lead and len(found) > 1:
                            for k in found:
                                self._candidate(stops, k)
                        elif si == lead:
                            self._candidate(stops, found[0])
                        continue
                found = [self.taken(k) for k in found]
                kind = re.match(r"等\s*\d*[个]?(?:行政)?(村|社区)", text[items[-1][1]:e])
                owner = self._counted_place(items[-1][1], e)
                for i, k in enumerate(found):
                    if kind and st.units[k].label in ("Site", "District", "Place"):
                        st.units[k].label = "Village" if kind.group(1) == "村" else "Community"
                    self._add_stop(stops, k, region if owner is None else owner)
                    if i and st.units[k].parent is None and self._top(k) == k:
                        first = self._place_parent(found[0])  # 乙街道甲小区、丙小区: in 乙街道
                        if first is not None and st.units[first].label in _PLACE:
                            self._member(k, first)
                    if m.group().startswith("先后") and st.units[k].label in _PLACE:
                        sequenced.add(k)  # 先后到甲镇、乙乡: the places are the stops
                at = found[-1] if st.units[found[-1]].label not in _PLACE else None
                at_here = at if at is not None and st.units[at].label in ("Village", "Community") \
                    else None
            for m in _cue_pattern("visit").finditer(text, s, e):
                if not self.whole(m) or self.tag_at(m.start()) != "v" or \
                        re.search(r"(?:此次|这次|本次|一次)$", text[s:m.start()]):
                    continue
                inside = at_here is not None or (at is not None and not moves and
                                                 st.units[at].label in _VENUES)
                a = self.object_start(m.end())
                place = self._moved_to(s, m.start())
                if place is None:
                    place = region
                for x, y in self.list_after(a, e):
                    k = self.stop_of(x, y, [])
                    if k is None:
                        continue
                    if inside and self.unit(k).label not in ("Village", "Community"):
                        continue  # shown inside the village or venue the group is at
                    k = self.taken(k)
                    owner = st.units[k].parent
                    if st.units[k].label in _BODY and owner is not None and \
                            st.units[owner].label in ("Village", "Community"):
                        inside = True  # 乙社区便民服务大厅、图书室: what follows is inside it
                    if st.units[k].label in _PLACE and at is None:
                        region = k
                        self._candidate(stops, k)
                        continue
                    self._add_stop(stops, k, place)
        # a place the group went to is a stop only when nothing was visited inside any place
        named = [k for k in stops if st.units[k].label not in _PLACE or k in sequenced]
        return named if any(st.units[k].label not in _PLACE for k in named) else stops

    def whole(self, m: re.Match) -> bool:
        """A cue that is a word of its own (not 到 of 每到, not 考察 of 考察团)."""
        return m.start() in self.word_starts and m.end() in self.word_ends

    def tag_at(self, pos: int) -> str | None:
        return next((w.tag for w in self.st.words if w.start == pos), None)

    def object_start(self, pos: int) -> int:
        """Where a visit verb's object starts: after 了 and the verbs of its compound (参观学习)."""
        text = self.text
        while True:
            if text.startswith("了", pos):
                pos += 1
                continue
            m = re.match(r"学习|考察|调研|观摩|交流", text[pos:])
            if m and self.tag_at(pos) in ("v", "vn"):
                pos += m.end()
                continue
            return pos

    def objects_follow(self, a: int, e: int) -> bool:
        """Whether a visit verb after `a` in the clause has something visited as its object."""
        m = _cue_pattern("visit").search(self.text, a, e)
        if m is None:
            return False
        b = self.object_start(m.end())
        return any(self.stop_of(x, y, None) is not None for x, y in self.list_after(b, e))

    def _candidate(self, stops: list[int], k: int) -> None:
        self._add_stop(stops, k, None)

    def stop_of_unit(self, a: int, b: int) -> int | None:
        ks = [k for k in self.units_in(a, b) if self.st.units[k].label not in
              ("PartyCommittee", "Branch", "Department")]
        return resolve(self.st, ks[-1]) if ks else None

    def _moved_to(self, s: int, pos: int) -> int | None:
        """The place a move before `pos` in the same clause went to (到柳岗镇观摩了)."""
        st, text = self.st, self.text
        cs = self.clause_start(pos)
        m = None
        for m in _cue_pattern("move").finditer(text, cs, pos):
            pass
        if m is None:
            return None
        ks = [k for k in self.units_in(m.end(), pos) if st.units[k].label in _PLACE]
        return resolve(st, ks[-1]) if ks else None

    def _top(self, k: int) -> int:
        st = self.st
        while st.units[k].parent is not None:
            k = st.units[k].parent
        return k

    def _place_parent(self, k: int) -> int | None:
        """The place an item was written inside of (its nearest place-level ancestor)."""
        st = self.st
        cur = st.units[k].parent
        while cur is not None:
            r = resolve(st, cur)
            if r is not None and st.units[r].label in _PLACE:
                return r
            cur = st.units[cur].parent
        return None

    def _counted_place(self, a: int, e: int) -> int | None:
        """…8个我区基层党组织: the place a counted list says its items are in."""
        m = re.match(r"等?\s*[\d一二三四五六七八九十两]+个(我|本|该)(区|县|镇|乡|市|街道)", self.text[a:e])
        if m is None:
            return None
        k = next((j for j, u in enumerate(self.st.units)
                  if u.start == a + m.start(2) and u.generic), None)
        return resolve(self.st, k) if k is not None else None

    def _inside(self, k: int, place: int) -> bool:
        st = self.st
        cur = st.units[k].parent
        while cur is not None:
            if cur == place or st.units[cur].name == st.units[place].name:
                return True
            cur = st.units[cur].parent
        return k == place

    def _member(self, k: int, place: int) -> None:
        st = self.st
        place = resolve(st, place) if place is not None else None
        if place is None:
            return
        top = k
        while st.units[top].parent is not None:
            top = st.units[top].parent
        if top != place and st.units[top].name != st.units[place].name and \
                _RANK.get(st.units[top].label, 3) > _RANK.get(st.units[place].label, 3):
            if (top, place) not in st.memberships:
                st.memberships.append((top, place))

    def _add_stop(self, stops: list[int], k: int, region: int | None) -> None:
        st = self.st
        name = st.units[k].name
        if all(st.units[j].name != name for j in stops):
            stops.append(k)
        if region is not None and not self._inside(k, region):
            self._member(k, region)

    def meeting(self, trig: list[_Trigger], trip: Event | None) -> Event | None:
        st, text = self.st, self.text
        t = trig[0]
        s, e = self.sents[t.sentence]
        organizer = trip.organizer if trip is not None else self.organizer(t.sentence, [])
        ev = Event(t.start, t.end, "Meeting", "meeting", organizer=organizer)
        ev.date = self.date_near(s, e) if trip is None else trip.date
        if trip is None:
            ev.participants = next((i for i, v in enumerate(st.values)
                                    if v.label == "HeadCount" and s <= v.start < e), None)
        # the venue: 在 X (召开 / 举行)
        m = re.search(r"在([^,,。]{2,30}?)(?:内)?(?:随即)?(?:召开|举行|开展|胜利召开)", text[s:e])
        if m:
            a, b = s + m.start(1), s + m.end(1)
            ks = [k for k in self.units_in(a, b) if st.units[k].label not in ("Branch",)]
            if ks:
                ev.sites = [resolve(st, ks[-1])]
            elif re.match(r"(?:镇|乡|街道|办事处)", text[a:b]) and organizer is not None:
                ev.sites = [organizer]  # 在镇三楼会议室: a room of the office itself
            else:
                k = self.stop_of(a, b, [])
                venue = text[a:b].removesuffix("内")
                if k is None and re.fullmatch(r"[\u4e00-\u9fff]{3,12}", venue) and \
                        _VENUE_WORDS.search(venue):
                    k = Unit(a, a + len(venue), "Site", venue)
                if k is not None:
                    ev.sites = [self.taken(k)]
        # who chaired it: 主持 anywhere (the chair is often named after the meeting's paragraph)
        ev.leaders = self.leaders_in(0, len(text), tuple(vocabulary().cue("chair-after")))
        return ev

    def lecture(self, trig: list[_Trigger], meeting: Event | None,
                trip: Event | None) -> Event | None:
        st, text = self.st, self.text
        t = trig[0]
        para = self.paragraph(t.start)
        lectures = _cue_pattern("lecture-after")

        def lectured(p) -> bool:  # 某某为全体党员上了党课: a lecture cue in the name's clause
            m = lectures.search(text, p.end, min(p.end + 24, para[1]))
            return m is not None and not re.search(r"[。,,]", text[p.end:m.start()])

        lecturers = [pi for pi, p in enumerate(st.people) if p.role is None and
                     para[0] <= p.start < para[1] and lectured(p)]
        if meeting is not None and para[0] <= meeting.start < para[1]:
            meeting.leaders += [pi for pi in lecturers if pi not in meeting.leaders]
            return None
        if trip is not None and (self.sentence_of(t.start) in range(self.sentence_of(trip.start),
                                                                   len(self.sents))) and \
                not lecturers:
            return None
        if trip is not None and re.search(r"聆听|听取", text[para[0]:t.start]):
            return None  # a talk given during a stop
        organizer = trip.organizer if trip is not None else self.organizer(t.sentence, [])
        ev = Event(t.start, t.end, "Lecture", "lecture", organizer=organizer)
        s, e = self.sents[t.sentence]
        ev.date = self.date_near(s, e)
        chairs = self.leaders_in(para[0], len(text), tuple(vocabulary().cue("chair-after")))
        ev.leaders = chairs + [pi for pi in lecturers if pi not in chairs]
        more = [pi for pi, p in enumerate(st.people) if p.role is None and p.start > para[1] and
                re.match(r"[^。,,]{0,20}(?:讲授|讲党课)", text[p.end:p.end + 24])]  # (讲授 only)
        ev.leaders += [pi for pi in more if pi not in ev.leaders]
        return ev


_VENUE_WORDS = re.compile(r"区|广场|中心|礼堂|会场|公园|馆|基地")
_LEADING = frozenset({"非公", "企业", "当地", "当地的", "该", "本"})
_ORDINARY = re.compile(r"情况|工作|经验|做法|建设$|发展|模式|成效|历程|活动|精神|地方|一处|过程|"
                       r"成员|一地|重点|周边|乡镇$|"
                       r"产业$|部分|一线|契机|作用|格局|"
                       r"风貌|理念|方案|思路|问题|意见|成果$|体会|机制|环境|氛围|家底|眼界|措施|"
                       r"人员|干部|群众|代表|党员|同志|领导|负责人|主任|时间|现场|各个|各项|"
                       r"设置|功能|特色|当地|内容|故事|本领")


def _site_label(name: str) -> str:
    """The type of a site named by the text alone: by its unit suffix, else by the words of
    companies, else a village or a site."""
    suffix = max((s for v in lexicon().suffixes.values() for s in v
                  if name.endswith(s.text) and len(name) > len(s.text)),
                 key=lambda s: len(s.text), default=None)
    if suffix is not None and suffix.label not in ("PartyCommittee", "Branch"):
        return suffix.label
    if re.search(r"公司|集团|合作社|厂$|药业|食品|科技", name):
        return "Enterprise"
    if name.endswith(("庄", "湾", "屯")):
        return "Village"
    return "Site"


@Language.component("kg_events")
def events(doc):
    st = state(doc)
    st.events = _Builder(st).build()
    return doc
