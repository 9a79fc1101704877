"""Section 2: single read shapes, each repeated by closed-loop clients, against the
API with its response cache on and off and against both in-memory baselines."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from domain.context import Role
from graphql_api.cli.bench import reads
from graphql_api.cli.bench.api_http import Http, load, query_work, ratio
from graphql_api.cli.bench.baseline import bare_query
from graphql_api.cli.bench.client import CLIENTS, graphql
from graphql_api.cli.bench.figures import Figure, repeated
from graphql_api.cli.bench.processes import Started
from graphql_api.cli.bench.report import Row

SECTION = "2. Read shapes"
SHAPES = {
    "d": "the directory read `creators(first: 20) { edges { cursor node { id handle "
    "reputation { score } } } }`",
    "a": "(a) creators(first: 20, orderBy: SCORE), 25 fields with reputation",
    "b": "(b) a brand's campaigns(first: 50), creator names, latest metrics",
    "c": "(c) one campaign with its posts and metric series",
}
CONNECTIONS = {"d": (1, 16), "a": (16,), "b": (16,), "c": (16,)}
CACHE_ON, CACHE_OFF, STRAWBERRY, STARLETTE = "cache on", "cache off", "strawberry", "starlette"


@dataclass
class ShapeFigures:
    """Each shape's figures by (shape, connections), per server measured."""

    samples: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    by_server: dict[str, dict[tuple[str, int], Figure]] = field(default_factory=dict)


async def record_samples(http: Http, brands: list[str], admin: str, shapes: ShapeFigures) -> None:
    """The read queries with their tokens, and the API's real responses."""
    client = http.client()
    try:
        brand = await reads.busiest_brand(client, brands, admin)
        brand_token = http.token(Role.BRAND, brand)
        campaign = await reads.richest_campaign(client, brand, brand_token)
        queries = {
            "d": (reads.DIRECTORY, None),
            "a": (reads.CREATORS, None),
            "b": (reads.BRAND_CAMPAIGNS % brand, brand_token),
            "c": (reads.CAMPAIGN % campaign, brand_token),
        }
        for name, (query, token) in queries.items():
            body = json.dumps({"query": query, "variables": {}}).encode()
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            _, payload = await client.post("/graphql", body, headers)
            reads.check(json.loads(payload), f"query {name}")
            shapes.samples[name] = {"query": query, "response": payload.decode()}
            if token:
                shapes.tokens[name] = token
    finally:
        await client.close()


async def check_baselines(http: Http, baseline: Started, samples: dict[str, Any]) -> None:
    """Both baselines must answer each query with the API's very data."""
    client = http.client(baseline.port)
    try:
        for name, sample in samples.items():
            expected = json.loads(sample["response"])["data"]
            for path, query in (
                (f"/starlette/{name}", sample["query"]),
                (f"/strawberry/{name}", bare_query(sample["query"])),
            ):
                data = reads.check(await graphql(client, query, path=path), f"{path} {name}")
                if json.dumps(data, sort_keys=True) != json.dumps(expected, sort_keys=True):
                    raise RuntimeError(f"the baseline at {path} does not answer query {name} alike")
    finally:
        await client.close()


async def calibrate_client(http: Http, baseline: Started, samples: dict[str, Any]) -> None:
    """Pick the faster client on the bare Starlette endpoint (the cheapest server)."""
    rates = {}
    for kind in CLIENTS:
        work = query_work(samples["d"]["query"], None, "/starlette/d")
        result = await load(
            http, work, port=baseline.port, seconds=http.run.plan.calibrate_seconds, kind=kind
        )
        rates[kind] = result.rate
    http.client_kind = max(rates, key=lambda k: rates[k])
    http.run.section(SECTION).notes.append(
        "Load-generator check on the bare Starlette endpoint, 16 connections: "
        + ", ".join(f"{kind} client {rate:,.0f} req/s" for kind, rate in rates.items())
        + f". Every HTTP figure uses the {http.client_kind} client, baselines included."
    )


async def measure_api(http: Http, shapes: ShapeFigures, server: str) -> None:
    """Every shape at its connection counts against the API now serving."""
    found = shapes.by_server.setdefault(server, {})
    for name in http.run.plan.shapes:
        query, token = shapes.samples[name]["query"], shapes.tokens.get(name)
        for connections in CONNECTIONS[name]:
            http.run.progress(f"read shape {name}, {connections} connections, {server}")
            found[name, connections] = await _figure(
                http, query_work(query, token, "/graphql"), None, connections
            )


async def measure_baselines(http: Http, baseline: Started, shapes: ShapeFigures) -> None:
    for name in http.run.plan.shapes:
        query = shapes.samples[name]["query"]
        for connections in CONNECTIONS[name]:
            http.run.progress(f"read shape {name}, {connections} connections, baselines")
            for server, work in (
                (STRAWBERRY, query_work(bare_query(query), None, f"/strawberry/{name}")),
                (STARLETTE, query_work(query, None, f"/starlette/{name}")),
            ):
                figure = await _figure(http, work, baseline.port, connections)
                if figure.errors:
                    raise RuntimeError(f"the {server} baseline failed requests of query {name}")
                shapes.by_server.setdefault(server, {})[name, connections] = figure


async def _figure(http: Http, work: Any, port: int | None, connections: int) -> Figure:
    plan = http.run.plan
    return await repeated(
        plan.repeats,
        lambda: load(http, work, port=port, seconds=plan.seconds, concurrency=connections),
    )


def report_shapes(http: Http, shapes: ShapeFigures) -> None:
    section = http.run.section(SECTION)
    for name in http.run.plan.shapes:
        label = SHAPES[name]
        for connections in CONNECTIONS[name]:
            key = (name, connections)
            straw = shapes.by_server[STRAWBERRY][key]
            bare = shapes.by_server[STARLETTE][key]
            baseline = (
                f"strawberry from memory {straw.text()}; bare Starlette {bare.rate:,.0f} req/s"
            )
            data = {"strawberry": straw.data(), "starlette": bare.data()}
            for server in (CACHE_ON, CACHE_OFF):
                figure = shapes.by_server.get(server, {}).get(key)
                if figure is None:
                    continue
                share = ratio(figure.rate, straw.rate)
                bar, met = _bar(name, connections, server, share, figure)
                section.add(
                    Row(
                        f"{label}, {connections} connection{'s' if connections > 1 else ''}, "
                        f"response cache {server.split()[1]}",
                        figure.text(),
                        baseline,
                        f"{share:.2f}× strawberry",
                        bar,
                        met,
                        {"api": figure.data(), **data, "ratio": round(share, 3)},
                    )
                )
    section.notes.append(
        "Closed loop: each connection sends its next request when the last is answered; "
        f"each figure is {http.run.plan.repeats_text()} (rate, p50 and p99 each). "
        '"Cache off" is a second API process on the same store, started with '
        "`LEDGER_RESPONSE_CACHE=0` and measured "
        "before the cache-on process, with no writes in between. The baselines answer "
        "the very same JSON from memory: a bare strawberry schema with the API's parser and "
        "validation caches, and a bare Starlette endpoint returning the recorded bytes."
    )


def _bar(
    name: str, connections: int, server: str, share: float, figure: Figure
) -> tuple[str, bool | None]:
    if (name, connections) != ("d", 16):
        return "", None
    if server == CACHE_ON:
        return "≥ 1.5× strawberry, p99 ≤ 50 ms", share >= 1.5 and figure.p99 <= 50
    return "≥ 0.8× strawberry", share >= 0.8
