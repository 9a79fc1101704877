"""The projection machinery wired for one process, from :class:`Settings`.

Which parts run depends on the process: the embedded server starts the
background runner; ``campaign-ledger project`` runs a PostgreSQL worker; an
API server beside such workers only listens for their progress; CLI
maintenance commands call rebuild, switch and verify. Every process can wait
for a position, report status and open read transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

from domain.context import Clock, system_clock
from domain.infrastructure.settings import Settings
from projections.machinery import maintenance, verify
from projections.machinery.base import Projection
from projections.machinery.embedded import EmbeddedRunner
from projections.machinery.engine import EventSource, ProgressCallback, ProjectionEngine
from projections.machinery.progress import PostgresProgressListener, ProgressHub
from projections.machinery.status import ProjectionStatus, projection_status
from projections.machinery.tracking import Key
from projections.machinery.waiting import ProjectionWaiter
from projections.machinery.worker import PostgresWorker
from projections.store.query import QueryTx, follow_progress, reading
from projections.store.read_tracking import read_beyond_read_models
from projections.store.readstore import open_read_store


@runtime_checkable
class SaveNotifier(Protocol):
    """An application that calls listeners with the highest position it just saved."""

    def add_save_listener(self, callback: Callable[[int], None]) -> None: ...


class ReadSide:
    """The read store, engine, progress hub and waiter of one process, installed.

    Construction creates whatever tables are missing, so every process — API,
    worker or CLI — can query, wait and report status straight away; the
    runners are started explicitly because each process needs a different one.
    """

    def __init__(
        self,
        settings: Settings,
        source: EventSource,
        projections: Iterable[Projection],
        *,
        batch_size: int = 500,
        clock: Clock = system_clock,
        pool_size: int = 10,
    ) -> None:
        self.settings = settings
        self.source = source
        self.store = open_read_store(settings, pool_size=pool_size)
        self.scope = (settings.postgres.schema or "public") if settings.database_url else "sqlite"
        self.engine = ProjectionEngine(
            source, self.store, projections, batch_size=batch_size, clock=clock, scope=self.scope
        )
        self.hub = ProgressHub(required={p.name for p in self.engine.projections})
        self.engine.add_commit_listener(self.hub.committed)
        follow_progress(self.store, self.hub)
        self.waiter = ProjectionWaiter(self.store, self.hub)
        self._runner: EmbeddedRunner | None = None
        self._listener: PostgresProgressListener | None = None
        self._worker: PostgresWorker | None = None
        try:
            self.engine.install()
            self.waiter.refresh()
        except BaseException:
            self.store.close()
            raise

    def start_embedded(self, *, safety_timeout: float = 5.0) -> None:
        """Run projections in a background thread woken by the application's saves."""
        if self._runner is None:
            self._runner = EmbeddedRunner(
                self.engine, safety_timeout=safety_timeout, on_positions=self._learn_positions
            )
            if isinstance(self.source, SaveNotifier):
                self.source.add_save_listener(self._runner.notify)
        self._runner.start()

    def _learn_positions(self, positions: Mapping[Key, int]) -> None:
        # Positions the engine found moved by another process (its batches were not
        # heard of here): the hub takes them as changes, which keeps cached answers exact.
        for (name, version), position in positions.items():
            self.hub.publish(name, version, position)

    def start_listening(self) -> None:
        """On PostgreSQL, learn of progress made by ``project`` workers in other processes."""
        if self.settings.database_url is None or self._listener is not None:
            return
        self.hub.expect_listener()
        self._listener = PostgresProgressListener(
            self.settings.postgres.conninfo(), self.scope, self.hub, self.waiter.refresh
        )
        self._listener.start()

    def stop_listening(self) -> None:
        """Stop hearing of other processes' progress (the listener, if any, goes)."""
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def wait_listening(self, timeout: float) -> bool:
        return self._listener is None or self._listener.wait_ready(timeout)

    def run_worker(self, *, standby_interval: float = 1.0, safety_timeout: float = 5.0) -> None:
        """Process projections as a PostgreSQL worker until :meth:`stop_worker`."""
        self._worker = PostgresWorker(
            self.engine,
            self.settings.postgres.conninfo(),
            events_channel=getattr(self.source.recorder, "channel_name", None),
            standby_interval=standby_interval,
            safety_timeout=safety_timeout,
        )
        self._worker.run()

    def stop_worker(self) -> None:
        """Make :meth:`run_worker` return; safe to call from a signal handler."""
        if self._worker is not None:
            self._worker.stop()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Read-your-writes: True once every active projection has reached ``position``.

        On PostgreSQL a process that does not run the projections itself starts
        listening for their progress on first use.
        """
        if self._runner is None and self._listener is None:
            self.start_listening()
        return self.waiter.wait_for(position, timeout)

    def status(self) -> list[ProjectionStatus]:
        read_beyond_read_models("projection status reads the event store's head")
        runner_alive = self._runner.alive if self._runner is not None else None
        return projection_status(
            self.source, self.store, scope=self.scope, runner_alive=runner_alive
        )

    def reading(self) -> AbstractContextManager[QueryTx]:
        return reading(self.store)

    def rebuild(
        self, name: str | None = None, progress: ProgressCallback | None = None
    ) -> list[maintenance.RebuildResult]:
        return maintenance.rebuild(self.engine, name, progress=progress)

    def switch(
        self, name: str, version: int, *, drop_old: bool = False, force: bool = False
    ) -> int | None:
        return maintenance.switch(self.engine, name, version, drop_old=drop_old, force=force)

    def verify(
        self, name: str | None = None, progress: ProgressCallback | None = None
    ) -> list[verify.Difference]:
        return verify.verify(self.engine, name, progress=progress)

    def close(self) -> None:
        if self._runner is not None:
            self._runner.stop()
        if self._listener is not None:
            self._listener.stop()
        self.stop_worker()
        self.store.close()

    def __enter__(self) -> ReadSide:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
