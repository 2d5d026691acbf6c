"""The production store: Neo4j 5.26 through the official driver."""

from __future__ import annotations

import contextlib
from typing import Iterator

import neo4j
from neo4j.exceptions import (ClientError, Neo4jError, ServiceUnavailable, SessionExpired,
                              TransientError)

from kg.errors import (QueryError, QueryTimedOut, ReadOnlyViolation, StoreError, StoreNotDurable,
                       StoreUnavailable)
from kg.graph.cypher import ident
from kg.graph.stores.base import TOO_DEEP, GraphStore, Index, Plan, PlanStep, QueryResult, plain


# a commit Neo4j could not append to its transaction log (a full disk, an I/O error): the
# database then refuses every transaction until it is restarted (it "panics")
_LOG_FAILED = "TransactionLogError"
_PANICKED = "needs to be restarted"


def _write_error(exc: Neo4jError) -> StoreError:
    """What a failed write means: not on disk (and why), Neo4j waiting for a restart, or the
    statement's own error."""
    message = exc.message or str(exc)
    if _LOG_FAILED in (exc.code or ""):
        return StoreNotDurable(f"neo4j could not write its transaction log ({exc.code}; a full disk? "
                               "its debug.log says): this batch is not on disk, the ones before it "
                               "are; free space, restart Neo4j and load the same input again")
    if _PANICKED in message:
        return StoreUnavailable(f"neo4j stopped after a critical error (a full disk? its debug.log "
                                f"says) and takes no writes until restarted: {message}")
    return StoreError(f"neo4j: {message}")


class _Neo4jTx:
    def __init__(self, tx) -> None:
        self._tx = tx

    def run(self, cypher: str, params: dict | None = None) -> list[dict]:
        try:
            result = self._tx.run(cypher, params or {})
            return [{k: plain(v) for k, v in record.items()} for record in result]
        except TransientError:
            raise  # a deadlock and the like: a managed transaction runs the work again
        except Neo4jError as exc:
            raise _write_error(exc) from exc

    def write(self, cypher: str, params: dict | None = None) -> None:
        self.run(cypher, params)


def _query_error(exc: ClientError, timeout: float | None) -> QueryError:
    code = exc.code or ""
    if "AccessMode" in code or "ForbiddenDueToTransactionType" in code or "WriteOnReadOnlyAccess" in code:
        return ReadOnlyViolation(f"query would write: {exc.message}")
    if "TransactionTimedOut" in code or "Terminated" in code:
        return QueryTimedOut(f"query timed out after {timeout} s")
    return QueryError(f"neo4j rejected the query: {exc.message}")


_READ_QUERY_TYPE = "r"
# how long a managed transaction is retried after transient failures (deadlocks between loads)
MAX_RETRY_S = 30.0
_QUERY_TYPE_CACHE_SIZE = 2048


class Neo4jStore(GraphStore):
    name = "neo4j"
    rolls_back = True

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j") -> None:
        self.uri, self.user, self.password, self.database = uri, user, password, database
        self._driver = None
        self._query_types: dict[str, str] = {}  # query text -> query type from EXPLAIN

    def _check_read_only(self, tx, cypher: str, params: dict | None) -> None:
        """Refuse a query that would write, from the query type Neo4j plans for it (EXPLAIN).

        The read access mode alone does not cover everything (procedures, a single instance
        routing writes); the planner's verdict does. Known query texts are not planned again.
        """
        query_type = self._query_types.get(cypher)
        if query_type is None:
            query_type = str(tx.run("EXPLAIN " + cypher, params or {}).consume().query_type or "")
            self._remember_type(cypher, query_type)
        if query_type != _READ_QUERY_TYPE:
            raise ReadOnlyViolation(f"query would write (query type {query_type!r}); only reads are allowed")

    def _remember_type(self, cypher: str, query_type: str) -> None:
        if len(self._query_types) >= _QUERY_TYPE_CACHE_SIZE:
            self._query_types.clear()
        self._query_types[cypher] = query_type

    def _connect(self):
        if self._driver is None:
            self._driver = neo4j.GraphDatabase.driver(
                self.uri, auth=(self.user, self.password),
                connection_acquisition_timeout=10, connection_timeout=5,
                max_transaction_retry_time=MAX_RETRY_S,
                notifications_min_severity="OFF")  # planner hints would flood the log
        return self._driver

    @contextlib.contextmanager
    def _session(self, **kwargs):
        try:
            with self._connect().session(database=self.database, **kwargs) as session:
                yield session
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"neo4j at {self.uri} is unavailable: {exc}") from exc

    @contextlib.contextmanager
    def transaction(self, undo=None) -> Iterator[_Neo4jTx]:  # Neo4j rolls back by itself
        with self._session() as session:
            tx = session.begin_transaction()
            try:
                yield _Neo4jTx(tx)
            except TransientError as exc:
                with contextlib.suppress(Exception):
                    tx.rollback()
                raise StoreError(f"neo4j: {exc.message or exc}") from exc
            except BaseException:
                with contextlib.suppress(Exception):
                    tx.rollback()
                raise
            else:
                try:
                    tx.commit()
                except Neo4jError as exc:
                    raise _write_error(exc) from exc
            finally:
                with contextlib.suppress(Exception):
                    tx.close()

    def run_transaction(self, work, undo=None):
        """A managed transaction (execute_write): a deadlock or other transient failure makes
        the driver roll back and run `work` again (for up to MAX_RETRY_S), instead of failing."""
        with self._session() as session:
            try:
                return session.execute_write(lambda tx: work(_Neo4jTx(tx)))
            except TransientError as exc:
                raise StoreError(f"neo4j: {exc.message or exc} (retried for {MAX_RETRY_S:.0f} s)") from exc
            except Neo4jError as exc:  # at commit
                raise _write_error(exc) from exc

    def take_turn(self, tx, *names: str) -> None:
        """MERGE on the unique Resource.iri locks that index entry until `tx` ends (another MERGE
        of it waits); the node is deleted at once, so none is ever committed."""
        tx.run("UNWIND $iris AS iri MERGE (turn:Resource {iri: iri}) WITH turn DELETE turn",
               {"iris": [f"urn:newskg:turn:{name}" for name in names]})

    def read(self, cypher: str, params: dict | None = None, *, timeout: float | None = None,
             limit: int | None = None) -> QueryResult:
        with self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            try:
                # auto-commit: one round trip; the read access mode and the EXPLAIN check
                # keep it read-only, the query's own timeout bounds it
                self._check_read_only(session, cypher, params)
                result = session.run(neo4j.Query(cypher, timeout=timeout), params or {})
                columns = list(result.keys())
                rows, truncated = [], False
                for record in result:
                    if limit is not None and len(rows) >= limit:
                        truncated = True
                        break
                    rows.append({k: plain(v) for k, v in record.items()})
            except RecursionError as exc:
                raise QueryError(TOO_DEEP) from exc
            except ClientError as exc:
                raise _query_error(exc, timeout) from exc
            except Neo4jError as exc:
                raise QueryError(f"neo4j: {exc.message or exc}") from exc
        return QueryResult(columns, rows, truncated)

    def plan(self, cypher: str, params: dict | None = None, *, timeout: float | None = None) -> Plan:
        """EXPLAIN, its plan tree flattened; planning is bounded by the timeout like a run (a
        long flat query can take Neo4j's planner longer than running it). The query type is
        remembered, so the read that follows is not planned again for its check."""
        with self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            try:
                summary = session.run(neo4j.Query("EXPLAIN " + cypher, timeout=timeout), params or {}).consume()
            except ClientError as exc:
                raise _query_error(exc, timeout) from exc
            except Neo4jError as exc:
                raise QueryError(f"neo4j: {exc.message or exc}") from exc
        query_type = str(summary.query_type or "")
        self._remember_type(cypher, query_type)
        steps, todo = [], [summary.plan or {}]
        while todo:
            node = todo.pop()
            if not node:
                continue
            args = node.get("args") or {}
            detail = str(args.get("Details") or args.get("details") or "")
            steps.append(PlanStep(str(node.get("operatorType", "")).split("@")[0], detail))
            todo.extend(node.get("children") or [])
        return Plan(steps, query_type)

    def _schema_rows(self) -> list[dict]:
        with self._session() as session:
            return [dict(r) for r in session.run(
                "SHOW INDEXES YIELD name, entityType, labelsOrTypes, properties, owningConstraint "
                "RETURN name, entityType, labelsOrTypes, properties, owningConstraint")]

    @staticmethod
    def _index(row: dict) -> Index:
        return Index(row["labelsOrTypes"][0], tuple(row["properties"]),
                     unique=bool(row["owningConstraint"]),
                     relationship=row["entityType"] == "RELATIONSHIP")

    def indexes(self) -> list[Index]:
        # token lookup indexes (no label, no property) are Neo4j's own
        return [self._index(r) for r in self._schema_rows()
                if r["labelsOrTypes"] and r["properties"]]

    def create_index(self, index: Index) -> None:
        name = ident("_".join(["kg", index.label, *index.props]).lower())
        pattern = (f"()-[n:{ident(index.label)}]-()" if index.relationship
                   else f"(n:{ident(index.label)})")
        keys = ", ".join(f"n.{ident(p)}" for p in index.props)
        statement = (f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR {pattern} REQUIRE ({keys}) IS UNIQUE"
                     if index.unique else f"CREATE INDEX {name} IF NOT EXISTS FOR {pattern} ON ({keys})")
        with self._session() as session:
            session.run(statement).consume()

    def drop_index(self, index: Index) -> None:
        for row in self._schema_rows():
            if row["labelsOrTypes"] and row["properties"] and self._index(row).key == index.key:
                statement = (f"DROP CONSTRAINT {ident(row['owningConstraint'])} IF EXISTS"
                             if row["owningConstraint"] else f"DROP INDEX {ident(row['name'])} IF EXISTS")
                with self._session() as session:
                    session.run(statement).consume()

    def await_indexes(self) -> None:
        # a query planned while an index still populates scans, and its plan is cached
        with self._session() as session:
            session.run("CALL db.awaitIndexes(120)").consume()

    def generation(self) -> str:
        """The bookmark a read transaction ends with: it names the last transaction committed
        on the database, by any session (measured on 5.26: it moves with every write)."""
        with self._session(default_access_mode=neo4j.READ_ACCESS) as session:
            session.execute_read(lambda tx: tx.run("RETURN 1").consume())
            return ",".join(sorted(session.last_bookmarks().raw_values))

    def indexes_building(self) -> list[str]:
        with self._session() as session:
            return [f"{r['label']} ({r['state'].lower()}, {r['done']:.0f}%)" for r in session.run(
                "SHOW INDEXES YIELD labelsOrTypes, state, populationPercent WHERE state <> 'ONLINE' "
                "RETURN coalesce(labelsOrTypes[0], '') AS label, state, populationPercent AS done")]

    def ping(self) -> None:
        try:
            self._connect().verify_connectivity()
        except Exception as exc:
            raise StoreUnavailable(f"neo4j at {self.uri} is unavailable: {exc}") from exc

    def clear(self) -> None:
        with self._session() as session:
            session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
