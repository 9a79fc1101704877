"""Follow-up: the creator's performance report, the brand's sales uplift, and payments
recorded with when they were made."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.application import Ledger
from domain.application.commands import (
    CancelCampaign,
    RecordPayment,
    ReportPerformance,
    ReportSalesUplift,
)
from domain.catalog import CampaignState, Party
from domain.errors import Forbidden, InvalidTransition, ValidationError
from domain.money import Money
from tests.domain.builders import Scenario, campaign_at, records_nothing, terms
from tests.support import FakeClock


def report_performance(scenario: Scenario, **changes: object) -> None:
    today = scenario.ledger.clock().date()
    values: dict[str, object] = {
        "period_start": today - timedelta(days=7),
        "period_end": today,
        "reach": 5_400,
        "impressions": 8_100,
        "engagements": 610,
        "clicks": 75,
        "followers_gained": -12,
    }
    values.update(changes)
    scenario.ledger.execute(
        scenario.creator(), ReportPerformance(campaign_id=scenario.campaign_id, **values)
    )


def pay(scenario: Scenario, amount: Money, reference: str = "TRX-1") -> None:
    scenario.ledger.execute(
        scenario.brand(),
        RecordPayment(
            campaign_id=scenario.campaign_id,
            amount=amount,
            paid_at=scenario.ledger.clock(),
            reference=reference,
        ),
    )


def test_the_creator_reports_performance(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    report_performance(scenario)

    reported = scenario.last_event()
    assert type(reported).__name__ == "PerformanceReported"
    assert (reported.reach, reported.engagements, reported.followers_gained) == (5_400, 610, -12)
    assert scenario.campaign().performance_reports == 1


def test_performance_needs_a_published_post(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CONCLUDED")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        report_performance(scenario)
    assert "nothing is published" in str(error.value)


def test_a_performance_period_is_ordered_and_not_in_the_future(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    today = clock().date()

    with records_nothing(ledger):
        with pytest.raises(ValidationError) as error:
            report_performance(scenario, period_start=today, period_end=today - timedelta(days=1))
        assert error.value.field == "period_end"
        with pytest.raises(ValidationError) as error:
            report_performance(
                scenario,
                period_start=today + timedelta(days=1),
                period_end=today + timedelta(days=2),
            )
        assert error.value.field == "period_start"
        with pytest.raises(ValidationError) as error:
            report_performance(scenario, reach=-5)
        assert error.value.field == "reach"


def test_the_brand_reports_sales_uplift(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    ledger.execute(
        scenario.brand(),
        ReportSalesUplift(
            campaign_id=scenario.campaign_id,
            baseline=Money.of("10000000"),
            during=Money.of("14500000"),
            promo_code_redemptions=37,
        ),
    )

    uplift = scenario.last_event()
    assert type(uplift).__name__ == "SalesUpliftReported"
    assert (uplift.baseline, uplift.during) == (Money.of("10000000"), Money.of("14500000"))
    assert (uplift.currency, uplift.promo_code_redemptions) == ("IDR", 37)


def test_sales_uplift_in_mismatched_currencies_is_refused(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            scenario.brand(),
            ReportSalesUplift(
                campaign_id=scenario.campaign_id,
                baseline=Money.of("1000000"),
                during=Money.of("80", "USD"),
            ),
        )
    assert error.value.field == "during.currency"


def test_each_side_reports_its_own_follow_up(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger):
        with pytest.raises(Forbidden):
            ledger.execute(
                scenario.brand(),
                ReportPerformance(
                    campaign_id=scenario.campaign_id,
                    period_start=clock().date(),
                    period_end=clock().date(),
                    reach=1,
                    impressions=1,
                    engagements=1,
                ),
            )
        with pytest.raises(Forbidden):
            ledger.execute(
                scenario.creator(),
                ReportSalesUplift(
                    campaign_id=scenario.campaign_id, baseline=Money.of("1"), during=Money.of("2")
                ),
            )
        with pytest.raises(Forbidden):
            ledger.execute(
                scenario.creator(),
                RecordPayment(
                    campaign_id=scenario.campaign_id,
                    amount=Money.of("1"),
                    paid_at=clock(),
                    reference="self-paid",
                ),
            )


def test_payments_are_recorded_with_when_they_were_paid(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    clock.advance(days=3)
    pay(scenario, Money.of("200000"), "TRX-1")
    clock.advance(days=10)
    pay(scenario, Money.of("300000"), "TRX-2")

    payments = [e for e in scenario.events() if type(e).__name__ == "PaymentRecorded"]
    assert [(p.amount, p.reference) for p in payments] == [
        (Money.of("200000"), "TRX-1"),
        (Money.of("300000"), "TRX-2"),
    ]
    assert payments[1].paid_at == clock()
    assert payments[1].paid_at - payments[0].paid_at == timedelta(days=10)
    assert scenario.campaign().paid == Money.of("500000")


def test_payment_is_due_after_the_last_publication(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "DELIVERED", campaign_terms=terms(payment_due_days=30))

    assert scenario.campaign().payment_due_on == clock().date() + timedelta(days=30)


def test_a_payment_may_be_recorded_in_the_past_but_not_the_future(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        ledger.execute(
            scenario.brand(),
            RecordPayment(
                campaign_id=scenario.campaign_id,
                amount=Money.of("1000"),
                paid_at=clock() + timedelta(hours=1),
                reference="TRX",
            ),
        )
    assert error.value.field == "paid_at"


def test_a_payment_in_another_currency_is_refused(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        pay(scenario, Money.of("30", "USD"))
    assert error.value.field == "amount.currency"


def test_paying_more_than_agreed_is_refused(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")
    pay(scenario, Money.of("400000"))

    with records_nothing(ledger), pytest.raises(ValidationError) as error:
        pay(scenario, Money.of("100001"), "TRX-2")
    assert error.value.field == "amount"
    pay(scenario, Money.of("100000"), "TRX-3")
    assert scenario.campaign().paid == Money.of("500000")


def test_a_payment_must_be_positive(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED")

    with records_nothing(ledger):
        for amount in (Decimal(0), Decimal(-1)):
            with pytest.raises(ValidationError) as error:
                pay(scenario, Money(amount, "IDR"))
            assert error.value.field == "amount"


def test_no_payment_is_recorded_under_terms_without_cash(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "DELIVERED", campaign_terms=terms(cash=None))

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        pay(scenario, Money.of("100000"))
    assert "no cash" in str(error.value)


def test_follow_up_continues_after_completion(ledger: Ledger, clock: FakeClock) -> None:
    scenario = campaign_at(ledger, "COMPLETED")
    clock.advance(days=20)

    pay(scenario, Money.of("500000"))
    report_performance(scenario)

    assert scenario.event_types()[-2:] == ["PaymentRecorded", "PerformanceReported"]
    assert scenario.campaign().state is CampaignState.COMPLETED


# --- a cancellation after delivery ------------------------------------------------------------


def _cancelled_after_delivery(ledger: Ledger) -> Scenario:
    scenario = campaign_at(ledger, "DELIVERED")
    ledger.execute(
        scenario.brand(), CancelCampaign(campaign_id=scenario.campaign_id, reason="budget cut")
    )
    return scenario


def test_delivered_work_is_still_paid_for_after_the_brand_cancels(ledger: Ledger) -> None:
    scenario = _cancelled_after_delivery(ledger)
    now = ledger.clock()
    assert scenario.campaign().allowed_actions(now, Party.BRAND) == [
        "recordPayment",
        "submitFeedback",
    ]

    ledger.execute(
        scenario.brand(),
        RecordPayment(
            campaign_id=scenario.campaign_id,
            amount=Money.of("500000"),
            paid_at=now,
            reference="TRX-9",
        ),
    )

    campaign = scenario.campaign()
    assert (campaign.state, campaign.paid) == (CampaignState.CANCELLED, Money.of("500000"))
    assert "recordPayment" not in campaign.allowed_actions(now, Party.BRAND)


def test_both_sides_still_rate_after_a_cancellation_that_follows_delivery(
    ledger: Ledger, clock: FakeClock
) -> None:
    scenario = _cancelled_after_delivery(ledger)

    scenario.submit_feedback("CREATOR")
    scenario.submit_feedback("BRAND")

    campaign = scenario.campaign()
    assert campaign.feedback_revealed
    assert campaign.state is CampaignState.CANCELLED  # revealed, but not completed
    assert scenario.event_types()[-2:] == ["FeedbackSubmitted", "FeedbackRevealed"]
    assert campaign.allowed_actions(clock(), Party.CREATOR) == []
    assert campaign.allowed_actions(clock(), Party.BRAND) == ["recordPayment"]


def test_a_cancellation_before_delivery_leaves_nothing_to_pay_or_rate(ledger: Ledger) -> None:
    scenario = campaign_at(ledger, "CANCELLED")

    with records_nothing(ledger), pytest.raises(InvalidTransition) as error:
        ledger.execute(
            scenario.brand(),
            RecordPayment(
                campaign_id=scenario.campaign_id,
                amount=Money.of("500000"),
                paid_at=ledger.clock(),
                reference="TRX-9",
            ),
        )
    assert error.value.allowed == ()
