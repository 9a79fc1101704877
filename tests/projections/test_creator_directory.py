"""The creator directory and its search, driven through the real Ledger on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from domain.application.commands import CancelCampaign, DeclareCauses
from domain.catalog import CompensationKind, ContentFormat, CreatorType, Origin, Platform, Tier
from domain.money import Money
from projections.creator_directory.projection import CreatorDirectory
from projections.creator_directory.queries import RateLine, directory_entries
from projections.creator_directory.search import DirectoryOrder, search_creators
from projections.reputation.projection import CreatorReputationProjection
from projections.reputation.queries import creator_reputations
from projections.store.pages import InvalidPageRequest
from tests.ledger_driver import LedgerDriver

IG, TT, YT = "INSTAGRAM", "TIKTOK", "YOUTUBE"


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(CreatorDirectory(), CreatorReputationProjection())


def handles(world: LedgerDriver, **query: Any) -> list[str]:
    """Handles in result order, checking the total count on the way."""
    page = search_creators(world.store, first=100, **query)
    assert page.total_count == len(page.edges)
    return [entry.handle for entry in page.items]


def matches(world: LedgerDriver, **query: Any) -> set[str]:
    return set(handles(world, **query))


def test_an_entry_mirrors_the_creators_profile_following_and_latest_rate_card(
    world: LedgerDriver,
) -> None:
    sari = world.creator(
        "sari.nano",
        display_name="Sari",
        niches=["Beauty", "skincare"],
        followers={IG: 4_200, TT: 1_500},
        origin="NON_NATIVE",
    )
    linked_at = world.clock()
    world.clock.advance(days=1)
    world.record_followers(sari, TT, 12_000)
    world.record_followers(sari, IG, 9_999, observed_at=linked_at - timedelta(days=3))
    world.ledger.execute(
        world.creator_ctx(sari), DeclareCauses(creator_id=sari, causes=["Ocean Plastic"])
    )
    world.rate_card(sari, (IG, "POST", "500000", "IDR"), (TT, "SHORT_VIDEO", "750000", "IDR"))
    world.rate_card(sari, (IG, "REEL", "650.50", "USD"))
    world.catch_up()

    entry = directory_entries(world.store, [sari, uuid4()])[sari]

    assert (entry.handle, entry.display_name, entry.origin, entry.country) == (
        "sari.nano",
        "Sari",
        Origin.NON_NATIVE,
        "ID",
    )
    assert (entry.niches, entry.causes, entry.languages) == (
        ("beauty", "skincare"),
        ("ocean plastic",),
        ("id",),
    )
    assert [(a.platform, a.followers) for a in entry.accounts] == [
        (Platform.TIKTOK, 12_000),
        (Platform.INSTAGRAM, 4_200),
    ]
    assert (entry.followers, entry.tier) == (12_000, Tier.MICRO)
    assert entry.creator_types == (
        CreatorType.NON_NATIVE,
        CreatorType.PURPOSE_DRIVEN,
        CreatorType.MULTI_PLATFORM,
    )
    assert entry.rate_card == (
        RateLine(
            Platform.INSTAGRAM,
            ContentFormat.REEL,
            Money(Decimal("650.5"), "USD"),
            CompensationKind.CASH,
        ),
    )
    assert entry.rate_card_version == 2
    assert entry.version == world.ledger.get_creator(sari).version
    assert world.read_side.verify() == []


def test_filters_by_tier_niche_platform_causes_and_text_combine(world: LedgerDriver) -> None:
    sari = world.creator("sari.nano", niches=["beauty"], followers={IG: 4_200})
    world.creator("budi.eats", niches=["food", "travel"], followers={IG: 800, TT: 25_000})
    world.creator("rina_rides", display_name="Rina Gowes", niches=["travel"], followers={YT: 950})
    world.ledger.execute(
        world.creator_ctx(sari), DeclareCauses(creator_id=sari, causes=["ocean plastic"])
    )
    world.catch_up()

    assert handles(world, order_by=DirectoryOrder.FOLLOWERS) == [
        "budi.eats",
        "sari.nano",
        "rina_rides",
    ]
    assert matches(world, tiers=[Tier.NANO]) == {"sari.nano"}
    assert matches(world, tiers=[Tier.NANO, Tier.EMERGING]) == {"rina_rides", "sari.nano"}
    assert matches(world, niches=["Travel "]) == {"budi.eats", "rina_rides"}
    assert matches(world, niches=["travel"], platforms=[Platform.TIKTOK]) == {"budi.eats"}
    assert matches(world, platforms=[Platform.INSTAGRAM]) == {"budi.eats", "sari.nano"}
    assert matches(world, causes=["Ocean Plastic"]) == {"sari.nano"}
    assert matches(world, text="gowes") == {"rina_rides"}
    assert matches(world, text="_rides") == {"rina_rides"}
    assert matches(world, text="%") == set()
    assert matches(world, tiers=[Tier.MEGA]) == set()


def test_price_filters_and_order_use_matching_lines_in_the_currency(world: LedgerDriver) -> None:
    cheap = world.creator("cheap.one", followers={IG: 2_000, TT: 2_000})
    dear = world.creator("dear.one", followers={IG: 3_000})
    dollars = world.creator("dollar.one", followers={IG: 5_000})
    world.creator("no.card", followers={IG: 6_000})
    world.rate_card(cheap, (IG, "POST", "300000", "IDR"), (TT, "SHORT_VIDEO", "900000", "IDR"))
    world.rate_card(dear, (IG, "POST", "1500000", "IDR"), (IG, "STORY", "250000", "IDR"))
    world.rate_card(dollars, (IG, "POST", "40", "USD"))
    world.catch_up()

    post = ContentFormat.POST
    assert matches(world, format=post) == {"cheap.one", "dear.one"}
    assert matches(world, format=post, currency="usd") == {"dollar.one"}
    assert matches(world, format=post, price_max=Decimal("500000")) == {"cheap.one"}
    assert matches(world, price_min=Decimal("299999.995"), price_max=Decimal("300000")) == {
        "cheap.one"
    }
    assert matches(world, price_min=Decimal("800000"), platforms=[Platform.TIKTOK]) == {"cheap.one"}
    by_price = handles(world, order_by=DirectoryOrder.PRICE)
    assert by_price[:2] == ["dear.one", "cheap.one"]
    assert sorted(by_price[2:]) == ["dollar.one", "no.card"]
    assert handles(world, order_by=DirectoryOrder.PRICE, format=post) == ["cheap.one", "dear.one"]
    assert handles(world, order_by=DirectoryOrder.PRICE, platforms=[Platform.TIKTOK]) == [
        "cheap.one"
    ]


@pytest.mark.parametrize("descending", [None, True, False], ids=["natural", "desc", "asc"])
def test_pages_of_a_sort_order_cover_every_creator_once(
    world: LedgerDriver, descending: bool | None
) -> None:
    for number, count in enumerate([5_000, 12_000, 5_000, 800, 5_000, 40_000, 1_200]):
        creator_id = world.creator(f"creator.{number}", followers={IG: count})
        if number % 3:
            world.rate_card(creator_id, (IG, "POST", str(100_000 * (number % 4 + 1)), "IDR"))
    world.catch_up()

    for order in DirectoryOrder:
        everyone = handles(world, order_by=order, descending=descending)
        seen: list[str] = []
        after = None
        while True:
            page = search_creators(
                world.store, order_by=order, descending=descending, first=3, after=after
            )
            assert page.total_count == 7
            seen.extend(entry.handle for entry in page.items)
            if not page.has_next:
                break
            after = page.end_cursor
        assert seen == everyone
        assert sorted(seen) == [f"creator.{number}" for number in range(7)]

    followers_cursor = search_creators(world.store, first=1, order_by=DirectoryOrder.FOLLOWERS)
    with pytest.raises(InvalidPageRequest):
        search_creators(
            world.store, first=1, order_by=DirectoryOrder.PRICE, after=followers_cursor.end_cursor
        )


def test_a_cursor_continues_only_the_direction_it_came_from(world: LedgerDriver) -> None:
    for number in range(3):
        world.creator(f"creator.{number}", followers={IG: 1_000 * (number + 1)})
    world.catch_up()

    for order in DirectoryOrder:
        natural = search_creators(world.store, first=1, order_by=order)
        opposite = search_creators(
            world.store, first=1, order_by=order, descending=not order.natural_descending
        )
        stated = search_creators(
            world.store, first=2, order_by=order, descending=order.natural_descending
        )
        assert stated.edges[0] == natural.edges[0], "the natural direction stated is the same"
        with pytest.raises(InvalidPageRequest):
            search_creators(
                world.store,
                first=1,
                order_by=order,
                descending=not order.natural_descending,
                after=natural.end_cursor,
            )
        with pytest.raises(InvalidPageRequest):
            search_creators(world.store, first=1, order_by=order, after=opposite.end_cursor)


def test_followers_and_price_orders_reverse_keeping_creators_without_a_price_last(
    world: LedgerDriver,
) -> None:
    cheap = world.creator("cheap.one", followers={IG: 2_000})
    dear = world.creator("dear.one", followers={IG: 30_000})
    middle = world.creator("middle.one", followers={IG: 9_000})
    world.creator("no.card", followers={IG: 600})
    world.creator("no.card.either", followers={IG: 50_000})
    world.rate_card(cheap, (IG, "POST", "300000", "IDR"))
    world.rate_card(dear, (IG, "POST", "1500000", "IDR"))
    world.rate_card(middle, (IG, "POST", "700000", "IDR"), (IG, "STORY", "50", "USD"))
    world.catch_up()

    assert handles(world, order_by=DirectoryOrder.FOLLOWERS, descending=False) == [
        "no.card",
        "cheap.one",
        "middle.one",
        "dear.one",
        "no.card.either",
    ]
    by_price = handles(world, order_by=DirectoryOrder.PRICE, descending=True)
    assert by_price[:3] == ["dear.one", "middle.one", "cheap.one"]
    assert sorted(by_price[3:]) == ["no.card", "no.card.either"]
    ascending = handles(world, order_by=DirectoryOrder.PRICE, descending=False)
    assert ascending[:3] == ["cheap.one", "middle.one", "dear.one"]
    assert handles(world, order_by=DirectoryOrder.PRICE) == ascending
    in_dollars = handles(world, order_by=DirectoryOrder.PRICE, descending=True, currency="USD")
    assert in_dollars[0] == "middle.one"


def test_a_creator_moves_tier_when_its_largest_following_changes(world: LedgerDriver) -> None:
    sari = world.creator("sari.nano", followers={IG: 9_500})
    world.catch_up()
    assert matches(world, tiers=[Tier.NANO]) == {"sari.nano"}

    world.clock.advance(days=30)
    world.record_followers(sari, IG, 10_400)
    world.catch_up()

    assert matches(world, tiers=[Tier.NANO]) == set()
    assert matches(world, tiers=[Tier.MICRO]) == {"sari.nano"}
    assert directory_entries(world.store, [sari])[sari].followers == 10_400


def test_score_order_follows_reputation_and_min_score_the_shown_score(world: LedgerDriver) -> None:
    brand = world.brand()
    star = world.creator("star.nano")
    flaky = world.creator("flaky.nano")
    world.creator("newcomer")
    done = world.pitch(brand, star)
    world.conclude(done)
    world.clock.advance(days=1)
    world.post(done)
    world.complete(done)
    dropped = world.pitch(brand, flaky)
    world.conclude(dropped)
    world.ledger.execute(
        world.creator_ctx(flaky), CancelCampaign(campaign_id=dropped, reason="too busy")
    )
    world.catch_up()
    reputations = creator_reputations(world.store, [star, flaky])
    star_score, flaky_score = (reputations[str(c)].score for c in (star, flaky))
    assert star_score is not None
    assert flaky_score is not None
    assert star_score > flaky_score

    assert handles(world) == ["star.nano", "flaky.nano", "newcomer"]
    assert handles(world, descending=True) == ["star.nano", "flaky.nano", "newcomer"]
    assert handles(world, descending=False) == ["flaky.nano", "star.nano", "newcomer"]
    assert handles(world, descending=False, min_score=flaky_score) == ["flaky.nano", "star.nano"]
    assert handles(world, min_score=star_score) == ["star.nano"]
    assert matches(world, min_score=flaky_score) == {"flaky.nano", "star.nano"}
    assert matches(world, min_score=100.1) == set()
