"""Answers to repeated reads, kept until the graph changes.

What the explorer and dashboards ask is mostly the same pages again and again (an office's
sites, the latest visits, an article), while the graph changes only when a load, a reload or a
repair commits. So a GET under /api/v1 answered 200 is kept, under its path and query string,
with the store's generation (a token every commit changes, GraphStore.generation), and sent
again while the generation holds: one small store call instead of the query and a response
built in Python (at 2,000 articles on the embedded store: ~1 ms of CPU instead of ~12).

The generation is read before the request runs, so an answer is never kept under a token
older than the data it saw. A store that cannot tell (None) or fails is passed through. A store
that does not answer within GENERATION_WAIT_S is busy, mostly with a batch's EXEC (the
embedded store runs one on its main thread and answers nothing else until it is done, ~1 s for
200 articles), which no reader could see before it ends anyway: an answer kept under the
latest generation any request saw is sent then, marked `x-kg-cache: unconfirmed`; the route
would only have waited for the same data (or the one before it: the EXEC that is running may be
the one that made the latest). And while one request recomputes an answer after a commit, the
others asking for it get the answer kept before (`x-kg-cache: stale`; during a load it can be
a few batches behind, for as long as that one request takes) instead of queueing behind it. Concurrent misses of one key wait for the first (no stampede after each
commit). Bounded: KG_API_CACHE_ENTRIES answers of at most KG_API_CACHE_MAX_BODY bytes each,
least recently used out first. Outside admission: a hit takes no slot.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.config import Settings

CACHED_PREFIX = "/api/v1/"
NEVER = ("/api/v1/cypher",)  # authorised per key, and a POST anyway
GENERATION_WAIT_S = 0.25  # longer than this and the store is busy (see the module doc)
# the generation is a store call: threads of its own, so a pool full of long reads cannot delay it
_ASK = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-generation")


@dataclass(frozen=True, slots=True)
class Kept:
    generation: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """Pure ASGI middleware (see the module doc)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.entries = settings.api_cache_entries
        self.max_body = settings.api_cache_max_body
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._running: dict[tuple, asyncio.Event] = {}
        self._latest: str | None = None  # the generation the last request that asked was told
        self._before: str | None = None  # the one before it

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.entries:
            return False
        path = scope["path"]
        if not path.startswith(CACHED_PREFIX) or path.startswith(NEVER):
            return False
        headers = dict(scope.get("headers") or [])
        return b"content-length" not in headers and b"transfer-encoding" not in headers

    async def _generation(self, scope: Scope) -> tuple[str | None, bool]:
        """(generation, confirmed): the store's answer, or the latest one seen when the store
        is too busy to answer now; None when it cannot tell or fails."""
        store = scope["app"].state.store
        try:
            generation = await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(
                _ASK, store.generation), GENERATION_WAIT_S)
        except asyncio.TimeoutError:
            return self._latest, False
        except Exception:  # down, or no such thing: the route answers as it would
            return None, False
        if generation != self._latest:
            self._before, self._latest = self._latest, generation
        return generation, True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        generation, confirmed = await self._generation(scope)
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        running = self._running.get(key)
        kept = self._kept.get(key)
        if running is not None and kept is not None and kept.generation != generation:
            # the same request is being answered for a newer generation: meanwhile, the answer
            # kept before it, rather than a queue
            await self._send_kept(kept, send, b"stale")
            return
        if running is not None:
            await running.wait()  # the same request, already being answered: wait for it once
            kept = self._kept.get(key)
        if kept is not None and (kept.generation == generation
                                 or (not confirmed and kept.generation == self._before)):
            self._kept.move_to_end(key)
            await self._send_kept(kept, send, b"hit" if confirmed else b"unconfirmed")
            return
        if running is not None or not confirmed:  # nothing kept to send: answer on our own
            await self.app(scope, receive, send)
            return
        self._running[key] = done = asyncio.Event()
        try:
            await self._answer_and_keep(scope, receive, send, key, generation)
        finally:
            del self._running[key]
            done.set()

    async def _answer_and_keep(self, scope: Scope, receive: Receive, send: Send, key: tuple,
                               generation: str) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def keeping(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None and size <= self.max_body:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False) and start["status"] == 200 and size <= self.max_body:
                    self._keep(key, Kept(generation, list(start.get("headers", [])), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keeping)

    def _keep(self, key: tuple, kept: Kept) -> None:
        self._kept[key] = kept
        self._kept.move_to_end(key)
        while len(self._kept) > self.entries:
            self._kept.popitem(last=False)

    @staticmethod
    async def _send_kept(kept: Kept, send: Send, how: bytes) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*kept.headers, (b"x-kg-cache", how)]})
        await send({"type": "http.response.body", "body": kept.body})
