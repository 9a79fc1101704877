"""Brand profiles: every brand's name, industry, causes and website, one row per brand.

Lists show the brand of each row — a page of campaigns, of briefs — so the
API loads brand profiles in batches by id. Reading each Brand aggregate from
the event store would cost a read per distinct brand; this read model costs
one query per batch, whatever its size.

A row mirrors :class:`domain.brand.Brand`: ``ProfileUpdated`` replaces the
whole profile (the aggregate fills in the fields a command left out), and
``version`` is the brand's latest ``originator_version``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from domain.brand import Brand
from projections.machinery.base import Projection, ProjectionTx, TableSpec, topics_of
from projections.reference_time import events_of
from projections.store.columns import json_list, moment_text, parse_json_list, parse_moment
from projections.store.query import QueryTx, in_lists, reading
from projections.store.readstore import ReadStore, Value

NAME = "brand_profiles"

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


class BrandProfiles(Projection):
    name = NAME
    version = 1
    tables = {
        "brands": TableSpec(
            columns={
                "brand_id": "TEXT",
                "name": "TEXT NOT NULL",
                "industry": "TEXT NOT NULL",
                "causes": "JSON NOT NULL",
                "website": "TEXT",
                "registered_at": "TEXT NOT NULL",
                "updated_at": "TEXT NOT NULL",
                "version": "INTEGER NOT NULL",
            },
            primary_key=("brand_id",),
        ),
    }
    topics = topics_of(*events_of(Brand))

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        match event:
            case Brand.Registered():
                _register(tx, event)
            case Brand.ProfileUpdated():
                _update(tx, event)


def _profile_columns(event: Brand.Registered | Brand.ProfileUpdated) -> dict[str, Value]:
    return {
        "name": event.name,
        "industry": event.industry,
        "causes": json_list(event.causes),
        "website": event.website,
        "updated_at": moment_text(event.timestamp),
        "version": event.originator_version,
    }


def _register(tx: ProjectionTx, event: Brand.Registered) -> None:
    row: dict[str, Value] = {
        "brand_id": str(event.originator_id),
        "registered_at": moment_text(event.timestamp),
        **_profile_columns(event),
    }
    tx.execute(
        f"INSERT INTO {tx.table('brands')} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


def _update(tx: ProjectionTx, event: Brand.ProfileUpdated) -> None:
    changes = _profile_columns(event)
    changed = tx.execute(
        f"UPDATE {tx.table('brands')} SET {', '.join(f'{c} = ?' for c in changes)}"
        " WHERE brand_id = ?",
        [*changes.values(), str(event.originator_id)],
    )
    if changed != 1:
        raise LookupError(f"brand {event.originator_id} was never registered")


# --- reading profiles ----------------------------------------------------------------


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
    (per :data:`~projections.store.query.IN_LIST_SIZE` ids) whatever the number of brands."""
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
