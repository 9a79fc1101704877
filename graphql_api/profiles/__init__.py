"""The profiles area's root types, for the schema to merge with the other areas'.

Creators, brands, briefs, the directory, rate benchmarks and read-model status:
everything about who takes part, as opposed to the campaigns between them.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from graphql_api.profiles.brands import BrandMutation
from graphql_api.profiles.briefs import BriefMutation, BriefQuery
from graphql_api.profiles.creators import CreatorMutation
from graphql_api.profiles.directory import DirectoryQuery
from graphql_api.profiles.personal_data import PersonalDataMutation
from graphql_api.profiles.rate_benchmarks import RateBenchmarkQuery
from graphql_api.profiles.status import StatusQuery

ProfileQuery = merge_types(
    "ProfileQuery", (DirectoryQuery, BriefQuery, RateBenchmarkQuery, StatusQuery)
)
ProfileMutation = merge_types(
    "ProfileMutation", (BrandMutation, CreatorMutation, PersonalDataMutation, BriefMutation)
)

__all__ = ["ProfileMutation", "ProfileQuery"]
