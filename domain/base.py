"""What every aggregate and event of the ledger shares.

Each event carries, besides its payload, the actor (``role:id`` or ``system``),
the correlation id of the request that caused it, the causation id of the event
that caused it (if any), and a UTC timestamp taken from the command's injected
clock — never from the wall clock at import or apply time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, Snapshot

from domain.context import Actor, CommandContext

A = TypeVar("A", bound="LedgerAggregate")


def event_id(originator_id: UUID, version: int) -> str:
    """A stable id for one stored event, used as causation id by the events it causes."""
    return f"{originator_id}/{version}"


class LedgerSnapshot(Snapshot):
    """A snapshot that hands the aggregate back the types its JSON state cannot keep
    (enums come back as text, tuples as lists), so a snapshotted aggregate behaves
    exactly like one replayed from its events."""

    def mutate(self, _: None) -> Any:
        aggregate = super().mutate(None)
        for name, restore in getattr(aggregate, "snapshot_types", {}).items():
            value = getattr(aggregate, name)
            if value is not None:
                setattr(aggregate, name, restore(value))
        return aggregate


class LedgerAggregate(Aggregate):
    Snapshot = LedgerSnapshot
    snapshot_types: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}
    """Attribute name → how to rebuild its value from the snapshot's JSON."""

    class Event(Aggregate.Event):
        actor: str
        correlation_id: str
        causation_id: str | None

        @property
        def event_id(self) -> str:
            return event_id(self.originator_id, self.originator_version)

        @property
        def acting(self) -> Actor:
            return Actor.parse(self.actor)

    @classmethod
    def _start(
        cls: type[A],
        ctx: CommandContext,
        event_class: type[Any],
        aggregate_id: UUID,
        **payload: Any,
    ) -> A:
        return cls._create(
            event_class,
            id=aggregate_id,
            timestamp=ctx.now,
            actor=str(ctx.actor),
            correlation_id=ctx.correlation_id,
            causation_id=ctx.causation_id,
            **payload,
        )

    def _record(self, ctx: CommandContext, event_class: type[Any], **payload: Any) -> None:
        self.trigger_event(
            event_class,
            timestamp=ctx.now,
            actor=str(ctx.actor),
            correlation_id=ctx.correlation_id,
            causation_id=ctx.causation_id,
            **payload,
        )

    def _last_event_id(self) -> str:
        return event_id(self.id, self.version)
