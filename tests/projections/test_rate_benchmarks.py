"""Rate benchmarks, driven through the real Ledger on every backend.

Quartiles are checked against numbers computed by hand with linear
interpolation between closest ranks: position h = (n − 1)·q, value
x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from domain.application.commands import CounterOffer, DeclinePitch
from domain.catalog import ContentFormat, Platform, Tier
from projections.rate_benchmarks.projection import RateBenchmarks
from projections.rate_benchmarks.queries import Distribution, rate_benchmarks
from tests.ledger_driver import LedgerDriver

IG = "INSTAGRAM"


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(RateBenchmarks())


def benchmark_of(
    world: LedgerDriver, platform: str, format: str, tier: Tier, currency: str = "IDR"
) -> tuple[Distribution | None, Distribution | None]:
    found = [
        b
        for b in rate_benchmarks(
            world.store, platform=Platform(platform), format=ContentFormat(format), tier=tier
        )
        if b.currency == currency
    ]
    if not found:
        return None, None
    (benchmark,) = found
    return benchmark.rate_card, benchmark.agreed_fee


def test_rate_card_quartiles_interpolate_between_closest_ranks(world: LedgerDriver) -> None:
    for number, price in enumerate(["400000", "100000", "800000", "200000"]):
        creator = world.creator(f"nano.{number}", followers={IG: 2_000 + number})
        world.rate_card(creator, (IG, "POST", price, "IDR"), (IG, "STORY", "50000", "IDR"))
    for number, price in enumerate(["100000", "100001", "250000"]):
        creator = world.creator(f"micro.{number}", followers={IG: 20_000})
        world.rate_card(creator, (IG, "POST", price, "IDR"))
    dollars = world.creator("dollar.one", followers={IG: 3_000})
    world.rate_card(dollars, (IG, "POST", "40", "USD"))
    world.catch_up()

    # n = 4 of 100k, 200k, 400k, 800k: h = 0.75, 1.5, 2.25
    assert benchmark_of(world, IG, "POST", Tier.NANO) == (
        Distribution(sample_count=4, p25="175000", median="300000", p75="500000"),
        None,
    )
    # n = 3 of 100000, 100001, 250000: h = 0.5, 1, 1.5 (exact; rounded only for display)
    assert benchmark_of(world, IG, "POST", Tier.MICRO)[0] == Distribution(
        sample_count=3, p25="100000.5", median="100001", p75="175000.5"
    )
    assert benchmark_of(world, IG, "POST", Tier.NANO, "USD")[0] == Distribution(
        sample_count=1, p25="40", median="40", p75="40"
    )
    assert benchmark_of(world, IG, "STORY", Tier.NANO)[0] == Distribution(
        sample_count=4, p25="50000", median="50000", p75="50000"
    )

    listed = [(b.platform, b.format, b.tier, b.currency) for b in rate_benchmarks(world.store)]
    assert listed == [
        (Platform.INSTAGRAM, ContentFormat.POST, Tier.NANO, "IDR"),
        (Platform.INSTAGRAM, ContentFormat.POST, Tier.NANO, "USD"),
        (Platform.INSTAGRAM, ContentFormat.POST, Tier.MICRO, "IDR"),
        (Platform.INSTAGRAM, ContentFormat.STORY, Tier.NANO, "IDR"),
    ]
    assert [b.tier for b in rate_benchmarks(world.store, tier=Tier.MICRO)] == [Tier.MICRO]
    assert rate_benchmarks(world.store, format=ContentFormat.REEL) == []
    assert rate_benchmarks(world.store, platform=Platform.TIKTOK) == []
    assert len(rate_benchmarks(world.store, currency="usd")) == 1
    assert world.read_side.verify() == []


def test_a_new_rate_card_replaces_the_creators_previous_samples(world: LedgerDriver) -> None:
    sari = world.creator("sari.nano")
    world.rate_card(sari, (IG, "POST", "500000", "IDR"))
    world.rate_card(sari, (IG, "REEL", "700000", "IDR"))
    world.catch_up()

    assert benchmark_of(world, IG, "POST", Tier.NANO) == (None, None)
    assert benchmark_of(world, IG, "REEL", Tier.NANO)[0] == Distribution(
        1, "700000", "700000", "700000"
    )


def test_agreed_fees_are_cash_per_unit_for_each_deliverable_of_concluded_agreements(
    world: LedgerDriver,
) -> None:
    brand = world.brand()
    sari = world.creator("sari.nano", followers={IG: 4_200})
    two_formats = world.pitch(
        brand,
        sari,
        cash="900000",
        deliverables=[
            {"platform": IG, "format": "POST", "deliverable_id": "d1"},
            {"platform": IG, "format": "STORY", "deliverable_id": "d2", "quantity": 2},
        ],
    )
    world.conclude(two_formats)
    thirds = world.pitch(
        brand,
        sari,
        cash="1000000",
        deliverables=[{"platform": IG, "format": "POST", "quantity": 3}],
    )
    world.ledger.execute(
        world.creator_ctx(sari),
        CounterOffer(
            campaign_id=thirds,
            terms=world.terms(
                cash="1000000", deliverables=[{"platform": IG, "format": "POST", "quantity": 2}]
            ),
            message="Two posts, not three",
        ),
    )
    world.conclude(thirds)
    odd_units = world.pitch(
        brand,
        sari,
        cash="1000000",
        deliverables=[{"platform": IG, "format": "POST", "quantity": 3}],
    )
    world.conclude(odd_units)
    world.conclude(world.pitch(brand, sari, cash=None))
    world.pitch(brand, sari, cash="5000000")
    declined = world.pitch(brand, sari, cash="7000000")
    world.ledger.execute(world.creator_ctx(sari), DeclinePitch(campaign_id=declined))
    world.catch_up()

    # POST per unit: 900000 / 3 = 300000, 1000000 / 2 = 500000, 1000000 / 3 = 333333.33
    assert benchmark_of(world, IG, "POST", Tier.NANO) == (
        None,
        Distribution(sample_count=3, p25="316666.665", median="333333.33", p75="416666.665"),
    )
    assert benchmark_of(world, IG, "STORY", Tier.NANO)[1] == Distribution(
        1, "300000", "300000", "300000"
    )
    assert world.read_side.verify() == []


def test_tier_changes_move_rate_card_samples_but_not_agreed_fees(world: LedgerDriver) -> None:
    brand = world.brand()
    sari = world.creator("sari.nano", followers={IG: 9_500})
    world.rate_card(sari, (IG, "POST", "600000", "IDR"))
    world.conclude(world.pitch(brand, sari, cash="550000"))
    world.catch_up()
    nano_card = Distribution(1, "600000", "600000", "600000")
    nano_fee = Distribution(1, "550000", "550000", "550000")
    assert benchmark_of(world, IG, "POST", Tier.NANO) == (nano_card, nano_fee)

    world.clock.advance(days=20)
    world.record_followers(sari, IG, 10_400)
    world.catch_up()

    assert benchmark_of(world, IG, "POST", Tier.NANO) == (None, nano_fee)
    assert benchmark_of(world, IG, "POST", Tier.MICRO) == (nano_card, None)

    world.record_followers(sari, IG, 9_000, observed_at=world.clock() - timedelta(days=1))
    world.catch_up()
    assert benchmark_of(world, IG, "POST", Tier.MICRO)[0] == nano_card
    assert world.read_side.verify() == []
