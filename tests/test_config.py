"""Settings that decide how the app runs."""

import os

from kg.config import Settings


def test_serve_workers_two_per_cpu_on_neo4j_unless_set():
    assert Settings(KG_STORE="neo4j").serve_workers() == 2 * (os.cpu_count() or 1)
    assert Settings(KG_STORE="neo4j", KG_API_WORKERS=3).serve_workers() == 3


def test_serve_workers_always_one_on_the_embedded_store():
    assert Settings(KG_STORE="embedded").serve_workers() == 1
    assert Settings(KG_STORE="embedded", KG_API_WORKERS=4).serve_workers() == 1
