"""Brief listing: briefs by brand, open or closed, newest first.

The projection is :mod:`~projections.brief_listing.projection`, the reads
:mod:`~projections.brief_listing.queries`.
"""
