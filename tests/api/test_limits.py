"""Abuse limits: oversized, batched, wrongly typed, too deep, too aliased, too long."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
from graphql import get_introspection_query

from graphql_api.http.app import create_app
from graphql_api.http.limits import MIB, Limits
from tests.api.support import SECRET, FakeReadiness, build_schema


def _query_of_depth(depth: int) -> str:
    """A query whose deepest field is at ``depth``, counting root fields as depth 0."""
    return "{ node { " + "child { " * (depth - 1) + "level" + " }" * depth + " }"


async def test_query_at_the_depth_limit_runs(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": _query_of_depth(12)})

    assert "errors" not in response.json()


async def test_query_deeper_than_the_limit_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": _query_of_depth(13)})

    body = response.json()
    assert body.get("data") is None
    [error] = body["errors"]
    assert "exceeds maximum operation depth of 12" in error["message"]
    assert error["extensions"]["code"] == "VALIDATION"


async def test_too_many_aliases_are_refused(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"a{i}: whoami" for i in range(31)) + " }"

    response = await client.post("/graphql", json={"query": query})

    [error] = response.json()["errors"]
    assert error["message"] == "31 aliases found. Allowed: 30"


async def test_too_many_tokens_are_refused(client: httpx.AsyncClient) -> None:
    query = "{ " + "whoami " * 5001 + "}"

    response = await client.post("/graphql", json={"query": query})

    [error] = response.json()["errors"]
    assert "more than 5000 tokens" in error["message"]


async def test_introspection_for_graphiql_fits_the_limits(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": get_introspection_query()})

    body = response.json()
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_repeated_query_is_answered_the_same_from_the_caches(
    client: httpx.AsyncClient,
) -> None:
    first = await client.post("/graphql", json={"query": "{ whoami nosuchField }"})
    second = await client.post("/graphql", json={"query": "{ whoami nosuchField }"})

    assert first.json() == second.json()


async def test_body_declared_over_the_cap_is_refused_with_413(client: httpx.AsyncClient) -> None:
    payload = json.dumps({"query": "{ whoami }", "variables": {"pad": "x" * MIB}})

    response = await client.post(
        "/graphql", content=payload, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert "X-Request-ID" in response.headers


async def test_streamed_body_over_the_cap_is_refused_with_413(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ whoami }", "variables": {"pad": "'
        for _ in range(20):
            yield b"x" * (64 * 1024)
        yield b'"}}'

    response = await client.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413


async def test_body_under_the_cap_is_served(client: httpx.AsyncClient) -> None:
    payload = {"query": "{ whoami }", "variables": {"pad": "x" * (MIB // 2)}}

    response = await client.post("/graphql", json=payload)

    assert response.status_code == 200
    assert response.json() == {"data": {"whoami": None}}


async def test_batched_request_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json=[{"query": "{ whoami }"}, {"query": "{ whoami }"}]
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "batched requests are not supported" in error["message"]


async def test_post_that_is_not_json_is_refused_with_415(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content="query=%7B+whoami+%7D", headers={"Content-Type": "text/plain"}
    )

    assert response.status_code == 415
    assert response.json()["errors"][0]["message"] == "Content-Type must be application/json"


async def test_post_without_content_type_is_refused_with_415(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b'{"query": "{ whoami }"}')

    assert response.status_code == 415


async def test_json_with_charset_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ whoami }"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )

    assert response.json() == {"data": {"whoami": None}}


async def test_query_string_over_the_cap_is_refused_with_414() -> None:
    app = create_app(
        build_schema(),
        secret=SECRET,
        readiness=FakeReadiness(),
        limits=Limits(max_body_bytes=4096),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ledger.test") as client:
        response = await client.get("/graphql", params={"query": "{ whoami }", "pad": "x" * 5000})

    assert response.status_code == 414
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION"
