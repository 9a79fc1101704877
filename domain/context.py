"""Who is acting, on behalf of which request, and when.

Every command receives a :class:`CommandContext`; every event records its actor,
correlation id, causation id and a timestamp from the injected :class:`Clock`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from domain.errors import ValidationError


class Role(StrEnum):
    BRAND = "brand"
    CREATOR = "creator"
    AUDITOR = "auditor"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Role and id of who caused an event; ``system`` has no id."""

    role: Role
    id: str | None = None

    def __str__(self) -> str:
        return self.role.value if self.id is None else f"{self.role.value}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> Actor:
        role, _, actor_id = text.partition(":")
        return cls(Role(role), actor_id or None)

    @classmethod
    def system(cls) -> Actor:
        return cls(Role.SYSTEM)

    @classmethod
    def brand(cls, brand_id: UUID | str) -> Actor:
        return cls(Role.BRAND, str(brand_id))

    @classmethod
    def creator(cls, creator_id: UUID | str) -> Actor:
        return cls(Role.CREATOR, str(creator_id))

    @classmethod
    def admin(cls, person_id: str = "admin") -> Actor:
        return cls(Role.ADMIN, person_id)

    @classmethod
    def auditor(cls, person_id: str = "auditor") -> Actor:
        return cls(Role.AUDITOR, person_id)


Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def utc(moment: datetime) -> datetime:
    """A timezone-aware UTC datetime; naive input is refused rather than guessed."""
    if moment.tzinfo is None:
        raise ValidationError("timestamps must carry a timezone")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class CommandContext:
    """The metadata every event of one command carries."""

    actor: Actor
    correlation_id: str
    now: datetime
    causation_id: str | None = None

    @classmethod
    def create(
        cls,
        actor: Actor,
        clock: Clock = system_clock,
        correlation_id: str | None = None,
    ) -> CommandContext:
        return cls(actor=actor, correlation_id=correlation_id or uuid4().hex, now=utc(clock()))

    def caused_by(self, causation_id: str) -> CommandContext:
        return replace(self, causation_id=causation_id)
