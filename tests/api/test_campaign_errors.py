"""Every way a campaign request fails, as the client sees it: mutations answer with
a typed member of their result union, queries with ``errors[].extensions.code``;
either way nothing is recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest

from domain.infrastructure.settings import Settings
from tests.domain.builders import campaign_at, records_nothing, register_parties
from tests.graphql_driver import (
    ANONYMOUS,
    AUDITOR,
    LedgerApi,
    Who,
    attempt,
    brand_of,
    creator_of,
    deliverable_input,
    pitch_input,
    ratings_input,
    read_campaign,
    serve_ledger,
    succeed,
    terms_input,
)
from tests.support import CLOCK_START, FakeClock


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as api:
        yield api


async def _refused(api: LedgerApi, name: str, input: dict[str, Any], *, who: Who) -> dict[str, Any]:
    """The error a mutation answers with, checking it recorded nothing."""
    with records_nothing(api.ledger):
        result = await attempt(api, name, input, who=who)
    assert result["__typename"] != "CampaignPayload", result
    return result


def _code_and_field(result: dict[str, Any]) -> tuple[str, str | None]:
    return result["code"], result["field"]


# --- VALIDATION ----------------------------------------------------------------------------


async def test_a_deliverable_due_in_the_past_is_refused_naming_the_field(
    api: LedgerApi,
) -> None:
    parties = register_parties(api.ledger)
    past = CLOCK_START.date().replace(year=2025)
    input = pitch_input(parties, terms=terms_input(deliverables=[deliverable_input(due_on=past)]))

    result = await _refused(api, "pitchCampaign", input, who=brand_of(parties))

    assert _code_and_field(result) == ("VALIDATION", "terms.deliverables[0].dueOn")
    assert result["__typename"] == "ValidationError"


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (terms_input(cash="12.345"), "terms.compensation.cash"),
        (terms_input(cash="0"), "terms.compensation.cash"),
        (terms_input(deliverables=[]), "terms.deliverables"),
        (terms_input(paymentDueDays=400), "terms.paymentDueDays"),
    ],
)
async def test_bad_terms_are_refused_naming_the_field(
    api: LedgerApi, terms: dict[str, Any], field: str
) -> None:
    parties = register_parties(api.ledger)

    result = await _refused(
        api, "pitchCampaign", pitch_input(parties, terms=terms), who=brand_of(parties)
    )

    assert _code_and_field(result) == ("VALIDATION", field)


async def test_ratings_out_of_range_or_repeated_are_refused(api: LedgerApi) -> None:
    scenario = campaign_at(api.ledger, "DELIVERED")
    cid = str(scenario.campaign_id)
    too_high = [
        {**r, "score": 6} if r["dimension"] == "timeliness" else r for r in ratings_input("BRAND")
    ]
    repeated = [*ratings_input("BRAND"), {"dimension": "timeliness", "score": 3}]

    high = await _refused(
        api,
        "submitFeedback",
        {"campaignId": cid, "ratings": too_high, "wouldWorkAgain": True},
        who=brand_of(scenario.parties),
    )
    twice = await _refused(
        api,
        "submitFeedback",
        {"campaignId": cid, "ratings": repeated, "wouldWorkAgain": True},
        who=brand_of(scenario.parties),
    )

    assert _code_and_field(high) == ("VALIDATION", "ratings.timeliness")
    assert _code_and_field(twice) == ("VALIDATION", "ratings")


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        ('{ campaigns(after: "bm90LWEtY3Vyc29y") { totalCount } }', {}, "after"),
        ("{ campaigns(first: 101) { totalCount } }", {}, "first"),
        ('{ campaigns(atLeast: "soon") { totalCount } }', {}, "atLeast"),
        ('{ campaigns(filter: {brandId: "b-1"}) { totalCount } }', {}, "filter.brandId"),
        ("query($id: ID!) { campaignAsOf(id: $id, version: 0) { state } }", None, "version"),
        (
            'query($id: ID!) { campaignAsOf(id: $id, version: 1, at: "2026-03-02T09:00:00Z")'
            " { state } }",
            None,
            "version",
        ),
        (
            'query($id: ID!) { campaignAsOf(id: $id, at: "2026-03-02T09:00:00") { state } }',
            None,
            "at",
        ),
        (
            'query($id: ID!) { campaignHistory(id: $id, after: "bm90LWEtY3Vyc29y")'
            " { totalCount } }",
            None,
            "after",
        ),
    ],
)
async def test_bad_query_arguments_fail_with_validation_naming_the_argument(
    api: LedgerApi, query: str, variables: dict[str, Any] | None, field: str
) -> None:
    scenario = campaign_at(api.ledger, "PITCHED")

    body = await api.execute(
        query,
        {"id": str(scenario.campaign_id)} if variables is None else variables,
        who=AUDITOR,
    )

    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("VALIDATION", field)


# --- NOT_FOUND -----------------------------------------------------------------------------


@pytest.mark.parametrize("campaign_id", [str(uuid4()), "not-an-id"])
async def test_an_unknown_campaign_is_not_found(api: LedgerApi, campaign_id: str) -> None:
    parties = register_parties(api.ledger)

    result = await _refused(
        api, "acceptPitch", {"campaignId": campaign_id}, who=creator_of(parties)
    )
    history = await api.execute(
        "query($id: ID!) { campaignHistory(id: $id) { totalCount } }",
        {"id": campaign_id},
        who=AUDITOR,
    )
    read = await read_campaign(api, campaign_id, who=AUDITOR, fields="id")

    assert result["code"] == "NOT_FOUND"
    assert history["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert history["data"] is None
    assert read is None


async def test_pitching_an_unknown_creator_is_not_found(api: LedgerApi) -> None:
    parties = register_parties(api.ledger)
    input = {**pitch_input(parties), "creatorId": str(uuid4())}

    result = await _refused(api, "pitchCampaign", input, who=brand_of(parties))

    assert result["code"] == "NOT_FOUND"


# --- FORBIDDEN and UNAUTHENTICATED ---------------------------------------------------------


async def test_a_party_acting_outside_its_role_is_forbidden(api: LedgerApi) -> None:
    scenario = campaign_at(api.ledger, "CONCLUDED")
    input = {
        "campaignId": str(scenario.campaign_id),
        "deliverableId": "d1",
        "caption": "my caption",
        "pros": ["good"],
        "cons": ["none"],
    }

    result = await _refused(api, "submitDraft", input, who=brand_of(scenario.parties))

    assert result["__typename"] == "ForbiddenError"
    assert result["code"] == "FORBIDDEN"


async def test_anonymous_callers_change_nothing_and_list_nothing(api: LedgerApi) -> None:
    scenario = campaign_at(api.ledger, "PITCHED")

    result = await _refused(
        api, "acceptPitch", {"campaignId": str(scenario.campaign_id)}, who=ANONYMOUS
    )
    listing = await api.execute("{ campaigns { totalCount } }", who=ANONYMOUS)

    assert result["code"] == "UNAUTHENTICATED"
    assert listing["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- CONFLICT and idempotency --------------------------------------------------------------


async def test_a_stale_expected_version_is_a_conflict(api: LedgerApi) -> None:
    scenario = campaign_at(api.ledger, "PITCHED")
    creator = creator_of(scenario.parties)
    cid = str(scenario.campaign_id)

    stale = await _refused(
        api, "acceptPitch", {"campaignId": cid, "expectedVersion": 2}, who=creator
    )
    current = await succeed(
        api, "acceptPitch", {"campaignId": cid, "expectedVersion": 1}, who=creator
    )

    assert _code_and_field(stale) == ("CONFLICT", "expectedVersion")
    assert current["version"] == 2


async def test_repeating_a_pitch_with_its_idempotency_key_returns_the_first_result(
    api: LedgerApi,
) -> None:
    parties = register_parties(api.ledger)
    input = pitch_input(parties, idempotencyKey="pitch-2026-03-02")
    first = await succeed(api, "pitchCampaign", input, who=brand_of(parties))

    with records_nothing(api.ledger):
        again = await succeed(api, "pitchCampaign", input, who=brand_of(parties))
    reused = await _refused(
        api,
        "pitchCampaign",
        {**input, "message": "Something else entirely"},
        who=brand_of(parties),
    )

    assert again["campaign"]["id"] == first["campaign"]["id"]
    assert again["version"] == first["version"] == 1
    assert int(again["position"]) >= int(first["position"])
    assert _code_and_field(reused) == ("CONFLICT", "idempotencyKey")


async def test_repeating_a_campaign_command_with_its_key_changes_nothing_more(
    api: LedgerApi,
) -> None:
    scenario = campaign_at(api.ledger, "ACCEPTED")
    digest = scenario.campaign().terms_digest
    input = {
        "campaignId": str(scenario.campaign_id),
        "termsDigest": digest,
        "idempotencyKey": "sign-1",
    }
    first = await succeed(api, "signAgreement", input, who=brand_of(scenario.parties))

    with records_nothing(api.ledger):
        again = await succeed(api, "signAgreement", input, who=brand_of(scenario.parties))

    assert again["version"] == first["version"] == 3
    assert again["campaign"]["version"] == 3


# --- INVALID_TRANSITION --------------------------------------------------------------------


async def test_accepting_ones_own_offer_names_the_state_and_what_is_allowed(
    api: LedgerApi,
) -> None:
    scenario = campaign_at(api.ledger, "PITCHED")

    result = await _refused(
        api,
        "acceptPitch",
        {"campaignId": str(scenario.campaign_id)},
        who=brand_of(scenario.parties),
    )

    assert result["__typename"] == "InvalidTransitionError"
    assert (result["code"], result["state"], result["allowedActions"]) == (
        "INVALID_TRANSITION",
        "PITCHED",
        ["withdrawPitch"],
    )


async def test_a_draft_before_the_agreement_does_not_fit_the_state(api: LedgerApi) -> None:
    scenario = campaign_at(api.ledger, "PITCHED")
    input = {
        "campaignId": str(scenario.campaign_id),
        "deliverableId": "d1",
        "caption": "early",
        "pros": ["good"],
        "cons": ["none"],
    }

    result = await _refused(api, "submitDraft", input, who=creator_of(scenario.parties))

    assert (result["code"], result["state"]) == ("INVALID_TRANSITION", "PITCHED")
    assert result["allowedActions"] == ["counterOffer", "acceptPitch", "declinePitch"]


# --- UNAVAILABLE -----------------------------------------------------------------------------


async def test_reading_a_position_the_read_models_never_reach_fails_as_unavailable(
    api: LedgerApi,
) -> None:
    parties = register_parties(api.ledger)

    body = await api.execute(
        '{ campaigns(atLeast: "999999999") { totalCount } }', who=brand_of(parties)
    )

    assert body["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
