"""Events: the group trip (观摩 / 考察学习 / 调研 …) with its organizer, ordered sites, date,
leaders and head count; a meeting held after it (座谈会, 推进会 …) with its venue; a lecture
(党课). Offices referred to as 办事处 / 该镇 / 观摩组 are resolved to the unit the article is
about."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from spacy.language import Language

from kg.extract.lexicon import alternation, lexicon
from kg.extract.posts import resolve
from kg.extract.state import SITE_LABELS, Event, state

_SENT = re.compile(r"[^。!?!?;;\n]+")
_MOVE = re.compile(r"到|来到|前往|赴|走进|深入|察看|查看|观摩|参观|考察|调研|督导|第.站|首站|走访")
_STUDY = re.compile("调研|观摩|考察|督导|检查")
_LEAD_AFTER = re.compile(r"^(?:带队|带领|率领|率|一行|亲自带队)")
_LABEL = {"observation": "Observation", "inspection": "Inspection", "meeting": "Meeting",
          "lecture": "Lecture"}


@lru_cache(maxsize=1)
def _trigger_pattern() -> re.Pattern:
    return re.compile(alternation(lexicon().triggers))


def _triggers(text: str):
    kinds = lexicon().triggers
    return [(m.start(), m.end(), kinds[m.group()]) for m in _trigger_pattern().finditer(text)]


def _sentences(text: str):
    return [m.span() for m in _SENT.finditer(text)]


def _sentence_of(sents, pos):
    for s, e in sents:
        if s <= pos < e:
            return s, e
    return 0, 0





def _trip_candidates(st, text: str, sents) -> list[int]:
    """Units (index order within a sentence, sentences in order) that start in a sentence
    saying someone went somewhere: each unit is placed in its sentence by bisection, and each
    sentence is searched for a movement word once."""
    starts = [s for s, _ in sents]
    moving: dict[int, bool] = {}
    by_sent: dict[int, list[int]] = {}
    for k, u in enumerate(st.units):
        if u.generic or u.in_title:
            continue
        si = bisect_right(starts, u.start) - 1
        if si < 0 or u.start >= sents[si][1]:
            continue  # between sentences (a delimiter)
        ok = moving.get(si)
        if ok is None:
            s, e = sents[si]
            ok = moving[si] = _MOVE.search(text, s, e) is not None
        if ok:
            by_sent.setdefault(si, []).append(k)
    return [k for si in sorted(by_sent) for k in by_sent[si]]


@Language.component("kg_events")
def events(doc):
    st = state(doc)
    text = st.text
    sents = _sentences(text)
    trig = _triggers(text)
    kinds = [k for _, _, k in trig]
    out: list[Event] = []
    dates = [i for i, v in enumerate(st.values) if v.label == "Date"]
    counts = [i for i, v in enumerate(st.values) if v.label == "HeadCount"]
    camps = [i for i, v in enumerate(st.values) if v.label == "Campaign"]
    date = dates[0] if dates else None

    # meeting: the first meeting noun; its venue is the place the sentence says it was held at
    meeting = None
    venue_via_at = None
    mt = next((t for t in trig if t[2] == "meeting"), None)
    if mt is not None:
        meeting = Event(mt[0], mt[1], "Meeting", "meeting", organizer=st.main, date=date)
        s, e = _sentence_of(sents, mt[0])
        venue = None
        for k, u in enumerate(st.units):
            if not (s <= u.start < mt[0]) or u.label in ("PartyCommittee", "Branch"):
                continue
            top = k
            while st.units[top].parent is not None:
                top = st.units[top].parent
            t0 = st.units[top].start
            if text[t0 - 1:t0] in ("在", "到") or text[t0 - 2:t0] == "来到":
                venue = resolve(st, k)
                if text[t0 - 1:t0] == "在":
                    venue_via_at = venue
        if venue is not None:
            # the most specific unit of that chain
            while True:
                child = next((j for j, u in enumerate(st.units) if u.parent == venue
                              and u.label not in ("PartyCommittee", "Branch")
                              and s <= u.start < mt[0]), None)
                if child is None:
                    break
                venue = child
            meeting.sites = [venue]
        out.append(meeting)

    # the trip
    trip_kind = ("observation" if "observation" in kinds
                 else "inspection" if "inspection" in kinds else None)
    if trip_kind:
        t0 = next(t for t in trig if t[2] == trip_kind)
        trip = Event(t0[0], t0[1], _LABEL[trip_kind], trip_kind, organizer=st.main, date=date)
        sites: list[int] = []
        parents = {u.parent for u in st.units if u.label not in ("PartyCommittee", "Branch")}
        for k in _trip_candidates(st, text, sents):
            u = st.units[k]
            if u.label == "Department":
                before = text[u.start - 1:u.start]
                after = text[u.end:u.end + 1]
                nxt = next((v for v in st.units if v.start == u.end + 1), None)
                if not (before in ("到", "、") and after == "、" and nxt is not None
                        and nxt.label in SITE_LABELS):
                    continue
            elif u.label not in SITE_LABELS:
                continue
            if k in parents or k == venue_via_at:  # not a leaf: a unit others are part of
                continue
            sites.append(k)
        # one unit per name, in order of first mention; drop a unit whose sub-unit is a site
        seen, uniq = set(), []
        for k in sites:
            if st.units[k].name not in seen:
                seen.add(st.units[k].name)
                uniq.append(k)
        names = [st.units[k].name for k in uniq]
        kept = []
        for k in uniq:
            own = st.units[k].name
            for n in names:
                if n != own and n.startswith(own):
                    break
            else:
                kept.append(k)
        uniq = kept
        if venue_via_at is not None:
            uniq = [k for k in uniq if st.units[k].name != st.units[venue_via_at].name]
        trip.sites = uniq
        trip.participants = counts[0] if counts else None
        trip.campaign = camps[0] if camps else None
        for pi, p in enumerate(st.people):
            if p.role:
                continue
            if _LEAD_AFTER.match(text[p.end:p.end + 4]):
                trip.leaders.append(pi)
            elif text[p.end:p.end + 1] == "到":
                s, e = _sentence_of(sents, p.start)
                if _MOVE.search(text[p.end + 1:e]) and _STUDY.search(text[p.end:e]):
                    trip.leaders.append(pi)
        names_seen: set[str] = set()
        trip.leaders = [pi for pi in trip.leaders if not (st.people[pi].name in names_seen
                                                          or names_seen.add(st.people[pi].name))]
        out.insert(0, trip)

    lt = next((t for t in trig if t[2] == "lecture"), None)
    if lt is not None:
        lec = Event(lt[0], lt[1], "Lecture", "lecture", organizer=st.main, date=date)
        s, e = _sentence_of(sents, lt[0])
        lead = next((pi for pi, p in enumerate(st.people) if s <= p.start < e and not p.role),
                    None)
        if lead is not None:
            lec.leaders.append(lead)
        out.append(lec)

    if meeting is not None:
        for pi, p in enumerate(st.people):
            if not p.role and text[p.end:p.end + 2] == "主持":
                meeting.leaders.append(pi)
    st.events = out
    return doc
