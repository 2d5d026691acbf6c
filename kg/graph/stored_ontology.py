"""The ontology stored in the graph, beside the data, so analysts can query classes and their
hierarchy with Cypher: (:OntologyClass)-[:subClassOf]->(:OntologyClass), (:OntologyProperty)
with `domain` / `range` links, and one (:Ontology {version}) node."""

from __future__ import annotations

from kg.ontology import Ontology
from kg.graph.stores.base import GraphStore, Tx

ONTOLOGY_LABELS = ("Ontology", "OntologyClass", "OntologyProperty")


def stored_version(store: GraphStore) -> str | None:
    rows = store.read("MATCH (o:Ontology) RETURN o.version AS version").rows
    return rows[0]["version"] if rows else None


def write_ontology(tx: Tx, ontology: Ontology) -> None:
    """Replace the stored ontology with this one (instance data is not touched)."""
    rows = ontology.ontology_rows()
    for label in ONTOLOGY_LABELS:
        tx.write(f"MATCH (n:{label}) DETACH DELETE n")
    tx.write("CREATE (:Ontology {version: $version})", {"version": rows["version"]})
    tx.write("UNWIND $rows AS row CREATE (c:OntologyClass) SET c = row", {"rows": rows["classes"]})
    links = {"domain": "domain_any", "range": "range_any"}
    props = [{k: v for k, v in p.items() if k not in links and k not in links.values()}
             for p in rows["properties"]]
    tx.write("UNWIND $rows AS row CREATE (p:OntologyProperty) SET p = row", {"rows": props})
    tx.write("UNWIND $rows AS row MATCH (c:OntologyClass {iri: row.child}) "
             "MATCH (p:OntologyClass {iri: row.parent}) CREATE (c)-[:subClassOf]->(p)",
             {"rows": rows["subclass"]})
    tx.write("UNWIND $rows AS row MATCH (c:OntologyProperty {iri: row.child}) "
             "MATCH (p:OntologyProperty {iri: row.parent}) CREATE (c)-[:subPropertyOf]->(p)",
             {"rows": rows.get("subproperty", [])})
    for end, union in links.items():  # a union domain or range links to each of its classes
        pairs = [{"p": p["iri"], "c": c} for p in rows["properties"]
                 for c in ([p[end]] if p.get(end) else p.get(union) or [])]
        tx.write(f"UNWIND $rows AS row MATCH (p:OntologyProperty {{iri: row.p}}) "
                 f"MATCH (c:OntologyClass {{iri: row.c}}) CREATE (p)-[:{end}]->(c)", {"rows": pairs})


def ensure_ontology(store: GraphStore, ontology: Ontology) -> bool:
    """Store the ontology unless this version is already there; True if it wrote."""
    if stored_version(store) == ontology.version:
        return False
    with store.transaction() as tx:
        write_ontology(tx, ontology)
    return True
