"""Counts per label and relationship type: the fingerprint of a graph."""

from __future__ import annotations

from kg.graph.stores.base import GraphStore


def graph_stats(store: GraphStore) -> dict:
    labels = store.read("MATCH (n) UNWIND labels(n) AS label "
                        "RETURN label, count(*) AS count ORDER BY label").rows
    types = store.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type").rows
    nodes = store.read("MATCH (n) RETURN count(n) AS count").rows[0]["count"]
    rels = store.read("MATCH ()-[r]->() RETURN count(r) AS count").rows[0]["count"]
    return {
        "nodes": nodes,
        "relationships": rels,
        "labels": {r["label"]: r["count"] for r in labels},
        "relationship_types": {r["type"]: r["count"] for r in types},
    }
