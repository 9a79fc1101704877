"""Campaign Ledger's GraphQL API: authentication, HTTP serving, limits and observability.

The domain's GraphQL types and resolvers live in their own area modules; the
modules here are the serving infrastructure every request passes through.
"""
