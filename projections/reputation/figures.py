"""What a creator's stored raw rows mean: rates, medians, tier and score components.

Pure functions over values read from the ``creator_reputation`` tables, shared
by the projection (which keeps the t_ref-independent part of the score current
so the directory can sort in SQL) and by the queries (which show every signal),
so both derive the same numbers from the same rows in the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar

from domain.catalog import Tier
from domain.profile import tier_for
from projections import formulas as f


@dataclass(frozen=True)
class CreatorTotals:
    """The raw counters of one creator (columns of the ``creators`` table)."""

    concluded: int = 0
    completed: int = 0
    cancelled_by_creator: int = 0
    cancelled_by_brand: int = 0
    units_published: int = 0
    units_on_time: int = 0
    units_abandoned: int = 0
    posts_disclosed: int = 0
    winners_drawn: int = 0
    prizes_delivered: int = 0
    ratings: int = 0
    would_work_again: int = 0

    @classmethod
    def columns(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> CreatorTotals:
        """From the values of :meth:`columns`, in that order."""
        return cls(*(int(value) for value in row))

    @property
    def completion(self) -> f.Rate:
        return f.completion_rate(self.completed, self.concluded, self.cancelled_by_brand)

    @property
    def on_time(self) -> f.Rate:
        return f.on_time_rate(self.units_on_time, self.units_published, self.units_abandoned)

    @property
    def disclosure(self) -> f.Rate:
        """Every post of a campaign is sponsored, so every published unit counts."""
        return f.Rate(self.posts_disclosed, self.units_published)

    @property
    def fulfilment(self) -> f.Rate:
        return f.Rate(self.prizes_delivered, self.winners_drawn)

    @property
    def would_work_again_share(self) -> f.Rate:
        return f.Rate(self.would_work_again, self.ratings)


@dataclass(frozen=True)
class PostSample:
    """One sponsored post's latest metrics snapshot and the follower observations
    around it; None where not (yet) recorded."""

    interactions: int | None
    followers: int | None
    reach: int | None
    followers_before: int | None
    followers_after: int | None

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "likes",
        "comments",
        "shares",
        "saves",
        "followers",
        "reach",
        "followers_before",
        "followers_after",
    )
    """The ``posts`` columns :meth:`from_row` reads, in order."""

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> PostSample:
        likes, comments, shares, saves, followers, reach, before, after = row
        interactions = None if likes is None else f.engagements(likes, comments, shares, saves)
        return cls(interactions, followers, reach, before, after)

    @property
    def rate_by_followers(self) -> float | None:
        if self.interactions is None:
            return None
        return f.engagement_rate(self.interactions, self.followers)

    @property
    def rate_by_reach(self) -> float | None:
        if self.interactions is None:
            return None
        return f.engagement_rate(self.interactions, self.reach)

    @property
    def retention(self) -> float | None:
        return f.retention_change(self.followers_before, self.followers_after)


@dataclass(frozen=True)
class PostFigures:
    """Medians over a creator's posts, and its tier from the largest following."""

    tier: Tier
    median_engagement: float | None
    median_reach_engagement: float | None
    median_retention: float | None

    @property
    def benchmark(self) -> float:
        return f.tier_benchmark(self.tier)

    @property
    def engagement_ratio(self) -> float | None:
        return f.benchmark_ratio(self.median_engagement, self.tier)


def post_figures(samples: Sequence[PostSample], max_followers: int) -> PostFigures:
    def values(rates: list[float | None]) -> list[float]:
        return [rate for rate in rates if rate is not None]

    return PostFigures(
        tier=tier_for([max_followers]),
        median_engagement=f.median(values([s.rate_by_followers for s in samples])),
        median_reach_engagement=f.median(values([s.rate_by_reach for s in samples])),
        median_retention=f.median(values([s.retention for s in samples])),
    )


def score_components(
    totals: CreatorTotals, figures: PostFigures, bayes_overall: float | None
) -> f.ScoreComponents:
    """The components of docs/reputation.md; None where there is no data."""
    ratio = figures.engagement_ratio
    retention = figures.median_retention
    return f.ScoreComponents(
        rating=None if bayes_overall is None else f.rating_component(bayes_overall),
        completion=totals.completion.value,
        on_time=totals.on_time.value,
        disclosure=totals.disclosure.value,
        engagement=None if ratio is None else f.engagement_component(ratio),
        fulfilment=totals.fulfilment.value,
        would_work_again=totals.would_work_again_share.value,
        retention=None if retention is None else f.retention_component(retention),
    )


def creator_score(
    totals: CreatorTotals, figures: PostFigures, bayes_overall: float | None
) -> float | None:
    """The 0–100 score; None for a creator without a concluded agreement."""
    if totals.concluded == 0:
        return None
    return f.score(score_components(totals, figures, bayes_overall))
