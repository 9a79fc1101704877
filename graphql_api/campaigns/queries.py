# mypy: disable-error-code="untyped-decorator"
"""Reading campaigns: one by id, lists, and the auditor's history and replay.

Who sees what: a brand its own campaigns, a creator its own, auditors and
admins all. A campaign the caller may not see is indistinguishable from an
unknown one — ``campaign`` and ``campaignAsOf`` return null for both, and
``campaignHistory`` fails with NOT_FOUND for both. Lists are restricted by
forcing the filter (a brand's list is always of its own campaigns), so a
page's ``totalCount`` never counts what the caller may not see. Anonymous
callers see no campaign: single reads are null, while lists and history,
which cannot answer "nothing" truthfully, fail with UNAUTHENTICATED.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry
from anyio import to_thread

from domain.access import may_see_campaign
from domain.audit import RecordedEvent, VersionPastHead, campaign_history, campaign_view
from domain.campaign_view import CampaignView
from domain.context import Actor, Role
from domain.errors import NotFound, ValidationError
from graphql_api.campaigns.campaign import Campaign, history_reader, load_campaign_view
from graphql_api.campaigns.domain_events import DomainEvent
from graphql_api.commands import parse_id
from graphql_api.connections import Connection, connection, decode_cursor
from graphql_api.enums import CampaignState
from graphql_api.ledger_context import Info, LedgerContext
from graphql_api.read_models import connection_of, first_of, reach, read
from projections.campaign_summaries.queries import list_campaigns
from projections.store.pages import Page

HISTORY = "campaign-history"


@strawberry.input(description="Narrows a campaign list; every given condition must hold.")
class CampaignFilter:
    brand_id: strawberry.ID | None = None
    creator_id: strawberry.ID | None = None
    brief_id: strawberry.ID | None = None
    states: list[CampaignState] | None = strawberry.field(
        default=None, description="Any of these states; empty or null means any state."
    )


def _known_id(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _filter_id(value: strawberry.ID | None, field: str) -> UUID | None:
    if value is None:
        return None
    parsed = _known_id(value)
    if parsed is None:
        raise ValidationError(f"{field} is not an id", field=field)
    return parsed


def _own(actor: Actor, role: Role, wanted: UUID | None) -> tuple[bool, UUID | None]:
    """The id a brand's (or creator's) list is restricted to, and whether the list can
    have rows at all (not when the filter asks for another party's campaigns)."""
    if actor.role is not role:
        return True, wanted
    own = _known_id(actor.id or "")
    return own is not None and wanted in (None, own), own


def _history_start(after: str | None) -> int:
    if after is None:
        return 0
    version = decode_cursor(HISTORY, after)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValidationError("the cursor is not valid", field="after")
    return version


def _readable_history(context: LedgerContext, campaign_id: UUID) -> list[RecordedEvent]:
    ledger = context.ledger
    reader = history_reader(context, ledger.get_campaign(campaign_id))
    return campaign_history(ledger, campaign_id, viewer=reader)


@strawberry.type
class CampaignQuery:
    @strawberry.field(description="A campaign the caller may see; null if unknown or not theirs.")
    async def campaign(
        self, info: Info, id: strawberry.ID, at_least: str | None = None
    ) -> Campaign | None:
        await reach(info, at_least)
        campaign_id = _known_id(id)
        if campaign_id is None:
            return None
        view = await load_campaign_view(info, campaign_id)
        if view is None or not may_see_campaign(
            info.context.viewer.actor, view.brand_id, view.creator_id
        ):
            return None
        return Campaign.from_view(view)

    @strawberry.field(
        description="The caller's campaigns (all, for auditors and admins), newest pitch first."
    )
    async def campaigns(
        self,
        info: Info,
        filter: CampaignFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        at_least: str | None = None,
    ) -> Connection[Campaign]:
        actor = info.context.viewer.require_actor()
        wanted = filter or CampaignFilter()
        size = first_of(first)
        brand_id = _filter_id(wanted.brand_id, "filter.brandId")
        creator_id = _filter_id(wanted.creator_id, "filter.creatorId")
        brief_id = _filter_id(wanted.brief_id, "filter.briefId")
        brand_ok, brand_id = _own(actor, Role.BRAND, brand_id)
        creator_ok, creator_id = _own(actor, Role.CREATOR, creator_id)
        if not (brand_ok and creator_ok):
            nothing: Page[Campaign] = Page((), 0, False, after is not None)
            return connection_of(nothing, lambda campaign: campaign)
        await reach(info, at_least)
        page = await read(
            info,
            lambda store: list_campaigns(
                store,
                brand_id=brand_id,
                creator_id=creator_id,
                brief_id=brief_id,
                states=wanted.states,
                first=size,
                after=after,
            ),
        )
        return connection_of(page, Campaign.from_summary)

    @strawberry.field(
        description="Every event of a campaign in order, with actor and correlation; the "
        "other side's feedback stays sealed for a party until revealed."
    )
    async def campaign_history(
        self, info: Info, id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[DomainEvent]:
        context = info.context
        context.viewer.require_actor()
        size = first_of(first)
        start = _history_start(after)
        campaign_id = parse_id(id, "campaign")
        events = await to_thread.run_sync(_readable_history, context, campaign_id)
        later = [event for event in events if event.version > start]
        return connection(
            HISTORY,
            later[:size],
            key=lambda event: event.version,
            node=DomainEvent.from_recorded,
            total_count=len(events),
            has_next=len(later) > size,
            has_previous=start > 0,
        )

    @strawberry.field(
        description="The campaign as it stood at a version, or at a moment (the last event "
        "at or before it), replayed from the event store."
    )
    async def campaign_as_of(
        self,
        info: Info,
        id: strawberry.ID,
        version: int | None = None,
        at: datetime | None = None,
    ) -> Campaign | None:
        campaign_id = _known_id(id)
        if campaign_id is None:
            return None
        ledger = info.context.ledger
        try:
            view = await to_thread.run_sync(
                lambda: campaign_view(ledger, campaign_id, version=version, at=at)
            )
        except NotFound:
            return None
        except VersionPastHead as past:
            if not _may_see(info, past.latest):
                return None
            raise
        if not _may_see(info, view):
            return None
        return Campaign.from_view(view)


def _may_see(info: Info, view: CampaignView) -> bool:
    return may_see_campaign(info.context.viewer.actor, view.brand_id, view.creator_id)
