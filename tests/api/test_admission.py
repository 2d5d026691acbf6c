"""Admission: slots per kind of request, one deadline per request, bounded bodies and
parameters; on both stores."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from api.admission import pool_of
from api.main import create_app
from kg.config import Settings
from tests.api.test_api import KEY, assert_problem
from tests.support.store_fixtures import DelegatingStore

pytestmark = pytest.mark.store

HOLD = "// hold"


class Gate(DelegatingStore):
    """Reads whose text ends with HOLD wait until the test opens the gate."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.entered, self.opened = threading.Event(), threading.Event()

    def read(self, cypher, params=None, *, timeout=None, limit=None):
        if HOLD in cypher:
            self.entered.set()
            assert self.opened.wait(30)
        return super().read(cypher, params, timeout=timeout, limit=limit)


def app_settings(**extra) -> Settings:
    return Settings(KG_API_KEYS=[KEY], **extra)


@pytest.mark.parametrize("path, pool", [
    ("/healthz", None), ("/readyz", None), ("/docs", None), ("/openapi.json", None), ("/", None),
    ("/api/v1/entities", "read"), ("/api/v1/visits", "read"), ("/api/v1/articles/x", "read"),
    ("/api/v1/graph", "heavy"), ("/api/v1/cypher", "heavy"), ("/api/v1/queries/visits", "heavy"),
])
def test_requests_take_slots_by_kind(path, pool):
    assert pool_of(path) == pool


def test_a_long_read_does_not_starve_the_others(loaded_store):
    gate = Gate(loaded_store)
    settings = app_settings(KG_API_HEAVY_SLOTS=1, KG_API_QUEUE_WAIT=0.2)
    with TestClient(create_app(settings, store=gate)) as client:
        held: dict = {}
        first = threading.Thread(target=lambda: held.setdefault("r", client.post(
            "/api/v1/cypher", headers={"X-API-Key": KEY},
            json={"query": f"MATCH (n:Office) RETURN count(n) AS n {HOLD}"})))
        first.start()
        try:
            assert gate.entered.wait(30)
            busy = client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                               json={"query": "MATCH (n:Office) RETURN count(n) AS n"})
            body = assert_problem(busy, 503)
            assert body["type"].endswith("/busy") and busy.headers["Retry-After"].isdigit()
            assert_problem(client.get("/api/v1/graph", params={"id": "x"}), 503)
            assert client.get("/healthz").status_code == 200
            assert client.get("/readyz").status_code == 200
            assert client.get("/api/v1/entities", params={"type": "Office"}).status_code == 200
        finally:
            gate.opened.set()
            first.join(30)
        assert held["r"].status_code == 200 and held["r"].json()["rows"] == [{"n": 6}]
        # the slot is free again
        assert client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                           json={"query": "MATCH (n:Office) RETURN count(n) AS n"}).status_code == 200


def test_a_passed_deadline_is_504_and_frees_the_slot(loaded_store):
    settings = app_settings(KG_QUERY_TIMEOUT=2, KG_API_HEAVY_SLOTS=1)
    slow = "MATCH (a), (b), (c), (d) WHERE a.iri + b.iri + c.iri + d.iri = 'x' RETURN count(*) AS c"  # ~10^10 rows
    with TestClient(create_app(settings, store=loaded_store)) as client:
        body = assert_problem(client.post("/api/v1/cypher", headers={"X-API-Key": KEY}, json={"query": slow}), 504)
        assert body["type"].endswith("/query-timed-out")
        r = client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                        json={"query": "MATCH (n:Office) RETURN count(n) AS n"})
        assert r.status_code == 200, r.text


def test_bodies_over_the_limit_are_413_before_anything_else(loaded_store):
    with TestClient(create_app(app_settings(KG_API_MAX_BODY=1000), store=loaded_store)) as client:
        big = {"query": "RETURN 1", "parameters": {"x": "y" * 2000}}
        for headers in ({}, {"X-API-Key": KEY}):  # no key: still 413, the body is not kept
            body = assert_problem(client.post("/api/v1/cypher", headers=headers, json=big), 413)
            assert "KG_API_MAX_BODY" in body["detail"]

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b"x" * 200

        assert_problem(client.post("/api/v1/queries/visits", content=chunks(),
                                   headers={"Content-Type": "application/json"}), 413)
        small = client.post("/api/v1/cypher", headers={"X-API-Key": KEY},
                            json={"query": "RETURN $x AS x", "parameters": {"x": "y" * 100}})
        assert small.status_code == 200 and small.json()["rows"] == [{"x": "y" * 100}]


def test_named_query_text_parameters_are_bounded(loaded_store):
    with TestClient(create_app(app_settings(KG_QUERY_PARAM_MAX_CHARS=50), store=loaded_store)) as client:
        r = client.get("/api/v1/queries/officials_of", params={"organisation": "新" * 51})
        body = assert_problem(r, 413, "organisation")
        assert "KG_QUERY_PARAM_MAX_CHARS" in body["detail"]
        r = client.post("/api/v1/queries/officials_of", json={"parameters": {"organisation": "新" * 51}})
        assert_problem(r, 413, "organisation")
        assert client.get("/api/v1/queries/officials_of", params={"organisation": "新港办事处"}).status_code == 200
