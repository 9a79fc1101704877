"""``python -m graphql_api.cli``: the same as the ``campaign-ledger`` command."""

from graphql_api.cli import main

raise SystemExit(main())
