# mypy: disable-error-code="untyped-decorator"
"""How a batch of giveaway entries landed: how many handles were new, how many
already in (entered before, or repeated in the batch) and so ignored.

A batch with nothing new records no event, so the count is read from the event
the command wrote, if it wrote one (docs/workflow.md).
"""

from __future__ import annotations

import strawberry

from domain import validation as v
from domain.application import CommandResult, Ledger
from domain.campaign import Campaign


@strawberry.type(description="How a batch of giveaway entries landed.")
class GiveawayEntriesCount:
    added: int = strawberry.field(description="Handles entered by this batch.")
    already_in: int = strawberry.field(
        description="Handles of the batch already entered (or repeated in it), ignored."
    )


def entries_count(
    ledger: Ledger, result: CommandResult, giveaway_id: str, entries: list[str]
) -> GiveawayEntriesCount:
    batch = [v.handle(entry, "entries") for entry in entries]
    if result.events_written or result.replayed:
        # What the command produced is at hand, except on an idempotent replay.
        produced = result.events or ledger.events.get(
            result.aggregate_id, gt=result.version - 1, lte=result.version
        )
        for event in produced:
            if (
                isinstance(event, Campaign.GiveawayEntriesRecorded)
                and event.giveaway_id == giveaway_id
                and set(event.entries) <= set(batch)
            ):
                return GiveawayEntriesCount(added=len(event.entries), already_in=event.already_in)
    return GiveawayEntriesCount(added=0, already_in=len(batch))
