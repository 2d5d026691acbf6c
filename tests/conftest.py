"""Fixtures by concern live in tests/support/; this file makes them visible to every test.

  neo4j_fixtures  the throwaway Neo4j 5.26 (started on first use, stopped at the end)
  store_fixtures  `store` / `sample_store` / `loaded_store`: each test on both stores
  cli_fixtures    `kg`: the command line on an embedded store in a tmp dir
"""

import pytest

from tests.support.cli_fixtures import kg  # noqa: F401
from tests.support.neo4j_fixtures import clean_neo4j, neo4j_driver, neo4j_summary, neo4j_uri  # noqa: F401
from tests.support.store_fixtures import (_embedded_store, loaded_store, ontology,  # noqa: F401
                                          sample_store, store)

_STORE_FIXTURES = {"store", "sample_store", "loaded_store"}


def pytest_collection_modifyitems(items):
    for item in items:
        if _STORE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.store)


def pytest_terminal_summary(terminalreporter):
    neo4j_summary(terminalreporter)
