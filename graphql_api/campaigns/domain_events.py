"""``DomainEvent``: one recorded event with its metadata, as auditors read history.

Built from :class:`domain.audit.RecordedEvent`, whose payload is already plain
JSON (and already sealed where double-blind feedback must stay hidden from
the viewer), so this type only renames and exposes it.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from domain.audit import RecordedEvent
from domain.context import Actor
from graphql_api.enums import ActorRole
from graphql_api.records import from_record


@strawberry.type(description="Who caused an event: a role and, except for the system, an id.")
class EventActor:
    role: ActorRole
    id: str | None

    @classmethod
    def from_text(cls, text: str) -> EventActor:
        actor = Actor.parse(text)
        return cls(role=actor.role, id=actor.id)


@strawberry.type(description="One event as recorded in the append-only store.")
class DomainEvent:
    aggregate_id: strawberry.ID
    aggregate_type: str
    type: str = strawberry.field(description="The event's name, past tense: Pitched, …")
    version: int
    timestamp: datetime
    actor: EventActor
    correlation_id: str = strawberry.field(description="One per API request.")
    causation_id: str | None = strawberry.field(description="The event that caused this one.")
    chain: str = strawberry.field(
        description="SHA-256 over the previous event's chain and this event as recorded: "
        "editing any stored event breaks the chain (checked by `campaign-ledger verify`)."
    )
    payload: JSON

    @classmethod
    def from_recorded(cls, event: RecordedEvent) -> DomainEvent:
        return from_record(
            cls,
            event,
            aggregate_id=strawberry.ID(str(event.aggregate_id)),
            actor=EventActor.from_text(event.actor),
            payload=JSON(event.payload),
        )
