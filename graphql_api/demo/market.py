"""A realistic, deterministic Indonesian nano-influencer market, for demos and benchmarks.

Everything goes through the application service — registrations, pitches,
counter-offers, signatures, drafts with honest pros and cons, posts (some late,
some without disclosure), metric snapshots, giveaways with hundreds of entries,
prizes, reports, payments (some late, some never), double-blind feedback from
harsh and lenient raters — on a simulated clock, so the same seed always gives
the same events. Campaigns are interleaved in time by a scheduler and the
simulation stops at a cut-off, which leaves campaigns at every stage.

Nothing random may come from outside the seeded generator: ids come from
``new_id`` and each command's correlation id is derived from the seed and the
command's number, so two stores seeded alike export byte-identical events.
"""

from __future__ import annotations

import heapq
import itertools
import math
import os
import random
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.application import LRUCache

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    AnnounceGiveaway,
    ApproveDraft,
    CancelCampaign,
    CloseGiveaway,
    ConfirmPrizeDelivered,
    CounterOffer,
    DeclareCauses,
    DeclinePitch,
    DrawGiveawayWinners,
    LinkPlatformAccount,
    PitchCampaign,
    PublishBrief,
    PublishPost,
    PublishRateCard,
    RecordFollowers,
    RecordGiveawayEntries,
    RecordPayment,
    RecordPostMetrics,
    RegisterBrand,
    RegisterCreator,
    ReportPerformance,
    ReportSalesUplift,
    RequestChanges,
    RevealFeedback,
    ShipPrize,
    SignAgreement,
    SubmitDraft,
    SubmitFeedback,
    WithdrawPitch,
)
from domain.catalog import ContentFormat, Platform, Tier
from domain.context import Actor
from domain.errors import LedgerError
from domain.giveaway_draw import commitment_for
from domain.infrastructure.settings import Settings
from domain.money import Money
from domain.profile import tier_for
from graphql_api.demo import vocabulary as words

START = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
CORRELATION_NAMESPACE = UUID("6f1c3e0a-58b4-4c1e-9a53-4d2f7c1b8e90")
DAY = timedelta(days=1)
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


@dataclass(frozen=True)
class MarketSize:
    creators: int = 60
    brands: int = 12
    campaigns: int = 150
    seed: int = 7
    days: int = 540


@dataclass
class DemoStats:
    brands: int = 0
    creators: int = 0
    campaigns: int = 0
    commands: int = 0
    refused: int = 0
    events: int = 0
    seconds: float = 0.0
    refusals: list[str] = field(default_factory=list)


@dataclass
class CreatorProfile:
    id: UUID
    handle: str
    niches: tuple[str, ...]
    followers: dict[Platform, int]
    rates: dict[tuple[Platform, ContentFormat], int]
    quality: float
    punctuality: float
    diligence: float
    engagement: float
    churn: float

    @property
    def tier(self) -> Tier:
        return tier_for(self.followers.values())


@dataclass
class BrandProfile:
    id: UUID
    industry: str
    niches: tuple[str, ...]
    rater_bias: float
    punctuality: float
    fussiness: float
    briefs: list[tuple[UUID, date]] = field(default_factory=list)


Step = Generator[timedelta, None, None]
Progress = Callable[[int, int], None]

# The generator is the only writer of the aggregates it creates, one command at
# a time, so it can keep every live aggregate in memory instead of re-reading
# (fast-forwarding) and deep-copying it for each command: that was most of its
# time after the commits. A refused command may have changed the cached copy
# before refusing, so a refusal empties the cache (see ``DemoMarket._do``).
BULK_CACHE = {
    "AGGREGATE_CACHE_MAXSIZE": "200000",
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
}


def bulk_settings(settings: Settings) -> Settings:
    return replace(settings, extra={**settings.extra, **BULK_CACHE})


@contextmanager
def unsynced_commits(settings: Settings) -> Iterator[Callable[[Ledger], None]]:
    """Commit without waiting for the disk, for a generated store that can simply
    be generated again: one fsync per command is otherwise half of the run.

    SQLite (WAL) with ``synchronous=NORMAL`` and PostgreSQL with
    ``synchronous_commit=off`` may lose the last commits on a power loss but
    never corrupt the store. Yields what to call on the ledger once it is open;
    PostgreSQL connections opened meanwhile take the setting from ``PGOPTIONS``.
    """
    if settings.backend == "postgres":
        previous = os.environ.get("PGOPTIONS")
        os.environ["PGOPTIONS"] = f"{previous or ''} -c synchronous_commit=off".strip()
        try:
            yield lambda ledger: None
        finally:
            if previous is None:
                os.environ.pop("PGOPTIONS", None)
            else:
                os.environ["PGOPTIONS"] = previous
    else:
        yield _sqlite_unsynced


def _sqlite_unsynced(ledger: Ledger) -> None:
    pool = ledger.recorder.datastore.pool  # type: ignore[attr-defined]
    for idle in pool._pool:
        idle._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
    create = pool._create_connection

    def create_unsynced() -> Any:
        connection = create()
        connection._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
        return connection

    pool._create_connection = create_unsynced


class DemoMarket:
    def __init__(self, size: MarketSize) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.now = START
        self.end = START + timedelta(days=size.days)
        self.stats = DemoStats()
        self.creators: list[CreatorProfile] = []
        self.brands: list[BrandProfile] = []
        self._queue: list[tuple[datetime, int, Step]] = []
        self._sequence = itertools.count()
        self.ledger: Ledger | None = None
        self._matching: dict[tuple[str, ...], list[CreatorProfile]] = {}

    # --- the clock and ids the ledger is given ---------------------------------
    def clock(self) -> datetime:
        return self.now

    def new_id(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    # --- running --------------------------------------------------------------
    def run(
        self, settings: Settings, progress: Progress | None = None, *, durable: bool = True
    ) -> DemoStats:
        if durable:
            return self._run(
                Ledger(bulk_settings(settings), clock=self.clock, new_id=self.new_id), progress
            )
        with unsynced_commits(settings) as prepare:
            ledger = Ledger(bulk_settings(settings), clock=self.clock, new_id=self.new_id)
            prepare(ledger)
            return self._run(ledger, progress)

    def _run(self, ledger: Ledger, progress: Progress | None) -> DemoStats:
        began = time.perf_counter()
        self.ledger = ledger
        try:
            self._populate()
            for number in range(self.size.campaigns):
                start = (
                    START
                    + DAY
                    + timedelta(seconds=self.rng.uniform(0, (self.size.days - 40) * 86_400))
                )
                self._schedule(start, self._campaign())
                if progress and number % 500 == 0:
                    progress(0, self.size.campaigns)
            for creator in self.creators:
                self._schedule(
                    START + timedelta(days=self.rng.uniform(5, 30)), self._follower_updates(creator)
                )
            self._drain(progress)
            self.stats.events = self.ledger.head_position()
        finally:
            self.ledger.close()
        self.stats.seconds = time.perf_counter() - began
        return self.stats

    def _schedule(self, at: datetime, step: Step) -> None:
        if at <= self.end:
            heapq.heappush(self._queue, (at, next(self._sequence), step))

    def _drain(self, progress: Progress | None) -> None:
        finished = 0
        while self._queue:
            at, _, step = heapq.heappop(self._queue)
            self.now = max(self.now, at)
            try:
                delay = next(step)
            except StopIteration:
                finished += 1
                if progress and finished % 200 == 0:
                    progress(min(finished, self.size.campaigns), self.size.campaigns)
                continue
            self._schedule(self.now + delay, step)
        if progress:
            progress(self.size.campaigns, self.size.campaigns)

    def _do(self, actor: Actor, command: Callable[..., Any]) -> Any:
        assert self.ledger is not None
        self.now += timedelta(seconds=self.rng.randint(1, 90))
        self.stats.commands += 1
        try:
            return command(self.ledger, self.ledger.context(actor, self._correlation_id()))
        except LedgerError as error:
            if isinstance(self.ledger.repository.cache, LRUCache):
                self.ledger.repository.cache.clear()
            self.stats.refused += 1
            if len(self.stats.refusals) < 20:
                self.stats.refusals.append(f"{type(error).__name__}: {error.message}")
            return None

    def _correlation_id(self) -> str:
        """One per command, like one per API request, but a function of the seed."""
        return uuid5(CORRELATION_NAMESPACE, f"{self.size.seed}/{self.stats.commands}").hex

    # --- brands and creators ----------------------------------------------------
    def _populate(self) -> None:
        admin = Actor.admin("demo")
        used_handles: set[str] = set()
        for _ in range(self.size.brands):
            self._register_brand(admin)
        for _ in range(self.size.creators):
            self._register_creator(admin, used_handles)

    def _register_brand(self, admin: Actor) -> None:
        industry = self.rng.choice(list(words.BRAND_INDUSTRIES))
        heads, tails = words.BRAND_INDUSTRIES[industry]
        name = f"{self.rng.choice(heads)} {self.rng.choice(tails)} {self.rng.randint(1, 999)}"
        causes = self.rng.sample(words.BRAND_CAUSES, self.rng.choice((0, 0, 1, 2)))
        slug = name.lower().replace(" ", "")
        result = self._do(
            admin,
            lambda app, ctx: app.execute(
                ctx,
                RegisterBrand(
                    name=name, industry=industry, causes=causes, website=f"https://{slug}.example"
                ),
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
        rater = self.rng.random()
        bias = -0.9 if rater < 0.15 else (0.6 if rater > 0.85 else self.rng.gauss(0, 0.2))
        profile = BrandProfile(
            id=result.aggregate_id,
            industry=industry,
            niches=niches,
            rater_bias=bias,
            punctuality=self.rng.betavariate(6, 2),
            fussiness=self.rng.betavariate(2, 5),
        )
        self.brands.append(profile)
        self.stats.brands += 1
        if self.rng.random() < 0.4:
            self._publish_brief(profile)

    def _publish_brief(self, brand: BrandProfile) -> None:
        starts = self.now.date()
        ends = starts + timedelta(days=self.rng.randint(60, 300))
        result = self._do(
            Actor.brand(brand.id),
            lambda app, ctx: app.execute(
                ctx,
                PublishBrief(
                    brand_id=brand.id,
                    title=f"Kampanye {self.rng.choice(brand.niches)} {starts.year}",
                    objective="Meningkatkan awareness produk baru lewat review jujur kreator nano.",
                    key_messages=["bahan lokal", "harga terjangkau"],
                    niches=list(brand.niches),
                    platforms=["INSTAGRAM", "TIKTOK"],
                    budget=Money(Decimal(self.rng.randint(5, 60) * 1_000_000), "IDR"),
                    starts_on=starts,
                    ends_on=ends,
                ),
            ),
        )
        if result is not None:
            brand.briefs.append((result.aggregate_id, ends))

    def _register_creator(self, admin: Actor, used: set[str]) -> None:
        niche = self.rng.choice(words.NICHES)
        niches = tuple(dict.fromkeys((niche, self.rng.choice(words.NICHES))))[
            : self.rng.choice((1, 2))
        ]
        first, last = self.rng.choice(words.FIRST_NAMES), self.rng.choice(words.LAST_NAMES)
        handle = f"{first}.{self.rng.choice(words.NICHE_WORDS[niche])}"
        while handle in used:
            handle = (
                f"{first}.{self.rng.choice(words.NICHE_WORDS[niche])}{self.rng.randint(1, 9999)}"
            )
        used.add(handle)
        origin = "NATIVE" if self.rng.random() < 0.8 else "NON_NATIVE"
        result = self._do(
            admin,
            lambda app, ctx: app.execute(
                ctx,
                RegisterCreator(
                    handle=handle,
                    display_name=f"{first.title()} {last.title()}",
                    niches=list(niches),
                    origin=origin,
                    country="ID",
                    languages=list(self.rng.choice(words.LANGUAGES)),
                ),
            ),
        )
        if result is None:
            return
        creator_id: UUID = result.aggregate_id
        tier = self._choose_tier()
        low, high = TIER_RANGE[tier]
        main = int(math.exp(self.rng.uniform(math.log(low), math.log(high))))
        platforms = self._choose_platforms()
        followers = {platforms[0]: main}
        for other in platforms[1:]:
            followers[other] = max(50, int(main * self.rng.uniform(0.05, 0.9)))
        profile = CreatorProfile(
            id=creator_id,
            handle=handle,
            niches=niches,
            followers=followers,
            rates={},
            quality=min(5.0, max(1.5, self.rng.gauss(3.9, 0.6))),
            punctuality=self.rng.betavariate(8, 2),
            diligence=self.rng.betavariate(12, 1),
            engagement=TIER_ENGAGEMENT[tier] * math.exp(self.rng.gauss(0, 0.35)),
            churn=self.rng.betavariate(2, 30),
        )
        actor = Actor.creator(creator_id)
        for platform, count in followers.items():
            self._do(
                actor,
                lambda app, ctx, p=platform, n=count: app.execute(
                    ctx,
                    LinkPlatformAccount(
                        creator_id=creator_id,
                        platform=p.value,
                        handle=handle.replace(".", "_"),
                        followers=n,
                    ),
                ),
            )
        self._publish_rate_card(profile)
        if self.rng.random() < 0.15:
            causes = self.rng.sample(words.CAUSES, self.rng.randint(1, 2))
            self._do(
                actor,
                lambda app, ctx: app.execute(
                    ctx, DeclareCauses(creator_id=creator_id, causes=causes)
                ),
            )
        self.creators.append(profile)
        self.stats.creators += 1

    def _choose_tier(self) -> Tier:
        roll, total = self.rng.random(), 0.0
        for tier, share in TIER_MIX:
            total += share
            if roll < total:
                return tier
        return Tier.NANO

    def _choose_platforms(self) -> list[Platform]:
        count = self.rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        chosen: list[Platform] = []
        while len(chosen) < count:
            platform = self.rng.choices(
                list(PLATFORM_WEIGHTS), weights=list(PLATFORM_WEIGHTS.values())
            )[0]
            if platform not in chosen:
                chosen.append(platform)
        return chosen

    def _publish_rate_card(self, creator: CreatorProfile) -> None:
        base = TIER_PRICE[creator.tier]
        lines = []
        for platform in creator.followers:
            formats = FORMATS_BY_PLATFORM[platform]
            for content in self.rng.sample(formats, self.rng.randint(1, len(formats))):
                price = base * FORMAT_PRICE[content] * math.exp(self.rng.gauss(0, 0.3))
                rounded = max(50_000, int(round(price / 10_000) * 10_000))
                creator.rates[(platform, content)] = rounded
                lines.append(
                    {
                        "platform": platform.value,
                        "format": content.value,
                        "price": {"amount": str(rounded), "currency": "IDR"},
                        "compensation": self.rng.choice(("CASH", "CASH", "CASH", "MIXED")),
                    }
                )
        self._do(
            Actor.creator(creator.id),
            lambda app, ctx: app.execute(ctx, PublishRateCard(creator_id=creator.id, lines=lines)),
        )

    def _follower_updates(self, creator: CreatorProfile) -> Step:
        actor = Actor.creator(creator.id)
        while True:
            for platform, count in list(creator.followers.items()):
                growth = self.rng.gauss(0.012, 0.02) - creator.churn * self.rng.random() * 0.3
                creator.followers[platform] = max(10, int(count * (1 + growth)))
                self._do(
                    actor,
                    lambda app, ctx, p=platform: app.execute(
                        ctx,
                        RecordFollowers(
                            creator_id=creator.id,
                            platform=p.value,
                            followers=creator.followers[p],
                            observed_at=self.now,
                        ),
                    ),
                )
            yield timedelta(days=self.rng.uniform(20, 40))

    # --- campaigns --------------------------------------------------------------
    def _campaign(self) -> Step:
        brand = self.rng.choice(self.brands)
        matching = self._matching_creators(brand.niches)
        creator = self.rng.choice(matching or self.creators)
        brand_actor, creator_actor = Actor.brand(brand.id), Actor.creator(creator.id)
        brand_pitches = self.rng.random() < 0.6
        pitcher = brand_actor if brand_pitches else creator_actor
        receiver = creator_actor if brand_pitches else brand_actor
        terms = self._terms(creator)
        open_briefs = [b for b, ends in brand.briefs if ends >= self.now.date() + 5 * DAY]
        brief_id = self.rng.choice(open_briefs) if open_briefs and self.rng.random() < 0.5 else None
        message = (
            f"Halo! Kami ingin bekerja sama dengan {creator.handle}."
            if brand_pitches
            else "Halo, saya tertarik mereview produk kalian untuk audiens saya."
        )
        result = self._do(
            pitcher,
            lambda app, ctx: app.execute(
                ctx,
                PitchCampaign(
                    brand_id=brand.id,
                    creator_id=creator.id,
                    brief_id=brief_id,
                    message=message,
                    terms=terms,
                ),
            ),
        )
        if result is None:
            return
        cid: UUID = result.aggregate_id
        self.stats.campaigns += 1
        yield timedelta(hours=self.rng.uniform(2, 72))

        offerer, other = pitcher, receiver
        for _ in range(2):
            if self.rng.random() >= 0.3:
                break
            terms = self._counter_terms(terms)
            if (
                self._do(
                    other,
                    lambda app, ctx, t=terms: app.execute(
                        ctx,
                        CounterOffer(
                            campaign_id=cid,
                            terms=t,
                            message="Bagaimana kalau fee-nya disesuaikan sedikit?",
                        ),
                    ),
                )
                is None
            ):
                return
            offerer, other = other, offerer
            yield timedelta(hours=self.rng.uniform(2, 72))
        roll = self.rng.random()
        if roll < 0.12:
            self._do(
                other,
                lambda app, ctx: app.execute(
                    ctx,
                    DeclinePitch(campaign_id=cid, reason=self.rng.choice(words.DECLINE_REASONS)),
                ),
            )
            return
        if roll < 0.2:
            self._do(offerer, lambda app, ctx: app.execute(ctx, WithdrawPitch(campaign_id=cid)))
            return
        accepted = self._do(other, lambda app, ctx: app.execute(ctx, AcceptPitch(campaign_id=cid)))
        if accepted is None:
            return
        yield timedelta(hours=self.rng.uniform(1, 48))
        assert self.ledger is not None
        digest = self.ledger.get_campaign(cid).terms.digest
        for signer in self.rng.sample([brand_actor, creator_actor], 2):
            if (
                self._do(
                    signer,
                    lambda app, ctx, s=signer: app.execute(
                        ctx, SignAgreement(campaign_id=cid, terms_digest=digest)
                    ),
                )
                is None
            ):
                return
            yield timedelta(hours=self.rng.uniform(1, 24))

        if self.rng.random() < 0.05:
            yield timedelta(days=self.rng.uniform(1, 6))
            canceller = creator_actor if self.rng.random() < 0.5 else brand_actor
            self._do(
                canceller,
                lambda app, ctx: app.execute(
                    ctx,
                    CancelCampaign(campaign_id=cid, reason=self.rng.choice(words.CANCEL_REASONS)),
                ),
            )
            return

        giveaway = None
        if terms["giveaway_required"]:
            seed = f"seed-{self.rng.getrandbits(96):024x}"
            giveaway = ("g1", seed)
            closes = self.now + timedelta(days=self.rng.uniform(5, 12))
            self._do(
                creator_actor,
                lambda app, ctx: app.execute(
                    ctx,
                    AnnounceGiveaway(
                        campaign_id=cid,
                        giveaway_id="g1",
                        prize="Paket produk lengkap",
                        prize_value=Money(Decimal(self.rng.randint(10, 50) * 10_000), "IDR"),
                        winner_count=self.rng.randint(1, 5),
                        entry_rules=[
                            "follow akun brand",
                            "share postingan ke story",
                            "tag 3 teman",
                        ],
                        closes_at=closes,
                        seed_commitment=commitment_for(seed),
                    ),
                ),
            )
            entrants = self.rng.randint(80, 650)
            recorded = 0
            while recorded < entrants and self.now + 2 * DAY < closes:
                batch = min(entrants - recorded, self.rng.randint(40, 160))
                entries = [f"fan_{cid.hex[:6]}_{n}" for n in range(recorded, recorded + batch)]
                self._do(
                    creator_actor,
                    lambda app, ctx, e=entries: app.execute(
                        ctx, RecordGiveawayEntries(campaign_id=cid, giveaway_id="g1", entries=e)
                    ),
                )
                recorded += batch
                yield timedelta(hours=self.rng.uniform(6, 30))

        for deliverable in terms["deliverables"]:
            for _ in range(deliverable["quantity"]):
                yield from self._deliver_unit(cid, brand, creator, deliverable, terms)

        if giveaway is not None:
            yield from self._finish_giveaway(cid, brand_actor, creator_actor, giveaway)

        yield from self._follow_up(cid, brand, creator, terms)

    def _matching_creators(self, niches: tuple[str, ...]) -> list[CreatorProfile]:
        """Creators sharing a niche, in registration order; computed once per niche set
        (the creators are all registered before the first campaign)."""
        found = self._matching.get(niches)
        if found is None:
            found = [c for c in self.creators if set(c.niches) & set(niches)]
            self._matching[niches] = found
        return found

    def _terms(self, creator: CreatorProfile) -> dict[str, Any]:
        platform_formats = list(creator.rates)
        chosen = self.rng.sample(
            platform_formats, min(len(platform_formats), self.rng.choice((1, 1, 1, 2, 2, 3)))
        )
        today = self.now.date()
        deliverables, fee = [], 0
        for number, (platform, content) in enumerate(chosen, start=1):
            quantity = self.rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
            fee += creator.rates[(platform, content)] * quantity
            deliverables.append(
                {
                    "deliverable_id": f"d{number}",
                    "platform": platform.value,
                    "format": content.value,
                    "quantity": quantity,
                    "due_on": today + timedelta(days=self.rng.randint(18, 40)),
                }
            )
        product_only = self.rng.random() < 0.1
        cash = (
            None
            if product_only
            else {
                "amount": str(int(round(fee * self.rng.uniform(0.85, 1.1) / 10_000) * 10_000)),
                "currency": "IDR",
            }
        )
        return {
            "deliverables": deliverables,
            "compensation": {
                "cash": cash,
                "product_description": "Produk untuk direview"
                if product_only or self.rng.random() < 0.4
                else None,
                "product_value": {
                    "amount": str(self.rng.randint(10, 80) * 10_000),
                    "currency": "IDR",
                }
                if product_only
                else None,
            },
            "giveaway_required": self.rng.random() < 0.2,
            "approval_required": self.rng.random() < 0.85,
            "payment_due_days": self.rng.choice((7, 14, 14, 14, 30)),
            "usage_rights_days": self.rng.choice((0, 30, 90)),
            "exclusivity_days": self.rng.choice((0, 0, 14, 30)),
        }

    def _counter_terms(self, terms: dict[str, Any]) -> dict[str, Any]:
        cash = terms["compensation"]["cash"]
        changed = {**terms, "compensation": dict(terms["compensation"])}
        if cash is not None:
            amount = int(Decimal(cash["amount"]) * Decimal(str(self.rng.uniform(0.8, 1.25))))
            changed["compensation"]["cash"] = {
                "amount": str(max(50_000, round(amount / 10_000) * 10_000)),
                "currency": "IDR",
            }
        if changed == terms or cash is None:
            changed["payment_due_days"] = 7 if terms["payment_due_days"] != 7 else 14
        return changed

    def _deliver_unit(
        self,
        cid: UUID,
        brand: BrandProfile,
        creator: CreatorProfile,
        deliverable: dict[str, Any],
        terms: dict[str, Any],
    ) -> Step:
        brand_actor, creator_actor = Actor.brand(brand.id), Actor.creator(creator.id)
        did = deliverable["deliverable_id"]
        pros = self.rng.sample(words.PROS, self.rng.randint(1, 3))
        cons = self.rng.sample(words.CONS, self.rng.randint(1, 2))
        disclosed = self.rng.random() < creator.diligence
        tag = f" {self.rng.choice(words.DISCLOSURE_TAGS)}" if disclosed else ""
        caption = f"{self.rng.choice(words.CAPTION_OPENERS)} produk ini! {' '.join(pros)}.{tag}"
        late = self.rng.random() > creator.punctuality
        due = datetime.combine(deliverable["due_on"], datetime.min.time(), UTC)
        yield timedelta(days=self.rng.uniform(1, 5))
        if terms["approval_required"]:
            assert self.ledger is not None
            while True:
                campaign = self.ledger.get_campaign(cid)
                draft_no = len(campaign.drafts.get(did, [])) + 1
                if (
                    self._do(
                        creator_actor,
                        lambda app, ctx, n=draft_no: app.execute(
                            ctx,
                            SubmitDraft(
                                campaign_id=cid,
                                deliverable_id=did,
                                caption=caption,
                                pros=pros,
                                cons=cons,
                                media_urls=[f"https://cdn.example/{cid.hex[:8]}/{did}-{n}.jpg"],
                            ),
                        ),
                    )
                    is None
                ):
                    return
                yield timedelta(hours=self.rng.uniform(4, 60))
                if draft_no < 4 and self.rng.random() < 0.2 + brand.fussiness * 0.5:
                    self._do(
                        brand_actor,
                        lambda app, ctx, n=draft_no: app.execute(
                            ctx,
                            RequestChanges(
                                campaign_id=cid,
                                deliverable_id=did,
                                draft_no=n,
                                notes="Tolong tonjolkan manfaat utama produk di awal video.",
                            ),
                        ),
                    )
                    yield timedelta(hours=self.rng.uniform(6, 48))
                    continue
                if (
                    self._do(
                        brand_actor,
                        lambda app, ctx, n=draft_no: app.execute(
                            ctx, ApproveDraft(campaign_id=cid, deliverable_id=did, draft_no=n)
                        ),
                    )
                    is None
                ):
                    return
                break
        target = due + timedelta(days=self.rng.uniform(1, 9)) if late else None
        if target is not None and target > self.now:
            yield target - self.now
        else:
            yield timedelta(hours=self.rng.uniform(2, 30))
        published_at = self.now
        result = self._do(
            creator_actor,
            lambda app, ctx: app.execute(
                ctx,
                PublishPost(
                    campaign_id=cid,
                    deliverable_id=did,
                    url=f"https://social.example/{creator.handle}/{cid.hex[:10]}{did}",
                    published_at=published_at,
                    caption=caption,
                    paid_partnership_flag=disclosed and self.rng.random() < 0.3,
                ),
            ),
        )
        if result is None:
            return
        platform = Platform(deliverable["platform"])
        assert self.ledger is not None
        post_no = len(self.ledger.get_campaign(cid).posts.get(did, []))
        base = creator.followers.get(platform, max(creator.followers.values()))
        for offset in sorted(self.rng.sample((1, 3, 7, 14, 28), self.rng.randint(2, 4))):
            wait = published_at + timedelta(days=offset, hours=self.rng.uniform(0, 6)) - self.now
            if wait > timedelta(0):
                yield wait
            engaged = base * creator.engagement * min(1.0, 0.55 + offset / 20)
            self._do(
                creator_actor,
                lambda app, ctx, e=engaged: app.execute(
                    ctx,
                    RecordPostMetrics(
                        campaign_id=cid,
                        deliverable_id=did,
                        post_no=post_no,
                        observed_at=self.now,
                        followers=creator.followers.get(platform, base),
                        reach=int(base * self.rng.uniform(0.3, 0.9)),
                        impressions=int(base * self.rng.uniform(0.6, 1.6)),
                        views=int(base * self.rng.uniform(0.4, 1.2)),
                        likes=int(e * 0.82),
                        comments=int(e * 0.09),
                        shares=int(e * 0.05),
                        saves=int(e * 0.04),
                    ),
                ),
            )

    def _finish_giveaway(
        self, cid: UUID, brand_actor: Actor, creator_actor: Actor, giveaway: tuple[str, str]
    ) -> Step:
        gid, seed = giveaway
        assert self.ledger is not None
        closes = self.ledger.get_campaign(cid).giveaways[gid]["closes_at"]
        if closes > self.now:
            yield closes - self.now + timedelta(hours=1)
        self._do(
            creator_actor,
            lambda app, ctx: app.execute(ctx, CloseGiveaway(campaign_id=cid, giveaway_id=gid)),
        )
        yield timedelta(hours=self.rng.uniform(2, 24))
        if (
            self._do(
                creator_actor,
                lambda app, ctx: app.execute(
                    ctx, DrawGiveawayWinners(campaign_id=cid, giveaway_id=gid, seed=seed)
                ),
            )
            is None
        ):
            return
        winners = self.ledger.get_campaign(cid).giveaways[gid]["winners"] or []
        for winner in winners:
            if self.rng.random() < 0.92:
                yield timedelta(days=self.rng.uniform(1, 4))
                self._do(
                    brand_actor,
                    lambda app, ctx, w=winner: app.execute(
                        ctx,
                        ShipPrize(
                            campaign_id=cid,
                            giveaway_id=gid,
                            winner=w,
                            carrier=self.rng.choice(words.CARRIERS),
                            tracking_ref=f"RS{self.rng.randint(10**9, 10**10 - 1)}ID",
                        ),
                    ),
                )
                if self.rng.random() < 0.9:
                    yield timedelta(days=self.rng.uniform(2, 6))
                    self._do(
                        creator_actor,
                        lambda app, ctx, w=winner: app.execute(
                            ctx, ConfirmPrizeDelivered(campaign_id=cid, giveaway_id=gid, winner=w)
                        ),
                    )

    def _follow_up(
        self, cid: UUID, brand: BrandProfile, creator: CreatorProfile, terms: dict[str, Any]
    ) -> Step:
        brand_actor, creator_actor = Actor.brand(brand.id), Actor.creator(creator.id)
        assert self.ledger is not None
        campaign = self.ledger.get_campaign(cid)
        if campaign.delivered_at is None:
            return
        delivered = campaign.delivered_at
        if self.rng.random() < 0.7:
            yield timedelta(days=self.rng.uniform(3, 10))
            reach = int(max(creator.followers.values()) * self.rng.uniform(0.5, 1.5))
            self._do(
                creator_actor,
                lambda app, ctx: app.execute(
                    ctx,
                    ReportPerformance(
                        campaign_id=cid,
                        period_start=delivered.date(),
                        period_end=self.now.date(),
                        reach=reach,
                        impressions=int(reach * self.rng.uniform(1.2, 2.5)),
                        engagements=int(reach * creator.engagement * 1.4),
                        clicks=int(reach * self.rng.uniform(0.005, 0.03)),
                        followers_gained=int(reach * self.rng.uniform(-0.002, 0.01)),
                        notes="Banyak pertanyaan soal harga di kolom komentar.",
                    ),
                ),
            )
        if self.rng.random() < 0.5:
            yield timedelta(days=self.rng.uniform(5, 20))
            baseline = Decimal(self.rng.randint(20, 400) * 100_000)
            uplift = Decimal(str(round(self.rng.uniform(-0.05, 0.6), 3)))
            self._do(
                brand_actor,
                lambda app, ctx: app.execute(
                    ctx,
                    ReportSalesUplift(
                        campaign_id=cid,
                        baseline=Money(baseline, "IDR"),
                        during=Money((baseline * (1 + uplift)).quantize(Decimal(1)), "IDR"),
                        promo_code_redemptions=self.rng.randint(0, 250),
                        period_start=delivered.date(),
                        period_end=self.now.date(),
                    ),
                ),
            )
        cash = terms["compensation"]["cash"]
        due = delivered + timedelta(days=terms["payment_due_days"])
        if cash is not None:
            roll = self.rng.random()
            if roll < 0.1 + (1 - brand.punctuality) * 0.2:
                pass
            else:
                late = roll > brand.punctuality
                target = (
                    due + timedelta(days=self.rng.uniform(1, 30))
                    if late
                    else (
                        delivered + timedelta(days=self.rng.uniform(1, terms["payment_due_days"]))
                    )
                )
                if target > self.now:
                    yield target - self.now
                self._do(
                    brand_actor,
                    lambda app, ctx: app.execute(
                        ctx,
                        RecordPayment(
                            campaign_id=cid,
                            amount=Money(Decimal(cash["amount"]), "IDR"),
                            paid_at=self.now,
                            reference=f"TRX-{self.rng.randint(10**7, 10**8 - 1)}",
                        ),
                    ),
                )
        yield timedelta(days=self.rng.uniform(1, 6))
        sides = []
        if self.rng.random() < 0.9:
            sides.append("brand")
        if self.rng.random() < 0.88:
            sides.append("creator")
        self.rng.shuffle(sides)
        for side in sides:
            if side == "brand":
                ratings = {
                    dim: self._score(creator.quality + brand.rater_bias)
                    for dim in (
                        "content_quality",
                        "communication",
                        "timeliness",
                        "authenticity",
                        "audience_fit",
                    )
                }
                ratings["timeliness"] = self._score(creator.punctuality * 5 + brand.rater_bias)
                actor = brand_actor
            else:
                ratings = {
                    dim: self._score(3.2 + brand.punctuality * 1.6 - brand.fussiness)
                    for dim in (
                        "payment_timeliness",
                        "creative_freedom",
                        "brief_clarity",
                        "communication",
                    )
                }
                actor = creator_actor
            happy = sum(ratings.values()) / len(ratings) >= 3.5
            self._do(
                actor,
                lambda app, ctx, r=ratings, h=happy: app.execute(
                    ctx,
                    SubmitFeedback(
                        campaign_id=cid,
                        ratings=r,
                        would_work_again=h and self.rng.random() < 0.9,
                        comment=self.rng.choice(words.COMMENTS_GOOD if h else words.COMMENTS_BAD),
                    ),
                ),
            )
            yield timedelta(days=self.rng.uniform(1, 10))
        if len(sides) == 1 and self.rng.random() < 0.7:
            opens = delivered + timedelta(days=15)
            if opens > self.now:
                yield opens - self.now
            actor = brand_actor if sides[0] == "brand" else creator_actor
            self._do(actor, lambda app, ctx: app.execute(ctx, RevealFeedback(campaign_id=cid)))

    def _score(self, mean: float) -> int:
        return max(1, min(5, round(self.rng.gauss(mean, 0.6))))


def seed_demo(
    settings: Settings,
    size: MarketSize,
    progress: Progress | None = None,
    *,
    durable: bool = True,
) -> DemoStats:
    """Generates the market into the store ``settings`` points at; ``durable=False``
    commits without waiting for the disk (see :func:`unsynced_commits`)."""
    return DemoMarket(size).run(settings, progress, durable=durable)
