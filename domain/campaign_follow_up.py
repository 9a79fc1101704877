"""The campaign's follow-up: the creator's performance report, the brand's sales
uplift and payments, and double-blind feedback from both sides.

A part of :class:`~domain.campaign.Campaign`; the events it records are nested there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from domain import validation as v
from domain.campaign_facts import CampaignFacts
from domain.catalog import CampaignState
from domain.context import CommandContext
from domain.errors import ValidationError
from domain.money import Money
from domain.next_actions import payment_blocker, publication_blocker, reveal_blocker
from domain.ratings import Ratings

if TYPE_CHECKING:
    from domain.base import LedgerAggregate


class CampaignFollowUp(CampaignFacts):
    if TYPE_CHECKING:
        PerformanceReported: type[LedgerAggregate.Event]
        SalesUpliftReported: type[LedgerAggregate.Event]
        PaymentRecorded: type[LedgerAggregate.Event]
        FeedbackSubmitted: type[LedgerAggregate.Event]
        FeedbackRevealed: type[LedgerAggregate.Event]
        CampaignCompleted: type[LedgerAggregate.Event]

        def _last_event_id(self) -> str: ...

    # --- follow-up -------------------------------------------------------------
    def report_performance(
        self,
        ctx: CommandContext,
        *,
        period_start: object,
        period_end: object,
        reach: object,
        impressions: object,
        engagements: object,
        clicks: object = None,
        followers_gained: object = None,
        notes: object = None,
    ) -> None:
        party = self._require(ctx, "reportPerformance")
        self._refuse(ctx, "reportPerformance", party, publication_blocker(self))
        start, end = _period(period_start, period_end, ctx)
        gained = followers_gained
        if gained is not None and (isinstance(gained, bool) or not isinstance(gained, int)):
            raise ValidationError("followers_gained must be an integer", field="followers_gained")
        self._record(
            ctx,
            self.PerformanceReported,
            period_start=start,
            period_end=end,
            reach=v.count(reach, "reach"),
            impressions=v.count(impressions, "impressions"),
            engagements=v.count(engagements, "engagements"),
            clicks=v.count(clicks, "clicks", allow_none=True),
            followers_gained=gained,
            notes=v.optional_text(notes, "notes"),
        )

    def report_sales_uplift(
        self,
        ctx: CommandContext,
        *,
        baseline: Money,
        during: Money,
        promo_code_redemptions: object = 0,
        period_start: object = None,
        period_end: object = None,
    ) -> None:
        party = self._require(ctx, "reportSalesUplift")
        self._refuse(ctx, "reportSalesUplift", party, publication_blocker(self))
        baseline, during = v.money(baseline, "baseline"), v.money(during, "during")
        baseline.require_currency(during.currency, field="during.currency")
        start = end = None
        if period_start is not None or period_end is not None:
            start, end = _period(period_start, period_end, ctx)
        self._record(
            ctx,
            self.SalesUpliftReported,
            baseline=baseline,
            during=during,
            currency=baseline.currency,
            promo_code_redemptions=v.count(promo_code_redemptions, "promo_code_redemptions"),
            period_start=start,
            period_end=end,
        )

    def record_payment(
        self,
        ctx: CommandContext,
        *,
        amount: Money,
        paid_at: object,
        reference: object,
    ) -> None:
        """Records when the agreed cash was paid; more than agreed is refused."""
        party = self._require(ctx, "recordPayment")
        self._refuse(ctx, "recordPayment", party, payment_blocker(self))
        amount = v.money(amount, "amount")
        cash = self.terms.compensation.cash
        assert cash is not None
        if amount.amount <= 0:
            raise ValidationError("amount must be positive", field="amount")
        cash.require_currency(amount.currency, field="amount.currency")
        already = self.paid.amount if self.paid else 0
        if already + amount.amount > cash.amount:
            raise ValidationError(
                f"payments would exceed the agreed {cash} (already paid {already})", field="amount"
            )
        when = v.not_future(v.moment(paid_at, "paid_at"), ctx.now, "paid_at")
        self._record(
            ctx,
            self.PaymentRecorded,
            amount=amount,
            paid_at=when,
            reference=v.text(reference, "reference", max_len=200),
        )

    # --- feedback --------------------------------------------------------------
    def submit_feedback(
        self,
        ctx: CommandContext,
        *,
        ratings: Mapping[str, object],
        would_work_again: object,
        comment: object = None,
    ) -> None:
        """Double-blind: ratings stay hidden until revealed, which happens as soon as
        both sides have submitted."""
        party = self._require(ctx, "submitFeedback")
        if not isinstance(would_work_again, bool):
            raise ValidationError(
                "would_work_again must be true or false", field="would_work_again"
            )
        self._record(
            ctx,
            self.FeedbackSubmitted,
            by=party.value,
            ratings=Ratings.create(party, v.mapping(ratings, "ratings")),
            would_work_again=would_work_again,
            comment=v.optional_text(comment, "comment", max_len=v.TEXT_MAX),
        )
        if len(self.feedback_from) == 2:
            self._reveal(ctx.caused_by(self._last_event_id()))

    def reveal_feedback(self, ctx: CommandContext) -> None:
        """Reveals what was submitted once the feedback window after delivery has passed."""
        party = self._require(ctx, "revealFeedback")
        self._refuse(ctx, "revealFeedback", party, reveal_blocker(self, ctx.now))
        self._reveal(ctx)

    def _reveal(self, ctx: CommandContext) -> None:
        """Revealing completes a delivered campaign; a cancelled one stays cancelled."""
        self._record(ctx, self.FeedbackRevealed)
        if self.state is CampaignState.DELIVERED:
            self._record(ctx.caused_by(self._last_event_id()), self.CampaignCompleted)


def _period(start: object, end: object, ctx: CommandContext) -> tuple[date, date]:
    first = v.a_date(start, "period_start")
    last = v.a_date(end, "period_end")
    if last < first:
        raise ValidationError("period_end is before period_start", field="period_end")
    if first > ctx.now.date():
        raise ValidationError("period_start is in the future", field="period_start")
    return first, last
