# mypy: disable-error-code="untyped-decorator"
"""The ``Brand`` type, its public ``feedback``, and the mutations a brand's profile changes by.

Brands and their feedback are public, anonymous callers included. The
profile (name, industry, causes, website) comes from the brand profiles read
model and ``feedback`` from the brand feedback read model, each through one
DataLoader per request, so a page of campaigns or briefs costs one batch query
per kind, not a read per brand. An id the profiles read model has not seen yet (it is catching up)
falls back to the event store, so a brand that exists never reads as null.

Mutation payloads are built from the aggregate just saved, so they show the
write itself. Who may: admins register brands; a brand updates its own
profile (admins any, for support); creators and auditors change none
(FORBIDDEN); another brand's id reads as unknown (NOT_FOUND).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader

from domain.application import CommandResult
from domain.application import commands as c
from domain.brand import Brand as BrandAggregate
from graphql_api.commands import CommandInput, aggregate_after, mutations
from graphql_api.enums import CampaignState
from graphql_api.ledger_context import Info
from graphql_api.money import MoneyType, displayed
from graphql_api.profiles.reputation import RatingAverage, Ratio
from graphql_api.read_models import batch_loader, with_fallback
from graphql_api.records import from_record
from projections.brand_feedback import queries as bq
from projections.brand_profiles.queries import BrandProfile, brand_profiles
from projections.store.readstore import ReadStore

# --- feedback --------------------------------------------------------------------------


@strawberry.type(
    description="Payments of delivered campaigns with cash: due payment_due_days after "
    "delivery, on time when paid in full by then (UTC dates, as of referenceTime)."
)
class PaymentRecord:
    due: int = strawberry.field(description="Delivered campaigns with cash, so with a due date.")
    paid_in_full: int
    paid_on_time: int
    unpaid_overdue: int
    on_time: Ratio = strawberry.field(
        description="Paid on time ÷ (paid in full + unpaid overdue); not-yet-due left out."
    )
    median_days_late: float | None = strawberry.field(
        description="Over campaigns paid in full after their due date; null when none was late."
    )

    @classmethod
    def from_record(cls, record: bq.PaymentRecord) -> PaymentRecord:
        return from_record(cls, record, on_time=Ratio.from_rate(record.on_time))


@strawberry.type(description="How many of the brand's campaigns are in one state.")
class CampaignStateCount:
    state: CampaignState
    count: int


@strawberry.type(description="Cash of concluded agreements and payments recorded, in one currency.")
class CurrencySpend:
    currency: str
    committed: MoneyType
    paid: MoneyType


@strawberry.type(description="Paid cash against the results of campaigns agreed in one currency.")
class CampaignCost:
    currency: str
    paid: MoneyType
    engagements: int
    impressions: int
    cost_per_engagement: Decimal | None = strawberry.field(
        description="Paid ÷ engagements, in the currency's minor unit; null without engagements."
    )
    cpm: Decimal | None = strawberry.field(
        description="Paid ÷ impressions × 1000, in the currency's minor unit; "
        "null without impressions."
    )

    @classmethod
    def from_cost(cls, cost: bq.CurrencyCost) -> CampaignCost:
        return from_record(
            cls,
            cost,
            paid=MoneyType.of(cost.paid, cost.currency),
            cost_per_engagement=None
            if cost.cost_per_engagement is None
            else displayed(cost.cost_per_engagement, cost.currency),
            cpm=None if cost.cpm is None else displayed(cost.cpm, cost.currency),
        )


@strawberry.type(
    description="What creators say about working with a brand and what its record shows, "
    "from the ledger's events alone, as of referenceTime."
)
class BrandFeedback:
    formula_version: int
    reference_time: datetime | None = strawberry.field(
        description="The newest event the brand feedback read model has processed."
    )
    overall_rating: float | None = strawberry.field(
        description="Creators' revealed ratings: Bayesian (prior 3.5 × 5), recency-weighted; "
        "null before any."
    )
    rating_count: int
    ratings: list[RatingAverage] = strawberry.field(description="Per rating dimension.")
    would_work_again: Ratio
    payments: PaymentRecord
    creative_freedom_signal: Ratio = strawberry.field(
        description="Concluded campaigns with more than two change requests ÷ concluded "
        "campaigns: high means little creative freedom."
    )
    campaigns_by_state: list[CampaignStateCount]
    spend: list[CurrencySpend]
    reach: int
    impressions: int
    engagements: int
    costs: list[CampaignCost]
    sales_uplift: list[MoneyType] = strawberry.field(
        description="Σ (during − baseline) of reported sales, per currency."
    )
    promo_code_redemptions: int
    mean_rating_given: float | None = strawberry.field(
        description="The brand's mean overall rating of creators: a harsh or lenient rater."
    )
    ratings_given: int

    @classmethod
    def from_feedback(cls, feedback: bq.BrandFeedback) -> BrandFeedback:
        return from_record(
            cls,
            feedback,
            reference_time=feedback.t_ref,
            ratings=[RatingAverage.from_rating(r) for r in feedback.dimension_ratings],
            would_work_again=Ratio.from_rate(feedback.would_work_again),
            payments=PaymentRecord.from_record(feedback.payments),
            creative_freedom_signal=Ratio.from_rate(feedback.creative_freedom_signal),
            campaigns_by_state=[
                CampaignStateCount(state=s.state, count=s.count)
                for s in feedback.campaigns_by_state
            ],
            spend=[
                CurrencySpend(
                    currency=s.committed.currency,
                    committed=MoneyType.from_domain(s.committed),
                    paid=MoneyType.from_domain(s.paid),
                )
                for s in feedback.spend
            ],
            costs=[CampaignCost.from_cost(c) for c in feedback.costs],
            sales_uplift=[MoneyType.from_domain(m) for m in feedback.sales_uplift],
        )


def _feedbacks(store: ReadStore, ids: list[UUID]) -> dict[UUID, bq.BrandFeedback]:
    return {UUID(key): found for key, found in bq.brand_feedbacks(store, ids).items()}


# --- the type ----------------------------------------------------------------------------


@strawberry.type(description="A company that commissions creators.")
class Brand:
    id: strawberry.ID
    name: str
    industry: str
    causes: list[str]
    website: str | None
    registered_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="The version of the brand's latest event.")
    brand_id: strawberry.Private[UUID]

    @strawberry.field(description="Public; null only while the read model catches up.")
    async def feedback(self, info: Info) -> BrandFeedback | None:
        found = await batch_loader(info, "brand_feedback", _feedbacks).load(self.brand_id)
        return None if found is None else BrandFeedback.from_feedback(found)

    @classmethod
    def from_profile(cls, profile: BrandProfile) -> Brand:
        return from_record(cls, profile, id=strawberry.ID(str(profile.brand_id)))


def profile_of(brand: BrandAggregate) -> BrandProfile:
    """The profile the read model will hold for this aggregate."""
    return BrandProfile(
        brand_id=brand.id,
        name=brand.name,
        industry=brand.industry,
        causes=tuple(brand.causes),
        website=brand.website,
        registered_at=brand.created_on,
        updated_at=brand.modified_on,
        version=brand.version,
    )


# --- loading ------------------------------------------------------------------------------


def _loader(info: Info) -> DataLoader[UUID, BrandProfile | None]:
    # The ledger is asked for only on a fallback: only then is the event store read.
    fetch = with_fallback(brand_profiles, lambda i: profile_of(info.context.ledger.get_brand(i)))
    return batch_loader(info, "brand_profiles", fetch)


async def load_brand(info: Info, brand_id: UUID) -> Brand | None:
    """The brand, or None if there is none; brands are public."""
    profile = await _loader(info).load(brand_id)
    return None if profile is None else Brand.from_profile(profile)


# --- mutations -----------------------------------------------------------------------------


class RegisterBrandInput(CommandInput):
    command = c.RegisterBrand
    name: str
    industry: str
    causes: list[str] = strawberry.field(default_factory=list)
    website: str | None = None
    idempotency_key: str | None = None


class UpdateBrandProfileInput(
    CommandInput, description="Changes the given fields; omitted ones keep their value."
):
    command = c.UpdateBrandProfile
    brand_id: strawberry.ID
    name: str | None = None
    industry: str | None = None
    causes: list[str] | None = None
    website: str | None = None
    expected_version: int | None = None
    idempotency_key: str | None = None


async def _changed(info: Info, result: CommandResult) -> Brand:
    ledger = info.context.ledger
    profile = profile_of(await aggregate_after(result, BrandAggregate, ledger.get_brand))
    _loader(info).prime(profile.brand_id, profile, force=True)
    return Brand.from_profile(profile)


@strawberry.type
@mutations(
    Brand,
    _changed,
    (RegisterBrandInput, "Admins only."),
    (
        UpdateBrandProfileInput,
        "The brand itself (or an admin) changes its name, industry, causes or website.",
    ),
)
class BrandMutation:
    """Brand mutations, one per input."""
