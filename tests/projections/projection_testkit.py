"""A tiny event-sourced application and projections for testing the machinery.

The counting projection double-counts if any event is applied twice and misses
counts if any is skipped, so comparing it with the event list (and with a
rebuild) checks exactly-once processing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, DomainEventProtocol, event
from eventsourcing.persistence import Recording

from domain.infrastructure.settings import Settings
from projections.machinery.base import Projection, ProjectionTx, TableSpec, topics_of
from projections.machinery.runtime import ReadSide
from projections.machinery.worker import lock_key


class Counter(Aggregate):
    class Created(Aggregate.Created):
        name: str

    class Incremented(Aggregate.Event):
        by: int

    class Noted(Aggregate.Event):
        """An event the counting projection ignores."""

        text: str

    @event(Created)
    def __init__(self, name: str) -> None:
        self.name = name
        self.total = 0

    @event(Incremented)
    def increment(self, by: int) -> None:
        self.total += by

    @event(Noted)
    def note(self, text: str) -> None:
        pass


class LedgerTestApp(Application[UUID]):
    """Calls save listeners with the highest position written, like the domain application."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._save_listeners: list[Any] = []

    def add_save_listener(self, callback: Any) -> None:
        self._save_listeners.append(callback)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings:
            top = max(r.notification.id for r in recordings)
            for callback in self._save_listeners:
                callback(top)


OpenReadSide = Callable[..., ReadSide]
"""The ``open_read_side`` fixture: builds a ReadSide over given projections."""


def make_app(settings: Settings) -> LedgerTestApp:
    return LedgerTestApp(env=settings.eventsourcing_env())


@dataclass
class Ledger:
    """What was written, to compute expected read-model rows at any position."""

    increments: list[tuple[int, str, int]]
    names: dict[str, tuple[int, str]]

    def expected(self, position: int | None = None) -> dict[str, tuple[str, int, int]]:
        rows: dict[str, tuple[str, int, int]] = {}
        for counter_id, (created_at, name) in self.names.items():
            if position is None or created_at <= position:
                rows[counter_id] = (name, 0, 0)
        for at, counter_id, by in self.increments:
            if position is None or at <= position:
                name, total, count = rows[counter_id]
                rows[counter_id] = (name, total + by, count + 1)
        return rows


def write_events(
    event_app: LedgerTestApp, *, counters: int = 3, increments: int = 10, notes: int = 0
) -> tuple[Ledger, int]:
    """Create counters, then interleave increments (and ignored notes) one save each."""
    ledger = Ledger(increments=[], names={})
    aggregates = []
    for number in range(counters):
        counter = Counter(name=f"counter-{number}")
        (recording,) = event_app.save(counter)
        ledger.names[str(counter.id)] = (recording.notification.id, counter.name)
        aggregates.append(counter)
    head = 0
    for step in range(increments):
        for number, counter in enumerate(aggregates):
            by = step + number + 1
            counter.increment(by=by)
            (recording,) = event_app.save(counter)
            ledger.increments.append((recording.notification.id, str(counter.id), by))
            head = recording.notification.id
    for step in range(notes):
        counter = aggregates[step % len(aggregates)]
        counter.note(text=f"note {step}")
        (recording,) = event_app.save(counter)
        head = recording.notification.id
    return ledger, max(head, *(at for at, _ in ledger.names.values()))


class CountingProjection(Projection):
    """Totals per counter; ``fail_at``/``hang_at`` make it misbehave at one position."""

    name = "counting"
    version = 1
    tables = {
        "totals": TableSpec(
            columns={
                "counter_id": "TEXT",
                "name": "TEXT NOT NULL",
                "total": "INTEGER NOT NULL",
                "increments": "INTEGER NOT NULL",
            },
            primary_key=("counter_id",),
            indexes=(("total",),),
        )
    }
    topics = topics_of(Counter.Created, Counter.Incremented)

    def __init__(
        self,
        *,
        fail_at: int | None = None,
        hang_at: int | None = None,
        marker: Path | None = None,
        delay: float = 0.0,
    ) -> None:
        self.fail_at = fail_at
        self.hang_at = hang_at
        self.marker = marker
        self.delay = delay

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        if tx.position == self.fail_at:
            raise RuntimeError(f"deliberate failure at {tx.position}")
        if self.delay:
            time.sleep(self.delay)
        totals = tx.table("totals")
        if isinstance(event, Counter.Created):
            tx.execute(
                f"INSERT INTO {totals} (counter_id, name, total, increments) VALUES (?, ?, 0, 0)",
                (str(event.originator_id), event.name),
            )
        elif isinstance(event, Counter.Incremented):
            tx.execute(
                f"UPDATE {totals} SET total = total + ?, increments = increments + 1"
                " WHERE counter_id = ?",
                (event.by, str(event.originator_id)),
            )
        if tx.position == self.hang_at:
            if self.marker is not None:
                self.marker.write_text(str(tx.position))
            time.sleep(3600)


class CountingProjectionV2(CountingProjection):
    """The next version: same name, an extra column, built beside version 1."""

    version = 2
    tables = {
        "totals": TableSpec(
            columns={
                "counter_id": "TEXT",
                "name": "TEXT NOT NULL",
                "total": "INTEGER NOT NULL",
                "increments": "INTEGER NOT NULL",
                "mean": "REAL",
            },
            primary_key=("counter_id",),
        )
    }

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        super().handle(event, tx)
        tx.execute(
            f"UPDATE {tx.table('totals')} SET mean = CAST(total AS REAL) / increments"
            " WHERE counter_id = ? AND increments > 0",
            (str(event.originator_id),),
        )


def totals(read_side: ReadSide, version: int | None = None) -> dict[str, tuple[str, int, int]]:
    with read_side.reading() as tx:
        table = tx.table("counting", "totals")
        if version is not None:
            table = f"rm_counting_v{version}_totals"
        return {
            counter_id: (name, total, count)
            for counter_id, name, total, count in tx.fetchall(
                f"SELECT counter_id, name, total, increments FROM {table}"
            )
        }


def lock_holders(settings: Settings, scope: str, name: str, version: int) -> list[int]:
    """OS process ids of workers whose session holds a projection's advisory lock."""
    key = lock_key(scope, name, version) & ((1 << 64) - 1)
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted"
            " AND l.classid::bigint = %s AND l.objid::bigint = %s",
            (key >> 32, key & 0xFFFFFFFF),
        ).fetchall()
    return [int(str(application_name).rsplit(":", 1)[1]) for (application_name,) in rows]


REPOSITORY = Path(__file__).resolve().parents[2]


def start_process(
    settings: Settings, log: Path, *, mode: str, batch_size: int = 500, **options: object
) -> subprocess.Popen[bytes]:
    """Run tests/projections/projection_worker_main.py with these settings."""
    command = [
        sys.executable,
        "-m",
        "tests.projections.projection_worker_main",
        "--data-dir",
        str(settings.data_dir),
        "--mode",
        mode,
        "--batch-size",
        str(batch_size),
    ]
    if settings.database_url:
        command += ["--database-url", settings.database_url]
    for option, value in options.items():
        if value is not None:
            command += [f"--{option.replace('_', '-')}", str(value)]
    with log.open("ab") as stream:
        return subprocess.Popen(command, cwd=REPOSITORY, stdout=stream, stderr=stream)


def session_query(settings: Settings, pid: int) -> tuple[str, str] | None:
    """State and last statement of a worker's lock session, seen from the server."""
    with psycopg.connect(settings.postgres.conninfo(), autocommit=True) as connection:
        row = connection.execute(
            "SELECT state, query FROM pg_stat_activity WHERE application_name = %s",
            (f"ledger-projection-worker:{pid}",),
        ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))
