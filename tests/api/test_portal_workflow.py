"""Workflow gaps a portal hits, through GraphQL over HTTP: overlapping exports of
giveaway entries, payment and feedback after a cancellation that follows delivery,
and money in each currency's minor unit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from domain.application.commands import PublishRateCard
from domain.context import Actor
from domain.infrastructure.settings import Settings
from tests.domain.builders import campaign_at, register_creator, register_parties, terms
from tests.graphql_driver import (
    LedgerApi,
    attempt,
    brand_of,
    creator_of,
    iso,
    pitch_input,
    ratings_input,
    read_campaign,
    serve_ledger,
    succeed,
    terms_input,
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


CASH = "terms.compensation.cash"


@pytest.mark.parametrize(
    ("cash", "message"),
    [
        (
            {"amount": "100.50", "currency": "JPY"},
            "terms.compensation.cash in JPY takes whole units",
        ),
        (
            {"amount": "500000.5", "currency": "IDR"},
            "terms.compensation.cash in IDR takes whole units",
        ),
        (
            {"amount": "1.2345", "currency": "KWD"},
            "terms.compensation.cash in KWD takes at most 3 decimal places",
        ),
    ],
)
async def test_an_amount_finer_than_its_currency_is_refused_and_records_nothing(
    api: LedgerApi, cash: dict[str, str], message: str
) -> None:
    parties = register_parties(api.ledger)
    before = api.ledger.head_position()

    result = await attempt(
        api,
        "pitchCampaign",
        pitch_input(parties, terms=terms_input_in(cash)),
        who=brand_of(parties),
    )

    assert (result["code"], result["field"], result["message"]) == (
        "VALIDATION",
        "terms.compensation.cash",
        message,
    )
    assert api.ledger.head_position() == before


async def test_a_fee_in_fils_is_recorded_exactly(api: LedgerApi) -> None:
    parties = register_parties(api.ledger)
    cash = {"amount": "1.234", "currency": "KWD"}

    pitched = await succeed(
        api,
        "pitchCampaign",
        pitch_input(parties, terms=terms_input_in(cash)),
        who=brand_of(parties),
    )

    campaign = await read_campaign(
        api, pitched["campaign"]["id"], who=brand_of(parties), fields="fee { amount currency }"
    )
    assert campaign["fee"] == cash


BENCHMARKS = """
{ rateBenchmarks(platform: INSTAGRAM, format: POST, tier: NANO) {
    currency rateCard { sampleCount p25 { amount } median { amount } p75 { amount } } } }
"""


async def test_rate_benchmarks_show_quartiles_rounded_half_even_to_whole_rupiah(
    api: LedgerApi,
) -> None:
    for number, price in enumerate(["100000", "100001", "250000"]):
        creator_id = register_creator(api.ledger, f"nano.{number}", followers=2_000)
        api.ledger.execute(
            api.ledger.context(Actor.creator(creator_id)),
            PublishRateCard(
                creator_id=creator_id,
                lines=[
                    {
                        "platform": "INSTAGRAM",
                        "format": "POST",
                        "price": {"amount": price, "currency": "IDR"},
                    }
                ],
            ),
        )
    await api.settle()

    [benchmark] = (await api.graphql(BENCHMARKS))["rateBenchmarks"]

    # exact quartiles 100000.5, 100001, 175000.5: halves go to the even rupiah
    assert benchmark == {
        "currency": "IDR",
        "rateCard": {
            "sampleCount": 3,
            "p25": {"amount": "100000"},
            "median": {"amount": "100001"},
            "p75": {"amount": "175000"},
        },
    }


def terms_input_in(cash: dict[str, str]) -> dict[str, Any]:
    return {**terms_input(), "compensation": {"cash": cash}}
