"""Campaign summaries: one row per campaign, for lists and filters.

- :mod:`~projections.campaign_summaries.projection` — the projection, mirroring the
  Campaign aggregate's state event by event;
- :mod:`~projections.campaign_summaries.queries` — pages of campaigns and summaries by id;
- :mod:`~projections.campaign_summaries.concluded_agreements` — which creators a brand
  has concluded an agreement with (who may see a creator's e-mail).
"""
