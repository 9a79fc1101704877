"""The GraphQL-over-HTTP scenario driver: callers, queries and the verbs a portal
sends, for every test that talks to the API over HTTP.

:class:`GraphQLClient` posts queries to any server (an ASGI app in process, or a
live ``campaign-ledger serve``); :class:`LedgerApi` is one over a real Ledger and
ReadSide on the test's backend (:func:`serve_ledger`), whose projections run
embedded, as in the default deployment. :func:`call` and :class:`Reply` judge
what a server answered — no 500s, no stack traces, no SQL — for the
reliability tests.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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
from graphql_api.http.auth import issue_token
from graphql_api.http.context import RequestContext
from graphql_api.http.health import ReadinessReport
from graphql_api.http.limits import schema_extensions
from graphql_api.http.metrics import Metrics
from graphql_api.ledger_context import LedgerContext, Services
from graphql_api.profiles import ProfileMutation, ProfileQuery
from graphql_api.services import response_cache_of
from projections.catalog import all_projections
from projections.machinery.runtime import ReadSide
from tests.api.support import SECRET
from tests.domain.builders import BRAND_RATINGS, CREATOR_RATINGS, DUE_ON, Parties
from tests.support import FakeClock

# --- callers ------------------------------------------------------------------------

Who = tuple[str, str] | None
"""``(role, sub)`` of the caller, or None for an anonymous one."""

ANONYMOUS: Who = None
AUDITOR: Who = ("auditor", "audit-1")
ADMIN: Who = ("admin", "ops-1")


def bearer(who: Who, ttl: int = 3600) -> dict[str, str]:
    if who is None:
        return {}
    return {"Authorization": f"Bearer {issue_token(SECRET, who[0], who[1], ttl)}"}


def brand_token(brand_id: UUID | str) -> Who:
    return ("brand", str(brand_id))


def creator_token(creator_id: UUID | str) -> Who:
    return ("creator", str(creator_id))


def brand_of(parties: Parties) -> Who:
    return brand_token(parties.brand_id)


def creator_of(parties: Parties) -> Who:
    return creator_token(parties.creator_id)


# --- queries --------------------------------------------------------------------------


def mutation(name: str, selection: str = "") -> str:
    """``name(input: $input)`` aliased ``result``, selecting the union's error fields."""
    return f"""
    mutation($input: {name[0].upper()}{name[1:]}Input!) {{
      result: {name}(input: $input) {{
        __typename
        ... on UserError {{ code message field }}
        {selection}
      }}
    }}"""


CAMPAIGN = "... on CampaignPayload { version position campaign { id state version } }"
CREATOR = "... on CreatorPayload { version position creator { id } }"
BRAND = "... on BrandPayload { version position brand { id } }"

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


PAYLOAD = """
... on CampaignPayload { version position campaign { id state version allowedActions } }
... on InvalidTransitionError { state allowedActions }
"""


# --- judging replies (the reliability tests) --------------------------------------------

LEAKS = re.compile(
    r"Traceback \(most recent call last\)"
    r"|File \"[^\"]*\", line \d+"
    r"|\b(?:SELECT|DELETE)\b[^\"]{0,200}\bFROM\b"
    r"|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bCREATE\s+(?:TABLE|INDEX)\b"
    r"|psycopg|sqlite3|eventsourcing\.|OperationalError|IntegrityError|ProgrammingError"
    r"|campaignledger_events|notification_id"
)


def leaks(text: str) -> list[str]:
    """What in a response would tell an attacker about the server's insides."""
    return [match.group(0) for match in LEAKS.finditer(text)]


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    text: str
    seconds: float

    def error_codes(self) -> list[str]:
        return [str((e.get("extensions") or {}).get("code")) for e in self.body.get("errors") or ()]

    def result(self, alias: str = "result") -> dict[str, Any]:
        data = self.body.get("data") or {}
        value: dict[str, Any] = data.get(alias) or {}
        return value

    def outcome(self, alias: str = "result") -> str:
        """``OK``, a typed error code from the result union, or the first GraphQL error code."""
        if self.body.get("errors"):
            return self.error_codes()[0]
        result = self.result(alias)
        return str(result.get("code") or "OK")


async def call(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    who: Who = None,
    request_id: str | None = None,
    timeout: float = 30.0,
) -> Reply:
    headers = {**bearer(who), "X-Request-ID": request_id or uuid.uuid4().hex}
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=timeout,
    )
    try:
        body = response.json()
    except ValueError:
        body = {}
    return Reply(response.status_code, body, response.text, response.elapsed.total_seconds())


# --- clients ------------------------------------------------------------------------------


@dataclass
class GraphQLClient:
    """Queries and mutations posted to a server's ``/graphql`` as a given caller."""

    client: httpx.AsyncClient

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, who: Who = None
    ) -> httpx.Response:
        return await self.client.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers=bearer(who),
            timeout=30.0,
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
        data = await self.graphql(mutation(name, selection), {"input": input}, who=who)
        result: dict[str, Any] = data["result"]
        return result


@dataclass
class LedgerApi(GraphQLClient):
    """The real API over a Ledger and ReadSide on the test's backend."""

    ledger: Ledger
    read_side: ReadSide
    clock: FakeClock
    admin: Who = ADMIN
    auditor: Who = AUDITOR

    async def settle(self) -> None:
        """Wait until the projections have read every event written so far."""
        head = await to_thread.run_sync(self.ledger.head_position)
        reached = await to_thread.run_sync(lambda: self.read_side.wait_for(head, 10.0))
        assert reached, "projections did not catch up"


def build_ledger_schema() -> strawberry.Schema:
    """The profile area's root types merged with the campaign area's."""
    return strawberry.Schema(
        query=merge_types("Query", (ProfileQuery, CampaignQuery)),
        mutation=merge_types("Mutation", (ProfileMutation, CampaignMutation)),
        extensions=schema_extensions(),
    )


@asynccontextmanager
async def serve_ledger(
    settings: Settings, clock: FakeClock, *, embedded: bool = True
) -> AsyncIterator[LedgerApi]:
    """The API on ``settings``, with the response cache on, as it is by default; with
    ``embedded=False`` (PostgreSQL) it runs no projections and learns their progress by
    listening, as an API process beside others does."""
    ledger = Ledger(settings, clock=clock)
    read_side = ReadSide(settings, ledger, all_projections(), clock=clock)
    if embedded:
        read_side.start_embedded(safety_timeout=0.5)
    read_side.start_listening()
    assert read_side.wait_listening(10.0), "the progress listener did not start"
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
        response_cache=response_cache_of(settings, services),
    )
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://ledger.test") as client:
            yield LedgerApi(client=client, ledger=ledger, read_side=read_side, clock=clock)
    finally:
        read_side.close()
        ledger.close()


# --- verbs ----------------------------------------------------------------------------


def _client(api: GraphQLClient | httpx.AsyncClient) -> GraphQLClient:
    return api if isinstance(api, GraphQLClient) else GraphQLClient(api)


async def register_brand(
    api: GraphQLClient | httpx.AsyncClient, name: str = "Purela", **fields: Any
) -> str:
    """A brand registered through the API by an admin; returns its id."""
    result = await _client(api).mutate(
        "registerBrand",
        {"name": name, "industry": "Beauty", **fields},
        who=ADMIN,
        selection=BRAND_PAYLOAD,
    )
    assert result["__typename"] == "BrandPayload", result
    brand_id: str = result["brand"]["id"]
    return brand_id


async def register_creator(
    api: GraphQLClient | httpx.AsyncClient,
    handle: str = "sari.nano",
    *,
    followers: int | None = 4_200,
    platform: str = "INSTAGRAM",
    niches: Sequence[str] = ("beauty",),
) -> str:
    """A creator registered by an admin, with one linked account unless ``followers`` is None."""
    caller = _client(api)
    result = await caller.mutate(
        "registerCreator",
        {
            "handle": handle,
            "displayName": handle.title(),
            "niches": list(niches),
            "origin": "NATIVE",
        },
        who=ADMIN,
        selection=CREATOR_PAYLOAD,
    )
    assert result["__typename"] == "CreatorPayload", result
    creator_id: str = result["creator"]["id"]
    if followers is not None:
        linked = await caller.mutate(
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


async def pitch_campaign(
    api: GraphQLClient | httpx.AsyncClient, brand_id: str, creator_id: str
) -> str:
    """The brand pitches the creator :func:`terms`; the new campaign's id."""
    result = await _client(api).mutate(
        "pitchCampaign",
        {"brandId": brand_id, "creatorId": creator_id, "message": "hello", "terms": terms()},
        who=brand_token(brand_id),
        selection=CAMPAIGN,
    )
    assert result["__typename"] == "CampaignPayload", result
    campaign_id: str = result["campaign"]["id"]
    return campaign_id


async def attempt(api: LedgerApi, name: str, input: dict[str, Any], *, who: Who) -> dict[str, Any]:
    """``name(input:)`` with the campaign payload selected; its result object."""
    return await api.mutate(name, input, who=who, selection=PAYLOAD)


async def succeed(api: LedgerApi, name: str, input: dict[str, Any], *, who: Who) -> dict[str, Any]:
    """A mutation that must succeed; its ``CampaignPayload``."""
    result = await attempt(api, name, input, who=who)
    assert result["__typename"] == "CampaignPayload", result
    return result


async def read_campaign(api: LedgerApi, campaign_id: UUID | str, *, who: Who, fields: str) -> Any:
    data = await api.graphql(
        f"query($id: ID!) {{ campaign(id: $id) {{ {fields} }} }}",
        {"id": str(campaign_id)},
        who=who,
    )
    return data["campaign"]


# --- inputs, as a portal sends them -----------------------------------------------------


def terms(cash: str = "500000", due_in_days: int = 60) -> dict[str, Any]:
    """One Instagram post for Rp500.000, due ``due_in_days`` from today (the server's clock)."""
    due_on = (date.today() + timedelta(days=due_in_days)).isoformat()
    return {
        "deliverables": [
            {
                "deliverableId": "d1",
                "platform": "INSTAGRAM",
                "format": "POST",
                "quantity": 1,
                "dueOn": due_on,
            }
        ],
        "compensation": {"cash": {"amount": cash, "currency": "IDR"}},
    }


def deliverable_input(
    deliverable_id: str = "d1", *, due_on: date = DUE_ON, quantity: int = 1
) -> dict[str, Any]:
    return {
        "deliverableId": deliverable_id,
        "platform": "INSTAGRAM",
        "format": "POST",
        "quantity": quantity,
        "dueOn": due_on.isoformat(),
    }


def terms_input(
    *, cash: str = "500000", deliverables: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    """One Instagram post for Rp500.000, as a portal sends it."""
    return {
        "deliverables": [deliverable_input()] if deliverables is None else deliverables,
        "compensation": {"cash": {"amount": cash, "currency": "IDR"}},
        **extra,
    }


def pitch_input(parties: Parties, **extra: Any) -> dict[str, Any]:
    return {
        "brandId": str(parties.brand_id),
        "creatorId": str(parties.creator_id),
        "message": "Would you like to try our serum?",
        "terms": terms_input(),
        **extra,
    }


def ratings_input(party: str) -> list[dict[str, Any]]:
    ratings = BRAND_RATINGS if party == "BRAND" else CREATOR_RATINGS
    return [{"dimension": d, "score": s} for d, s in ratings.items()]


def iso(moment: datetime) -> str:
    return moment.isoformat()
