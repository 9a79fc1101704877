"""Creator reputation, driven through the real Ledger on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.catalog import Tier
from projections.formulas import Rate
from projections.reputation.projection import CreatorReputationProjection
from projections.reputation.queries import (
    CreatorReputation,
    creator_reputation,
    creator_reputations,
    read_creator_reputations,
    reference_factor_of,
    score_sql,
)
from projections.store.query import QueryTx, reading
from tests.ledger_driver import BRAND, CREATOR, LedgerDriver

FIVE_FIVE_FIVE_FOUR_FOUR = {
    "content_quality": 5,
    "communication": 4,
    "timeliness": 5,
    "authenticity": 5,
    "audience_fit": 4,
}


@pytest.fixture
def world(open_driver: Callable[..., LedgerDriver]) -> LedgerDriver:
    return open_driver(CreatorReputationProjection())


def reputation(world: LedgerDriver, creator_id: UUID) -> CreatorReputation:
    world.catch_up()
    found = creator_reputation(world.store, creator_id)
    assert found is not None
    return found


def test_a_brand_rating_stays_sealed_until_the_feedback_is_revealed(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator)
    world.post(campaign)
    world.feedback(campaign, BRAND, FIVE_FIVE_FIVE_FOUR_FOUR, would_work_again=False)

    sealed = reputation(world, creator)
    assert (sealed.rating_count, sealed.overall_rating, sealed.dimension_ratings) == (0, None, ())
    assert sealed.would_work_again == Rate(0, 0)
    assert sealed.completion == Rate(0, 1)

    world.feedback(campaign, CREATOR, 1)  # the second submission reveals both
    revealed = reputation(world, creator)
    assert revealed.rating_count == 1
    assert revealed.overall_rating == pytest.approx((3.5 * 5 + 4.6) / 6)
    ratings = revealed.dimension_ratings
    assert [(r.dimension, r.count) for r in ratings] == [
        ("content_quality", 1),
        ("communication", 1),
        ("timeliness", 1),
        ("authenticity", 1),
        ("audience_fit", 1),
    ]
    assert [r.average for r in ratings] == pytest.approx(
        [22.5 / 6, 21.5 / 6, 22.5 / 6, 22.5 / 6, 21.5 / 6]
    )
    assert revealed.would_work_again == Rate(0, 1)
    assert revealed.completion == Rate(1, 1)


def test_one_sided_feedback_is_revealed_once_the_window_has_passed(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator)
    world.post(campaign)
    world.feedback(campaign, BRAND, 3)
    world.clock.advance(days=14)
    assert reputation(world, creator).rating_count == 0

    world.reveal(campaign)
    revealed = reputation(world, creator)
    assert revealed.rating_count == 1
    assert revealed.would_work_again == Rate(1, 1)
    # given 14 days before t_ref: weight 0.5^(14/365)
    weight = 0.5 ** (14 / 365)
    assert revealed.overall_rating == pytest.approx((17.5 + weight * 3) / (5 + weight))


def test_a_rating_weighs_half_once_t_ref_is_a_year_later(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator)
    world.post(campaign)
    world.feedback(campaign, BRAND, FIVE_FIVE_FIVE_FOUR_FOUR)
    world.feedback(campaign, CREATOR, 5)
    given = reputation(world, creator)

    world.clock.advance(days=365)
    world.record_followers(creator, "INSTAGRAM", 4_300)
    later = reputation(world, creator)
    assert given.t_ref is not None
    assert later.t_ref == given.t_ref + timedelta(days=365)
    assert later.overall_rating == pytest.approx((17.5 + 0.5 * 4.6) / 5.5)


def test_completion_holds_the_creators_cancellations_against_it_but_not_the_brands(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    completed = world.campaign(brand, creator)
    world.post(completed)
    world.feedback(completed, BRAND, 4)
    world.feedback(completed, CREATOR, 4)
    world.cancel(world.campaign(brand, creator), CREATOR)
    world.cancel(world.campaign(brand, creator), BRAND)
    world.campaign(brand, creator)  # still running
    never_concluded = world.campaign(brand, creator, concluded=False)
    world.accept(never_concluded)
    world.cancel(never_concluded, CREATOR)

    found = reputation(world, creator)
    assert (found.concluded_agreements, found.completed) == (4, 1)
    assert (found.cancelled_by_creator, found.cancelled_by_brand) == (1, 1)
    assert found.completion == Rate(1, 3)


def test_on_time_counts_late_units_and_units_the_creator_abandoned(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    early = world.campaign(brand, creator, due_in_days=10)
    late = world.campaign(brand, creator, due_in_days=2)
    on_the_day = world.campaign(brand, creator, due_in_days=3)
    abandoned = world.campaign(brand, creator, units=(1, 2))
    dropped_by_brand = world.campaign(brand, creator, units=(2,))
    world.post(early)
    world.post(abandoned, "d1")
    world.cancel(abandoned, CREATOR)  # leaves d2's two units unpublished
    world.cancel(dropped_by_brand, BRAND)
    world.clock.advance(days=3)  # 2026-03-05: past the due date of `late`, the day of the next
    world.post(late)
    world.post(on_the_day)

    found = reputation(world, creator)
    assert found.on_time == Rate(3, 6)
    assert {post.campaign_id: post.on_time for post in found.posts} == {
        str(early): True,
        str(abandoned): True,
        str(late): False,
        str(on_the_day): True,
    }


def test_disclosure_counts_posts_without_a_paid_partnership_marker(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator, units=(2,))
    world.post(campaign, caption="Love it #iklan")
    world.post(campaign, caption="Love it, honestly")

    found = reputation(world, creator)
    assert found.disclosure == Rate(1, 2)
    assert [(post.post_no, post.disclosed) for post in found.posts] == [(1, True), (2, False)]


def test_engagement_uses_the_raw_counts_of_each_posts_latest_snapshot(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator, units=(3,))
    published = world.clock()
    for _ in range(3):
        world.post(campaign)
    day_one, day_two = published + timedelta(days=1), published + timedelta(days=2)
    world.clock.advance(days=3)
    world.snapshot(
        campaign, 1, observed_at=day_one, likes=20, comments=5, shares=3, saves=2, reach=600
    )
    world.snapshot(campaign, 2, observed_at=day_two, likes=40, comments=5)
    world.snapshot(campaign, 2, observed_at=day_one, likes=10)  # recorded later, observed earlier
    world.snapshot(campaign, 3, observed_at=day_one, likes=10)
    world.snapshot(
        campaign, 3, observed_at=day_one, likes=48, comments=2
    )  # same moment: later wins

    found = reputation(world, creator)
    assert [
        (p.post_no, p.likes, p.comments, p.shares, p.saves, p.interactions, p.followers, p.reach)
        for p in found.posts
    ] == [
        (1, 20, 5, 3, 2, 30, 1000, 600),
        (2, 40, 5, 0, 0, 45, 1000, None),
        (3, 48, 2, 0, 0, 50, 1000, None),
    ]
    assert [p.observed_at for p in found.posts] == [day_one, day_two, day_one]
    assert [p.rate_by_followers for p in found.posts] == [0.03, 0.045, 0.05]
    assert [p.rate_by_reach for p in found.posts] == [0.05, None, None]
    assert found.median_engagement_rate == 0.045
    assert found.median_engagement_rate_by_reach == 0.05
    assert (found.tier, found.engagement_benchmark) == (Tier.NANO, 0.0369)
    assert found.engagement_vs_benchmark == pytest.approx(0.045 / 0.0369)


def test_a_post_without_metrics_or_followers_has_no_engagement_rate(
    world: LedgerDriver,
) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator, units=(2,))
    world.post(campaign)
    world.post(campaign)
    world.snapshot(campaign, 2, followers=0, likes=5)

    found = reputation(world, creator)
    assert [(p.interactions, p.rate_by_followers) for p in found.posts] == [(None, None), (5, None)]
    assert found.median_engagement_rate is None
    assert found.engagement_vs_benchmark is None


def test_retention_compares_the_last_following_before_a_post_with_the_first_28_days_after(
    world: LedgerDriver,
) -> None:
    brand = world.brand()
    creator = world.creator("sari.nano", followers={"INSTAGRAM": 4_200, "TIKTOK": 900})
    start = world.clock()
    world.record_followers(creator, "INSTAGRAM", 4_000, observed_at=start - timedelta(days=2))
    world.record_followers(creator, "INSTAGRAM", 4_100, observed_at=start - timedelta(hours=1))
    campaign = world.campaign(brand, creator)
    world.post(campaign)
    world.clock.advance(days=40)
    for days, followers in ((27, 3_000), (35, 4_510)):
        world.record_followers(creator, "INSTAGRAM", followers, start + timedelta(days=days))
    world.record_followers(creator, "TIKTOK", 10, start + timedelta(days=29))

    first = reputation(world, creator)
    (post,) = first.posts
    assert (post.followers_before, post.followers_after) == (4_100, 4_510)
    assert first.median_retention == pytest.approx(0.1)
    assert first.retention_posts == 1

    world.record_followers(creator, "INSTAGRAM", 4_305, start + timedelta(days=30))
    second = reputation(world, creator)
    assert second.posts[0].followers_after == 4_305
    assert second.median_retention == pytest.approx(0.05)
    assert second.largest_following == 4_510


def test_giveaway_fulfilment_is_prizes_delivered_over_winners_drawn(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    campaign = world.campaign(brand, creator, giveaway_required=True)
    assert reputation(world, creator).giveaway_fulfilment == Rate(0, 0)

    world.giveaway(campaign, winners=2, delivered=1)
    assert reputation(world, creator).giveaway_fulfilment == Rate(1, 2)


def test_the_tier_follows_the_largest_platform_following(world: LedgerDriver) -> None:
    creator = world.creator("sari.nano", followers={"INSTAGRAM": 4_200, "TIKTOK": 900})
    nano = reputation(world, creator)
    assert (nano.tier, nano.largest_following, nano.engagement_benchmark) == (
        Tier.NANO,
        4_200,
        0.0369,
    )

    world.record_followers(creator, "TIKTOK", 25_000)
    world.record_followers(creator, "INSTAGRAM", 90_000, world.clock() - timedelta(days=9))
    micro = reputation(world, creator)  # the older Instagram figure is not the latest
    assert (micro.tier, micro.largest_following, micro.engagement_benchmark) == (
        Tier.MICRO,
        25_000,
        0.015,
    )


def test_the_worked_example_of_the_documentation_scores_68(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    completed = world.campaign(brand, creator, units=(1, 1), due_in_days=10)
    running = world.campaign(brand, creator, units=(2,), due_in_days=1)
    world.post(completed, "d1")
    world.post(completed, "d2")
    world.clock.advance(days=2)
    world.post(running)  # late
    for campaign, deliverable, likes in (
        (completed, "d1", 30),
        (completed, "d2", 45),
        (running, "d1", 50),
    ):
        world.snapshot(campaign, deliverable_id=deliverable, likes=likes)
    world.feedback(
        completed, BRAND, {**FIVE_FIVE_FIVE_FOUR_FOUR, "communication": 5, "timeliness": 4}
    )
    world.feedback(completed, CREATOR, 4)

    found = reputation(world, creator)
    assert found.t_ref == world.clock()
    assert (found.tier, found.completion, found.on_time, found.disclosure) == (
        Tier.NANO,
        Rate(1, 2),
        Rate(2, 3),
        Rate(3, 3),
    )
    assert found.median_engagement_rate == 0.045
    assert found.overall_rating == pytest.approx(22.1 / 6)
    assert (found.would_work_again, found.giveaway_fulfilment) == (Rate(1, 1), Rate(0, 0))
    assert found.median_retention is None
    assert (found.score, found.formula_version) == (68.0, 1)
    assert world.read_side.verify() == []


def test_a_creator_without_an_agreement_has_no_score(world: LedgerDriver) -> None:
    brand, creator = world.brand(), world.creator("sari.nano")
    world.campaign(brand, creator, concluded=False)

    found = reputation(world, creator)
    assert (found.score, found.concluded_agreements, found.posts) == (None, 0, ())
    assert found.completion.value is None
    assert creator_reputation(world.store, uuid4()) is None


def test_the_sql_score_orders_creators_as_the_python_score_does(world: LedgerDriver) -> None:
    brand = world.brand()
    creators = {name: world.creator(name) for name in ("ana", "bea", "cici", "dewi", "eka", "fani")}
    good = world.campaign(brand, creators["ana"])
    world.post(good)
    world.feedback(good, BRAND, 5)
    world.feedback(good, CREATOR, 5)
    poor = world.campaign(brand, creators["bea"])
    world.post(poor, caption="no marker here")
    world.feedback(poor, BRAND, 2, would_work_again=False)
    world.feedback(poor, CREATOR, 3)
    world.cancel(world.campaign(brand, creators["cici"]), CREATOR)
    world.post(world.campaign(brand, creators["dewi"]))
    world.cancel(world.campaign(brand, creators["eka"]), BRAND)  # concluded, nothing to score
    world.clock.advance(days=100)
    world.record_followers(creators["ana"], "INSTAGRAM", 4_300)  # moves t_ref: K < 1

    found = {str(c): reputation(world, c) for c in creators.values()}
    with reading(world.store) as qtx:
        score = score_sql("r", reference_factor_of(qtx))
        rows = qtx.fetchall(
            f"SELECT r.creator_id, {score.expression}"
            f" FROM {qtx.table('creator_reputation', 'creators')} r"
            f" ORDER BY {score.expression} DESC NULLS LAST, r.creator_id",
            score.params * 2,
        )
    by_sql: dict[str, float | None] = dict(rows)
    assert {creator: rep.score for creator, rep in found.items()} == {
        creator: None if value is None else round(value, 1) for creator, value in by_sql.items()
    }
    python_order = sorted(found, key=lambda c: (found[c].score is None, -(found[c].score or 0), c))
    assert [creator for creator, _ in rows] == python_order
    assert [found[c].score is None for c in python_order] == [False] * 4 + [True] * 2


class CountingReads:
    """A QueryTx that counts the statements run through it."""

    def __init__(self, qtx: QueryTx) -> None:
        self._qtx = qtx
        self.statements = 0

    def table(self, projection: str, logical: str) -> str:
        return self._qtx.table(projection, logical)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._qtx, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.statements += 1
            return method(*args, **kwargs)

        return counted


def test_many_reputations_are_read_with_one_query_per_table(world: LedgerDriver) -> None:
    brand = world.brand()
    creators = [world.creator(f"creator{n}") for n in range(6)]
    for creator in creators:
        world.post(world.campaign(brand, creator))
    world.catch_up()

    with reading(world.store) as qtx:
        counting = CountingReads(qtx)
        many = read_creator_reputations(counting, [*creators, uuid4()])  # type: ignore[arg-type]
    assert counting.statements == 4  # t_ref, creators, dimension ratings, posts
    assert sorted(many) == sorted(str(c) for c in creators)
    assert creator_reputations(world.store, creators[:2]) == {
        str(c): creator_reputation(world.store, c) for c in creators[:2]
    }
    assert creator_reputations(world.store, []) == {}
