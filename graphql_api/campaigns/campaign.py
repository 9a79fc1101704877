# mypy: disable-error-code="untyped-decorator"
"""The ``Campaign`` type: one brand × one creator collaboration, as its parties see it.

A campaign is built from one of two backing objects. From the campaign
summaries read model (lists) it has its summary-level fields — who, state,
dates, fee, deliverables done of due, metric totals — without touching the
event store; from a :class:`~domain.campaign_view.CampaignView` folded from the
events (single reads, mutation payloads, audit replays) it has everything.
Detail fields of a summary-backed campaign load its view through one
DataLoader per request: a page's views are folded in one batch on one worker
thread (one event-store read per campaign, as the store reads one aggregate's
events at a time), and only when a detail field is asked for.

Who sees a campaign: its brand, its creator, auditors and admins. Feedback is
double-blind: a party sees the other side's submission only once revealed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from anyio import to_thread
from strawberry.dataloader import DataLoader

from domain import campaign_view as cv
from domain.application import Ledger
from domain.audit import campaign_view
from domain.campaign import Campaign as CampaignAggregate
from domain.errors import NotFound
from domain.next_actions import next_actions
from graphql_api.campaigns.next_actions import NextAction
from graphql_api.campaigns.terms import Offer, Signature, Terms
from graphql_api.campaigns.work import (
    CampaignMetrics,
    Draft,
    Giveaway,
    Payment,
    PerformanceReport,
    Post,
    SalesUplift,
)
from graphql_api.enums import CampaignState, Party
from graphql_api.ledger_context import Info, LedgerContext
from graphql_api.money import MoneyType
from graphql_api.records import from_record
from projections.campaign_summaries.queries import CampaignSummary

if TYPE_CHECKING:
    from graphql_api.profiles.brands import Brand
    from graphql_api.profiles.briefs import Brief
    from graphql_api.profiles.creators import Creator


def history_reader(context: LedgerContext, campaign: CampaignAggregate) -> Party | None:
    """Whose side of the history the caller reads: ``None`` for auditors and admins,
    who read everything; a party reads the other side's feedback only once revealed.
    To anyone else the campaign does not exist."""
    if context.reads_all:
        return None
    party = context.party_in(campaign.brand_id, campaign.creator_id)
    if party is None:
        raise NotFound("campaign", campaign.id)
    return party


async def load_campaign_view(info: Info, campaign_id: UUID) -> cv.CampaignView | None:
    """The campaign's current view (``None`` if unknown), once per request."""
    return await _view_loader(info).load(campaign_id)


def remember_view(info: Info, view: cv.CampaignView) -> None:
    """Make later reads in this request see ``view`` (the state after a write)."""
    _view_loader(info).prime(view.id, view, force=True)


def _view_loader(info: Info) -> DataLoader[UUID, cv.CampaignView | None]:
    def factory(context: LedgerContext) -> DataLoader[UUID, cv.CampaignView | None]:
        async def load(ids: list[UUID]) -> list[cv.CampaignView | None]:
            return await to_thread.run_sync(_views, context.ledger, ids)

        return DataLoader(load_fn=load)

    loader: DataLoader[UUID, cv.CampaignView | None] = info.context.loader(
        "campaign_views", factory
    )
    return loader


def _views(ledger: Ledger, ids: Sequence[UUID]) -> list[cv.CampaignView | None]:
    views: list[cv.CampaignView | None] = []
    for campaign_id in ids:
        try:
            views.append(campaign_view(ledger, campaign_id))
        except NotFound:
            views.append(None)
    return views


def _aggregate_loader(
    context: LedgerContext,
) -> DataLoader[tuple[UUID, int], CampaignAggregate]:
    async def load(keys: list[tuple[UUID, int]]) -> list[CampaignAggregate]:
        return await to_thread.run_sync(_aggregates, context.ledger, keys)

    return DataLoader(load_fn=load)


def _aggregates(ledger: Ledger, keys: Sequence[tuple[UUID, int]]) -> list[CampaignAggregate]:
    """Aggregates at exactly the given versions; the latest comes from the cache."""
    aggregates = []
    for campaign_id, version in keys:
        aggregate = ledger.get_campaign(campaign_id)
        if aggregate.version != version:
            aggregate = ledger.get_campaign(campaign_id, version=version)
        aggregates.append(aggregate)
    return aggregates


@strawberry.type(description="One score of a feedback submission, 1–5.")
class Rating:
    dimension: str
    score: int


@strawberry.type(description="One side's feedback about the other.")
class Feedback:
    by: Party
    ratings: list[Rating]
    would_work_again: bool
    comment: str | None
    submitted_at: datetime

    @classmethod
    def from_domain(cls, feedback: cv.Feedback) -> Feedback:
        return from_record(
            cls,
            feedback,
            ratings=[Rating(dimension=d, score=s) for d, s in feedback.ratings.scores],
        )


@strawberry.type(description="A collaboration between one brand and one creator.")
class Campaign:
    id: strawberry.ID
    version: int = strawberry.field(description="The version of its latest event.")
    state: CampaignState
    pitched_by: Party
    offered_by: Party = strawberry.field(
        description="Who made the offer on the table; the other party may accept it."
    )
    created_at: datetime
    updated_at: datetime
    concluded_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_by: Party | None
    fee: MoneyType | None = strawberry.field(description="The cash in the current terms.")
    units_due: int = strawberry.field(description="Pieces of content the terms ask for.")
    units_published: int
    due_on: date = strawberry.field(description="When the last deliverable is due.")
    metric_totals: CampaignMetrics | None
    brand_id: strawberry.Private[UUID]
    creator_id: strawberry.Private[UUID]
    brief_id: strawberry.Private[UUID | None]
    view: strawberry.Private[cv.CampaignView | None] = None

    @classmethod
    def from_view(cls, view: cv.CampaignView) -> Campaign:
        cancelled = view.state is CampaignState.CANCELLED
        return from_record(
            cls,
            view,
            id=strawberry.ID(str(view.id)),
            updated_at=view.updated_at or view.created_at,
            cancelled_by=view.closed_by if cancelled else None,
            fee=MoneyType.maybe(view.terms.compensation.cash),
            units_due=view.terms.units_due,
            due_on=max(d.due_on for d in view.terms.deliverables),
            metric_totals=CampaignMetrics.from_posts(view.posts),
            view=view,
        )

    @classmethod
    def from_summary(cls, summary: CampaignSummary) -> Campaign:
        return from_record(
            cls,
            summary,
            id=strawberry.ID(str(summary.campaign_id)),
            created_at=summary.pitched_at,
            fee=MoneyType.maybe(summary.fee),
            metric_totals=CampaignMetrics.from_summary(summary.metrics),
        )

    async def _view(self, info: Info) -> cv.CampaignView:
        if self.view is None:
            view = await load_campaign_view(info, UUID(self.id))
            if view is None:
                raise NotFound("campaign", self.id)
            self.view = view
        return self.view

    # --- who ----------------------------------------------------------------------
    @strawberry.field
    async def brand(
        self, info: Info
    ) -> Annotated[Brand, strawberry.lazy("graphql_api.profiles.brands")]:
        from graphql_api.profiles.brands import load_brand

        brand = await load_brand(info, self.brand_id)
        if brand is None:
            raise NotFound("brand", self.brand_id)
        return brand

    @strawberry.field
    async def creator(
        self, info: Info
    ) -> Annotated[Creator, strawberry.lazy("graphql_api.profiles.creators")]:
        from graphql_api.profiles.creators import load_creator

        creator = await load_creator(info, self.creator_id)
        if creator is None:
            raise NotFound("creator", self.creator_id)
        return creator

    @strawberry.field(description="The brief the campaign answers, if any.")
    async def brief(
        self, info: Info
    ) -> Annotated[Brief, strawberry.lazy("graphql_api.profiles.briefs")] | None:
        if self.brief_id is None:
            return None
        from graphql_api.profiles.briefs import load_brief

        return await load_brief(info, self.brief_id)

    @strawberry.field(description="The viewer's side in this campaign; null for auditors.")
    def viewer_party(self, info: Info) -> Party | None:
        return info.context.party_in(self.brand_id, self.creator_id)

    async def _aggregate(self, info: Info) -> CampaignAggregate:
        loader: DataLoader[tuple[UUID, int], CampaignAggregate] = info.context.loader(
            "campaign_aggregates", _aggregate_loader
        )
        return await loader.load((UUID(self.id), self.version))

    @strawberry.field(
        description="What the viewer may do now, named as mutations: exactly the actions "
        "its command would accept now for some input."
    )
    async def allowed_actions(self, info: Info) -> list[str]:
        party = info.context.party_in(self.brand_id, self.creator_id)
        if party is None:
            return []
        aggregate = await self._aggregate(info)
        return aggregate.allowed_actions(info.context.ledger.clock(), party)

    @strawberry.field(
        description="What each party (or only the given one) can do now, with the targets: "
        "the same exact set as allowedActions, for both sides."
    )
    async def next_actions(self, info: Info, party: Party | None = None) -> list[NextAction]:
        aggregate = await self._aggregate(info)
        found = next_actions(aggregate, info.context.ledger.clock(), party)
        return [NextAction.from_domain(action) for action in found]

    # --- pitch and agreement ----------------------------------------------------------
    @strawberry.field
    async def pitch_message(self, info: Info) -> str:
        return (await self._view(info)).pitch_message

    @strawberry.field(description="Every offer in order: the pitch, then each counter-offer.")
    async def offers(self, info: Info) -> list[Offer]:
        return [Offer.from_domain(offer) for offer in (await self._view(info)).offers]

    @strawberry.field(description="The terms on the table; locked once the agreement concludes.")
    async def terms(self, info: Info) -> Terms:
        return Terms.from_domain((await self._view(info)).terms)

    @strawberry.field(description="The digest of the accepted terms, which both parties sign.")
    async def terms_digest(self, info: Info) -> str | None:
        return (await self._view(info)).terms_digest

    @strawberry.field
    async def accepted_at(self, info: Info) -> datetime | None:
        return (await self._view(info)).accepted_at

    @strawberry.field
    async def signatures(self, info: Info) -> list[Signature]:
        signatures = (await self._view(info)).signatures
        return [Signature.from_domain(party, at) for party, at in signatures.items()]

    @strawberry.field(description="Who declined, withdrew or cancelled.")
    async def closed_by(self, info: Info) -> Party | None:
        return (await self._view(info)).closed_by

    @strawberry.field(description="Why it was declined or cancelled.")
    async def closed_reason(self, info: Info) -> str | None:
        return (await self._view(info)).closed_reason

    # --- the work ---------------------------------------------------------------------
    @strawberry.field
    async def drafts(self, info: Info) -> list[Draft]:
        return [Draft.from_domain(draft) for draft in (await self._view(info)).drafts]

    @strawberry.field
    async def posts(self, info: Info) -> list[Post]:
        return [Post.from_domain(post) for post in (await self._view(info)).posts]

    @strawberry.field
    async def giveaways(self, info: Info) -> list[Giveaway]:
        view = await self._view(info)
        return [Giveaway.from_domain(giveaway) for giveaway in view.giveaways.values()]

    # --- follow-up ----------------------------------------------------------------------
    @strawberry.field
    async def performance_reports(self, info: Info) -> list[PerformanceReport]:
        view = await self._view(info)
        return [PerformanceReport.from_domain(report) for report in view.performance]

    @strawberry.field
    async def sales_uplift(self, info: Info) -> list[SalesUplift]:
        return [SalesUplift.from_domain(report) for report in (await self._view(info)).sales]

    @strawberry.field
    async def payments(self, info: Info) -> list[Payment]:
        return [Payment.from_domain(payment) for payment in (await self._view(info)).payments]

    @strawberry.field(description="Paid so far; null when the terms agree no cash.")
    async def paid(self, info: Info) -> MoneyType | None:
        return MoneyType.maybe((await self._view(info)).paid)

    @strawberry.field(description="Payment due date: payment_due_days after delivery.")
    async def payment_due_on(self, info: Info) -> date | None:
        return (await self._view(info)).payment_due_on

    # --- feedback -----------------------------------------------------------------------
    @strawberry.field(
        description="Double-blind: before the reveal a party sees only its own submission."
    )
    async def feedback(self, info: Info) -> list[Feedback]:
        view = await self._view(info)
        party = info.context.party_in(self.brand_id, self.creator_id)
        visible = view.visible_feedback(party, info.context.reads_all)
        return [Feedback.from_domain(feedback) for feedback in visible]

    @strawberry.field(description="Which sides have submitted feedback (not what they said).")
    async def feedback_submitted_by(self, info: Info) -> list[Party]:
        return list((await self._view(info)).feedback)

    @strawberry.field
    async def feedback_revealed_at(self, info: Info) -> datetime | None:
        return (await self._view(info)).feedback_revealed_at

    @strawberry.field(description="From when either side may reveal without the other.")
    async def feedback_opens_at(self, info: Info) -> datetime | None:
        return (await self._view(info)).feedback_opens_at
