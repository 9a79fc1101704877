"""A realistic, deterministic Indonesian nano-influencer market, for demos and benchmarks.

Everything goes through the application service — registrations, pitches,
counter-offers, signatures, drafts with honest pros and cons, posts (some late,
some without disclosure), metric snapshots, giveaways with hundreds of entries,
prizes, reports, payments (some late, some never), double-blind feedback from
harsh and lenient raters — on a simulated clock, so the same seed always gives
the same events. Campaigns are interleaved in time by a scheduler and the
simulation stops at a cut-off, which leaves campaigns at every stage.

Nothing random may come from outside the seeded generator: ids come from
``new_id`` and each command's correlation id is derived from the seed and the
command's number, so two stores seeded alike export byte-identical events.

The modules: :mod:`~graphql_api.demo.market` (size, participants, clock,
scheduler), :mod:`~graphql_api.demo.participants` (brands, creators, briefs,
rate cards, followers), :mod:`~graphql_api.demo.campaigns` (pitch to
agreement), :mod:`~graphql_api.demo.work` (drafts, posts, giveaways),
:mod:`~graphql_api.demo.follow_up` (reports, payment, feedback) and
:mod:`~graphql_api.demo.vocabulary`. The market is built from the domain alone.
"""

from __future__ import annotations

import time
from datetime import timedelta

from domain.application import Ledger
from domain.infrastructure.bulk_load import bulk_settings, unsynced_commits
from domain.infrastructure.settings import Settings
from graphql_api.demo.campaigns import campaign
from graphql_api.demo.market import DAY, START, DemoMarket, DemoStats, MarketSize, Progress
from graphql_api.demo.participants import follower_updates, populate


def seed_demo(
    settings: Settings,
    size: MarketSize,
    progress: Progress | None = None,
    *,
    durable: bool = True,
) -> DemoStats:
    """Generates the market into the store ``settings`` points at; ``durable=False``
    commits without waiting for the disk (see
    :func:`~domain.infrastructure.bulk_load.unsynced_commits`)."""
    market = DemoMarket(size)
    if durable:
        return _run(
            market,
            Ledger(bulk_settings(settings), clock=market.clock, new_id=market.new_id),
            progress,
        )
    with unsynced_commits(settings) as prepare:
        ledger = Ledger(bulk_settings(settings), clock=market.clock, new_id=market.new_id)
        prepare(ledger)
        return _run(market, ledger, progress)


def _run(market: DemoMarket, ledger: Ledger, progress: Progress | None) -> DemoStats:
    began = time.perf_counter()
    market.ledger = ledger
    size = market.size
    try:
        populate(market)
        for number in range(size.campaigns):
            start = (
                START + DAY + timedelta(seconds=market.rng.uniform(0, (size.days - 40) * 86_400))
            )
            market.schedule(start, campaign(market))
            if progress and number % 500 == 0:
                progress(0, size.campaigns)
        for creator in market.creators:
            market.schedule(
                START + timedelta(days=market.rng.uniform(5, 30)), follower_updates(market, creator)
            )
        market.drain(progress)
        market.stats.events = ledger.head_position()
    finally:
        ledger.close()
    market.stats.seconds = time.perf_counter() - began
    return market.stats


__all__ = ["DemoStats", "MarketSize", "seed_demo"]
