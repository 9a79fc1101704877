"""A campaign from pitch to completion, driven through GraphQL only, and what its
parties and auditors read back: the live view, lists, history and replays."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from domain.giveaway_draw import commitment_for, draw_winners
from domain.infrastructure.settings import Settings
from tests.api.support import bearer
from tests.domain.builders import DUE_ON, SEED, campaign_at, register_parties
from tests.graphql_driver import (
    AUDITOR,
    LedgerApi,
    Who,
    attempt,
    brand_of,
    brand_token,
    creator_of,
    creator_token,
    iso,
    pitch_input,
    ratings_input,
    read_campaign,
    register_brand,
    register_creator,
    serve_ledger,
    succeed,
    terms_input,
)
from tests.support import FakeClock


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as api:
        yield api


FULL = """
id state version pitchedBy offeredBy pitchMessage termsDigest
brand { id name } creator { id handle }
offers { by message terms { digest compensation { cash { amount currency } } } }
terms { giveawayRequired approvalRequired paymentDueDays digest
        deliverables { deliverableId platform format quantity dueOn } }
signatures { party signedAt }
concludedAt deliveredAt completedAt
drafts { deliverableId draftNo status pros cons changeNotes }
posts { url disclosed disclosureTags onTime dueOn
        latestMetrics { followers likes engagements engagementRate engagementRateByReach } }
giveaways { giveawayId seedCommitment seed winners entryCount entriesDigest
            entries(first: 2) { totalCount edges { node { handle } } pageInfo { hasNextPage } }
            shipments { winner carrier trackingRef deliveredAt } }
performanceReports { reach engagements }
salesUplift { uplift { amount currency } promoCodeRedemptions }
payments { amount { amount currency } reference }
paid { amount } paymentDueOn
feedback { by wouldWorkAgain ratings { dimension score } }
feedbackSubmittedBy feedbackRevealedAt allowedActions viewerParty
"""


async def test_a_campaign_runs_from_pitch_to_completion_through_graphql(
    api: LedgerApi, clock: FakeClock
) -> None:
    brand_id = await register_brand(api)
    creator_id = await register_creator(api)
    brand, creator = brand_token(brand_id), creator_token(creator_id)
    pitched = await succeed(
        api,
        "pitchCampaign",
        {
            "brandId": brand_id,
            "creatorId": creator_id,
            "message": "Try our serum?",
            "terms": terms_input(giveawayRequired=True),
        },
        who=brand,
    )
    cid = pitched["campaign"]["id"]
    assert pitched["campaign"]["allowedActions"] == ["withdrawPitch"]

    async def step(name: str, who: Who, **input: Any) -> dict[str, Any]:
        return await succeed(api, name, {"campaignId": cid, **input}, who=who)

    countered = await step(
        "counterOffer",
        creator,
        terms=terms_input(cash="750000", giveawayRequired=True),
        message="Rp750.000 and it's a deal",
    )
    assert countered["campaign"]["allowedActions"] == ["withdrawPitch"]
    accepted = await step("acceptPitch", brand)
    digest = (await read_campaign(api, cid, who=brand, fields="termsDigest"))["termsDigest"]
    await step("signAgreement", brand, termsDigest=digest)
    concluded = await step("signAgreement", creator, termsDigest=digest)
    assert (accepted["campaign"]["state"], concluded["campaign"]["state"]) == (
        "ACCEPTED",
        "CONCLUDED",
    )
    await step(
        "submitDraft",
        creator,
        deliverableId="d1",
        caption="Glow #ad",
        pros=["light"],
        cons=["pricey"],
    )
    await step("requestChanges", brand, deliverableId="d1", draftNo=1, notes="Show the bottle")
    await step(
        "submitDraft",
        creator,
        deliverableId="d1",
        caption="Glow with Purela #ad",
        pros=["light"],
        cons=["pricey"],
    )
    await step("approveDraft", brand, deliverableId="d1", draftNo=2)
    await step(
        "announceGiveaway",
        creator,
        giveawayId="g1",
        prize="Serum",
        winnerCount=2,
        entryRules=["follow @purela"],
        closesAt=iso(clock.now + timedelta(hours=2)),
        seedCommitment=commitment_for(SEED),
    )
    await step("recordGiveawayEntries", creator, giveawayId="g1", entries=["@ana", "budi", "citra"])
    published_at = clock.advance(hours=3)
    delivered = await step(
        "publishPost",
        creator,
        deliverableId="d1",
        url="https://instagram.com/p/x1",
        publishedAt=iso(published_at),
        caption="Glow with Purela #ad",
    )
    assert delivered["campaign"]["state"] == "DELIVERED"
    await step(
        "recordPostMetrics",
        creator,
        deliverableId="d1",
        observedAt=iso(published_at),
        followers=4200,
        likes=300,
        comments=40,
        shares=5,
        saves=10,
        reach=2000,
    )
    await step("closeGiveaway", creator, giveawayId="g1")
    await step("drawGiveawayWinners", creator, giveawayId="g1", seed=SEED)
    winners = list(draw_winners(SEED, ["ana", "budi", "citra"], 2))
    await step(
        "shipPrize", brand, giveawayId="g1", winner=winners[0], carrier="JNE", trackingRef="JNE-1"
    )
    await step("confirmPrizeDelivered", creator, giveawayId="g1", winner=winners[0])
    today = published_at.date().isoformat()
    await step(
        "reportPerformance",
        creator,
        periodStart=today,
        periodEnd=today,
        reach=2000,
        impressions=3500,
        engagements=355,
    )
    await step(
        "reportSalesUplift",
        brand,
        baseline={"amount": "1000000"},
        during={"amount": "1500000"},
        promoCodeRedemptions=12,
    )
    await step(
        "recordPayment",
        brand,
        amount={"amount": "750000"},
        paidAt=iso(published_at),
        reference="TRX-1",
    )
    await step("submitFeedback", brand, ratings=ratings_input("BRAND"), wouldWorkAgain=True)
    completed = await step(
        "submitFeedback", creator, ratings=ratings_input("CREATOR"), wouldWorkAgain=True
    )

    assert completed["campaign"]["state"] == "COMPLETED"
    campaign = await read_campaign(api, cid, who=brand, fields=FULL)
    assert campaign["version"] == completed["version"] == 25
    assert campaign["brand"] == {"id": brand_id, "name": "Purela"}
    assert campaign["creator"] == {"id": creator_id, "handle": "sari.nano"}
    assert [o["by"] for o in campaign["offers"]] == ["BRAND", "CREATOR"]
    assert campaign["terms"]["digest"] == campaign["termsDigest"] == digest
    assert campaign["terms"]["deliverables"] == [
        {
            "deliverableId": "d1",
            "platform": "INSTAGRAM",
            "format": "POST",
            "quantity": 1,
            "dueOn": DUE_ON.isoformat(),
        }
    ]
    assert [s["party"] for s in campaign["signatures"]] == ["BRAND", "CREATOR"]
    assert [(d["draftNo"], d["status"]) for d in campaign["drafts"]] == [
        (1, "CHANGES_REQUESTED"),
        (2, "PUBLISHED"),
    ]
    [post] = campaign["posts"]
    assert (post["disclosed"], post["disclosureTags"], post["onTime"]) == (True, ["ad"], True)
    assert post["latestMetrics"] == {
        "followers": 4200,
        "likes": 300,
        "engagements": 355,
        "engagementRate": 355 / 4200,
        "engagementRateByReach": 355 / 2000,
    }
    [giveaway] = campaign["giveaways"]
    assert giveaway["seed"] == SEED
    assert giveaway["seedCommitment"] == commitment_for(SEED)
    assert giveaway["winners"] == winners
    assert giveaway["entries"]["totalCount"] == giveaway["entryCount"] == 3
    assert [e["node"]["handle"] for e in giveaway["entries"]["edges"]] == ["ana", "budi"]
    assert giveaway["entries"]["pageInfo"]["hasNextPage"] is True
    assert giveaway["shipments"][0]["deliveredAt"] is not None
    assert campaign["salesUplift"] == [
        {"uplift": {"amount": "500000", "currency": "IDR"}, "promoCodeRedemptions": 12}
    ]
    assert campaign["paid"] == {"amount": "750000"}
    assert campaign["paymentDueOn"] == (published_at.date() + timedelta(days=14)).isoformat()
    assert sorted(f["by"] for f in campaign["feedback"]) == ["BRAND", "CREATOR"]
    assert campaign["feedbackRevealedAt"] is not None
    assert campaign["viewerParty"] == "BRAND"
    # Fully paid, one prize delivered: only the other winner's prize and reports remain.
    assert campaign["allowedActions"] == ["shipPrize", "reportSalesUplift"]
    exact = await read_campaign(
        api,
        cid,
        who=creator,
        fields="nextActions { action party targets { deliverableId postNo giveawayId winner } }",
    )
    post_1 = {"deliverableId": "d1", "postNo": 1, "giveawayId": None, "winner": None}
    prize = {"deliverableId": None, "postNo": None, "giveawayId": "g1", "winner": winners[1]}
    assert exact["nextActions"] == [
        {"action": "recordPostMetrics", "party": "CREATOR", "targets": [post_1]},
        {"action": "shipPrize", "party": "BRAND", "targets": [prize]},
        {"action": "shipPrize", "party": "CREATOR", "targets": [prize]},
        {"action": "reportPerformance", "party": "CREATOR", "targets": []},
        {"action": "reportSalesUplift", "party": "BRAND", "targets": []},
    ]


LIST = """
query($filter: CampaignFilter, $first: Int, $after: String, $atLeast: String) {
  campaigns(filter: $filter, first: $first, after: $after, atLeast: $atLeast) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id state version unitsDue unitsPublished fee { amount }
                          pitchMessage terms { digest } } }
  }
}"""


async def test_a_list_read_with_at_least_sees_the_write_that_returned_that_position(
    api: LedgerApi,
) -> None:
    parties = register_parties(api.ledger)
    brand = brand_of(parties)
    ids = [
        (await succeed(api, "pitchCampaign", pitch_input(parties), who=brand))["campaign"]["id"]
        for _ in range(3)
    ]
    accepted = await succeed(api, "acceptPitch", {"campaignId": ids[0]}, who=creator_of(parties))

    data = await api.graphql(
        LIST,
        {"filter": {"states": ["ACCEPTED"]}, "atLeast": accepted["position"]},
        who=brand,
    )

    [edge] = data["campaigns"]["edges"]
    assert edge["node"]["id"] == ids[0]
    assert edge["node"]["state"] == "ACCEPTED"
    assert edge["node"]["version"] == accepted["version"]
    assert edge["node"]["pitchMessage"] == "Would you like to try our serum?"
    assert (edge["node"]["unitsDue"], edge["node"]["unitsPublished"]) == (1, 0)
    assert edge["node"]["fee"] == {"amount": "500000"}


async def test_campaign_lists_page_newest_pitch_first(api: LedgerApi, clock: FakeClock) -> None:
    parties = register_parties(api.ledger)
    pitched = []
    for _ in range(3):
        clock.advance(minutes=1)
        result = await succeed(api, "pitchCampaign", pitch_input(parties), who=brand_of(parties))
        pitched.append(result)
    await api.settle()

    first = await api.graphql(LIST, {"first": 2}, who=AUDITOR)
    cursor = first["campaigns"]["pageInfo"]["endCursor"]
    rest = await api.graphql(LIST, {"first": 2, "after": cursor}, who=AUDITOR)

    newest_first = [p["campaign"]["id"] for p in reversed(pitched)]
    page1, page2 = first["campaigns"], rest["campaigns"]
    assert [e["node"]["id"] for e in page1["edges"] + page2["edges"]] == newest_first
    assert (page1["totalCount"], page1["pageInfo"]["hasNextPage"]) == (3, True)
    assert (page2["pageInfo"]["hasNextPage"], page2["pageInfo"]["hasPreviousPage"]) == (
        False,
        True,
    )


AS_OF = """
query($id: ID!, $version: Int, $at: DateTime) {
  campaignAsOf(id: $id, version: $version, at: $at) { state version signatures { party } }
}"""


async def test_an_auditor_replays_a_campaign_as_of_a_version_or_a_moment(
    api: LedgerApi, clock: FakeClock
) -> None:
    scenario = campaign_at(api.ledger, "ACCEPTED")
    accepted_at = clock.now
    clock.advance(hours=1)
    scenario.sign_both()
    cid = str(scenario.campaign_id)

    def as_of(**args: Any) -> Any:
        return api.graphql(AS_OF, {"id": cid, **args}, who=AUDITOR)

    pitched = (await as_of(version=1))["campaignAsOf"]
    at_acceptance = (await as_of(at=iso(accepted_at + timedelta(minutes=30))))["campaignAsOf"]
    now = (await as_of())["campaignAsOf"]
    before = (await as_of(at=iso(accepted_at - timedelta(days=1))))["campaignAsOf"]

    assert pitched == {"state": "PITCHED", "version": 1, "signatures": []}
    assert at_acceptance == {"state": "ACCEPTED", "version": 2, "signatures": []}
    assert now["state"] == "CONCLUDED"
    assert [s["party"] for s in now["signatures"]] == ["BRAND", "CREATOR"]
    assert before is None


async def test_a_version_past_the_head_is_a_validation_error_for_those_who_see_it(
    api: LedgerApi,
) -> None:
    scenario = campaign_at(api.ledger, "CONCLUDED")
    cid = str(scenario.campaign_id)
    rival = brand_token(await register_brand(api, "Rival"))

    past = await api.execute(AS_OF, {"id": cid, "version": 999}, who=brand_of(scenario.parties))
    head = await api.graphql(AS_OF, {"id": cid, "version": 5}, who=AUDITOR)
    hidden = await api.execute(AS_OF, {"id": cid, "version": 999}, who=rival)

    [error] = past["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("VALIDATION", "version")
    assert "past the campaign's latest version 5" in error["message"]
    assert head["campaignAsOf"]["version"] == 5
    assert hidden == {"data": {"campaignAsOf": None}}  # exactly as for an unknown campaign


HISTORY = """
query($id: ID!, $first: Int, $after: String) {
  campaignHistory(id: $id, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { type aggregateType aggregateId version timestamp
                   actor { role id } correlationId causationId payload } }
  }
}"""


async def test_history_pages_through_every_event_with_actor_and_correlation(
    api: LedgerApi,
) -> None:
    scenario = campaign_at(api.ledger, "ACCEPTED")
    cid = str(scenario.campaign_id)
    digest = scenario.campaign().terms_digest
    for who, request_id in (
        (brand_of(scenario.parties), "req-b"),
        (creator_of(scenario.parties), "req-c"),
    ):
        response = await api.client.post(
            "/graphql",
            json={
                "query": "mutation($input: SignAgreementInput!) { signAgreement(input: $input)"
                " { __typename } }",
                "variables": {"input": {"campaignId": cid, "termsDigest": digest}},
            },
            headers={**_bearer(who), "X-Request-ID": request_id},
        )
        assert response.json()["data"]["signAgreement"]["__typename"] == "CampaignPayload"

    first = (await api.graphql(HISTORY, {"id": cid, "first": 3}, who=AUDITOR))["campaignHistory"]
    after = first["pageInfo"]["endCursor"]
    rest = (await api.graphql(HISTORY, {"id": cid, "after": after}, who=AUDITOR))["campaignHistory"]

    events = [edge["node"] for edge in first["edges"] + rest["edges"]]
    assert [e["type"] for e in events] == [
        "Pitched",
        "PitchAccepted",
        "AgreementSigned",
        "AgreementSigned",
        "AgreementConcluded",
    ]
    assert [e["version"] for e in events] == [1, 2, 3, 4, 5]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (5, True)
    assert rest["pageInfo"]["hasNextPage"] is False
    signed_by_brand, signed_by_creator, concluded = events[2:]
    assert signed_by_brand["actor"] == {"role": "BRAND", "id": str(scenario.parties.brand_id)}
    assert (signed_by_brand["correlationId"], signed_by_creator["correlationId"]) == (
        "req-b",
        "req-c",
    )
    assert signed_by_brand["payload"] == {"by": "BRAND", "terms_digest": digest}
    assert (concluded["correlationId"], concluded["causationId"]) == ("req-c", f"{cid}/4")
    assert {e["aggregateType"] for e in events} == {"Campaign"}
    assert {e["aggregateId"] for e in events} == {cid}


def _bearer(who: Who) -> dict[str, str]:
    assert who is not None
    return bearer(*who)


FEEDBACK = """
feedback { by wouldWorkAgain comment ratings { dimension score } }
feedbackSubmittedBy feedbackRevealedAt state
"""


async def test_feedback_stays_hidden_from_the_other_side_until_both_have_submitted(
    api: LedgerApi,
) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    cid = str(scenario.campaign_id)
    brand, creator = brand_of(scenario.parties), creator_of(scenario.parties)
    await succeed(
        api,
        "submitFeedback",
        {
            "campaignId": cid,
            "ratings": ratings_input("BRAND"),
            "wouldWorkAgain": False,
            "comment": "late draft",
        },
        who=brand,
    )

    as_creator = await read_campaign(api, cid, who=creator, fields=FEEDBACK)
    as_brand = await read_campaign(api, cid, who=brand, fields=FEEDBACK)
    as_auditor = await read_campaign(api, cid, who=AUDITOR, fields=FEEDBACK)
    creator_history = await api.graphql(HISTORY, {"id": cid}, who=creator)
    auditor_history = await api.graphql(HISTORY, {"id": cid}, who=AUDITOR)

    assert as_creator["feedback"] == []
    assert as_creator["feedbackSubmittedBy"] == ["BRAND"]
    assert [f["by"] for f in as_brand["feedback"]] == ["BRAND"]
    assert as_auditor["feedback"][0]["comment"] == "late draft"
    sealed = _last_payload(creator_history)
    assert (
        sealed["ratings"]
        == sealed["comment"]
        == sealed["would_work_again"]
        == ("sealed until feedback is revealed")
    )
    assert _last_payload(auditor_history)["comment"] == "late draft"

    await succeed(
        api,
        "submitFeedback",
        {"campaignId": cid, "ratings": ratings_input("CREATOR"), "wouldWorkAgain": True},
        who=creator,
    )

    revealed = await read_campaign(api, cid, who=creator, fields=FEEDBACK)
    assert revealed["state"] == "COMPLETED"
    assert revealed["feedbackRevealedAt"] is not None
    by_brand = next(f for f in revealed["feedback"] if f["by"] == "BRAND")
    assert (by_brand["wouldWorkAgain"], by_brand["comment"]) == (False, "late draft")
    assert {r["dimension"]: r["score"] for r in by_brand["ratings"]} == {
        "content_quality": 5,
        "communication": 4,
        "timeliness": 5,
        "authenticity": 5,
        "audience_fit": 4,
    }
    history = await api.graphql(HISTORY, {"id": cid}, who=creator)
    submitted = [
        e["node"]["payload"]
        for e in history["campaignHistory"]["edges"]
        if e["node"]["type"] == "FeedbackSubmitted"
    ]
    assert submitted[0]["comment"] == "late draft"


def _last_payload(history: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = history["campaignHistory"]["edges"][-1]["node"]["payload"]
    return payload


async def test_either_side_reveals_feedback_once_the_window_after_delivery_has_passed(
    api: LedgerApi, clock: FakeClock
) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    scenario.submit_feedback("BRAND")
    creator = creator_of(scenario.parties)
    reveal = {"campaignId": str(scenario.campaign_id)}

    early = await attempt(api, "revealFeedback", reveal, who=creator)
    clock.advance(days=15)
    revealed = await succeed(api, "revealFeedback", reveal, who=creator)
    seen = await read_campaign(api, scenario.campaign_id, who=creator, fields=FEEDBACK)

    assert early["code"] == "INVALID_TRANSITION"
    assert early["state"] == "DELIVERED"
    assert revealed["campaign"]["state"] == "COMPLETED"
    assert [f["by"] for f in seen["feedback"]] == ["BRAND"]
