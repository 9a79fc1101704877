"""The ``creator_reputation`` projection: the raw material of docs/reputation.md per creator.

It stores counts, per-post raw metrics, follower observations and the S0/S1
rating sums — never a figure that depends on when it is read — plus, refreshed
after every batch of events that changes them, the t_ref-independent part of the score
(``score_weighted``, ``score_weight``), so the creator directory can sort by
score in SQL (:func:`projections.reputation_queries.score_sql`). Queries live in
:mod:`projections.reputation_queries`.

Double-blind: a brand's rating waits in ``sealed_feedback``, which no query
reads, until ``FeedbackRevealed``; it counts only if the campaign's agreement
concluded. The creator's rating of the brand is the brand-feedback projection's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date
from functools import singledispatch
from typing import Any

from eventsourcing.domain import DomainEventProtocol

from domain.base import LedgerAggregate
from domain.campaign import Campaign
from domain.catalog import Party, Tier
from domain.creator import Creator
from domain.terms import Terms
from projections import reference_time, revealed_ratings
from projections import reputation_audience as audience
from projections.formulas import weighted_parts
from projections.machinery.base import Projection, ProjectionTx, TableSpec
from projections.reputation_figures import (
    CreatorTotals,
    PostSample,
    post_figures,
    score_components,
)
from projections.store.columns import moment_text
from projections.store.readstore import Value

NAME = "creator_reputation"

_DERIVED = {
    "max_followers": "INTEGER NOT NULL",
    "tier": "TEXT NOT NULL",
    "rating_s0": "REAL NOT NULL",
    "rating_s1": "REAL NOT NULL",
    "median_engagement": "REAL",
    "median_reach_engagement": "REAL",
    "median_retention": "REAL",
    "score_weighted": "REAL NOT NULL",
    "score_weight": "REAL NOT NULL",
}
CREATORS = TableSpec(
    columns={
        "creator_id": "TEXT",
        **dict.fromkeys(CreatorTotals.columns(), "INTEGER NOT NULL"),
        **_DERIVED,
    },
    primary_key=("creator_id",),
)
"""Counters per creator; ``rating_*`` are the overall S0/S1; the medians, tier and
``score_*`` are derived from the other tables and refreshed with them."""

CAMPAIGNS = TableSpec(
    columns={
        "campaign_id": "TEXT",
        "creator_id": "TEXT NOT NULL",
        "brand_id": "TEXT NOT NULL",
        "deliverables": "JSON NOT NULL",
        "units_due": "INTEGER NOT NULL",
        "units_published": "INTEGER NOT NULL",
        "concluded": "INTEGER NOT NULL",
        "cancelled_by": "TEXT",
    },
    primary_key=("campaign_id",),
)
"""Which creator a campaign's events are about, and its latest offered terms."""

POST_METRICS = (
    "followers",
    "reach",
    "impressions",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
)
POSTS = TableSpec(
    columns={
        "campaign_id": "TEXT",
        "deliverable_id": "TEXT",
        "post_no": "INTEGER",
        "creator_id": "TEXT NOT NULL",
        "platform": "TEXT NOT NULL",
        "published_at": "TEXT NOT NULL",
        "due_on": "TEXT NOT NULL",
        "on_time": "INTEGER NOT NULL",
        "disclosed": "INTEGER NOT NULL",
        "observed_at": "TEXT",
        "snapshot_version": "INTEGER",
        **dict.fromkeys(POST_METRICS, "INTEGER"),
        "followers_before": "INTEGER",
        "followers_after": "INTEGER",
    },
    primary_key=("campaign_id", "deliverable_id", "post_no"),
    indexes=(("creator_id", "platform"),),
)
"""Sponsored posts with their latest metrics snapshot (by observed_at, then event
version) and the follower observations around them used for retention."""

TABLES: Mapping[str, TableSpec] = {
    "creators": CREATORS,
    "campaigns": CAMPAIGNS,
    "posts": POSTS,
    "follower_history": audience.FOLLOWER_HISTORY,
    "accounts": audience.ACCOUNTS,
    "dimension_ratings": revealed_ratings.sums_table("creator_id"),
    "sealed_feedback": revealed_ratings.SEALED_TABLE,
    "meta": reference_time.META_TABLE,
}


class CreatorReputationProjection(Projection):
    name = NAME
    version = 1
    tables = TABLES
    topics = reference_time.LEDGER_TOPICS

    def handle(self, event: DomainEventProtocol[Any], tx: ProjectionTx) -> None:
        assert isinstance(event, LedgerAggregate.Event)
        creator_id = _apply(event, tx)
        if creator_id is not None:
            _batch(tx).creators[creator_id] = None
        reference_time.advance(tx, event.timestamp)


# --- rows ----------------------------------------------------------------------------
def _ensure_creator(tx: ProjectionTx, creator_id: str) -> None:
    """Insert the creator's row unless this batch already did (creators are never deleted)."""
    ensured = _batch(tx).ensured
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


def _bump(tx: ProjectionTx, creator_id: str, **deltas: float) -> None:
    """Add to counters of a creator."""
    unknown = set(deltas) - set(CREATORS.columns)
    if unknown:
        raise KeyError(f"no creator columns {sorted(unknown)}")
    _ensure_creator(tx, creator_id)
    assignments = ", ".join(f"{column} = {column} + ?" for column in deltas)
    tx.write(
        f"UPDATE {tx.table('creators')} SET {assignments} WHERE creator_id = ?",
        (*deltas.values(), creator_id),
    )


@dataclass(frozen=True)
class _Campaign:
    creator_id: str
    deliverables: dict[str, dict[str, Any]]
    units_due: int
    units_published: int
    concluded: bool


def _campaign(tx: ProjectionTx, campaign_id: str) -> _Campaign:
    row = tx.fetchone(
        "SELECT creator_id, deliverables, units_due, units_published, concluded"
        f" FROM {tx.table('campaigns')} WHERE campaign_id = ?",
        (campaign_id,),
    )
    if row is None:
        raise LookupError(f"campaign {campaign_id} was never pitched")
    creator_id, deliverables, units_due, units_published, concluded = row
    _batch(tx).creator_of[campaign_id] = str(creator_id)
    return _Campaign(
        str(creator_id),
        json.loads(deliverables),
        int(units_due),
        int(units_published),
        bool(concluded),
    )


def _creator_of(tx: ProjectionTx, campaign_id: str) -> str:
    """The campaign's creator, read at most once per batch."""
    known = _batch(tx).creator_of.get(campaign_id)
    return _campaign(tx, campaign_id).creator_id if known is None else known


def _deliverables(terms: Terms) -> str:
    return json.dumps(
        {
            d.deliverable_id: {"platform": d.platform.value, "due_on": d.due_on.isoformat()}
            for d in terms.deliverables
        },
        sort_keys=True,
    )


# --- events --------------------------------------------------------------------------
@singledispatch
def _apply(event: object, tx: ProjectionTx) -> str | None:
    """Fold one event into the rows; returns the creator whose derived columns changed."""
    return None


@_apply.register
def _creator_registered(event: Creator.Registered, tx: ProjectionTx) -> str | None:
    _ensure_creator(tx, str(event.originator_id))
    return None


@_apply.register
def _account_linked(event: Creator.PlatformAccountLinked, tx: ProjectionTx) -> str | None:
    creator_id = str(event.originator_id)
    audience.observe_account(
        tx, creator_id, event.platform, event.followers, moment_text(event.timestamp)
    )
    return creator_id


@_apply.register
def _followers_recorded(event: Creator.FollowersRecorded, tx: ProjectionTx) -> str | None:
    creator_id = str(event.originator_id)
    audience.record_followers(
        tx, creator_id, event.platform, event.followers, moment_text(event.observed_at)
    )
    _batch(tx).windows[creator_id, event.platform] = None
    return creator_id


@_apply.register
def _pitched(event: Campaign.Pitched, tx: ProjectionTx) -> str | None:
    tx.write(
        f"INSERT INTO {tx.table('campaigns')} (campaign_id, creator_id, brand_id, deliverables,"
        " units_due, units_published, concluded) VALUES (?, ?, ?, ?, ?, 0, 0)"
        " ON CONFLICT (campaign_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.creator_id),
            str(event.brand_id),
            _deliverables(event.terms),
            event.terms.units_due,
        ),
    )
    _batch(tx).creator_of.setdefault(str(event.originator_id), str(event.creator_id))
    return None


@_apply.register
def _counter_offered(event: Campaign.CounterOffered, tx: ProjectionTx) -> str | None:
    """Offers alternate until one is accepted, so the latest offer is the agreed one."""
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET deliverables = ?, units_due = ? WHERE campaign_id = ?",
        (_deliverables(event.terms), event.terms.units_due, str(event.originator_id)),
    )
    return None


@_apply.register
def _concluded(event: Campaign.AgreementConcluded, tx: ProjectionTx) -> str | None:
    campaign_id = str(event.originator_id)
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET concluded = 1 WHERE campaign_id = ?", (campaign_id,)
    )
    creator_id = _creator_of(tx, campaign_id)
    _bump(tx, creator_id, concluded=1)
    return creator_id


@_apply.register
def _cancelled(event: Campaign.CampaignCancelled, tx: ProjectionTx) -> str | None:
    """Only a concluded agreement's cancellation counts; the creator's also leaves its
    unpublished units due."""
    campaign_id = str(event.originator_id)
    campaign = _campaign(tx, campaign_id)
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET cancelled_by = ? WHERE campaign_id = ?",
        (event.by, campaign_id),
    )
    if not campaign.concluded:
        return None
    if Party(event.by) is Party.BRAND:
        _bump(tx, campaign.creator_id, cancelled_by_brand=1)
    else:
        abandoned = max(campaign.units_due - campaign.units_published, 0)
        _bump(tx, campaign.creator_id, cancelled_by_creator=1, units_abandoned=abandoned)
    return campaign.creator_id


@_apply.register
def _completed(event: Campaign.CampaignCompleted, tx: ProjectionTx) -> str | None:
    creator_id = _creator_of(tx, str(event.originator_id))
    _bump(tx, creator_id, completed=1)
    return creator_id


@_apply.register
def _published(event: Campaign.PostPublished, tx: ProjectionTx) -> str | None:
    """On time means published (UTC date) on or before the deliverable's ``due_on``."""
    campaign_id = str(event.originator_id)
    campaign = _campaign(tx, campaign_id)
    deliverable = campaign.deliverables[event.deliverable_id]
    on_time = event.published_at.astimezone(UTC).date() <= date.fromisoformat(deliverable["due_on"])
    published_at = moment_text(event.published_at)
    before, after = audience.followers_around(
        tx, campaign.creator_id, deliverable["platform"], published_at
    )
    tx.write(
        f"INSERT INTO {tx.table('posts')} (campaign_id, deliverable_id, post_no, creator_id,"
        " platform, published_at, due_on, on_time, disclosed, followers_before,"
        " followers_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            campaign_id,
            event.deliverable_id,
            event.post_no,
            campaign.creator_id,
            deliverable["platform"],
            published_at,
            deliverable["due_on"],
            int(on_time),
            int(event.disclosed),
            before,
            after,
        ),
    )
    tx.write(
        f"UPDATE {tx.table('campaigns')} SET units_published = units_published + 1"
        " WHERE campaign_id = ?",
        (campaign_id,),
    )
    _bump(
        tx,
        campaign.creator_id,
        units_published=1,
        units_on_time=int(on_time),
        posts_disclosed=int(event.disclosed),
    )
    return campaign.creator_id


@_apply.register
def _metrics(event: Campaign.PostMetricsRecorded, tx: ProjectionTx) -> str | None:
    """Keeps the latest snapshot: by ``observed_at``, ties to the later event."""
    campaign_id = str(event.originator_id)
    observed_at = moment_text(event.observed_at)
    assignments = ", ".join(f"{metric} = ?" for metric in POST_METRICS)
    tx.write(
        f"UPDATE {tx.table('posts')} SET observed_at = ?, snapshot_version = ?, {assignments}"
        " WHERE campaign_id = ? AND deliverable_id = ? AND post_no = ? AND (observed_at IS NULL"
        " OR observed_at < ? OR (observed_at = ? AND snapshot_version < ?))",
        (
            observed_at,
            event.originator_version,
            *(getattr(event, metric) for metric in POST_METRICS),
            campaign_id,
            event.deliverable_id,
            event.post_no,
            observed_at,
            observed_at,
            event.originator_version,
        ),
    )
    return _creator_of(tx, campaign_id)


@_apply.register
def _winners_drawn(event: Campaign.GiveawayWinnersDrawn, tx: ProjectionTx) -> str | None:
    creator_id = _creator_of(tx, str(event.originator_id))
    _bump(tx, creator_id, winners_drawn=len(event.winners))
    return creator_id


@_apply.register
def _prize_delivered(event: Campaign.PrizeDelivered, tx: ProjectionTx) -> str | None:
    creator_id = _creator_of(tx, str(event.originator_id))
    _bump(tx, creator_id, prizes_delivered=1)
    return creator_id


@_apply.register
def _feedback_submitted(event: Campaign.FeedbackSubmitted, tx: ProjectionTx) -> str | None:
    if Party(event.by) is Party.BRAND:
        revealed_ratings.seal(tx, event, "sealed_feedback")
    return None


@_apply.register
def _feedback_revealed(event: Campaign.FeedbackRevealed, tx: ProjectionTx) -> str | None:
    campaign_id = str(event.originator_id)
    campaign = _campaign(tx, campaign_id)
    revealed = revealed_ratings.unseal(tx, campaign_id, "sealed_feedback")
    if not campaign.concluded:
        return None
    for submission in revealed:
        revealed_ratings.add_to_sums(
            tx, "dimension_ratings", "creator_id", campaign.creator_id, submission
        )
        _bump(
            tx,
            campaign.creator_id,
            ratings=1,
            would_work_again=int(submission.would_work_again),
            rating_s0=submission.weight,
            rating_s1=submission.weight * submission.mean,
        )
    return campaign.creator_id


# --- derived columns -------------------------------------------------------------------
@dataclass
class _Batch:
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


def _batch(tx: ProjectionTx) -> _Batch:
    return tx.batch_state("batch", _Batch)


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
