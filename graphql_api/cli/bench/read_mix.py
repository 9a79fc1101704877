"""Sections 1 and 4: many distinct reads from many viewers while writes go on.

The mix is what a portal sends: directory pages with different filters, orders
and cursors, creator profiles, public brand pages, brands' own pages and
campaign pages seen by each side. Paced writers add pitchCampaign +
acceptPitch units at a share of the measured write capacity, so read models
move and cached responses go stale as in use; after each of its writes, a writer
reads the write back through ``atLeast`` (read-your-writes, section 4). The
response cache's hit rate is the served process's own count, from ``/metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from domain.context import Role
from graphql_api.cli.bench import reads
from graphql_api.cli.bench.api_http import CACHE_LOOKUPS, Http, cache_lookups
from graphql_api.cli.bench.client import HttpClient, LoadResult, graphql, percentile, run_load
from graphql_api.cli.bench.figures import repeated
from graphql_api.cli.bench.report import Row
from graphql_api.cli.bench.workflow import GraphQLUnits, Pair

DIRECTORY = """query Directory($filter: CreatorFilter, $order: CreatorOrder, $first: Int,
    $after: String) {
  creators(filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id handle displayName tier followers
      reputation { score ratingCount } } }
  }
}"""
CREATOR_PAGE = """query CreatorPage($id: ID!) { creator(id: $id) {
  id handle displayName tier followers niches platforms { platform handle followers }
  reputation { score overallRating ratingCount } } }"""
BRAND_PUBLIC = """query BrandPublic($id: ID!) { brand(id: $id) {
  id name industry causes feedback { overallRating ratingCount } } }"""
BRAND_PAGE = """query BrandPage($id: ID!) {
  brand(id: $id) { id name feedback { overallRating ratingCount } }
  campaigns(filter: {brandId: $id}, first: 20) { totalCount edges { cursor node {
    id state version updatedAt fee { amount currency } creator { id handle } } } }
}"""
CAMPAIGN_PAGE = """query CampaignPage($id: ID!) { campaign(id: $id) {
  id state version unitsDue unitsPublished brand { id name } creator { id handle displayName }
  posts { deliverableId url publishedAt metrics { observedAt likes comments } } } }"""
BRAND_CAMPAIGNS = """query($id: ID!) { campaigns(filter: {brandId: $id}, first: 3) {
  edges { node { id creator { id } } } } }"""
RYW_QUERY = """{ campaigns(filter: {brandId: "%s", creatorId: "%s"}, first: 1, atLeast: "%s") {
  edges { node { id version } } } }"""

TIERS = ("EMERGING", "NANO", "MICRO", "MACRO", "MEGA")
PLATFORMS = ("INSTAGRAM", "TIKTOK", "YOUTUBE", "X", "TWITCH", "BLOG", "FACEBOOK")
ORDERS = (
    {"field": "SCORE", "direction": "DESC"},
    {"field": "SCORE", "direction": "ASC"},
    {"field": "FOLLOWERS", "direction": "DESC"},
    {"field": "FOLLOWERS", "direction": "ASC"},
    {"field": "PRICE", "direction": "ASC"},
    {"field": "PRICE", "direction": "DESC"},
)
FILTERS: tuple[dict[str, Any], ...] = (
    *({"tiers": [tier]} for tier in TIERS),
    *({"platforms": [platform]} for platform in PLATFORMS),
    *({"text": letter} for letter in "aeiou"),
    *({"minScore": score} for score in (3.0, 3.5, 4.0)),
    *({"format": kind} for kind in ("POST", "REEL", "SHORT_VIDEO")),
)
PAGE_SIZES = (10, 20)
PAGES = 3
BRAND_PAGES = 12
CREATOR_PAGES = 30
# Paced writers, each with its own pair: one write's read-back never delays the next
# write of the schedule by more than a slot's share.
WRITER_SLOTS = 4
MIN_OPERATIONS = 200


@dataclass(frozen=True)
class Operation:
    kind: str
    body: bytes
    headers: dict[str, str]


def _operation(kind: str, query: str, variables: dict[str, Any], token: str | None) -> Operation:
    body = json.dumps({"query": query, "variables": variables}).encode()
    return Operation(kind, body, {"Authorization": f"Bearer {token}"} if token else {})


@dataclass
class Mix:
    operations: list[Operation] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    async def add(self, client: HttpClient, operation: Operation) -> dict[str, Any] | None:
        """Keep ``operation`` if it answers without errors; its data."""
        status, payload = await client.post("/graphql", operation.body, operation.headers)
        decoded = json.loads(payload) if status == 200 else {}
        if status != 200 or decoded.get("errors") or not decoded.get("data"):
            self.dropped.append(f"{operation.kind}: HTTP {status} {str(decoded)[:200]}")
            return None
        self.operations.append(operation)
        data: dict[str, Any] = decoded["data"]
        return data


async def build_mix(http: Http, brands: list[str]) -> Mix:
    """Every operation of the mix, each answered once to check it and find the next
    page's cursor and the ids the other pages need."""
    http.run.progress("preparing the read mix")
    mix = Mix()
    creators: list[str] = []
    client = http.client()
    try:
        pages: list[tuple[dict[str, Any], dict[str, str]]] = [({}, order) for order in ORDERS]
        pages += [(filters, ORDERS[0]) for filters in FILTERS]
        for filters, order in pages:
            for first in PAGE_SIZES:
                creators += await _directory_pages(client, mix, filters, order, first)
        for creator in list(dict.fromkeys(creators))[:CREATOR_PAGES]:
            await mix.add(client, _operation("creator", CREATOR_PAGE, {"id": creator}, None))
        for brand in brands[:BRAND_PAGES]:
            await _brand_operations(http, client, mix, brand)
    finally:
        await client.close()
    return mix


async def _directory_pages(
    client: HttpClient, mix: Mix, filters: dict[str, Any], order: dict[str, str], first: int
) -> list[str]:
    """The first pages of one filter and order, each from the last one's cursor; the
    creators they list."""
    creators: list[str] = []
    after: str | None = None
    for _ in range(PAGES):
        variables: dict[str, Any] = {"order": order, "first": first}
        if filters:
            variables["filter"] = filters
        if after:
            variables["after"] = after
        data = await mix.add(client, _operation("directory", DIRECTORY, variables, None))
        if data is None:
            break
        found = data["creators"]
        creators += [edge["node"]["id"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    return creators


async def _brand_operations(http: Http, client: HttpClient, mix: Mix, brand: str) -> None:
    token = http.token(Role.BRAND, brand)
    await mix.add(client, _operation("brand (public)", BRAND_PUBLIC, {"id": brand}, None))
    await mix.add(client, _operation("brand (own)", BRAND_PAGE, {"id": brand}, token))
    data = reads.check(
        await graphql(client, BRAND_CAMPAIGNS, {"id": brand}, token=token), "brand campaigns"
    )
    for edge in data["campaigns"]["edges"]:
        node = edge["node"]
        creator_token = http.token(Role.CREATOR, node["creator"]["id"])
        for viewer, viewer_token in (("brand", token), ("creator", creator_token)):
            await mix.add(
                client,
                _operation(f"campaign ({viewer})", CAMPAIGN_PAGE, {"id": node["id"]}, viewer_token),
            )


@dataclass
class ReadYourWrites:
    waits: list[float] = field(default_factory=list)
    stale: int = 0
    writes: int = 0
    refused: int = 0
    seconds: float = 0.0


async def paced_writer(
    http: Http,
    units: GraphQLUnits,
    rate: float,
    stop: asyncio.Event,
    ryw: ReadYourWrites,
    offset: float = 0.0,
) -> None:
    """Writes at ``rate`` per second from ``offset`` seconds on (never in bursts to catch
    up), each read back."""
    client = http.client()
    interval = 1 / rate
    due = time.perf_counter() + offset
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), offset)
        while not stop.is_set():
            written = await units.step(client)
            ryw.writes += 1
            if written.ok:
                asked = time.perf_counter()
                query = RYW_QUERY % (units.pair.brand_id, units.pair.creator_id, written.position)
                data = reads.check(
                    await graphql(client, query, token=units.brand_token), "read your write"
                )
                ryw.waits.append((time.perf_counter() - asked) * 1000)
                edges = data["campaigns"]["edges"]
                node = edges[0]["node"] if edges else {}
                if (
                    node.get("id") != written.campaign_id
                    or node.get("version", 0) < written.version
                ):
                    ryw.stale += 1
            else:
                ryw.refused += 1
            due = max(due + interval, time.perf_counter())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), due - time.perf_counter())
    finally:
        await client.close()


async def read_mix(http: Http, mix: Mix, writers: list[Pair], capacity: float) -> None:
    """Section 1 (the mix with the cache's hit rate) and section 4 (read-your-writes)."""
    plan = http.run.plan
    rate = max(plan.write_share * capacity, 1.0)
    slots = [
        GraphQLUnits(
            pair, http.token(Role.BRAND, pair.brand_id), http.token(Role.CREATOR, pair.creator_id)
        )
        for pair in writers
    ]
    ryw = ReadYourWrites()
    operations = mix.operations
    if not operations:
        raise RuntimeError("no operation of the read mix answered: " + "; ".join(mix.dropped[:3]))

    async def work(client: HttpClient, index: int, picks: list[random.Random]) -> bool:
        operation = operations[picks[index].randrange(len(operations))]
        status, payload = await client.post("/graphql", operation.body, operation.headers)
        return status == 200 and b'"errors"' not in payload

    async def measure() -> LoadResult:
        picks = [random.Random(index) for index in range(plan.read_clients)]
        stop = asyncio.Event()
        writing = [
            asyncio.create_task(
                paced_writer(http, units, rate / len(slots), stop, ryw, offset=index / rate)
            )
            for index, units in enumerate(slots)
        ]
        began = time.perf_counter()
        try:
            return await run_load(
                http.client,
                lambda client, index: work(client, index, picks),
                concurrency=plan.read_clients,
                seconds=plan.seconds,
                max_requests=plan.max_requests,
            )
        finally:
            stop.set()
            await asyncio.gather(*writing)
            ryw.seconds += time.perf_counter() - began

    http.run.progress(f"read mix: {len(operations)} operations, {plan.read_clients} clients")
    before = await cache_lookups(http)
    figure = await repeated(plan.repeats, measure)
    after = await cache_lookups(http)
    kinds = Counter(operation.kind for operation in operations)
    section = http.run.section("1. Read mix")
    section.add(
        Row(
            f"read mix, {plan.read_clients} clients, {len(operations)} distinct operations",
            figure.text(),
            bar=f"≥ {MIN_OPERATIONS} distinct operations",
            met=len(operations) >= MIN_OPERATIONS,
            data={"api": figure.data(), "operations": dict(kinds)},
        )
    )
    section.add(_hit_rate(before, after))
    achieved = ryw.writes / ryw.seconds if ryw.seconds else 0.0
    section.add(
        Row(
            f"concurrent writes meanwhile ({len(slots)} paced clients)",
            f"{achieved:,.1f} writes/s ({ryw.writes:,} writes, {ryw.refused} refused)",
            f"target {plan.write_share:.0%} of the measured capacity {capacity:,.0f} writes/s",
            f"{achieved / capacity:.2f}× capacity" if capacity else "",
            data={"rate": round(achieved, 2), "target": round(rate, 2), "writes": ryw.writes},
        )
    )
    section.notes.append(
        "Operations: "
        + ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        + f". Each of {plan.read_clients} closed-loop clients picks operations uniformly at "
        "random (seeded); every operation sends its own variables and, for brand and "
        "campaign pages, the token of the brand or creator viewing. The paced writers' "
        f"units (section 3's unit) run throughout. Each figure is {plan.repeats_text()} "
        "(rate, p50 and p99 each); the hit rate counts every lookup of those runs, the "
        "writer's writes and read-backs included."
        + (f" Dropped (they answered with errors): {len(mix.dropped)}." if mix.dropped else "")
    )
    _report_ryw(http, ryw)


def _hit_rate(before: dict[str, float] | None, after: dict[str, float] | None) -> Row:
    figure = "response-cache hit rate (the served process's `/metrics`)"
    if before is None or after is None:
        return Row(figure, "n/a", f"the process exports no `{CACHE_LOOKUPS}`", data={})
    counts = {key: after.get(key, 0.0) - before.get(key, 0.0) for key in after}
    lookups = sum(counts.values())
    hits = counts.get("hit", 0.0)
    share = hits / lookups if lookups else 0.0
    detail = ", ".join(f"{key} {value:,.0f}" for key, value in sorted(counts.items()))
    return Row(
        figure,
        f"{share:.1%} of {lookups:,.0f} lookups ({detail})",
        data={"hit_rate": round(share, 4), **{k: int(v) for k, v in counts.items()}},
    )


def _report_ryw(http: Http, ryw: ReadYourWrites) -> None:
    p99 = percentile(ryw.waits, 0.99)
    sqlite = http.run.settings.backend == "sqlite"
    section = http.run.section("4. Read your writes")
    section.add(
        Row(
            "mutation response → `campaigns(atLeast:)` showing it, p50 / p99",
            f"{percentile(ryw.waits, 0.5):.1f} / {p99:.1f} ms "
            f"({len(ryw.waits)} writes, {ryw.stale} stale)",
            bar="p99 ≤ 20 ms (SQLite)",
            met=(p99 <= 20 and not ryw.stale) if sqlite else None,
            data={
                "p50_ms": round(percentile(ryw.waits, 0.5), 3),
                "p99_ms": round(p99, 3),
                "samples": len(ryw.waits),
                "stale": ryw.stale,
            },
        )
    )
    section.notes.append(
        "Measured by the read mix's paced writers while the mix runs: after each "
        "acknowledged write, the brand's campaigns with the writer's creator (the campaign "
        "summaries read model) with the mutation's `position` as `atLeast`, checked to show "
        "the campaign at the written version."
    )
