"""Section 3 and the lag of section 5: mutations under load against the library's
rate for the same unit of work, and the projections' lag meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from functools import partial

from domain.context import Role
from graphql_api.cli.bench.api_http import PROJECTIONS, Http, ratio
from graphql_api.cli.bench.client import (
    HttpClient,
    LoadResult,
    Work,
    graphql,
    percentile,
    run_load,
)
from graphql_api.cli.bench.figures import Figure, repeated
from graphql_api.cli.bench.report import Row
from graphql_api.cli.bench.workflow import WRITES_PER_UNIT, GraphQLUnits, Pair

SECTION = "3. Writes"
WRITE_CLIENTS = (1, 16, 32)
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


@dataclass(frozen=True)
class WriteBaselines:
    """Writes per second without the API, measured in the same run (see
    :mod:`graphql_api.cli.bench.library_baseline`)."""

    library: dict[int, float]
    service: float

    @property
    def single(self) -> float:
        return self.library[1]

    def text(self) -> str:
        threads = "; ".join(
            f"{count} thread{'s' if count > 1 else ''} {rate:,.0f}/s"
            for count, rate in sorted(self.library.items())
        )
        return f"eventsourcing alone: {threads}"


async def write_benchmarks(
    http: Http, pairs: list[Pair], baselines: WriteBaselines, admin: str
) -> float:
    """Section 3 and the lag of section 5; the best write rate measured (the capacity)."""
    section = http.run.section(SECTION)
    sampler = LagSampler(http, admin)
    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler.sample_until(stop))
    failures: list[str] = []
    figures: dict[int, Figure] = {}
    try:
        for clients in WRITE_CLIENTS:
            http.run.progress(f"writes with {clients} clients")
            units = [
                GraphQLUnits(
                    pair,
                    http.token(Role.BRAND, pair.brand_id),
                    http.token(Role.CREATOR, pair.creator_id),
                )
                for pair in pairs[:clients]
            ]

            async def work(client: HttpClient, index: int, lc: list[GraphQLUnits] = units) -> bool:
                return (await lc[index].step(client)).ok

            figures[clients] = await repeated(
                http.run.plan.repeats, partial(_closed_loop, http, work, clients)
            )
            for unit in units:
                failures += unit.failures
    finally:
        stop.set()
        await sampling
    for clients, figure in figures.items():
        share = ratio(figure.rate, baselines.single)
        bar, met = _bar(clients, share, figure, figures)
        section.add(
            Row(
                f"writes/s over HTTP, {clients} client{'s' if clients > 1 else ''}",
                figure.text("writes/s"),
                baselines.text(),
                f"{share:.2f}× one thread"
                + (
                    f"; {ratio(figure.rate, baselines.library[16]):.2f}× 16 threads"
                    if 16 in baselines.library and clients > 1
                    else ""
                ),
                bar,
                met,
                {
                    "api": figure.data(),
                    "library": {str(k): round(v, 2) for k, v in baselines.library.items()},
                    "ratio": round(share, 3),
                },
            )
        )
    section.add(
        Row(
            "the ledger's application service, no HTTP, one thread",
            f"{baselines.service:,.0f} writes/s",
            baselines.text(),
            f"{ratio(baselines.service, baselines.single):.2f}× one thread",
            data={"rate": round(baselines.service, 2)},
        )
    )
    section.notes.append(
        f"A unit is pitchCampaign then acceptPitch ({WRITES_PER_UNIT} writes, each a mutation "
        "and its acknowledgement); each client works its own brand × creator pair, closed loop. "
        "The library baseline does the same unit with the eventsourcing library alone, on the "
        "same store kind and persistence settings, in a process of its own before the API "
        "starts: a pitch is an aggregate created and saved, an acceptance is it got back, an "
        "event triggered and saved (one thread, and 16 threads sharing one application). The "
        "service row runs the ledger's two commands (`Ledger.execute`) without HTTP or GraphQL. "
        f"Each figure is {http.run.plan.repeats_text()}; the library's, the median of as "
        "many runs."
    )
    if failures:
        section.notes.append("First refusals: " + "; ".join(failures[:3]))
    _report_lag(http, sampler)
    return max(figure.rate for figure in figures.values())


async def _closed_loop(http: Http, work: Work, clients: int) -> LoadResult:
    return await run_load(
        http.client,
        work,
        concurrency=clients,
        seconds=http.run.plan.seconds,
        max_requests=http.run.plan.max_requests,
    )


def _bar(
    clients: int, share: float, figure: Figure, figures: dict[int, Figure]
) -> tuple[str, bool | None]:
    if clients == 1:
        return "≥ 0.5× one thread, p50 ≤ 3 ms", share >= 0.5 and figure.p50 <= 3
    if clients == 16:
        return "≥ 1.0× one thread", share >= 1.0
    if clients == 32 and 16 in figures:
        return "no worse than 16 clients", figure.rate >= figures[16].rate
    return "", None


def _report_lag(http: Http, sampler: LagSampler) -> None:
    projections = http.run.section("5. Projections")
    if not sampler.events:
        return
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
