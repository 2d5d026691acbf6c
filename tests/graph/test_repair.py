"""`kg doctor --repair` on both stores: each kind of damage, written with Cypher into the loaded
sample, repaired to a graph the checks find sound; where the evidence holds what was lost, the
very graph a clean load wrote, and otherwise that graph once the articles it lists are loaded
again. A sound graph is never written to."""

import json

import pytest

from kg.graph.export import export_graph
from kg.graph.integrity import integrity, problems
from kg.graph.repair import repair
from kg.graph.stores.base import Index
from kg.read.sources import read_inputs
from loaders.pipeline import load_articles
from tests.support.paths import SAMPLE_ANNOTATIONS
from tests.support.store_fixtures import DelegatingStore

pytestmark = pytest.mark.store

INVENTED = "https://w3id.org/newskg/id/org/repair-test-0001"
IRI_CONSTRAINT = Index("Resource", ("iri",), unique=True)


def snapshot(store) -> dict:
    """Every node (labels, properties) and relationship (type, ends, properties): more than the
    export says (relationship properties: fact keys, positions)."""
    nodes = store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").rows
    rels = store.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.iri AS src, b.iri AS dst, "
                      "properties(r) AS props").rows
    as_text = lambda rows: sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
    return {"nodes": as_text([{**n, "labels": sorted(n["labels"])} for n in nodes]),
            "rels": as_text(rels)}


def dump(store, ontology) -> list[str]:
    return sorted(export_graph(store, ontology).serialize(format="nt").splitlines())


def damage(store, *statements, params=None) -> None:
    with store.transaction() as tx:
        for statement in statements:
            tx.write(statement, params or {})


def repaired(store, ontology, *statements, params=None) -> dict:
    """The damage written, then the repair's report."""
    damage(store, *statements, params=params)
    return repair(store, ontology)


def counts(report: dict, when: str) -> dict:
    return {name: check["count"] for name, check in report[when].items()}


def reload_articles(store, ontology, ids) -> None:
    items = [i for i in read_inputs(SAMPLE_ANNOTATIONS) if getattr(i, "id", None) in set(ids)]
    assert len(items) == len(ids)
    assert load_articles(store, ontology, items).ok


def organizer_evidence(store) -> dict:
    return store.read("MATCH (ev:Evidence {predicate: 'organizer'}) RETURN ev.iri AS iri, "
                      "ev.articleId AS article ORDER BY iri LIMIT 1").rows[0]


def restored_by_loading_again(store, ontology, report: dict, clean: dict) -> bool:
    """The articles the repair names, loaded again, give back the graph a clean load wrote."""
    reload_articles(store, ontology, report["articles"])
    return snapshot(store) == clean


def first_article(store) -> str:
    return store.read("MATCH (a:Article) RETURN a.articleId AS id ORDER BY id LIMIT 1").rows[0]["id"]


class _NoWrites(DelegatingStore):
    def transaction(self, undo=None):
        raise AssertionError("a sound graph got a write transaction")

    def run_transaction(self, work, undo=None):
        raise AssertionError("a sound graph got a write transaction")


def test_a_sound_graph_is_left_as_it_is(sample_store, ontology):
    before, export = snapshot(sample_store), dump(sample_store, ontology)
    report = repair(_NoWrites(sample_store), ontology)
    assert report["sound"] and report["repaired"] == {} and report["articles"] == []
    assert problems(report["before"]) == 0
    assert snapshot(sample_store) == before
    assert dump(sample_store, ontology) == export


@pytest.mark.parametrize("rel_type", ["organizer", "visitedSite"])  # visitedSite has positions
def test_a_lost_link_is_recreated_from_its_evidence(sample_store, ontology, rel_type):
    clean = snapshot(sample_store)
    report = repaired(sample_store, ontology,
                      f"MATCH ()-[r:{rel_type}]->() WITH r ORDER BY r.fact LIMIT 2 DELETE r")
    assert counts(report, "before")["evidence_without_fact"] >= 2
    assert report["repaired"]["evidence_without_fact"] == {"recreated": 2, "deleted": 0}
    assert report["articles"] == []  # whole again: nothing to load
    assert report["sound"] and problems(integrity(sample_store)) == 0
    assert snapshot(sample_store) == clean


def test_evidence_of_a_link_to_a_node_not_stored_is_deleted(sample_store, ontology):
    clean = snapshot(sample_store)
    ev = organizer_evidence(sample_store)
    report = repaired(sample_store, ontology,
                      "MATCH (ev:Evidence {iri: $iri}) SET ev.object = $gone, ev.fact = 'fact-0001'",
                      params={"iri": ev["iri"], "gone": INVENTED})
    assert report["repaired"]["evidence_without_fact"]["deleted"] == 1
    assert report["sound"] and report["articles"] == [ev["article"]]
    # the real link lost its evidence with it; loading the article named brings both back
    assert restored_by_loading_again(sample_store, ontology, report, clean)


def test_an_article_node_lost_takes_the_rest_of_the_article_with_it(sample_store, ontology):
    clean, export = snapshot(sample_store), dump(sample_store, ontology)
    aid = first_article(sample_store)
    report = repaired(sample_store, ontology, "MATCH (a:Article {articleId: $id}) DETACH DELETE a",
                      params={"id": aid})
    found = counts(report, "before")
    assert found["evidence_without_article"] > 0 and found["events_without_article"] > 0
    assert report["sound"] and counts(report, "after") == dict.fromkeys(found, 0)
    assert report["articles"] == [aid]
    assert not sample_store.read("MATCH (ev:Evidence {articleId: $id}) RETURN ev.iri AS iri",
                                 {"id": aid}).rows
    assert restored_by_loading_again(sample_store, ontology, report, clean)
    assert dump(sample_store, ontology) == export


def test_links_to_the_article_lost_are_made_again(sample_store, ontology):
    clean = snapshot(sample_store)
    aid = first_article(sample_store)
    report = repaired(sample_store, ontology,
                      "MATCH (:Article {articleId: $id})<-[r:derivedFrom]-() DELETE r", params={"id": aid})
    assert report["repaired"]["events_without_article"]["relinked"] > 0
    assert report["repaired"]["evidence_without_article"]["deleted"] == 0
    assert report["articles"] == []
    assert report["sound"] and snapshot(sample_store) == clean


def test_evidence_about_nothing_is_deleted(sample_store, ontology):
    clean = snapshot(sample_store)
    ev = organizer_evidence(sample_store)
    report = repaired(sample_store, ontology, "MATCH (ev:Evidence {iri: $iri})-[r:subject]->() DELETE r",
                      params={"iri": ev["iri"]})
    assert report["repaired"]["evidence_without_subject"] == {"deleted": 1}
    assert report["sound"] and report["articles"] == [ev["article"]]
    assert restored_by_loading_again(sample_store, ontology, report, clean)


def test_a_node_no_evidence_supports_is_deleted_with_its_links(sample_store, ontology):
    clean = snapshot(sample_store)
    report = repaired(sample_store, ontology,
                      "CREATE (:Resource:Office:Organization {iri: $iri, name: '虚构测试办事处'})",
                      "MATCH (a:Office {iri: $iri}), (b:Office) WHERE b.iri <> $iri WITH a, b LIMIT 1 "
                      "CREATE (a)-[:partOf]->(b)", params={"iri": INVENTED})
    assert counts(report, "before")["unsupported_nodes"] == 1
    assert report["repaired"]["unsupported_nodes"] == {"deleted": 1}
    assert report["sound"] and report["articles"] == []
    assert snapshot(sample_store) == clean


def test_an_office_that_lost_its_evidence_goes_with_what_pointed_at_it(sample_store, ontology):
    """Deleting a node leaves evidence of links to it, which the next round deletes."""
    clean = snapshot(sample_store)
    [office] = sample_store.read("MATCH (:Evidence {predicate: 'organizer'})-[:subject]->()-[:organizer]->(o) "
                                 "RETURN DISTINCT o.iri AS iri ORDER BY iri LIMIT 1").rows
    report = repaired(sample_store, ontology,
                      "MATCH (ev:Evidence)-[:subject]->(:Resource {iri: $iri}) DETACH DELETE ev",
                      params=office)
    assert report["repaired"]["unsupported_nodes"]["deleted"] >= 1
    assert report["repaired"]["evidence_without_fact"]["deleted"] >= 1
    assert report["sound"] and report["articles"]
    assert restored_by_loading_again(sample_store, ontology, report, clean)


def _without_iri_constraint(store) -> None:
    """Neo4j's uniqueness constraint refuses a second node of an IRI; a graph written without it
    (or before it) can hold one."""
    if store.name == "neo4j":
        store.drop_index(IRI_CONSTRAINT)


def test_the_nodes_of_one_iri_are_merged_without_doubling_links(sample_store, ontology):
    clean = snapshot(sample_store)
    [office] = sample_store.read("MATCH ()-[:organizer]->(o:Office) WITH o, count(*) AS c WHERE c > 1 "
                                 "RETURN o.iri AS iri, o.alias AS alias ORDER BY iri LIMIT 1").rows
    _without_iri_constraint(sample_store)
    damage(sample_store,
           # a copy of the office holding one of its evidence and links, and one link twice
           "MATCH (o:Office {iri: $iri}) CREATE (c:Resource {iri: o.iri, alias: ['测试别名']}) "
           "SET c.name = o.name",
           *(f"MATCH (o:Office {{iri: $iri}}), (c:Resource {{iri: $iri}}) WHERE NOT c:Office {move}"
             for move in ("MATCH (ev:Evidence)-[r:subject]->(o) WITH c, ev, r ORDER BY ev.iri LIMIT 1 "
                          "DELETE r CREATE (ev)-[:subject]->(c)",
                          "MATCH (e)-[r:organizer]->(o) WITH c, e, r ORDER BY r.fact LIMIT 1 "
                          "CREATE (e)-[m:organizer]->(c) SET m = properties(r) DELETE r",
                          "MATCH (e)-[r:organizer]->(o) WITH c, e, r ORDER BY r.fact LIMIT 1 "
                          "CREATE (e)-[m:organizer]->(c) SET m = properties(r)")),
           params={"iri": office["iri"]})
    assert integrity(sample_store)["duplicated_iris"]["count"] == 1
    report = repair(sample_store, ontology)
    assert report["repaired"]["duplicated_iris"] == {"merged_iris": 1, "nodes_removed": 1,
                                                    "links_moved": 2}
    assert report["articles"] == []
    assert report["sound"] and problems(integrity(sample_store)) == 0
    [merged] = sample_store.read("MATCH (o:Resource {iri: $iri}) RETURN o.alias AS alias",
                                 {"iri": office["iri"]}).rows
    assert merged["alias"] == sorted({*(office["alias"] or []), "测试别名"})  # properties unioned
    damage(sample_store, "MATCH (o:Office {iri: $iri}) SET o.alias = $alias", params=office)
    assert snapshot(sample_store) == clean
    sample_store.ensure_schema()  # on Neo4j the constraint takes again: one node per IRI


def test_nodes_of_one_iri_that_disagree_are_not_merged_and_said_so(sample_store, ontology):
    [office] = sample_store.read("MATCH (o:Office) RETURN o.iri AS iri ORDER BY iri LIMIT 1").rows
    _without_iri_constraint(sample_store)
    damage(sample_store, "CREATE (:Resource:Office {iri: $iri, name: '另一个测试名'})",
           # with evidence of its own, so it is not merely a node nothing supports
           "MATCH (o:Office {iri: $iri, name: '另一个测试名'}) MATCH (ev:Evidence)-[r:subject]->(x {iri: $iri}) "
           "WHERE x <> o WITH o, ev, r ORDER BY ev.iri LIMIT 1 DELETE r CREATE (ev)-[:subject]->(o)",
           params=office)
    before = snapshot(sample_store)
    report = repair(sample_store, ontology)
    assert not report["sound"] and counts(report, "after")["duplicated_iris"] == 1
    assert report["left"] and office["iri"] in report["left"][0] and "name" in report["left"][0]
    assert snapshot(sample_store) == before
    damage(sample_store, "MATCH (o:Office {iri: $iri, name: '另一个测试名'}) DETACH DELETE o", params=office)


@pytest.mark.parametrize("store", ["embedded"], indirect=True)
def test_each_repair_is_one_unit_of_writes_on_the_embedded_store(sample_store, ontology, monkeypatch):
    """Reads first, then every write of a repair in one MULTI/EXEC: killed anywhere, a kind of
    repair is wholly done or not at all."""
    aid = first_article(sample_store)
    damage(sample_store, "MATCH (a:Article {articleId: $id}) DETACH DELETE a",
           "MATCH ()-[r:visitedSite]->() WITH r ORDER BY r.fact LIMIT 1 DELETE r", params={"id": aid})
    units, transactions = [], []
    cls = type(sample_store)
    exec_, run_transaction = cls._exec, cls.run_transaction

    def counted_exec(self, queued):
        units.append(len(queued))
        return exec_(self, queued)

    def counted_transaction(self, work, undo=None):
        transactions.append(work)
        return run_transaction(self, work, undo)

    monkeypatch.setattr(cls, "_exec", counted_exec)
    monkeypatch.setattr(cls, "run_transaction", counted_transaction)
    report = repair(sample_store, ontology)
    assert report["sound"] and len(report["repaired"]) == 3
    assert len(units) == len(transactions) == 3 and all(units)
