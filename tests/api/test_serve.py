"""`kg serve` as users run it: uvicorn worker processes on Neo4j, each answering the API."""

import os
from pathlib import Path

import httpx
import pytest

from tests.support.api_server import served_api
from tests.support.neo4j_server import _auth
pytestmark = pytest.mark.store  # on Neo4j: the embedded store serves from one process


def test_serve_with_two_workers_on_neo4j_answers_from_both(neo4j_uri, clean_neo4j):
    user, password = _auth()
    env = {**os.environ, "KG_STORE": "neo4j", "NEO4J_URI": neo4j_uri, "NEO4J_USER": user,
           "NEO4J_PASSWORD": password, "KG_API_WORKERS": "2"}
    with served_api(env) as (base, server):
        # each request on a new connection; the kernel spreads them over the workers' sockets
        answers = [httpx.get(base + "/api/v1/visits?limit=1", timeout=10) for _ in range(20)]
        assert all(r.status_code == 200 for r in answers)
        assert all(r.json() == {"items": [], "next_cursor": None} for r in answers)
        assert len(_descendants(server.pid)) >= 2  # the worker processes


def _descendants(pid: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found += kids
        frontier += kids
    return found


def test_a_served_app_freezes_what_it_built_at_start(tmp_path):
    """Startup objects leave the collector's sight (full collections were the API's p99)."""
    import gc

    from fastapi.testclient import TestClient

    from api.main import create_app
    from kg.config import Settings

    gc.unfreeze()
    try:
        with TestClient(create_app(Settings(KG_DATA_DIR=tmp_path))) as client:  # owns its store
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # leave the test process as it was
