"""One bench run on one backend: data, probes, servers, load, and the report."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

import psycopg

from domain.context import Role
from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.api_http import Http, ratio, wait_caught_up
from graphql_api.cli.bench.baseline import SAMPLES_ENV
from graphql_api.cli.bench.dataset import Dataset, generate_dataset, load_dataset, store_bytes
from graphql_api.cli.bench.plan import Run
from graphql_api.cli.bench.processes import Started, run_probe, start_server, start_worker
from graphql_api.cli.bench.read_load import (
    calibrate_client,
    check_baselines,
    read_benchmarks,
    record_samples,
)
from graphql_api.cli.bench.replay_load import replay
from graphql_api.cli.bench.report import Row
from graphql_api.cli.bench.workflow import Pair
from graphql_api.cli.bench.write_load import read_your_writes, write_benchmarks

API_FACTORY = "graphql_api.http.server:create_server_app"
BASELINE_FACTORY = "graphql_api.cli.bench.baseline:create_baseline_app"
CATCH_UP_TIMEOUT = 1800.0


def server_env(settings: Settings) -> dict[str, str]:
    env = {"LEDGER_DATA_DIR": str(settings.data_dir.resolve()), "LEDGER_LOG_LEVEL": "WARNING"}
    if settings.database_url:
        env["LEDGER_DATABASE_URL"] = settings.database_url
        env["LEDGER_JWT_SECRET"] = settings.jwt_secret or secrets.token_urlsafe(48)
    return env


def ensure_database(settings: Settings) -> str | None:
    """Create the PostgreSQL database if missing; the server's version."""
    if settings.backend != "postgres":
        return None
    target = settings.postgres
    admin = target.conninfo().replace(f"dbname='{target.dbname}'", "dbname='postgres'")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (target.dbname,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{target.dbname}"')
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else None


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
    section = run.section("3. Projections")
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
    run.section("6. Memory").add(
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


def raw_writes(run: Run, pairs: list[Pair]) -> float:
    run.progress("raw write baseline (application service, no HTTP)")
    result = run_probe(
        "writes",
        probe_args(
            run,
            pairs=[(p.brand_id, p.creator_id) for p in pairs],
            seconds=run.plan.seconds,
            max_writes=run.plan.max_requests,
        ),
        run.env,
        run.logs,
    )
    rate: float = result["rate"]
    return rate


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
async def _over_http(
    run: Run,
    api: Started,
    secret: str,
    brands: list[str],
    pairs: list[Pair],
    raw_rate: float,
    long: dict[str, str],
) -> None:
    http = Http(run, api, secret)
    admin = http.token(Role.ADMIN, "bench-admin")
    run.progress("waiting for the projections to catch up")
    await wait_caught_up(http, admin, CATCH_UP_TIMEOUT)
    samples, tokens = await record_samples(http, brands, admin)
    samples_file = run.logs / "read-samples.json"
    samples_file.write_text(json.dumps(samples), encoding="utf-8")
    baseline = start_server(
        "baselines", BASELINE_FACTORY, {SAMPLES_ENV: str(samples_file)}, run.logs
    )
    run.started.append(baseline)
    try:
        await check_baselines(http, baseline, samples)
        await calibrate_client(http, baseline, samples)
        await read_benchmarks(http, baseline, samples, tokens)
    finally:
        baseline.stop()
    await write_benchmarks(http, pairs[:41], raw_rate, admin)
    await read_your_writes(http, pairs[41])
    await replay(http, long, run.plan.replay_events)


def run_bench(run: Run) -> None:
    """Every section into ``run.sections``; stops whatever it started."""
    dataset = prepare_data(run)
    pairs, brands = pairs_for(run, 120)
    if len(pairs) < 44:
        raise RuntimeError(f"the data set has {len(pairs)} creators; the bench needs 44")
    rebuild(run)
    raw_rate = raw_writes(run, pairs[43:])
    long = long_campaigns(run, pairs[42])
    run.progress("starting the API under uvicorn")
    api = start_server("api", API_FACTORY, run.env, run.logs)
    run.started.append(api)
    worker = None
    if run.settings.backend == "postgres":
        worker = start_worker(run.env, run.logs)
        run.started.append(worker)
    secret = run.env.get("LEDGER_JWT_SECRET") or _embedded_secret(run.settings)
    try:
        asyncio.run(_over_http(run, api, secret, brands, pairs, raw_rate, long))
        memory = run.section("6. Memory")
        api_peak = api.peak_rss_mb()
        memory.add(
            Row(
                "API process peak RSS (VmHWM) through the run",
                f"{api_peak:.0f} MB",
                bar="≤ 300 MB",
                met=api_peak <= 300,
            )
        )
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
