# mypy: disable-error-code="untyped-decorator"
"""Briefs: a brand's open calls for creators, read from the brief listing read model.

Who sees a brief. A brief is an open call, so an open one (not closed, not
past ``endsOn`` by the server's clock) is public, anonymous callers included.
A closed or ended brief is visible to its own brand, to auditors and admins,
and — through a campaign that answers it — to that campaign's parties; to
everyone else it reads like an unknown id (null), and lists leave it out,
``totalCount`` included. A brand sees its own closed briefs in ``briefs`` by
filtering on its ``brandId``.

Who may: only the brand itself publishes and closes its briefs. Other brands
get NOT_FOUND (as for an unknown brand or brief); creators, auditors and
admins get FORBIDDEN.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader

from domain.access import may_see_brief
from domain.application import CommandResult
from domain.application import commands as c
from domain.brief import Brief as BriefAggregate
from domain.errors import ValidationError
from graphql_api.commands import CommandInput, aggregate_after, mutations
from graphql_api.connections import Connection
from graphql_api.enums import Platform
from graphql_api.ledger_context import Info, LedgerContext
from graphql_api.money import MoneyInput, MoneyType
from graphql_api.profiles.brands import Brand, load_brand
from graphql_api.read_models import batch_loader, connection_of, first_of, reach, read
from graphql_api.records import from_record
from projections.brief_listing.queries import BriefSummary, brief_summaries, list_briefs


@strawberry.type(description="A brand's open call for creators.")
class Brief:
    id: strawberry.ID
    title: str
    objective: str
    key_messages: list[str]
    niches: list[str]
    platforms: list[Platform]
    budget: MoneyType | None
    starts_on: date
    ends_on: date
    open: bool = strawberry.field(
        description="Whether creators may pitch it today: not closed and not past endsOn."
    )
    closed: bool = strawberry.field(description="Whether the brand has closed it.")
    published_at: datetime
    closed_at: datetime | None
    updated_at: datetime
    version: int = strawberry.field(description="The version of the brief's latest event.")
    brand_id: strawberry.Private[UUID]

    @strawberry.field
    async def brand(self, info: Info) -> Brand | None:
        return await load_brand(info, self.brand_id)

    @classmethod
    def from_summary(cls, summary: BriefSummary, today: date) -> Brief:
        return from_record(
            cls,
            summary,
            id=strawberry.ID(str(summary.brief_id)),
            budget=MoneyType.maybe(summary.budget),
            open=summary.is_open(today),
            closed=summary.closed_at is not None,
        )


def summary_of(brief: BriefAggregate) -> BriefSummary:
    """The listing row the projection will hold for this aggregate."""
    assert brief.brand_id is not None
    return BriefSummary(
        brief_id=brief.id,
        brand_id=brief.brand_id,
        title=brief.title,
        objective=brief.objective,
        key_messages=tuple(brief.key_messages),
        niches=tuple(brief.niches),
        platforms=tuple(brief.platforms),
        budget=brief.budget,
        starts_on=brief.starts_on,
        ends_on=brief.ends_on,
        published_at=brief.created_on,
        closed_at=brief.modified_on if brief.closed else None,
        updated_at=brief.modified_on,
        version=brief.version,
    )


def today(context: LedgerContext) -> date:
    """The server's date, by the ledger's clock: the one the domain judges briefs by."""
    return context.clock().date()


def can_see_brief(context: LedgerContext, summary: BriefSummary) -> bool:
    return may_see_brief(context.viewer.actor, summary.brand_id, summary.is_open(today(context)))


def _loader(info: Info) -> DataLoader[UUID, BriefSummary | None]:
    return batch_loader(info, "brief_summaries", brief_summaries)


async def load_brief(info: Info, brief_id: UUID) -> Brief | None:
    """The brief a visible campaign answers, or None if the read model lacks it.

    For references only: the caller has already established that the viewer
    may see the campaign, and its parties may see the brief it answers, open
    or not. The ``brief`` query applies :func:`can_see_brief` instead.
    """
    summary = await _loader(info).load(brief_id)
    return None if summary is None else Brief.from_summary(summary, today(info.context))


@strawberry.input(description="Narrows a brief list; every given condition must hold.")
class BriefFilter:
    brand_id: strawberry.ID | None = None
    open_on: date | None = strawberry.field(
        default=None, description="Only briefs open for pitches on this date."
    )
    open_only: bool = strawberry.field(
        default=False, description="Only briefs open for pitches today."
    )


def _brand_filter(value: strawberry.ID | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationError("filter.brandId is not an id", field="filter.brandId") from None


def _open_on(context: LedgerContext, wanted: BriefFilter, brand_id: UUID | None) -> date | None:
    """The open-on date to list by: callers who may see closed briefs choose; everyone
    else sees only briefs open today (or on a later date they ask about)."""
    now = today(context)
    chosen = wanted.open_on or (now if wanted.open_only else None)
    if may_see_brief(context.viewer.actor, brand_id, is_open=False):
        return chosen
    return max(chosen or now, now)


@strawberry.type
class BriefQuery:
    @strawberry.field(description="A brief the caller may see; null if unknown or not visible.")
    async def brief(
        self, info: Info, id: strawberry.ID, at_least: str | None = None
    ) -> Brief | None:
        await reach(info, at_least)
        try:
            brief_id = UUID(str(id))
        except ValueError:
            return None
        summary = await _loader(info).load(brief_id)
        if summary is None or not can_see_brief(info.context, summary):
            return None
        return Brief.from_summary(summary, today(info.context))

    @strawberry.field(
        description="Briefs newest first: open ones for everyone, closed ones "
        "for their brand (filter by its brandId), auditors and admins."
    )
    async def briefs(
        self,
        info: Info,
        filter: BriefFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        at_least: str | None = None,
    ) -> Connection[Brief]:
        wanted = filter or BriefFilter()
        size = first_of(first)
        brand_id = _brand_filter(wanted.brand_id)
        open_on = _open_on(info.context, wanted, brand_id)
        await reach(info, at_least)
        page = await read(
            info,
            lambda store: list_briefs(
                store, brand_id=brand_id, open_on=open_on, first=size, after=after
            ),
        )
        now = today(info.context)
        return connection_of(page, lambda summary: Brief.from_summary(summary, now))


class PublishBriefInput(CommandInput):
    command = c.PublishBrief
    brand_id: strawberry.ID
    title: str
    objective: str
    starts_on: date
    ends_on: date
    key_messages: list[str] = strawberry.field(default_factory=list)
    niches: list[str] = strawberry.field(default_factory=list)
    platforms: list[Platform] = strawberry.field(default_factory=list)
    budget: MoneyInput | None = None
    idempotency_key: str | None = None


class CloseBriefInput(CommandInput):
    command = c.CloseBrief
    brief_id: strawberry.ID
    reason: str | None = None
    expected_version: int | None = None
    idempotency_key: str | None = None


async def _changed(info: Info, result: CommandResult) -> Brief:
    ledger = info.context.ledger
    summary = summary_of(await aggregate_after(result, BriefAggregate, ledger.get_brief))
    _loader(info).prime(summary.brief_id, summary, force=True)
    return Brief.from_summary(summary, today(info.context))


@strawberry.type
@mutations(
    Brief,
    _changed,
    (PublishBriefInput, "The brand itself publishes an open call for creators."),
    (CloseBriefInput, "The brand itself closes its brief; no new pitches answer it."),
)
class BriefMutation:
    """Brief mutations, one per input."""
