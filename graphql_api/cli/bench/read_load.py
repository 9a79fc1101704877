"""Section 2: the three reads against the API and both in-memory baselines."""

from __future__ import annotations

import json
from typing import Any

from domain.context import Role
from graphql_api.cli.bench import reads
from graphql_api.cli.bench.api_http import Http, load, query_work, ratio
from graphql_api.cli.bench.baseline import bare_query
from graphql_api.cli.bench.client import CLIENTS, graphql
from graphql_api.cli.bench.processes import Started
from graphql_api.cli.bench.report import Row


async def record_samples(
    http: Http, brands: list[str], admin: str
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The three read queries with their tokens, and the API's real responses."""
    client = http.client()
    try:
        brand = await reads.busiest_brand(client, brands, admin)
        brand_token = http.token(Role.BRAND, brand)
        campaign = await reads.richest_campaign(client, brand, brand_token)
        queries = {
            "a": (reads.CREATORS, None),
            "b": (reads.BRAND_CAMPAIGNS % brand, brand_token),
            "c": (reads.CAMPAIGN % campaign, brand_token),
        }
        samples: dict[str, dict[str, Any]] = {}
        tokens: dict[str, str] = {}
        for name, (query, token) in queries.items():
            body = json.dumps({"query": query, "variables": {}}).encode()
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            _, payload = await client.post("/graphql", body, headers)
            decoded = json.loads(payload)
            reads.check(decoded, f"query {name}")
            samples[name] = {"query": query, "response": payload.decode()}
            if token:
                tokens[name] = token
    finally:
        await client.close()
    return samples, tokens


async def check_baselines(http: Http, baseline: Started, samples: dict[str, Any]) -> None:
    """Both baselines must answer each query with the API's very data."""
    client = http.client(baseline.port)
    try:
        for name, sample in samples.items():
            expected = json.loads(sample["response"])["data"]
            for path, query in (
                (f"/starlette/{name}", sample["query"]),
                ("/strawberry", bare_query(sample["query"])),
            ):
                data = reads.check(await graphql(client, query, path=path), f"{path} {name}")
                if json.dumps(data, sort_keys=True) != json.dumps(expected, sort_keys=True):
                    raise RuntimeError(f"the baseline at {path} does not answer query {name} alike")
    finally:
        await client.close()


async def calibrate_client(http: Http, baseline: Started, samples: dict[str, Any]) -> None:
    """Pick the faster client on the bare Starlette endpoint (the cheapest server)."""
    section = http.run.section("2. Reads")
    rates = {}
    for kind in CLIENTS:
        work = query_work(samples["a"]["query"], None, "/starlette/a")
        result = await load(
            http, work, port=baseline.port, seconds=http.run.plan.calibrate_seconds, kind=kind
        )
        rates[kind] = result.rate
    http.client_kind = max(rates, key=lambda k: rates[k])
    section.notes.append(
        "Load-generator check on the bare Starlette endpoint, 16 connections: "
        + ", ".join(f"{kind} client {rate:,.0f} req/s" for kind, rate in rates.items())
        + f". Every HTTP figure below uses the {http.client_kind} client, baselines included."
    )


async def read_benchmarks(
    http: Http, baseline: Started, samples: dict[str, Any], tokens: dict[str, str]
) -> None:
    section = http.run.section("2. Reads")
    names = {
        "a": "(a) creators(first: 20, orderBy: SCORE) with reputation",
        "b": "(b) a brand's campaigns(first: 50), creator names, latest metrics",
        "c": "(c) one campaign with its posts and metric series",
    }
    for name, label in names.items():
        http.run.progress(f"reads {name}")
        query, token = samples[name]["query"], tokens.get(name)
        seconds = http.run.plan.seconds
        api = await load(http, query_work(query, token, "/graphql"), port=None, seconds=seconds)
        bare = await load(
            http,
            query_work(query, None, f"/starlette/{name}"),
            port=baseline.port,
            seconds=seconds,
        )
        straw = await load(
            http,
            query_work(bare_query(query), None, "/strawberry"),
            port=baseline.port,
            seconds=seconds,
        )
        if bare.errors or straw.errors:
            raise RuntimeError(f"a baseline failed requests of query {name}")
        share = ratio(api.rate, straw.rate)
        latency_bar = name in ("a", "b")
        p99 = api.percentile(0.99)
        section.add(
            Row(
                f"{label}: req/s",
                f"{api.rate:,.0f}" + (f" ({api.errors} errors)" if api.errors else ""),
                f"(ii) strawberry from memory {straw.rate:,.0f}; (i) Starlette {bare.rate:,.0f}",
                f"{share:.2f}× of (ii); {ratio(api.rate, bare.rate):.2f}× of (i)",
                "≥ 0.8× of (ii)",
                share >= 0.8,
            )
        )
        section.add(
            Row(
                f"{label}: p50 / p99",
                f"{api.percentile(0.5):.1f} / {p99:.1f} ms",
                f"(ii) {straw.percentile(0.5):.1f} / {straw.percentile(0.99):.1f} ms; "
                f"(i) {bare.percentile(0.5):.1f} / {bare.percentile(0.99):.1f} ms",
                "",
                "p99 ≤ 50 ms" if latency_bar else "",
                (p99 <= 50) if latency_bar else None,
            )
        )
