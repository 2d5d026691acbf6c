"""SHACL validation of the whole stored graph (`kg validate`), a page of nodes at a time.

The shapes only look along outgoing simple paths of a focus node (sh:targetClass,
sh:targetSubjectsOf, sh:path), so a page of nodes is checked exactly from: their types (from
their labels), literal properties, outgoing relationships and the types of the nodes those point
to. Each page is rebuilt as RDF (the inverse mapping of kg/export.py) and checked with the
compiled shapes (kg/shapes.py, pyshacl as fallback); only violations whose focus is on the page
count. Memory stays at one page, whatever the size of the graph. Violations name the node, the
shape, the path, the message and the articles whose evidence supports the node.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from rdflib import RDF, Graph, Literal, URIRef

from kg import validate
from kg.errors import OntologyError
from kg.export import _DATATYPES, _DERIVED, _EVIDENCE_TERMS, _literal, _specific_classes
from kg.ontology import Ontology
from kg.rows import RESOURCE
from kg.stores.base import GraphStore

PAGE = 2000


def _types(ontology: Ontology, labels: tuple[str, ...]) -> list[URIRef]:
    return _cached_types(ontology, labels)


@lru_cache(maxsize=4096)
def _cached_types(ontology: Ontology, labels: tuple[str, ...]) -> list[URIRef]:
    return _specific_classes(list(labels), ontology)


def _term(ontology: Ontology, name: str) -> URIRef | None:
    term = _EVIDENCE_TERMS.get(name)
    if term is not None:
        return term
    try:
        return ontology.term_for_name(name)
    except OntologyError:
        return None


def page_graph(nodes: list[dict], rels: list[dict], ontology: Ontology) -> tuple[Graph, list[dict]]:
    """RDF of a page of nodes (and the types of what they point to); unknown names reported."""
    g = Graph()
    unknown: list[dict] = []
    for row in nodes:
        s = URIRef(row["iri"])
        labels = tuple(sorted(row["labels"]))
        for cls in _types(ontology, labels):
            g.add((s, RDF.type, cls))
        props = row["props"]
        evidence = "Evidence" in row["labels"]
        for name, value in props.items():
            if name == "iri" or (evidence and name in _DERIVED | {"predicate", "object", "objectType"}):
                continue
            term = _term(ontology, name)
            if term is None:
                unknown.append(_unknown(row["iri"], name, "property key"))
                continue
            for v in value if isinstance(value, list) else [value]:
                g.add((s, term, _literal(v)))
        if evidence and props.get("predicate"):
            predicate = RDF.type if props["predicate"] == "type" else _term(ontology, props["predicate"])
            if predicate is None:
                unknown.append(_unknown(row["iri"], props["predicate"], "Evidence.predicate"))
            else:
                g.add((s, RDF.predicate, predicate))
            kind, obj = props.get("objectType", "string"), props.get("object")
            if obj is not None:
                g.add((s, RDF.object, URIRef(obj) if kind == "iri"
                       else Literal(obj, datatype=_DATATYPES.get(kind))))
    for rel in rels:
        term = _term(ontology, rel["p"])
        if term is None:
            unknown.append(_unknown(rel["s"], rel["p"], "relationship type"))
            continue
        o = URIRef(rel["o"])
        g.add((URIRef(rel["s"]), term, o))
        for cls in _types(ontology, tuple(sorted(rel["labels"]))):
            g.add((o, RDF.type, cls))
    return g, unknown


def _unknown(iri: str, name: str, what: str) -> dict:
    return {"focus": iri, "shape": "ontology", "path": name,
            "message": f"{what} {name!r} is not a term of the ontology"}


def validate_graph(store: GraphStore, ontology: Ontology, *, page: int = PAGE,
                   on_page: Callable[[int], None] | None = None) -> dict:
    """Every violation of the shapes in the stored graph, with the articles behind each node."""
    after = ""
    found: list[dict] = []
    checked = 0
    while True:
        nodes = store.read(f"MATCH (n:{RESOURCE}) WHERE n.iri > $after "
                           "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props "
                           "ORDER BY n.iri LIMIT $page", {"after": after, "page": page}).rows
        if not nodes:
            break
        iris = [n["iri"] for n in nodes]
        rels = store.read(f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}})-[r]->(m:{RESOURCE}) "
                          "RETURN n.iri AS s, type(r) AS p, m.iri AS o, labels(m) AS labels",
                          {"iris": iris}).rows
        graph, unknown = page_graph(nodes, rels, ontology)
        on_page_iris = set(iris)
        found.extend(unknown)
        found.extend(v for v in validate.violations(graph, ontology) if v["focus"] in on_page_iris)
        checked += len(nodes)
        if on_page:
            on_page(checked)
        after = iris[-1]
        if len(nodes) < page:
            break
    _attach_articles(store, found)
    found.sort(key=lambda v: (v["focus"], v["shape"], v["path"]))
    return {"nodes": checked, "violations": found}


def _attach_articles(store: GraphStore, found: list[dict]) -> None:
    """Which articles each violating node comes from (its evidence, its article, itself)."""
    iris = sorted({v["focus"] for v in found})
    articles: dict[str, set[str]] = {}
    for i in range(0, len(iris), PAGE):
        rows = store.read(
            f"UNWIND $iris AS iri MATCH (n:{RESOURCE} {{iri: iri}}) "
            "OPTIONAL MATCH (ev:Evidence)-[:subject]->(n) "
            "OPTIONAL MATCH (n)-[:derivedFrom]->(a:Article) "
            "RETURN n.iri AS iri, n.articleId AS own, collect(DISTINCT ev.articleId) AS evidence, "
            "collect(DISTINCT a.articleId) AS derived", {"iris": iris[i:i + PAGE]}).rows
        for row in rows:
            articles[row["iri"]] = {x for x in [row["own"], *row["evidence"], *row["derived"]] if x}
    for v in found:
        v["articles"] = sorted(articles.get(v["focus"], ()))
