"""The in-process scenario driver: a real :class:`domain.application.Ledger`, with
read models where a test asks for them, and the verbs of a campaign's story.

Tests state their givens as commands (register, pitch, conclude, post, pay,
rate …), each verb one or a few real commands as the party that may give them,
timed by the test's clock; projection tests then call :meth:`LedgerDriver.catch_up`
and assert on what the query functions return, exactly as an API resolver sees it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.application import commands as c
from domain.catalog import BRAND_RATING_DIMENSIONS, CREATOR_RATING_DIMENSIONS
from domain.context import Actor, CommandContext
from domain.giveaway_draw import commitment_for
from domain.infrastructure.settings import Settings
from domain.money import Money
from projections.machinery.base import Projection
from projections.machinery.runtime import ReadSide
from tests.support import FakeClock

BRAND = "BRAND"
CREATOR = "CREATOR"

Deliverables = Sequence[Mapping[str, Any]]


class LedgerDriver:
    """A ledger (with read models, where the test asks for them) and the verbs of
    a campaign's story, each one or a few real commands as the right party."""

    def __init__(
        self, ledger: Ledger, read_side: ReadSide | None = None, clock: Any = None
    ) -> None:
        """``read_side`` only for tests that read the read models; ``clock`` is the
        ledger's unless given (a :class:`~tests.support.FakeClock` for ``advance``)."""
        self.ledger = ledger
        self._read_side = read_side
        self.clock = clock or ledger.clock
        self.admin = ledger.context(Actor.admin())

    @classmethod
    @contextmanager
    def open(
        cls, settings: Settings, clock: FakeClock, *projections: Projection
    ) -> Iterator[LedgerDriver]:
        ledger = Ledger(settings, clock=clock)
        try:
            with ReadSide(settings, ledger, projections, clock=clock) as read_side:
                yield cls(ledger, read_side, clock)
        finally:
            ledger.close()

    @property
    def read_side(self) -> ReadSide:
        assert self._read_side is not None, "open the driver with projections to read them"
        return self._read_side

    @property
    def store(self) -> Any:
        return self.read_side.store

    def catch_up(self) -> None:
        self.read_side.engine.catch_up()

    def today(self) -> date:
        return self.clock().date()

    def brand_ctx(self, brand_id: UUID) -> CommandContext:
        return self.ledger.context(Actor.brand(brand_id))

    def creator_ctx(self, creator_id: UUID) -> CommandContext:
        return self.ledger.context(Actor.creator(creator_id))

    # --- parties -------------------------------------------------------------------
    def brand(
        self, name: str = "Purela", industry: str = "beauty", website: str | None = None
    ) -> UUID:
        return self.ledger.execute(
            self.admin, c.RegisterBrand(name=name, industry=industry, website=website)
        ).aggregate_id

    def creator(
        self,
        handle: str,
        *,
        display_name: str | None = None,
        niches: Sequence[str] = ("beauty",),
        followers: Mapping[str, int] | None = None,
        origin: str = "NATIVE",
        country: str = "ID",
        account_handle: str | None = None,
    ) -> UUID:
        """A registered creator with one linked account per platform in ``followers``
        (Instagram, 4,200 unless told), each under ``account_handle`` or ``handle``."""
        creator_id = self.ledger.execute(
            self.admin,
            c.RegisterCreator(
                handle=handle,
                display_name=display_name or handle.title(),
                niches=list(niches),
                origin=origin,
                country=country,
            ),
        ).aggregate_id
        for platform, count in (followers or {"INSTAGRAM": 4_200}).items():
            self.ledger.execute(
                self.creator_ctx(creator_id),
                c.LinkPlatformAccount(
                    creator_id=creator_id,
                    platform=platform,
                    handle=account_handle or handle,
                    followers=count,
                ),
            )
        return creator_id

    def record_followers(
        self, creator_id: UUID, platform: str, followers: int, observed_at: datetime | None = None
    ) -> None:
        self.ledger.execute(
            self.creator_ctx(creator_id),
            c.RecordFollowers(
                creator_id=creator_id,
                platform=platform,
                followers=followers,
                observed_at=observed_at or self.clock(),
            ),
        )

    def rate_card(self, creator_id: UUID, *lines: tuple[str, str, str, str]) -> None:
        """Lines as (platform, format, amount, currency)."""
        self.ledger.execute(
            self.creator_ctx(creator_id),
            c.PublishRateCard(
                creator_id=creator_id,
                lines=[
                    {"platform": p, "format": f, "price": {"amount": a, "currency": c}}
                    for p, f, a, c in lines
                ],
            ),
        )

    # --- campaigns -----------------------------------------------------------------
    def terms(
        self,
        *,
        cash: str | None = "500000",
        currency: str = "IDR",
        deliverables: Deliverables | None = None,
    ) -> dict[str, Any]:
        due = self.today() + timedelta(days=18)
        compensation: dict[str, Any] = (
            {"cash": {"amount": cash, "currency": currency}}
            if cash
            else {"product_description": "a serum", "product_value": {"amount": "150000"}}
        )
        return {
            "deliverables": [
                {"due_on": due, **d}
                for d in deliverables or [{"platform": "INSTAGRAM", "format": "POST"}]
            ],
            "compensation": compensation,
            "approval_required": False,
        }

    def pitch(
        self,
        brand_id: UUID,
        creator_id: UUID,
        *,
        by_creator: bool = False,
        brief_id: UUID | None = None,
        **terms: Any,
    ) -> UUID:
        ctx = self.creator_ctx(creator_id) if by_creator else self.brand_ctx(brand_id)
        return self.ledger.execute(
            ctx,
            c.PitchCampaign(
                brand_id=brand_id,
                creator_id=creator_id,
                brief_id=brief_id,
                terms=self.terms(**terms),
                message="Shall we?",
            ),
        ).aggregate_id

    def parties(self, campaign_id: UUID) -> tuple[CommandContext, CommandContext]:
        """Contexts of the brand and the creator, timed now: use them right away."""
        campaign = self.ledger.get_campaign(campaign_id)
        assert campaign.brand_id is not None
        assert campaign.creator_id is not None
        return self.brand_ctx(campaign.brand_id), self.creator_ctx(campaign.creator_id)

    def accept(self, campaign_id: UUID) -> None:
        brand, creator = self.parties(campaign_id)
        offered_by = self.ledger.get_campaign(campaign_id).offered_by.value
        self.ledger.execute(
            creator if offered_by == "BRAND" else brand, c.AcceptPitch(campaign_id=campaign_id)
        )

    def conclude(self, campaign_id: UUID) -> None:
        self.accept(campaign_id)
        self.sign(campaign_id)

    def sign(self, campaign_id: UUID) -> None:
        """Both parties sign the accepted terms, which concludes the agreement."""
        digest = self.ledger.get_campaign(campaign_id).terms_digest
        for ctx in self.parties(campaign_id):
            self.ledger.execute(ctx, c.SignAgreement(campaign_id=campaign_id, terms_digest=digest))

    def campaign(
        self,
        brand_id: UUID,
        creator_id: UUID,
        *,
        units: Sequence[int] = (1,),
        due_in_days: int = 10,
        platform: str = "INSTAGRAM",
        concluded: bool = True,
        **options: Any,
    ) -> UUID:
        """A brand's pitch (concluded unless told otherwise) with one deliverable per
        entry of ``units`` (its quantity), ids d1, d2, …; ``options`` override terms
        (``cash=None`` for product-only, ``currency``, ``approval_required`` …)."""
        terms = self.terms(
            cash=options.pop("cash", "500000"), currency=options.pop("currency", "IDR")
        )
        due_on = self.today() + timedelta(days=due_in_days)
        terms["deliverables"] = [
            {"platform": platform, "format": "POST", "quantity": quantity, "due_on": due_on}
            for quantity in units
        ]
        terms.update(options)
        campaign_id = self.ledger.execute(
            self.brand_ctx(brand_id),
            c.PitchCampaign(
                brand_id=brand_id, creator_id=creator_id, terms=terms, message="Shall we?"
            ),
        ).aggregate_id
        if concluded:
            self.conclude(campaign_id)
        return campaign_id

    def post(
        self,
        campaign_id: UUID,
        deliverable_id: str = "d1",
        *,
        caption: str = "Love it #ad",
        published_at: datetime | None = None,
    ) -> None:
        _, creator = self.parties(campaign_id)
        post_no = len(self.ledger.get_campaign(campaign_id).posts.get(deliverable_id, [])) + 1
        self.ledger.execute(
            creator,
            c.PublishPost(
                campaign_id=campaign_id,
                deliverable_id=deliverable_id,
                url=f"https://instagram.com/p/{campaign_id.hex[:8]}{deliverable_id}-{post_no}",
                published_at=published_at or self.clock(),
                caption=caption,
            ),
        )

    def snapshot(
        self,
        campaign_id: UUID,
        post_no: int = 1,
        *,
        observed_at: datetime | None = None,
        deliverable_id: str = "d1",
        followers: int = 1_000,
        **counts: Any,
    ) -> None:
        """A metrics snapshot of one post; counts not given are 0 (or unknown for reach,
        impressions and views)."""
        _, creator = self.parties(campaign_id)
        self.ledger.execute(
            creator,
            c.RecordPostMetrics(
                campaign_id=campaign_id,
                deliverable_id=deliverable_id,
                post_no=post_no,
                observed_at=observed_at or self.clock(),
                followers=followers,
                **{"likes": 0, "comments": 0, **counts},
            ),
        )

    def changes_then_approval(
        self,
        campaign_id: UUID,
        changes: int,
        deliverable: str = "d1",
        *,
        caption: str = "Draft #ad",
    ) -> None:
        """Drafts for a deliverable under approval: ``changes`` rejections, then approval."""
        for rejected in range(changes + 1):
            brand, creator = self.parties(campaign_id)
            self.ledger.execute(
                creator,
                c.SubmitDraft(
                    campaign_id=campaign_id,
                    deliverable_id=deliverable,
                    caption=caption,
                    pros=["light texture"],
                    cons=["pricey"],
                ),
            )
            draft_no = self.ledger.get_campaign(campaign_id).drafts[deliverable][-1]["draft_no"]
            if rejected < changes:
                self.ledger.execute(
                    brand,
                    c.RequestChanges(
                        campaign_id=campaign_id,
                        deliverable_id=deliverable,
                        draft_no=draft_no,
                        notes="more light",
                    ),
                )
            else:
                self.ledger.execute(
                    brand,
                    c.ApproveDraft(
                        campaign_id=campaign_id, deliverable_id=deliverable, draft_no=draft_no
                    ),
                )

    def feedback(
        self,
        campaign_id: UUID,
        by: str,
        scores: Mapping[str, int] | int = 5,
        *,
        would_work_again: bool = True,
    ) -> None:
        """One side's feedback; an int rates every dimension the same."""
        brand, creator = self.parties(campaign_id)
        dimensions = BRAND_RATING_DIMENSIONS if by == BRAND else CREATOR_RATING_DIMENSIONS
        ratings = dict.fromkeys(dimensions, scores) if isinstance(scores, int) else dict(scores)
        self.ledger.execute(
            brand if by == BRAND else creator,
            c.SubmitFeedback(
                campaign_id=campaign_id, ratings=ratings, would_work_again=would_work_again
            ),
        )

    def reveal(self, campaign_id: UUID) -> None:
        brand, _ = self.parties(campaign_id)
        self.ledger.execute(brand, c.RevealFeedback(campaign_id=campaign_id))

    def cancel(self, campaign_id: UUID, by: str) -> None:
        brand, creator = self.parties(campaign_id)
        self.ledger.execute(
            brand if by == BRAND else creator,
            c.CancelCampaign(campaign_id=campaign_id, reason="plans changed"),
        )

    def giveaway(self, campaign_id: UUID, *, winners: int, delivered: int) -> None:
        """Announce, enter, close and draw a giveaway; deliver prizes to some winners."""
        seed = f"seed-for-{campaign_id.hex}"
        _, creator = self.parties(campaign_id)
        self.ledger.execute(
            creator,
            c.AnnounceGiveaway(
                campaign_id=campaign_id,
                giveaway_id="g1",
                prize="Serum",
                winner_count=winners,
                entry_rules=["follow"],
                closes_at=self.clock() + timedelta(days=1),
                seed_commitment=commitment_for(seed),
            ),
        )
        self.ledger.execute(
            creator,
            c.RecordGiveawayEntries(
                campaign_id=campaign_id, giveaway_id="g1", entries=[f"fan{i}" for i in range(20)]
            ),
        )
        self.clock.advance(days=1)
        brand, creator = self.parties(campaign_id)
        self.ledger.execute(creator, c.CloseGiveaway(campaign_id=campaign_id, giveaway_id="g1"))
        self.ledger.execute(
            creator, c.DrawGiveawayWinners(campaign_id=campaign_id, giveaway_id="g1", seed=seed)
        )
        drawn = self.ledger.get_campaign(campaign_id).giveaways["g1"]["winners"]
        for winner in drawn[:delivered]:
            self.ledger.execute(
                brand,
                c.ShipPrize(
                    campaign_id=campaign_id,
                    giveaway_id="g1",
                    winner=winner,
                    carrier="JNE",
                    tracking_ref=f"T-{winner}",
                ),
            )
            self.ledger.execute(
                creator,
                c.ConfirmPrizeDelivered(campaign_id=campaign_id, giveaway_id="g1", winner=winner),
            )

    def pay(
        self,
        campaign_id: UUID,
        amount: str,
        currency: str = "IDR",
        *,
        paid_at: datetime | None = None,
    ) -> None:
        brand, _ = self.parties(campaign_id)
        self.ledger.execute(
            brand,
            c.RecordPayment(
                campaign_id=campaign_id,
                amount=Money(Decimal(amount), currency),
                paid_at=paid_at or self.clock(),
                reference=f"TRX-{amount}",
            ),
        )

    def sales(
        self,
        campaign_id: UUID,
        baseline: str,
        during: str,
        currency: str = "IDR",
        *,
        redemptions: int = 0,
    ) -> None:
        brand, _ = self.parties(campaign_id)
        self.ledger.execute(
            brand,
            c.ReportSalesUplift(
                campaign_id=campaign_id,
                baseline=Money(Decimal(baseline), currency),
                during=Money(Decimal(during), currency),
                promo_code_redemptions=redemptions,
            ),
        )

    def complete(self, campaign_id: UUID) -> None:
        """Both sides give feedback, which reveals it and completes the campaign."""
        self.feedback(campaign_id, BRAND, 5)
        self.feedback(campaign_id, CREATOR, 4)
