"""Where each projection stands against the event store, for operators and ``/readyz``.

Status is read from the database, not from a runner's memory, so any process —
an API server beside separate ``project`` workers included — reports the same
positions. On PostgreSQL, whether a projection is being processed is whether
some session holds its advisory lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from projections.machinery import tracking
from projections.machinery.engine import EventSource
from projections.machinery.tracking import Key
from projections.machinery.worker import lock_key
from projections.store.readstore import ReadStore, Tx

_UINT64 = (1 << 64) - 1
_UINT32 = (1 << 32) - 1


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    version: int
    active: bool
    position: int
    head_position: int
    lag: int
    updated_at: datetime
    last_error: str | None
    processing: bool | None
    """Whether a runner is processing it; None where that cannot be known."""


def projection_status(
    source: EventSource,
    store: ReadStore,
    *,
    scope: str = "",
    runner_alive: bool | None = None,
) -> list[ProjectionStatus]:
    """Every tracked projection version; lag is head position minus position."""
    with store.read() as tx:
        rows = tracking.rows(tx)
        active = tracking.active_versions(tx)
        locked = _locked(tx, scope, rows) if store.dialect == "postgres" else None
    head = source.recorder.max_notification_id() or 0

    def processing(key: Key) -> bool | None:
        if runner_alive is not None:
            return runner_alive
        return None if locked is None else key in locked

    return [
        ProjectionStatus(
            name=row.name,
            version=row.version,
            active=active.get(row.name) == row.version,
            position=row.position,
            head_position=head,
            lag=max(0, head - row.position),
            updated_at=row.updated_at,
            last_error=row.last_error,
            processing=processing((row.name, row.version)),
        )
        for row in rows
    ]


def _locked(tx: Tx, scope: str, rows: list[tracking.TrackingRow]) -> set[Key]:
    held = set(
        tx.fetchall(
            "SELECT classid::bigint, objid::bigint FROM pg_locks"
            " WHERE locktype = 'advisory' AND objsubid = 1 AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
    )
    locked: set[Key] = set()
    for row in rows:
        key = lock_key(scope, row.name, row.version) & _UINT64
        if (key >> 32, key & _UINT32) in held:
            locked.add((row.name, row.version))
    return locked
