"""Repeated GETs are answered from the cache until the graph changes, on both stores."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest
from fastapi.testclient import TestClient

from api import cache
from api.main import create_app
from kg.config import Settings
from kg.graph.stores.falkor import FalkorStore
from loaders.pipeline import load_articles
from tests.support.annotated import article
from tests.support.event_loop import run_in_own_thread
from tests.support.store_fixtures import DelegatingStore, loaded

pytestmark = pytest.mark.store

VISITS = "/api/v1/visits?limit=50"
LATER = article("cache-later", "[北溪街道|Office][观摩|Observation]了[青石村|Village]",
                [("观摩", "organizer", "北溪街道"), ("观摩", "visitedSite", "青石村")])


@pytest.fixture(autouse=True)
def _patient(monkeypatch):
    """A generation call slowed by a loaded CI box must not pass for a busy store here."""
    monkeypatch.setattr(cache, "GENERATION_WAIT_S", 30.0)


class Counting(DelegatingStore):
    """A real store that counts the reads it is asked for."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.reads, self.busy = 0, 0.0

    def generation(self):
        time.sleep(self.busy)  # a store busy with a batch's EXEC answers nothing meanwhile
        return super().generation()

    def read(self, cypher, params=None, *, timeout=None, limit=None):
        self.reads += 1
        return super().read(cypher, params, timeout=timeout, limit=limit)


def _client(store, **settings) -> TestClient:
    return TestClient(create_app(Settings(**settings), store=store))


def test_a_repeated_get_is_kept_until_a_load_commits(sample_store, ontology):
    counting = Counting(sample_store)
    with _client(counting) as client:
        first = client.get(VISITS)
        reads = counting.reads
        again = client.get(VISITS)
        assert again.status_code == 200 and again.json() == first.json()
        assert again.headers["x-kg-cache"] == "hit" and "x-kg-cache" not in first.headers
        assert again.headers["content-type"] == first.headers["content-type"]
        assert counting.reads == reads  # no query ran
        assert load_articles(sample_store, ontology, [LATER]).ok
        after = client.get(VISITS)
        assert "x-kg-cache" not in after.headers and counting.reads > reads
        assert len(after.json()["items"]) == len(first.json()["items"]) + 1
        assert client.get(VISITS).headers["x-kg-cache"] == "hit"


def test_a_store_too_busy_to_tell_gets_the_answer_kept_under_the_latest_generation(sample_store, monkeypatch):
    monkeypatch.setattr(cache, "GENERATION_WAIT_S", 0.25)
    counting = Counting(sample_store)
    with _client(counting) as client:
        first = client.get(VISITS)
        counting.busy = 1.0
        busy = client.get(VISITS)
        assert busy.headers["x-kg-cache"] == "unconfirmed" and busy.json() == first.json()
        other = client.get("/api/v1/visits?limit=7")  # nothing kept for it: the route answers
        assert other.status_code == 200 and "x-kg-cache" not in other.headers
        counting.busy = 0.0


class Gated(Counting):
    """A real store whose reads wait at a gate the test opens."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.gate, self.entered = threading.Event(), threading.Event()
        self.gate.set()

    def read(self, cypher, params=None, *, timeout=None, limit=None):
        self.entered.set()
        self.gate.wait(10)
        return super().read(cypher, params, timeout=timeout, limit=limit)


def test_while_one_request_recomputes_after_a_commit_the_others_get_the_answer_before(
        sample_store, ontology):
    gated = Gated(sample_store)
    with _client(gated, KG_API_STALE_AFTER=0) as client:  # the recomputing one waits for its answer
        before = client.get(VISITS).json()
        assert load_articles(sample_store, ontology, [LATER]).ok
        gated.gate.clear()  # the next answer takes until the gate opens
        gated.entered.clear()
        recompute = threading.Thread(target=client.get, args=(VISITS,))
        recompute.start()
        assert gated.entered.wait(10)  # it is recomputing, held at the gate
        stale = client.get(VISITS)
        assert stale.headers["x-kg-cache"] == "stale" and stale.json() == before
        gated.gate.set()
        recompute.join(10)
        fresh = client.get(VISITS)
        assert fresh.headers["x-kg-cache"] == "hit"
        assert len(fresh.json()["items"]) == len(before["items"]) + 1


def test_a_recompute_slower_than_stale_after_sends_the_answer_before_and_goes_on(sample_store, ontology):
    gated = Gated(sample_store)
    with _client(gated, KG_API_STALE_AFTER=0.2) as client:
        before = client.get(VISITS).json()
        assert load_articles(sample_store, ontology, [LATER]).ok
        gated.gate.clear()
        stale = client.get(VISITS)  # its own recompute is held at the gate
        assert stale.headers["x-kg-cache"] == "stale" and stale.json() == before
        assert gated.entered.is_set()
        gated.gate.set()  # the recompute goes on without its requester, and keeps its answer
        deadline = time.monotonic() + 10
        while (fresh := client.get(VISITS)).headers.get("x-kg-cache") != "hit" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fresh.headers["x-kg-cache"] == "hit"
        assert len(fresh.json()["items"]) == len(before["items"]) + 1


@pytest.mark.parametrize("settings", [{"KG_API_STALE_AFTER": 0}, {"KG_API_STALE_MAX_AGE": 0}])
def test_no_stale_answer_when_turned_off_or_too_old(sample_store, ontology, settings):
    gated = Gated(sample_store)
    with _client(gated, **{"KG_API_STALE_AFTER": 0.2, **settings}) as client:
        before = client.get(VISITS).json()
        assert load_articles(sample_store, ontology, [LATER]).ok
        gated.gate.clear()
        threading.Timer(0.6, gated.gate.set).start()  # longer than stale_after
        fresh = client.get(VISITS)  # it waits for its own answer
        assert "x-kg-cache" not in fresh.headers
        assert len(fresh.json()["items"]) == len(before["items"]) + 1


def test_errors_and_other_query_strings_are_not_served_from_the_cache(sample_store):
    with _client(sample_store) as client:
        client.get(VISITS)
        assert "x-kg-cache" not in client.get("/api/v1/visits?limit=49").headers
        for _ in range(2):
            missing = client.get("/api/v1/entities/org-0000000000000000")
            assert missing.status_code == 404 and "x-kg-cache" not in missing.headers


def test_no_cache_when_it_is_turned_off_or_the_answer_is_too_large(sample_store):
    with _client(sample_store, KG_API_CACHE_ENTRIES=0) as client:
        client.get(VISITS)
        assert "x-kg-cache" not in client.get(VISITS).headers
    with _client(sample_store, KG_API_CACHE_MAX_BODY=10) as client:
        client.get(VISITS)
        assert "x-kg-cache" not in client.get(VISITS).headers


def test_the_cache_holds_at_most_its_entries(sample_store):
    with _client(sample_store, KG_API_CACHE_ENTRIES=2) as client:
        for limit in (1, 2, 3):
            client.get(f"/api/v1/visits?limit={limit}")
        assert client.get("/api/v1/visits?limit=3").headers.get("x-kg-cache") == "hit"
        assert "x-kg-cache" not in client.get("/api/v1/visits?limit=1").headers  # the oldest went


def test_the_generation_changes_with_every_commit_and_clear(store, ontology):
    before = store.generation()
    assert store.generation() == before  # reads change nothing
    assert load_articles(store, ontology, [LATER]).ok
    loaded = store.generation()
    assert loaded != before
    store.clear()
    assert store.generation() not in (before, loaded)


def test_a_killed_embedded_server_is_never_a_500_nor_a_stale_hit(tmp_path, ontology):
    store = FalkorStore(tmp_path, graph="cached")
    store.ensure_schema()
    loaded(store, ontology)
    try:
        with _client(store) as client:
            client.get(VISITS)
            assert client.get(VISITS).headers["x-kg-cache"] == "hit"
            os.kill(store._redis().pid, signal.SIGKILL)
            r = client.get(VISITS)
            assert r.status_code in (200, 503) and "x-kg-cache" not in r.headers
            assert len(client.get(VISITS).json()["items"]) == 4  # a new server, its file replayed
    finally:
        store.close()


def test_requests_that_arrive_while_the_generation_is_asked_share_the_next_call(sample_store, ontology):
    held, entered = threading.Event(), threading.Event()

    class Asked(DelegatingStore):
        calls = 0

        def generation(self):
            Asked.calls += 1
            entered.set()
            held.wait(10)
            return super().generation()

    store = Asked(sample_store)
    before = sample_store.generation()

    async def scenario():
        asker = cache.Asker()
        first = asker.ask(store)
        await asyncio.get_running_loop().run_in_executor(None, entered.wait, 10)
        # a commit lands after the first call began: the requests arriving now must see it
        assert load_articles(sample_store, ontology, [LATER]).ok
        later = [asker.ask(store) for _ in range(5)]
        held.set()
        return await first, await asyncio.gather(*later)

    first, later = run_in_own_thread(scenario())
    assert Asked.calls == 2  # one for the first request, one shared by the five after it
    assert first in (before, later[0]) and set(later) == {sample_store.generation()} != {before}
