"""Inputs of the campaign mutations, one ``<Mutation>Input`` each.

Every input carries an optional ``idempotencyKey``; those about an existing
campaign also carry its ``campaignId`` and an optional ``expectedVersion``.
Each names the domain command it becomes (:class:`~graphql_api.commands.CommandInput`);
conversions happen inside the mutation, so a bad value becomes a typed VALIDATION
error and changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry

from domain.application import commands as c
from domain.errors import ValidationError
from graphql_api.commands import CommandInput
from graphql_api.enums import ContentFormat, Platform
from graphql_api.money import MoneyInput

# --- shared parts -----------------------------------------------------------------


@strawberry.input(description="One piece of content the terms ask for.")
class DeliverableInput:
    deliverable_id: str | None = strawberry.field(
        default=None, description="Defaults to d1, d2, … by position."
    )
    platform: Platform
    format: ContentFormat
    quantity: int = 1
    due_on: date

    def to_domain(self) -> dict[str, Any]:
        return {
            "deliverable_id": self.deliverable_id,
            "platform": self.platform,
            "format": self.format,
            "quantity": self.quantity,
            "due_on": self.due_on,
        }


@strawberry.input(description="Cash, a product (with its value), and/or another consideration.")
class CompensationInput:
    cash: MoneyInput | None = None
    product_description: str | None = None
    product_value: MoneyInput | None = None
    other: str | None = None

    def to_domain(self) -> dict[str, Any]:
        return {
            "cash": _money(self.cash),
            "product_description": self.product_description,
            "product_value": _money(self.product_value),
            "other": self.other,
        }


def _money(money: MoneyInput | None) -> dict[str, Any] | None:
    return None if money is None else {"amount": money.amount, "currency": money.currency}


@strawberry.input(description="The terms of a pitch or counter-offer.")
class TermsInput:
    deliverables: list[DeliverableInput]
    compensation: CompensationInput
    giveaway_required: bool = False
    approval_required: bool = True
    payment_due_days: int = 14
    usage_rights_days: int = 0
    exclusivity_days: int = 0

    def to_domain(self, field: str = "terms") -> dict[str, Any]:
        """The shape :meth:`domain.terms.Terms.create` validates."""
        return {
            "deliverables": [d.to_domain() for d in self.deliverables],
            "compensation": self.compensation.to_domain(),
            "giveaway_required": self.giveaway_required,
            "approval_required": self.approval_required,
            "payment_due_days": self.payment_due_days,
            "usage_rights_days": self.usage_rights_days,
            "exclusivity_days": self.exclusivity_days,
        }


@strawberry.input(description="One score, 1–5, on one dimension.")
class RatingInput:
    dimension: str
    score: int


def ratings_of(ratings: list[RatingInput]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for rating in ratings:
        if rating.dimension in scores:
            raise ValidationError(f"{rating.dimension} is rated twice", field="ratings")
        scores[rating.dimension] = rating.score
    return scores


class CampaignCommandInput(CommandInput):
    """What every command on an existing campaign carries."""

    campaign_id: strawberry.ID
    expected_version: int | None = strawberry.field(
        default=None, description="Refuse with CONFLICT unless the campaign is at this version."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeat with the same key and input to get the first result."
    )


# --- pitch and agreement -------------------------------------------------------------


class PitchCampaignInput(
    CommandInput, description="A brand invites a creator, or a creator pitches a brand."
):
    command = c.PitchCampaign
    brand_id: strawberry.ID
    creator_id: strawberry.ID
    brief_id: strawberry.ID | None = None
    message: str
    terms: TermsInput
    idempotency_key: str | None = None


class CounterOfferInput(CampaignCommandInput):
    command = c.CounterOffer
    terms: TermsInput
    message: str


class AcceptPitchInput(CampaignCommandInput):
    command = c.AcceptPitch


class DeclinePitchInput(CampaignCommandInput):
    command = c.DeclinePitch
    reason: str | None = None


class WithdrawPitchInput(CampaignCommandInput):
    command = c.WithdrawPitch


class SignAgreementInput(CampaignCommandInput):
    command = c.SignAgreement
    terms_digest: str = strawberry.field(description="The digest of the accepted terms.")


class CancelCampaignInput(CampaignCommandInput):
    command = c.CancelCampaign
    reason: str


# --- posting -------------------------------------------------------------------------


class SubmitDraftInput(CampaignCommandInput):
    command = c.SubmitDraft
    deliverable_id: str
    caption: str
    media_urls: list[str] = strawberry.field(default_factory=list)
    pros: list[str] = strawberry.field(description="The creator's own, never edited by the brand.")
    cons: list[str]


class RequestChangesInput(CampaignCommandInput):
    command = c.RequestChanges
    deliverable_id: str
    draft_no: int
    notes: str


class ApproveDraftInput(CampaignCommandInput):
    command = c.ApproveDraft
    deliverable_id: str
    draft_no: int


class PublishPostInput(CampaignCommandInput):
    command = c.PublishPost
    deliverable_id: str
    url: str
    published_at: datetime
    caption: str
    paid_partnership_flag: bool = False


class RecordPostMetricsInput(CampaignCommandInput):
    command = c.RecordPostMetrics
    deliverable_id: str
    post_no: int = 1
    observed_at: datetime
    followers: int
    likes: int
    comments: int
    shares: int = 0
    saves: int = 0
    reach: int | None = None
    impressions: int | None = None
    views: int | None = None


# --- giveaway ------------------------------------------------------------------------


class AnnounceGiveawayInput(CampaignCommandInput):
    command = c.AnnounceGiveaway
    giveaway_id: str
    prize: str
    prize_value: MoneyInput | None = None
    winner_count: int
    entry_rules: list[str]
    closes_at: datetime
    seed_commitment: str = strawberry.field(description="SHA-256 (hex) of the secret seed.")


class RecordGiveawayEntriesInput(CampaignCommandInput):
    command = c.RecordGiveawayEntries
    giveaway_id: str
    entries: list[str] = strawberry.field(
        description="Entrant handles; each enters once, repeats are ignored."
    )


class CloseGiveawayInput(CampaignCommandInput):
    command = c.CloseGiveaway
    giveaway_id: str


class DrawGiveawayWinnersInput(CampaignCommandInput):
    command = c.DrawGiveawayWinners
    giveaway_id: str
    seed: str = strawberry.field(description="The seed committed to at announcement.")


class ShipPrizeInput(CampaignCommandInput):
    command = c.ShipPrize
    giveaway_id: str
    winner: str
    carrier: str
    tracking_ref: str


class ConfirmPrizeDeliveredInput(CampaignCommandInput):
    command = c.ConfirmPrizeDelivered
    giveaway_id: str
    winner: str


# --- follow-up and feedback ----------------------------------------------------------


class ReportPerformanceInput(CampaignCommandInput):
    command = c.ReportPerformance
    period_start: date
    period_end: date
    reach: int
    impressions: int
    engagements: int
    clicks: int | None = None
    followers_gained: int | None = None
    notes: str | None = None


class ReportSalesUpliftInput(CampaignCommandInput):
    command = c.ReportSalesUplift
    baseline: MoneyInput
    during: MoneyInput
    promo_code_redemptions: int = 0
    period_start: date | None = None
    period_end: date | None = None


class RecordPaymentInput(CampaignCommandInput):
    command = c.RecordPayment
    amount: MoneyInput
    paid_at: datetime
    reference: str


class SubmitFeedbackInput(CampaignCommandInput):
    command = c.SubmitFeedback
    converters = {"ratings": ratings_of}
    ratings: list[RatingInput]
    would_work_again: bool
    comment: str | None = None


class RevealFeedbackInput(CampaignCommandInput):
    command = c.RevealFeedback
