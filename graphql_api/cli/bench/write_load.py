"""Sections 1, 3 (lag) and 4: mutations under load against the raw rate, the
projections' lag meanwhile, and reading one's own writes."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

from domain.context import Role
from graphql_api.cli.bench import reads
from graphql_api.cli.bench.api_http import PROJECTIONS, Http, ratio
from graphql_api.cli.bench.client import HttpClient, graphql, percentile, run_load
from graphql_api.cli.bench.report import Row
from graphql_api.cli.bench.workflow import WRITES_PER_CAMPAIGN, GraphQLLifecycle, Pair

WRITE_CLIENTS = (1, 8, 32)
LAG_INTERVAL = 0.05


@dataclass
class LagSampler:
    """Samples the projections' lag while writes run, as events behind and as time:
    how long ago the store's head was where the slowest projection is now."""

    http: Http
    token: str
    events: list[int] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)
    heads: list[tuple[float, int]] = field(default_factory=list)

    async def sample_until(self, stop: asyncio.Event) -> None:
        client = self.http.client()
        try:
            while not stop.is_set():
                response = await graphql(client, PROJECTIONS, token=self.token)
                now = time.perf_counter()
                rows = [
                    p for p in (response.get("data") or {}).get("projections", []) if p["active"]
                ]
                if rows:
                    head = max(int(p["headPosition"]) for p in rows)
                    slowest = min(int(p["position"]) for p in rows)
                    self.heads.append((now, head))
                    self.events.append(head - slowest)
                    reached = next((t for t, h in self.heads if h >= slowest), now)
                    self.millis.append((now - reached) * 1000)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), LAG_INTERVAL)
        finally:
            await client.close()


async def write_benchmarks(http: Http, pairs: list[Pair], raw_rate: float, admin: str) -> None:
    section = http.run.section("1. Writes")
    sampler = LagSampler(http, admin)
    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler.sample_until(stop))
    offset = 0
    failures: list[str] = []
    try:
        for clients in WRITE_CLIENTS:
            http.run.progress(f"writes with {clients} clients")
            lifecycles = [
                GraphQLLifecycle(
                    pair,
                    http.token(Role.BRAND, pair.brand_id),
                    http.token(Role.CREATOR, pair.creator_id),
                )
                for pair in pairs[offset : offset + clients]
            ]
            offset += clients

            async def work(
                client: HttpClient, index: int, lc: list[GraphQLLifecycle] = lifecycles
            ) -> bool:
                return (await lc[index].step(client)).ok

            result = await run_load(
                lambda: http.client(),
                work,
                concurrency=clients,
                seconds=http.run.plan.seconds,
                max_requests=http.run.plan.max_requests,
            )
            for lifecycle in lifecycles:
                failures += lifecycle.failures
            share = ratio(result.rate, raw_rate)
            section.add(
                Row(
                    f"GraphQL mutations/s, {clients} client{'s' if clients > 1 else ''}",
                    f"{result.rate:,.0f} (p50 {result.percentile(0.5):.1f} ms, "
                    f"p99 {result.percentile(0.99):.1f} ms"
                    + (f", {result.errors} errors" if result.errors else "")
                    + ")",
                    f"raw application service: {raw_rate:,.0f} commands/s",
                    f"{share:.2f}×",
                    "≥ 0.7×",
                    share >= 0.7,
                )
            )
    finally:
        stop.set()
        await sampling
    section.notes.append(
        f"Mix per campaign ({WRITES_PER_CAMPAIGN} writes): pitchCampaign, acceptPitch, "
        "signAgreement ×2, publishPost, recordPostMetrics ×2, submitFeedback ×2; each client "
        "works its own brand × creator pair. The raw baseline runs the same commands on the "
        "application service (`Ledger`, i.e. load, decide, `save()`) in one thread of a "
        "separate process on the same store, before the server starts."
    )
    if failures:
        section.notes.append("First refusals: " + "; ".join(failures[:3]))
    projections = http.run.section("3. Projections")
    if sampler.events:
        behind = [float(e) for e in sampler.events]
        projections.add(
            Row(
                "incremental lag while the write benchmark runs, p50 / p99",
                f"{percentile(sampler.millis, 0.5):.0f} / "
                f"{percentile(sampler.millis, 0.99):.0f} ms; "
                f"{percentile(behind, 0.5):.0f} / {percentile(behind, 0.99):.0f} events",
                bar="report",
            )
        )
        projections.notes.append(
            f"Lag sampled {len(sampler.events)} times, every {LAG_INTERVAL * 1000:.0f} ms, "
            "through the `projections` query: events = head − slowest active projection; "
            "time = how long ago the head was where that projection is now."
        )


RYW_QUERY = """{ campaigns(filter: {brandId: "%s"}, first: 1, atLeast: "%s") {
  edges { node { id version } } } }"""


async def read_your_writes(http: Http, pair: Pair) -> None:
    http.run.progress("read your writes")
    lifecycle = GraphQLLifecycle(
        pair, http.token(Role.BRAND, pair.brand_id), http.token(Role.CREATOR, pair.creator_id)
    )
    client = http.client()
    waits: list[float] = []
    stale = 0
    try:
        for _ in range(http.run.plan.ryw_samples):
            written = await lifecycle.step(client)
            if not written.ok:
                continue
            began = time.perf_counter()
            data = reads.check(
                await graphql(
                    client,
                    RYW_QUERY % (pair.brand_id, written.position),
                    token=lifecycle.brand_token,
                ),
                "read your write",
            )
            waits.append((time.perf_counter() - began) * 1000)
            edges = data["campaigns"]["edges"]
            node = edges[0]["node"] if edges else {}
            if node.get("id") != written.campaign_id or node.get("version", 0) < written.version:
                stale += 1
    finally:
        await client.close()
    p99 = percentile(waits, 0.99)
    section = http.run.section("4. Read your writes")
    section.add(
        Row(
            "mutation response → `campaigns(atLeast:)` showing it, p50 / p99",
            f"{percentile(waits, 0.5):.1f} / {p99:.1f} ms ({len(waits)} writes, {stale} stale)",
            bar="p99 ≤ 50 ms (SQLite)",
            met=(p99 <= 50) if http.run.settings.backend == "sqlite" else None,
        )
    )
    section.notes.append(
        "One client, one write then one read at a time (the same mutation mix); the read is "
        "the brand's campaign list (the campaign summaries read model) with the mutation's "
        "`position` as `atLeast`, checked to show the campaign at the written version."
    )
