"""Every read model the ledger maintains, in one list.

Runners, ``rebuild``, ``verify`` and status all work from this list, so a
projection missing here would silently never be built.
"""

from __future__ import annotations

from projections.brand_feedback.projection import BrandFeedbackProjection
from projections.brand_profiles.projection import BrandProfiles
from projections.brief_listing.projection import BriefListing
from projections.campaign_summaries.projection import CampaignSummaries
from projections.creator_directory.projection import CreatorDirectory
from projections.machinery.base import Projection
from projections.rate_benchmarks.projection import RateBenchmarks
from projections.reputation.projection import CreatorReputationProjection


def all_projections() -> list[Projection]:
    """A fresh instance of each concrete projection (projections hold no shared state)."""
    return [
        CreatorReputationProjection(),
        BrandFeedbackProjection(),
        BrandProfiles(),
        CampaignSummaries(),
        BriefListing(),
        CreatorDirectory(),
        RateBenchmarks(),
    ]
