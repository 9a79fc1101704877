"""The harness of ``campaign-ledger bench`` (the command itself is in
:mod:`graphql_api.cli.bench.command`): what users feel, each figure beside the
baseline that bounds it, measured in one run and written to ``docs/benchmarks.md``.

Every load loop is bounded in count and time and targets only 127.0.0.1; the
API runs as a real uvicorn subprocess, as in production.
"""
