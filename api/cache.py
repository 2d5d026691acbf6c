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
a few batches behind, for as long as that one request takes) instead of queueing behind it.
The one recomputing gets it too once it has waited KG_API_STALE_AFTER seconds (behind a
batch's EXEC, or for a slot while every other key recomputes after the same commit): the
recompute goes on without it and keeps its answer for the next request. This is HTTP's
stale-while-revalidate; an answer kept more than KG_API_STALE_MAX_AGE seconds ago is never sent
stale. Concurrent misses of one key wait for the first (no stampede after each commit).
Bounded: KG_API_CACHE_ENTRIES answers of at most KG_API_CACHE_MAX_BODY bytes each, least
recently used out first. Outside admission: a hit takes no slot.
"""

from __future__ import annotations

import asyncio
import logging
import time
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
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Kept:
    generation: str
    headers: list[tuple[bytes, bytes]]
    body: bytes
    at: float  # time.monotonic() when it was kept


class Asker:
    """Asks the store for its generation once for many requests: at most one call runs, and the
    requests that arrive meanwhile share the next one, which starts when it ends. (Joining the
    running call could miss a commit made before the request arrived.) Under 200 clients that
    is a few calls per round trip instead of one per request (on Neo4j, each is a transaction)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._running: asyncio.Future | None = None
        self._next: asyncio.Future | None = None  # what the requests waiting for the next call get

    def ask(self, store) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # one set per event loop (tests start several)
            self._loop, self._running, self._next = loop, None, None
        if self._running is None:
            self._running = self._call(store)
            return asyncio.shield(self._running)
        if self._next is None:
            self._next = loop.create_future()
        return asyncio.shield(self._next)

    def _call(self, store) -> asyncio.Future:
        call = self._loop.run_in_executor(_ASK, store.generation)
        call.add_done_callback(lambda done: self._ended(store, done))
        return call

    def _ended(self, store, done: asyncio.Future) -> None:
        waiting, self._next = self._next, None
        self._running = self._call(store) if waiting is not None else None
        if waiting is not None:
            self._running.add_done_callback(lambda call: _settle(waiting, call))
        if not done.cancelled():
            done.exception()  # retrieved: a waiter that gave up must not leave a warning


def _settle(future: asyncio.Future, call: asyncio.Future) -> None:
    if future.done():
        return
    if call.cancelled():
        future.cancel()
    elif call.exception() is not None:
        future.set_exception(call.exception())
        future.exception()
    else:
        future.set_result(call.result())


class ResponseCache:
    """Pure ASGI middleware (see the module doc)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.entries = settings.api_cache_entries
        self.max_body = settings.api_cache_max_body
        self.stale_after = settings.api_stale_after_s
        self.stale_max_age = settings.api_stale_max_age_s
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._running: dict[tuple, asyncio.Event] = {}
        self._latest: str | None = None  # the generation the last request that asked was told
        self._before: str | None = None  # the one before it
        self._recomputes: set[asyncio.Task] = set()  # held here: one may outlive its request
        self._asker = Asker()

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
        try:
            generation = await asyncio.wait_for(self._asker.ask(scope["app"].state.store), GENERATION_WAIT_S)
        except asyncio.TimeoutError:
            return self._latest, False
        except Exception:  # down, or no such thing: the route answers as it would
            return None, False
        if generation != self._latest:
            self._before, self._latest = self._latest, generation
        return generation, True

    def _sendable_stale(self, kept: Kept | None, generation: str) -> bool:
        return (kept is not None and kept.generation != generation
                and time.monotonic() - kept.at <= self.stale_max_age)

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
        if running is not None and self._sendable_stale(kept, generation):
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
        await self._recompute(scope, receive, send, key, generation,
                              kept if self._sendable_stale(kept, generation) else None)

    async def _recompute(self, scope: Scope, receive: Receive, send: Send, key: tuple,
                         generation: str, older: Kept | None) -> None:
        """Answer and keep; with an `older` answer to fall back on, send that one instead once
        the route has not begun to answer within stale_after (the recompute goes on)."""
        started = asyncio.Event()
        detached = False

        async def relay(message: Message) -> None:
            if detached:
                return
            if message["type"] == "http.response.start":
                started.set()
            await send(message)

        self._running[key] = done = asyncio.Event()
        task = asyncio.create_task(self._answer_and_keep(scope, receive, relay, key, generation))
        self._recomputes.add(task)
        task.add_done_callback(lambda _: self._ended(task, key, done))
        if older is not None and self.stale_after:
            begun = asyncio.create_task(started.wait())
            await asyncio.wait({task, begun}, timeout=self.stale_after, return_when=asyncio.FIRST_COMPLETED)
            begun.cancel()
            if not started.is_set() and not task.done():
                detached = True
                await self._send_kept(older, send, b"stale")
                return
        await task

    def _ended(self, task: asyncio.Task, key: tuple, done: asyncio.Event) -> None:
        self._recomputes.discard(task)
        self._running.pop(key, None)
        done.set()
        if not task.cancelled() and task.exception() is not None:
            log.warning("a recompute of %s failed: %r", key[0], task.exception())

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
                    self._keep(key, Kept(generation, list(start.get("headers", [])), b"".join(chunks),
                                            time.monotonic()))
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
