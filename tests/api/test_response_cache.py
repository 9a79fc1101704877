"""The response cache: stored answers served again exactly while nothing they read moved,
never across viewers, never for writes, errors or event-store reads; ETags and 304s."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from domain.errors import ValidationError
from domain.infrastructure.settings import Settings
from tests.api.support import bearer
from tests.graphql_driver import (
    BRIEF_PAYLOAD,
    LedgerApi,
    Who,
    brand_token,
    register_brand,
    register_creator,
    serve_ledger,
)
from tests.support import FakeClock, postgres_only

DIRECTORY = "query Directory { creators(first: 20) { edges { node { id handle } } } }"
DIRECTORY_SINCE = (
    "query Directory($at: String) {"
    " creators(first: 20, atLeast: $at) { edges { node { handle } } } }"
)
BRIEF = "query Brief($id: ID!) { brief(id: $id) { id title open } }"


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        yield served


async def lookups(api: LedgerApi) -> dict[str, int]:
    """``ledger_response_cache_lookups_total`` by result, as ``/metrics`` reports it."""
    text = (await api.client.get("/metrics")).text
    found = re.findall(r'ledger_response_cache_lookups_total\{result="(\w+)"\} (\S+)', text)
    return {result: int(float(value)) for result, value in found}


async def persisted(api: LedgerApi) -> dict[str, int]:
    text = (await api.client.get("/metrics")).text
    found = re.findall(r'ledger_persisted_queries_total\{result="(\w+)"\} (\S+)', text)
    return {result: int(float(value)) for result, value in found}


async def get(
    api: LedgerApi,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    who: Who = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    params = {"query": query}
    if variables:
        params["variables"] = json.dumps(variables)
    sent = {**(bearer(*who) if who else {}), **(headers or {})}
    return await api.client.get("/graphql", params=params, headers=sent)


def handles(body: dict[str, Any]) -> list[str]:
    return sorted(edge["node"]["handle"] for edge in body["data"]["creators"]["edges"])


async def test_a_repeated_query_is_answered_from_the_cache_with_the_same_bytes(
    api: LedgerApi,
) -> None:
    await register_creator(api, "ayu")
    await api.settle()
    before = await lookups(api)

    first = await api.post(DIRECTORY)
    second = await api.post(DIRECTORY)

    after = await lookups(api)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert handles(first.json()) == ["ayu"]
    assert after["miss"] - before["miss"] == 1
    assert after["hit"] - before["hit"] == 1


async def test_a_write_that_changes_the_answer_is_seen_by_the_next_read(api: LedgerApi) -> None:
    await register_creator(api, "ayu")
    await api.settle()
    assert handles((await api.post(DIRECTORY)).json()) == ["ayu"]
    assert handles((await api.post(DIRECTORY)).json()) == ["ayu"]

    created = await api.mutate(
        "registerCreator",
        {"handle": "budi", "displayName": "Budi", "niches": ["food"], "origin": "NATIVE"},
        who=api.admin,
        selection="... on CreatorPayload { position }",
    )
    since = await api.post(DIRECTORY_SINCE, {"at": created["position"]})
    again = await api.post(DIRECTORY)

    assert handles(since.json()) == ["ayu", "budi"]
    assert handles(again.json()) == ["ayu", "budi"]


async def test_a_write_to_another_read_model_leaves_the_answer_cached(api: LedgerApi) -> None:
    await register_creator(api, "ayu")
    brand = await register_brand(api)
    await api.settle()
    first = await api.post(DIRECTORY)
    before = await lookups(api)

    await published_brief(api, brand)
    await api.settle()
    again = await api.post(DIRECTORY)

    after = await lookups(api)
    assert again.content == first.content
    assert after["hit"] - before["hit"] == 1
    assert after["miss"] == before["miss"]


async def test_a_private_answer_is_never_served_to_another_viewer(api: LedgerApi) -> None:
    brand_a = await register_brand(api, "Purela")
    brand_b = await register_brand(api, "Kopi Kita")
    brief_id = await published_brief(api, brand_a)
    closed = await api.mutate(
        "closeBrief", {"briefId": brief_id}, who=brand_token(brand_a), selection=BRIEF_PAYLOAD
    )
    assert closed["__typename"] == "BriefPayload", closed
    await api.settle()
    variables = {"id": brief_id}

    owner_first = await api.graphql(BRIEF, variables, who=brand_token(brand_a))
    before = await lookups(api)
    owner_again = await api.graphql(BRIEF, variables, who=brand_token(brand_a))
    other_brand = await api.graphql(BRIEF, variables, who=brand_token(brand_b))
    anonymous = await api.graphql(BRIEF, variables)
    after = await lookups(api)

    assert owner_first["brief"]["id"] == brief_id
    assert owner_again == owner_first
    assert other_brand["brief"] is None
    assert anonymous["brief"] is None
    assert after["hit"] - before["hit"] == 1
    assert after["miss"] - before["miss"] == 2


async def test_an_answer_that_depends_on_the_day_changes_when_the_day_does(
    api: LedgerApi, clock: FakeClock
) -> None:
    brand = await register_brand(api)
    today = clock().date()
    brief_id = await published_brief(api, brand, ends_on=today.isoformat())
    await api.settle()
    assert (await api.graphql(BRIEF, {"id": brief_id}, who=brand_token(brand)))["brief"]["open"]
    assert (await api.graphql(BRIEF, {"id": brief_id}, who=brand_token(brand)))["brief"]["open"]

    clock.advance(days=1)

    brief = (await api.graphql(BRIEF, {"id": brief_id}, who=brand_token(brand)))["brief"]
    assert brief["open"] is False


async def test_mutations_are_never_answered_from_the_cache(api: LedgerApi) -> None:
    registration = {"name": "Purela", "industry": "Beauty"}
    before = await lookups(api)

    selection = "... on BrandPayload { brand { id } }"
    first = await api.mutate("registerBrand", registration, who=api.admin, selection=selection)
    second = await api.mutate("registerBrand", registration, who=api.admin, selection=selection)

    assert first["brand"]["id"] != second["brand"]["id"]
    assert await lookups(api) == before


async def test_answers_with_errors_are_never_kept(api: LedgerApi) -> None:
    query = 'query { creators(first: 5, after: "not-a-cursor") { edges { cursor } } }'
    before = await lookups(api)

    first = await api.post(query)
    second = await api.post(query)

    after = await lookups(api)
    assert "errors" in first.json()
    assert "errors" in second.json()
    assert second.headers["cache-control"] == "no-store"
    assert after["uncacheable"] - before["uncacheable"] == 2
    assert after["hit"] == before["hit"]


async def test_answers_read_from_the_event_store_are_never_kept(api: LedgerApi) -> None:
    query = "query($id: ID!) { campaign(id: $id) { id } }"
    variables = {"id": str(uuid4())}
    before = await lookups(api)

    await get(api, query, variables, who=api.admin)
    second = await get(api, query, variables, who=api.admin)

    after = await lookups(api)
    assert second.json() == {"data": {"campaign": None}}
    assert second.headers["cache-control"] == "no-store"
    assert "etag" not in second.headers
    assert after["uncacheable"] - before["uncacheable"] == 2
    assert after["hit"] == before["hit"]


async def test_a_get_carries_an_etag_and_a_matching_if_none_match_gets_304(
    api: LedgerApi,
) -> None:
    await register_creator(api, "ayu")
    await api.settle()

    first = await get(api, DIRECTORY)
    etag = first.headers["etag"]
    revalidated = await get(api, DIRECTORY, headers={"If-None-Match": etag})

    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, no-cache"
    assert first.headers["vary"] == "Authorization"
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag

    await register_creator(api, "budi")
    await api.settle()
    changed = await get(api, DIRECTORY, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert handles(changed.json()) == ["ayu", "budi"]


async def test_cache_control_says_who_may_keep_an_answer(api: LedgerApi) -> None:
    await register_creator(api, "ayu")
    await api.settle()

    anonymous_get = await get(api, DIRECTORY)
    signed_in_get = await get(api, DIRECTORY, who=api.auditor)
    post = await api.post(DIRECTORY)
    mutation = await api.post(
        "mutation($input: RegisterBrandInput!) { registerBrand(input: $input) { __typename } }",
        {"input": {"name": "Purela", "industry": "Beauty"}},
        who=api.admin,
    )

    assert anonymous_get.headers["cache-control"] == "public, no-cache"
    assert signed_in_get.headers["cache-control"] == "private, no-cache"
    assert signed_in_get.headers["etag"] != anonymous_get.headers["etag"]
    assert post.headers["cache-control"] == "no-store"
    assert mutation.headers["cache-control"] == "no-store"


async def test_with_the_cache_off_every_query_executes(
    settings: Settings, clock: FakeClock
) -> None:
    async with serve_ledger(dataclasses.replace(settings, response_cache=False), clock) as api:
        await register_creator(api, "ayu")
        await api.settle()

        first = await get(api, DIRECTORY)
        second = await get(api, DIRECTORY)

        assert handles(second.json()) == handles(first.json()) == ["ayu"]
        assert second.headers["cache-control"] == "no-store"
        assert "etag" not in second.headers
        assert set((await lookups(api)).values()) == {0}


@pytest.mark.parametrize(
    ("value", "expected"), [("", True), ("1", True), ("0", False), ("off", False), ("yes", True)]
)
def test_ledger_response_cache_turns_the_cache_on_and_off(value: str, expected: bool) -> None:
    assert Settings.from_env({"LEDGER_RESPONSE_CACHE": value}).response_cache is expected


def test_a_misspelt_ledger_response_cache_is_refused() -> None:
    with pytest.raises(ValidationError, match="LEDGER_RESPONSE_CACHE"):
        Settings.from_env({"LEDGER_RESPONSE_CACHE": "maybe"})


async def test_another_api_process_never_serves_a_stale_answer(
    settings: Settings, clock: FakeClock
) -> None:
    async with (
        serve_ledger(settings, clock) as writer,
        serve_ledger(settings, clock, embedded=False) as reader,
    ):
        await register_creator(writer, "ayu")
        await writer.settle()
        await reader.settle()
        assert handles((await reader.post(DIRECTORY)).json()) == ["ayu"]
        before = await lookups(reader)
        assert handles((await reader.post(DIRECTORY)).json()) == ["ayu"]
        assert (await lookups(reader))["hit"] - before["hit"] == 1

        await register_creator(writer, "budi")
        await writer.settle()
        await reader.settle()

        assert handles((await reader.post(DIRECTORY)).json()) == ["ayu", "budi"]


@postgres_only
async def test_an_api_process_whose_listener_is_down_serves_nothing_from_the_cache(
    settings: Settings, clock: FakeClock, backend: str
) -> None:
    async with (
        serve_ledger(settings, clock) as writer,
        serve_ledger(settings, clock, embedded=False) as reader,
    ):
        await register_creator(writer, "ayu")
        await writer.settle()
        await reader.settle()
        await reader.post(DIRECTORY)
        before = await lookups(reader)
        await reader.post(DIRECTORY)
        assert (await lookups(reader))["hit"] - before["hit"] == 1

        reader.read_side.stop_listening()
        await register_creator(writer, "budi")
        await writer.settle()

        before = await lookups(reader)
        answer = await reader.post(DIRECTORY)
        after = await lookups(reader)
        assert handles(answer.json()) == ["ayu", "budi"]
        assert after["hit"] == before["hit"]


async def published_brief(api: LedgerApi, brand_id: str, *, ends_on: str = "2026-12-31") -> str:
    result = await api.mutate(
        "publishBrief",
        {
            "brandId": brand_id,
            "title": "Ramadan glow",
            "objective": "Awareness",
            "startsOn": "2026-03-01",
            "endsOn": ends_on,
        },
        who=brand_token(brand_id),
        selection=BRIEF_PAYLOAD,
    )
    assert result["__typename"] == "BriefPayload", result
    brief_id: str = result["brief"]["id"]
    return brief_id
