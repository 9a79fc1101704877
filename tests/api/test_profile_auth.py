"""Who may do what to profiles: every profile mutation × every kind of caller, and who
sees which briefs. Exactly the allowed cells succeed; every refusal records nothing;
somebody else's object is refused exactly like an unknown one (NOT_FOUND) for every
brand and creator, while roles that may never act (auditors, admins where only the
brand itself may) are told FORBIDDEN."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from anyio import to_thread

from domain.infrastructure.settings import Settings
from tests.api.support import bearer
from tests.graphql_driver import (
    BRIEF_PAYLOAD,
    LedgerApi,
    Who,
    brand_token,
    creator_token,
    register_brand,
    register_creator,
    serve_ledger,
)
from tests.support import FakeClock

OK = "OK"


@dataclass(frozen=True)
class World:
    """Brand A with a brief, brand B, creators C and D."""

    brand_a: str
    brand_b: str
    creator_c: str
    creator_d: str
    brief_a: str


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        yield served


async def publish_brief(api: LedgerApi, brand_id: str, **changes: Any) -> str:
    result = await api.mutate(
        "publishBrief",
        {
            "brandId": brand_id,
            "title": "Ramadan glow",
            "objective": "Night routine",
            "startsOn": "2026-03-10",
            "endsOn": "2026-04-30",
            **changes,
        },
        who=brand_token(brand_id),
        selection=BRIEF_PAYLOAD,
    )
    brief_id: str = result["brief"]["id"]
    return brief_id


@pytest.fixture
async def world(api: LedgerApi) -> World:
    brand_a = await register_brand(api, "Purela")
    return World(
        brand_a=brand_a,
        brand_b=await register_brand(api, "Kopi Nusantara"),
        creator_c=await register_creator(api, "sari.nano"),
        creator_d=await register_creator(api, "budi.nano"),
        brief_a=await publish_brief(api, brand_a),
    )


CALLERS: dict[str, Callable[[World], Who]] = {
    "anonymous": lambda w: None,
    "own brand": lambda w: brand_token(w.brand_a),
    "other brand": lambda w: brand_token(w.brand_b),
    "own creator": lambda w: creator_token(w.creator_c),
    "other creator": lambda w: creator_token(w.creator_d),
    "auditor": lambda w: ("auditor", "audit-1"),
    "admin": lambda w: ("admin", "ops-1"),
}
"""'own' is the brand A or creator C the mutation names; for registrations nothing is owned."""

_counter = iter(range(1, 1_000_000))


def _unique() -> int:
    return next(_counter)


@dataclass(frozen=True)
class Case:
    mutation: str
    input: Callable[[World], dict[str, Any]]
    outcomes: dict[str, str]


def _creator_case(mutation: str, build: Callable[[World], dict[str, Any]]) -> tuple[str, Case]:
    return mutation, Case(
        mutation,
        build,
        {
            "anonymous": "UNAUTHENTICATED",
            "own brand": "NOT_FOUND",
            "other brand": "NOT_FOUND",
            "own creator": OK,
            "other creator": "NOT_FOUND",
            "auditor": "FORBIDDEN",
            "admin": OK,
        },
    )


_REGISTRATION = {
    "anonymous": "UNAUTHENTICATED",
    "own brand": "FORBIDDEN",
    "other brand": "FORBIDDEN",
    "own creator": "FORBIDDEN",
    "other creator": "FORBIDDEN",
    "auditor": "FORBIDDEN",
    "admin": OK,
}
_BRIEF = {
    "anonymous": "UNAUTHENTICATED",
    "own brand": OK,
    "other brand": "NOT_FOUND",
    "own creator": "NOT_FOUND",
    "other creator": "NOT_FOUND",
    "auditor": "FORBIDDEN",
    "admin": "FORBIDDEN",
}

CASES: dict[str, Case] = dict(
    [
        (
            "registerBrand",
            Case(
                "registerBrand",
                lambda w: {"name": f"Brand {_unique()}", "industry": "food"},
                _REGISTRATION,
            ),
        ),
        (
            "registerCreator",
            Case(
                "registerCreator",
                lambda w: {
                    "handle": f"new.{_unique()}",
                    "displayName": "New",
                    "niches": [],
                    "origin": "NATIVE",
                },
                _REGISTRATION,
            ),
        ),
        (
            "updateBrandProfile",
            Case(
                "updateBrandProfile",
                lambda w: {"brandId": w.brand_a, "name": f"Purela {_unique()}"},
                {
                    "anonymous": "UNAUTHENTICATED",
                    "own brand": OK,
                    "other brand": "NOT_FOUND",
                    "own creator": "NOT_FOUND",
                    "other creator": "NOT_FOUND",
                    "auditor": "FORBIDDEN",
                    "admin": OK,
                },
            ),
        ),
        _creator_case(
            "linkPlatformAccount",
            lambda w: {
                "creatorId": w.creator_c,
                "platform": ["TIKTOK", "YOUTUBE", "X", "TWITCH", "BLOG", "FACEBOOK"][_unique() % 6],
                "handle": "sari",
                "followers": 100,
            },
        ),
        _creator_case(
            "recordFollowers",
            lambda w: {
                "creatorId": w.creator_c,
                "platform": "INSTAGRAM",
                "followers": 5_000 + _unique(),
                "observedAt": "2026-03-02T09:00:00Z",
            },
        ),
        _creator_case(
            "publishRateCard",
            lambda w: {
                "creatorId": w.creator_c,
                "lines": [
                    {
                        "platform": "INSTAGRAM",
                        "format": "POST",
                        "price": {"amount": str(400_000 + _unique()), "currency": "IDR"},
                    }
                ],
            },
        ),
        _creator_case(
            "declareCauses",
            lambda w: {"creatorId": w.creator_c, "causes": [f"cause-{_unique()}"]},
        ),
        (
            "publishBrief",
            Case(
                "publishBrief",
                lambda w: {
                    "brandId": w.brand_a,
                    "title": f"Brief {_unique()}",
                    "objective": "Reach",
                    "startsOn": "2026-03-10",
                    "endsOn": "2026-04-30",
                },
                _BRIEF,
            ),
        ),
        ("closeBrief", Case("closeBrief", lambda w: {"briefId": w.brief_a}, _BRIEF)),
    ]
)


def _ordered(outcomes: dict[str, str]) -> list[tuple[str, str]]:
    """Refusals first: a one-time change (closing a brief) must still be possible after them."""
    return sorted(outcomes.items(), key=lambda item: item[1] == OK)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES)
async def test_exactly_the_allowed_callers_succeed(
    api: LedgerApi, world: World, case: Case
) -> None:
    assert set(case.outcomes) == set(CALLERS)
    for caller, expected in _ordered(case.outcomes):
        before = await to_thread.run_sync(api.ledger.head_position)

        result = await api.mutate(case.mutation, case.input(world), who=CALLERS[caller](world))

        outcome = result.get("code", OK)
        assert outcome == expected, f"{case.mutation} by {caller}: {result}"
        if expected != OK:
            assert await to_thread.run_sync(api.ledger.head_position) == before, caller


OTHERS_OBJECTS: dict[
    str, tuple[Callable[[World], Who], Callable[[World, str | None], dict[str, Any]]]
] = {
    "updateBrandProfile": (
        lambda w: brand_token(w.brand_b),
        lambda w, target: {"brandId": target or w.brand_a, "name": "X"},
    ),
    "declareCauses": (
        lambda w: creator_token(w.creator_d),
        lambda w, target: {"creatorId": target or w.creator_c, "causes": []},
    ),
    "publishBrief": (
        lambda w: brand_token(w.brand_b),
        lambda w, target: {
            "brandId": target or w.brand_a,
            "title": "T",
            "objective": "O",
            "startsOn": "2026-03-10",
            "endsOn": "2026-04-30",
        },
    ),
    "closeBrief": (
        lambda w: brand_token(w.brand_b),
        lambda w, target: {"briefId": target or w.brief_a},
    ),
}


@pytest.mark.parametrize("mutation", OTHERS_OBJECTS, ids=OTHERS_OBJECTS)
async def test_somebody_elses_object_is_refused_like_an_unknown_one(
    api: LedgerApi, world: World, mutation: str
) -> None:
    caller, build = OTHERS_OBJECTS[mutation]

    others = await api.mutate(mutation, build(world, None), who=caller(world))
    unknown = await api.mutate(mutation, build(world, str(uuid4())), who=caller(world))

    assert others["__typename"] == unknown["__typename"] == "NotFoundError"
    assert others["field"] == unknown["field"]


async def test_an_invalid_token_is_unauthenticated_even_for_public_reads(api: LedgerApi) -> None:
    response = await api.client.post(
        "/graphql",
        json={"query": "{ creators { totalCount } }"},
        headers=bearer("admin", "ops-1", secret="another-signing-key-" + "x" * 40),
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_public_reads_need_no_token(api: LedgerApi, world: World) -> None:
    await api.settle()

    data = await api.graphql(
        """query($c: ID!, $b: ID!) {
          creator(id: $c) { handle reputation { formulaVersion } }
          brand(id: $b) { name feedback { ratingCount } }
          creators { totalCount }
          rateBenchmarks { tier }
          briefs { totalCount }
          projections { name }
        }""",
        {"c": world.creator_c, "b": world.brand_a},
    )

    assert data["creator"]["handle"] == "sari.nano"
    assert data["brand"]["feedback"] == {"ratingCount": 0}
    assert data["creators"]["totalCount"] == 2
    assert data["briefs"]["totalCount"] == 1


# --- briefs: who sees which ---------------------------------------------------------------

BRIEF = "query($id: ID!) { brief(id: $id) { id closed } }"
BRIEFS = """query($filter: BriefFilter) {
  briefs(filter: $filter, first: 100) { totalCount edges { node { title open } } }
}"""


@pytest.fixture
async def closed_brief(api: LedgerApi, world: World) -> str:
    brief_id = await publish_brief(api, world.brand_a, title="Closed call")
    await api.mutate("closeBrief", {"briefId": brief_id}, who=brand_token(world.brand_a))
    await api.settle()
    return brief_id


READERS_OF_CLOSED = {
    "anonymous": False,
    "own brand": True,
    "other brand": False,
    "own creator": False,
    "auditor": True,
    "admin": True,
}


@pytest.mark.parametrize(("caller", "sees"), READERS_OF_CLOSED.items(), ids=READERS_OF_CLOSED)
async def test_a_closed_brief_is_visible_to_its_brand_auditors_and_admins_only(
    api: LedgerApi, world: World, closed_brief: str, caller: str, sees: bool
) -> None:
    who = CALLERS[caller](world)

    single = await api.graphql(BRIEF, {"id": closed_brief}, who=who)
    listed = await api.graphql(BRIEFS, {"filter": {"brandId": world.brand_a}}, who=who)
    unknown = await api.graphql(BRIEF, {"id": str(uuid4())}, who=who)

    titles = [edge["node"]["title"] for edge in listed["briefs"]["edges"]]
    assert (single["brief"] is not None) is sees
    assert ("Closed call" in titles) is sees
    assert listed["briefs"]["totalCount"] == len(titles) == (2 if sees else 1)
    if not sees:
        assert single == unknown


async def test_an_open_brief_is_public(api: LedgerApi, world: World) -> None:
    await api.settle()

    single = await api.graphql(BRIEF, {"id": world.brief_a})
    listed = await api.graphql(BRIEFS, {"filter": {"openOnly": True}})

    assert single["brief"] == {"id": world.brief_a, "closed": False}
    assert [edge["node"] for edge in listed["briefs"]["edges"]] == [
        {"title": "Ramadan glow", "open": True}
    ]


async def test_an_ended_brief_is_no_longer_public(
    api: LedgerApi, world: World, clock: FakeClock
) -> None:
    await api.settle()
    clock.advance(days=60)

    anonymous = await api.graphql(BRIEF, {"id": world.brief_a})
    own = await api.graphql(BRIEF, {"id": world.brief_a}, who=brand_token(world.brand_a))
    listed = await api.graphql(BRIEFS, {"filter": {"openOn": "2026-03-20"}})

    assert anonymous["brief"] is None
    assert own["brief"] == {"id": world.brief_a, "closed": False}
    assert listed["briefs"]["totalCount"] == 0, "a past date cannot reveal ended briefs"


async def test_a_brand_filter_that_is_not_an_id_is_a_validation_error(api: LedgerApi) -> None:
    body = await api.execute(BRIEFS, {"filter": {"brandId": "nope"}})

    assert body["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "filter.brandId"}
