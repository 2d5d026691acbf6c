"""Facts (the shape of /work/shared/corpus/FACTS.md) from an annotated article.

Reads only spans and relations (as the graph would hold them), so the same facts can later be
read back from the store. Mentions of one entity are merged by name form: 某某街道 /
某某办事处 / 某某街道办事处 are one office; 实验区 is 某某实验区 when the article names
both; a bare 党工委 is the committee of the organizing unit.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.model import AnnotatedArticle
from kg.scheme import ENTITY_LABELS, EVENT_LABELS, ROLE_LABELS

_KIND = {"Observation": "observation", "Inspection": "inspection", "Meeting": "meeting",
         "Lecture": "lecture", "Visit": "observation"}
_OFFICE_SUFFIX = re.compile(r"(?:街道办事处|办事处|街道)$")
_BARE_COMMITTEE = {"党工委", "党委", "人大工委", "管委会"}
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


def _date(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    return f"{y}-{mo:02d}-{d:02d}" if y else f"{mo:02d}-{d:02d}"


class _Names:
    """Canonical name per entity span: merges the forms one article uses for one entity."""

    def __init__(self, art: AnnotatedArticle):
        self.by_span: dict[str, tuple[str, str]] = {}
        self._bare: list[str] = []  # spans of a bare committee name (党委 alone)
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        ents = [s for s in art.spans if s.label in ENTITY_LABELS or s.label in ROLE_LABELS]
        for s in ents:
            label = "Person" if s.label in ROLE_LABELS else s.label
            groups[(label, self._key(label, s.ref or s.text))].append(s.ref or s.text)
        canon: dict[tuple[str, str], str] = {}
        for (label, key), names in groups.items():
            canon[(label, key)] = max(names, key=len)
        # a short district name that ends a longer one (a zone and 某某+that zone) is the same
        districts = [n for (lb, _), n in canon.items() if lb == "District"]
        for (label, key), n in list(canon.items()):
            if label == "District":
                longer = [d for d in districts if d != n and d.endswith(n)]
                if longer:
                    canon[(label, key)] = max(longer, key=len)
        for s in ents:
            label = "Person" if s.label in ROLE_LABELS else s.label
            name = canon[(label, self._key(label, s.ref or s.text))]
            if label == "PartyCommittee" and name in _BARE_COMMITTEE:
                self._bare.append(s.id)
            self.by_span[s.id] = (name, label)

    def named_after(self, organizer_name: str | None) -> "_Names":
        """A bare committee name is the organizer's committee: prefix it with that name."""
        if organizer_name:
            for sid in self._bare:
                name, label = self.by_span[sid]
                self.by_span[sid] = (organizer_name + name, label)
        return self

    @staticmethod
    def _key(label: str, name: str) -> str:
        if label == "Office":
            return _OFFICE_SUFFIX.sub("", name) or name
        return name

    def name(self, sid: str) -> str | None:
        v = self.by_span.get(sid)
        return v[0] if v else None


def _article_names(article: AnnotatedArticle, spans: dict, out_rel: dict) -> _Names:
    events = [s for s in article.spans if s.label in EVENT_LABELS]
    organizer = None
    for ev in events:
        org = next((r.target for r in out_rel[ev.id] if r.type == "organizer"), None)
        if org:
            organizer = spans[org].ref or spans[org].text
            break
    names = _Names(article)
    org_name = None
    if events:
        oid = next((r.target for r in out_rel[events[0].id] if r.type == "organizer"), None)
        org_name = names.name(oid) if oid else None
    return names.named_after(org_name or organizer)


def entity_names(article: AnnotatedArticle) -> dict[str, str]:
    """span id -> the name of the entity the mention refers to, for every entity span (the
    forms one article uses for one entity merged; a bare 党工委 named after the organizer)."""
    spans = {s.id: s for s in article.spans}
    out_rel: dict[str, list] = defaultdict(list)
    for r in article.relations:
        out_rel[r.source].append(r)
    return {sid: v[0] for sid, v in _article_names(article, spans, out_rel).by_span.items()}


def facts_from_annotations(article: AnnotatedArticle) -> dict:
    spans = {s.id: s for s in article.spans}
    out_rel: dict[str, list] = defaultdict(list)
    for r in article.relations:
        out_rel[r.source].append(r)
    events = [s for s in article.spans if s.label in EVENT_LABELS]
    names = _article_names(article, spans, out_rel)

    visits = []
    for ev in sorted(events, key=lambda s: s.start):
        rs = out_rel[ev.id]
        org = next((names.name(r.target) for r in rs if r.type == "organizer"), None)
        date = next((_date(spans[r.target].text) for r in rs if r.type == "date"), None)
        part = next((spans[r.target].text for r in rs if r.type == "participants"), None)
        visits.append({
            "organizer": org,
            "date": date,
            "sites": [names.name(r.target) for r in rs if r.type == "visitedSite"],
            "leaders": [names.name(r.target) or spans[r.target].text
                        for r in rs if r.type == "leader"],
            "participants": part,
            "kind": _KIND.get(ev.label, "observation"),
        })

    posts = []
    for s in article.spans:
        if s.label not in ("Person",) + tuple(ROLE_LABELS):
            continue
        for r in out_rel[s.id]:
            if r.type != "holdsPost":
                continue
            post = spans[r.target]
            org = next((names.name(x.target) for x in out_rel[post.id] if x.type == "postIn"),
                       None)
            posts.append({"person": s.text, "title": post.text, "organization": org})

    memberships, seen = [], set()
    for r in article.relations:
        if r.type != "partOf":
            continue
        c, p = names.name(r.source), names.name(r.target)
        if c and p and c != p and (c, p) not in seen:
            seen.add((c, p))
            memberships.append({"child": c, "parent": p})

    reporters, correspondents = [], []
    for s in sorted(article.spans, key=lambda s: s.start):
        if s.label == "Reporter" and s.text not in reporters:
            reporters.append(s.text)
        elif s.label == "Correspondent" and s.text not in correspondents:
            correspondents.append(s.text)

    entities, seen_e = [], set()
    for s in sorted(article.spans, key=lambda s: s.start):
        v = names.by_span.get(s.id)
        if v and v not in seen_e:
            seen_e.add(v)
            entities.append({"name": v[0], "type": v[1]})

    return {"visits": visits, "posts": posts, "memberships": memberships,
            "bylines": {"reporters": reporters, "correspondents": correspondents},
            "entities": entities}
