"""Campaign summaries and the brief listing, driven through the real Ledger on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.application.commands import (
    CancelCampaign,
    CloseBrief,
    CounterOffer,
    DeclinePitch,
    PublishBrief,
    RecordPayment,
    UpdateBrandProfile,
    WithdrawPitch,
)
from domain.catalog import CampaignState, Party
from domain.money import Money
from projections.brief_listing.projection import BriefListing
from projections.brief_listing.queries import brief_summaries, list_briefs
from projections.campaign_summaries.projection import CampaignSummaries
from projections.campaign_summaries.queries import (
    CampaignSummary,
    MetricTotals,
    campaign_summaries,
    list_campaigns,
)
from projections.store.pages import InvalidPageRequest
from tests.ledger_driver import LedgerDriver

S = CampaignState


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(CampaignSummaries(), BriefListing())


def only(world: LedgerDriver, **filters: Any) -> list[CampaignSummary]:
    return list_campaigns(world.store, first=100, **filters).items


def test_a_campaign_is_summarised_from_pitch_to_completion(world: LedgerDriver) -> None:
    brand = world.brand("Purela")
    creator = world.creator("sari.nano", display_name="Sari")
    pitched_at = world.clock()
    campaign = world.pitch(
        brand,
        creator,
        deliverables=[
            {"platform": "INSTAGRAM", "format": "POST", "deliverable_id": "d1"},
            {"platform": "TIKTOK", "format": "SHORT_VIDEO", "deliverable_id": "d2"},
        ],
    )
    world.catch_up()

    (pitched,) = only(world)
    assert pitched.campaign_id == campaign
    assert (pitched.brand_id, pitched.brand_name) == (brand, "Purela")
    assert (pitched.creator_id, pitched.creator_handle, pitched.creator_display_name) == (
        creator,
        "sari.nano",
        "Sari",
    )
    assert (pitched.state, pitched.pitched_by, pitched.offered_by) == (
        S.PITCHED,
        Party.BRAND,
        Party.BRAND,
    )
    assert (pitched.pitched_at, pitched.updated_at, pitched.version) == (pitched_at, pitched_at, 1)
    assert pitched.fee == Money(Decimal("500000"), "IDR")
    assert (pitched.units_due, pitched.units_published, pitched.metrics) == (2, 0, None)
    assert pitched.due_on == world.today() + timedelta(days=18)

    world.clock.advance(hours=2)
    _, creator_ctx = world.parties(campaign)
    world.ledger.execute(
        creator_ctx,
        CounterOffer(
            campaign_id=campaign,
            terms=world.terms(
                cash="750000",
                deliverables=[
                    {"platform": "INSTAGRAM", "format": "POST", "deliverable_id": "d1"},
                    {"platform": "INSTAGRAM", "format": "STORY", "deliverable_id": "d2"},
                ],
            ),
            message="A little more, please",
        ),
    )
    world.catch_up()
    (countered,) = only(world)
    assert (countered.state, countered.offered_by, countered.fee) == (
        S.PITCHED,
        Party.CREATOR,
        Money(Decimal("750000"), "IDR"),
    )
    assert (countered.version, countered.updated_at) == (2, world.clock())

    world.clock.advance(hours=1)
    world.accept(campaign)
    world.catch_up()
    assert only(world)[0].state is S.ACCEPTED

    concluded_at = world.clock.advance(hours=1)
    world.sign(campaign)
    world.clock.advance(days=1)
    world.post(campaign, "d1")
    first_post_at = world.clock()
    world.catch_up()
    (running,) = only(world)
    assert (running.state, running.concluded_at) == (S.CONCLUDED, concluded_at)
    assert (running.units_published, running.last_published_at) == (1, first_post_at)

    world.clock.advance(days=1)
    world.snapshot(
        campaign,
        deliverable_id="d1",
        followers=4_200,
        likes=100,
        comments=10,
        shares=5,
        saves=5,
        reach=3_000,
    )
    world.snapshot(
        campaign,
        deliverable_id="d1",
        followers=4_200,
        observed_at=world.clock() - timedelta(hours=12),
        likes=50,
        comments=1,
        reach=1_000,
    )
    world.post(campaign, "d2")
    world.snapshot(campaign, deliverable_id="d2", followers=4_300, likes=40, comments=4, views=900)
    delivered_at = world.clock()
    world.catch_up()
    (delivered,) = only(world)
    assert (delivered.state, delivered.delivered_at) == (S.DELIVERED, delivered_at)
    assert delivered.units_published == 2
    assert delivered.metrics == MetricTotals(
        posts_measured=2,
        followers=8_500,
        reach=3_000,
        impressions=None,
        views=900,
        likes=140,
        comments=14,
        shares=5,
        saves=5,
    )
    assert delivered.metrics is not None
    assert delivered.metrics.engagements == 164

    brand_ctx, _ = world.parties(campaign)
    for amount in ("500000", "249999"):
        world.ledger.execute(
            brand_ctx,
            RecordPayment(
                campaign_id=campaign,
                amount=Money.of(amount),
                paid_at=world.clock(),
                reference="TRX",
            ),
        )
    world.clock.advance(days=2)
    world.complete(campaign)
    world.catch_up()

    (completed,) = only(world)
    assert (completed.state, completed.completed_at) == (S.COMPLETED, world.clock())
    assert completed.paid == Money(Decimal(749999), "IDR")
    assert completed.last_paid_at == delivered_at
    assert completed.version == world.ledger.get_campaign(campaign).version
    assert world.read_side.verify() == []


def test_pitches_end_declined_withdrawn_or_cancelled_by_a_named_party(world: LedgerDriver) -> None:
    brand = world.brand()
    creator = world.creator("sari.nano")
    declined = world.pitch(brand, creator)
    withdrawn = world.pitch(brand, creator, by_creator=True)
    cancelled = world.pitch(brand, creator)
    _, creator_ctx = world.parties(declined)
    world.ledger.execute(creator_ctx, DeclinePitch(campaign_id=declined, reason="not my niche"))
    world.ledger.execute(creator_ctx, WithdrawPitch(campaign_id=withdrawn))
    world.conclude(cancelled)
    cancelled_at = world.clock.advance(days=1)
    world.ledger.execute(
        world.creator_ctx(creator), CancelCampaign(campaign_id=cancelled, reason="sick")
    )
    world.catch_up()

    summaries = campaign_summaries(world.store, [declined, withdrawn, cancelled, uuid4()])

    assert {k: s.state for k, s in summaries.items()} == {
        declined: S.DECLINED,
        withdrawn: S.WITHDRAWN,
        cancelled: S.CANCELLED,
    }
    assert (summaries[cancelled].cancelled_at, summaries[cancelled].cancelled_by) == (
        cancelled_at,
        Party.CREATOR,
    )
    assert summaries[withdrawn].pitched_by is Party.CREATOR
    assert summaries[declined].cancelled_by is None
    assert campaign_summaries(world.store, []) == {}


def test_campaigns_filter_by_brand_creator_brief_and_state_with_total_counts(
    world: LedgerDriver,
) -> None:
    purela, kopi = world.brand("Purela"), world.brand("Kopi Kita")
    sari, budi = world.creator("sari.nano"), world.creator("budi.eats", niches=["food"])
    brief = world.ledger.execute(
        world.brand_ctx(kopi),
        PublishBrief(
            brand_id=kopi,
            title="Coffee mornings",
            objective="awareness",
            starts_on=world.today(),
            ends_on=world.today() + timedelta(days=30),
        ),
    ).aggregate_id
    a = world.pitch(purela, sari)
    b = world.pitch(purela, budi)
    c = world.pitch(kopi, budi, by_creator=True, brief_id=brief)
    d = world.pitch(kopi, sari)
    world.conclude(b)
    world.conclude(c)
    world.catch_up()

    def ids(**filters: Any) -> set[UUID]:
        page = list_campaigns(world.store, first=100, **filters)
        assert page.total_count == len(page.edges)
        return {s.campaign_id for s in page.items}

    assert ids() == {a, b, c, d}
    assert ids(brand_id=purela) == {a, b}
    assert ids(creator_id=budi) == {b, c}
    assert ids(brief_id=brief) == {c}
    assert ids(states=[S.CONCLUDED]) == {b, c}
    assert ids(states=[S.PITCHED, S.CONCLUDED], brand_id=kopi) == {c, d}
    assert ids(states=[]) == {a, b, c, d}
    assert ids(brand_id=purela, creator_id=budi, states=[S.PITCHED]) == set()
    assert list_campaigns(world.store, brand_id=kopi, first=1).total_count == 2


def test_campaign_pages_run_newest_pitch_first_without_gaps_or_repeats(world: LedgerDriver) -> None:
    brand = world.brand()
    creator = world.creator("sari.nano")
    pitched = []
    for step in range(5):
        pitched.append((world.clock(), world.pitch(brand, creator)))
        if step != 2:
            world.clock.advance(minutes=5)
    world.catch_up()
    expected = [cid for _, cid in sorted(pitched, key=lambda p: (p[0], str(p[1])), reverse=True)]

    seen: list[UUID] = []
    after, pages = None, 0
    while True:
        page = list_campaigns(world.store, first=2, after=after)
        assert page.total_count == 5
        assert page.has_previous is (after is not None)
        seen.extend(s.campaign_id for s in page.items)
        pages += 1
        if not page.has_next:
            break
        after = page.end_cursor

    assert (seen, pages) == (expected, 3)
    empty = list_campaigns(world.store, first=0)
    assert (empty.edges, empty.total_count, empty.has_next, empty.end_cursor) == ((), 5, True, None)


def test_campaign_pages_refuse_foreign_or_broken_cursors_and_page_sizes(
    world: LedgerDriver,
) -> None:
    brand = world.brand()
    world.ledger.execute(
        world.brand_ctx(brand),
        PublishBrief(
            brand_id=brand,
            title="Glow",
            objective="sales",
            starts_on=world.today(),
            ends_on=world.today(),
        ),
    )
    world.catch_up()
    brief_cursor = list_briefs(world.store, first=1).end_cursor
    assert brief_cursor is not None

    for cursor in (brief_cursor, "not-a-cursor", "W10"):
        with pytest.raises(InvalidPageRequest):
            list_campaigns(world.store, first=1, after=cursor)
    for first in (-1, 101):
        with pytest.raises(InvalidPageRequest):
            list_campaigns(world.store, first=first)


def test_brand_renames_show_in_every_campaign_of_the_brand(world: LedgerDriver) -> None:
    brand = world.brand("Purela")
    creators = [world.creator(handle) for handle in ("sari.nano", "budi.eats")]
    for creator in creators:
        world.pitch(brand, creator)
    world.ledger.execute(
        world.brand_ctx(brand), UpdateBrandProfile(brand_id=brand, name="Purela Beauty")
    )
    world.catch_up()

    assert {s.brand_name for s in only(world)} == {"Purela Beauty"}
    assert world.read_side.verify() == []


def test_briefs_list_by_brand_and_by_whether_open_on_a_date(world: LedgerDriver) -> None:
    purela, kopi = world.brand("Purela"), world.brand("Kopi Kita")
    today = world.today()

    def publish(brand: UUID, title: str, days: int) -> UUID:
        result = world.ledger.execute(
            world.brand_ctx(brand),
            PublishBrief(
                brand_id=brand,
                title=title,
                objective="awareness",
                niches=["Beauty"],
                platforms=["INSTAGRAM"],
                budget=Money.of("5000000"),
                starts_on=today,
                ends_on=today + timedelta(days=days),
            ),
        )
        world.clock.advance(minutes=1)
        return result.aggregate_id

    short = publish(purela, "Ten days", 10)
    closed = publish(purela, "Closed early", 30)
    long = publish(kopi, "A month", 30)
    world.ledger.execute(
        world.brand_ctx(purela), CloseBrief(brief_id=closed, reason="enough creators")
    )
    world.catch_up()

    def titles(**filters: Any) -> list[str]:
        page = list_briefs(world.store, first=10, **filters)
        assert page.total_count == len(page.edges)
        return [b.title for b in page.items]

    assert titles() == ["A month", "Closed early", "Ten days"]
    assert titles(brand_id=purela) == ["Closed early", "Ten days"]
    assert titles(open_on=today) == ["A month", "Ten days"]
    assert titles(open_on=today + timedelta(days=20)) == ["A month"]
    summaries = brief_summaries(world.store, [short, closed, long])
    closed_brief = summaries[closed]
    assert closed_brief.closed_at is not None
    assert closed_brief.version == 2
    assert not closed_brief.is_open(today)
    assert summaries[short].is_open(today + timedelta(days=10))
    assert summaries[short].budget == Money(Decimal("5000000"), "IDR")
    assert summaries[short].niches == ("beauty",)
    assert summaries[long].ends_on == date.fromordinal(today.toordinal() + 30)
    assert world.read_side.verify() == []
