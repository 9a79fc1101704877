"""The creator directory through GraphQL: filters, sort orders, pages and read-your-writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from anyio import to_thread

from domain.application import Ledger
from domain.application.commands import (
    CancelCampaign,
    DeclareCauses,
    LinkPlatformAccount,
    PublishRateCard,
    RegisterCreator,
)
from domain.context import Actor
from domain.infrastructure.settings import Settings
from tests.domain.builders import Parties, campaign_at, register_brand
from tests.graphql_driver import LedgerApi, creator_token, serve_ledger
from tests.support import FakeClock


@dataclass(frozen=True)
class Profile:
    handle: str
    accounts: dict[str, int]
    niches: tuple[str, ...]
    lines: tuple[tuple[str, str, str, str], ...] = ()
    """(platform, format, amount, currency)"""
    causes: tuple[str, ...] = ()


PROFILES = (
    Profile(
        "ayu",
        {"INSTAGRAM": 4_200},
        ("beauty",),
        (("INSTAGRAM", "POST", "500000", "IDR"),),
        ("education",),
    ),
    Profile(
        "budi",
        {"TIKTOK": 25_000},
        ("food",),
        (("TIKTOK", "SHORT_VIDEO", "1500000", "IDR"),),
        ("climate",),
    ),
    Profile(
        "citra",
        {"INSTAGRAM": 8_000, "YOUTUBE": 2_000},
        ("beauty", "food"),
        (("INSTAGRAM", "POST", "900000", "IDR"), ("INSTAGRAM", "STORY", "200000", "IDR")),
    ),
    Profile("dewi", {"INSTAGRAM": 500}, ("travel",)),
    Profile(
        "eka",
        {"INSTAGRAM": 50_000},
        ("beauty",),
        (("INSTAGRAM", "POST", "3000000", "IDR"), ("INSTAGRAM", "REEL", "200", "USD")),
    ),
)


def build_directory(ledger: Ledger) -> dict[str, str]:
    """The profiles above; ayu completes a campaign (a good score), budi cancels one after
    concluding it (a score of 0); the others have no score."""
    admin = ledger.context(Actor.admin())
    ids: dict[str, str] = {}
    for profile in PROFILES:
        creator_id = ledger.execute(
            admin,
            RegisterCreator(
                handle=profile.handle,
                display_name=profile.handle.title(),
                niches=profile.niches,
                origin="NATIVE",
            ),
        ).aggregate_id
        own = ledger.context(Actor.creator(creator_id))
        for platform, followers in profile.accounts.items():
            ledger.execute(
                own,
                LinkPlatformAccount(
                    creator_id=creator_id,
                    platform=platform,
                    handle=profile.handle,
                    followers=followers,
                ),
            )
        if profile.lines:
            ledger.execute(
                own,
                PublishRateCard(
                    creator_id=creator_id,
                    lines=[
                        {
                            "platform": platform,
                            "format": form,
                            "price": {"amount": amount, "currency": currency},
                        }
                        for platform, form, amount, currency in profile.lines
                    ],
                ),
            )
        if profile.causes:
            ledger.execute(own, DeclareCauses(creator_id=creator_id, causes=profile.causes))
        ids[profile.handle] = str(creator_id)
    brand_id = register_brand(ledger)
    campaign_at(ledger, "COMPLETED", parties=Parties(ledger, brand_id, UUID(ids["ayu"])))
    budi = Parties(ledger, brand_id, UUID(ids["budi"]))
    cancelled = campaign_at(ledger, "CONCLUDED", parties=budi)
    ledger.execute(
        budi.creator(), CancelCampaign(campaign_id=cancelled.campaign_id, reason="moved abroad")
    )
    return ids


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        yield served


@pytest.fixture
async def directory(api: LedgerApi) -> dict[str, str]:
    ids = await to_thread.run_sync(build_directory, api.ledger)
    await api.settle()
    return ids


SEARCH = """
query($filter: CreatorFilter, $orderBy: CreatorOrder, $first: Int, $after: String) {
  creators(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { handle reputation { score } } }
  }
}
"""


async def search(api: LedgerApi, **variables: Any) -> dict[str, Any]:
    data = await api.graphql(SEARCH, variables)
    found: dict[str, Any] = data["creators"]
    return found


def handles(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["handle"] for edge in page["edges"]]


FILTERS = {
    "tier": ({"tiers": ["NANO"]}, {"ayu", "citra"}),
    "any of several tiers": ({"tiers": ["NANO", "MICRO"]}, {"ayu", "budi", "citra", "eka"}),
    "niche": ({"niches": ["Food"]}, {"budi", "citra"}),
    "niche and tier": ({"niches": ["beauty"], "tiers": ["NANO"]}, {"ayu", "citra"}),
    "cause": ({"causes": ["education"]}, {"ayu"}),
    "platform": ({"platforms": ["YOUTUBE"]}, {"citra"}),
    "format": ({"format": "STORY"}, {"citra"}),
    "price range": (
        {"format": "POST", "priceMin": "600000", "priceMax": "3000000"},
        {"citra", "eka"},
    ),
    "price in another currency": ({"format": "REEL", "currency": "usd"}, {"eka"}),
    "price on a platform": ({"platforms": ["TIKTOK"], "priceMax": "2000000"}, {"budi"}),
    "minimum score": ({"minScore": 1}, {"ayu"}),
    "score of zero passes zero": ({"minScore": 0}, {"ayu", "budi"}),
    "text": ({"text": "ITR"}, {"citra"}),
    "nothing matches": ({"niches": ["gaming"]}, set()),
}


@pytest.mark.parametrize(("where", "expected"), FILTERS.values(), ids=FILTERS)
async def test_filters_keep_exactly_the_matching_creators(
    api: LedgerApi, directory: dict[str, str], where: dict[str, Any], expected: set[str]
) -> None:
    page = await search(api, filter=where, first=100)

    assert set(handles(page)) == expected
    assert page["totalCount"] == len(expected)


async def test_score_order_puts_the_best_first_and_the_unscored_last(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    page = await search(api, orderBy={"field": "SCORE"})

    found = handles(page)
    scores = [edge["node"]["reputation"]["score"] for edge in page["edges"]]
    assert found[:2] == ["ayu", "budi"]
    assert scores[0] > scores[1] == 0
    assert set(found[2:]) == {"citra", "dewi", "eka"}
    assert scores[2:] == [None, None, None]


async def test_followers_order_is_largest_following_first(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    page = await search(api, orderBy={"field": "FOLLOWERS", "direction": "DESC"})

    assert handles(page) == ["eka", "budi", "citra", "ayu", "dewi"]


async def test_price_order_is_cheapest_matching_line_first(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    filtered = await search(api, filter={"format": "POST"}, orderBy={"field": "PRICE"})
    unfiltered = await search(api, orderBy={"field": "PRICE", "direction": "ASC"})

    assert handles(filtered) == ["ayu", "citra", "eka"]
    assert handles(unfiltered)[:4] == ["citra", "ayu", "budi", "eka"]
    assert handles(unfiltered)[4:] == ["dewi"], "no IDR line: last"


REVERSED = {
    "score, lowest first, unscored still last": ("SCORE", "ASC", ["budi", "ayu"]),
    "followers, smallest first": ("FOLLOWERS", "ASC", ["dewi", "ayu", "citra", "budi", "eka"]),
    "price, dearest first, no IDR line still last": (
        "PRICE",
        "DESC",
        ["eka", "budi", "ayu", "citra", "dewi"],
    ),
}


@pytest.mark.parametrize(("field", "direction", "expected"), REVERSED.values(), ids=REVERSED)
async def test_every_order_also_sorts_the_other_way(
    api: LedgerApi, directory: dict[str, str], field: str, direction: str, expected: list[str]
) -> None:
    page = await search(api, orderBy={"field": field, "direction": direction})

    found = handles(page)
    assert found[: len(expected)] == expected
    assert set(found[len(expected) :]) == {"citra", "dewi", "eka"} - set(expected)
    if field == "SCORE":
        scores = [edge["node"]["reputation"]["score"] for edge in page["edges"]]
        assert scores[0] == 0 < scores[1]
        assert scores[2:] == [None, None, None]


async def test_pages_follow_cursors_in_the_other_direction_too(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    for order, expected in (
        ({"field": "FOLLOWERS", "direction": "ASC"}, [["dewi", "ayu"], ["citra", "budi"], ["eka"]]),
        ({"field": "PRICE", "direction": "DESC"}, [["eka", "budi"], ["ayu", "citra"], ["dewi"]]),
    ):
        pages = [await search(api, orderBy=order, first=2)]
        while pages[-1]["pageInfo"]["hasNextPage"]:
            after = pages[-1]["pageInfo"]["endCursor"]
            pages.append(await search(api, orderBy=order, first=2, after=after))

        assert [handles(p) for p in pages] == expected
        assert {p["totalCount"] for p in pages} == {5}


async def test_a_cursor_of_the_other_direction_is_refused(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    descending = await search(api, orderBy={"field": "FOLLOWERS"}, first=1)

    body = await api.execute(
        SEARCH,
        {
            "orderBy": {"field": "FOLLOWERS", "direction": "ASC"},
            "after": descending["pageInfo"]["endCursor"],
        },
    )

    assert body["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "after"}


async def test_pages_follow_cursors_with_a_total_count_on_each(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    order = {"field": "FOLLOWERS"}
    first = await search(api, orderBy=order, first=2)
    second = await search(api, orderBy=order, first=2, after=first["pageInfo"]["endCursor"])
    third = await search(api, orderBy=order, first=2, after=second["pageInfo"]["endCursor"])

    assert [handles(p) for p in (first, second, third)] == [
        ["eka", "budi"],
        ["citra", "ayu"],
        ["dewi"],
    ]
    assert [p["totalCount"] for p in (first, second, third)] == [5, 5, 5]
    assert [p["pageInfo"]["hasNextPage"] for p in (first, second, third)] == [True, True, False]
    assert [p["pageInfo"]["hasPreviousPage"] for p in (first, second, third)] == [
        False,
        True,
        True,
    ]
    assert second["pageInfo"]["startCursor"] == second["edges"][0]["cursor"]


async def test_a_page_of_a_hundred_is_allowed(api: LedgerApi, directory: dict[str, str]) -> None:
    page = await search(api, first=100)

    assert len(page["edges"]) == page["totalCount"] == 5


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"after": "not-a-cursor"}, "after"),
        ({"filter": {"currency": "XYZ"}}, "filter.currency"),
        ({"filter": {"priceMax": "Infinity"}}, "filter.priceMax"),
        ({"filter": {"priceMax": "NaN"}}, "filter.priceMax"),
        ({"filter": {"priceMax": "1e400"}}, "filter.priceMax"),
        ({"filter": {"priceMin": "-1"}}, "filter.priceMin"),
        ({"filter": {"priceMin": "-Infinity"}}, "filter.priceMin"),
    ],
    ids=[
        "page too large",
        "negative page",
        "bad cursor",
        "currency",
        "infinite price",
        "NaN price",
        "price beyond the money limit",
        "negative price",
        "minus infinity",
    ],
)
async def test_bad_search_arguments_are_validation_errors(
    api: LedgerApi, variables: dict[str, Any], field: str
) -> None:
    body = await api.execute(SEARCH, variables)

    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["field"] == field


async def test_a_cursor_of_another_order_is_refused(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    by_score = await search(api, first=1)

    body = await api.execute(
        SEARCH, {"orderBy": {"field": "PRICE"}, "after": by_score["pageInfo"]["endCursor"]}
    )

    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"


async def test_at_least_reads_a_creator_registered_just_before(api: LedgerApi) -> None:
    for handle in ("fajar", "gilang", "hendra"):
        result = await api.mutate(
            "registerCreator",
            {
                "handle": handle,
                "displayName": handle.title(),
                "niches": ["tech"],
                "origin": "NATIVE",
            },
            who=api.admin,
            selection="... on CreatorPayload { position }",
        )

        body = await api.execute(
            """query($at: String) {
              creators(filter: {niches: ["tech"]}, atLeast: $at, first: 100) {
                totalCount edges { node { handle } }
              }
            }""",
            {"at": result["position"]},
        )

        assert handle in handles(body["data"]["creators"])


async def test_at_least_must_be_a_position(api: LedgerApi) -> None:
    body = await api.execute('{ creators(atLeast: "soon") { totalCount } }')

    assert body["errors"][0]["extensions"] == {"code": "VALIDATION", "field": "atLeast"}


async def test_a_position_never_reached_is_unavailable_rather_than_stale(api: LedgerApi) -> None:
    body = await api.execute('{ creators(atLeast: "9000000000") { totalCount } }')

    assert body["errors"][0]["extensions"]["code"] == "UNAVAILABLE"


FOLLOWED = """
query($at: String) {
  creators(orderBy: {field: FOLLOWERS}, first: 3, atLeast: $at) {
    edges { node { handle followers platforms { platform followers } reputation { score } } }
  }
}
"""


async def test_the_same_page_after_a_profile_change_shows_the_change(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    before = await api.graphql(FOLLOWED)
    assert before == await api.graphql(FOLLOWED)
    assert [e["node"]["handle"] for e in before["creators"]["edges"]] == ["eka", "budi", "citra"]

    changed = await api.mutate(
        "recordFollowers",
        {
            "creatorId": directory["dewi"],
            "platform": "INSTAGRAM",
            "followers": 90_000,
            "observedAt": api.clock().isoformat(),
        },
        who=creator_token(directory["dewi"]),
        selection="... on CreatorPayload { position }",
    )
    after = await api.graphql(FOLLOWED, {"at": changed["position"]})

    edges = after["creators"]["edges"]
    assert [e["node"]["handle"] for e in edges] == ["dewi", "eka", "budi"]
    assert edges[0]["node"]["followers"] == 90_000
    assert edges[0]["node"]["platforms"] == [{"platform": "INSTAGRAM", "followers": 90_000}]
    assert await api.graphql(FOLLOWED) == after


async def test_a_page_without_reputations_asked_for_shows_the_same_creators(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    with_scores = await search(api, orderBy={"field": "SCORE"})
    plain = await api.graphql(
        "{ creators(orderBy: {field: SCORE}) { edges { cursor node { handle } } } }"
    )

    assert [e["node"]["handle"] for e in plain["creators"]["edges"]] == handles(with_scores)
    assert [e["cursor"] for e in plain["creators"]["edges"]] == [
        e["cursor"] for e in with_scores["edges"]
    ]


async def test_reputations_asked_for_through_a_fragment_are_read(
    api: LedgerApi, directory: dict[str, str]
) -> None:
    direct = await search(api, orderBy={"field": "SCORE"})
    through = await api.graphql(
        """
        fragment Scored on Creator { handle reputation { score } }
        { creators(orderBy: {field: SCORE}) { edges { node { ...Scored } } } }
        """
    )

    assert through["creators"]["edges"] == [{"node": e["node"]} for e in direct["edges"]]
