"""The embedded default: FalkorDB inside the process's own redis (falkordblite), no server.

FalkorDB runs each query atomically but has no multi-statement transactions, so a write
transaction snapshots the graph (GRAPH.COPY) first and puts the copy back if any statement
fails: a failed batch leaves the graph as it was.

GRAPH.COPY forks, and redis allows one child at a time, so redis's own background saves are
turned off (they would make a snapshot fail now and then); the graph is saved to disk
explicitly instead, when a store closes. If a fork still cannot be had, the snapshot falls back
to DUMP/RESTORE of the graph key.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Callable, Iterator

from falkordb.query_result import QueryResult as FalkorQueryResult, parse_scalar
from redis.backoff import NoBackoff
from redis.exceptions import ResponseError
from redis.retry import Retry
from redislite.falkordb_client import FalkorDB

from kg.errors import QueryError, QueryTimedOut, ReadOnlyViolation, StoreError, StoreUnavailable
from kg.graph.cypher import ident
from kg.graph.stores.base import TOO_DEEP, GraphStore, Index, Plan, PlanStep, QueryResult, Tx, plain

class _FalkorTx:
    def __init__(self, graph) -> None:
        self._graph = graph

    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        try:
            result = self._graph.query(cypher, params or {})
        except Exception as exc:  # the client raises redis.ResponseError and friends
            raise StoreError(f"embedded store: {exc}") from exc
        return _rows(result)[1]


def _rows(result) -> tuple[list[str], list[dict]]:
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (result.header or [])]
    columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
    return columns, [dict(zip(columns, (plain(v) for v in row))) for row in result.result_set]


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, str) else str(value)


def _cell(cell, graph):
    """plain(parse_scalar(cell)) for one compact-format cell, without the client's objects:
    strings, numbers, booleans, lists and maps straight from the reply (most of what is read),
    anything else (nodes, edges, paths, dates, points...) through the client's parser."""
    kind, value = cell
    if kind == 2:
        return value if value.__class__ is str else _text(value)
    if kind == 3:
        return int(value)
    if kind == 6:
        return [_cell(c, graph) for c in value]
    if kind == 1:
        return None
    if kind == 10:
        items = iter(value)
        return {_text(k): _cell(v, graph) for k, v in zip(items, items)}
    if kind == 5:
        return float(value)
    if kind == 4:
        return _text(value) == "true"
    return plain(parse_scalar(cell, graph))


def _raw_rows(graph, response) -> tuple[list[str], list[dict]]:
    """_rows(QueryResult(graph, response)), decoding the compact reply directly."""
    if (not isinstance(response, list) or not response or isinstance(response[0], ResponseError)
            or isinstance(response[-1], ResponseError) or len(response) == 1 or not response[0]):
        return _rows(FalkorQueryResult(graph, response))  # errors raised, empty results, as before
    columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in response[0]]
    columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
    cell = _cell
    return columns, [dict(zip(columns, [cell(c, graph) for c in row])) for row in response[1]]


QUERY_MEMORY = 1 << 30  # bytes one query may hold (FalkorDB's QUERY_MEM_CAPACITY)


class FalkorStore(GraphStore):
    name = "embedded"

    def __init__(self, data_dir: Path, graph: str = "kg") -> None:
        self.data_dir = Path(data_dir)
        self.graph_name = graph
        self._db = None

    @property
    def _snapshot(self) -> str:
        return f"{self.graph_name}__snapshot"

    def _connect(self):
        if self._db is None:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                # one quick retry, no backoff: a local socket either answers or the server is
                # gone, and redis-py's default backoff made each shutdown wait ~3 s for nothing
                self._db = FalkorDB(str(self.data_dir / "graph.rdb"), retry=Retry(NoBackoff(), 1))
                self._db.connection.config_set("save", "")  # no background saves (see above)
                # a query that would hold more than this is stopped by the store, not the machine
                self._db.connection.execute_command("GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", QUERY_MEMORY)
            except Exception as exc:
                raise StoreUnavailable(f"embedded store in {self.data_dir} cannot start: {exc}") from exc
        return self._db

    @property
    def _graph(self):
        return self._connect().select_graph(self.graph_name)

    def _redis(self):
        return self._connect().connection

    def _exists(self, key: str) -> bool:
        return bool(self._redis().exists(key))

    def _take_snapshot(self) -> bytes | None:
        """Copy the graph aside (server-side); None when it was copied, else the DUMP bytes."""
        redis = self._redis()
        for attempt in range(5):
            try:
                if self._exists(self._snapshot):
                    redis.delete(self._snapshot)
                redis.execute_command("GRAPH.COPY", self.graph_name, self._snapshot)
                return None
            except Exception:  # no fork to be had now, or a copy left half-made: try again
                time.sleep(0.2 * (attempt + 1))
        return redis.dump(self.graph_name)  # no fork needed, at the cost of client memory

    def _restore_snapshot(self, dumped: bytes | None) -> None:
        redis = self._redis()
        if dumped is not None:
            redis.restore(self.graph_name, 0, dumped, replace=True)
            return
        redis.delete(self.graph_name)
        redis.execute_command("GRAPH.COPY", self._snapshot, self.graph_name)
        redis.delete(self._snapshot)

    @contextlib.contextmanager
    def transaction(self, undo: Callable[[Tx], None] | None = None) -> Iterator[_FalkorTx]:
        """FalkorDB makes each query atomic, not a sequence of them. With `undo`, a failure is
        reversed by running it; without, the graph is copied aside first (GRAPH.COPY, whose cost
        grows with the graph: at 10,000 articles it was most of a batch's time)."""
        redis = self._redis()
        had_graph = self._exists(self.graph_name)
        if undo is not None and had_graph:
            try:
                yield _FalkorTx(self._graph)
            except BaseException as exc:
                try:
                    undo(_FalkorTx(self._graph))
                except Exception as undo_exc:
                    raise StoreError(f"a failed write ({exc}) could not be undone ({undo_exc}); "
                                     "the graph may hold part of it: reload those articles") from undo_exc
                raise
            return
        dumped = self._take_snapshot() if had_graph else None
        try:
            yield _FalkorTx(self._graph)
        except BaseException:
            if had_graph:
                self._restore_snapshot(dumped)
            else:
                redis.delete(self.graph_name)
            raise
        else:
            if had_graph and dumped is None:
                redis.delete(self._snapshot)

    def read(self, cypher: str, params: dict | None = None, *, timeout: float | None = None,
             limit: int | None = None) -> QueryResult:
        if not self._exists(self.graph_name):
            self._graph.query("RETURN 0")  # an empty graph answers like any other
        graph = self._graph
        try:
            # graph.ro_query's command, its reply decoded by _raw_rows (the client's QueryResult
            # builds an object per value, then plain() converts each again)
            command = ["GRAPH.RO_QUERY", graph.name, graph._build_params_header(params or {}) + cypher,
                       "--compact"]
            if timeout:
                command.extend(["timeout", int(timeout * 1000)])
            columns, rows = _raw_rows(graph, graph.execute_command(*command))
        except RecursionError as exc:
            raise QueryError(TOO_DEEP) from exc
        except Exception as exc:
            message = str(exc)
            if "read-only" in message:
                raise ReadOnlyViolation(f"query would write: {message}") from exc
            if "timed out" in message.lower() or "timeout" in message.lower():
                raise QueryTimedOut(f"query timed out after {timeout} s") from exc
            if "nesting depth" in message.lower():  # the reply parser's own limit
                raise QueryError(TOO_DEEP) from exc
            raise QueryError(f"embedded store rejected the query: {message}") from exc
        truncated = limit is not None and len(rows) > limit
        return QueryResult(columns, rows[:limit] if truncated else rows, truncated)

    def plan(self, cypher: str, params: dict | None = None, *, timeout: float | None = None) -> Plan:
        """GRAPH.EXPLAIN: one line per operator, indented under its parent ("Procedure Call |
        db.labels", "Load CSV"...)."""
        if not self._exists(self.graph_name):
            self._graph.query("RETURN 0")
        graph = self._graph
        try:
            lines = graph.execute_command("GRAPH.EXPLAIN", graph.name,
                                          graph._build_params_header(params or {}) + cypher)
        except Exception as exc:
            if "timeout" in str(exc).lower() or "timed out" in str(exc).lower():
                raise QueryTimedOut(f"planning the query took longer than the store waits: {exc}") from exc
            raise QueryError(f"embedded store rejected the query: {exc}") from exc
        steps = []
        for line in lines:
            operator, _, detail = _text(line).strip().partition("|")
            steps.append(PlanStep(operator.strip(), detail.strip()))
        return Plan(steps)

    # FalkorDB has no uniqueness constraints: an index stands for one (the writer MERGEs by IRI)

    def indexes(self) -> list[Index]:
        """One Index per indexed property (FalkorDB lists an index per label with its properties)."""
        if not self._exists(self.graph_name):
            return []
        result = self._graph.query("CALL db.indexes() YIELD label, properties, entitytype "
                                   "RETURN label, properties, entitytype")
        return [Index(_text(label), (_text(prop),), relationship=_text(kind) != "NODE")
                for label, props, kind in result.result_set for prop in props]

    @staticmethod
    def _index_pattern(index: Index) -> str:
        return (f"()-[n:{ident(index.label)}]-()" if index.relationship
                else f"(n:{ident(index.label)})")

    def create_index(self, index: Index) -> None:
        keys = ", ".join(f"n.{ident(p)}" for p in index.props)
        self._graph.query(f"CREATE INDEX FOR {self._index_pattern(index)} ON ({keys})")

    def drop_index(self, index: Index) -> None:
        for prop in index.props:
            self._graph.query(f"DROP INDEX FOR {self._index_pattern(index)} ON (n.{ident(prop)})")

    def ping(self) -> None:
        try:
            self._redis().ping()
        except StoreUnavailable:
            raise
        except Exception as exc:
            raise StoreUnavailable(f"embedded store does not answer: {exc}") from exc

    def clear(self) -> None:
        redis = self._redis()
        for key in (self.graph_name, self._snapshot):
            if self._exists(key):
                redis.delete(key)

    def close(self) -> None:
        """Save, and stop the redis server now if no other client uses it (redislite would
        otherwise do it at interpreter exit, one server after another)."""
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._redis().save()
            with contextlib.suppress(Exception):
                # our own pooled connections (one per thread that read at the same time, e.g. the
                # API's workers) are not other clients: redislite counts them, and would leave
                # the server running
                self._redis().connection_pool.disconnect()
            with contextlib.suppress(Exception):
                self._db.close()
            self._db = None
