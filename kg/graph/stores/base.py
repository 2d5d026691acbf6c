"""The one interface both stores offer: write transactions and capped, timed, read-only reads."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol, TypeVar


T = TypeVar("T")


class Tx(Protocol):
    """A write transaction: statements run in order, all or nothing.

    `run` is for a statement whose rows are needed now; `write` for one whose rows are not,
    which a store may hold back until the commit (the embedded store sends them as one
    server-side atomic unit). A transaction that reads everything it needs before it writes
    is atomic on both stores whatever process dies; see docs/durability.md.
    """

    def run(self, cypher: str, params: dict | None = None) -> list[dict]: ...

    def write(self, cypher: str, params: dict | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class Index:
    """An index on the properties of nodes with a label (or of relationships of a type);
    `unique` makes it a uniqueness constraint where the store has them (Neo4j)."""

    label: str
    props: tuple[str, ...]
    unique: bool = False
    relationship: bool = False

    @property
    def key(self) -> tuple[bool, str, tuple[str, ...]]:
        """What makes two indexes the same, whatever a store named them."""
        return self.relationship, self.label, self.props

    def __str__(self) -> str:
        pattern = f"()-[:{self.label}]-()" if self.relationship else f"(:{self.label})"
        kind = "unique constraint" if self.unique else "index"
        return f"{kind} on {pattern}.{', '.join(self.props)}"


# The schema the writer, the lookups and the named queries rely on: declared once, here.
SCHEMA: tuple[Index, ...] = (
    Index("Resource", ("iri",), unique=True),
    Index("Resource", ("name",)),
    Index("Resource", ("alias",)),
    Index("Visit", ("date",)),
    Index("Evidence", ("articleId",)),
    Index("Evidence", ("fact",)),
    Index("Article", ("articleId",)),
    Index("OntologyClass", ("iri",)),
    Index("OntologyProperty", ("iri",)),
)


# a result of lists in lists (reduce() can build one 1,000 deep from a short query) is more than
# the client's decoders recurse through: said so, not a crash
TOO_DEEP = "the result nests lists or maps too deeply to be sent; return it flatter"


@dataclass(slots=True)
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False  # the row cap cut the result
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanStep:
    operator: str     # as the store names it: LoadCSV, ProcedureCall, NodeByLabelScan...
    detail: str = ""  # what the store says of it (a procedure's name and signature...)


@dataclass(slots=True)
class Plan:
    """What a store would run for a query, without running it (EXPLAIN)."""

    steps: list[PlanStep]
    query_type: str | None = None  # "r" for a read, where the store tells


class GraphStore(ABC):
    """A property-graph store speaking Cypher. Constructors do no I/O; connect on first use."""

    name: str
    # runs a transaction's statements all or nothing by itself; `transaction`'s undo is unused
    rolls_back: bool = False

    @abstractmethod
    def transaction(self, undo: Callable[[Tx], None] | None = None) -> AbstractContextManager[Tx]:
        """A write transaction; an exception inside leaves the graph as it was before.

        `undo`, when the caller can give one, reverses whatever part of the body ran. A store
        that rolls back natively ignores it; one that would otherwise copy the whole graph
        aside first (the embedded store) runs it instead, after a failure.
        """

    def run_transaction(self, work: Callable[[Tx], T], undo: Callable[[Tx], None] | None = None) -> T:
        """`work(tx)` in one write transaction, its result returned. A store may run `work`
        again after a transient failure (Neo4j retries deadlocks), so it must depend only on
        what it reads through `tx`."""
        with self.transaction(undo=undo) as tx:
            return work(tx)

    def take_turn(self, tx: Tx, *names: str) -> None:
        """From here until `tx` ends, no other transaction that takes one of these turns runs:
        what `tx` reads next is what the one before it committed (take them in a fixed order).
        The embedded store's write transactions already take turns (its write lock); Neo4j's
        do not."""

    @abstractmethod
    def read(self, cypher: str, params: dict | None = None, *, timeout: float | None = None,
             limit: int | None = None) -> QueryResult:
        """Run a query that must not write: rejected by the store if it would."""

    @abstractmethod
    def plan(self, cypher: str, params: dict | None = None, *, timeout: float | None = None) -> Plan:
        """The operators the store would run for the query; nothing runs."""

    def node_pages(self, label: str, rest: str, *, page: int = 5000) -> Iterator[list[dict]]:
        """Every node of `label` once, `page` at a time: `MATCH (n:label) ... WITH n <rest>`,
        where `rest` gives one row per node with its IRI as `key`. Here, in IRI order from the
        IRI index (each page starts where the last ended, so a page costs its own size where
        the index gives the order, as Neo4j's does); a store may page its own cheaper way."""
        after = ""
        while True:
            rows = self.read(f"MATCH (n:{label}) WHERE n.iri > $after WITH n ORDER BY n.iri "
                             f"LIMIT $page {rest}", {"after": after, "page": page}).rows
            if rows:
                yield rows
            if len(rows) < page:
                return
            after = max(row["key"] for row in rows)

    def ensure_schema(self, schema: tuple[Index, ...] = SCHEMA) -> list[Index]:
        """Create what the schema declares and the store lacks; the indexes created."""
        have = {index.key for index in self.indexes()}
        created = [index for index in schema if index.key not in have]
        for index in created:
            self.create_index(index)
        if created:
            self.await_indexes()
        return created

    @abstractmethod
    def indexes(self) -> list[Index]:
        """The indexes and constraints the store holds."""

    @abstractmethod
    def create_index(self, index: Index) -> None: ...

    @abstractmethod
    def drop_index(self, index: Index) -> None:
        """Drop the store's index (or constraint) with this key."""

    def await_indexes(self) -> None:
        """Wait until new indexes are online (a store that builds them in the background)."""

    def generation(self) -> str | None:
        """A token that changes whenever the graph does (each committed write), so an answer
        computed under one token can be served again while it holds (api/cache.py); None
        when the store cannot tell, and nothing is kept."""
        return None

    def indexes_building(self) -> list[str]:
        """The indexes not yet usable, each as "label (state)": until they are, queries on
        them scan (the embedded store rebuilds every index each time its server starts)."""
        return []

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (tests, and `kg reset`)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def plain(value: Any) -> Any:
    """Values as JSON would carry them: nodes and relationships as maps, dates as ISO text."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    labels = getattr(value, "labels", None)
    props = getattr(value, "properties", None)
    if props is None and hasattr(value, "items"):
        props = dict(value.items())
    if labels is not None or props is not None:
        out: dict[str, Any] = {}
        if labels is not None:
            out["labels"] = sorted(labels)
        rel_type = getattr(value, "type", None) or getattr(value, "relation", None)
        if isinstance(rel_type, str):
            out["type"] = rel_type
        out["properties"] = plain(dict(props or {}))
        return out
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)
