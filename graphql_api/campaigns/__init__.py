"""The campaigns area: one brand × one creator collaboration, from pitch to
feedback, and its audit history. Its root types, for the schema to merge with
the other areas'."""

from __future__ import annotations

from graphql_api.campaigns.events import CampaignSubscription
from graphql_api.campaigns.mutations import CampaignMutation
from graphql_api.campaigns.queries import CampaignQuery

__all__ = ["CampaignMutation", "CampaignQuery", "CampaignSubscription"]
