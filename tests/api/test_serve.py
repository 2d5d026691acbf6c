"""`kg serve` as users run it: uvicorn worker processes on Neo4j, each answering the API."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.store  # on Neo4j: the embedded store serves from one process


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_two_workers_on_neo4j_answers_from_both(neo4j_uri, clean_neo4j):
    port = _free_port()
    env = {**os.environ, "KG_STORE": "neo4j", "NEO4J_URI": neo4j_uri, "KG_API_WORKERS": "2"}
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("kg serve did not become ready within 60 s")
        # each request on a new connection; the kernel spreads them over the workers' sockets
        answers = [httpx.get(base + "/api/v1/visits?limit=1", timeout=10) for _ in range(20)]
        assert all(r.status_code == 200 for r in answers)
        assert all(r.json() == {"items": [], "next_cursor": None} for r in answers)
        assert len(_descendants(server.pid)) >= 2  # the worker processes
    finally:
        server.terminate()
        server.wait(20)


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
