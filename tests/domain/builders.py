"""Builders that keep domain scenarios short: the parties, terms, and a campaign
advanced through the application service to a given stage.

The commands themselves are the verbs of :class:`~tests.ledger_driver.LedgerDriver`,
the one in-process driver; here are the shapes domain tests hold on to (the
parties' contexts, a campaign and its events)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    AnnounceGiveaway,
    CancelCampaign,
    DeclinePitch,
    PitchCampaign,
    WithdrawPitch,
)
from domain.campaign import Campaign
from domain.context import Actor, CommandContext
from domain.giveaway_draw import commitment_for
from tests.ledger_driver import LedgerDriver
from tests.support import CLOCK_START

DUE_ON = CLOCK_START.date() + timedelta(days=18)
SEED = "a-very-secret-seed-0123"
BRAND_RATINGS = {
    "content_quality": 5,
    "communication": 4,
    "timeliness": 5,
    "authenticity": 5,
    "audience_fit": 4,
}
CREATOR_RATINGS = {
    "payment_timeliness": 4,
    "creative_freedom": 5,
    "brief_clarity": 3,
    "communication": 4,
}


def deliverable(
    deliverable_id: str = "d1",
    *,
    platform: str = "INSTAGRAM",
    format: str = "POST",
    quantity: int = 1,
    due_on: date = DUE_ON,
) -> dict[str, Any]:
    return {
        "deliverable_id": deliverable_id,
        "platform": platform,
        "format": format,
        "quantity": quantity,
        "due_on": due_on,
    }


def terms(
    *,
    deliverables: list[dict[str, Any]] | None = None,
    cash: str | None = "500000",
    currency: str = "IDR",
    **overrides: Any,
) -> dict[str, Any]:
    """Terms as a portal sends them: one Instagram post for Rp500.000 unless told otherwise."""
    compensation: dict[str, Any] = {"cash": {"amount": cash, "currency": currency}}
    if cash is None:
        compensation = {"product_description": "Serum 30 ml", "product_value": None}
    return {
        "deliverables": deliverables if deliverables is not None else [deliverable()],
        "compensation": compensation,
        **overrides,
    }


@dataclass(frozen=True)
class Parties:
    """A registered brand and creator, and the contexts they act in."""

    ledger: Ledger
    brand_id: UUID
    creator_id: UUID

    def brand(self, correlation_id: str | None = None) -> CommandContext:
        return self.ledger.context(Actor.brand(self.brand_id), correlation_id)

    def creator(self, correlation_id: str | None = None) -> CommandContext:
        return self.ledger.context(Actor.creator(self.creator_id), correlation_id)

    def admin(self) -> CommandContext:
        return self.ledger.context(Actor.admin())


def register_brand(ledger: Ledger, name: str = "Purela") -> UUID:
    return LedgerDriver(ledger).brand(name, "Beauty", website="https://purela.example")


def register_creator(ledger: Ledger, handle: str = "sari.nano", followers: int = 4_200) -> UUID:
    return LedgerDriver(ledger).creator(
        f"@{handle}", followers={"INSTAGRAM": followers}, account_handle=handle
    )


def register_parties(
    ledger: Ledger, *, brand: str = "Purela", handle: str = "sari.nano"
) -> Parties:
    return Parties(ledger, register_brand(ledger, brand), register_creator(ledger, handle))


STAGES = (
    "PITCHED",
    "ACCEPTED",
    "CONCLUDED",
    "DELIVERED",
    "COMPLETED",
    "CANCELLED",
    "DECLINED",
    "WITHDRAWN",
)


@dataclass(frozen=True)
class Scenario:
    """One campaign between the parties, and shortcuts to look at it."""

    parties: Parties
    campaign_id: UUID

    @property
    def ledger(self) -> Ledger:
        return self.parties.ledger

    def brand(self, correlation_id: str | None = None) -> CommandContext:
        return self.parties.brand(correlation_id)

    def creator(self, correlation_id: str | None = None) -> CommandContext:
        return self.parties.creator(correlation_id)

    def campaign(self) -> Campaign:
        return self.ledger.get_campaign(self.campaign_id)

    def events(self) -> list[Any]:
        return list(self.ledger.events.get(self.campaign_id))

    def event_types(self) -> list[str]:
        return [type(event).__name__ for event in self.events()]

    def last_event(self) -> Any:
        return self.events()[-1]

    @property
    def driver(self) -> LedgerDriver:
        return LedgerDriver(self.ledger)

    def sign_both(self) -> None:
        self.driver.sign(self.campaign_id)

    def publish(
        self,
        deliverable_id: str = "d1",
        *,
        caption: str = "Glowing with Purela #ad",
        at: datetime | None = None,
        approve: bool | None = None,
    ) -> None:
        """One post of a deliverable, with a reviewed draft first where the terms say so."""
        needs_approval = self.campaign().terms.approval_required if approve is None else approve
        if needs_approval:
            self.driver.changes_then_approval(self.campaign_id, 0, deliverable_id, caption=caption)
        self.driver.post(self.campaign_id, deliverable_id, caption=caption, published_at=at)

    def deliver_everything(self) -> None:
        for item in self.campaign().terms.deliverables:
            for _ in range(item.quantity):
                self.publish(item.deliverable_id)

    def submit_feedback(self, side: str) -> None:
        ratings = BRAND_RATINGS if side == "BRAND" else CREATOR_RATINGS
        self.driver.feedback(self.campaign_id, side, ratings)

    def announce_giveaway(
        self,
        giveaway_id: str = "g1",
        *,
        winner_count: int = 2,
        closes_in: timedelta = timedelta(days=3),
        seed: str = SEED,
    ) -> None:
        self.ledger.execute(
            self.creator(),
            AnnounceGiveaway(
                campaign_id=self.campaign_id,
                giveaway_id=giveaway_id,
                prize="Purela serum",
                winner_count=winner_count,
                entry_rules=["follow @purela", "tag two friends"],
                closes_at=self.ledger.clock() + closes_in,
                seed_commitment=commitment_for(seed),
            ),
        )


def pitch(
    parties: Parties,
    *,
    by: str = "BRAND",
    campaign_terms: dict[str, Any] | None = None,
    brief_id: UUID | None = None,
) -> Scenario:
    ctx = parties.brand() if by == "BRAND" else parties.creator()
    result = parties.ledger.execute(
        ctx,
        PitchCampaign(
            brand_id=parties.brand_id,
            creator_id=parties.creator_id,
            terms=campaign_terms or terms(),
            message="Would you like to try our serum?",
            brief_id=brief_id,
        ),
    )
    return Scenario(parties, result.aggregate_id)


def campaign_at(
    ledger: Ledger,
    stage: str,
    *,
    campaign_terms: dict[str, Any] | None = None,
    parties: Parties | None = None,
) -> Scenario:
    """A campaign pitched by the brand and advanced through the service to ``stage``."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage}")
    scenario = pitch(parties or register_parties(ledger), campaign_terms=campaign_terms)
    cid = scenario.campaign_id
    if stage == "PITCHED":
        return scenario
    if stage == "DECLINED":
        ledger.execute(scenario.creator(), DeclinePitch(campaign_id=cid, reason="not my niche"))
        return scenario
    if stage == "WITHDRAWN":
        ledger.execute(scenario.brand(), WithdrawPitch(campaign_id=cid))
        return scenario
    ledger.execute(scenario.creator(), AcceptPitch(campaign_id=cid))
    if stage == "ACCEPTED":
        return scenario
    scenario.sign_both()
    if stage == "CANCELLED":
        ledger.execute(scenario.brand(), CancelCampaign(campaign_id=cid, reason="product recall"))
        return scenario
    if stage == "CONCLUDED":
        return scenario
    scenario.deliver_everything()
    if stage == "DELIVERED":
        return scenario
    scenario.submit_feedback("BRAND")
    scenario.submit_feedback("CREATOR")
    return scenario


@contextmanager
def records_nothing(ledger: Ledger) -> Iterator[None]:
    """Asserts the block leaves the event store exactly as it found it."""
    before = ledger.recorder.max_notification_id()
    yield
    assert ledger.recorder.max_notification_id() == before
