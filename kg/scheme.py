"""The annotation scheme: span labels and relation types, and the ontology term each maps to.

The scheme is what a person sees in doccano or Label Studio. It maps one to one onto the
ontology: a span label names a class (or, for role and value labels, a property), a relation
type names a property. docs/annotation-scheme.md explains each with examples.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kg.vocab import KG

# Spans that name an organisation, place or person: one entity (one IRI across articles).
ENTITY_LABELS: dict[str, URIRef] = {
    "District": KG.District,
    "Office": KG.Office,
    "Village": KG.Village,
    "Community": KG.Community,
    "PartyCommittee": KG.PartyCommittee,
    "Branch": KG.Branch,
    "Department": KG.Department,
    "Enterprise": KG.Enterprise,
    "Site": KG.Site,
    "ServiceCenter": KG.ServiceCenter,
    "Person": KG.Person,
}

# Person spans in the byline: the person, and their role on the article.
ROLE_LABELS: dict[str, URIRef] = {
    "Reporter": KG.reporter,
    "Correspondent": KG.correspondent,
}

# Trigger spans of an activity (the verb or noun that reports it): one event per span.
EVENT_LABELS: dict[str, URIRef] = {
    "Visit": KG.Visit,
    "Observation": KG.Observation,
    "Inspection": KG.Inspection,
    "Meeting": KG.Meeting,
    "Lecture": KG.Lecture,
}

# Spans whose text is a value: a literal of the event or entity they are linked from,
# or (Post, Campaign) a node of their own identified by that value.
VALUE_LABELS = frozenset({"Date", "HeadCount", "Post", "Campaign", "StarRating"})

LABELS = frozenset(ENTITY_LABELS) | frozenset(ROLE_LABELS) | frozenset(EVENT_LABELS) | VALUE_LABELS


@dataclass(frozen=True, slots=True)
class RelationType:
    """A relation type, the span labels it may join, and the ontology property it asserts."""

    name: str
    prop: URIRef
    sources: frozenset[str]
    targets: frozenset[str]


_ORGS = frozenset(ENTITY_LABELS) - {"Person"}
_PEOPLE = frozenset({"Person"}) | frozenset(ROLE_LABELS)
_EVENTS = frozenset(EVENT_LABELS)

RELATION_TYPES: dict[str, RelationType] = {
    r.name: r
    for r in (
        RelationType("partOf", KG.partOf, _ORGS, _ORGS),
        RelationType("organizer", KG.organizer, _EVENTS, _ORGS),
        RelationType("visitedSite", KG.visitedSite, _EVENTS, _ORGS),
        RelationType("leader", KG.leader, _EVENTS, _PEOPLE),
        RelationType("date", KG.date, _EVENTS, frozenset({"Date"})),
        RelationType("participants", KG.participants, _EVENTS, frozenset({"HeadCount"})),
        RelationType("aboutCampaign", KG.aboutCampaign, _EVENTS, frozenset({"Campaign"})),
        RelationType("holdsPost", KG.holdsPost, _PEOPLE, frozenset({"Post"})),
        RelationType("postIn", KG.postIn, frozenset({"Post"}), _ORGS),
        RelationType("starRating", KG.starRating, frozenset({"Branch"}), frozenset({"StarRating"})),
    )
}
