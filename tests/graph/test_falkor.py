"""The embedded store's own mechanics: snapshots for all-or-nothing batches."""

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
