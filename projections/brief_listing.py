"""Brief listing: briefs by brand, open or closed, newest first.

Creators browse open briefs to pitch and brands list their own; loading every
Brief aggregate for a list would replay each one, so this keeps one row per
brief. "Open on a date" is the domain's own rule (:meth:`Brief.is_open`: not
closed and not past ``ends_on``), so the list never offers a brief that a
pitch would be refused for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from domain.brief import Brief
from domain.catalog import Platform
from domain.money import Money
from projections.machinery.base import Projection, ProjectionTx, TableSpec, topics_of
from projections.reference_time import events_of
from projections.store.columns import (
    amount_text,
    json_list,
    moment_text,
    money,
    parse_json_list,
    parse_moment,
)
from projections.store.pages import Page
from projections.store.query import QueryTx, newest_first, reading
from projections.store.readstore import ReadStore, Value

NAME = "brief_listing"
LISTING = "briefs"
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
        briefs = tx.table("briefs")
        match event:
            case Brief.Published():
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
                    f"INSERT INTO {briefs} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
            case Brief.Event():
                changes: dict[str, Value] = {
                    "version": event.originator_version,
                    "updated_at": moment_text(event.timestamp),
                }
                if isinstance(event, Brief.Closed):
                    changes["closed_at"] = moment_text(event.timestamp)
                tx.write(
                    f"UPDATE {briefs} SET {', '.join(f'{c} = ?' for c in changes)}"
                    " WHERE brief_id = ?",
                    [*changes.values(), str(event.originator_id)],
                )


@dataclass(frozen=True)
class BriefSummary:
    brief_id: UUID
    brand_id: UUID
    title: str
    objective: str
    key_messages: tuple[str, ...]
    niches: tuple[str, ...]
    platforms: tuple[Platform, ...]
    budget: Money | None
    starts_on: date
    ends_on: date
    published_at: datetime
    closed_at: datetime | None
    updated_at: datetime
    version: int

    def is_open(self, on: date) -> bool:
        """Whether a creator may pitch this brief on ``on`` (as :meth:`Brief.is_open`)."""
        return self.closed_at is None and on <= self.ends_on


def list_briefs(
    store: ReadStore,
    *,
    brand_id: UUID | None = None,
    open_on: date | None = None,
    first: int = 20,
    after: str | None = None,
) -> Page[BriefSummary]:
    """Briefs newest first; with ``open_on``, only those open for pitches on that date."""
    where = ["1 = 1"]
    params: list[Value] = []
    if brand_id is not None:
        where.append("brand_id = ?")
        params.append(str(brand_id))
    if open_on is not None:
        where.append("closed_at IS NULL AND ends_on >= ?")
        params.append(open_on.isoformat())

    def select(q: QueryTx) -> tuple[str, str]:
        briefs = q.table(NAME, "briefs")
        return f"SELECT * FROM {briefs}", f"FROM {briefs}"

    return newest_first(
        store,
        NAME,
        select=select,
        where=where,
        params=params,
        moment="published_at",
        key="brief_id",
        listing=LISTING,
        first=first,
        after=after,
        node_of=_summary,
    )


def brief_summaries(store: ReadStore, ids: Iterable[UUID]) -> dict[UUID, BriefSummary]:
    """Briefs by id, for batch loading; unknown ids are left out."""
    wanted = sorted({str(i) for i in ids})
    if not wanted:
        return {}
    with reading(store) as q:
        rows = q.fetchall_dicts(
            f"SELECT * FROM {q.table(NAME, 'briefs')}"
            f" WHERE brief_id IN ({', '.join('?' * len(wanted))})",
            wanted,
        )
    summaries = (_summary(row) for row in rows)
    return {summary.brief_id: summary for summary in summaries}


def _summary(row: Mapping[str, Any]) -> BriefSummary:
    return BriefSummary(
        brief_id=UUID(row["brief_id"]),
        brand_id=UUID(row["brand_id"]),
        title=row["title"],
        objective=row["objective"],
        key_messages=parse_json_list(row["key_messages"]),
        niches=parse_json_list(row["niches"]),
        platforms=tuple(Platform(p) for p in parse_json_list(row["platforms"])),
        budget=money(row["budget_amount"], row["budget_currency"]),
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
        published_at=parse_moment(row["published_at"]),
        closed_at=parse_moment(row["closed_at"]),
        updated_at=parse_moment(row["updated_at"]),
        version=int(row["version"]),
    )
