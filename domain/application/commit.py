"""Deciding and saving commands: the part of the pipeline after a command is known.

For one command: bind its idempotency key (a retry with the same key and the
same command is answered from the record, changing nothing), load the object
it names, authorize (:mod:`domain.access`), check the expected version, decide
through its handler, and save the events with the key's record in one
transaction. Commands that arrive together share that transaction
(:mod:`domain.application.group_commit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, PersistenceError, Recording

from domain import validation as v
from domain.access import Owners, authorize, refuse_role
from domain.application.commands import Command
from domain.application.group_commit import Batch, GroupCommit, Job
from domain.application.pipeline import TARGETS, CommandResult, Handler, owners_of
from domain.base import LedgerAggregate
from domain.claims import IdempotencyRecord, idempotency_record_id
from domain.context import CommandContext
from domain.errors import Conflict, LedgerError, StoreUnavailable

if TYPE_CHECKING:
    from domain.application.ledger import Ledger

IDEMPOTENCY_KEY_MAX = 200
CONCURRENT_RETRIES = 3
POSTGRES_LANES = 4
"""Commits in flight at once on PostgreSQL (it commits in parallel; SQLite has one writer)."""


@dataclass(frozen=True)
class Request:
    """A command as the caller asked for it, with its idempotency key bound."""

    ctx: CommandContext
    command: Command
    handler: Handler
    expected_version: int | None
    record_id: UUID | None = None
    digest: str | None = None


@dataclass
class Decision:
    """What one command decided: the aggregates to save (the result first) and which
    of their versions are its own events."""

    aggregates: list[LedgerAggregate]
    result_id: UUID
    result_version: int
    events: set[tuple[UUID, int]] = field(default_factory=set)
    replayed: CommandResult | None = None
    produced: tuple[LedgerAggregate.Event, ...] = ()
    """The result aggregate's events of this command, in version order."""


class Committer:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        lanes = 1 if ledger.settings.backend == "sqlite" else POSTGRES_LANES
        self.group = GroupCommit(self._commit, lanes=lanes)

    # --- one request ------------------------------------------------------------------
    def request(
        self,
        ctx: CommandContext,
        command: Command,
        handler: Handler,
        expected_version: int | None,
        idempotency_key: str | None,
    ) -> Request:
        if idempotency_key is None:
            return Request(ctx, command, handler, expected_version)
        key = v.text(idempotency_key, "idempotency_key", max_len=IDEMPOTENCY_KEY_MAX)
        digest = (
            command.digest()
            if handler.digest is None
            else handler.digest(self.ledger, ctx, command)
        )
        record_id = idempotency_record_id(ctx.actor, key)
        return Request(ctx, command, handler, expected_version, record_id, digest)

    def execute(self, request: Request) -> CommandResult:
        replay = self.replay(request)
        if replay is not None:
            return replay
        job = Job(
            run_alone=lambda: self.run_alone(request),
            decide=lambda batch: self.decide(request, batch),
            exclusive_key=request.record_id,
        )
        result: CommandResult = self.group.run(job)
        return result

    def replay(self, request: Request) -> CommandResult | None:
        """The recorded result of an earlier run with the same key, if there is one."""
        if request.record_id is None or request.digest is None:
            return None
        try:
            record: LedgerAggregate = self.ledger.repository.get(request.record_id)
        except AggregateNotFoundError:
            return None
        except PersistenceError as error:
            raise StoreUnavailable(f"the event store is unreachable: {error}") from None
        assert isinstance(record, IdempotencyRecord)
        if record.request_digest != request.digest:
            raise Conflict(
                "this idempotency key was used with a different input", field="idempotency_key"
            )
        assert record.result_id is not None
        return CommandResult(
            record.result_id, record.result_version, self.ledger.head_position(), True
        )

    # --- deciding -------------------------------------------------------------------------
    def target(
        self, command: Command, loaded: dict[UUID, LedgerAggregate] | None = None
    ) -> LedgerAggregate | None:
        """The object the command names: as the batch left it, or from the store."""
        if command.target is None:
            return None
        object_id = command.target_id()
        if loaded is not None and isinstance(object_id, UUID) and object_id in loaded:
            return loaded[object_id]
        kind, name = TARGETS[command.target]
        aggregate = self.ledger.get_aggregate(kind, name, object_id)
        if loaded is not None:
            loaded[aggregate.id] = aggregate
        return aggregate

    def authorized_target(self, ctx: CommandContext, command: Command) -> LedgerAggregate:
        refuse_role(ctx.actor, command.action)
        target = self.target(command)
        assert target is not None, f"{command.action} names no object"
        authorize(ctx.actor, command.action, owners_of(target))
        return target

    def decide(self, request: Request, batch: Batch | None = None) -> Decision:
        """Decides the request (on the batch's aggregates, in a batch); a refusal that a
        retry of an applied request explains (the same key was saved meanwhile) is
        answered as that replay."""
        ctx, command = request.ctx, request.command
        loaded = None if batch is None else batch.aggregates
        before = {} if loaded is None else {i: a.version for i, a in loaded.items()}
        try:
            refuse_role(ctx.actor, command.action)
            target = self.target(command, loaded)
            owners: Owners | None
            if target is not None:
                owners = owners_of(target)
            elif request.handler.owners is not None:
                owners = request.handler.owners(command)
            else:
                owners = None
            authorize(ctx.actor, command.action, owners)
            expected = request.expected_version
            if target is not None and expected not in (None, target.version):
                raise Conflict(
                    f"expected version {expected}, but it is at version {target.version}",
                    field="expected_version",
                )
            aggregates = request.handler.decide(self.ledger, ctx, command, target)
        except LedgerError:
            if batch is not None and _changed(batch.aggregates, before):
                batch.tainted = True
            replay = self.replay(request)
            if replay is None:
                raise
            return Decision([], replay.aggregate_id, replay.version, replayed=replay)
        result = aggregates[0]
        decision = Decision(aggregates, result.id, result.version)
        for aggregate in aggregates:
            first = before.get(aggregate.id, aggregate.version - len(aggregate.pending_events))
            decision.events.update(
                (aggregate.id, n) for n in range(first + 1, aggregate.version + 1)
            )
            if aggregate is result:
                decision.produced = tuple(
                    e
                    for e in result.pending_events
                    if isinstance(e, LedgerAggregate.Event) and e.originator_version > first
                )
        if request.record_id is not None and request.digest is not None:
            record = IdempotencyRecord.record(
                ctx,
                request.record_id,
                command=command.action,
                request_digest=request.digest,
                result_id=result.id,
                result_version=result.version,
            )
            aggregates.append(record)
            decision.events.add((record.id, record.version))
        return decision

    # --- saving ------------------------------------------------------------------------------
    def run_alone(self, request: Request) -> CommandResult:
        """One command in a transaction of its own, retried on a concurrent write."""
        attempts = CONCURRENT_RETRIES if request.expected_version is None else 1
        for attempt in range(attempts):
            decision = self.decide(request)
            if decision.replayed is not None:
                return decision.replayed
            try:
                recordings = self._save(decision.aggregates)
            except IntegrityError:
                replay = self.replay(request)
                if replay is not None:
                    return replay
                if attempt + 1 < attempts:
                    continue
                raise Conflict(
                    "another change to the same object was saved first; reload and retry"
                ) from None
            return _result(decision, _positions(recordings), self.ledger.head_position)
        raise AssertionError("unreachable")

    def _commit(self, batch: Batch, decided: list[tuple[Job, Decision]]) -> None:
        """Saves the batch's decisions in one transaction and answers each job."""
        # By identity: two objects with one id (a unique value claimed twice) must both
        # reach the store, which refuses the second.
        saving: dict[int, LedgerAggregate] = {}
        for job, decision in decided:
            if decision.replayed is not None:
                job.outcome = decision.replayed
                continue
            for aggregate in decision.aggregates:
                saving.setdefault(id(aggregate), aggregate)
        if not saving:
            return
        try:
            recordings = self._save(list(saving.values()))
        except IntegrityError:
            GroupCommit.alone([job for job, d in decided if d.replayed is None])
            return
        positions = _positions(recordings)
        for job, decision in decided:
            if decision.replayed is None:
                job.outcome = _result(decision, positions, self.ledger.head_position)

    def _save(self, aggregates: list[LedgerAggregate]) -> list[Recording[UUID]]:
        try:
            return self.ledger.save(*aggregates)
        except IntegrityError:
            raise
        except PersistenceError as error:
            raise StoreUnavailable(f"the event store is unavailable: {error}") from None


def _changed(aggregates: dict[UUID, LedgerAggregate], before: dict[UUID, int]) -> bool:
    """Whether any aggregate has events since ``before`` (or since it was loaded)."""
    return any(
        a.version != before.get(i, a.version - len(a.pending_events)) for i, a in aggregates.items()
    )


def _positions(recordings: list[Recording[UUID]]) -> dict[tuple[UUID, int], int]:
    return {
        (r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
        for r in recordings
    }


def _result(
    decision: Decision, positions: dict[tuple[UUID, int], int], head: Callable[[], int]
) -> CommandResult:
    """Where the decision's events landed; a decision that changed nothing (a batch of
    giveaway entries already in) is answered with the head, where its object is as it was."""
    mine = [positions[key] for key in decision.events if key in positions]
    result = decision.aggregates[0]
    return CommandResult(
        decision.result_id,
        decision.result_version,
        max(mine) if mine else head(),
        False,
        len(mine),
        events=decision.produced,
        # Saved, so no longer changed by anyone; unless a later command of the batch
        # moved it past this command's version first.
        aggregate=result if result.version == decision.result_version else None,
    )
