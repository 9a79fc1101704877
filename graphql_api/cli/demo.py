"""``seed-demo``: a deterministic demo market, generated through the application service."""

from __future__ import annotations

import argparse

from domain.infrastructure.settings import Settings
from graphql_api.cli.progress import progress_reporter
from graphql_api.cli.subcommand import Subcommand, argument, positive_int
from graphql_api.demo import MarketSize, seed_demo


def seed(args: argparse.Namespace) -> int:
    size = MarketSize(
        creators=args.creators,
        brands=args.brands,
        campaigns=args.campaigns,
        seed=args.seed,
        days=args.days,
    )
    with progress_reporter() as report:
        stats = seed_demo(
            Settings.from_env(), size, lambda done, total: report("campaigns", done, total)
        )
    print(
        f"seeded {stats.brands} brands, {stats.creators} creators, {stats.campaigns} campaigns: "
        f"{stats.commands} commands, store head {stats.events}, {stats.seconds:.1f} s"
        + (f", {stats.refused} refused" if stats.refused else "")
    )
    return 0


SEED_DEMO = Subcommand(
    name="seed-demo",
    help="generate a realistic Indonesian nano-influencer market (same seed, same events)",
    handler=seed,
    arguments=(
        argument("--creators", type=positive_int, default=MarketSize.creators),
        argument("--brands", type=positive_int, default=MarketSize.brands),
        argument("--campaigns", type=positive_int, default=MarketSize.campaigns),
        argument("--seed", type=int, default=MarketSize.seed),
        argument("--days", type=positive_int, default=MarketSize.days, help="simulated days"),
    ),
)
