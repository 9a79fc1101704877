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

from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.brand import Brand
from projections.machinery.base import (
    Projection,
    ProjectionTx,
    TableSpec,
    events_of,
    topics_of,
)
from projections.store.columns import json_list, moment_text
from projections.store.readstore import Value

NAME = "brand_profiles"


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
