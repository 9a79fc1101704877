"""What the ``creator_reputation`` projection stores, table by table.

Counts, per-post raw metrics, follower observations and the S0/S1 rating sums —
never a figure that depends on when it is read — plus the columns derived from
them once per batch (:mod:`projections.reputation.batch`): tier, medians and the
t_ref-independent part of the score.
"""

from __future__ import annotations

from collections.abc import Mapping

from projections import reference_time, revealed_ratings
from projections.machinery.base import TableSpec
from projections.reputation import audience
from projections.reputation.figures import CreatorTotals

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
