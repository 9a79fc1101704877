"""The whole schema: every area's root types merged into Query, Mutation and
Subscription, served with the caching, limiting and masking extensions."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from graphql_api.campaigns import CampaignMutation, CampaignQuery, CampaignSubscription
from graphql_api.http.limits import Limits, schema_extensions
from graphql_api.profiles import ProfileMutation, ProfileQuery

Query = merge_types("Query", (ProfileQuery, CampaignQuery))
Mutation = merge_types("Mutation", (ProfileMutation, CampaignMutation))
Subscription = merge_types("Subscription", (CampaignSubscription,))


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=schema_extensions(limits),
    )
