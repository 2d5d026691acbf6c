"""A store seen through one request's deadline.

Each store call has its own timeout, but a request may make several (the graph endpoint reads
one depth after another), and a request that waited for its turn has less time left. The API
sets a deadline per request (`deadline`); `DeadlineStore` gives every read what is left of it
as its timeout, so the store stops the query and the worker is free when the deadline passes.
"""

from __future__ import annotations

import contextlib
import time
from contextvars import ContextVar
from typing import Iterator

from kg.errors import QueryTimedOut
from kg.graph.stores.base import GraphStore, Plan, QueryResult

_DEADLINE: ContextVar[float | None] = ContextVar("kg_store_deadline", default=None)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Everything read through a DeadlineStore inside this block ends within `seconds`."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left(timeout: float | None) -> float | None:
    """`timeout`, shortened to what is left of the current deadline; QueryTimedOut if none is."""
    end = _DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0.001:
        raise QueryTimedOut("the request's time (KG_QUERY_TIMEOUT) ran out before the store was asked")
    return left if timeout is None else min(timeout, left)


class DelegatingStore(GraphStore):
    """A store that hands every call to `inner`; subclasses change one thing."""

    def __init__(self, inner: GraphStore | None = None) -> None:
        self.inner = inner

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.inner.name

    @property
    def rolls_back(self) -> bool:  # type: ignore[override]
        return self.inner.rolls_back

    def read(self, cypher, params=None, *, timeout=None, limit=None) -> QueryResult:
        return self.inner.read(cypher, params, timeout=timeout, limit=limit)

    def plan(self, cypher, params=None, *, timeout=None) -> Plan:
        return self.inner.plan(cypher, params, timeout=timeout)

    def node_pages(self, label, rest, *, page=5000):
        return self.inner.node_pages(label, rest, page=page)

    def ping(self) -> None:
        self.inner.ping()

    def transaction(self, undo=None):
        return self.inner.transaction(undo)

    def run_transaction(self, work, undo=None):
        return self.inner.run_transaction(work, undo)  # Neo4j's is a managed, retried one

    def take_turn(self, tx, *names) -> None:
        self.inner.take_turn(tx, *names)

    def indexes(self):
        return self.inner.indexes()

    def create_index(self, index) -> None:
        self.inner.create_index(index)

    def drop_index(self, index) -> None:
        self.inner.drop_index(index)

    def await_indexes(self) -> None:
        self.inner.await_indexes()

    def indexes_building(self) -> list[str]:
        return self.inner.indexes_building()

    def generation(self) -> str | None:
        return self.inner.generation()

    def clear(self) -> None:
        self.inner.clear()

    def close(self) -> None:
        self.inner.close()


class DeadlineStore(DelegatingStore):
    """Reads and plans bounded by the current deadline as well as their own timeout."""

    def read(self, cypher, params=None, *, timeout=None, limit=None) -> QueryResult:
        return self.inner.read(cypher, params, timeout=time_left(timeout), limit=limit)

    def plan(self, cypher, params=None, *, timeout=None) -> Plan:
        return self.inner.plan(cypher, params, timeout=time_left(timeout))
