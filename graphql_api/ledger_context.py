"""The context resolvers of the ledger's schema receive: the caller, the
application service, the read side and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry

from domain.access import party_of, reads_everything
from domain.application import Ledger
from domain.catalog import Party
from domain.context import Clock
from graphql_api.http.context import RequestContext
from graphql_api.http.metrics import Metrics
from projections.machinery.runtime import ReadSide
from projections.store.read_tracking import read_beyond_read_models

READ_YOUR_WRITES_TIMEOUT = 2.0
"""How long a query with ``atLeast`` waits for the projections before answering."""


@dataclass(frozen=True)
class Services:
    """What lives for the whole process: the event store and the read side."""

    ledger: Ledger
    read_side: ReadSide
    metrics: Metrics


@dataclass
class LedgerContext(RequestContext):
    services: Services | None = None
    loaders: dict[str, Any] = field(default_factory=dict)

    @property
    def ledger(self) -> Ledger:
        """The application service; a query that asks for it reads the event store,
        so its answer is not one the response cache may keep."""
        assert self.services is not None
        read_beyond_read_models("the event store was read")
        return self.services.ledger

    @property
    def clock(self) -> Clock:
        """The ledger's clock (what \"today\" means), without reading the event store."""
        assert self.services is not None
        return self.services.ledger.clock

    @property
    def read_side(self) -> ReadSide:
        assert self.services is not None
        return self.services.read_side

    def record_events_written(self, events_written: int) -> None:
        if self.services is not None and events_written:
            self.services.metrics.record_events_written(events_written)

    def loader(self, name: str, factory: Any) -> Any:
        """One DataLoader per request per key kind, created on first use."""
        if name not in self.loaders:
            self.loaders[name] = factory(self)
        return self.loaders[name]

    def party_in(self, brand_id: object, creator_id: object) -> Party | None:
        """The caller's side in a campaign between these two, if any."""
        return party_of(self.viewer.actor, brand_id, creator_id)

    @property
    def reads_all(self) -> bool:
        """Auditors and admins read every campaign."""
        return reads_everything(self.viewer.actor)


Info = strawberry.Info[LedgerContext, None]
