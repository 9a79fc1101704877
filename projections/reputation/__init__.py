"""Creator reputation (docs/reputation.md): what it stores, how events fill it, how it is read.

- :mod:`~projections.reputation.tables` — the tables: counters, campaigns, posts, ratings;
- :mod:`~projections.reputation.projection` — the projection: one handler per event;
- :mod:`~projections.reputation.batch` — what a batch remembers and the derived
  columns (tier, medians, sortable score parts) it refreshes at its end;
- :mod:`~projections.reputation.audience` — follower observations: tier and retention;
- :mod:`~projections.reputation.figures` — rates, medians and score components of a
  creator's rows, shared by the projection and the queries;
- :mod:`~projections.reputation.queries` — every signal per creator, and the score in SQL.
"""
