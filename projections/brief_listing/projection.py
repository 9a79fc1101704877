"""Brief listing: briefs by brand, open or closed, newest first.

Creators browse open briefs to pitch and brands list their own; loading every
Brief aggregate for a list would replay each one, so this keeps one row per
brief. "Open on a date" is the domain's own rule (:meth:`Brief.is_open`: not
closed and not past ``ends_on``), so the list never offers a brief that a
pitch would be refused for.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.brief import Brief
from projections.machinery.base import (
    Projection,
    ProjectionTx,
    TableSpec,
    events_of,
    topics_of,
)
from projections.store.columns import amount_text, json_list, moment_text
from projections.store.readstore import Value

NAME = "brief_listing"
_BY_PUBLICATION = ("published_at", "brief_id")


class BriefListing(Projection):
    name = NAME
    version = 1
    tables = {
        "briefs": TableSpec(
            columns={
                "brief_id": "TEXT",
                "brand_id": "TEXT NOT NULL",
                "title": "TEXT NOT NULL",
                "objective": "TEXT NOT NULL",
                "key_messages": "JSON NOT NULL",
                "niches": "JSON NOT NULL",
                "platforms": "JSON NOT NULL",
                "budget_amount": "TEXT",
                "budget_currency": "TEXT",
                "starts_on": "TEXT NOT NULL",
                "ends_on": "TEXT NOT NULL",
                "published_at": "TEXT NOT NULL",
                "closed_at": "TEXT",
                "updated_at": "TEXT NOT NULL",
                "version": "INTEGER NOT NULL",
            },
            primary_key=("brief_id",),
            indexes=(_BY_PUBLICATION, ("brand_id", *_BY_PUBLICATION), ("ends_on",)),
        )
    }
    topics = topics_of(*events_of(Brief))

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        match event:
            case Brief.Published():
                _publish(tx, event)
            case Brief.Closed():
                _update(tx, event, closed_at=moment_text(event.timestamp))
            case Brief.Event():
                _update(tx, event)


def _publish(tx: ProjectionTx, event: Brief.Published) -> None:
    budget = event.budget
    row: dict[str, Value] = {
        "brief_id": str(event.originator_id),
        "brand_id": str(event.brand_id),
        "title": event.title,
        "objective": event.objective,
        "key_messages": json_list(event.key_messages),
        "niches": json_list(event.niches),
        "platforms": json_list(event.platforms),
        "budget_amount": amount_text(budget.amount) if budget else None,
        "budget_currency": budget.currency if budget else None,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "published_at": moment_text(event.timestamp),
        "updated_at": moment_text(event.timestamp),
        "version": event.originator_version,
    }
    tx.write(
        f"INSERT INTO {tx.table('briefs')} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


def _update(tx: ProjectionTx, event: Brief.Event, **changed: Value) -> None:
    """Every brief event after publication moves ``version`` and ``updated_at``."""
    changes: dict[str, Value] = {
        "version": event.originator_version,
        "updated_at": moment_text(event.timestamp),
        **changed,
    }
    tx.write(
        f"UPDATE {tx.table('briefs')} SET {', '.join(f'{c} = ?' for c in changes)}"
        " WHERE brief_id = ?",
        [*changes.values(), str(event.originator_id)],
    )
