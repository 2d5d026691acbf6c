"""The property graph back to RDF: the inverse of kg/graph/rows.py, read page by page.

Nodes give rdf:type for their most specific class labels (the materialised superclass labels
are entailed by the ontology and not repeated), literal properties give literals, relationships
give object triples; Evidence nodes give back their reified statement.

`export_triples` streams the triples page by page (one pass over the nodes, one over their
relationships: linear in the graph); `write_rdf` writes them for others as they come: dates
typed (xsd:date, xsd:gMonthDay), Turtle, N-Triples, TriG (in one named graph) or compact
JSON-LD with the ontology's @context (the one format built in memory). `export_graph` gives an
rdflib Graph of the triples as the load built them, to compare. loaders/rdf_import.py reads
any of these back.
"""

from __future__ import annotations

import io
from functools import lru_cache
from operator import itemgetter
from typing import Callable, Iterable, Iterator, TextIO

from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.errors import OntologyError
from kg.ontology import Ontology
from kg.graph.rows import EVIDENCE_NAMES, RESOURCE
from kg.graph.stores.base import GraphStore
from kg.rdf.literals import typed_date
from kg.rdf.stream import write_ntriples, write_turtle
from kg.vocab import ID, KG, OA

# the formats of `kg export` / `kg import`: name -> rdflib's name, and the file suffixes of each
FORMATS = {"turtle": "turtle", "ntriples": "nt", "trig": "trig", "jsonld": "json-ld"}
SUFFIXES = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig", ".jsonld": "jsonld",
            ".json": "jsonld"}
EXPORT_GRAPH = ID["graph"]  # the named graph a TriG export puts the triples in
# the prefixes of what export writes
PREFIXES = {"kg": str(KG._NS), "oa": str(OA), "id": str(ID), "rdf": str(RDF), "xsd": str(XSD)}
# stored as plain strings (the ontology's kg:date and kg:published), typed on the way out
DATE_PROPERTIES = frozenset({KG.date, KG.published})

PAGE = 5000
_EVIDENCE_TERMS = {name: term for term, name in EVIDENCE_NAMES.items()}
_DERIVED = {"articleId"}  # Evidence properties that repeat what a relationship says
_EVIDENCE_OWN = _DERIVED | {"predicate", "object", "objectType"}  # not literals of their own
_DATATYPES = {"integer": XSD.integer, "decimal": XSD.decimal, "double": XSD.double,
              "float": XSD.float, "boolean": XSD.boolean}


def _rows(store: GraphStore, rest: str, on_rows: Callable[[int], None] | None) -> Iterator[dict]:
    """One row per stored node (store.node_pages: each node read once, a page at a time);
    `on_rows(n)` is told each page of n rows."""
    for rows in store.node_pages(RESOURCE, rest, page=PAGE):
        yield from rows
        if on_rows:
            on_rows(len(rows))


def _literal(value) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(str(value), datatype=XSD.decimal)
    return Literal(value)


# most stored values recur (dates, offsets, names, predicates): a Literal is costly to build.
# typed: 1, 1.0 and True are equal keys, and different literals
cached_literal = lru_cache(maxsize=1 << 16, typed=True)(_literal)
_typed_date = lru_cache(maxsize=1 << 12)(typed_date)


def export_size(store: GraphStore) -> int:
    """The rows export_graph reads, the total of its progress: each node twice (its own
    properties, then its outgoing relationships)."""
    return 2 * store.read(f"MATCH (n:{RESOURCE}) RETURN count(n) AS n").rows[0]["n"]


# what node_pages returns for each node: its own properties, then its outgoing relationships
NODE_ROWS = "RETURN n.iri AS key, labels(n) AS labels, properties(n) AS props"
RELATIONSHIP_ROWS = (f"OPTIONAL MATCH (n)-[r]->(b:{RESOURCE}) "
                     "RETURN n.iri AS key, collect([type(r), b.iri]) AS out")


def export_triples(store: GraphStore, ontology: Ontology,
                   on_rows: Callable[[int], None] | None = None, *, typed: bool = False) -> Iterator[tuple]:
    """The stored graph's triples, one subject after another, as they are read (nothing held
    but a page): first each node's own triples, then each node's outgoing relationships.
    `typed` types the dates (as typed_dates does); `on_rows(n)` is told each page."""
    strict = _strict(ontology)
    for row in _rows(store, NODE_ROWS, on_rows):
        yield from node_triples(row["key"], _specific_classes(row["labels"], ontology),
                                "Evidence" in row["labels"], row["props"], strict,
                                lit=cached_literal, typed=typed)
    for row in _rows(store, RELATIONSHIP_ROWS, on_rows):
        s = URIRef(row["key"])
        for p, o in row["out"]:
            if p is not None and o is not None:
                yield s, _EVIDENCE_TERMS.get(p) or ontology.term_for_name(p), URIRef(o)


def export_graph(store: GraphStore, ontology: Ontology,
                 on_rows: Callable[[int], None] | None = None) -> Graph:
    """The stored graph as an rdflib Graph, dates as stored (for comparing with what a load
    built); `kg export` streams export_triples instead."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.addN((*t, g) for t in export_triples(store, ontology, on_rows))
    return g


def _strict(ontology: Ontology) -> Callable[[str, str], URIRef]:
    """Term lookup for export: a key outside the ontology is an error (OntologyError)."""
    return lambda name, _what: _EVIDENCE_TERMS.get(name) or ontology.term_for_name(name)


def node_triples(iri: str, classes: list[URIRef], evidence: bool, props: dict,
                 term: Callable[[str, str], URIRef | None], ref: Callable[[str], URIRef] = URIRef,
                 lit: Callable[[object], Literal] = _literal, *, typed: bool = False) -> Iterator[tuple]:
    """The triples of one stored node: kg/graph/rows.py read backwards. `term(name, what)` gives the
    term of a property key (None: skip it, the caller has noted it); `ref` and `lit` let a hot
    caller intern IRIs and cache literals. `typed` types the dates (kg:date, kg:published and the
    rdf:object of a statement about one): '2022-06-29'^^xsd:date, '--06-29'^^xsd:gMonthDay."""
    s = ref(iri)
    for cls in classes:
        yield s, RDF.type, cls
    for name, value in props.items():
        if name == "iri" or (evidence and name in _EVIDENCE_OWN):
            continue
        prop = term(name, "property key")
        if prop is None:
            continue
        dates = typed and prop in DATE_PROPERTIES
        for v in value if isinstance(value, list) else [value]:
            yield s, prop, (_typed_date(v) if dates and isinstance(v, str) else lit(v))
    if evidence and props.get("predicate"):
        name = props["predicate"]
        predicate = RDF.type if name == "type" else term(name, "Evidence.predicate")
        if predicate is not None:
            yield s, RDF.predicate, predicate
        kind, obj = props.get("objectType", "string"), props.get("object")
        if obj is not None:
            datatype = _DATATYPES.get(kind)
            if kind == "iri":
                yield s, RDF.object, ref(obj)
            elif typed and datatype is None and predicate in DATE_PROPERTIES:
                yield s, RDF.object, _typed_date(str(obj))
            else:
                yield s, RDF.object, Literal(obj, datatype=datatype)


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


def write_rdf(triples: Iterable[tuple], fmt: str, ontology: Ontology, out: TextIO) -> int:
    """Typed triples (export_triples(typed=True), one subject after another) written to `out`
    in one of FORMATS; returns how many. N-Triples, Turtle and TriG stream (kg/rdf/stream.py);
    compact JSON-LD needs the whole graph, so it is built in memory first."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}")
    if fmt == "ntriples":
        return write_ntriples(triples, out)
    if fmt in ("turtle", "trig"):
        return write_turtle(triples, out, PREFIXES, graph=EXPORT_GRAPH if fmt == "trig" else None)
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.addN((*t, graph) for t in triples)
    context = ontology.jsonld_context(extra={"id": str(ID)})
    out.write(graph.serialize(format="json-ld", context=context, indent=2, ensure_ascii=False))
    return len(graph)


def serialize(graph: Graph, fmt: str, ontology: Ontology) -> str:
    """An exported graph (export_graph, dates as stored) as text in one of FORMATS, dates typed."""
    text = io.StringIO()
    write_rdf(sorted(typed_dates(graph), key=itemgetter(0)), fmt, ontology, text)
    return text.getvalue()
