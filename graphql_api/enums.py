"""The schema's enums, defined once from the domain's closed vocabularies.

Each GraphQL enum *is* the domain enum (strawberry registers the class), so
resolvers return domain values as they are and inputs arrive as domain values;
no area keeps a copy that could drift from :mod:`domain.catalog`. Import them
from here, which registers them with their descriptions.
"""

from __future__ import annotations

import strawberry

from domain.catalog import (
    CampaignState,
    CompensationKind,
    ContentFormat,
    CreatorType,
    Origin,
    Party,
    Platform,
    Tier,
)
from domain.context import Role as ActorRole

strawberry.enum(Platform, description="A social platform or a blog.")
strawberry.enum(ContentFormat, description="A kind of content piece.")
strawberry.enum(CompensationKind, description="How a rate-card line is paid.")
strawberry.enum(Tier, description="Size class from the creator's largest platform following.")
strawberry.enum(Origin, description="Whether a creator grew from content (NATIVE) or not.")
strawberry.enum(CreatorType, description="Declared and derived creator types.")
strawberry.enum(Party, description="The two sides of a campaign.")
strawberry.enum(CampaignState, description="Where a campaign is in its lifecycle.")
strawberry.enum(
    ActorRole, name="ActorRole", description="Who caused an event: a party, a person, the system."
)

__all__ = [
    "ActorRole",
    "CampaignState",
    "CompensationKind",
    "ContentFormat",
    "CreatorType",
    "Origin",
    "Party",
    "Platform",
    "Tier",
]
