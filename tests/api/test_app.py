"""How the app is put together: context wiring, cross-origin access, last-resort errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from domain.context import Actor
from graphql_api.http.app import create_app
from graphql_api.http.context import RequestContext
from tests.api.support import SECRET, FakeReadiness, JsonLog, bearer, build_schema


def _client(**options: Any) -> httpx.AsyncClient:
    app = create_app(build_schema(), secret=SECRET, readiness=FakeReadiness(), **options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ledger.test")


@dataclass
class ExtendedContext(RequestContext):
    tenant: str = ""


async def test_context_getter_extends_the_authenticated_context() -> None:
    seen: list[RequestContext] = []

    async def get_context(base: RequestContext) -> RequestContext:
        context = ExtendedContext(**base.base_fields(), tenant="t-1")
        seen.append(context)
        return context

    async with _client(context_getter=get_context) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ whoami }"},
            headers={"X-Request-ID": "ctx-1", **bearer("creator", "c-3")},
        )

    assert response.json() == {"data": {"whoami": "creator:c-3"}}
    [context] = seen
    assert isinstance(context, ExtendedContext)
    assert context.request_id == "ctx-1"
    assert context.viewer.actor == Actor.creator("c-3")


async def test_failure_outside_graphql_is_a_json_500_naming_the_request_id(
    json_log: JsonLog,
) -> None:
    async def get_context(base: RequestContext) -> RequestContext:
        raise ConnectionError("could not connect to postgres://ledger:hunter2@db")

    async with _client(context_getter=get_context) as client:
        response = await client.post(
            "/graphql", json={"query": "{ whoami }"}, headers={"X-Request-ID": "boom-1"}
        )

    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "boom-1"
    assert response.json() == {
        "errors": [
            {
                "message": "Internal error (request id: boom-1)",
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ]
    }
    assert "hunter2" not in response.text
    [logged] = [r for r in json_log.records() if r["level"] == "ERROR"]
    assert logged["request_id"] == "boom-1"
    assert "ConnectionError" in logged["exception"]


async def test_request_without_a_query_is_refused_as_json() -> None:
    async with _client() as client:
        response = await client.post("/graphql", json={})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "No GraphQL query found in the request"


async def test_allowed_portal_origin_passes_the_cors_preflight() -> None:
    async with _client(allowed_origins=["https://portal.example"]) as client:
        response = await client.options(
            "/graphql",
            headers={
                "Origin": "https://portal.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://portal.example"


async def test_other_origins_get_no_cors_grant() -> None:
    async with _client(allowed_origins=["https://portal.example"]) as client:
        response = await client.post(
            "/graphql", json={"query": "{ whoami }"}, headers={"Origin": "https://evil.example"}
        )

    assert "access-control-allow-origin" not in response.headers
