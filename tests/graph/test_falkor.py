"""The embedded store's own mechanics: snapshots for all-or-nothing batches."""

import os
import threading
import time

import pytest

from kg.graph.stats import graph_stats
from kg.graph.stores.falkor import FalkorStore


@pytest.fixture
def falkor(tmp_path):
    store = FalkorStore(tmp_path, graph="snap")
    with store.transaction() as tx:
        tx.run("UNWIND range(1, 50) AS i CREATE (:Resource {iri: toString(i)})")
    yield store
    store.close()


def test_background_saves_are_off_so_snapshots_never_race_a_fork(falkor):
    assert falkor._redis().config_get("save")["save"] == ""


def test_rollback_when_the_fork_for_graph_copy_cannot_be_had(falkor, monkeypatch):
    real = falkor._redis().execute_command

    def no_fork(*args, **kwargs):
        if args and args[0] == "GRAPH.COPY":
            raise RuntimeError("GRAPH.COPY failed, could not fork")
        return real(*args, **kwargs)

    monkeypatch.setattr(falkor._redis(), "execute_command", no_fork)
    monkeypatch.setattr("kg.graph.stores.falkor.time.sleep", lambda s: None)
    before = graph_stats(falkor)
    with pytest.raises(ZeroDivisionError):
        with falkor.transaction() as tx:
            tx.run("MATCH (n) DETACH DELETE n")
            1 / 0
    assert graph_stats(falkor) == before


def test_data_survives_closing_and_reopening(tmp_path):
    store = FalkorStore(tmp_path, graph="persist")
    with store.transaction() as tx:
        tx.run("CREATE (:Resource {iri: 'x'})")
    store.close()
    again = FalkorStore(tmp_path, graph="persist")
    assert again.read("MATCH (n:Resource) RETURN n.iri AS iri").rows == [{"iri": "x"}]
    again.close()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_closing_stops_the_server_after_reads_from_many_threads(tmp_path):
    # concurrent readers (the API's thread pool) each take a pooled connection
    store = FalkorStore(tmp_path, graph="threads")
    pid = store._connect().connection.pid
    start = threading.Barrier(4)

    def read():
        start.wait()
        for _ in range(20):
            store.read("UNWIND range(1, 200) AS i RETURN count(i) AS n")

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store._redis().connection_pool._available_connections) > 1
    store.close()
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(pid)
