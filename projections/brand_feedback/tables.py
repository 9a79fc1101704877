"""What the ``brand_feedback`` projection stores, table by table.

Raw rows only — per campaign its state, agreed cash and payment terms,
delivery, payments and change requests; per post the latest metrics snapshot;
per currency the reported sales uplift; the S0/S1 sums of revealed ratings —
so that everything depending on "now" is computed when read.
"""

from __future__ import annotations

from collections.abc import Mapping

from projections import reference_time, revealed_ratings
from projections.machinery.base import TableSpec

NAME = "brand_feedback"

BRANDS = TableSpec(
    columns={
        "brand_id": "TEXT",
        "ratings": "INTEGER NOT NULL",
        "would_work_again": "INTEGER NOT NULL",
        "rating_s0": "REAL NOT NULL",
        "rating_s1": "REAL NOT NULL",
        "ratings_given": "INTEGER NOT NULL",
        "ratings_given_sum": "REAL NOT NULL",
        "promo_redemptions": "INTEGER NOT NULL",
    },
    primary_key=("brand_id",),
)
"""Creators' revealed ratings of the brand (overall S0/S1), and the sum of the
overall means of the brand's own revealed ratings of creators."""

CAMPAIGNS = TableSpec(
    columns={
        "campaign_id": "TEXT",
        "brand_id": "TEXT NOT NULL",
        "state": "TEXT NOT NULL",
        "concluded": "INTEGER NOT NULL",
        "changes_requested": "INTEGER NOT NULL",
        "currency": "TEXT",
        "cash": "INTEGER",
        "payment_due_days": "INTEGER NOT NULL",
        "units_due": "INTEGER NOT NULL",
        "units_published": "INTEGER NOT NULL",
        "last_published_at": "TEXT",
        "delivered_at": "TEXT",
        "due_on": "TEXT",
        "paid": "INTEGER NOT NULL",
        "last_paid_at": "TEXT",
        "paid_in_full_at": "TEXT",
    },
    primary_key=("campaign_id",),
    indexes=(("brand_id",),),
)
"""One row per campaign; money in integer hundredths of ``currency`` (the cash's)."""

POSTS = TableSpec(
    columns={
        "campaign_id": "TEXT",
        "deliverable_id": "TEXT",
        "post_no": "INTEGER",
        "brand_id": "TEXT NOT NULL",
        "observed_at": "TEXT NOT NULL",
        "snapshot_version": "INTEGER NOT NULL",
        "reach": "INTEGER",
        "impressions": "INTEGER",
        "interactions": "INTEGER NOT NULL",
    },
    primary_key=("campaign_id", "deliverable_id", "post_no"),
    indexes=(("brand_id",),),
)
"""Each post's latest metrics snapshot (by observed_at, ties to the later event)."""

UPLIFT = TableSpec(
    columns={
        "brand_id": "TEXT",
        "currency": "TEXT",
        "uplift": "INTEGER NOT NULL",
        "reports": "INTEGER NOT NULL",
    },
    primary_key=("brand_id", "currency"),
)
"""Σ (during − baseline) of reported sales, in hundredths, per currency."""

TABLES: Mapping[str, TableSpec] = {
    "brands": BRANDS,
    "campaigns": CAMPAIGNS,
    "posts": POSTS,
    "uplift": UPLIFT,
    "dimension_ratings": revealed_ratings.sums_table("brand_id"),
    "sealed_feedback": revealed_ratings.SEALED_TABLE,
    "meta": reference_time.META_TABLE,
}
