"""Section 6: a long campaign's state replayed over HTTP, latest and as of version 1."""

from __future__ import annotations

import statistics
import time

from domain.context import Role
from graphql_api.cli.bench import reads
from graphql_api.cli.bench.api_http import Http
from graphql_api.cli.bench.client import graphql, percentile
from graphql_api.cli.bench.report import Row

AS_OF = """{ campaignAsOf(id: "%s"%s) { id version state unitsPublished
  metricTotals { postsMeasured likes comments engagements } } }"""


async def replay(http: Http, campaigns: dict[str, str], events: int) -> None:
    http.run.progress("replay")
    auditor = http.token(Role.AUDITOR, "bench-auditor")
    section = http.run.section("6. Replay")
    client = http.client()
    try:
        for label, campaign in campaigns.items():
            for which, argument in (("latest", ""), ("as of version 1", ", version: 1")):
                times = []
                for _ in range(http.run.plan.replay_samples):
                    began = time.perf_counter()
                    data = reads.check(
                        await graphql(client, AS_OF % (campaign, argument), token=auditor),
                        "campaignAsOf",
                    )
                    times.append((time.perf_counter() - began) * 1000)
                    if not data["campaignAsOf"]:
                        raise RuntimeError("campaignAsOf found nothing")
                median = statistics.median(times)
                latest = which == "latest"
                section.add(
                    Row(
                        f"campaignAsOf {which}, {events:,} events, {label.replace('_', ' ')}",
                        f"median {median:.1f} ms, p99 {percentile(times, 0.99):.1f} ms",
                        bar="median ≤ 20 ms" if latest else "",
                        met=(median <= 20) if latest else None,
                    )
                )
    finally:
        await client.close()
    section.notes.append(
        "Over HTTP as an auditor, one request at a time. One campaign was saved with the "
        "ledger's snapshots (every 50 versions), the other by a ledger with snapshotting off."
    )
