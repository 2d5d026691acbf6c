"""Facts (the shape of the gold corpus, ../shared/corpus/FACTS.md) from an annotated article.

Reads only spans and relations (as the graph would hold them), so the same facts can later be
read back from the store; entities are named as kg/names.py merges their mentions.
"""

from __future__ import annotations

import re
from collections import defaultdict

from kg.model import AnnotatedArticle
from kg.names import TITLE_BODIES, article_names, organizers, titled
from kg.scheme import EVENT_LABELS, ROLE_LABELS

_KIND = {"Observation": "observation", "Inspection": "inspection", "Meeting": "meeting",
         "Lecture": "lecture", "Visit": "observation"}
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")


def _date(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    return f"{y}-{mo:02d}-{d:02d}" if y else f"{mo:02d}-{d:02d}"


def facts_from_annotations(article: AnnotatedArticle) -> dict:
    spans = {s.id: s for s in article.spans}
    out_rel: dict[str, list] = defaultdict(list)
    for r in article.relations:
        out_rel[r.source].append(r)
    events = [s for s in article.spans if s.label in EVENT_LABELS]
    names = article_names(article, spans, organizers(article))

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

    # a body written only inside post titles (党工委 | 书记) is part of them, no entity
    inside = titled([(s.start, s.end) for s in article.spans if s.id in names.by_span
                     and names.by_span[s.id][1] in TITLE_BODIES],
                    [(s.start, s.end) for s in article.spans if s.label == "Post"])
    outside = {names.by_span[s.id] for s in article.spans
               if s.id in names.by_span and (s.start, s.end) not in inside}
    entities, seen_e = [], set()
    for s in sorted(article.spans, key=lambda s: s.start):
        v = names.by_span.get(s.id)
        if v and v not in seen_e and (v in outside or v[1] == "Person"):
            seen_e.add(v)
            entities.append({"name": v[0], "type": v[1]})

    return {"visits": visits, "posts": posts, "memberships": memberships,
            "bylines": {"reporters": reporters, "correspondents": correspondents},
            "entities": entities}
