"""Admission: which requests may use the store now, and how much a request may send.

A worker has a fixed number of threads and the store a fixed number of query threads (the
embedded store: one per core). Left alone, a few long reads (a deep neighbourhood, an
analyst's query) take them all and every other request waits behind them, /readyz included.
So requests that reach the store take a slot first, from one of two pools: `heavy` (the graph,
Cypher, named queries: KG_API_HEAVY_SLOTS) and `read` (everything else: KG_API_READ_SLOTS).
A request that cannot have a slot within KG_API_QUEUE_WAIT seconds is answered 503 with
Retry-After at once; /healthz, /readyz, the docs and the OpenAPI document take no slot. An
admitted request's store calls share one deadline (KG_QUERY_TIMEOUT), so a passed deadline
frees the slot.

Bodies are read here, before any route: one over KG_API_MAX_BODY bytes is answered 413 as soon
as the limit is passed, whatever its Content-Length says, before authentication costs memory.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import RETRY_AFTER_S, problem
from kg.config import Settings
from kg.graph.stores.bounded import deadline

HEAVY_PREFIXES = ("/api/v1/graph", "/api/v1/cypher", "/api/v1/queries/")
FREE_PREFIXES = ("/healthz", "/readyz", "/docs", "/redoc", "/openapi.json", "/static", "/assets")


def pool_of(path: str) -> str | None:
    """"heavy", "read", or None for a request that does not touch the store's query threads."""
    if path == "/" or path.startswith(FREE_PREFIXES) or not path.startswith("/api/"):
        return None
    return "heavy" if path.startswith(HEAVY_PREFIXES) else "read"


class _TooLarge(Exception):
    pass


class Admission:
    """Pure ASGI middleware (no BaseHTTPMiddleware: the route runs in this task, so the
    deadline's context reaches the threads the route's store calls run in)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._sizes = {"heavy": settings.api_heavy_slots, "read": settings.api_read_slots}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def _pool(self, name: str) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # one set of slots per event loop (tests start several)
            self._loop, self._slots = loop, {k: asyncio.Semaphore(n) for k, n in self._sizes.items()}
        return self._slots[name]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            receive = await self._buffered(scope, receive)
        except _TooLarge:
            await self._refuse(scope, receive, send, 413,
                               f"request body over {self.settings.api_max_body_bytes} bytes (KG_API_MAX_BODY)",
                               "too-large")
            return
        pool = pool_of(scope["path"])
        if pool is None:
            await self.app(scope, receive, send)
            return
        slots = self._pool(pool)
        try:
            await asyncio.wait_for(slots.acquire(), self.settings.api_queue_wait_s or 0.001)
        except TimeoutError:
            await self._refuse(scope, receive, send, 503,
                               f"the API is busy: every {pool} slot is taken "
                               f"(KG_API_{pool.upper()}_SLOTS); retry in {RETRY_AFTER_S} s", "busy",
                               {"Retry-After": str(RETRY_AFTER_S)})
            return
        try:
            with deadline(self.settings.query_timeout_s):
                await self.app(scope, receive, send)
        finally:
            slots.release()

    async def _buffered(self, scope: Scope, receive: Receive) -> Receive:
        """The body read up to the limit, then handed to the app as it arrived."""
        limit = self.settings.api_max_body_bytes
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _TooLarge
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE") and declared is None \
                and b"transfer-encoding" not in headers:
            return receive
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                raise _TooLarge
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        return replayed

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str, kind: str,
                      headers: dict | None = None) -> None:
        response = problem(Request(scope), status, detail, kind=kind, headers=headers)
        await response(scope, receive, send)
