"""One entity, one name within an article: the forms an article uses for one entity merged.

Mentions are merged by name form: 某某街道 / 某某办事处 / 某某街道办事处 are one office; a short zone
name is 某某+that name when the article names both; a bare 党工委 is the committee of the
organizing unit. Reads only spans and relations (as the graph would hold them), so readers
(which set Span.ref from it) and the facts read off annotations name entities alike.
"""

from __future__ import annotations

import re

from kg.model import AnnotatedArticle
from kg.scheme import ENTITY_LABELS, EVENT_LABELS, ROLE_LABELS

_OFFICE_SUFFIX = re.compile(r"(?:街道办事处|办事处|街道)$")
_BARE_COMMITTEE = {"党工委", "党委", "人大工委", "管委会"}


class Names:
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

    def named_after(self, organizer_name: str | None) -> "Names":
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


def article_names(article: AnnotatedArticle, spans: dict, organizer_of: dict) -> Names:
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
    names = Names(article)
    org_name = None
    if first is not None:
        oid = organizer_of.get(first.id)
        org_name = names.name(oid) if oid else None
    return names.named_after(org_name or organizer)


def organizers(article: AnnotatedArticle) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in article.relations:
        if r.type == "organizer" and r.source not in out:
            out[r.source] = r.target
    return out


def entity_names(article: AnnotatedArticle) -> dict[str, str]:
    """span id -> the name of the entity the mention refers to, for every entity span (the
    forms one article uses for one entity merged; a bare 党工委 named after the organizer)."""
    organizer_of = organizers(article)
    spans = {s.id: s for s in article.spans} if organizer_of else {}
    return {sid: v[0] for sid, v in article_names(article, spans, organizer_of).by_span.items()}


# what a post title may name inside it (党工委 in 党工委书记): such a body is part of the title
TITLE_BODIES = frozenset({"PartyCommittee", "Department", "Branch", "ServiceCenter"})
TITLE_GAP = 8  # characters of a body's own name between a mention and its title (人才服务中心)


def titled(spans, titles) -> set[tuple[int, int]]:
    """The mention spans that are part of a post title (`titles`: (start, end) of each):
    overlapping one (青河镇党委 | 党委书记), written right before one (at most TITLE_GAP
    characters before), or before
    such a mention (市委组织部 | 人才服务中心 | 副主任)."""
    titles = list(titles)
    starts = {s for s, _ in titles}
    inside: set[tuple[int, int]] = {(s, e) for s, e in spans
                                    if any(s < b and a < e for a, b in titles)}
    changed = True
    while changed:
        changed = False
        for s, e in spans:
            if (s, e) not in inside and any(0 <= t - e <= TITLE_GAP for t in starts):
                inside.add((s, e))
                starts.add(s)
                changed = True
    return inside
