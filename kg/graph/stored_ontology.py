"""The ontology stored in the graph, beside the data, so analysts can query classes and their
hierarchy with Cypher: (:OntologyClass)-[:subClassOf]->(:OntologyClass), (:OntologyProperty)
with `domain` / `range` links, and one (:Ontology {version, contentHash}) node.

Only the first load into an empty store and `kg ontology reload` write it: a load given another
ontology than the stored one is refused (`require_stored`), so the data never silently follows
an ontology the reload checks have not seen."""

from __future__ import annotations

import hashlib
import json

from kg.errors import OntologyMismatch
from kg.ontology import Ontology
from kg.graph.stores.base import GraphStore, Tx
from kg.steward.check import version_key

ONTOLOGY_LABELS = ("Ontology", "OntologyClass", "OntologyProperty")


def stored_version(store: GraphStore) -> str | None:
    stored = _stored(lambda q: store.read(q).rows)
    return stored["version"] if stored else None


def content_hash(ontology: Ontology) -> str:
    """What the store holds of an ontology, digested: two directories of one version that
    would store different classes or properties differ here (comments and layout do not)."""
    text = json.dumps(ontology.ontology_rows(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def write_ontology(tx: Tx, ontology: Ontology) -> None:
    """Replace the stored ontology with this one (instance data is not touched)."""
    rows = ontology.ontology_rows()
    for label in ONTOLOGY_LABELS:
        tx.write(f"MATCH (n:{label}) DETACH DELETE n")
    tx.write("CREATE (:Ontology {version: $version, contentHash: $hash})",
             {"version": rows["version"], "hash": content_hash(ontology)})
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


def _stored(read) -> dict | None:
    rows = read("MATCH (o:Ontology) RETURN o.version AS version, o.contentHash AS hash")
    return rows[0] if rows else None


def require_stored(stored: dict | None, ontology: Ontology) -> bool:
    """True if the store has no ontology yet (this one is to be written); nothing to do if it
    has this one; OntologyMismatch if it has another (another version, or the same version
    with other contents; a store written before contentHash is compared by version)."""
    if stored is None:
        return True
    same_version = stored["version"] == ontology.version
    if same_version and stored.get("hash") in (None, content_hash(ontology)):
        return False
    have, given = stored["version"], ontology.version
    if same_version:
        why = (f"the store holds ontology {have}; this load was given other files with the same "
               "version: raise owl:versionInfo and run `kg ontology reload`, or point "
               "KG_ONTOLOGY_DIR at the stored ontology's files")
    elif version_key(given) > version_key(have):
        why = (f"the store holds ontology {have}; this load was given {given}, and a load never "
               f"changes the stored ontology: run `kg ontology reload` to move the store to {given} "
               f"first, or point KG_ONTOLOGY_DIR at {have}'s files")
    else:
        why = (f"the store holds ontology {have}; this load was given the older {given}, and a "
               f"load never changes the stored ontology: point KG_ONTOLOGY_DIR at {have}'s files")
    raise OntologyMismatch(have, given, why)


def check_ontology(store: GraphStore, ontology: Ontology) -> bool:
    """Before a load writes anything: True if the store has no ontology yet, False if it has
    this one, OntologyMismatch otherwise (see require_stored)."""
    return require_stored(_stored(lambda q: store.read(q).rows), ontology)


def ensure_ontology(store: GraphStore, ontology: Ontology) -> bool:
    """Store the ontology if the store has none; True if it wrote. A store that has another
    one is left as it is (OntologyMismatch): only `kg ontology reload` replaces it."""
    if not check_ontology(store, ontology):
        return False

    def first(tx: Tx) -> bool:
        store.take_turn(tx, "ontology")  # checked again in turn: two first loads at once
        if not require_stored(_stored(tx.run), ontology):
            return False
        write_ontology(tx, ontology)
        return True

    return store.run_transaction(first)
