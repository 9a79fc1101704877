"""The work after the agreement: drafts with honest pros and cons (some sent back
for changes), posts (some late, some without disclosure) with their metric
snapshots, and a giveaway's close, draw, shipments and deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application.commands import (
    ApproveDraft,
    CloseGiveaway,
    ConfirmPrizeDelivered,
    DrawGiveawayWinners,
    PublishPost,
    RecordPostMetrics,
    RequestChanges,
    ShipPrize,
    SubmitDraft,
)
from domain.catalog import Platform
from domain.context import Actor
from graphql_api.demo import vocabulary as words
from graphql_api.demo.market import BrandProfile, CreatorProfile, DemoMarket, Step


def deliver_unit(
    market: DemoMarket,
    cid: UUID,
    brand: BrandProfile,
    creator: CreatorProfile,
    deliverable: dict[str, Any],
    terms: dict[str, Any],
) -> Step:
    brand_actor, creator_actor = Actor.brand(brand.id), Actor.creator(creator.id)
    did = deliverable["deliverable_id"]
    pros = market.rng.sample(words.PROS, market.rng.randint(1, 3))
    cons = market.rng.sample(words.CONS, market.rng.randint(1, 2))
    disclosed = market.rng.random() < creator.diligence
    tag = f" {market.rng.choice(words.DISCLOSURE_TAGS)}" if disclosed else ""
    caption = f"{market.rng.choice(words.CAPTION_OPENERS)} produk ini! {' '.join(pros)}.{tag}"
    late = market.rng.random() > creator.punctuality
    due = datetime.combine(deliverable["due_on"], datetime.min.time(), UTC)
    yield timedelta(days=market.rng.uniform(1, 5))
    if terms["approval_required"]:
        assert market.ledger is not None
        while True:
            campaign = market.ledger.get_campaign(cid)
            draft_no = len(campaign.drafts.get(did, [])) + 1
            if (
                market.run(
                    creator_actor,
                    lambda n=draft_no: SubmitDraft(
                        campaign_id=cid,
                        deliverable_id=did,
                        caption=caption,
                        pros=pros,
                        cons=cons,
                        media_urls=[f"https://cdn.example/{cid.hex[:8]}/{did}-{n}.jpg"],
                    ),
                )
                is None
            ):
                return
            yield timedelta(hours=market.rng.uniform(4, 60))
            if draft_no < 4 and market.rng.random() < 0.2 + brand.fussiness * 0.5:
                market.run(
                    brand_actor,
                    lambda n=draft_no: RequestChanges(
                        campaign_id=cid,
                        deliverable_id=did,
                        draft_no=n,
                        notes="Tolong tonjolkan manfaat utama produk di awal video.",
                    ),
                )
                yield timedelta(hours=market.rng.uniform(6, 48))
                continue
            if (
                market.run(
                    brand_actor,
                    lambda n=draft_no: ApproveDraft(
                        campaign_id=cid, deliverable_id=did, draft_no=n
                    ),
                )
                is None
            ):
                return
            break
    target = due + timedelta(days=market.rng.uniform(1, 9)) if late else None
    if target is not None and target > market.now:
        yield target - market.now
    else:
        yield timedelta(hours=market.rng.uniform(2, 30))
    published_at = market.now
    result = market.run(
        creator_actor,
        lambda: PublishPost(
            campaign_id=cid,
            deliverable_id=did,
            url=f"https://social.example/{creator.handle}/{cid.hex[:10]}{did}",
            published_at=published_at,
            caption=caption,
            paid_partnership_flag=disclosed and market.rng.random() < 0.3,
        ),
    )
    if result is None:
        return
    platform = Platform(deliverable["platform"])
    assert market.ledger is not None
    post_no = len(market.ledger.get_campaign(cid).posts.get(did, []))
    base = creator.followers.get(platform, max(creator.followers.values()))
    for offset in sorted(market.rng.sample((1, 3, 7, 14, 28), market.rng.randint(2, 4))):
        wait = published_at + timedelta(days=offset, hours=market.rng.uniform(0, 6)) - market.now
        if wait > timedelta(0):
            yield wait
        engaged = base * creator.engagement * min(1.0, 0.55 + offset / 20)
        market.run(
            creator_actor,
            lambda e=engaged: RecordPostMetrics(
                campaign_id=cid,
                deliverable_id=did,
                post_no=post_no,
                observed_at=market.now,
                followers=creator.followers.get(platform, base),
                reach=int(base * market.rng.uniform(0.3, 0.9)),
                impressions=int(base * market.rng.uniform(0.6, 1.6)),
                views=int(base * market.rng.uniform(0.4, 1.2)),
                likes=int(e * 0.82),
                comments=int(e * 0.09),
                shares=int(e * 0.05),
                saves=int(e * 0.04),
            ),
        )


def finish_giveaway(
    market: DemoMarket,
    cid: UUID,
    brand_actor: Actor,
    creator_actor: Actor,
    giveaway: tuple[str, str],
) -> Step:
    gid, seed = giveaway
    assert market.ledger is not None
    closes = market.ledger.get_campaign(cid).giveaways[gid]["closes_at"]
    if closes > market.now:
        yield closes - market.now + timedelta(hours=1)
    market.run(creator_actor, lambda: CloseGiveaway(campaign_id=cid, giveaway_id=gid))
    yield timedelta(hours=market.rng.uniform(2, 24))
    if (
        market.run(
            creator_actor, lambda: DrawGiveawayWinners(campaign_id=cid, giveaway_id=gid, seed=seed)
        )
        is None
    ):
        return
    winners = market.ledger.get_campaign(cid).giveaways[gid]["winners"] or []
    for winner in winners:
        if market.rng.random() < 0.92:
            yield timedelta(days=market.rng.uniform(1, 4))
            market.run(
                brand_actor,
                lambda w=winner: ShipPrize(
                    campaign_id=cid,
                    giveaway_id=gid,
                    winner=w,
                    carrier=market.rng.choice(words.CARRIERS),
                    tracking_ref=f"RS{market.rng.randint(10**9, 10**10 - 1)}ID",
                ),
            )
            if market.rng.random() < 0.9:
                yield timedelta(days=market.rng.uniform(2, 6))
                market.run(
                    creator_actor,
                    lambda w=winner: ConfirmPrizeDelivered(
                        campaign_id=cid, giveaway_id=gid, winner=w
                    ),
                )
