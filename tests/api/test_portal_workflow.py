"""Workflow gaps a portal hits, through GraphQL over HTTP: overlapping exports of
giveaway entries, payment and feedback after a cancellation that follows delivery,
and money in each currency's minor unit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from domain.infrastructure.settings import Settings
from tests.domain.builders import campaign_at, terms
from tests.graphql_driver import (
    LedgerApi,
    brand_of,
    creator_of,
    iso,
    ratings_input,
    read_campaign,
    serve_ledger,
    succeed,
)
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


PAYMENT_RECORD = """
query($id: ID!, $atLeast: String) {
  brand(id: $id, atLeast: $atLeast) { feedback { payments { due paidInFull paidOnTime } } }
}"""


async def test_a_brand_that_cancels_after_delivery_still_pays_and_is_rated(
    api: LedgerApi, clock: FakeClock
) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    cid = str(scenario.campaign_id)
    brand, creator = brand_of(scenario.parties), creator_of(scenario.parties)
    await succeed(api, "cancelCampaign", {"campaignId": cid, "reason": "budget cut"}, who=brand)

    cancelled = await read_campaign(api, cid, who=brand, fields="state allowedActions")
    paid = await succeed(
        api,
        "recordPayment",
        {
            "campaignId": cid,
            "amount": {"amount": "500000", "currency": "IDR"},
            "paidAt": iso(clock()),
            "reference": "TRX-9",
        },
        who=brand,
    )
    rated = await succeed(
        api,
        "submitFeedback",
        {"campaignId": cid, "ratings": ratings_input("CREATOR"), "wouldWorkAgain": False},
        who=creator,
    )
    record = await api.graphql(
        PAYMENT_RECORD, {"id": str(scenario.parties.brand_id), "atLeast": rated["position"]}
    )

    assert cancelled == {
        "state": "CANCELLED",
        "allowedActions": ["recordPayment", "submitFeedback"],
    }
    assert paid["campaign"]["state"] == "CANCELLED"
    assert rated["campaign"]["allowedActions"] == []  # the creator has rated; nothing is owed it
    assert record["brand"]["feedback"]["payments"] == {"due": 1, "paidInFull": 1, "paidOnTime": 1}
