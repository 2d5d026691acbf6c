"""Neo4j test server fixtures (the server itself: tests/support/neo4j_server.py).

  neo4j_uri     session  bolt URI of a real Neo4j 5.26: $NEO4J_TEST_URI if set, otherwise a
                         server started lazily (first request) and stopped at session end.
  neo4j_driver  session  a neo4j.Driver on neo4j_uri.
  clean_neo4j   function reset_neo4j() before the test (no data, no constraints/indexes);
                         yields the session driver.

If no server is available: with CI=true the requesting tests FAIL (never skipped in CI);
elsewhere they are skipped and a loud banner is printed in the terminal summary
(`neo4j_summary`, called from tests/conftest.py).
"""

import os

import pytest

from neo4j import GraphDatabase

from tests.support.neo4j_server import (Neo4jStartError, Neo4jTestServer, _auth, check_connectivity,
                                        reset_neo4j)

_NEO4J_PROBLEMS: list[str] = []


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def _neo4j_unavailable(reason: str):
    if _in_ci():
        pytest.fail(f"Neo4j test server unavailable (CI=true, so not skipping):\n{reason}",
                    pytrace=False)
    _NEO4J_PROBLEMS.append(reason)
    pytest.skip(f"!!! NEO4J TESTS NOT RUN: no Neo4j test server ({reason.splitlines()[0]}) !!!")


@pytest.fixture(scope="session")
def neo4j_uri():
    external = os.environ.get("NEO4J_TEST_URI")
    if external:
        try:
            check_connectivity(external)
        except Neo4jStartError as e:
            _neo4j_unavailable(f"NEO4J_TEST_URI={external}: {e}")
        yield external
        return
    for attempt in (1, 2):  # the free port we picked may be taken before the JVM binds it
        server = Neo4jTestServer()
        try:
            uri = server.start()
            break
        except Neo4jStartError as e:
            server.stop()
            if attempt == 2 or "PortBindException" not in str(e):
                _neo4j_unavailable(str(e))
    try:
        yield uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri):
    with GraphDatabase.driver(neo4j_uri, auth=_auth()) as driver:
        yield driver


@pytest.fixture
def clean_neo4j(neo4j_driver):
    reset_neo4j(neo4j_driver)
    return neo4j_driver


def neo4j_summary(terminalreporter) -> None:
    # Skips scroll by; make a missing Neo4j impossible to overlook.
    if _NEO4J_PROBLEMS:
        terminalreporter.write_sep("!", "NEO4J TESTS WERE SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            "No Neo4j test server could be started, so every test needing one was skipped.\n"
            "Fix it (see the reason below) or set NEO4J_TEST_URI; with CI=true these fail.",
            red=True,
        )
        for problem in dict.fromkeys(_NEO4J_PROBLEMS):
            terminalreporter.write_line(problem, yellow=True)
        terminalreporter.write_sep("!", red=True, bold=True)
