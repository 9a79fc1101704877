"""``campaign-ledger``: the operator's command line.

:data:`COMMANDS` is every subcommand, in the order ``--help`` lists them; each
is declared as data (:class:`~graphql_api.cli.subcommand.Subcommand`) next to
its handler, in the module of its topic. Failures an operator can fix (bad
settings, unreadable files, domain refusals) print one line to stderr and exit
1; they never show a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence

from domain.errors import LedgerError
from graphql_api.cli import api, audit, demo, read_side
from graphql_api.cli.bench.command import BENCH
from graphql_api.cli.subcommand import Handler, Subcommand
from graphql_api.http.json_logging import configure_logging

PROGRAM = "campaign-ledger"

COMMANDS: tuple[Subcommand, ...] = (
    api.TOKEN,
    api.SERVE,
    BENCH,
    audit.REPLAY,
    audit.EXPORT,
    audit.VERIFY_GIVEAWAY,
    audit.FORGET_CREATOR,
    demo.SEED_DEMO,
    read_side.PROJECT,
    read_side.REBUILD,
    read_side.SWITCH,
    read_side.VERIFY,
)

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description="Campaign Ledger operations.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=command.help)
        for arg in command.arguments:
            sub.add_argument(*arg.flags, **arg.options)
        sub.set_defaults(handler=command.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        configure_logging(os.environ.get("LEDGER_LOG_LEVEL") or "INFO")
        handler: Handler = args.handler
        return handler(args)
    except LedgerError as error:
        return _fail(error.message)
    except BrokenPipeError:
        # The reader went away (`export | head`): stop quietly, as other tools do.
        _discard_stdout()
        return 128 + signal.SIGPIPE
    except OSError as error:
        return _fail(
            f"{error.strerror or error}" + (f": {error.filename}" if error.filename else "")
        )
    except ValueError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        logger.debug("unexpected failure", exc_info=True)
        return _fail(f"unexpected {type(error).__name__}: {error}")


def _discard_stdout() -> None:
    """Points stdout at /dev/null so flushing it at exit cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _fail(message: str) -> int:
    print(f"{PROGRAM}: error: {message}", file=sys.stderr)
    return 1


__all__ = ["COMMANDS", "main"]
