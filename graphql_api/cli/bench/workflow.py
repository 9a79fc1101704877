"""The write mix: one campaign's life, from pitch to feedback, as GraphQL mutations
and as the same commands on the application service (the raw baseline).

Each client works its own campaigns, so concurrent clients never conflict: a
pitch, its acceptance, both signatures, a published post, two metric
snapshots and both sides' feedback — nine writes per campaign.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.application import Ledger
from domain.application.commands import (
    AcceptPitch,
    PitchCampaign,
    PublishPost,
    RecordPostMetrics,
    SignAgreement,
    SubmitFeedback,
)
from domain.context import Actor
from graphql_api.cli.bench.client import HttpClient, graphql

WRITES_PER_CAMPAIGN = 9
BRAND_RATINGS = ("content_quality", "communication", "timeliness", "authenticity", "audience_fit")
CREATOR_RATINGS = ("payment_timeliness", "creative_freedom", "brief_clarity", "communication")
CAPTION = "Bench post #ad"


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


def _metrics(step: int) -> dict[str, Any]:
    return {
        "followers": 5_000 + step,
        "likes": 120 * step,
        "comments": 9 * step,
        "shares": 4 * step,
        "saves": 3 * step,
        "reach": 2_000 * step,
    }


# --- the raw baseline: the same commands on the application service -------------
def raw_lifecycle(ledger: Ledger, pair: Pair) -> Iterator[str]:
    """Runs one campaign's nine commands, yielding each command's name after it."""
    brand, creator = Actor.brand(pair.brand_id), Actor.creator(pair.creator_id)
    pitched = ledger.execute(
        ledger.context(brand),
        PitchCampaign(
            brand_id=UUID(pair.brand_id),
            creator_id=UUID(pair.creator_id),
            message="Bench pitch",
            terms=terms(_now().date()),
        ),
    )
    cid = pitched.aggregate_id
    yield "pitchCampaign"
    ledger.execute(ledger.context(creator), AcceptPitch(campaign_id=cid))
    yield "acceptPitch"
    digest = ledger.get_campaign(cid).terms.digest
    for signer in (brand, creator):
        ledger.execute(ledger.context(signer), SignAgreement(campaign_id=cid, terms_digest=digest))
        yield "signAgreement"
    ledger.execute(
        ledger.context(creator),
        PublishPost(
            campaign_id=cid,
            deliverable_id="d1",
            url=f"https://social.example/bench/{cid.hex}",
            published_at=_now(),
            caption=CAPTION,
        ),
    )
    yield "publishPost"
    for step in (1, 2):
        ledger.execute(
            ledger.context(creator),
            RecordPostMetrics(
                campaign_id=cid, deliverable_id="d1", observed_at=_now(), **_metrics(step)
            ),
        )
        yield "recordPostMetrics"
    for actor, names in ((brand, BRAND_RATINGS), (creator, CREATOR_RATINGS)):
        ledger.execute(
            ledger.context(actor),
            SubmitFeedback(
                campaign_id=cid,
                ratings=dict.fromkeys(names, 4),
                would_work_again=True,
                comment="Bench feedback",
            ),
        )
        yield "submitFeedback"


def raw_writes(
    ledger: Ledger, pairs: list[Pair], *, seconds: float, max_writes: int
) -> dict[str, float]:
    """Commands per second on the application service, one thread, bounded."""
    written = 0
    began = time.perf_counter()
    deadline = began + seconds
    for pair in itertools.cycle(pairs):
        for _ in raw_lifecycle(ledger, pair):
            written += 1
        if written >= max_writes or time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - began
    return {"writes": written, "seconds": elapsed, "rate": written / elapsed}


# --- the same over GraphQL -----------------------------------------------------------
RESULT = """
  __typename
  ... on CampaignPayload { version position campaign { id termsDigest } }
  ... on UserError { code message }
"""
MUTATIONS = {
    name: f"mutation($input: {name[0].upper()}{name[1:]}Input!) "
    f"{{ {name}(input: $input) {{ {RESULT} }} }}"
    for name in (
        "pitchCampaign",
        "acceptPitch",
        "signAgreement",
        "publishPost",
        "recordPostMetrics",
        "submitFeedback",
    )
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
class GraphQLLifecycle:
    """One client's campaigns, one mutation per :meth:`step`."""

    pair: Pair
    brand_token: str
    creator_token: str
    step_no: int = 0
    campaign_id: str | None = None
    digest: str | None = None
    failures: list[str] = field(default_factory=list)

    async def step(self, client: HttpClient) -> Written:
        index = self.step_no % WRITES_PER_CAMPAIGN
        name, token, payload = self._next(index)
        response = await graphql(client, MUTATIONS[name], {"input": payload}, token)
        result = (response.get("data") or {}).get(name) or {}
        if result.get("__typename") != "CampaignPayload":
            detail = str(response.get("errors") or result)[:300]
            if len(self.failures) < 5:
                self.failures.append(f"{name}: {detail}")
            self.step_no = 0
            return Written(False, detail=detail)
        campaign = result["campaign"]
        if index == 0:
            self.campaign_id = campaign["id"]
        if index == 1:
            self.digest = campaign["termsDigest"]
        self.step_no += 1
        return Written(True, campaign["id"], result["version"], result["position"])

    def _next(self, index: int) -> tuple[str, str, dict[str, Any]]:
        brand, creator = self.brand_token, self.creator_token
        cid = self.campaign_id
        if index == 0:
            spec = terms(_now().date())
            deliverable = spec["deliverables"][0]
            return (
                "pitchCampaign",
                brand,
                {
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
                },
            )
        if index == 1:
            return "acceptPitch", creator, {"campaignId": cid}
        if index in (2, 3):
            token = brand if index == 2 else creator
            return "signAgreement", token, {"campaignId": cid, "termsDigest": self.digest}
        if index == 4:
            return (
                "publishPost",
                creator,
                {
                    "campaignId": cid,
                    "deliverableId": "d1",
                    "url": f"https://social.example/bench/{cid}",
                    "publishedAt": _now().isoformat(),
                    "caption": CAPTION,
                },
            )
        if index in (5, 6):
            return (
                "recordPostMetrics",
                creator,
                {
                    "campaignId": cid,
                    "deliverableId": "d1",
                    "observedAt": _now().isoformat(),
                    **_metrics(index - 4),
                },
            )
        names, token = (BRAND_RATINGS, brand) if index == 7 else (CREATOR_RATINGS, creator)
        return (
            "submitFeedback",
            token,
            {
                "campaignId": cid,
                "ratings": [{"dimension": n, "score": 4} for n in names],
                "wouldWorkAgain": True,
                "comment": "Bench feedback",
            },
        )
