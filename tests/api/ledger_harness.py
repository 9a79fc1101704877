"""The real API for profile tests: a Ledger and a ReadSide on the test's backend,
served over ASGI and called through an HTTP client with bearer tokens.

Each test gets an empty store; projections run embedded (a background thread woken
by the ledger's saves), as in the default deployment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import strawberry
from anyio import to_thread
from strawberry.tools import merge_types

from domain.application import Ledger
from domain.infrastructure.settings import Settings
from graphql_api.campaigns.mutations import CampaignMutation
from graphql_api.campaigns.queries import CampaignQuery
from graphql_api.http.app import create_app
from graphql_api.http.context import RequestContext
from graphql_api.http.health import ReadinessReport
from graphql_api.http.limits import schema_extensions
from graphql_api.http.metrics import Metrics
from graphql_api.ledger_context import LedgerContext, Services
from graphql_api.profiles import ProfileMutation, ProfileQuery
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide
from tests.api.support import SECRET, bearer
from tests.support import FakeClock


def build_ledger_schema() -> strawberry.Schema:
    """The profile area's root types merged with the campaign area's."""
    return strawberry.Schema(
        query=merge_types("Query", (ProfileQuery, CampaignQuery)),
        mutation=merge_types("Mutation", (ProfileMutation, CampaignMutation)),
        extensions=schema_extensions(),
    )


Who = tuple[str, str] | None
"""``(role, sub)`` of the caller, or None for an anonymous one."""


@dataclass
class LedgerApi:
    client: httpx.AsyncClient
    ledger: Ledger
    read_side: ReadSide
    clock: FakeClock
    admin: Who = ("admin", "ops-1")
    auditor: Who = ("auditor", "audit-1")

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, who: Who = None
    ) -> httpx.Response:
        headers = bearer(*who) if who is not None else {}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, who: Who = None
    ) -> dict[str, Any]:
        """The ``data`` of a query that must succeed without errors."""
        body = await self.execute(query, variables, who=who)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, *, who: Who = None
    ) -> dict[str, Any]:
        response = await self.post(query, variables, who=who)
        result: dict[str, Any] = response.json()
        return result

    async def mutate(
        self, name: str, input: dict[str, Any], *, who: Who, selection: str = ""
    ) -> dict[str, Any]:
        """Runs ``name(input:)`` and returns its result object (success or error)."""
        query = f"""
        mutation($input: {name[0].upper()}{name[1:]}Input!) {{
          result: {name}(input: $input) {{
            __typename
            ... on UserError {{ code message field }}
            {selection}
          }}
        }}"""
        data = await self.graphql(query, {"input": input}, who=who)
        result: dict[str, Any] = data["result"]
        return result

    async def settle(self) -> None:
        """Wait until the projections have read every event written so far."""
        head = await to_thread.run_sync(self.ledger.head_position)
        reached = await to_thread.run_sync(lambda: self.read_side.wait_for(head, 10.0))
        assert reached, "projections did not catch up"


@asynccontextmanager
async def serve_ledger(
    settings: Settings, clock: FakeClock, *, embedded: bool = True
) -> AsyncIterator[LedgerApi]:
    """The API on ``settings``; ``embedded=False`` for one that runs no projections
    itself (another process beside an API that does)."""
    ledger = Ledger(settings, clock=clock)
    read_side = ReadSide(settings, ledger, all_projections(), clock=clock)
    if embedded:
        read_side.start_embedded(safety_timeout=0.5)
    services = Services(ledger=ledger, read_side=read_side, metrics=Metrics())

    async def context_getter(base: RequestContext) -> RequestContext:
        return LedgerContext(**base.base_fields(), services=services)

    async def readiness() -> ReadinessReport:
        return ReadinessReport(store_reachable=True)

    app = create_app(
        build_ledger_schema(),
        secret=SECRET,
        readiness=readiness,
        context_getter=context_getter,
        metrics=services.metrics,
    )
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://ledger.test") as client:
            yield LedgerApi(client=client, ledger=ledger, read_side=read_side, clock=clock)
    finally:
        read_side.close()
        ledger.close()


def brand_token(brand_id: UUID | str) -> Who:
    return ("brand", str(brand_id))


def creator_token(creator_id: UUID | str) -> Who:
    return ("creator", str(creator_id))


CREATOR_FIELDS = """
id handle displayName niches origin country languages causes tier followers types version
platforms { platform handle followers observedAt }
rateCard { version lines { platform format price { amount currency } compensation } }
"""

CREATOR_PAYLOAD = f"... on CreatorPayload {{ version position creator {{ {CREATOR_FIELDS} }} }}"
BRAND_PAYLOAD = (
    "... on BrandPayload { version position brand { id name industry causes website version } }"
)
BRIEF_PAYLOAD = (
    "... on BriefPayload { version position brief { id title open closed version"
    " brand { id name } } }"
)


async def register_brand(api: LedgerApi, name: str = "Purela", **fields: Any) -> str:
    """A brand registered through the API by an admin; returns its id."""
    result = await api.mutate(
        "registerBrand",
        {"name": name, "industry": "Beauty", **fields},
        who=api.admin,
        selection=BRAND_PAYLOAD,
    )
    assert result["__typename"] == "BrandPayload", result
    brand_id: str = result["brand"]["id"]
    return brand_id


async def register_creator(
    api: LedgerApi,
    handle: str = "sari.nano",
    *,
    followers: int | None = 4_200,
    platform: str = "INSTAGRAM",
    niches: Sequence[str] = ("beauty",),
) -> str:
    """A creator registered by an admin, with one linked account unless ``followers`` is None."""
    result = await api.mutate(
        "registerCreator",
        {
            "handle": handle,
            "displayName": handle.title(),
            "niches": list(niches),
            "origin": "NATIVE",
        },
        who=api.admin,
        selection=CREATOR_PAYLOAD,
    )
    assert result["__typename"] == "CreatorPayload", result
    creator_id: str = result["creator"]["id"]
    if followers is not None:
        linked = await api.mutate(
            "linkPlatformAccount",
            {
                "creatorId": creator_id,
                "platform": platform,
                "handle": handle,
                "followers": followers,
            },
            who=creator_token(creator_id),
        )
        assert linked["__typename"] == "CreatorPayload", linked
    return creator_id
