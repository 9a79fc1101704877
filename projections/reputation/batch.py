"""What one batch of reputation events knows and owes, and the derived columns it owes.

Handlers read a campaign's creator and make sure of a creator's row at most once
per batch; the retention windows of posts and each touched creator's derived
columns (tier, medians, sortable score parts) are brought up to date once, when
the batch ends (see ``ProjectionTx.batch_state`` in :mod:`projections.machinery.base`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from domain.catalog import Tier
from projections.formulas import weighted_parts
from projections.machinery.base import ProjectionTx
from projections.reputation import audience
from projections.reputation.figures import (
    CreatorTotals,
    PostSample,
    post_figures,
    score_components,
)
from projections.reputation.tables import CREATORS
from projections.store.readstore import Value


@dataclass
class Batch:
    """What one batch of events knows and owes, kept for the end of the batch.

    It knows each campaign's creator once read (it never changes) and the creators
    whose row it made sure of. It owes, as stale, the retention windows of a
    (creator, platform)'s posts, then creators' derived columns, brought up to date
    once at the end of the batch. Handlers never read either, and every row they
    derive from is written only by events that mark them here, so the result is the
    same as refreshing after each event.
    """

    creator_of: dict[str, str] = field(default_factory=dict)
    ensured: set[str] = field(default_factory=set)
    windows: dict[tuple[str, str], None] = field(default_factory=dict)
    creators: dict[str, None] = field(default_factory=dict)

    def flush(self, tx: ProjectionTx) -> None:
        audience.refresh_windows(tx, list(self.windows))
        _refresh(tx, list(self.creators))


def batch_of(tx: ProjectionTx) -> Batch:
    return tx.batch_state("batch", Batch)


def ensure_creator(tx: ProjectionTx, creator_id: str) -> None:
    """Insert the creator's row unless this batch already did (creators are never deleted)."""
    ensured = batch_of(tx).ensured
    if creator_id in ensured:
        return
    ensured.add(creator_id)
    zeros = dict.fromkeys(CreatorTotals.columns(), 0)
    row: dict[str, Value] = {
        "creator_id": creator_id,
        **zeros,
        "max_followers": 0,
        "tier": Tier.EMERGING.value,
        "rating_s0": 0.0,
        "rating_s1": 0.0,
        "score_weighted": 0.0,
        "score_weight": 0.0,
    }
    tx.write(
        f"INSERT INTO {tx.table('creators')} ({', '.join(row)})"
        f" VALUES ({', '.join('?' for _ in row)}) ON CONFLICT (creator_id) DO NOTHING",
        tuple(row.values()),
    )


def bump(tx: ProjectionTx, creator_id: str, **deltas: float) -> None:
    """Add to counters of a creator."""
    unknown = set(deltas) - set(CREATORS.columns)
    if unknown:
        raise KeyError(f"no creator columns {sorted(unknown)}")
    ensure_creator(tx, creator_id)
    assignments = ", ".join(f"{column} = {column} + ?" for column in deltas)
    tx.write(
        f"UPDATE {tx.table('creators')} SET {assignments} WHERE creator_id = ?",
        (*deltas.values(), creator_id),
    )


@dataclass(frozen=True)
class CampaignFacts:
    """What handlers need of a campaign's row: its creator, the latest offered
    deliverables and how many units are due and published."""

    creator_id: str
    deliverables: dict[str, dict[str, Any]]
    units_due: int
    units_published: int
    concluded: bool


def campaign_facts(tx: ProjectionTx, campaign_id: str) -> CampaignFacts:
    row = tx.fetchone(
        "SELECT creator_id, deliverables, units_due, units_published, concluded"
        f" FROM {tx.table('campaigns')} WHERE campaign_id = ?",
        (campaign_id,),
    )
    if row is None:
        raise LookupError(f"campaign {campaign_id} was never pitched")
    creator_id, deliverables, units_due, units_published, concluded = row
    batch_of(tx).creator_of[campaign_id] = str(creator_id)
    return CampaignFacts(
        str(creator_id),
        json.loads(deliverables),
        int(units_due),
        int(units_published),
        bool(concluded),
    )


def creator_of(tx: ProjectionTx, campaign_id: str) -> str:
    """The campaign's creator, read at most once per batch."""
    known = batch_of(tx).creator_of.get(campaign_id)
    return campaign_facts(tx, campaign_id).creator_id if known is None else known


def _refresh(tx: ProjectionTx, creator_ids: list[str]) -> None:
    """Recompute tier, medians and the sortable score parts from the creators' rows."""
    creators = tx.table("creators")
    totals = {
        row[0]: CreatorTotals.from_row(row[1:])
        for row in tx.fetchall_in(
            f"SELECT creator_id, {', '.join(CreatorTotals.columns())} FROM {creators}"
            " WHERE creator_id IN ({})",
            creator_ids,
        )
    }
    max_followers: dict[str, int | None] = dict(
        tx.fetchall_in(
            f"SELECT creator_id, MAX(followers) FROM {tx.table('accounts')}"
            " WHERE creator_id IN ({}) GROUP BY creator_id",
            creator_ids,
        )
    )
    samples: dict[str, list[PostSample]] = defaultdict(list)
    for creator_id, *sample in tx.fetchall_in(
        f"SELECT creator_id, {', '.join(PostSample.COLUMNS)} FROM {tx.table('posts')}"
        " WHERE creator_id IN ({})",
        creator_ids,
    ):
        samples[creator_id].append(PostSample.from_row(sample))
    updates: list[tuple[Value, ...]] = []
    for creator_id in creator_ids:
        if creator_id not in totals:
            continue
        followers = int(max_followers.get(creator_id) or 0)
        figures = post_figures(samples[creator_id], followers)
        weighted, weight = weighted_parts(score_components(totals[creator_id], figures, None))
        updates.append(
            (
                followers,
                figures.tier.value,
                figures.median_engagement,
                figures.median_reach_engagement,
                figures.median_retention,
                weighted,
                weight,
                creator_id,
            )
        )
    tx.executemany(
        f"UPDATE {creators} SET max_followers = ?, tier = ?, median_engagement = ?,"
        " median_reach_engagement = ?, median_retention = ?, score_weighted = ?,"
        " score_weight = ? WHERE creator_id = ?",
        updates,
    )
