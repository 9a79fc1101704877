"""Is the event store consistent? Every stored event decodes, each aggregate's
versions run 1, 2, 3, … without gaps, its timestamps never go backwards, and
its hash chain holds: each event's digest, recomputed from the bytes as stored,
matches, so an event edited by hand is named (:mod:`domain.chain`).

Part of ``campaign-ledger verify``; reads the whole notification log once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.base import LedgerAggregate
from domain.chain import GENESIS, chain_digest

if TYPE_CHECKING:
    from domain.application import Ledger

BATCH = 2_000
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class StoreProblem:
    position: int
    aggregate_id: UUID
    version: int
    problem: str

    def describe(self) -> str:
        return f"position {self.position}: {self.aggregate_id} v{self.version}: {self.problem}"


def check_store(
    ledger: Ledger, progress: Callable[[int, int], None] | None = None
) -> list[StoreProblem]:
    head = ledger.head_position()
    last: dict[UUID, tuple[int, datetime | None]] = {}
    chains: dict[UUID, str] = {}
    problems: list[StoreProblem] = []
    start = 1
    while len(problems) < MAX_PROBLEMS:
        batch = ledger.recorder.select_notifications(start, BATCH)
        if not batch:
            break
        for notification in batch:
            aggregate_id = notification.originator_id
            assert isinstance(aggregate_id, UUID)
            version = notification.originator_version

            def problem(
                text: str, n: int = notification.id, a: UUID = aggregate_id, v: int = version
            ) -> None:
                problems.append(StoreProblem(n, a, v, text))

            try:
                stored = ledger.mapper.transcoder.decode(notification.state)
                event = ledger.mapper.to_domain_event(notification)
            except Exception as error:
                problem(f"does not decode ({type(error).__name__}: {error})")
                continue
            fields = {"originator_id": aggregate_id, "originator_version": version, **stored}
            expected = chain_digest(chains.get(aggregate_id, GENESIS), notification.topic, fields)
            if stored.get("chain") != expected:
                problem("hash chain broken: the event differs from what was recorded")
            chains[aggregate_id] = str(stored.get("chain", ""))
            previous_version, previous_time = last.get(aggregate_id, (0, None))
            if version != previous_version + 1:
                problem(f"follows version {previous_version}")
            timestamp = event.timestamp if isinstance(event, LedgerAggregate.Event) else None
            if timestamp is not None and previous_time is not None and timestamp < previous_time:
                problem("is timestamped before its predecessor")
            last[aggregate_id] = (version, timestamp if timestamp is not None else previous_time)
        start = batch[-1].id + 1
        if progress is not None:
            progress(batch[-1].id, head)
    return problems[:MAX_PROBLEMS]
