"""A campaign as people read it, folded from its recorded events.

The aggregate keeps only what its rules need; this view keeps everything a
portal or an auditor shows: every offer, signature, draft with the creator's
pros and cons, post with its metric series and engagement rates, giveaway with
commitment, seed and winners, payment with its due date, and feedback (sealed
until revealed). Folding the events up to a version gives the view as of that
version, so audit replay and the live view are one mechanism.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.campaign import FEEDBACK_WINDOW_DAYS, Campaign
from domain.catalog import CampaignState, DraftStatus, Party
from domain.money import Money
from domain.post_metrics import MetricsSnapshot
from domain.ratings import Ratings
from domain.terms import Terms


@dataclass
class Offer:
    by: Party
    terms: Terms
    message: str
    at: datetime


@dataclass
class Draft:
    deliverable_id: str
    draft_no: int
    caption: str
    media_urls: tuple[str, ...]
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    submitted_at: datetime
    status: DraftStatus = DraftStatus.SUBMITTED
    change_notes: str | None = None
    reviewed_at: datetime | None = None


@dataclass
class Post:
    deliverable_id: str
    post_no: int
    url: str
    published_at: datetime
    caption: str
    paid_partnership_flag: bool
    disclosed: bool
    disclosure_tags: tuple[str, ...]
    due_on: date
    metrics: list[MetricsSnapshot] = field(default_factory=list)

    @property
    def on_time(self) -> bool:
        return self.published_at.date() <= self.due_on

    @property
    def latest_metrics(self) -> MetricsSnapshot | None:
        return max(self.metrics, key=lambda m: m.observed_at, default=None)


@dataclass
class Shipment:
    winner: str
    carrier: str
    tracking_ref: str
    shipped_at: datetime
    delivered_at: datetime | None = None


@dataclass
class Giveaway:
    giveaway_id: str
    prize: str
    prize_value: Money | None
    winner_count: int
    entry_rules: tuple[str, ...]
    closes_at: datetime
    seed_commitment: str
    announced_at: datetime
    entries: list[str] = field(default_factory=list)
    closed_at: datetime | None = None
    entries_digest: str | None = None
    seed: str | None = None
    winners: tuple[str, ...] | None = None
    shipments: dict[str, Shipment] = field(default_factory=dict)


@dataclass(frozen=True)
class Payment:
    amount: Money
    paid_at: datetime
    reference: str


@dataclass(frozen=True)
class PerformanceReport:
    period_start: date
    period_end: date
    reach: int
    impressions: int
    engagements: int
    clicks: int | None
    followers_gained: int | None
    notes: str | None
    reported_at: datetime


@dataclass(frozen=True)
class SalesUplift:
    baseline: Money
    during: Money
    promo_code_redemptions: int
    period_start: date | None
    period_end: date | None
    reported_at: datetime

    @property
    def uplift(self) -> Money:
        return Money(self.during.amount - self.baseline.amount, self.during.currency)


@dataclass(frozen=True)
class Feedback:
    by: Party
    ratings: Ratings
    would_work_again: bool
    comment: str | None
    submitted_at: datetime


@dataclass
class CampaignView:
    id: UUID
    brand_id: UUID
    creator_id: UUID
    brief_id: UUID | None
    pitched_by: Party
    pitch_message: str
    created_at: datetime
    state: CampaignState = CampaignState.PITCHED
    version: int = 0
    updated_at: datetime | None = None
    offers: list[Offer] = field(default_factory=list)
    terms_digest: str | None = None
    accepted_at: datetime | None = None
    signatures: dict[Party, datetime] = field(default_factory=dict)
    concluded_at: datetime | None = None
    closed_reason: str | None = None
    closed_by: Party | None = None
    drafts: list[Draft] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    giveaways: dict[str, Giveaway] = field(default_factory=dict)
    performance: list[PerformanceReport] = field(default_factory=list)
    sales: list[SalesUplift] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    feedback: dict[Party, Feedback] = field(default_factory=dict)
    feedback_revealed_at: datetime | None = None
    delivered_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def terms(self) -> Terms:
        return self.offers[-1].terms

    @property
    def offered_by(self) -> Party:
        return self.offers[-1].by

    @property
    def units_published(self) -> int:
        return len(self.posts)

    @property
    def paid(self) -> Money | None:
        cash = self.terms.compensation.cash
        if cash is None:
            return None
        return Money(sum((p.amount.amount for p in self.payments), Decimal(0)), cash.currency)

    @property
    def payment_due_on(self) -> date | None:
        if self.delivered_at is None:
            return None
        return self.delivered_at.date() + timedelta(days=self.terms.payment_due_days)

    @property
    def feedback_opens_at(self) -> datetime | None:
        """When either side may reveal feedback without waiting for the other."""
        if self.delivered_at is None:
            return None
        return self.delivered_at + timedelta(days=FEEDBACK_WINDOW_DAYS)

    def visible_feedback(self, viewer: Party | None, sees_all: bool) -> list[Feedback]:
        """Double-blind: before the reveal a party sees only its own submission;
        auditors (``sees_all``) see everything recorded."""
        if sees_all or self.feedback_revealed_at is not None:
            return list(self.feedback.values())
        return [f for f in self.feedback.values() if viewer is not None and f.by is viewer]


def fold(
    events: Iterable[LedgerAggregate.Event], start: CampaignView | None = None
) -> CampaignView | None:
    """The view after the given events of one campaign, in version order; continued
    from ``start`` (which it changes) when given the events after it."""
    view = start
    for event in events:
        if isinstance(event, Campaign.Pitched):
            view = CampaignView(
                id=event.originator_id,
                brand_id=event.brand_id,
                creator_id=event.creator_id,
                brief_id=event.brief_id,
                pitched_by=Party(event.pitched_by),
                pitch_message=event.message,
                created_at=event.timestamp,
            )
        if view is None:
            continue
        _apply(view, event)
        view.version = event.originator_version
        view.updated_at = event.timestamp
    return view


def _apply(view: CampaignView, e: Any) -> None:
    at: datetime = e.timestamp
    if isinstance(e, Campaign.Pitched):
        view.offers.append(Offer(Party(e.pitched_by), e.terms, e.message, at))
    elif isinstance(e, Campaign.CounterOffered):
        view.offers.append(Offer(Party(e.by), e.terms, e.message, at))
    elif isinstance(e, Campaign.PitchAccepted):
        view.state, view.accepted_at, view.terms_digest = CampaignState.ACCEPTED, at, e.terms_digest
    elif isinstance(e, Campaign.PitchDeclined):
        view.state, view.closed_by, view.closed_reason = (
            CampaignState.DECLINED,
            Party(e.by),
            e.reason,
        )
    elif isinstance(e, Campaign.PitchWithdrawn):
        view.state, view.closed_by = CampaignState.WITHDRAWN, Party(e.by)
    elif isinstance(e, Campaign.AgreementSigned):
        view.signatures[Party(e.by)] = at
    elif isinstance(e, Campaign.AgreementConcluded):
        view.state, view.concluded_at = CampaignState.CONCLUDED, at
    elif isinstance(e, Campaign.CampaignCancelled):
        view.state, view.closed_by, view.closed_reason = (
            CampaignState.CANCELLED,
            Party(e.by),
            e.reason,
        )
    elif isinstance(e, Campaign.DraftSubmitted):
        view.drafts.append(
            Draft(
                e.deliverable_id,
                e.draft_no,
                e.caption,
                tuple(e.media_urls),
                tuple(e.pros),
                tuple(e.cons),
                at,
            )
        )
    elif isinstance(e, Campaign.ChangesRequested | Campaign.DraftApproved):
        draft = _draft(view, e.deliverable_id, e.draft_no)
        draft.reviewed_at = at
        if isinstance(e, Campaign.ChangesRequested):
            draft.status, draft.change_notes = DraftStatus.CHANGES_REQUESTED, e.notes
        else:
            draft.status = DraftStatus.APPROVED
    elif isinstance(e, Campaign.PostPublished):
        _publish(view, e)
    elif isinstance(e, Campaign.PostMetricsRecorded):
        post = next(
            p for p in view.posts if p.deliverable_id == e.deliverable_id and p.post_no == e.post_no
        )
        post.metrics.append(MetricsSnapshot.of(e))
    elif isinstance(e, Campaign.GiveawayAnnounced):
        view.giveaways[e.giveaway_id] = Giveaway(
            e.giveaway_id,
            e.prize,
            e.prize_value,
            e.winner_count,
            tuple(e.entry_rules),
            e.closes_at,
            e.seed_commitment,
            at,
        )
    elif isinstance(e, Campaign.GiveawayEntriesRecorded):
        view.giveaways[e.giveaway_id].entries.extend(e.entries)
    elif isinstance(e, Campaign.GiveawayClosed):
        giveaway = view.giveaways[e.giveaway_id]
        giveaway.closed_at, giveaway.entries_digest = at, e.entries_digest
    elif isinstance(e, Campaign.GiveawayWinnersDrawn):
        giveaway = view.giveaways[e.giveaway_id]
        giveaway.seed, giveaway.winners = e.seed, tuple(e.winners)
    elif isinstance(e, Campaign.PrizeShipped):
        view.giveaways[e.giveaway_id].shipments[e.winner] = Shipment(
            e.winner, e.carrier, e.tracking_ref, at
        )
    elif isinstance(e, Campaign.PrizeDelivered):
        view.giveaways[e.giveaway_id].shipments[e.winner].delivered_at = at
    elif isinstance(e, Campaign.PerformanceReported):
        view.performance.append(
            PerformanceReport(
                e.period_start,
                e.period_end,
                e.reach,
                e.impressions,
                e.engagements,
                e.clicks,
                e.followers_gained,
                e.notes,
                at,
            )
        )
    elif isinstance(e, Campaign.SalesUpliftReported):
        view.sales.append(
            SalesUplift(
                e.baseline, e.during, e.promo_code_redemptions, e.period_start, e.period_end, at
            )
        )
    elif isinstance(e, Campaign.PaymentRecorded):
        view.payments.append(Payment(e.amount, e.paid_at, e.reference))
    elif isinstance(e, Campaign.FeedbackSubmitted):
        view.feedback[Party(e.by)] = Feedback(
            Party(e.by), e.ratings, e.would_work_again, e.comment, at
        )
    elif isinstance(e, Campaign.FeedbackRevealed):
        view.feedback_revealed_at = at
    elif isinstance(e, Campaign.CampaignCompleted):
        view.state, view.completed_at = CampaignState.COMPLETED, at


def _draft(view: CampaignView, deliverable_id: str, draft_no: int) -> Draft:
    return next(
        d for d in view.drafts if d.deliverable_id == deliverable_id and d.draft_no == draft_no
    )


def _publish(view: CampaignView, e: Campaign.PostPublished) -> None:
    deliverable = view.terms.deliverable(e.deliverable_id)
    assert deliverable is not None
    for draft in view.drafts:
        if draft.deliverable_id == e.deliverable_id and draft.status == DraftStatus.APPROVED:
            draft.status = DraftStatus.PUBLISHED
    view.posts.append(
        Post(
            e.deliverable_id,
            e.post_no,
            e.url,
            e.published_at,
            e.caption,
            e.paid_partnership_flag,
            e.disclosed,
            tuple(e.disclosure_tags),
            deliverable.due_on,
        )
    )
    if len(view.posts) >= view.terms.units_due:
        view.state = CampaignState.DELIVERED
        view.delivered_at = max(p.published_at for p in view.posts)
