"""Records that make a command's effect unique, saved atomically with its events.

Both are aggregates whose id is derived from what must be unique, so the event
store's (id, version) uniqueness turns a duplicate into a conflict inside the
same transaction as the events they guard — across processes and restarts.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate
from domain.context import Actor, CommandContext

_IDEMPOTENCY = uuid5(NAMESPACE_URL, "campaign-ledger:idempotency")
_UNIQUE = uuid5(NAMESPACE_URL, "campaign-ledger:unique")


def idempotency_record_id(actor: Actor, key: str) -> UUID:
    """Keys are scoped to the caller, so two clients never collide on a key."""
    return uuid5(_IDEMPOTENCY, f"{actor}|{key}")


def unique_value_id(kind: str, value: str) -> UUID:
    return uuid5(_UNIQUE, f"{kind}|{value}")


class IdempotencyRecord(LedgerAggregate):
    """What a command with an idempotency key did: its input digest and its result."""

    class Recorded(LedgerAggregate.Created):
        command: str
        request_digest: str
        result_id: UUID
        result_version: int

        def apply(self, record: IdempotencyRecord) -> None:
            record.command = self.command
            record.request_digest = self.request_digest
            record.result_id = self.result_id
            record.result_version = self.result_version

    def __init__(self) -> None:
        self.command = ""
        self.request_digest = ""
        self.result_id: UUID | None = None
        self.result_version = 0

    @classmethod
    def record(
        cls,
        ctx: CommandContext,
        record_id: UUID,
        *,
        command: str,
        request_digest: str,
        result_id: UUID,
        result_version: int,
    ) -> IdempotencyRecord:
        return cls._start(
            ctx,
            cls.Recorded,
            record_id,
            command=command,
            request_digest=request_digest,
            result_id=result_id,
            result_version=result_version,
        )


class UniqueValue(LedgerAggregate):
    """A claimed unique value, such as a creator's handle."""

    class Claimed(LedgerAggregate.Created):
        kind: str
        value: str
        owner_id: UUID

        def apply(self, claim: UniqueValue) -> None:
            claim.owner_id = self.owner_id

    def __init__(self) -> None:
        self.owner_id: UUID | None = None

    @classmethod
    def claim(cls, ctx: CommandContext, kind: str, value: str, owner_id: UUID) -> UniqueValue:
        return cls._start(
            ctx,
            cls.Claimed,
            unique_value_id(kind, value),
            kind=kind,
            value=value,
            owner_id=owner_id,
        )
