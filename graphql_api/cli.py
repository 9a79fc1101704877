"""``campaign-ledger``: the operator's command line.

Each subcommand is one function registered with :func:`subcommand`, declaring
its arguments next to its body. Failures an operator can fix (bad settings,
unreadable files, domain refusals) print one line to stderr and exit 1; they
never show a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.context import Role
from domain.errors import LedgerError, ValidationError
from domain.infrastructure.settings import Settings
from graphql_api.auth import TOKEN_ROLES, issue_token
from graphql_api.json_logging import configure_logging
from graphql_api.signing_key import resolve_jwt_secret

PROGRAM = "campaign-ledger"
SERVER_FACTORY = "graphql_api.server:create_server_app"

Handler = Callable[[argparse.Namespace], int]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Argument:
    flags: tuple[str, ...]
    options: dict[str, Any]


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    arguments: tuple[Argument, ...]
    handler: Handler


_SUBCOMMANDS: dict[str, Subcommand] = {}


def argument(*flags: str, **options: Any) -> Argument:
    """One ``add_argument`` call, declared with the subcommand that uses it."""
    return Argument(flags, options)


def subcommand(name: str, help: str, *arguments: Argument) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _SUBCOMMANDS[name] = Subcommand(name, help, arguments, handler)
        return handler

    return register


def whole_number(text: str, minimum: int) -> int:
    """An argparse value: an integer of at least ``minimum``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
    return value


def positive_int(text: str) -> int:
    return whole_number(text, 1)


def non_negative_int(text: str) -> int:
    return whole_number(text, 0)


def port_number(text: str) -> int:
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port")
    return value


@subcommand(
    "token",
    "print a bearer token signed with the key the server verifies with",
    argument("--role", required=True, choices=sorted(r.value for r in TOKEN_ROLES)),
    argument("--sub", help="brand or creator id; a person id for auditor/admin"),
    argument("--ttl", type=positive_int, default=3600, help="lifetime in seconds"),
)
def token(args: argparse.Namespace) -> int:
    role = Role(args.role)
    subject = args.sub or _default_subject(role)
    secret = resolve_jwt_secret(Settings.from_env())
    print(issue_token(secret, role, subject, args.ttl))
    return 0


@subcommand(
    "serve",
    "serve the GraphQL API",
    argument("--host", default="127.0.0.1"),
    argument("--port", type=port_number, default=8000),
    argument("--workers", type=positive_int, default=1),
    argument(
        "--no-demo",
        action="store_true",
        help="do not seed a small demo market into an empty store on first start",
    ),
)
def serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = Settings.from_env()
    # Fails fast on a bad configuration, and creates the embedded key file
    # once here rather than in several workers at the same moment.
    resolve_jwt_secret(settings)
    if not args.no_demo:
        _seed_demo_if_empty(settings)
    logger.info(
        "serving the GraphQL API",
        extra={"url": f"http://{args.host}:{args.port}/graphql", "workers": args.workers},
    )
    uvicorn.run(
        SERVER_FACTORY,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    return 0


def _seed_demo_if_empty(settings: Settings) -> None:
    """A fresh store gets a small demo market so GraphiQL shows something at once."""
    from domain.application import Ledger
    from graphql_api.demo_market import MarketSize, seed_demo

    with Ledger(settings) as ledger:
        empty = ledger.head_position() == 0
    if empty:
        logger.info("empty store: seeding a small demo market (opt out with --no-demo)")
        stats = seed_demo(settings, MarketSize())
        logger.info(
            "demo market seeded",
            extra={"campaigns": stats.campaigns, "events": stats.events, "seconds": stats.seconds},
        )


def _default_subject(role: Role) -> str:
    if role in (Role.BRAND, Role.CREATOR):
        raise ValidationError(
            f"--sub is required for role {role.value}: the {role.value}'s id", field="sub"
        )
    return role.value


def build_parser() -> argparse.ArgumentParser:
    # Each of these modules registers its subcommands when imported.
    from graphql_api import bench_cli, cli_audit, cli_demo, cli_projections  # noqa: F401

    parser = argparse.ArgumentParser(prog=PROGRAM, description="Campaign Ledger operations.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _SUBCOMMANDS.values():
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


if __name__ == "__main__":
    # As `python -m graphql_api.cli` this file runs as `__main__`, but the
    # command modules register with `graphql_api.cli`: run that module's main.
    from graphql_api.cli import main as registered_main

    raise SystemExit(registered_main())
