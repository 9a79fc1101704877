"""Profile mutations and reads over HTTP: creators, brands, briefs, reputation, feedback,
benchmarks and projection status, on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID, uuid4

import pytest
from anyio import to_thread

from domain.application import Ledger
from domain.application.commands import RecordPostMetrics
from domain.context import Actor
from domain.infrastructure.settings import Settings
from tests.domain.builders import Parties, campaign_at
from tests.graphql_driver import (
    BRAND_PAYLOAD,
    BRIEF_PAYLOAD,
    CREATOR_FIELDS,
    CREATOR_PAYLOAD,
    LedgerApi,
    brand_token,
    creator_token,
    register_brand,
    register_creator,
    serve_ledger,
)
from tests.support import FakeClock


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        yield served


async def creator_at(api: LedgerApi, creator_id: str, position: str) -> dict[str, Any]:
    data = await api.graphql(
        f"query($id: ID!, $at: String) {{ creator(id: $id, atLeast: $at) {{ {CREATOR_FIELDS} }} }}",
        {"id": creator_id, "at": position},
    )
    creator: dict[str, Any] = data["creator"]
    return creator


# --- creators -------------------------------------------------------------------------------


async def test_admin_registers_a_creator_with_a_normalised_handle(api: LedgerApi) -> None:
    result = await api.mutate(
        "registerCreator",
        {
            "handle": "@Sari.Nano",
            "displayName": "Sari",
            "niches": ["Beauty", "skincare"],
            "origin": "NON_NATIVE",
            "country": "id",
            "languages": ["id", "en"],
        },
        who=api.admin,
        selection=CREATOR_PAYLOAD,
    )

    assert result["__typename"] == "CreatorPayload"
    assert result["version"] == 1
    creator = result["creator"]
    assert creator["handle"] == "sari.nano"
    assert creator["niches"] == ["beauty", "skincare"]
    assert creator["country"] == "ID"
    assert creator["tier"] == "EMERGING"
    assert creator["types"] == ["NON_NATIVE"]
    assert creator["rateCard"] is None
    assert await creator_at(api, creator["id"], result["position"]) == creator


async def test_a_taken_handle_is_a_conflict_on_the_handle(api: LedgerApi) -> None:
    await register_creator(api, "sari.nano", followers=None)

    result = await api.mutate(
        "registerCreator",
        {"handle": "@SARI.nano", "displayName": "Other", "niches": [], "origin": "NATIVE"},
        who=api.admin,
    )

    assert (result["code"], result["field"]) == ("CONFLICT", "handle")


async def test_invalid_creator_input_is_a_validation_error_and_records_nothing(
    api: LedgerApi,
) -> None:
    before = await to_thread.run_sync(api.ledger.head_position)

    result = await api.mutate(
        "registerCreator",
        {"handle": "sari nano!", "displayName": "Sari", "niches": [], "origin": "NATIVE"},
        who=api.admin,
    )

    assert (result["code"], result["field"]) == ("VALIDATION", "handle")
    assert await to_thread.run_sync(api.ledger.head_position) == before


async def test_linking_an_account_sets_the_tier_and_the_platform_spread(api: LedgerApi) -> None:
    creator_id = await register_creator(api, followers=None)

    result = await api.mutate(
        "linkPlatformAccount",
        {"creatorId": creator_id, "platform": "TIKTOK", "handle": "@sari", "followers": 4_200},
        who=creator_token(creator_id),
        selection=CREATOR_PAYLOAD,
    )

    creator = result["creator"]
    assert result["version"] == 2
    assert creator["tier"] == "NANO"
    assert creator["followers"] == 4_200
    assert creator["types"] == ["NATIVE", "PLATFORM_SPECIFIC"]
    assert creator["platforms"] == [
        {
            "platform": "TIKTOK",
            "handle": "sari",
            "followers": 4_200,
            "observedAt": "2026-03-02T09:00:00+00:00",
        }
    ]
    assert await creator_at(api, creator_id, result["position"]) == creator


async def test_linking_the_same_platform_twice_is_a_conflict(api: LedgerApi) -> None:
    creator_id = await register_creator(api, platform="INSTAGRAM")

    result = await api.mutate(
        "linkPlatformAccount",
        {"creatorId": creator_id, "platform": "INSTAGRAM", "handle": "again", "followers": 1},
        who=creator_token(creator_id),
    )

    assert (result["code"], result["field"]) == ("CONFLICT", "platform")


async def test_recorded_followers_move_the_tier_and_the_spread(api: LedgerApi) -> None:
    creator_id = await register_creator(api, followers=4_200)
    await api.mutate(
        "linkPlatformAccount",
        {"creatorId": creator_id, "platform": "YOUTUBE", "handle": "sari", "followers": 900},
        who=creator_token(creator_id),
    )
    api.clock.advance(days=1)

    result = await api.mutate(
        "recordFollowers",
        {
            "creatorId": creator_id,
            "platform": "YOUTUBE",
            "followers": 12_000,
            "observedAt": "2026-03-03T08:00:00Z",
        },
        who=creator_token(creator_id),
        selection=CREATOR_PAYLOAD,
    )

    creator = result["creator"]
    assert creator["tier"] == "MICRO"
    assert creator["types"] == ["NATIVE", "MULTI_PLATFORM"]
    assert [p["platform"] for p in creator["platforms"]] == ["YOUTUBE", "INSTAGRAM"]
    assert await creator_at(api, creator_id, result["position"]) == creator


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"platform": "TWITCH"}, "platform"),
        ({"followers": -1}, "followers"),
        ({"observedAt": "2030-01-01T00:00:00Z"}, "observedAt"),
        ({"observedAt": "2026-03-01T08:00:00"}, "observedAt"),
    ],
    ids=["unlinked platform", "negative", "future", "no timezone"],
)
async def test_bad_follower_counts_are_validation_errors(
    api: LedgerApi, change: dict[str, Any], field: str
) -> None:
    creator_id = await register_creator(api)
    wanted = {
        "creatorId": creator_id,
        "platform": "INSTAGRAM",
        "followers": 5_000,
        "observedAt": "2026-03-01T08:00:00Z",
        **change,
    }

    result = await api.mutate("recordFollowers", wanted, who=creator_token(creator_id))

    assert (result["code"], result["field"]) == ("VALIDATION", field)


async def test_a_stale_expected_version_is_a_conflict(api: LedgerApi) -> None:
    creator_id = await register_creator(api)

    result = await api.mutate(
        "declareCauses",
        {"creatorId": creator_id, "causes": ["education"], "expectedVersion": 1},
        who=creator_token(creator_id),
    )

    assert (result["code"], result["field"]) == ("CONFLICT", "expectedVersion")


async def test_the_current_expected_version_is_accepted(api: LedgerApi) -> None:
    creator_id = await register_creator(api)

    result = await api.mutate(
        "declareCauses",
        {"creatorId": creator_id, "causes": ["education"], "expectedVersion": 2},
        who=creator_token(creator_id),
        selection="... on CreatorPayload { version }",
    )

    assert result == {"__typename": "CreatorPayload", "version": 3}


async def test_each_rate_card_publication_is_a_new_version(api: LedgerApi) -> None:
    creator_id = await register_creator(api)
    line = {
        "platform": "INSTAGRAM",
        "format": "POST",
        "price": {"amount": "500000", "currency": "IDR"},
    }
    await api.mutate(
        "publishRateCard", {"creatorId": creator_id, "lines": [line]}, who=creator_token(creator_id)
    )

    result = await api.mutate(
        "publishRateCard",
        {
            "creatorId": creator_id,
            "lines": [
                {**line, "price": {"amount": "750.50", "currency": "USD"}},
                {**line, "format": "STORY", "compensation": "PRODUCT"},
            ],
        },
        who=creator_token(creator_id),
        selection=CREATOR_PAYLOAD,
    )

    card = result["creator"]["rateCard"]
    assert card["version"] == 2
    assert card["lines"] == [
        {
            "platform": "INSTAGRAM",
            "format": "POST",
            "price": {"amount": "750.5", "currency": "USD"},
            "compensation": "CASH",
        },
        {
            "platform": "INSTAGRAM",
            "format": "STORY",
            "price": {"amount": "500000", "currency": "IDR"},
            "compensation": "PRODUCT",
        },
    ]
    assert (await creator_at(api, creator_id, result["position"]))["rateCard"] == card


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"platform": "TIKTOK"}, "lines[0].platform"),
        ({"price": {"amount": "0", "currency": "IDR"}}, "lines[0].price"),
        ({"price": {"amount": "10.001", "currency": "IDR"}}, "lines[0].price"),
        ({"price": {"amount": "10", "currency": "XYZ"}}, "lines[0].price.currency"),
    ],
    ids=["unlinked platform", "zero price", "three decimals", "unknown currency"],
)
async def test_bad_rate_card_lines_are_validation_errors(
    api: LedgerApi, line: dict[str, Any], field: str
) -> None:
    creator_id = await register_creator(api)
    wanted = {
        "platform": "INSTAGRAM",
        "format": "POST",
        "price": {"amount": "500000", "currency": "IDR"},
        **line,
    }

    result = await api.mutate(
        "publishRateCard",
        {"creatorId": creator_id, "lines": [wanted]},
        who=creator_token(creator_id),
    )

    assert (result["code"], result["field"]) == ("VALIDATION", field)


async def test_an_empty_rate_card_is_a_validation_error(api: LedgerApi) -> None:
    creator_id = await register_creator(api)

    result = await api.mutate(
        "publishRateCard", {"creatorId": creator_id, "lines": []}, who=creator_token(creator_id)
    )

    assert (result["code"], result["field"]) == ("VALIDATION", "lines")


async def test_declared_causes_make_the_creator_purpose_driven(api: LedgerApi) -> None:
    creator_id = await register_creator(api)

    result = await api.mutate(
        "declareCauses",
        {"creatorId": creator_id, "causes": ["Education", "education", "climate"]},
        who=creator_token(creator_id),
        selection=CREATOR_PAYLOAD,
    )

    creator = result["creator"]
    assert creator["causes"] == ["education", "climate"]
    assert creator["types"] == ["NATIVE", "PURPOSE_DRIVEN", "PLATFORM_SPECIFIC"]
    assert await creator_at(api, creator_id, result["position"]) == creator


@pytest.mark.parametrize(
    ("creator_id", "field"),
    [("not-an-id", "creatorId"), (str(uuid4()), None)],
    ids=["malformed", "unknown"],
)
async def test_an_unknown_creator_is_not_found(
    api: LedgerApi, creator_id: str, field: str | None
) -> None:
    result = await api.mutate(
        "declareCauses", {"creatorId": creator_id, "causes": []}, who=api.admin
    )

    assert (result["code"], result["field"]) == ("NOT_FOUND", field)


async def test_the_same_idempotency_key_returns_the_first_result_and_records_nothing(
    api: LedgerApi,
) -> None:
    wanted = {
        "handle": "sari.nano",
        "displayName": "Sari",
        "niches": ["beauty"],
        "origin": "NATIVE",
        "idempotencyKey": "register-sari",
    }
    first = await api.mutate("registerCreator", wanted, who=api.admin, selection=CREATOR_PAYLOAD)
    head = await to_thread.run_sync(api.ledger.head_position)

    again = await api.mutate("registerCreator", wanted, who=api.admin, selection=CREATOR_PAYLOAD)

    assert again["creator"]["id"] == first["creator"]["id"]
    assert again["version"] == first["version"]
    assert await to_thread.run_sync(api.ledger.head_position) == head


async def test_an_idempotency_key_reused_with_other_input_is_a_conflict(api: LedgerApi) -> None:
    wanted = {"name": "Purela", "industry": "Beauty", "idempotencyKey": "k-1"}
    await api.mutate("registerBrand", wanted, who=api.admin)

    result = await api.mutate("registerBrand", {**wanted, "name": "Other"}, who=api.admin)

    assert (result["code"], result["field"]) == ("CONFLICT", "idempotencyKey")


# --- brands ---------------------------------------------------------------------------------


async def test_admin_registers_a_brand(api: LedgerApi) -> None:
    result = await api.mutate(
        "registerBrand",
        {
            "name": "Purela",
            "industry": "Beauty",
            "causes": ["Clean Beauty"],
            "website": "https://purela.example",
        },
        who=api.admin,
        selection=BRAND_PAYLOAD,
    )

    assert result["version"] == 1
    assert {k: v for k, v in result["brand"].items() if k != "id"} == {
        "name": "Purela",
        "industry": "beauty",
        "causes": ["clean beauty"],
        "website": "https://purela.example",
        "version": 1,
    }


async def test_a_brand_updates_only_the_fields_it_gives(api: LedgerApi) -> None:
    brand_id = await register_brand(api, website="https://purela.example")

    result = await api.mutate(
        "updateBrandProfile",
        {"brandId": brand_id, "name": "Purela Indonesia", "expectedVersion": 1},
        who=brand_token(brand_id),
        selection=BRAND_PAYLOAD,
    )

    assert result["brand"]["name"] == "Purela Indonesia"
    assert result["brand"]["website"] == "https://purela.example"
    data = await api.graphql(
        "query($id: ID!, $at: String) { brand(id: $id, atLeast: $at) { name version } }",
        {"id": brand_id, "at": result["position"]},
    )
    assert data["brand"] == {"name": "Purela Indonesia", "version": 2}


async def test_a_bad_website_is_a_validation_error(api: LedgerApi) -> None:
    brand_id = await register_brand(api)

    result = await api.mutate(
        "updateBrandProfile",
        {"brandId": brand_id, "website": "ftp://purela.example"},
        who=brand_token(brand_id),
    )

    assert (result["code"], result["field"]) == ("VALIDATION", "website")


async def test_an_unknown_brand_reads_as_null(api: LedgerApi) -> None:
    data = await api.graphql(
        "query($a: ID!, $b: ID!) { a: brand(id: $a) { id } b: brand(id: $b) { id } }",
        {"a": str(uuid4()), "b": "nope"},
    )

    assert data == {"a": None, "b": None}


# --- briefs ---------------------------------------------------------------------------------


def brief_input(brand_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "brandId": brand_id,
        "title": "Ramadan glow",
        "objective": "Show the serum in a night routine",
        "keyMessages": ["light texture", "halal certified"],
        "niches": ["beauty"],
        "platforms": ["INSTAGRAM", "TIKTOK"],
        "budget": {"amount": "5000000", "currency": "IDR"},
        "startsOn": "2026-03-10",
        "endsOn": "2026-04-30",
        **changes,
    }


BRIEF_FIELDS = """
id title objective keyMessages niches platforms budget { amount currency }
startsOn endsOn open closed closedAt version brand { id name }
"""


async def test_a_brand_publishes_a_brief_that_everyone_can_read(api: LedgerApi) -> None:
    brand_id = await register_brand(api)

    result = await api.mutate(
        "publishBrief",
        brief_input(brand_id),
        who=brand_token(brand_id),
        selection=f"... on BriefPayload {{ position brief {{ {BRIEF_FIELDS} }} }}",
    )

    brief = result["brief"]
    data = await api.graphql(
        f"query($id: ID!, $at: String) {{ brief(id: $id, atLeast: $at) {{ {BRIEF_FIELDS} }} }}",
        {"id": brief["id"], "at": result["position"]},
        who=None,
    )
    assert (
        data["brief"]
        == brief
        == {
            "id": brief["id"],
            "title": "Ramadan glow",
            "objective": "Show the serum in a night routine",
            "keyMessages": ["light texture", "halal certified"],
            "niches": ["beauty"],
            "platforms": ["INSTAGRAM", "TIKTOK"],
            "budget": {"amount": "5000000", "currency": "IDR"},
            "startsOn": "2026-03-10",
            "endsOn": "2026-04-30",
            "open": True,
            "closed": False,
            "closedAt": None,
            "version": 1,
            "brand": {"id": brand_id, "name": "Purela"},
        }
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"endsOn": "2026-03-01"}, "endsOn"),
        ({"startsOn": "2026-05-01"}, "endsOn"),
        ({"title": " "}, "title"),
        ({"budget": {"amount": "0", "currency": "IDR"}}, "budget"),
    ],
    ids=["ended", "ends before it starts", "blank title", "zero budget"],
)
async def test_a_bad_brief_is_a_validation_error(
    api: LedgerApi, changes: dict[str, Any], field: str
) -> None:
    brand_id = await register_brand(api)

    result = await api.mutate(
        "publishBrief", brief_input(brand_id, **changes), who=brand_token(brand_id)
    )

    assert (result["code"], result["field"]) == ("VALIDATION", field)


async def test_a_brand_closes_its_brief_once(api: LedgerApi) -> None:
    brand_id = await register_brand(api)
    published = await api.mutate(
        "publishBrief", brief_input(brand_id), who=brand_token(brand_id), selection=BRIEF_PAYLOAD
    )
    brief_id = published["brief"]["id"]

    closed = await api.mutate(
        "closeBrief",
        {"briefId": brief_id, "reason": "enough pitches", "expectedVersion": 1},
        who=brand_token(brand_id),
        selection=BRIEF_PAYLOAD,
    )
    again = await api.mutate("closeBrief", {"briefId": brief_id}, who=brand_token(brand_id))

    assert (closed["brief"]["open"], closed["brief"]["closed"]) == (False, True)
    assert closed["version"] == 2
    assert again["__typename"] == "InvalidTransitionError"
    assert again["code"] == "INVALID_TRANSITION"


# --- reputation and feedback ----------------------------------------------------------------


async def completed_campaign(api: LedgerApi) -> tuple[str, str]:
    """A brand and a creator with one completed, measured campaign between them."""
    brand_id = await register_brand(api)
    creator_id = await register_creator(api)
    ledger: Ledger = api.ledger

    def run() -> None:
        parties = Parties(ledger, UUID(brand_id), UUID(creator_id))
        scenario = campaign_at(ledger, "COMPLETED", parties=parties)
        ledger.execute(
            ledger.context(Actor.creator(creator_id)),
            RecordPostMetrics(
                campaign_id=scenario.campaign_id,
                deliverable_id="d1",
                observed_at=ledger.clock(),
                followers=4_200,
                reach=3_000,
                likes=150,
                comments=20,
                shares=5,
                saves=10,
            ),
        )

    await to_thread.run_sync(run)
    await api.settle()
    return brand_id, creator_id


REPUTATION = """
score formulaVersion referenceTime tier largestFollowing overallRating ratingCount
ratings { dimension average count }
concludedAgreements completed cancelledByCreator cancelledByBrand
completion { numerator denominator value } onTime { numerator denominator value }
disclosure { numerator denominator value } giveawayFulfilment { numerator denominator value }
wouldWorkAgain { numerator denominator value }
medianEngagementRate medianEngagementRateByReach engagementBenchmark engagementVsBenchmark
medianRetention retentionPosts
posts {
  campaignId deliverableId postNo platform onTime disclosed followers reach likes comments
  shares saves interactions engagementRate engagementRateByReach retention
}
"""


async def test_a_creator_reputation_shows_every_signal(api: LedgerApi) -> None:
    _, creator_id = await completed_campaign(api)

    data = await api.graphql(
        f"query($id: ID!) {{ creator(id: $id) {{ reputation {{ {REPUTATION} }} }} }}",
        {"id": creator_id},
    )

    reputation = data["creator"]["reputation"]
    assert reputation["score"] is not None
    assert 0 <= reputation["score"] <= 100
    assert reputation["formulaVersion"] == 1
    assert reputation["referenceTime"] == "2026-03-02T09:00:00+00:00"
    assert (reputation["tier"], reputation["largestFollowing"]) == ("NANO", 4_200)
    assert reputation["overallRating"] == pytest.approx((3.5 * 5 + 4.6) / 6)
    assert reputation["ratingCount"] == 1
    assert [r["dimension"] for r in reputation["ratings"]] == [
        "content_quality",
        "communication",
        "timeliness",
        "authenticity",
        "audience_fit",
    ]
    assert (reputation["concludedAgreements"], reputation["completed"]) == (1, 1)
    for signal in ("completion", "onTime", "disclosure", "wouldWorkAgain"):
        assert reputation[signal] == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert reputation["giveawayFulfilment"] == {"numerator": 0, "denominator": 0, "value": None}
    assert reputation["engagementBenchmark"] == pytest.approx(0.0369)
    assert reputation["medianEngagementRate"] == pytest.approx(185 / 4_200)
    assert reputation["medianEngagementRateByReach"] == pytest.approx(185 / 3_000)
    assert reputation["engagementVsBenchmark"] == pytest.approx(185 / 4_200 / 0.0369)
    assert reputation["medianRetention"] is None
    [post] = reputation["posts"]
    assert post["campaignId"] is None, "anonymous callers do not learn campaign ids"
    assert {k: post[k] for k in ("followers", "reach", "likes", "comments", "shares", "saves")} == {
        "followers": 4_200,
        "reach": 3_000,
        "likes": 150,
        "comments": 20,
        "shares": 5,
        "saves": 10,
    }
    assert post["interactions"] == 185
    assert (post["onTime"], post["disclosed"]) == (True, True)


async def test_the_creator_sees_which_campaign_each_post_belongs_to(api: LedgerApi) -> None:
    _, creator_id = await completed_campaign(api)
    query = "query($id: ID!) { creator(id: $id) { reputation { posts { campaignId } } } }"

    own = await api.graphql(query, {"id": creator_id}, who=creator_token(creator_id))
    audited = await api.graphql(query, {"id": creator_id}, who=api.auditor)

    [own_post] = own["creator"]["reputation"]["posts"]
    assert own_post["campaignId"] is not None
    assert audited["creator"]["reputation"]["posts"] == own["creator"]["reputation"]["posts"]


async def test_a_creator_without_history_has_no_score(api: LedgerApi) -> None:
    creator_id = await register_creator(api)
    await api.settle()

    data = await api.graphql(
        "query($id: ID!) { creator(id: $id) { reputation { score concludedAgreements } } }",
        {"id": creator_id},
    )

    assert data["creator"]["reputation"] == {"score": None, "concludedAgreements": 0}


BRAND_FEEDBACK = """
formulaVersion referenceTime overallRating ratingCount ratings { dimension average count }
wouldWorkAgain { numerator denominator value }
payments { due paidInFull paidOnTime unpaidOverdue onTime { numerator denominator } medianDaysLate }
creativeFreedomSignal { numerator denominator }
campaignsByState { state count }
spend { currency committed { amount currency } paid { amount currency } }
reach impressions engagements
costs { currency paid { amount } engagements impressions costPerEngagement cpm }
salesUplift { amount currency } promoCodeRedemptions meanRatingGiven ratingsGiven
"""


async def test_brand_feedback_shows_every_signal(api: LedgerApi) -> None:
    brand_id, _ = await completed_campaign(api)

    data = await api.graphql(
        f"query($id: ID!) {{ brand(id: $id) {{ name feedback {{ {BRAND_FEEDBACK} }} }} }}",
        {"id": brand_id},
    )

    feedback = data["brand"]["feedback"]
    assert feedback["overallRating"] == pytest.approx((3.5 * 5 + 4.0) / 6)
    assert feedback["ratingCount"] == 1
    assert [r["dimension"] for r in feedback["ratings"]] == [
        "payment_timeliness",
        "creative_freedom",
        "brief_clarity",
        "communication",
    ]
    assert feedback["wouldWorkAgain"] == {"numerator": 1, "denominator": 1, "value": 1.0}
    assert feedback["meanRatingGiven"] == pytest.approx(4.6)
    assert feedback["ratingsGiven"] == 1
    assert {"state": "COMPLETED", "count": 1} in feedback["campaignsByState"]
    assert feedback["spend"] == [
        {
            "currency": "IDR",
            "committed": {"amount": "500000", "currency": "IDR"},
            "paid": {"amount": "0", "currency": "IDR"},
        }
    ]
    assert (feedback["reach"], feedback["engagements"]) == (3_000, 185)
    assert feedback["payments"]["due"] == 1


# --- benchmarks, status, me -------------------------------------------------------------------


async def test_rate_benchmarks_summarise_rate_cards_by_group(api: LedgerApi) -> None:
    for handle, price in (("a.nano", "400000"), ("b.nano", "500000"), ("c.nano", "900000")):
        creator_id = await register_creator(api, handle)
        await api.mutate(
            "publishRateCard",
            {
                "creatorId": creator_id,
                "lines": [
                    {
                        "platform": "INSTAGRAM",
                        "format": "POST",
                        "price": {"amount": price, "currency": "IDR"},
                    }
                ],
            },
            who=creator_token(creator_id),
        )
    await api.settle()

    data = await api.graphql(
        """{ rateBenchmarks(platform: INSTAGRAM, format: POST, tier: NANO) {
          platform format tier currency
          rateCard { sampleCount median { amount currency } }
          agreedFee { sampleCount }
        } }"""
    )

    assert data["rateBenchmarks"] == [
        {
            "platform": "INSTAGRAM",
            "format": "POST",
            "tier": "NANO",
            "currency": "IDR",
            "rateCard": {"sampleCount": 3, "median": {"amount": "500000", "currency": "IDR"}},
            "agreedFee": None,
        }
    ]


async def test_rate_benchmarks_refuse_an_unknown_currency(api: LedgerApi) -> None:
    body = await api.execute('{ rateBenchmarks(currency: "XYZ") { tier } }')

    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_projection_status_reports_positions_and_lag(api: LedgerApi) -> None:
    await register_brand(api)
    await api.settle()
    head = await to_thread.run_sync(api.ledger.head_position)

    data = await api.graphql(
        "{ projections { name version active position headPosition lag processing lastError } }"
    )

    names = [p["name"] for p in data["projections"]]
    assert {"creator_reputation", "creator_directory", "brand_feedback"} <= set(names)
    for status in data["projections"]:
        assert status["position"] == status["headPosition"] == str(head)
        assert status["lag"] == 0
        assert status["active"] is True


async def test_me_is_the_caller_with_its_own_profile(api: LedgerApi) -> None:
    brand_id = await register_brand(api)
    creator_id = await register_creator(api)
    query = "{ me { role id brand { name } creator { handle } } }"

    anonymous = await api.graphql(query)
    brand = await api.graphql(query, who=brand_token(brand_id))
    creator = await api.graphql(query, who=creator_token(creator_id))
    auditor = await api.graphql(query, who=api.auditor)

    assert anonymous == {"me": None}
    assert brand["me"] == {
        "role": "BRAND",
        "id": brand_id,
        "brand": {"name": "Purela"},
        "creator": None,
    }
    assert creator["me"]["creator"] == {"handle": "sari.nano"}
    assert auditor["me"] == {"role": "AUDITOR", "id": "audit-1", "brand": None, "creator": None}
