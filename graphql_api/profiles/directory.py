# mypy: disable-error-code="untyped-decorator"
"""Finding creators and brands, and who is asking: ``creators``, ``creator``, ``brand``, ``me``.

The directory is public: brand portals search it and so may anyone, signed in
or not. A page is one read of the read store whatever its size (filters and
sorting run in SQL), its creators' reputations read in the same snapshot when
the query asks for them; a repeated page is served from memory, without a
read, for as long as the read models it was read from have not moved
(:mod:`projections.creator_directory.page`).
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from threading import Lock
from uuid import UUID
from weakref import WeakKeyDictionary

import strawberry

from domain.context import Role
from domain.errors import ValidationError
from domain.money import ISO_4217, Money
from graphql_api.connections import Connection
from graphql_api.enums import ActorRole, ContentFormat, Platform, Tier
from graphql_api.ledger_context import Info
from graphql_api.profiles.brands import Brand, load_brand
from graphql_api.profiles.creators import Creator, load_creator
from graphql_api.profiles.reputation import CreatorReputation
from graphql_api.read_models import connection_of, first_of, reach, read, selects
from projections.creator_directory.page import (
    DirectoryPage,
    directory_page,
    remembered_directory_page,
)
from projections.creator_directory.queries import DirectoryEntry
from projections.creator_directory.search import DirectoryOrder, directory_search
from projections.store.pages import InvalidPageRequest


@strawberry.enum(description="What to sort creators by.")
class CreatorOrderField(Enum):
    SCORE = "SCORE"
    FOLLOWERS = "FOLLOWERS"
    PRICE = "PRICE"


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(
    description="SCORE: highest first unless ASC, creators without a score last either way. "
    "FOLLOWERS: largest following first unless ASC. PRICE: cheapest matching rate-card line "
    "first unless DESC, creators without one last either way. Omit direction for the "
    "field's natural one; a cursor only continues the order and direction it came from."
)
class CreatorOrder:
    field: CreatorOrderField = CreatorOrderField.SCORE
    direction: OrderDirection | None = None

    def to_order(self) -> DirectoryOrder:
        return DirectoryOrder(self.field.value)

    def descending(self) -> bool | None:
        """None for the field's natural direction."""
        return None if self.direction is None else self.direction is OrderDirection.DESC


@strawberry.input(description="Every given condition must hold; within a list, any value matches.")
class CreatorFilter:
    text: str | None = strawberry.field(
        default=None, description="Part of the handle or display name."
    )
    tiers: list[Tier] | None = None
    niches: list[str] | None = None
    causes: list[str] | None = None
    platforms: list[Platform] | None = strawberry.field(
        default=None, description="Has an account on one of these."
    )
    format: ContentFormat | None = strawberry.field(
        default=None,
        description="Has a rate-card line of this format (on one of platforms, if given).",
    )
    price_min: Decimal | None = strawberry.field(
        default=None, description="A matching line costs at least this, in currency."
    )
    price_max: Decimal | None = strawberry.field(
        default=None, description="A matching line costs at most this, in currency."
    )
    currency: str = strawberry.field(
        default="IDR", description="The currency of priceMin, priceMax and the PRICE order."
    )
    min_score: float | None = strawberry.field(
        default=None, description="Reputation score (as shown) at least this; unscored never match."
    )

    def currency_code(self) -> str:
        code = self.currency.strip().upper()
        if code not in ISO_4217:
            raise ValidationError(f"unknown currency {self.currency!r}", field="filter.currency")
        return code

    def price_bounds(self, currency: str) -> tuple[Decimal | None, Decimal | None]:
        """priceMin and priceMax, each validated as an amount of money in ``currency``."""
        return (
            _amount(self.price_min, currency, "filter.priceMin"),
            _amount(self.price_max, currency, "filter.priceMax"),
        )


def _amount(value: Decimal | None, currency: str, field: str) -> Decimal | None:
    return None if value is None else Money.of(value, currency, field).amount


@strawberry.type(name="Viewer", description="Who is calling, and their own profile.")
class ViewerType:
    role: ActorRole
    id: str = strawberry.field(description="The token's subject: a brand, creator or person id.")

    @strawberry.field(description="The caller's brand, when signed in as one.")
    async def brand(self, info: Info) -> Brand | None:
        brand_id = _own_id(self, Role.BRAND)
        return None if brand_id is None else await load_brand(info, brand_id)

    @strawberry.field(description="The caller's creator profile, when signed in as one.")
    async def creator(self, info: Info) -> Creator | None:
        creator_id = _own_id(self, Role.CREATOR)
        return None if creator_id is None else await load_creator(info, creator_id)


def _own_id(viewer: ViewerType, role: Role) -> UUID | None:
    if viewer.role is not role:
        return None
    try:
        return UUID(viewer.id)
    except ValueError:
        return None


def _id(value: strawberry.ID) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


@strawberry.type
class DirectoryQuery:
    @strawberry.field(description="The signed-in caller; null for anonymous callers.")
    def me(self, info: Info) -> ViewerType | None:
        actor = info.context.viewer.actor
        if actor is None or actor.id is None:
            return None
        return ViewerType(role=actor.role, id=actor.id)

    @strawberry.field(description="A creator by id; null if unknown. Public.")
    async def creator(
        self, info: Info, id: strawberry.ID, at_least: str | None = None
    ) -> Creator | None:
        await reach(info, at_least)
        creator_id = _id(id)
        return None if creator_id is None else await load_creator(info, creator_id)

    @strawberry.field(description="A brand by id; null if unknown. Public.")
    async def brand(
        self, info: Info, id: strawberry.ID, at_least: str | None = None
    ) -> Brand | None:
        await reach(info, at_least)
        brand_id = _id(id)
        return None if brand_id is None else await load_brand(info, brand_id)

    @strawberry.field(description="Search the creator directory. Public.")
    async def creators(
        self,
        info: Info,
        filter: CreatorFilter | None = None,
        order_by: CreatorOrder | None = None,
        first: int | None = None,
        after: str | None = None,
        at_least: str | None = None,
    ) -> Connection[Creator]:
        wanted = filter or CreatorFilter()
        ordering = order_by or CreatorOrder()
        size = first_of(first)
        currency = wanted.currency_code()
        price_min, price_max = wanted.price_bounds(currency)
        await reach(info, at_least)
        try:
            search = directory_search(
                text=wanted.text,
                tiers=wanted.tiers,
                niches=wanted.niches,
                causes=wanted.causes,
                platforms=wanted.platforms,
                format=wanted.format,
                price_min=price_min,
                price_max=price_max,
                currency=currency,
                min_score=wanted.min_score,
                order_by=ordering.to_order(),
                descending=ordering.descending(),
                first=size,
                after=after,
            )
        except InvalidPageRequest as error:
            raise ValidationError(str(error), field="after") from None
        with_reputations = selects(info, ("edges", "node", "reputation"))
        store = info.context.read_side.store
        found = remembered_directory_page(store, search, with_reputations=with_reputations)
        if found is None:
            found = await read(
                info, lambda s: directory_page(s, search, with_reputations=with_reputations)
            )
        return _connection(found)


_CONNECTIONS: WeakKeyDictionary[DirectoryPage, Connection[Creator]] = WeakKeyDictionary()
_CONNECTIONS_LOCK = Lock()


def _connection(found: DirectoryPage) -> Connection[Creator]:
    """The connection of a page, built once per cached page: it holds nothing of a
    request or viewer (fields that depend on the viewer resolve per request)."""
    with _CONNECTIONS_LOCK:
        built = _CONNECTIONS.get(found)
    if built is not None:
        return built
    reputations = found.reputations

    def creator(entry: DirectoryEntry) -> Creator:
        if reputations is None:
            return Creator.from_entry(entry)
        reputation = reputations.get(str(entry.creator_id))
        return Creator.from_entry(
            entry, None if reputation is None else CreatorReputation.from_reputation(reputation)
        )

    built = connection_of(found.page, creator)
    with _CONNECTIONS_LOCK:
        _CONNECTIONS[found] = built
    return built
