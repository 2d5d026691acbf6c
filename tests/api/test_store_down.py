"""A store that is down gives 503 with Retry-After, never a hang, and the API recovers by itself."""

from __future__ import annotations

import os
import signal
import time

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.errors import StoreUnavailable
from kg.graph.stores.falkor import FalkorStore
from tests.support.store_fixtures import DelegatingStore, empty_store, loaded


class Switchable(DelegatingStore):
    """Delegates to a real store unless switched off (or made to hang)."""

    name = "switchable"

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.down, self.hang = False, 0.0
        self.building: list[str] = []

    def _check(self):
        if self.hang:
            time.sleep(self.hang)
        if self.down:
            raise StoreUnavailable("the store went away (test)")

    def read(self, cypher, params=None, *, timeout=None, limit=None):
        self._check()
        return super().read(cypher, params, timeout=timeout, limit=limit)

    def ping(self):
        self._check()
        super().ping()

    def indexes_building(self):
        return self.building or super().indexes_building()

    def generation(self):
        self._check()
        return super().generation()


@pytest.fixture(scope="module")
def switch(request, ontology):
    inner = loaded(empty_store(request, "embedded"), ontology)
    yield Switchable(inner)
    inner.clear()


def test_down_gives_503_with_retry_after_and_recovers(switch, caplog):
    with TestClient(create_app(Settings(), store=switch)) as client:
        assert client.get("/api/v1/visits").status_code == 200
        switch.down = True
        for url in ["/readyz", "/api/v1/visits", f"/api/v1/entities/org-9cbafcd8e2cb676b",
                    "/api/v1/queries/officials_of?organisation=x"]:
            r = client.get(url)
            assert r.status_code == 503, (url, r.text)
            assert int(r.headers["Retry-After"]) > 0
            assert r.headers["content-type"].startswith("application/problem+json")
            body = r.json()
            assert body["type"].endswith("/problems/store-unavailable")
            assert "went away" not in body["detail"] and "try again" in body["detail"]
        assert "went away" in caplog.text  # the store's own words are for the server log
        assert client.get("/healthz").status_code == 200  # the process itself is fine
        switch.down = False
        assert client.get("/readyz").status_code == 200
        assert len(client.get("/api/v1/visits").json()["items"]) == 4


def test_a_hanging_store_makes_readyz_503_quickly(switch):
    switch.hang = 5.0
    try:
        with TestClient(create_app(Settings(), store=switch)) as client:
            t0 = time.monotonic()
            r = client.get("/readyz")
            assert r.status_code == 503 and "did not answer" in r.json()["detail"]
            assert time.monotonic() - t0 < 4.5
    finally:
        switch.hang = 0.0


def test_readyz_is_503_while_the_store_builds_its_indexes(switch):
    with TestClient(create_app(Settings(), store=switch)) as client:
        assert client.get("/readyz").status_code == 200
        switch.building = ["Article (indexing 10/300: under construction)"]
        r = client.get("/readyz")
        assert r.status_code == 503 and r.headers["Retry-After"]
        assert r.json()["type"].endswith("store-warming") and "Article" in r.json()["detail"]
        assert client.get("/api/v1/visits").status_code == 200  # reads are served, only slower
        switch.building = []
        assert client.get("/readyz").status_code == 200


def test_unreachable_neo4j_is_503_not_a_hang(caplog):
    from kg.graph.stores.neo4j import Neo4jStore

    store = Neo4jStore("bolt://127.0.0.1:9", "neo4j", "none")
    try:
        with TestClient(create_app(Settings(), store=store)) as client:
            t0 = time.monotonic()
            r = client.get("/api/v1/visits")
            assert r.status_code == 503 and r.headers["Retry-After"]
            ready = client.get("/readyz")
            assert ready.status_code == 503
            for text in (r.text, ready.text):  # safe to show in a browser: no address
                assert "bolt" not in text and "127.0.0.1" not in text and ":9" not in text
            assert "bolt://127.0.0.1:9" in caplog.text
            assert time.monotonic() - t0 < 15
    finally:
        store.close()


def test_the_api_recovers_by_itself_when_the_embedded_server_is_killed(tmp_path, ontology):
    store = FalkorStore(tmp_path, graph="downed")
    store.ensure_schema()
    loaded(store, ontology)
    try:
        # no cache: its generation call would be the one to meet the dead server, and the
        # route's read would already start the next one (200 at once)
        with TestClient(create_app(Settings(KG_API_CACHE_ENTRIES=0), store=store)) as client:
            assert len(client.get("/api/v1/visits").json()["items"]) == 4
            os.kill(store._redis().pid, signal.SIGKILL)
            r = client.get("/api/v1/visits")
            assert r.status_code == 503, r.text  # not 500
            assert int(r.headers["Retry-After"]) > 0
            assert r.json()["type"].endswith("/problems/store-unavailable")
            assert client.get("/readyz").status_code == 200  # a new server, its file replayed
            assert len(client.get("/api/v1/visits").json()["items"]) == 4
    finally:
        store.close()
