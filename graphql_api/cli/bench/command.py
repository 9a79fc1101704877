"""``campaign-ledger bench``: measure what users feel against the baselines that
bound it, in one run, and write ``docs/benchmarks.md`` (see :mod:`graphql_api.cli.bench`).

The harness is imported only when ``bench`` runs: its HTTP client (httpx) comes
with the development extras, and every other command must work without them.
"""

from __future__ import annotations

import argparse
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
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/ledger_bench"
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
        from graphql_api.cli.bench.plan import Plan, Run
        from graphql_api.cli.bench.report import (
            SECTIONS,
            BackendReport,
            machine,
            versions,
            write_report,
        )
        from graphql_api.cli.bench.runner import ensure_database, run_bench, server_env
    except ModuleNotFoundError as missing:
        raise SystemExit(
            f"campaign-ledger: error: bench needs the development extras ({missing.name} is "
            "not installed): pip install 'campaign-ledger[dev]'"
        ) from None

    # httpx logs every request at INFO, which would slow the client being measured.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not 0 < args.duration <= MAX_DURATION:
        raise ValueError(f"--duration must be more than 0 and at most {MAX_DURATION:.0f} seconds")
    environment = Settings.from_env()
    backend = args.backend or environment.backend
    url = None
    if backend == "postgres":
        url = args.database_url or environment.database_url or DEFAULT_POSTGRES
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as scratch:
        data_dir = args.data_dir or (
            Path(scratch) / "data" if args.smoke else Path(f"var/bench-{backend}")
        )
        settings = replace(environment, data_dir=data_dir, database_url=url)
        postgres_version = ensure_database(settings)
        logs = data_dir / "bench-logs"
        plan = Plan.smoke() if args.smoke else Plan.full(args.duration)
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
            notes=run.notes,
        )
        write_report(args.output, report, PREAMBLE)
    _progress(f"wrote {args.output}")
    return 0


BENCH = Subcommand(
    name="bench",
    help=(
        "measure writes, reads, projections, read-your-writes, replay and memory against "
        "their baselines, and write the report"
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
            help=f"PostgreSQL (default: LEDGER_DATABASE_URL or {DEFAULT_POSTGRES})",
        ),
        argument("--duration", type=float, default=20.0, help="seconds per load step"),
        argument("--output", type=Path, default=Path("docs/benchmarks.md")),
        argument("--smoke", action="store_true", help="tiny data, short steps; checks nothing"),
    ),
)
