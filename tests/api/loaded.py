"""A store of each kind with the sample page loaded once per test module (loading per test is slow).

The same store objects as tests/conftest.py's `store` fixture (the session's embedded store and
the throwaway Neo4j), so tests in other modules find them cleared as usual.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.graph.stores.base import GraphStore
from tests.neo4j_server import _auth

SAMPLE_ANNOTATIONS = Path(__file__).resolve().parents[2] / "data" / "sample" / "page-000.annotations.jsonl"


def open_loaded(request, kind: str, ontology):
    from kg.graph.stored_ontology import ensure_ontology
    from kg.read.sources import read_inputs
    from loaders.pipeline import load_articles

    if kind == "embedded":
        store = request.getfixturevalue("_embedded_store")
    else:
        from kg.graph.stores.neo4j import Neo4jStore

        store = Neo4jStore(request.getfixturevalue("neo4j_uri"), *_auth())
    store.clear()
    store.ensure_schema()
    ensure_ontology(store, ontology)
    report = load_articles(store, ontology, read_inputs(SAMPLE_ANNOTATIONS))
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


class DelegatingStore(GraphStore):
    """A store that hands every call to `inner`: tests wrap a real store to change one thing."""

    name = "delegating"

    def __init__(self, inner: GraphStore | None = None) -> None:
        self.inner = inner

    def read(self, cypher, params=None, *, timeout=None, limit=None):
        return self.inner.read(cypher, params, timeout=timeout, limit=limit)

    def ping(self):
        self.inner.ping()

    def transaction(self):
        return self.inner.transaction()

    def indexes(self):
        return self.inner.indexes()

    def create_index(self, index):
        self.inner.create_index(index)

    def drop_index(self, index):
        self.inner.drop_index(index)

    def clear(self):
        self.inner.clear()

    def close(self):
        pass  # the wrapped store belongs to its fixture
