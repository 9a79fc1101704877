# mypy: disable-error-code="untyped-decorator"
"""``CreatorReputation``: every signal of the creator reputation read model.

Figures come from :mod:`projections.reputation.queries` as of the projection's
reference time (the newest event it has read), so the same events always give
the same numbers. Shares carry their counts (``Ratio``), and each post its raw
counts and denominators, so a reader can judge the sample behind a percentage.
The formula is documented in docs/reputation.md under ``formulaVersion``.

Reputations are public. Which campaign a post belongs to is not: ``campaignId``
is shown to the creator itself, auditors and admins only.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from domain.access import may_see_creators_campaigns
from graphql_api.enums import Platform, Tier
from graphql_api.ledger_context import Info
from graphql_api.read_models import batch_loader
from graphql_api.records import from_record
from projections.formulas import Rate
from projections.reputation import queries as rq
from projections.revealed_ratings import DimensionRating
from projections.store.readstore import ReadStore


@strawberry.type(description="A share with the counts behind it: numerator ÷ denominator.")
class Ratio:
    numerator: int
    denominator: int
    value: float | None = strawberry.field(description="Null when the denominator is 0.")

    @classmethod
    def from_rate(cls, rate: Rate) -> Ratio:
        return from_record(cls, rate)


@strawberry.type(
    description="A Bayesian, recency-weighted average rating (1–5) of one dimension "
    "and how many revealed ratings it rests on."
)
class RatingAverage:
    dimension: str
    average: float
    count: int

    @classmethod
    def from_rating(cls, rating: DimensionRating) -> RatingAverage:
        return from_record(cls, rating)


@strawberry.type(
    description="One sponsored post: its latest metrics snapshot's raw counts and "
    "denominators, the engagement rates they give, and the follower change around it."
)
class PostEngagement:
    creator_id: strawberry.Private[UUID]
    campaign: strawberry.Private[str]
    deliverable_id: str
    post_no: int
    platform: Platform
    published_at: datetime
    due_on: date
    on_time: bool
    disclosed: bool
    observed_at: datetime | None = strawberry.field(
        description="When the latest snapshot was taken."
    )
    followers: int | None
    reach: int | None
    impressions: int | None
    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    interactions: int | None = strawberry.field(description="likes + comments + shares + saves.")
    engagement_rate: float | None = strawberry.field(description="interactions ÷ followers.")
    engagement_rate_by_reach: float | None = strawberry.field(
        description="interactions ÷ reach, where reach is known."
    )
    followers_before: int | None = strawberry.field(
        description="Followers at the last observation before publication."
    )
    followers_after: int | None = strawberry.field(
        description="Followers at the first observation 28 days or more after publication."
    )
    retention: float | None = strawberry.field(description="followersAfter ÷ followersBefore − 1.")

    @strawberry.field(
        description="The campaign of the post: shown to the creator, auditors and admins only."
    )
    def campaign_id(self, info: Info) -> strawberry.ID | None:
        if may_see_creators_campaigns(info.context.viewer.actor, self.creator_id):
            return strawberry.ID(self.campaign)
        return None

    @classmethod
    def from_post(cls, creator_id: UUID, post: rq.PostEngagement) -> PostEngagement:
        return from_record(
            cls,
            post,
            creator_id=creator_id,
            campaign=post.campaign_id,
            platform=Platform(post.platform),
            engagement_rate=post.rate_by_followers,
            engagement_rate_by_reach=post.rate_by_reach,
        )


@strawberry.type(
    description="How trustworthy a creator is, from the ledger's events alone "
    "(docs/reputation.md). Figures are as of referenceTime, never the wall clock."
)
class CreatorReputation:
    score: float | None = strawberry.field(
        description="0–100; null for a creator without a concluded agreement."
    )
    formula_version: int
    reference_time: datetime | None = strawberry.field(
        description="The newest event the reputation read model has processed."
    )
    tier: Tier
    largest_following: int
    overall_rating: float | None = strawberry.field(
        description="Bayesian average (prior 3.5 × 5 ratings), recency-weighted (half-life "
        "365 days); null until a brand's rating has been revealed."
    )
    rating_count: int
    ratings: list[RatingAverage] = strawberry.field(description="Per rating dimension.")
    concluded_agreements: int
    completed: int
    cancelled_by_creator: int
    cancelled_by_brand: int
    completion: Ratio = strawberry.field(
        description="Completed ÷ (concluded − cancelled by the brand)."
    )
    on_time: Ratio = strawberry.field(description="Units published by their due date ÷ units due.")
    disclosure: Ratio = strawberry.field(description="Disclosed sponsored posts ÷ sponsored posts.")
    posts: list[PostEngagement]
    median_engagement_rate: float | None
    median_engagement_rate_by_reach: float | None
    engagement_benchmark: float = strawberry.field(
        description="The tier's typical engagement rate: NANO 3.69 %, MICRO 1.5 %, others 1 %."
    )
    engagement_vs_benchmark: float | None = strawberry.field(
        description="Median engagement rate ÷ the tier benchmark."
    )
    giveaway_fulfilment: Ratio = strawberry.field(description="Prizes delivered ÷ winners drawn.")
    median_retention: float | None = strawberry.field(
        description="Median follower change around sponsored posts (after ÷ before − 1)."
    )
    retention_posts: int
    would_work_again: Ratio = strawberry.field(
        description="Revealed brand feedback saying it would work with the creator again."
    )

    @classmethod
    def from_reputation(cls, reputation: rq.CreatorReputation) -> CreatorReputation:
        creator_id = UUID(reputation.creator_id)
        ratios = ("completion", "on_time", "disclosure", "giveaway_fulfilment", "would_work_again")
        return from_record(
            cls,
            reputation,
            reference_time=reputation.t_ref,
            ratings=[RatingAverage.from_rating(r) for r in reputation.dimension_ratings],
            posts=[PostEngagement.from_post(creator_id, p) for p in reputation.posts],
            **{name: Ratio.from_rate(getattr(reputation, name)) for name in ratios},
        )


def _reputations(store: ReadStore, ids: list[UUID]) -> dict[UUID, rq.CreatorReputation]:
    found = rq.creator_reputations(store, ids)
    return {creator_id: found[str(creator_id)] for creator_id in ids if str(creator_id) in found}


async def load_reputation(info: Info, creator_id: UUID) -> CreatorReputation | None:
    """The creator's reputation, batched with every other one this request asks for."""
    reputation = await batch_loader(info, "creator_reputations", _reputations).load(creator_id)
    return None if reputation is None else CreatorReputation.from_reputation(reputation)
