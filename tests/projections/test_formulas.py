"""The reputation formulas, each against figures computed by hand."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog import Tier
from domain.profile import tier_for
from projections import formulas as f

T_REF = datetime(2026, 6, 1, tzinfo=UTC)


def test_days_are_counted_from_the_first_of_january_2020() -> None:
    assert f.days_since_epoch(datetime(2020, 1, 2, 12, tzinfo=UTC)) == 1.5
    assert f.days_since_epoch(datetime(2021, 1, 1, tzinfo=UTC)) == 366  # 2020 was a leap year


def test_a_rating_a_year_older_than_t_ref_weighs_half() -> None:
    assert f.recency_weight(1000, 1000) == 1.0
    assert f.recency_weight(1000 - 365, 1000) == 0.5
    assert f.recency_weight(1000 - 730, 1000) == 0.25
    assert f.recency_weight(1000 - 182.5, 1000) == pytest.approx(1 / math.sqrt(2))


def test_the_stored_factor_times_k_is_the_recency_weight() -> None:
    given_days, t_ref_days = 2000.0, 2365.0
    product = f.epoch_weight(given_days) * f.reference_factor(t_ref_days)
    assert product == pytest.approx(0.5)
    assert f.reference_factor(0) == 1.0
    assert f.epoch_weight(365) == 2.0


def test_bayesian_average_is_the_prior_without_ratings() -> None:
    assert f.bayesian_average(0.0, 0.0, 0.3) == 3.5


def test_bayesian_average_of_one_rating_given_at_t_ref() -> None:
    t = f.days_since_epoch(T_REF)
    w = f.epoch_weight(t)
    bayes = f.bayesian_average(w, w * 4.6, f.reference_factor(t))
    assert bayes == pytest.approx(22.1 / 6)  # (3.5·5 + 4.6) / (5 + 1)


def test_bayesian_average_of_a_five_given_a_year_before_t_ref() -> None:
    t_ref = f.days_since_epoch(T_REF)
    w = f.epoch_weight(t_ref - 365)
    bayes = f.bayesian_average(w, w * 5, f.reference_factor(t_ref))
    assert bayes == pytest.approx(20 / 5.5)  # (17.5 + 0.5·5) / (5 + 0.5)


@given(
    st.lists(st.tuples(st.floats(0, 3650), st.integers(1, 5)), min_size=1, max_size=20),
    st.floats(0, 3650),
)
def test_the_stored_sums_give_the_directly_weighted_average(
    ratings: list[tuple[float, int]], later: float
) -> None:
    t_ref = max(t for t, _ in ratings) + later
    s0 = sum(f.epoch_weight(t) for t, _ in ratings)
    s1 = sum(f.epoch_weight(t) * s for t, s in ratings)
    weights = [(f.recency_weight(t, t_ref), s) for t, s in ratings]
    direct = (3.5 * 5 + sum(w * s for w, s in weights)) / (5 + sum(w for w, _ in weights))
    assert f.bayesian_average(s0, s1, f.reference_factor(t_ref)) == pytest.approx(direct)


def test_median_of_odd_and_even_counts() -> None:
    assert f.median([]) is None
    assert f.median([3.0]) == 3.0
    assert f.median([0.05, 0.03, 0.045]) == 0.045
    assert f.median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert f.median([1, 2]) == 1.5
    assert f.median([Decimal("100"), Decimal("250")]) == Decimal("175")


def test_quartiles_interpolate_linearly_between_ranks() -> None:
    assert f.quartiles([]) is None
    prices = [Decimal(p) for p in ("400000", "100000", "300000", "200000")]
    # positions (n − 1)·q = 0.75, 1.5, 2.25 in 100k, 200k, 300k, 400k
    assert f.quartiles(prices) == f.Quartiles(
        Decimal("175000"), Decimal("250000"), Decimal("325000")
    )
    assert f.quartiles([Decimal("500000")]) == f.Quartiles(*[Decimal("500000")] * 3)
    assert f.quantile([1.0, 2.0, 3.0, 4.0, 5.0], 0.25) == 2.0
    assert f.quantile([10.0, 20.0], 0.1) == pytest.approx(11.0)
    with pytest.raises(ValueError, match="outside"):
        f.quantile([1.0], 1.5)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1), st.floats(0, 1), st.floats(0, 1))
def test_quantiles_lie_between_the_extremes_and_grow_with_q(
    values: list[float], q1: float, q2: float
) -> None:
    low, high = sorted((q1, q2))
    a, b = f.quantile(values, low), f.quantile(values, high)
    assert a is not None
    assert b is not None
    assert min(values) - 1e-6 <= a <= b + 1e-6
    assert b <= max(values) + 1e-6


def test_engagement_rate_needs_a_denominator() -> None:
    assert f.engagements(200, 30, 5, 9) == 244
    assert f.engagement_rate(244, 4300) == pytest.approx(0.0567442, abs=1e-7)
    assert f.engagement_rate(30, 1000) == 0.03
    assert f.engagement_rate(244, 0) is None
    assert f.engagement_rate(244, None) is None


def test_tier_benchmarks() -> None:
    assert f.tier_benchmark(Tier.NANO) == 0.0369
    assert f.tier_benchmark(Tier.MICRO) == 0.015
    for tier in (Tier.EMERGING, Tier.MACRO, Tier.MEGA):
        assert f.tier_benchmark(tier) == 0.01
    assert f.benchmark_ratio(0.045, Tier.NANO) == pytest.approx(1.2195, abs=1e-4)
    assert f.benchmark_ratio(None, Tier.NANO) is None


def test_retention_change_is_relative_to_the_following_before() -> None:
    assert f.retention_change(1000, 1100) == pytest.approx(0.1)
    assert f.retention_change(1000, 900) == pytest.approx(-0.1)
    assert f.retention_change(1000, None) is None
    assert f.retention_change(None, 900) is None
    assert f.retention_change(0, 900) is None


def test_completion_holds_the_creators_cancellations_not_the_brands() -> None:
    assert f.completion_rate(1, 2, 0) == f.Rate(1, 2)
    assert f.completion_rate(1, 3, 1).value == 0.5
    assert f.completion_rate(0, 1, 1).value is None


def test_units_abandoned_by_the_creator_are_due_and_late() -> None:
    assert f.on_time_rate(2, 3, 0).value == pytest.approx(2 / 3)
    assert f.on_time_rate(2, 3, 1) == f.Rate(2, 4)
    assert f.on_time_rate(0, 0, 0).value is None


def test_components_map_onto_zero_to_one() -> None:
    assert f.rating_component(5.0) == 1.0
    assert f.rating_component(1.0) == 0.0
    assert f.rating_component(22.1 / 6) == pytest.approx(0.6708, abs=1e-4)
    assert f.engagement_component(1.2195) == pytest.approx(0.6098, abs=1e-4)
    assert f.engagement_component(3.0) == 1.0
    assert f.retention_component(0.0) == 0.5
    assert f.retention_component(0.1) == pytest.approx(1.0)
    assert f.retention_component(-0.1) == pytest.approx(0.0)
    assert f.retention_component(0.5) == 1.0
    assert f.retention_component(-0.5) == 0.0


def test_the_worked_example_of_the_documentation_scores_68() -> None:
    assert tier_for([4_200]) is Tier.NANO
    t = f.days_since_epoch(T_REF)
    w = f.epoch_weight(t)
    bayes = f.bayesian_average(w, w * 4.6, f.reference_factor(t))
    ratio = f.benchmark_ratio(f.median([0.030, 0.045, 0.050]), Tier.NANO)
    assert ratio is not None
    components = f.ScoreComponents(
        rating=f.rating_component(bayes),
        completion=f.completion_rate(1, 2, 0).value,
        on_time=f.on_time_rate(2, 3, 0).value,
        disclosure=f.Rate(3, 3).value,
        engagement=f.engagement_component(ratio),
        fulfilment=None,
        would_work_again=f.Rate(1, 1).value,
        retention=None,
    )
    assert f.weighted_parts(components) == pytest.approx((0.41098, 0.60), abs=1e-5)
    assert f.score(components) == 68.0
    assert f.FORMULA_VERSION == 1


def test_missing_components_are_left_out_and_weights_renormalised() -> None:
    assert f.score(f.ScoreComponents()) is None
    assert f.score(f.ScoreComponents(completion=0.5)) == 50.0
    # (0.20·1 + 0.10·0) / 0.30
    assert f.score(f.ScoreComponents(completion=1.0, disclosure=0.0)) == 66.7
    assert f.score_from_parts(0.0, 0.0, None) is None
    assert f.score_from_parts(0.0, 0.0, 1.0) == 100.0


@given(
    st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=8, max_size=8),
)
def test_a_score_is_between_0_and_100_when_any_component_has_data(
    values: list[float | None],
) -> None:
    components = f.ScoreComponents(*values)
    result = f.score(components)
    if all(value is None for value in values):
        assert result is None
    else:
        assert result is not None
        assert 0.0 <= result <= 100.0
