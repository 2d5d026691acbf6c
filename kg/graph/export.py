"""The property graph back to RDF: the inverse of kg/graph/rows.py, read page by page.

Nodes give rdf:type for their most specific class labels (the materialised superclass labels
are entailed by the ontology and not repeated), literal properties give literals, relationships
give object triples; Evidence nodes give back their reified statement.

`export_graph` gives the triples as the load built them; `serialize` writes them for others:
dates typed (xsd:date, xsd:gMonthDay), Turtle, N-Triples, TriG (in one named graph) or compact
JSON-LD with the ontology's @context. loaders/rdf_import.py reads any of these back.
"""

from __future__ import annotations

from typing import Callable, Iterator

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef

from kg.errors import OntologyError
from kg.ontology import Ontology
from kg.graph.rows import EVIDENCE_NAMES, RESOURCE
from kg.graph.stores.base import GraphStore
from kg.rdf.literals import typed_date
from kg.vocab import ID, KG, OA

# the formats of `kg export` / `kg import`: name -> rdflib's name, and the file suffixes of each
FORMATS = {"turtle": "turtle", "ntriples": "nt", "trig": "trig", "jsonld": "json-ld"}
SUFFIXES = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig", ".jsonld": "jsonld",
            ".json": "jsonld"}
EXPORT_GRAPH = ID["graph"]  # the named graph a TriG export puts the triples in
# stored as plain strings (the ontology's kg:date and kg:published), typed on the way out
DATE_PROPERTIES = (KG.date, KG.published)

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
    g.bind("id", ID)
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


def typed_dates(graph: Graph) -> Graph:
    """A copy of `graph` with its dates typed, in the facts and in the statements of their
    Evidence: '2022-06-29'^^xsd:date, '--06-29'^^xsd:gMonthDay."""
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=False)
    dated = {ev for p in DATE_PROPERTIES for ev in graph.subjects(RDF.predicate, p)}
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is None and o.language is None and (
                p in DATE_PROPERTIES or (p == RDF.object and s in dated)):
            o = typed_date(str(o))
        out.add((s, p, o))
    return out


def serialize(graph: Graph, fmt: str, ontology: Ontology) -> str:
    """The exported graph as text in one of FORMATS, dates typed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    typed = typed_dates(graph)
    if fmt == "jsonld":
        context = ontology.jsonld_context(extra={"id": str(ID)})
        return typed.serialize(format="json-ld", context=context, indent=2, ensure_ascii=False)
    if fmt == "trig":
        dataset = Dataset()
        for prefix, ns in typed.namespaces():
            dataset.bind(prefix, ns, override=False)
        named = dataset.graph(EXPORT_GRAPH)
        named += typed
        return dataset.serialize(format="trig")
    return typed.serialize(format=FORMATS[fmt])
