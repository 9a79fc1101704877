"""What a campaign remembers between commands, and the checks every decision shares.

The :class:`~domain.campaign.Campaign` aggregate is assembled from this base and
one part per stage (agreement, work, giveaway, follow-up). The state here is
only what the rules need; what people read is folded separately
(:mod:`domain.campaign_view`). The records are typed dicts, so snapshots keep
the plain JSON shape they have always had.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict
from uuid import UUID

from domain.access import party_of
from domain.campaign_rules import RULES
from domain.catalog import CampaignState, DraftStatus, Party
from domain.context import Actor, CommandContext
from domain.errors import Forbidden, InvalidTransition
from domain.money import Money
from domain.next_actions import FEEDBACK_WINDOW_DAYS, next_actions, turn_blocker
from domain.terms import Terms

EMPTY_TERMS: dict[str, Any] = {
    "deliverables": [],
    "compensation": {"cash": None, "product_description": None, "product_value": None},
    "giveaway_required": False,
    "approval_required": True,
    "payment_due_days": 14,
    "usage_rights_days": 0,
    "exclusivity_days": 0,
}
"""Placeholder until ``Pitched`` applies the real terms; never stored."""

__all__ = ["FEEDBACK_WINDOW_DAYS", "CampaignFacts", "DraftRecord", "GiveawayRecord", "PostRecord"]


class DraftRecord(TypedDict):
    draft_no: int
    status: DraftStatus
    reviews: int


class PostRecord(TypedDict):
    post_no: int
    published_at: datetime


class GiveawayRecord(TypedDict):
    winner_count: int
    closes_at: datetime
    seed_commitment: str
    entries: list[str]
    closed: bool
    winners: list[str] | None
    shipped: list[str]
    delivered: list[str]


class CampaignFacts:
    """The campaign's state and the rule checks shared by all its parts."""

    if TYPE_CHECKING:
        id: UUID
        version: int

        def _record(self, ctx: CommandContext, event_class: type[Any], **payload: Any) -> None: ...

    def __init__(self) -> None:
        self.state = CampaignState.PITCHED
        self.brand_id: UUID | None = None
        self.creator_id: UUID | None = None
        self.brief_id: UUID | None = None
        self.terms = Terms.from_json(EMPTY_TERMS)
        self.pitched_by = Party.BRAND
        self.offered_by = Party.BRAND
        self.offers = 0
        self.terms_digest: str | None = None
        self.signed_by: tuple[str, ...] = ()
        self.concluded_at: datetime | None = None
        self.cancelled_by: Party | None = None
        self.drafts: dict[str, list[DraftRecord]] = {}
        self.posts: dict[str, list[PostRecord]] = {}
        self.units_published = 0
        self.delivered_at: datetime | None = None
        self.changes_requested = 0
        self.metrics_recorded = 0
        self.giveaways: dict[str, GiveawayRecord] = {}
        self.performance_reports = 0
        self.sales_reports = 0
        self.paid: Money | None = None
        self.feedback_from: tuple[str, ...] = ()
        self.first_feedback_at: datetime | None = None
        self.feedback_revealed = False
        self.completed_at: datetime | None = None

    # --- who is acting ---------------------------------------------------------
    def party_of(self, actor: Actor) -> Party | None:
        return party_of(actor, self.brand_id, self.creator_id)

    def allowed_actions(self, now: datetime, party: Party | None = None) -> list[str]:
        """The names of the exact next actions (:mod:`domain.next_actions`), each once."""
        names = [a.action for a in next_actions(self, now, party)]
        return list(dict.fromkeys(names))

    def _require(self, ctx: CommandContext, action: str) -> Party:
        """The acting party, after checking role, state and turn for the action."""
        party = self.party_of(ctx.actor)
        rule = RULES[action]
        if party is None:
            raise Forbidden(f"only the campaign's {rule.description} may {action}")
        if party not in rule.parties:
            raise Forbidden(f"only {rule.description} may {action}")
        if not rule.fits(self.state, self.delivered_at is not None):
            raise self._invalid(ctx, action, party, None)
        turn = turn_blocker(self, action, party)
        if turn is not None:
            raise self._invalid(ctx, action, party, turn)
        return party

    def _invalid(
        self, ctx: CommandContext, action: str, party: Party, reason: str | None
    ) -> InvalidTransition:
        return InvalidTransition(
            action, self.state.value, self.allowed_actions(ctx.now, party), reason=reason
        )

    def _refuse(self, ctx: CommandContext, action: str, party: Party, blocker: str | None) -> None:
        """Raises the shared rule's reason, if it has one (:mod:`domain.next_actions`)."""
        if blocker is not None:
            raise self._invalid(ctx, action, party, blocker)

    # --- derived ---------------------------------------------------------------
    @property
    def payment_due_on(self) -> date | None:
        if self.delivered_at is None:
            return None
        return self.delivered_at.date() + timedelta(days=self.terms.payment_due_days)
