"""Reference time: the timestamp of the newest event a projection has processed.

Figures that age — rating recency, overdue payments — are computed relative to
this ``t_ref`` rather than the wall clock, so a rebuild at any later moment
gives the same numbers. t_ref only advances on events a projection handles, so
the reputation and brand-feedback projections both subscribe to every event of
the brand, creator and campaign aggregates: the same set, so their t_ref agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.brand import Brand
from domain.campaign import Campaign
from domain.creator import Creator
from projections.machinery.base import ProjectionTx, TableSpec, events_of, topics_of
from projections.store.columns import moment_text, parse_moment
from projections.store.query import QueryTx

LEDGER_TOPICS = topics_of(*events_of(Brand, Creator, Campaign))
"""Every brand, creator and campaign event: what advances t_ref."""

META_TABLE = TableSpec(
    columns={"id": "INTEGER", "t_ref": "TEXT NOT NULL"},
    primary_key=("id",),
)
"""One row (id 1) holding t_ref."""


def advance(tx: ProjectionTx, timestamp: datetime, logical: str = "meta") -> None:
    """Move t_ref to an event's timestamp if that is newer; never backwards.

    No handler reads t_ref, so it is written once per batch, at the batch's newest.
    """
    tx.batch_state(f"t_ref:{logical}", lambda: _Newest(logical)).see(timestamp)


@dataclass
class _Newest:
    """The newest timestamp seen in a batch."""

    logical: str
    newest: datetime | None = None

    def see(self, timestamp: datetime) -> None:
        if self.newest is None or timestamp > self.newest:
            self.newest = timestamp

    def flush(self, tx: ProjectionTx) -> None:
        if self.newest is None:
            return
        table = tx.table(self.logical)
        tx.write(
            f"INSERT INTO {table} (id, t_ref) VALUES (1, ?) ON CONFLICT (id) DO UPDATE"
            f" SET t_ref = excluded.t_ref WHERE {table}.t_ref < excluded.t_ref",
            (moment_text(self.newest),),
        )


def reference_time(qtx: QueryTx, projection: str, logical: str = "meta") -> datetime | None:
    """The t_ref of a projection's active version; None before it processed any event."""
    text = qtx.scalar(f"SELECT t_ref FROM {qtx.table(projection, logical)} WHERE id = 1")
    return None if text is None else parse_moment(str(text))
