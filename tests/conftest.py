# ============================================================================================
# Neo4j test server fixtures (see tests/neo4j_server.py)
#
#   neo4j_uri     session  bolt URI of a real Neo4j 5.26: $NEO4J_TEST_URI if set, otherwise a
#                          server started lazily (first request) and stopped at session end.
#   neo4j_driver  session  a neo4j.Driver on neo4j_uri.
#   clean_neo4j   function reset_neo4j() before the test (no data, no constraints/indexes);
#                          yields the session driver.
#
# If no server is available: with CI=true the requesting tests FAIL (never skipped in CI);
# elsewhere they are skipped and a loud banner is printed in the terminal summary.
# ============================================================================================
import os

import pytest

try:  # tests/ is a package
    from .neo4j_server import Neo4jStartError, Neo4jTestServer, _auth, check_connectivity, reset_neo4j
except ImportError:  # tests/ on sys.path (rootdir conftest without __init__.py)
    from neo4j_server import Neo4jStartError, Neo4jTestServer, _auth, check_connectivity, reset_neo4j

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
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_uri, auth=_auth()) as driver:
        yield driver


@pytest.fixture
def clean_neo4j(neo4j_driver):
    reset_neo4j(neo4j_driver)
    return neo4j_driver


def pytest_terminal_summary(terminalreporter):
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
# ======================== end of Neo4j test server fixtures =================================


# ============================================================================================
# Store fixtures: every store test runs on both stores from one parametrised fixture.
#
#   ontology       session  the project's ontology
#   store          function an empty GraphStore with its schema: "embedded" (FalkorDB in a tmp
#                           dir) and "neo4j" (the throwaway server above), marked `store`
#   sample_store   function `store` with the hand-annotated sample page loaded
# ============================================================================================
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ANNOTATIONS = ROOT / "data" / "sample" / "page-000.annotations.jsonl"


@pytest.fixture(scope="session")
def ontology():
    from kg.ontology import Ontology

    return Ontology.load(ROOT / "ontology")


@pytest.fixture(scope="session")
def _embedded_store(tmp_path_factory):
    from kg.graph.stores.falkor import FalkorStore

    store = FalkorStore(tmp_path_factory.mktemp("falkor"), graph="test")
    yield store
    store.close()


@pytest.fixture(params=["embedded", "neo4j"])
def store(request):
    """An empty store of each kind, schema in place."""
    if request.param == "embedded":
        s = request.getfixturevalue("_embedded_store")
    else:
        from kg.graph.stores.neo4j import Neo4jStore

        uri = request.getfixturevalue("neo4j_uri")
        s = Neo4jStore(uri, *_auth())
    s.clear()
    s.ensure_schema()
    yield s
    if request.param == "neo4j":
        s.close()


@pytest.fixture
def sample_store(store, ontology):
    from kg.graph.stored_ontology import ensure_ontology
    from kg.read.sources import read_inputs
    from loaders.pipeline import load_articles

    ensure_ontology(store, ontology)
    report = load_articles(store, ontology, read_inputs(SAMPLE_ANNOTATIONS))
    assert report.ok, [str(e) for e in report.failed]
    return store


def pytest_collection_modifyitems(items):
    for item in items:
        if "store" in getattr(item, "fixturenames", ()) or "sample_store" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.store)


# ============================================================================================
# The `kg` command as a user runs it, on an embedded store in a tmp dir: kg("load", path)
# ============================================================================================
@pytest.fixture
def kg(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli.main import app
    from kg.config import get_settings

    runner = CliRunner()
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KG_STORE", "embedded")
    get_settings.cache_clear()

    def run(*args):
        return runner.invoke(app, [str(a) for a in args])

    yield run
    get_settings.cache_clear()
