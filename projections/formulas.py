"""The reputation formulas of docs/reputation.md (``FORMULA_VERSION``) as pure functions.

Projections store raw counters and sums; these functions turn them into the
figures users see. They are kept pure and tiny so that the worked example of
the documentation is a unit test, and so that the Python score and the SQL
ordering the creator directory uses (:mod:`projections.reputation.queries`)
evaluate the same arithmetic in the same order.

Time enters only as days since :data:`EPOCH` and the reference time ``t_ref``
(the newest event a projection has processed), never the wall clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar

from domain.catalog import Tier
from domain.post_metrics import engagements as engagements

FORMULA_VERSION = 1
"""Bump with any change to the meaning of a figure below (and the projection versions)."""

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
"""Origin of the day numbers the rating sums are stored in."""

HALF_LIFE_DAYS = 365.0
PRIOR_MEAN = 3.5
PRIOR_WEIGHT = 5.0
RETENTION_DELAY_DAYS = 28
ENGAGEMENT_RATIO_CAP = 2.0

TIER_BENCHMARKS: dict[Tier, float] = {Tier.NANO: 0.0369, Tier.MICRO: 0.015}
"""Typical engagement rate per tier; every tier not listed is benchmarked at 1 %."""
OTHER_TIER_BENCHMARK = 0.01

Number = TypeVar("Number", float, Decimal)


# --- time and recency ------------------------------------------------------------
def days_since_epoch(moment: datetime) -> float:
    """Fractional days from :data:`EPOCH` to ``moment`` (timezone-aware)."""
    return (moment - EPOCH).total_seconds() / 86_400


def recency_weight(given_days: float, t_ref_days: float) -> float:
    """``0.5 ^ ((t_ref − t) / 365)``: a rating a year older than t_ref counts half."""
    return math.pow(0.5, (t_ref_days - given_days) / HALF_LIFE_DAYS)


def epoch_weight(given_days: float) -> float:
    """``2 ^ (t / H)``, the factor of a rating's weight that is fixed when it is given.

    Stored sums ``S0 = Σ epoch_weight(t)`` and ``S1 = Σ epoch_weight(t)·s`` never
    change when t_ref moves; :func:`reference_factor` supplies the rest at read time.
    """
    return math.pow(2.0, given_days / HALF_LIFE_DAYS)


def reference_factor(t_ref_days: float) -> float:
    """``K = 2 ^ (−t_ref / H)``, so that ``K · epoch_weight(t) = recency_weight(t, t_ref)``."""
    return math.pow(2.0, -t_ref_days / HALF_LIFE_DAYS)


def bayesian_average(
    s0: float,
    s1: float,
    k: float,
    *,
    prior_mean: float = PRIOR_MEAN,
    prior_weight: float = PRIOR_WEIGHT,
) -> float:
    """``(m·k₀ + K·S1) / (k₀ + K·S0)``: recency-weighted mean pulled towards the prior.

    A handful of ratings cannot make a creator look perfect (or ruined); the
    prior weighs as much as ``prior_weight`` ratings given at t_ref.
    """
    return (prior_mean * prior_weight + k * s1) / (prior_weight + k * s0)


# --- order statistics ------------------------------------------------------------
def quantile(values: Iterable[Number], q: float) -> Number | None:
    """The ``q``-quantile with linear interpolation between closest ranks.

    Method: sort the n values, take position ``h = (n − 1)·q`` and interpolate
    ``x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`` — Hyndman & Fan type 7, the
    default of numpy and of PostgreSQL's ``percentile_cont``. None when empty.
    Works on floats and on Decimals (money stays exact).
    """
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile {q} is outside [0, 1]")
    position = (len(ordered) - 1) * q
    lower = math.floor(position)
    fraction = position - lower
    low = ordered[lower]
    if fraction == 0:
        return low
    high = ordered[lower + 1]
    if isinstance(low, Decimal):
        return low + (high - low) * Decimal(fraction)
    return low + (high - low) * fraction


def median(values: Iterable[Number]) -> Number | None:
    """The middle value (mean of the two middle ones for an even count); None when empty."""
    return quantile(values, 0.5)


@dataclass(frozen=True)
class Quartiles:
    p25: Decimal
    median: Decimal
    p75: Decimal


def quartiles(values: Iterable[Decimal]) -> Quartiles | None:
    """p25, median and p75 by :func:`quantile` (linear interpolation); None when empty."""
    ordered = sorted(values)
    p25, mid, p75 = (quantile(ordered, q) for q in (0.25, 0.5, 0.75))
    if p25 is None or mid is None or p75 is None:
        return None
    return Quartiles(p25, mid, p75)


# --- signals ---------------------------------------------------------------------
def share(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, or None when there is nothing to divide by."""
    return numerator / denominator if denominator > 0 else None


@dataclass(frozen=True)
class Rate:
    """A share with the counts behind it, so a reader can show "3 of 4" and judge
    the sample, not only "75 %"."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """``numerator / denominator``; None when the denominator is 0."""
        return share(self.numerator, self.denominator)


def completion_rate(completed: int, concluded: int, cancelled_by_brand: int) -> Rate:
    """Completed ÷ (concluded − cancelled by the brand): a brand's cancellation is not
    held against the creator, the creator's own stays in the denominator."""
    return Rate(completed, concluded - cancelled_by_brand)


def on_time_rate(on_time: int, published: int, abandoned: int) -> Rate:
    """Units published by their due date ÷ units due, where units a creator left
    unpublished by cancelling count as due (and not on time)."""
    return Rate(on_time, published + abandoned)


def engagement_rate(interactions: int, denominator: int | None) -> float | None:
    """Interactions ÷ followers (or ÷ reach); None when the denominator is 0 or unknown."""
    if not denominator:
        return None
    return interactions / denominator


def tier_benchmark(tier: Tier) -> float:
    """The engagement rate typical of a tier (NANO 3.69 %, MICRO 1.5 %, others 1 %)."""
    return TIER_BENCHMARKS.get(tier, OTHER_TIER_BENCHMARK)


def benchmark_ratio(median_rate: float | None, tier: Tier) -> float | None:
    """A creator's median engagement rate relative to its tier's benchmark."""
    return None if median_rate is None else median_rate / tier_benchmark(tier)


def retention_change(before: int | None, after: int | None) -> float | None:
    """``after / before − 1``: the follower change across a sponsored post.

    None unless both observations exist and ``before`` is positive.
    """
    if before is None or after is None or before <= 0:
        return None
    return after / before - 1


# --- the score -------------------------------------------------------------------
def rating_component(bayes: float) -> float:
    """A 1–5 rating mapped onto [0, 1]."""
    return (bayes - 1) / 4


def engagement_component(ratio: float) -> float:
    """Twice the tier benchmark or better is full marks."""
    return min(ratio, ENGAGEMENT_RATIO_CAP) / ENGAGEMENT_RATIO_CAP


def retention_component(median_change: float) -> float:
    """No change → 0.5, +10 % → 1, −10 % → 0."""
    return min(max(0.5 + 5 * median_change, 0.0), 1.0)


@dataclass(frozen=True)
class ScoreComponents:
    """Each component in [0, 1], or None when there is no data for it."""

    rating: float | None = None
    completion: float | None = None
    on_time: float | None = None
    disclosure: float | None = None
    engagement: float | None = None
    fulfilment: float | None = None
    would_work_again: float | None = None
    retention: float | None = None


SCORE_WEIGHTS: dict[str, float] = {
    "rating": 0.30,
    "completion": 0.20,
    "on_time": 0.15,
    "disclosure": 0.10,
    "engagement": 0.10,
    "fulfilment": 0.05,
    "would_work_again": 0.05,
    "retention": 0.05,
}
_SEPARATELY_SORTED = "rating"
"""The one component that depends on t_ref, so it is added last, at read time."""


def weighted_parts(components: ScoreComponents) -> tuple[float, float]:
    """``(Σ wᵢ·cᵢ, Σ wᵢ)`` over the components present, the rating excepted.

    Everything but the rating is fixed between events, so projections store
    these two numbers and the directory can sort by score in SQL
    (:func:`score_from_parts` with the rating added).
    """
    weighted = weight = 0.0
    for field in fields(ScoreComponents):
        value = getattr(components, field.name)
        if field.name == _SEPARATELY_SORTED or value is None:
            continue
        weighted += SCORE_WEIGHTS[field.name] * value
        weight += SCORE_WEIGHTS[field.name]
    return weighted, weight


def score_from_parts(weighted: float, weight: float, rating: float | None) -> float | None:
    """The unrounded 0–100 score: ``100 · (Σ + w_r·c_r) / (Σw + w_r)``, the rating last.

    This evaluation order is the one the SQL expression of
    :func:`projections.reputation.queries.score_sql` follows.
    """
    if rating is not None:
        weighted += SCORE_WEIGHTS[_SEPARATELY_SORTED] * rating
        weight += SCORE_WEIGHTS[_SEPARATELY_SORTED]
    if weight <= 0:
        return None
    return 100.0 * weighted / weight


def score(components: ScoreComponents) -> float | None:
    """``round(100 · Σ wᵢ·cᵢ / Σ wᵢ, 1)`` over present components, weights renormalised.

    None when no component has data. Whether a creator has a score at all (it
    needs a concluded agreement) is the caller's decision.
    """
    raw = score_from_parts(*weighted_parts(components), components.rating)
    return None if raw is None else round(raw, 1)
