"""Who may do what to a campaign: every campaign mutation tried by every kind of
caller, and every campaign read by every kind of caller.

The rules under test: a campaign's brand and creator act only in their own
role (and turn); anybody else's campaign does not exist to them (NOT_FOUND,
exactly like an unknown one); auditors and admins read everything but change
nothing (FORBIDDEN); anonymous callers must sign in (UNAUTHENTICATED).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.application import Ledger
from domain.application.commands import (
    ApproveDraft,
    CloseGiveaway,
    DrawGiveawayWinners,
    RecordGiveawayEntries,
    ShipPrize,
    SubmitDraft,
)
from domain.giveaway_draw import draw_winners
from domain.infrastructure.settings import Settings
from tests.domain.builders import (
    SEED,
    Parties,
    Scenario,
    campaign_at,
    records_nothing,
    register_brand,
    register_creator,
    register_parties,
    terms,
)
from tests.graphql_driver import (
    ADMIN,
    ANONYMOUS,
    AUDITOR,
    LedgerApi,
    Who,
    attempt,
    iso,
    pitch_input,
    ratings_input,
    read_campaign,
    serve_ledger,
    terms_input,
)
from tests.support import FakeClock

VIEWERS = (
    "anonymous",
    "own brand",
    "other brand",
    "own creator",
    "other creator",
    "auditor",
    "admin",
)
ENTRANTS = ["ana", "budi"]
WINNER = draw_winners(SEED, ENTRANTS, 1)[0]


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as api:
        yield api


@dataclass(frozen=True)
class World:
    ledger: Ledger
    clock: FakeClock
    parties: Parties
    other_brand: UUID
    other_creator: UUID

    def who(self, viewer: str) -> Who:
        return {
            "anonymous": ANONYMOUS,
            "own brand": ("brand", str(self.parties.brand_id)),
            "other brand": ("brand", str(self.other_brand)),
            "own creator": ("creator", str(self.parties.creator_id)),
            "other creator": ("creator", str(self.other_creator)),
            "auditor": AUDITOR,
            "admin": ADMIN,
        }[viewer]

    def at(self, stage: str, **options: Any) -> Scenario:
        return campaign_at(self.ledger, stage, parties=self.parties, **options)


@pytest.fixture
def world(api: LedgerApi, clock: FakeClock) -> World:
    return World(
        api.ledger,
        clock,
        register_parties(api.ledger),
        register_brand(api.ledger, "Rival Co"),
        register_creator(api.ledger, "someone.else"),
    )


# --- campaigns ready for each action --------------------------------------------------------


def _stage(stage: str) -> Callable[[World], Scenario]:
    return lambda world: world.at(stage)


def _drafted(world: World) -> Scenario:
    scenario = world.at("CONCLUDED")
    world.ledger.execute(
        scenario.creator(),
        SubmitDraft(
            campaign_id=scenario.campaign_id,
            deliverable_id="d1",
            caption="Glow #ad",
            pros=["light"],
            cons=["pricey"],
        ),
    )
    return scenario


def _approved(world: World) -> Scenario:
    scenario = _drafted(world)
    world.ledger.execute(
        scenario.brand(),
        ApproveDraft(campaign_id=scenario.campaign_id, deliverable_id="d1", draft_no=1),
    )
    return scenario


def _giveaway(world: World, *, entries: bool = True) -> Scenario:
    scenario = world.at("CONCLUDED", campaign_terms=terms(giveaway_required=True))
    scenario.announce_giveaway(winner_count=1, closes_in=timedelta(hours=1))
    if entries:
        world.ledger.execute(
            scenario.creator(),
            RecordGiveawayEntries(
                campaign_id=scenario.campaign_id, giveaway_id="g1", entries=ENTRANTS
            ),
        )
    return scenario


def _giveaway_without_entries(world: World) -> Scenario:
    return _giveaway(world, entries=False)


def _closed(world: World) -> Scenario:
    scenario = _giveaway(world)
    world.clock.advance(hours=2)
    world.ledger.execute(
        scenario.creator(), CloseGiveaway(campaign_id=scenario.campaign_id, giveaway_id="g1")
    )
    return scenario


def _drawn(world: World) -> Scenario:
    scenario = _closed(world)
    world.ledger.execute(
        scenario.creator(),
        DrawGiveawayWinners(campaign_id=scenario.campaign_id, giveaway_id="g1", seed=SEED),
    )
    return scenario


def _shipped(world: World) -> Scenario:
    scenario = _drawn(world)
    world.ledger.execute(
        scenario.brand(),
        ShipPrize(
            campaign_id=scenario.campaign_id,
            giveaway_id="g1",
            winner=WINNER,
            carrier="JNE",
            tracking_ref="JNE-1",
        ),
    )
    return scenario


def _brand_feedback_given(world: World) -> Scenario:
    scenario = world.at("DELIVERED")
    scenario.submit_feedback("BRAND")
    return scenario


# --- the matrix -------------------------------------------------------------------------------


Input = Callable[[World, Scenario, str], dict[str, Any]]


def _nothing(world: World, scenario: Scenario, viewer: str) -> dict[str, Any]:
    return {}


def _fixed(**values: Any) -> Input:
    return lambda world, scenario, viewer: values


@dataclass(frozen=True)
class Case:
    mutation: str
    prepare: Callable[[World], Scenario]
    input: Input
    allowed: tuple[str, ...]
    other_party_gets: str = "FORBIDDEN"
    wait: timedelta = timedelta(0)

    def __str__(self) -> str:
        return self.mutation


BOTH = ("own brand", "own creator")
BRAND = ("own brand",)
CREATOR = ("own creator",)
DRAFT = {"deliverableId": "d1", "caption": "Glow #ad", "pros": ["light"], "cons": ["pricey"]}

CASES = [
    Case(
        "counterOffer",
        _stage("PITCHED"),
        _fixed(terms=terms_input(cash="650000"), message="a little more?"),
        CREATOR,
        "INVALID_TRANSITION",
    ),
    Case("acceptPitch", _stage("PITCHED"), _nothing, CREATOR, "INVALID_TRANSITION"),
    Case("declinePitch", _stage("PITCHED"), _fixed(reason="busy"), CREATOR, "INVALID_TRANSITION"),
    Case("withdrawPitch", _stage("PITCHED"), _nothing, BRAND, "INVALID_TRANSITION"),
    Case(
        "signAgreement",
        _stage("ACCEPTED"),
        lambda world, s, viewer: {"termsDigest": s.campaign().terms_digest},
        BOTH,
    ),
    Case("cancelCampaign", _stage("CONCLUDED"), _fixed(reason="product recall"), BOTH),
    Case("submitDraft", _stage("CONCLUDED"), _fixed(**DRAFT), CREATOR),
    Case(
        "requestChanges",
        _drafted,
        _fixed(deliverableId="d1", draftNo=1, notes="show the bottle"),
        BRAND,
    ),
    Case("approveDraft", _drafted, _fixed(deliverableId="d1", draftNo=1), BRAND),
    Case(
        "publishPost",
        _approved,
        lambda world, s, viewer: {
            "deliverableId": "d1",
            "url": "https://instagram.com/p/1",
            "publishedAt": iso(world.clock.now),
            "caption": "Glow #ad",
        },
        CREATOR,
    ),
    Case(
        "recordPostMetrics",
        _stage("DELIVERED"),
        lambda world, s, viewer: {
            "deliverableId": "d1",
            "observedAt": iso(world.clock.now),
            "followers": 4200,
            "likes": 120,
            "comments": 9,
        },
        CREATOR,
    ),
    Case(
        "announceGiveaway",
        _giveaway_without_entries,
        lambda world, s, viewer: {
            "giveawayId": "g2",
            "prize": "Serum",
            "winnerCount": 1,
            "entryRules": ["follow"],
            "closesAt": iso(world.clock.now + timedelta(days=1)),
            "seedCommitment": "0" * 64,
        },
        CREATOR,
    ),
    Case("recordGiveawayEntries", _giveaway, _fixed(giveawayId="g1", entries=["citra"]), CREATOR),
    Case("closeGiveaway", _giveaway, _fixed(giveawayId="g1"), CREATOR, wait=timedelta(hours=2)),
    Case("drawGiveawayWinners", _closed, _fixed(giveawayId="g1", seed=SEED), CREATOR),
    Case(
        "shipPrize",
        _drawn,
        _fixed(giveawayId="g1", winner=WINNER, carrier="JNE", trackingRef="JNE-9"),
        BOTH,
    ),
    Case("confirmPrizeDelivered", _shipped, _fixed(giveawayId="g1", winner=WINNER), BOTH),
    Case(
        "reportPerformance",
        _stage("DELIVERED"),
        lambda world, s, viewer: {
            "periodStart": world.clock.now.date().isoformat(),
            "periodEnd": world.clock.now.date().isoformat(),
            "reach": 2000,
            "impressions": 3000,
            "engagements": 150,
        },
        CREATOR,
    ),
    Case(
        "reportSalesUplift",
        _stage("DELIVERED"),
        _fixed(baseline={"amount": "1000000"}, during={"amount": "1250000"}),
        BRAND,
    ),
    Case(
        "recordPayment",
        _stage("DELIVERED"),
        lambda world, s, viewer: {
            "amount": {"amount": "500000"},
            "paidAt": iso(world.clock.now),
            "reference": "TRX-7",
        },
        BRAND,
    ),
    Case(
        "submitFeedback",
        _stage("DELIVERED"),
        lambda world, s, viewer: {
            "ratings": ratings_input("CREATOR" if "creator" in viewer else "BRAND"),
            "wouldWorkAgain": True,
        },
        BOTH,
    ),
    Case("revealFeedback", _brand_feedback_given, _nothing, BOTH, wait=timedelta(days=15)),
]


def _expected(case: Case, viewer: str) -> str:
    if viewer in case.allowed:
        return "CampaignPayload"
    return {
        "anonymous": "UNAUTHENTICATED",
        "other brand": "NOT_FOUND",
        "other creator": "NOT_FOUND",
        "auditor": "FORBIDDEN",
        "admin": "FORBIDDEN",
    }.get(viewer, case.other_party_gets)


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_only_the_campaigns_own_party_in_its_role_may_act(
    api: LedgerApi, world: World, case: Case
) -> None:
    refused = [viewer for viewer in VIEWERS if viewer not in case.allowed]
    # One campaign takes every refusal (they change nothing) and the first success;
    # each further success needs a campaign of its own.
    scenarios = [case.prepare(world) for _ in case.allowed]
    world.clock.advance(seconds=case.wait.total_seconds())

    outcomes: dict[str, str] = {}
    for viewer in refused:
        scenario = scenarios[0]
        input = {"campaignId": str(scenario.campaign_id), **case.input(world, scenario, viewer)}
        with records_nothing(api.ledger):
            result = await attempt(api, case.mutation, input, who=world.who(viewer))
        outcomes[viewer] = result.get("code", result["__typename"])
    for viewer, scenario in zip(case.allowed, scenarios, strict=True):
        input = {"campaignId": str(scenario.campaign_id), **case.input(world, scenario, viewer)}
        before = scenario.campaign().version
        result = await attempt(api, case.mutation, input, who=world.who(viewer))
        outcomes[viewer] = result.get("code", result["__typename"])
        assert result.get("version", before) > before, result

    assert outcomes == {viewer: _expected(case, viewer) for viewer in VIEWERS}


async def test_only_a_party_named_in_the_pitch_may_make_it(api: LedgerApi, world: World) -> None:
    outcomes = {}
    for viewer in VIEWERS:
        result = await attempt(
            api, "pitchCampaign", pitch_input(world.parties), who=world.who(viewer)
        )
        outcomes[viewer] = result.get("code", result["__typename"])

    assert outcomes == {
        "anonymous": "UNAUTHENTICATED",
        "own brand": "CampaignPayload",
        "other brand": "NOT_FOUND",
        "own creator": "CampaignPayload",
        "other creator": "NOT_FOUND",
        "auditor": "FORBIDDEN",
        "admin": "FORBIDDEN",
    }


# --- reads ------------------------------------------------------------------------------------

READERS = {"own brand", "own creator", "auditor", "admin"}


async def test_a_campaign_is_visible_to_its_parties_auditors_and_admins_only(
    api: LedgerApi, world: World
) -> None:
    scenario = world.at("CONCLUDED")
    cid = str(scenario.campaign_id)
    await api.settle()

    seen: dict[str, tuple[Any, ...]] = {}
    for viewer in VIEWERS:
        who = world.who(viewer)
        read = await read_campaign(api, cid, who=who, fields="id viewerParty allowedActions")
        as_of = await api.graphql(
            "query($id: ID!) { campaignAsOf(id: $id, version: 1) { id } }", {"id": cid}, who=who
        )
        history = await api.execute(
            "query($id: ID!) { campaignHistory(id: $id) { totalCount } }", {"id": cid}, who=who
        )
        listed = await api.execute("{ campaigns { totalCount edges { node { id } } } }", who=who)
        seen[viewer] = (
            read is not None,
            as_of["campaignAsOf"] is not None,
            _code(history) or history["data"]["campaignHistory"]["totalCount"],
            _code(listed) or [e["node"]["id"] for e in listed["data"]["campaigns"]["edges"]],
        )
        if read is not None:
            party = {"own brand": "BRAND", "own creator": "CREATOR"}.get(viewer)
            assert read["viewerParty"] == party
            assert bool(read["allowedActions"]) == (party is not None)

    assert seen == {
        "anonymous": (False, False, "UNAUTHENTICATED", "UNAUTHENTICATED"),
        "own brand": (True, True, 5, [cid]),
        "other brand": (False, False, "NOT_FOUND", []),
        "own creator": (True, True, 5, [cid]),
        "other creator": (False, False, "NOT_FOUND", []),
        "auditor": (True, True, 5, [cid]),
        "admin": (True, True, 5, [cid]),
    }


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors")
    return None if not errors else str(errors[0]["extensions"]["code"])


async def test_a_brand_asking_for_another_brands_campaigns_gets_none(
    api: LedgerApi, world: World
) -> None:
    mine = world.at("PITCHED")
    rival = Parties(world.ledger, world.other_brand, world.parties.creator_id)
    campaign_at(world.ledger, "PITCHED", parties=rival)
    await api.settle()
    query = (
        "query($f: CampaignFilter) { campaigns(filter: $f) { totalCount edges { node { id } } } }"
    )

    own_brand = world.who("own brand")
    theirs = await api.graphql(query, {"f": {"brandId": str(world.other_brand)}}, who=own_brand)
    everything = await api.graphql(query, {}, who=own_brand)
    creator_sees = await api.graphql(query, {}, who=world.who("own creator"))
    auditor_sees = await api.graphql(query, {}, who=AUDITOR)

    assert theirs["campaigns"] == {"totalCount": 0, "edges": []}
    assert [e["node"]["id"] for e in everything["campaigns"]["edges"]] == [str(mine.campaign_id)]
    assert creator_sees["campaigns"]["totalCount"] == 2
    assert auditor_sees["campaigns"]["totalCount"] == 2
