"""Automatic persisted queries over GET and POST: unknown hashes, mismatches, registration."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from domain.infrastructure.settings import Settings
from tests.graphql_driver import LedgerApi, register_creator, serve_ledger
from tests.support import FakeClock

QUERY = "query Handles { creators(first: 5) { edges { node { handle } } } }"
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        await register_creator(served, "ayu")
        await served.settle()
        yield served


def extension(digest: str = HASH, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def send(
    api: LedgerApi, method: str, *, query: str | None = None, digest: str = HASH
) -> httpx.Response:
    if method == "GET":
        params = {"extensions": json.dumps(extension(digest))}
        if query is not None:
            params["query"] = query
        return await api.client.get("/graphql", params=params)
    body: dict[str, Any] = {"extensions": extension(digest)}
    if query is not None:
        body["query"] = query
    return await api.client.post("/graphql", json=body)


async def counts(api: LedgerApi) -> dict[str, int]:
    text = (await api.client.get("/metrics")).text
    found = re.findall(r'ledger_persisted_queries_total\{result="(\w+)"\} (\S+)', text)
    return {result: int(float(value)) for result, value in found}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_unknown_hash_asks_the_client_for_the_query(api: LedgerApi, method: str) -> None:
    response = await send(api, method)

    assert response.status_code == 200
    error = {"message": "PersistedQueryNotFound", "extensions": {"code": NOT_FOUND}}
    assert response.json() == {"errors": [error]}
    assert response.headers["cache-control"] == "no-store"
    assert (await counts(api))["miss"] == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_hash_that_is_not_the_querys_is_refused(api: LedgerApi, method: str) -> None:
    response = await send(api, method, query=QUERY, digest="0" * 64)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    later = await send(api, method, digest="0" * 64)
    assert later.json()["errors"][0]["extensions"]["code"] == NOT_FOUND
    assert (await counts(api))["mismatch"] == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_registered_query_runs_from_its_hash_alone(api: LedgerApi, method: str) -> None:
    registered = await send(api, method, query=QUERY)
    by_hash = await send(api, method)

    expected = {"data": {"creators": {"edges": [{"node": {"handle": "ayu"}}]}}}
    assert registered.json() == expected
    assert by_hash.status_code == 200
    assert by_hash.json() == expected
    assert (await counts(api))["registered"] == 1
    assert (await counts(api))["hit"] == 1


async def test_a_query_registered_over_post_runs_by_hash_over_get(api: LedgerApi) -> None:
    await send(api, "POST", query=QUERY)

    response = await send(api, "GET")

    assert response.json()["data"]["creators"]["edges"] == [{"node": {"handle": "ayu"}}]
    assert response.headers["cache-control"] == "public, no-cache"


@pytest.mark.parametrize(
    "bad",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": HASH}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": "yes"},
    ],
)
async def test_a_malformed_persisted_query_extension_is_a_validation_error(
    api: LedgerApi, bad: dict[str, Any]
) -> None:
    response = await api.client.post("/graphql", json={"query": QUERY, "extensions": bad})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
