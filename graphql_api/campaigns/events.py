# mypy: disable-error-code="untyped-decorator"
"""``campaignEvents``: a campaign's new events, live, each once and in order.

The stream reads the store, not the notifications: it remembers the last
version it delivered and asks the event store for everything after it, so a
burst of writes is delivered whole and in version order however the wake-ups
coalesce. What wakes it is the application's save listener (writes in this
process) or, at the latest, a timer of :data:`WAKE_INTERVAL` seconds — which is
what catches writes made by other API processes on PostgreSQL, where no
in-process notification exists. Authorized like ``campaignHistory``, with the
same double-blind sealing of the other side's feedback.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing, suppress
from uuid import UUID

import strawberry
from anyio import to_thread
from eventsourcing.persistence import PersistenceError

from domain.application import Ledger
from domain.audit import RecordedEvent, visible_to
from domain.base import LedgerAggregate
from domain.catalog import Party
from domain.errors import StoreUnavailable
from graphql_api.campaigns.campaign import history_reader
from graphql_api.campaigns.domain_events import DomainEvent
from graphql_api.commands import parse_id
from graphql_api.ledger_context import Info

WAKE_INTERVAL = 1.0
"""The longest a subscriber waits before looking at the store without being woken."""
BATCH = 500
REVEALED = "FeedbackRevealed"


def _events_after(ledger: Ledger, campaign_id: UUID, version: int) -> list[RecordedEvent]:
    try:
        events = ledger.events.get(campaign_id, gt=version, limit=BATCH)
        return [RecordedEvent.of(e) for e in events if isinstance(e, LedgerAggregate.Event)]
    except PersistenceError as error:
        raise StoreUnavailable(f"the event store is unreachable: {error}") from None


async def _follow(
    ledger: Ledger, campaign_id: UUID, version: int, revealed: bool, reader: Party | None
) -> AsyncGenerator[DomainEvent, None]:
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def on_save(_position: int) -> None:
        with suppress(RuntimeError):  # the loop closed while the listener was being removed
            loop.call_soon_threadsafe(wake.set)

    ledger.add_save_listener(on_save)
    try:
        while True:
            # Cleared before reading, so a save during the read wakes the next wait.
            wake.clear()
            events = await to_thread.run_sync(_events_after, ledger, campaign_id, version)
            revealed = revealed or any(event.type == REVEALED for event in events)
            for event in events:
                yield DomainEvent.from_recorded(visible_to(event, reader, revealed))
                version = event.version
            if not events:
                with suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), WAKE_INTERVAL)
    finally:
        ledger.remove_save_listener(on_save)


@strawberry.type
class CampaignSubscription:
    @strawberry.subscription(
        description="Every new event of a campaign the caller may read, once, in order."
    )
    async def campaign_events(
        self, info: Info, campaign_id: strawberry.ID
    ) -> AsyncGenerator[DomainEvent, None]:
        context = info.context
        context.viewer.require_actor()
        campaign_uuid = parse_id(campaign_id, "campaign", "campaignId")
        ledger = context.ledger
        campaign = await to_thread.run_sync(ledger.get_campaign, campaign_uuid)
        reader = history_reader(context, campaign)
        events = _follow(
            ledger, campaign_uuid, campaign.version, campaign.feedback_revealed, reader
        )
        async with aclosing(events):
            async for event in events:
                yield event
