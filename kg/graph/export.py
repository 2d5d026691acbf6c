"""The property graph back to RDF: the inverse of kg/graph/rows.py, read page by page.

Nodes give rdf:type for their most specific class labels (the materialised superclass labels
are entailed by the ontology and not repeated), literal properties give literals, relationships
give object triples; Evidence nodes give back their reified statement.
"""

from __future__ import annotations

from typing import Callable, Iterator

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.errors import OntologyError
from kg.ontology import Ontology
from kg.graph.rows import EVIDENCE_NAMES, RESOURCE
from kg.graph.stores.base import GraphStore
from kg.vocab import KG, OA

PAGE = 5000
_EVIDENCE_TERMS = {name: term for term, name in EVIDENCE_NAMES.items()}
_DERIVED = {"articleId"}  # Evidence properties that repeat what a relationship says
_EVIDENCE_OWN = _DERIVED | {"predicate", "object", "objectType"}  # not literals of their own
_DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "double": XSD.double,
              "float": XSD.float, "boolean": XSD.boolean}


def _pages(store: GraphStore, cypher: str) -> Iterator[dict]:
    """Every row of a query that pages by node IRI (`WHERE n.iri > $after ... ORDER BY n.iri
    LIMIT $page`, one row per node): each page starts where the last ended, from the IRI index,
    so the whole export reads each node once."""
    after = ""
    while True:
        rows = store.read(cypher, {"after": after, "page": PAGE}).rows
        yield from rows
        if len(rows) < PAGE:
            return
        after = rows[-1]["key"]


def _literal(value) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(str(value), datatype=XSD.decimal)
    return Literal(value)


def export_graph(store: GraphStore, ontology: Ontology) -> Graph:
    g = Graph()
    g.bind("kg", KG._NS)
    g.bind("oa", OA)
    node_query = (f"MATCH (n:{RESOURCE}) WHERE n.iri > $after "
                  "RETURN n.iri AS key, labels(n) AS labels, properties(n) AS props "
                  "ORDER BY n.iri LIMIT $page")
    for row in _pages(store, node_query):
        g.addN((*t, g) for t in node_triples(row["key"], _specific_classes(row["labels"], ontology),
                                              "Evidence" in row["labels"], row["props"], _strict(ontology)))
    # a node's outgoing relationships with it: paged like the nodes, not by a sort of them all
    rel_query = (f"MATCH (a:{RESOURCE}) WHERE a.iri > $after WITH a ORDER BY a.iri LIMIT $page "
                 f"OPTIONAL MATCH (a)-[r]->(b:{RESOURCE}) "
                 "RETURN a.iri AS key, collect([type(r), b.iri]) AS out ORDER BY key")
    for row in _pages(store, rel_query):
        s = URIRef(row["key"])
        for p, o in row["out"]:
            if p is not None and o is not None:
                g.add((s, _EVIDENCE_TERMS.get(p) or ontology.term_for_name(p), URIRef(o)))
    return g


def _strict(ontology: Ontology) -> Callable[[str, str], URIRef]:
    """Term lookup for export: a key outside the ontology is an error (OntologyError)."""
    return lambda name, _what: _EVIDENCE_TERMS.get(name) or ontology.term_for_name(name)


def node_triples(iri: str, classes: list[URIRef], evidence: bool, props: dict,
                 term: Callable[[str, str], URIRef | None], ref: Callable[[str], URIRef] = URIRef,
                 lit: Callable[[object], Literal] = _literal) -> Iterator[tuple]:
    """The triples of one stored node: kg/graph/rows.py read backwards. `term(name, what)` gives the
    term of a property key (None: skip it, the caller has noted it); `ref` and `lit` let a hot
    caller intern IRIs and cache literals."""
    s = ref(iri)
    for cls in classes:
        yield s, RDF.type, cls
    for name, value in props.items():
        if name == "iri" or (evidence and name in _EVIDENCE_OWN):
            continue
        prop = term(name, "property key")
        if prop is None:
            continue
        for v in value if isinstance(value, list) else [value]:
            yield s, prop, lit(v)
    if evidence and props.get("predicate"):
        name = props["predicate"]
        predicate = RDF.type if name == "type" else term(name, "Evidence.predicate")
        if predicate is not None:
            yield s, RDF.predicate, predicate
        kind, obj = props.get("objectType", "string"), props.get("object")
        if obj is not None:
            yield s, RDF.object, (ref(obj) if kind == "iri" else Literal(obj, datatype=_DATATYPES.get(kind)))


def _specific_classes(labels: list[str], ontology: Ontology) -> list[URIRef]:
    classes = []
    for label in labels:
        if label == RESOURCE:
            continue
        try:
            classes.append(ontology.term_for_name(label))
        except OntologyError:
            continue  # a label outside the ontology (none are written, but be lenient)
    present = set(classes)
    return sorted(c for c in classes
                  if not any(c in ontology.superclasses(other) for other in present if other != c))
