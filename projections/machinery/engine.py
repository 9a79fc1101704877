"""Catch-up processing: fold event-store notifications into projection tables.

Every runner (the embedded thread, the PostgreSQL worker, ``rebuild`` and
``verify``) goes through :meth:`ProjectionEngine.catch_up`, so there is one
implementation of the exactly-once rule: a batch of notifications is applied to
one projection in one read-store transaction that also moves its tracked
position, and the position moves over every notification read — including the
ones the projection does not handle — so "reached position N" means the same
for every projection.

Handlers may put work off to the end of a batch (:meth:`ProjectionTx.batch_state`);
it is flushed in the batch's transaction, before the commit.

Projections at the same position share the read and the decoding of a batch;
each projection still commits in its own transaction, so one failing handler
stops only its own projection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

from domain.context import Clock, system_clock
from projections.machinery import tracking
from projections.machinery.base import Projection, ProjectionTx, Slot, existing_tables
from projections.machinery.decoding import Decoder, ProjectionFailed, canonical_topic
from projections.machinery.head import safe_head
from projections.machinery.progress import PROGRESS_CHANNEL, encode_progress
from projections.machinery.tracking import Key, PositionConflict
from projections.store.readstore import ReadStore, Tx

logger = logging.getLogger(__name__)

PARALLEL_COMMITS = 8
REBUILD_BATCH_SIZE = 5000
"""Batch size when building from zero (``rebuild``, ``verify``'s scratch copies), which
no runner waits on: fewer, bigger transactions, each refreshing derived figures once."""


class EventSource(Protocol):
    """The part of an eventsourcing ``Application`` projections read from."""

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[Any]: ...


@dataclass(frozen=True)
class Progress:
    """One committed step of long work, for progress bars and log lines."""

    name: str
    version: int
    position: int
    head: int
    phase: str = "catch-up"


ProgressCallback = Callable[[Progress], None]
CommitListener = Callable[[str, int, int, int, int | None], None]
"""Called as ``(name, version, start, position, changed)`` after a batch of one projection
version committed, taking it from ``start`` to ``position``; ``changed`` is the id of the
last event the batch handled, None when it handled none (its tables did not change)."""


@dataclass
class CatchUpResult:
    handled: int = 0
    positions: dict[Key, int] = field(default_factory=dict)
    failures: dict[Key, ProjectionFailed] = field(default_factory=dict)
    seconds: dict[Key, float] = field(default_factory=dict)
    """Time in each projection's batch transactions (handlers, flush, commit); on
    PostgreSQL the projections' transactions overlap, in threads."""


@dataclass(frozen=True)
class Committed:
    """What one projection's batch did: events handled, and the last one's id (None if none)."""

    handled: int
    changed: int | None


Outcome = Committed | PositionConflict | ProjectionFailed


def _outcome(commit: Callable[[], Committed]) -> tuple[Outcome, float]:
    """A commit's result, or the expected failure it ended with; and its seconds."""
    began = time.perf_counter()
    try:
        outcome: Outcome = commit()
    except (PositionConflict, ProjectionFailed) as failure:
        outcome = failure
    return outcome, time.perf_counter() - began


class ProjectionEngine:
    """Applies events to a set of projections, each from its tracked position."""

    def __init__(
        self,
        source: EventSource,
        store: ReadStore,
        projections: Iterable[Projection],
        *,
        batch_size: int = 500,
        clock: Clock = system_clock,
        scope: str = "",
    ) -> None:
        self.source = source
        self.store = store
        self.projections = tuple(projections)
        keys = [p.key for p in self.projections]
        if len(set(keys)) != len(keys):
            raise ValueError("a projection version is registered twice")
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self.batch_size = batch_size
        self.clock = clock
        self.scope = scope
        self._listeners: list[CommitListener] = []

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Call ``listener(name, version, start, position, changed)`` after each committed
        batch (see :data:`CommitListener`)."""
        self._listeners.append(listener)

    def live_slots(self, name: str | None = None) -> list[Slot]:
        slots = [Slot(p) for p in self.projections if name is None or p.name == name]
        if name is not None and not slots:
            raise LookupError(f"no projection named {name!r}")
        return slots

    def head(self) -> int:
        """The position up to which every event has committed (see
        :mod:`projections.machinery.head`)."""
        return safe_head(self.source.recorder, self.store)

    def install(self) -> None:
        """Create what is missing of bookkeeping and live tables; idempotent.

        When a name has no active version yet, its newest version becomes
        active. Everything is checked first in a read snapshot, so a process
        starting beside busy workers neither waits for their batches nor
        blocks them.
        """
        with self.store.read() as tx:
            if self._installed(tx):
                return
        now = self.clock()
        newest_first = sorted(self.live_slots(), key=lambda s: -s.projection.version)
        with self.store.transaction() as tx:
            tracking.install(tx)
            existing = existing_tables(tx)
            tracked = {(row.name, row.version) for row in tracking.rows(tx)}
            active = tracking.active_versions(tx)
            for slot in newest_first:
                slot.create(tx, existing=existing)
                if slot.key not in tracked:
                    tracking.ensure(tx, slot, now)
                if slot.key[0] not in active:
                    tracking.set_active(tx, *slot.key, now)
                    active[slot.key[0]] = slot.key[1]

    def _installed(self, tx: Tx) -> bool:
        existing = existing_tables(tx)
        if not {tracking.TRACKING, tracking.REGISTRY} <= existing:
            return False
        tracked = {(row.name, row.version) for row in tracking.rows(tx)}
        active = tracking.active_versions(tx)
        return all(
            slot.key in tracked
            and slot.key[0] in active
            and set(slot.tables().values()) <= existing
            for slot in self.live_slots()
        )

    def catch_up(
        self,
        slots: Sequence[Slot] | None = None,
        *,
        stop: int | None = None,
        should_stop: Callable[[], bool] | None = None,
        progress: ProgressCallback | None = None,
        raise_errors: bool = True,
        batch_size: int | None = None,
    ) -> CatchUpResult:
        """Process live slots from their tracked positions up to ``stop`` (default: head),
        ``batch_size`` (default: the engine's) notifications at a time.

        With ``raise_errors=False`` a failing projection is recorded, logged and
        left behind while the others continue, and a version no longer tracked
        (dropped by a switch elsewhere) is skipped; otherwise both are raised.
        """
        pending = list(self.live_slots() if slots is None else slots)
        head = self.head() if stop is None else stop
        size = batch_size or self.batch_size
        result = CatchUpResult()
        positions = result.positions
        tracked = self._tracked_positions()
        for slot in list(pending):
            found = tracked.get(slot.key)
            if found is None:
                message = f"projection {slot.key[0]} v{slot.key[1]} is not installed"
                if raise_errors:
                    raise LookupError(message)
                logger.warning("%s; skipping it", message)
                pending.remove(slot)
                continue
            positions[slot.key] = found
        with self._committer() as commit_all:
            while not (should_stop and should_stop()):
                behind = [s for s in pending if positions[s.key] < head]
                if not behind:
                    break
                start = min(positions[s.key] for s in behind)
                notifications = self._read(start, head, size)
                end = notifications[-1].id if len(notifications) == size else head
                decoder = Decoder(self.source.mapper)
                due = [s for s in behind if positions[s.key] < end]
                outcomes = commit_all(
                    [
                        partial(
                            self._commit, slot, notifications, positions[slot.key], end, decoder
                        )
                        for slot in due
                    ]
                )
                for slot, (outcome, seconds) in zip(due, outcomes, strict=True):
                    result.seconds[slot.key] = result.seconds.get(slot.key, 0.0) + seconds
                    if isinstance(outcome, PositionConflict):
                        moved = self._tracked_position(slot)
                        if moved is None:
                            pending.remove(slot)
                        else:
                            positions[slot.key] = moved
                        continue
                    if isinstance(outcome, ProjectionFailed):
                        self._record_failure(slot, outcome)
                        if raise_errors:
                            raise outcome
                        result.failures[slot.key] = outcome
                        pending.remove(slot)
                        continue
                    result.handled += outcome.handled
                    self._committed(slot, positions[slot.key], end, outcome.changed, head, progress)
                    positions[slot.key] = end
        return result

    @contextmanager
    def _committer(
        self,
    ) -> Iterator[Callable[[Sequence[Callable[[], Committed]]], list[tuple[Outcome, float]]]]:
        """Runs one batch's commits, one per projection: in parallel threads on
        PostgreSQL, where a handler's time goes in round trips to the server and
        each projection commits on its own connection; one after another on SQLite,
        which has a single writer anyway."""
        if self.store.dialect != "postgres" or len(self.projections) < 2:
            yield lambda commits: [_outcome(commit) for commit in commits]
            return
        with ThreadPoolExecutor(
            max_workers=min(len(self.projections), PARALLEL_COMMITS),
            thread_name_prefix="projection-commit",
        ) as pool:
            yield lambda commits: list(pool.map(_outcome, commits))

    def build_untracked(
        self,
        slot: Slot,
        *,
        after: int,
        stop: int,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Fill a scratch slot from ``after`` to ``stop``; its position lives in the caller."""
        position = after
        while position < stop:
            notifications = self._read(position, stop, REBUILD_BATCH_SIZE)
            end = notifications[-1].id if len(notifications) == REBUILD_BATCH_SIZE else stop
            self._commit(slot, notifications, position, end, Decoder(self.source.mapper))
            position = end
            if progress is not None:
                progress(Progress(*slot.key, position=end, head=stop, phase="rebuild"))
        return position

    def _read(self, after: int, stop: int, size: int) -> Sequence[Notification]:
        return self.source.recorder.select_notifications(
            after, size, stop=stop, inclusive_of_start=False
        )

    def _tracked_position(self, slot: Slot) -> int | None:
        with self.store.read() as tx:
            return tracking.position(tx, slot.key)

    def _tracked_positions(self) -> dict[Key, int]:
        """Every tracked position, in one read (not one per projection)."""
        with self.store.read() as tx:
            return {(row.name, row.version): row.position for row in tracking.rows(tx)}

    def _commit(
        self,
        slot: Slot,
        notifications: Sequence[Notification],
        start: int,
        end: int,
        decoder: Decoder,
    ) -> Committed:
        projection = slot.projection
        wanted = projection.topics
        handled = 0
        changed: int | None = None
        with self.store.transaction() as tx:
            if slot.live:
                tracking.advance(tx, slot.key, start, end, self.clock())
            handler_tx = ProjectionTx(tx, slot.tables())
            for notification in notifications:
                if not start < notification.id <= end:
                    continue
                if wanted is not None and canonical_topic(notification.topic) not in wanted:
                    continue
                handler_tx.position = notification.id
                try:
                    projection.handle(decoder.event(notification), handler_tx)
                except Exception as exc:
                    raise ProjectionFailed(
                        projection.name, projection.version, notification.id, notification.topic
                    ) from exc
                handled += 1
                changed = notification.id
            try:
                handler_tx.flush()
            except Exception as exc:
                raise ProjectionFailed(
                    projection.name, projection.version, end, "(end of batch)"
                ) from exc
            if slot.live and tx.dialect == "postgres":
                payload = encode_progress(
                    self.scope, projection.name, projection.version, end, start, changed
                )
                tx.execute("SELECT pg_notify(?, ?)", (PROGRESS_CHANNEL, payload))
        return Committed(handled, changed)

    def _committed(
        self,
        slot: Slot,
        start: int,
        position: int,
        changed: int | None,
        head: int,
        progress: ProgressCallback | None,
    ) -> None:
        name, version = slot.key
        for listener in self._listeners:
            listener(name, version, start, position, changed)
        if progress is not None:
            progress(Progress(name, version, position, head))

    def _record_failure(self, slot: Slot, failure: ProjectionFailed) -> None:
        logger.error("projection failed: %s", failure.describe(), exc_info=failure)
        try:
            with self.store.transaction() as tx:
                tracking.record_error(tx, slot.key, failure.describe(), self.clock())
        except Exception:
            logger.exception("could not record the failure of %s v%s", *slot.key)
