"""Reading brand profiles: by id, in batches, one query whatever the batch's size."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from projections.brand_profiles.projection import NAME
from projections.store.columns import parse_json_list, parse_moment
from projections.store.query import QueryTx, reading
from projections.store.readstore import ReadStore, in_lists

_COLUMNS = (
    "brand_id",
    "name",
    "industry",
    "causes",
    "website",
    "registered_at",
    "updated_at",
    "version",
)


@dataclass(frozen=True)
class BrandProfile:
    brand_id: UUID
    name: str
    industry: str
    causes: tuple[str, ...]
    website: str | None
    registered_at: datetime
    updated_at: datetime
    version: int
    """The version of the brand's latest event."""


def brand_profiles(store: ReadStore, ids: Iterable[UUID]) -> dict[UUID, BrandProfile]:
    """Profiles by brand id, for batch loading; ids the read model has not seen are left out."""
    wanted = tuple(sorted({str(brand_id) for brand_id in ids}))
    with reading(store) as qtx:
        found = qtx.cached(
            (NAME,), ("brand_profiles", wanted), lambda: read_brand_profiles(qtx, wanted)
        )
    return dict(found)


def read_brand_profiles(qtx: QueryTx, ids: Iterable[UUID | str]) -> dict[UUID, BrandProfile]:
    """:func:`brand_profiles` inside a read the caller already holds: one query
    (per :data:`~projections.store.readstore.IN_LIST_SIZE` ids) whatever the number of brands."""
    wanted = sorted({str(brand_id) for brand_id in ids})
    table = qtx.table(NAME, "brands")
    found: dict[UUID, BrandProfile] = {}
    for chunk in in_lists(wanted):
        for row in qtx.fetchall(
            f"SELECT {', '.join(_COLUMNS)} FROM {table}"
            f" WHERE brand_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            profile = _profile_of(row)
            found[profile.brand_id] = profile
    return found


def _profile_of(row: Sequence[Any]) -> BrandProfile:
    values = dict(zip(_COLUMNS, row, strict=True))
    return BrandProfile(
        brand_id=UUID(values["brand_id"]),
        name=values["name"],
        industry=values["industry"],
        causes=parse_json_list(values["causes"]),
        website=values["website"],
        registered_at=parse_moment(values["registered_at"]),
        updated_at=parse_moment(values["updated_at"]),
        version=int(values["version"]),
    )
