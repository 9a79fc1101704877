"""Brand profiles: each brand's name, industry, causes and website, read in batches by id.

The projection is :mod:`~projections.brand_profiles.projection`, the reads
:mod:`~projections.brand_profiles.queries`.
"""
