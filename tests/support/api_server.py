"""`kg serve` in a subprocess on a free port, for tests and the API benchmark."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from typing import Iterator

import httpx
from tests.support.paths import ROOT



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_api(env: dict[str, str], timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start `kg serve` with this environment; yield (base URL, process) once /readyz says 200,
    stop it after. Raises TimeoutError if it is not ready within `timeout` seconds."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port),
                               "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise TimeoutError(f"kg serve did not become ready within {timeout:.0f} s")
            time.sleep(0.1)
        yield base, server
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
