"""Brand feedback, driven through the real Ledger on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.application.commands import DeclinePitch, WithdrawPitch
from domain.catalog import CampaignState
from domain.money import Money
from projections.brand_feedback.projection import BrandFeedbackProjection
from projections.brand_feedback.queries import (
    BrandFeedback,
    CurrencyCost,
    CurrencySpend,
    PaymentRecord,
    brand_feedback,
    brand_feedbacks,
)
from projections.formulas import Rate
from tests.ledger_driver import BRAND, CREATOR, LedgerDriver


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(BrandFeedbackProjection())


def feedback(world: LedgerDriver, brand_id: UUID) -> BrandFeedback:
    world.catch_up()
    found = brand_feedback(world.store, brand_id)
    assert found is not None
    return found


def delivered(world: LedgerDriver, brand: UUID, creator: UUID, **options: Any) -> UUID:
    campaign = world.campaign(brand, creator, due_in_days=30, **options)
    world.post(campaign)
    return campaign


def test_creators_ratings_of_a_brand_stay_sealed_until_revealed(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = delivered(world, brand, creator)
    world.feedback(
        campaign,
        CREATOR,
        {"payment_timeliness": 5, "creative_freedom": 3, "brief_clarity": 4, "communication": 4},
    )
    sealed = feedback(world, brand)
    assert (sealed.rating_count, sealed.overall_rating, sealed.dimension_ratings) == (0, None, ())
    assert sealed.would_work_again == Rate(0, 0)

    world.feedback(campaign, BRAND, 2)
    revealed = feedback(world, brand)
    assert revealed.rating_count == 1
    assert revealed.overall_rating == pytest.approx((17.5 + 4) / 6)
    ratings = revealed.dimension_ratings
    assert [r.dimension for r in ratings] == [
        "payment_timeliness",
        "creative_freedom",
        "brief_clarity",
        "communication",
    ]
    assert [r.average for r in ratings] == pytest.approx([22.5 / 6, 20.5 / 6, 21.5 / 6, 21.5 / 6])
    assert revealed.would_work_again == Rate(1, 1)
    assert (revealed.mean_rating_given, revealed.ratings_given) == (2.0, 1)


def test_a_harsh_rater_shows_in_its_mean_rating_given(world: LedgerDriver) -> None:
    harsh, lenient = world.brand("Harsh"), world.brand("Lenient")
    creators = [world.creator(name) for name in ("ana", "bea", "cici")]
    first, second = delivered(world, harsh, creators[0]), delivered(world, harsh, creators[1])
    world.feedback(
        first,
        BRAND,
        {
            "content_quality": 1,
            "communication": 2,
            "timeliness": 2,
            "authenticity": 2,
            "audience_fit": 1,
        },
    )
    world.feedback(first, CREATOR, 3)
    world.feedback(second, BRAND, 3)
    world.feedback(second, CREATOR, 3)
    world.feedback(delivered(world, harsh, creators[2]), BRAND, 1)  # sealed: not counted
    kind = delivered(world, lenient, creators[2])
    world.feedback(kind, BRAND, 5)
    world.feedback(kind, CREATOR, 5)

    harsh_view = feedback(world, harsh)
    assert harsh_view.mean_rating_given == pytest.approx(2.3)  # (1.6 + 3) / 2
    assert harsh_view.ratings_given == 2
    assert feedback(world, lenient).mean_rating_given == 5.0


def test_the_payment_record_counts_on_time_late_and_unpaid_overdue_payments(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    start = world.today()
    on_time, late5, late9, overdue = (delivered(world, brand, creator) for _ in range(4))
    product_only = delivered(world, brand, creator, cash=None)
    not_yet_due = world.campaign(brand, creator, due_in_days=30)
    paid_early = world.campaign(brand, creator, due_in_days=30)
    world.pay(paid_early, "500000")
    world.clock.advance(days=1)
    world.post(paid_early)  # due 15 days after start
    world.clock.advance(days=4)
    world.pay(on_time, "200000")
    world.clock.advance(days=5)
    world.pay(on_time, "300000")  # in full on day 10 of 14
    world.clock.advance(days=9)
    world.pay(late5, "500000")  # day 19: due on day 14
    world.clock.advance(days=1)
    world.post(not_yet_due)  # due on day 34
    world.clock.advance(days=3)
    world.pay(late9, "500000")  # day 23
    world.pay(overdue, "100000")

    found = feedback(world, brand)
    assert found.t_ref is not None
    assert found.t_ref.date() == start + timedelta(days=23)
    assert found.payments == PaymentRecord(
        due=6,
        paid_in_full=4,
        paid_on_time=2,
        unpaid_overdue=1,
        on_time=Rate(2, 5),
        median_days_late=7.0,
    )
    assert product_only

    world.clock.advance(days=12)  # day 35
    world.record_followers(creator, "INSTAGRAM", 4_300)  # any later event moves t_ref
    later = feedback(world, brand).payments
    assert (later.unpaid_overdue, later.on_time) == (2, Rate(2, 6))


def test_creative_freedom_signal_is_the_share_with_more_than_two_change_requests(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    for changes in (3, 2):
        campaign = world.campaign(brand, creator, approval_required=True)
        world.changes_then_approval(campaign, changes)
    world.campaign(brand, creator)
    world.campaign(brand, creator, concluded=False)

    assert feedback(world, brand).creative_freedom_signal == Rate(1, 3)


def test_campaigns_are_counted_by_state(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    world.campaign(brand, creator, concluded=False)
    declined = world.campaign(brand, creator, concluded=False)
    world.ledger.execute(
        world.creator_ctx(creator), DeclinePitch(campaign_id=declined, reason="busy")
    )
    withdrawn = world.campaign(brand, creator, concluded=False)
    world.ledger.execute(world.brand_ctx(brand), WithdrawPitch(campaign_id=withdrawn))
    world.accept(world.campaign(brand, creator, concluded=False))
    world.campaign(brand, creator)
    delivered(world, brand, creator)
    completed = delivered(world, brand, creator)
    world.feedback(completed, BRAND, 4)
    world.feedback(completed, CREATOR, 4)
    world.cancel(delivered(world, brand, creator), BRAND)

    by_state = {count.state: count.count for count in feedback(world, brand).campaigns_by_state}
    assert by_state == dict.fromkeys(CampaignState, 1)


def test_spend_is_committed_and_paid_per_currency(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    first = world.campaign(brand, creator, cash="500000")
    world.pay(first, "200000")
    world.cancel(world.campaign(brand, creator, cash="750000"), BRAND)
    world.campaign(brand, creator, cash="1000000", concluded=False)
    world.campaign(brand, creator, cash=None)
    dollars = world.campaign(brand, creator, cash="1200.50", currency="USD")
    world.pay(dollars, "1200.50", "USD")

    assert feedback(world, brand).spend == (
        CurrencySpend(Money(Decimal(1_250_000), "IDR"), Money(Decimal(200_000), "IDR")),
        CurrencySpend(Money(Decimal("1200.5"), "USD"), Money(Decimal("1200.5"), "USD")),
    )


def test_results_give_cost_per_engagement_and_cpm_per_currency(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    rupiah = world.campaign(brand, creator, units=(2,))
    world.post(rupiah)
    world.post(rupiah)
    world.snapshot(rupiah, 1, likes=1, reach=10, impressions=10)
    world.clock.advance(hours=1)
    world.snapshot(
        rupiah, 1, likes=200, comments=30, shares=5, saves=9, reach=3000, impressions=5000
    )
    world.snapshot(rupiah, 2, likes=56, reach=1000)
    world.pay(rupiah, "500000")
    dollars = world.campaign(brand, creator, cash="100", currency="USD")
    world.post(dollars)
    world.snapshot(dollars, reach=50)
    world.pay(dollars, "40", "USD")

    found = feedback(world, brand)
    assert (found.reach, found.impressions, found.engagements) == (4050, 5000, 300)
    assert found.costs == (
        CurrencyCost("IDR", Decimal(500_000), 300, 5000, Decimal(500_000) / 300, Decimal(100_000)),
        CurrencyCost("USD", Decimal(40), 0, 0, None, None),
    )


def test_sales_uplift_is_summed_per_currency_with_promo_redemptions(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = delivered(world, brand, creator)
    world.sales(campaign, "1000000", "1500000", redemptions=7)
    world.sales(campaign, "200000", "150000", redemptions=3)
    world.sales(campaign, "100", "250.25", "USD")

    found = feedback(world, brand)
    assert found.sales_uplift == (
        Money(Decimal(450_000), "IDR"),
        Money(Decimal("150.25"), "USD"),
    )
    assert found.promo_code_redemptions == 10
    assert world.read_side.verify() == []


def test_a_brand_without_campaigns_has_an_empty_record(world: LedgerDriver) -> None:
    brand = world.brand()
    found = feedback(world, brand)
    assert found.payments == PaymentRecord(0, 0, 0, 0, Rate(0, 0), None)
    assert (found.spend, found.costs, found.sales_uplift) == ((), (), ())
    assert (found.mean_rating_given, found.overall_rating, found.engagements) == (None, None, 0)
    assert found.t_ref is not None
    assert found.t_ref.date() == date(2026, 3, 2)
    assert brand_feedback(world.store, uuid4()) is None


def test_a_batch_reads_every_brand_as_it_would_alone(world: LedgerDriver) -> None:
    harsh, lenient, idle = world.brand("Harsh"), world.brand("Lenient"), world.brand("Idle")
    ana, bea = world.creator("ana"), world.creator("bea")
    rated = delivered(world, harsh, ana)
    world.snapshot(rated, likes=40, reach=900, impressions=1_200)
    world.pay(rated, "500000")
    world.feedback(rated, BRAND, 1)
    world.feedback(rated, CREATOR, 2)
    dollars = delivered(world, lenient, bea, cash="300", currency="USD")
    world.sales(dollars, "100", "180", "USD", redemptions=4)
    world.feedback(dollars, BRAND, 5)
    world.feedback(dollars, CREATOR, 5)
    world.campaign(lenient, ana, concluded=False)
    world.catch_up()
    alone = {str(b): brand_feedback(world.store, b) for b in (harsh, lenient, idle)}

    batch = brand_feedbacks(world.store, [idle, lenient, uuid4(), harsh, lenient])

    assert batch == alone
    assert (batch[str(harsh)].mean_rating_given, batch[str(lenient)].mean_rating_given) == (1, 5)
    assert [m.currency for m in batch[str(lenient)].sales_uplift] == ["USD"]
    assert (batch[str(harsh)].engagements, batch[str(lenient)].engagements) == (40, 0)
    assert sum(s.count for s in batch[str(lenient)].campaigns_by_state) == 2
    assert batch[str(idle)].rating_count == 0
    assert brand_feedbacks(world.store, []) == {}
