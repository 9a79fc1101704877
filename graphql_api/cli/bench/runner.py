"""One bench run on one backend: data, probes, servers, load, and the report."""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
from dataclasses import dataclass, field
from typing import Any

from domain.context import Role
from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.api_http import Http, ratio, wait_caught_up
from graphql_api.cli.bench.baseline import SAMPLES_ENV
from graphql_api.cli.bench.dataset import Dataset, generate_dataset, load_dataset, store_bytes
from graphql_api.cli.bench.plan import Run
from graphql_api.cli.bench.processes import Started, run_probe, start_server, start_worker
from graphql_api.cli.bench.read_mix import WRITER_SLOTS, build_mix, read_mix
from graphql_api.cli.bench.read_shapes import (
    CACHE_OFF,
    CACHE_ON,
    ShapeFigures,
    calibrate_client,
    check_baselines,
    measure_api,
    measure_baselines,
    record_samples,
    report_shapes,
)
from graphql_api.cli.bench.replay_load import replay
from graphql_api.cli.bench.report import Row
from graphql_api.cli.bench.workflow import Pair
from graphql_api.cli.bench.write_load import WRITE_CLIENTS, WriteBaselines, write_benchmarks

API_FACTORY = "graphql_api.http.server:create_server_app"
BASELINE_FACTORY = "graphql_api.cli.bench.baseline:create_baseline_app"
CATCH_UP_TIMEOUT = 1800.0
RESPONSE_CACHE_ENV = "LEDGER_RESPONSE_CACHE"
LIBRARY_THREADS = (1, 16)
# Concurrent write clients never share a brand × creator pair.
WRITERS = max(WRITE_CLIENTS)
# The pairs: the write benchmark's, the read mix's writers', the long campaigns', and the
# service baseline's (the rest).
MIX_WRITERS = slice(WRITERS, WRITERS + WRITER_SLOTS)
LONG = WRITERS + WRITER_SLOTS
SERVICE = slice(LONG + 1, None)


def server_env(settings: Settings) -> dict[str, str]:
    env = {"LEDGER_DATA_DIR": str(settings.data_dir.resolve()), "LEDGER_LOG_LEVEL": "WARNING"}
    if settings.database_url:
        env["LEDGER_DATABASE_URL"] = settings.database_url
        env["LEDGER_JWT_SECRET"] = settings.jwt_secret or secrets.token_urlsafe(48)
    return env


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


# --- the steps -----------------------------------------------------------------
def prepare_data(run: Run) -> Dataset:
    dataset = load_dataset(run.settings)
    section = run.section("Data")
    if dataset is None:
        if run.size is None:
            raise ValueError("the store holds no bench data set; give --events or sizes")
        run.progress(f"generating {run.size} into the {run.settings.backend} store")
        dataset = generate_dataset(run.settings, run.size)
        section.notes.append("Generated in this run.")
    else:
        section.notes.append(f"Reused the data set generated at {dataset.generated_at}.")
    section.add(Row("events generated", f"{dataset.events:,}"))
    section.add(
        Row(
            "creators / brands / campaigns",
            f"{dataset.creators:,} / {dataset.brands:,} / {dataset.campaigns:,}",
        )
    )
    section.add(
        Row(
            "generation (seed-demo generator)",
            f"{dataset.generation_seconds / 60:.1f} min, {dataset.events_per_second:,.0f} events/s",
        )
    )
    return dataset


def probe_args(run: Run, **extra: Any) -> dict[str, Any]:
    return {
        "data_dir": str(run.settings.data_dir),
        "database_url": run.settings.database_url,
        **extra,
    }


def rebuild(run: Run) -> None:
    run.progress("rebuilding every projection (and the raw read-and-decode baseline)")
    result = run_probe("rebuild", probe_args(run), run.env, run.logs)
    head = result["head"]
    raw_rate = result["decoded"] / result["raw_seconds"]
    rebuild_rate = head / result["rebuild_seconds"]
    share = ratio(rebuild_rate, raw_rate)
    section = run.section("5. Projections")
    section.add(
        Row(
            f"full rebuild, {len(result['projections'])} projections",
            f"{rebuild_rate:,.0f} events/s ({result['rebuild_seconds']:.0f} s for {head:,})",
            f"read + decode only: {raw_rate:,.0f} events/s ({result['raw_seconds']:.0f} s)",
            f"{share:.2f}×",
            "≥ 0.25×",
            share >= 0.25,
        )
    )
    by_time = sorted(result["projection_seconds"].items(), key=lambda item: -item[1])
    for projection, seconds in by_time:
        section.add(Row(f"— time in {projection}'s batch transactions", f"{seconds:.1f} s"))
    run.section("7. Memory").add(
        Row("rebuild process peak RSS (VmHWM)", f"{result['peak_rss_mb']:.0f} MB")
    )
    sizes = store_bytes(run.settings)
    data = run.section("Data")
    data.add(Row("event store on disk", _mb(sizes["events"])))
    data.add(Row("read models on disk (after the rebuild)", _mb(sizes["read_models"])))


def pairs_for(run: Run, count: int) -> tuple[list[Pair], list[str]]:
    found = run_probe(
        "parties", probe_args(run, brands=200, creators=count, scan=200_000), run.env, run.logs
    )
    brands, creators = found["brands"], found["creators"]
    if not brands or not creators:
        raise RuntimeError("the store has no brands or creators to write for")
    pairs = [Pair(brands[i % len(brands)], creators[i]) for i in range(len(creators))]
    return pairs, brands


def write_baselines(run: Run, pairs: list[Pair]) -> WriteBaselines:
    run.progress("write baselines (the eventsourcing library alone, the application service)")
    bounds = {"seconds": run.plan.seconds, "max_writes": run.plan.max_requests}
    service = run_probe(
        "writes",
        probe_args(run, pairs=[(p.brand_id, p.creator_id) for p in pairs], **bounds),
        run.env,
        run.logs,
    )
    found: dict[int, list[float]] = {threads: [] for threads in LIBRARY_THREADS}
    for _ in range(run.plan.repeats):
        library = run_probe(
            "library",
            probe_args(run, scratch=str(run.logs), threads=list(LIBRARY_THREADS), **bounds),
            run.env,
            run.logs,
        )
        for threads in LIBRARY_THREADS:
            found[threads].append(library[str(threads)]["rate"])
    return WriteBaselines(
        library={threads: statistics.median(rates) for threads, rates in found.items()},
        service=float(service["rate"]),
    )


def long_campaigns(run: Run, pair: Pair) -> dict[str, str]:
    run.progress(f"writing two campaigns of {run.plan.replay_events} events for replay")
    result = run_probe(
        "long_campaigns",
        probe_args(run, pairs=[(pair.brand_id, pair.creator_id)], events=run.plan.replay_events),
        run.env,
        run.logs,
    )
    return {k: result[k] for k in ("with_snapshots", "without_snapshots")}


# --- the whole run ---------------------------------------------------------------------
@dataclass
class Served:
    """What the run carries from one served process to the next."""

    run: Run
    secret: str
    brands: list[str]
    pairs: list[Pair]
    shapes: ShapeFigures = field(default_factory=ShapeFigures)
    baseline: Started | None = None
    client_kind: str = "raw"

    def http(self, api: Started) -> Http:
        return Http(self.run, api, self.secret, self.client_kind)


async def _cache_off(served: Served, api: Started) -> None:
    """Record the shapes, start and check the baselines, measure them and this API."""
    run = served.run
    http = served.http(api)
    admin = http.token(Role.ADMIN, "bench-admin")
    run.progress("waiting for the projections to catch up")
    await wait_caught_up(http, admin, CATCH_UP_TIMEOUT)
    await record_samples(http, served.brands, admin, served.shapes)
    samples_file = run.logs / "read-samples.json"
    samples_file.write_text(json.dumps(served.shapes.samples), encoding="utf-8")
    served.baseline = start_server(
        "baselines", BASELINE_FACTORY, {SAMPLES_ENV: str(samples_file)}, run.logs
    )
    run.started.append(served.baseline)
    await check_baselines(http, served.baseline, served.shapes.samples)
    await calibrate_client(http, served.baseline, served.shapes.samples)
    served.client_kind = http.client_kind
    await measure_baselines(http, served.baseline, served.shapes)
    await measure_api(http, served.shapes, CACHE_OFF)


async def _cache_on(
    served: Served, api: Started, baselines: WriteBaselines, long: dict[str, str]
) -> None:
    run = served.run
    http = served.http(api)
    admin = http.token(Role.ADMIN, "bench-admin")
    run.progress("waiting for the projections to catch up")
    await wait_caught_up(http, admin, CATCH_UP_TIMEOUT)
    await measure_api(http, served.shapes, CACHE_ON)
    report_shapes(http, served.shapes)
    capacity = await write_benchmarks(http, served.pairs[:WRITERS], baselines, admin)
    mix = await build_mix(http, served.brands)
    await read_mix(http, mix, served.pairs[MIX_WRITERS], capacity)
    await replay(http, long, run.plan.replay_events)


def _serve(run: Run, name: str, env: dict[str, str]) -> Started:
    run.progress(f"starting the API under uvicorn ({name})")
    api = start_server(name, API_FACTORY, env, run.logs)
    run.started.append(api)
    return api


def run_bench(run: Run) -> None:
    """Every section into ``run.sections``; stops whatever it started."""
    dataset = prepare_data(run)
    pairs, brands = pairs_for(run, 120)
    if len(pairs) < LONG + 2:
        raise RuntimeError(f"the data set has {len(pairs)} creators; the bench needs {LONG + 2}")
    rebuild(run)
    baselines = write_baselines(run, pairs[SERVICE])
    long = long_campaigns(run, pairs[LONG])
    secret = run.env.get("LEDGER_JWT_SECRET") or _embedded_secret(run.settings)
    served = Served(run, secret, brands, pairs)
    try:
        if run.settings.backend == "postgres":
            run.started.append(start_worker(run.env, run.logs))
        cache_off = _serve(run, "api-cache-off", {**run.env, RESPONSE_CACHE_ENV: "0"})
        asyncio.run(_cache_off(served, cache_off))
        peaks = {"API process, response cache off": cache_off.peak_rss_mb()}
        cache_off.stop()
        api = _serve(run, "api", run.env)
        asyncio.run(_cache_on(served, api, baselines, long))
        peaks = {"API process": api.peak_rss_mb(), **peaks}
        memory = run.section("7. Memory")
        for label, peak in peaks.items():
            memory.add(
                Row(
                    f"{label} peak RSS (VmHWM) through its part of the run",
                    f"{peak:.0f} MB",
                    bar="≤ 300 MB",
                    met=peak <= 300,
                )
            )
        worker = next((p for p in run.started if p.name == "projection-worker"), None)
        if worker is not None:
            worker_peak = worker.peak_rss_mb()
            memory.add(
                Row(
                    "projection worker (`campaign-ledger project`) peak RSS (VmHWM)",
                    f"{worker_peak:.0f} MB",
                    bar="≤ 300 MB",
                    met=worker_peak <= 300,
                )
            )
        else:
            memory.notes.append(
                "On SQLite the projections run in a thread of the API process, so the API "
                "figure includes the projection worker."
            )
        memory.notes.append(f"Data set: {dataset.events:,} events.")
    finally:
        for started in reversed(run.started):
            started.stop()


def _embedded_secret(settings: Settings) -> str:
    from graphql_api.http.signing_key import resolve_jwt_secret

    return resolve_jwt_secret(settings)
