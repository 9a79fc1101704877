"""The read store: one SQL interface over SQLite and PostgreSQL, and how queries read it.

:mod:`~projections.store.readstore` is the interface (with its SQLite and
PostgreSQL implementations beside it), :mod:`~projections.store.columns` how
domain values are stored in its columns, :mod:`~projections.store.query` the
read snapshot that resolves each projection's active tables, and
:mod:`~projections.store.pages` the keyset pages of list queries.
"""
