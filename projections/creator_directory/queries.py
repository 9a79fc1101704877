"""Reading directory entries: creators' profiles by id, in batches or in the caller's read.

Searching them (filters, sort orders, pages) is :mod:`projections.creator_directory.search`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.catalog import CompensationKind, ContentFormat, CreatorType, Origin, Platform, Tier
from domain.money import Money
from projections.creator_directory.projection import NAME
from projections.store.columns import parse_json_list, parse_moment
from projections.store.query import QueryTx, reading
from projections.store.readstore import ReadStore


@dataclass(frozen=True)
class PlatformFollowing:
    platform: Platform
    handle: str
    followers: int
    observed_at: datetime


@dataclass(frozen=True)
class RateLine:
    platform: Platform
    format: ContentFormat
    price: Money
    compensation: CompensationKind


@dataclass(frozen=True)
class DirectoryEntry:
    creator_id: UUID
    handle: str
    display_name: str
    origin: Origin
    country: str
    languages: tuple[str, ...]
    niches: tuple[str, ...]
    causes: tuple[str, ...]
    tier: Tier
    followers: int
    """The largest following over the creator's platforms, which sets the tier."""
    creator_types: tuple[CreatorType, ...]
    accounts: tuple[PlatformFollowing, ...]
    """Largest following first."""
    rate_card: tuple[RateLine, ...]
    rate_card_version: int
    """0 until the first rate card is published."""
    registered_at: datetime
    updated_at: datetime
    version: int


def load_entries(q: QueryTx, ids: Iterable[str]) -> dict[str, DirectoryEntry]:
    """Entries by creator id (text), read in the caller's snapshot."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    accounts: dict[str, list[PlatformFollowing]] = {}
    for creator_id, platform, handle, followers, observed_at in q.fetchall(
        f"SELECT creator_id, platform, handle, followers, observed_at"
        f" FROM {q.table(NAME, 'accounts')} WHERE creator_id IN ({marks})"
        " ORDER BY creator_id, followers DESC, platform",
        wanted,
    ):
        accounts.setdefault(creator_id, []).append(
            PlatformFollowing(Platform(platform), handle, int(followers), parse_moment(observed_at))
        )
    lines: dict[str, list[RateLine]] = {}
    for creator_id, platform, form, amount, currency, compensation in q.fetchall(
        f"SELECT creator_id, platform, format, price_amount, currency, compensation"
        f" FROM {q.table(NAME, 'rates')} WHERE creator_id IN ({marks})"
        " ORDER BY creator_id, platform, format",
        wanted,
    ):
        lines.setdefault(creator_id, []).append(
            RateLine(
                Platform(platform),
                ContentFormat(form),
                Money(Decimal(amount), currency),
                CompensationKind(compensation),
            )
        )
    rows = q.fetchall_dicts(
        f"SELECT * FROM {q.table(NAME, 'creators')} WHERE creator_id IN ({marks})", wanted
    )
    return {
        row["creator_id"]: _entry(
            row, accounts.get(row["creator_id"], []), lines.get(row["creator_id"], [])
        )
        for row in rows
    }


def directory_entries(store: ReadStore, ids: Iterable[UUID]) -> dict[UUID, DirectoryEntry]:
    """Entries by creator id, for batch loading; unknown ids are left out."""
    wanted = tuple(sorted({str(i) for i in ids}))
    with reading(store) as q:
        entries = q.cached((NAME,), ("directory_entries", wanted), lambda: load_entries(q, wanted))
    return {entry.creator_id: entry for entry in entries.values()}


def _entry(
    row: Mapping[str, Any], accounts: list[PlatformFollowing], lines: list[RateLine]
) -> DirectoryEntry:
    return DirectoryEntry(
        creator_id=UUID(row["creator_id"]),
        handle=row["handle"],
        display_name=row["display_name"],
        origin=Origin(row["origin"]),
        country=row["country"],
        languages=parse_json_list(row["languages"]),
        niches=parse_json_list(row["niches"]),
        causes=parse_json_list(row["causes"]),
        tier=Tier(row["tier"]),
        followers=int(row["max_followers"]),
        creator_types=tuple(CreatorType(t) for t in parse_json_list(row["creator_types"])),
        accounts=tuple(accounts),
        rate_card=tuple(lines),
        rate_card_version=int(row["rate_card_version"]),
        registered_at=parse_moment(row["registered_at"]),
        updated_at=parse_moment(row["updated_at"]),
        version=int(row["version"]),
    )
