"""``campaign-ledger project``: projection workers on PostgreSQL.

Any number of workers may run, on any hosts. Each projection version is
processed by whichever worker holds its session-level advisory lock, taken
with ``pg_try_advisory_lock`` on a dedicated connection: when the holder dies
its session ends, PostgreSQL releases the lock, and a standby — retrying on a
short interval and on every event notification — takes over from the tracked
position. The lock is an efficiency measure; correctness does not depend on
it, because the tracking update of every batch is conditional on the position
the batch started from.

The same connection LISTENs on the event store's channel (the eventsourcing
PostgreSQL recorder NOTIFYs it on every insert), so workers sleep until events
arrive; the safety timeout only bounds the damage of a lost notification.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from typing import Any

import psycopg
from psycopg import sql

from projections.machinery.base import Slot
from projections.machinery.embedded import RetrySchedule
from projections.machinery.engine import ProjectionEngine
from projections.machinery.progress import Wakeup, wait_readable
from projections.machinery.tracking import Key

logger = logging.getLogger(__name__)

APPLICATION_NAME = "ledger-projection-worker"


def lock_key(scope: str, name: str, version: int) -> int:
    """A signed 64-bit advisory-lock key for one projection version in one schema."""
    text = f"campaign-ledger:projection:{scope}:{name}:v{version}"
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresWorker:
    def __init__(
        self,
        engine: ProjectionEngine,
        conninfo: str,
        *,
        events_channel: str | None,
        standby_interval: float = 1.0,
        safety_timeout: float = 5.0,
        reconnect_delay: float = 1.0,
    ) -> None:
        if engine.store.dialect != "postgres":
            raise ValueError("projection workers need the PostgreSQL read store")
        self._engine = engine
        self._conninfo = conninfo
        self._events_channel = events_channel
        self._standby_interval = standby_interval
        self._safety_timeout = safety_timeout
        self._reconnect_delay = reconnect_delay
        self._stopping = threading.Event()
        self._wakeup = Wakeup()
        self._retries = RetrySchedule(1.0, 60.0)
        self._held: frozenset[Key] = frozenset()

    @property
    def held(self) -> frozenset[Key]:
        """The projection versions this worker currently processes."""
        return self._held

    def stop(self) -> None:
        """Ask :meth:`run` to return after the batch in progress; safe from signal handlers."""
        self._stopping.set()
        self._wakeup.set()

    def run(self) -> None:
        """Process projections until :meth:`stop`; reconnects after connection loss."""
        self._engine.install()
        try:
            while not self._stopping.is_set():
                try:
                    with self._connect() as session:
                        self._serve(session)
                except Exception:
                    logger.exception("projection worker lost its session; locks released")
                    self._stopping.wait(self._reconnect_delay)
                finally:
                    self._held = frozenset()
        finally:
            self._wakeup.close()

    def _connect(self) -> psycopg.Connection[Any]:
        connection = psycopg.connect(
            self._conninfo,
            autocommit=True,
            application_name=f"{APPLICATION_NAME}:{os.getpid()}",
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )
        if self._events_channel:
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._events_channel)))
        return connection

    def _serve(self, session: psycopg.Connection[Any]) -> None:
        slots = self._engine.live_slots()
        held: list[Slot] = []
        while not self._stopping.is_set():
            for slot in slots:
                if slot not in held and self._try_lock(session, slot):
                    logger.info("processing projection %s v%s", *slot.key)
                    held.append(slot)
            self._held = frozenset(slot.key for slot in held)
            due = [slot for slot in held if self._retries.due(slot.key)]
            if due:
                result = self._engine.catch_up(
                    due, should_stop=self._stopping.is_set, raise_errors=False
                )
                self._retries.record(result)
            longest = self._safety_timeout if len(held) == len(slots) else self._standby_interval
            wait_readable(session, self._wakeup, self._retries.timeout(longest))

    def _try_lock(self, session: psycopg.Connection[Any], slot: Slot) -> bool:
        key = lock_key(self._engine.scope, *slot.key)
        row = session.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
        return bool(row and row[0])
