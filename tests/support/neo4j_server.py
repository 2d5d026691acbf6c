"""A real Neo4j 5.26 for the test suite, started on demand and always stopped.

`Neo4jTestServer` runs `scripts/neo4j-test-server run` (embedded Neo4j + Bolt, auth off) on a
free port in a temporary directory. The JVM is started in its own session with a stdin pipe:
when this process ends for any reason (even SIGKILL) the pipe closes and the JVM shuts itself
down, so no orphaned server survives a test run. `reset_neo4j` empties a database between tests.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from tests.support.paths import ROOT

SCRIPT = ROOT / "scripts" / "neo4j-test-server"
START_TIMEOUT = float(os.environ.get("NEO4J_TEST_START_TIMEOUT", "180"))


class Neo4jStartError(RuntimeError):
    """The server could not be started; the message carries the reason and the log tail."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Neo4jTestServer:
    """One throwaway server process; `start()` blocks until Bolt is READY."""

    def __init__(self, port: int | None = None, directory: Path | None = None, *,
                 file_size_limit: int | None = None):
        """`file_size_limit`: bytes any file the JVM writes may grow to (RLIMIT_FSIZE), a
        full disk without root: a commit past it cannot reach the transaction log."""
        self._own_dir = directory is None
        self.file_size_limit = file_size_limit
        self.dir = Path(directory or tempfile.mkdtemp(prefix="neo4j-test-"))
        self.port = port or _free_port()
        self.log = self.dir / "neo4j.log"
        self.proc: subprocess.Popen | None = None
        self.start_seconds: float | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT) -> str:
        t0 = time.monotonic()
        self.dir.mkdir(parents=True, exist_ok=True)
        logf = open(self.log, "wb")
        try:
            self.proc = subprocess.Popen(
                [str(SCRIPT), "run", "--port", str(self.port), "--dir", str(self.dir)],
                stdin=subprocess.PIPE,  # closing it (or our death) stops the JVM
                stdout=logf,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in pytest must not kill it mid-teardown
                cwd=ROOT,
                preexec_fn=self._limits if self.file_size_limit else None,
            )
        except OSError as e:
            logf.close()
            raise Neo4jStartError(f"cannot run {SCRIPT}: {e}") from e
        logf.close()
        atexit.register(self.stop)
        while time.monotonic() - t0 < timeout:
            if self._ready():
                self.start_seconds = time.monotonic() - t0
                return self.uri
            if self.proc.poll() is not None:
                raise Neo4jStartError(
                    f"Neo4j test server exited with code {self.proc.returncode} during startup.\n"
                    f"--- {self.log} (tail) ---\n{_tail(self.log)}"
                )
            time.sleep(0.1)
        tail = _tail(self.log)
        self.stop()
        raise Neo4jStartError(
            f"Neo4j test server not READY after {timeout:.0f}s.\n--- {self.log} (tail) ---\n{tail}"
        )

    def _limits(self) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size_limit, self.file_size_limit))

    def _ready(self) -> bool:
        try:
            # Not anchored to a line start: mvn output in the same log may lack a final newline.
            return f"READY bolt://127.0.0.1:{self.port}".encode() in self.log.read_bytes()
        except OSError:
            return False

    @property
    def pid(self) -> int | None:
        """The JVM's pid (the script execs java), while it runs."""
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    def kill(self) -> None:
        """kill -9 the JVM, as a crash would: no shutdown hook, no checkpoint. The data dir
        stays for `start()` to recover from (the crash bench restarts it on the same dir)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            with contextlib.suppress(OSError):
                proc.stdin.close()

    def restart(self, timeout: float = START_TIMEOUT) -> str:
        """kill -9 the JVM and start it again on the same data dir and port."""
        self.kill()
        return self.start(timeout)

    def stop(self, timeout: float = 60) -> None:
        """Clean shutdown (stdin EOF + SIGTERM), SIGKILL after `timeout`; idempotent."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            try:
                proc.stdin.close()
            except OSError:
                pass
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        elif proc is not None and proc.stdin:
            proc.stdin.close()
        if self._own_dir and self.dir.exists() and proc is not None:
            shutil.rmtree(self.dir, ignore_errors=True)


def check_connectivity(uri: str, timeout: float = 10) -> None:
    """Raise Neo4jStartError unless a Bolt server answers at `uri`."""
    from neo4j import GraphDatabase

    try:
        with GraphDatabase.driver(uri, auth=_auth(), connection_timeout=timeout) as driver:
            driver.verify_connectivity()
    except Exception as e:  # noqa: BLE001 - any failure means "no usable server"
        raise Neo4jStartError(f"no Neo4j answering at {uri}: {type(e).__name__}: {e}") from e


def _auth():
    """Auth from NEO4J_TEST_USER/NEO4J_TEST_PASSWORD (external servers); the test server has
    auth disabled and accepts any credentials."""
    user = os.environ.get("NEO4J_TEST_USER", "neo4j")
    return (user, os.environ.get("NEO4J_TEST_PASSWORD", "neo4j-test"))


def reset_neo4j(uri_or_driver, *, drop_schema: bool = True, database: str | None = None) -> None:
    """Empty the database: delete all nodes/relationships and (by default) drop every
    constraint and index except the built-in token LOOKUP indexes, which Neo4j relies on
    for label/type scans. Accepts a bolt URI or an open `neo4j.Driver`."""
    from neo4j import Driver, GraphDatabase

    own = not isinstance(uri_or_driver, Driver)
    driver = GraphDatabase.driver(uri_or_driver, auth=_auth()) if own else uri_or_driver
    try:
        with driver.session(database=database) as s:
            # Batched so a big fixture graph doesn't need one huge transaction.
            s.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
            if drop_schema:
                for name in s.run("SHOW CONSTRAINTS YIELD name RETURN name").value():
                    s.run(f"DROP CONSTRAINT `{name}` IF EXISTS").consume()
                names = s.run(
                    "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
                ).value()
                for name in names:
                    s.run(f"DROP INDEX `{name}` IF EXISTS").consume()
    finally:
        if own:
            driver.close()
