"""The application service: one method per action of the API, each a verb that
loads, calls one aggregate method, saves and returns where the result landed.

Every command takes a :class:`CommandContext` (actor, correlation id, clock
time), an optional ``expected_version`` (stale → :class:`Conflict`) and an
optional ``idempotency_key``: the same key with the same input returns the
original result and records nothing; with different input it is a conflict.
The key's record is saved in the same transaction as the events it guards.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
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
from domain.base import LedgerAggregate
from domain.brand import Brand
from domain.brief import Brief
from domain.campaign import Campaign
from domain.canonical import digest_of
from domain.claims import IdempotencyRecord, UniqueValue, idempotency_record_id
from domain.context import Actor, Clock, CommandContext, Role, system_clock
from domain.creator import Creator
from domain.errors import (
    Conflict,
    Forbidden,
    LedgerError,
    NotFound,
    StoreUnavailable,
    ValidationError,
)
from domain.jsonable import to_jsonable
from domain.key_vault import open_key_vault
from domain.money import Money
from domain.personal_data import ContactDetails, KeyVault, seal, unseal
from domain.settings import Settings
from domain.terms import Terms
from domain.transcoding import register_value_objects

T = TypeVar("T", bound=LedgerAggregate)
IDEMPOTENCY_KEY_MAX = 200
CONCURRENT_RETRIES = 3


@dataclass(frozen=True)
class CommandResult:
    """Where a command's effect landed: the aggregate, its new version, and the
    store position of the last event written (on an idempotent replay, a position
    at which the original write is already visible)."""

    aggregate_id: UUID
    version: int
    position: int
    replayed: bool = False
    events_written: int = 0


def _request_digest(command: str, inputs: Mapping[str, Any]) -> str:
    """What an idempotency key is bound to; input that is not plain data is refused
    here, since no valid command carries any."""
    plain: dict[str, Any] = {}
    for name, value in inputs.items():
        try:
            plain[str(name)] = to_jsonable(value)
        except TypeError:
            raise ValidationError(
                f"{name} has an unsupported type {type(value).__name__}", field=str(name)
            ) from None
    return digest_of({"command": command, "input": plain})


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

    def _get(self, kind: type[T], name: str, object_id: UUID, version: int | None = None) -> T:
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
    def _command(
        self,
        ctx: CommandContext,
        command: str,
        inputs: Mapping[str, Any],
        idempotency_key: str | None,
        decide: Callable[[], Sequence[LedgerAggregate]],
        *,
        retry_on_conflict: bool = True,
    ) -> CommandResult:
        record_id = digest = None
        if idempotency_key is not None:
            key = v.text(idempotency_key, "idempotency_key", max_len=IDEMPOTENCY_KEY_MAX)
            record_id = idempotency_record_id(ctx.actor, key)
            digest = _request_digest(command, inputs)
            replay = self._replay(record_id, digest)
            if replay is not None:
                return replay
        attempts = CONCURRENT_RETRIES if retry_on_conflict else 1
        for attempt in range(attempts):
            try:
                aggregates = list(decide())
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
                        command=command,
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

    @staticmethod
    def _check_version(aggregate: LedgerAggregate, expected_version: int | None) -> None:
        if expected_version is not None and (
            isinstance(expected_version, bool) or not isinstance(expected_version, int)
        ):
            raise ValidationError("expected_version must be an integer", field="expected_version")
        if expected_version is not None and aggregate.version != expected_version:
            raise Conflict(
                f"expected version {expected_version}, but it is at version {aggregate.version}",
                field="expected_version",
            )

    @staticmethod
    def _require_admin(ctx: CommandContext) -> None:
        if ctx.actor.role not in {Role.ADMIN, Role.SYSTEM}:
            raise Forbidden("only an admin may do this")

    def _own_brand(
        self, ctx: CommandContext, brand_id: UUID, expected_version: int | None = None
    ) -> Brand:
        brand = self.get_brand(brand_id)
        if ctx.actor.role is Role.ADMIN:
            pass
        elif ctx.actor.role is not Role.BRAND or ctx.actor.id != str(brand_id):
            raise NotFound("brand", brand_id)
        self._check_version(brand, expected_version)
        return brand

    def _own_creator(
        self, ctx: CommandContext, creator_id: UUID, expected_version: int | None = None
    ) -> Creator:
        creator = self.get_creator(creator_id)
        if ctx.actor.role in {Role.ADMIN, Role.SYSTEM}:
            pass
        elif ctx.actor.role is not Role.CREATOR or ctx.actor.id != str(creator_id):
            raise NotFound("creator", creator_id)
        self._check_version(creator, expected_version)
        return creator

    def _party_campaign(
        self, ctx: CommandContext, campaign_id: UUID, expected_version: int | None
    ) -> Campaign:
        """A campaign the actor is a party to; to anyone else it does not exist."""
        campaign = self.get_campaign(campaign_id)
        if campaign.party_of(ctx.actor) is None and ctx.actor.role is not Role.SYSTEM:
            raise NotFound("campaign", campaign_id)
        self._check_version(campaign, expected_version)
        return campaign

    def _on_campaign(
        self,
        ctx: CommandContext,
        command: str,
        campaign_id: UUID,
        expected_version: int | None,
        idempotency_key: str | None,
        inputs: Mapping[str, Any],
        act: Callable[[Campaign], None],
    ) -> CommandResult:
        def decide() -> list[LedgerAggregate]:
            campaign = self._party_campaign(ctx, campaign_id, expected_version)
            act(campaign)
            return [campaign]

        return self._command(
            ctx,
            command,
            {"campaign_id": campaign_id, **inputs},
            idempotency_key,
            decide,
            retry_on_conflict=expected_version is None,
        )

    # --- brands ------------------------------------------------------------------
    def register_brand(
        self,
        ctx: CommandContext,
        *,
        name: object,
        industry: object,
        causes: Iterable[object] = (),
        website: object = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        self._require_admin(ctx)
        inputs: dict[str, Any] = {
            "name": name,
            "industry": industry,
            "causes": v.items(causes, "causes"),
            "website": website,
        }
        return self._command(
            ctx,
            "registerBrand",
            inputs,
            idempotency_key,
            lambda: [Brand.register(ctx, self.new_id(), **inputs)],
            retry_on_conflict=False,
        )

    def update_brand_profile(
        self,
        ctx: CommandContext,
        brand_id: UUID,
        *,
        name: object = None,
        industry: object = None,
        causes: Iterable[object] | None = None,
        website: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "brand_id": brand_id,
            "name": name,
            "industry": industry,
            "causes": None if causes is None else v.items(causes, "causes"),
            "website": website,
        }

        def decide() -> list[LedgerAggregate]:
            brand = self._own_brand(ctx, brand_id, expected_version)
            brand.update_profile(
                ctx, name=name, industry=industry, causes=inputs["causes"], website=website
            )
            return [brand]

        return self._command(ctx, "updateBrandProfile", inputs, idempotency_key, decide)

    # --- creators ----------------------------------------------------------------
    def register_creator(
        self,
        ctx: CommandContext,
        *,
        handle: object,
        display_name: object,
        niches: Iterable[object],
        origin: object,
        country: object = "ID",
        languages: Iterable[object] = ("id",),
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """A creator's handle is unique across the ledger."""
        self._require_admin(ctx)
        inputs: dict[str, Any] = {
            "handle": handle,
            "display_name": display_name,
            "niches": v.items(niches, "niches"),
            "origin": origin,
            "country": country,
            "languages": v.items(languages, "languages"),
        }

        def decide() -> list[LedgerAggregate]:
            creator = Creator.register(ctx, self.new_id(), **inputs)
            if self._handle_taken(creator.handle):
                raise Conflict(f"the handle {creator.handle} is taken", field="handle")
            return [creator, UniqueValue.claim(ctx, "creator-handle", creator.handle, creator.id)]

        try:
            return self._command(
                ctx, "registerCreator", inputs, idempotency_key, decide, retry_on_conflict=False
            )
        except Conflict as conflict:
            if conflict.field is None:
                raise Conflict("the handle is taken", field="handle") from None
            raise

    def _handle_taken(self, handle: str) -> bool:
        from domain.claims import unique_value_id

        try:
            self.repository.get(unique_value_id("creator-handle", handle))
        except AggregateNotFoundError:
            return False
        return True

    def link_platform_account(
        self,
        ctx: CommandContext,
        creator_id: UUID,
        *,
        platform: object,
        handle: object,
        followers: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {"creator_id": creator_id, "platform": platform, "handle": handle}
        inputs["followers"] = followers
        return self._on_creator(
            ctx,
            "linkPlatformAccount",
            creator_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.link_platform_account(
                ctx, platform=platform, handle=handle, followers=followers
            ),
        )

    def record_followers(
        self,
        ctx: CommandContext,
        creator_id: UUID,
        *,
        platform: object,
        followers: object,
        observed_at: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "creator_id": creator_id,
            "platform": platform,
            "followers": followers,
            "observed_at": observed_at,
        }
        return self._on_creator(
            ctx,
            "recordFollowers",
            creator_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.record_followers(
                ctx, platform=platform, followers=followers, observed_at=observed_at
            ),
        )

    def publish_rate_card(
        self,
        ctx: CommandContext,
        creator_id: UUID,
        *,
        lines: Sequence[Mapping[str, Any]],
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        chosen = v.items(lines, "lines")
        return self._on_creator(
            ctx,
            "publishRateCard",
            creator_id,
            expected_version,
            idempotency_key,
            {"creator_id": creator_id, "lines": chosen},
            lambda c: c.publish_rate_card(ctx, lines=lines),
        )

    def declare_causes(
        self,
        ctx: CommandContext,
        creator_id: UUID,
        *,
        causes: Iterable[object],
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        chosen = v.items(causes, "causes")
        return self._on_creator(
            ctx,
            "declareCauses",
            creator_id,
            expected_version,
            idempotency_key,
            {"creator_id": creator_id, "causes": chosen},
            lambda c: c.declare_causes(ctx, causes=chosen),
        )

    def record_contact_details(
        self,
        ctx: CommandContext,
        creator_id: UUID,
        *,
        legal_name: object,
        email: object,
        phone: object = None,
        payout_account: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """Only ciphertext is stored; the idempotency digest covers a keyed hash of the
        details, so no plaintext (nor a plain hash of it) outlives the creator's key."""
        details = ContactDetails.create(
            {
                "legal_name": legal_name,
                "email": email,
                "phone": phone,
                "payout_account": payout_account,
            }
        )
        creator = self._own_creator(ctx, creator_id, None)
        if creator.personal_data_erased:
            # Refused before the vault is asked, which would mint a new key.
            raise Conflict("this creator's personal data was erased", field="creator_id")
        fingerprint = hmac.new(
            self.vault.key_for(creator.id, create=True) or b"",
            repr(sorted(vars(details).items())).encode(),
            hashlib.sha256,
        ).hexdigest()
        return self._on_creator(
            ctx,
            "recordContactDetails",
            creator_id,
            expected_version,
            idempotency_key,
            {"creator_id": creator_id, "details": fingerprint},
            lambda c: c.record_contact_details(ctx, sealed=seal(self.vault, c.id, details)),
        )

    def get_contact_details(self, creator_id: UUID) -> ContactDetails | None:
        """The latest details, or None when none were recorded or the key is gone."""
        creator = self.get_creator(creator_id)
        if creator.contact_details_sealed is None or creator.personal_data_erased:
            return None
        return unseal(self.vault, creator.id, creator.contact_details_sealed)

    def forget_creator(
        self, ctx: CommandContext, creator_id: UUID, *, idempotency_key: str | None = None
    ) -> CommandResult:
        """Destroys the creator's key (admins only) and records that it happened."""
        self._require_admin(ctx)

        def decide() -> list[LedgerAggregate]:
            creator = self.get_creator(creator_id)
            creator.erase_personal_data(ctx)
            return [creator]

        try:
            result = self._command(
                ctx, "forgetCreator", {"creator_id": creator_id}, idempotency_key, decide
            )
        except Conflict:
            # Already recorded, perhaps by a run that stopped before the key was
            # destroyed: destroy it now, then report the conflict.
            if self.get_creator(creator_id).personal_data_erased:
                self.vault.forget(creator_id)
            raise
        self.vault.forget(creator_id)
        return result

    def _on_creator(
        self,
        ctx: CommandContext,
        command: str,
        creator_id: UUID,
        expected_version: int | None,
        idempotency_key: str | None,
        inputs: Mapping[str, Any],
        act: Callable[[Creator], None],
    ) -> CommandResult:
        def decide() -> list[LedgerAggregate]:
            creator = self._own_creator(ctx, creator_id, expected_version)
            act(creator)
            return [creator]

        return self._command(
            ctx,
            command,
            inputs,
            idempotency_key,
            decide,
            retry_on_conflict=expected_version is None,
        )

    # --- briefs ------------------------------------------------------------------
    def publish_brief(
        self,
        ctx: CommandContext,
        brand_id: UUID,
        *,
        title: object,
        objective: object,
        key_messages: Iterable[object] = (),
        niches: Iterable[object] = (),
        platforms: Iterable[object] = (),
        budget: Money | None = None,
        starts_on: object,
        ends_on: object,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "title": title,
            "objective": objective,
            "key_messages": v.items(key_messages, "key_messages"),
            "niches": v.items(niches, "niches"),
            "platforms": v.items(platforms, "platforms"),
            "budget": budget,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }

        def decide() -> list[LedgerAggregate]:
            if ctx.actor.role is not Role.BRAND or ctx.actor.id != str(brand_id):
                raise Forbidden("only the brand itself may publish its briefs")
            self.get_brand(brand_id)
            return [Brief.publish(ctx, self.new_id(), brand_id=brand_id, **inputs)]

        return self._command(
            ctx,
            "publishBrief",
            {"brand_id": brand_id, **inputs},
            idempotency_key,
            decide,
            retry_on_conflict=False,
        )

    def close_brief(
        self,
        ctx: CommandContext,
        brief_id: UUID,
        *,
        reason: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        def decide() -> list[LedgerAggregate]:
            brief = self.get_brief(brief_id)
            if ctx.actor.role is not Role.BRAND or ctx.actor.id != str(brief.brand_id):
                raise NotFound("brief", brief_id)
            self._check_version(brief, expected_version)
            brief.close(ctx, reason=reason)
            return [brief]

        return self._command(
            ctx,
            "closeBrief",
            {"brief_id": brief_id, "reason": reason},
            idempotency_key,
            decide,
            retry_on_conflict=expected_version is None,
        )

    # --- campaigns: pitch and agreement ------------------------------------------
    def pitch_campaign(
        self,
        ctx: CommandContext,
        *,
        brand_id: UUID,
        creator_id: UUID,
        terms: Mapping[str, Any] | Terms,
        message: object,
        brief_id: UUID | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        """A brand invites a creator, or a creator pitches a brand (or its open brief)."""
        inputs: dict[str, Any] = {
            "brand_id": brand_id,
            "creator_id": creator_id,
            "brief_id": brief_id,
            "message": message,
            "terms": terms,
        }

        def decide() -> list[LedgerAggregate]:
            parsed = terms if isinstance(terms, Terms) else Terms.create(terms)
            if ctx.actor.role not in {Role.BRAND, Role.CREATOR}:
                raise Forbidden("only a brand or a creator may pitch a campaign")
            self.get_brand(brand_id)
            self.get_creator(creator_id)
            if brief_id is not None:
                brief = self.get_brief(brief_id)
                if brief.brand_id != brand_id:
                    raise ValidationError("the brief belongs to another brand", field="brief_id")
                if not brief.is_open(ctx.now.date()):
                    raise ValidationError("the brief is closed", field="brief_id")
            return [
                Campaign.pitch(
                    ctx,
                    self.new_id(),
                    brand_id=brand_id,
                    creator_id=creator_id,
                    brief_id=brief_id,
                    message=message,
                    terms=parsed,
                )
            ]

        return self._command(
            ctx, "pitchCampaign", inputs, idempotency_key, decide, retry_on_conflict=False
        )

    def counter_offer(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        terms: Mapping[str, Any] | Terms,
        message: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        def act(campaign: Campaign) -> None:
            parsed = terms if isinstance(terms, Terms) else Terms.create(terms)
            campaign.counter_offer(ctx, terms=parsed, message=message)

        return self._on_campaign(
            ctx,
            "counterOffer",
            campaign_id,
            expected_version,
            idempotency_key,
            {"terms": terms, "message": message},
            act,
        )

    def accept_pitch(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "acceptPitch",
            campaign_id,
            expected_version,
            idempotency_key,
            {},
            lambda c: c.accept_pitch(ctx),
        )

    def decline_pitch(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        reason: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "declinePitch",
            campaign_id,
            expected_version,
            idempotency_key,
            {"reason": reason},
            lambda c: c.decline_pitch(ctx, reason=reason),
        )

    def withdraw_pitch(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "withdrawPitch",
            campaign_id,
            expected_version,
            idempotency_key,
            {},
            lambda c: c.withdraw_pitch(ctx),
        )

    def sign_agreement(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        terms_digest: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "signAgreement",
            campaign_id,
            expected_version,
            idempotency_key,
            {"terms_digest": terms_digest},
            lambda c: c.sign_agreement(ctx, terms_digest=terms_digest),
        )

    def cancel_campaign(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        reason: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "cancelCampaign",
            campaign_id,
            expected_version,
            idempotency_key,
            {"reason": reason},
            lambda c: c.cancel(ctx, reason=reason),
        )

    # --- campaigns: the work -------------------------------------------------------
    def submit_draft(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        deliverable_id: object,
        caption: object,
        pros: Sequence[object],
        cons: Sequence[object],
        media_urls: Sequence[object] = (),
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "caption": caption,
            "media_urls": v.items(media_urls, "media_urls"),
            "pros": v.items(pros, "pros"),
            "cons": v.items(cons, "cons"),
        }
        return self._on_campaign(
            ctx,
            "submitDraft",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.submit_draft(ctx, **inputs),
        )

    def request_changes(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        deliverable_id: object,
        draft_no: object,
        notes: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "draft_no": draft_no,
            "notes": notes,
        }
        return self._on_campaign(
            ctx,
            "requestChanges",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.request_changes(ctx, **inputs),
        )

    def approve_draft(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        deliverable_id: object,
        draft_no: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {"deliverable_id": deliverable_id, "draft_no": draft_no}
        return self._on_campaign(
            ctx,
            "approveDraft",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.approve_draft(ctx, **inputs),
        )

    def publish_post(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        deliverable_id: object,
        url: object,
        published_at: object,
        caption: object,
        paid_partnership_flag: object = False,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "url": url,
            "published_at": published_at,
            "caption": caption,
            "paid_partnership_flag": paid_partnership_flag,
        }
        return self._on_campaign(
            ctx,
            "publishPost",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.publish_post(ctx, **inputs),
        )

    def record_post_metrics(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        deliverable_id: object,
        observed_at: object,
        followers: object,
        likes: object,
        comments: object,
        shares: object = 0,
        saves: object = 0,
        reach: object = None,
        impressions: object = None,
        views: object = None,
        post_no: object = 1,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "deliverable_id": deliverable_id,
            "post_no": post_no,
            "observed_at": observed_at,
            "followers": followers,
            "reach": reach,
            "impressions": impressions,
            "views": views,
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "saves": saves,
        }
        return self._on_campaign(
            ctx,
            "recordPostMetrics",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.record_post_metrics(ctx, **inputs),
        )

    def announce_giveaway(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        giveaway_id: object,
        prize: object,
        winner_count: object,
        entry_rules: Sequence[object],
        closes_at: object,
        seed_commitment: object,
        prize_value: Money | None = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "giveaway_id": giveaway_id,
            "prize": prize,
            "prize_value": prize_value,
            "winner_count": winner_count,
            "entry_rules": v.items(entry_rules, "entry_rules"),
            "closes_at": closes_at,
            "seed_commitment": seed_commitment,
        }
        return self._on_campaign(
            ctx,
            "announceGiveaway",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.announce_giveaway(ctx, **inputs),
        )

    def record_giveaway_entries(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        giveaway_id: object,
        entries: Sequence[object],
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "giveaway_id": giveaway_id,
            "entries": v.items(entries, "entries"),
        }
        return self._on_campaign(
            ctx,
            "recordGiveawayEntries",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.record_giveaway_entries(ctx, **inputs),
        )

    def close_giveaway(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        giveaway_id: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "closeGiveaway",
            campaign_id,
            expected_version,
            idempotency_key,
            {"giveaway_id": giveaway_id},
            lambda c: c.close_giveaway(ctx, giveaway_id=giveaway_id),
        )

    def draw_giveaway_winners(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        giveaway_id: object,
        seed: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {"giveaway_id": giveaway_id, "seed": seed}
        return self._on_campaign(
            ctx,
            "drawGiveawayWinners",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.draw_giveaway_winners(ctx, **inputs),
        )

    def ship_prize(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        giveaway_id: object,
        winner: object,
        carrier: object,
        tracking_ref: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "giveaway_id": giveaway_id,
            "winner": winner,
            "carrier": carrier,
            "tracking_ref": tracking_ref,
        }
        return self._on_campaign(
            ctx,
            "shipPrize",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.ship_prize(ctx, **inputs),
        )

    def confirm_prize_delivered(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        giveaway_id: object,
        winner: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {"giveaway_id": giveaway_id, "winner": winner}
        return self._on_campaign(
            ctx,
            "confirmPrizeDelivered",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.confirm_prize_delivered(ctx, **inputs),
        )

    # --- campaigns: follow-up ------------------------------------------------------
    def report_performance(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        period_start: object,
        period_end: object,
        reach: object,
        impressions: object,
        engagements: object,
        clicks: object = None,
        followers_gained: object = None,
        notes: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "period_start": period_start,
            "period_end": period_end,
            "reach": reach,
            "impressions": impressions,
            "engagements": engagements,
            "clicks": clicks,
            "followers_gained": followers_gained,
            "notes": notes,
        }
        return self._on_campaign(
            ctx,
            "reportPerformance",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.report_performance(ctx, **inputs),
        )

    def report_sales_uplift(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        baseline: Money,
        during: Money,
        promo_code_redemptions: object = 0,
        period_start: object = None,
        period_end: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "baseline": baseline,
            "during": during,
            "promo_code_redemptions": promo_code_redemptions,
            "period_start": period_start,
            "period_end": period_end,
        }
        return self._on_campaign(
            ctx,
            "reportSalesUplift",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.report_sales_uplift(ctx, **inputs),
        )

    def record_payment(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        amount: Money,
        paid_at: object,
        reference: object,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {"amount": amount, "paid_at": paid_at, "reference": reference}
        return self._on_campaign(
            ctx,
            "recordPayment",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.record_payment(ctx, **inputs),
        )

    # --- campaigns: feedback -------------------------------------------------------
    def submit_feedback(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        ratings: Mapping[str, object],
        would_work_again: object,
        comment: object = None,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        inputs: dict[str, Any] = {
            "ratings": dict(v.mapping(ratings, "ratings")),
            "would_work_again": would_work_again,
            "comment": comment,
        }
        return self._on_campaign(
            ctx,
            "submitFeedback",
            campaign_id,
            expected_version,
            idempotency_key,
            inputs,
            lambda c: c.submit_feedback(
                ctx, ratings=inputs["ratings"], would_work_again=would_work_again, comment=comment
            ),
        )

    def reveal_feedback(
        self,
        ctx: CommandContext,
        campaign_id: UUID,
        *,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> CommandResult:
        return self._on_campaign(
            ctx,
            "revealFeedback",
            campaign_id,
            expected_version,
            idempotency_key,
            {},
            lambda c: c.reveal_feedback(ctx),
        )
