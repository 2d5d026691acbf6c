"""The crash test: a load faulted at several moments (the loader by SIGKILL and SIGTERM, a
second load at once, the embedded server by kill -9 during the load and after it or paused for
7 s) leaves no partial article, no duplicated IRI, loses no committed batch, and loading again
gives the clean load's export. The full disk, and the faults of the Neo4j server, need a server
of the bench's own (and root for the tmpfs): bench/crash_load.py runs them."""

import pytest

from bench.crash_load import Target, campaign
from tests.support.neo4j_server import _auth

pytestmark = pytest.mark.store


def _target(store, tmp_path) -> Target:
    if store.name == "embedded":  # its own data dir: the trials delete it between runs
        data = tmp_path / "data"
        return Target("embedded", {"KG_STORE": "embedded", "KG_DATA_DIR": str(data)}, data_dir=data)
    user, password = _auth()
    return Target("neo4j", {"KG_STORE": "neo4j", "NEO4J_URI": store.uri, "NEO4J_USER": user,
                            "NEO4J_PASSWORD": password}, neo4j=(store.uri, user, password))


def test_killed_loads_leave_nothing_half_written_and_converge(store, ontology, tmp_path):
    # a few moments each (a trial is two `kg load` processes); bench/crash_load.py runs many
    faults = ["sigkill", "sigkill", "sigterm", "concurrent"] + (
        ["server", "server", "pause", "after"] if store.name == "embedded" else [])
    trials = campaign(_target(store, tmp_path), ontology, tmp_path, articles=12, batch=3,
                      faults=faults, kills=1, seed=5, budget_s=1200, out=lambda line: None)
    assert {t.fault for t in trials} == set(faults)
    assert [(t.fault, t.problems) for t in trials if not t.survived] == []
    concurrent = [t for t in trials if t.fault == "concurrent"]
    assert all(len(t.loads) == 2 for t in concurrent)
    after = [t for t in trials if t.fault == "after"]
    assert all(t.present == 12 for t in after)  # every committed batch outlived the server
