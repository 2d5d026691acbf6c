"""Indexes the store is still building: reported, awaited, and used once built."""

from __future__ import annotations

from kg.graph.stores.falkor import FalkorStore
from tests.support.store_fixtures import loaded

ARTICLE = "MATCH (a:Article {articleId: $id}) RETURN a.articleId AS id"


def _scans(store, cypher: str) -> set[str]:
    return {step.operator.replace(" ", "").lower() for step in store.plan(cypher, {"id": "x"}).steps}


def test_awaited_indexes_are_all_usable_and_the_planner_uses_them(sample_store):
    sample_store.await_indexes()
    assert sample_store.indexes_building() == []
    assert any("index" in op for op in _scans(sample_store, ARTICLE))


def test_a_restarted_embedded_server_rebuilds_its_indexes_and_await_waits_for_them(tmp_path, ontology):
    first = FalkorStore(tmp_path, graph="warm")
    first.ensure_schema()
    loaded(first, ontology)
    first.close()  # the server stops; the next open starts one from the files
    again = FalkorStore(tmp_path, graph="warm")
    try:
        building = again.indexes_building()
        assert all(" (" in entry for entry in building)  # "label (state)"
        again.await_indexes()
        assert again.indexes_building() == []
        assert any("index" in op for op in _scans(again, ARTICLE))
    finally:
        again.close()
