"""What the campaign tests share: mutations and reads through the real API
(:func:`tests.api.ledger_harness.serve_ledger`), the callers, and campaign
inputs as a portal sends them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from tests.api.ledger_harness import LedgerApi, Who, brand_token, creator_token
from tests.domain.builders import BRAND_RATINGS, CREATOR_RATINGS, DUE_ON, Parties

ANONYMOUS: Who = None
AUDITOR: Who = ("auditor", "audit-1")
ADMIN: Who = ("admin", "ops-1")


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


PAYLOAD = """
... on CampaignPayload { version position campaign { id state version allowedActions } }
... on InvalidTransitionError { state allowedActions }
"""


def brand_of(parties: Parties) -> Who:
    return brand_token(parties.brand_id)


def creator_of(parties: Parties) -> Who:
    return creator_token(parties.creator_id)


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
