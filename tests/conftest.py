"""Fixtures by concern live in tests/support/; this file makes them visible to every test.

  neo4j_fixtures  the throwaway Neo4j 5.26 (started on first use, stopped at the end)
  store_fixtures  `store` / `sample_store` / `loaded_store`: each test on both stores
  cli_fixtures    `kg`: the command line on an embedded store in a tmp dir
  browser         `chromium`: Playwright driving the system's chromium (the explorer's tests)
"""

import contextlib
import os
import re
import signal
from pathlib import Path

import pytest

from tests.support.browser import chromium  # noqa: F401
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


def _redis_servers_under(base: Path) -> list[int]:
    """pids of embedded redis servers whose data is under `base` (this run's tmp dirs): the
    server daemonizes, and its config file beside its socket says where its data is."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:  # (the server rewrites its title: "…/redis-server unixsocket:/tmp/…/redis.socket")
            cmd = (proc / "cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
        except OSError:
            continue
        found = re.search(r"redis-server\S*\s+unixsocket:(\S+)", cmd)
        if found is None:
            continue
        socket = found.group(1)
        try:
            config = (Path(socket).parent / "redis.config").read_text() if socket else ""
        except OSError:
            config = ""
        if str(base) in config:
            pids.append(int(proc.name))
    return pids


def pytest_sessionfinish(session, exitstatus):
    # every embedded store a test opened must have stopped its redis server by now
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    left = _redis_servers_under(factory.getbasetemp())
    if left:
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        session.config.get_terminal_writer().line(
            f"embedded redis servers left running after the tests: {left} (stopped now)", red=True)
        session.exitstatus = 1
