"""Operator commands for the read side: run workers, rebuild, switch, verify."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from domain.application import Ledger
from domain.errors import Conflict, ValidationError
from domain.infrastructure.settings import Settings
from domain.store_check import check_store
from graphql_api.cli.progress import progress_reporter
from graphql_api.cli.subcommand import Subcommand, argument
from projections.catalog import all_projections
from projections.machinery.decoding import ProjectionFailed
from projections.machinery.engine import Progress
from projections.machinery.maintenance import SwitchRefused
from projections.machinery.runtime import ReadSide


def _open(settings: Settings) -> tuple[Ledger, ReadSide]:
    ledger = Ledger(settings)
    try:
        return ledger, ReadSide(settings, ledger, all_projections())
    except BaseException:
        ledger.close()
        raise


def _projection(name: str | None) -> str | None:
    """``name`` if the code defines such a projection; checked before any work starts."""
    known = sorted(p.name for p in all_projections())
    if name is not None and name not in known:
        raise ValidationError(f"no projection named {name!r}; known: {', '.join(known)}")
    return name


def project(_: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.backend != "postgres":
        raise SystemExit(
            "campaign-ledger: error: 'project' workers need PostgreSQL "
            "(LEDGER_DATABASE_URL); the embedded server projects in its own process"
        )
    ledger, read_side = _open(settings)

    def stop(_signal: int, _frame: FrameType | None) -> None:
        read_side.stop_worker()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        read_side.run_worker()
    finally:
        read_side.close()
        ledger.close()
    return 0


PROJECT = Subcommand(
    name="project",
    help=(
        "run the projections as a worker (PostgreSQL: woken by LISTEN/NOTIFY; several may run, "
        "one processes each projection at a time, another takes over if it dies)"
    ),
    handler=project,
)


def rebuild(args: argparse.Namespace) -> int:
    name = _projection(args.name)
    ledger, read_side = _open(Settings.from_env())
    try:
        with progress_reporter() as report:

            def on_progress(step: Progress) -> None:
                report(f"{step.name} v{step.version}", step.position, step.head)

            results = read_side.rebuild(name, progress=on_progress)
        for result in results:
            state = "active" if result.active else "built, not active (run switch)"
            print(
                f"{result.name} v{result.version}: position {result.position}, {state};"
                f" {result.seconds:.1f} s in its batches"
            )
    finally:
        read_side.close()
        ledger.close()
    return 0


REBUILD = Subcommand(
    name="rebuild",
    help=(
        "rebuild projections from the first event (all, or the one named); a projection whose "
        "code has a newer version is built beside the serving one, then 'switch' makes it live"
    ),
    handler=rebuild,
    arguments=(argument("name", nargs="?", help="projection name (default: all)"),),
)


def switch(args: argparse.Namespace) -> int:
    _projection(args.name)
    ledger, read_side = _open(Settings.from_env())
    try:
        try:
            previous = read_side.switch(args.name, args.version, drop_old=args.drop_old)
        except SwitchRefused as refusal:
            raise Conflict(str(refusal)) from None
        print(f"{args.name}: now serving v{args.version} (was v{previous})")
    finally:
        read_side.close()
        ledger.close()
    return 0


SWITCH = Subcommand(
    name="switch",
    help="make a rebuilt projection version the one that serves (blue/green)",
    handler=switch,
    arguments=(
        argument("name"),
        argument("version", type=int),
        argument("--drop-old", action="store_true", help="drop the previous version's tables"),
    ),
)


def verify(args: argparse.Namespace) -> int:
    name = _projection(args.name)
    ledger, read_side = _open(Settings.from_env())
    try:
        with progress_reporter() as report:

            def on_progress(step: Progress) -> None:
                report(f"{step.phase} {step.name}", step.position, step.head)

            problems = check_store(ledger, lambda done, head: report("event store", done, head))
            try:
                differences = read_side.verify(name, progress=on_progress)
                failure = None
            except ProjectionFailed as error:
                # An event the store check named (one that no longer decodes, say)
                # stops the rebuild; the report must still name that event.
                differences, failure = [], error
    finally:
        read_side.close()
        ledger.close()
    for problem in problems:
        print(problem.describe(), file=sys.stderr)
    for difference in differences[:100]:
        print(difference.describe(), file=sys.stderr)
    if failure is not None:
        print(f"projections not verified: {failure.describe()}", file=sys.stderr)
        print(f"{len(problems)} store problem(s)", file=sys.stderr)
        return 1
    if not problems and not differences:
        print("event store consistent; projections equal a fresh rebuild")
        return 0
    print(f"{len(problems)} store problem(s), {len(differences)} differing row(s)", file=sys.stderr)
    return 1


VERIFY = Subcommand(
    name="verify",
    help=(
        "rebuild every projection into scratch tables and compare with the live ones row by row; "
        "exits non-zero and names the differing rows on a mismatch"
    ),
    handler=verify,
    arguments=(argument("name", nargs="?", help="projection name (default: all)"),),
)
