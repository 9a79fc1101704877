"""The Campaign aggregate: one brand × one creator, from pitch to feedback.

Command methods decide (check the rules, then record events); each event's
``apply`` only assigns state, so replaying history never re-checks rules.
Posting, giveaway and follow-up commands live in :mod:`domain.campaign_work`,
which this class mixes in; the events are all nested here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain import validation as v
from domain.access import party_of
from domain.base import LedgerAggregate
from domain.campaign_rules import RULES, actions_in
from domain.campaign_work import CampaignWork
from domain.catalog import CampaignState, Party
from domain.context import Actor, CommandContext
from domain.errors import Forbidden, InvalidTransition, ValidationError
from domain.money import Money
from domain.ratings import Ratings
from domain.terms import Terms

EMPTY_TERMS: dict[str, Any] = {
    "deliverables": [],
    "compensation": {"cash": None, "product_description": None, "product_value": None},
    "giveaway_required": False,
    "approval_required": True,
    "payment_due_days": 14,
    "usage_rights_days": 0,
    "exclusivity_days": 0,
}
"""Placeholder until ``Pitched`` applies the real terms; never stored."""

FEEDBACK_WINDOW_DAYS = 14
"""After delivery, either side may reveal feedback once this many days have passed."""


class Campaign(CampaignWork, LedgerAggregate):
    snapshot_types = {
        "state": CampaignState,
        "pitched_by": Party,
        "offered_by": Party,
        "cancelled_by": Party,
        "signed_by": tuple,
        "feedback_from": tuple,
    }

    # --- pitch -----------------------------------------------------------------
    class Pitched(LedgerAggregate.Created):
        brand_id: UUID
        creator_id: UUID
        brief_id: UUID | None
        pitched_by: str
        message: str
        terms: Terms

        def apply(self, c: Campaign) -> None:
            c.brand_id = self.brand_id
            c.creator_id = self.creator_id
            c.brief_id = self.brief_id
            c.terms = self.terms
            c.offered_by = Party(self.pitched_by)
            c.pitched_by = Party(self.pitched_by)
            c.offers = 1

    class CounterOffered(LedgerAggregate.Event):
        by: str
        terms: Terms
        message: str

        def apply(self, c: Campaign) -> None:
            c.terms = self.terms
            c.offered_by = Party(self.by)
            c.offers += 1

    class PitchAccepted(LedgerAggregate.Event):
        by: str
        terms_digest: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.ACCEPTED
            c.terms_digest = self.terms_digest

    class PitchDeclined(LedgerAggregate.Event):
        by: str
        reason: str | None

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.DECLINED

    class PitchWithdrawn(LedgerAggregate.Event):
        by: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.WITHDRAWN

    # --- agreement -------------------------------------------------------------
    class AgreementSigned(LedgerAggregate.Event):
        by: str
        terms_digest: str

        def apply(self, c: Campaign) -> None:
            c.signed_by = (*c.signed_by, self.by)

    class AgreementConcluded(LedgerAggregate.Event):
        terms_digest: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.CONCLUDED
            c.concluded_at = self.timestamp

    class CampaignCancelled(LedgerAggregate.Event):
        by: str
        reason: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.CANCELLED
            c.cancelled_by = Party(self.by)

    # --- posting ---------------------------------------------------------------
    class DraftSubmitted(LedgerAggregate.Event):
        deliverable_id: str
        draft_no: int
        caption: str
        media_urls: tuple[str, ...]
        pros: tuple[str, ...]
        cons: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            c.drafts.setdefault(self.deliverable_id, []).append(
                {"draft_no": self.draft_no, "status": "SUBMITTED", "reviews": 0}
            )

    class ChangesRequested(LedgerAggregate.Event):
        deliverable_id: str
        draft_no: int
        notes: str

        def apply(self, c: Campaign) -> None:
            c.drafts[self.deliverable_id][-1]["status"] = "CHANGES_REQUESTED"
            c.changes_requested += 1

    class DraftApproved(LedgerAggregate.Event):
        deliverable_id: str
        draft_no: int

        def apply(self, c: Campaign) -> None:
            c.drafts[self.deliverable_id][-1]["status"] = "APPROVED"

    class PostPublished(LedgerAggregate.Event):
        deliverable_id: str
        post_no: int
        url: str
        published_at: datetime
        caption: str
        paid_partnership_flag: bool
        disclosed: bool
        disclosure_tags: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            drafts = c.drafts.get(self.deliverable_id)
            if drafts and drafts[-1]["status"] == "APPROVED":
                drafts[-1]["status"] = "PUBLISHED"
            c.posts.setdefault(self.deliverable_id, []).append(
                {"post_no": self.post_no, "published_at": self.published_at}
            )
            c.units_published += 1
            if c.units_published >= c.terms.units_due:
                c.state = CampaignState.DELIVERED
                c.delivered_at = max(
                    post["published_at"] for posts in c.posts.values() for post in posts
                )

    class PostMetricsRecorded(LedgerAggregate.Event):
        deliverable_id: str
        post_no: int
        observed_at: datetime
        followers: int
        reach: int | None
        impressions: int | None
        views: int | None
        likes: int
        comments: int
        shares: int
        saves: int

        def apply(self, c: Campaign) -> None:
            c.metrics_recorded += 1

    # --- giveaway --------------------------------------------------------------
    class GiveawayAnnounced(LedgerAggregate.Event):
        giveaway_id: str
        prize: str
        prize_value: Money | None
        winner_count: int
        entry_rules: tuple[str, ...]
        closes_at: datetime
        seed_commitment: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id] = {
                "winner_count": self.winner_count,
                "closes_at": self.closes_at,
                "seed_commitment": self.seed_commitment,
                "entries": [],
                "closed": False,
                "winners": None,
                "shipped": [],
                "delivered": [],
            }

    class GiveawayEntriesRecorded(LedgerAggregate.Event):
        giveaway_id: str
        entries: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["entries"].extend(self.entries)

    class GiveawayClosed(LedgerAggregate.Event):
        giveaway_id: str
        entry_count: int
        entries_digest: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["closed"] = True

    class GiveawayWinnersDrawn(LedgerAggregate.Event):
        giveaway_id: str
        seed: str
        winners: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["winners"] = list(self.winners)

    class PrizeShipped(LedgerAggregate.Event):
        giveaway_id: str
        winner: str
        carrier: str
        tracking_ref: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["shipped"].append(self.winner)

    class PrizeDelivered(LedgerAggregate.Event):
        giveaway_id: str
        winner: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["delivered"].append(self.winner)

    # --- follow-up -------------------------------------------------------------
    class PerformanceReported(LedgerAggregate.Event):
        period_start: date
        period_end: date
        reach: int
        impressions: int
        engagements: int
        clicks: int | None
        followers_gained: int | None
        notes: str | None

        def apply(self, c: Campaign) -> None:
            c.performance_reports += 1

    class SalesUpliftReported(LedgerAggregate.Event):
        baseline: Money
        during: Money
        currency: str
        promo_code_redemptions: int
        period_start: date | None
        period_end: date | None

        def apply(self, c: Campaign) -> None:
            c.sales_reports += 1

    class PaymentRecorded(LedgerAggregate.Event):
        amount: Money
        paid_at: datetime
        reference: str

        def apply(self, c: Campaign) -> None:
            c.paid = c.paid + self.amount if c.paid else self.amount

    # --- feedback --------------------------------------------------------------
    class FeedbackSubmitted(LedgerAggregate.Event):
        by: str
        ratings: Ratings
        would_work_again: bool
        comment: str | None

        def apply(self, c: Campaign) -> None:
            c.feedback_from = (*c.feedback_from, self.by)
            if c.first_feedback_at is None:
                c.first_feedback_at = self.timestamp

    class FeedbackRevealed(LedgerAggregate.Event):
        def apply(self, c: Campaign) -> None:
            c.feedback_revealed = True

    class CampaignCompleted(LedgerAggregate.Event):
        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.COMPLETED
            c.completed_at = self.timestamp

    def __init__(self) -> None:
        self.state = CampaignState.PITCHED
        self.brand_id: UUID | None = None
        self.creator_id: UUID | None = None
        self.brief_id: UUID | None = None
        self.terms = Terms.from_json(EMPTY_TERMS)
        self.pitched_by = Party.BRAND
        self.offered_by = Party.BRAND
        self.offers = 0
        self.terms_digest: str | None = None
        self.signed_by: tuple[str, ...] = ()
        self.concluded_at: datetime | None = None
        self.cancelled_by: Party | None = None
        self.drafts: dict[str, list[dict[str, Any]]] = {}
        self.posts: dict[str, list[dict[str, Any]]] = {}
        self.units_published = 0
        self.delivered_at: datetime | None = None
        self.changes_requested = 0
        self.metrics_recorded = 0
        self.giveaways: dict[str, dict[str, Any]] = {}
        self.performance_reports = 0
        self.sales_reports = 0
        self.paid: Money | None = None
        self.feedback_from: tuple[str, ...] = ()
        self.first_feedback_at: datetime | None = None
        self.feedback_revealed = False
        self.completed_at: datetime | None = None

    # --- who is acting ---------------------------------------------------------
    def party_of(self, actor: Actor) -> Party | None:
        return party_of(actor, self.brand_id, self.creator_id)

    def allowed_actions(self, party: Party | None = None) -> list[str]:
        """What fits now, including turn-taking in the pitch and one signature each."""
        allowed = []
        for action in actions_in(self.state, party):
            if not self._prizes_fit(action):
                continue
            if party is not None and not self._fits_turn(action, party):
                continue
            allowed.append(action)
        return allowed

    def _prizes_fit(self, action: str) -> bool:
        """After a cancellation, prize actions remain only while drawn winners are owed."""
        if self.state is not CampaignState.CANCELLED:
            return True
        if action not in {"shipPrize", "confirmPrizeDelivered"}:
            return True
        return any(len(g["delivered"]) < len(g["winners"] or ()) for g in self.giveaways.values())

    def _fits_turn(self, action: str, party: Party) -> bool:
        if not self._prizes_fit(action):
            return False
        if action in {"counterOffer", "acceptPitch", "declinePitch"}:
            return party is not self.offered_by
        if action == "withdrawPitch":
            return party is self.offered_by
        if action == "signAgreement":
            return party.value not in self.signed_by
        if action == "submitFeedback":
            return party.value not in self.feedback_from
        return True

    def _require(self, ctx: CommandContext, action: str) -> Party:
        """The acting party, after checking role, state and turn for the action."""
        party = self.party_of(ctx.actor)
        rule = RULES[action]
        if party is None:
            raise Forbidden(f"only the campaign's {rule.description} may {action}")
        if party not in rule.parties:
            raise Forbidden(f"only {rule.description} may {action}")
        if self.state not in rule.states or not self._fits_turn(action, party):
            reason = None if self.state not in rule.states else f"only {rule.description}"
            raise InvalidTransition(
                action, self.state.value, self.allowed_actions(party), reason=reason
            )
        return party

    def _invalid(self, action: str, party: Party, reason: str) -> InvalidTransition:
        return InvalidTransition(
            action, self.state.value, self.allowed_actions(party), reason=reason
        )

    # --- pitch -----------------------------------------------------------------
    @classmethod
    def pitch(
        cls,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        brand_id: UUID,
        creator_id: UUID,
        brief_id: UUID | None,
        message: object,
        terms: Terms | Mapping[str, Any],
    ) -> Campaign:
        pitched_by = party_of(ctx.actor, brand_id, creator_id)
        if pitched_by is None:
            raise Forbidden("only the brand or the creator of a campaign may pitch it")
        terms = _terms(terms)
        _check_due_dates(terms, ctx.now.date(), "terms")
        return cls._start(
            ctx,
            cls.Pitched,
            campaign_id,
            brand_id=brand_id,
            creator_id=creator_id,
            brief_id=brief_id,
            pitched_by=pitched_by.value,
            message=v.text(message, "message", max_len=v.TEXT_MAX),
            terms=terms,
        )

    def counter_offer(
        self, ctx: CommandContext, *, terms: Terms | Mapping[str, Any], message: object
    ) -> None:
        party = self._require(ctx, "counterOffer")
        terms = _terms(terms)
        _check_due_dates(terms, ctx.now.date(), "terms")
        if terms == self.terms:
            raise ValidationError("a counter-offer must change the terms", field="terms")
        self._record(
            ctx,
            self.CounterOffered,
            by=party.value,
            terms=terms,
            message=v.text(message, "message", max_len=v.TEXT_MAX),
        )

    def accept_pitch(self, ctx: CommandContext) -> None:
        party = self._require(ctx, "acceptPitch")
        self._record(ctx, self.PitchAccepted, by=party.value, terms_digest=self.terms.digest)

    def decline_pitch(self, ctx: CommandContext, *, reason: object = None) -> None:
        party = self._require(ctx, "declinePitch")
        self._record(
            ctx,
            self.PitchDeclined,
            by=party.value,
            reason=v.optional_text(reason, "reason", max_len=v.TEXT_MAX),
        )

    def withdraw_pitch(self, ctx: CommandContext) -> None:
        party = self._require(ctx, "withdrawPitch")
        self._record(ctx, self.PitchWithdrawn, by=party.value)

    # --- agreement -------------------------------------------------------------
    def sign_agreement(self, ctx: CommandContext, *, terms_digest: object) -> None:
        """Signing the exact accepted terms; the second signature concludes the agreement."""
        party = self._require(ctx, "signAgreement")
        if terms_digest != self.terms_digest:
            raise ValidationError(
                "the digest does not match the accepted terms", field="terms_digest"
            )
        _check_due_dates(self.terms, ctx.now.date(), "terms")
        self._record(ctx, self.AgreementSigned, by=party.value, terms_digest=self.terms_digest)
        if len(self.signed_by) == 2:
            self._record(
                ctx.caused_by(self._last_event_id()),
                self.AgreementConcluded,
                terms_digest=self.terms_digest,
            )

    def cancel(self, ctx: CommandContext, *, reason: object) -> None:
        party = self._require(ctx, "cancelCampaign")
        self._record(
            ctx,
            self.CampaignCancelled,
            by=party.value,
            reason=v.text(reason, "reason", max_len=v.TEXT_MAX),
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
        assert self.delivered_at is not None
        opens = self.delivered_at + timedelta(days=FEEDBACK_WINDOW_DAYS)
        if not self.feedback_from:
            raise self._invalid("revealFeedback", party, "no feedback has been submitted")
        if ctx.now < opens:
            raise self._invalid(
                "revealFeedback",
                party,
                f"feedback is revealed when both sides submit, or from {opens.isoformat()}",
            )
        self._reveal(ctx)

    def _reveal(self, ctx: CommandContext) -> None:
        self._record(ctx, self.FeedbackRevealed)
        self._record(ctx.caused_by(self._last_event_id()), self.CampaignCompleted)

    # --- derived ---------------------------------------------------------------
    @property
    def payment_due_on(self) -> date | None:
        if self.delivered_at is None:
            return None
        return self.delivered_at.date() + timedelta(days=self.terms.payment_due_days)


def _terms(terms: Terms | Mapping[str, Any]) -> Terms:
    return terms if isinstance(terms, Terms) else Terms.create(terms)


def _check_due_dates(terms: Terms, today: date, field: str) -> None:
    for index, deliverable in enumerate(terms.deliverables):
        if deliverable.due_on < today:
            raise ValidationError(
                f"deliverable {deliverable.deliverable_id} is due in the past",
                field=f"{field}.deliverables[{index}].due_on",
            )
