"""Scenario verbs for the reputation and brand-feedback tests, on top of :class:`World`.

Each verb is one or a few real Ledger commands, timed by the test's clock, so a
test reads as the story of a campaign: pitch, conclude, post, pay, rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.application.commands import (
    AnnounceGiveaway,
    ApproveDraft,
    CancelCampaign,
    CloseGiveaway,
    ConfirmPrizeDelivered,
    DrawGiveawayWinners,
    PitchCampaign,
    PublishPost,
    RecordGiveawayEntries,
    RecordPayment,
    RecordPostMetrics,
    ReportSalesUplift,
    RequestChanges,
    RevealFeedback,
    ShipPrize,
    SubmitDraft,
    SubmitFeedback,
)
from domain.catalog import BRAND_RATING_DIMENSIONS, CREATOR_RATING_DIMENSIONS
from domain.giveaway_draw import commitment_for
from domain.money import Money
from tests.projections.ledger_world import World

BRAND = "BRAND"
CREATOR = "CREATOR"


class FeedbackWorld(World):
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
            PitchCampaign(
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
        self.ledger.execute(
            creator,
            PublishPost(
                campaign_id=campaign_id,
                deliverable_id=deliverable_id,
                url=f"https://instagram.com/p/{campaign_id.hex[:8]}",
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
            RecordPostMetrics(
                campaign_id=campaign_id,
                deliverable_id=deliverable_id,
                post_no=post_no,
                observed_at=observed_at or self.clock(),
                followers=followers,
                **{"likes": 0, "comments": 0, **counts},
            ),
        )

    def changes_then_approval(
        self, campaign_id: UUID, changes: int, deliverable: str = "d1"
    ) -> None:
        """Drafts for a deliverable under approval: ``changes`` rejections, then approval."""
        for draft_no in range(1, changes + 2):
            brand, creator = self.parties(campaign_id)
            self.ledger.execute(
                creator,
                SubmitDraft(
                    campaign_id=campaign_id,
                    deliverable_id=deliverable,
                    caption="Draft #ad",
                    pros=["light"],
                    cons=["pricey"],
                ),
            )
            if draft_no <= changes:
                self.ledger.execute(
                    brand,
                    RequestChanges(
                        campaign_id=campaign_id,
                        deliverable_id=deliverable,
                        draft_no=draft_no,
                        notes="more light",
                    ),
                )
            else:
                self.ledger.execute(
                    brand,
                    ApproveDraft(
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
            SubmitFeedback(
                campaign_id=campaign_id, ratings=ratings, would_work_again=would_work_again
            ),
        )

    def reveal(self, campaign_id: UUID) -> None:
        brand, _ = self.parties(campaign_id)
        self.ledger.execute(brand, RevealFeedback(campaign_id=campaign_id))

    def cancel(self, campaign_id: UUID, by: str) -> None:
        brand, creator = self.parties(campaign_id)
        self.ledger.execute(
            brand if by == BRAND else creator,
            CancelCampaign(campaign_id=campaign_id, reason="plans changed"),
        )

    def giveaway(self, campaign_id: UUID, *, winners: int, delivered: int) -> None:
        """Announce, enter, close and draw a giveaway; deliver prizes to some winners."""
        seed = f"seed-for-{campaign_id.hex}"
        _, creator = self.parties(campaign_id)
        self.ledger.execute(
            creator,
            AnnounceGiveaway(
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
            RecordGiveawayEntries(
                campaign_id=campaign_id, giveaway_id="g1", entries=[f"fan{i}" for i in range(20)]
            ),
        )
        self.clock.advance(days=1)
        brand, creator = self.parties(campaign_id)
        self.ledger.execute(creator, CloseGiveaway(campaign_id=campaign_id, giveaway_id="g1"))
        self.ledger.execute(
            creator, DrawGiveawayWinners(campaign_id=campaign_id, giveaway_id="g1", seed=seed)
        )
        drawn = self.ledger.get_campaign(campaign_id).giveaways["g1"]["winners"]
        for winner in drawn[:delivered]:
            self.ledger.execute(
                brand,
                ShipPrize(
                    campaign_id=campaign_id,
                    giveaway_id="g1",
                    winner=winner,
                    carrier="JNE",
                    tracking_ref=f"T-{winner}",
                ),
            )
            self.ledger.execute(
                creator,
                ConfirmPrizeDelivered(campaign_id=campaign_id, giveaway_id="g1", winner=winner),
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
            RecordPayment(
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
            ReportSalesUplift(
                campaign_id=campaign_id,
                baseline=Money(Decimal(baseline), currency),
                during=Money(Decimal(during), currency),
                promo_code_redemptions=redemptions,
            ),
        )
