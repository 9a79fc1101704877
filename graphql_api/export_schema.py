"""Writes the schema's SDL to ``schema.graphql``, or with ``--check`` fails when
the file differs from the code, so the exported contract never drifts."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from graphql_api.schema import build_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def current_sdl() -> str:
    return str(build_schema().as_str()).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graphql_api.export_schema")
    parser.add_argument("--check", action="store_true", help="fail if schema.graphql is stale")
    args = parser.parse_args(argv)
    sdl = current_sdl()
    if not args.check:
        SCHEMA_FILE.write_text(sdl, encoding="utf-8")
        return 0
    stored = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    if stored == sdl:
        return 0
    diff = difflib.unified_diff(
        stored.splitlines(), sdl.splitlines(), "schema.graphql", "code", lineterm=""
    )
    sys.stderr.write(
        "schema.graphql differs from the code; run: .venv/bin/python -m graphql_api.export_schema\n"
    )
    sys.stderr.write("\n".join(list(diff)[:200]) + "\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
