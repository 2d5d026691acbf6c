"""A store of each kind with the sample page loaded once per test module (loading per test is slow).

The same store objects as tests/conftest.py's `store` fixture (the session's embedded store and
the throwaway Neo4j), so tests in other modules find them cleared as usual.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.neo4j_server import _auth

SAMPLE_ANNOTATIONS = Path(__file__).resolve().parents[2] / "data" / "sample" / "page-000.annotations.jsonl"


def open_loaded(request, kind: str, ontology):
    from kg.graph_ontology import ensure_ontology
    from loaders.files import read_annotations
    from loaders.load import load_articles

    if kind == "embedded":
        store = request.getfixturevalue("_embedded_store")
    else:
        from kg.stores.neo4j import Neo4jStore

        store = Neo4jStore(request.getfixturevalue("neo4j_uri"), *_auth())
    store.clear()
    store.ensure_schema()
    ensure_ontology(store, ontology)
    report = load_articles(store, ontology, read_annotations(SAMPLE_ANNOTATIONS))
    assert report.ok, [str(e) for e in report.failed]
    return store


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def loaded_store(request, ontology):
    store = open_loaded(request, request.param, ontology)
    yield store
    if request.param == "neo4j":
        store.close()
    else:
        store.clear()
