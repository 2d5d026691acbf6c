"""Store fixtures: every store test runs on both stores from one parametrised fixture.

  ontology      session  the project's ontology
  store         function an empty store of each kind ("embedded": FalkorDB in a tmp dir,
                         "neo4j": the throwaway server), schema in place; marked `store`
  sample_store  function `store` with the hand-annotated sample page loaded
  loaded_store  module   the same stores with the sample loaded once per test module (loading
                         per test is slow), for tests that only read

All of them hand out the same two store objects (the session's embedded store, and a client
of the session's Neo4j), cleared before use, so tests in other modules find them empty.
"""

from __future__ import annotations

import pytest

from kg.graph.stores.bounded import DelegatingStore as StoreWrapper
from kg.graph.stores.base import GraphStore
from kg.graph.stores.falkor import FalkorStore
from kg.graph.stores.neo4j import Neo4jStore
from kg.ontology import Ontology
from kg.read.sources import read_inputs
from loaders.pipeline import load_articles
from tests.support.neo4j_server import _auth
from tests.support.paths import ROOT, SAMPLE_ANNOTATIONS

STORES = ["embedded", "neo4j"]


@pytest.fixture(scope="session")
def ontology():
    return Ontology.load(ROOT / "ontology")


@pytest.fixture(scope="session")
def _embedded_store(tmp_path_factory):
    store = FalkorStore(tmp_path_factory.mktemp("falkor"), graph="test")
    yield store
    store.close()


def empty_store(request, kind: str) -> GraphStore:
    """The store of this kind, cleared, with its schema."""
    if kind == "embedded":
        store = request.getfixturevalue("_embedded_store")
    else:
        store = Neo4jStore(request.getfixturevalue("neo4j_uri"), *_auth())
    store.clear()
    store.ensure_schema()
    return store


def loaded(store: GraphStore, ontology: Ontology) -> GraphStore:
    """The store with the sample annotations loaded."""
    report = load_articles(store, ontology, read_inputs(SAMPLE_ANNOTATIONS))
    assert report.ok, [str(e) for e in report.failed]
    return store


def _release(kind: str, store: GraphStore) -> None:
    if kind == "neo4j":
        store.close()  # a client per test; the session's embedded store stays open


@pytest.fixture(params=STORES)
def store(request):
    """An empty store of each kind, schema in place."""
    s = empty_store(request, request.param)
    yield s
    _release(request.param, s)


@pytest.fixture
def sample_store(store, ontology):
    return loaded(store, ontology)


@pytest.fixture(scope="module", params=STORES)
def loaded_store(request, ontology):
    s = loaded(empty_store(request, request.param), ontology)
    yield s
    if request.param == "embedded":
        s.clear()
    _release(request.param, s)


class DelegatingStore(StoreWrapper):
    """A store that hands every call to `inner`: tests wrap a real store to change one thing."""

    def close(self):
        pass  # the wrapped store belongs to its fixture
