"""The read shapes' queries, and picking the brand and campaign they read."""

from __future__ import annotations

from typing import Any

from graphql_api.cli.bench.client import HttpClient, graphql

DIRECTORY = "{ creators(first: 20) { edges { cursor node { id handle reputation { score } } } } }"

CREATORS = """{
  creators(first: 20, orderBy: {field: SCORE, direction: DESC}) {
    totalCount
    edges { cursor node {
      id handle displayName tier followers
      reputation {
        score formulaVersion overallRating ratingCount
        completion { numerator denominator value }
        onTime { numerator denominator value }
        disclosure { numerator denominator value }
        medianEngagementRate engagementVsBenchmark
        wouldWorkAgain { numerator denominator value }
      }
    } }
  }
}"""

BRAND_CAMPAIGNS = """{
  campaigns(filter: {brandId: "%s"}, first: 50) {
    totalCount
    edges { cursor node {
      id state version updatedAt unitsDue unitsPublished
      fee { amount currency }
      creator { id handle displayName }
      metricTotals { postsMeasured followers reach likes comments shares saves engagements }
    } }
  }
}"""

CAMPAIGN = """{
  campaign(id: "%s") {
    id state version
    brand { id name }
    creator { id displayName }
    posts {
      deliverableId postNo url publishedAt disclosed onTime
      metrics {
        observedAt followers reach impressions views
        likes comments shares saves engagements engagementRate
      }
    }
  }
}"""

BRAND_CAMPAIGN_COUNT = '{ campaigns(filter: {brandId: "%s"}, first: 1) { totalCount } }'
CAMPAIGN_POSTS = """{
  campaigns(filter: {brandId: "%s"}, first: 50) {
    edges { node { id posts { metrics { observedAt } } } }
  }
}"""


def check(response: dict[str, Any], what: str) -> dict[str, Any]:
    if response.get("errors") or not response.get("data"):
        raise RuntimeError(f"{what} failed: {str(response.get('errors'))[:500]}")
    data: dict[str, Any] = response["data"]
    return data


async def busiest_brand(client: HttpClient, brands: list[str], admin: str) -> str:
    """Of the last brands, the one with the most campaigns. The write benchmark's
    pairs take brands from the front, so on a data set reused from an earlier run
    (with enough brands) this brand's latest campaigns are still the generated ones."""
    counts = {}
    for brand in brands[-12:]:
        data = check(await graphql(client, BRAND_CAMPAIGN_COUNT % brand, token=admin), "count")
        counts[brand] = data["campaigns"]["totalCount"]
    return max(counts, key=lambda b: counts[b])


async def richest_campaign(client: HttpClient, brand: str, token: str) -> str:
    """Of the brand's latest 50 campaigns, the one with the longest metric series."""
    data = check(await graphql(client, CAMPAIGN_POSTS % brand, token=token), "campaign posts")
    nodes = [edge["node"] for edge in data["campaigns"]["edges"]]
    if not nodes:
        raise RuntimeError("the brand has no campaigns")
    return str(max(nodes, key=lambda n: sum(len(p["metrics"]) for p in n["posts"]))["id"])
