"""Neo4j's own failures as the loader sees them: a commit that could not reach the
transaction log (a full disk) is named as not on disk, and what committed before it stays."""

import pytest

from kg.errors import StoreNotDurable, StoreUnavailable
from kg.graph.stores.neo4j import Neo4jStore
from tests.support.neo4j_server import Neo4jStartError, Neo4jTestServer, _auth

LIMIT = 4 << 20  # bytes a file of the server may grow to: past the fresh transaction log


def _count(store: Neo4jStore, label: str) -> int:
    return store.read(f"MATCH (n:{label}) RETURN count(n) AS n").rows[0]["n"]


@pytest.fixture
def limited_neo4j(tmp_path):
    """A Neo4j of its own whose files cannot grow past LIMIT (RLIMIT_FSIZE: no root needed)."""
    server = Neo4jTestServer(directory=tmp_path / "neo4j", file_size_limit=LIMIT)
    try:
        server.start()
    except Neo4jStartError as exc:
        server.stop()
        pytest.fail(f"the limited Neo4j did not start: {exc}")
    yield server
    server.stop()


def test_a_commit_its_transaction_log_cannot_take_is_not_on_disk_and_earlier_ones_stay(limited_neo4j):
    store = Neo4jStore(limited_neo4j.uri, *_auth())
    try:
        store.run_transaction(lambda tx: tx.write("CREATE (:Resource:Kept {iri: 'urn:x:kept'})"))
        big = "CREATE (:Resource:Lost {iri: 'urn:x:lost-' + toString(i), text: $text})"
        with pytest.raises(StoreNotDurable, match="transaction log.*this batch is not on disk"):
            store.run_transaction(lambda tx: tx.write(f"UNWIND range(1, 3000) AS i {big}",
                                                      {"text": "长" * 1000}))
        with pytest.raises(StoreUnavailable, match="until restarted"):  # Neo4j panicked
            store.run_transaction(lambda tx: tx.write("CREATE (:Resource {iri: 'urn:x:after'})"))
    finally:
        store.close()
    limited_neo4j.file_size_limit = None  # the disk is freed: restarted, it recovers
    limited_neo4j.restart()
    store = Neo4jStore(limited_neo4j.uri, *_auth())
    try:
        assert (_count(store, "Kept"), _count(store, "Lost")) == (1, 0)
    finally:
        store.close()
