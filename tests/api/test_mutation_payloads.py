"""A mutation's payload is built from what its command produced — the saved aggregate,
the events folded onto the view before them — and reads exactly as a fresh read does:
the same fields read back by another API process that has cached nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from domain.infrastructure.settings import Settings
from tests.graphql_driver import (
    BRAND_PAYLOAD,
    CREATOR_FIELDS,
    CREATOR_PAYLOAD,
    LedgerApi,
    Who,
    brand_token,
    creator_token,
    register_brand,
    register_creator,
    serve_ledger,
    succeed,
    terms_input,
)
from tests.support import FakeClock

CAMPAIGN = """
id state version pitchedBy offeredBy pitchMessage termsDigest
offers { by message terms { digest compensation { cash { amount currency } } } }
terms { giveawayRequired approvalRequired paymentDueDays digest
        deliverables { deliverableId platform format quantity dueOn } }
signatures { party signedAt }
concludedAt deliveredAt completedAt createdAt updatedAt
fee { amount currency } unitsDue unitsPublished dueOn
drafts { deliverableId draftNo status pros cons changeNotes }
allowedActions viewerParty
"""


@pytest.fixture
async def apis(settings: Settings, clock: FakeClock) -> AsyncIterator[tuple[LedgerApi, LedgerApi]]:
    """The API that writes, and another process's API on the same stores that reads."""
    async with (
        serve_ledger(settings, clock) as writer,
        serve_ledger(settings, clock, embedded=False) as reader,
    ):
        yield writer, reader


async def fresh_campaign(reader: LedgerApi, campaign_id: str, who: Who) -> Any:
    data = await reader.graphql(
        f"query($id: ID!) {{ campaign(id: $id) {{ {CAMPAIGN} }} }}", {"id": campaign_id}, who=who
    )
    return data["campaign"]


async def test_each_campaign_payload_reads_as_the_campaign_read_afresh(
    apis: tuple[LedgerApi, LedgerApi],
) -> None:
    writer, reader = apis
    brand_id = await register_brand(writer)
    creator_id = await register_creator(writer)
    brand, creator = brand_token(brand_id), creator_token(creator_id)
    selection = f"... on CampaignPayload {{ version campaign {{ {CAMPAIGN} }} }}"

    async def step(name: str, who: Who, input: dict[str, Any]) -> dict[str, Any]:
        result = await writer.mutate(name, input, who=who, selection=selection)
        assert result["__typename"] == "CampaignPayload", result
        campaign = result["campaign"]
        assert campaign["version"] == result["version"]
        assert campaign == await fresh_campaign(reader, campaign["id"], who)
        return campaign

    pitched = await step(
        "pitchCampaign",
        brand,
        {"brandId": brand_id, "creatorId": creator_id, "message": "Serum?", "terms": terms_input()},
    )
    cid = pitched["id"]
    await step(
        "counterOffer",
        creator,
        {"campaignId": cid, "terms": terms_input(cash="750000"), "message": "Rp750.000?"},
    )
    accepted = await step("acceptPitch", brand, {"campaignId": cid})
    digest = accepted["termsDigest"]
    await step("signAgreement", brand, {"campaignId": cid, "termsDigest": digest})
    concluded = await step("signAgreement", creator, {"campaignId": cid, "termsDigest": digest})
    assert concluded["state"] == "CONCLUDED"


async def test_a_replayed_campaign_command_answers_with_the_same_campaign(
    apis: tuple[LedgerApi, LedgerApi],
) -> None:
    writer = apis[0]
    brand_id = await register_brand(writer)
    creator_id = await register_creator(writer)
    brand = brand_token(brand_id)
    pitch = {
        "brandId": brand_id,
        "creatorId": creator_id,
        "message": "Serum?",
        "terms": terms_input(),
        "idempotencyKey": "pitch-1",
    }

    first = await succeed(writer, "pitchCampaign", pitch, who=brand)
    again = await succeed(writer, "pitchCampaign", pitch, who=brand)

    assert again["campaign"] == first["campaign"]
    assert again["version"] == first["version"] == 1


async def test_each_creator_payload_reads_as_the_creator_read_afresh(
    apis: tuple[LedgerApi, LedgerApi],
) -> None:
    writer, reader = apis
    creator_id = await register_creator(writer, followers=None)
    who = creator_token(creator_id)
    query = f"query($id: ID!) {{ creator(id: $id) {{ {CREATOR_FIELDS} }} }}"

    for name, input in (
        ("linkPlatformAccount", {"platform": "INSTAGRAM", "handle": "sari", "followers": 4_200}),
        ("linkPlatformAccount", {"platform": "TIKTOK", "handle": "sari", "followers": 1_500}),
        (
            "publishRateCard",
            {
                "lines": [
                    {
                        "platform": "INSTAGRAM",
                        "format": "POST",
                        "price": {"amount": "500000", "currency": "IDR"},
                    }
                ]
            },
        ),
        ("declareCauses", {"causes": ["education"]}),
    ):
        result = await writer.mutate(
            name, {"creatorId": creator_id, **input}, who=who, selection=CREATOR_PAYLOAD
        )
        assert result["__typename"] == "CreatorPayload", result
        await writer.settle()
        fresh = await reader.graphql(query, {"id": creator_id})
        assert result["creator"] == fresh["creator"]
        assert result["creator"]["version"] == result["version"]


async def test_each_brand_payload_reads_as_the_brand_read_afresh(
    apis: tuple[LedgerApi, LedgerApi],
) -> None:
    writer, reader = apis
    brand_id = await register_brand(writer, causes=["education"])
    query = "query($id: ID!) { brand(id: $id) { id name industry causes website version } }"

    updated = await writer.mutate(
        "updateBrandProfile",
        {"brandId": brand_id, "name": "Purela Indonesia", "website": "https://purela.id"},
        who=brand_token(brand_id),
        selection=BRAND_PAYLOAD,
    )
    await writer.settle()

    assert updated["__typename"] == "BrandPayload", updated
    assert updated["brand"] == (await reader.graphql(query, {"id": brand_id}))["brand"]
    assert updated["brand"]["name"] == "Purela Indonesia"
