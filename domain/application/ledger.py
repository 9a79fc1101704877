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
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    PersistenceError,
    Recording,
)

from domain.application import briefs, campaigns, profiles
from domain.application.commands import Command
from domain.application.commit import Committer
from domain.application.group_commit import GroupCommit
from domain.application.pipeline import CommandResult, Handler
from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.brief import Brief
from domain.campaign import Campaign
from domain.context import Actor, Clock, CommandContext, system_clock
from domain.creator import Creator
from domain.errors import (
    Conflict,
    NotFound,
    StoreUnavailable,
    ValidationError,
)
from domain.infrastructure.key_vault import open_key_vault
from domain.infrastructure.settings import Settings
from domain.personal_data import ContactDetails, KeyVault, unseal
from domain.transcoding import register_value_objects

T = TypeVar("T", bound=LedgerAggregate)

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
        self._committer = Committer(self)
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
            request = self._committer.request(
                ctx, command, handler, expected_version, idempotency_key
            )
            result = self._committer.execute(request)
        except Conflict:
            if handler.settle is not None:
                handler.settle(self, command)
            raise
        if handler.settle is not None:
            handler.settle(self, command)
        return result

    def authorized_target(self, ctx: CommandContext, command: Command) -> LedgerAggregate:
        """The object ``command`` names, loaded, once the caller may act on it."""
        return self._committer.authorized_target(ctx, command)

    def get_aggregate(self, kind: type[T], name: str, object_id: object) -> T:
        """An aggregate of the given kind, or NotFound (``name`` says what is missing)."""
        return self._get(kind, name, object_id)

    @property
    def commits(self) -> GroupCommit:
        """The group commit every command goes through (and its counters)."""
        return self._committer.group


def _check_expected_version(expected_version: object) -> None:
    if expected_version is not None and (
        isinstance(expected_version, bool) or not isinstance(expected_version, int)
    ):
        raise ValidationError("expected_version must be an integer", field="expected_version")
