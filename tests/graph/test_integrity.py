"""The integrity checks find what a half-written load leaves, and nothing in a sound graph."""

import pytest

from kg.errors import StoreError
from kg.graph.integrity import integrity, problems

pytestmark = pytest.mark.store


def _counts(store):
    return {name: found["count"] for name, found in integrity(store).items()}


def test_a_clean_load_has_nothing_to_report(sample_store):
    assert problems(integrity(sample_store)) == 0


def test_an_article_node_gone_leaves_its_events_and_evidence_reported(sample_store):
    [aid] = [r["id"] for r in sample_store.read(
        "MATCH (a:Article) RETURN a.articleId AS id ORDER BY id LIMIT 1").rows]
    with sample_store.transaction() as tx:
        tx.write("MATCH (a:Article {articleId: $id}) DETACH DELETE a", {"id": aid})
    found = integrity(sample_store)
    assert found["evidence_without_article"]["count"] > 0
    assert found["evidence_without_article"]["examples"][0] == aid
    assert found["events_without_article"]["count"] > 0
    assert found["duplicated_iris"]["count"] == 0


def test_a_link_lost_is_reported(sample_store):
    with sample_store.transaction() as tx:
        tx.write("MATCH ()-[r:organizer]->() WITH r LIMIT 1 DELETE r")
    counts = _counts(sample_store)
    assert counts["evidence_without_fact"] >= 1
    assert counts["duplicated_iris"] == 0


def test_a_node_written_twice_is_reported_where_no_constraint_refuses_it(sample_store):
    twice = "MATCH (n:Office) WITH n LIMIT 1 CREATE (:Resource:Office {iri: n.iri})"
    if sample_store.name == "neo4j":  # its uniqueness constraint on :Resource(iri)
        with pytest.raises(StoreError, match="already exists"):
            with sample_store.transaction() as tx:
                tx.write(twice)
        assert _counts(sample_store)["duplicated_iris"] == 0
        return
    with sample_store.transaction() as tx:
        tx.write(twice)
    found = integrity(sample_store)["duplicated_iris"]
    assert found["count"] == 1 and found["examples"][0].startswith("https://w3id.org/newskg/id/")
