"""Rebuild equals incremental, for the projections that defer work to the end of a batch.

Hypothesis drives a real Ledger (SQLite) through random valid histories — a
few brands and creators, campaigns advancing by whatever their state allows,
follower observations, time passing — while the projections catch up in random
batch sizes to random positions. Afterwards every row of their tables must
equal a from-scratch rebuild into a separate read store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    PublishPost,
    PublishRateCard,
    RecordFollowers,
    RecordGiveawayEntries,
    RecordPayment,
    RecordPostMetrics,
    RegisterBrand,
    RegisterCreator,
    ReportSalesUplift,
    RequestChanges,
    RevealFeedback,
    ShipPrize,
    SignAgreement,
    SubmitDraft,
    SubmitFeedback,
    WithdrawPitch,
)
from domain.campaign import Campaign
from domain.campaign_facts import DraftRecord
from domain.catalog import BRAND_RATING_DIMENSIONS, CREATOR_RATING_DIMENSIONS, DraftStatus, Party
from domain.context import Actor, CommandContext
from domain.errors import LedgerError
from domain.giveaway_draw import commitment_for
from domain.infrastructure.settings import Settings
from domain.money import Money
from projections.brand_feedback.projection import BrandFeedbackProjection
from projections.campaign_summaries.projection import CampaignSummaries
from projections.creator_directory.projection import CreatorDirectory
from projections.machinery.base import Projection, Slot
from projections.machinery.engine import ProjectionEngine
from projections.rate_benchmarks.projection import RateBenchmarks
from projections.reputation.projection import CreatorReputationProjection
from projections.store.readstore import ReadStore, Row
from projections.store.sqlite_store import SqliteReadStore
from tests.support import FakeClock

PROJECTIONS: tuple[Projection, ...] = (
    CreatorReputationProjection(),
    BrandFeedbackProjection(),
    CampaignSummaries(),
    RateBenchmarks(),
    CreatorDirectory(),
)
"""The projections that defer work to the end of a batch, where batch splits could show."""
PLATFORMS = ("INSTAGRAM", "TIKTOK")
STEP_KINDS = (*["act"] * 12, "pitch", "time", "time", "follow", "card", "causes")
ACTION_WEIGHTS = {
    "withdrawPitch": 1,
    "declinePitch": 1,
    "cancelCampaign": 1,
    "counterOffer": 2,
    "revealFeedback": 3,
    "acceptPitch": 12,
    "signAgreement": 12,
    "publishPost": 12,
    "recordGiveawayEntries": 12,
    "drawGiveawayWinners": 12,
    "reportSalesUplift": 1,
    "recordPostMetrics": 3,
}
"""Relative odds of an allowed action (default 6), so histories reach feedback and payment."""


class History:
    """A Ledger advanced by random valid steps drawn from hypothesis data."""

    def __init__(self, ledger: Ledger, clock: FakeClock, data: st.DataObject) -> None:
        self.ledger = ledger
        self.clock = clock
        self.data = data
        admin = ledger.context(Actor.admin())
        self.brands = [
            ledger.execute(admin, RegisterBrand(name=f"Brand {n}", industry="beauty")).aggregate_id
            for n in range(2)
        ]
        self.creators = []
        for n in range(3):
            creator = ledger.execute(
                admin,
                RegisterCreator(
                    handle=f"creator{n}", display_name=f"C{n}", niches=["beauty"], origin="NATIVE"
                ),
            ).aggregate_id
            for platform in PLATFORMS[: 1 + n % 2]:
                ledger.execute(
                    self.ctx(Actor.creator(creator)),
                    LinkPlatformAccount(
                        creator_id=creator,
                        platform=platform,
                        handle=f"creator{n}",
                        followers=self.draw(st.integers(500, 30_000)),
                    ),
                )
            self.creators.append(creator)
        self.campaigns: list[UUID] = []

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def ctx(self, actor: Actor) -> CommandContext:
        return self.ledger.context(actor)

    def step(self) -> None:
        kind = self.draw(st.sampled_from(STEP_KINDS))
        try:
            if kind == "pitch" or not self.campaigns:
                self.pitch()
            elif kind == "act":
                self.act(self.draw(st.sampled_from(self.campaigns)))
            elif kind == "time":
                self.clock.advance(hours=self.draw(st.sampled_from((1, 13, 24 * 5, 24 * 15))))
            elif kind == "follow":
                self.follow()
            elif kind == "causes":
                self.declare_causes()
            else:
                self.publish_card()
        except LedgerError:
            pass  # a step the rules refuse records nothing

    def terms(self) -> dict[str, Any]:
        today = self.clock().date()
        cash = self.draw(st.sampled_from((None, "500000", "750000")))
        deliverables = [
            {
                "platform": self.draw(st.sampled_from(PLATFORMS)),
                "format": "POST",
                "quantity": self.draw(st.integers(1, 2)),
                "due_on": today + timedelta(days=self.draw(st.integers(3, 40))),
            }
            for _ in range(self.draw(st.integers(1, 2)))
        ]
        return {
            "deliverables": deliverables,
            "compensation": (
                {"cash": {"amount": cash, "currency": "IDR"}}
                if cash
                else {"product_description": "a serum"}
            ),
            "approval_required": self.draw(st.booleans()),
            "giveaway_required": self.draw(st.booleans()),
            "payment_due_days": self.draw(st.sampled_from((7, 14))),
        }

    def pitch(self) -> None:
        brand = self.draw(st.sampled_from(self.brands))
        creator = self.draw(st.sampled_from(self.creators))
        by_brand = self.draw(st.booleans())
        actor = Actor.brand(brand) if by_brand else Actor.creator(creator)
        self.campaigns.append(
            self.ledger.execute(
                self.ctx(actor),
                PitchCampaign(brand_id=brand, creator_id=creator, terms=self.terms(), message="hi"),
            ).aggregate_id
        )

    def follow(self) -> None:
        creator = self.draw(st.sampled_from(self.creators))
        platforms = list(self.ledger.get_creator(creator).accounts)
        self.ledger.execute(
            self.ctx(Actor.creator(creator)),
            RecordFollowers(
                creator_id=creator,
                platform=self.draw(st.sampled_from(platforms)),
                followers=self.draw(st.integers(0, 30_000)),
                observed_at=self.clock() - timedelta(days=self.draw(st.integers(0, 40))),
            ),
        )

    def declare_causes(self) -> None:
        """Causes declared or cleared, which make a creator purpose-driven or not."""
        creator = self.draw(st.sampled_from(self.creators))
        self.ledger.execute(
            self.ctx(Actor.creator(creator)),
            DeclareCauses(
                creator_id=creator,
                causes=self.draw(st.sampled_from(((), ("education",), ("environment", "health")))),
            ),
        )

    def publish_card(self) -> None:
        """A rate card, whose samples follow the creator's tier as followings change."""
        creator = self.draw(st.sampled_from(self.creators))
        price = self.draw(st.sampled_from(("250000", "500000")))
        self.ledger.execute(
            self.ctx(Actor.creator(creator)),
            PublishRateCard(
                creator_id=creator,
                lines=[
                    {
                        "platform": platform,
                        "format": "POST",
                        "price": {"amount": price, "currency": "IDR"},
                    }
                    for platform in self.ledger.get_creator(creator).accounts
                ],
            ),
        )

    def act(self, campaign_id: UUID) -> None:
        """One of the actions either party may take now, favouring those that move on."""
        campaign = self.ledger.get_campaign(campaign_id)
        now = self.clock()
        options = [
            (party, action)
            for party in Party
            for action in campaign.allowed_actions(now, party)
            if action in ACTIONS and ACTIONS[action][0](campaign, now)
            for _ in range(ACTION_WEIGHTS.get(action, 6))
        ]
        if not options:
            return
        party, action = self.draw(st.sampled_from(options))
        assert campaign.brand_id is not None
        assert campaign.creator_id is not None
        actor = (
            Actor.brand(campaign.brand_id)
            if party is Party.BRAND
            else Actor.creator(campaign.creator_id)
        )
        ACTIONS[action][1](self, campaign, self.ctx(actor), party)


Action = Callable[[History, Campaign, CommandContext, Party], object]


def _open_units(c: Campaign) -> list[str]:
    return [
        d.deliverable_id
        for d in c.terms.deliverables
        if len(c.posts.get(d.deliverable_id, [])) < d.quantity
    ]


def _last_draft(c: Campaign, deliverable: str) -> DraftRecord | None:
    drafts = c.drafts.get(deliverable)
    return drafts[-1] if drafts else None


def _draftable(c: Campaign) -> list[str]:
    return [
        d
        for d in _open_units(c)
        if (draft := _last_draft(c, d)) is None
        or draft["status"] not in (DraftStatus.SUBMITTED, DraftStatus.APPROVED)
    ]


def _publishable(c: Campaign) -> list[str]:
    if not c.terms.approval_required:
        return _open_units(c)
    return [
        d
        for d in _open_units(c)
        if (draft := _last_draft(c, d)) is not None and draft["status"] == DraftStatus.APPROVED
    ]


def _pending(c: Campaign) -> list[tuple[str, int]]:
    return [
        (d, int(draft["draft_no"]))
        for d in c.drafts
        if (draft := _last_draft(c, d)) is not None and draft["status"] == DraftStatus.SUBMITTED
    ]


def _giveaways(c: Campaign, *, closed: bool, drawn: bool) -> list[str]:
    return sorted(
        g
        for g, state in c.giveaways.items()
        if state["closed"] is closed and (state["winners"] is not None) is drawn
    )


def _winners(c: Campaign, *, shipped: bool) -> list[tuple[str, str]]:
    return [
        (g, w)
        for g, state in sorted(c.giveaways.items())
        for w in state["winners"] or ()
        if (w in state["shipped"]) is shipped and w not in state["delivered"]
    ]


def _unpaid(c: Campaign) -> Decimal:
    cash = c.terms.compensation.cash
    if cash is None:
        return Decimal(0)
    return cash.amount - (c.paid.amount if c.paid else 0)


def _seed(c: Campaign, giveaway_id: str) -> str:
    return f"seed-{c.id.hex}-{giveaway_id}"


def _ratings(h: History, party: Party) -> dict[str, int]:
    dimensions = BRAND_RATING_DIMENSIONS if party is Party.BRAND else CREATOR_RATING_DIMENSIONS
    return {d: h.draw(st.integers(1, 5)) for d in dimensions}


def _pick(h: History, options: list[Any]) -> Any:
    return h.draw(st.sampled_from(options))


def _draft(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    h.ledger.execute(
        ctx,
        SubmitDraft(
            campaign_id=c.id,
            deliverable_id=_pick(h, _draftable(c)),
            caption="draft #ad",
            pros=["a"],
            cons=["b"],
        ),
    )


def _review(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    deliverable, draft_no = _pick(h, _pending(c))
    if h.draw(st.booleans()):
        h.ledger.execute(
            ctx, ApproveDraft(campaign_id=c.id, deliverable_id=deliverable, draft_no=draft_no)
        )
    else:
        h.ledger.execute(
            ctx,
            RequestChanges(
                campaign_id=c.id, deliverable_id=deliverable, draft_no=draft_no, notes="again"
            ),
        )


def _publish(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    h.ledger.execute(
        ctx,
        PublishPost(
            campaign_id=c.id,
            deliverable_id=_pick(h, _publishable(c)),
            url="https://example.com/p",
            published_at=ctx.now,
            caption=_pick(h, ["Love it #ad", "Love it"]),
        ),
    )


def _metrics(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    deliverable, post_no = _pick(h, [(d, p["post_no"]) for d, ps in c.posts.items() for p in ps])
    count = st.integers(0, 500)
    h.ledger.execute(
        ctx,
        RecordPostMetrics(
            campaign_id=c.id,
            deliverable_id=deliverable,
            post_no=post_no,
            observed_at=ctx.now,
            followers=h.draw(st.integers(0, 20_000)),
            likes=h.draw(count),
            comments=h.draw(count),
            shares=h.draw(count),
            saves=h.draw(count),
            reach=h.draw(st.one_of(st.none(), st.integers(0, 20_000))),
            impressions=h.draw(st.one_of(st.none(), st.integers(0, 40_000))),
        ),
    )


def _announce(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    h.ledger.execute(
        ctx,
        AnnounceGiveaway(
            campaign_id=c.id,
            giveaway_id="g1",
            prize="serum",
            winner_count=h.draw(st.integers(1, 3)),
            entry_rules=["follow"],
            closes_at=ctx.now + timedelta(hours=12),
            seed_commitment=commitment_for(_seed(c, "g1")),
        ),
    )


def _enterable(c: Campaign, now: datetime) -> list[str]:
    return sorted(
        g for g, state in c.giveaways.items() if not state["closed"] and now < state["closes_at"]
    )


def _enter(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    entries = [f"fan{n}x{h.draw(st.integers(0, 10**6))}" for n in range(3)]
    giveaway = _pick(h, _enterable(c, ctx.now))
    h.ledger.execute(
        ctx, RecordGiveawayEntries(campaign_id=c.id, giveaway_id=giveaway, entries=entries)
    )


def _closable(c: Campaign, now: datetime) -> list[str]:
    """Open giveaways past their closing time with entries (a draw needs some)."""
    return sorted(
        g
        for g, state in c.giveaways.items()
        if not state["closed"] and state["entries"] and now >= state["closes_at"]
    )


def _close(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    giveaway = _pick(h, _closable(c, ctx.now))
    h.ledger.execute(ctx, CloseGiveaway(campaign_id=c.id, giveaway_id=giveaway))


def _draw_winners(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    giveaway = _pick(h, _giveaways(c, closed=True, drawn=False))
    h.ledger.execute(
        ctx, DrawGiveawayWinners(campaign_id=c.id, giveaway_id=giveaway, seed=_seed(c, giveaway))
    )


def _ship(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    giveaway, winner = _pick(h, _winners(c, shipped=False))
    h.ledger.execute(
        ctx,
        ShipPrize(
            campaign_id=c.id, giveaway_id=giveaway, winner=winner, carrier="JNE", tracking_ref="x"
        ),
    )


def _deliver(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    giveaway, winner = _pick(h, _winners(c, shipped=True))
    h.ledger.execute(
        ctx, ConfirmPrizeDelivered(campaign_id=c.id, giveaway_id=giveaway, winner=winner)
    )


def _pay(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    left = _unpaid(c)
    amount = left if h.draw(st.booleans()) else max((left / 2).quantize(Decimal(1)), Decimal(1))
    h.ledger.execute(
        ctx,
        RecordPayment(
            campaign_id=c.id,
            amount=Money(min(amount, left), "IDR"),
            paid_at=ctx.now,
            reference="trx",
        ),
    )


def _sales(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    h.ledger.execute(
        ctx,
        ReportSalesUplift(
            campaign_id=c.id,
            baseline=Money(Decimal(h.draw(st.integers(0, 10**6))), "IDR"),
            during=Money(Decimal(h.draw(st.integers(0, 10**6))), "IDR"),
            promo_code_redemptions=h.draw(st.integers(0, 20)),
        ),
    )


def _feedback(h: History, c: Campaign, ctx: CommandContext, party: Party) -> None:
    h.ledger.execute(
        ctx,
        SubmitFeedback(
            campaign_id=c.id, ratings=_ratings(h, party), would_work_again=h.draw(st.booleans())
        ),
    )


def _reveal_due(c: Campaign, now: datetime) -> bool:
    return (
        bool(c.feedback_from)
        and c.delivered_at is not None
        and now >= c.delivered_at + timedelta(days=14)
    )


ACTIONS: dict[str, tuple[Callable[[Campaign, datetime], bool], Action]] = {
    "counterOffer": (
        lambda c, now: True,
        lambda h, c, ctx, p: h.ledger.execute(
            ctx, CounterOffer(campaign_id=c.id, terms=h.terms(), message="?")
        ),
    ),
    "acceptPitch": (
        lambda c, now: True,
        lambda h, c, ctx, p: h.ledger.execute(ctx, AcceptPitch(campaign_id=c.id)),
    ),
    "declinePitch": (
        lambda c, now: True,
        lambda h, c, ctx, p: h.ledger.execute(ctx, DeclinePitch(campaign_id=c.id)),
    ),
    "withdrawPitch": (
        lambda c, now: True,
        lambda h, c, ctx, p: h.ledger.execute(ctx, WithdrawPitch(campaign_id=c.id)),
    ),
    "signAgreement": (
        lambda c, now: True,
        lambda h, c, ctx, p: h.ledger.execute(
            ctx, SignAgreement(campaign_id=c.id, terms_digest=c.terms_digest)
        ),
    ),
    "cancelCampaign": (
        lambda c, now: True,
        lambda h, c, ctx, p: h.ledger.execute(ctx, CancelCampaign(campaign_id=c.id, reason="no")),
    ),
    "submitDraft": (lambda c, now: c.terms.approval_required and bool(_draftable(c)), _draft),
    "approveDraft": (lambda c, now: bool(_pending(c)), _review),
    "publishPost": (lambda c, now: bool(_publishable(c)), _publish),
    "recordPostMetrics": (lambda c, now: bool(c.posts), _metrics),
    "announceGiveaway": (lambda c, now: c.terms.giveaway_required and not c.giveaways, _announce),
    "recordGiveawayEntries": (lambda c, now: bool(_enterable(c, now)), _enter),
    "closeGiveaway": (lambda c, now: bool(_closable(c, now)), _close),
    "drawGiveawayWinners": (
        lambda c, now: bool(_giveaways(c, closed=True, drawn=False)),
        _draw_winners,
    ),
    "shipPrize": (lambda c, now: bool(_winners(c, shipped=False)), _ship),
    "confirmPrizeDelivered": (lambda c, now: bool(_winners(c, shipped=True)), _deliver),
    "recordPayment": (lambda c, now: _unpaid(c) > 0, _pay),
    "reportSalesUplift": (lambda c, now: c.units_published > 0, _sales),
    "submitFeedback": (lambda c, now: True, _feedback),
    "revealFeedback": (
        _reveal_due,
        lambda h, c, ctx, p: h.ledger.execute(ctx, RevealFeedback(campaign_id=c.id)),
    ),
}
"""Per action (named as in the campaign rules): whether it can succeed now, and how to take it."""


def dump(store: ReadStore) -> dict[str, list[Row]]:
    """Every row of the projections' live tables, by logical name, in key order."""
    rows: dict[str, list[Row]] = {}
    with store.read() as tx:
        for projection in PROJECTIONS:
            for logical, physical in Slot(projection).tables().items():
                key = ", ".join(projection.tables[logical].primary_key)
                rows[f"{projection.name}.{logical}"] = tx.fetchall(
                    f"SELECT * FROM {physical} ORDER BY {key}"
                )
    return rows


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_processing_in_random_batches_equals_a_rebuild(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock()
        ledger = Ledger(Settings(data_dir=Path(tmp) / "var"), clock=clock)
        live = SqliteReadStore(Path(tmp) / "live.db")
        rebuilt = SqliteReadStore(Path(tmp) / "rebuilt.db")
        try:
            ProjectionEngine(ledger, live, PROJECTIONS, clock=clock).install()
            history = History(ledger, clock, data)
            processed = 0
            for _ in range(data.draw(st.integers(20, 120), label="steps")):
                history.step()
                if data.draw(st.integers(0, 3)) == 0:
                    processed = catch_up(ledger, live, clock, data, processed)
            catch_up(ledger, live, clock, data, processed, to_head=True)

            fresh = ProjectionEngine(ledger, rebuilt, PROJECTIONS, batch_size=10_000, clock=clock)
            fresh.install()
            fresh.catch_up()
            assert dump(live) == dump(rebuilt)
        finally:
            live.close()
            rebuilt.close()
            ledger.close()


def catch_up(
    ledger: Ledger,
    store: ReadStore,
    clock: FakeClock,
    data: st.DataObject,
    processed: int,
    *,
    to_head: bool = False,
) -> int:
    """Catch up in a random batch size to a random position (or the head); returns it."""
    head = ledger.head_position()
    stop = head if to_head else data.draw(st.integers(processed, head), label="stop")
    batch_size = data.draw(st.integers(1, 8), label="batch size")
    ProjectionEngine(ledger, store, PROJECTIONS, batch_size=batch_size, clock=clock).catch_up(
        stop=stop
    )
    return stop
