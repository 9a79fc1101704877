"""Filling a store fast, for a generator (the demo market) that is the only writer
of the aggregates it creates, one command at a time, and whose store can simply
be generated again.

Such a writer can keep every live aggregate in memory instead of re-reading
(fast-forwarding) and deep-copying it for each command: that was most of its
time after the commits. A refused command may have changed the cached copy
before refusing, so the writer empties the cache on a refusal
(:func:`forget_cached_aggregates`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eventsourcing.application import LRUCache

from domain.infrastructure.settings import Settings

if TYPE_CHECKING:
    from domain.application import Ledger

BULK_CACHE = {
    "AGGREGATE_CACHE_MAXSIZE": "200000",
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
}


def bulk_settings(settings: Settings) -> Settings:
    return replace(settings, extra={**settings.extra, **BULK_CACHE})


def forget_cached_aggregates(ledger: Ledger) -> None:
    """Empties the aggregate cache of a ledger opened with :func:`bulk_settings`."""
    cache = ledger.repository.cache
    if isinstance(cache, LRUCache):
        cache.clear()


@contextmanager
def unsynced_commits(settings: Settings) -> Iterator[Callable[[Ledger], None]]:
    """Commit without waiting for the disk, for a generated store that can simply
    be generated again: one fsync per command is otherwise half of the run.

    SQLite (WAL) with ``synchronous=NORMAL`` and PostgreSQL with
    ``synchronous_commit=off`` may lose the last commits on a power loss but
    never corrupt the store. Yields what to call on the ledger once it is open;
    PostgreSQL connections opened meanwhile take the setting from ``PGOPTIONS``.
    """
    if settings.backend == "postgres":
        previous = os.environ.get("PGOPTIONS")
        os.environ["PGOPTIONS"] = f"{previous or ''} -c synchronous_commit=off".strip()
        try:
            yield lambda ledger: None
        finally:
            if previous is None:
                os.environ.pop("PGOPTIONS", None)
            else:
                os.environ["PGOPTIONS"] = previous
    else:
        yield _sqlite_unsynced


def _sqlite_unsynced(ledger: Ledger) -> None:
    pool = ledger.recorder.datastore.pool  # type: ignore[attr-defined]
    for idle in pool._pool:
        idle._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
    create = pool._create_connection

    def create_unsynced() -> Any:
        connection = create()
        connection._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
        return connection

    pool._create_connection = create_unsynced
