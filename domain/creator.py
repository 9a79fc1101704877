"""The Creator aggregate: a content creator, their accounts, following and rate card."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TypedDict
from uuid import UUID

from domain import validation as v
from domain.base import LedgerAggregate
from domain.catalog import CreatorType, Origin, Platform, Tier
from domain.context import CommandContext
from domain.errors import Conflict, ValidationError
from domain.profile import RateCardLine, creator_types, rate_card_lines, tier_for

_COUNTRY = re.compile(r"^[A-Z]{2}$")


class AccountRecord(TypedDict):
    """A linked platform account and its latest observed following."""

    handle: str
    followers: int
    observed_at: datetime


class Creator(LedgerAggregate):
    snapshot_types = {
        "niches": tuple,
        "origin": Origin,
        "languages": tuple,
        "rate_card": tuple,
        "causes": tuple,
    }

    class Registered(LedgerAggregate.Created):
        handle: str
        display_name: str
        niches: tuple[str, ...]
        origin: str
        country: str
        languages: tuple[str, ...]

        def apply(self, creator: Creator) -> None:
            creator.handle = self.handle
            creator.display_name = self.display_name
            creator.niches = tuple(self.niches)
            creator.origin = Origin(self.origin)
            creator.country = self.country
            creator.languages = tuple(self.languages)

    class PlatformAccountLinked(LedgerAggregate.Event):
        platform: str
        handle: str
        followers: int

        def apply(self, creator: Creator) -> None:
            creator.accounts[self.platform] = {
                "handle": self.handle,
                "followers": self.followers,
                "observed_at": self.timestamp,
            }

    class FollowersRecorded(LedgerAggregate.Event):
        platform: str
        followers: int
        observed_at: datetime

        def apply(self, creator: Creator) -> None:
            account = creator.accounts[self.platform]
            if self.observed_at >= account["observed_at"]:
                account["followers"] = self.followers
                account["observed_at"] = self.observed_at

    class RateCardPublished(LedgerAggregate.Event):
        card_version: int
        lines: tuple[RateCardLine, ...]

        def apply(self, creator: Creator) -> None:
            creator.rate_card = tuple(self.lines)
            creator.rate_card_version = self.card_version

    class CausesDeclared(LedgerAggregate.Event):
        causes: tuple[str, ...]

        def apply(self, creator: Creator) -> None:
            creator.causes = tuple(self.causes)

    class ContactDetailsRecorded(LedgerAggregate.Event):
        """Personal data, sealed with the creator's own key (see domain.personal_data)."""

        sealed: str

        def apply(self, creator: Creator) -> None:
            creator.contact_details_sealed = self.sealed

    class PersonalDataErased(LedgerAggregate.Event):
        """The creator's key was destroyed: every sealed copy is now unreadable."""

        def apply(self, creator: Creator) -> None:
            creator.personal_data_erased = True

    def __init__(self) -> None:
        self.handle = ""
        self.display_name = ""
        self.niches: tuple[str, ...] = ()
        self.origin = Origin.NATIVE
        self.country = ""
        self.languages: tuple[str, ...] = ()
        self.accounts: dict[str, AccountRecord] = {}
        self.rate_card: tuple[RateCardLine, ...] = ()
        self.rate_card_version = 0
        self.causes: tuple[str, ...] = ()
        self.contact_details_sealed: str | None = None
        self.personal_data_erased = False

    @classmethod
    def register(
        cls,
        ctx: CommandContext,
        creator_id: UUID,
        *,
        handle: object,
        display_name: object,
        niches: object,
        origin: object,
        country: object = "ID",
        languages: object = ("id",),
    ) -> Creator:
        country_code = v.text(country, "country", max_len=2).upper()
        if not _COUNTRY.match(country_code):
            raise ValidationError("country must be an ISO 3166 alpha-2 code", field="country")
        return cls._start(
            ctx,
            cls.Registered,
            creator_id,
            handle=v.handle(handle),
            display_name=v.text(display_name, "display_name"),
            niches=v.tags(niches, "niches", max_items=10),
            origin=v.choice(Origin, origin, "origin").value,
            country=country_code,
            languages=v.tags(languages, "languages", max_items=10),
        )

    def link_platform_account(
        self, ctx: CommandContext, *, platform: object, handle: object, followers: object
    ) -> None:
        chosen = v.choice(Platform, platform, "platform")
        if chosen.value in self.accounts:
            raise Conflict(f"a {chosen.value} account is already linked", field="platform")
        self._record(
            ctx,
            self.PlatformAccountLinked,
            platform=chosen.value,
            handle=v.handle(handle),
            followers=v.count(followers, "followers"),
        )

    def record_followers(
        self, ctx: CommandContext, *, platform: object, followers: object, observed_at: object
    ) -> None:
        chosen = v.choice(Platform, platform, "platform")
        if chosen.value not in self.accounts:
            raise ValidationError(f"no {chosen.value} account is linked", field="platform")
        when = v.not_future(v.moment(observed_at, "observed_at"), ctx.now, "observed_at")
        self._record(
            ctx,
            self.FollowersRecorded,
            platform=chosen.value,
            followers=v.count(followers, "followers"),
            observed_at=when,
        )

    def publish_rate_card(self, ctx: CommandContext, *, lines: object) -> None:
        """Each publication is a new version of the card; it prices linked platforms only."""
        parsed = rate_card_lines(lines)
        for index, line in enumerate(parsed):
            if line.platform.value not in self.accounts:
                raise ValidationError(
                    f"no {line.platform.value} account is linked", field=f"lines[{index}].platform"
                )
        self._record(
            ctx, self.RateCardPublished, card_version=self.rate_card_version + 1, lines=parsed
        )

    def declare_causes(self, ctx: CommandContext, *, causes: object) -> None:
        self._record(ctx, self.CausesDeclared, causes=v.tags(causes, "causes", max_items=10))

    def record_contact_details(self, ctx: CommandContext, *, sealed: str) -> None:
        if self.personal_data_erased:
            raise Conflict("this creator's personal data was erased", field="creator_id")
        self._record(ctx, self.ContactDetailsRecorded, sealed=sealed)

    def erase_personal_data(self, ctx: CommandContext) -> None:
        if self.personal_data_erased:
            raise Conflict("this creator's personal data is already erased", field="creator_id")
        self._record(ctx, self.PersonalDataErased)

    @property
    def followers_by_platform(self) -> dict[str, int]:
        return {platform: account["followers"] for platform, account in self.accounts.items()}

    @property
    def tier(self) -> Tier:
        return tier_for(self.followers_by_platform.values())

    @property
    def types(self) -> tuple[CreatorType, ...]:
        return creator_types(self.origin, self.causes, self.followers_by_platform.values())
