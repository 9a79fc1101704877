"""Calling the ledger's GraphQL API the way a portal does, and judging what came back:
no 500s, no stack traces, no SQL, and errors a client can act on."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from graphql_api.http.auth import issue_token
from tests.api.support import SECRET

Who = tuple[str, str] | None
ADMIN: Who = ("admin", "ops-1")
AUDITOR: Who = ("auditor", "audit-1")

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


def bearer(who: Who, ttl: int = 3600) -> dict[str, str]:
    if who is None:
        return {}
    return {"Authorization": f"Bearer {issue_token(SECRET, who[0], who[1], ttl)}"}


def brand(brand_id: str) -> Who:
    return ("brand", brand_id)


def creator(creator_id: str) -> Who:
    return ("creator", creator_id)


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


async def register_brand(client: httpx.AsyncClient, name: str) -> str:
    reply = await call(
        client,
        mutation("registerBrand", BRAND),
        {"input": {"name": name, "industry": "Beauty"}},
        who=ADMIN,
    )
    assert reply.outcome() == "OK", reply.text
    brand_id: str = reply.result()["brand"]["id"]
    return brand_id


async def register_creator(client: httpx.AsyncClient, handle: str, followers: int = 4200) -> str:
    reply = await call(
        client,
        mutation("registerCreator", CREATOR),
        {
            "input": {
                "handle": handle,
                "displayName": handle,
                "niches": ["beauty"],
                "origin": "NATIVE",
            }
        },
        who=ADMIN,
    )
    assert reply.outcome() == "OK", reply.text
    creator_id: str = reply.result()["creator"]["id"]
    linked = await call(
        client,
        mutation("linkPlatformAccount", CREATOR),
        {
            "input": {
                "creatorId": creator_id,
                "platform": "INSTAGRAM",
                "handle": handle,
                "followers": followers,
            }
        },
        who=("creator", creator_id),
    )
    assert linked.outcome() == "OK", linked.text
    return creator_id


async def pitch_campaign(client: httpx.AsyncClient, brand_id: str, creator_id: str) -> str:
    """The brand pitches the creator :func:`terms`; the new campaign's id."""
    reply = await call(
        client,
        mutation("pitchCampaign", CAMPAIGN),
        {
            "input": {
                "brandId": brand_id,
                "creatorId": creator_id,
                "message": "hello",
                "terms": terms(),
            }
        },
        who=("brand", brand_id),
    )
    assert reply.outcome() == "OK", reply.text
    campaign_id: str = reply.result()["campaign"]["id"]
    return campaign_id


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
