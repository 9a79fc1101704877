"""Projections in a background thread of the server process.

The embedded deployment (SQLite, or PostgreSQL in a single process) cannot
rely on LISTEN/NOTIFY, and SQLite recorders cannot subscribe, so the
application's save listener wakes this thread directly: each save sets an
event, the thread catches every projection up and sleeps until the next save.
The safety timeout only bounds how long an event written by some other process
could go unnoticed. A failing projection is retried with exponential backoff
while the others keep running.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from projections.machinery.engine import CatchUpResult, ProjectionEngine
from projections.machinery.tracking import Key

logger = logging.getLogger(__name__)


class EmbeddedRunner:
    def __init__(
        self,
        engine: ProjectionEngine,
        *,
        safety_timeout: float = 5.0,
        min_backoff: float = 1.0,
        max_backoff: float = 60.0,
        on_positions: Callable[[Mapping[Key, int]], None] | None = None,
    ) -> None:
        """``on_positions`` hears where each projection stood after a catch-up, which
        includes positions another process's batches reached."""
        self._engine = engine
        self._on_positions = on_positions
        self._safety_timeout = safety_timeout
        self._min_backoff = min_backoff
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._retries = RetrySchedule(min_backoff, max_backoff)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def notify(self, position: int = 0) -> None:
        """The save listener: new events up to ``position`` are in the store."""
        self._wake.set()

    def start(self) -> None:
        if self.alive:
            return
        self._stopping.clear()
        self._wake.set()
        self._thread = threading.Thread(target=self._run, name="projections", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the batch in progress, then stop; committed work is never undone."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self._catch_up()
            except Exception:
                logger.exception("projection runner could not catch up")
                self._wake.wait(self._min_backoff)
                continue
            self._wake.wait(self._next_timeout())

    def _catch_up(self) -> None:
        slots = [s for s in self._engine.live_slots() if self._retries.due(s.key)]
        result = self._engine.catch_up(slots, should_stop=self._stopping.is_set, raise_errors=False)
        self._retries.record(result)
        if self._on_positions is not None:
            self._on_positions(result.positions)

    def _next_timeout(self) -> float:
        return self._retries.timeout(self._safety_timeout)


class RetrySchedule:
    """Exponential backoff per failing projection, reset by its next success."""

    def __init__(self, min_backoff: float, max_backoff: float) -> None:
        self._min = min_backoff
        self._max = max_backoff
        self._retry_at: dict[Key, float] = {}
        self._backoff: dict[Key, float] = {}

    def due(self, key: Key) -> bool:
        return self._retry_at.get(key, 0.0) <= time.monotonic()

    def record(self, result: CatchUpResult) -> None:
        for key in result.positions.keys() - result.failures.keys():
            self._retry_at.pop(key, None)
            self._backoff.pop(key, None)
        for key in result.failures:
            delay = min(self._backoff.get(key, self._min / 2) * 2, self._max)
            self._backoff[key] = delay
            self._retry_at[key] = time.monotonic() + delay

    def timeout(self, longest: float) -> float:
        """How long to sleep: ``longest``, or less when a retry falls due sooner."""
        if not self._retry_at:
            return longest
        soonest = min(self._retry_at.values()) - time.monotonic()
        return max(0.0, min(longest, soonest))
