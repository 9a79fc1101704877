"""Read-your-writes: block until every active projection has reached a position.

A mutation returns the store position of its last event; a query that passes
it back waits here until the read models include that event. Waiting is on the
:class:`~projections.machinery.progress.ProgressHub` condition, woken by commits — of
the embedded thread in this process, or of ``project`` workers elsewhere via
the PostgreSQL progress listener — and never by polling. The tracking table is
read once per wait, which also covers progress made before this process
started listening.
"""

from __future__ import annotations

from projections.machinery import tracking
from projections.machinery.progress import ProgressHub
from projections.store.readstore import ReadStore


class ProjectionWaiter:
    def __init__(self, store: ReadStore, hub: ProgressHub) -> None:
        self._store = store
        self._hub = hub

    def refresh(self) -> None:
        """Fold the committed tracking and registry rows into the hub."""
        with self._store.read() as tx:
            positions = {(row.name, row.version): row.position for row in tracking.rows(tx)}
            active = tracking.active_versions(tx)
        self._hub.observe(positions, active)

    def wait_for(self, position: int, timeout: float) -> bool:
        """True once all active projections are at ``position`` or beyond; False on timeout.

        Positions are event-store notification ids; a projection that has read
        past ``position`` has reached it even if it ignored those events.
        """
        if self._hub.reached(position):
            return True
        self.refresh()
        return self._hub.wait(position, max(0.0, timeout))
