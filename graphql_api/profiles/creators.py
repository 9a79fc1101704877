# mypy: disable-error-code="untyped-decorator"
"""The ``Creator`` type and the mutations a creator's profile changes by.

A creator is read from the creator directory read model, its ``reputation``
from the reputation read model, each through one DataLoader per request, so
a page of campaigns or of search results costs one batch per kind, not a read
per row. An id the directory has not seen yet (the projection is catching up)
falls back to the event store, so a creator that exists never reads as null.

Mutation payloads are built from the aggregate the command just saved (the
object itself, not read back), never from a read model that may not have caught
up, so the creator returned always shows the write. Its ``position`` lets a
later query read the write through every read model (``atLeast``).

Who may: admins register creators; a creator changes only its own profile
(admins may change any, for support); brands and auditors change none
(FORBIDDEN); another creator's id reads as unknown (NOT_FOUND).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader

from domain.application import CommandResult
from domain.application import commands as c
from domain.catalog import CompensationKind as DomainCompensationKind
from domain.creator import Creator as CreatorAggregate
from graphql_api.commands import CommandInput, aggregate_after, mutations
from graphql_api.enums import CompensationKind, ContentFormat, CreatorType, Origin, Platform, Tier
from graphql_api.ledger_context import Info
from graphql_api.money import MoneyInput, MoneyType
from graphql_api.profiles.contact_details import ContactDetails, load_contact_details
from graphql_api.profiles.reputation import CreatorReputation, load_reputation
from graphql_api.read_models import batch_loader, with_fallback
from graphql_api.records import from_record
from projections.creator_directory.queries import (
    DirectoryEntry,
    PlatformFollowing,
    RateLine,
    directory_entries,
)

# --- the type ---------------------------------------------------------------------------


@strawberry.type(description="One of the creator's platform accounts and its latest following.")
class PlatformAccount:
    platform: Platform
    handle: str
    followers: int
    observed_at: datetime = strawberry.field(description="When that following was observed.")

    @classmethod
    def from_following(cls, account: PlatformFollowing) -> PlatformAccount:
        return from_record(cls, account)


@strawberry.type(description="The price of one content format on one platform.")
class RateCardLine:
    platform: Platform
    format: ContentFormat
    price: MoneyType
    compensation: CompensationKind

    @classmethod
    def from_line(cls, line: RateLine) -> RateCardLine:
        return from_record(cls, line, price=MoneyType.from_domain(line.price))


@strawberry.type(description="The creator's current price list; each publication is a version.")
class RateCard:
    version: int
    lines: list[RateCardLine]


NOT_READ: Any = object()
"""A creator's reputation not read with it: its resolver loads it."""


@strawberry.type(description="A content creator: profile, platforms, rate card and reputation.")
class Creator:
    """Built from the directory entry without copying it: scalars are taken as they
    are, and platforms, rate card and reputation are built only when asked for."""

    id: strawberry.ID
    handle: str
    display_name: str
    niches: list[str]
    origin: Origin
    country: str = strawberry.field(description="ISO 3166 alpha-2.")
    languages: list[str]
    causes: list[str]

    platforms: list[PlatformAccount] = strawberry.field(
        resolver=lambda root: _platforms(root), description="Largest following first."
    )
    tier: Tier = strawberry.field(description="From the largest platform following.")
    followers: int = strawberry.field(description="The largest platform following.")
    types: list[CreatorType]

    rate_card: RateCard | None = strawberry.field(
        resolver=lambda root: _rate_card(root), description="Null until one is published."
    )
    registered_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="The version of the creator's latest event.")
    creator_id: strawberry.Private[UUID]
    entry: strawberry.Private[DirectoryEntry]
    known_reputation: strawberry.Private[Any] = NOT_READ
    """The reputation read with the entry (None: it has none), or NOT_READ."""

    @strawberry.field(
        graphql_type=CreatorReputation | None,
        description="Public; null only while the read model catches up.",
    )
    def reputation(self, info: Info) -> Any:
        if self.known_reputation is not NOT_READ:
            return self.known_reputation
        return load_reputation(info, self.creator_id)

    @strawberry.field(
        description="Personal data: the creator itself and admins see it all, a brand with a "
        "concluded agreement with the creator the e-mail only; null for anyone else."
    )
    async def contact_details(self, info: Info) -> ContactDetails | None:
        return await load_contact_details(info, self.creator_id)

    @classmethod
    def from_entry(cls, entry: DirectoryEntry, reputation: Any = NOT_READ) -> Creator:
        """``reputation``: the creator's, read in the same snapshot, if it was."""
        return cls(
            id=strawberry.ID(str(entry.creator_id)),
            handle=entry.handle,
            display_name=entry.display_name,
            niches=entry.niches,  # type: ignore[arg-type]  # any sequence serves a list
            origin=entry.origin,
            country=entry.country,
            languages=entry.languages,  # type: ignore[arg-type]
            causes=entry.causes,  # type: ignore[arg-type]
            tier=entry.tier,
            followers=entry.followers,
            types=entry.creator_types,  # type: ignore[arg-type]
            registered_at=entry.registered_at,
            updated_at=entry.updated_at,
            version=entry.version,
            creator_id=entry.creator_id,
            entry=entry,
            known_reputation=reputation,
        )


def _platforms(creator: Creator) -> list[PlatformAccount]:
    return [PlatformAccount.from_following(a) for a in creator.entry.accounts]


def _rate_card(creator: Creator) -> RateCard | None:
    entry = creator.entry
    if not entry.rate_card_version:
        return None
    return RateCard(
        version=entry.rate_card_version,
        lines=[RateCardLine.from_line(line) for line in entry.rate_card],
    )


def entry_of(creator: CreatorAggregate) -> DirectoryEntry:
    """The directory entry the projection will hold for this aggregate."""
    accounts = sorted(
        (
            PlatformFollowing(
                Platform(platform), a["handle"], int(a["followers"]), a["observed_at"]
            )
            for platform, a in creator.accounts.items()
        ),
        key=lambda a: (-a.followers, a.platform.value),
    )
    return DirectoryEntry(
        creator_id=creator.id,
        handle=creator.handle,
        display_name=creator.display_name,
        origin=creator.origin,
        country=creator.country,
        languages=tuple(creator.languages),
        niches=tuple(creator.niches),
        causes=tuple(creator.causes),
        tier=creator.tier,
        followers=max(creator.followers_by_platform.values(), default=0),
        creator_types=creator.types,
        accounts=tuple(accounts),
        rate_card=tuple(
            RateLine(line.platform, line.format, line.price, line.compensation)
            for line in sorted(creator.rate_card, key=lambda line: (line.platform, line.format))
        ),
        rate_card_version=creator.rate_card_version,
        registered_at=creator.created_on,
        updated_at=creator.modified_on,
        version=creator.version,
    )


# --- loading ------------------------------------------------------------------------------


def _loader(info: Info) -> DataLoader[UUID, DirectoryEntry | None]:
    # The ledger is asked for only on a fallback: only then is the event store read.
    fetch = with_fallback(directory_entries, lambda i: entry_of(info.context.ledger.get_creator(i)))
    return batch_loader(info, "creator_entries", fetch)


async def load_creator(info: Info, creator_id: UUID) -> Creator | None:
    """The creator, or None if there is none; creators are public."""
    entry = await _loader(info).load(creator_id)
    return None if entry is None else Creator.from_entry(entry)


def remember_creator(info: Info, entry: DirectoryEntry) -> None:
    """Later reads in this request see ``entry`` (the state after a write)."""
    _loader(info).prime(entry.creator_id, entry, force=True)


# --- mutations ------------------------------------------------------------------------------


class RegisterCreatorInput(CommandInput):
    command = c.RegisterCreator
    handle: str
    display_name: str
    niches: list[str]
    origin: Origin
    country: str = "ID"
    languages: list[str] = strawberry.field(default_factory=lambda: ["id"])
    idempotency_key: str | None = None


class LinkPlatformAccountInput(CommandInput):
    command = c.LinkPlatformAccount
    creator_id: strawberry.ID
    platform: Platform
    handle: str
    followers: int
    expected_version: int | None = None
    idempotency_key: str | None = None


class RecordFollowersInput(CommandInput):
    command = c.RecordFollowers
    creator_id: strawberry.ID
    platform: Platform
    followers: int
    observed_at: datetime
    expected_version: int | None = None
    idempotency_key: str | None = None


@strawberry.input
class RateCardLineInput:
    platform: Platform
    format: ContentFormat
    price: MoneyInput
    compensation: CompensationKind = DomainCompensationKind.CASH

    def to_domain(self, field: str) -> dict[str, object]:
        """The shape :meth:`domain.profile.RateCardLine.create` validates."""
        return {
            "platform": self.platform,
            "format": self.format,
            "price": {"amount": self.price.amount, "currency": self.price.currency},
            "compensation": self.compensation,
        }


class PublishRateCardInput(CommandInput):
    command = c.PublishRateCard
    creator_id: strawberry.ID
    lines: list[RateCardLineInput]
    expected_version: int | None = None
    idempotency_key: str | None = None


class DeclareCausesInput(CommandInput):
    command = c.DeclareCauses
    creator_id: strawberry.ID
    causes: list[str]
    expected_version: int | None = None
    idempotency_key: str | None = None


async def changed_creator(info: Info, result: CommandResult) -> Creator:
    """The creator as the command left it, remembered for the rest of the request."""
    ledger = info.context.ledger
    creator = await aggregate_after(result, CreatorAggregate, ledger.get_creator)
    entry = entry_of(creator)
    remember_creator(info, entry)
    return Creator.from_entry(entry)


@strawberry.type
@mutations(
    Creator,
    changed_creator,
    (RegisterCreatorInput, "Admins only. A creator's handle is unique across the ledger."),
    (
        LinkPlatformAccountInput,
        "Adds a platform account with its current following (one per platform).",
    ),
    (
        RecordFollowersInput,
        "A following observed at a moment; the newest observation sets the tier.",
    ),
    (
        PublishRateCardInput,
        "A new version of the rate card, replacing every line; linked platforms only.",
    ),
    (
        DeclareCausesInput,
        "The causes the creator stands for, replacing earlier ones; any makes the "
        "creator PURPOSE_DRIVEN.",
    ),
)
class CreatorMutation:
    """Creator mutations, one per input."""
