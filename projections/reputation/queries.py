"""Reading creator reputation: every signal of docs/reputation.md for one creator or many.

Figures are computed at read time from the raw rows of
:mod:`projections.reputation.projection` and the projection's t_ref (never the wall clock),
by the formulas of :mod:`projections.formulas`. The batch variant issues one
query per table whatever the number of creators, for the API's DataLoader, and
:func:`score_sql` gives the creator directory the same score as an SQL
expression to sort by.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.catalog import BRAND_RATING_DIMENSIONS, Tier
from projections.formulas import (
    FORMULA_VERSION,
    PRIOR_MEAN,
    PRIOR_WEIGHT,
    SCORE_WEIGHTS,
    Rate,
    bayesian_average,
    days_since_epoch,
    reference_factor,
)
from projections.machinery.base import check_identifier
from projections.reference_time import reference_time
from projections.reputation.figures import (
    CreatorTotals,
    PostSample,
    creator_score,
    post_figures,
)
from projections.reputation.tables import NAME, POST_METRICS
from projections.revealed_ratings import DimensionRating, dimension_ratings
from projections.store.columns import parse_moment
from projections.store.query import QueryTx, reading
from projections.store.readstore import ReadStore, in_lists


@dataclass(frozen=True)
class PostEngagement:
    """One sponsored post: raw counts and denominators of its latest metrics snapshot
    (None before any), the rates they give, and the follower change around it."""

    campaign_id: str
    deliverable_id: str
    post_no: int
    platform: str
    published_at: datetime
    due_on: date
    on_time: bool
    disclosed: bool
    observed_at: datetime | None
    followers: int | None
    reach: int | None
    impressions: int | None
    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    interactions: int | None
    rate_by_followers: float | None
    rate_by_reach: float | None
    followers_before: int | None
    followers_after: int | None
    retention: float | None


@dataclass(frozen=True)
class CreatorReputation:
    """Everything the reputation of one creator is made of, as of ``t_ref``.

    Ratings are None until a brand's rating has been revealed (the prior alone
    is not a rating); ``score`` is None without a concluded agreement.
    """

    creator_id: str
    score: float | None
    formula_version: int
    t_ref: datetime | None
    tier: Tier
    largest_following: int
    overall_rating: float | None
    rating_count: int
    dimension_ratings: tuple[DimensionRating, ...]
    concluded_agreements: int
    completed: int
    cancelled_by_creator: int
    cancelled_by_brand: int
    completion: Rate
    on_time: Rate
    disclosure: Rate
    posts: tuple[PostEngagement, ...]
    median_engagement_rate: float | None
    median_engagement_rate_by_reach: float | None
    engagement_benchmark: float
    engagement_vs_benchmark: float | None
    giveaway_fulfilment: Rate
    median_retention: float | None
    retention_posts: int
    would_work_again: Rate


def creator_reputation(store: ReadStore, creator_id: UUID | str) -> CreatorReputation | None:
    """The reputation of one creator; None for a creator the projection has not seen."""
    return creator_reputations(store, [creator_id]).get(str(creator_id))


def creator_reputations(
    store: ReadStore, creator_ids: Iterable[UUID | str]
) -> dict[str, CreatorReputation]:
    """Reputations keyed by creator id (as text); unknown ids are left out."""
    ids = tuple(sorted({str(creator_id) for creator_id in creator_ids}))
    with reading(store) as qtx:
        found = qtx.cached(
            (NAME,), ("creator_reputations", ids), lambda: read_creator_reputations(qtx, ids)
        )
    return dict(found)


def read_creator_reputations(
    qtx: QueryTx, creator_ids: Iterable[UUID | str]
) -> dict[str, CreatorReputation]:
    """:func:`creator_reputations` inside a read the caller already holds."""
    ids = sorted({str(creator_id) for creator_id in creator_ids})
    if not ids:
        return {}
    t_ref = reference_time(qtx, NAME)
    k = _k(t_ref)
    creators = _select(qtx, "creators", _CREATOR_COLUMNS, ids)
    ratings: dict[str, list[Sequence[Any]]] = defaultdict(list)
    for creator_id, *rating in _select(
        qtx, "dimension_ratings", ("creator_id", "dimension", "ratings", "s0", "s1"), ids
    ):
        ratings[creator_id].append(rating)
    posts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _select(qtx, "posts", _POST_COLUMNS, ids):
        post = dict(zip(_POST_COLUMNS, row, strict=True))
        posts[post["creator_id"]].append(post)
    found = {}
    for row in creators:
        values = dict(zip(_CREATOR_COLUMNS, row, strict=True))
        creator_id = values["creator_id"]
        found[creator_id] = _reputation(
            values,
            dimension_ratings(ratings[creator_id], k, BRAND_RATING_DIMENSIONS),
            posts[creator_id],
            k,
            t_ref,
        )
    return found


def reference_factor_of(qtx: QueryTx) -> float:
    """K for the projection's current t_ref (1.0 before any event: nothing to weigh)."""
    return _k(reference_time(qtx, NAME))


@dataclass(frozen=True)
class ScoreSql:
    """An SQL expression and its parameters, in the order of the ``?`` in it."""

    expression: str
    params: tuple[float, ...]


def score_sql(alias: str, k: float) -> ScoreSql:
    """The unrounded 0–100 score of a ``creators`` row, NULL where there is no score.

    For the creator directory to sort by score in SQL. Join the reputation
    table under ``alias`` and pass K from :func:`reference_factor_of` read in
    the same :class:`QueryTx`::

        score = score_sql("r", reference_factor_of(qtx))
        qtx.fetchall(
            f"SELECT d.creator_id FROM {directory} d"
            f" LEFT JOIN {qtx.table('creator_reputation', 'creators')} r"
            f"  ON r.creator_id = d.creator_id"
            f" ORDER BY {score.expression} DESC NULLS LAST, d.creator_id",
            score.params,
        )

    It evaluates :func:`projections.formulas.score_from_parts` in the same
    order (the stored t_ref-independent parts, then the rating), so it equals
    :attr:`CreatorReputation.score` before rounding to one decimal.
    """
    a = check_identifier("alias", alias)
    rating_weight = SCORE_WEIGHTS["rating"]
    bayes = (
        f"(({PRIOR_MEAN * PRIOR_WEIGHT!r} + ? * {a}.rating_s1)"
        f" / ({PRIOR_WEIGHT!r} + ? * {a}.rating_s0))"
    )
    rated = f"{a}.ratings > 0"
    weighted = (
        f"({a}.score_weighted"
        f" + CASE WHEN {rated} THEN {rating_weight!r} * (({bayes} - 1.0) / 4.0) ELSE 0.0 END)"
    )
    weight = f"({a}.score_weight + CASE WHEN {rated} THEN {rating_weight!r} ELSE 0.0 END)"
    expression = (
        f"(CASE WHEN {a}.concluded > 0 AND ({a}.score_weight > 0 OR {rated})"
        f" THEN 100.0 * {weighted} / {weight} END)"
    )
    return ScoreSql(expression, (k, k))


# --- rows to values ----------------------------------------------------------------------
_CREATOR_COLUMNS = (
    "creator_id",
    *CreatorTotals.columns(),
    "max_followers",
    "tier",
    "rating_s0",
    "rating_s1",
)
_POST_COLUMNS = (
    "creator_id",
    "campaign_id",
    "deliverable_id",
    "post_no",
    "platform",
    "published_at",
    "due_on",
    "on_time",
    "disclosed",
    "observed_at",
    *POST_METRICS,
    "followers_before",
    "followers_after",
)


def _k(t_ref: datetime | None) -> float:
    return 1.0 if t_ref is None else reference_factor(days_since_epoch(t_ref))


def _select(
    qtx: QueryTx, logical: str, columns: Sequence[str], creator_ids: Sequence[str]
) -> Iterator[Sequence[Any]]:
    table = qtx.table(NAME, logical)
    for chunk in in_lists(creator_ids):
        yield from qtx.fetchall(
            f"SELECT {', '.join(columns)} FROM {table}"
            f" WHERE creator_id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        )


def _reputation(
    values: dict[str, Any],
    ratings: tuple[DimensionRating, ...],
    post_rows: list[dict[str, Any]],
    k: float,
    t_ref: datetime | None,
) -> CreatorReputation:
    totals = CreatorTotals.from_row([values[column] for column in CreatorTotals.columns()])
    samples = [PostSample.from_row([p[c] for c in PostSample.COLUMNS]) for p in post_rows]
    figures = post_figures(samples, int(values["max_followers"]))
    bayes = (
        bayesian_average(float(values["rating_s0"]), float(values["rating_s1"]), k)
        if totals.ratings
        else None
    )
    posts = tuple(_post(row, sample) for row, sample in zip(post_rows, samples, strict=True))
    return CreatorReputation(
        creator_id=values["creator_id"],
        score=creator_score(totals, figures, bayes),
        formula_version=FORMULA_VERSION,
        t_ref=t_ref,
        tier=figures.tier,
        largest_following=int(values["max_followers"]),
        overall_rating=bayes,
        rating_count=totals.ratings,
        dimension_ratings=ratings,
        concluded_agreements=totals.concluded,
        completed=totals.completed,
        cancelled_by_creator=totals.cancelled_by_creator,
        cancelled_by_brand=totals.cancelled_by_brand,
        completion=totals.completion,
        on_time=totals.on_time,
        disclosure=totals.disclosure,
        posts=tuple(
            sorted(
                posts, key=lambda p: (p.published_at, p.campaign_id, p.deliverable_id, p.post_no)
            )
        ),
        median_engagement_rate=figures.median_engagement,
        median_engagement_rate_by_reach=figures.median_reach_engagement,
        engagement_benchmark=figures.benchmark,
        engagement_vs_benchmark=figures.engagement_ratio,
        giveaway_fulfilment=totals.fulfilment,
        median_retention=figures.median_retention,
        retention_posts=sum(1 for s in samples if s.retention is not None),
        would_work_again=totals.would_work_again_share,
    )


def _post(row: dict[str, Any], sample: PostSample) -> PostEngagement:
    observed_at = row["observed_at"]
    return PostEngagement(
        campaign_id=row["campaign_id"],
        deliverable_id=row["deliverable_id"],
        post_no=int(row["post_no"]),
        platform=row["platform"],
        published_at=parse_moment(row["published_at"]),
        due_on=date.fromisoformat(row["due_on"]),
        on_time=bool(row["on_time"]),
        disclosed=bool(row["disclosed"]),
        observed_at=None if observed_at is None else parse_moment(observed_at),
        **{metric: row[metric] for metric in POST_METRICS},
        interactions=sample.interactions,
        rate_by_followers=sample.rate_by_followers,
        rate_by_reach=sample.rate_by_reach,
        followers_before=row["followers_before"],
        followers_after=row["followers_after"],
        retention=sample.retention,
    )
