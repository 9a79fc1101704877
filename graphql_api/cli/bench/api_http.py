"""Talking to the API under load: tokens, the client the run chose, closed-loop load
at the read benchmark's concurrency, and waiting for the projections."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.context import Role
from graphql_api.cli.bench import reads
from graphql_api.cli.bench.client import CLIENTS, HttpClient, LoadResult, graphql, run_load
from graphql_api.cli.bench.plan import Run
from graphql_api.cli.bench.processes import Started
from graphql_api.http.auth import issue_token

READ_CONNECTIONS = 16
TOKEN_TTL = 6 * 3600
PROJECTIONS = "{ projections { name active position headPosition lag } }"
CACHE_LOOKUPS = "ledger_response_cache_lookups_total"


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else float("nan")


@dataclass
class Http:
    run: Run
    api: Started
    secret: str
    client_kind: str = "raw"

    def client(self, port: int | None = None) -> HttpClient:
        return CLIENTS[self.client_kind](port or self.api.port or 0)

    def token(self, role: Role, sub: str) -> str:
        return issue_token(self.secret, role, sub, TOKEN_TTL)


async def wait_caught_up(http: Http, admin: str, timeout: float) -> None:
    client = http.client()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            data = reads.check(await graphql(client, PROJECTIONS, token=admin), "projections")
            active = [p for p in data["projections"] if p["active"]]
            if active and all(p["lag"] == 0 for p in active):
                return
            await asyncio.sleep(0.5)
    finally:
        await client.close()
    raise RuntimeError("the projections did not catch up in time")


async def cache_lookups(http: Http) -> dict[str, float] | None:
    """The served process's response-cache lookups by result, from ``/metrics``;
    ``None`` when the process does not export the counter."""
    client = http.client()
    try:
        status, payload = await client.get("/metrics")
    finally:
        await client.close()
    if status != 200:
        return None
    found: dict[str, float] = {}
    for line in payload.decode().splitlines():
        if not line.startswith(CACHE_LOOKUPS + "{"):
            continue
        labels, _, value = line.rpartition(" ")
        match = re.search(r'result="([^"]*)"', labels)
        if match:
            found[match.group(1)] = found.get(match.group(1), 0.0) + float(value)
    return found or None


def query_work(query: str, token: str | None, path: str) -> Callable[..., Any]:
    body = json.dumps({"query": query, "variables": {}}).encode()
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def work(client: HttpClient, _: int) -> bool:
        status, payload = await client.post(path, body, headers)
        return status == 200 and b'"errors"' not in payload

    return work


async def load(
    http: Http,
    work: Callable[..., Any],
    *,
    port: int | None,
    seconds: float,
    kind: str | None = None,
    concurrency: int = READ_CONNECTIONS,
) -> LoadResult:
    kind = kind or http.client_kind
    target = port or http.api.port or 0
    return await run_load(
        lambda: CLIENTS[kind](target),
        work,
        concurrency=concurrency,
        seconds=seconds,
        max_requests=http.run.plan.max_requests,
        warmup=2,
    )
