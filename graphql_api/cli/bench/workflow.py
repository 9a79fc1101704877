"""The unit of write work: a brand pitches a campaign and the creator accepts it,
as two GraphQL mutations and as the same two commands on the application service.

Each client works its own brand × creator pair and every unit opens a new
campaign, so concurrent clients never conflict.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.application.commands import AcceptPitch, PitchCampaign
from domain.context import Actor
from graphql_api.cli.bench.client import HttpClient, graphql

WRITES_PER_UNIT = 2


@dataclass(frozen=True)
class Pair:
    brand_id: str
    creator_id: str


def terms(today: date) -> dict[str, Any]:
    return {
        "deliverables": [
            {
                "deliverable_id": "d1",
                "platform": "INSTAGRAM",
                "format": "POST",
                "quantity": 1,
                "due_on": today + timedelta(days=30),
            }
        ],
        "compensation": {"cash": {"amount": "750000", "currency": "IDR"}},
        "approval_required": False,
        "payment_due_days": 14,
    }


def _now() -> datetime:
    return datetime.now(UTC)


# --- the service baseline: the same commands on the application service ----------
def service_unit(ledger: Ledger, pair: Pair) -> None:
    """One unit on the application service: load, decide, ``save()``, twice."""
    pitched = ledger.execute(
        ledger.context(Actor.brand(pair.brand_id)),
        PitchCampaign(
            brand_id=UUID(pair.brand_id),
            creator_id=UUID(pair.creator_id),
            message="Bench pitch",
            terms=terms(_now().date()),
        ),
    )
    ledger.execute(
        ledger.context(Actor.creator(pair.creator_id)),
        AcceptPitch(campaign_id=pitched.aggregate_id),
    )


def service_writes(
    ledger: Ledger, pairs: list[Pair], *, seconds: float, max_writes: int
) -> dict[str, float]:
    """Commands per second on the application service, one thread, bounded."""
    written = 0
    began = time.perf_counter()
    deadline = began + seconds
    while written < max_writes and time.perf_counter() < deadline:
        service_unit(ledger, pairs[(written // WRITES_PER_UNIT) % len(pairs)])
        written += WRITES_PER_UNIT
    elapsed = time.perf_counter() - began
    return {"writes": written, "seconds": elapsed, "rate": written / elapsed}


# --- the same over GraphQL -----------------------------------------------------------
RESULT = """
  __typename
  ... on CampaignPayload { version position campaign { id } }
  ... on UserError { code message }
"""
MUTATIONS = {
    name: f"mutation($input: {name[0].upper()}{name[1:]}Input!) "
    f"{{ {name}(input: $input) {{ {RESULT} }} }}"
    for name in ("pitchCampaign", "acceptPitch")
}


@dataclass
class Written:
    """A mutation's outcome as the client saw it."""

    ok: bool
    campaign_id: str | None = None
    version: int = 0
    position: str | None = None
    detail: str = ""


@dataclass
class GraphQLUnits:
    """One client's units, one mutation per :meth:`step`: pitch, accept, pitch, …"""

    pair: Pair
    brand_token: str
    creator_token: str
    step_no: int = 0
    campaign_id: str | None = None
    failures: list[str] = field(default_factory=list)

    async def step(self, client: HttpClient) -> Written:
        pitching = self.step_no % WRITES_PER_UNIT == 0
        name, token, payload = (
            ("pitchCampaign", self.brand_token, self._pitch())
            if pitching
            else ("acceptPitch", self.creator_token, {"campaignId": self.campaign_id})
        )
        response = await graphql(client, MUTATIONS[name], {"input": payload}, token)
        result = (response.get("data") or {}).get(name) or {}
        if result.get("__typename") != "CampaignPayload":
            detail = str(response.get("errors") or result)[:300]
            if len(self.failures) < 5:
                self.failures.append(f"{name}: {detail}")
            self.step_no = 0
            return Written(False, detail=detail)
        campaign_id = result["campaign"]["id"]
        if pitching:
            self.campaign_id = campaign_id
        self.step_no += 1
        return Written(True, campaign_id, result["version"], result["position"])

    def _pitch(self) -> dict[str, Any]:
        deliverable = terms(_now().date())["deliverables"][0]
        return {
            "brandId": self.pair.brand_id,
            "creatorId": self.pair.creator_id,
            "message": "Bench pitch",
            "terms": {
                "deliverables": [
                    {
                        "deliverableId": "d1",
                        "platform": deliverable["platform"],
                        "format": deliverable["format"],
                        "quantity": 1,
                        "dueOn": deliverable["due_on"].isoformat(),
                    }
                ],
                "compensation": {"cash": {"amount": "750000", "currency": "IDR"}},
                "approvalRequired": False,
                "paymentDueDays": 14,
            },
        }
