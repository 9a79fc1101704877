"""The application service: the event store, the aggregates in it, and the one
pipeline every command goes through (:meth:`Ledger.execute`).

Every command takes a :class:`CommandContext` (actor, correlation id, clock
time), an optional ``expected_version`` (stale → :class:`Conflict`) and an
optional ``idempotency_key``: the same key with the same command returns the
original result and records nothing; with a different command it is a
conflict. The key's record is saved in the same transaction as the events it
guards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    PersistenceError,
    Recording,
)

from domain import validation as v
from domain.access import Owners, authorize, refuse_role
from domain.application import briefs, campaigns, profiles
from domain.application.commands import Command
from domain.application.pipeline import TARGETS, CommandResult, Handler, owners_of
from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.brief import Brief
from domain.campaign import Campaign
from domain.claims import IdempotencyRecord, idempotency_record_id
from domain.context import Actor, Clock, CommandContext, system_clock
from domain.creator import Creator
from domain.errors import (
    Conflict,
    LedgerError,
    NotFound,
    StoreUnavailable,
    ValidationError,
)
from domain.infrastructure.key_vault import open_key_vault
from domain.infrastructure.settings import Settings
from domain.personal_data import ContactDetails, KeyVault, unseal
from domain.transcoding import register_value_objects

T = TypeVar("T", bound=LedgerAggregate)
IDEMPOTENCY_KEY_MAX = 200
CONCURRENT_RETRIES = 3

HANDLERS: dict[type[Command], Handler] = {
    **profiles.HANDLERS,
    **briefs.HANDLERS,
    **campaigns.HANDLERS,
}
"""How each command decides, by command type."""


class Ledger(Application[UUID]):
    name = "CampaignLedger"
    snapshotting_intervals = {Campaign: 50, Creator: 50, Brand: 50, Brief: 50}

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        clock: Clock = system_clock,
        new_id: Callable[[], UUID] = uuid4,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.clock = clock
        self.new_id = new_id
        self._listeners: list[Callable[[int], None]] = []
        self._listeners_lock = threading.Lock()
        self._vault: KeyVault | None = None
        try:
            super().__init__(env=self.settings.eventsourcing_env())
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(f"the event store is unreachable: {error}") from None

    @property
    def vault(self) -> KeyVault:
        """Per-creator keys for personal data, opened on first use."""
        if self._vault is None:
            self._vault = open_key_vault(self.settings)
        return self._vault

    def close(self) -> None:
        vault = getattr(self, "_vault", None)
        if vault is not None:
            vault.close()
            self._vault = None
        super().close()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_value_objects(transcoder)

    # --- notification of saves (wakes embedded projections) --------------------
    def add_save_listener(self, listener: Callable[[int], None]) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_save_listener(self, listener: Callable[[int], None]) -> None:
        with self._listeners_lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if not recordings:
            return
        position = max(r.notification.id for r in recordings)
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(position)

    def context(self, actor: Actor, correlation_id: str | None = None) -> CommandContext:
        return CommandContext.create(actor, self.clock, correlation_id)

    # --- queries -----------------------------------------------------------------
    def head_position(self) -> int:
        try:
            return self.recorder.max_notification_id() or 0
        except PersistenceError as error:
            raise StoreUnavailable(f"the event store is unreachable: {error}") from None

    def get_brand(self, brand_id: UUID) -> Brand:
        return self._get(Brand, "brand", brand_id)

    def get_creator(self, creator_id: UUID) -> Creator:
        return self._get(Creator, "creator", creator_id)

    def get_brief(self, brief_id: UUID) -> Brief:
        return self._get(Brief, "brief", brief_id)

    def get_campaign(self, campaign_id: UUID, version: int | None = None) -> Campaign:
        return self._get(Campaign, "campaign", campaign_id, version)

    def get_contact_details(self, creator_id: UUID) -> ContactDetails | None:
        """The latest details, or None when none were recorded or the key is gone."""
        creator = self.get_creator(creator_id)
        if creator.contact_details_sealed is None or creator.personal_data_erased:
            return None
        return unseal(self.vault, creator.id, creator.contact_details_sealed)

    def _get(self, kind: type[T], name: str, object_id: object, version: int | None = None) -> T:
        if not isinstance(object_id, UUID):
            raise NotFound(name, object_id)
        try:
            aggregate: LedgerAggregate = self.repository.get(object_id, version=version)
        except AggregateNotFoundError:
            raise NotFound(name, object_id) from None
        except PersistenceError as error:
            raise StoreUnavailable(f"the event store is unreachable: {error}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(name, object_id)
        return aggregate

    # --- the command pipeline ----------------------------------------------------
    def execute(
        self,
        ctx: CommandContext,
        command: Command,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Load, authorize, decide and save ``command``, as ``ctx.actor``."""
        handler = HANDLERS.get(type(command))
        if handler is None:
            raise ValidationError(f"{type(command).__name__} is not a command of the ledger")
        _check_expected_version(expected_version)
        try:
            result = self._run(ctx, command, handler, expected_version, idempotency_key)
        except Conflict:
            if handler.settle is not None:
                handler.settle(self, command)
            raise
        if handler.settle is not None:
            handler.settle(self, command)
        return result

    def authorized_target(self, ctx: CommandContext, command: Command) -> LedgerAggregate:
        """The object ``command`` names, loaded, once the caller may act on it."""
        refuse_role(ctx.actor, command.action)
        target = self._target(command)
        assert target is not None, f"{command.action} names no object"
        authorize(ctx.actor, command.action, owners_of(target))
        return target

    def _target(self, command: Command) -> LedgerAggregate | None:
        if command.target is None:
            return None
        kind, name = TARGETS[command.target]
        return self._get(kind, name, command.target_id())

    def _decide(
        self,
        ctx: CommandContext,
        command: Command,
        handler: Handler,
        expected_version: int | None,
    ) -> list[LedgerAggregate]:
        refuse_role(ctx.actor, command.action)
        target = self._target(command)
        owners: Owners | None
        if target is not None:
            owners = owners_of(target)
        else:
            owners = None if handler.owners is None else handler.owners(command)
        authorize(ctx.actor, command.action, owners)
        if target is not None and expected_version not in (None, target.version):
            raise Conflict(
                f"expected version {expected_version}, but it is at version {target.version}",
                field="expected_version",
            )
        return handler.decide(self, ctx, command, target)

    def _run(
        self,
        ctx: CommandContext,
        command: Command,
        handler: Handler,
        expected_version: int | None,
        idempotency_key: str | None,
    ) -> CommandResult:
        record_id = digest = None
        if idempotency_key is not None:
            key = v.text(idempotency_key, "idempotency_key", max_len=IDEMPOTENCY_KEY_MAX)
            record_id = idempotency_record_id(ctx.actor, key)
            digest = (
                command.digest() if handler.digest is None else handler.digest(self, ctx, command)
            )
            replay = self._replay(record_id, digest)
            if replay is not None:
                return replay
        attempts = CONCURRENT_RETRIES if expected_version is None else 1
        for attempt in range(attempts):
            try:
                aggregates = self._decide(ctx, command, handler, expected_version)
            except LedgerError:
                # The same request may have been saved since the check above (a client
                # retrying while its first attempt was in flight): that is a replay.
                if record_id is not None and digest is not None:
                    replay = self._replay(record_id, digest)
                    if replay is not None:
                        return replay
                raise
            result = aggregates[0]
            if record_id is not None and digest is not None:
                aggregates.append(
                    IdempotencyRecord.record(
                        ctx,
                        record_id,
                        command=command.action,
                        request_digest=digest,
                        result_id=result.id,
                        result_version=result.version,
                    )
                )
            try:
                recordings = self.save(*aggregates)
            except IntegrityError:
                if record_id is not None and digest is not None:
                    replay = self._replay(record_id, digest)
                    if replay is not None:
                        return replay
                if attempt + 1 < attempts:
                    continue
                raise Conflict(
                    "another change to the same object was saved first; reload and retry"
                ) from None
            except PersistenceError as error:
                raise StoreUnavailable(f"the event store is unavailable: {error}") from None
            position = max(r.notification.id for r in recordings)
            return CommandResult(result.id, result.version, position, False, len(recordings))
        raise AssertionError("unreachable")

    def _replay(self, record_id: UUID, digest: str) -> CommandResult | None:
        try:
            record: LedgerAggregate = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        except PersistenceError as error:
            raise StoreUnavailable(f"the event store is unreachable: {error}") from None
        assert isinstance(record, IdempotencyRecord)
        if record.request_digest != digest:
            raise Conflict(
                "this idempotency key was used with a different input", field="idempotency_key"
            )
        assert record.result_id is not None
        return CommandResult(record.result_id, record.result_version, self.head_position(), True)


def _check_expected_version(expected_version: object) -> None:
    if expected_version is not None and (
        isinstance(expected_version, bool) or not isinstance(expected_version, int)
    ):
        raise ValidationError("expected_version must be an integer", field="expected_version")
