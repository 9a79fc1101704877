"""The closed vocabularies of the domain: platforms, formats, tiers, creator types."""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    INSTAGRAM = "INSTAGRAM"
    TIKTOK = "TIKTOK"
    YOUTUBE = "YOUTUBE"
    X = "X"
    TWITCH = "TWITCH"
    BLOG = "BLOG"
    FACEBOOK = "FACEBOOK"


class ContentFormat(StrEnum):
    POST = "POST"
    CAROUSEL = "CAROUSEL"
    REEL = "REEL"
    STORY = "STORY"
    SHORT_VIDEO = "SHORT_VIDEO"
    LONG_VIDEO = "LONG_VIDEO"
    LIVE = "LIVE"
    BLOG_ARTICLE = "BLOG_ARTICLE"
    THREAD = "THREAD"


class CompensationKind(StrEnum):
    CASH = "CASH"
    PRODUCT = "PRODUCT"
    MIXED = "MIXED"


class Tier(StrEnum):
    EMERGING = "EMERGING"
    NANO = "NANO"
    MICRO = "MICRO"
    MACRO = "MACRO"
    MEGA = "MEGA"


class Origin(StrEnum):
    NATIVE = "NATIVE"
    NON_NATIVE = "NON_NATIVE"


class CreatorType(StrEnum):
    NATIVE = "NATIVE"
    NON_NATIVE = "NON_NATIVE"
    PURPOSE_DRIVEN = "PURPOSE_DRIVEN"
    PLATFORM_SPECIFIC = "PLATFORM_SPECIFIC"
    MULTI_PLATFORM = "MULTI_PLATFORM"


class Party(StrEnum):
    """The two sides of a campaign."""

    BRAND = "BRAND"
    CREATOR = "CREATOR"

    @property
    def other(self) -> Party:
        return Party.CREATOR if self is Party.BRAND else Party.BRAND


class DraftStatus(StrEnum):
    """Where a draft stands: awaiting review, sent back, approved, or published."""

    SUBMITTED = "SUBMITTED"
    CHANGES_REQUESTED = "CHANGES_REQUESTED"
    APPROVED = "APPROVED"
    PUBLISHED = "PUBLISHED"


class CampaignState(StrEnum):
    PITCHED = "PITCHED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"
    CONCLUDED = "CONCLUDED"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


BRAND_RATING_DIMENSIONS = (
    "content_quality",
    "communication",
    "timeliness",
    "authenticity",
    "audience_fit",
)
"""What a brand rates a creator on."""

CREATOR_RATING_DIMENSIONS = (
    "payment_timeliness",
    "creative_freedom",
    "brief_clarity",
    "communication",
)
"""What a creator rates a brand on."""
