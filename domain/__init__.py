"""Campaign Ledger domain: aggregates, events, value objects and the application service.

The domain imports nothing of GraphQL, HTTP or SQL; persistence goes through the
``eventsourcing`` library, configured by :mod:`domain.infrastructure.settings`.
"""
