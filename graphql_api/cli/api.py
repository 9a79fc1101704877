"""``serve`` the GraphQL API, and print a ``token`` it accepts."""

from __future__ import annotations

import argparse
import logging

from domain.context import Role
from domain.errors import ValidationError
from domain.infrastructure.settings import Settings
from graphql_api.cli.subcommand import Subcommand, argument, port_number, positive_int
from graphql_api.http.auth import TOKEN_ROLES, issue_token
from graphql_api.http.signing_key import resolve_jwt_secret

SERVER_FACTORY = "graphql_api.http.server:create_server_app"

logger = logging.getLogger(__name__)


def token(args: argparse.Namespace) -> int:
    role = Role(args.role)
    subject = args.sub or _default_subject(role)
    secret = resolve_jwt_secret(Settings.from_env())
    print(issue_token(secret, role, subject, args.ttl))
    return 0


def _default_subject(role: Role) -> str:
    if role in (Role.BRAND, Role.CREATOR):
        raise ValidationError(
            f"--sub is required for role {role.value}: the {role.value}'s id", field="sub"
        )
    return role.value


TOKEN = Subcommand(
    name="token",
    help="print a bearer token signed with the key the server verifies with",
    handler=token,
    arguments=(
        argument("--role", required=True, choices=sorted(r.value for r in TOKEN_ROLES)),
        argument("--sub", help="brand or creator id; a person id for auditor/admin"),
        argument("--ttl", type=positive_int, default=3600, help="lifetime in seconds"),
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
    from graphql_api.demo import MarketSize, seed_demo

    with Ledger(settings) as ledger:
        empty = ledger.head_position() == 0
    if empty:
        logger.info("empty store: seeding a small demo market (opt out with --no-demo)")
        stats = seed_demo(settings, MarketSize())
        logger.info(
            "demo market seeded",
            extra={"campaigns": stats.campaigns, "events": stats.events, "seconds": stats.seconds},
        )


SERVE = Subcommand(
    name="serve",
    help="serve the GraphQL API",
    handler=serve,
    arguments=(
        argument("--host", default="127.0.0.1"),
        argument("--port", type=port_number, default=8000),
        argument("--workers", type=positive_int, default=1),
        argument(
            "--no-demo",
            action="store_true",
            help="do not seed a small demo market into an empty store on first start",
        ),
    ),
)
