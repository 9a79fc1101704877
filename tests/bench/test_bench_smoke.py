"""``campaign-ledger bench --smoke`` runs end to end on tiny data, on every backend,
and writes a report with every section. No figure is checked: timing belongs in
``docs/benchmarks.md``, not in the test suite; this only keeps the bench from rotting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from domain.infrastructure.settings import Settings
from graphql_api.cli.bench.report import SECTIONS

SMOKE_TIMEOUT = 240


def test_bench_smoke_run_writes_a_report_with_every_section(
    settings: Settings, tmp_path: Path
) -> None:
    report = tmp_path / "benchmarks.md"
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
