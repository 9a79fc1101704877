"""After delivery: the creator's performance report, the brand's sales uplift, the
payment (on time, late or never) and double-blind feedback from harsh and
lenient raters, revealed by one side when the other stays silent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.application.commands import (
    RecordPayment,
    ReportPerformance,
    ReportSalesUplift,
    RevealFeedback,
    SubmitFeedback,
)
from domain.context import Actor
from domain.money import Money
from graphql_api.demo import vocabulary as words
from graphql_api.demo.market import BrandProfile, CreatorProfile, DemoMarket, Step


def follow_up(
    market: DemoMarket,
    cid: UUID,
    brand: BrandProfile,
    creator: CreatorProfile,
    terms: dict[str, Any],
) -> Step:
    brand_actor, creator_actor = Actor.brand(brand.id), Actor.creator(creator.id)
    assert market.ledger is not None
    campaign = market.ledger.get_campaign(cid)
    if campaign.delivered_at is None:
        return
    delivered = campaign.delivered_at
    if market.rng.random() < 0.7:
        yield timedelta(days=market.rng.uniform(3, 10))
        reach = int(max(creator.followers.values()) * market.rng.uniform(0.5, 1.5))
        market.run(
            creator_actor,
            lambda: ReportPerformance(
                campaign_id=cid,
                period_start=delivered.date(),
                period_end=market.now.date(),
                reach=reach,
                impressions=int(reach * market.rng.uniform(1.2, 2.5)),
                engagements=int(reach * creator.engagement * 1.4),
                clicks=int(reach * market.rng.uniform(0.005, 0.03)),
                followers_gained=int(reach * market.rng.uniform(-0.002, 0.01)),
                notes="Banyak pertanyaan soal harga di kolom komentar.",
            ),
        )
    if market.rng.random() < 0.5:
        yield timedelta(days=market.rng.uniform(5, 20))
        baseline = Decimal(market.rng.randint(20, 400) * 100_000)
        uplift = Decimal(str(round(market.rng.uniform(-0.05, 0.6), 3)))
        market.run(
            brand_actor,
            lambda: ReportSalesUplift(
                campaign_id=cid,
                baseline=Money(baseline, "IDR"),
                during=Money((baseline * (1 + uplift)).quantize(Decimal(1)), "IDR"),
                promo_code_redemptions=market.rng.randint(0, 250),
                period_start=delivered.date(),
                period_end=market.now.date(),
            ),
        )
    cash = terms["compensation"]["cash"]
    due = delivered + timedelta(days=terms["payment_due_days"])
    if cash is not None:
        roll = market.rng.random()
        if roll < 0.1 + (1 - brand.punctuality) * 0.2:
            pass
        else:
            late = roll > brand.punctuality
            target = (
                due + timedelta(days=market.rng.uniform(1, 30))
                if late
                else (delivered + timedelta(days=market.rng.uniform(1, terms["payment_due_days"])))
            )
            if target > market.now:
                yield target - market.now
            market.run(
                brand_actor,
                lambda: RecordPayment(
                    campaign_id=cid,
                    amount=Money(Decimal(cash["amount"]), "IDR"),
                    paid_at=market.now,
                    reference=f"TRX-{market.rng.randint(10**7, 10**8 - 1)}",
                ),
            )
    yield timedelta(days=market.rng.uniform(1, 6))
    sides = []
    if market.rng.random() < 0.9:
        sides.append("brand")
    if market.rng.random() < 0.88:
        sides.append("creator")
    market.rng.shuffle(sides)
    for side in sides:
        if side == "brand":
            ratings = {
                dim: _score(market, creator.quality + brand.rater_bias)
                for dim in (
                    "content_quality",
                    "communication",
                    "timeliness",
                    "authenticity",
                    "audience_fit",
                )
            }
            ratings["timeliness"] = _score(market, creator.punctuality * 5 + brand.rater_bias)
            actor = brand_actor
        else:
            ratings = {
                dim: _score(market, 3.2 + brand.punctuality * 1.6 - brand.fussiness)
                for dim in (
                    "payment_timeliness",
                    "creative_freedom",
                    "brief_clarity",
                    "communication",
                )
            }
            actor = creator_actor
        happy = sum(ratings.values()) / len(ratings) >= 3.5
        market.run(
            actor,
            lambda r=ratings, h=happy: SubmitFeedback(
                campaign_id=cid,
                ratings=r,
                would_work_again=h and market.rng.random() < 0.9,
                comment=market.rng.choice(words.COMMENTS_GOOD if h else words.COMMENTS_BAD),
            ),
        )
        yield timedelta(days=market.rng.uniform(1, 10))
    if len(sides) == 1 and market.rng.random() < 0.7:
        opens = delivered + timedelta(days=15)
        if opens > market.now:
            yield opens - market.now
        actor = brand_actor if sides[0] == "brand" else creator_actor
        market.run(actor, lambda: RevealFeedback(campaign_id=cid))


def _score(market: DemoMarket, mean: float) -> int:
    return max(1, min(5, round(market.rng.gauss(mean, 0.6))))
