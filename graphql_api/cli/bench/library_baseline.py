"""The write baseline: the eventsourcing library alone doing the bench's unit of work.

A pitch is an aggregate created and saved; an acceptance is that aggregate got
back, an event triggered on it and saved again. No commands, rules, GraphQL or
HTTP: what the library costs on the same store kind with the ledger's
persistence settings (the event store of its own, so the ledger's is untouched).
Run in a process of its own by :mod:`graphql_api.cli.bench.probes`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.workflow import WRITES_PER_UNIT

EVENTS_FILE = "library-baseline.sqlite"


class Deal(Aggregate):
    """A pitched deal the creator may accept, with a payload the size of a pitch's."""

    @event("Pitched")
    def __init__(self, brand_id: str, creator_id: str, message: str, terms: dict[str, Any]):
        self.brand_id = brand_id
        self.creator_id = creator_id
        self.message = message
        self.terms = terms
        self.accepted = False

    @event("Accepted")
    def accept(self) -> None:
        self.accepted = True


class LibraryBaseline(Application[UUID]):
    """Its own application name, hence its own tables on PostgreSQL."""

    name = "BenchLibrary"


TERMS = {
    "deliverables": [
        {
            "deliverable_id": "d1",
            "platform": "INSTAGRAM",
            "format": "POST",
            "quantity": 1,
            "due_on": "2027-01-01",
        }
    ],
    "compensation": {"cash": {"amount": "750000", "currency": "IDR"}},
    "approval_required": False,
    "payment_due_days": 14,
}


def library_env(settings: Settings, scratch: Path) -> dict[str, str]:
    env = settings.eventsourcing_env()
    env.pop("IS_SNAPSHOTTING_ENABLED", None)
    if settings.backend == "sqlite":
        path = scratch / EVENTS_FILE
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        env["SQLITE_DBNAME"] = str(path)
    return env


def unit(app: LibraryBaseline, brand_id: str, creator_id: str) -> None:
    deal = Deal(brand_id, creator_id, "Bench pitch", TERMS)
    app.save(deal)
    got: Deal = app.repository.get(deal.id)
    got.accept()
    app.save(got)


def library_writes(
    settings: Settings, scratch: Path, *, threads: int, seconds: float, max_writes: int
) -> dict[str, float]:
    """Writes per second (a create+save or a get+trigger+save each count as one) from
    ``threads`` threads sharing one application, bounded in count and time."""
    app = LibraryBaseline(env=library_env(settings, scratch))
    unit(app, "warm-up", "warm-up")
    budget = [max_writes // WRITES_PER_UNIT]
    lock = threading.Lock()
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def work(index: int) -> None:
        brand, creator = str(UUID(int=index + 1)), str(UUID(int=index + 1001))
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            unit(app, brand, creator)
            counts[index] += WRITES_PER_UNIT

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    app.close()
    written = sum(counts)
    return {"threads": threads, "writes": written, "seconds": elapsed, "rate": written / elapsed}
