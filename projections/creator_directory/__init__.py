"""Creator directory: the searchable profile of every creator.

- :mod:`~projections.creator_directory.projection` — the projection: profile, followings,
  niches, causes and rate card;
- :mod:`~projections.creator_directory.queries` — entries by id;
- :mod:`~projections.creator_directory.search` — filters and sort orders, all in SQL.
"""
