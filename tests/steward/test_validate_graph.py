"""`kg validate`'s node-by-node checks (kg/rdf/shapes.py NodeChecker) report exactly what the
page-wide compiled shapes and pyshacl on the page's RDF report, on a graph with planted
violations, on each store."""

from __future__ import annotations

import pytest

from kg.steward import validate_graph as graph_validate
from kg.steward.validate_graph import validate_graph

KG = "https://w3id.org/newskg/def#"


def _plant(store) -> None:
    with store.transaction() as tx:
        tx.run("MATCH (n:Branch) SET n.starRating = 9")  # out of range
        tx.run("MATCH (n:Person) WITH n ORDER BY n.iri LIMIT 1 SET n.name = ''")  # too short
        tx.run("MATCH (n:Office) WITH n ORDER BY n.iri LIMIT 1 SET n.name = NULL")  # missing
        tx.run("MATCH (n:Village) WITH n ORDER BY n.iri LIMIT 1 SET n.colour = 'red'")  # unknown
        tx.run("MATCH (n:Village) WITH n ORDER BY n.iri DESC LIMIT 1 SET n.name = 42")  # datatype
        tx.run("MATCH (p:Person) WITH p ORDER BY p.iri DESC LIMIT 1 "  # wrong class of object
               "MATCH (a:Article) WITH p, a ORDER BY a.iri LIMIT 1 CREATE (p)-[:partOf]->(a)")


@pytest.mark.parametrize("page, per_batch", [(graph_validate.PAGE, graph_validate.ARTICLES_PER_BATCH),
                                             (7, 2)])
def test_node_checks_report_what_the_rdf_paths_report(sample_store, ontology, monkeypatch,
                                                      page, per_batch):
    _plant(sample_store)
    fast = validate_graph(sample_store, ontology, page=page, articles_per_batch=per_batch)["violations"]
    paths = {(v["path"]) for v in fast}
    assert {KG + "name", "colour", KG + "partOf"} <= paths, fast
    assert len({v["focus"] for v in fast}) >= 5

    monkeypatch.setattr(graph_validate, "_node_checker", lambda _ontology: None)
    compiled = validate_graph(sample_store, ontology, page=page, articles_per_batch=per_batch)["violations"]
    assert fast == compiled
    monkeypatch.setattr("kg.rdf.validate._compiled", lambda _ontology: None)  # pyshacl on real RDF
    reference = validate_graph(sample_store, ontology, page=page, articles_per_batch=per_batch)["violations"]
    assert fast == reference
