"""Brand feedback: what working with a brand is like, per brand.

- :mod:`~projections.brand_feedback.tables` — the raw rows it keeps;
- :mod:`~projections.brand_feedback.projection` — the projection: one handler per event;
- :mod:`~projections.brand_feedback.queries` — ratings, payment record, spend and
  results, computed when read as of the projection's reference time.
"""
