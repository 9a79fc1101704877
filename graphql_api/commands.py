"""Running a mutation: the caller's command context, the blocking command in a
worker thread, and the domain's typed errors turned into result-union members."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from anyio import to_thread

from domain.application import CommandResult, Ledger
from domain.context import CommandContext
from domain.errors import LedgerError, NotFound, Unauthenticated
from graphql_api.ledger_context import Info
from graphql_api.user_errors import user_error

S = TypeVar("S")


def parse_id(value: object, kind: str, field: str = "id") -> UUID:
    """An id from the API; anything that is not one of ours is simply not found."""
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(kind, value, field=field) from None


async def run_command(
    info: Info,
    command: Callable[[Ledger, CommandContext], CommandResult],
    success: Callable[[CommandResult], Awaitable[S] | S],
) -> S | Any:
    """Runs ``command`` off the event loop as the caller; a LedgerError becomes
    the matching error type, anything else propagates (masked and logged)."""
    context = info.context
    try:
        if context.viewer.actor is None:
            raise Unauthenticated("sign in to change anything")
        ctx = context.command_context(context.ledger.clock)
        result = await to_thread.run_sync(lambda: command(context.ledger, ctx))
    except LedgerError as error:
        return user_error(error)
    context.record_events_written(result.events_written)
    outcome = success(result)
    if isinstance(outcome, Awaitable):
        return await outcome
    return outcome
