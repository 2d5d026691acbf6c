"""A store seen through a request's deadline, and the wrapper that hands everything on."""

from __future__ import annotations

import time

import pytest

from kg.errors import QueryTimedOut
from kg.graph.stores.bounded import DeadlineStore, DelegatingStore, deadline, time_left

pytestmark = pytest.mark.store


def test_time_left_is_the_timeout_without_a_deadline():
    assert time_left(5.0) == 5.0 and time_left(None) is None


def test_time_left_shortens_the_timeout_to_the_deadline():
    with deadline(1.0):
        assert 0.5 < time_left(10.0) <= 1.0
        assert time_left(0.2) == 0.2
    with deadline(0.01):
        time.sleep(0.02)
        with pytest.raises(QueryTimedOut, match="KG_QUERY_TIMEOUT"):
            time_left(10.0)


class Recording(DelegatingStore):
    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.calls: list[tuple[str, float | None]] = []

    def read(self, cypher, params=None, *, timeout=None, limit=None):
        self.calls.append(("read", timeout))
        return super().read(cypher, params, timeout=timeout, limit=limit)

    def run_transaction(self, work, undo=None):
        self.calls.append(("run_transaction", None))
        return super().run_transaction(work, undo)

    def close(self):
        pass  # the fixture's store


def test_a_deadline_store_bounds_reads_and_hands_writes_on(store):
    inner = Recording(store)
    bounded = DeadlineStore(inner)
    assert bounded.name == store.name and bounded.rolls_back == store.rolls_back
    with deadline(3.0):
        assert bounded.read("RETURN 1 AS n", timeout=10.0).rows == [{"n": 1}]
    (kind, timeout), = inner.calls
    assert kind == "read" and 0 < timeout <= 3.0
    made = bounded.run_transaction(lambda tx: tx.run("CREATE (n:Resource {iri: 'urn:x:bounded'}) RETURN n.iri AS iri"))
    assert made == [{"iri": "urn:x:bounded"}] and inner.calls[-1] == ("run_transaction", None)
    assert store.read("MATCH (n {iri: 'urn:x:bounded'}) RETURN count(n) AS c").rows == [{"c": 1}]
