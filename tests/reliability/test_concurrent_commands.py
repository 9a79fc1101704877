"""50 conflicting commands on one campaign at the same moment end in exactly one valid
history: the winners' events are all there, once each; every loser is told CONFLICT
or INVALID_TRANSITION and wrote nothing; the store stays consistent.

The commands go through the real API (ASGI) all at once; each runs in its own
worker thread against the store, as concurrent requests do in the server.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from anyio import to_thread

from domain.infrastructure.settings import Settings
from domain.store_check import check_store
from tests.domain.builders import Scenario, campaign_at
from tests.graphql_driver import (
    CAMPAIGN,
    LedgerApi,
    Reply,
    Who,
    call,
    leaks,
    mutation,
    ratings_input,
    serve_ledger,
    terms_input,
)
from tests.reliability.figures import Figures
from tests.support import FakeClock

COMMANDS = 50
LOSING = frozenset({"CONFLICT", "INVALID_TRANSITION"})


@pytest.fixture
async def api(settings: Settings, clock: FakeClock) -> AsyncIterator[LedgerApi]:
    async with serve_ledger(settings, clock) as served:
        yield served


@dataclass(frozen=True)
class Race:
    stage: str
    commands: Callable[[Scenario, int], tuple[str, dict[str, Any], str]]
    """The i-th command: mutation, input (without campaignId) and who sends it."""
    winners: Callable[[Counter[str]], bool]
    """Holds for the event types the race wrote, whatever order the commands ran in."""
    expected_version: bool = False


def _alternating(events: list[Any]) -> bool:
    """Offers alternate: no party counters its own offer."""
    bys = [
        getattr(e, "by", None) or getattr(e, "pitched_by", None)
        for e in events
        if type(e).__name__ in {"Pitched", "CounterOffered"}
    ]
    return all(a != b for a, b in itertools.pairwise(bys))


RACES = {
    "both parties countering": Race(
        "PITCHED",
        lambda s, i: (
            "counterOffer",
            {"terms": terms_input(cash=str(501_000 + i * 1_000)), "message": f"offer {i}"},
            "brand" if i % 2 else "creator",
        ),
        lambda written: set(written) == {"CounterOffered"},
    ),
    "both parties countering the same version": Race(
        "PITCHED",
        lambda s, i: (
            "counterOffer",
            {"terms": terms_input(cash=str(501_000 + i * 1_000)), "message": f"offer {i}"},
            "brand" if i % 2 else "creator",
        ),
        lambda written: written == Counter({"CounterOffered": 1}),
        expected_version=True,
    ),
    "accept, decline and withdraw racing": Race(
        "PITCHED",
        lambda s, i: [
            ("acceptPitch", {}, "creator"),
            ("declinePitch", {"reason": f"busy {i}"}, "creator"),
            ("withdrawPitch", {}, "brand"),
        ][i % 3],
        lambda written: sum(written.values()) == 1,
    ),
    "two signatures racing": Race(
        "ACCEPTED",
        lambda s, i: (
            "signAgreement",
            {"termsDigest": s.campaign().terms_digest},
            "brand" if i % 2 else "creator",
        ),
        lambda written: written == Counter({"AgreementSigned": 2, "AgreementConcluded": 1}),
    ),
    "duplicate feedback": Race(
        "DELIVERED",
        lambda s, i: (
            "submitFeedback",
            {
                "ratings": ratings_input("BRAND" if i % 2 else "CREATOR"),
                "wouldWorkAgain": bool(i % 3),
            },
            "brand" if i % 2 else "creator",
        ),
        lambda written: (
            written["FeedbackSubmitted"] == 2
            and set(written) <= {"FeedbackSubmitted", "FeedbackRevealed", "CampaignCompleted"}
            and written["FeedbackRevealed"] <= 1
        ),
    ),
    "one idempotency key sent 50 times": Race(
        "CONCLUDED",
        lambda s, i: (
            "cancelCampaign",
            {"reason": "product recall", "idempotencyKey": "cancel-once"},
            "brand",
        ),
        lambda written: written == Counter({"CampaignCancelled": 1}),
    ),
}


@pytest.mark.parametrize("race", RACES, ids=list(RACES))
async def test_conflicting_commands_end_in_exactly_one_valid_history(
    api: LedgerApi, settings: Settings, figures: Figures, race: str
) -> None:
    spec = RACES[race]
    scenario = await to_thread.run_sync(lambda: campaign_at(api.ledger, spec.stage))
    before = await to_thread.run_sync(lambda: scenario.campaign().version)
    parties: dict[str, Who] = {
        "brand": ("brand", str(scenario.parties.brand_id)),
        "creator": ("creator", str(scenario.parties.creator_id)),
    }
    requests = []
    for i in range(COMMANDS):
        name, input, sender = spec.commands(scenario, i)
        input = {"campaignId": str(scenario.campaign_id), **input}
        if spec.expected_version:
            input["expectedVersion"] = before
        requests.append((name, input, parties[sender], f"race-{i}"))

    replies: list[Reply] = await asyncio.gather(
        *(
            call(api.client, mutation(name, CAMPAIGN), {"input": input}, who=who, request_id=rid)
            for name, input, who, rid in requests
        )
    )

    events = await to_thread.run_sync(scenario.events)
    written = [e for e in events if e.originator_version > before]
    by_request = Counter(e.correlation_id for e in written)
    types_by_request: dict[str, Counter[str]] = {}
    for event in written:
        types_by_request.setdefault(event.correlation_id, Counter())[type(event).__name__] += 1
    replayed = race == RACES_REPLAYED
    outcomes = Counter(reply.outcome() for reply in replies)
    winners = [
        rid
        for (_, _, _, rid), reply in zip(requests, replies, strict=True)
        if reply.outcome() == "OK"
    ]
    problems = await to_thread.run_sync(lambda: check_store(api.ledger))

    figures.record(
        f"concurrency[{settings.backend}-{race.replace(' ', '_')}]",
        commands=COMMANDS,
        succeeded=outcomes["OK"],
        conflict=outcomes["CONFLICT"],
        invalid_transition=outcomes["INVALID_TRANSITION"],
        other=sum(n for code, n in outcomes.items() if code not in LOSING | {"OK"}),
        events_written=len(written),
        lost=0 if replayed else len(set(winners) - set(by_request)),
        doubled=sum(1 for kinds in types_by_request.values() if max(kinds.values()) > 1),
    )
    assert all(reply.status == 200 and not leaks(reply.text) for reply in replies)
    assert set(outcomes) <= LOSING | {"OK"}, outcomes
    assert spec.winners(Counter(type(e).__name__ for e in written)), [
        type(e).__name__ for e in written
    ]
    assert _alternating(events)
    assert problems == []
    if replayed:
        # One request wrote; the other 49 got its result back, so all 50 succeeded.
        assert outcomes == Counter({"OK": COMMANDS})
        assert len(by_request) == 1
        assert {reply.result()["version"] for reply in replies} == {before + 1}
    else:
        # Exactly the winners wrote, and each wrote its own events once.
        assert set(by_request) == set(winners)
        assert all(max(kinds.values()) == 1 for kinds in types_by_request.values())
        assert outcomes["OK"] >= 1
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))


RACES_REPLAYED = "one idempotency key sent 50 times"
