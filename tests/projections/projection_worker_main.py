"""A projection process for the crash and takeover tests, run as a subprocess.

``--mode worker`` runs a PostgreSQL worker until SIGTERM; ``--mode catch-up``
catches up once and exits. ``--hang-at`` makes the handler write ``--marker``
and block forever at that position, mid-batch, so a test can kill it there.
"""

from __future__ import annotations

import argparse
import logging
import signal
from pathlib import Path

from domain.infrastructure.settings import Settings
from projections.machinery.runtime import ReadSide
from tests.projections.projection_testkit import CountingProjection, make_app


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--mode", choices=["worker", "catch-up"], required=True)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--hang-at", type=int)
    parser.add_argument("--marker", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    settings = Settings(data_dir=args.data_dir, database_url=args.database_url)
    event_app = make_app(settings)
    projection = CountingProjection(hang_at=args.hang_at, marker=args.marker)
    read_side = ReadSide(settings, event_app, [projection], batch_size=args.batch_size)
    signal.signal(signal.SIGTERM, lambda *_: read_side.stop_worker())
    try:
        if args.mode == "worker":
            read_side.run_worker(standby_interval=0.1)
        else:
            read_side.engine.catch_up()
    finally:
        read_side.close()
        event_app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
