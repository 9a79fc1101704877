"""The load generator's HTTP clients and its bounded, closed-loop load runner.

Two clients with one interface: ``httpx.AsyncClient`` and a minimal asyncio
HTTP/1.1 keep-alive client. The bench measures both against the bare
Starlette endpoint and drives every figure with the faster one, baselines
included, so the load generator is never what is being measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

LOOPBACK = "127.0.0.1"


class HttpClient(Protocol):
    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]: ...

    async def get(self, path: str) -> tuple[int, bytes]: ...

    async def close(self) -> None: ...


class RawClient:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1, one request at a time."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(LOOPBACK, self._port)
        return self._reader, self._writer

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {LOOPBACK}:{self._port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
        )
        return await self._exchange(head.encode("latin-1") + body)

    async def get(self, path: str) -> tuple[int, bytes]:
        head = f"GET {path} HTTP/1.1\r\nHost: {LOOPBACK}:{self._port}\r\n\r\n"
        return await self._exchange(head.encode("latin-1"))

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        reader, writer = await self._connection()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = await _read_chunked(reader)
        else:
            body = await reader.read()
            await self.close()
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class HttpxClient:
    """``httpx.AsyncClient`` holding one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self._client = httpx.AsyncClient(
            base_url=f"http://{LOOPBACK}:{port}",
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            timeout=30.0,
        )

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = await self._client.post(
            path, content=body, headers={"Content-Type": "application/json", **headers}
        )
        return response.status_code, response.content

    async def get(self, path: str) -> tuple[int, bytes]:
        response = await self._client.get(path)
        return response.status_code, response.content

    async def close(self) -> None:
        await self._client.aclose()


CLIENTS: dict[str, Callable[[int], HttpClient]] = {"raw": RawClient, "httpx": HttpxClient}


async def graphql(
    client: HttpClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
    path: str = "/graphql",
) -> dict[str, Any]:
    """One GraphQL request; the decoded response (``errors`` included, not raised)."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, payload = await client.post(path, body, headers)
    if status != 200:
        raise RuntimeError(f"HTTP {status} from {path}: {payload[:300]!r}")
    decoded: dict[str, Any] = json.loads(payload)
    return decoded


@dataclass
class LoadResult:
    """Closed-loop load: ``concurrency`` clients, each sending its next request as soon
    as the previous one is answered."""

    concurrency: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Latency in milliseconds at ``share`` (0.5 = median)."""
        return percentile(self.latencies, share)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=1000, method="inclusive")[
        min(998, max(0, round(share * 1000) - 1))
    ]


Work = Callable[[HttpClient, int], Awaitable[bool]]


async def run_load(
    make_client: Callable[[], HttpClient],
    work: Work,
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
    warmup: int = 0,
) -> LoadResult:
    """Run ``work(client, worker_index)`` from ``concurrency`` workers until ``seconds``
    have passed or ``max_requests`` were sent; ``work`` returns False on an error."""
    clients = [make_client() for _ in range(concurrency)]
    result = LoadResult(concurrency)
    try:

        async def warm(index: int) -> None:
            for _ in range(warmup):
                await work(clients[index], index)

        await asyncio.gather(*(warm(i) for i in range(concurrency)))
        deadline = time.perf_counter() + seconds
        budget = [max_requests]

        async def worker(index: int) -> None:
            client = clients[index]
            while budget[0] > 0 and time.perf_counter() < deadline:
                budget[0] -= 1
                began = time.perf_counter()
                ok = await work(client, index)
                result.latencies.append((time.perf_counter() - began) * 1000)
                result.requests += 1
                result.errors += 0 if ok else 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        result.seconds = time.perf_counter() - began
    finally:
        for client in clients:
            await client.close()
    return result
