"""Reading campaign summaries: pages of campaigns newest pitch first, and summaries by id.

Brand and creator names are joined from the projection's own small tables when
read, so each summary shows the names as they are now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.catalog import CampaignState, Party
from domain.money import Money
from domain.post_metrics import MetricTotals
from projections.campaign_summaries.projection import METRIC_COLUMNS, NAME
from projections.store.columns import money, parse_moment
from projections.store.pages import Page
from projections.store.query import QueryTx, by_id, newest_first
from projections.store.readstore import ReadStore, Value

LISTING = "campaigns"


@dataclass(frozen=True)
class CampaignSummary:
    campaign_id: UUID
    brand_id: UUID
    brand_name: str | None
    creator_id: UUID
    creator_handle: str | None
    creator_display_name: str | None
    brief_id: UUID | None
    state: CampaignState
    pitched_by: Party
    offered_by: Party
    """Who made the offer now on the table (the other party may accept it)."""
    pitched_at: datetime
    concluded_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: Party | None
    updated_at: datetime
    version: int
    fee: Money | None
    """Cash offered while pitched, agreed from conclusion on; None without cash."""
    units_due: int
    units_published: int
    due_on: date
    """When the last deliverable is due."""
    last_published_at: datetime | None
    metrics: MetricTotals | None
    paid: Money | None
    last_paid_at: datetime | None


_SELECT = """
SELECT c.*, b.name AS brand_name, p.handle AS creator_handle,
       p.display_name AS creator_display_name
FROM {campaigns} c
LEFT JOIN {brands} b ON b.brand_id = c.brand_id
LEFT JOIN {creators} p ON p.creator_id = c.creator_id
"""


def list_campaigns(
    store: ReadStore,
    *,
    brand_id: UUID | None = None,
    creator_id: UUID | None = None,
    brief_id: UUID | None = None,
    states: Iterable[CampaignState] | None = None,
    first: int = 20,
    after: str | None = None,
) -> Page[CampaignSummary]:
    """Campaigns newest pitch first (ties by id, both descending), every given filter
    holding; an empty ``states`` means any state."""
    where = ["1 = 1"]
    params: list[Value] = []
    for column, value in (("brand_id", brand_id), ("creator_id", creator_id)):
        if value is not None:
            where.append(f"c.{column} = ?")
            params.append(str(value))
    if brief_id is not None:
        where.append("c.brief_id = ?")
        params.append(str(brief_id))
    chosen = sorted({CampaignState(s).value for s in states or ()})
    if chosen:
        where.append(f"c.state IN ({', '.join('?' * len(chosen))})")
        params.extend(chosen)

    def select(q: QueryTx) -> tuple[str, str]:
        return _select_all(q), f"FROM {q.table(NAME, 'campaigns')} c"

    return newest_first(
        store,
        NAME,
        select=select,
        where=where,
        params=params,
        moment="c.pitched_at",
        key="c.campaign_id",
        listing=LISTING,
        first=first,
        after=after,
        node_of=_summary,
    )


def campaign_summaries(store: ReadStore, ids: Iterable[UUID]) -> dict[UUID, CampaignSummary]:
    """Summaries by id, for batch loading; unknown ids are left out."""
    return by_id(store, ids, select=_select_all, id_column="c.campaign_id", node_of=_summary)


def _select_all(q: QueryTx) -> str:
    tables = {t: q.table(NAME, t) for t in ("campaigns", "brands", "creators")}
    return _SELECT.format(**tables)


def _summary(row: Mapping[str, Any]) -> CampaignSummary:
    return CampaignSummary(
        campaign_id=UUID(row["campaign_id"]),
        brand_id=UUID(row["brand_id"]),
        brand_name=row["brand_name"],
        creator_id=UUID(row["creator_id"]),
        creator_handle=row["creator_handle"],
        creator_display_name=row["creator_display_name"],
        brief_id=UUID(row["brief_id"]) if row["brief_id"] else None,
        state=CampaignState(row["state"]),
        pitched_by=Party(row["pitched_by"]),
        offered_by=Party(row["offered_by"]),
        pitched_at=parse_moment(row["pitched_at"]),
        concluded_at=parse_moment(row["concluded_at"]),
        delivered_at=parse_moment(row["delivered_at"]),
        completed_at=parse_moment(row["completed_at"]),
        cancelled_at=parse_moment(row["cancelled_at"]),
        cancelled_by=Party(row["cancelled_by"]) if row["cancelled_by"] else None,
        updated_at=parse_moment(row["updated_at"]),
        version=int(row["version"]),
        fee=money(row["fee_amount"], row["fee_currency"]),
        units_due=int(row["units_due"]),
        units_published=int(row["units_published"]),
        due_on=date.fromisoformat(row["due_on"]),
        last_published_at=parse_moment(row["last_published_at"]),
        metrics=_metrics(row),
        paid=money(row["paid_amount"], row["paid_currency"]),
        last_paid_at=parse_moment(row["last_paid_at"]),
    )


def _metrics(row: Mapping[str, Any]) -> MetricTotals | None:
    if not row["posts_measured"]:
        return None
    return MetricTotals(
        posts_measured=int(row["posts_measured"]),
        **{column: row[column] for column in METRIC_COLUMNS},
    )
