"""Holding the event store to what the clients were told, from the outside: the
events as ``campaign-ledger export`` writes them, matched against every
acknowledged mutation and every idempotency key a client used."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.reliability.load import Op
from tests.reliability.processes import run_cli

Event = dict[str, Any]
EFFECTS = {
    "pitchCampaign": ("Campaign", "Pitched"),
    "recordFollowers": ("Creator", "FollowersRecorded"),
    "withdrawPitch": ("Campaign", "PitchWithdrawn"),
}


def export_events(env: Mapping[str, str]) -> list[Event]:
    result = run_cli(env, "export")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@dataclass
class Audit:
    events: int = 0
    acknowledged: int = 0
    keys: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    half_applied: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    committed_but_unanswered: int = 0
    """Keys whose first answer was lost (the connection died after the commit) and whose
    retry was answered from the idempotency record instead of applying them again."""

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.half_applied or self.mismatched)


def audit(ops: Iterable[Op], events: list[Event]) -> Audit:
    """Every acknowledged op is in the store exactly as acknowledged; every key a client
    used (answered or not) took effect at most once, and never without its record."""
    ops = list(ops)
    result = Audit(events=len(events))
    at = {(e["aggregate_id"], e["version"]): e for e in events}
    by_correlation: dict[str, list[Event]] = {}
    for event in events:
        by_correlation.setdefault(event["correlation_id"], []).append(event)
    records = [e for e in events if e["aggregate_type"] == "IdempotencyRecord"]
    records_per_request = Counter(e["correlation_id"] for e in records)

    for op in ops:
        key = op.key
        result.keys += 1
        aggregate_type, event_type = EFFECTS[op.name]
        # Each attempt carries its own request id ``<key>-a<n>``: the events of the key.
        written = [
            e
            for attempt in range(1, op.attempts + 1)
            for e in by_correlation.get(f"{key}-a{attempt}", ())
            if e["aggregate_type"] == aggregate_type
        ]
        final_attempt = f"{key}-a{op.attempts}"
        if op.unanswered and written and written[0]["correlation_id"] != final_attempt:
            result.committed_but_unanswered += 1
        if len(written) > 1:
            result.duplicated.append(f"{key}: {len(written)} {event_type} events")
        if op.acknowledged:
            result.acknowledged += 1
            stored = at.get((op.aggregate_id, op.version))
            if stored is None:
                result.lost.append(f"{key}: {op.aggregate_id} v{op.version} is not in the store")
                continue
            if stored["type"] != event_type or not _matches(op, stored):
                result.mismatched.append(f"{key}: stored {stored['type']} {stored['payload']}")
    for correlation, count in records_per_request.items():
        effect = [
            e for e in by_correlation[correlation] if e["aggregate_type"] != "IdempotencyRecord"
        ]
        if count != 1 or len(effect) != 1:
            result.half_applied.append(
                f"request {correlation}: {count} record(s), {len(effect)} effect(s)"
            )
    keys = {op.key for op in ops}
    for correlation, together in by_correlation.items():
        ours = correlation.rsplit("-a", 1)[0] in keys
        has_effect = any(e["aggregate_type"] != "IdempotencyRecord" for e in together)
        if ours and has_effect and records_per_request.get(correlation) != 1:
            result.half_applied.append(f"request {correlation}: effect without its record")
    return result


def _matches(op: Op, event: Event) -> bool:
    payload = event["payload"]
    if op.name == "pitchCampaign":
        return bool(payload.get("message") == op.input["message"])
    if op.name == "recordFollowers":
        return bool(payload.get("followers") == op.input["followers"])
    return True
