"""The property graph back to RDF: the inverse of kg/rows.py, read page by page.

Nodes give rdf:type for their most specific class labels (the materialised superclass labels
are entailed by the ontology and not repeated), literal properties give literals, relationships
give object triples; Evidence nodes give back their reified statement.
"""

from __future__ import annotations

from typing import Iterator

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.errors import OntologyError
from kg.ontology import Ontology
from kg.rows import EVIDENCE_NAMES, RESOURCE
from kg.stores.base import GraphStore
from kg.vocab import KG, OA

PAGE = 5000
_EVIDENCE_TERMS = {name: term for term, name in EVIDENCE_NAMES.items()}
_DERIVED = {"articleId"}  # Evidence properties that repeat what a relationship says
_DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "double": XSD.double,
              "float": XSD.float, "boolean": XSD.boolean}


def _pages(store: GraphStore, cypher: str) -> Iterator[dict]:
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
        s = URIRef(row["key"])
        for cls in _specific_classes(row["labels"], ontology):
            g.add((s, RDF.type, cls))
        props = row["props"]
        evidence = "Evidence" in row["labels"]
        for name, value in sorted(props.items()):
            if name == "iri" or (evidence and name in _DERIVED):
                continue
            if evidence and name in ("predicate", "object", "objectType"):
                continue
            term = _EVIDENCE_TERMS.get(name) or ontology.term_for_name(name)
            for v in value if isinstance(value, list) else [value]:
                g.add((s, term, _literal(v)))
        if evidence and "predicate" in props:
            predicate = RDF.type if props["predicate"] == "type" else ontology.term_for_name(props["predicate"])
            g.add((s, RDF.predicate, predicate))
            kind = props.get("objectType", "string")
            obj = props.get("object")
            if kind == "iri":
                g.add((s, RDF.object, URIRef(obj)))
            else:
                g.add((s, RDF.object, Literal(obj, datatype=_DATATYPES.get(kind))))
    rel_query = (f"MATCH (a:{RESOURCE})-[r]->(b:{RESOURCE}) "
                 "WITH a.iri + ' ' + type(r) + ' ' + b.iri AS key, a, r, b WHERE key > $after "
                 "RETURN key, a.iri AS s, type(r) AS p, b.iri AS o ORDER BY key LIMIT $page")
    for row in _pages(store, rel_query):
        term = _EVIDENCE_TERMS.get(row["p"]) or ontology.term_for_name(row["p"])
        g.add((URIRef(row["s"]), term, URIRef(row["o"])))
    return g


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
