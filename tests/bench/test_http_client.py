"""The bench's lean HTTP client reads what uvicorn sends: sized and chunked bodies, a closed
keep-alive connection reopened once, no answer reported as HttpError."""

from __future__ import annotations

import asyncio

import pytest

from bench.http_client import Connection, HttpError
from tests.support.event_loop import run_in_own_thread as _run

SIZED = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-kg-cache: hit\r\n\r\nhello"
CHUNKED = b"HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"


async def _serve(replies: list[bytes], close_after: int = 0):
    """A server answering each request with the next reply; closes a connection after
    `close_after` answers (0: never). Returns (server, base URL, connections seen)."""
    seen = []

    async def handle(reader, writer):
        seen.append(writer)
        answered = 0
        while replies:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            writer.write(replies.pop(0))
            await writer.drain()
            answered += 1
            if close_after and answered >= close_after:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", seen


def test_sized_and_chunked_bodies_on_one_connection():
    async def run():
        server, base, seen = await _serve([SIZED, CHUNKED])
        tab = Connection(base)
        first = await tab.get("/a")
        second = await tab.get("/b")
        await tab.close()
        server.close()
        return first, second, len(seen)

    first, second, connections = _run(run())
    assert first == (200, {"content-length": "5", "x-kg-cache": "hit"}, b"hello")
    assert second[0] == 404 and second[2] == b"abcde"
    assert connections == 1


def test_a_connection_the_server_closed_is_opened_again_once():
    async def run():
        server, base, seen = await _serve([SIZED, SIZED], close_after=1)
        tab = Connection(base)
        await tab.get("/a")
        await asyncio.sleep(0.05)
        again = await tab.get("/a")
        await tab.close()
        server.close()
        return again, len(seen)

    again, connections = _run(run())
    assert again[0] == 200 and connections == 2


def test_no_answer_is_an_http_error():
    async def run():
        server, base, _ = await _serve([])  # answers nothing, closes
        server.close()
        await server.wait_closed()
        with pytest.raises(HttpError):
            await Connection(base).get("/a", timeout=2)

    _run(run())
