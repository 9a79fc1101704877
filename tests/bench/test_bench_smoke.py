"""``campaign-ledger bench --smoke`` runs end to end on tiny data, on every backend,
and writes a report with every section, in Markdown and in JSON. No figure is
checked against a threshold: timing belongs in ``docs/benchmarks.md``, not in
the test suite; this keeps the bench from rotting and its counts from going empty."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.report import SECTIONS

SMOKE_TIMEOUT = 240


def _rows(report: dict[str, Any], title: str) -> list[dict[str, Any]]:
    sections = {section["title"]: section for section in report["sections"]}
    rows: list[dict[str, Any]] = sections[title]["rows"]
    return rows


def _row(report: dict[str, Any], title: str, starts: str) -> dict[str, Any]:
    return next(row for row in _rows(report, title) if row["figure"].startswith(starts))


def test_bench_smoke_run_writes_a_report_with_every_section(
    settings: Settings, tmp_path: Path
) -> None:
    report = tmp_path / "benchmarks.md"
    as_json = tmp_path / "benchmarks.json"
    command = [
        sys.executable,
        "-c",
        "from graphql_api.cli import main; raise SystemExit(main())",
        "bench",
        "--smoke",
        "--backend",
        settings.backend,
        "--data-dir",
        str(settings.data_dir),
        "--output",
        str(report),
        "--json",
        str(as_json),
    ]
    if settings.database_url:
        command += ["--database-url", settings.database_url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}

    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=SMOKE_TIMEOUT, check=False
    )

    assert done.returncode == 0, done.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    assert f"<!-- bench:{settings.backend}:end -->" in text
    for title in SECTIONS:
        assert f"### {title}" in text
    found = json.loads(as_json.read_text(encoding="utf-8"))
    assert found["backend"] == settings.backend
    assert found["machine"]["nproc"]

    mix = _row(found, "1. Read mix", "read mix")["data"]
    assert mix["api"]["requests"] > 0
    assert mix["api"]["errors"] == 0
    assert sum(mix["operations"].values()) >= 100
    assert {"directory", "creator", "brand (own)", "campaign (brand)", "campaign (creator)"} <= set(
        mix["operations"]
    )
    hit_rate = _row(found, "1. Read mix", "response-cache hit rate")
    assert hit_rate["value"] == "n/a" or 0 <= hit_rate["data"]["hit_rate"] <= 1
    assert _row(found, "1. Read mix", "concurrent writes")["data"]["writes"] > 0

    shapes = _rows(found, "2. Read shapes")
    for server in ("response cache on", "response cache off"):
        for connections in ("1 connection,", "16 connections,"):
            row = next(r for r in shapes if server in r["figure"] and connections in r["figure"])
            assert row["data"]["api"]["requests"] > 0
            assert row["data"]["api"]["errors"] == 0
            assert row["data"]["strawberry"]["requests"] > 0
            assert row["data"]["ratio"] > 0

    for clients in ("1 client", "16 clients", "32 clients"):
        row = _row(found, "3. Writes", f"writes/s over HTTP, {clients}")["data"]
        assert row["api"]["requests"] > 0
        assert row["api"]["errors"] == 0
        assert row["library"]["1"] > 0
        assert row["library"]["16"] > 0

    ryw = _row(found, "4. Read your writes", "mutation response")["data"]
    assert ryw["samples"] > 0
    assert ryw["stale"] == 0
