# mypy: disable-error-code="untyped-decorator"
"""``projections``: where each read model stands against the event store.

Positions and lag are public, as ``/readyz`` reports them too; a projection's
last error can quote SQL or internals, so only admins (the operators) see it.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from anyio import to_thread

from graphql_api.ledger_context import Info
from graphql_api.records import from_record
from projections.machinery import status

INT_MAX = (1 << 31) - 1


@strawberry.type(description="One version of one read model and how far it has read.")
class ProjectionStatus:
    name: str
    version: int
    active: bool = strawberry.field(description="Whether queries read this version.")
    position: str = strawberry.field(description="The last store position it has processed.")
    head_position: str = strawberry.field(description="The last position in the event store.")
    lag: int = strawberry.field(description="headPosition − position, in events.")
    updated_at: datetime
    processing: bool | None = strawberry.field(
        description="Whether a runner is processing it; null where that cannot be known."
    )
    error: strawberry.Private[str | None]

    @strawberry.field(description="Why it is stuck, if it is; admins only.")
    def last_error(self, info: Info) -> str | None:
        return self.error if info.context.viewer.is_admin else None

    @classmethod
    def from_status(cls, found: status.ProjectionStatus) -> ProjectionStatus:
        return from_record(
            cls,
            found,
            position=str(found.position),
            head_position=str(found.head_position),
            lag=min(found.lag, INT_MAX),
            error=found.last_error,
        )


@strawberry.type
class StatusQuery:
    @strawberry.field(description="Every tracked read model version, by name.")
    async def projections(self, info: Info) -> list[ProjectionStatus]:
        found = await to_thread.run_sync(info.context.read_side.status)
        return [
            ProjectionStatus.from_status(s)
            for s in sorted(found, key=lambda s: (s.name, s.version))
        ]
