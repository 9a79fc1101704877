"""Every command of the ledger as data: one frozen dataclass per action.

A command names its action as the API does (``AcceptPitch`` is ``acceptPitch``)
and carries its input exactly as the caller gave it: the aggregate method it is
dispatched to validates every value, so a command built in a test, by the demo
generator or from a GraphQL input is checked the same way. What an
idempotency key is bound to is the command itself (:meth:`Command.digest`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar, dataclass_transform
from uuid import UUID

from domain.canonical import digest_of
from domain.errors import ValidationError
from domain.jsonable import to_jsonable
from domain.money import Money
from domain.terms import Terms


@dataclass_transform(frozen_default=True, kw_only_default=True)
@dataclass(frozen=True, kw_only=True)
class Command:
    """What every command shares: its action name, and the fields its target is named by.

    Every subclass is a frozen, keyword-only dataclass of its own fields.
    """

    action: ClassVar[str]
    """The API's name of the action: the class name with a lower-case first letter."""
    target: ClassVar[str | None] = None
    """The field naming the object the command changes; None for one that creates."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.action = cls.__name__[0].lower() + cls.__name__[1:]
        dataclass(frozen=True, kw_only=True)(cls)

    def arguments(self) -> dict[str, Any]:
        """The input for the aggregate method: every field but the target's id."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != self.target}

    def target_id(self) -> object:
        return None if self.target is None else getattr(self, self.target)

    def digest(self) -> str:
        """What an idempotency key is bound to: the action and every field, as plain data.
        Input that is not plain data is refused here, since no valid command carries any."""
        plain: dict[str, Any] = {}
        for f in fields(self):
            try:
                plain[f.name] = to_jsonable(getattr(self, f.name))
            except TypeError:
                kind = type(getattr(self, f.name)).__name__
                raise ValidationError(
                    f"{f.name} has an unsupported type {kind}", field=f.name
                ) from None
        return digest_of({"command": self.action, "input": plain})


# --- brands ----------------------------------------------------------------------------


class RegisterBrand(Command):
    name: str
    industry: str
    causes: Sequence[str] = ()
    website: str | None = None


class UpdateBrandProfile(Command):
    """Changes the given fields; omitted (None) ones keep their value."""

    target = "brand_id"
    brand_id: UUID
    name: str | None = None
    industry: str | None = None
    causes: Sequence[str] | None = None
    website: str | None = None


# --- creators --------------------------------------------------------------------------


class RegisterCreator(Command):
    handle: str
    display_name: str
    niches: Sequence[str]
    origin: str
    country: str = "ID"
    languages: Sequence[str] = ("id",)


class CreatorCommand(Command):
    target = "creator_id"
    creator_id: UUID


class LinkPlatformAccount(CreatorCommand):
    platform: str
    handle: str
    followers: int


class RecordFollowers(CreatorCommand):
    platform: str
    followers: int
    observed_at: datetime


class PublishRateCard(CreatorCommand):
    lines: Sequence[Mapping[str, Any]]


class DeclareCauses(CreatorCommand):
    causes: Sequence[str]


class RecordContactDetails(CreatorCommand):
    """Personal data: sealed with the creator's key before it reaches the store."""

    legal_name: str
    email: str
    phone: str | None = None
    payout_account: str | None = None


class ForgetCreator(CreatorCommand):
    """Destroys the creator's key, so every sealed copy of its personal data is unreadable."""


# --- briefs ----------------------------------------------------------------------------


class PublishBrief(Command):
    target = "brand_id"
    brand_id: UUID
    title: str
    objective: str
    starts_on: date
    ends_on: date
    key_messages: Sequence[str] = ()
    niches: Sequence[str] = ()
    platforms: Sequence[str] = ()
    budget: Money | None = None


class CloseBrief(Command):
    target = "brief_id"
    brief_id: UUID
    reason: str | None = None


# --- campaigns: pitch and agreement -----------------------------------------------------


class PitchCampaign(Command):
    """A brand invites a creator, or a creator pitches a brand (or its open brief)."""

    brand_id: UUID
    creator_id: UUID
    message: str
    terms: Terms | Mapping[str, Any]
    brief_id: UUID | None = None


class CampaignCommand(Command):
    target = "campaign_id"
    campaign_id: UUID


class CounterOffer(CampaignCommand):
    terms: Terms | Mapping[str, Any]
    message: str


class AcceptPitch(CampaignCommand):
    pass


class DeclinePitch(CampaignCommand):
    reason: str | None = None


class WithdrawPitch(CampaignCommand):
    pass


class SignAgreement(CampaignCommand):
    terms_digest: str


class CancelCampaign(CampaignCommand):
    reason: str


# --- campaigns: the work -----------------------------------------------------------------


class SubmitDraft(CampaignCommand):
    deliverable_id: str
    caption: str
    pros: Sequence[str]
    cons: Sequence[str]
    media_urls: Sequence[str] = ()


class RequestChanges(CampaignCommand):
    deliverable_id: str
    draft_no: int
    notes: str


class ApproveDraft(CampaignCommand):
    deliverable_id: str
    draft_no: int


class PublishPost(CampaignCommand):
    deliverable_id: str
    url: str
    published_at: datetime
    caption: str
    paid_partnership_flag: bool = False


class RecordPostMetrics(CampaignCommand):
    deliverable_id: str
    observed_at: datetime
    followers: int
    likes: int
    comments: int
    shares: int = 0
    saves: int = 0
    reach: int | None = None
    impressions: int | None = None
    views: int | None = None
    post_no: int = 1


class AnnounceGiveaway(CampaignCommand):
    giveaway_id: str
    prize: str
    winner_count: int
    entry_rules: Sequence[str]
    closes_at: datetime
    seed_commitment: str
    prize_value: Money | None = None


class RecordGiveawayEntries(CampaignCommand):
    giveaway_id: str
    entries: Sequence[str]


class CloseGiveaway(CampaignCommand):
    giveaway_id: str


class DrawGiveawayWinners(CampaignCommand):
    giveaway_id: str
    seed: str


class ShipPrize(CampaignCommand):
    giveaway_id: str
    winner: str
    carrier: str
    tracking_ref: str


class ConfirmPrizeDelivered(CampaignCommand):
    giveaway_id: str
    winner: str


# --- campaigns: follow-up and feedback ---------------------------------------------------


class ReportPerformance(CampaignCommand):
    period_start: date
    period_end: date
    reach: int
    impressions: int
    engagements: int
    clicks: int | None = None
    followers_gained: int | None = None
    notes: str | None = None


class ReportSalesUplift(CampaignCommand):
    baseline: Money
    during: Money
    promo_code_redemptions: int = 0
    period_start: date | None = None
    period_end: date | None = None


class RecordPayment(CampaignCommand):
    amount: Money
    paid_at: datetime
    reference: str


class SubmitFeedback(CampaignCommand):
    ratings: Mapping[str, int]
    would_work_again: bool
    comment: str | None = None


class RevealFeedback(CampaignCommand):
    pass
