"""RDF triples -> property-graph rows, in the spirit of neosemantics (n10s), with inference.

One node per resource (label Resource, property `iri`); rdf:type becomes labels: the class and
every superclass from the ontology, materialised so `MATCH (o:Organization)` finds offices and
branches. Literal triples become node properties named by the property's local name; object
triples become relationships typed by it, carrying `fact` (the key the Evidence nodes of that
fact share). An Evidence keeps the statement it supports as `predicate`, `object` and
`objectType`, a `subject` relationship to the subject node, and `articleId` so one article's
contribution can be found and retracted. docs/mapping.md is the full description.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.rdf import identity
from kg.ontology import Ontology, local_name
from kg.rdf.tripleset import by_subject
from kg.vocab import KG, OA

RESOURCE = "Resource"
# Literal properties that hold several values; each value is supported on its own.
MULTI_VALUED = frozenset({KG.alias})
# Evidence terms that are not named after the kg: property they come from.
EVIDENCE_NAMES = {RDF.subject: "subject", RDF.predicate: "predicate", RDF.object: "object",
                  OA.start: "start", OA.end: "end", OA.exact: "exact"}


@dataclass(slots=True)
class NodeRow:
    iri: str
    labels: tuple[str, ...]
    props: dict = field(default_factory=dict)
    lists: dict[str, list] = field(default_factory=dict)


@dataclass(slots=True)
class RelRow:
    type: str
    src: str
    dst: str
    props: dict = field(default_factory=dict)


@dataclass(slots=True)
class GraphRows:
    """What a batch of articles writes: nodes first, then relationships between them."""

    article_ids: list[str]
    nodes: list[NodeRow]
    rels: list[RelRow]


def prop_name(predicate: URIRef) -> str:
    return EVIDENCE_NAMES.get(predicate) or local_name(predicate)


# keyed by plain strings: every literal has its own datatype object, and rdflib's URIRef ==
# (which a dict falls back to when the objects differ) is a Python-level method
_AS_PYTHON = {str(k): v for k, v in {
    XSD.integer: int, XSD.int: int, XSD.long: int,
    XSD.decimal: float, XSD.double: float, XSD.float: float,
    XSD.boolean: lambda lit: bool(lit.toPython())}.items()}


def literal_value(lit: Literal):
    """Python value stored in the graph: numbers stay numbers, everything else a string."""
    datatype = lit.datatype
    convert = None if datatype is None else _AS_PYTHON.get(str(datatype))
    return str(lit) if convert is None else convert(lit)


def object_type(obj) -> str:
    if isinstance(obj, URIRef):
        return "iri"
    return local_name(obj.datatype) if obj.datatype else "string"


def graph_rows(graph: Graph, ontology: Ontology) -> GraphRows:
    """Map the triples of one or more articles to rows; deterministic order, so writes are too."""
    article_ids = {s: str(o) for s, o in graph.subject_objects(KG.articleId)}
    nodes: dict[URIRef, NodeRow] = {}
    positions: dict[str, int] = {}
    rels: list[RelRow] = []

    def node(s: URIRef) -> NodeRow:
        row = nodes.get(s)
        if row is None:
            row = nodes[s] = NodeRow(str(s), ())
        return row

    for s, cls in graph.subject_objects(RDF.type):
        row = node(s)
        row.labels = tuple(sorted(set(row.labels) | {RESOURCE, *ontology.labels_for(cls)}))

    evidence = set(graph.subjects(RDF.type, KG.Evidence))
    rdf_type, same = RDF.type, str.__eq__  # predicates are IRIs: comparing their text suffices
    for s, po in by_subject(graph).items():  # subject by subject, as the index holds them
        row = node(s)
        if s in evidence:
            _evidence_row(row, po, article_ids, positions, rels)
            continue
        for p, objs in po.items():
            if p is rdf_type or same(p, rdf_type):
                continue
            for o in objs:
                if isinstance(o, Literal):
                    if p in MULTI_VALUED:
                        row.lists.setdefault(prop_name(p), []).append(literal_value(o))
                    else:
                        row.props[prop_name(p)] = literal_value(o)
                else:
                    props = {} if p == KG.derivedFrom else {"fact": identity.fact_key(s, p, o)}
                    rels.append(RelRow(local_name(p), str(s), str(o), props))

    for rel in rels:  # a visited site's order, known from its evidence
        position = positions.get(rel.props.get("fact", ""))
        if position is not None:
            rel.props["position"] = position
    for row in nodes.values():
        for values in row.lists.values():
            values.sort()
    rels.sort(key=lambda r: (r.type, r.src, r.dst))
    return GraphRows(sorted(article_ids.values()),
                     sorted(nodes.values(), key=lambda n: n.iri), rels)


_SUBJECT, _PREDICATE, _OBJECT, _ARTICLE = range(4)
# the parts of an Evidence that are not plain properties; a dict lookup, because rdflib's
# URIRef == is a Python-level method and this runs for every evidence triple
_EVIDENCE_PARTS = {RDF.subject: _SUBJECT, RDF.predicate: _PREDICATE, RDF.object: _OBJECT,
                   KG.derivedFrom: _ARTICLE}


def _evidence_row(row: NodeRow, po: dict, article_ids: dict, positions: dict,
                  rels: list[RelRow]) -> None:
    """An Evidence's triples (predicate -> objects) into its row and its two links."""
    props = row.props
    for p, objs in po.items():
        part = _EVIDENCE_PARTS.get(p)
        for o in objs:
            if part is _SUBJECT:
                rels.append(RelRow("subject", row.iri, str(o)))
            elif part is _PREDICATE:
                props["predicate"] = "type" if o == RDF.type else local_name(o)
            elif part is _OBJECT:
                props["object"] = str(o)
                props["objectType"] = object_type(o)
            elif part is _ARTICLE:
                rels.append(RelRow("derivedFrom", row.iri, str(o)))
                props["articleId"] = article_ids.get(o, "")
            elif isinstance(o, Literal):  # rdf:type is skipped here: it is not a Literal
                props[prop_name(p)] = literal_value(o)
    if "position" in props and "fact" in props:
        positions[props["fact"]] = props["position"]
