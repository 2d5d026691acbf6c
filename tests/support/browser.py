"""A real browser for the explorer's tests: Playwright for Python driving Debian's chromium
(Playwright's own browser download does not work here; scripts/setup test installs chromium
with apt), and the app served by uvicorn in a thread on a store fixture.

  chromium      session   the browser (a failure to start it fails the tests: no silent skip)
  serve_app()             the app on a free port, for a `with` block (one server per module)
  open_page()             a fresh page that refuses every request off this machine, and
                          records page errors and the refused requests for the test to check
  checked_page()          open_page, failing the test on any of those
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Error, sync_playwright

from tests.support.api_server import free_port

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    """The system's chromium: $EXPLORER_CHROMIUM, else the first of CANDIDATES on PATH."""
    given = os.environ.get("EXPLORER_CHROMIUM")
    if given:
        return given
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


class NoBrowser(RuntimeError):
    """The system's chromium is missing or does not start."""


def launch_chromium(playwright):
    """The system's chromium, headless, through a started Playwright."""
    path = chromium_path()
    if path is None:
        raise NoBrowser("no chromium on PATH: scripts/setup test installs it (apt-get install chromium), "
                        "or set EXPLORER_CHROMIUM to a chromium executable")
    try:
        return playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
    except Error as exc:
        raise NoBrowser(f"chromium at {path} does not start: {exc}") from exc


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as p:
        try:
            browser = launch_chromium(p)
        except NoBrowser as exc:
            pytest.fail(str(exc), pytrace=False)
        yield browser
        browser.close()


@contextlib.contextmanager
def serve_app(app, timeout: float = 30.0) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread; yield its base URL; stop it after."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="explorer-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise TimeoutError(f"the app did not start serving within {timeout:.0f} s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


@dataclass
class PageLog:
    errors: list[str] = field(default_factory=list)   # script errors, console errors
    refused: list[str] = field(default_factory=list)  # requests to other hosts (aborted)
    blocked: list[str] = field(default_factory=list)  # what the page's CSP kept from loading


def _console(log: PageLog, msg) -> None:
    if msg.type != "error":
        return
    if "Content Security Policy" in msg.text:
        log.blocked.append(msg.text)
    # an HTTP error the page shows (a refused query's 403) is logged as a failed load: not an error
    elif not msg.text.startswith("Failed to load resource"):
        log.errors.append(msg.text)


@contextlib.contextmanager
def open_page(browser, viewport=(1400, 1000)):
    """A page in a fresh context (its own sessionStorage); requests to any other host than
    127.0.0.1 are aborted and listed in the log, so a test can tell the page works offline."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  locale="zh-CN")
    log = PageLog()

    def only_local(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            log.refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    page.on("console", lambda msg: _console(log, msg))
    try:
        yield page, log
    finally:
        context.close()


@contextlib.contextmanager
def checked_page(browser, *, timeout_ms: int = 60_000, may_block: tuple[str, ...] = ()):
    """open_page, and after the test: no script error, no request off this machine, and nothing
    kept out by the page's CSP but URLs in `may_block`. The wait is long because a cold test
    Neo4j plans each new query for a second or more on a busy box, and an entity's page asks
    six at once."""
    with open_page(browser) as (page, log):
        page.set_default_timeout(timeout_ms)
        yield page
        assert log.errors == [], log.errors
        assert log.refused == [], f"requests off this machine: {log.refused}"
        assert all(any(url in b for url in may_block) for b in log.blocked), log.blocked
