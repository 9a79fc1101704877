"""Operator actions on projections: rebuild from zero, blue/green switch, drop.

A rebuild of the active version empties its tables and refills them in place
(queries see partial data meanwhile). For a rebuild without that gap, bump the
projection's ``version``: the new version's tables are built beside the old
ones, which keep serving, and :func:`switch` flips queries to the new version
in one committed row once it has caught up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from projections.machinery import tracking
from projections.machinery.base import drop_tables
from projections.machinery.engine import (
    REBUILD_BATCH_SIZE,
    Progress,
    ProgressCallback,
    ProjectionEngine,
)
from projections.machinery.progress import PROGRESS_CHANNEL, encode_change
from projections.machinery.tracking import Key
from projections.store.readstore import Tx


class SwitchRefused(Exception):
    """The version to activate is not built, or is behind the active one."""


@dataclass(frozen=True)
class RebuildResult:
    name: str
    version: int
    position: int
    active: bool
    seconds: float = 0.0
    """Time in the projection's batch transactions (overlapping others' on PostgreSQL)."""


def rebuild(
    engine: ProjectionEngine,
    name: str | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> list[RebuildResult]:
    """Rebuild one projection (every version the code defines) or all, from position 0.

    All of them in one pass over the store: they share each batch's read and
    decoding, which would otherwise be repeated once per projection (each still
    commits its own transactions).
    """
    engine.install()
    report = _as_phase(progress, "rebuild")
    slots = engine.live_slots(name)
    for slot in slots:
        with engine.store.transaction() as tx:
            slot.drop(tx)
            slot.create(tx)
            tracking.reset(tx, slot, engine.clock())
            _announce(engine, tx, "reset", slot.key)
    result = engine.catch_up(slots, progress=report, batch_size=REBUILD_BATCH_SIZE)
    with engine.store.read() as tx:
        active = tracking.active_versions(tx)
    return [
        RebuildResult(
            *slot.key,
            position=result.positions[slot.key],
            active=active.get(slot.key[0]) == slot.key[1],
            seconds=result.seconds.get(slot.key, 0.0),
        )
        for slot in slots
    ]


def switch(
    engine: ProjectionEngine,
    name: str,
    version: int,
    *,
    drop_old: bool = False,
    force: bool = False,
    attempts: int = 3,
) -> int | None:
    """Make ``version`` the one queries read; returns the previously active version.

    The new version is first caught up to the head when this process knows
    its code. Unless ``force``, it must be at least as far as the active one,
    so no reader ever sees the read models go back in time. ``drop_old`` drops
    the previous version's tables and tracking in the same transaction.
    """
    known = [s for s in engine.live_slots(name) if s.key == (name, version)]
    for attempt in range(1, attempts + 1):
        if known:
            engine.catch_up(known)
        try:
            return _switch(engine, name, version, drop_old=drop_old, force=force)
        except SwitchRefused:
            if not known or attempt == attempts:
                raise
    raise AssertionError("unreachable")


def _switch(
    engine: ProjectionEngine, name: str, version: int, *, drop_old: bool, force: bool
) -> int | None:
    with engine.store.transaction() as tx:
        rows = {(row.name, row.version): row for row in tracking.rows(tx)}
        target = rows.get((name, version))
        if target is None:
            raise SwitchRefused(f"{name} v{version} has not been built")
        current = tracking.active_versions(tx).get(name)
        if current == version:
            return current
        previous = rows.get((name, current)) if current is not None else None
        if previous is not None and target.position < previous.position and not force:
            raise SwitchRefused(
                f"{name} v{version} is at {target.position}, behind active"
                f" v{current} at {previous.position}"
            )
        tracking.set_active(tx, name, version, engine.clock())
        if drop_old and current is not None:
            drop_tables(tx, tracking.forget(tx, (name, current)))
        _announce(engine, tx, "switch", (name, version))
        return current


def drop_version(engine: ProjectionEngine, name: str, version: int) -> None:
    """Drop an inactive version's tables and tracking, e.g. an abandoned build."""
    with engine.store.transaction() as tx:
        if tracking.active_versions(tx).get(name) == version:
            raise SwitchRefused(f"{name} v{version} is active; switch away from it first")
        drop_tables(tx, tracking.forget(tx, (name, version)))


def _announce(engine: ProjectionEngine, tx: Tx, kind: str, key: Key) -> None:
    """Tell other processes' progress listeners to reload (PostgreSQL, on commit)."""
    if tx.dialect == "postgres":
        payload = encode_change(engine.scope, kind, *key)
        tx.execute("SELECT pg_notify(?, ?)", (PROGRESS_CHANNEL, payload))


def _as_phase(progress: ProgressCallback | None, phase: str) -> ProgressCallback | None:
    if progress is None:
        return None

    def report(step: Progress) -> None:
        progress(replace(step, phase=phase))

    return report
