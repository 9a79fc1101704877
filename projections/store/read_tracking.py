"""What one GraphQL execution read, so its answer can be cached exactly.

A read-model query's answer is a function of the tables it read, and those
tables are a function of their projection's active version and position
(docs/architecture.md, "How an event flows"). Recording, during one execution,
which projections were read and where they stood therefore says when the
answer may be served again: while each of them still stands there.

Recording is hooked where every read-model query passes —
:meth:`projections.store.query.QueryTx.version` — rather than in resolvers.
Whatever reads something else (the event store, the head position) marks the
execution *uncacheable*, as does reading one projection at two positions,
which would mix two states in one answer. The record travels in a context
variable, which worker threads (``anyio.to_thread``) and DataLoader tasks
inherit, so every read made on behalf of the execution lands in it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Stand = tuple[str, int, int]
"""A projection's name, active version and position."""


class ReadRecord:
    """The projections one execution read, or why its answer must not be kept."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stands: dict[str, tuple[int, int]] = {}
        self._uncacheable: str | None = None

    def saw(self, name: str, version: int, position: int | None) -> None:
        with self._lock:
            if position is None:
                self._uncacheable = self._uncacheable or f"{name} has no tracked position"
                return
            known = self._stands.setdefault(name, (version, position))
            if known != (version, position):
                self._uncacheable = self._uncacheable or f"{name} was read at two positions"

    def forbid(self, reason: str) -> None:
        with self._lock:
            self._uncacheable = self._uncacheable or reason

    @property
    def uncacheable(self) -> str | None:
        """Why the answer depends on more than the read models; None if it does not."""
        with self._lock:
            return self._uncacheable

    @property
    def stands(self) -> tuple[Stand, ...]:
        """Every projection read, with the version and position it was read at, by name."""
        with self._lock:
            return tuple(
                (name, version, position)
                for name, (version, position) in sorted(self._stands.items())
            )


_current: ContextVar[ReadRecord | None] = ContextVar("ledger_read_record", default=None)


@contextmanager
def recording() -> Iterator[ReadRecord]:
    """Record the reads made in this context (and the threads and tasks it starts)."""
    record = ReadRecord()
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


def saw_projection(name: str, version: int, position: int | None) -> None:
    """A query read ``name``'s tables at that version and position."""
    record = _current.get()
    if record is not None:
        record.saw(name, version, position)


def read_beyond_read_models(reason: str) -> None:
    """The answer being computed depends on something else: the event store, say."""
    record = _current.get()
    if record is not None:
        record.forbid(reason)
