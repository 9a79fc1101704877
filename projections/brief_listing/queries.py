"""Reading the brief listing: pages of briefs newest first, and briefs by id.

Whether a brief is open on a date is the domain's own rule (:meth:`Brief.is_open`),
so the list never offers a brief that a pitch would be refused for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.catalog import Platform
from domain.money import Money
from projections.brief_listing.projection import NAME
from projections.store.columns import money, parse_json_list, parse_moment
from projections.store.pages import Page
from projections.store.query import QueryTx, by_id, newest_first
from projections.store.readstore import ReadStore, Value

LISTING = "briefs"


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
    return by_id(
        store,
        ids,
        select=lambda q: f"SELECT * FROM {q.table(NAME, 'briefs')}",
        id_column="brief_id",
        node_of=_summary,
    )


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
