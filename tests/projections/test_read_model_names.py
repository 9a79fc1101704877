"""Where every read model's rows live: projection names, versions and physical tables.

Physical tables are named ``rm_<name>_v<version>_<table>`` and tracking rows are
keyed by (name, version), so changing any of these — renaming a projection,
bumping a version, renaming a logical table — leaves the old rows behind and
builds new ones from zero. That must be a decision (a new version built beside
the old, see docs/operations.md), never the side effect of moving code, so the
whole list is written out here.
"""

from __future__ import annotations

from domain.infrastructure.settings import Settings
from projections.catalog import all_projections
from projections.machinery import tracking
from projections.machinery.base import Slot, existing_tables
from projections.machinery.runtime import ReadSide
from tests.projections.projection_testkit import make_app
from tests.support import FakeClock

PINNED: list[tuple[str, int, tuple[str, ...]]] = [
    (
        "creator_reputation",
        1,
        (
            "rm_creator_reputation_v1_accounts",
            "rm_creator_reputation_v1_campaigns",
            "rm_creator_reputation_v1_creators",
            "rm_creator_reputation_v1_dimension_ratings",
            "rm_creator_reputation_v1_follower_history",
            "rm_creator_reputation_v1_meta",
            "rm_creator_reputation_v1_posts",
            "rm_creator_reputation_v1_sealed_feedback",
        ),
    ),
    (
        "brand_feedback",
        1,
        (
            "rm_brand_feedback_v1_brands",
            "rm_brand_feedback_v1_campaigns",
            "rm_brand_feedback_v1_dimension_ratings",
            "rm_brand_feedback_v1_meta",
            "rm_brand_feedback_v1_posts",
            "rm_brand_feedback_v1_sealed_feedback",
            "rm_brand_feedback_v1_uplift",
        ),
    ),
    ("brand_profiles", 1, ("rm_brand_profiles_v1_brands",)),
    (
        "campaign_summaries",
        1,
        (
            "rm_campaign_summaries_v1_brands",
            "rm_campaign_summaries_v1_campaigns",
            "rm_campaign_summaries_v1_creators",
            "rm_campaign_summaries_v1_posts",
        ),
    ),
    ("brief_listing", 1, ("rm_brief_listing_v1_briefs",)),
    (
        "creator_directory",
        1,
        (
            "rm_creator_directory_v1_accounts",
            "rm_creator_directory_v1_causes",
            "rm_creator_directory_v1_creators",
            "rm_creator_directory_v1_niches",
            "rm_creator_directory_v1_rates",
        ),
    ),
    (
        "rate_benchmarks",
        1,
        (
            "rm_rate_benchmarks_v1_accounts",
            "rm_rate_benchmarks_v1_card_samples",
            "rm_rate_benchmarks_v1_fee_samples",
            "rm_rate_benchmarks_v1_offers",
            "rm_rate_benchmarks_v1_tiers",
        ),
    ),
]


def test_every_projection_keeps_its_name_version_and_tables() -> None:
    declared = [
        (p.name, p.version, tuple(sorted(Slot(p).tables().values()))) for p in all_projections()
    ]
    assert declared == PINNED


def test_bookkeeping_tables_keep_their_names() -> None:
    assert (tracking.TRACKING, tracking.REGISTRY) == ("projection_tracking", "projection_registry")


def test_an_installed_read_store_tracks_exactly_the_pinned_tables(
    settings: Settings, clock: FakeClock
) -> None:
    event_app = make_app(settings)
    try:
        with (
            ReadSide(settings, event_app, all_projections(), clock=clock) as read_side,
            read_side.store.read() as tx,
        ):
            rows = tracking.rows(tx)
            active = tracking.active_versions(tx)
            existing = existing_tables(tx)
    finally:
        event_app.close()
    assert sorted((row.name, row.version, row.tables) for row in rows) == sorted(PINNED)
    assert active == {name: version for name, version, _ in PINNED}
    assert {table for _, _, tables in PINNED for table in tables} <= existing
