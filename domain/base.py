"""What every aggregate and event of the ledger shares.

Each event carries, besides its payload, the actor (``role:id`` or ``system``),
the correlation id of the request that caused it, the causation id of the event
that caused it (if any), and a UTC timestamp taken from the command's injected
clock — never from the wall clock at import or apply time. Every event is
also a link of its aggregate's hash chain (:mod:`domain.chain`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.utils import get_topic

from domain.chain import GENESIS, chain_digest
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
        chain: str

        def mutate(self, aggregate: Any) -> Any:
            mutated = super().mutate(aggregate)
            mutated.__dict__["_chain_head"] = self.chain
            return mutated

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
        fields = _metadata(ctx) | payload
        chain = chain_digest(
            GENESIS,
            get_topic(event_class),
            {
                "originator_id": aggregate_id,
                "originator_version": cls.INITIAL_VERSION,
                "originator_topic": get_topic(cls),
                **fields,
            },
        )
        return cls._create(event_class, id=aggregate_id, chain=chain, **fields)

    def _record(self, ctx: CommandContext, event_class: type[Any], **payload: Any) -> None:
        fields = _metadata(ctx) | payload
        chain = chain_digest(
            self.chain_head,
            get_topic(event_class),
            {"originator_id": self.id, "originator_version": self.version + 1, **fields},
        )
        self.trigger_event(event_class, chain=chain, **fields)

    def _last_event_id(self) -> str:
        return event_id(self.id, self.version)

    @property
    def chain_head(self) -> str:
        """The ``chain`` digest of the latest event, which the next event's digest covers."""
        return str(self.__dict__.get("_chain_head", GENESIS))


def _metadata(ctx: CommandContext) -> dict[str, Any]:
    return {
        "timestamp": ctx.now,
        "actor": str(ctx.actor),
        "correlation_id": ctx.correlation_id,
        "causation_id": ctx.causation_id,
    }
