"""A real :class:`domain.application.Ledger` with read models, for scenario tests.

Tests state their givens as commands (register, pitch, conclude, publish …),
call :meth:`World.catch_up` and assert on what the query functions return,
exactly as an API resolver would see it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    LinkPlatformAccount,
    PitchCampaign,
    PublishPost,
    PublishRateCard,
    RecordFollowers,
    RecordPostMetrics,
    RegisterBrand,
    RegisterCreator,
    SignAgreement,
    SubmitFeedback,
)
from domain.context import Actor, CommandContext
from domain.infrastructure.settings import Settings
from projections.machinery.base import Projection
from projections.machinery.runtime import ReadSide
from tests.support import FakeClock

Deliverables = Sequence[Mapping[str, Any]]


class World:
    def __init__(self, ledger: Ledger, read_side: ReadSide, clock: FakeClock) -> None:
        self.ledger = ledger
        self.read_side = read_side
        self.clock = clock
        self.admin = ledger.context(Actor.admin())

    @classmethod
    @contextmanager
    def open(
        cls, settings: Settings, clock: FakeClock, *projections: Projection
    ) -> Iterator[World]:
        ledger = Ledger(settings, clock=clock)
        try:
            with ReadSide(settings, ledger, projections, clock=clock) as read_side:
                yield cls(ledger, read_side, clock)
        finally:
            ledger.close()

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
    def brand(self, name: str = "Purela", industry: str = "beauty") -> UUID:
        return self.ledger.execute(
            self.admin, RegisterBrand(name=name, industry=industry)
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
    ) -> UUID:
        creator_id = self.ledger.execute(
            self.admin,
            RegisterCreator(
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
                LinkPlatformAccount(
                    creator_id=creator_id, platform=platform, handle=handle, followers=count
                ),
            )
        return creator_id

    def record_followers(
        self, creator_id: UUID, platform: str, followers: int, observed_at: datetime | None = None
    ) -> None:
        self.ledger.execute(
            self.creator_ctx(creator_id),
            RecordFollowers(
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
            PublishRateCard(
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
            PitchCampaign(
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
            creator if offered_by == "BRAND" else brand, AcceptPitch(campaign_id=campaign_id)
        )

    def conclude(self, campaign_id: UUID) -> None:
        self.accept(campaign_id)
        self.sign(campaign_id)

    def sign(self, campaign_id: UUID) -> None:
        """Both parties sign the accepted terms, which concludes the agreement."""
        digest = self.ledger.get_campaign(campaign_id).terms_digest
        for ctx in self.parties(campaign_id):
            self.ledger.execute(ctx, SignAgreement(campaign_id=campaign_id, terms_digest=digest))

    def publish(self, campaign_id: UUID, deliverable_id: str = "d1") -> None:
        _, creator = self.parties(campaign_id)
        self.ledger.execute(
            creator,
            PublishPost(
                campaign_id=campaign_id,
                deliverable_id=deliverable_id,
                url=f"https://instagram.com/p/{campaign_id.hex[:8]}{deliverable_id}",
                published_at=self.clock(),
                caption="Love it #ad",
            ),
        )

    def metrics(
        self,
        campaign_id: UUID,
        deliverable_id: str = "d1",
        *,
        observed_at: datetime | None = None,
        **counts: Any,
    ) -> None:
        _, creator = self.parties(campaign_id)
        self.ledger.execute(
            creator,
            RecordPostMetrics(
                campaign_id=campaign_id,
                deliverable_id=deliverable_id,
                observed_at=observed_at or self.clock(),
                **{"followers": 4_200, "likes": 0, "comments": 0, **counts},
            ),
        )

    def complete(self, campaign_id: UUID) -> None:
        """Both sides give feedback, which reveals it and completes the campaign."""
        brand, creator = self.parties(campaign_id)
        self.ledger.execute(
            brand,
            SubmitFeedback(
                campaign_id=campaign_id,
                ratings=dict.fromkeys(
                    (
                        "content_quality",
                        "communication",
                        "timeliness",
                        "authenticity",
                        "audience_fit",
                    ),
                    5,
                ),
                would_work_again=True,
            ),
        )
        self.ledger.execute(
            creator,
            SubmitFeedback(
                campaign_id=campaign_id,
                ratings=dict.fromkeys(
                    ("payment_timeliness", "creative_freedom", "brief_clarity", "communication"), 4
                ),
                would_work_again=True,
            ),
        )
