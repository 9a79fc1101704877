"""Campaign Ledger's GraphQL API and the operator's command line.

The schema's areas are folders, ``profiles/`` and ``campaigns/``, built on the
plumbing they share (the modules at this level) and merged in ``schema.py``;
``http/`` serves the schema, ``cli/`` is ``campaign-ledger`` (with the bench
harness), and ``demo/`` generates the demo market. docs/architecture.md has
the map.
"""
