"""Facts (the shape of /work/shared/corpus/FACTS.md) from an annotated article.

Reads only spans and relations (as the graph would hold them), so the same facts can later be
read back from the store. Mentions of one entity are merged by name form: 某某街道 /
某某办事处 / 某某街道办事处 are one office; a short zone name is 某某+that name when the article names
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
        # per entity span: (id, (label, key), label); per (label, key): its longest name (the
        # first of the longest)
        ents: list[tuple[str, tuple[str, str], str]] = []
        canon: dict[tuple[str, str], str] = {}
        for s in art.spans:
            label = s.label
            if label in ROLE_LABELS:
                label = "Person"
            elif label not in ENTITY_LABELS:
                continue
            name = s.ref or s.text
            # (the key of _key)
            gk = (label, (_OFFICE_SUFFIX.sub("", name) or name) if label == "Office" else name)
            ents.append((s.id, gk, label))
            cur = canon.get(gk)
            if cur is None or len(name) > len(cur):
                canon[gk] = name
        # a short district name that ends a longer one (a zone and 某某+that zone) is the same
        districts = [n for (lb, _), n in canon.items() if lb == "District"]
        if len(districts) > 1:
            for (label, key), n in list(canon.items()):
                if label == "District":
                    longer = [d for d in districts if d != n and d.endswith(n)]
                    if longer:
                        canon[(label, key)] = max(longer, key=len)
        by_span, bare = self.by_span, self._bare
        for sid, gk, label in ents:
            name = canon[gk]
            if label == "PartyCommittee" and name in _BARE_COMMITTEE:
                bare.append(sid)
            by_span[sid] = (name, label)

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


def _article_names(article: AnnotatedArticle, spans: dict, organizer_of: dict) -> _Names:
    """`organizer_of`: event span id -> target of its first organizer relation."""
    organizer = None
    first = None
    for s in article.spans:
        if s.label in EVENT_LABELS:
            if first is None:
                first = s
            org = organizer_of.get(s.id)
            if org:
                organizer = spans[org].ref or spans[org].text
                break
    names = _Names(article)
    org_name = None
    if first is not None:
        oid = organizer_of.get(first.id)
        org_name = names.name(oid) if oid else None
    return names.named_after(org_name or organizer)


def _organizers(article: AnnotatedArticle) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in article.relations:
        if r.type == "organizer" and r.source not in out:
            out[r.source] = r.target
    return out


def entity_names(article: AnnotatedArticle) -> dict[str, str]:
    """span id -> the name of the entity the mention refers to, for every entity span (the
    forms one article uses for one entity merged; a bare 党工委 named after the organizer)."""
    organizer_of = _organizers(article)
    spans = {s.id: s for s in article.spans} if organizer_of else {}
    return {sid: v[0] for sid, v in _article_names(article, spans, organizer_of).by_span.items()}


def facts_from_annotations(article: AnnotatedArticle) -> dict:
    spans = {s.id: s for s in article.spans}
    out_rel: dict[str, list] = defaultdict(list)
    for r in article.relations:
        out_rel[r.source].append(r)
    events = [s for s in article.spans if s.label in EVENT_LABELS]
    names = _article_names(article, spans, _organizers(article))

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
