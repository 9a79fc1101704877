"""Workflow gaps a portal hits, through GraphQL over HTTP: overlapping exports of
giveaway entries, payment and feedback after a cancellation that follows delivery,
and money in each currency's minor unit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from domain.infrastructure.settings import Settings
from tests.api.campaign_harness import creator_of
from tests.api.ledger_harness import LedgerApi, serve_ledger
from tests.domain.builders import campaign_at, terms
from tests.support import FakeClock


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as api:
        yield api


ENTRIES = """
... on CampaignPayload { version giveawayEntries { added alreadyIn }
                         campaign { giveaways { entryCount } } }
"""


async def test_an_overlapping_batch_of_entries_records_the_new_handles_and_counts_the_rest(
    api: LedgerApi,
) -> None:
    scenario = campaign_at(api.ledger, "CONCLUDED", campaign_terms=terms(giveaway_required=True))
    scenario.announce_giveaway()
    creator = creator_of(scenario.parties)

    async def record(entries: list[str]) -> dict[str, Any]:
        batch = {"campaignId": str(scenario.campaign_id), "giveawayId": "g1", "entries": entries}
        return await api.mutate("recordGiveawayEntries", batch, who=creator, selection=ENTRIES)

    first = await record(["ayu", "budi", "@Citra", "dewi"])
    second = await record(["citra", "eka", "fajar"])
    repeat = await record(["@Eka", "ayu"])

    assert first["giveawayEntries"] == {"added": 4, "alreadyIn": 0}
    assert second["giveawayEntries"] == {"added": 2, "alreadyIn": 1}
    assert second["campaign"]["giveaways"] == [{"entryCount": 6}]
    assert repeat["giveawayEntries"] == {"added": 0, "alreadyIn": 2}
    assert repeat["version"] == second["version"]  # nothing new, nothing recorded
