"""Bad bearer tokens against a real server: every one is a 401 UNAUTHENTICATED with a
Bearer challenge — for public reads and for mutations alike — and a well-signed
token that lies about who it is (a creator token carrying a brand's id) gets
nothing of the brand's: it is answered exactly as for objects that do not exist."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from tests.api.support import SECRET
from tests.graphql_driver import (
    ADMIN,
    CAMPAIGN,
    bearer,
    leaks,
    mutation,
    pitch_campaign,
    register_brand,
    register_creator,
)
from tests.reliability.figures import Figures
from tests.reliability.processes import LedgerServer

NOW = datetime.now(UTC)
# Built at import: margins of hours, so a slow run never makes a bad token good.
GOOD = {"sub": "ops-1", "role": "admin", "iat": NOW, "nbf": NOW, "exp": NOW + timedelta(days=1)}


def _signed(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _without(*names: str) -> dict[str, Any]:
    return {k: v for k, v in GOOD.items() if k not in names}


def _unsigned(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, default=lambda d: int(d.timestamp())).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


BAD_HEADERS = {
    "expired": f"Bearer {_signed({**GOOD, 'exp': NOW - timedelta(minutes=5)})}",
    "not yet valid": f"Bearer {_signed({**GOOD, 'nbf': NOW + timedelta(hours=6)})}",
    "issued for tomorrow": "Bearer "
    + _signed({**GOOD, "iat": NOW + timedelta(days=1), "nbf": NOW + timedelta(days=1)}),
    "wrong key": f"Bearer {_signed(GOOD, 'another-signing-key-' + 'x' * 40)}",
    "alg none": f"Bearer {_unsigned(GOOD)}",
    "alg none with the right claims and a signature": f"Bearer {_unsigned(GOOD)}c2ln",
    "HS512 with the right key": f"Bearer {_signed(GOOD, algorithm='HS512')}",
    "missing sub": f"Bearer {_signed(_without('sub'))}",
    "missing role": f"Bearer {_signed(_without('role'))}",
    "missing exp": f"Bearer {_signed(_without('exp'))}",
    "no claims": f"Bearer {_signed({})}",
    "unknown role": f"Bearer {_signed({**GOOD, 'role': 'superuser'})}",
    "system role": f"Bearer {_signed({**GOOD, 'role': 'system'})}",
    "role in capitals": f"Bearer {_signed({**GOOD, 'role': 'ADMIN'})}",
    "role as a list": f"Bearer {_signed({**GOOD, 'role': ['admin']})}",
    "empty sub": f"Bearer {_signed({**GOOD, 'sub': ''})}",
    "sub as a number": f"Bearer {_signed({**GOOD, 'sub': 42})}",
    "sub too long": f"Bearer {_signed({**GOOD, 'sub': 'x' * 500})}",
    "tampered payload": "Bearer "
    + re.sub(
        r"\.[^.]+\.",
        "."
        + base64.urlsafe_b64encode(
            json.dumps({**GOOD, "role": "admin", "sub": "root"}, default=str).encode()
        )
        .rstrip(b"=")
        .decode()
        + ".",
        _signed({**GOOD, "role": "auditor"}),
        count=1,
    ),
    "garbage": "Bearer not.a.token",
    "empty bearer": "Bearer",
    "basic auth": "Basic b3BzOnNlY3JldA==",
    "token without scheme": _signed(GOOD),
    "oversized header": "Bearer " + "a" * 10_000,
}

QUERIES = {
    "public read": ("{ creators { totalCount } }", {}),
    "mutation": (mutation("registerBrand"), {"input": {"name": "Sneaky", "industry": "x"}}),
}


@pytest.fixture(scope="module")
def http(sqlite_server: LedgerServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sqlite_server.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize("operation", QUERIES, ids=list(QUERIES))
@pytest.mark.parametrize("token", BAD_HEADERS, ids=list(BAD_HEADERS))
def test_a_bad_token_is_unauthenticated(
    http: httpx.Client, figures: Figures, token: str, operation: str
) -> None:
    query, variables = QUERIES[operation]

    response = http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": BAD_HEADERS[token]},
    )

    refused = response.status_code == 401
    figures.add(
        "tokens",
        requests=1,
        refused_401=int(refused),
        status_500=int(response.status_code >= 500),
        leaks=len(leaks(response.text)),
    )
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in response.json()
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert not leaks(response.text)


def _normalised(text: str, *ids: str) -> str:
    for value in ids:
        text = text.replace(value, "<id>")
    return text


@pytest.fixture(scope="module")
def brand_campaign(sqlite_server: LedgerServer) -> tuple[str, str, str]:
    """A brand, a creator, and a campaign the brand pitched to the creator."""
    import asyncio

    async def setup() -> tuple[str, str, str]:
        async with httpx.AsyncClient(base_url=sqlite_server.url) as client:
            brand_id = await register_brand(client, f"Lied About {uuid.uuid4().hex[:6]}")
            creator_id = await register_creator(client, f"liar.{uuid.uuid4().hex[:6]}")
            campaign_id = await pitch_campaign(client, brand_id, creator_id)
            return brand_id, creator_id, campaign_id

    return asyncio.run(setup())


IMPERSONATION = {
    "campaign": ("query($id: ID!) { campaign(id: $id) { id state } }", "campaign"),
    "campaignAsOf": ("query($id: ID!) { campaignAsOf(id: $id, version: 1) { id } }", "campaign"),
    "campaignHistory": ("query($id: ID!) { campaignHistory(id: $id) { totalCount } }", "campaign"),
    "campaigns of the brand": (
        "query($id: ID!) { campaigns(filter: {brandId: $id}) { totalCount } }",
        "brand",
    ),
    "withdrawPitch": (mutation("withdrawPitch", CAMPAIGN), "campaign"),
    "acceptPitch": (mutation("acceptPitch", CAMPAIGN), "campaign"),
    "cancelCampaign": (mutation("cancelCampaign", CAMPAIGN), "campaign"),
    "publishBrief for the brand": (mutation("publishBrief"), "brand"),
    "updateBrandProfile": (mutation("updateBrandProfile"), "brand"),
    "linkPlatformAccount as that id": (mutation("linkPlatformAccount"), "brand"),
}


def _variables(operation: str, target: str) -> dict[str, Any]:
    if operation in {"withdrawPitch", "acceptPitch"}:
        return {"input": {"campaignId": target}}
    if operation == "cancelCampaign":
        return {"input": {"campaignId": target, "reason": "mine now"}}
    if operation == "publishBrief for the brand":
        return {
            "input": {
                "brandId": target,
                "title": "T",
                "objective": "O",
                "startsOn": "2030-01-01",
                "endsOn": "2030-02-01",
            }
        }
    if operation == "updateBrandProfile":
        return {"input": {"brandId": target, "name": "Taken over"}}
    if operation == "linkPlatformAccount as that id":
        return {
            "input": {"creatorId": target, "platform": "TIKTOK", "handle": "x", "followers": 10}
        }
    return {"id": target}


@pytest.mark.parametrize("operation", IMPERSONATION, ids=list(IMPERSONATION))
def test_a_creator_token_carrying_a_brands_id_gets_nothing_of_the_brands(
    http: httpx.Client, brand_campaign: tuple[str, str, str], figures: Figures, operation: str
) -> None:
    brand_id, _, campaign_id = brand_campaign
    query, kind = IMPERSONATION[operation]
    target = campaign_id if kind == "campaign" else brand_id
    unknown = str(uuid.uuid4())
    impostor = bearer(("creator", brand_id))

    against_real = http.post(
        "/graphql",
        json={"query": query, "variables": _variables(operation, target)},
        headers=impostor,
    )
    against_unknown = http.post(
        "/graphql",
        json={"query": query, "variables": _variables(operation, unknown)},
        headers=impostor,
    )
    state = http.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { campaign(id: $id) { state version } }",
            "variables": {"id": campaign_id},
        },
        headers=bearer(ADMIN),
    ).json()

    same = _normalised(against_real.text, target) == _normalised(against_unknown.text, unknown)
    figures.add("tokens", impersonation_cases=1, answered_as_unknown=int(same))
    assert against_real.status_code == 200
    assert same, (against_real.text, against_unknown.text)
    assert '"OK"' not in against_real.text
    assert "Payload" not in against_real.text
    assert state["data"]["campaign"] == {"state": "PITCHED", "version": 1}
