"""Who may do what, when: the campaign state machine as a table.

Each action (named as its GraphQL mutation) lists the states it fits and the
party allowed to take it. A command that does not fit gets an
``InvalidTransition`` naming the state and what is allowed now; a party acting
outside its role gets ``Forbidden``. The table is the first filter of the exact
next actions (:mod:`domain.next_actions`), which then look at the campaign's
deliverables, drafts, giveaways, payments and feedback (docs/workflow.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.catalog import CampaignState, Party

S = CampaignState
EITHER = frozenset({Party.BRAND, Party.CREATOR})
BRAND = frozenset({Party.BRAND})
CREATOR = frozenset({Party.CREATOR})
RUNNING = frozenset({S.CONCLUDED, S.DELIVERED})
AFTER_CONCLUSION = frozenset({S.CONCLUDED, S.DELIVERED, S.COMPLETED})
PRIZES_OWED = AFTER_CONCLUSION | {S.CANCELLED}
"""Winners drawn before a cancellation are still owed their prizes."""


@dataclass(frozen=True)
class Rule:
    states: frozenset[CampaignState]
    parties: frozenset[Party]
    description: str
    after_delivery_cancelled: bool = False
    """The action also fits a campaign cancelled after its work was delivered."""

    def fits(self, state: CampaignState, delivered: bool) -> bool:
        if state in self.states:
            return True
        return self.after_delivery_cancelled and delivered and state is S.CANCELLED


RULES: dict[str, Rule] = {
    "counterOffer": Rule(frozenset({S.PITCHED}), EITHER, "the party that did not make the offer"),
    "acceptPitch": Rule(frozenset({S.PITCHED}), EITHER, "the party that did not make the offer"),
    "declinePitch": Rule(frozenset({S.PITCHED}), EITHER, "the party that did not make the offer"),
    "withdrawPitch": Rule(frozenset({S.PITCHED}), EITHER, "the party that made the offer"),
    "signAgreement": Rule(frozenset({S.ACCEPTED}), EITHER, "each party once"),
    "cancelCampaign": Rule(
        frozenset({S.ACCEPTED, S.CONCLUDED, S.DELIVERED}), EITHER, "either party, with a reason"
    ),
    "submitDraft": Rule(frozenset({S.CONCLUDED}), CREATOR, "the creator"),
    "requestChanges": Rule(frozenset({S.CONCLUDED}), BRAND, "the brand"),
    "approveDraft": Rule(frozenset({S.CONCLUDED}), BRAND, "the brand"),
    "publishPost": Rule(frozenset({S.CONCLUDED}), CREATOR, "the creator"),
    "recordPostMetrics": Rule(AFTER_CONCLUSION, CREATOR, "the creator"),
    "announceGiveaway": Rule(RUNNING, CREATOR, "the creator"),
    "recordGiveawayEntries": Rule(AFTER_CONCLUSION, CREATOR, "the creator"),
    "closeGiveaway": Rule(AFTER_CONCLUSION, CREATOR, "the creator"),
    "drawGiveawayWinners": Rule(AFTER_CONCLUSION, CREATOR, "the creator"),
    "shipPrize": Rule(PRIZES_OWED, EITHER, "either party"),
    "confirmPrizeDelivered": Rule(PRIZES_OWED, EITHER, "either party"),
    "reportPerformance": Rule(AFTER_CONCLUSION, CREATOR, "the creator"),
    "reportSalesUplift": Rule(AFTER_CONCLUSION, BRAND, "the brand"),
    "recordPayment": Rule(AFTER_CONCLUSION, BRAND, "the brand", after_delivery_cancelled=True),
    "submitFeedback": Rule(
        frozenset({S.DELIVERED}), EITHER, "each party once", after_delivery_cancelled=True
    ),
    "revealFeedback": Rule(
        frozenset({S.DELIVERED}), EITHER, "either party", after_delivery_cancelled=True
    ),
}
"""Cancelling after the work was delivered settles nothing: the delivered work is still
owed its payment, and both sides may still rate each other (docs/workflow.md)."""


def actions_in(
    state: CampaignState, party: Party | None = None, *, delivered: bool = False
) -> list[str]:
    """Actions that fit the state (for the given party, if any), by table alone."""
    return [
        action
        for action, rule in RULES.items()
        if rule.fits(state, delivered) and (party is None or party in rule.parties)
    ]
