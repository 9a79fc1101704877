"""``campaign-ledger bench``: measure what users feel against the baselines that
bound it, in one run, and write ``docs/benchmarks.md`` (see :mod:`graphql_api.cli.bench`).

The harness is imported only when ``bench`` runs: its HTTP client (httpx) comes
with the development extras, and every other command must work without them.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import shlex
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from domain.infrastructure.settings import Settings
from graphql_api.cli.subcommand import Subcommand, argument, positive_int
from graphql_api.demo import MarketSize

MAX_DURATION = 600.0
MAX_REPEATS = 20
FRESH_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SMOKE_SIZE = MarketSize(creators=48, brands=4, campaigns=40)
PREAMBLE = (
    "Measured by `campaign-ledger bench` (see `graphql_api/cli/bench/`); every figure is "
    "from one run on the machine named, beside the baseline that bounds it, measured in "
    "the same run. Timing is never asserted by the test suite; `tests/bench` only runs "
    "`bench --smoke` so the bench cannot rot."
)


def _size(args: argparse.Namespace) -> MarketSize | None:
    if args.events is not None:
        from graphql_api.cli.bench.dataset import size_for_events

        return size_for_events(args.events)
    if args.campaigns or args.creators or args.brands:
        if not (args.campaigns and args.creators and args.brands):
            raise ValueError("--campaigns, --creators and --brands go together")
        return MarketSize(creators=args.creators, brands=args.brands, campaigns=args.campaigns)
    return SMOKE_SIZE if args.smoke else None


def _progress(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} bench: {message}", file=sys.stderr, flush=True)


def bench(args: argparse.Namespace) -> int:
    try:
        from graphql_api.cli.bench.databases import ensure_database, fresh_database
        from graphql_api.cli.bench.plan import Plan, Run
        from graphql_api.cli.bench.report import (
            SECTIONS,
            BackendReport,
            machine,
            versions,
            write_json,
            write_report,
        )
        from graphql_api.cli.bench.runner import run_bench, server_env
    except ModuleNotFoundError as missing:
        raise SystemExit(
            f"campaign-ledger: error: bench needs the development extras ({missing.name} is "
            "not installed): pip install 'campaign-ledger[dev]'"
        ) from None

    # httpx logs every request at INFO, which would slow the client being measured.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not 0 < args.duration <= MAX_DURATION:
        raise ValueError(f"--duration must be more than 0 and at most {MAX_DURATION:.0f} seconds")
    if not 0 < args.repeats <= MAX_REPEATS:
        raise ValueError(f"--repeats must be 1 to {MAX_REPEATS}")
    environment = Settings.from_env()
    backend = args.backend or environment.backend
    named = args.database_url or environment.database_url
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ledger-bench-")))
        url = None
        if backend == "postgres":
            url = named or stack.enter_context(fresh_database(FRESH_SERVER))
        fresh = backend == "postgres" and not named
        data_dir = args.data_dir or (
            scratch / "data" if args.smoke or fresh else Path(f"var/bench-{backend}")
        )
        settings = replace(environment, data_dir=data_dir, database_url=url)
        postgres_version = ensure_database(settings)
        logs = data_dir / "bench-logs"
        plan = (
            Plan.smoke()
            if args.smoke
            else Plan.full(args.duration, repeats=args.repeats, read_clients=args.clients)
        )
        run = Run(settings, _size(args), plan, logs, _progress, env=server_env(settings))
        began = time.time()
        run_bench(run)
        report = BackendReport(
            backend=backend,
            command="campaign-ledger " + shlex.join(sys.argv[1:]),
            started=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(began)),
            seconds=time.time() - began,
            machine=machine(),
            versions=versions(postgres_version),
            sections=[run.sections[t] for t in SECTIONS if t in run.sections],
            notes=run.notes
            + (
                ["PostgreSQL: a fresh database, created for this run and dropped after it."]
                if fresh
                else []
            ),
        )
        write_report(args.output, report, PREAMBLE)
        if args.json:
            write_json(args.json, report)
    _progress(f"wrote {args.output}" + (f" and {args.json}" if args.json else ""))
    return 0


BENCH = Subcommand(
    name="bench",
    help=(
        "measure the served path (a read mix with writes and the response cache's hit rate, "
        "read shapes with the cache on and off, writes, read-your-writes), projections, "
        "replay and memory against their baselines, and write the report"
    ),
    handler=bench,
    arguments=(
        argument("--backend", choices=("sqlite", "postgres"), help="default: from the environment"),
        argument("--events", type=positive_int, help="generate about this many events"),
        argument("--campaigns", type=positive_int),
        argument("--creators", type=positive_int),
        argument("--brands", type=positive_int),
        argument(
            "--data-dir",
            type=Path,
            help="the store (SQLite) or the bench's files (PostgreSQL); reused when it holds a "
            "data set from an earlier run",
        ),
        argument(
            "--database-url",
            help="PostgreSQL, reused if it holds the bench's data set (default: "
            "LEDGER_DATABASE_URL, else a fresh database on 127.0.0.1:5432 created for the run "
            "and dropped after it)",
        ),
        argument("--duration", type=float, default=20.0, help="seconds per load step"),
        argument(
            "--repeats",
            type=positive_int,
            default=3,
            help="repeats of each load step; the report gives their medians",
        ),
        argument(
            "--clients",
            type=positive_int,
            default=16,
            help="concurrent HTTP clients of the read mix",
        ),
        argument("--output", type=Path, default=Path("docs/benchmarks.md")),
        argument("--json", type=Path, help="also write the report as JSON to this file"),
        argument("--smoke", action="store_true", help="tiny data, short steps; checks nothing"),
    ),
)
