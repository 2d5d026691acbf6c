"""Namespaces and terms, declared once; code uses `KG.Office`, never the string."""

from __future__ import annotations

from rdflib import RDF, XSD, Namespace
from rdflib.namespace import DefinedNamespace, URIRef

BASE = "https://w3id.org/newskg/"
ID = Namespace(BASE + "id/")  # instance data



class KG(DefinedNamespace):
    """The project's ontology terms (ontology/kg.ttl defines each with labels and a definition)."""

    _NS = Namespace(BASE + "def#")
    _fail = True

    # classes: organisations and places
    Organization: URIRef
    Place: URIRef
    AdministrativeUnit: URIRef
    District: URIRef
    Office: URIRef
    Village: URIRef
    Community: URIRef
    PartyOrganization: URIRef
    PartyCommittee: URIRef
    Branch: URIRef
    Department: URIRef
    Enterprise: URIRef
    Site: URIRef
    ServiceCenter: URIRef
    # people and positions
    Person: URIRef
    Post: URIRef
    # activities
    Activity: URIRef
    Visit: URIRef
    Observation: URIRef
    Inspection: URIRef
    Meeting: URIRef
    Lecture: URIRef
    Campaign: URIRef
    # sources and provenance
    Article: URIRef
    Evidence: URIRef

    # object properties
    partOf: URIRef
    organizer: URIRef
    visitedSite: URIRef
    leader: URIRef
    aboutCampaign: URIRef
    holdsPost: URIRef
    postIn: URIRef
    reporter: URIRef
    correspondent: URIRef
    derivedFrom: URIRef

    # datatype properties
    name: URIRef
    alias: URIRef
    date: URIRef
    dateInferred: URIRef
    participants: URIRef
    participantCount: URIRef
    title: URIRef
    starRating: URIRef
    articleId: URIRef
    headline: URIRef
    published: URIRef
    source: URIRef
    byline: URIRef
    text: URIRef
    # provenance detail of an Evidence (with rdf:subject/predicate/object and oa:start/end/exact)
    position: URIRef
    rawStart: URIRef
    rawEnd: URIRef
    confidence: URIRef
    annotatedBy: URIRef
    fact: URIRef


class OA(DefinedNamespace):
    """The Web Annotation terms evidence uses (a TextPositionSelector's start/end, the quote)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    start: URIRef
    end: URIRef
    exact: URIRef


def _pin_terms(namespace: type[DefinedNamespace]) -> None:
    """Make each declared term a plain class attribute holding its (cached) URIRef.

    rdflib resolves `KG.alias` through the metaclass's __getattr__ on every access (~1 us); the
    loader reads terms a few million times per thousand articles. Pinned, an access is a dict
    lookup and always returns the same object, so comparisons hit the identity fast path.
    Unknown names still go to __getattr__ and still fail. Values do not change.
    """
    for name in namespace.__annotations__:
        if not name.startswith("_"):
            term = namespace[name]
            type.__setattr__(namespace, name, term)
            _PINNED[term] = term


_PINNED: dict[URIRef, URIRef] = {}


def pinned(term):
    """The pinned object equal to `term` (or `term` itself): terms read from another graph
    (the shapes, the ontology) used as keys into the loader's data then match by identity."""
    return _PINNED.get(term, term)


for _namespace in (KG, OA, RDF, XSD):
    _pin_terms(_namespace)
