"""A lean HTTP/1.1 client for load generation: one keep-alive connection per simulated person.

The load generator runs on the machine it measures, so it must cost far less than the server:
httpx's AsyncClient took ~12 ms of CPU per request here (200 clients, one process), the API's
cached answer ~1.5 ms, so the figures were the client's. This one writes the request line and
reads the status, the headers and a Content-Length or chunked body; nothing else (no TLS, no
redirects, no cookies).
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class HttpError(Exception):
    """No answer: the connection failed, closed early, or the timeout passed."""


class Connection:
    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lower-case names, body); one reconnect if a kept-alive
        connection was closed by the server meanwhile."""
        for attempt in (1, 2):
            fresh = self._writer is None
            try:
                return await asyncio.wait_for(self._exchange(path), timeout)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                await self.close()
                if fresh or attempt == 2:
                    raise HttpError(f"GET {path}: {exc!r}") from exc
            except asyncio.TimeoutError as exc:
                await self.close()
                raise HttpError(f"GET {path}: no answer in {timeout} s") from exc
        raise AssertionError("unreachable")

    async def _exchange(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in lines:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self._reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self._reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body

    async def _chunked(self) -> bytes:
        chunks = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return b"".join(chunks)
            chunks.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
