"""The Campaign aggregate: one brand × one creator, from pitch to feedback.

Command methods decide (check the rules, then record events); each event's
``apply`` only assigns state, so replaying history never re-checks rules. The
events are all nested here; the decisions live in one part per stage —
:mod:`~domain.campaign_agreement`, :mod:`~domain.campaign_work`,
:mod:`~domain.campaign_giveaway`, :mod:`~domain.campaign_follow_up` — over the
state and shared checks of :mod:`~domain.campaign_facts`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate
from domain.campaign_agreement import CampaignAgreement
from domain.campaign_facts import FEEDBACK_WINDOW_DAYS, CampaignFacts
from domain.campaign_follow_up import CampaignFollowUp
from domain.campaign_giveaway import CampaignGiveaway
from domain.campaign_work import CampaignWork
from domain.catalog import CampaignState, DraftStatus, Party
from domain.money import Money
from domain.ratings import Ratings
from domain.terms import Terms

__all__ = ["FEEDBACK_WINDOW_DAYS", "Campaign"]


class Campaign(
    CampaignAgreement, CampaignWork, CampaignGiveaway, CampaignFollowUp, LedgerAggregate
):
    snapshot_types = {
        "state": CampaignState,
        "pitched_by": Party,
        "offered_by": Party,
        "cancelled_by": Party,
        "signed_by": tuple,
        "feedback_from": tuple,
    }

    # --- pitch -----------------------------------------------------------------
    class Pitched(LedgerAggregate.Created):
        brand_id: UUID
        creator_id: UUID
        brief_id: UUID | None
        pitched_by: str
        message: str
        terms: Terms

        def apply(self, c: Campaign) -> None:
            c.brand_id = self.brand_id
            c.creator_id = self.creator_id
            c.brief_id = self.brief_id
            c.terms = self.terms
            c.offered_by = Party(self.pitched_by)
            c.pitched_by = Party(self.pitched_by)
            c.offers = 1

    class CounterOffered(LedgerAggregate.Event):
        by: str
        terms: Terms
        message: str

        def apply(self, c: Campaign) -> None:
            c.terms = self.terms
            c.offered_by = Party(self.by)
            c.offers += 1

    class PitchAccepted(LedgerAggregate.Event):
        by: str
        terms_digest: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.ACCEPTED
            c.terms_digest = self.terms_digest

    class PitchDeclined(LedgerAggregate.Event):
        by: str
        reason: str | None

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.DECLINED

    class PitchWithdrawn(LedgerAggregate.Event):
        by: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.WITHDRAWN

    # --- agreement -------------------------------------------------------------
    class AgreementSigned(LedgerAggregate.Event):
        by: str
        terms_digest: str

        def apply(self, c: Campaign) -> None:
            c.signed_by = (*c.signed_by, self.by)

    class AgreementConcluded(LedgerAggregate.Event):
        terms_digest: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.CONCLUDED
            c.concluded_at = self.timestamp

    class CampaignCancelled(LedgerAggregate.Event):
        by: str
        reason: str

        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.CANCELLED
            c.cancelled_by = Party(self.by)

    # --- posting ---------------------------------------------------------------
    class DraftSubmitted(LedgerAggregate.Event):
        deliverable_id: str
        draft_no: int
        caption: str
        media_urls: tuple[str, ...]
        pros: tuple[str, ...]
        cons: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            c.drafts.setdefault(self.deliverable_id, []).append(
                {"draft_no": self.draft_no, "status": DraftStatus.SUBMITTED, "reviews": 0}
            )

    class ChangesRequested(LedgerAggregate.Event):
        deliverable_id: str
        draft_no: int
        notes: str

        def apply(self, c: Campaign) -> None:
            c.drafts[self.deliverable_id][-1]["status"] = DraftStatus.CHANGES_REQUESTED
            c.changes_requested += 1

    class DraftApproved(LedgerAggregate.Event):
        deliverable_id: str
        draft_no: int

        def apply(self, c: Campaign) -> None:
            c.drafts[self.deliverable_id][-1]["status"] = DraftStatus.APPROVED

    class PostPublished(LedgerAggregate.Event):
        deliverable_id: str
        post_no: int
        url: str
        published_at: datetime
        caption: str
        paid_partnership_flag: bool
        disclosed: bool
        disclosure_tags: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            drafts = c.drafts.get(self.deliverable_id)
            if drafts and drafts[-1]["status"] == DraftStatus.APPROVED:
                drafts[-1]["status"] = DraftStatus.PUBLISHED
            c.posts.setdefault(self.deliverable_id, []).append(
                {"post_no": self.post_no, "published_at": self.published_at}
            )
            c.units_published += 1
            if c.units_published >= c.terms.units_due:
                c.state = CampaignState.DELIVERED
                c.delivered_at = max(
                    post["published_at"] for posts in c.posts.values() for post in posts
                )

    class PostMetricsRecorded(LedgerAggregate.Event):
        deliverable_id: str
        post_no: int
        observed_at: datetime
        followers: int
        reach: int | None
        impressions: int | None
        views: int | None
        likes: int
        comments: int
        shares: int
        saves: int

        def apply(self, c: Campaign) -> None:
            c.metrics_recorded += 1

    # --- giveaway --------------------------------------------------------------
    class GiveawayAnnounced(LedgerAggregate.Event):
        giveaway_id: str
        prize: str
        prize_value: Money | None
        winner_count: int
        entry_rules: tuple[str, ...]
        closes_at: datetime
        seed_commitment: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id] = {
                "winner_count": self.winner_count,
                "closes_at": self.closes_at,
                "seed_commitment": self.seed_commitment,
                "entries": [],
                "closed": False,
                "winners": None,
                "shipped": [],
                "delivered": [],
            }

    class GiveawayEntriesRecorded(LedgerAggregate.Event):
        """The new handles of a batch. Version 2 added ``already_in``: how many of the
        batch's handles were entered before (or repeated in the batch) and so ignored;
        version 1 batches were refused whole on a repeat, so they load with 0."""

        class_version = 2
        giveaway_id: str
        entries: tuple[str, ...]
        already_in: int

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["already_in"] = 0

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["entries"].extend(self.entries)

    class GiveawayClosed(LedgerAggregate.Event):
        giveaway_id: str
        entry_count: int
        entries_digest: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["closed"] = True

    class GiveawayWinnersDrawn(LedgerAggregate.Event):
        giveaway_id: str
        seed: str
        winners: tuple[str, ...]

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["winners"] = list(self.winners)

    class PrizeShipped(LedgerAggregate.Event):
        giveaway_id: str
        winner: str
        carrier: str
        tracking_ref: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["shipped"].append(self.winner)

    class PrizeDelivered(LedgerAggregate.Event):
        giveaway_id: str
        winner: str

        def apply(self, c: Campaign) -> None:
            c.giveaways[self.giveaway_id]["delivered"].append(self.winner)

    # --- follow-up -------------------------------------------------------------
    class PerformanceReported(LedgerAggregate.Event):
        period_start: date
        period_end: date
        reach: int
        impressions: int
        engagements: int
        clicks: int | None
        followers_gained: int | None
        notes: str | None

        def apply(self, c: Campaign) -> None:
            c.performance_reports += 1

    class SalesUpliftReported(LedgerAggregate.Event):
        baseline: Money
        during: Money
        currency: str
        promo_code_redemptions: int
        period_start: date | None
        period_end: date | None

        def apply(self, c: Campaign) -> None:
            c.sales_reports += 1

    class PaymentRecorded(LedgerAggregate.Event):
        amount: Money
        paid_at: datetime
        reference: str

        def apply(self, c: Campaign) -> None:
            c.paid = c.paid + self.amount if c.paid else self.amount

    # --- feedback --------------------------------------------------------------
    class FeedbackSubmitted(LedgerAggregate.Event):
        by: str
        ratings: Ratings
        would_work_again: bool
        comment: str | None

        def apply(self, c: Campaign) -> None:
            c.feedback_from = (*c.feedback_from, self.by)
            if c.first_feedback_at is None:
                c.first_feedback_at = self.timestamp

    class FeedbackRevealed(LedgerAggregate.Event):
        def apply(self, c: Campaign) -> None:
            c.feedback_revealed = True

    class CampaignCompleted(LedgerAggregate.Event):
        def apply(self, c: Campaign) -> None:
            c.state = CampaignState.COMPLETED
            c.completed_at = self.timestamp

    def __init__(self) -> None:
        # The library builds an __init__ from annotations for an aggregate class that
        # defines none of its own, so this one is spelled out.
        CampaignFacts.__init__(self)
