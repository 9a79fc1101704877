"""The market's brands and creators: registration, briefs, platform accounts and
followings, rate cards and causes, and the followings that drift over time.

Tiers, prices and engagement rates resemble the Indonesian market the domain
comes from: most creators are nano or micro, and a nano creator's post costs
about Rp500.000.
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from domain.application.commands import (
    DeclareCauses,
    LinkPlatformAccount,
    PublishBrief,
    PublishRateCard,
    RecordFollowers,
    RegisterBrand,
    RegisterCreator,
)
from domain.catalog import ContentFormat, Platform, Tier
from domain.context import Actor
from domain.money import Money
from graphql_api.demo import vocabulary as words
from graphql_api.demo.market import BrandProfile, CreatorProfile, DemoMarket, Step

FORMATS_BY_PLATFORM: dict[Platform, tuple[ContentFormat, ...]] = {
    Platform.INSTAGRAM: (
        ContentFormat.POST,
        ContentFormat.CAROUSEL,
        ContentFormat.REEL,
        ContentFormat.STORY,
    ),
    Platform.TIKTOK: (ContentFormat.SHORT_VIDEO, ContentFormat.LIVE),
    Platform.YOUTUBE: (ContentFormat.LONG_VIDEO, ContentFormat.SHORT_VIDEO),
    Platform.X: (ContentFormat.THREAD, ContentFormat.POST),
    Platform.BLOG: (ContentFormat.BLOG_ARTICLE,),
    Platform.FACEBOOK: (ContentFormat.POST,),
    Platform.TWITCH: (ContentFormat.LIVE,),
}
PLATFORM_WEIGHTS = {
    Platform.INSTAGRAM: 40,
    Platform.TIKTOK: 30,
    Platform.YOUTUBE: 12,
    Platform.X: 8,
    Platform.BLOG: 6,
    Platform.FACEBOOK: 3,
    Platform.TWITCH: 1,
}
TIER_MIX = ((Tier.EMERGING, 0.08), (Tier.NANO, 0.57), (Tier.MICRO, 0.31), (Tier.MACRO, 0.04))
TIER_RANGE = {
    Tier.EMERGING: (300, 999),
    Tier.NANO: (1_000, 9_999),
    Tier.MICRO: (10_000, 99_999),
    Tier.MACRO: (100_000, 600_000),
}
TIER_PRICE = {
    Tier.EMERGING: 250_000,
    Tier.NANO: 500_000,
    Tier.MICRO: 1_500_000,
    Tier.MACRO: 6_000_000,
    Tier.MEGA: 20_000_000,
}
TIER_ENGAGEMENT = {
    Tier.EMERGING: 0.05,
    Tier.NANO: 0.037,
    Tier.MICRO: 0.016,
    Tier.MACRO: 0.011,
    Tier.MEGA: 0.008,
}
FORMAT_PRICE = {
    ContentFormat.POST: 1.0,
    ContentFormat.CAROUSEL: 1.2,
    ContentFormat.STORY: 0.5,
    ContentFormat.REEL: 1.8,
    ContentFormat.SHORT_VIDEO: 1.7,
    ContentFormat.LONG_VIDEO: 3.0,
    ContentFormat.LIVE: 1.5,
    ContentFormat.BLOG_ARTICLE: 1.3,
    ContentFormat.THREAD: 0.7,
}


def populate(market: DemoMarket) -> None:
    admin = Actor.admin("demo")
    used_handles: set[str] = set()
    for _ in range(market.size.brands):
        _register_brand(market, admin)
    for _ in range(market.size.creators):
        _register_creator(market, admin, used_handles)


def _register_brand(market: DemoMarket, admin: Actor) -> None:
    industry = market.rng.choice(list(words.BRAND_INDUSTRIES))
    heads, tails = words.BRAND_INDUSTRIES[industry]
    name = f"{market.rng.choice(heads)} {market.rng.choice(tails)} {market.rng.randint(1, 999)}"
    causes = market.rng.sample(words.BRAND_CAUSES, market.rng.choice((0, 0, 1, 2)))
    slug = name.lower().replace(" ", "")
    result = market.run(
        admin,
        lambda: RegisterBrand(
            name=name, industry=industry, causes=causes, website=f"https://{slug}.example"
        ),
    )
    if result is None:
        return
    niches = {
        "fashion": ("fashion", "beauty"),
        "beauty": ("beauty", "health"),
        "health": ("health", "parenting", "sustainability"),
        "food & beverage": ("food", "travel", "parenting"),
    }[industry]
    rater = market.rng.random()
    bias = -0.9 if rater < 0.15 else (0.6 if rater > 0.85 else market.rng.gauss(0, 0.2))
    profile = BrandProfile(
        id=result.aggregate_id,
        industry=industry,
        niches=niches,
        rater_bias=bias,
        punctuality=market.rng.betavariate(6, 2),
        fussiness=market.rng.betavariate(2, 5),
    )
    market.brands.append(profile)
    market.stats.brands += 1
    if market.rng.random() < 0.4:
        _publish_brief(market, profile)


def _publish_brief(market: DemoMarket, brand: BrandProfile) -> None:
    starts = market.now.date()
    ends = starts + timedelta(days=market.rng.randint(60, 300))
    result = market.do(
        Actor.brand(brand.id),
        lambda app, ctx: app.execute(
            ctx,
            PublishBrief(
                brand_id=brand.id,
                title=f"Kampanye {market.rng.choice(brand.niches)} {starts.year}",
                objective="Meningkatkan awareness produk baru lewat review jujur kreator nano.",
                key_messages=["bahan lokal", "harga terjangkau"],
                niches=list(brand.niches),
                platforms=["INSTAGRAM", "TIKTOK"],
                budget=Money(Decimal(market.rng.randint(5, 60) * 1_000_000), "IDR"),
                starts_on=starts,
                ends_on=ends,
            ),
        ),
    )
    if result is not None:
        brand.briefs.append((result.aggregate_id, ends))


def _register_creator(market: DemoMarket, admin: Actor, used: set[str]) -> None:
    niche = market.rng.choice(words.NICHES)
    niches = tuple(dict.fromkeys((niche, market.rng.choice(words.NICHES))))[
        : market.rng.choice((1, 2))
    ]
    first, last = market.rng.choice(words.FIRST_NAMES), market.rng.choice(words.LAST_NAMES)
    handle = f"{first}.{market.rng.choice(words.NICHE_WORDS[niche])}"
    while handle in used:
        handle = (
            f"{first}.{market.rng.choice(words.NICHE_WORDS[niche])}{market.rng.randint(1, 9999)}"
        )
    used.add(handle)
    origin = "NATIVE" if market.rng.random() < 0.8 else "NON_NATIVE"
    result = market.run(
        admin,
        lambda: RegisterCreator(
            handle=handle,
            display_name=f"{first.title()} {last.title()}",
            niches=list(niches),
            origin=origin,
            country="ID",
            languages=list(market.rng.choice(words.LANGUAGES)),
        ),
    )
    if result is None:
        return
    creator_id: UUID = result.aggregate_id
    tier = _choose_tier(market)
    low, high = TIER_RANGE[tier]
    main = int(math.exp(market.rng.uniform(math.log(low), math.log(high))))
    platforms = _choose_platforms(market)
    followers = {platforms[0]: main}
    for other in platforms[1:]:
        followers[other] = max(50, int(main * market.rng.uniform(0.05, 0.9)))
    profile = CreatorProfile(
        id=creator_id,
        handle=handle,
        niches=niches,
        followers=followers,
        rates={},
        quality=min(5.0, max(1.5, market.rng.gauss(3.9, 0.6))),
        punctuality=market.rng.betavariate(8, 2),
        diligence=market.rng.betavariate(12, 1),
        engagement=TIER_ENGAGEMENT[tier] * math.exp(market.rng.gauss(0, 0.35)),
        churn=market.rng.betavariate(2, 30),
    )
    actor = Actor.creator(creator_id)
    for platform, count in followers.items():
        market.run(
            actor,
            lambda p=platform, n=count: LinkPlatformAccount(
                creator_id=creator_id,
                platform=p.value,
                handle=handle.replace(".", "_"),
                followers=n,
            ),
        )
    _publish_rate_card(market, profile)
    if market.rng.random() < 0.15:
        causes = market.rng.sample(words.CAUSES, market.rng.randint(1, 2))
        market.run(actor, lambda: DeclareCauses(creator_id=creator_id, causes=causes))
    market.creators.append(profile)
    market.stats.creators += 1


def _choose_tier(market: DemoMarket) -> Tier:
    roll, total = market.rng.random(), 0.0
    for tier, share in TIER_MIX:
        total += share
        if roll < total:
            return tier
    return Tier.NANO


def _choose_platforms(market: DemoMarket) -> list[Platform]:
    count = market.rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
    chosen: list[Platform] = []
    while len(chosen) < count:
        platform = market.rng.choices(
            list(PLATFORM_WEIGHTS), weights=list(PLATFORM_WEIGHTS.values())
        )[0]
        if platform not in chosen:
            chosen.append(platform)
    return chosen


def _publish_rate_card(market: DemoMarket, creator: CreatorProfile) -> None:
    base = TIER_PRICE[creator.tier]
    lines = []
    for platform in creator.followers:
        formats = FORMATS_BY_PLATFORM[platform]
        for content in market.rng.sample(formats, market.rng.randint(1, len(formats))):
            price = base * FORMAT_PRICE[content] * math.exp(market.rng.gauss(0, 0.3))
            rounded = max(50_000, int(round(price / 10_000) * 10_000))
            creator.rates[(platform, content)] = rounded
            lines.append(
                {
                    "platform": platform.value,
                    "format": content.value,
                    "price": {"amount": str(rounded), "currency": "IDR"},
                    "compensation": market.rng.choice(("CASH", "CASH", "CASH", "MIXED")),
                }
            )
    market.do(
        Actor.creator(creator.id),
        lambda app, ctx: app.execute(ctx, PublishRateCard(creator_id=creator.id, lines=lines)),
    )


def follower_updates(market: DemoMarket, creator: CreatorProfile) -> Step:
    actor = Actor.creator(creator.id)
    while True:
        for platform, count in list(creator.followers.items()):
            growth = market.rng.gauss(0.012, 0.02) - creator.churn * market.rng.random() * 0.3
            creator.followers[platform] = max(10, int(count * (1 + growth)))
            market.run(
                actor,
                lambda p=platform: RecordFollowers(
                    creator_id=creator.id,
                    platform=p.value,
                    followers=creator.followers[p],
                    observed_at=market.now,
                ),
            )
        yield timedelta(days=market.rng.uniform(20, 40))
