"""What each party of a campaign can do next, exactly, and on what.

An action is listed for a party only if that party's command would be accepted
now for some input: the state table (:mod:`domain.campaign_rules`) is the first
filter, the turn (who made the offer, who has signed or rated) the second, and
the campaign's own records the last — which deliverable awaits a draft or a
post, which draft awaits review, which giveaway is open, closable or drawable,
which winners await shipping or delivery, how much is still owed, whether the
feedback reveal has opened. Each listed action names those targets.

The ``*_blocker`` functions below are the one home of those record-level rules:
the commands raise their reason as an ``InvalidTransition``, and the next actions
list a target exactly when its blocker is ``None`` (docs/workflow.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.campaign_rules import RULES
from domain.catalog import DraftStatus, Party
from domain.money import Money, minor_unit

if TYPE_CHECKING:
    from domain.campaign_facts import CampaignFacts, GiveawayRecord

FEEDBACK_WINDOW_DAYS = 14
"""After delivery, either side may reveal feedback once this many days have passed."""


@dataclass(frozen=True)
class Target:
    """What a next action is about; only the fields that matter for the action are set."""

    deliverable_id: str | None = None
    draft_no: int | None = None
    post_no: int | None = None
    giveaway_id: str | None = None
    winner: str | None = None
    amount: Money | None = None
    due_on: date | None = None
    """When the deliverable or the payment is due."""
    closes_at: datetime | None = None
    """Until when giveaway entries are taken."""
    opens_at: datetime | None = None
    """From when either side may reveal feedback without the other."""


@dataclass(frozen=True)
class NextAction:
    action: str
    party: Party
    targets: tuple[Target, ...] = ()
    """Empty for an action about the campaign as a whole (accept, cancel, report, …)."""


# --- the record-level rules, shared with the commands ---------------------------------------


def turn_blocker(c: CampaignFacts, action: str, party: Party) -> str | None:
    rule = RULES[action]
    if action in {"counterOffer", "acceptPitch", "declinePitch"} and party is c.offered_by:
        return f"only {rule.description}"
    if action == "withdrawPitch" and party is not c.offered_by:
        return f"only {rule.description}"
    if action == "signAgreement" and party.value in c.signed_by:
        return f"only {rule.description}"
    if action == "submitFeedback" and party.value in c.feedback_from:
        return f"only {rule.description}"
    return None


def sign_blocker(c: CampaignFacts, today: date) -> str | None:
    late = [d.deliverable_id for d in c.terms.deliverables if d.due_on < today]
    return f"deliverable {late[0]} is due in the past" if late else None


def units_left(c: CampaignFacts, deliverable_id: str) -> int:
    deliverable = c.terms.deliverable(deliverable_id)
    assert deliverable is not None
    return deliverable.quantity - len(c.posts.get(deliverable_id, []))


def draft_blocker(c: CampaignFacts, deliverable_id: str) -> str | None:
    if not c.terms.approval_required:
        return "these terms need no draft approval"
    if units_left(c, deliverable_id) <= 0:
        return f"{deliverable_id} is fully published"
    drafts = c.drafts.get(deliverable_id, [])
    if drafts and drafts[-1]["status"] in {DraftStatus.SUBMITTED, DraftStatus.APPROVED}:
        return f"draft {drafts[-1]['draft_no']} is {drafts[-1]['status']}"
    return None


def pending_draft(c: CampaignFacts, deliverable_id: str) -> int | None:
    """The number of the deliverable's draft that awaits review, if any."""
    drafts = c.drafts.get(deliverable_id, [])
    if drafts and drafts[-1]["status"] == DraftStatus.SUBMITTED:
        return int(drafts[-1]["draft_no"])
    return None


def publish_blocker(c: CampaignFacts, deliverable_id: str) -> str | None:
    if units_left(c, deliverable_id) <= 0:
        return f"{deliverable_id} is fully published"
    if c.terms.approval_required:
        drafts = c.drafts.get(deliverable_id, [])
        if not drafts or drafts[-1]["status"] != DraftStatus.APPROVED:
            return "publish only an approved draft"
    return None


def announce_blocker(c: CampaignFacts) -> str | None:
    return None if c.terms.giveaway_required else "the terms include no giveaway"


def entries_blocker(gid: str, g: GiveawayRecord, now: datetime) -> str | None:
    return f"giveaway {gid} is closed" if g["closed"] or now >= g["closes_at"] else None


def close_blocker(gid: str, g: GiveawayRecord, now: datetime) -> str | None:
    if g["closed"]:
        return f"giveaway {gid} is already closed"
    if now < g["closes_at"]:
        return f"giveaway {gid} closes at {g['closes_at']}"
    return None


def draw_blocker(gid: str, g: GiveawayRecord) -> str | None:
    if not g["closed"]:
        return f"giveaway {gid} is still open"
    if g["winners"] is not None:
        return f"giveaway {gid} is already drawn"
    if not g["entries"]:
        return f"giveaway {gid} has no entries"
    return None


def ship_blocker(g: GiveawayRecord, winner: str) -> str | None:
    return f"the prize for {winner} is already shipped" if winner in g["shipped"] else None


def delivery_blocker(g: GiveawayRecord, winner: str) -> str | None:
    if winner not in g["shipped"]:
        return f"no prize shipped to {winner}"
    if winner in g["delivered"]:
        return f"the prize for {winner} is already delivered"
    return None


def publication_blocker(c: CampaignFacts) -> str | None:
    return "nothing is published yet" if c.units_published == 0 else None


def owed(c: CampaignFacts) -> Money | None:
    """The agreed cash not yet paid; None when the terms agree no cash."""
    cash = c.terms.compensation.cash
    if cash is None:
        return None
    paid = c.paid.amount if c.paid else Decimal(0)
    return Money(cash.amount - paid, cash.currency)


def payment_blocker(c: CampaignFacts) -> str | None:
    remaining = owed(c)
    if remaining is None:
        return "the terms agree no cash payment"
    if remaining.amount < minor_unit(remaining.currency):
        return "the agreed cash is fully paid"
    return None


def feedback_opens_at(c: CampaignFacts) -> datetime | None:
    if c.delivered_at is None:
        return None
    return c.delivered_at + timedelta(days=FEEDBACK_WINDOW_DAYS)


def reveal_blocker(c: CampaignFacts, now: datetime) -> str | None:
    opens = feedback_opens_at(c)
    if c.feedback_revealed:
        return "feedback is already revealed"
    if not c.feedback_from:
        return "no feedback has been submitted"
    if opens is None or now < opens:
        when = opens.isoformat() if opens is not None else "delivery"
        return f"feedback is revealed when both sides submit, or from {when}"
    return None


# --- the next actions --------------------------------------------------------------------

Targets = tuple[Target, ...] | None
"""None: the action is not possible now; a tuple: it is, on these targets (or, if empty,
on the campaign as a whole)."""


TargetsOf = Callable[["CampaignFacts", datetime], Targets]
"""What an action can be done on now, for a campaign."""


def _whole(blocker: str | None) -> Targets:
    return () if blocker is None else None


def _some(targets: list[Target]) -> Targets:
    return tuple(targets) if targets else None


def _deliverables_where(blocker: Callable[[CampaignFacts, str], str | None]) -> TargetsOf:
    """The deliverables ``blocker`` lets through, with their due dates."""

    def targets(c: CampaignFacts, now: datetime) -> Targets:
        return _some(
            [
                Target(deliverable_id=d.deliverable_id, due_on=d.due_on)
                for d in c.terms.deliverables
                if blocker(c, d.deliverable_id) is None
            ]
        )

    return targets


def _reviews(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [
            Target(deliverable_id=d.deliverable_id, draft_no=number)
            for d in c.terms.deliverables
            if (number := pending_draft(c, d.deliverable_id)) is not None
        ]
    )


def _published(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [
            Target(deliverable_id=deliverable_id, post_no=post["post_no"])
            for deliverable_id, posts in c.posts.items()
            for post in posts
        ]
    )


def _open_giveaways(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [
            Target(giveaway_id=gid, closes_at=g["closes_at"])
            for gid, g in c.giveaways.items()
            if entries_blocker(gid, g, now) is None
        ]
    )


def _closable(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [
            Target(giveaway_id=gid)
            for gid, g in c.giveaways.items()
            if close_blocker(gid, g, now) is None
        ]
    )


def _drawable(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [Target(giveaway_id=gid) for gid, g in c.giveaways.items() if draw_blocker(gid, g) is None]
    )


def _to_ship(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [
            Target(giveaway_id=gid, winner=w)
            for gid, g in c.giveaways.items()
            for w in g["winners"] or ()
            if ship_blocker(g, w) is None
        ]
    )


def _to_deliver(c: CampaignFacts, now: datetime) -> Targets:
    return _some(
        [
            Target(giveaway_id=gid, winner=w)
            for gid, g in c.giveaways.items()
            for w in g["winners"] or ()
            if delivery_blocker(g, w) is None
        ]
    )


def _payment(c: CampaignFacts, now: datetime) -> Targets:
    if payment_blocker(c) is not None:
        return None
    return (Target(amount=owed(c), due_on=c.payment_due_on),)


def _feedback(c: CampaignFacts, now: datetime) -> Targets:
    return (Target(opens_at=feedback_opens_at(c)),)


TARGETS: dict[str, TargetsOf] = {
    "signAgreement": lambda c, now: _whole(sign_blocker(c, now.date())),
    "submitDraft": _deliverables_where(draft_blocker),
    "requestChanges": _reviews,
    "approveDraft": _reviews,
    "publishPost": _deliverables_where(publish_blocker),
    "recordPostMetrics": _published,
    "announceGiveaway": lambda c, now: _whole(announce_blocker(c)),
    "recordGiveawayEntries": _open_giveaways,
    "closeGiveaway": _closable,
    "drawGiveawayWinners": _drawable,
    "shipPrize": _to_ship,
    "confirmPrizeDelivered": _to_deliver,
    "reportPerformance": lambda c, now: _whole(publication_blocker(c)),
    "reportSalesUplift": lambda c, now: _whole(publication_blocker(c)),
    "recordPayment": _payment,
    "submitFeedback": _feedback,
    "revealFeedback": lambda c, now: _whole(reveal_blocker(c, now)),
}
"""Per action, its targets now; an action missing here is about the campaign as a whole."""


def next_actions(c: CampaignFacts, now: datetime, party: Party | None = None) -> list[NextAction]:
    """Every action a party (or, if ``party`` is None, either party) would have
    accepted now, in the order of the rules table, brand before creator."""
    delivered = c.delivered_at is not None
    found = []
    for action, rule in RULES.items():
        if not rule.fits(c.state, delivered):
            continue
        for side in (Party.BRAND, Party.CREATOR):
            if side not in rule.parties or (party is not None and side is not party):
                continue
            if turn_blocker(c, action, side) is not None:
                continue
            targets = TARGETS[action](c, now) if action in TARGETS else ()
            if targets is not None:
                found.append(NextAction(action, side, targets))
    return found
