"""Every read model the ledger maintains, in one list.

Runners, ``rebuild``, ``verify`` and status all work from this list, so a
projection missing here would silently never be built.
"""

from __future__ import annotations

from projections.brand_feedback import BrandFeedbackProjection
from projections.brand_profiles import BrandProfiles
from projections.brief_listing import BriefListing
from projections.campaign_summaries import CampaignSummaries
from projections.creator_directory import CreatorDirectory
from projections.machinery.base import Projection
from projections.rate_benchmarks import RateBenchmarks
from projections.reputation import CreatorReputationProjection


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
