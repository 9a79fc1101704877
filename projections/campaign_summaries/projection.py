"""Campaign summaries: one row per campaign, for lists and filters.

Brand portals list their campaigns, creator portals theirs, and both filter by
state or brief; each row carries what a list shows — who, state, key dates,
fee, deliverables done of due, latest post metrics and the amount paid — so a
page is one indexed query. Brand and creator names live in small tables of
this projection, joined when read, so renaming a brand touches one row instead
of every campaign of the brand.

The state mirrors :class:`domain.campaign.Campaign` event by event (the same
transitions its ``apply`` methods make), and ``version`` is the campaign's
latest ``originator_version``, so a client can tell whether its copy is stale.
Lists and batch reads are in :mod:`projections.campaign_summaries.queries`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.brand import Brand
from domain.campaign import Campaign
from domain.catalog import CampaignState
from domain.creator import Creator
from domain.post_metrics import COUNT_FIELDS
from domain.terms import Terms
from projections.machinery.base import (
    Projection,
    ProjectionTx,
    TableSpec,
    events_of,
    topics_of,
)
from projections.store.columns import amount_text, moment_text
from projections.store.readstore import Value

NAME = "campaign_summaries"
METRIC_COLUMNS = COUNT_FIELDS
_COUNT = "INTEGER"
_BY_PITCH = ("pitched_at", "campaign_id")


class CampaignSummaries(Projection):
    name = NAME
    version = 1
    tables = {
        "campaigns": TableSpec(
            columns={
                "campaign_id": "TEXT",
                "brand_id": "TEXT NOT NULL",
                "creator_id": "TEXT NOT NULL",
                "brief_id": "TEXT",
                "state": "TEXT NOT NULL",
                "pitched_by": "TEXT NOT NULL",
                "offered_by": "TEXT NOT NULL",
                "pitched_at": "TEXT NOT NULL",
                "concluded_at": "TEXT",
                "delivered_at": "TEXT",
                "completed_at": "TEXT",
                "cancelled_at": "TEXT",
                "cancelled_by": "TEXT",
                "updated_at": "TEXT NOT NULL",
                "version": "INTEGER NOT NULL",
                "fee_amount": "TEXT",
                "fee_currency": "TEXT",
                "units_due": "INTEGER NOT NULL",
                "units_published": "INTEGER NOT NULL",
                "due_on": "TEXT NOT NULL",
                "last_published_at": "TEXT",
                "posts_measured": "INTEGER NOT NULL",
                **dict.fromkeys(METRIC_COLUMNS, _COUNT),
                "paid_amount": "TEXT",
                "paid_currency": "TEXT",
                "last_paid_at": "TEXT",
            },
            primary_key=("campaign_id",),
            indexes=(
                _BY_PITCH,
                ("brand_id", *_BY_PITCH),
                ("creator_id", *_BY_PITCH),
                ("brief_id", *_BY_PITCH),
                ("state", *_BY_PITCH),
            ),
        ),
        "posts": TableSpec(
            columns={
                "campaign_id": "TEXT",
                "deliverable_id": "TEXT",
                "post_no": "INTEGER",
                "observed_at": "TEXT NOT NULL",
                **dict.fromkeys(METRIC_COLUMNS, _COUNT),
            },
            primary_key=("campaign_id", "deliverable_id", "post_no"),
        ),
        "brands": TableSpec(
            columns={"brand_id": "TEXT", "name": "TEXT NOT NULL"}, primary_key=("brand_id",)
        ),
        "creators": TableSpec(
            columns={
                "creator_id": "TEXT",
                "handle": "TEXT NOT NULL",
                "display_name": "TEXT NOT NULL",
            },
            primary_key=("creator_id",),
        ),
    }
    topics = topics_of(
        Brand.Registered, Brand.ProfileUpdated, Creator.Registered, *events_of(Campaign)
    )

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        match event:
            case Brand.Registered() | Brand.ProfileUpdated():
                tx.write(
                    f"INSERT INTO {tx.table('brands')} (brand_id, name) VALUES (?, ?)"
                    " ON CONFLICT (brand_id) DO UPDATE SET name = excluded.name",
                    (str(event.originator_id), event.name),
                )
            case Creator.Registered():
                tx.write(
                    f"INSERT INTO {tx.table('creators')} (creator_id, handle, display_name)"
                    " VALUES (?, ?, ?) ON CONFLICT (creator_id) DO UPDATE SET"
                    " handle = excluded.handle, display_name = excluded.display_name",
                    (str(event.originator_id), event.handle, event.display_name),
                )
            case Campaign.Pitched():
                _insert(tx, event)
            case Campaign.Event():
                _update(tx, event, _changes(tx, event))


def _insert(tx: ProjectionTx, event: Campaign.Pitched) -> None:
    row: dict[str, Value] = {
        "campaign_id": str(event.originator_id),
        "brand_id": str(event.brand_id),
        "creator_id": str(event.creator_id),
        "brief_id": str(event.brief_id) if event.brief_id else None,
        "state": CampaignState.PITCHED.value,
        "pitched_by": event.pitched_by,
        "offered_by": event.pitched_by,
        "pitched_at": moment_text(event.timestamp),
        "updated_at": moment_text(event.timestamp),
        "version": event.originator_version,
        "units_published": 0,
        "posts_measured": 0,
        **_terms_columns(event.terms),
    }
    _rows(tx).pitched[str(event.originator_id)] = row


def _update(tx: ProjectionTx, event: Campaign.Event, changes: Mapping[str, Value]) -> None:
    """Every campaign event moves ``version`` and ``updated_at``, besides its own changes."""
    _rows(tx).change(
        str(event.originator_id),
        {
            "version": event.originator_version,
            "updated_at": moment_text(event.timestamp),
            **changes,
        },
    )


@dataclass
class _Rows:
    """The batch's campaign rows, written once each at the end of the batch.

    A campaign's events mostly set columns of its one row, so the batch keeps the
    rows it pitched and the latest value of each column it changed, and handlers
    that read a row (:func:`_current`) see it as the batch has left it. At the end:
    one INSERT per pitched campaign, one UPDATE per changed one, then the metric
    totals of the campaigns whose posts were measured, summed over their posts.
    """

    pitched: dict[str, dict[str, Value]] = field(default_factory=dict)
    changed: dict[str, dict[str, Value]] = field(default_factory=dict)
    measured: dict[str, None] = field(default_factory=dict)

    def change(self, campaign_id: str, columns: Mapping[str, Value]) -> None:
        row = self.pitched.get(campaign_id)
        if row is None:
            row = self.changed.setdefault(campaign_id, {})
        row.update(columns)

    def flush(self, tx: ProjectionTx) -> None:
        table = tx.table("campaigns")
        columns = CampaignSummaries.tables["campaigns"].column_names
        tx.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(row.get(column) for column in columns) for row in self.pitched.values()],
        )
        shapes: dict[tuple[str, ...], list[tuple[Value, ...]]] = {}
        for campaign_id, changes in self.changed.items():
            shapes.setdefault(tuple(changes), []).append((*changes.values(), campaign_id))
        for shape, rows in shapes.items():
            assignments = ", ".join(f"{column} = ?" for column in shape)
            tx.executemany(f"UPDATE {table} SET {assignments} WHERE campaign_id = ?", rows)
        _sum_metrics(tx, list(self.measured))


def _rows(tx: ProjectionTx) -> _Rows:
    return tx.batch_state("rows", _Rows)


def _changes(tx: ProjectionTx, event: Campaign.Event) -> Mapping[str, Value]:
    """The columns an event changes, mirroring the aggregate's ``apply``."""
    match event:
        case Campaign.CounterOffered():
            return {"offered_by": event.by, **_terms_columns(event.terms)}
        case Campaign.PitchAccepted():
            return {"state": CampaignState.ACCEPTED.value}
        case Campaign.PitchDeclined():
            return {"state": CampaignState.DECLINED.value}
        case Campaign.PitchWithdrawn():
            return {"state": CampaignState.WITHDRAWN.value}
        case Campaign.AgreementConcluded():
            return {
                "state": CampaignState.CONCLUDED.value,
                "concluded_at": moment_text(event.timestamp),
            }
        case Campaign.CampaignCancelled():
            return {
                "state": CampaignState.CANCELLED.value,
                "cancelled_at": moment_text(event.timestamp),
                "cancelled_by": event.by,
            }
        case Campaign.PostPublished():
            return _published(tx, event)
        case Campaign.PostMetricsRecorded():
            return _measured(tx, event)
        case Campaign.PaymentRecorded():
            return _paid(tx, event)
        case Campaign.CampaignCompleted():
            return {
                "state": CampaignState.COMPLETED.value,
                "completed_at": moment_text(event.timestamp),
            }
    return {}


def _terms_columns(terms: Terms) -> dict[str, Value]:
    cash = terms.compensation.cash
    return {
        "fee_amount": amount_text(cash.amount) if cash else None,
        "fee_currency": cash.currency if cash else None,
        "units_due": terms.units_due,
        "due_on": max(d.due_on for d in terms.deliverables).isoformat(),
    }


def _published(tx: ProjectionTx, event: Campaign.PostPublished) -> dict[str, Value]:
    """The last unit published delivers the campaign, as of its latest post."""
    units, due, last = _current(tx, event, "units_published", "units_due", "last_published_at")
    published = moment_text(event.published_at)
    changes: dict[str, Value] = {
        "units_published": units + 1,
        "last_published_at": max(published, last) if last else published,
    }
    if units + 1 >= due:
        changes["state"] = CampaignState.DELIVERED.value
        changes["delivered_at"] = changes["last_published_at"]
    return changes


def _measured(tx: ProjectionTx, event: Campaign.PostMetricsRecorded) -> dict[str, Value]:
    """Keeps each post's latest snapshot by ``observed_at``; totals are over those,
    summed at the end of the batch."""
    posts = tx.table("posts")
    campaign_id = str(event.originator_id)
    counts = [getattr(event, column) for column in METRIC_COLUMNS]
    tx.write(
        f"INSERT INTO {posts} (campaign_id, deliverable_id, post_no, observed_at,"
        f" {', '.join(METRIC_COLUMNS)}) VALUES (?, ?, ?, ?, {', '.join('?' * len(counts))})"
        f" ON CONFLICT (campaign_id, deliverable_id, post_no) DO UPDATE SET"
        f" observed_at = excluded.observed_at,"
        f" {', '.join(f'{c} = excluded.{c}' for c in METRIC_COLUMNS)}"
        f" WHERE excluded.observed_at >= {posts}.observed_at",
        [campaign_id, event.deliverable_id, event.post_no, moment_text(event.observed_at), *counts],
    )
    _rows(tx).measured[campaign_id] = None
    return {}


def _sum_metrics(tx: ProjectionTx, campaign_ids: list[str]) -> None:
    """The metric totals of campaigns whose posts were measured, summed once per batch
    (no handler reads them)."""
    totals = tx.fetchall_in(
        f"SELECT campaign_id, COUNT(*), {', '.join(f'SUM({c})' for c in METRIC_COLUMNS)}"
        f" FROM {tx.table('posts')} WHERE campaign_id IN ({{}}) GROUP BY campaign_id",
        campaign_ids,
    )
    assignments = ", ".join(f"{c} = ?" for c in ("posts_measured", *METRIC_COLUMNS))
    tx.executemany(
        f"UPDATE {tx.table('campaigns')} SET {assignments} WHERE campaign_id = ?",
        [(*sums, campaign_id) for campaign_id, *sums in totals],
    )


def _paid(tx: ProjectionTx, event: Campaign.PaymentRecorded) -> dict[str, Value]:
    paid, last = _current(tx, event, "paid_amount", "last_paid_at")
    moment = moment_text(event.paid_at)
    total = Decimal(paid or 0) + event.amount.amount
    return {
        "paid_amount": amount_text(total),
        "paid_currency": event.amount.currency,
        "last_paid_at": max(moment, last) if last else moment,
    }


def _current(tx: ProjectionTx, event: Campaign.Event, *columns: str) -> tuple[Any, ...]:
    """Columns of the campaign's row as the batch has left it so far."""
    campaign_id = str(event.originator_id)
    rows = _rows(tx)
    row = rows.pitched.get(campaign_id)
    if row is not None:
        return tuple(row.get(column) for column in columns)
    stored = tx.fetchone(
        f"SELECT {', '.join(columns)} FROM {tx.table('campaigns')} WHERE campaign_id = ?",
        (campaign_id,),
    )
    if stored is None:
        raise LookupError(f"campaign {campaign_id} was never pitched")
    changed = rows.changed.get(campaign_id, {})
    return tuple(changed.get(column, value) for column, value in zip(columns, stored, strict=True))
